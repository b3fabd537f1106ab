"""Report metadata: the header block (issuer, number, place and date, title), the
locality the gazetteer resolves, the period and its kind, and the signer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dean06.normalize.letterhead import read_header_block
from dean06.normalize.locality import REORGANISED, candidates, find_locality
from dean06.normalize.periods import (
    choose_period,
    data_range,
    find_period,
    parse_period,
    quarter_with_lost_stroke,
)
from dean06.normalize.text import clean_text, drop_footnote_marks
from dean06.schemas import Document, Finding, LocalityUnits, ReportMeta, Severity, Table

__all__ = ["Metadata", "document_to_meta", "lines_to_meta", "parse_period"]

_LAYOUT_TABLE_ROWS = 3
_HEAD = 60


@dataclass
class Metadata:
    """What the opening lines say, with the findings about what they could not settle."""

    meta: ReportMeta
    units: LocalityUnits = field(default_factory=LocalityUnits)
    findings: list[Finding] = field(default_factory=list)


def document_to_meta(document: Document) -> Metadata:
    """Metadata from the text of a report (the first pages carry almost all of it)."""
    return lines_to_meta(
        _lines(document), _caption_lines(document), read_by_ocr=bool(document.ocr_pages)
    )


def _lines(document: Document) -> list[str]:
    """Prose lines, plus the cells of small layout tables (letterheads)."""
    lines: list[str] = []
    for item in document.items:
        if isinstance(item, Table):
            if len(item.rows) <= _LAYOUT_TABLE_ROWS:
                lines.extend(cell for row in item.rows for cell in row)
        else:
            lines.extend(item.text.splitlines())
    return [text for line in lines if (text := clean_text(drop_footnote_marks(line)))]


def _caption_lines(document: Document) -> list[str]:
    """Table captions and the first cells of tables (where sub-captions give a data range)."""
    lines = []
    for table in document.tables:
        lines.extend(clean_text(drop_footnote_marks(line)) for line in table.caption.splitlines())
        for row in table.rows[:2]:
            lines.extend(clean_text(drop_footnote_marks(cell)) for cell in row if len(cell) < 200)
    return [line for line in lines if line]


def lines_to_meta(
    lines: list[str], caption_lines: list[str] | None = None, read_by_ocr: bool = False
) -> Metadata:
    """The report's metadata from its lines; ``read_by_ocr``: the lines are a scan's, whose
    period's numeral may have lost a stroke (``quarter_with_lost_stroke``)."""
    block = read_header_block(lines)
    meta = ReportMeta(
        report_number=block.number,
        report_date=block.date,
        issuer=block.issuer_text or None,
        place=block.place,
        title=block.title or None,
    )
    issued = (block.date or block.month) if read_by_ocr else None
    found = _set_period(meta, block.title, lines, caption_lines or [], issued)
    after = max(filter(None, (meta.report_date, meta.period_end)), default=None)
    located, why = find_locality(
        [
            *candidates(block.issuer_text, "issuer", upper=True),
            *candidates(block.title, "title"),
            *candidates(" ".join(lines[:_HEAD]), "body"),
        ],
        block.place,
        after_2025=after is not None and after >= REORGANISED,
    )
    result = Metadata(meta, findings=found)
    if located is None:
        result.findings.append(
            Finding(severity=Severity.WARNING, code="locality_unresolved", message=why)
        )
    else:
        meta.locality_level, meta.locality_name = located.level, located.name
        meta.province, meta.district = located.province, located.district
        result.units = located.units
    meta.signer = _signer(lines[-40:])
    return result


def _set_period(
    meta: ReportMeta,
    title: str,
    lines: list[str],
    caption_lines: list[str],
    issued_as_read: dt.date | None = None,
) -> list[Finding]:
    """Sets the period of ``meta``; ``issued_as_read``: the month an OCR'd report is dated,
    which may mend its quarter's numeral."""
    nominal = find_period(title)
    mended = quarter_with_lost_stroke(nominal, issued_as_read) if nominal else None
    findings = []
    if nominal is not None and mended is not None:
        findings.append(
            Finding(
                severity=Severity.INFO,
                code="ocr_corrected",
                message=f"the title's period, read '{nominal.label}' by OCR, ends a quarter "
                f"and more before the report's date ({issued_as_read:%m/%Y}): read as "
                f"'{mended.label}' (OCR drops a stroke of a roman numeral)",
                context=title[:300],
            )
        )
        nominal = mended
    cued = [line for line in lines[_HEAD:] if "số liệu" in line.casefold()]
    printed = data_range([*caption_lines, *lines[:_HEAD], *cued])
    period, set_aside = choose_period(nominal, printed)
    if period is not None:
        meta.period_label = period.label
        meta.period_start, meta.period_end = period.start, period.end
        meta.period_kind = period.kind.value
    if not set_aside or printed is None:
        return findings
    return [
        *findings,
        Finding(
            severity=Severity.INFO,
            code="period_range_differs",
            message=f"the tables print '{printed.label}', which is not the period of the "
            f"title '{period.label if period else ''}'; the title's period is stored",
            context=printed.label,
        ),
    ]


def _signer(lines: list[str]) -> str | None:
    roles = re.compile(r"^(TM\.|KT\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|TỔ TRƯỞNG|TRƯỞNG|GIÁM ĐỐC|Q\.)")
    for index, line in enumerate(lines):
        if roles.match(line):
            for follow in lines[index + 1 : index + 6]:
                words = follow.split()
                if (
                    2 <= len(words) <= 5
                    and all(w[:1].isupper() for w in words)
                    and not follow.isupper()
                ):
                    return follow
    return None
