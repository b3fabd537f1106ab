"""The reader interface and content-based dispatch."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Protocol

from dean06.errors import EmptyFile, UnreadableDocument, UnsupportedFormat
from dean06.extract.encodings import looks_like_text
from dean06.extract.row_runs import NameScore
from dean06.schemas import Document, DocumentKind
from dean06.settings import ExtractSettings

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
_SNIFF_BYTES = 8192


class Reader(Protocol):
    kind: DocumentKind

    def read(self, path: Path) -> Document: ...


def detect_kind(path: Path) -> DocumentKind:
    """The document kind from its first bytes (magic numbers), the name only for text."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head:
        raise EmptyFile(f"{path.name}: empty file (0 bytes)")
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return DocumentKind.PDF
    if head[:4] == b"PK\x03\x04":
        return _zip_kind(path)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormat(
            f"{path.name}: legacy Word/Excel (.doc/.xls) is not supported; save as DOCX or PDF"
        )
    if path.suffix.lower() in TEXT_SUFFIXES and looks_like_text(head):
        return DocumentKind.TEXT
    if path.suffix.lower() == ".pdf":
        raise UnreadableDocument(
            f"{path.name}: not a PDF (no %PDF header; the content is not a document)"
        )
    if path.suffix.lower() == ".docx":
        raise UnreadableDocument(f"{path.name}: not a Word document (not a DOCX zip package)")
    raise UnsupportedFormat(f"{path.name}: unsupported file type")


def _zip_kind(path: Path) -> DocumentKind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"{path.name}: damaged zip package ({exc})") from exc
    if "word/document.xml" in names:
        return DocumentKind.DOCX
    if path.suffix.lower() == ".docx":
        raise UnreadableDocument(
            f"{path.name}: not a Word document (zip without word/document.xml)"
        )
    raise UnsupportedFormat(f"{path.name}: zip archive, not a report")


def reader_for(
    kind: DocumentKind,
    settings: ExtractSettings | None = None,
    name_score: NameScore | None = None,
) -> Reader:
    """The reader of ``kind``; ``name_score`` rates printed service names for text whose
    tables lost their spacing (the catalogue, given by the pipeline)."""
    from dean06.extract.docx import DocxReader
    from dean06.extract.pdf import PdfReader
    from dean06.extract.text import TextReader

    readers: dict[DocumentKind, Reader] = {
        DocumentKind.PDF: PdfReader(settings),
        DocumentKind.DOCX: DocxReader(),
        DocumentKind.TEXT: TextReader(name_score),
    }
    return readers[kind]


def read_document(path: Path, settings: ExtractSettings | None = None) -> Document:
    """Read any supported document; raises an ``InputError`` with a one-line reason."""
    return reader_for(detect_kind(path), settings).read(path)
