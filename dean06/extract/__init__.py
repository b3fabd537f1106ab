"""Documents → pages of text blocks and tables, with page provenance.

One reader per input kind behind one small interface (``can_read``/``read``);
``read_document`` picks the reader by the file's content, not its name.
"""

from dean06.extract.base import Reader, detect_kind, read_document, reader_for

__all__ = ["Reader", "detect_kind", "read_document", "reader_for"]
