"""Text laid out in columns with spaces (``pdftotext -layout`` and the like).

Such text keeps each table row's cells at their printed horizontal place, so every word
gets a position — its character column and line — and the page goes through the same
borderless rebuild as a PDF page's words (``borderless.lines_to_tables``). There is no
font, so a header line is one that holds no count.
"""

from __future__ import annotations

import itertools
import re

from dean06.extract.borderless import GridLayout, Line, lines_to_tables
from dean06.extract.row_runs import DECIMAL_RATE, WRAP_REACH, LayoutHint
from dean06.normalize.numbers import is_cut_count, join_cut_count
from dean06.normalize.text import ascii_key, clean_text
from dean06.schemas import Table, TextBlock

# One character is this wide, one line this tall: a single space stays inside a phrase
# (the rebuild joins words closer than 4.5) and two spaces part the cells.
CHAR_WIDTH = 4.0
LINE_PITCH = 12.0
FONT_HEIGHT = 10.0
_CAPTION_LINES = 3
_WORD = re.compile(r"\S+")
_COUNT = re.compile(r"^\(?\d[\d.,]*%?\)?[.,;]?$")
_CELL_GAP = re.compile(r"\S\s{2,}\S")
_CELL_SPLIT = re.compile(r"\s{2,}")
_CELL = re.compile(r"\S+(?: \S+)*")  # words apart by one space: one cell
_TITLE = re.compile(r"(PHỤ LỤC|Phụ lục|BIỂU|Biểu)\b")
_MARK = re.compile(r"^[xX✓✔]$")
_TAIL_SLACK = 2  # characters a wrapped piece stands off its head's edges
_MIN_SIDE_GAP = 3  # characters between the marks of the "Đã" and the "Chưa" column
_MAX_SIDE_SPREAD = 2  # characters the marks of one column stray
_HEADER_SPREAD = 4  # lines a header's stacked "Đã kết nối" and "Chưa kết nối" lie apart


def is_layout_text(pages: list[list[str]]) -> bool:
    """Columns aligned by spaces: several lines hold three or more cells apart."""
    aligned = sum(
        1 for lines in pages for line in lines if len(_CELL_GAP.findall(line.strip())) >= 2
    )
    return aligned >= 4


def collapse_spacing(lines: list[str]) -> tuple[list[str], list[LayoutHint]]:
    """The page's lines as a plain converter gives them: a line holding a count with its
    cells run together, a line without one broken into its cells, one per line. Beside
    each, what only the spacing told of it and collapsing loses (``LayoutHint``): the
    side of the connection mark it holds (``mark_sides``), whether a wrapped piece
    stands right of where the counts start (a note's words, not a name's), and where
    each word of a line of counts stood."""
    sides = mark_sides(lines)
    counts_from = _counts_column(lines)
    out: list[str] = []
    hints: list[LayoutHint] = []
    for index, line in enumerate(lines):
        line = line.expandtabs(8)
        if _holds_count_cell(line):
            out.append(" ".join(cell for cell in _CELL_SPLIT.split(line.strip()) if cell))
            spans = tuple((m.start(), m.end()) for m in _WORD.finditer(line))
            hints.append(LayoutHint(mark_side=sides.get(index, ""), spans=spans))
            continue
        for cell in _CELL.finditer(line):
            out.append(cell.group(0))
            if _MARK.match(cell.group(0)):
                hints.append(LayoutHint(mark_side=sides.get(index, "")))
            else:  # a wrapped word right of the counts: the note column's, not a name's
                spans = tuple(
                    (cell.start() + m.start(), cell.start() + m.end())
                    for m in _WORD.finditer(cell.group(0))
                )
                hints.append(LayoutHint(beside_counts=cell.start() > counts_from, spans=spans))
    return out, hints


def _holds_count_cell(line: str) -> bool:
    """A cell of the line opens with a count (an item number, a count): a table row's
    line. A number inside a cell's text ("(ngoài 02") or opening a name's wrapped words
    ("6 tuổi") is the text's."""
    for cell in _CELL.finditer(line):
        words = cell.group(0).split()
        if _COUNT.match(words[0]) and not (len(words) > 1 and words[1][:1].islower()):
            return True  # not "6 tuổi": a name's wrapped words
    return False


def _counts_column(lines: list[str]) -> float:
    """Where the page's count columns start: the leftmost count cell on its table lines
    of three count cells or more, the item number that opens a line aside (infinity on a
    page without such lines)."""
    starts = [
        min(counts)
        for line in lines
        if len(_CELL_GAP.findall(line.strip())) >= 3
        and len(counts := [m.start() for m in list(_CELL.finditer(line.expandtabs(8)))[1:]
                           if _COUNT.match(m.group(0))]) >= 3
    ]  # fmt: skip
    return min(starts, default=float("inf"))


def mark_sides(lines: list[str]) -> dict[int, str]:
    """For each line holding one lone connection mark ("x", "✓"), the column it stands
    in: "yes" (*Đã kết nối*) or "no" (*Chưa kết nối*). A converter sets each page's
    columns on its own, and each table's on a page with two, so the marks of one table
    on one page are read together: in two columns, the left one is *Đã*, the right one
    *Chưa* (the order every report prints them in); in one, the header word of the page
    it stands under, if the page prints that table's header."""
    word_lines = [
        [(m.start(), ascii_key(m.group(0)), m.group(0)) for m in _WORD.finditer(line.expandtabs(8))]
        for line in lines
    ]
    sides: dict[int, str] = {}
    for start, end, header in _mark_header_spans(word_lines):
        sides |= _sides_of_marks(word_lines, start, end, header)
    return sides


def _sides_of_marks(
    word_lines: list[list[tuple[int, str, str]]], start: int, end: int, header: dict[str, int]
) -> dict[int, str]:
    """``mark_sides`` for lines ``start``..``end`` of a page, one table's, whose header
    (if printed there) has its mark columns at ``header``."""
    marks: dict[int, int] = {}
    for index in range(start, end):
        found = [column for column, _, word in word_lines[index] if _MARK.match(word)]
        if len(found) == 1:
            marks[index] = found[0]
    columns = sorted(set(marks.values()))
    if not columns:
        return {}
    gaps = [(b - a, a) for a, b in itertools.pairwise(columns)]
    widest = max(gaps, default=(0, 0))
    if widest[0] >= _MIN_SIDE_GAP:
        cut = widest[1]
        left = [c for c in columns if c <= cut]
        right = [c for c in columns if c > cut]
        if max(left) - min(left) > _MAX_SIDE_SPREAD or max(right) - min(right) > _MAX_SIDE_SPREAD:
            return {}  # marks of more than two columns: unsure
        return {index: "yes" if column <= cut else "no" for index, column in marks.items()}
    if header and columns[-1] - columns[0] <= _MAX_SIDE_SPREAD:
        middle = (columns[0] + columns[-1]) / 2
        side = min(header, key=lambda name: abs(header[name] - middle))
        return dict.fromkeys(marks, side)
    return {}


def _mark_header_spans(
    word_lines: list[list[tuple[int, str, str]]],
) -> list[tuple[int, int, dict[str, int]]]:
    """The page cut at each header that prints "Đã kết nối" and "Chưa kết nối" ("yes"
    and "no"): (first line, line after the last, the header's mark columns), the first
    span with no header when the page opens with a table continued from the last."""
    cuts: list[tuple[int, dict[str, int]]] = [(0, {})]
    found: dict[str, tuple[int, int]] = {}
    for index, words in enumerate(word_lines):
        for position, (column, key, _) in enumerate(words):
            side = {"da": "yes", "chua": "no"}.get(key)
            if side and _followed_by_ket(word_lines, index, position):
                found[side] = (index, column)
        if len(found) == 2 and abs(found["yes"][0] - found["no"][0]) <= _HEADER_SPREAD:
            first = min(found["yes"][0], found["no"][0])
            header = {side: column for side, (_, column) in found.items()}
            if first > cuts[-1][0]:
                cuts.append((first, header))
            else:  # the same header, its stacked words read further down
                cuts[-1] = (cuts[-1][0], header)
            found = {}
    ends = [start for start, _ in cuts[1:]] + [len(word_lines)]
    return [(start, end, header) for (start, header), end in zip(cuts, ends, strict=True)]


def _followed_by_ket(word_lines: list[list[tuple[int, str, str]]], index: int, at: int) -> bool:
    """The word at ``at`` of line ``index`` goes on with "kết": next on its line, or
    stacked under it on one of the next lines."""
    words = word_lines[index]
    if at + 1 < len(words) and words[at + 1][1] == "ket":
        return True
    column = words[at][0]
    return any(
        key == "ket" and abs(start - column) <= _MAX_SIDE_SPREAD + 1
        for below in word_lines[index + 1 : index + 1 + _HEADER_SPREAD]
        for start, key, _ in below
    )


def join_cut_counts(lines: list[str]) -> list[str]:
    """A page's lines with each count a narrow cell wrapped inside its last group
    ("302.36" over "Tổng cộng", "3" under it) put back whole on the line between, at its
    column (on its own line when no line stands between); the pieces' lines blanked, so
    no line moves."""
    out = [line.expandtabs(8) for line in lines]
    for index, line in enumerate(out):
        heads = list(_WORD.finditer(line))
        if not heads or not all(is_cut_count(m.group(0)) for m in heads):
            continue
        for below in range(index + 1, min(index + 1 + WRAP_REACH, len(out))):
            tails = list(_WORD.finditer(out[below]))
            joined = [
                join_cut_count(h.group(0), t.group(0)) if _under(t, h) else None
                for h, t in zip(heads, tails, strict=False)
            ]
            if len(tails) != len(heads) or None in joined:
                continue
            target = below - 1
            placed = out[target] if target > index else ""
            for head, count in zip(heads, [c for c in joined if c is not None], strict=True):
                end = head.start() + len(count)
                if placed[max(head.start() - 1, 0) : end + 2].strip():
                    break  # the line between has text there: not a count's place
                placed = f"{placed:<{end}}"
                placed = placed[: head.start()] + count + placed[end:]
            else:
                out[index], out[below], out[target] = "", "", placed
            break
    return out


def join_wrapped_rates(lines: list[str]) -> list[str]:
    """A page's lines with each rate a narrow cell wrapped after its number ("100,00"
    over the row's line, "%" under it) put back whole on the row's line, at its column,
    when the row's line is blank there; the pieces blanked, so no line moves."""
    out = list(lines)
    for index in range(2, len(out)):
        row, above = index - 1, index - 2
        for sign in [m for m in _WORD.finditer(out[index]) if m.group(0) == "%"]:
            number = next((m for m in _WORD.finditer(out[above]) if _under(sign, m)), None)
            if number is None or not DECIMAL_RATE.fullmatch(number.group(0)):
                continue
            start, end = number.start(), number.end()
            if out[row][max(start - 1, 0) : end + 2].strip():
                continue  # the row's line has text there: not one cell
            placed = f"{out[row]:<{end + 1}}"
            out[row] = placed[:start] + number.group(0) + "%" + placed[end + 1 :]
            out[above] = out[above][:start] + " " * (end - start) + out[above][end:]
            out[index] = out[index][: sign.start()] + " " + out[index][sign.end() :]
    return out


def _under(tail: re.Match[str], head: re.Match[str]) -> bool:
    """A wrapped piece set under its head, left or right aligned."""
    return head.start() - _TAIL_SLACK <= tail.start() and tail.end() <= head.end() + _TAIL_SLACK


def text_to_lines(lines: list[str]) -> list[Line]:
    """Positioned words of a page's text lines (blank lines keep their height)."""
    out: list[Line] = []
    for index, text in enumerate(lines):
        top = index * LINE_PITCH
        words = [
            {
                "text": match.group(0),
                "x0": match.start() * CHAR_WIDTH,
                "x1": match.end() * CHAR_WIDTH,
                "top": top,
                "bottom": top + FONT_HEIGHT,
            }
            for match in _WORD.finditer(text.expandtabs(8))
        ]
        if words:
            # header-like: no count; a caption ("PHỤ LỤC … 25 DỊCH VỤ …") titles what follows
            bold = not any(_COUNT.match(w["text"]) for w in words) or bool(
                _TITLE.match(text.strip())
            )
            out.append(Line(top, top + FONT_HEIGHT, words, bold=bold, snap=LINE_PITCH / 2))
    return out


def layout_page_to_items(
    lines: list[str], page: int, previous: GridLayout | None
) -> tuple[list[TextBlock | Table], GridLayout | None]:
    """Prose and tables of one page of layout text, and the layout that ends it."""
    positioned = text_to_lines(lines)
    grids, layout = lines_to_tables(positioned, previous)
    items: list[TextBlock | Table] = []
    top = float("-inf")
    for grid in sorted(grids, key=lambda g: g.bbox[1]):
        above = _band_text(positioned, top, grid.bbox[1])
        if above:
            items.append(TextBlock(page=page, text=above))
        caption = " ".join(above.splitlines()[-_CAPTION_LINES:]) if above else ""
        engine = f"layout-{grid.engine}"
        items.append(Table(page=page, rows=grid.rows, caption=caption, engine=engine,
                           doubts=grid.doubts))  # fmt: skip
        top = grid.bbox[3]
    below = _band_text(positioned, top, float("inf"))
    if below:
        items.append(TextBlock(page=page, text=below))
        if layout is not None and not layout.pending_header and len(below.splitlines()) > 3:
            layout = None  # prose after the table: it does not go on
    return items, layout


def _band_text(lines: list[Line], top: float, bottom: float) -> str:
    """The prose lines strictly between two tables, one per line."""
    texts = [
        clean_text(" ".join(w["text"] for w in line.words))
        for line in lines
        if top < line.top and line.bottom < bottom + 0.5
    ]
    return "\n".join(t for t in texts if t)
