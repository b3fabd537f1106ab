"""Pydantic models shared by every stage."""

from dean06.schemas.document import Document, DocumentKind, Table, TextBlock
from dean06.schemas.records import (
    Figure,
    Finding,
    LocalityUnits,
    ReportMeta,
    ReportResult,
    ReportStatus,
    RowKind,
    ServiceRow,
    Severity,
)

__all__ = [
    "Document",
    "DocumentKind",
    "Figure",
    "Finding",
    "LocalityUnits",
    "ReportMeta",
    "ReportResult",
    "ReportStatus",
    "RowKind",
    "ServiceRow",
    "Severity",
    "Table",
    "TextBlock",
]
