"""One file → one ``ReportResult``; a batch of files → results, never a crash."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from dean06.catalog import Matcher
from dean06.catalog.assign import assign_services
from dean06.completeness import (
    captioned_tables_not_read,
    numbering_gaps,
    rows_outside_tables,
    tables_left_out,
    tables_not_read,
)
from dean06.errors import (
    ExtractionTimeout,
    InputError,
    NeedsOcr,
    OcrUnavailable,
    TooLarge,
    UnsupportedFormat,
)
from dean06.extract import detect_kind, reader_for
from dean06.normalize.agencies import settle_read_agencies
from dean06.normalize.figures import blocks_to_figures
from dean06.normalize.legacy import from_legacy_fonts
from dean06.normalize.metadata import document_to_meta
from dean06.normalize.rows import (
    LogicalTable,
    logical_to_rows,
    numbering_goes_on,
    tables_to_logical,
)
from dean06.readings import agreement
from dean06.schemas import (
    Document,
    Finding,
    ReportResult,
    ReportStatus,
    ServiceRow,
    Severity,
    Table,
)
from dean06.schemas.document import OcrCorrection
from dean06.settings import ExtractSettings
from dean06.validate import check_figures, check_rows, check_totals

FIGURE_MATCH_THRESHOLD = 90.0
FILE_CHANGED = "file_changed"  # finding code of a file written to while the batch read it


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def process_file(
    path: Path, matcher: Matcher | None = None, settings: ExtractSettings | None = None
) -> ReportResult:
    """Read, normalize, match and validate one report."""
    matcher = matcher or Matcher()
    result = ReportResult(
        report_id=file_sha256(path), source_path=str(path.resolve()), file_name=path.name
    )
    try:
        kind = detect_kind(path)
        result.file_format = kind.value
        document = from_legacy_fonts(reader_for(kind, settings, matcher.name_score).read(path))
        if file_sha256(path) != result.report_id:
            message = f"{path.name}: changed while it was read; run again to load it"
            return _failed(result, message, FILE_CHANGED)
    except NeedsOcr as exc:
        return _failed(result, str(exc), "needs_ocr")
    except OcrUnavailable as exc:
        return _failed(result, f"{path.name}: {exc}", "ocr_unavailable")
    except UnsupportedFormat as exc:
        result.status, result.error = ReportStatus.SKIPPED, str(exc)
        return result
    except ExtractionTimeout:
        raise
    except TooLarge as exc:
        return _failed(result, str(exc), "too_large")
    except InputError as exc:
        return _failed(result, str(exc), "unreadable")
    except Exception as exc:  # a reader bug must not stop the batch
        return _failed(
            result, f"{path.name}: unexpected {type(exc).__name__}: {exc}", "internal_error"
        )
    return _best_reading(document, result, matcher)


_CLEAR_MARGIN = 5.0
_CLEAR_SHARE = 0.02  # of the kept reading's agreement


def _best_reading(document: Document, result: ReportResult, matcher: Matcher) -> ReportResult:
    """The result of the document's reading whose rows agree best with themselves (see
    ``readings``); the first reading unless the other does better."""
    if document.alternative_items is None:
        return document_to_result(document, result, matcher)
    other = document.model_copy(update={"items": document.alternative_items})
    first = document_to_result(document, result.model_copy(deep=True), matcher)
    second = document_to_result(other, result.model_copy(deep=True), matcher)
    kept, dropped = agreement(first), agreement(second)
    if dropped <= kept + _CLEAR_MARGIN + _CLEAR_SHARE * abs(kept):  # runs of rows place counts
        return first  # where the arithmetic holds: they must do clearly better to be kept
    second.findings.append(
        Finding(
            severity=Severity.INFO,
            code="read_as_row_runs",
            message=(
                "the text's columns are not set in line from page to page: its tables were "
                f"read as runs of rows, whose arithmetic holds better ({dropped:.0f} against "
                f"{kept:.0f} by column positions)"
            ),
        )
    )
    return second


def ocr_corrected(table: Table, correction: OcrCorrection) -> Finding:
    """The ``info`` finding of a count cell corrected by its row's arithmetic."""
    cells = table.rows[correction.row]
    return Finding(
        severity=Severity.INFO,
        code="ocr_corrected",
        message=(
            f"column {correction.column + 1} read '{correction.raw}', stored as "
            f"'{correction.value}' (readings: {', '.join(repr(c) for c in correction.candidates)}"
            f"): {correction.rule}"
        ),
        page=table.page_of_row(correction.row),
        context=" | ".join(cells)[:300],
    )


def _counts_of(row: ServiceRow) -> list[int]:
    counts = (row.total, row.direct, row.online, row.on_time, row.overdue)
    return [count for count in counts if count is not None]


def count_in_group_row(heading: ServiceRow) -> Finding:
    """The ``warning`` of a group row OCR read a lone digit in (a signature's stroke)."""
    return Finding(
        severity=Severity.WARNING,
        code="count_in_group_row",
        message=(
            f"the group row '{heading.name_in_doc}' reads a count "
            f"{', '.join(map(str, _counts_of(heading)))} and nothing else: taken for a stroke "
            "of a signature or a stamp over it; the row stays a group row, out of every total"
        ),
        page=heading.page,
        context=heading.source_text[:300],
    )


def document_to_result(document: Document, result: ReportResult, matcher: Matcher) -> ReportResult:
    """The normalize → catalog → validate stages on a read document."""
    result.page_count = document.page_count
    metadata = document_to_meta(document)
    result.meta, result.units = metadata.meta, metadata.units
    result.findings.extend(metadata.findings)
    result.scanned = bool(document.ocr_pages)
    left_out: list[Table] = []
    before: LogicalTable | None = None
    in_force: str | None = None  # the agency of the last group heading
    for table in tables_to_logical(document.tables, left_out):
        carried = in_force if before is not None and numbering_goes_on(before, table) else None
        rows, totals, headings = logical_to_rows(table, carried)
        in_force = headings[-1].agency if headings else carried
        before = table
        result.services.extend(rows)
        result.totals.extend(totals)
        result.headings.extend(headings)
    settle_read_agencies([row for row in result.services if row.page in document.ocr_pages])
    result.findings.extend(count_in_group_row(h) for h in result.headings if _counts_of(h))
    result.findings.extend(
        Finding(severity=Severity.WARNING, code=code, message=message, page=table.page)
        for table in document.tables
        for code, message in table.doubts.items()
    )
    result.findings.extend(
        ocr_corrected(table, correction)
        for table in document.tables
        for correction in table.corrections
    )
    result.findings.extend(assign_services(result.services, matcher))
    result.figures = blocks_to_figures(document.text_blocks, document.ocr_pages)
    for figure in result.figures:
        match = matcher.best_whole_name(figure.label, FIGURE_MATCH_THRESHOLD)
        figure.service_id = match.service_id if match else None
    result.findings.extend(check_rows(result.services))
    result.findings.extend(check_totals(result.services, result.totals))
    result.findings.extend(check_figures(result.figures))
    lost = [
        tables_not_read(document.text_blocks, result.services),
        captioned_tables_not_read(document.text_blocks, result.services),
        rows_outside_tables(document.text_blocks, result.services),
        tables_left_out(left_out),
        *numbering_gaps(result.services),
    ]
    for finding in filter(None, lost):
        result.findings.append(finding)
        result.status = ReportStatus.PARTIAL
    if document.converted_from:
        result.findings.append(
            Finding(
                severity=Severity.INFO,
                code="text_converted",
                message=f"the text was in {document.converted_from}; converted to Unicode",
            )
        )
    if document.ocr_pages:
        result.findings.append(
            _pages_finding(
                Severity.INFO,
                "ocr",
                "pages read by OCR (Tesseract); check doubtful values",
                document.ocr_pages,
            )
        )
    if document.pages_without_text:
        result.findings.append(
            _pages_finding(
                Severity.WARNING,
                "page_needs_ocr",
                "pages without a text layer were not read",
                document.pages_without_text,
            )
        )
        result.status = ReportStatus.PARTIAL
    if not result.services and not result.meta.locality_name and not result.meta.period_label:
        result.findings.append(
            Finding(
                severity=Severity.WARNING,
                code="not_a_report",
                message="no service table, locality or period found: not a Đề án 06 report",
            )
        )
        result.figures = []
        result.status = ReportStatus.SKIPPED
        result.error = f"{Path(result.file_name).name}: not a Đề án 06 report (nothing extracted)"
    return result


def narrative_service_rows(result: ReportResult) -> list[ServiceRow]:
    """Narrative figures that name a catalogue service, as service rows (source 'narrative')."""
    return [
        ServiceRow(
            service_id=f.service_id,
            scheme=f.service_id.split("-")[0],
            name_in_doc=f.label,
            online=f.numerator,
            total=f.denominator,
            rate_pct=f.percent,
            source="narrative",
            page=f.page,
            source_text=f.quote,
        )
        for f in result.figures
        if f.service_id
    ]


def _pages_finding(severity: Severity, code: str, what: str, pages: list[int]) -> Finding:
    return Finding(severity=severity, code=code, message=f"{what}: {_page_list(pages)}")


def _page_list(pages: list[int]) -> str:
    """1, 2, 3, 7 → ``1–3, 7``."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _failed(result: ReportResult, message: str, code: str) -> ReportResult:
    result.status = ReportStatus.FAILED
    result.error = message
    result.findings.append(Finding(severity=Severity.ERROR, code=code, message=message))
    return result


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under the given paths (folders walked recursively, hidden entries skipped).
    What is not a regular file (a FIFO, a device, a socket) and folders that cannot be
    read are yielded too, for the batch to name them (``input_problem``)."""
    for path in paths:
        yield from _walk(path) if path.is_dir() else [path]


def _walk(top: Path) -> list[Path]:
    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        found.append(Path(error.filename))

    for folder, folders, files in os.walk(top, onerror=unreadable):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        found.extend(Path(folder, f) for f in files if not f.startswith("."))
    return sorted(found)


def input_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a report file, or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "cannot read the folder (permission denied)"
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        )
        return f"not a regular file ({kind})"
    return None
