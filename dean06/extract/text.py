"""Converter text (TXT/Markdown): paragraphs and tables as converters leave them.

Tables come as tab-separated, pipe or HTML rows; else as columns aligned with spaces
(``pdftotext -layout``: ``layout_text``); else as lines with the spacing collapsed
(``row_runs``)."""

from __future__ import annotations

import re
from pathlib import Path

from dean06.errors import TooLarge
from dean06.extract.borderless import GridLayout
from dean06.extract.encodings import decode_text
from dean06.extract.layout_text import (
    collapse_spacing,
    is_layout_text,
    join_cut_counts,
    join_wrapped_rates,
    layout_page_to_items,
)
from dean06.extract.page_furniture import strip_page_furniture
from dean06.extract.row_runs import LayoutHint, NameScore, join_cut_counts_of_runs, row_run_tables
from dean06.normalize.text import clean_text
from dean06.schemas import Document, DocumentKind, Table, TextBlock

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_HTML_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S | re.I)
_HTML_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S | re.I)
_CAPTION_LINES = 3
MAX_TEXT_BYTES = 32 * 2**20  # a text file over this is refused before it is read


class TextReader:
    """``name_score`` rates a printed service name (0–100) for tables that arrive with
    their spacing collapsed (``row_runs``); without it such tables are not read."""

    kind = DocumentKind.TEXT

    def __init__(self, name_score: NameScore | None = None) -> None:
        self.name_score = name_score

    def read(self, path: Path) -> Document:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise TooLarge(
                f"{path.name}: {size / 2**20:.0f} MiB of text (cap {MAX_TEXT_BYTES // 2**20} MiB "
                "a file; a report's text is well under 1 MiB)"
            )
        text, converted_from = decode_text(path.read_bytes(), path.name)
        text = _html_tables_to_tabs(text)
        pages = strip_page_furniture([page.splitlines() for page in text.split("\f")])
        items = [item for n, lines in enumerate(pages, 1) for item in lines_to_items(lines, n)]
        alternative = None
        if not any(isinstance(item, Table) for item in items):  # no tab, pipe or HTML rows
            if is_layout_text(pages):
                pages = [join_wrapped_rates(join_cut_counts(lines)) for lines in pages]
                if self.name_score is not None:  # the same lines read as runs of rows too
                    collapsed = [collapse_spacing(lines) for lines in pages]
                    alternative = _with_row_run_tables(
                        items, [c[0] for c in collapsed], self.name_score, [c[1] for c in collapsed]
                    )
                items = _layout_items(pages)
            elif self.name_score is not None:
                items = _with_row_run_tables(items, pages, self.name_score)
        return Document(
            path=str(path), kind=self.kind, page_count=len(pages), items=items,
            alternative_items=alternative, converted_from=converted_from,
        )  # fmt: skip


def split_row(line: str) -> list[str] | None:
    """Cells of a table line (tab-separated or markdown pipes), or None for prose."""
    if "\t" in line:
        return [clean_text(cell) for cell in line.split("\t")]
    if _PIPE_ROW.match(line):
        cells = [clean_text(cell) for cell in line.strip().strip("|").split("|")]
        return cells
    return None


def lines_to_items(lines: list[str], page: int) -> list[TextBlock | Table]:
    """Group consecutive table lines into tables (blank lines inside allowed)."""
    items: list[TextBlock | Table] = []
    rows: list[list[str]] = []
    recent_prose: list[str] = []

    def flush_table() -> None:
        if rows:
            caption = " ".join(recent_prose[-_CAPTION_LINES:])
            items.append(Table(page=page, rows=list(rows), caption=caption, engine="text"))
            rows.clear()
            recent_prose.clear()

    for line in lines:
        cells = split_row(line)
        if cells is not None:
            if all(_SEPARATOR_CELL.match(c) or not c for c in cells) and any(cells):
                continue  # markdown header separator
            rows.append(cells)
            continue
        text = clean_text(line)
        if not text:
            continue
        flush_table()
        items.append(TextBlock(page=page, text=text))
        recent_prose.append(text)
    flush_table()
    return items


def _html_tables_to_tabs(text: str) -> str:
    """HTML ``<table>`` fragments become tab-separated lines."""
    if "<tr" not in text.lower():
        return text

    def table_to_lines(match: re.Match[str]) -> str:
        out = []
        for row in _HTML_ROW.findall(match.group(0)):
            cells = [c.replace("\t", " ").replace("\n", " ") for c in _HTML_CELL.findall(row)]
            out.append("\t".join(cells))
        return "\n" + "\n".join(out) + "\n"

    return re.sub(r"<table[^>]*>.*?</table>", table_to_lines, text, flags=re.S | re.I)


def _layout_items(pages: list[list[str]]) -> list[TextBlock | Table]:
    """Prose and tables of text laid out with spaces, a table going on over pages."""
    items: list[TextBlock | Table] = []
    layout: GridLayout | None = None
    for number, lines in enumerate(pages, start=1):
        page_items, layout = layout_page_to_items(lines, number, layout)
        items.extend(page_items)
    return items


def _with_row_run_tables(
    items: list[TextBlock | Table],
    pages: list[list[str]],
    name_score: NameScore,
    layout_hints: list[list[LayoutHint]] | None = None,
) -> list[TextBlock | Table]:
    """Prose with the collapsed tables put back in place of their lines; ``layout_hints``:
    per line, what its layout showed (layout text read as runs of rows)."""
    hints = layout_hints or [[LayoutHint()] * len(page) for page in pages]
    numbered = [
        (number, line, hint)
        for number, (page, page_hints) in enumerate(zip(pages, hints, strict=True), start=1)
        for line, hint in zip(page, page_hints, strict=True)
        if line.strip()
    ]
    lines = [(number, line) for number, line, _ in numbered]
    line_hints = [hint for _, _, hint in numbered]
    if layout_hints is None:  # layout text had its cut counts joined by their columns
        lines = join_cut_counts_of_runs(lines)
        line_hints = [LayoutHint()] * len(lines)
    found = row_run_tables(lines, name_score, line_hints)
    if not found:
        return items
    out: list[TextBlock | Table] = []
    position = 0
    for table, (start, end) in found:
        out.extend(TextBlock(page=n, text=clean_text(t)) for n, t in lines[position:start])
        out.append(table)
        position = end
    out.extend(TextBlock(page=n, text=clean_text(t)) for n, t in lines[position:])
    return out
