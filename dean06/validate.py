"""Cross-field checks that turn doubtful prints into findings; values are never changed."""

from __future__ import annotations

import math
from collections.abc import Iterable

from dean06.schemas import Figure, Finding, RowKind, ServiceRow, Severity
from dean06.schemas.records import TotalRow


def rate_disagrees(printed: float, part: int, whole: int) -> bool:
    """True when a printed rate is not part/whole after rounding or truncation at the
    precision it was printed with (``35`` → whole percent, ``81,1`` → one decimal)."""
    if whole == 0:
        return printed != 0
    actual = 100 * part / whole
    decimals = 0 if printed == int(printed) else len(repr(printed).split(".")[1])
    scale = 10**decimals
    rounded = round(actual * scale) / scale
    truncated = math.floor(actual * scale + 1e-9) / scale
    return min(abs(printed - rounded), abs(printed - truncated)) > 1e-9


LOW_OCR_CONFIDENCE = 60  # Tesseract's 0–100 word confidence


def check_rows(rows: Iterable[ServiceRow]) -> list[Finding]:
    findings: list[Finding] = []
    for row in rows:
        label = row.service_id or row.name_in_doc[:60]

        def add(code: str, message: str, row: ServiceRow = row, label: str = label) -> None:
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code=code,
                    message=f"{label}: {message}",
                    page=row.page,
                    context=row.source_text[:300],
                )
            )

        if row.ocr_confidence is not None and row.ocr_confidence < LOW_OCR_CONFIDENCE:
            add(
                "ocr_low_confidence",
                f"OCR confidence {row.ocr_confidence:.0f} < {LOW_OCR_CONFIDENCE}: "
                "check the values against the page",
            )
        if row.connection_text:
            add(
                "connection_unknown",
                f"connection printed as '{row.connection_text}', which says neither "
                "connected nor not connected; stored as unknown",
            )
        for field_name, text in row.unread_cells.items():
            add(
                "count_unreadable",
                f"{field_name} printed as '{text}', which reads as no number; stored as unknown",
            )
        if row.total is not None and row.online is not None and row.online > row.total:
            add("online_exceeds_total", f"online {row.online} > total {row.total}")
        if row.rate_pct is not None:
            if row.rate_pct > 100:
                add("percent_over_100", f"rate {row.rate_pct}% is over 100")
            if (
                row.total is not None
                and row.online is not None
                and rate_disagrees(row.rate_pct, row.online, row.total)
            ):
                add(
                    "rate_mismatch",
                    f"printed rate {row.rate_pct}% but online/total = "
                    f"{row.online}/{row.total} = {_pct(row.online, row.total)}",
                )
        if None not in (row.direct, row.online, row.total) and row.direct + row.online != row.total:  # type: ignore[operator]
            add(
                "direct_online_total",
                f"direct {row.direct} + online {row.online} ≠ total {row.total}",
            )
        if row.online is not None and row.on_time is not None:
            processed = row.on_time + (row.overdue or 0)
            if processed != row.online:
                add(
                    "on_time_overdue_online",
                    f"on time {row.on_time} + overdue {row.overdue or 0} ≠ online {row.online}",
                )
        if row.not_applicable and any(
            v not in (None, 0) for v in (row.total, row.online, row.on_time, row.overdue)
        ):
            add("not_applicable_with_counts", "marked not applicable but prints counts")
    return findings


def counted_sum(table_rows: list[ServiceRow], field: str) -> int:
    """What a table's totals row adds up: each service once — its own count, or its
    sub-rows' when the parent prints none — never a component, a catalogue group or a
    sub-row beside a counted parent (the rule of ``v_service_rates``)."""
    summed = 0
    for index, row in enumerate(table_rows):
        if row.row_kind is not RowKind.SERVICE:
            continue
        value = getattr(row, field)
        if value is None:
            value = sum(
                getattr(sub, field) or 0
                for sub in table_rows
                if sub.parent_index == index and sub.row_kind is RowKind.SUBROW
            )
        summed += value or 0
    return summed


def check_totals(rows: list[ServiceRow], totals: list[TotalRow]) -> list[Finding]:
    """A printed total row must equal the sum of the service rows above it."""
    findings: list[Finding] = []
    for printed in totals:
        table_rows = [r for r in rows if r.table_index == printed.table_index]
        for field in ("total", "online"):
            expected = getattr(printed, field)
            if expected is None:
                continue
            summed = counted_sum(table_rows, field)
            if summed != expected:
                findings.append(
                    Finding(
                        severity=Severity.WARNING,
                        code="total_row_mismatch",
                        message=f"printed {field} total {expected} but rows sum to {summed}",
                        page=printed.page,
                        context=printed.source_text[:300],
                    )
                )
    return findings


def check_figures(figures: Iterable[Figure]) -> list[Finding]:
    findings: list[Finding] = []
    for figure in figures:
        ratio = f"{figure.numerator}/{figure.denominator}"
        if figure.numerator > figure.denominator:
            findings.append(
                _figure_finding(figure, Severity.INFO, "figure_part_exceeds_whole",
                                f"{ratio}: part larger than whole ({figure.label})")
            )  # fmt: skip
        if figure.percent is not None and rate_disagrees(
            figure.percent, figure.numerator, figure.denominator
        ):
            actual = _pct(figure.numerator, figure.denominator)
            findings.append(
                _figure_finding(figure, Severity.WARNING, "figure_percent_mismatch",
                                f"{ratio} printed as {figure.percent}% but is {actual}")
            )  # fmt: skip
    return findings


def _figure_finding(figure: Figure, severity: Severity, code: str, message: str) -> Finding:
    return Finding(severity=severity, code=code, message=message, page=figure.page,
                   context=figure.quote[:300])  # fmt: skip


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "undefined (0 whole)"
