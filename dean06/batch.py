"""Extract a batch of files into the store: dedupe by content, skip what is loaded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dean06.catalog import Matcher
from dean06.pipeline import file_sha256, iter_input_files, narrative_service_rows, process_file
from dean06.schemas import ReportStatus
from dean06.settings import ExtractSettings
from dean06.store import Store

LOADED = {ReportStatus.OK.value, ReportStatus.PARTIAL.value}


@dataclass
class FileOutcome:
    path: Path
    status: str
    message: str = ""


@dataclass
class BatchSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    service_rows: int = 0
    figures: int = 0
    findings: Counter[str] = field(default_factory=Counter)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == ReportStatus.FAILED.value]


def extract_into(
    paths: list[Path],
    database: Path,
    force: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    settings: ExtractSettings | None = None,
) -> BatchSummary:
    """Extract every file under ``paths`` into ``database``; one transaction per report."""
    files = list(iter_input_files(paths))
    if on_start:
        on_start(len(files))
    summary = BatchSummary()
    matcher = Matcher()
    seen: dict[str, Path] = {}
    with Store(database) as store:
        for path in files:
            outcome = _extract_one(path, store, matcher, seen, force, summary, settings)
            summary.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
    return summary


def _extract_one(
    path: Path,
    store: Store,
    matcher: Matcher,
    seen: dict[str, Path],
    force: bool,
    summary: BatchSummary,
    settings: ExtractSettings | None,
) -> FileOutcome:
    skipped = ReportStatus.SKIPPED.value
    try:
        digest = file_sha256(path)
    except OSError as exc:
        return FileOutcome(
            path, ReportStatus.FAILED.value, f"{path.name}: cannot read ({exc.strerror})"
        )
    if digest in seen:
        return FileOutcome(
            path, skipped, f"{path.name}: duplicate of {seen[digest].name} (same content)"
        )
    seen[digest] = path
    if not force and store.report_status(digest) in LOADED:
        return FileOutcome(path, skipped, f"{path.name}: already loaded (use --force to replace)")
    result = process_file(path, matcher, settings)
    if result.status is ReportStatus.SKIPPED and result.file_format is None:
        return FileOutcome(path, skipped, result.error or f"{path.name}: unsupported file type")
    store.load(result, narrative_service_rows(result))
    summary.service_rows += len(result.services)
    summary.figures += len(result.figures)
    summary.findings.update(f.severity.value for f in result.findings)
    return FileOutcome(path, result.status.value, result.error or "")
