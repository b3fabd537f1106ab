"""Draw what the extractor saw on a PDF page: table grids, column roles, service ids."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pikepdf
from PIL import ImageDraw

from dean06.catalog import Matcher
from dean06.errors import UnreadableDocument, UnsupportedFormat
from dean06.extract.base import detect_kind
from dean06.extract.borderless import find_borderless_tables
from dean06.extract.pdf import PdfiumPages, cell_texts, open_pdf
from dean06.normalize.headers import column_roles, header_depth
from dean06.pipeline import process_file
from dean06.schemas import DocumentKind, ReportResult

RESOLUTION = 110


def draw_page(path: Path, page_number: int, out: Path) -> Path:
    """Write a PNG of ``page_number`` (1-based) with the detected structure drawn on it.
    Only that page is extracted (OCR'd when it is a scan); a file that is not a PDF, or
    has no such page, is refused in one line."""
    kind = detect_kind(path)
    if kind is not DocumentKind.PDF:
        raise UnsupportedFormat(
            f"{path.name}: debug draws the pages of a PDF; this is {kind.value} (use "
            "dean06 show to see what was read from it)"
        )
    with open_pdf(path) as pdf, PdfiumPages(path) as fast:
        if not 1 <= page_number <= len(pdf.pages):
            raise UnreadableDocument(
                f"{path.name}: no page {page_number} (it has {len(pdf.pages)})"
            )
        result = _page_result(path, page_number)
        page = pdf.pages[page_number - 1]
        fast.attach(page)  # the objects the extraction reads
        image = page.to_image(resolution=RESOLUTION)
        scale = RESOLUTION / 72
        ruled = page.find_tables()
        for table in ruled:
            image.draw_rects(
                [cell for cell in table.cells], stroke="blue", fill=None, stroke_width=1
            )
        borderless, _ = find_borderless_tables(page, exclude=[t.bbox for t in ruled])
        for grid in borderless:
            image.draw_rect(grid.bbox, stroke="green", fill=None, stroke_width=2)
        canvas = ImageDraw.Draw(image.annotated)
        grids = [(t.bbox, [[c or "" for c in r] for r in cell_texts(t)], t) for t in ruled]
        grids += [(grid.bbox, grid.rows, None) for grid in borderless]
        for bbox, rows, table in grids:
            _label_roles(canvas, bbox, rows, table, scale)
        for row in result.services:
            if not row.service_id:
                continue
            found = page.search(row.name_in_doc[:25], regex=False)
            if found:
                x, y = found[0]["x0"] * scale, found[0]["top"] * scale
                canvas.text((max(x - 60, 0), y), row.service_id, fill="red")
        image.save(str(out), format="PNG")
    return out


def _page_result(path: Path, page_number: int) -> ReportResult:
    """The extraction of the one page (copied into a PDF of its own)."""
    with tempfile.TemporaryDirectory(prefix="dean06-debug-") as folder:
        single = Path(folder) / path.name
        with pikepdf.open(path) as source, pikepdf.new() as alone:
            alone.pages.append(source.pages[page_number - 1])
            alone.save(single)
        return process_file(single, Matcher())


def _label_roles(canvas: ImageDraw.ImageDraw, bbox: tuple[float, float, float, float],
                 rows: list[list[str]], table: object, scale: float) -> None:  # fmt: skip
    depth = header_depth(rows)
    if not depth:
        return
    width = max(len(r) for r in rows)
    roles = column_roles(rows[:depth], width)
    columns = getattr(table, "columns", None)
    for role, indexes in roles.items():
        for index in indexes:
            if columns is not None and index < len(columns):
                x = columns[index].bbox[0]
            else:
                x = bbox[0] + (bbox[2] - bbox[0]) * index / width
            canvas.text((x * scale + 2, bbox[1] * scale - 12), role.value, fill="purple")
