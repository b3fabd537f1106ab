"""The analyst's side on a database built from the corpus: query, findings, show, export,
the HTML report (rendered in headless Chromium), the gazetteer and schema migration."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dean06.cli import app
from dean06.store import SCHEMA_VERSION, VIEWS, Store

from .conftest import CORPUS

runner = CliRunner()
DOCS = ["002_0e464231b5c84ab4.txt", "000_ad209dad08bfea4e.docx", "003_bb8745acf477937f.pdf"]
SCREENSHOT = Path(__file__).parent.parent / "docs" / "report.png"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "corpus.duckdb"
    code, output = run("extract", *(str(CORPUS / d) for d in DOCS), "--db", str(path))
    assert code == 0, output
    return path


def query(db: Path, sql: str, *fmt: str) -> tuple[int, str]:
    return run("query", sql, "--db", str(db), *fmt)


def test_query_online_rate_of_qd06_3_in_quang_binh(db: Path) -> None:
    code, output = query(
        db,
        "SELECT online, total, rate_pct, rate_computed FROM v_service_rates "
        "WHERE service_id = 'QD06-3' AND locality_name = 'Quảng Bình'",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output) == [
        {"online": 28074, "total": 80424, "rate_pct": 35.0, "rate_computed": 34.91}
    ]


def test_query_formats_csv_and_nl(db: Path) -> None:
    sql = "SELECT locality_name, province FROM reports ORDER BY locality_name"
    code, output = query(db, sql, "--format", "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(output))) == [
        ["locality_name", "province"],
        ["Krông Nô", "Đắk Nông"],
        ["Phú Tiến", "Thái Nguyên"],
        ["Quảng Bình", "Quảng Bình"],
    ]
    code, output = query(db, sql, "--format", "nl")
    assert [json.loads(line)["locality_name"] for line in output.splitlines()] == [
        "Krông Nô", "Phú Tiến", "Quảng Bình"
    ]  # fmt: skip


def test_query_is_read_only_and_errors_are_one_line(db: Path) -> None:
    code, output = query(db, "DELETE FROM reports")
    assert code == 1 and output.startswith("error: query failed:") and output.count("\n") == 1
    code, output = query(db, "SELECT nope FROM reports")
    assert code == 1 and 'column "nope"' in output
    code, output = run("query", "SELECT 1", "--db", str(db.with_name("missing.duckdb")))
    assert code == 1 and "no such database" in output


def test_service_latest_keeps_one_row_per_locality_and_service(db: Path) -> None:
    code, output = query(
        db,
        "SELECT count(*) AS n, count(DISTINCT (locality_code, service_id)) AS keys "
        "FROM v_service_latest",
        "--format", "json",
    )  # fmt: skip
    rows = json.loads(output)
    assert code == 0 and rows[0]["n"] == rows[0]["keys"] > 60


def test_report_summary_counts_rows_and_findings(db: Path) -> None:
    code, output = query(
        db,
        "SELECT locality_name, printed_rows, service_rows, matched_rows, figures, warnings "
        "FROM v_report_summary ORDER BY locality_name",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    summary = {r["locality_name"]: r for r in json.loads(output)}
    # 34 services and the 5 liên thông component rows printed under them
    assert summary["Krông Nô"]["printed_rows"] == 39
    assert summary["Krông Nô"]["service_rows"] == summary["Krông Nô"]["matched_rows"] == 34
    assert summary["Quảng Bình"]["service_rows"] == 25
    # 53 services and the two QĐ 422 groups (13, 14) whose sub-items carry the counts
    assert (summary["Phú Tiến"]["printed_rows"], summary["Phú Tiến"]["service_rows"]) == (55, 53)
    assert summary["Krông Nô"]["warnings"] >= 4  # 99,82% row, three 18/18 rows printed 0,00%


def test_findings_filters_by_severity_and_report(db: Path) -> None:
    code, output = run("findings", "--db", str(db), "--severity", "warning",
                       "--report", "003_bb8745acf477937f.pdf", "--format", "nl")  # fmt: skip
    assert code == 0
    rows = [json.loads(line) for line in output.splitlines()]
    assert {r["severity"] for r in rows} == {"warning"}
    rate = [r for r in rows if r["code"] == "rate_mismatch" and r["page"] == 13]
    assert rate and "QD06-3: printed rate 99.82%" in rate[0]["message"]
    assert "2.204" in rate[0]["context"]
    code, output = run("findings", "--db", str(db), "--report", "nosuch.pdf")
    assert code == 1 and "nosuch.pdf: no such report" in output


def test_show_prints_rows_beside_catalogue_names_with_provenance(db: Path) -> None:
    code, output = run("show", "003_bb8745acf477937f.pdf", "--db", str(db), "--format", "json")
    assert code == 0, output
    parts = json.loads(output)
    assert parts["report"][0]["locality_name"] == "Krông Nô"
    row = next(s for s in parts["services"] if s["service_id"] == "QD06-3")
    assert row["printed_name"] == "Đăng ký thường trú"
    assert row["catalogue_name"] == "Đăng ký thường trú"
    assert (row["online"], row["total"], row["rate_pct"], row["page"]) == (2204, 2204, 99.82, 13)
    assert "99,82%" in row["source_text"]
    figure = next(f for f in parts["figures"] if f["numerator"] == 38360)
    assert figure["denominator"] == 37276 and figure["page"] == 4
    code, output = run("show", "003_bb8745acf477937f.pdf", "--db", str(db))
    assert code == 0 and "Krông Nô" in output and "Services" in output


def test_show_by_id_prefix(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        report_id = con.execute(
            "SELECT report_id FROM reports WHERE file_name LIKE '000%'"
        ).fetchone()[0]
    code, output = run("show", report_id[:8], "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(output)["report"][0]["locality_name"] == "Phú Tiến"


def test_export_csv_parquet_and_xlsx(db: Path, tmp_path: Path) -> None:
    for fmt in ("csv", "parquet"):
        code, output = run("export", str(tmp_path / fmt), "--db", str(db), "--format", fmt)
        assert code == 0, output
        assert {p.stem for p in (tmp_path / fmt).iterdir()} >= {"reports", *VIEWS}
    with duckdb.connect() as con:
        stats = con.execute(
            f"SELECT count(*) FROM '{tmp_path / 'parquet' / 'service_stats.parquet'}'"
        ).fetchone()[0]
    with duckdb.connect(str(db), read_only=True) as con:
        assert stats == con.execute("SELECT count(*) FROM service_stats").fetchone()[0]
    with (tmp_path / "csv" / "reports.csv").open(encoding="utf-8") as handle:
        assert {r["locality_name"] for r in csv.DictReader(handle)} == {
            "Krông Nô", "Phú Tiến", "Quảng Bình"
        }  # fmt: skip

    code, output = run("export", str(tmp_path / "x"), "--db", str(db), "--format", "xlsx")
    assert code == 0, output
    from openpyxl import load_workbook

    workbook = load_workbook(tmp_path / "x" / "dean06.xlsx", read_only=True)
    assert {"reports", "service_stats", "v_findings"} <= set(workbook.sheetnames)
    names = [row[0] for row in workbook["catalogue"].iter_rows(min_row=2, values_only=True)]
    assert "QD06-3" in names
    cells = {v for row in workbook["reports"].iter_rows(values_only=True) for v in row}
    assert "Krông Nô" in cells and "Thái Nguyên" in cells


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_html_report_renders_in_headless_chromium(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, output = run("report", "--html", str(page), "--db", str(db))
    assert code == 0, output
    text = page.read_text("utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//|<script|<link", text)  # self-contained
    chrome = [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
    ]  # fmt: skip
    dom = subprocess.run(
        [*chrome, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert dom.count('<figure class="chart"><svg') == 2  # rates and heatmap; one period each
    assert "QD06-3" in dom and "Krông Nô" in dom and "rate_mismatch" in dom
    assert "no data: no dossiers counted" in dom and "0%: none online" in dom  # the legend
    assert re.search(r">100,00% \(2\.334/2\.334\)<", dom)  # a bar's rate and online/total
    assert "<th>locality_name</th>" in dom and "<th>context</th>" in dom  # findings' context
    shot = tmp_path / "report.png"
    subprocess.run(
        [*chrome, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1280, 2000)
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 50  # not blank
    if os.environ.get("DEAN06_UPDATE_SCREENSHOT"):  # refresh the README's picture
        shutil.copy(shot, SCREENSHOT)


def test_every_corpus_locality_resolves_to_official_codes(db: Path) -> None:
    code, output = query(
        db,
        "SELECT locality_name, locality_code, province, province_code, district_code, "
        "new_province, new_province_code, new_locality, new_locality_code FROM reports "
        "ORDER BY locality_name",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = {r.pop("locality_name"): r for r in json.loads(output)}
    assert rows["Phú Tiến"] == {  # xã Phú Tiến, huyện Định Hóa: province not printed
        "locality_code": "05593", "province": "Thái Nguyên", "province_code": "19",
        "district_code": "167", "new_province": "Thái Nguyên", "new_province_code": "19",
        "new_locality": "Trung Hội", "new_locality_code": "05581",
    }  # fmt: skip
    assert rows["Quảng Bình"] == {  # merged into Quảng Trị in 2025
        "locality_code": "44", "province": "Quảng Bình", "province_code": "44",
        "district_code": None, "new_province": "Quảng Trị", "new_province_code": "44",
        "new_locality": "Quảng Trị", "new_locality_code": "44",
    }  # fmt: skip
    assert rows["Krông Nô"] == {  # districts were abolished; Đắk Nông joined Lâm Đồng
        "locality_code": "664", "province": "Đắk Nông", "province_code": "67",
        "district_code": "664", "new_province": "Lâm Đồng", "new_province_code": "68",
        "new_locality": None, "new_locality_code": None,
    }  # fmt: skip


def test_spelling_variants_resolve_to_the_same_unit() -> None:
    from dean06.normalize.locality import resolve_locality

    codes = {
        resolve_locality("tỉnh", name).province_code
        for name in ("Thanh Hóa", "Thanh Hoá", "Thanh Hoa")
    }
    assert codes == {"38"}
    assert resolve_locality("xã", "Không Có", "Đắk Nông") is None


def test_a_schema_1_database_is_migrated_by_the_writer_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:  # the schema as version 1 wrote it
        con.execute(
            "CREATE TABLE schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);"
            "INSERT INTO schema_info VALUES ('schema_version', '1');"
            "CREATE TABLE reports (report_id VARCHAR PRIMARY KEY, source_path VARCHAR, "
            "file_name VARCHAR, file_format VARCHAR, page_count INTEGER, locality_name VARCHAR,"
            " locality_level VARCHAR, province VARCHAR, district VARCHAR, report_number VARCHAR,"
            " report_date DATE, period_label VARCHAR, period_start DATE, period_end DATE, "
            "signer VARCHAR, status VARCHAR, error VARCHAR, extracted_at TIMESTAMP, "
            "tool_version VARCHAR);"
            "INSERT INTO reports (report_id, file_name, locality_name, status) "
            "VALUES ('abc123', 'old.pdf', 'Krông Nô', 'ok');"
        )
    sql = "SELECT file_name, new_province, errors FROM v_report_summary JOIN reports USING (file_name)"
    code, output = query(path, sql, "--format", "nl")
    assert (
        code == 1 and "written by an older dean06 (schema 1" in output
    )  # reading migrates nothing
    with Store(path) as store:  # the writer (dean06 extract) brings it up to date
        assert store.schema_version() == SCHEMA_VERSION
    code, output = query(path, sql, "--format", "nl")
    assert code == 0, output
    assert json.loads(output) == {"file_name": "old.pdf", "new_province": None, "errors": 0}


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with Store(path) as store:
        store.connection.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    code, output = run("query", "SELECT 1", "--db", str(path))
    assert code == 1 and "newer dean06 (schema 99" in output
