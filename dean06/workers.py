"""Extraction as a pure per-file function, run in a pool of worker processes.

``extract_file`` takes a path and settings and returns a serialisable ``ReportResult``; it
never touches the database, so the same function can be fanned out on any executor. Limits
are enforced inside it (a wall-clock timeout by SIGALRM; in the readers, caps on pages,
page sizes, image pixels and package sizes) and from outside (``watchdog``: memory, and the
timeout for work stuck in C code). Each worker notes the file it reads in a ledger folder:
when a worker dies (killed, out of memory, a crash in C code) its file fails with the
reason, and the rest of the batch goes on in a new pool. Workers die with the
main process, however it ends, and every temporary file of a run lives in one folder,
removed at the end and swept by the next run if the run was killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.process
import os
import shutil
import signal
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import FrameType

from dean06 import progress
from dean06.catalog import Matcher
from dean06.errors import ExtractionTimeout
from dean06.pipeline import process_file
from dean06.schemas import Finding, ReportResult, ReportStatus, Severity
from dean06.settings import ExtractSettings
from dean06.watchdog import Watchdog

WORKER_DIED = "worker_died"  # finding code of a file whose worker died reading it


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    return Matcher()


def extract_file(path: Path, settings: ExtractSettings, timeout: float | None) -> ReportResult:
    """One file → one result, within ``timeout`` seconds."""
    try:
        with _deadline(path, timeout):
            return process_file(path, _matcher(), settings)
    except ExtractionTimeout as exc:
        return failed_result(path, str(exc), "timeout")
    except OSError as exc:  # removed or made unreadable after the batch listed it
        message = f"{path.name}: cannot read ({exc.strerror or exc})"
        return failed_result(path, message, "unreadable")


def failed_result(path: Path, message: str, code: str) -> ReportResult:
    """A failed result of ``path`` with one error finding (``code``) saying why."""
    result = ReportResult(report_id="", source_path=str(path.resolve()), file_name=path.name)
    result.status, result.error = ReportStatus.FAILED, message
    result.findings.append(Finding(severity=Severity.ERROR, code=code, message=message))
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


def _start_worker(folder: Path) -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and reports; they die
    with the parent, however it ends (Linux's parent-death signal); their temporary
    files (OCRmyPDF's, Tesseract's) go under the run's folder, and the progress of the
    file each one reads in its ``pages`` folder."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _temporary_files_in(folder)
    progress.note_pages_in(folder / _PAGES)


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: nothing to ask for
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _temporary_files_in(folder: Path) -> None:
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)  # for the programs OCR runs (Tesseract, Ghostscript)


@contextmanager
def run_folder() -> Iterator[Path]:
    """A folder for one run's temporary files, removed at its end; folders that runs
    killed before their end left behind (their process is gone) are swept first."""
    system = Path(tempfile.gettempdir())
    for left in system.glob(f"{_RUN_PREFIX}*"):
        pid = left.name[len(_RUN_PREFIX) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(left, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{_RUN_PREFIX}{os.getpid()}-", dir=system) as made:
        yield Path(made)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_all(
    paths: list[Path],
    settings: ExtractSettings,
    workers: int,
    timeout: float | None,
    max_memory: int | None = None,
    on_pages: Callable[[progress.Snapshot], None] | None = None,
) -> Iterator[tuple[Path, ReportResult]]:
    """Results in input order, whatever the number of workers. Files are read in worker
    processes (one at least), watched from here (``watchdog``): a worker that passes
    ``max_memory`` bytes or the timeout is killed, and a worker that dies (killed, out of
    memory, crashed in C code) costs the file it was reading, which fails with the reason;
    the pool is replaced and the other files go on. ``on_pages`` is given, twice a
    second, how far the workers have read the files they read (``progress.PageMeter``)."""
    with run_folder() as folder:
        ledger, pages = folder / "ledger", folder / _PAGES
        ledger.mkdir()
        pages.mkdir()
        meter = progress.PageMeter(pages, on_pages) if on_pages else None
        with Watchdog(ledger, max_memory, timeout) as watchdog, meter or contextlib.nullcontext():
            for path, result in _pooled(paths, settings, max(workers, 1), timeout, watchdog):
                yield path, result
                if meter:
                    meter.forget(path)


def _pooled(
    paths: list[Path],
    settings: ExtractSettings,
    workers: int,
    timeout: float | None,
    watchdog: Watchdog,
) -> Iterator[tuple[Path, ReportResult]]:
    window = workers * 8  # bounded: results wait in memory only this far ahead
    queue = deque(paths)
    pending: deque[tuple[Path, Future[ReportResult]]] = deque()
    breaks: Counter[Path] = Counter()  # pool breaks each file was caught in
    pool = _PoolWithLedger(min(workers, len(paths)) or 1, watchdog)
    try:
        while queue or pending:
            while queue and len(pending) < window:
                path = queue.popleft()
                pending.append((path, pool.submit(path, settings, timeout)))
            path, future = pending[0]
            try:
                result = future.result()
            except BrokenProcessPool:
                pool = pool.replaced(pending, breaks, settings, timeout)
                continue
            pending.popleft()
            yield path, result
    except BaseException:  # Ctrl-C or the caller stopped: do not wait for running files
        pool.stop()
        raise
    pool.close()


_RUN_PREFIX = "dean06-run-"
_PAGES = "pages"  # the run folder's folder of page progress notes
_PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
_TERMINATED = -signal.SIGTERM  # how the executor ends the workers that survive a break
_MAX_BREAKS = 2  # a file caught in this many breaks, its worker never seen dying, fails
_STOP_SECONDS = 10.0  # how long a stopped pool's manager thread is given to clean up


class _PoolWithLedger:
    """A process pool whose workers note, in ``ledger``, the file each one is reading, so
    that the file of a worker that died is known."""

    def __init__(self, workers: int, watchdog: Watchdog) -> None:
        self.workers, self.watchdog, self.ledger = workers, watchdog, watchdog.ledger
        context = multiprocessing.get_context("spawn")  # no fork of the parent's threads
        self.pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(self.ledger.parent,)
        )
        self.processes: dict[int, multiprocessing.process.BaseProcess] = {}

    def submit(
        self, path: Path, settings: ExtractSettings, timeout: float | None
    ) -> Future[ReportResult]:
        future = self.pool.submit(_noted_extract, path, settings, timeout, self.ledger)
        self.processes.update(getattr(self.pool, "_processes", None) or {})
        return future

    def replaced(
        self,
        pending: deque[tuple[Path, Future[ReportResult]]],
        breaks: Counter[Path],
        settings: ExtractSettings,
        timeout: float | None,
    ) -> _PoolWithLedger:
        """After a worker died: its file fails with the reason, every other file not read
        yet is given to a new pool (``pending`` is updated in place)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        died = self._deaths()
        fresh = _PoolWithLedger(self.workers, self.watchdog)
        for index, (path, future) in enumerate(pending):
            if future.done() and future.exception() is None:
                continue  # read before the break
            reason = died.get(str(path))
            if not died:  # no worker's note names its file: each one in flight is suspect
                breaks[path] += 1
                if breaks[path] >= _MAX_BREAKS:
                    reason = "worker died while reading it, twice"
            if reason is not None:
                pending[index] = (path, _done(_worker_died(path, reason)))
            else:
                pending[index] = (path, fresh.submit(path, settings, timeout))
        return fresh

    def _deaths(self) -> dict[str, str]:
        """The files whose worker ended on its own (not stopped by the executor), with how."""
        died: dict[str, str] = {}
        for pid, process in self.processes.items():
            process.join(timeout=5)
            code = process.exitcode
            note = self.ledger / str(pid)
            if code not in (None, 0, _TERMINATED) and note.exists():
                path = note.read_text("utf-8")
                died[path] = self.watchdog.verdicts.pop(path, None) or _how(code)
            note.unlink(missing_ok=True)
        return died

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def stop(self) -> None:
        """End the pool now, its running workers terminated. Returns once the pool's
        manager thread has cleaned up: Python's exit hook wakes that thread without its
        lock, and meeting the thread's own clean-up half-way it wrote to a closed pipe
        (a traceback after Ctrl-C, concurrent.futures of Python 3.11)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        manager = getattr(self.pool, "_executor_manager_thread", None)
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        if manager is not None:
            manager.join(timeout=_STOP_SECONDS)


def _noted_extract(
    path: Path, settings: ExtractSettings, timeout: float | None, ledger: Path
) -> ReportResult:
    """``extract_file`` in a pool worker, the file noted in the ledger while it is read."""
    note = ledger / str(os.getpid())
    note.write_text(str(path), "utf-8")
    try:
        with progress.reading(path):
            return extract_file(path, settings, timeout)
    finally:
        note.unlink(missing_ok=True)


def _how(exit_code: int) -> str:
    """How a worker ended, for the file's error: "killed by signal 9 (SIGKILL), …"."""
    if exit_code >= 0:
        return f"worker died: exited with status {exit_code}"
    number = -exit_code
    name = signal.Signals(number).name if number in signal.valid_signals() else "unknown"
    hint = ", probably out of memory" if number == signal.SIGKILL else ""
    return f"worker died: killed by signal {number} ({name}){hint}"


def _worker_died(path: Path, reason: str) -> ReportResult:
    return failed_result(path, f"{path.name}: {reason}", WORKER_DIED)


def _done(result: ReportResult) -> Future[ReportResult]:
    future: Future[ReportResult] = Future()
    future.set_result(result)
    return future
