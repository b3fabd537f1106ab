"""Hostile and unlucky inputs: a read-only query that is read-only, exports that hand out
no live formula, and text from documents and file names printed as it is.

Each input is built here (no big files in the repository), each a test of its own.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dean06.catalog import load_catalogue
from dean06.cli import app
from dean06.store import SCHEMA_VERSION, Store

from .conftest import BAD, CORPUS, SAMPLES
from .family import draw_report, truth_of, write_forms
from .hostile import huge_image, huge_page
from .legacy import to_tcvn3, to_tcvn3_as_pdf_text, to_vni, write_legacy_forms
from .scan import make_scan

runner = CliRunner()
FORMULA = '=HYPERLINK("http://example.invalid","Đăng ký thường trú")'


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples extracted, one service name rewritten as a spreadsheet formula (as a
    hostile or unlucky document can print it)."""
    path = tmp_path_factory.mktemp("reliability") / "dean06.duckdb"
    code, output = run("extract", str(SAMPLES), "--db", str(path), "--workers", "1")
    assert code == 0, output
    with Store(path) as store:
        store.connection.execute(
            "UPDATE service_stats SET name_in_doc = ? WHERE service_id = 'QD06-3'", [FORMULA]
        )
    return path


# --- read-only means read-only --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sql"),
    [
        ("copy_to", "COPY (SELECT * FROM reports) TO '{target}'"),
        ("attach_and_delete", "ATTACH '{other}' AS other (READ_WRITE); DELETE FROM other.x"),
        (
            "attach_itself_by_hard_link",
            "ATTACH '{link}' AS same (READ_WRITE); DELETE FROM same.findings",
        ),
        ("install", "INSTALL httpfs"),
        ("load", "LOAD httpfs"),
        ("read_outside", "SELECT * FROM read_csv('{outside}')"),
        ("unlock", "SET enable_external_access = true"),
        ("write", "DELETE FROM findings"),
    ],
)
def test_query_cannot_write_or_reach_outside(name: str, sql: str, db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE x AS SELECT 42 AS v")
    link = tmp_path / "link.duckdb"
    os.link(db, link)
    outside = tmp_path / "secret.csv"
    outside.write_text("a,b\n1,2\n", "utf-8")
    target = tmp_path / "written.csv"
    before = digest(db), digest(other)
    statement = sql.format(target=target, other=other, link=link, outside=outside)
    code, output = run("query", statement, "--db", str(db))
    assert code == 1, output
    assert output.startswith("error: query failed:") and output.count("\n") == 1, output
    assert not target.exists()
    assert (digest(db), digest(other)) == before


def test_query_may_write_files_when_allowed(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"
    code, output = run("query", f"COPY (SELECT 1 AS a) TO '{target}'", "--db", str(db),
                       "--allow-files")  # fmt: skip
    assert code == 0, output
    assert target.read_text("utf-8").split() == ["a", "1"]


def test_read_commands_never_migrate_a_database(tmp_path: Path) -> None:
    """A schema-1 file: read commands leave it as it is and say what upgrades it."""
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);"
            "INSERT INTO schema_info VALUES ('schema_version', '1');"
            "CREATE TABLE reports (report_id VARCHAR PRIMARY KEY, file_name VARCHAR);"
        )
    before = digest(path)
    for command in (["query", "SELECT 1"], ["findings"], ["export", str(tmp_path / "out")]):
        code, output = run(*command, "--db", str(path))
        assert code == 1, output
        assert f"written by an older dean06 (schema 1, this one reads {SCHEMA_VERSION})" in output
        assert "dean06 extract" in output and output.count("\n") == 1
    assert digest(path) == before


def test_a_file_set_up_otherwise_is_set_up_again_by_the_writer(tmp_path: Path) -> None:
    """The writer skips the set-up only when the file holds this version's own: the
    catalogue, emptied under another dean06's fingerprint, is written again; under this
    one's, the file is left as it is."""
    path = tmp_path / "set_up.duckdb"
    services = len(load_catalogue().services)
    with Store(path) as store:
        assert store.count("catalogue") == services

    def reopened_after_emptying(fingerprint: str | None) -> int:
        with duckdb.connect(str(path)) as con:
            con.execute("DELETE FROM catalogue")
            if fingerprint:
                con.execute("UPDATE schema_info SET value = ? WHERE key = 'set_up'", [fingerprint])
        with Store(path) as store:
            return store.count("catalogue")

    assert reopened_after_emptying("another dean06") == services
    assert reopened_after_emptying(None) == 0


# --- safe exports ---------------------------------------------------------------------


def test_xlsx_export_writes_formulas_as_text(db: Path, tmp_path: Path) -> None:
    code, output = run("export", str(tmp_path), "--format", "xlsx", "--db", str(db))
    assert code == 0, output
    workbook = load_workbook(tmp_path / "dean06.xlsx")
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    names = [cell for cell in cells if cell.value == FORMULA]
    assert names and all(cell.data_type == "s" for cell in names)
    sheet = workbook["service_stats"]
    header = [cell.value for cell in sheet[1]]
    totals = [row[header.index("total")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 80424 in totals and all(v is None or isinstance(v, int) for v in totals)


def test_csv_export_quotes_formulas_and_raw_keeps_them(db: Path, tmp_path: Path) -> None:
    """A cell that opens with =, +, -, @, tab or CR gets the usual leading apostrophe, so
    a spreadsheet shows it as text; ``--raw`` writes the values as they are."""
    for raw in (False, True):
        out = tmp_path / ("raw" if raw else "safe")
        code, output = run("export", str(out), "--db", str(db), *(["--raw"] if raw else []))
        assert code == 0, output
        with (out / "service_stats.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        names = {row["name_in_doc"] for row in rows}
        assert (FORMULA in names) is raw and (("'" + FORMULA) in names) is not raw
        assert "80424" in {row["total"] for row in rows}  # numbers stay numbers
        opening = [n for n in names if n[:1] in "=+-@\t\r"]
        assert bool(opening) is raw


# --- printed literally ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["[bold]báo cáo[red].pdf", "esc\x1b[31mred.pdf", "two\nlines.pdf", "tháng [i]5.pdf"]
)
def test_file_names_are_printed_as_they_are(name: str, tmp_path: Path) -> None:
    """Markup, escape sequences and newlines in a file name, and "[/x]" in the database's
    path: one error line naming the file as it is, control characters shown escaped, and
    the batch's summary."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(BAD / "random_bytes.pdf", folder / name)
    database = tmp_path / "q[" / "x]" / "dean06.duckdb"  # "…/q[/x]/…": rich's closing tag
    database.parent.mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
         "--workers", "1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    shown = name.replace("\x1b", "\\x1b").replace("\n", "\\n")
    assert len(lines) == 1 and shown in lines[0], done.stderr
    assert "\x1b[31m" not in done.stderr and "Traceback" not in done.stderr
    assert "failed" in done.stdout and "q[/x]" in done.stdout  # the summary, its title


def test_query_cells_are_printed_as_they_are(db: Path) -> None:
    code, output = run("query", "SELECT 'Phụ lục [b]II[/b]' AS a, '[/]' AS b, NULL AS c",
                       "--db", str(db))  # fmt: skip
    assert code == 0, output
    assert "Phụ lục [b]II[/b]" in output and "[/]" in output and "None" not in output


# --- a worker's death costs one file --------------------------------------------------

SMALL = ["000_ad209dad08bfea4e.pdf", "002_0e464231b5c84ab4.docx", "003_bb8745acf477937f.pdf",
         "003_bb8745acf477937f.txt"]  # fmt: skip


@pytest.mark.slow
def test_a_killed_worker_costs_its_file_and_the_batch_goes_on(tmp_path: Path) -> None:
    """A worker killed (kill -9, as the out-of-memory killer does) while it reads a scan:
    that file fails with the reason, the other files load, the summary prints; a re-run
    does not read it again (it stays failed) unless asked."""
    folder, scratch = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    make_scan(SAMPLES / "000_ad209dad08bfea4e.pdf", folder / "000.scan.pdf")
    for name in SMALL:
        shutil.copy(SAMPLES / name, folder / name)
    database = tmp_path / "x.duckdb"
    command = [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
               "--workers", "2"]  # fmt: skip
    environment = {**os.environ, "TMPDIR": str(scratch)}  # where the run's folder is
    running = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    victim = _worker_reading(scratch, "000.scan.pdf", within=120)
    os.kill(victim, signal.SIGKILL)
    out, err = running.communicate(timeout=300)
    assert running.returncode == 1, err
    reason = "000.scan.pdf: worker died: killed by signal 9 (SIGKILL), probably out of memory"
    assert reason in err and "Traceback" not in err, err
    assert "failed" in out  # the summary
    with duckdb.connect(str(database), read_only=True) as con:
        status = dict(con.execute("SELECT file_name, status FROM reports").fetchall())
    assert status.pop("000.scan.pdf") == "failed"
    assert sorted(status) == sorted(SMALL) and set(status.values()) <= {"ok", "partial"}
    again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)
    assert again.returncode == 1 and f"{reason} on an earlier run" in again.stderr
    assert "--retry-failed" in again.stderr


def _worker_reading(scratch: Path, name: str, within: float) -> int:
    """The pid of the pool worker whose ledger note names ``name``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for note in scratch.glob("dean06-run-*/ledger/*"):
            try:
                if note.read_text("utf-8").endswith(name):
                    return int(note.name)
            except FileNotFoundError:
                continue
        time.sleep(0.05)
    raise AssertionError(f"no worker was seen reading {name}")


# --- no traceback reaches the user ----------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "blocks_overwritten", "version_not_a_number"])
def test_a_damaged_database_gives_one_line(damage: str, db: Path, tmp_path: Path) -> None:
    """A DuckDB file whose header is valid but whose blocks are cut off or overwritten, or
    whose schema version is garbage: one line naming the file, for a reader and for
    ``extract``; the file is not touched further."""
    path = tmp_path / "damaged.duckdb"
    shutil.copy(db, path)
    if damage == "truncated":
        os.truncate(path, 300_000)  # headers and one block of 256 KiB kept, the rest cut off
    elif damage == "blocks_overwritten":
        size = path.stat().st_size
        with path.open("r+b") as handle:  # past the file's headers (3 blocks of 4 KiB)
            handle.seek(12_288)
            handle.write(os.urandom(size - 12_288))
    else:
        with duckdb.connect(str(path)) as con:
            con.execute("UPDATE schema_info SET value = 'x1' WHERE key = 'schema_version'")
    for command in (["query", "SELECT count(*) FROM service_stats"],
                    ["extract", str(SAMPLES / "003_bb8745acf477937f.txt"), "--force"]):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "dean06", *command, "--db", str(path)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}: damaged database")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_removed_after_it_was_listed_fails_alone(workers: int, tmp_path: Path) -> None:
    """A file deleted while the batch runs: that file fails with the reason, the others
    are read (it was a FileNotFoundError that ended the batch)."""
    from dean06.settings import ExtractSettings
    from dean06.workers import run_all

    present = SAMPLES / "003_bb8745acf477937f.txt"
    gone = tmp_path / "removed.pdf"
    results = dict(run_all([gone, present], ExtractSettings(), workers, timeout=120))
    assert results[gone].status == "failed"
    assert results[gone].error == "removed.pdf: cannot read (No such file or directory)"
    assert results[present].status == "ok" and results[present].services


@pytest.mark.slow
def test_workers_die_with_the_main_process_and_its_folder_is_swept(tmp_path: Path) -> None:
    """kill -9 of the main process while a worker reads a scan: the workers end too (they
    ran on forever), and the next run removes the temporary folder the killed one left."""
    folder, scratch = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    make_scan(SAMPLES / "000_ad209dad08bfea4e.pdf", folder / "000.scan.pdf")
    shutil.copy(SAMPLES / "003_bb8745acf477937f.txt", folder / "003.txt")
    environment = {**os.environ, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "dean06", "extract", str(folder), "--db",
               str(tmp_path / "x.duckdb"), "--workers", "2"]  # fmt: skip
    running = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment
    )
    worker = _worker_reading(scratch, "000.scan.pdf", within=120)
    (left,) = scratch.glob("dean06-run-*")
    running.kill()
    running.wait(timeout=30)
    deadline = time.monotonic() + 20
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker), "the worker outlived the main process"
    assert left.exists()  # killed: nothing removed it
    again = subprocess.run(
        [sys.executable, "-m", "dean06", "extract", str(folder / "003.txt"), "--db",
         str(tmp_path / "y.duckdb")],
        capture_output=True, text=True, timeout=120, env=environment,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert not left.exists() and not list(scratch.glob("dean06-run-*"))


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting for its parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


# --- bounded memory -------------------------------------------------------------------

# the largest peak of the main process (VmHWM: its ru_maxrss would carry over the test
# runner's, as it survives fork and exec) and of the workers it waited for
_PEAK = (
    "import re, resource, runpy, sys\n"
    "sys.argv = ['dean06', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('dean06', run_name='__main__')\n"
    "finally:\n"
    "    status = open('/proc/self/status').read()\n"
    "    own = int(re.search(r'VmHWM:\\s+(\\d+)', status)[1])\n"
    "    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    print('peak-kib', max(own, workers), file=sys.stderr)\n"
)


def _extract_measured(path: Path, database: Path, *options: str) -> tuple[int, list[str], int]:
    """Exit code, stderr lines and peak resident memory (MiB) of ``dean06 extract``."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, "extract", str(path), "--db", str(database),
         "--workers", "1", *options],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    lines = done.stderr.strip().splitlines()
    peak = int(next(line for line in lines if line.startswith("peak-kib")).split()[1]) // 1024
    return done.returncode, [line for line in lines if not line.startswith("peak-kib")], peak


def _statuses(database: Path) -> dict[str, str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(con.execute("SELECT file_name, status FROM reports").fetchall())


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 14-page scan: a minute of OCR."""
    folder = tmp_path_factory.mktemp("scan")
    return make_scan(SAMPLES / "000_ad209dad08bfea4e.pdf", folder / "000.scan.pdf")


_LINES = ["BAO CAO", "1. Dang ky khai sinh   1.204   1.187   98,59%   1.187"]
_CAP = "over the cap of 150 megapixels"


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda t: huge_page(t, 200, _LINES), f"page 1 is 200×200 in, {_CAP} at 300 dpi"),
        (lambda t: huge_page(t, 200), f"page 1 is 200×200 in, {_CAP} at 300 dpi"),
        (lambda t: huge_page(t, 100), f"page 1 is 100×100 in, {_CAP} at 300 dpi"),
        (lambda t: huge_image(t, 30000), f"page 1 holds images of 900 megapixels, {_CAP}"),
    ],
    ids=["page_200in_with_text", "blank_page_200in_to_ocr", "blank_page_100in", "image_30000px"],
)
def test_a_pdf_over_the_pixel_cap_fails_before_anything_renders_it(
    build: Callable[[Path], Path], reason: str, tmp_path: Path
) -> None:
    """A 1–100 KB PDF that declares a huge page (camelot, PDFium or OCRmyPDF's rasteriser
    took 4.9–6 GB rendering it) or a huge image: refused before any renderer, naming the
    cap; the next file of the batch loads."""
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = build(folder / "hostile.pdf")
    assert hostile.stat().st_size < 200_000
    shutil.copy(SAMPLES / "003_bb8745acf477937f.txt", folder / "003.txt")
    database = tmp_path / "x.duckdb"
    code, errors, peak = _extract_measured(folder, database, "--max-memory", "1G")
    assert code == 1
    assert errors == [f"error: hostile.pdf: {reason}"]
    assert peak < 400, f"{peak} MiB"
    assert _statuses(database) == {"hostile.pdf": "failed", "003.txt": "ok"}


def test_a_worker_over_the_memory_limit_is_stopped_and_the_batch_goes_on(
    scan: Path, tmp_path: Path
) -> None:
    """OCR of a scan takes about 350 MiB with Tesseract: under a 250 MiB limit its worker
    is stopped from outside, the file fails naming the limit, the next file loads."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(scan, folder / scan.name)
    shutil.copy(SAMPLES / "003_bb8745acf477937f.txt", folder / "003.txt")
    database = tmp_path / "x.duckdb"
    code, errors, peak = _extract_measured(folder, database, "--max-memory", "250M")
    assert code == 1 and len(errors) == 1, errors
    assert re.fullmatch(
        r"error: 000\.scan\.pdf: stopped at \d+ MiB, over the memory limit of 250 MiB a "
        r"worker \(--max-memory\)",
        errors[0],
    ), errors
    assert peak < 350, f"{peak} MiB"  # one process of the tree; polled every 0.05 s near
    assert _statuses(database) == {"000.scan.pdf": "failed", "003.txt": "ok"}


def test_a_worker_stuck_past_the_timeout_is_stopped_from_outside(
    scan: Path, tmp_path: Path
) -> None:
    """A worker that cannot run its own timeout (stopped here, as work inside C code is
    deaf to it) is killed by the main process after the timeout and a grace; the file
    fails with the reason, the next file loads."""
    folder, scratch = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    shutil.copy(scan, folder / scan.name)
    shutil.copy(SAMPLES / "003_bb8745acf477937f.txt", folder / "003.txt")
    database = tmp_path / "x.duckdb"
    running = subprocess.Popen(
        [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
         "--workers", "1", "--timeout", "4"],  # 003.txt needs about 1 s, 3 on a busy machine
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )  # fmt: skip
    started = time.monotonic()
    os.kill(_worker_reading(scratch, "000.scan.pdf", within=60), signal.SIGSTOP)
    _, err = running.communicate(timeout=120)
    assert running.returncode == 1
    reason = "error: 000.scan.pdf: took longer than 4 s (--timeout); stopped from outside"
    assert err.strip().splitlines() == [reason]
    assert time.monotonic() - started < 30
    assert _statuses(database) == {"000.scan.pdf": "failed", "003.txt": "ok"}


def test_a_file_changed_while_the_batch_runs_fails_alone(tmp_path: Path) -> None:
    """Files written to after the batch listed them (one being read, one waiting): each
    fails saying so, as what was read is not what was listed; nothing half-read is
    loaded, and a re-run loads them."""
    folder, scratch = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    for name in ("003_bb8745acf477937f.pdf", "003_bb8745acf477937f.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    database = tmp_path / "x.duckdb"
    command = [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
               "--workers", "1"]  # fmt: skip
    environment = {**os.environ, "TMPDIR": str(scratch)}
    running = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    worker = _worker_reading(scratch, "003_bb8745acf477937f.pdf", within=60)
    os.kill(worker, signal.SIGSTOP)
    for path in folder.iterdir():
        with path.open("ab") as handle:
            handle.write(b"\n")
    os.kill(worker, signal.SIGCONT)
    _, err = running.communicate(timeout=120)
    assert running.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in err, err
    assert re.fullmatch(
        r"error: 003_bb8745acf477937f\.pdf: changed (while it was read|after the batch listed "
        r"it); run again to load it",
        lines[0],
    ), lines
    assert lines[1] == (
        "error: 003_bb8745acf477937f.txt: changed after the batch listed it; run again to load it"
    )
    assert set(_statuses(database).values()) == {"failed"}
    again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)
    assert again.returncode == 0, again.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        statuses = con.execute("SELECT status FROM reports").fetchall()
    assert len(statuses) == 2 and {s for (s,) in statuses} <= {"ok", "partial"}  # failures gone


@pytest.mark.parametrize("part", ["word/document.xml", "docProps/thumbnail.jpeg"])
def test_a_docx_that_inflates_past_the_cap_fails_naming_it(part: str, tmp_path: Path) -> None:
    """A 1 MB package whose document (or an image it carries) inflates to 200 MiB: refused
    before python-docx reads it (it took 4–6 GB), with the cap in the reason."""
    source = SAMPLES / "002_0e464231b5c84ab4.docx"
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w") as out:
        for item in original.infolist():
            if item.filename != part:
                out.writestr(item, original.read(item))
        inflating = zipfile.ZipInfo(part)
        inflating.compress_type = zipfile.ZIP_DEFLATED
        with out.open(inflating, "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(b" " * 2**20)
    assert bomb.stat().st_size < 2 * 2**20
    code, errors, peak = _extract_measured(bomb, tmp_path / "x.duckdb")
    assert code == 1
    assert errors == [f"error: bomb.docx: {part} inflates to 200 MiB or more (cap 64 MiB a part)"]
    assert peak < 400, f"{peak} MiB"


def test_a_docx_with_nested_xml_entities_fails_without_expanding_them(tmp_path: Path) -> None:
    """A "billion laughs" document.xml (ten levels of entities, each ten of the one below,
    about 3 GB expanded): refused by the hardened parser in one line, in little memory."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    bomb = tmp_path / "laughs.docx"
    with (
        zipfile.ZipFile(SAMPLES / "002_0e464231b5c84ab4.docx") as original,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                declaration, root = data.decode("utf-8").split("?>", 1)
                text = f"{declaration}?><!DOCTYPE w:document [{entities}]>{root.lstrip()}"
                data = text.replace("<w:t>", "<w:t>&lol9;", 1).encode("utf-8")
            out.writestr(item, data)
    code, errors, peak = _extract_measured(bomb, tmp_path / "x.duckdb")
    assert code == 1 and len(errors) == 1, errors
    assert errors[0].startswith("error: laughs.docx: damaged Word document (Maximum entity")
    assert peak < 400, f"{peak} MiB"


def test_a_text_file_over_the_cap_fails_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(40 * 1024):
            handle.write("Đăng ký thường trú 1.204 1.187 98,59%\t" * 27 + "\n")
    code, errors, peak = _extract_measured(big, tmp_path / "x.duckdb")
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("error: big.txt: 4") and "(cap 32 MiB a file;" in errors[0]
    assert peak < 400, f"{peak} MiB"


# --- every encoding a Vietnamese office uses; nothing skipped silently ----------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _windows_1258(text: str) -> bytes:
    """``text`` as Windows saves it in code page 1258: â, ê, ô, ơ, ư, ă, đ precomposed,
    the five tones as combining marks after them."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out.append((base + "".join(c for c in parts if c in _TONES)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["utf-16", "windows-1258", "utf-8-sig"])
def test_text_saved_in_another_encoding_reads_like_utf8(encoding: str, tmp_path: Path) -> None:
    """Report 003's converter text saved as UTF-16 (with its BOM) or Windows-1258: read
    by its content (it was "unsupported file type", exit 0), every cell as from UTF-8,
    and a finding says what it was converted from."""
    from dean06.evaluate import load_truth, score
    from dean06.pipeline import process_file

    text = (SAMPLES / "003_bb8745acf477937f.txt").read_text("utf-8")
    path = tmp_path / "003.txt"
    raw = _windows_1258(text) if encoding == "windows-1258" else text.encode(encoding)
    path.write_bytes(raw)
    result = process_file(path)
    scored = score(result, load_truth(CORPUS / "003_bb8745acf477937f.json"))
    assert result.status == "ok" and scored.cell_accuracy == 1.0, scored.misses[:5]
    assert scored.locality_ok and scored.period_ok
    converted = [f.message for f in result.findings if f.code == "text_converted"]
    expected = {"utf-16": "UTF-16", "windows-1258": "Windows-1258"}.get(encoding)
    assert converted == ([f"the text was in {expected}; converted to Unicode"] if expected else [])


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Ch\u2212¬ng tr×nh", "Chương trình"),  # ư as PDF text extraction gives it
        ("B¸O C¸O KÕT QU¶", "BÁO CÁO KẾT QUẢ"),  # capitals typed in a .VnTimeH font
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("ÑÖÔÏC ÖÔÙC TÍNH", "ĐƯỢC ƯỚC TÍNH"),
    ],
)
def test_legacy_font_encodings_read_as_printed(legacy: str, unicode: str) -> None:
    """Lines as offices typed them in TCVN3 (.VnTime) and VNI (VNI-Times) fonts."""
    from dean06.normalize.legacy import CONVERTERS, detect_legacy

    encoding = detect_legacy(" ".join([legacy] * 3))
    assert encoding is not None
    assert CONVERTERS[encoding](legacy) == unicode


_LEGACY = {"TCVN3": ("TCVN3 (ABC, .VnTime fonts)", to_tcvn3),
           "VNI": ("VNI (VNI-Times fonts)", to_vni)}  # fmt: skip


@pytest.mark.parametrize("saved", ["cp1252", "utf-8"])
@pytest.mark.parametrize("legacy", ["TCVN3", "VNI"])
def test_text_typed_in_a_legacy_font_reads_like_unicode(
    legacy: str, saved: str, tmp_path: Path
) -> None:
    """Report 003's converter text typed in TCVN3 or VNI, saved by Windows ("ANSI") or as
    UTF-8: every cell as from Unicode text, the locality and period, and a finding."""
    from dean06.evaluate import load_truth, score
    from dean06.pipeline import process_file

    label, encode = _LEGACY[legacy]
    path = tmp_path / "003.txt"
    path.write_bytes(
        encode((SAMPLES / "003_bb8745acf477937f.txt").read_text("utf-8")).encode(saved)
    )
    result = process_file(path)
    scored = score(result, load_truth(CORPUS / "003_bb8745acf477937f.json"))
    assert result.status == "ok" and scored.cell_accuracy == 1.0, scored.misses[:5]
    assert scored.id_accuracy == 1.0 and scored.locality_ok and scored.period_ok
    converted = [f.message for f in result.findings if f.code == "text_converted"]
    assert converted == [f"the text was in {label}; converted to Unicode"]


@pytest.mark.parametrize("legacy", ["TCVN3", "VNI"])
def test_pdf_and_docx_set_in_a_legacy_font_read_like_unicode(legacy: str, tmp_path: Path) -> None:
    """A generated report's PDF and DOCX with every text in a legacy font encoding (a
    PDF's TCVN3 ư as text extraction gives it): the same cells, ids, locality and period
    as from its Unicode forms, and a finding."""
    from dean06.evaluate import score
    from dean06.pipeline import process_file

    label, encode = _LEGACY[legacy]
    report = draw_report(3)  # a borderless table: its header is found by its words
    truth = truth_of(report)
    plain = write_forms(report, tmp_path / "unicode", ("pdf", "docx"))
    typed = write_legacy_forms(report, tmp_path / "legacy", ("docx",), encode)
    pdf_text = to_tcvn3_as_pdf_text if legacy == "TCVN3" else encode
    typed += write_legacy_forms(report, tmp_path / "legacy", ("pdf",), pdf_text)
    for original, retyped in zip(
        plain, sorted(typed, key=lambda p: p.suffix != ".pdf"), strict=True
    ):
        expected, result = score(process_file(original), truth), process_file(retyped)
        scored = score(result, truth)
        assert (scored.cell_accuracy, scored.id_accuracy) == (expected.cell_accuracy, 1.0)
        assert scored.locality_ok and scored.period_ok, retyped.name
        converted = [f.message for f in result.findings if f.code == "text_converted"]
        assert converted == [f"the text was in {label}; converted to Unicode"]


def test_special_files_are_named_and_never_waited_on(tmp_path: Path) -> None:
    """A FIFO given as an argument hung the batch; one inside a folder was passed over
    without a word. Each is one line now, and the rest of the batch is read."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "003_bb8745acf477937f.txt", folder / "003.txt")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(tmp_path / "argument.pdf")
    done = subprocess.run(
        [sys.executable, "-m", "dean06", "extract", str(tmp_path / "argument.pdf"), str(folder),
         "--db", str(tmp_path / "x.duckdb"), "--workers", "1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "skipped: argument.pdf: not a regular file (a FIFO)",
        "skipped: pipe.txt: not a regular file (a FIFO)",
    ]
    with duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True) as con:
        assert con.execute("SELECT file_name, status FROM reports").fetchall() == [
            ("003.txt", "ok")
        ]


# --- Ctrl-C at any moment -------------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_at_ten_random_moments_exits_130_with_the_summary(tmp_path: Path) -> None:
    """Ctrl-C ten times in a row, each at a moment drawn (seeded) anywhere in the run once
    it has opened the database: while the schema is refreshed, files are hashed, read,
    written (COMMIT) or linked. Every time: exit 130, the summary, no traceback, whole
    reports only; the runs add up to all."""
    folder = tmp_path / "reports"
    folder.mkdir()
    report = (SAMPLES / "003_bb8745acf477937f.pdf").read_bytes()
    for index in range(24):
        (folder / f"r{index:02d}.pdf").write_bytes(report + f"\n% copy {index}\n".encode())
    database = tmp_path / "x.duckdb"
    moments = random.Random(14).sample([0.25 * k for k in range(24)], 10)
    for moment in moments:
        running = subprocess.Popen(
            [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database),
             "--workers", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not _holds_open(running.pid, database) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the run has the database open: Python and dean06 are up
        time.sleep(moment)
        running.send_signal(signal.SIGINT)
        out, err = running.communicate(timeout=120)
        assert running.returncode in (0, 130), (moment, running.returncode, err)
        assert "Traceback" not in err and "Error" not in err, (moment, err)
        assert "dean06 extract →" in out, (moment, out)  # the summary, every time
        if running.returncode == 130:
            assert "interrupted:" in err and "run the same command again" in err
        with duckdb.connect(str(database), read_only=True) as con:
            rows = con.execute(
                "SELECT count(*) FROM reports r JOIN service_stats s USING (report_id) "
                "GROUP BY r.report_id"
            ).fetchall()
        assert len({count for (count,) in rows}) <= 1, (moment, rows)  # whole reports only
    final = subprocess.run(
        [sys.executable, "-m", "dean06", "extract", str(folder), "--db", str(database)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert final.returncode == 0, final.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE status = 'ok'").fetchone() == (24,)


# Ctrl-C the moment the batch is over (in process, so the moment is exact), then again
# while Python shuts down, where it would hand SIGINT back to the system (exit -2)
_LATE_CTRL_C = (
    "import atexit, os, signal, sys\n"
    "from dean06 import launch\n"
    "decided = launch.outcome_decided\n"
    "def then_ctrl_c():\n"
    "    decided()\n"
    "    os.kill(os.getpid(), signal.SIGINT)\n"
    "launch.outcome_decided = then_ctrl_c\n"
    "atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))\n"
    "sys.argv = ['dean06', *sys.argv[1:]]\n"
    "launch.main()\n"
)


def test_ctrl_c_once_the_batch_is_over_cuts_nothing_short(tmp_path: Path) -> None:
    """The reports are loaded: a Ctrl-C now neither loses the summary nor turns exit 0
    into 'interrupted' or a kill by the signal."""
    shutil.copy(SAMPLES / SMALL[2], tmp_path / SMALL[2])
    done = subprocess.run(
        [sys.executable, "-c", _LATE_CTRL_C, "extract", str(tmp_path / SMALL[2]),
         "--db", str(tmp_path / "x.duckdb"), "--workers", "1"],
        capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "interrupted" not in done.stderr and "Traceback" not in done.stderr
    assert "dean06 extract →" in done.stdout
    with duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE status = 'ok'").fetchone() == (1,)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_a_full_disk_fails_the_reports_it_cannot_store_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    """The database on a filesystem with room for one report: the others fail one line
    each at their COMMIT (rolled back), the summary prints, the loaded report stays whole;
    with room again, the same command loads the rest."""
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(small)]).returncode:
        pytest.skip("this machine cannot mount a tmpfs")
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        for name in SMALL:
            shutil.copy(SAMPLES / name, folder / name)
        database = small / "x.duckdb"
        command = [sys.executable, "-m", "dean06", "extract", "--db", str(database),
                   "--workers", "1"]  # fmt: skip
        first = subprocess.run([*command, str(folder / SMALL[2])], capture_output=True, timeout=120)
        assert first.returncode == 0
        room = os.statvfs(small).f_bavail * os.statvfs(small).f_frsize
        (small / "filler").write_bytes(b"\0" * (room - 60_000))
        full = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=300)
        assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr
        stored = [line for line in full.stderr.splitlines() if "could not be stored" in line]
        assert stored and all("No space left on device" in line for line in stored), full.stderr
        assert "dean06 extract →" in full.stdout  # the summary
        (small / "filler").unlink()
        again = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        with duckdb.connect(str(database), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM reports WHERE status = 'ok'").fetchone() == (
                4,
            )
    finally:
        subprocess.run(["umount", "-l", str(small)])


def _holds_open(pid: int, path: Path) -> bool:
    """Process ``pid`` has ``path`` open (or has ended)."""
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:
        return True
    for descriptor in descriptors:
        try:
            if os.readlink(descriptor) == str(path):
                return True
        except OSError:
            continue
    return False
