"""Pydantic models shared by every stage."""

from dean06.schemas.document import Document, DocumentKind, Table, TextBlock
from dean06.schemas.records import (
    Figure,
    Finding,
    LocalityUnits,
    ReportMeta,
    ReportResult,
    ReportStatus,
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
    "ServiceRow",
    "Severity",
    "Table",
    "TextBlock",
]
