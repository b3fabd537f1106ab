"""Tables printed without rules, rebuilt from word geometry.

Neither pdfplumber's text strategy nor camelot's stream mode survives these tables (they
split words and scatter stacked diacritics), so the grid is rebuilt here:

1. ``lines_to_header`` — a run of bold lines naming an item column (STT) and counts.
2. ``header_to_columns`` — header phrases, wrapped lines of one cell joined; a phrase
   spanning two or more narrower ones below it is a parent (kept as context), the rest
   merge into one interval per column.
3. ``columns_to_separators`` — between two columns, the x where the fewest data words cross.
4. ``words_to_rows`` — each data line with a count, mark or item number is a row anchor;
   every other line fragment of a column joins the row it is centred on (dynamic
   programming), or the anchor above it when the column's cells are aligned to the top.

The grid comes back with two header rows (parents, then leaves) so that column roles are
read exactly as for ruled tables.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate, combinations, pairwise, zip_longest
from math import isfinite
from statistics import median
from types import MappingProxyType
from typing import Any, NamedTuple

from pdfplumber.page import Page

from dean06.catalog.catalogue import is_component_name, plain_key
from dean06.normalize.agencies import names_an_agency
from dean06.normalize.rows import NOT_APPLICABLE, WHOLE_CONNECTION, connection_ambiguous
from dean06.normalize.text import ascii_key, clean_text, vn_key

BBox = tuple[float, float, float, float]
Word = dict[str, Any]

_HEADER_ITEM = re.compile(r"\b(stt|tt|so tt)\b")
_HEADER_COUNT = re.compile(r"\b(tong|truc tuyen|ket noi|t[yi] le|ho so)\b")
_SAME_LINE = 2.0
_REPEATED_SHARE = 0.7  # of a header's words known from the last page's: it repeats it
_PHRASE_GAP = 4.5
_CONTAIN_TOLERANCE = 8.0
_CENTRE_TOLERANCE = 4.0
_KIND_PENALTY = 80.0  # a column whose cells change kind from the last page: a wrong fit
_BLOCK_GAP = 1.4  # line steps: a wider gap between two lines of a column ends a cell
_COLUMN_GAP = 6.0  # the narrowest clear strip between two columns' text
_COMPACT_SHARE = 0.7  # of a column's lines holding one token: a column of counts or marks
_SPREAD_WEIGHT = 0.1  # ties between centred splits go to the one nearest its anchors
_LINE_SPACING = 1.3  # of the font size: the most a wrapped line advances
Phrase = tuple[float, float, str, float]  # x0, x1, text, top
_CAPTION = re.compile(
    r"^\(?(kem theo|phu luc|bieu)\b|\b(tu ngay|den ngay|tinh den|so lieu)\b|\d{1,2}/\d{1,2}/\d{4}"
)
_TITLE_OPENING = re.compile(r"^\(?(kem theo|phu luc|bieu)\b")
_PERIOD_OPENING = re.compile(
    r"^\(?(tu ngay|so lieu (tinh )?tu|tinh (tu|den) ngay)\b"
)  # a table's data range
# a totals row's name ("Tổng cộng", "Tổng số", "Cộng"): it starts a row of its own
_CONTINUED = re.compile(r"[-–,;:]\s*$")  # a line ending so runs on into the next
_TOTAL_LINE = re.compile(r"^(tong cong\b|(tong so|tong|cong)[:.]?$)")
_NUMBERED = re.compile(r"^([IVX]{1,4}|\d+(?:\.\d{1,2})?)[.)]?\s")  # "14.3": a sub-item
_COUNT = r"\d[\d.,]*%?"
_NUMBER = re.compile(rf"^{_COUNT}$")
_TOKEN = re.compile(rf"^({_COUNT}|[xX✓✔-]|[IVX]{{1,4}}\.?)$")  # counts, marks, item numbers


@dataclass
class Line:
    top: float
    bottom: float
    words: list[Word] = field(default_factory=list)
    bold: bool = False
    snap: float = 0.0  # how far a position may be off: text snapped to a character grid

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class GridLayout:
    """Column geometry of a borderless table, carried to the next page."""

    separators: list[float]
    compact: set[int]
    width: int
    x0: float
    x1: float
    pending_header: list[Line] = field(default_factory=list)  # a header with no body yet
    pending_rows: list[Line] = field(default_factory=list)  # under it: group rows, no counts
    header_words: frozenset[str] = frozenset()  # to know the header when a page repeats it
    kinds: list[str | None] = field(default_factory=list)  # of each column's cells
    columns: list[list[Any]] = field(default_factory=list)  # header intervals, to re-cut
    token_votes: TokenVotes = field(default_factory=dict)  # what made ``compact``


class Grid(NamedTuple):
    """A table read from positioned words: its box, rows and engine, and what the reader
    could not settle about it (finding code → message)."""

    bbox: BBox
    rows: list[list[str]]
    engine: str
    doubts: Mapping[str, str] = MappingProxyType({})


TokenVotes = dict[int, tuple[int, int]]  # column → (lines holding one token there, lines)


def find_borderless_tables(
    page: Page, previous: GridLayout | None = None, exclude: list[BBox] | None = None
) -> tuple[list[Grid], GridLayout | None]:
    """Grids of the borderless tables on a PDF ``page`` (see ``lines_to_tables``). Words
    inside ``exclude`` (ruled tables already read) are left out; a header is bold."""
    if previous is None and not _bold_text_outside(page.chars, exclude or []):
        return [], None  # every table here starts under a bold header
    # No font attributes here: a diacritic drawn from a fallback font would split the word.
    words = [w for w in page.extract_words(y_tolerance=1)
             if not any(_inside(w, box) for box in exclude or [])]  # fmt: skip
    lines = words_to_lines(words)
    _mark_bold(lines, page.chars)
    return lines_to_tables(lines, previous, exclude)


_CUT_TAIL_LINES = 2  # a cell's lines carried over a page break, alone at its top
_CUT_TAIL_WORDS = 4  # their words: a name's tail and an agency's ("điện   cấp xã")


def lines_to_tables(
    lines: list[Line], previous: GridLayout | None = None, exclude: list[BBox] | None = None
) -> tuple[list[Grid], GridLayout | None]:
    """Grids of the borderless tables in a page's positioned lines, top to bottom, and the
    layout of the last one. ``previous`` is the layout that ended the page before: rows at
    the top of this page that fit it, under no header, continue that table. A line marked
    ``bold`` may belong to a header (PDF: set in a bold font; text: holds no count)."""
    tables: list[Grid] = []
    layout: GridLayout | None = None
    header = lines_to_header(lines, 0)
    if previous is not None and header is not None:
        header = _repeated_header(lines, header, previous.header_words)
    if previous is not None:
        head = lines[: header[0]] if header else lines
        if exclude:  # the rest of the table goes on above the page's first ruled table
            head = [line for line in head if line.bottom <= min(box[1] for box in exclude)]
        if (continued := continued_grid(head, previous)) is not None:
            tables.append(continued[0])
            layout = continued[1]
    if layout is not None and layout.pending_rows:  # carried over once, never again
        layout = replace(layout, pending_rows=[])
    # group rows left under a header at the last page's foot, when this page repeats it;
    # or a group's heading over the header repeated ("Công an tỉnh" atop the page)
    carried = previous.pending_rows if previous is not None and not tables else []
    heading: list[Line] = []
    if previous is not None and previous.pending_header and header and not tables:
        heading = _group_heading(lines[: header[0]], previous)
        carried = [*carried, *heading]
    start = 0
    first = header
    while (header := first or lines_to_header(lines, start)) is not None:
        first = None
        body_start = header[-1] + 1
        header_lines = lines[header[0] : body_start]
        if body_start >= len(lines):  # the header ends the page: its body is on the next
            return tables, _pending(header_lines)
        end = _title_end(lines, body_start, data_end(lines, body_start), header_lines)
        body = lines[body_start:end]
        if carried and body:
            body, carried = [*_moved_above(carried, body[0]), *body], []
        built = build_grid(header_lines, body)
        if built is not None:
            (x0, top, x1, bottom) = built[0].bbox
            if heading:  # the table opens at its heading, over the header: no prose there
                top, heading = min(top, heading[0].top), []
            tables.append(built[0]._replace(bbox=(x0, top, x1, bottom)))
            layout = built[1]
        elif end >= len(lines):  # no data row before the page ends: carry the header over
            return tables, _pending(header_lines, lines[body_start:end])
        start = max(end, body_start)
    return tables, layout


def _repeated_header(lines: list[Line], header: list[int], known: frozenset[str]) -> list[int]:
    """A header repeated at a page's top without the lines above it that repeat nothing
    of the last page's header: the tail of the row the page break cut."""
    if not known:
        return header
    words = [vn_key(w["text"]) for i in header for w in lines[i].words]
    if sum(word in known for word in words) < _REPEATED_SHARE * len(words):
        return header  # another table's header, not the last one's repeated
    while len(header) > 1:  # (accents kept: "Công an tỉnh" repeats no "Cổng", no "Tình")
        words = [vn_key(w["text"]) for w in lines[header[0]].words]
        if sum(word in known for word in words) * 2 >= len(words):
            break
        header = header[1:]
    return header


def _header_words(header: list[Line]) -> frozenset[str]:
    return frozenset(vn_key(w["text"]) for line in header for w in line.words)


def _on_text_grid(lines: list[Line]) -> bool:
    """Lines of text laid out with spaces (positions snapped to a character grid)."""
    return any(line.snap for line in lines)


def _pending(header_lines: list[Line], rows: list[Line] | None = None) -> GridLayout:
    """The layout of a header whose body starts on the next page, with the rows under it
    that hold no count yet (a group heading: "I | NHÓM DỊCH VỤ CÔNG THIẾT YẾU")."""
    x0 = min(w["x0"] for line in header_lines for w in line.words)
    x1 = max(w["x1"] for line in header_lines for w in line.words)
    return GridLayout(
        [], set(), 0, x0, x1, header_lines, list(rows or []), _header_words(header_lines)
    )


def _moved_above(carried: list[Line], first: Line) -> list[Line]:
    """Lines carried from the last page, placed just above this page's first line."""
    if not carried:
        return []
    shift = first.top - 2 * max(first.height, 1.0) - carried[-1].top
    return [
        replace(
            line,
            top=line.top + shift,
            bottom=line.bottom + shift,
            words=[
                {**w, "top": w["top"] + shift, "bottom": w["bottom"] + shift} for w in line.words
            ],
        )
        for line in carried
    ]


def _inside(word: Word, box: BBox) -> bool:
    centre_x, centre_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= centre_x <= box[2] and box[1] <= centre_y <= box[3]


def continued_grid(lines: list[Line], layout: GridLayout) -> tuple[Grid, GridLayout] | None:
    """Rows at the top of a page that line up with the previous page's table, and the
    table's layout with what these rows taught of its columns."""

    def fits(line: Line) -> bool:
        return all(layout.x0 - 40 <= w["x0"] and w["x1"] <= layout.x1 + 40 for w in line.words)

    inside = [line for line in lines if fits(line)]
    if layout.width and (cut := _tail_over_heading(inside)):
        tail = inside[:cut]  # its own row: the row above on the last page goes on in it
        row = _tail_row(tail, layout.separators, layout.width, layout.compact)
        rest = continued_grid([line for line in lines if line not in tail], layout)
        if rest is None:
            return Grid(
                (layout.x0, tail[0].top, layout.x1, tail[-1].bottom), [row], "words"
            ), layout
        (x0, _, x1, bottom), rows = rest[0].bbox, rest[0].rows
        return rest[0]._replace(bbox=(x0, tail[0].top, x1, bottom), rows=[row, *rows]), rest[1]
    body = [line for line in inside if len(line.words) >= 2]
    # the last row's cells ("1523/SYT-NVY)", "cấp xã"), or a group's heading over the header
    if layout.width and (carried := _cut_tail(inside) or _group_heading(inside, layout)):
        bbox = (layout.x0, carried[0].top, layout.x1, carried[-1].bottom)
        row = _tail_row(carried, layout.separators, layout.width, layout.compact)
        return Grid(bbox, [row], "words"), layout
    if len(body) < 2 and not (body and _set_in_columns(body[0], layout.separators)):
        return None
    start = lines.index(body[0])
    while start > 0 and fits(lines[start - 1]) and _adjoins(lines[start - 1], lines[start]):
        start -= 1  # a lone word just above: the upper half of the first row's centred cell
    end = data_end(lines, start)
    title = next((i for i in range(start, end) if _is_title(lines[i], layout.x0, layout.x1)), end)
    body = [line for line in lines[start:title] if line in inside]
    if not body:
        return None
    if layout.pending_header:
        body = [*_moved_above(layout.pending_rows, body[0]), *body]
        built = build_grid(layout.pending_header, body)
        if built is None:
            return None
        x0, _, x1, bottom = built[0].bbox
        return built[0]._replace(bbox=(x0, body[0].top, x1, bottom)), built[1]  # this page
    separators = layout.separators
    words = [w for ln in body for w in ln.words]
    # text: the converter set this page's columns anew, unless it holds a row's tail
    # alone ("điện   cấp xã"), too few words to set them by
    on_text_grid = _on_text_grid(body)
    counted = any(_holds_counts(line) for line in body)
    strips: list[float] = []
    if on_text_grid and counted:
        rows_only = _without_cut_tails(body)
        strips = _clear_strips([w for ln in rows_only for w in ln.words])
        if len(strips) == len(separators):
            separators = strips
        elif (
            fewer := _last_columns_empty(strips, separators, rows_only, layout.kinds)
        ) is not None:
            separators = fewer
        elif (fitted := fit_separators(separators, strips, rows_only, layout.kinds)) is not None:
            separators = fitted
        elif layout.columns:
            separators = columns_to_separators(layout.columns, words, text_grid=True)
    elif layout.columns and not on_text_grid:  # cut where this page's words leave room
        separators = columns_to_separators(layout.columns, words)  # (they may run wider)
    marks = _mark_columns(layout.columns)
    placed = _page_mark_columns(body, strips, layout, marks) if on_text_grid and marks else None
    marks, doubts = placed or (_marks_moved(marks, layout.separators, separators), {})
    votes = _pooled(layout.token_votes, _token_votes(body, separators))
    compact = _compact(votes)
    rows = words_to_rows(body, separators, compact, layout.width, layout.columns, marks)
    if not rows and all(_set_in_columns(line, separators) for line in body):
        rows = [_tail_row(body, separators, layout.width, compact)]  # the last row's cells go on
    if not rows:
        return None
    bbox = (layout.x0, body[0].top, layout.x1, body[-1].bottom)
    seen = _column_kinds(body, separators, layout.width)  # what the last page left unknown
    kinds = [was or now for was, now in zip_longest(layout.kinds, seen)]
    grid = Grid(bbox, rows, "words", doubts)
    return grid, replace(layout, compact=compact, token_votes=votes, kinds=kinds)


def _cut_tail(lines: list[Line]) -> list[Line]:
    """Lines of a few words at a page's top that can only end the cells the page break
    cut: each closes a parenthesis it never opened ("1523/SYT-NVY)"), opens one (a name's
    aside, "(220/380V)   cấp xã") or opens in lower case ("điện", "điện   cấp xã"). Those
    lines, or none."""
    if not lines or len(lines) > _CUT_TAIL_LINES:
        return []
    for line in lines:
        text = " ".join(w["text"] for w in line.words)
        opens_a_tail = text[:1].islower() or text[:1] == "(" or text.count(")") > text.count("(")
        if len(line.words) > _CUT_TAIL_WORDS or not opens_a_tail:
            return []
    return lines


def _last_columns_empty(
    strips: list[float], previous: list[float], body: list[Line], kinds: list[str | None]
) -> list[float] | None:
    """This page's clear strips when its columns are the last page's but for the last
    ones, which no row of the page fills (a note column): each column it fills holds
    what the last page's held, in order. The missing separators are set past every
    word; None when the page's columns are not those."""
    missing = len(previous) - len(strips)
    if missing < 1 or not kinds or not body:
        return None
    found = _column_kinds(body, strips, len(strips) + 1)
    if None in found or found != kinds[: len(found)]:
        return None
    right = max(w["x1"] for line in body for w in line.words)
    return [*strips, *(right + 1.0 + i for i in range(missing))]


def _without_cut_tails(body: list[Line]) -> list[Line]:
    """The page's lines less those at its top that end a cell the page break cut
    ("mạng", the last word of a note set in the last page's column), up to the first
    line that does not: on a page laid out anew they stand where no column of this
    page is. (Lower-case lines further down are the upper halves of a row's cells.)"""
    top = 0
    while top < len(body) and _cut_tail([body[top]]) and not _holds_counts(body[top]):
        top += 1
    return body[top:]


def _holds_counts(line: Line) -> bool:
    return sum(bool(_NUMBER.match(w["text"])) for w in line.words) >= 2


def _tail_over_heading(lines: list[Line]) -> int:
    """How many lines at a page's top end the cells the page break cut (``_cut_tail``)
    right over a line that opens a cell in capitals: a group heading ("điện)" / "Sở Y
    tế (bổ sung theo …") or the next row's name ("(220/380V)   cấp xã" / "Thay đổi chủ
    thể …"). 0 when none do: a lower-case line over a row's own line may be the middle
    of that row's name."""
    for size in range(1, min(_CUT_TAIL_LINES, len(lines) - 1) + 1):
        opening = lines[size].words[0]["text"]
        if _cut_tail(lines[:size]) and opening[:1].isupper():
            return size
    return 0


def _group_heading(lines: list[Line], layout: GridLayout) -> list[Line]:
    """Lines at a page's top, above its repeated header, that are an agency's group
    heading ("Sở Tư pháp", "Sở Y tế (bổ sung theo …)"): in one text column, opening in
    capitals. Those lines, or none."""
    if not lines or len(lines) > _HEADING_LINES:
        return []
    columns = {_column_of(w, layout.separators) for line in lines for w in line.words}
    text = " ".join(w["text"] for line in lines for w in line.words)
    if len(columns) != 1 or columns & layout.compact or not text[:1].isupper():
        return []
    return lines if names_an_agency(text) else []


def _set_in_columns(line: Line, separators: list[float]) -> bool:
    """A line whose words stand in two columns or more, none across a column's edge: the
    tail of a row's cells, not prose."""
    if any(w["x0"] < edge < w["x1"] for w in line.words for edge in separators):
        return False
    return len({_column_of(w, separators) for w in line.words}) >= 2


def _tail_row(
    body: list[Line], separators: list[float], width: int, compact: set[int]
) -> list[str]:
    """One row of the words of lines that hold no row of their own. A word that is no
    count goes to the nearest text column (a page laid out anew may set a name's tail
    under the last page's item column)."""
    cells: list[list[tuple[float, float, str]]] = [[] for _ in range(width)]
    text_columns = [c for c in range(width) if c not in compact] or list(range(width))
    for line in body:
        for word in line.words:
            column = _column_of(word, separators)
            if column in compact and not _TOKEN.match(word["text"]):
                column = min(text_columns, key=lambda c: (abs(c - column), c < column))
            cells[column].append((line.top, word["x0"], word["text"]))
    return [clean_text(_cell_text(cell)) for cell in cells]


def _title_end(lines: list[Line], start: int, end: int, header: list[Line]) -> int:
    """Where a body ends early: at the next table's title set close under it."""
    x0 = min(w["x0"] for line in header for w in line.words)
    x1 = max(w["x1"] for line in header for w in line.words)
    return next((i for i in range(start, end) if _is_title(lines[i], x0, x1)), end)


def _adjoins(upper: Line, lower: Line) -> bool:
    """Two lines as close as the wrapped lines of one cell."""
    return lower.top - upper.top <= 1.6 * max(upper.height, 1.0)


def _is_title(line: Line, x0: float, x1: float) -> bool:
    """A bold line set as one phrase across much of the table: the title of what comes
    next, not a row (a group row has its number apart, in the item column)."""
    phrases = _line_phrases(line)
    if not line.bold or len(phrases) != 1 or _NUMBERED.match(phrases[0][2]):
        return False  # "I. NHÓM DỊCH VỤ CÔNG ..." printed across the table is a group row
    if _TITLE_OPENING.match(ascii_key(phrases[0][2])) or _PERIOD_OPENING.match(
        ascii_key(phrases[0][2])
    ):
        return True  # "Phụ lục III:", "(Kèm theo Báo cáo số …)", "Từ ngày … đến ngày …"
    return phrases[0][1] - phrases[0][0] > 0.45 * (x1 - x0)


def words_to_lines(words: list[Word]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1].top) <= _SAME_LINE:
            lines[-1].words.append(word)
            lines[-1].bottom = max(lines[-1].bottom, word["bottom"])
        else:
            lines.append(Line(word["top"], word["bottom"], [word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _bold_text_outside(chars: list[Word], exclude: list[BBox]) -> bool:
    """True when some bold letter lies outside the ``exclude`` boxes."""
    return any(
        char["text"].isalpha()
        and "bold" in char["fontname"].lower()
        and not any(_inside(char, box) for box in exclude)
        for char in chars
    )


def _mark_bold(lines: list[Line], chars: list[Word]) -> None:
    """A line is bold when most of its characters are set in a bold font."""
    by_top: dict[int, list[tuple[float, bool]]] = {}
    for char in chars:
        if char["text"].strip():
            bold = "bold" in char["fontname"].lower()
            by_top.setdefault(int(char["top"]), []).append((char["top"], bold))
    for line in lines:
        low, high = line.top - _SAME_LINE, line.top + _SAME_LINE
        flags = [
            bold
            for bucket in range(int(low) - 1, int(high) + 1)
            for top, bold in by_top.get(bucket, [])
            if low <= top <= high
        ]
        line.bold = sum(flags) * 2 > len(flags)


def lines_to_header(lines: list[Line], start: int) -> list[int] | None:
    """The next header block: consecutive bold lines naming an item column and counts."""
    index = start
    while index < len(lines):
        if not lines[index].bold:
            index += 1
            continue
        block = [index]
        while block[-1] + 1 < len(lines) and lines[block[-1] + 1].bold:
            gap = lines[block[-1] + 1].top - lines[block[-1]].top
            if gap > 1.6 * max(lines[block[-1]].height, 1.0):
                break
            block.append(block[-1] + 1)
        block = _without_first_row(lines, _without_caption(lines, _from_last_title(lines, block)))
        text = ascii_key(" ".join(w["text"] for i in block for w in lines[i].words))
        if _HEADER_ITEM.search(text) and _HEADER_COUNT.search(text):
            return block
        index = block[-1] + 1
    return None


def _from_last_title(lines: list[Line], block: list[int]) -> list[int]:
    """The block from its last title line ("PHỤ LỤC …", "Biểu …") on: lines above it end
    what came before (the last row of a table continued from the previous page)."""
    titles = [
        k
        for k, i in enumerate(block)
        if _TITLE_OPENING.match(ascii_key(" ".join(w["text"] for w in lines[i].words)))
    ]
    return block[titles[-1] :] if titles else block


def _without_caption(lines: list[Line], block: list[int]) -> list[int]:
    """Drop leading title lines: one phrase spanning much of the table's width, or a
    caption's period or reference line (a header cell never holds a date)."""
    left = min(w["x0"] for i in block for w in lines[i].words)
    right = max(w["x1"] for i in block for w in lines[i].words)
    dropped: list[Phrase] | None = None
    while len(block) > 1:
        phrases = _line_phrases(lines[block[0]])
        caption = _CAPTION.search(ascii_key(" ".join(p[2] for p in phrases)))
        wide = max(p[1] - p[0] for p in phrases) > 0.45 * (right - left)
        if not caption and not wide and not _continues_caption(dropped, phrases):
            break
        dropped = phrases
        block = block[1:]
    return block


def _continues_caption(caption: list[Phrase] | None, phrases: list[Phrase]) -> bool:
    """The caption's wrapped tail ("… THEO QUYẾT" / "ĐỊNH SỐ 06/QĐ-TTg"): one phrase set
    flush with the caption line above, in its case, naming no header cell."""
    if caption is None or len(phrases) != 1 or len(caption) != 1:
        return False
    (x0, _, text, _), above = phrases[0], caption[0][2]
    if abs(x0 - caption[0][0]) > _SAME_LINE or _HEADER_ITEM.search(ascii_key(text)):
        return False
    return _mostly_upper(above) == _mostly_upper(text)


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


_HEADER_ABBREVIATIONS = frozenset({"dvcqg", "dvc", "tthc", "cqg"})  # no row's cell


def _without_first_row(lines: list[Line], block: list[int]) -> list[int]:
    """Drop trailing lines that open the first body row rather than end the header: a
    name or agency wrapped above its row's number or counts when cells are centred. Only
    text without fonts runs such lines into the header; they hold words left of the first
    row's counts only.
    Where fonts are known, the bold lines are the header's; without them, so is a line
    of a header term's abbreviation ("DVCQG" under "Tình trạng kết nối Cổng")."""
    anchor = block[-1] + 1
    fonts_known = not lines[block[0]].snap
    if fonts_known or anchor >= len(lines):
        return block
    words = lines[anchor].words
    if _NUMBERED.match(words[0]["text"] + " "):
        words = words[1:]
    elif sum(bool(_NUMBER.match(w["text"])) for w in words) < 2:
        return block  # neither numbered nor counted (an unnumbered component's counts)
    tokens = [w for w in words if _TOKEN.match(w["text"])]
    counts_x = tokens[0]["x0"] if tokens else float("-inf")
    below = [p for line in _rest_of_row(lines, anchor) for p in _line_phrases(line)]
    while len(block) > 1:
        line = lines[block[-1]]
        if all(ascii_key(w["text"]) in _HEADER_ABBREVIATIONS for w in line.words):
            break  # "DVCQG" under "Tình trạng kết nối Cổng": a header's, no row's
        left_of_counts = all(w["x1"] < counts_x for w in line.words)
        if not left_of_counts and not all(_continues_below(p, below) for p in _line_phrases(line)):
            break
        block = block[:-1]
    return block


def _rest_of_row(lines: list[Line], anchor: int) -> list[Line]:
    """The two lines under a row's number line, short of the next row's own line (its
    number, or counts): where the lower halves of the row's centred cells stand."""
    rest = []
    for line in lines[anchor + 1 : anchor + 3]:
        words = line.words
        if (
            _NUMBERED.match(words[0]["text"] + " ")
            or sum(bool(_NUMBER.match(w["text"])) for w in words) >= 2
        ):
            break
        rest.append(line)
    return rest


def _continues_below(phrase: Phrase, below: list[Phrase]) -> bool:
    """A cell's upper half: the rest of it, centred or flush with it, just below the row's
    number line (a centred cell wraps around its row's middle)."""
    centre = (phrase[0] + phrase[1]) / 2
    return any(
        abs((p[0] + p[1]) / 2 - centre) <= _CENTRE_TOLERANCE or abs(p[0] - phrase[0]) <= 1
        for p in below
    )


def data_end(lines: list[Line], anchor: int) -> int:
    """Index just past the table body: the first big vertical gap."""
    if anchor >= len(lines):
        return anchor
    height = median(line.height for line in lines[anchor : anchor + 10])
    for index in range(anchor + 1, len(lines)):
        if lines[index].top - lines[index - 1].top > 2.8 * height:
            return index
    return len(lines)


def header_to_columns(
    header: list[Line],
) -> tuple[list[list[float]], list[tuple[float, float, str, float]]]:
    """Column intervals (leaves) and parent phrases (x0, x1, text, top)."""
    phrases = _stack_wrapped([p for line in header for p in _line_phrases(line)], header)
    parents = [p for p in phrases if _contains_two(p, phrases) or _centred_over_run(p, phrases)]
    leaves = sorted((p for p in phrases if p not in parents), key=lambda p: p[0])
    columns: list[list[Any]] = []
    for x0, x1, text, top in leaves:
        if columns and x0 < columns[-1][1] - 1:
            columns[-1][1] = max(columns[-1][1], x1)
            columns[-1][2].append((top, x0, text))
        else:
            columns.append([x0, x1, [(top, x0, text)]])
    return columns, parents


def _stack_wrapped(phrases: list[Phrase], header: list[Line]) -> list[Phrase]:
    """Join the lines of one header cell: centred on the same x, one line pitch apart."""
    pitch = median(line.height for line in header) * 1.6
    interleaved = _on_text_grid(header)
    # a converter centres each wrapped line to the nearest character on either side;
    # the next line down may be that far off, a line further down only as far as in a PDF
    tolerance = 2 * _CENTRE_TOLERANCE if interleaved else _CENTRE_TOLERANCE

    def clear_between(upper: Phrase, lower: Phrase) -> bool:
        """No phrase of a line between the two overlaps them (text converters interleave
        the wrapped lines of cells that are centred at different heights)."""
        return interleaved and lower[3] - upper[3] <= 2.5 * pitch and not any(
            upper[3] < p[3] < lower[3] and p[0] < max(upper[1], lower[1])
            and min(upper[0], lower[0]) < p[1]
            for p in phrases
        )  # fmt: skip

    def has_sibling(cell: list[Phrase], lower: Phrase) -> bool:
        """Another phrase beside ``lower`` also lies under the cell: a parent over leaves."""
        x0, x1 = min(p[0] for p in cell), max(p[1] for p in cell)
        return any(
            p is not lower and abs(p[3] - lower[3]) < 1 and x0 - _CENTRE_TOLERANCE <= p[0]
            and p[1] <= x1 + _CENTRE_TOLERANCE
            for p in phrases
        )  # fmt: skip

    cells: list[list[Phrase]] = []
    for phrase in sorted(phrases, key=lambda p: p[3]):
        centre = (phrase[0] + phrase[1]) / 2
        for cell in cells:
            last = cell[-1]
            gap = phrase[3] - last[3]
            off = abs((last[0] + last[1]) / 2 - centre)
            below = gap <= pitch and off <= tolerance
            further = off <= _CENTRE_TOLERANCE and clear_between(last, phrase)
            if gap > 0 and (below or further) and not has_sibling(cell, phrase):
                cell.append(phrase)
                break
        else:
            cells.append([phrase])
    return [
        (min(p[0] for p in cell), max(p[1] for p in cell), " ".join(p[2] for p in cell), cell[0][3])
        for cell in cells
    ]


def _line_phrases(line: Line) -> list[tuple[float, float, str, float]]:
    phrases: list[tuple[float, float, str, float]] = []
    for word in line.words:
        if phrases and word["x0"] - phrases[-1][1] <= _PHRASE_GAP:
            x0, _, text, top = phrases[-1]
            phrases[-1] = (x0, word["x1"], f"{text} {word['text']}", top)
        else:
            phrases.append((word["x0"], word["x1"], word["text"], line.top))
    return phrases


def _contains_two(phrase: Phrase, phrases: list[Phrase]) -> bool:
    """A parent: two or more narrower, disjoint phrases below it, centred under it."""
    width = phrase[1] - phrase[0]
    low, high = phrase[0] - _CONTAIN_TOLERANCE, phrase[1] + _CONTAIN_TOLERANCE
    inside = sorted(
        (p for p in phrases if p[3] > phrase[3] and p[1] - p[0] < width
         and low <= (p[0] + p[1]) / 2 <= high),
        key=lambda p: p[0],
    )  # fmt: skip
    disjoint, right = 0, float("-inf")
    for p in inside:
        if p[0] >= right:
            disjoint += 1
            right = p[1]
    return disjoint >= 2


def _centred_over_run(phrase: Phrase, phrases: list[Phrase]) -> bool:
    """A parent narrower than the columns it spans ("Số hồ sơ tiếp nhận" over three
    columns, the outer two reaching past its ends): it lies over a run of two or more
    phrases below it and sits halfway between the first one's centre and the last's."""
    below = sorted((p for p in phrases if p[3] > phrase[3]), key=lambda p: p[0])
    reach = (phrase[0] - _CENTRE_TOLERANCE, phrase[1] + _CENTRE_TOLERANCE)  # or just beside
    under = [i for i, p in enumerate(below) if p[0] < reach[1] and reach[0] < p[1]]
    if not under or any(below[i][1] - below[i][0] >= phrase[1] - phrase[0] for i in under):
        return False
    centre = (phrase[0] + phrase[1]) / 2
    for first in range(max(under[0] - 1, 0), under[0] + 1):
        for last in range(under[-1], min(under[-1] + 2, len(below))):
            if last - first < 1:
                continue
            run = below[first : last + 1]
            if any(a[1] > b[0] for a, b in pairwise(run)):
                continue  # phrases of one run sit side by side
            middle = ((run[0][0] + run[0][1]) / 2 + (run[-1][0] + run[-1][1]) / 2) / 2
            if abs(middle - centre) <= _CENTRE_TOLERANCE:
                return True
    return False


def columns_to_separators(
    columns: list[list[Any]], words: list[Word], text_grid: bool = False
) -> list[float]:
    """x positions between columns, where the fewest body words are cut. On text laid
    out with spaces (``text_grid``) the body's own clear strips are taken when there is
    one per header gap (``_body_gutters``), else a clear strip a little outside a header
    gap where every cut inside it splits words (``_clean_cut_under``)."""
    if text_grid and (gutters := _body_gutters(columns, words)) is not None:
        return gutters
    words = _without_spanning_cells(columns, words)
    separators = []
    for left, right in pairwise(columns):
        lo, hi = left[1], right[0]
        if hi <= lo:
            separators.append((lo + hi) / 2)
            continue
        candidates = [lo + (hi - lo) * k / 40 for k in range(41)]
        cuts = [sum(1 for w in words if w["x0"] < x < w["x1"]) for x in candidates]
        fewest = min(cuts)
        best = [x for x, c in zip(candidates, cuts, strict=True) if c == fewest]
        runs = _runs(best, step=(hi - lo) / 40)
        widest = max(runs, key=lambda r: r[1] - r[0])
        separator = (widest[0] + widest[1]) / 2
        if fewest and text_grid:  # body text runs past the header gap: a clean cut nearby?
            start = separators[-1] if separators else min(w["x0"] for w in words)
            separator = _clean_cut_under(min(start, left[0]), left, right, words, separator)
        separators.append(separator)
    return separators


_SPANNING_COLUMNS = 3  # a phrase over this many header cells is a merged cell
# … or over two and on into the gutter past them, when it says the row's service is not
# the unit's ("Không thuộc thẩm quyền" across the mark columns: ``_overreaches``)


def _without_spanning_cells(columns: list[list[Any]], words: list[Word]) -> list[Word]:
    """The words outside merged cells: a phrase over three header cells or more
    ("Không thuộc thẩm quyền của cấp huyện" across the counts), or a not-applicable
    wording over two running on past them, says nothing of where one column ends, and its
    spaces would pass for a cut."""
    by_line: dict[float, list[Word]] = {}
    for word in words:
        by_line.setdefault(round(word["top"], 1), []).append(word)
    kept: list[Word] = []
    for line_words in by_line.values():
        line = Line(
            line_words[0]["top"], line_words[0]["bottom"], sorted(line_words, key=lambda w: w["x0"])
        )
        for x0, x1, _, _ in _line_phrases(line):
            inside = [w for w in line.words if x0 <= w["x0"] and w["x1"] <= x1]
            under = [c for c in columns if c[0] < x1 and c[1] > x0]
            counted = any(_TOKEN.match(w["text"]) for w in inside)  # counts a space apart
            if not (len(under) >= _SPANNING_COLUMNS or _overreaches(inside, under, x1)) or counted:
                kept.extend(inside)
    return kept if kept else words


def _overreaches(inside: list[Word], under: list[list[Any]], x1: float) -> bool:
    """Whether a not-applicable wording set over two columns runs on into the gutter
    past them ("Không thuộc thẩm quyền" from the mark columns towards the totals)."""
    if len(under) < 2 or x1 <= max(c[1] for c in under) + _COLUMN_GAP:
        return False
    return bool(NOT_APPLICABLE.search(ascii_key(" ".join(w["text"] for w in inside))))


def _body_gutters(columns: list[list[Any]], words: list[Word]) -> list[float] | None:
    """Text laid out with spaces lines each row up on its own: the body's columns keep to
    one another but not always to the header's. Where the body shows exactly one clear
    strip per header gap, header cell i is body column i. A row spanning several columns
    ("Không thuộc thẩm quyền") may cross a strip."""
    strips = _clear_strips(words)
    if len(strips) != len(columns) - 1:
        return None
    return strips


def _clear_strips(words: list[Word]) -> list[float]:
    """Middles of the vertical strips that (nearly) no line's words cross."""
    if not words:
        return []
    tops = {w["top"] for w in words}
    allowed = max(1, len(tops) // 10)
    lo, hi = min(w["x0"] for w in words), max(w["x1"] for w in words)
    step = 1.0
    clean = []
    x = lo + step
    while x < hi:
        crossing = {w["top"] for w in words if w["x0"] < x < w["x1"]}
        if len(crossing) <= allowed:
            clean.append(x)
        x += step
    runs = [r for r in _runs(clean, step=step) if r[1] - r[0] >= _COLUMN_GAP]
    return [(a + b) / 2 for a, b in runs]


def fit_separators(
    previous: list[float],
    strips: list[float],
    body: list[Line] | None = None,
    kinds: list[str | None] | None = None,
) -> list[float] | None:
    """The previous page's separators carried onto this page of text laid out with spaces,
    where the converter set the same columns at other character positions: the page's
    clear strips are matched in order to the previous separators (a column empty on this
    page leaves no strip; a name wrapped flush leaves an extra one), through the straight
    line ``x → a·x + b`` that fits them best and keeps each column's kind of cells (marks,
    counts, rates, text) as on the last page; ``None`` when nothing fits."""
    if not previous or len(strips) < 2:
        return None
    best: tuple[float, list[float]] | None = None
    n, k = len(previous), len(strips)
    # the kinds of most columns known: they, more than the straight line, tell the fit
    known = bool(body and kinds and 2 * sum(kind is not None for kind in kinds) >= len(kinds))
    limit = _CENTRE_TOLERANCE * (4 if known else 2) * min(n, k)
    short = min(n, k)
    for kept_previous in combinations(range(n), short) if n - short <= 2 else ():
        for kept_strips in combinations(range(k), short) if k - short <= 2 else ():
            xs = [previous[i] for i in kept_previous]
            ys = [strips[j] for j in kept_strips]
            fitted = _line_fit(xs, ys)
            if fitted is None:
                continue
            a, b, residual = fitted
            if not 0.6 <= a <= 1.6:
                continue
            mapped = [a * x + b for x in previous]
            for i, j in zip(kept_previous, kept_strips, strict=True):
                mapped[i] = strips[j]
            if residual > limit:
                continue
            if body:  # a separator carried where this page has no clear strip cuts no word
                mapped = _into_clear_space(mapped, set(kept_previous), body)
                residual += _KIND_PENALTY * sum(
                    1
                    for i, x in enumerate(mapped)
                    if i not in kept_previous
                    for line in body
                    if any(w["x0"] < x < w["x1"] for w in line.words)
                )
            if body and kinds:
                found = _column_kinds(body, mapped, len(kinds))
                residual += _KIND_PENALTY * sum(
                    1 for was, now in zip(kinds, found, strict=True) if was and was != now
                )  # a column's kind changed, or a column of it is empty now
            if best is None or residual < best[0]:
                best = (residual, mapped)
    return best[1] if best is not None else None


def _into_clear_space(separators: list[float], fixed: set[int], body: list[Line]) -> list[float]:
    """Each separator not on a clear strip moved to the nearest x between its neighbours
    that cuts no word (a narrow gap: the column beside it is empty on this page)."""
    out = list(separators)
    words = [w for line in body for w in line.words]
    for i, x in enumerate(separators):
        if i in fixed:
            continue
        lo = out[i - 1] if i else x - 40
        hi = separators[i + 1] if i + 1 < len(separators) else x + 40
        clear = [
            lo + k
            for k in range(1, int(hi - lo))
            if not any(w["x0"] < lo + k < w["x1"] for w in words)
        ]
        if clear:
            out[i] = min(clear, key=lambda c: abs(c - x))
    return out


def _column_kinds(body: list[Line], separators: list[float], width: int) -> list[str | None]:
    """What two thirds or more of the non-empty cells of each column hold, line by line:
    ``mark``, ``count``, ``rate`` or ``text`` (None: too few cells, or mixed)."""
    seen: list[dict[str, int]] = [{} for _ in range(width)]
    for line in body:
        cells: dict[int, list[str]] = {}
        for word in line.words:
            cells.setdefault(_column_of(word, separators), []).append(word["text"])
        for column, texts in cells.items():
            if column < width:
                kind = _cell_kind(texts)
                seen[column][kind] = seen[column].get(kind, 0) + 1
    kinds: list[str | None] = []
    for counts in seen:
        kind = max(counts, key=lambda k: counts[k]) if counts else None
        clear = (
            kind is not None and counts[kind] >= 2 and counts[kind] * 3 >= 2 * sum(counts.values())
        )
        kinds.append(kind if clear else None)
    return kinds


def _cell_kind(texts: list[str]) -> str:
    if len(texts) == 1 and texts[0] in _MARKS:
        return "mark"
    if len(texts) == 1 and _NUMBER.match(texts[0]):
        return "rate" if "%" in texts[0] or "," in texts[0] else "count"
    return "text"


def _line_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float] | None:
    """Least squares ``y = a·x + b`` and the sum of absolute residuals."""
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    a = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    b = mean_y - a * mean_x
    return a, b, sum(abs(a * x + b - y) for x, y in zip(xs, ys, strict=True))


def _clean_cut_under(
    lo: float, left: list[Any], right: list[Any], words: list[Word], fallback: float
) -> float:
    """Where no body word is cut, from ``lo`` (the last cut) to the end of the right
    header cell (a narrow, centred header over text set flush left, as text converters
    print it), nearest the gap between the two cells; ``fallback`` when there is none."""
    hi = right[1]
    step = (hi - lo) / 80
    clean = [
        lo + step * k
        for k in range(81)
        if not any(w["x0"] < lo + step * k < w["x1"] for w in words)
    ]
    runs = [r for r in _runs(clean, step=step) if r[1] - r[0] >= _COLUMN_GAP]  # not a space
    if not runs:
        return fallback
    gap = (left[1] + right[0]) / 2
    nearest = min(runs, key=lambda r: min(abs(r[0] - gap), abs(r[1] - gap)))
    return (nearest[0] + nearest[1]) / 2


def _runs(xs: list[float], step: float) -> list[tuple[float, float]]:
    runs: list[tuple[float, float]] = []
    for x in xs:
        if runs and x - runs[-1][1] <= step * 1.5:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


def build_grid(header: list[Line], body: list[Line]) -> tuple[Grid, GridLayout] | None:
    columns, parents = header_to_columns(header)
    if len(columns) < 4 or not any(_NUMBER.match(w["text"]) for line in body for w in line.words):
        return None  # no count or item number yet (a group row at most): no body
    body_words = [w for line in body for w in line.words]
    on_text_grid = _on_text_grid(body)
    separators = columns_to_separators(columns, body_words, on_text_grid)
    width = len(columns)
    leaf_row = [clean_text(" ".join(t for _, _, t in sorted(c[2]))) for c in columns]
    if on_text_grid:  # text: the body's cuts need not fit the header
        spans = [(c[0] - _CENTRE_TOLERANCE, c[1] + _CENTRE_TOLERANCE) for c in columns]
    else:
        spans = [(_left(i, separators), _right(i, separators)) for i in range(width)]
    parent_row = [
        clean_text(" ".join(p[2] for p in sorted(parents, key=lambda p: p[3])
                            if p[0] < spans[i][1] and p[1] > spans[i][0]))
        for i in range(width)
    ]  # fmt: skip
    header_rows = [parent_row, leaf_row] if any(parent_row) else [leaf_row]
    votes = _token_votes(body, separators)
    compact = _compact(votes)
    body_rows = words_to_rows(body, separators, compact, width, columns)
    if not body_rows:
        return None
    x0 = min(w["x0"] for line in [*header, *body] for w in line.words)
    x1 = max(w["x1"] for line in [*header, *body] for w in line.words)
    bbox = (x0, header[0].top, x1, body[-1].bottom)
    layout = GridLayout(
        separators, compact, width, x0, x1, columns=columns, header_words=_header_words(header),
        kinds=_column_kinds(body, separators, width), token_votes=votes,
    )  # fmt: skip
    return Grid(bbox, header_rows + body_rows, "words"), layout


def _token_votes(body: list[Line], separators: list[float]) -> TokenVotes:
    """Per column, the body lines holding one token there (a count, rate, mark or item
    number) and the lines holding anything there."""
    votes: TokenVotes = {}
    for line in body:
        by_column: dict[int, list[str]] = {}
        for word in line.words:
            by_column.setdefault(_column_of(word, separators), []).append(word["text"])
        for column, texts in by_column.items():
            hits, seen = votes.get(column, (0, 0))
            one_token = len(texts) == 1 and bool(_TOKEN.match(texts[0]))
            votes[column] = (hits + one_token, seen + 1)
    return votes


def _compact(votes: TokenVotes) -> set[int]:
    """Columns of one-token cells (counts, rates, marks, item numbers): row anchors."""
    return {column for column, (hits, seen) in votes.items() if hits >= _COMPACT_SHARE * seen}


def _pooled(before: TokenVotes, after: TokenVotes) -> TokenVotes:
    """The votes of a table's pages together: a page whose few rows are all "Không thuộc
    thẩm quyền" says little about which columns hold counts."""
    pooled = dict(before)
    for column, (hits, seen) in after.items():
        old_hits, old_seen = pooled.get(column, (0, 0))
        pooled[column] = (old_hits + hits, old_seen + seen)
    return pooled


def _left(index: int, separators: list[float]) -> float:
    return separators[index - 1] if index > 0 else float("-inf")


def _right(index: int, separators: list[float]) -> float:
    return separators[index] if index < len(separators) else float("inf")


def _column_of(word: Word, separators: list[float]) -> int:
    center = (word["x0"] + word["x1"]) / 2
    return sum(1 for s in separators if center > s)


def words_to_rows(
    body: list[Line],
    separators: list[float],
    compact: set[int],
    width: int,
    columns: list[list[Any]] | None = None,
    mark_centres: dict[int, float] | None = None,
) -> list[list[str]]:
    """Body lines → grid rows, one per anchor line. On text laid out with spaces a lone
    mark ("x" under "Đã kết nối (x)") goes to the mark column whose header it sits under
    (``mark_centres``, else the header's own): narrow columns of marks are where the body's
    and the header's positions differ most."""
    fragments: list[tuple[float, int, list[Word]]] = []  # (top, column, words)
    anchors: list[float] = []
    marked: list[tuple[float, bool]] = []  # lines with a connection mark: (top, anchor?)
    marks: dict[int, float] = {}
    if columns and _on_text_grid(body):
        marks = mark_centres if mark_centres is not None else _mark_columns(columns)
    for line in body:
        by_column: dict[int, list[Word]] = {}
        for word in line.words:
            column = _column_of(word, separators)
            if marks and word["text"] in _MARKS:
                centre = (word["x0"] + word["x1"]) / 2
                column = min(marks, key=lambda c: abs(marks[c] - centre))
            by_column.setdefault(column, []).append(word)
        anchor = _is_anchor(by_column, compact) or _is_total_line(line)
        if anchor:
            anchors.append(line.top)
        if _holds_mark(by_column, compact):
            marked.append((line.top, anchor))
        fragments.extend((line.top, column, words) for column, words in by_column.items())
    if not anchors:
        return []
    fragments = _words_out_of_count_columns(fragments, compact, min(anchors))
    anchors = sorted(anchors + _mark_anchors(marked))
    # Rows with no count (an inter-agency component, a group) get an anchor of their own
    # from their name cell: at its middle where cells are centred, at its top otherwise.
    slack = max(line.snap for line in body)
    name_column = _name_column(fragments, compact)
    blocks = _anchorless_blocks(fragments, name_column, anchors, body if slack else None)
    centred = sorted(anchors + [(b[0] + b[-1]) / 2 for b in blocks])
    topped = sorted(anchors + [b[0] for b in blocks])
    # a free row for a cell continued from the last page, unless the name column opens
    # with a row: then lines above it are the upper halves of that row's centred cells
    name_lines = sorted((f[0], f[2][0]["text"]) for f in fragments if f[1] == name_column)
    free_row = not name_lines or (
        name_lines[0][0] < topped[0] - _SAME_LINE and not _starts_a_row(name_lines[0][1], 0)
    )
    # other columns' cells carried over may show where the name's did not: "cấp xã" over
    # the first row's "UBND" ends the agency cell of the last page's row
    tails = {} if free_row else _page_top_tails(fragments, {name_column, *compact}, topped[0])
    if free_row or tails:
        centred.insert(0, body[0].top - 1000.0)
        topped.insert(0, body[0].top - 1000.0)
    cells: list[list[list[tuple[float, float, str]]]] = [
        [[] for _ in range(width)] for _ in centred
    ]
    for column in range(width):
        pieces = sorted((f for f in fragments if f[1] == column), key=lambda f: f[0])
        tops = [top for top, _, _ in pieces]
        if tails:  # row 0 takes the tails alone
            cut = tails.get(column, 0)
            rest = tops[cut:]
            found = _centred_rows(rest, centred[1:], slack, False) or [
                _above(topped[1:], t) for t in rest
            ]
            rows = [0] * cut + [row + 1 for row in found]
        else:
            rows = _centred_rows(tops, centred, slack, free_row) or [
                _above(topped, t) for t in tops
            ]
        for (top, _, words), row in zip(pieces, rows, strict=True):
            cells[row][column].extend((top, w["x0"], w["text"]) for w in words)
    if free_row and not any(cells[0]):
        cells.pop(0)
    empty = {c for c in range(width) if not any(row_cells[c] for row_cells in cells)}
    for row_cells in cells:
        _two_counts_apart(row_cells, compact, empty)
    return [[clean_text(_cell_text(cell)) for cell in row] for row in cells]


def _two_counts_apart(
    cells: list[list[tuple[float, float, str]]], compact: set[int], empty: set[int]
) -> None:
    """Two counts on one line of a cell beside an empty cell of a count column, or of a
    column empty in every row ("1.360 80" | ""): the columns were cut a little off
    (a page's header repeated over two rows sets them by few words), and the right one
    is the neighbour's, or the left one. In place."""
    for column, words in enumerate(cells):
        if len(words) != 2 or abs(words[0][0] - words[1][0]) > _SAME_LINE:
            continue
        if not all(_NUMBER.match(text) for _, _, text in words):
            continue
        left, right = sorted(words, key=lambda word: word[1])
        right_free = column + 1 < len(cells) and not cells[column + 1]
        if right_free and column + 1 in compact | empty:
            cells[column], cells[column + 1] = [left], [right]
        elif column > 0 and not cells[column - 1] and column - 1 in compact | empty:
            cells[column - 1], cells[column] = [left], [right]


def _words_out_of_count_columns(
    fragments: list[tuple[float, int, list[Word]]], compact: set[int], first_anchor: float
) -> list[tuple[float, int, list[Word]]]:
    """Words in lower case above a page's first row that stand in a count column (the
    converter set the page's columns anew: "xã" ending the agency of the last page's row
    over this page's totals) go to the nearest text column on their left."""
    out = []
    for top, column, words in fragments:
        if (
            top < first_anchor - _SAME_LINE
            and column in compact
            and words[0]["text"][:1].islower()
            and not any(_TOKEN.match(w["text"]) for w in words)
        ):
            column = next((c for c in range(column - 1, -1, -1) if c not in compact), column)
        out.append((top, column, words))
    return out


def _page_top_tails(
    fragments: list[tuple[float, int, list[Word]]], skipped: set[int | None], first_anchor: float
) -> dict[int, int]:
    """Per text column, the lines above a page's first row that end a cell of the last
    page's row: they open in lower case, and a line opening in capitals follows them
    above the row (the first row's own cell, centred round its line)."""
    tails: dict[int, int] = {}
    for column in {f[1] for f in fragments} - skipped:
        above = sorted(
            (top, min(words, key=lambda w: w["x0"])["text"])
            for top, c, words in fragments
            if c == column and top < first_anchor - _SAME_LINE
        )
        count = 0
        while count < len(above) and above[count][1][:1].islower():
            count += 1
        if 0 < count < len(above) and above[count][1][:1].isupper():
            tails[column] = count
    return tails


def _cell_text(pieces: list[tuple[float, float, str]]) -> str:
    """A cell's words in reading order, its lines apart."""
    text = ""
    previous_top = None
    for top, _, word in sorted(pieces):
        if previous_top is not None:
            text += "\n" if top - previous_top > _SAME_LINE else " "
        text, previous_top = text + word, top
    return text


_MARKS = {"x", "X", "✓", "✔"}


def _mark_columns(columns: list[list[Any]]) -> dict[int, float]:
    """Header centres of the columns whose header asks for a mark ("… (x)", "Đã kết nối",
    "Chưa kết nối"), when there are two or more of them."""
    found = {}
    for index, column in enumerate(columns):
        x0, x1, text = column[0], column[1], _header_text(column)
        if "(x)" in text or re.match(r"^(da|chua) ket noi", ascii_key(text)):
            found[index] = (x0 + x1) / 2
    return found if len(found) >= 2 else {}


def _page_mark_columns(
    body: list[Line], strips: list[float], layout: GridLayout, marks: dict[int, float]
) -> tuple[dict[int, float], dict[str, str]] | None:
    """The mark columns' centres on a page of text laid out with spaces, and a doubt.
    Where the page sets its marks at as many places as there are mark columns, the
    places in order are the columns in order (the converter may have set the page's
    columns anew, off the last page's scale). Where it sets them at one place and its
    columns anew (its clear strips are not the last page's, one fewer at least), an
    empty column took no room: the marks sit beside the names whichever column they
    stood in, and are read as *Đã kết nối*, with a doubt. Else None: the header page's
    centres hold, moved with the page's columns (``_marks_moved``)."""
    centres = sorted(
        (w["x0"] + w["x1"]) / 2 for ln in body for w in ln.words if w["text"] in _MARKS
    )
    if not centres:
        return None
    places = [[centres[0]]]
    for centre in centres[1:]:
        if centre - places[-1][-1] > _CENTRE_TOLERANCE:
            places.append([])
        places[-1].append(centre)
    if len(places) == len(marks):
        return {c: median(p) for c, p in zip(sorted(marks), places, strict=True)}, {}
    kept = all(any(abs(s - old) <= _CENTRE_TOLERANCE for old in layout.separators) for s in strips)
    if len(places) > 1 or not strips or len(strips) >= len(layout.separators) or kept:
        return None
    connected = next(
        (c for c in marks if ascii_key(_header_text(layout.columns[c])).startswith("da ")),
        min(marks),
    )
    doubt = connection_ambiguous(
        "the converter set this page's columns anew, one of them empty, so the text no "
        f"longer shows which column its {len(centres)} marks stood in"
    )
    return {connected: places[0][0]}, doubt


def _header_text(column: list[Any]) -> str:
    return " ".join(t for _, _, t in column[2])


def _marks_moved(
    marks: dict[int, float], before: list[float], after: list[float]
) -> dict[int, float]:
    """Mark-column centres carried to a page whose columns were set apart on their own:
    the same place within the span of the mark columns (text converters lay each page
    out anew, so a page's columns sit a few characters off the last page's)."""
    if not marks or len(before) != len(after):
        return marks
    first, last = min(marks), max(marks)
    left0, right0 = _left(first, before), _right(last, before)
    left1, right1 = _left(first, after), _right(last, after)
    if not all(map(isfinite, (left0, right0, left1, right1))) or right0 <= left0:
        return marks
    scale = (right1 - left1) / (right0 - left0)
    return {c: left1 + (x - left0) * scale for c, x in marks.items()}


def _is_total_line(line: Line) -> bool:
    """The name of a totals row, alone on its line or opening it."""
    return bool(_TOTAL_LINE.match(ascii_key(" ".join(w["text"] for w in line.words))))


def _is_anchor(by_column: dict[int, list[Word]], compact: set[int]) -> bool:
    """A line that starts a row: it has the item number (the first one-token column) or
    counts in two such columns. One lone count is the wrapped end of a cell above it
    ("100,00" over "%" in a narrow rate column), and words are no count: "Chưa" over
    "100,00", or "kết nối" beside "%", are the wrapped halves of a row's cells."""
    if not compact:
        return False
    hits = [column for column in by_column if column in compact]
    counts = [c for c in hits if any(_NUMBER.match(w["text"]) for w in by_column[c])]
    return min(compact) in hits or len(counts) >= 2


def _holds_mark(by_column: dict[int, list[Word]], compact: set[int]) -> bool:
    """The line holds a connection cell whole: a mark, or a wording opening a cell
    ("Chưa", "Đã kết nối"; a note's wrapped "chưa" is none) alone in its column."""
    return any(
        any(w["text"] in _MARKS for w in words) if column in compact
        else _is_connection_cell(" ".join(w["text"] for w in words))
        for column, words in by_column.items()
    )  # fmt: skip


def _is_connection_cell(text: str) -> bool:
    return text[:1].isupper() and bool(WHOLE_CONNECTION.match(ascii_key(text)))


def _mark_anchors(marked: list[tuple[float, bool]]) -> list[float]:
    """Lines holding a connection mark and no count, as rows of their own: a liên thông
    component printed with its name, agency and mark only. Only where this table sets its
    marks on its rows' count lines (most marked lines are anchors already); where marks
    sit apart from the counts, a mark line is part of the row around it."""
    alone = [top for top, anchor in marked if not anchor]
    return alone if len(marked) - len(alone) > len(alone) else []


def _anchorless_blocks(
    fragments: list[tuple[float, int, list[Word]]],
    name_column: int | None,
    anchors: list[float],
    text_lines: list[Line] | None = None,
) -> list[list[float]]:
    """Line tops of the name cells that hold no anchor line.

    ``name_column`` is the text column with the most text left of the last count
    column (``_name_column``). Its lines fall into blocks, one per cell, split
    where the gap between lines is clearly wider than the step of wrapped lines (in text, where
    a blank line parts them). A block below the first anchor with no anchor line inside is a
    row of its own.
    """
    if name_column is None:
        return []
    lines = [f for f in fragments if f[1] == name_column]
    tops = sorted({round(f[0], 1) for f in lines})
    steps = [b - a for a, b in pairwise(tops) if b - a > _SAME_LINE]
    if not steps:
        return []
    # the step between wrapped lines of one cell: the smallest seen, or what the font
    # size gives when no name wraps
    font_size = median(w["bottom"] - w["top"] for f in lines for w in f[2])
    line_step = min(min(steps), _LINE_SPACING * font_size)
    blocks: list[list[float]] = [[tops[0]]]
    filled = {round(line.top, 1) for line in text_lines or []}
    if text_lines is not None:  # text: lines stand on a grid, one pitch apart
        pitch = min((b - a for a, b in pairwise(sorted(filled)) if b - a > _SAME_LINE), default=0)
        line_step = pitch or line_step
    for previous, top in pairwise(tops):
        if text_lines is not None:  # text: other cells' lines interleave; a blank line parts
            apart = any(round(t, 1) not in filled for t in _pitches(previous, top, line_step))
        else:
            apart = top - previous > _BLOCK_GAP * line_step
        if apart:
            blocks.append([top])
        else:
            blocks[-1].append(top)
    blocks = _headings_apart(blocks, fragments, name_column)
    blocks = _components_apart(blocks, fragments, name_column)
    first_words = {
        round(f[0], 1): f[2][0]["text"]
        for f in sorted(lines, key=lambda f: f[2][0]["x0"], reverse=True)
    }
    return [
        block
        for index, block in enumerate(blocks)
        if (block[0] > anchors[0] + _SAME_LINE or _starts_a_row(first_words[block[0]], index))
        and not any(_holds_anchor(block, a, tops, line_step) for a in anchors)
    ]


def _holds_anchor(block: list[float], anchor: float, tops: list[float], step: float) -> bool:
    """The anchor line is within the block, or right under it with no name text of its
    own: the name above is its row's, centred on lines a page break cut."""
    if block[0] - _SAME_LINE <= anchor <= block[-1] + _SAME_LINE:
        return True
    return 0 < anchor - block[-1] <= step + _SAME_LINE and not any(
        abs(anchor - top) <= _SAME_LINE for top in tops
    )


_HEADING_LINES = 4  # a group heading with its aside in brackets, wrapped


def _headings_apart(
    blocks: list[list[float]], fragments: list[tuple[float, int, list[Word]]], name_column: int
) -> list[list[float]]:
    """A block that opens with an agency's name alone on its line ("Công an tỉnh"), the
    next row's name right under it: a group row, then that row (text converters leave no
    blank line between them)."""
    texts = _name_column_lines(fragments, name_column)
    crowded = {round(top, 1) for top, column, _ in fragments if column != name_column}
    apart: list[list[float]] = []
    for block in blocks:
        head = _line_text(texts[block[0]])
        size = 1  # lines of the heading: its aside in brackets may wrap ("…số" / "1523/…)")
        while (
            head.count("(") > head.count(")")
            and size < min(len(block), _HEADING_LINES)
            and block[size] not in crowded
        ):
            head, size = f"{head} {_line_text(texts[block[size]])}", size + 1
        if head.count("(") > head.count(")") and size < len(block):
            head, size = _line_text(texts[block[0]]), 1  # no closing bracket: no aside
        # (an aside the page cut before its bracket closed is the heading's, whole)
        following = texts[block[size]][0]["text"] if len(block) > size else ""
        if (
            not any(top in crowded for top in block[:size])
            and names_an_agency(head)
            and following[:1].isupper()
        ):
            apart.extend([block[:size], block[size:]])
        else:
            apart.append(block)
    return apart


def _components_apart(
    blocks: list[list[float]], fragments: list[tuple[float, int, list[Word]]], name_column: int
) -> list[list[float]]:
    """A block that runs on past a liên thông parent's name into lines worded as one of
    the catalogue's components ("Đăng ký thường trú", or "Cấp thẻ … cho trẻ dưới" / "6
    tuổi"), or that opens with such a component (carried over a page break) and runs on
    into the next row's name, with no blank line between them: the component's lines are
    a block of their own, and so are the lines after them."""
    texts = _name_column_lines(fragments, name_column)
    apart: list[list[float]] = []
    for block in blocks:
        lines = [_line_text(texts[top]) for top in block]
        cuts: set[int] = set()
        for index in range(len(block)):
            size = _component_lines(lines, index)
            if not size or any(
                _CONTINUED.search(line) for line in lines[max(index - 1, 0) : index + 1]
            ):
                continue  # "Liên thông đăng ký khai tử -" / "Xóa đăng ký thường trú -": one name
            if index == 0 or "lien thong" in plain_key(" ".join(lines[:index])):
                cuts |= {index, index + size}
        for start, end in pairwise([0, *sorted(cuts - {0, len(block)}), len(block)]):
            apart.append(block[start:end])
    return apart


def _component_lines(lines: list[str], index: int) -> int:
    """How many lines from ``index`` (one or two) word a catalogue component; 0 if none."""
    for size in (1, 2):
        if index + size <= len(lines) and is_component_name(" ".join(lines[index : index + size])):
            return size
    return 0


def _name_column_lines(
    fragments: list[tuple[float, int, list[Word]]], name_column: int
) -> dict[float, list[Word]]:
    """The name column's words by line (its top, rounded as block tops are)."""
    texts: dict[float, list[Word]] = {}
    for top, column, words in fragments:
        if column == name_column:
            texts.setdefault(round(top, 1), []).extend(words)
    return texts


def _line_text(words: list[Word]) -> str:
    return " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))


def _name_column(fragments: list[tuple[float, int, list[Word]]], compact: set[int]) -> int | None:
    """The text column with the most text left of the last count column (an agency
    column may wrap to as many lines, never to as much text); where no text stands left
    of one (a page of rows with no counts, "Không thuộc thẩm quyền" or a mark alone, its
    item numbers its one count column), the text column with the most text."""
    text_columns = {
        f[1] for f in fragments if f[1] not in compact and f[1] < max(compact, default=0)
    }
    if not text_columns:  # no count right of any text (the item numbers its one count column)
        text_columns = {f[1] for f in fragments if f[1] not in compact}
    if not text_columns:
        return None
    return max(
        sorted(text_columns),
        key=lambda c: sum(len(w["text"]) for f in fragments if f[1] == c for w in f[2]),
    )


def _starts_a_row(first_word: str, index: int) -> bool:
    """Above a page's first numbered row, a name block is a row of its own (a component
    continued from the last page) when it is not the first block, or when it opens with a
    capital: a cell's wrapped tail carried over a page break opens in lower case."""
    return index > 0 or first_word[:1].isupper()


def _pitches(upper: float, lower: float, step: float) -> list[float]:
    """The line positions strictly between two lines of text on a grid of ``step``."""
    count = round((lower - upper) / step)
    return [upper + k * step for k in range(1, count)]


def _distance_sum(sums: list[float], tops: list[float], k: int, j: int, anchor: float) -> float:
    """Sum of |top - anchor| over ``tops[k:j]`` (sorted), from the prefix sums."""
    split = min(max(bisect_right(tops, anchor, k, j), k), j)
    below = anchor * (split - k) - (sums[split] - sums[k])
    above = (sums[j] - sums[split]) - anchor * (j - split)
    return below + above


def _centred_rows(
    tops: list[float], anchors: list[float], slack: float = 0.0, free_row: bool = True
) -> list[int] | None:
    """Rows of one column's lines when cells are vertically centred.

    The lines are cut into consecutive groups, one per row at most, so that each group's
    middle sits on its row's anchor line (dynamic programming over cut points); among
    splits as well centred, the one whose lines lie nearest their anchors wins. With
    ``free_row``, row 0 is the free row above the first anchor and costs nothing; the
    first and last real rows may be cut by a page break, so only inner rows must be
    centred. None when the column is not centred
    (text aligned to the top of its cells).
    """
    n, m = len(tops), len(anchors)
    if n == 0:
        return None
    inf = float("inf")
    first_real = 1 if free_row else 0
    steps = [b - a for a, b in pairwise(tops) if b - a > _SAME_LINE]
    tolerance = 0.35 * (median(steps) if steps else 12.0) + slack
    sums = [0.0, *accumulate(tops)]
    # A row never reaches past its neighbours' anchor lines: a group of lines k..j-1 may
    # belong to rows from ``first_row(j)`` to ``last_row(k)`` only (anchors are sorted).
    lows = [a + _SAME_LINE for a in anchors]
    highs = [a - _SAME_LINE for a in anchors]
    # best[j][i]: cost of the first j lines, the last group belonging to row i
    best = [[inf] * m for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(-1, -1)] * m for _ in range(n + 1)]
    # prefixes[k][i]: the cheapest way to end the first k lines in a row above i, and that row
    prefixes: list[tuple[list[float], list[int]]] = [([0.0] * m, [-1] * m)]
    for j in range(1, n + 1):
        if j > 1:  # best[j - 1] is complete: its prefix, once
            prefix, prefix_row, running, running_row = [inf] * m, [-1] * m, inf, -1
            for i in range(m):
                prefix[i], prefix_row[i] = running, running_row
                if best[j - 1][i] < running:
                    running, running_row = best[j - 1][i], i
            prefixes.append((prefix, prefix_row))
        first_row = max(bisect_right(highs, tops[j - 1]) - 1, 0)
        for k in range(j):
            last_row = min(bisect_left(lows, tops[k]), m - 1)
            if last_row < first_row:
                continue
            middle = (tops[k] + tops[j - 1]) / 2
            prefix, prefix_row = prefixes[k]
            for i in range(first_row, last_row + 1):
                off_centre = abs(middle - anchors[i])
                if off_centre > tolerance and first_real < i < m - 1:
                    continue  # inner rows are whole, so their text is centred on the anchor
                if i == m - 1 and i > first_real:  # cut by the page's end, the last row
                    off_centre = max(middle - anchors[i], 0.0)  # shows its upper lines only
                spread = _SPREAD_WEIGHT * _distance_sum(sums, tops, k, j, anchors[i])
                cost = prefix[i] + (0.0 if i < first_real else off_centre + spread)
                if cost < best[j][i]:
                    best[j][i], back[j][i] = cost, (k, prefix_row[i])
    rows = [0] * n
    j, i = n, min(range(m), key=lambda r: best[n][r])
    if best[n][i] == inf:
        return None
    while j > 0:
        k, previous = back[j][i]
        for line in range(k, j):
            rows[line] = i
        j, i = k, previous
    return rows


def _above(anchors: list[float], top: float) -> int:
    above = [i for i, a in enumerate(anchors) if a <= top + _SAME_LINE]
    return above[-1] if above else 0
