"""The Ray executor on a local Ray instance (loopback only): the same database as local
workers, a killed Ray worker's task retried once and then its file failed, and Ray never
imported on the default path."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil
import pypdfium2
import pytest
from typer.testing import CliRunner

from dean06.cli import app

from .conftest import SAMPLES
from .family import draw_report, write_pdf
from .scan import make_scan

runner = CliRunner()
SMALL = ["000_ad209dad08bfea4e.pdf", "002_0e464231b5c84ab4.docx", "003_bb8745acf477937f.txt"]
# What a report is, column by column: extracted_at differs from run to run.
TABLES = {
    "reports": "SELECT * EXCLUDE (extracted_at) FROM reports ORDER BY ALL",
    "service_stats": "SELECT * FROM service_stats ORDER BY ALL",
    "figures": "SELECT * FROM figures ORDER BY ALL",
    "findings": "SELECT * FROM findings ORDER BY ALL",
}


def contents(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


def test_ray_gives_the_same_database_as_local_workers(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(SAMPLES / name, folder / name)
    local, on_ray = tmp_path / "local.duckdb", tmp_path / "ray.duckdb"
    result = runner.invoke(app, ["extract", str(folder), "--db", str(local), "--workers", "2"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["extract", str(folder), "--db", str(on_ray), "--workers", "2",
                                 "--executor", "ray"])  # fmt: skip
    assert result.exit_code == 0, result.output
    expected, got = contents(local), contents(on_ray)
    assert len(expected["service_stats"]) > 100
    assert got == expected


def first_page(pdf: Path) -> None:
    """Keep only the first page of ``pdf``."""
    document = pypdfium2.PdfDocument(pdf)
    for index in reversed(range(1, len(document))):
        document.del_page(index)
    document.save(pdf.with_suffix(".tmp"))
    document.close()
    pdf.with_suffix(".tmp").replace(pdf)


def _ray_worker_reading(scratch: Path, name: str, seen: set[int], within: float) -> int:
    """The pid of a Ray worker whose task notes ``name`` (``ray_executor._extract_bytes``
    keeps the note in its temporary folder), other than those already ``seen``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for note in scratch.glob("dean06-ray-*/ledger/*"):
            try:
                pid = int(note.name)
                if pid not in seen and note.read_text("utf-8").endswith(name):
                    return pid
            except (FileNotFoundError, ValueError):
                continue
        time.sleep(0.05)
    raise AssertionError(f"no Ray worker was seen reading {name}")


@pytest.mark.slow
def test_a_killed_ray_worker_is_retried_once_then_its_file_fails(tmp_path: Path) -> None:
    """kill -9 of the Ray worker reading a scan: its task runs again; killed again, the
    file fails with the reason and the batch completes. A scan killed once loads."""
    folder = tmp_path / "in"
    folder.mkdir()
    # Ray keeps its sockets under TMPDIR: a short path (a UNIX socket's is capped at 107)
    scratch = Path(tempfile.mkdtemp(prefix="d6ray", dir="/tmp"))
    for seed, name in ((21, "twice"), (22, "once")):
        write_pdf(draw_report(seed), tmp_path / f"{name}.pdf")
        first_page(tmp_path / f"{name}.pdf")  # one page to OCR on the second try
        make_scan(tmp_path / f"{name}.pdf", folder / f"{name}.scan.pdf", seed)
    shutil.copy(SAMPLES / SMALL[2], folder / SMALL[2])
    database = tmp_path / "x.duckdb"
    command = [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
               "--workers", "2", "--executor", "ray"]  # fmt: skip
    environment = {**os.environ, "TMPDIR": str(scratch)}
    running = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    killed: set[int] = set()
    try:
        for name in ("twice.scan.pdf", "twice.scan.pdf", "once.scan.pdf"):
            victim = _ray_worker_reading(scratch, name, killed, within=180)
            os.kill(victim, signal.SIGKILL)
            killed.add(victim)
        out, err = running.communicate(timeout=600)
        assert "failed" in out  # the summary
    finally:
        running.kill()
        shutil.rmtree(scratch, ignore_errors=True)
    assert running.returncode == 1, err
    reason = "twice.scan.pdf: worker died while reading it, 2 times on Ray"
    assert reason in err and "Traceback" not in err, err
    with duckdb.connect(str(database), read_only=True) as con:
        status = dict(con.execute("SELECT file_name, status FROM reports").fetchall())
        rows = con.execute(
            "SELECT count(*) FROM service_stats JOIN reports USING (report_id) "
            "WHERE file_name = 'once.scan.pdf'"
        ).fetchone()[0]
    assert status.pop("twice.scan.pdf") == "failed"
    assert status == {"once.scan.pdf": status["once.scan.pdf"], SMALL[2]: "ok"}
    assert status["once.scan.pdf"] in ("ok", "partial") and rows >= 3  # read on its second try


def test_the_default_path_never_imports_ray(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from dean06.cli import app\n"
        f"result = CliRunner().invoke(app, ['extract', {str(SAMPLES / SMALL[2])!r}, "
        f"'--db', {str(tmp_path / 'x.duckdb')!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('ray' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_ray_the_executor_says_how_to_install_it(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "sys.modules['ray'] = None  # as if Ray were not installed\n"
        "from dean06.cli import app\n"
        f"sys.argv = ['dean06', 'extract', {str(SAMPLES / SMALL[2])!r}, "
        f"'--db', {str(tmp_path / 'x.duckdb')!r}, '--executor', 'ray']\n"
        "app()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: --executor ray needs Ray: pip install 'dean06[ray]' (or make install)"
    ]


@pytest.mark.slow
def test_ctrl_c_of_the_ray_driver_leaves_whole_reports_and_no_ray_process(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    report = (SAMPLES / "003_bb8745acf477937f.pdf").read_bytes()
    for index in range(24):
        (folder / f"r{index:02d}.pdf").write_bytes(report + f"\n% copy {index}\n".encode())
    scratch = Path(tempfile.mkdtemp(prefix="d6ray", dir="/tmp"))
    database = tmp_path / "x.duckdb"
    command = [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
               "--workers", "2", "--executor", "ray"]  # fmt: skip
    environment = {**os.environ, "TMPDIR": str(scratch)}
    try:
        running = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while _loaded(database) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)  # Ray is up and reports come back (read between commits)
        running.send_signal(signal.SIGINT)
        _, err = running.communicate(timeout=120)
        assert running.returncode == 130, err
        assert "Traceback" not in err and "run the same command again" in err
        with duckdb.connect(str(database), read_only=True) as con:
            counts = con.execute(
                "SELECT count(*) FROM reports JOIN service_stats USING (report_id) "
                "GROUP BY report_id"
            ).fetchall()
        assert len(counts) < 24 and len(set(counts)) <= 1  # whole reports only
        time.sleep(2)
        left = [p for p in psutil.process_iter(["cmdline"])
                if str(scratch) in " ".join(p.info["cmdline"] or [])]  # fmt: skip
        assert left == []  # the local Ray instance went with the driver
        again = subprocess.run(command, capture_output=True, text=True, env=environment,
                               timeout=300)  # fmt: skip
        assert again.returncode == 0, again.stderr
        with duckdb.connect(str(database), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM reports").fetchone() == (24,)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _loaded(database: Path) -> int:
    """Reports committed so far (0 while the file is missing or a commit holds it)."""
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            return int(con.execute("SELECT count(*) FROM reports").fetchone()[0])
    except duckdb.Error:
        return 0
