"""Extract a batch of files into the store: dedupe by content, skip what is loaded, extract
in parallel, load each finished report in its own transaction, in input order."""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dean06.errors import StoreError
from dean06.pipeline import (
    FILE_CHANGED,
    file_sha256,
    input_problem,
    iter_input_files,
    narrative_service_rows,
)
from dean06.progress import BatchProgress, PageTally
from dean06.schemas import ReportResult, ReportStatus
from dean06.settings import ExtractSettings
from dean06.store import Store, writer_lock
from dean06.watchdog import default_memory_limit
from dean06.workers import WORKER_DIED, failed_result, run_all

TABLE_LOSS_CODES = {"tables_not_read", "rows_not_read"}
LOADED = {ReportStatus.OK.value, ReportStatus.PARTIAL.value}
DEFAULT_TIMEOUT = 900.0  # seconds per file; a 30-page scan takes about a minute
COMMIT_SECONDS = 1.0  # results wait at most this long (then the next one's) to be loaded
COMMIT_REPORTS = 32  # or this many
WRITER_WAIT = 600.0  # seconds the writer waits for readers between its commits


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
    tables_lost: int = 0  # reports with a table announced or numbered but not read
    duplicates: int = 0  # reports that are another loaded report in another file
    cross_findings: int = 0  # findings of reports checked against each other
    interrupted: bool = False
    pending: int = 0  # files not extracted because the run was interrupted
    errors: list[str] = field(default_factory=list)  # what went wrong beside the files

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == ReportStatus.FAILED.value]


@dataclass
class BatchOptions:
    force: bool = False
    retry_failed: bool = False  # read again a file whose worker died on an earlier run
    workers: int = 1
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory: int | None = None  # bytes a worker may hold (0: no limit; None: its share)
    wait: float = 0.0  # seconds to wait for another writer to release the database
    settings: ExtractSettings = field(default_factory=ExtractSettings)
    executor: str = "local"  # local: a process pool; ray: Ray tasks (dean06.ray_executor)
    ray_address: str | None = None  # a Ray cluster's address (None: RAY_ADDRESS, else local)


def default_workers() -> int:
    return max(len(os.sched_getaffinity(0)), 1)


def extract_into(
    paths: list[Path],
    database: Path,
    options: BatchOptions | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
) -> BatchSummary:
    """Extract every file under ``paths`` into ``database``; one transaction per report.
    ``on_file`` is told each file's outcome; ``on_progress`` where the batch stands, in
    files and pages (pages as workers read them, with the local executor).

    Ctrl-C stops the run: reports already loaded stay, the one being written is rolled back,
    and the summary says how many files were left for the next run.
    """
    options = options or BatchOptions()
    summary = BatchSummary()
    files: list[Path] = []
    tally = PageTally(0, on_progress or (lambda state: None))

    def report(outcome: FileOutcome) -> None:
        summary.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
        tally.counted(len(summary.outcomes), len(files))

    writer = _Writer(database, options.wait, summary, report)
    try:  # Ctrl-C at any moment: listing, hashing, reading, writing, linking
        files = list(iter_input_files(paths))
        tally.counted(0, len(files))
        with writer_lock(database, options.wait):
            _extract_all(files, writer, options, summary, report, tally)
    except KeyboardInterrupt:
        summary.interrupted = True
        with contextlib.suppress(KeyboardInterrupt, StoreError):
            writer.flush()  # reports read whole are loaded, not read again next time
        summary.pending = max(len(files) - len(summary.outcomes), 0)
    return summary


class _Writer:
    """Loads results into the database a few at a time, opening it only to commit them
    (at most every ``COMMIT_SECONDS`` or ``COMMIT_REPORTS``), so that readers (dean06
    query, findings, report…) get the file between commits; each report is still its own
    transaction."""

    def __init__(
        self,
        database: Path,
        wait: float,
        summary: BatchSummary,
        report: Callable[[FileOutcome], None],
    ) -> None:
        self.database, self.summary, self.report = database, summary, report
        self.wait = max(wait, WRITER_WAIT)  # readers hold it for moments (writers: the lock)
        self.buffer: list[tuple[Path, ReportResult]] = []
        self.since = time.monotonic()

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        with Store(self.database, wait=self.wait) as store:
            yield store

    def add(self, path: Path, result: ReportResult) -> None:
        if not self.buffer:
            self.since = time.monotonic()
        self.buffer.append((path, result))
        due = time.monotonic() - self.since >= COMMIT_SECONDS
        if due or len(self.buffer) >= COMMIT_REPORTS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        with self.store() as store:
            while self.buffer:
                path, result = self.buffer[0]
                try:
                    outcome = _load(path, result, store, self.summary)
                except StoreError as exc:  # the disk is full, say: this report is rolled back
                    outcome = FileOutcome(path, ReportStatus.FAILED.value, str(exc))
                self.buffer.pop(0)
                self.report(outcome)


def _extract_all(
    files: list[Path],
    writer: _Writer,
    options: BatchOptions,
    summary: BatchSummary,
    report: Callable[[FileOutcome], None],
    tally: PageTally,
) -> None:
    """Triage, extract and load ``files``, then link the reports given in several formats."""
    todo: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    with writer.store() as store:
        for path in files:
            outcome, digest = _triage(path, store, seen, options)
            if outcome:
                report(outcome)
            else:
                todo.append((path, digest))
    settings = options.settings
    if settings.ocr_jobs is None:  # the workers' cores, shared by the files read at once
        readers = min(options.workers, max(len(todo), 1))  # one big file: its pages share them
        cores = min(options.workers, default_workers())
        settings = settings.model_copy(update={"ocr_jobs": max(cores // readers, 1)})
    digests = dict(todo)
    max_memory = options.max_memory
    if max_memory is None:
        max_memory = default_memory_limit(options.workers)
    paths = [p for p, _ in todo]
    tally.to_read = len(paths)
    limits = options.timeout, max_memory or None
    if options.executor == "ray":
        from dean06.ray_executor import run_on_ray

        results = run_on_ray(paths, settings, options.workers, *limits, options.ray_address)
    else:
        results = run_all(paths, settings, options.workers, *limits, on_pages=tally.seen)
    try:
        for path, read in results:
            tally.read(path, read.page_count)
            writer.add(path, _unless_changed(path, read, digests[path]))
    finally:  # Ctrl-C while a result is loaded: the workers stop now, not when collected
        results.close()
    writer.flush()
    try:
        with writer.store() as store:
            summary.duplicates, summary.cross_findings = store.relate_reports()
    except StoreError as exc:
        summary.errors.append(str(exc))


def _unless_changed(path: Path, result: ReportResult, listed: str) -> ReportResult:
    """The result, or a failure when the file read is not the one the batch listed (its
    triage, for duplicates and reports already loaded, was made on other content)."""
    if result.report_id and result.report_id != listed:
        message = f"{path.name}: changed after the batch listed it; run again to load it"
        result = failed_result(path, message, FILE_CHANGED)
    result.report_id = result.report_id or listed
    return result


def _triage(
    path: Path, store: Store, seen: dict[str, Path], options: BatchOptions
) -> tuple[FileOutcome | None, str]:
    """An outcome for a file that needs no extraction (unreadable, duplicate, loaded, or
    its worker died on an earlier run: it stays failed)."""
    force = options.force
    skipped = ReportStatus.SKIPPED.value
    problem = input_problem(path)
    if problem:
        status = skipped if problem.startswith("not a regular") else ReportStatus.FAILED.value
        return FileOutcome(path, status, f"{path.name}: {problem}"), ""
    try:
        digest = file_sha256(path)
    except OSError as exc:
        message = f"{path.name}: cannot read ({exc.strerror})"
        return FileOutcome(path, ReportStatus.FAILED.value, message), ""
    if digest in seen:
        message = f"{path.name}: duplicate of {seen[digest].name} (same content)"
        return FileOutcome(path, skipped, message), digest
    seen[digest] = path
    status = store.report_status(digest)
    if not force and status in LOADED:
        return FileOutcome(
            path, skipped, f"{path.name}: already loaded (use --force to replace)"
        ), digest
    died = store.error_finding(digest, WORKER_DIED) if status == ReportStatus.FAILED else None
    if died and not (force or options.retry_failed):
        message = f"{died} on an earlier run (--retry-failed reads it again)"
        return FileOutcome(path, ReportStatus.FAILED.value, message), digest
    return None, digest


def _load(path: Path, result: ReportResult, store: Store, summary: BatchSummary) -> FileOutcome:
    if result.status is ReportStatus.SKIPPED and result.file_format is None:
        return FileOutcome(
            path, result.status.value, result.error or f"{path.name}: unsupported file type"
        )
    store.load(result, narrative_service_rows(result))
    summary.service_rows += len(result.services)
    summary.figures += len(result.figures)
    summary.findings.update(f.severity.value for f in result.findings)
    if any(f.code in TABLE_LOSS_CODES for f in result.findings):
        summary.tables_lost += 1
    return FileOutcome(path, result.status.value, result.error or "")
