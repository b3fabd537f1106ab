"""Extraction as a pure per-file function, run in this process or in a pool of processes.

``extract_file`` takes a path and settings and returns a serialisable ``ReportResult``; it
never touches the database, so the same function can be fanned out on any executor. Limits
are enforced inside it: a wall-clock timeout (SIGALRM) and, in the readers, a page cap and a
decompression-bomb guard on images.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import FrameType

from dean06.catalog import Matcher
from dean06.errors import ExtractionTimeout
from dean06.pipeline import process_file
from dean06.schemas import Finding, ReportResult, ReportStatus, Severity
from dean06.settings import ExtractSettings


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    return Matcher()


def extract_file(path: Path, settings: ExtractSettings, timeout: float | None) -> ReportResult:
    """One file → one result, within ``timeout`` seconds."""
    try:
        with _deadline(path, timeout):
            return process_file(path, _matcher(), settings)
    except ExtractionTimeout as exc:
        result = ReportResult(report_id="", source_path=str(path.resolve()), file_name=path.name)
        result.status, result.error = ReportStatus.FAILED, str(exc)
        result.findings.append(Finding(severity=Severity.ERROR, code="timeout", message=str(exc)))
        return result


@contextmanager
def _deadline(path: Path, timeout: float | None) -> Iterator[None]:
    if not timeout:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeout(f"{path.name}: took longer than {timeout:g} s (--timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and reports."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_all(
    paths: list[Path], settings: ExtractSettings, workers: int, timeout: float | None
) -> Iterator[tuple[Path, ReportResult]]:
    """Results in input order, whatever the number of workers."""
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, extract_file(path, settings, timeout)
        return
    context = multiprocessing.get_context("spawn")  # no fork of the parent's threads
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)
    try:
        window = workers * 8  # bounded: results wait in memory only this far ahead
        pending: list[tuple[Path, Future[ReportResult]]] = []
        queue = iter(paths)
        for path in queue:
            pending.append((path, pool.submit(extract_file, path, settings, timeout)))
            if len(pending) >= window:
                done_path, future = pending.pop(0)
                yield done_path, future.result()
        for done_path, future in pending:
            yield done_path, future.result()
    except BaseException:  # Ctrl-C or the caller stopped: do not wait for running files
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    pool.shutdown(wait=True)
