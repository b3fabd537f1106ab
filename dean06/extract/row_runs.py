"""Converter text with the spacing collapsed: DVC tables rebuilt as runs of row lines.

Plain converters keep no column positions: each printed line of a table arrives as its
cells' text run together, a wrapped cell continues on lines of its own ("Đã kết" …
"nối"), and a long name's tail may come after the line with the numbers. A row is
therefore anchored on what it always has — its item number and its run of counts:

1. ``lines_to_headers`` — a block of lines without counts naming an item column and
   counts ("STT", "Tổng", "Trực tuyến", …): the header, stacked however it was wrapped.
2. ``line_to_parts`` — a row line: item number, text, connection or "không thuộc thẩm
   quyền" phrase, the run of counts and marks, trailing note text.
3. ``runs_to_rows`` — the lines between two rows' number lines are the tail of one name
   and the head of the next; the split that makes both names read best against the
   catalogue wins (``name_score``, given by the pipeline), agency pieces left out.
4. ``rows_to_roles`` — which count is which column: the header says which roles exist,
   the report's own arithmetic (total = direct + online, rate = online / total, on time
   + overdue = online) picks the column order and the place of blank cells.

The grid comes back with a two-level header written in the words the header reader
knows, so column roles are read as for any other table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import combinations, permutations
from typing import Protocol

from dean06.catalog.catalogue import catalogue_wording, is_component_name, plain_key
from dean06.normalize.agencies import AGENCY_WORD, is_known_agency, names_an_agency
from dean06.normalize.numbers import is_cut_count, join_cut_count, parse_vn_int, parse_vn_percent
from dean06.normalize.rows import WHOLE_CONNECTION, connection_ambiguous, scheme_from_caption
from dean06.normalize.text import ascii_key, clean_text, drop_footnote_marks, vn_key
from dean06.schemas import Table


class NameScore(Protocol):
    """How well a printed name reads as a catalogue service (0–100), within ``scheme``
    when one is given (QD06, QD422)."""

    def __call__(self, text: str, scheme: str | None = None) -> float: ...


_ITEM = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?|[IVX]{1,4})[.)]?(?=\s|$)")
_TOKEN = re.compile(r"^(\d[\d.,]*%?|-|–|x|X|✓|✔)$")
_COUNT_LINE = re.compile(r"(?<![\w/])\d[\d.,]*%?(?![\w/])")
_HEADER_ITEM = re.compile(r"\b(stt|tt)\b")
_HEADER_COUNT = re.compile(r"\b(tong|truc tuyen|ty le|ti le|dung han|tiep nhan)\b")
_COUNT_WORD = re.compile(r"\b(tong|tuyen|le|dung|han|nhan)\b")
_CONNECTION = re.compile(
    r"(?:^|\s)((?:Đã|Chưa)(?: kết(?: nối)?| thực(?: hiện)?)?|Đang(?: kết(?: nối)?)?)$"
)
_NOT_APPLICABLE = re.compile(r"\s*(Không thuộc (?:thẩm quyền|phạm vi)[^\d]*|Không áp dụng)$")
_CAPTION = re.compile(r"^(phu luc|bieu|danh muc|\(kem theo|tu ngay)")
_CONNECTION_PIECE = re.compile(
    r"^(da|chua)( ket( noi)?| thuc( hien)?)?$|^dang( ket( noi)?)?$|^(ket )?noi( \(x\))?$|^\(x\)$"
)
_CONNECTION_WORDS = frozenset({"đã", "chưa", "đang", "kết", "nối", "thực", "hiện", "x"})
DECIMAL_RATE = re.compile(r"\d{1,3},\d{1,2}")  # a rate's number, its "%" wrapped away
_TOTAL_LINE = re.compile(r"^(tong cong|tong so|tong|cong)$")
_NUMERAL = re.compile(r"[IVX]{1,4}\.?")  # a group's roman numeral alone
# a connection cell no header opens with: the cell of a row above the header
_ROW_CONNECTION = re.compile(r"^(chua|(da|dang) thuc hien|dang ket noi)$")
_KET_NOI_CLOSINGS = frozenset({"ket noi", "noi"})  # a wrapped "… kết nối"'s last line
_CLOSING_REACH = 4  # lines of a row looked at for it: counts, name's and agency's pieces
_OPENINGS = frozenset({"da", "chua", "dang"})  # a connection wording's first word, alone
_CONNECTION_OPENING = re.compile(r"^(da|chua|dang) (ket|thuc)$")
_MARKS = frozenset({"x", "X", "✓", "✔"})
WRAP_REACH = 2  # lines from a count's cut-off head down to its tail (layout text too)
_MAX_PIECES = 8
_NAME_LEFT_OUT = 10.0  # of name score: a line reading as a name left out of both names
_NOTE_REPEATS = 3  # lines a note's piece comes back on
_NOTE_WORD_RUN = 4  # lines of one word each in a row: a note's, a word a line
_NAME_PHRASE_WORDS = 3  # a phrase this long found in catalogue names is a name's
_NOTE_READS_AS_NAME = 60.0  # a piece that reads this well as a service is a name's
_WHOLE_NAME = 90.0  # a line that reads as a catalogue name this well is one
_EXACT_NAME = 98.0  # … and word for word: an agency's words end no name read in part
_MISFITS_ALLOWED = 5  # one row in five may fit its columns worse than on its own
_LOWER_START = 2.0  # of name score (0–100): a lower-case piece rather ends the name above
# an unnumbered row (a component: a short name of its own) rarely goes on with a capital;
# with one, the name below would read whole: more than a partial match of the names gains
_CAPITAL_AFTER_COMPONENT = 15.0
# a sub-row ("- Đối với công dân ngoài tỉnh") qualifies its parent: a capital after it
# opens the next name, which a catalogue name inside it must not outweigh
_CAPITAL_AFTER_SUB_ROW = 40.0
_TAIL_GAIN = 3.0  # of name score: an agency's words that complete the name above
_COLUMN_SLACK = 2  # characters: a cell's text opens within this of its column (layout text)
_NAME_LINES_ABOVE = 4  # a first row's name wrapped above its number line, at most
_UNUSED_COLUMN = 4.0
_DIRECT_MARK = "<direct>"  # added to a header key that has a direct-dossier column
_MARK_COLUMNS = "<marks apart>"  # … that marks Đã and Chưa kết nối in two columns
_SERVICE_SCORE = 80.0  # the catalogue matcher's threshold
_HEADER_WORDS = frozenset(
    re.findall(
        r"\S+",
        "stt tt so thu tu ten dich vu cong thuc hanh chinh tthc dvc truc tuyen tiep co quan "
        "don vi hien chu tri ket noi voi cong quoc gia da chua x tong ho ty ti le dung han "
        "qua tre truoc kho khan vuong mac ghi chu de xuat tinh hinh xu ly giai quyet nhan bao "
        "gom ca va cac trong luong dang muc noi dung thoi gian % ve",
    )
)

# Header words the header reader classifies, per role.
_HEADER_TEXT = {
    "total": ("Số hồ sơ", "Tổng số"),
    "direct": ("Số hồ sơ", "Trực tiếp"),
    "online": ("Số hồ sơ", "Trực tuyến"),
    "rate": ("Số hồ sơ", "Tỷ lệ (%)"),
    "on_time": ("Hồ sơ trực tuyến", "Đúng hạn"),
    "overdue": ("Hồ sơ trực tuyến", "Quá hạn"),
    "on_time_direct": ("Hồ sơ trực tiếp", "Đúng hạn"),
    "overdue_direct": ("Hồ sơ trực tiếp", "Quá hạn"),
}
_COUNT_BLOCKS = (("total", "online"), ("total", "direct", "online"), ("total", "online", "direct"))
_RESULT_BLOCKS = (
    (),
    ("on_time", "overdue"),
    ("on_time_direct", "overdue_direct", "on_time", "overdue"),
    ("on_time", "overdue", "on_time_direct", "overdue_direct"),
)


@dataclass(frozen=True)
class LayoutHint:
    """What a line's spacing told of it in layout text, which its collapsed text no
    longer shows."""

    mark_side: str = ""  # the column its lone mark stood in: "yes" (Đã) or "no" (Chưa)
    beside_counts: bool = False  # a wrapped piece right of where the counts start
    spans: tuple[tuple[int, int], ...] = ()  # each word's character columns


@dataclass
class RowLine:
    """One printed line of a table body, cut into its parts."""

    page: int
    item: str = ""
    text: str = ""
    connection: str = ""
    not_applicable: str = ""
    tokens: list[str] = field(default_factory=list)
    note: str = ""
    mark_side: str = ""  # "no": the line's mark stood under "Chưa kết nối" (layout text)
    beside_counts: bool = False  # text right of the counts (layout text): a note's words
    token_spans: list[tuple[int, int]] = field(default_factory=list)  # layout text
    text_column: int | None = None  # where the text opens (layout text)

    @property
    def is_anchor(self) -> bool:
        return bool(self.item) or len(self.tokens) >= 2


@dataclass
class Row:
    page: int
    item: str
    name_pieces: list[str]
    connection: str
    not_applicable: str
    tokens: list[str]
    note: str
    agency: str = ""
    mark_side: str = ""
    token_spans: list[tuple[int, int]] = field(default_factory=list)
    wrapped_rate: str = ""  # "100,00" over the row's line and "%" under it


def _is_header_block(texts: list[str]) -> bool:
    """An item column and counts: two count phrases, or three of their words when the
    header's narrow cells were broken a word a line ("Tỷ lệ" / "trực" / … / "tuyến")."""
    key = ascii_key(" ".join(texts))
    if not _HEADER_ITEM.search(key):
        return False
    return len(set(_HEADER_COUNT.findall(key))) >= 2 or len(set(_COUNT_WORD.findall(key))) >= 3


def join_cut_counts_of_runs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Collapsed text with each count a narrow cell wrapped inside its last group put
    back whole: a line of nothing but cut-off counts ("302.36 225.91") and, within two
    lines below, one of as many digits that fill their last groups ("3 6"), the line
    between being the row's label ("Tổng cộng"): "Tổng cộng 302.363 225.916"."""
    out = list(lines)
    index = 0
    while index < len(out):
        if (joined := _joined_at(out, index)) is not None:
            text, end = joined
            out[index:end] = [(out[index][0], text)]
        index += 1
    return out


def _joined_at(lines: list[tuple[int, str]], index: int) -> tuple[str, int] | None:
    """The line ``lines[index]`` (cut-off counts) makes with its tail and the label
    between, and the index past the lines it took; None when it is not such a line."""
    page, text = lines[index]
    heads = text.split()
    if not heads or not all(is_cut_count(word) for word in heads):
        return None
    for below in range(index + 1, min(index + 1 + WRAP_REACH, len(lines))):
        tails = lines[below][1].split()
        joined = [join_cut_count(h, t) for h, t in zip(heads, tails, strict=False)]
        if lines[below][0] != page or len(tails) != len(heads) or None in joined:
            continue
        counts = [count for count in joined if count is not None]
        if below == index + 1:  # no label between
            return " ".join(counts), below + 1
        if lines[index + 1][0] == page and (placed := _into_label(lines[index + 1][1], counts)):
            return placed, below + 1
    return None


def _into_label(label: str, counts: list[str]) -> str | None:
    """The label line with the joined counts before its own counts when those are the
    smaller (a row's counts open with its total); None when nothing tells where they
    stand."""
    words = label.split()
    cut = len(words)
    while cut and _TOKEN.match(words[cut - 1]):
        cut -= 1
    own = [parse_vn_int(word) for word in words[cut:]]
    smallest = min(parse_vn_int(count) or 0 for count in counts)
    if any(_TOKEN.match(word) for word in words[:cut]) or any(
        value is None or value > smallest for value in own
    ):
        return None
    return " ".join([*words[:cut], *counts, *words[cut:]])


def row_run_tables(
    lines: list[tuple[int, str]], name_score: NameScore, hints: list[LayoutHint] | None = None
) -> list[tuple[Table, tuple[int, int]]]:
    """DVC tables of a document's lines (page, text), in order, each with the span of
    lines it was read from. ``hints``: per line, what its layout showed (layout text)."""
    tables: list[tuple[Table, tuple[int, int]]] = []
    index = 0
    carried: list[RowLine] = []  # a group's heading left under a header with no row yet
    while (found := lines_to_headers(lines, index)) is not None:
        start, end = found
        caption = " ".join(text for _, text in lines[max(0, start - 3) : start])
        header_key = ascii_key(" ".join(text for _, text in lines[start:end]))
        if _names_direct([text for _, text in lines[start:end]]):
            header_key += " " + _DIRECT_MARK
        if _names_mark_columns(text for _, text in lines[start:end]):
            header_key += " " + _MARK_COLUMNS
        body, index = _body(lines, end, hints)
        body, carried = [*carried, *body], []
        has_agency = bool(re.search(r"\b(co quan|don vi)\b", header_key)) or _names_agencies(body)
        scheme = scheme_from_caption(caption)  # names read against that catalogue only

        def scored(text: str, scheme: str | None = scheme) -> float:
            return name_score(text, scheme)

        rows = runs_to_rows(body, scored, has_agency)
        if body and all(_is_group_piece(line) for line in body):
            carried = body  # the header is printed again over the rows, on the next page
        elif _names_services(rows, scored):
            table = rows_to_table(rows, header_key, has_agency, caption, lines[start][0])
            tables.append((table, (start, index)))
        index = max(index, end)
    return tables


def _is_group_piece(line: RowLine) -> bool:
    """A line of a group row: an agency's name, a group's numeral ("I"), or its heading
    in capitals ("NHÓM DỊCH VỤ CÔNG THIẾT" / "YẾU")."""
    if line.tokens or line.connection or line.not_applicable:
        return False
    if _NUMERAL.fullmatch(line.item) and not line.text:
        return True
    return not line.item and (line.text.isupper() or _is_heading_line(line))


def _names_agencies(body: list[RowLine]) -> bool:
    """An agency column whose header was not made out (stacked a word a line): half the
    numbered rows or more have an agency's name on a line of its own (a cell wrapped
    round the row's line) or ending their line."""
    numbered = sum(1 for line in body if line.item)
    agencies = sum(
        1 for line in body if _is_heading_line(line) or (line.item and _AGENCY.search(line.text))
    )
    return numbered > 0 and agencies >= numbered / 2


def _names_services(rows: list[Row], name_score: NameScore) -> bool:
    """A DVC table: a third of its named rows or more read as catalogue services (the
    per-agency statistics of an appendix have a header much like it)."""
    names = [" ".join(r.name_pieces) for r in rows if r.name_pieces]
    return bool(names) and sum(name_score(n) >= _SERVICE_SCORE for n in names) * 3 >= len(names)


def lines_to_headers(lines: list[tuple[int, str]], start: int) -> tuple[int, int] | None:
    """The next header block (first line, line after it): lines of header words around
    a line naming the item column, with count words among them. The first row's name,
    wrapped above its number line, is not header: its words are not header words."""
    for index in range(start, len(lines)):
        if not _HEADER_ITEM.search(ascii_key(lines[index][1])):
            continue
        first = index
        while (  # a header never opens on the page before: "Chưa" there is a row's cell
            first > start
            and lines[first - 1][0] == lines[index][0]
            and _header_line(lines[first - 1][1])
        ):
            first -= 1
        while first < index and (
            _loose_fragment(lines[first][1])
            or _ROW_CONNECTION.match(ascii_key(lines[first][1]))
            or _lower_case_piece(lines[first][1])
        ):
            first += 1  # "điện" / "xã" / "Chưa" / "tuyến": a row's tail carried over the
            # page break (a header opens with its cells' first words, in capitals)
        last = _first_row_line(lines, index)
        if _is_header_block([text for _, text in lines[first:last]]):
            return first, last
    return None


def _first_row_line(lines: list[tuple[int, str]], index: int) -> int:
    """The line after a header whose item column is named on line ``index``: past its
    header lines, back to where the first row begins. That row may open with its agency
    cell ("UBND cấp"), its connection's first word ("Đã" with no "kết nối" under it), a
    cell opening above its number's line, or a group's heading in capitals centred on
    its numeral ("NHÓM DỊCH VỤ CÔNG" / "I" / "THIẾT YẾU")."""
    last = index + 1
    while (
        last < len(lines)
        and _header_line(lines[last][1])
        and not _AGENCY_HEAD.match(lines[last][1].strip())
    ):
        last += 1
    if last - 1 > index and last < len(lines) and ascii_key(lines[last - 1][1]) in _OPENINGS:
        last -= 1
    if last < len(lines) and _opens_row(lines[last][1]):
        last = _opening_cell_above(lines, index, last)
    while (
        last - 1 > index
        and last < len(lines)
        and _NUMERAL.fullmatch(lines[last][1].strip())
        and lines[last - 1][1].isupper()
    ):
        last -= 1
    return last


def _opening_cell_above(lines: list[tuple[int, str]], header: int, row: int) -> int:
    """Where the first row, on line ``row``, begins: at the cell that opens just above
    its line ("Đã kết", "UBND"), a note's words printed beside it between them
    ("UBND … thực", "Đã thực … thực hiện"), else at its own line."""
    for above in (row - 1, row - 2):
        if above <= header:
            break
        text = lines[above][1].strip()
        if _CONNECTION_OPENING.match(ascii_key(text)) or _AGENCY_HEAD.match(text):
            return above
        if len(text.split()) > 1 and not _lower_case_piece(text):
            break  # (a note's words in lower case, "thực hiện", may stand between)
    return row


def _opens_row(text: str) -> bool:
    """A row's own line: its item number, a sub-row's dash ("- Đối với …") or a run of
    counts."""
    text = text.strip()
    return bool(_ITEM.match(text)) or text[:1] in "-+–" or len(_COUNT_LINE.findall(text)) >= 2


def _lower_case_piece(text: str) -> bool:
    """A short piece opening in lower case ("tuyến", "pháp"): a wrapped tail, never the
    first line of a header."""
    return text.strip()[:1].islower() and len(text.split()) <= _AGENCY_TAIL_WORDS


def _loose_fragment(text: str) -> bool:
    """A short piece with no header word ("điện", "xã"): a header's wrapped word only
    after the header's first line, never opening it."""
    words = ascii_key(text).split()
    return len(words) <= 2 and not any(word in _HEADER_WORDS for word in words)


def _header_line(text: str) -> bool:
    """Mostly header words, no count, not a caption."""
    key = ascii_key(text)
    words = key.split()
    if not words or _COUNT_LINE.search(text) or _CAPTION.match(key):
        return False
    if _NUMERAL.fullmatch(text.strip()):
        return False  # a group's numeral ("I", "II") or a mark ("X"): the body's
    if len(words) <= 2 and all(len(word) <= 5 for word in words):
        return True  # a fragment of a wrapped header word ("vướn" / "g mắc")
    return sum(word in _HEADER_WORDS for word in words) >= 0.75 * len(words)


def _body(
    lines: list[tuple[int, str]], start: int, hints: list[LayoutHint] | None = None
) -> tuple[list[RowLine], int]:
    """Row lines from ``start`` to the table's end (a caption, a new header or prose);
    a header repeated on the next page is skipped."""
    body: list[RowLine] = []
    index = start
    while index < len(lines):
        page, text = lines[index]
        key = ascii_key(text)
        if _CAPTION.match(key) and len(_COUNT_LINE.findall(text)) < 2:
            break  # a caption may name a count ("… 25 DỊCH VỤ CÔNG …"), not a run
        repeated = lines_to_headers(lines, index)
        if repeated is not None and repeated[0] == index:
            if not body or _new_table(lines, repeated):
                break
            index = repeated[1]
            continue
        if len(text) > 160 and not _COUNT_LINE.search(text):
            break  # a paragraph of prose
        hint = hints[index] if hints else LayoutHint()
        row = line_to_parts(page, text, hint.spans)
        if row.connection in _MARKS:
            row.mark_side = hint.mark_side
        elif hint.beside_counts:
            row.beside_counts = not (row.connection or row.not_applicable or row.tokens)
        expected = _next_item(body)
        if not row.item and len(row.tokens) == 1 and _is_number(row.tokens[0], expected):
            row.item, row.tokens = row.tokens[0].rstrip(".)"), []  # alone on its line ("2.")
            row.token_spans = []
        elif (
            row.item.isdigit()
            and not -1 <= int(row.item) - int(expected) <= 3
            and not _drop_stray_number(body, int(row.item))
        ):
            if row.text or not row.tokens:
                row.text, row.item = clean_text(f"{row.item} {row.text}"), ""  # "02 dịch vụ"
            else:  # a line of counts alone: its first count is no item number
                row.tokens, row.item = [row.item, *row.tokens], ""
        body.append(row)
        index += 1
    return body, index


def _is_number(token: str, expected: str) -> bool:
    """``token`` is the item number ``expected`` ("03" for 3, "2." for 2)."""
    digits = token.rstrip(".)")
    return digits.isdigit() and int(digits) == int(expected)


def _drop_stray_number(body: list[RowLine], item: int) -> bool:
    """When the last numbered line is a heading with nothing else ("3 Công an tỉnh": a
    page number the converter ran into it) and ``item`` follows what came before it, that
    number is dropped; True then."""
    numbered = [line for line in body if line.item.isdigit()]
    if not numbered:
        return False
    last = numbered[-1]
    if last.tokens or last.connection or last.not_applicable:
        return False
    before = int(numbered[-2].item) + 1 if len(numbered) > 1 else 1
    if not -1 <= item - before <= 3:
        return False
    last.item = ""
    return True


def _next_item(body: list[RowLine]) -> str:
    """The number the next row would carry (the last plain number + 1)."""
    for line in reversed(body):
        if line.item.isdigit():
            return str(int(line.item) + 1)
    return "1"


def _new_table(lines: list[tuple[int, str]], header: tuple[int, int]) -> bool:
    """A header whose first row is numbered 1 again starts a new table (its name may be
    wrapped over a few lines above its number)."""
    for _, text in lines[header[1] : header[1] + _NAME_LINES_ABOVE]:
        if match := _ITEM.match(text):
            return match.group(1) in {"1", "I"}
    return False


def line_to_parts(page: int, text: str, spans: tuple[tuple[int, int], ...] = ()) -> RowLine:
    """Item number, text, connection/not-applicable phrase, counts and note of a line;
    ``spans``: its words' character columns, where the layout showed them. Footnote
    marks glued to words ("cấp³ xã") are dropped: text is Unicode by now."""
    text = drop_footnote_marks(clean_text(text))
    row = RowLine(page=page)
    match = _ITEM.match(text)
    words = text.split()
    word_spans = list(spans) if len(spans) == len(words) else []
    if match and match.group(1) == "X" and (len(words) == 1 or _TOKEN.match(words[1])):
        match = None  # "X 2.340 1.579", "X" alone: a mark, not the roman numeral ten (a
        # group's number is followed by its name)
    if match and (len(words) > 1 or not _COUNT_LINE.fullmatch(text) or "." in match.group(1)):
        row.item, words, word_spans = match.group(1), words[1:], word_spans[1:]
    run_start, run_end = _token_run(words)
    if run_end - run_start == 1 and _inside_text(words, run_start):
        run_start = run_end = len(words)  # "dưới 6 tuổi": a number inside the text
    row.tokens = words[run_start:run_end]
    row.token_spans = word_spans[run_start:run_end]
    row.note = " ".join(words[run_end:])
    head = " ".join(words[:run_start])
    if na := _NOT_APPLICABLE.search(head):
        row.not_applicable, head = na.group(1), head[: na.start()]
    if connection := _CONNECTION.search(head):
        row.connection, head = connection.group(1), head[: connection.start()]
    if row.tokens and row.tokens[0] in _MARKS and not row.connection:
        row.connection = row.tokens.pop(0)
        row.token_spans = row.token_spans[1:]
    row.text = head.strip()
    if row.text and word_spans:
        row.text_column = word_spans[0][0]
    return row


def _inside_text(words: list[str], index: int) -> bool:
    """The lone number at ``index`` is part of the text: a word in lower case goes on
    after it ("dưới 6 tuổi"), or it stands inside a parenthesis the text opened ("(ngoài
    02", at the line's end or before "Sở Tư", an agency cell beside the name's line)."""
    before = " ".join(words[:index])
    opened = before.count("(") > before.count(")")
    if index + 1 == len(words):  # a mark there is the row's ("(… cơ chế kết X")
        return opened and words[index][:1].isdigit()
    return words[index + 1][:1].islower() or opened


def _token_run(words: list[str]) -> tuple[int, int]:
    """The longest run of counts and marks (ties: the last one). A dash right after
    text ends that text ("khai tử -") rather than marking an empty cell."""
    best, start = (len(words), len(words)), None
    for index, word in enumerate([*words, ""]):
        if word and _TOKEN.match(word):
            if (
                start is None
                and word in {"-", "–"}
                and index
                and not _TOKEN.match(words[index - 1])
            ):
                continue
            start = index if start is None else start
            continue
        if start is not None and index - start >= best[1] - best[0]:
            best = (start, index)
        start = None
    return best


def runs_to_rows(body: list[RowLine], name_score: NameScore, has_agency: bool) -> list[Row]:
    """One row per anchor line; the text lines between two anchors shared out. Where the
    table has an agency column, the agency on a row's own line is split off its name."""
    _mark_repeated_notes(body, name_score)
    _join_connections_in_three(body)
    # an agency's name on a line of its own heads a group: in a table with no agency
    # column, or in layout text where it stands in the name column
    name_columns = (_name_columns(body) or None) if has_agency else None  # None: collapsed
    anchors = _anchor_lines(body, headings=not has_agency or bool(name_columns),
                            name_columns=name_columns)  # fmt: skip
    anchors = [  # a number before the row that carries it again: a page number, alone
        a  # or run into the tail of a name
        for a, b in zip(anchors, [*anchors[1:], None], strict=False)
        if b is None or not body[a].item or body[a].item != body[b].item or _has_cells(body[a])
    ]  # fmt: skip
    anchors = [  # "Tòa án" under "… lệ phí": the tail of the name above, not a group
        a
        for a in anchors
        if not (_is_heading_line(body[a]) and _ends_name_above(body, a, name_score))
    ]
    headings: list[int] = []
    if has_agency and not name_columns:  # no positions: a heading told by the agency cells
        headings = _untaken_headings(body, anchors, name_score)
    elif has_agency:  # a heading at the foot of the page before, the header repeated under
        headings = _untaken_headings(body, anchors[:1], name_score)
    anchors = sorted([*anchors, *headings])
    wrapped_names = {
        index: wrapped
        for index in anchors
        if _only_text(body[index]) and (wrapped := _component_tail(body, index))
    }
    anchors = [  # a wrapped component's lines are its own: the agency piece among them too
        a for a in anchors if not any(i < a <= w.last for i, w in wrapped_names.items())
    ]
    if not anchors:
        return []
    rows: list[Row] = []
    own_lines = {index: index for index in anchors}  # the last line each row keeps whole
    for number, index in enumerate(anchors):
        line = body[index]
        name, agency = line.text, ""
        if has_agency and index not in headings and not _is_heading_line(line, name_columns):
            name, agency = _split_agency(line.text, name_score)
        connection = line.connection
        if wrapped := wrapped_names.get(index):
            name, agency, own_lines[index] = wrapped.name, wrapped.agency, wrapped.last
            connection = wrapped.connection or connection
        rows.append(
            Row(line.page, line.item, [name] if name else [], connection,
                line.not_applicable, line.tokens, line.note, agency, line.mark_side,
                line.token_spans)
        )  # fmt: skip
        rows[-1].wrapped_rate = _wrapped_rate(body, index)
        if number == 0:
            head = _without_agency(body[:index], None, rows[-1]) if has_agency else body[:index]
            _attach(rows[-1], head, head=True)
    for number, (upper, lower) in enumerate(zip(anchors, [*anchors[1:], len(body)], strict=True)):
        between = _with_wording_closed(body[own_lines[upper] + 1 : lower], rows[number])
        if has_agency:
            below = rows[number + 1] if number + 1 < len(rows) else None
            between = _without_agency(between, rows[number], below, name_columns, name_score)
        if number + 1 < len(rows):
            _share(rows[number], rows[number + 1], between, name_score)
        else:
            _attach(rows[number], between[:2], head=False)  # the last row's tail
    return rows


_MIDDLE_TO_END = {"thuc": "hiện", "ket": "nối"}  # a wording's middle word and its last
_CLOSINGS = frozenset({"hien"})  # a wrapped "Đã thực" / "hiện"'s last line


def _join_connections_in_three(body: list[RowLine]) -> None:
    """A connection wrapped round its row's line a word a line ("Đã" / "… cấp thẻ thực
    2.830 …" / "hiện"; a name's wrapped line may stand between, or end with the last
    word): its middle word, run into the end of the line's text, goes back to the
    wording, which the row's line then holds whole."""
    for index, line in enumerate(body):
        words = line.text.split()
        end = _MIDDLE_TO_END.get(ascii_key(words[-1])) if words else None
        if end is None or line.connection or not line.tokens:
            continue
        above = _piece_near(reversed(body[max(0, index - 2) : index]), opening=True)
        below = _piece_near(body[index + 1 : index + 3], closing=end)
        if above is None or below is None:
            continue
        line.connection = f"{above.connection} {words[-1]} {end}"
        line.text = " ".join(words[:-1])
        above.connection = ""
        below.text = below.text[: below.text.rfind(" ") + 1].strip()


def _piece_near(
    lines: Iterable[RowLine], opening: bool = False, closing: str = ""
) -> RowLine | None:
    """The first of ``lines`` that holds a connection's opening word alone ("Đã") or, with
    ``closing``, ends with that word ("… 6 tuổi hiện"), past lines of text only."""
    for line in lines:
        if line.tokens or line.item or line.not_applicable:
            return None
        if opening and not line.text and ascii_key(line.connection) in _OPENINGS:
            return line
        if closing and not line.connection and line.text.split()[-1:] == [closing]:
            return line
        if line.connection or not line.text:
            return None
    return None


def _mark_repeated_notes(body: list[RowLine], name_score: NameScore) -> None:
    """A note printed on many rows ("Người dân chưa quen thực hiện …"), its words wrapped
    a few a line, comes back piece by piece: a piece seen on three lines or more that is
    no agency's, no connection's and reads as no service is a note's, not a name's. So is
    such a piece in a run of lines of one word each (a note in a narrow column, a word a
    line: names wrap a few words a line)."""
    pieces = Counter(line.text for line in body if line.text and not (line.item or line.tokens))
    in_word_runs = _in_word_runs(body)
    for index, line in enumerate(body):
        text = line.text
        if line.item or line.tokens or line.connection:
            continue
        if pieces[text] < _NOTE_REPEATS and index not in in_word_runs:
            continue
        if AGENCY_WORD.match(text) or _LEVEL.match(text) or _AGENCY_TAIL.match(text):
            continue
        if _is_connection_piece(text) and not _in_a_sentence(text):
            continue
        if ascii_key(text) in _CLOSINGS:  # "hiện" of wrapped "Đã thực" / "hiện" cells
            continue
        if name_score(text) >= _NOTE_READS_AS_NAME:
            continue
        words = ascii_key(text).lower().split()
        if len(words) >= _NAME_PHRASE_WORDS and " ".join(words) in catalogue_wording():
            continue  # "Liên thông nhóm thủ tục": how many service names open
        line.beside_counts = True


def _in_word_runs(body: list[RowLine]) -> set[int]:
    """Indexes of lines of one word and nothing else, ``_NOTE_WORD_RUN`` or more in a row."""
    lone = [
        bool(line.text) and len(line.text.split()) == 1 and not (line.item or line.tokens)
        for line in body
    ]
    found: set[int] = set()
    start = 0
    for index in range(len(body) + 1):
        if index < len(body) and lone[index]:
            continue
        if index - start >= _NOTE_WORD_RUN:
            found.update(range(start, index))
        start = index + 1
    return found


def _wrapped_rate(body: list[RowLine], index: int) -> str:
    """A rate cell too narrow for its value, wrapped round the row's line ("100,00" over
    it, "%" under it): the rate, its pieces taken out of the lines around. Collapsed text
    may glue the number to the name's first line ("… Đăng ký khai 100,00") and put the
    name's last line between the row's line and the "%" ("sinh" / "%", "dưới 6 tuổi %")."""
    if not 0 < index < len(body) - 1:
        return ""
    above, row = body[index - 1], body[index]
    number = above.tokens[0] if len(above.tokens) == 1 else ""
    if not DECIMAL_RATE.fullmatch(number) or any(_looks_rate(t) for t in row.tokens):
        return ""
    below = body[index + 1]
    if not _ends_with_percent(below) and not (below.tokens or below.is_anchor):
        below = body[index + 2] if index + 2 < len(body) else below  # a name's last line between
    if not _ends_with_percent(below):
        return ""
    above.tokens, above.token_spans = [], []
    below.text = re.sub(r"(?:^|\s)%$", "", below.text).strip()
    below.tokens = [t for t in below.tokens if t != "%"]
    return f"{number}%"


def _ends_with_percent(line: RowLine) -> bool:
    """The line ends with a "%" of its own: alone, or after a name's last words ("tuổi %")."""
    return line.tokens[-1:] == ["%"] or (
        not line.tokens and bool(re.search(r"(?:^|\s)%$", line.text))
    )


def _anchor_lines(
    body: list[RowLine], headings: bool = False, name_columns: dict[int, int] | None = None
) -> list[int]:
    """The lines that open a row: an item number or a run of counts; and a whole
    connection (a mark, "Đã kết nối") when the row being read has its own already: a row
    holds one, so "Xóa đăng ký thường trú" / "x" under a liên thông service is a row of
    its own (a component), named by the text above its mark. With ``headings``, an
    agency's name alone on its line heads a group of rows (in the page's name column,
    ``name_columns``, when the table has an agency column too)."""
    anchors: list[int] = []
    connected = False  # the row being read has its connection (or "Không thuộc thẩm quyền")
    for index, line in enumerate(body):
        whole = line.connection in _MARKS or bool(
            WHOLE_CONNECTION.match(ascii_key(line.connection))
        )
        if whole and ascii_key(line.connection) == "chua" and _closed_below(body, index):
            whole = False  # "Chưa" over a row's line and "kết nối" under it
        if (
            line.is_anchor
            or (anchors and connected and whole and not line.tokens)
            or (anchors and _wrapped_round(body, index))
            or (anchors and _bare_component(body, index, anchors))
            or (
                headings
                and _is_heading_line(line, name_columns)
                and not _numeral_above(body, index)
            )
        ):
            anchors.append(index)
            connected = bool(line.connection or line.not_applicable)  # its cells are taken
        elif anchors and (line.connection or line.not_applicable):
            connected = True
    return anchors


def _bare_component(body: list[RowLine], index: int, anchors: list[int]) -> bool:
    """A liên thông component printed with no cell of its own but its name ("Xóa đăng ký
    thường trú" alone on its line, under "Thủ tục liên thông: Đăng ký khai tử"): a row.
    Its name is the whole line (or two, wrapped), as the catalogue words the parent's component; the
    numbered row above names a liên thông; no mark of its own follows (that mark would
    open the row)."""
    line = body[index]
    if not _only_text(line) or not line.text[:1].isupper():
        return False
    if not is_component_name(line.text):
        wrapped = _component_tail(body, index)
        if wrapped is None:
            return False  # nor wrapped to a line below ("… cho trẻ dưới" / "6 tuổi")
        index = wrapped.last
    following = body[index + 1] if index + 1 < len(body) else None
    if following and following.connection and not following.tokens and not following.text:
        after = body[index + 2] if index + 2 < len(body) else None
        opening = _CONNECTION_OPENING.match(ascii_key(following.connection))
        if not (opening and after is not None and after.item):
            return False  # its own mark; an opening over a numbered line is that row's
    numbered = next((a for a in reversed(anchors) if body[a].item), None)
    if numbered is None:
        return False
    above = body[max(0, numbered - _NAME_LINES_ABOVE) : index]
    return "lien thong" in " ".join(plain_key(row.text) for row in above)


@dataclass(frozen=True)
class _WrappedComponent:
    """A component's name wrapped over lines ``first``..``last``, and the agency cell's
    and the connection cell's pieces printed beside it."""

    last: int
    name: str
    agency: str
    connection: str = ""


def _component_tail(body: list[RowLine], index: int) -> _WrappedComponent | None:
    """A component's name wrapped from line ``index`` to a line below ("… cho trẻ dưới" /
    "6 tuổi"), or None. Beside an agency cell the tail may come past the cell's first
    piece ("UBND") and carry its last ("6 tuổi cấp xã"); beside a connection wording
    wrapped the same way, past its opening ("Đã thực") to its end ("6 tuổi xã hiện"), or
    a word a line round the name ("Đã" over it, "thực" between its lines, "hiện" under)."""
    start = body[index].text
    agency: list[str] = []
    opening = ""
    for offset, below in enumerate(body[index + 1 : index + 4], start=index + 1):
        if not opening and _is_connection_opening(below):
            opening = below.connection
            continue
        if not opening and index and _is_middle_word(below, body[index - 1]):
            opening = f"{body[index - 1].connection} {below.text}"
            continue
        if not _only_text(below):
            return None
        words = below.text.split()
        end = _MIDDLE_TO_END.get(ascii_key(opening).split()[-1]) if opening else None
        if end and words[-1:] == [end]:
            words = words[:-1]
        for size in range(len(words), 0, -1):
            if len(words) - size > (_AGENCY_TAIL_WORDS if agency else 0):
                break
            if is_component_name(" ".join([start, *words[:size]])):
                name = " ".join([start, *words[:size]])
                rest = " ".join([*agency, *words[size:]])
                after = body[offset + 1] if offset + 1 < len(body) else None
                if end and words[-1:] != [end] and after and _only_text(after):
                    offset += after.text == end  # the wording's last word on a line of its own
                return _WrappedComponent(offset, name, rest, f"{opening} {end}" if end else "")
        if agency or not _AGENCY_HEAD.match(below.text):
            return None
        agency.append(below.text)
    return None


def _is_connection_opening(line: RowLine) -> bool:
    """A connection wording's first words alone on their line ("Đã thực", "Đã kết")."""
    return bool(
        line.connection
        and not (line.text or line.tokens or line.item or line.not_applicable)
        and _CONNECTION_OPENING.match(ascii_key(line.connection))
    )


def _is_middle_word(line: RowLine, above: RowLine) -> bool:
    """``line`` is a connection wording's middle word alone ("thực"), the wording's opening
    alone on a line ``above`` the name it wraps round ("Đã")."""
    return (
        _only_text(line)
        and ascii_key(line.text) in _MIDDLE_TO_END
        and ascii_key(above.connection) in _OPENINGS
        and not (above.text or above.tokens or above.item or above.not_applicable)
    )


def _only_text(line: RowLine) -> bool:
    """A line of text with no number, cell or count: a wrapped piece of a name."""
    return bool(line.text) and not (
        line.item or line.tokens or line.connection or line.not_applicable
    )


def _is_heading_line(line: RowLine, name_columns: dict[int, int] | None = None) -> bool:
    """An agency's name alone ("Công an tỉnh", "Sở Y tế (bổ sung theo …"): a group row;
    with ``name_columns``, only in its page's name column (an agency cell's piece, "UBND"
    over "cấp xã", stands right of it)."""
    if line.item or line.tokens or line.connection or line.not_applicable:
        return False
    if name_columns is not None and not _in_name_column(line, name_columns):
        return False
    return names_an_agency(line.text)


def _untaken_headings(body: list[RowLine], anchors: list[int], name_score: NameScore) -> list[int]:
    """Text without positions, a table with an agency column: an agency's name alone on
    its line that the row below cannot take for its agency, as that row carries its own
    on its line or another agency cell opens before it ("Sở Tư pháp" / "UBND" / "09 Đăng
    ký khai tử …" / "cấp xã"), heads a group. A piece of a broken agency cell ("Sở LĐ-",
    "TB&XH") is never one."""
    headings = []
    for start, lower in zip([-1, *anchors], anchors, strict=False):
        own = bool(_split_agency(body[lower].text, name_score)[1])
        for index in range(start + 1, lower):
            line = body[index]
            if not _is_heading_line(line) or _numeral_above(body, index):
                continue
            if _ends_name_above(body, index, name_score, _EXACT_NAME):
                continue  # "Tòa án" under "… lệ phí" / "Sở Tư": the name's tail
            if _ABBREVIATION.match(line.text) or re.search(r"(-|&|\bvà)$", line.text):
                continue
            later = body[index + 1 : lower]
            if own or any(
                _AGENCY_HEAD.match(other.text) or _name_then_agency(other.text, name_score)
                for other in later
            ):
                headings.append(index)
                break  # one group between two rows
    return headings


def _ends_name_above(
    body: list[RowLine], index: int, name_score: NameScore, whole: float = _WHOLE_NAME
) -> bool:
    """An agency's name alone on its line that completes the name above it: with it, the
    last lines of text above read as a catalogue name ("Thu, nộp tạm ứng án phí, lệ phí"
    + "Tòa án"), and better than without it (a group's name would lower the score)."""
    pieces: list[str] = []
    for line in reversed(body[max(0, index - _NAME_LINES_ABOVE - 1) : index]):
        if line.is_anchor and pieces and line.text:
            break  # the row above the one whose name this could end
        if line.text and not _is_connection_piece(line.text) and not _AGENCY_HEAD.match(line.text):
            pieces.insert(0, line.text)  # an agency cell's opening ("Sở Tư") is no name's
        if line.item and line.text:
            break
    heading = body[index].text
    if pieces and pieces[-1].rstrip().endswith(")"):
        return False  # "… giấy tờ nhân thân, địa chỉ)": the name closed its aside
    for first in range(len(pieces)):
        name = " ".join(pieces[first:])
        if _completes_name(name, heading, name_score, whole):
            return True
    return False


def _in_name_column(line: RowLine, name_columns: dict[int, int]) -> bool:
    """Layout text: the line's text opens in its page's name column (the next page's, on
    a page with no numbered row: a group heading at a page's foot), or in the last
    page's (a group heading atop a page, set as the page before was)."""
    own = name_columns.get(line.page, name_columns.get(line.page + 1))
    columns = [c for c in (own, name_columns.get(line.page - 1)) if c is not None]
    if not columns or line.text_column is None:
        return False
    return any(abs(line.text_column - column) <= _COLUMN_SLACK for column in columns)


def _numeral_above(body: list[RowLine], index: int) -> bool:
    """The line above is a group's numeral alone ("II" over "Sở Tư pháp"): the heading is
    that group's name."""
    above = body[index - 1] if index else None
    return bool(
        above and re.fullmatch(r"[IVX]{1,4}", above.item) and not (above.text or above.tokens)
    )


def _name_columns(body: list[RowLine]) -> dict[int, int]:
    """Layout text: per page, the character column where the names of numbered rows
    open (the leftmost); none without positions."""
    columns: dict[int, int] = {}
    for index, line in enumerate(body):
        if not line.item:
            continue
        opens = [line.text_column]
        if line.text_column is None:  # a name centred on its number line: the lines round it
            around = [body[i] for i in (index - 1, index + 1) if 0 <= i < len(body)]
            opens = [n.text_column for n in around if n.page == line.page and _only_text(n)]
        for column in opens:
            if column is not None:
                columns[line.page] = min(columns.get(line.page, column), column)
    return columns


def _closed_below(body: list[RowLine], index: int) -> bool:
    """A connection opened on this line is closed ("kết nối", "nối") on one of the next
    four lines, within the row its line opens: past its count line and wrapped pieces of
    the name and of the agency ("chiếu phổ thông" / "cấp xã"), never past a second row's
    (a note's words beside the counts aside)."""
    following = [line for line in body[index + 1 : index + 8] if not line.beside_counts]
    anchors = 0
    for line in following[:_CLOSING_REACH]:
        if ascii_key(line.connection or line.text) in _KET_NOI_CLOSINGS:
            return True
        anchors += line.is_anchor
        if anchors > 1 or line.connection:
            return False
    return False


def _wrapped_round(body: list[RowLine], index: int) -> bool:
    """A name alone on its line between the two halves of a connection ("Đang kết" /
    "Đăng ký thường trú" / "nối"): a component row with no count, its cell centred."""
    line = body[index]
    if line.item or line.tokens or line.connection or not line.text[:1].isupper():
        return False
    if not 0 < index < len(body) - 1:
        return False
    above, below = body[index - 1], body[index + 1]
    opens = not above.text and bool(_CONNECTION_OPENING.match(ascii_key(above.connection)))
    closes = ascii_key(below.text or below.connection) in {"noi", "hien"}
    return opens and closes and not above.tokens and not below.tokens


def _without_agency(
    lines: list[RowLine],
    upper: Row | None,
    lower: Row | None,
    name_columns: dict[int, int] | None = None,
    name_score: NameScore | None = None,
) -> list[RowLine]:
    """The lines between two rows less the agency cell's wrapped lines, given to the rows:
    a cell centred on its row opens above the row's line ("UBND cấp", to the row below)
    and ends under it ("xã", to the row above while its agency is unfinished). A line
    in the name column (``name_columns``, layout text) is no agency cell's, nor an
    abbreviation that ends the name above as the catalogue words it ("… cấp Thẻ" /
    "CCCD", scored by ``name_score``)."""
    kept: list[RowLine] = []
    for line in lines:
        text = line.text
        closing = _closing_word(upper, text)  # "… 6 tuổi xã nối" under "Chưa kết"
        if upper is not None and (
            parts := _name_then_agency_tail(upper.agency, text.removesuffix(closing).rstrip())
        ):
            upper.agency = clean_text(f"{upper.agency} {parts[1]}")  # "6 tuổi cấp xã"
            upper.connection = clean_text(f"{upper.connection} {closing}")
            kept.append(replace(line, text=parts[0]))
        elif name_columns and _in_name_column(line, name_columns):
            kept.append(line)
        elif (
            upper is not None
            and _agency_goes_on(upper.agency, text)
            and not _ends_name(upper, text, name_score)
        ):
            glue = "" if re.search(r"\w-$", upper.agency) else " "  # "Sở LĐ-" / "TB&XH"
            upper.agency = clean_text(f"{upper.agency}{glue}{text}")
        elif (
            lower is not None
            and not lower.agency
            and _AGENCY_HEAD.match(text)
            and not (upper is not None and _awaits_heading(upper, kept))
            and not (upper is not None and _agency_word_ends_name(upper, text, name_score))
        ):
            lower.agency = text
        elif (
            lower is not None
            and not lower.agency
            and name_score is not None
            and (split := _name_then_agency(text, name_score))
        ):
            kept.append(replace(line, text=split[0]))  # "… (ngoài 02 Sở Tư" / "09 …"
            lower.agency = split[1]
        else:
            kept.append(line)
    return kept


def _name_then_agency(text: str, name_score: NameScore) -> tuple[str, str] | None:
    """A name's wrapped line that ends with the opening of the agency cell of the row
    below ("vụ cung cấp điện còn lại (ngoài 02 Sở Tư"): the two apart, or None."""
    name, agency = _split_agency(text, name_score)
    if name and agency and _AGENCY_HEAD.match(agency):
        return name, agency
    return None


def _awaits_heading(row: Row, taken: list[RowLine]) -> bool:
    """``row`` is a group's numeral with no heading yet and no line taken since: an agency's
    name next is that heading ("II" / "Sở Tư pháp"), not the agency of the row below."""
    return _is_group(row) and not row.name_pieces and not taken


def _ends_name(row: Row, piece: str, name_score: NameScore | None) -> bool:
    """``piece`` completes the row's name rather than its agency: an abbreviation ("… cấp
    Thẻ" / "CCCD") or a word ("… thanh toán trực" / "tuyến", "… lệ phí Tòa" / "án") the
    catalogue name needs."""
    if name_score is None or _AGENCY_TAIL.match(piece):
        return False
    return _completes_name(" ".join(row.name_pieces), piece, name_score)


def _agency_word_ends_name(row: Row, piece: str, name_score: NameScore | None) -> bool:
    """An agency's opening words ("Tòa án") that end the row's name: with them it reads
    as a catalogue name word for word ("… lệ phí Tòa án"); a name read in part ("… giấy
    chứng nhận" + "Sở Tư") is no more than close."""
    if name_score is None:
        return False
    return _completes_name(" ".join(row.name_pieces), piece, name_score, _EXACT_NAME)


def _completes_name(
    name: str, piece: str, name_score: NameScore, whole: float = _WHOLE_NAME
) -> bool:
    """``piece`` completes ``name``: with it the name reads as a catalogue name (``whole``
    at least), clearly better than without."""
    with_piece = name_score(f"{name} {piece}")
    return with_piece >= whole and with_piece >= name_score(name) + _TAIL_GAIN


_OPENING_TO_END = {"da": ("kết nối", "thực hiện"), "chua": ("kết nối",), "dang": ("kết nối",)}


def _with_wording_closed(lines: list[RowLine], row: Row) -> list[RowLine]:
    """The lines under a row less the end of its connection's wording where that ends a
    line of the name ("dưới 6 tuổi kết nối" under "Đang"), given to the row; none when
    the end stands on a line of its own further down."""
    words = ascii_key(row.connection).split()
    if len(words) != 1 or any(_is_connection_piece(line.text) for line in lines):
        return lines
    for index, line in enumerate(lines):
        for end in _OPENING_TO_END.get(words[0], ()):
            if line.text.endswith(f" {end}") and not line.tokens:
                row.connection = f"{row.connection} {end}"
                rest = line.text.removesuffix(f" {end}")
                return [*lines[:index], replace(line, text=rest), *lines[index + 1 :]]
    return lines


def _closing_word(row: Row | None, text: str) -> str:
    """The last word of ``row``'s wrapped connection ("nối" of "Chưa kết") ending the
    line ``text``, or ""."""
    words = ascii_key(row.connection).split() if row is not None else []
    end = _MIDDLE_TO_END.get(words[-1]) if words else None
    return end if end and text.split()[-1:] == [end] else ""


def _name_then_agency_tail(agency: str, text: str) -> tuple[str, str] | None:
    """A name's wrapped tail and, on the same line, the words that end the row's agency
    cell: a level ("6 tuổi cấp xã" under "UBND") or the rest of a known agency's name
    ("… đã hoàn pháp" under "Sở Tư"): the two apart, or None."""
    if not agency or _agency_goes_on(agency, text):
        return None  # the cell's piece alone on its line
    words = text.split()
    for size in (2, 1):
        rest, tail = words[:-size], " ".join(words[-size:])
        if not rest or rest[-1] == "cấp" or not _agency_goes_on(agency, tail):
            continue
        if _LEVEL.match(tail) or is_known_agency(f"{agency} {tail}"):
            return " ".join(rest), tail
    return None


def _has_cells(line: RowLine) -> bool:
    return bool(line.tokens or line.connection or line.not_applicable)


def _attach(row: Row, pieces: list[RowLine], head: bool) -> None:
    for piece in pieces:
        if piece.beside_counts:
            row.note = clean_text(f"{row.note} {piece.text}")
    pieces = [p for p in pieces if not p.beside_counts]
    texts = [p.text for p in pieces if not _is_cell_piece(p, row) and p.text]
    row.name_pieces = [*texts, *row.name_pieces] if head else [*row.name_pieces, *texts]


def _is_cell_piece(piece: RowLine, row: Row) -> bool:
    """A wrapped connection or not-applicable phrase of the row, not name text."""
    key = ascii_key(piece.text)
    if ("(" in piece.text or ")" in piece.text) and not piece.connection:
        return False  # "chưa kết nối)": a header's aside; "(ngoài 02 Đã thực": a name's
    if row.connection in _MARKS and _in_a_sentence(piece.text):
        return False  # a marked cell is whole: "chưa" under its mark is a note's word
    if _is_connection_piece(piece.text) or _completes(ascii_key(row.connection), key):
        row.connection = clean_text(f"{row.connection} {piece.text}")
        return True
    if piece.connection or piece.not_applicable:
        if not row.connection:
            row.connection, row.mark_side = piece.connection, piece.mark_side
        row.not_applicable = row.not_applicable or piece.not_applicable
        return not piece.text
    return False


def _is_connection_piece(text: str) -> bool:
    """A piece of a connection cell ("Đã kết", "nối", "Đang"), its accents and all: a
    name's "đẳng" is no "Đang"."""
    return bool(_CONNECTION_PIECE.match(ascii_key(text))) and all(
        word in _CONNECTION_WORDS for word in vn_key(text).split()
    )


def _in_a_sentence(text: str) -> bool:
    """An opening word of a connection in lower case ("chưa", "đã"): a cell's wording
    opens with a capital, so this is a word of a sentence (a note's), not a cell's."""
    first = next(iter(text.split()), "")
    return first.islower() and ascii_key(first) in _OPENINGS


def _completes(connection: str, key: str) -> bool:
    """``key`` is the rest of a wrapped "Đã thực" / "hiện"."""
    return connection.endswith("thuc") and key == "hien"


def _connection_owner(line: RowLine, upper: Row, lower: Row) -> Row:
    """The row a wrapped connection piece belongs to: an opening one ("Đã kết") to the row
    below, a closing one ("nối") to the row above while its phrase is unfinished."""
    key = ascii_key(line.connection or line.text)  # a wording after a name's tail opens
    if re.match(r"^(da|chua|dang)\b", key):
        return lower
    unfinished = re.search(r"\b(da|chua|dang|ket|thuc)$", ascii_key(upper.connection))
    return upper if unfinished else lower


def _share(upper: Row, lower: Row, between: list[RowLine], name_score: NameScore) -> None:
    """Split the text lines between two anchors into the upper name's tail and the lower
    name's head, leaving out pieces (agency, note) that make neither read better."""
    pieces: list[str] = []
    notes = [line for line in between if line.beside_counts]
    for line in notes:  # a note's wrapped words, to the row they are nearer
        owner = upper if between.index(line) < len(between) / 2 else lower
        owner.note = clean_text(f"{owner.note} {line.text}")
    for line in between:
        if line.beside_counts:
            continue
        if not _is_cell_piece(line, _connection_owner(line, upper, lower)):
            pieces.append(line.text)
        if line.not_applicable and not lower.not_applicable:
            lower.not_applicable = line.not_applicable
    pieces = [p for p in pieces if p]
    if _is_total(lower):  # "Tổng cộng 112.918 53.570": the pieces above end the last row
        upper.name_pieces += pieces
        return
    if _is_group(upper):  # its heading taken, the rest opens the row below
        lower.name_pieces = _take_heading(upper, pieces) + lower.name_pieces
        return
    if pieces and _is_group(lower):  # above a group's numeral: its heading in capitals
        heading = [p for p in pieces if _in_capitals(p)]
        upper.name_pieces += [p for p in pieces if not _in_capitals(p)]
        lower.name_pieces = heading + lower.name_pieces
        return
    if not pieces:
        return
    if (
        not upper.item
        and is_component_name(" ".join(upper.name_pieces))
        and all(piece[:1].isupper() for piece in pieces)
    ):  # a component's name is whole: lines opening a name open the next one
        lower.name_pieces = pieces + lower.name_pieces
        return
    if lower.name_pieces and lower.name_pieces[0][:1] in "-+–":  # a sub-row opens its line
        upper.name_pieces += pieces
        return
    closing = [i for i, piece in enumerate(pieces) if piece.rstrip().endswith(":")]
    if closing:  # "…, cụ thể:" ends the name above (the parent of sub-rows)
        upper.name_pieces += pieces[: closing[-1] + 1]
        pieces = pieces[closing[-1] + 1 :]
        if not pieces:
            return
    if len(pieces) > _MAX_PIECES:  # too many to leave any out: the best cut, all kept
        cut = max(
            range(len(pieces) + 1),
            key=lambda k: (
                name_score(" ".join([*upper.name_pieces, *pieces[:k]]))
                + name_score(" ".join([*pieces[k:], *lower.name_pieces]))
            ),
        )
        upper.name_pieces += pieces[:cut]
        lower.name_pieces = pieces[cut:] + lower.name_pieces
        return
    best: tuple[float, list[str], list[str]] = (float("-inf"), [], [])
    sub_row = bool(upper.name_pieces) and upper.name_pieces[0][:1] in "-+–"
    # a line that reads as a catalogue name on its own, opening in capitals, is a name's
    # head ("Nhóm dịch vụ thanh toán trực" over "13"), no stray piece to leave out
    names = Counter(p for p in pieces if p[:1].isupper() and name_score(p) >= _WHOLE_NAME)
    for split in range(len(pieces) + 1):
        heads = [
            (name_score(" ".join([*head, *lower.name_pieces])), head)
            for head in _subsets(pieces[split:])
        ]
        for tail in _subsets(pieces[:split]):
            tail_score = name_score(" ".join([*upper.name_pieces, *tail]))
            for head_score, head in heads:
                score = tail_score + head_score
                score += 0.5 * (len(tail) + len(head))  # keep text unless it reads worse
                opening = [*head, *lower.name_pieces][:1]
                if opening and opening[0][:1].islower():
                    score -= _LOWER_START  # a name opens with a capital: "tử" ends one
                left_out = names - Counter(tail) - Counter(head)
                score -= _NAME_LEFT_OUT * left_out.total()
                if not upper.item and any(piece[:1].isupper() for piece in tail):
                    score -= _CAPITAL_AFTER_COMPONENT  # it opens the next name instead
                    if sub_row:
                        score -= _CAPITAL_AFTER_SUB_ROW
                if score > best[0]:
                    best = (score, tail, head)
    upper.name_pieces += best[1]
    lower.name_pieces = best[2] + lower.name_pieces


def _in_capitals(piece: str) -> bool:
    """Words in capitals ("NHÓM DỊCH VỤ CÔNG THIẾT", "YẾU"), not an aside of numbers with a
    capital in it ("(220/380V)": the tail of a name)."""
    return piece.isupper() and sum(c.isalpha() for c in piece) > sum(c.isdigit() for c in piece)


def _is_total(row: Row) -> bool:
    """A table's totals row: its own line names it ("Tổng cộng", "Cộng") beside counts."""
    name = " ".join(row.name_pieces)
    return not row.item and bool(row.tokens) and bool(_TOTAL_LINE.match(ascii_key(name)))


def _is_group(row: Row) -> bool:
    """A group's row: a roman numeral and no counts ("I", "II"), or an agency's name
    alone on its line with nothing else."""
    if row.tokens:
        return False
    if re.fullmatch(r"[IVX]{1,4}", row.item):
        return True
    return not row.item and not row.connection and names_an_agency(" ".join(row.name_pieces))


def _take_heading(group: Row, pieces: list[str]) -> list[str]:
    """A group's heading set under its numeral ("II" / "Sở Tư pháp", or "Sở Y tế (bổ sung
    theo" / "Công văn số …)" while its parenthesis is open; a heading in capitals goes on
    in capitals): the group's name, not the next row's. The rest of ``pieces``."""
    if group.name_pieces:  # a heading of its own line: its parenthesis may go on
        taken = list(group.name_pieces)
    elif not pieces or not AGENCY_WORD.match(pieces[0]):
        return pieces
    else:
        taken = [pieces.pop(0)]
    while pieces and (
        " ".join(taken).count("(") > " ".join(taken).count(")")
        or (taken[-1].isupper() and pieces[0].isupper())
    ):
        taken.append(pieces.pop(0))
    group.name_pieces = taken
    return pieces


def _subsets(pieces: list[str]) -> list[list[str]]:
    return [
        [p for i, p in enumerate(pieces) if i in chosen]
        for size in range(len(pieces), -1, -1)
        for chosen in map(set, combinations(range(len(pieces)), size))
    ]


def rows_to_roles(rows: list[Row], header_key: str) -> list[str]:
    """The order of the count columns that best explains the rows' counts."""
    width = max((len(r.tokens) for r in rows), default=0)
    candidates: list[tuple[str, ...]] = []
    for orders in (_candidate_orders(header_key), _candidate_orders(header_key, any_results=True)):
        candidates = [c for c in orders if width <= len(c) <= width + 1] or [
            c[:width] for c in orders if len(c) >= width
        ]
        if candidates:  # else the header's result columns were misread: the rows tell
            break
    if not candidates:
        return []

    def fit(order: tuple[str, ...]) -> float:
        unused = len(order) - width  # a column no row fills is doubtful
        return sum(_best_fit(r.tokens, order)[0] for r in rows) - _UNUSED_COLUMN * unused

    return list(max(candidates, key=fit))


def _names_direct(header_lines: list[str]) -> bool:
    """The header has a direct-dossier column: "trực tiếp" outside an aside such as
    "(bao gồm cả trực tiếp và trực tuyến)", whose lines open or close a parenthesis. A
    "tiếp" whose "nhận" wrapped to a line of its own is "tiếp nhận": one such "tiếp" for
    each line that opens on "nhận"."""
    lines = [(text, ascii_key(text)) for text in header_lines]
    received = sum(bool(re.match(r"nhan\b", key)) for _, key in lines)
    loose = 0
    for text, key in lines:
        if text.count("(") != text.count(")") or "bao gồm" in text.casefold():
            continue
        if re.search(r"\btruc tiep\b", key):
            return True
        loose += len(re.findall(r"\btiep\b(?! nhan)", key))
    return loose > received


def _candidate_orders(header_key: str, any_results: bool = False) -> list[tuple[str, ...]]:
    """Column orders the header allows; ``any_results``: whatever its "Đúng hạn" says."""
    has_rate = bool(re.search(r"\bt[yi] le\b|%", header_key))
    has_direct = _DIRECT_MARK in header_key
    pairs = len(re.findall(r"\bdung\b", header_key))
    orders: list[tuple[str, ...]] = []
    for counts in _count_blocks(has_direct):
        for results in _RESULT_BLOCKS:
            named = len(results) // 2 <= pairs and not (pairs and not results)
            if not (named or any_results):
                continue
            if not has_rate:
                orders.append((*counts, *results))
                continue
            for at in range(len(counts), 0, -1):  # the rate after any count of the block
                orders.append((*counts[:at], "rate", *counts[at:], *results))
            orders += [(*counts, *results, "rate"), ("rate", *counts, *results)]
    return list(dict.fromkeys(orders))


def _count_blocks(has_direct: bool) -> list[tuple[str, ...]]:
    """The usual orders of the dossier counts first, then every other order of them (a
    report may print direct and online before their total)."""
    roles = ("total", "direct", "online") if has_direct else ("total", "online")
    usual = [block for block in _COUNT_BLOCKS if ("direct" in block) == has_direct]
    return list(dict.fromkeys([*usual, *permutations(roles)]))


def _best_fit(
    tokens: list[str], order: tuple[str, ...], rates_marked: bool = False
) -> tuple[float, dict[str, str]]:
    """The placement of a row's tokens in the columns (in order, blanks anywhere) that
    the row's arithmetic agrees with best. ``rates_marked``: the table prints its rates
    with a % or decimals, so a bare whole number is no rate."""
    best: tuple[float, dict[str, str]] = (float("-inf"), {})
    for chosen in combinations(range(len(order)), len(tokens)):
        cells = {order[c]: t for c, t in zip(chosen, tokens, strict=True)}
        score = _fit(cells, rates_marked) - 0.01 * sum(chosen)  # blanks rather at the right
        if score > best[0]:
            best = (score, cells)
    return best


def _looks_rate(text: str) -> bool:
    return "%" in text or ("," in text and not re.search(r",\d{3}$", text))


def _rates_marked(rows: list[Row], roles: list[str]) -> bool:
    """Most rates the rows print carry a % or decimals."""
    rates = [
        cells["rate"]
        for row in rows
        if "rate" in (cells := _best_fit(row.tokens, tuple(roles))[1]) and len(row.tokens) > 3
    ]
    return bool(rates) and sum(map(_looks_rate, rates)) * 4 >= 3 * len(rates)


def _arithmetic(cells: dict[str, str]) -> float:
    def count(role: str) -> int | None:
        return parse_vn_int(cells[role]) if role in cells else None

    total, direct, online = count("total"), count("direct"), count("online")
    on_time, overdue = count("on_time"), count("overdue")
    on_time_direct, overdue_direct = count("on_time_direct"), count("overdue_direct")
    rate = parse_vn_percent(cells["rate"]) if "rate" in cells else None
    score = 0.0
    for role, text in cells.items():
        if _looks_rate(text):
            score += 2.0 if role == "rate" else -4.0
    if total == 0 and "rate" in cells and not _looks_rate(cells["rate"]):
        score -= 0.5  # no rate of no dossiers: that cell is blank, a 0 is a count
    if total is not None and online is not None:
        score += 1.0 if online <= total else -3.0
        if direct is not None:
            score += 3.0 if direct + online == total else -1.0
        if rate is not None and total:
            score += 3.0 if abs(100 * online / total - rate) <= 1.0 else -1.0
    if online is not None and on_time is not None:
        score += 2.0 if on_time + (overdue or 0) == online else -0.5
    if direct is not None and on_time_direct is not None:
        score += 2.0 if on_time_direct + (overdue_direct or 0) == direct else -0.5
    return score


def rows_to_table(
    rows: list[Row], header_key: str, has_agency: bool, caption: str, page: int
) -> Table:
    """The grid of a row-run table, under a header the header reader knows."""
    roles = rows_to_roles(rows, header_key)
    marked = _rates_marked(rows, roles)
    marks_apart = _two_mark_columns(header_key) and any(row.mark_side == "no" for row in rows)
    connection_columns = ["Kết nối", "Chưa kết nối"] if marks_apart else ["Kết nối"]
    parents = ["", "Tên dịch vụ công", *connection_columns, *(_HEADER_TEXT[r][0] for r in roles)]
    leaves = ["STT", "Tên dịch vụ công", *connection_columns, *(_HEADER_TEXT[r][1] for r in roles)]
    parents.append("")
    leaves.append("Ghi chú")
    if has_agency:
        parents.insert(2, "Cơ quan thực hiện")
        leaves.insert(2, "Cơ quan thực hiện")
    grid = [parents, leaves]
    pages = [page, page]
    placed = _placed_by_columns(rows, tuple(roles), marked)
    for number, row in enumerate(rows):
        if number in placed and not row.wrapped_rate:
            cells = placed[number]
        elif row.wrapped_rate and "rate" in roles:  # wherever the arithmetic puts it
            tried = [
                [*row.tokens[:i], row.wrapped_rate, *row.tokens[i:]]
                for i in range(len(row.tokens) + 1)
            ]
            _, cells = max((_best_fit(t, tuple(roles), marked) for t in tried), key=lambda f: f[0])
        else:
            _, cells = _best_fit(row.tokens, tuple(roles), marked) if roles else (0.0, {})
        name, agency = clean_text(" ".join(row.name_pieces)), row.agency
        connection = clean_text(f"{row.not_applicable} {row.connection}")
        connections = [connection]
        if marks_apart:  # the mark goes back under the column it stood in
            connections = ["", connection] if row.mark_side == "no" else [connection, ""]
        out = [row.item, name, *connections, *(cells.get(r, "") for r in roles), row.note]
        if has_agency:
            out.insert(2, agency)
        grid.append(out)
        pages.append(row.page)
    doubts = _mark_doubts(rows, header_key)
    return Table(
        page=page, rows=grid, caption=caption, engine="row-runs", row_pages=pages, doubts=doubts
    )


def _placed_by_columns(
    rows: list[Row], roles: tuple[str, ...], marked: bool
) -> dict[int, dict[str, str]]:
    """Counts placed by the columns they stood in on their page (layout text): the page's
    count spans gather into columns, and the one left-to-right mapping of those columns
    to the roles that the page's rows agree with best places every row's counts alike,
    zeros and blanks included, which a row's own arithmetic cannot place. Rows of a
    page whose columns do not come apart cleanly (more columns than roles, two counts of
    a row in one column, a row that fits clearly worse than on its own) are left out."""
    pages: dict[int, list[int]] = {}
    for number, row in enumerate(rows):
        if row.tokens and len(row.token_spans) == len(row.tokens):
            pages.setdefault(row.page, []).append(number)
    placed: dict[int, dict[str, str]] = {}
    for members in pages.values():
        placed.update(_place_page(rows, members, roles, marked))
    return placed


def _place_page(
    rows: list[Row], members: list[int], roles: tuple[str, ...], marked: bool
) -> dict[int, dict[str, str]]:
    """The counts of one page's rows placed by their columns, or nothing."""
    columns = _span_columns([span for n in members for span in rows[n].token_spans])
    if not roles or len(columns) > len(roles):
        return {}
    keyed = {n: [_column_of(span, columns) for span in rows[n].token_spans] for n in members}
    if any(len(set(keys)) != len(keys) for keys in keyed.values()):
        return {}

    def cells_of(number: int, chosen: tuple[int, ...]) -> dict[str, str]:
        tokens = rows[number].tokens
        return {roles[chosen[k]]: t for k, t in zip(keyed[number], tokens, strict=True)}

    def fit(chosen: tuple[int, ...]) -> float:
        return sum(_fit(cells_of(n, chosen), marked) for n in members)

    best = max(combinations(range(len(roles)), len(columns)), key=fit)
    telling = [n for n in members if any(parse_vn_int(t) for t in rows[n].tokens)]
    own = {n: _best_fit(rows[n].tokens, roles, marked)[0] for n in telling}
    worse = sum(_fit(cells_of(n, best), marked) < own[n] - 1.0 for n in telling)  # zeros
    # agree with any placement: they prove nothing either way
    if worse * _MISFITS_ALLOWED > len(members):  # a misprint may fit better elsewhere
        return {}
    return {n: cells_of(n, best) for n in members}


def _span_columns(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans that overlap, gathered into columns, left to right."""
    columns: list[list[int]] = []
    for start, end in sorted(spans):
        if columns and start < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], end)
        else:
            columns.append([start, end])
    return [(start, end) for start, end in columns]


def _column_of(span: tuple[int, int], columns: list[tuple[int, int]]) -> int:
    return next(k for k, (start, end) in enumerate(columns) if start <= span[0] < end)


def _fit(cells: dict[str, str], marked: bool) -> float:
    """How well one row's placed counts agree with its arithmetic; ``marked``: the table
    prints its rates with a % or decimals, so a bare whole number is no rate."""
    score = _arithmetic(cells)
    if marked and "rate" in cells and not _looks_rate(cells["rate"]):
        score -= 3.0
    return score


def _two_mark_columns(header_key: str) -> bool:
    return _MARK_COLUMNS in header_key


def _names_mark_columns(header_lines: Iterable[str]) -> bool:
    """The header marks *Đã kết nối* and *Chưa kết nối* in columns of their own: both
    words outside an aside such as "Kết nối (đã kết nối, chưa kết nối)"."""
    key = ascii_key(re.sub(r"\([^)]*\)?", " ", " ".join(header_lines)))
    return bool(re.search(r"\bda\b", key) and re.search(r"\bchua\b", key))


def _mark_doubts(rows: list[Row], header_key: str) -> dict[str, str]:
    """Marks whose column the text lost, under a header that prints one for *Đã kết nối*
    and one for *Chưa kết nối*: they are read as connected, which may be wrong."""
    if not _two_mark_columns(header_key):
        return {}
    unsure = [row.item or "?" for row in rows if row.connection in _MARKS and not row.mark_side]
    if not unsure:
        return {}
    return connection_ambiguous(
        f"the text no longer shows which column {len(unsure)} marks stood in (items "
        f"{', '.join(unsure[:12])}{' …' if len(unsure) > 12 else ''})"
    )


_AGENCY = re.compile(
    r"(?:^|\s)((?:Công an|UBND|Ủy ban|Sở|Phòng|BHXH|Bảo hiểm xã hội|Cục|Chi cục|Điện lực|"
    r"Văn phòng|Tòa án|Kho bạc|Trung tâm|Ngân hàng|Bưu điện)\b[^,;]*)$"
)


_AGENCY_TAIL_WORDS = 3  # words of an agency cell's last piece ("cấp xã", "LĐ-TB&XH tỉnh")

_AGENCY_HEAD = re.compile(
    r"^(?:Công an|UBND|Ủy ban|Sở|Phòng|BHXH|Bảo hiểm xã hội|Cục|Chi cục|Điện lực|Văn phòng|"
    r"Tòa án|Kho bạc|Trung tâm|Ngân hàng|Bưu điện)(?: \S+){0,2}$"
)
_AGENCY_TAIL = re.compile(
    r"^(?:(?:cấp )?(?:xã|huyện|tỉnh)(?:, TP)?|(?:Tư )?pháp|(?:Y )?tế|nhân dân)$"
)
_LEVEL = re.compile(r"^(?:cấp )?(?:xã|huyện|tỉnh)(?:, TP)?$")
_ABBREVIATION = re.compile(r"^[&A-ZĐ][A-ZĐ&\-]*(?: ?[&A-ZĐ][A-ZĐ&\-]*)?$")  # "TN&MT", "TB &XH"


def _agency_goes_on(agency: str, piece: str) -> bool:
    """``piece`` is the rest of an agency cell broken over lines: the agency is unfinished
    (its head word with at most one more, or ending in "-", "&", "và") and the piece reads
    as an agency's tail ("xã", "huyện, TP", "pháp", "TN&MT", "chính")."""
    head = AGENCY_WORD.match(agency)
    if not agency or not head or len(piece.split()) > 3 or AGENCY_WORD.match(piece):
        return False  # "UBND" under "UBND": the next row's agency cell opening
    rest = agency[head.end() :].split()
    if not (len(rest) <= 1 or re.search(r"(-|&|\bvà)$", agency)):
        return False
    if _LEVEL.match(piece):  # "xã", "cấp huyện": after "cấp" or the head alone
        return not rest or rest[-1] == "cấp"
    if _AGENCY_TAIL.match(piece) or _ABBREVIATION.match(piece):
        return True
    return (  # "Sở Tài" / "chính"
        len(rest) == 1 and rest[0] != "cấp" and bool(re.fullmatch(r"[a-zà-ỹđ]{2,6}", piece))
    )


def _split_agency(name: str, name_score: NameScore) -> tuple[str, str]:
    """A name followed by its agency (an agency column collapsed into the name), cut
    where the name left reads best as a catalogue name: the words taken for an agency
    may end a catalogue name ("Giải quyết hưởng BHXH một lần", "… lệ phí Tòa án"); then a
    later agency word opens the cell ("… một lần Sở Tư pháp", "… Tòa án Sở Tư pháp").
    Unsplit when the whole reads as a name better than any part."""
    starts = [0, *(index for index, char in enumerate(name) if char.isspace())]
    cuts = [
        (name[: match.start()].strip(), match.group(1))
        for match in filter(None, (_AGENCY.match(name, start) for start in starts))
    ]
    if not cuts:
        return name, ""
    scores = [name_score(bare) for bare, _ in cuts]
    best = max(range(len(cuts)), key=lambda index: scores[index])  # the first of equals
    whole = name_score(name)
    if whole >= _WHOLE_NAME and whole > scores[best]:
        return name, ""
    return cuts[best]
