"""Rules for a scanned table printed without any, drawn along its white space.

A borderless table keeps its cells apart with white space alone: its columns are strips
that no body text crosses, its rows bands of ink that the cells' padding keeps apart.
Drawn as pdfplumber edges, those strips and gaps let a scanned borderless table be read
as a ruled one is (each cell re-read on its own, the row's arithmetic checking it): the
OCR text layer of such a page drops too many lone digits, marks and item numbers to be
read as positioned words.

The table is found by its header in the OCR words (a line naming several header cells:
"TT", "Dịch vụ công", "Tổng số hồ sơ"…); a page that goes on with the table of the page
before has no header and takes that table's columns (``Columns``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from PIL import Image

from dean06.extract.rulings import Edge, rule_edge
from dean06.normalize.rows import NOT_APPLICABLE
from dean06.normalize.text import ascii_key

Word = dict[str, Any]

ROW_GAP_PT = 5.0  # blank space between rows (padding): taller than between wrapped lines
TABLE_END_GAP_PT = 30.0  # blank space this tall ends the table
HEADER_GAP_PT = 14.0  # header lines further apart than this are not one header
MIN_GUTTER_PT = 5.0  # a strip between columns is wider than a space between words
PROSE_SHARE = 0.75  # a band of text across this share of the column strips is prose
SPAN_SHARE = 0.2  # rows whose text may cross a column's strip (a "Không thuộc thẩm quyền")
ROW_INK_PIXELS = 5  # a row of pixels with less ink is blank (what specks are left)
SPECK_PIXELS = 30  # ink blobs smaller than this are noise (or a dot, a full stop)
SAME_LINE_PT = 3.0  # OCR words whose tops are this close are on one line
MARGIN_PT = 2.0  # rules drawn this far outside the table's ink
MIN_BODY_ROWS = 2  # fewer, and the header's white space gives the columns
HEADER_GUTTER_SHARE = 0.4  # share of a header's height a strip between its columns rises
HEADER_WORD_SHARE = 0.15  # a header band's words are header words at least this often
MIN_COLUMNS = 4
ITEM_COLUMN_PT = 20.0  # an item number starts this close to the table's leftmost word

_HEADER_WORD = re.compile(
    r"\b(?:S?TT|Dịch vụ|Tên|Đơn vị|kết nối|Tổng|hồ sơ|trực tuyến|trực tiếp|Tỷ lệ|"
    r"Đúng hạn|Quá hạn|Ghi chú|Tình trạng|Kết quả|tiếp nhận|giải quyết|xử lý|Cổng|DVC\w*)\b",
    re.IGNORECASE,
)
_HEADER_LINE_WORDS = 3  # header words on the line that shows a table's header
_HEADER_BLOCK_WORDS = 4  # or on a block of lines close together
_CAPTIONED_HEADER_WORDS = 2  # or right under the table's caption
_COUNT = re.compile(r"\d[\d.,]*%?")
_FIGURE = re.compile(r"\d/\d")  # a narrative figure, "154/1.275 hồ sơ": prose, no header
_ITEM = re.compile(r"(?:\d+(?:\.\d+)?|[IVX]{1,4})[.,)]?")  # "12.", "13.1", "II"
_CAPTION = re.compile(r"^(?:PHỤ LỤC|Phụ lục|BIỂU|Biểu|DANH MỤC|ĐỊNH SỐ|QUYẾT ĐỊNH)\b|/QĐ-TTg")
_ENDS_TABLE = re.compile(r"^(?:PHỤ LỤC|Phụ lục|BIỂU|Biểu|Nơi nhận|TM\.|KT\.)")


@dataclass(frozen=True)
class Columns:
    """Where a borderless table's column strips lie (pixels), for its next page."""

    gutters: tuple[int, ...]
    left: int
    right: int
    # where each upright may lie: a header's white space, wider than the body's strip
    spans: tuple[tuple[int, int], ...]


@dataclass
class _Line:
    top: float
    bottom: float
    text: str
    spans: list[tuple[float, float]]  # each word's left and right

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def unruled_tables(
    image: Image.Image,
    scale: float,
    words: list[Word],
    exclude: list[tuple[float, float, float, float]],
    carried: Columns | None,
) -> tuple[list[list[Edge]], Columns | None]:
    """The rules of each borderless table on the page (one edge list per table), in
    points, and the columns of the last one when it runs to the foot of the page.
    ``exclude``: ruled tables' boxes; ``carried``: the columns of a table the previous
    page ended in."""
    lines = [
        line
        for line in _lines(words)
        if not any(box[1] - 1 <= line.middle <= box[3] + 1 for box in exclude)
    ]
    starts = _header_starts(lines)
    openings: list[tuple[int | None, int]] = []  # (first header line or None, first body line)
    if carried is not None:  # the table goes on above the page's first header or ruled table
        first_ruled = min((box[1] for box in exclude), default=float("inf"))
        first_header = starts[0] if starts else len(lines)
        rows = [i for i in range(first_header) if lines[i].bottom < first_ruled]
        first_row = next((i for i in rows if _opens_row(lines[i])), None)
        if first_row is not None:
            openings.append((None, _rows_above(lines, first_row, carried, scale)))
    openings += [_header_block(lines, start) for start in starts]
    if not openings:
        return [], None
    ink = _ink(image)
    found: list[list[Edge]] = []
    goes_on: Columns | None = None
    table_bottom = -1.0
    for header_from, body_from in openings:
        if lines[body_from if header_from is None else header_from].top < table_bottom:
            continue  # a line of the header or body of the table just drawn
        table = _table(ink, scale, lines, header_from, body_from, exclude, carried)
        if table is None:
            continue
        edges, columns, to_foot = table
        found.append(edges)
        table_bottom = max(edge["bottom"] for edge in edges)
        goes_on = columns if to_foot else None
    return found, goes_on


def _table(
    ink: np.ndarray,
    scale: float,
    lines: list[_Line],
    header_from: int | None,
    body_from: int,
    exclude: list[tuple[float, float, float, float]],
    carried: Columns | None,
) -> tuple[list[Edge], Columns, bool] | None:
    top_pt = lines[body_from if header_from is None else header_from].top
    top = int(top_pt * scale)
    # the band of the first line may begin above it: a header cell or a row's name
    # stacked higher than the line found
    above = max(top - int(HEADER_GAP_PT * scale), 0)
    bands = [
        (a + above, b + above)
        for a, b in _bands(ink[above:], ROW_GAP_PT * scale)
        if b + above > top
    ]
    header: list[tuple[int, int]] = []
    if header_from is not None:
        bands = _first_row_apart(bands, lines, scale, ink)
        for band in bands:
            inside = [line for line in lines if band[0] <= line.middle * scale <= band[1]]
            named = sum(len(_HEADER_WORD.findall(line.text)) for line in inside)
            words = sum(len(line.text.split()) for line in inside)
            if header and (_opening_lines(inside) or named < max(2, HEADER_WORD_SHARE * words)):
                break  # a row (its number unread): a name's prose, a header word here and there
            header.append(band)
        if not header:
            return None
        below = [i for i, line in enumerate(lines) if line.middle * scale > header[-1][1]]
        body_from = below[0] if below else None
    body: list[tuple[int, int]] = []
    to_foot = True  # a header at the page's foot: its body is on the next page
    if body_from is not None:
        body_end, to_foot = _body_end(lines, body_from, exclude)
        body = [band for band in bands[len(header) :] if band[0] < body_end * scale]
        # blank space taller than any row's padding ends it (measured on the ink: OCR
        # may have dropped a tall note's lines)
        gaps = [
            n for n in range(1, len(body)) if body[n][0] - body[n - 1][1] > TABLE_END_GAP_PT * scale
        ]
        if gaps:
            body, to_foot = body[: gaps[0]], False
    half_width = int(MIN_GUTTER_PT * scale / 2)
    if header_from is None and carried is not None:
        body = _rows_before_prose(ink, body, list(carried.gutters), half_width)
        if not body:
            return None
        inked = np.flatnonzero(ink[body[0][0] : body[-1][1]].any(axis=0))
        left, right = min(carried.left, int(inked[0])), max(carried.right, int(inked[-1]))
        spans, gutters = list(carried.spans), _refitted(ink, body, carried)
    else:
        rows = ink[header[0][0] : (body or header)[-1][1]]
        columns_ink = np.flatnonzero(rows.any(axis=0))
        if not len(columns_ink):
            return None
        left, right = int(columns_ink[0]), int(columns_ink[-1])
        if len(body) >= MIN_BODY_ROWS:
            spanning = [_spans_columns(lines, band, scale) for band in body]
            rows = [band for band, spans in zip(body, spanning, strict=True) if not spans]
            gutters = _gutters(ink, rows or body, header, left, right, scale)
            spans = [(gutter, gutter + 1) for gutter in gutters]
        else:  # too few rows to tell columns by: the header's own white space
            spans = _header_gutters(ink, header, left, right, scale)
            gutters = [(a + b) // 2 for a, b in spans]
        kept = _rows_before_prose(ink, body, gutters, half_width)
        to_foot = to_foot and len(kept) == len(body)
        body = kept
    if len(gutters) + 1 < MIN_COLUMNS:
        return None
    pt = 1 / scale
    margin = MARGIN_PT * scale
    x_left, x_right = left - margin, right + margin
    table_top = (header[0][0] if header else body[0][0]) - margin
    table_bottom = (body or header)[-1][1] + margin
    separators = [(a[1] + b[0]) / 2 for a, b in pairwise(body)]
    header_bottom = (
        table_top
        if not header
        else table_bottom
        if not body
        else ((header[-1][1] + body[0][0]) / 2)
    )
    row_edges = [header_bottom, *separators, table_bottom] if body else [table_bottom]
    edges = [_rule("h", x_left, y, x_right, y, pt) for y in [table_top, *row_edges]]
    edges += [_rule("v", x, table_top, x, table_bottom, pt) for x in (x_left, x_right)]
    reach = {g: _reach(ink, g, header_bottom, table_top, half_width) for g in gutters}
    for gutter in gutters:
        edges.append(_rule("v", gutter, reach[gutter], gutter, header_bottom, pt))
        # text across the strip (a space between its words may fall on the upright)
        crossed = [
            bool(ink[a:b, max(gutter - half_width + 1, 0) : gutter + half_width].any())
            for a, b in body
        ]
        if not header and all(crossed):  # a column the page before had: crossed by
            crossed = [False] * len(body)  # a skewed word in each of a few rows, not gone
        for cross, (upper, lower) in zip(crossed, pairwise(row_edges), strict=True):
            if not cross:
                edges.append(_rule("v", gutter, upper, gutter, lower, pt))
    edges += _group_rules(gutters, reach, x_left, x_right, table_top, pt)
    kept = Columns(tuple(gutters), left, right, tuple(spans))
    return edges, kept, to_foot


def _first_row_apart(
    bands: list[tuple[int, int]], lines: list[_Line], scale: float, ink: np.ndarray
) -> list[tuple[int, int]]:
    """The bands with the first row cut off the header's last band where no blank space
    parts them (a row's name starting right under a header whose cells reach lower
    beside it): the row starts at the top of the lines stacked over its number line's
    name, the header's words above them, cut along the row of pixels with the least ink
    between the two (an OCR word's box may not reach its tone marks)."""
    for index, band in enumerate(bands):
        inside = [line for line in lines if band[0] <= line.middle * scale <= band[1]]
        opening = next((line for line in _opening_lines(inside) if len(line.spans) > 1), None)
        if opening is None:
            continue
        top = _stacked_top(inside, opening)
        cut = int(top * scale) - 1
        above = [line for line in inside if line.bottom * scale <= cut]
        if cut <= band[0] or sum(len(_HEADER_WORD.findall(line.text)) for line in above) < 2:
            return bands
        highest = max(int(max(line.bottom for line in above) * scale), band[0] + 1)
        if highest < cut:
            cut = highest + int(np.argmin(ink[highest : cut + 1].sum(axis=1)))
        return [*bands[:index], (band[0], cut), (cut, band[1]), *bands[index + 1 :]]
    return bands


def _stacked_top(lines: list[_Line], opening: _Line) -> float:
    """The top of the name wrapped over ``opening``'s line: the lines above it with words
    where the name column starts (the first words right of its item number, on the lines
    about it), each a line's height or less above the next (lines of other columns
    between them left aside)."""
    height = opening.bottom - opening.top
    item_right = opening.spans[0][1]
    near = [ln for ln in lines if abs(ln.top - opening.top) <= 2 * height]
    name_x0 = min((x0 for ln in near for x0, _ in ln.spans if x0 > item_right), default=None)
    if name_x0 is None:
        return opening.top
    top = opening.top
    for line in sorted((ln for ln in lines if ln.top < opening.top), key=lambda ln: -ln.top):
        if not any(abs(x0 - name_x0) <= height for x0, _ in line.spans):
            continue  # another column's line (a note's, beside the name)
        if top - line.bottom > height:
            break
        top = line.top
    return top


def _rows_before_prose(
    ink: np.ndarray, body: list[tuple[int, int]], gutters: list[int], half_width: int
) -> list[tuple[int, int]]:
    """The body's rows down to the first paragraph of prose: text across most column
    strips (a row's text crosses none, or a few where "Không thuộc thẩm quyền" runs)."""
    for index, (a, b) in enumerate(body):
        crossed = sum(ink[a:b, max(g - half_width + 1, 0) : g + half_width].any() for g in gutters)
        if gutters and crossed >= PROSE_SHARE * len(gutters):
            return body[:index]
    return body


def _group_rules(
    gutters: list[int],
    reach: dict[int, float],
    x_left: float,
    x_right: float,
    table_top: float,
    pt: float,
) -> list[Edge]:
    """Under a header cell spanning several columns ("Kết quả tiếp nhận"), the rule
    that closes it, from the first upright reaching higher on its left to the first on
    its right."""
    edges = []
    tops = [(x_left, table_top), *((g, reach[g]) for g in gutters), (x_right, table_top)]
    for index, (_, y) in enumerate(tops):
        if y <= table_top + 1:
            continue
        left = next(tx for tx, ty in reversed(tops[:index]) if ty < y - 2)
        right = next(tx for tx, ty in tops[index + 1 :] if ty < y - 2)
        edges.append(_rule("h", left, y, right, y, pt))
    return edges


def _reach(ink: np.ndarray, x: int, bottom: float, top: float, half_width: int) -> float:
    """How high a blank strip ``2 * half_width`` wide around ``x`` rises from ``bottom``
    before header text crosses it (a space between two words is narrower)."""
    strip = ink[int(top) : int(bottom), max(x - half_width, 0) : x + half_width + 1].any(axis=1)
    crossed = np.flatnonzero(strip)
    return top if not len(crossed) else top + crossed[-1] + 2


def _spans_columns(lines: list[_Line], band: tuple[int, int], scale: float) -> bool:
    """Whether a body row says its service is not the unit's to count ("Không thuộc
    thẩm quyền của cấp huyện"): such text runs across the count columns' strips."""
    return any(
        NOT_APPLICABLE.search(ascii_key(line.text))
        for line in lines
        if band[0] <= line.middle * scale <= band[1]
    )


def _gutters(
    ink: np.ndarray,
    body: list[tuple[int, int]],
    header: list[tuple[int, int]],
    left: int,
    right: int,
    scale: float,
) -> list[int]:
    """An upright's x in each strip that body text leaves blank (but for the few rows
    whose text runs across columns), where it rises highest into the header."""
    crossing = np.zeros(right - left + 1, dtype=int)
    for a, b in body:
        crossing += ink[a:b, left : right + 1].any(axis=0)
    allowed = int(SPAN_SHARE * len(body))
    clear = crossing <= allowed
    header_top = header[0][0] if header else body[0][0]
    header_bottom = body[0][0]
    half_width = int(MIN_GUTTER_PT * scale / 2)
    gutters = []
    for run in _runs(clear):
        if run[0] > 0 and run[1] == len(clear) and header:
            # blank to the table's right edge in (nearly) every row: a last column few
            # rows fill (a note's), or none; the header's white space tells it apart
            sparse = _header_gutters(ink, header, left + run[0], right, scale)
            gutters += [(a + b) // 2 for a, b in sparse]
            continue
        if run[0] == 0 or run[1] == len(clear):
            continue
        for start, end in _apart_from_lone_cells(crossing, run, int(MIN_GUTTER_PT * scale)):
            if end - start < MIN_GUTTER_PT * scale:
                continue
            strips = _header_strips(ink, header, left + start, left + end, scale) if header else []
            if len(strips) > 1:
                # a column no row of this page fills ("Chưa kết nối") under a header cell
                # of its own: the header's white space parts it from its neighbours
                gutters += [(a + b) // 2 for a, b in strips]
                continue
            # an upright is drawn in a row only when the strip around it is blank there:
            # it stands at least half that strip's width inside the blank run when it can
            wide = end - start > 2 * half_width
            inside = range(start + half_width, end - half_width) if wide else range(start, end)
            around = {x: crossing[max(x - half_width + 1, 0) : x + half_width].max()
                      for x in inside}  # fmt: skip
            fewest = min(around.values())
            best = min(
                (x for x in inside if around[x] == fewest),
                key=lambda x: (
                    _reach(ink, x + left, header_bottom, header_top, half_width),
                    abs(x - (start + end) / 2),
                ),
            )
            gutters.append(best + left)
    return gutters


def _apart_from_lone_cells(
    crossing: np.ndarray, run: tuple[int, int], min_gutter: int
) -> list[tuple[int, int]]:
    """A strip few rows cross, parted where those rows' ink stands clear of both its
    edges: the cells of a column few rows fill (one "x" under "Chưa kết nối"), with a
    column gap of blank on each side. Ink touching an edge (a "Không thuộc thẩm quyền"
    running across, more than half a gap into the strip) parts nothing."""
    start, end = run
    blank = [(start + a, start + b) for a, b in _runs(crossing[start:end] == 0)]
    wide = [(a, b) for a, b in blank if b - a >= min_gutter]
    if len(wide) < 2 or wide[0][0] - start > min_gutter // 2 or end - wide[-1][1] > min_gutter // 2:
        return [run]
    return wide


def _header_gutters(
    ink: np.ndarray, header: list[tuple[int, int]], left: int, right: int, scale: float
) -> list[tuple[int, int]]:
    """Where the uprights of a header with no body under it (it ends the page) may lie:
    strips a column gap wide that rise from the header's foot through most of it."""
    clear, height = _header_clearance(ink, header, left, right, scale)
    spans = []
    for start, end in _runs(clear >= HEADER_GUTTER_SHARE * height):
        # blank from top to foot: between cells that span the header's height ("STT");
        # else rising to a cell spanning columns ("Kết quả tiếp nhận"), under it
        full = [(start + a, start + b) for a, b in _runs(clear[start:end] == height)]
        if full:
            spans += [(left + a, left + b) for a, b in full if a > 0 and b < len(clear)]
        elif start > 0 and end < len(clear):
            spans.append((left + start, left + end))
    return spans


def _header_strips(
    ink: np.ndarray, header: list[tuple[int, int]], left: int, right: int, scale: float
) -> list[tuple[int, int]]:
    """The strips of blank, twice a column gap wide, that rise from the header's foot
    through most of it between ``left`` and ``right``; two strips parted by ink narrower
    than a word (a speck, a dash OCR saw) are one."""
    clear, height = _header_clearance(ink, header, left, right, scale)
    half_width = int(MIN_GUTTER_PT * scale / 2)
    strips: list[tuple[int, int]] = []
    for a, b in _runs(clear >= HEADER_GUTTER_SHARE * height):
        if strips and a - strips[-1][1] < 4 * half_width:  # widened by a gap each side
            strips[-1] = (strips[-1][0], b)
        else:
            strips.append((a, b))
    return [(left + a, left + b) for a, b in strips if b - a >= 2 * half_width]


def _header_clearance(
    ink: np.ndarray, header: list[tuple[int, int]], left: int, right: int, scale: float
) -> tuple[np.ndarray, int]:
    """How high blank space a column gap wide rises from the header's foot at each x
    from ``left`` to ``right``, and the header's height (pixels)."""
    import cv2

    top, bottom = header[0][0], header[-1][1]
    half_width = int(MIN_GUTTER_PT * scale / 2)
    region = ink[top:bottom, left : right + 1].astype(np.uint8)
    widened = cv2.dilate(region, np.ones((1, 2 * half_width + 1), np.uint8)) > 0
    height = bottom - top
    lowest = height - 1 - np.argmax(widened[::-1], axis=0)  # each x's lowest ink
    return np.where(widened.any(axis=0), height - 1 - lowest, height), height


def _refitted(ink: np.ndarray, body: list[tuple[int, int]], columns: Columns) -> list[int]:
    """The uprights of a table going on, each moved within its span to where this
    page's rows leave the most room (a header's white space only bounds the column's
    edge: counts printed left in their cells stand right of its middle)."""
    gutters = []
    for gutter, (start, end) in zip(columns.gutters, columns.spans, strict=True):
        crossing = np.zeros(end - start, dtype=int)
        for a, b in body:
            crossing += ink[a:b, start:end].any(axis=0)
        fewest = crossing.min()
        runs = _runs(crossing == fewest)
        widest = max(runs, key=lambda run: (run[1] - run[0], -abs(run[0] + start - gutter)))
        gutters.append(start + (widest[0] + widest[1]) // 2)
    return gutters


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(int)
    changes = np.flatnonzero(np.diff(padded))
    return list(zip(changes[::2].tolist(), changes[1::2].tolist(), strict=True))


def _bands(ink: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """Runs of inked pixel rows, those closer than ``gap`` joined."""
    bands: list[tuple[int, int]] = []
    for start, end in _runs(ink.sum(axis=1) >= ROW_INK_PIXELS):
        if bands and start - bands[-1][1] < gap:
            bands[-1] = (bands[-1][0], end)
        else:
            bands.append((start, end))
    return bands


def _ink(image: Image.Image) -> np.ndarray:
    """The page's ink (Otsu's threshold), without specks."""
    import cv2

    gray = np.asarray(image.convert("L"))
    _, dark = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= SPECK_PIXELS
    return keep[labels]


def _lines(words: list[Word]) -> list[_Line]:
    """OCR words in lines, each line's words left to right."""
    grouped: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if grouped and abs(word["top"] - grouped[-1][0]["top"]) <= SAME_LINE_PT:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    lines = []
    for group in grouped:
        group.sort(key=lambda w: w["x0"])
        lines.append(
            _Line(
                min(w["top"] for w in group),
                max(w["bottom"] for w in group),
                " ".join(w["text"] for w in group),
                [(w["x0"], w["x1"]) for w in group],
            )
        )
    return lines


def _header_starts(lines: list[_Line]) -> list[int]:
    """Lines where a table's header shows: a line naming several header cells, or the
    first of a block of lines that do so together (OCR splits a header of stacked cells
    into many short lines)."""
    starts = []
    first = 0
    while first < len(lines):
        last, bottom = first, lines[first].bottom
        while last + 1 < len(lines) and lines[last + 1].top - bottom < ROW_GAP_PT:
            last += 1
            bottom = max(bottom, lines[last].bottom)
        block = range(first, last + 1)
        keyed = [i for i in block if _is_header_line(lines[i])]
        named = sum(len(_HEADER_WORD.findall(lines[i].text)) for i in block)
        opened = _opening_lines([lines[i] for i in block])
        captioned = first > 0 and bool(_CAPTION.match(lines[first - 1].text.strip()))
        figure = any(_FIGURE.search(lines[i].text) for i in block)
        if keyed:
            starts += keyed
        elif (not opened and not figure and named >= _HEADER_BLOCK_WORDS) or (
            captioned and named >= (_HEADER_BLOCK_WORDS if opened else _CAPTIONED_HEADER_WORDS)
        ):
            starts.append(first)  # a header OCR garbled still names a few cells under
            # its table's caption ("PHỤ LỤC: …" / "ĐỊNH SỐ 06/QĐ-TTg"), where stray digits
            # OCR read in its stacked cells ("2.", "2.") open no row; elsewhere a block
            # with a row's counts or item number is a row whose name says "kết nối",
            # "Cổng"…, and one with a figure ("154/1.275 hồ sơ") a sentence of prose
        first = last + 1
    return starts


def _is_header_line(line: _Line) -> bool:
    return len(_HEADER_WORD.findall(line.text)) >= _HEADER_LINE_WORDS and not _counts(line)


def _rows_above(lines: list[_Line], first: int, carried: Columns, scale: float) -> int:
    """The first line of a continued table: the lines above its first row of counts
    that keep to its columns (OCR may have lost a row's counts), up to the page's
    running header or number."""
    gutters = [g / scale for g in carried.gutters]
    while first > 0:
        line = lines[first - 1]
        crossed = sum(x0 < g < x1 for x0, x1 in line.spans for g in gutters)
        if (
            lines[first].top - line.bottom > TABLE_END_GAP_PT
            or crossed > 1
            or _COUNT.fullmatch(line.text.strip("-– "))
        ):
            break
        first -= 1
    return first


def _opens_row(line: _Line, left: float | None = None) -> bool:
    """A line of counts, or an item number before text: a table row, not a page number.
    ``left``: where the leftmost word about the line starts; an item number stands in the
    table's first column, no further right (a header's "Đã kết nối" OCR read as "4 kới"
    is no row)."""
    tokens = line.text.split()
    item = len(tokens) > 1 and bool(_ITEM.fullmatch(tokens[0]))
    in_first_column = left is None or line.spans[0][0] <= left + ITEM_COLUMN_PT
    return _counts(line) >= 2 or (item and in_first_column)


def _opening_lines(lines: list[_Line]) -> list[_Line]:
    """The lines of a band or block that open a row: its item number stands in the
    table's first column, no further right than the leftmost word among them."""
    left = min((line.spans[0][0] for line in lines), default=0.0)
    return [line for line in lines if _opens_row(line, left)]


def _counts(line: _Line) -> int:
    return sum(bool(_COUNT.fullmatch(token.strip("().;:"))) for token in line.text.split())


def _header_block(lines: list[_Line], key: int) -> tuple[int, int]:
    """The first line of the header around line ``key`` and the first line below it."""
    first = key
    while (
        first > 0
        and lines[first].top - lines[first - 1].bottom < HEADER_GAP_PT
        and _HEADER_WORD.search(lines[first - 1].text)
        and not _ENDS_TABLE.match(lines[first - 1].text)
        and not _counts(lines[first - 1])
    ):
        first -= 1
    after = key + 1
    while after < len(lines) and (
        _in_header(lines[after], lines[after].top - lines[after - 1].bottom)
    ):
        after += 1
    return first, after


def _in_header(line: _Line, gap: float) -> bool:
    """Whether a line this far under a header's line goes on with the header: it names a
    header cell, or it is stacked right under (OCR garbles a stacked cell's words:
    "cơ quốc gia trực") and opens no row (a group's heading sits a row's gap below)."""
    if gap < HEADER_GAP_PT and _HEADER_WORD.search(line.text) and not _counts(line):
        return True
    return gap < ROW_GAP_PT and _counts(line) < 2 and not _opens_row(line)


def _body_end(
    lines: list[_Line], body_from: int, exclude: list[tuple[float, float, float, float]]
) -> tuple[float, bool]:
    """Where the table's body ends (points), and whether it runs to the page's foot."""
    if body_from >= len(lines):
        return lines[-1].bottom, False
    last = body_from
    for index in range(body_from + 1, len(lines)):
        line = lines[index]
        if (
            _ENDS_TABLE.match(line.text)
            or _is_header_line(line)
            or any(box[1] > lines[last].bottom and box[1] < line.bottom for box in exclude)
        ):
            return lines[last].bottom, False
        last = index
    return lines[last].bottom, True


def _rule(orientation: str, x0: float, top: float, x1: float, bottom: float, pt: float) -> Edge:
    """An edge in points from pixel positions."""
    return rule_edge(orientation, x0 * pt, top * pt, x1 * pt, bottom * pt)
