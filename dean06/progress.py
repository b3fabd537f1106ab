"""Page progress of the files being read, for the progress bar of a batch.

A worker notes how far it has read its file in a small file of a run folder: pages known
when the reader opens the file, half a page when OCR has read a scanned page and the rest
when the reader has rebuilt it, a whole page for a page with a text layer. The batch's
process reads the notes (``PageMeter``) and ``BatchProgress`` sums them with the pages of
the files already done, estimating the pages of the files not yet opened from those seen.

Outside a worker (no folder set) the worker side does nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.5  # how often the batch reads the workers' notes
WRITE_SECONDS = 0.25  # a worker writes its note at most this often (and at the file's end)
OCR_SHARE = 0.5  # of a scanned page's work, the OCR (the rest: rules, cells, reading)

Snapshot = dict[str, tuple[float, int]]  # file → (pages done, pages), of files being read


@dataclass
class _Reading:
    """How far the worker has read its current file."""

    note: Path
    pages: int = 0
    scanned: int = 0
    ocr: float = 0.0  # fraction of the file's OCR done
    read: float = 0.0  # pages rebuilt (a scanned page counts 1 - OCR_SHARE)
    written: float = 0.0  # monotonic time of the last note

    def done(self) -> float:
        return min(self.read + self.ocr * self.scanned * OCR_SHARE, float(self.pages))

    def write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.written < WRITE_SECONDS:
            return
        self.written = now
        partial = self.note.with_suffix(".tmp")
        with contextlib.suppress(OSError):  # a full disk costs the bar, never the file
            partial.write_text(f"{self.done():.2f} {self.pages}", "ascii")
            os.replace(partial, self.note)


_folder: Path | None = None
_current: _Reading | None = None


def note_pages_in(folder: Path) -> None:
    """In a worker: note the progress of each file read in ``folder``."""
    global _folder
    _folder = folder


def note_name(path: Path | str) -> str:
    return hashlib.sha1(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:20]


@contextlib.contextmanager
def reading(path: Path) -> Any:
    """In a worker, while ``path`` is read: its note (left whole when the file ends)."""
    global _current
    if _folder is None:
        yield
        return
    _current = _Reading(_folder / note_name(path))
    try:
        yield
    finally:
        if _current.pages:
            _current.read, _current.ocr = float(_current.pages), 0.0
            _current.write(force=True)
        _current = None


def opened(pages: int, scanned: int = 0) -> None:
    """The reader opened the file: ``pages`` pages, ``scanned`` of them to OCR."""
    if _current is not None:
        _current.pages, _current.scanned = pages, scanned
        _current.write(force=True)


def ocr_advanced(fraction: float) -> None:
    """OCR has read ``fraction`` of the file's scanned pages."""
    if _current is not None:
        _current.ocr = max(min(fraction, 1.0), _current.ocr)
        _current.write()


def page_read(scanned: bool) -> None:
    """The reader has rebuilt one more page."""
    if _current is not None:
        _current.read += (1.0 - OCR_SHARE) if scanned else 1.0
        _current.write()


class OcrPages:
    """An OCRmyPDF progress bar (its ``ProgressBar`` protocol) that notes the pages its
    OCR step has read; its other steps are quick and not counted."""

    def __init__(self, *, total: float | None = None, desc: str | None = None, **_: Any) -> None:
        self.total, self.counted, self.completed = total, desc == "OCR", 0.0

    def __enter__(self) -> OcrPages:
        return self

    def __exit__(self, *exc: object) -> bool:
        return False

    def update(self, n: float = 1, *, completed: float | None = None) -> None:
        self.completed = completed if completed is not None else self.completed + n
        if self.counted and self.total:
            ocr_advanced(self.completed / self.total)


class PageMeter:
    """A thread of the batch's process passing the workers' notes to ``on_notes`` every
    ``POLL_SECONDS``."""

    def __init__(self, folder: Path, on_notes: Callable[[Snapshot], None]) -> None:
        self.folder, self.on_notes = folder, on_notes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="dean06-pages", daemon=True)

    def __enter__(self) -> PageMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def forget(self, path: Path) -> None:
        """``path``'s result is in hand: its note is no longer needed."""
        (self.folder / note_name(path)).unlink(missing_ok=True)

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.on_notes(self.read())

    def read(self) -> Snapshot:
        notes: Snapshot = {}
        for note in self.folder.glob("[0-9a-f]*[0-9a-f]"):
            with contextlib.suppress(OSError, ValueError):
                done, pages = note.read_text("ascii").split()
                notes[note.name] = float(done), int(pages)
        return notes


@dataclass
class BatchProgress:
    """Where a batch stands, in files and in pages (``pages`` is an estimate until every
    file to read has been opened)."""

    files_done: int = 0
    files: int = 0
    pages_done: float = 0.0
    pages: float = 0.0
    estimated: bool = True  # some files to read are not opened yet: ``pages`` is a guess


class PageTally:
    """Sums the pages of the files done and of the notes of the files being read; tells
    ``on_progress`` under its lock, so that states arrive in the order they were made."""

    def __init__(self, to_read: int, on_progress: Callable[[BatchProgress], None]) -> None:
        self.to_read, self.on_progress = to_read, on_progress
        self.files_done, self.files = 0, 0
        self.finished_pages, self.finished = 0, 0  # pages of the files read, and how many
        self.notes: Snapshot = {}
        self.forgotten: set[str] = set()  # notes of files read (a late poll may see them)
        self._lock = threading.Lock()

    def counted(self, files_done: int, files: int) -> None:
        with self._lock:
            self.files_done, self.files = files_done, files
            self._tell()

    def seen(self, notes: Snapshot) -> None:
        with self._lock:
            self.notes = {k: v for k, v in notes.items() if k not in self.forgotten}
            self._tell()

    def read(self, path: Path, pages: int | None) -> None:
        """``path`` is read (``pages``: its page count, when known)."""
        with self._lock:
            name = note_name(path)
            noted = self.notes.pop(name, None)
            self.forgotten.add(name)
            self.finished_pages += pages or (noted[1] if noted else 0) or 1
            self.finished += 1
            self._tell()

    def _tell(self) -> None:
        opened = [pages for _, pages in self.notes.values() if pages]
        known_pages, known = self.finished_pages + sum(opened), self.finished + len(opened)
        unopened = max(self.to_read - known, 0)
        mean = known_pages / known if known else 1.0
        self.on_progress(
            BatchProgress(
                files_done=self.files_done,
                files=self.files,
                pages_done=self.finished_pages + sum(d for d, _ in self.notes.values()),
                pages=known_pages + unopened * mean,
                estimated=unopened > 0,
            )
        )
