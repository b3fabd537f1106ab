"""Batches that survive anything: workers, Ctrl-C, kill -9, a second writer, limits."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from .conftest import CORPUS, SAMPLES

REPORT = CORPUS / "003_bb8745acf477937f.pdf"  # 14 pages, 39 table rows, 33 figures
WHOLE = 39 + 20  # its table rows and the 20 narrative figures that name a service
BATCH = 40  # copies: long enough (~10 s) for a signal or a second writer to land mid-batch
ROWS_PER_REPORT = ("SELECT r.report_id, count(s.report_id) FROM reports r "
                   "LEFT JOIN service_stats s USING (report_id) GROUP BY ALL")  # fmt: skip


def dean06(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dean06", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_default_interrupt,  # as from a terminal, even if this run ignores Ctrl-C
    )


def _default_interrupt() -> None:
    """A shell starting a job in the background makes it ignore SIGINT, and children
    inherit that; the command under test must see Ctrl-C as a terminal would send it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def copies(folder: Path, count: int) -> Path:
    """``count`` byte-distinct copies of one report (a comment after %%EOF)."""
    folder.mkdir()
    for index in range(count):
        data = REPORT.read_bytes() + f"\n% copy {index}\n".encode()
        (folder / f"report_{index:02d}.pdf").write_bytes(data)
    return folder


def table_rows(db: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(ROWS_PER_REPORT).fetchall()


def wait_for_reports(db: Path, process: subprocess.Popen[str], least: int) -> None:
    """Until ``least`` reports are committed, read as an analyst would while the batch
    runs (the writer opens the database only to commit: a read between commits)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                with duckdb.connect(str(db), read_only=True) as con:
                    if con.execute("SELECT count(*) FROM reports").fetchone()[0] >= least:
                        return
            except duckdb.Error:  # a commit in progress holds the file
                pass
        time.sleep(0.3)
    raise AssertionError("the batch did not load reports in time")


def test_same_result_with_one_and_two_workers(tmp_path: Path) -> None:
    dumps = []
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.duckdb"
        process = dean06("extract", str(SAMPLES), "--db", str(db), "--workers", workers)
        assert process.wait(timeout=300) == 0, process.stdout.read() if process.stdout else ""
        with duckdb.connect(str(db), read_only=True) as con:
            dumps.append(
                [
                    con.execute(f"SELECT * EXCLUDE ({skip}) FROM {table} ORDER BY ALL").fetchall()
                    for table, skip in (
                        ("reports", "extracted_at, source_path"),
                        ("service_stats", "report_id"),
                        ("figures", "report_id"),
                        ("findings", "report_id"),
                    )
                ]
            )
    assert dumps[0] == dumps[1]
    assert len(dumps[0][0]) == 4 and len(dumps[0][1]) > 150


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_stopped_batch_holds_whole_reports_and_the_rerun_loads_the_rest(
    tmp_path: Path, stop: signal.Signals
) -> None:
    folder = copies(tmp_path / "reports", BATCH)
    db = tmp_path / "t.duckdb"
    process = dean06("extract", str(folder), "--db", str(db), "--workers", "1")
    wait_for_reports(db, process, least=2)
    process.send_signal(stop)
    code = process.wait(timeout=60)
    output = process.stdout.read() if process.stdout else ""
    if stop is signal.SIGINT:
        assert code == 130, output
        assert "interrupted:" in output and "run the same command again" in output
    loaded = table_rows(db)
    assert 2 <= len(loaded) < BATCH
    assert all(rows == WHOLE for _, rows in loaded)  # whole reports only

    rerun = dean06("extract", str(folder), "--db", str(db), "--workers", "2")
    assert rerun.wait(timeout=300) == 0
    rerun_output = rerun.stdout.read() if rerun.stdout else ""
    assert rerun_output.count("already loaded") == len(loaded)
    final = table_rows(db)
    assert len(final) == BATCH and all(rows == WHOLE for _, rows in final)


def test_second_writer_is_told_the_database_is_in_use_or_waits(tmp_path: Path) -> None:
    folder = copies(tmp_path / "reports", BATCH)
    db = tmp_path / "t.duckdb"
    first = dean06("extract", str(folder), "--db", str(db), "--workers", "1")
    wait_for_reports(db, first, least=1)
    second = dean06("extract", str(SAMPLES / "003_bb8745acf477937f.txt"), "--db", str(db))
    assert second.wait(timeout=60) == 1
    message = second.stdout.read() if second.stdout else ""
    assert "the database is in use by another dean06 process" in message
    assert message.count("\n") == 1
    waiting = dean06("extract", str(SAMPLES / "003_bb8745acf477937f.txt"), "--db", str(db),
                     "--wait", "300")  # fmt: skip
    assert first.wait(timeout=300) == 0
    assert waiting.wait(timeout=300) == 0
    assert len(table_rows(db)) == BATCH + 1


def test_limits_fail_the_file_and_the_batch_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    process = dean06("extract", str(REPORT), str(SAMPLES / "003_bb8745acf477937f.txt"),
                     "--db", str(db), "--max-pages", "5")  # fmt: skip
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 1
    assert "003_bb8745acf477937f.pdf: 14 pages, over the cap of 5 (--max-pages)" in output
    db2 = tmp_path / "t2.duckdb"
    process = dean06("extract", str(REPORT), str(SAMPLES / "002_0e464231b5c84ab4.docx"),
                     "--db", str(db2), "--timeout", "0.2", "--workers", "1")  # fmt: skip
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 1
    assert "003_bb8745acf477937f.pdf: took longer than 0.2 s (--timeout)" in output
    with duckdb.connect(str(db2), read_only=True) as con:
        statuses = dict(con.execute("SELECT file_name, status FROM reports").fetchall())
    assert statuses["003_bb8745acf477937f.pdf"] == "failed"
