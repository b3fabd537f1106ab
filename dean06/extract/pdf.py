"""PDF with a text layer: pdfplumber for text and ruled tables.

Each page is cut at its tables: the prose above, between and below them becomes text
blocks, the tables become grids whose merged cells are empty strings. The prose just
above a table is kept as its caption. Pages without any characters are listed so the
pipeline can say the document needs OCR.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from dean06.errors import EncryptedDocument, NeedsOcr, UnreadableDocument
from dean06.extract.borderless import GridLayout, find_borderless_tables
from dean06.normalize.text import clean_text
from dean06.schemas import Document, DocumentKind, Table, TextBlock

_CAPTION_LINES = 6
_MIN_CHARS_PER_PAGE = 20


class PdfReader:
    kind = DocumentKind.PDF

    def read(self, path: Path) -> Document:
        try:
            with pdfplumber.open(path, unicode_norm="NFC") as pdf:
                items: list[TextBlock | Table] = []
                empty_pages: list[int] = []
                layout: GridLayout | None = None
                for number, page in enumerate(pdf.pages, start=1):
                    if len(page.chars) < _MIN_CHARS_PER_PAGE:
                        empty_pages.append(number)
                        continue
                    page_items, layout = page_to_items(page, number, layout)
                    items.extend(page_items)
                page_count = len(pdf.pages)
        except PdfminerException as exc:
            raise _translate(path, exc.args[0] if exc.args else exc.__cause__) from exc
        except (PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise _translate(path, exc) from exc
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise UnreadableDocument(
                f"{path.name}: damaged PDF ({type(exc).__name__}: {exc})"
            ) from exc
        if page_count == 0:
            raise UnreadableDocument(f"{path.name}: PDF has no pages")
        if len(empty_pages) == page_count:
            raise NeedsOcr(
                f"{path.name}: image-only PDF ({page_count} pages, no text layer); it needs OCR"
            )
        return Document(
            path=str(path),
            kind=self.kind,
            page_count=page_count,
            items=items,
            pages_without_text=empty_pages,
        )


def _translate(path: Path, cause: object) -> Exception:
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return EncryptedDocument(f"{path.name}: PDF is password protected")
    reason = str(cause) or type(cause).__name__
    return UnreadableDocument(f"{path.name}: not a readable PDF ({reason})")


def page_to_items(page: Page, number: int, layout: GridLayout | None = None
                  ) -> tuple[list[TextBlock | Table], GridLayout | None]:  # fmt: skip
    """Prose and tables of one page in reading order, and the borderless layout that
    ends the page (a table may continue on the next one)."""
    found = [t for t in page.find_tables() if t.rows and len(t.columns) > 1]
    grids = [(t.bbox, _grid(t.extract()), "pdfplumber") for t in found]
    borderless, layout = find_borderless_tables(
        page, None if grids else layout, exclude=[g[0] for g in grids]
    )
    kept = [g for g in borderless if not any(_overlap(g[0], ruled[0]) for ruled in grids)]
    if grids and layout is not None and not layout.pending_header:
        last_ruled = max(ruled[0][3] for ruled in grids)
        if not kept or max(g[0][3] for g in kept) < last_ruled:
            layout = None  # the page ends on a ruled table: pdfplumber follows it
    grids += kept
    grids.sort(key=lambda g: g[0][1])
    items: list[TextBlock | Table] = []
    top = 0.0
    for bbox, rows, engine in grids:
        above = _region_text(page, top, bbox[1])
        if above:
            items.append(TextBlock(page=number, text=above))
        caption = " ".join(above.splitlines()[-_CAPTION_LINES:]) if above else ""
        items.append(Table(page=number, rows=rows, caption=caption, engine=engine))
        top = bbox[3]
    below = _region_text(page, top, page.height)
    if below:
        items.append(TextBlock(page=number, text=below))
        if layout is not None and not layout.pending_header and len(below.splitlines()) > 3:
            layout = None  # prose after the table: it does not go on
    return items, layout


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grid(rows: list[list[str | None]]) -> list[list[str]]:
    return [[clean_text(cell) if cell else "" for cell in row] for row in rows]


def _region_text(page: Page, top: float, bottom: float) -> str:
    if bottom - top < 1:
        return ""
    region = page.within_bbox((0, max(top, 0), page.width, min(bottom, page.height)))
    text = region.extract_text() or ""
    lines = [clean_text(line) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
