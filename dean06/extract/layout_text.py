"""Text laid out in columns with spaces (``pdftotext -layout`` and the like).

Such text keeps each table row's cells at their printed horizontal place, so every word
gets a position — its character column and line — and the page goes through the same
borderless rebuild as a PDF page's words (``borderless.lines_to_tables``). There is no
font, so a header line is one that holds no count.
"""

from __future__ import annotations

import re

from dean06.extract.borderless import GridLayout, Line, lines_to_tables
from dean06.normalize.text import clean_text
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
_TITLE = re.compile(r"(PHỤ LỤC|Phụ lục|BIỂU|Biểu)\b")


def is_layout_text(pages: list[list[str]]) -> bool:
    """Columns aligned by spaces: several lines hold three or more cells apart."""
    aligned = sum(
        1 for lines in pages for line in lines if len(_CELL_GAP.findall(line.strip())) >= 2
    )
    return aligned >= 4


def collapse_spacing(lines: list[str]) -> list[str]:
    """The page's lines as a plain converter gives them: a line holding a count with its
    cells run together, a line without one broken into its cells, one per line."""
    out: list[str] = []
    for line in lines:
        cells = [cell for cell in _CELL_SPLIT.split(line.strip()) if cell]
        if len(cells) > 1 and not any(_COUNT.match(word) for word in line.split()):
            out.extend(cells)
        else:
            out.append(" ".join(cells))
    return out


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
    for bbox, rows, engine in sorted(grids, key=lambda g: g[0][1]):
        above = _band_text(positioned, top, bbox[1])
        if above:
            items.append(TextBlock(page=page, text=above))
        caption = " ".join(above.splitlines()[-_CAPTION_LINES:]) if above else ""
        items.append(Table(page=page, rows=rows, caption=caption, engine=f"layout-{engine}"))
        top = bbox[3]
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
