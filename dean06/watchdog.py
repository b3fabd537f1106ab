"""Limits enforced on pool workers from outside: memory and wall-clock time.

A worker stuck in C code (PDFium rendering, a Tesseract or Ghostscript child) cannot be
stopped by a signal handler of its own. The main process watches each worker's process
tree (the worker and the programs it runs), reading the ledger note each worker keeps of
the file it reads: a tree whose resident memory passes ``max_memory`` bytes, or a file
read for longer than the timeout and a grace, is killed, and the reason is kept by file
for the pool to give the file (``workers._PoolWithLedger``).
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from pathlib import Path

import psutil

GRACE_SECONDS = 5.0  # after --timeout, for the worker's own SIGALRM to end the file
POLL_SECONDS = 0.2
CLOSE_POLL_SECONDS = 0.05  # while a tree is past NEAR_SHARE of the limit: it may climb fast
NEAR_SHARE = 0.7
DEFAULT_MEMORY_SHARE = 0.8  # of the machine's memory, shared by the workers
MIN_DEFAULT_MEMORY = 1 << 30  # a scan's OCR needs about 0.5 GiB: no default below 1 GiB
_SIZE = re.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$")
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes from a size as typed: ``1500M``, ``2G``, ``1.5GiB``, ``0`` (no limit)."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (write it as 800M, 2G or 0 for none)")
    return int(float(match[1]) * _UNITS[match[2].lower()])


def default_memory_limit(workers: int) -> int:
    """Each worker's share of the machine's memory, never below 1 GiB."""
    share = psutil.virtual_memory().total * DEFAULT_MEMORY_SHARE / max(workers, 1)
    return max(int(share), MIN_DEFAULT_MEMORY)


def format_size(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    return f"{size / (1 << 20):.0f} MiB"


class Watchdog:
    """A thread killing the workers (with their children) that pass the limits."""

    def __init__(self, ledger: Path, max_memory: int | None, timeout: float | None) -> None:
        self.ledger, self.max_memory, self.timeout = ledger, max_memory, timeout
        self.verdicts: dict[str, str] = {}  # file → why its worker was killed
        self.peaks: dict[str, int] = {}  # file → the largest tree memory seen reading it
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="dean06-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        if self.max_memory or self.timeout:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        near = False
        while not self._stop.wait(CLOSE_POLL_SECONDS if near else POLL_SECONDS):
            near = False
            for note in list(self.ledger.iterdir()):
                with contextlib.suppress(OSError, ValueError, psutil.Error):
                    near |= self._check(int(note.name), note)

    def _check(self, pid: int, note: Path) -> bool:
        """Kill the worker's tree if it passed a limit; whether it is near the memory one."""
        started = note.stat().st_mtime
        path = note.read_text("utf-8")
        worker = psutil.Process(pid)
        tree = [worker, *worker.children(recursive=True)]
        memory = sum(_resident(process) for process in tree)
        self.peaks[path] = max(self.peaks.get(path, 0), memory)
        reason = None
        if self.max_memory and memory > self.max_memory:
            reason = (
                f"stopped at {format_size(memory)}, over the memory limit of "
                f"{format_size(self.max_memory)} a worker (--max-memory)"
            )
        elif self.timeout and time.time() - started > self.timeout + GRACE_SECONDS:
            reason = f"took longer than {self.timeout:g} s (--timeout); stopped from outside"
        if reason is None or not note.exists():
            return bool(self.max_memory and memory > self.max_memory * NEAR_SHARE)
        self.verdicts[path] = reason
        for process in reversed(tree):  # children first: none is left to its own devices
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGKILL)
        return False


def _resident(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0
