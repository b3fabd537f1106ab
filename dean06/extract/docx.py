"""DOCX: paragraphs and tables in document order (python-docx), merged cells resolved.

A merged cell's text appears once, at its top-left grid position; the positions it
covers are empty strings, as the PDF reader does. Page numbers follow the explicit and
last-rendered page breaks Word records, so they are approximate for files never
opened in Word.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from dean06.errors import TooLarge, UnreadableDocument
from dean06.normalize.text import clean_text
from dean06.schemas import Document, DocumentKind, Table, TextBlock

_CAPTION_PARAGRAPHS = 3
MAX_MEMBER_BYTES = 64 * 2**20  # a part of the package, inflated (a report's is < 5 MiB)
MAX_PACKAGE_BYTES = 256 * 2**20  # the whole package, inflated


class DocxReader:
    kind = DocumentKind.DOCX

    def read(self, path: Path) -> Document:
        check_package_size(path)
        try:
            document = docx.Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise UnreadableDocument(f"{path.name}: not a readable Word document ({exc})") from exc
        except Exception as exc:  # lxml and python-docx raise many kinds on junk XML
            raise UnreadableDocument(f"{path.name}: damaged Word document ({exc})") from exc
        items, pages = body_to_items(document)
        return Document(path=str(path), kind=self.kind, page_count=pages, items=items)


def check_package_size(path: Path) -> None:
    """Refuse a package whose members inflate past the caps, by their declared sizes and
    then by what they really inflate to (read as a stream, nothing kept), before
    python-docx reads any of it into memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(path, [(m.filename, m.file_size) for m in members])
            _check_sizes(path, [(m.filename, _inflated_size(archive, m)) for m in members])
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"{path.name}: not a readable Word document ({exc})") from exc


def _check_sizes(path: Path, sizes: list[tuple[str, int]]) -> None:
    for name, size in sizes:
        if size > MAX_MEMBER_BYTES:
            raise TooLarge(
                f"{path.name}: {name} inflates to {size / 2**20:.0f} MiB or more "
                f"(cap {MAX_MEMBER_BYTES // 2**20} MiB a part)"
            )
    total = sum(size for _, size in sizes)
    if total > MAX_PACKAGE_BYTES:
        raise TooLarge(
            f"{path.name}: inflates to {total / 2**20:.0f} MiB or more "
            f"(cap {MAX_PACKAGE_BYTES // 2**20} MiB a document)"
        )


def _inflated_size(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """What ``member`` inflates to, counted up to just past the cap."""
    size = 0
    with archive.open(member) as stream:
        while size <= MAX_MEMBER_BYTES and (chunk := stream.read(1 << 20)):
            size += len(chunk)
    return size


def body_to_items(document: docx.document.Document) -> tuple[list[TextBlock | Table], int]:
    items: list[TextBlock | Table] = []
    recent: list[str] = []
    page = 1
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            page += _page_breaks(element)
            text = clean_text(paragraph.text)
            if text:
                items.append(TextBlock(page=page, text=text))
                recent.append(text)
            if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                page += 1
        elif element.tag == qn("w:tbl"):
            table = DocxTable(element, document)
            rows = table_to_rows(table)
            row_pages = []
            for row_element in element.iterchildren(qn("w:tr")):
                page += _page_breaks(row_element)
                row_pages.append(page)
            caption = " ".join(recent[-_CAPTION_PARAGRAPHS:])
            items.append(
                Table(
                    page=row_pages[0] if row_pages else page,
                    rows=rows,
                    caption=caption,
                    engine="python-docx",
                    row_pages=row_pages,
                )
            )
            recent.clear()
    return items, page


def table_to_rows(table: DocxTable) -> list[list[str]]:
    """Grid rows with horizontal (gridSpan) and vertical (vMerge) merges blanked."""
    rows: list[list[str]] = []
    for tr in table._tbl.iterchildren(qn("w:tr")):
        cells: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            properties = tc.tcPr
            span = 1
            continued = False
            if properties is not None:
                grid_span = properties.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val"), "1"))
                v_merge = properties.find(qn("w:vMerge"))
                if v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue":
                    continued = True
            text = "" if continued else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (span - 1))
        rows.append(cells)
    return rows


def _cell_text(tc: object) -> str:
    paragraphs = tc.iterchildren(qn("w:p"))  # type: ignore[attr-defined]
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs]
    return clean_text("\n".join(texts))


def _page_breaks(element: object) -> int:
    count = 0
    for br in element.iter(qn("w:br")):  # type: ignore[attr-defined]
        if br.get(qn("w:type")) == "page":
            count += 1
    count += sum(1 for _ in element.iter(qn("w:lastRenderedPageBreak")))  # type: ignore[attr-defined]
    return count
