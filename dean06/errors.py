"""One exception tree for the whole tool.

    Dean06Error                    base; ``str(exc)`` is a one-line, user-facing message
    ├── InputError                 a file cannot be read as a report
    │   ├── EmptyFile              zero bytes
    │   ├── UnsupportedFormat      not a PDF, DOCX, or text file
    │   ├── UnreadableDocument     damaged or not what its name says
    │   ├── EncryptedDocument      password protected
    │   ├── TooLarge               over the page cap or an image-size cap
    │   ├── ExtractionTimeout      took longer than --timeout
    │   ├── NeedsOcr               image-only pages, no text layer (OCR turned off)
    │   └── OcrFailed              OCRmyPDF/Tesseract could not read the scan
    ├── OcrUnavailable             Tesseract or its language data is not installed
    ├── RayUnavailable             --executor ray without Ray, or the cluster unreachable
    ├── CatalogError               the service catalogue is broken
    ├── StoreError                 the DuckDB file cannot be used
    │   └── StoreLocked            another process holds the database
    └── ReviewError                a read-side request cannot be answered
        ├── QueryError             SQL that DuckDB rejects
        ├── ReportNotFound         no report (or several) for the given name or id
        └── ExportError            an export or HTML report cannot be written

Third-party exceptions are translated where they are raised (readers, store) with
``raise ... from exc`` so callers only ever see this tree.
"""

from __future__ import annotations


class Dean06Error(Exception):
    """Base of every error the tool raises on purpose."""


class InputError(Dean06Error):
    """A document cannot be read."""


class EmptyFile(InputError):
    """The file has zero bytes."""


class UnsupportedFormat(InputError):
    """The file is not a kind the tool reads."""


class UnreadableDocument(InputError):
    """The file claims a format but its content is damaged or foreign."""


class EncryptedDocument(InputError):
    """The document is password protected."""


class TooLarge(InputError):
    """The document exceeds a size limit (pages, image pixels)."""


class ExtractionTimeout(InputError):
    """Extraction took longer than the per-file timeout."""


class NeedsOcr(InputError):
    """The document has no usable text layer."""


class OcrFailed(InputError):
    """OCR ran but could not read the document."""


class OcrUnavailable(Dean06Error):
    """Tesseract or its language data is missing; the message says how to install it."""


class RayUnavailable(Dean06Error):
    """Ray is not installed, or the cluster cannot be reached."""


class CatalogError(Dean06Error):
    """The service catalogue data is invalid."""


class StoreError(Dean06Error):
    """The database cannot be opened or written."""


class StoreLocked(StoreError):
    """Another process holds the database."""


class ReviewError(Dean06Error):
    """A query, review or export request cannot be answered."""


class QueryError(ReviewError):
    """DuckDB rejected the SQL."""


class ReportNotFound(ReviewError):
    """No report, or several, match the given reference."""


class ExportError(ReviewError):
    """An export or HTML report cannot be written."""
