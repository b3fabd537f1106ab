"""What normalization and validation produce for one report."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ReportStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"


class Finding(BaseModel):
    """Something an analyst should review; never a silent fix."""

    severity: Severity
    code: str
    message: str
    page: int | None = None
    context: str | None = None


class RowKind(StrEnum):
    SERVICE = "service"  # a numbered service (or one printed without its number)
    SUBROW = "subrow"  # a part of the service above ("- …" under "…, cụ thể:")
    COMPONENT = "component"  # an agency's step of a liên thông service (same dossiers)
    TOTAL = "total"  # a printed total ("Tổng cộng")
    GROUP = "group"  # a heading: an agency ("Sở Tư pháp"), a catalogue group, a section


class ServiceRow(BaseModel):
    """One printed row of a DVC table, values as printed."""

    scheme: str | None = None
    item_in_doc: str | None = None
    name_in_doc: str
    service_id: str | None = None
    match_score: float | None = None
    connected: bool | None = None
    agency: str | None = None
    total: int | None = None
    direct: int | None = None
    online: int | None = None
    rate_pct: float | None = None
    on_time: int | None = None
    overdue: int | None = None
    not_applicable: bool = False
    note: str | None = None
    source: str = "table"
    page: int | None = None
    source_text: str = ""
    table_index: int = 0
    row_index: int = 0  # position among the table's printed rows
    ocr_confidence: float | None = None  # lowest Tesseract confidence of the row's values
    connection_text: str | None = Field(default=None, exclude=True)  # wording not understood
    # count or rate cells whose printed text reads as no number ("12 5"): field → text
    unread_cells: dict[str, str] = Field(default_factory=dict, exclude=True)
    row_kind: RowKind = RowKind.SERVICE
    parent_item: str | None = None  # item_in_doc of the row a sub-row or component belongs to
    parent_index: int | None = Field(default=None, exclude=True)


class TotalRow(BaseModel):
    """A printed total ('Tổng', 'Cộng') kept to check the rows above it."""

    table_index: int
    row_index: int = 0
    name: str = ""
    total: int | None = None
    online: int | None = None
    page: int | None = None
    source_text: str = ""


class Figure(BaseModel):
    """A part/whole figure quoted in the narrative (``8.504/9.385 hồ sơ (đạt 90,61%)``)."""

    label: str
    unit: str | None = None
    service_id: str | None = None
    numerator: int
    denominator: int
    percent: float | None = None
    quote: str
    page: int | None = None


class ReportMeta(BaseModel):
    locality_name: str | None = None
    locality_level: str | None = None
    province: str | None = None
    district: str | None = None
    report_number: str | None = None
    report_date: dt.date | None = None
    period_label: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_kind: str | None = None  # PeriodKind: month, quarter, …, cumulative, other
    issuer: str | None = None  # the issuing body as printed ("UBND HUYỆN CHƯ PĂH TỔ CÔNG TÁC …")
    place: str | None = None  # of the place-and-date line ("Chư Păh")
    title: str | None = None
    signer: str | None = None


class LocalityUnits(BaseModel):
    """Official names and codes of a locality, before and after the 2025 reorganisation."""

    name: str | None = None  # the unit's official name (a scan may misread a tone mark)
    locality_code: str | None = None
    province: str | None = None
    province_code: str | None = None
    district: str | None = None
    district_code: str | None = None
    new_province: str | None = None
    new_province_code: str | None = None
    new_locality: str | None = None
    new_locality_code: str | None = None


class ReportResult(BaseModel):
    """Everything extracted from one file; what the store loads in one transaction."""

    report_id: str
    source_path: str
    file_name: str
    file_format: str | None = None
    page_count: int | None = None
    status: ReportStatus = ReportStatus.OK
    error: str | None = None
    scanned: bool = False  # read by OCR (ranks below the text forms among duplicates)
    meta: ReportMeta = Field(default_factory=ReportMeta)
    units: LocalityUnits = Field(default_factory=LocalityUnits)
    services: list[ServiceRow] = Field(default_factory=list)
    totals: list[TotalRow] = Field(default_factory=list)
    headings: list[ServiceRow] = Field(default_factory=list)  # group rows (row_kind group)
    figures: list[Figure] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
