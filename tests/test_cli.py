"""The command line on real documents, through typer's runner."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dean06.cli import app

from .conftest import BAD, SAMPLES

README = Path(__file__).parent.parent / "README.md"
runner = CliRunner()
COMMANDS = [
    ["extract"], ["query"], ["findings"], ["show"], ["export"], ["report"],
    ["catalog"], ["catalog", "match"], ["debug"], ["schema"],
]  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def counts(db: Path) -> tuple[int, ...]:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("reports", "service_stats", "figures", "findings")
        )


def test_extract_samples_then_rerun_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    code, output = run("extract", str(SAMPLES), "--db", str(db))
    assert code == 0, output
    first = counts(db)
    assert first[0] == 4 and first[1] >= 55 + 25 + 39 * 2
    code, output = run("extract", str(SAMPLES), "--db", str(db))
    assert code == 0 and "already loaded" in output
    assert counts(db) == first


def test_force_replaces_a_report(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    sample = SAMPLES / "003_bb8745acf477937f.txt"
    run("extract", str(sample), "--db", str(db))
    before = counts(db)
    code, _ = run("extract", str(sample), "--db", str(db), "--force")
    assert code == 0 and counts(db) == before


def test_stored_values_keep_provenance(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    run("extract", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--db", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT online, total, rate_pct, page, source_text FROM service_stats "
            "WHERE service_id = 'QD06-3' AND source = 'table'"
        ).fetchone()
        report = con.execute(
            "SELECT locality_name, locality_level, province, period_start, period_end FROM reports"
        ).fetchone()
    assert row[:4] == (2204, 2204, 99.82, 13)
    assert "Đăng ký thường trú" in row[4]
    assert report[:3] == ("Krông Nô", "huyện", "Đắk Nông")
    assert str(report[3]) == "2024-01-01" and str(report[4]) == "2024-08-31"


def test_bad_folder_fails_with_one_line_per_file(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    code, output = run("extract", str(BAD), "--db", str(db))
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 5
    assert any("password_protected.pdf: PDF is password protected" in e for e in errors)
    with duckdb.connect(str(db), read_only=True) as con:
        failed = con.execute("SELECT count(*) FROM reports WHERE status = 'failed'").fetchone()[0]
        stats = con.execute("SELECT count(*) FROM service_stats WHERE source = 'table'").fetchone()[
            0
        ]
    assert failed == 5 and stats == 39 + 25  # the two valid copies (003, 002) only


def test_catalog_lists_every_service() -> None:
    code, output = run("catalog", "--format", "csv")
    assert code == 0
    assert len(output.strip().splitlines()) == 1 + 25 + 30
    assert "QD422-13.1" in output


def test_catalog_match_shows_scores() -> None:
    code, output = run(
        "catalog", "match", "Xác nhận số CMND khi đã được cấp thẻ CCCD", "--format", "nl"
    )
    assert code == 0
    assert output.splitlines()[0].startswith('{"service_id": "QD06-1", "score": 100.0')


def test_usage_error_exits_2() -> None:
    code, _ = run("extract", "--no-such-option")
    assert code == 2


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_in_readme(command: list[str]) -> None:
    code, output = run(*command, "--help")
    assert code == 0 and "Example:" in output
    assert run(*command, "-h") == (code, output)  # -h was rejected
    assert re.search(rf"dean06 {' '.join(command)}\b", README.read_text("utf-8"))


def test_debug_draws_a_page(tmp_path: Path) -> None:
    out = tmp_path / "page13.png"
    code, output = run("debug", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--page", "13",
                       "--out", str(out))  # fmt: skip
    assert code == 0, output
    from PIL import Image

    with Image.open(out) as image:
        assert image.width > 1000 and image.height > 700  # landscape page at 110 dpi


def test_debug_rejects_a_missing_page(tmp_path: Path) -> None:
    code, output = run("debug", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--page", "99",
                       "--out", str(tmp_path / "x.png"))  # fmt: skip
    assert code == 1 and "no page 99 (it has 14)" in output


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Report 003's converter text extracted."""
    db = tmp_path_factory.mktemp("cli") / "x.duckdb"
    code, output = run("extract", str(SAMPLES / "003_bb8745acf477937f.txt"), "--db", str(db))
    assert code == 0, output
    return db


@pytest.mark.parametrize(
    ("command", "choices"),
    [
        (["findings", "--severity", "warn"], "'error', 'warning', 'info'"),
        (["catalog", "--scheme", "QD99"], "'QD06', 'QD422'"),
        (["catalog", "match", "Đăng ký tạm trú", "--scheme", "qd06x"], "'QD06', 'QD422'"),
    ],
)
def test_a_choice_outside_the_list_is_refused_naming_the_choices(
    command: list[str], choices: str, small_db: Path
) -> None:
    """They answered "none" with exit 0."""
    code, output = (
        run(*command, "--db", str(small_db)) if command[0] == "findings" else run(*command)
    )
    assert code == 2 and choices in output, output


def test_several_statements_are_refused(small_db: Path) -> None:
    """DuckDB ran both and showed the last result only, without a word."""
    code, output = run("query", "SELECT 1; SELECT 2", "--db", str(small_db))
    assert code == 1
    assert output.strip() == "error: query failed: 2 statements given; run one at a time"


def test_csv_keeps_its_header_when_no_row_comes_back_and_spells_booleans_once(
    small_db: Path,
) -> None:
    code, output = run("query", "SELECT file_name, scanned FROM reports WHERE false",
                       "--db", str(small_db), "--format", "csv")  # fmt: skip
    assert code == 0 and output.splitlines() == ["file_name,scanned"]
    code, output = run("findings", "--severity", "error", "--db", str(small_db), "--format", "csv")
    assert code == 0 and output.splitlines() == [
        "finding_id,file_name,severity,code,page,message,context"
    ]
    code, output = run("query", "SELECT file_name, scanned FROM reports", "--db", str(small_db),
                       "--format", "csv")  # fmt: skip
    assert output.splitlines()[1:] == ["003_bb8745acf477937f.txt,false"]  # as export writes it


def test_terminal_table_cuts_long_cells_shows_null_blank_and_counts_rows(small_db: Path) -> None:
    code, output = run(
        "query",
        "SELECT service_id, NULL AS nothing, name_in_doc FROM service_stats "
        "WHERE service_id = 'QD422-6'",
        "--db", str(small_db),
    )  # fmt: skip
    body = [line for line in output.splitlines() if "QD422-6" in line or "QD422…" in line]
    assert code == 0 and len(body) == 1, output  # one line: the cell is cut, not folded
    assert "Thăm viếng mộ" in body[0] and "…" in body[0] and "thăm viếng mộ liệt sĩ)" not in output
    assert "None" not in output and "1 row" in output


def test_show_as_csv_is_one_table(small_db: Path) -> None:
    """It printed four CSV blocks with different headers."""
    code, output = run("show", "003_bb8745acf477937f.txt", "--db", str(small_db), "--format", "csv")
    rows = list(csv.reader(io.StringIO(output)))
    assert code == 0 and rows[0][0] == "part" and len({len(row) for row in rows}) == 1
    assert {row[0] for row in rows[1:]} == {"report", "services", "figures", "findings"}


def test_xlsx_sheets_have_a_bold_frozen_filtered_header_widths_and_percents(
    small_db: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    code, output = run("export", str(tmp_path), "--db", str(small_db), "--format", "xlsx")
    assert code == 0, output
    sheet = load_workbook(tmp_path / "dean06.xlsx")["v_service_rates"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    rate = header.index("rate_pct") + 1
    rates = [sheet.cell(r, rate) for r in range(2, sheet.max_row + 1)]
    shown = [cell for cell in rates if cell.value is not None]
    assert shown and all(cell.number_format == '0.00"%"' for cell in shown)
    name = header.index("service_name") + 1
    assert sheet.column_dimensions[sheet.cell(1, name).column_letter].width > 30


def test_sums_in_views_are_bigint(small_db: Path) -> None:
    """They were HUGEINT, which pandas and polars read as Decimal(38,0)."""
    with duckdb.connect(str(small_db), read_only=True) as con:
        sql = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?"
        kinds = dict(con.execute(sql, ["v_report_summary"]).fetchall())
    assert kinds["total"] == "BIGINT" and kinds["online"] == "BIGINT"


def test_query_binds_parameters_and_reads_sql_from_a_file_or_stdin(
    small_db: Path, tmp_path: Path
) -> None:
    sql = "SELECT service_id, total FROM v_service_latest WHERE service_id = $id AND total > $n"
    code, output = run("query", sql, "-p", "id=QD422-6", "-p", "n=0", "--db", str(small_db),
                       "--format", "csv")  # fmt: skip
    assert code == 0 and output.splitlines() == ["service_id,total", "QD422-6,18"]  # as printed
    script = tmp_path / "count.sql"
    script.write_text("SELECT count(*) AS reports FROM reports", "utf-8")
    code, output = run("query", str(script), "--db", str(small_db), "--format", "csv")
    assert code == 0 and output.splitlines() == ["reports", "1"]
    piped = runner.invoke(app, ["query", "-", "--db", str(small_db), "--format", "csv"],
                          input="SELECT 42 AS answer")  # fmt: skip
    assert piped.exit_code == 0 and piped.output.splitlines() == ["answer", "42"]
    code, output = run("query", "SELECT 1", "-p", "id", "--db", str(small_db))
    assert code == 1 and output.strip() == "error: -p id: write a parameter as NAME=VALUE"


def test_csv_can_open_with_a_bom_for_excel(small_db: Path, tmp_path: Path) -> None:
    code, output = run("query", "SELECT 'Đắk Nông' AS province", "--db", str(small_db),
                       "--format", "csv", "--bom")  # fmt: skip
    assert code == 0 and output.splitlines() == ["\ufeffprovince", "Đắk Nông"]
    code, output = run("export", str(tmp_path), "--db", str(small_db), "--bom")
    assert code == 0, output
    assert (tmp_path / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbfreport_id,")


def test_extract_summary_as_json_quiet_and_verbose(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    sample = str(SAMPLES / "003_bb8745acf477937f.txt")
    result = runner.invoke(app, ["extract", sample, "--db", db, "--json"])
    summary = json.loads(result.stdout)
    assert result.exit_code == 0 and summary["ok"] == 1 and summary["service_rows"] == 39
    assert summary["outcomes"] == [{"file": sample, "status": "ok", "message": ""}]
    again = runner.invoke(app, ["extract", sample, "--db", db, "--quiet"])
    assert again.exit_code == 0 and again.output == ""
    told = runner.invoke(app, ["extract", sample, "--db", db, "--verbose"])
    assert told.output.splitlines()[0] == (
        "skipped: 003_bb8745acf477937f.txt: already loaded (use --force to replace)"
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("002_0e464231b5c84ab4.docx", "debug draws the pages of a PDF; this is docx"),
        ("003_bb8745acf477937f.txt", "debug draws the pages of a PDF; this is text"),
    ],
)
def test_debug_says_in_one_line_why_it_cannot_draw(name: str, reason: str) -> None:
    """It printed a traceback."""
    code, output = run("debug", str(SAMPLES / name))
    assert code == 1 and output.strip().startswith(f"error: {name}: {reason}"), output
    assert len(output.strip().splitlines()) == 1


def test_debug_on_a_damaged_pdf_says_so(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes((SAMPLES / "000_ad209dad08bfea4e.pdf").read_bytes()[:2000])
    code, output = run("debug", str(damaged))
    assert code == 1 and output.startswith("error: damaged.pdf: ") and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_debug_writes_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It wrote beside the input (a shared or read-only folder, often)."""
    monkeypatch.chdir(tmp_path)
    code, output = run("debug", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--page", "3")
    assert code == 0, output
    assert (tmp_path / "003_bb8745acf477937f.page3.png").is_file()
    assert not (SAMPLES / "003_bb8745acf477937f.page3.png").exists()


def test_every_finding_code_is_in_the_readme_table() -> None:
    """Each code the source gives a finding has a row in README's "Finding codes"."""
    source = "\n".join(p.read_text("utf-8") for p in Path("dean06").rglob("*.py"))
    written = set(
        re.findall(r'(?:code=|Severity\.[A-Z]+,\s*|add\(\s*|_failed\([^"]*?)"([a-z_]+)"', source)
    )
    written |= set(re.findall(r'^[A-Z_]+ = "([a-z_]+)"  # finding code', source, re.MULTILINE))
    section = README.read_text("utf-8").split("## Finding codes", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    assert written and written <= documented, sorted(written - documented)


def test_shell_completion_can_be_installed() -> None:
    """The bash script --install-completion writes (asked for by name, as Click does: the
    shell --show-completion detects is whatever runs the tests, sh under make)."""
    done = subprocess.run(
        [sys.executable, "-m", "dean06"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "_DEAN06_COMPLETE": "source_bash"},
    )  # fmt: skip
    assert done.returncode == 0 and "_dean06_completion()" in done.stdout
    assert "--install-completion" in run("--help")[1]


def test_schema_describes_every_column_of_every_table_and_view(small_db: Path) -> None:
    code, output = run("schema", "--db", str(small_db), "--format", "json")
    rows = json.loads(output)
    objects = {row["object"] for row in rows}
    assert code == 0 and {"reports", "service_stats", "v_service_latest", "v_findings"} <= objects
    assert [(r["object"], r["column"]) for r in rows if not r["description"]] == []
    code, output = run("schema", "v_report_summary", "--db", str(small_db), "--format", "csv")
    assert code == 0 and 'online_rate,DOUBLE,"online / total over its services' in output
    with duckdb.connect(str(small_db), read_only=True) as con:  # kept in the database
        sql = "SELECT comment FROM duckdb_columns() WHERE table_name = ? AND column_name = ?"
        assert con.execute(sql, ["reports", "period_kind"]).fetchone()[0].startswith("month,")
