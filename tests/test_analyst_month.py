"""The analyst's month on generated reports of one district (tests/family.py
``district_month``): correct and review, roll up the communes, check reports against each
other, hand on the appendix. Every expected figure comes from the reports' truth files."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from dean06.cli import app
from dean06.normalize.numbers import parse_vn_int, parse_vn_percent

from .family import COMMUNES, district_month

runner = CliRunner()
MAY_COMMUNES = COMMUNES  # Kim Bình, Vĩnh Lộc, Tân Mỹ, Hà Lang
APRIL_COMMUNES = [*COMMUNES[:3], ("Trung Hà", "xã")]  # Hà Lang did not report in April


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("district")
    district_month(folder, 2024, 5, MAY_COMMUNES, first_seed=500)
    district_month(folder, 2024, 4, APRIL_COMMUNES, first_seed=600)
    district_month(folder, 2024, 4, COMMUNES[:1], first_seed=700, kind="cumulative")
    district_month(folder, 2024, 5, COMMUNES[:1], first_seed=800, kind="cumulative")
    # Hà Lang's May report also as a PDF: one report in two files, counted once
    district_month(folder, 2024, 5, [("Hà Lang", "xã")], 503, forms=("pdf",), with_district=False)
    return folder


@pytest.fixture(scope="module")
def built(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "district.duckdb"
    code, output = run("extract", str(reports), "--db", str(path), "--workers", "2")
    assert code == 0, output
    return path


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """The district's database, a copy of its own for each test (some correct it)."""
    return Path(shutil.copy(built, tmp_path / "district.duckdb"))


def truth(reports: Path, stem: str) -> dict[str, Any]:
    return json.loads((reports / f"{stem}.json").read_text())


def service_counts(report: dict[str, Any]) -> dict[str, dict[str, int | None]]:
    """Per service id, the total and online a report gives it: its service row's, else
    the sum of its sub-rows' (component rows never)."""
    counts: dict[str, dict[str, int | None]] = {}
    rows = report["dvc_rows"]
    for row in rows:
        if row["row_kind"] != "service":
            continue
        key = f"{row['table']}-{row['catalogue_item']}"
        subrows = [r for r in rows if r["row_kind"] == "subrow"
                   and (r["table"], r["catalogue_item"]) == (row["table"], row["catalogue_item"])]  # fmt: skip
        counts[key] = {}
        for field in ("total", "online"):
            value = row[field]
            if value is None and subrows and all(r[field] is not None for r in subrows):
                value = sum(r[field] for r in subrows)
            counts[key][field] = value
    return counts


def expected_sums(reports: Path, stems: list[str]) -> dict[str, dict[str, int | None]]:
    """The roll-up's sums computed from the truth: a sum is known when every locality
    that counts the service gives that column."""
    per_report = [service_counts(truth(reports, stem)) for stem in stems]
    sums: dict[str, dict[str, int | None]] = {}
    for service in {s for counts in per_report for s in counts}:
        counted = [
            c[service] for c in per_report
            if service in c and (c[service]["total"] is not None or c[service]["online"] is not None)
        ]  # fmt: skip
        sums[service] = {
            field: sum(c[field] for c in counted) if all(c[field] is not None for c in counted)
            else None
            for field in ("total", "online")
        }  # fmt: skip
    return sums


def rollup_json(db: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = runner.invoke(app, ["rollup", "--province", "Tuyên Quang", "--db", str(db),
                                 "--format", "json", *args])  # fmt: skip
    assert result.exit_code == 0, result.output
    return {row["service_id"]: row for row in json.loads(result.stdout)}


MAY_STEMS = ["kim_binh_2024_05", "vinh_loc_2024_05", "tan_my_2024_05", "ha_lang_2024_05"]


def test_rollup_of_the_communes_equals_the_sum_of_their_reports(reports: Path, db: Path) -> None:
    sheet = reports.parent / "may.csv"
    rows = rollup_json(db, "--period", "2024-05", "--level", "commune", "--district", "Chiêm Hóa",
                       "--out", str(sheet))  # fmt: skip
    expected = expected_sums(reports, MAY_STEMS)  # Hà Lang counted once, text and PDF
    with sheet.open(encoding="utf-8-sig") as handle:
        written = {row["service_id"]: row for row in csv.DictReader(handle)}
    assert written.keys() == rows.keys()
    for service, row in rows.items():
        assert written[service]["total"] == ("" if row["total"] is None else str(row["total"]))
    assert len(rows) == 25 + 28 + 2  # every catalogue service, the two QĐ 422 groups too
    compared = 0
    for service, sums in expected.items():
        for field in ("total", "online"):
            assert rows[service][field] == sums[field], (service, field)
            compared += sums[field] is not None
    assert compared >= 60
    row = rows["QD06-4"]
    if row["total"]:
        assert row["rate_pct"] == round(100 * row["online"] / row["total"], 2)


def test_rollup_counts_reporting_and_missing_localities(db: Path) -> None:
    code, output = run("rollup", "--province", "tuyen quang", "--period", "2024-05",
                       "--level", "commune", "--district", "huyện Chiêm Hóa", "--db", str(db))  # fmt: skip
    assert code == 0, output
    flat = " ".join(output.split())
    assert "4 of 24 reporting (Hà Lang, Kim Bình, Tân Mỹ, Vĩnh Lộc)" in flat
    assert "missing 20: Bình Nhân" in flat
    code, output = run("rollup", "--province", "08", "--period", "2024-05", "--db", str(db))
    assert code == 0 and "1 of 7 reporting (Chiêm Hóa)" in " ".join(output.split()), output


def test_rollup_sums_like_periods_only(reports: Path, db: Path, tmp_path: Path) -> None:
    """Kim Bình's cumulative report of May is not summed with the monthly ones."""
    monthly = rollup_json(db, "--period", "2024-05", "--level", "commune")
    cumulative = rollup_json(db, "--period", "2024-05", "--level", "commune", "--kind",
                             "cumulative")  # fmt: skip
    only = service_counts(truth(reports, "kim_binh_2024_05_cumulative"))
    for service, counts in only.items():
        if counts["total"] is not None:
            assert cumulative[service]["total"] == counts["total"], service
    table = tmp_path / "cumulative.parquet"
    code, output = run("rollup", "--province", "08", "--period", "2024-05", "--level", "commune",
                       "--kind", "cumulative", "--out", str(table), "--db", str(db))  # fmt: skip
    assert code == 0, output
    with duckdb.connect() as con:
        stored = dict(con.execute(f"SELECT service_id, total FROM '{table}'").fetchall())
    assert stored == {s: row["total"] for s, row in cumulative.items()}
    assert monthly["QD06-4"]["localities"] >= 3 and cumulative["QD06-4"]["localities"] <= 1


def test_rollup_refuses_what_it_cannot_sum(db: Path) -> None:
    code, output = run("rollup", "--province", "Tuyên Quang", "--period", "2024-13",
                       "--db", str(db))  # fmt: skip
    assert code == 1 and "--period 2024-13: write 2024-05" in output
    code, output = run("rollup", "--province", "Hà Nội", "--period", "2024-05", "--db", str(db))
    assert code == 1 and "no district report of Hà Nội for 2024-05" in output
    code, output = run("rollup", "--province", "08", "--period", "2024-05", "--level", "tinh",
                       "--db", str(db))  # fmt: skip
    assert code == 2


def findings_of(db: Path, *args: str) -> list[dict[str, Any]]:
    code, output = run("findings", "--db", str(db), "--format", "json", *args)
    assert code == 0, output
    return json.loads(output)


def test_cross_report_findings(reports: Path, db: Path) -> None:
    found = findings_of(db)
    missing = [f for f in found if f["code"] == "locality_not_reported"]
    assert [(f["file_name"], f["message"]) for f in missing] == [
        ("trung_ha_2024_04.txt", "xã Trung Hà reported for 04/2024 but not for 05/2024; "
         "5 other localities of Tuyên Quang did")
    ]  # fmt: skip
    # The district's own figures against the sum of its communes' (parts above the whole).
    district = service_counts(truth(reports, "chiem_hoa_2024_05"))
    parts = expected_sums(reports, MAY_STEMS)
    over = {
        service for service, sums in parts.items()
        if sums["total"] is not None and district.get(service, {}).get("total") is not None
        and sums["total"] - district[service]["total"] > max(5, 0.02 * sums["total"])
    }  # fmt: skip
    flagged = {
        f["message"].split()[0] for f in found
        if f["code"] == "rollup_mismatch" and f["file_name"] == "chiem_hoa_2024_05.txt"
        and f["message"].split()[1] == "total:"
    }  # fmt: skip
    assert over and flagged == over
    # Cumulative counts that fall from April to May, for the same locality.
    april = service_counts(truth(reports, "kim_binh_2024_04_cumulative"))
    may = service_counts(truth(reports, "kim_binh_2024_05_cumulative"))
    fell = {
        s for s in may
        if s in april and None not in (may[s]["total"], april[s]["total"])
        and may[s]["total"] < april[s]["total"]
    }  # fmt: skip
    flagged = {
        f["message"].split()[0] for f in found
        if f["code"] == "cumulative_fell" and f["message"].split()[1] == "total:"
        and f["file_name"] == "kim_binh_2024_05_cumulative.txt"
    }  # fmt: skip
    assert fell and flagged == fell


def test_a_blank_number_line_does_not_make_reports_one(db: Path) -> None:
    """Every report prints "Số: /BC-UBND" and several share a date: the only duplicate is
    Hà Lang's report given as text and as PDF (the PDF is canonical)."""
    code, output = run("query", "SELECT d.file_name, c.file_name AS canonical FROM reports d "
                       "JOIN reports c ON c.report_id = d.duplicate_of", "--db", str(db),
                       "--format", "csv")  # fmt: skip
    assert code == 0 and output.split() == [
        "file_name,canonical",
        "ha_lang_2024_05.txt,ha_lang_2024_05.pdf",
    ]


def test_corrections_show_in_the_views_and_the_rollup_and_survive_force(
    reports: Path, db: Path
) -> None:
    before = rollup_json(db, "--period", "2024-05", "--level", "commune")
    kim_binh = service_counts(truth(reports, "kim_binh_2024_05"))
    service = next(s for s, c in sorted(kim_binh.items()) if c["total"] and c["online"])
    printed = kim_binh[service]["total"]
    code, output = run("correct", "kim_binh_2024_05.txt", service, "total",
                       f"{printed + 1000:,}".replace(",", "."), "--note", "misprint",
                       "--by", "analyst", "--db", str(db))  # fmt: skip
    assert code == 0 and "recorded 1 correction" in output, output
    sql = ("SELECT total, corrected, printed_values FROM v_service_rates "
           f"WHERE file_name = 'kim_binh_2024_05.txt' AND service_id = '{service}'")  # fmt: skip
    expected = [{"total": printed + 1000, "corrected": True, "printed_values": f"total={printed}"}]
    code, output = run("query", sql, "--db", str(db), "--format", "json")
    assert json.loads(output) == expected
    after = rollup_json(db, "--period", "2024-05", "--level", "commune")
    assert after[service]["total"] == before[service]["total"] + 1000
    assert after[service]["corrected_rows"] == 1
    code, output = run("extract", str(reports), "--db", str(db), "--force")
    assert code == 0, output
    code, output = run("query", sql, "--db", str(db), "--format", "json")
    assert json.loads(output) == expected
    code, output = run("corrections", "--db", str(db), "--format", "json")
    listed = json.loads(output)
    assert [(c["file_name"], c["service_id"], c["field"], c["printed"], c["value"], c["note"],
             c["corrected_by"]) for c in listed] == [
        ("kim_binh_2024_05.txt", service, "total", str(printed), str(printed + 1000), "misprint",
         "analyst")
    ]  # fmt: skip
    code, output = run("correct", "kim_binh_2024_05.txt", service, "total", "--remove",
                       "--db", str(db))  # fmt: skip
    assert code == 0
    code, output = run("query", sql, "--db", str(db), "--format", "json")
    assert json.loads(output)[0]["total"] == printed


def test_corrections_from_csv_all_or_none(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "corrections.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["report", "service_id", "field", "value", "note"])
        writer.writerow(["tan_my_2024_05.txt", "QD06-4", "online", "1.234", "OCR"])
        writer.writerow(["tan_my_2024_05.txt", "QD06-4", "rate_pct", "12,5", ""])
        writer.writerow(["tan_my_2024_05.txt", "QD06-4", "connected", "đã kết nối", ""])
    code, output = run("correct", "--from", str(sheet), "--db", str(db))
    assert code == 0 and "recorded 3 corrections" in output, output
    code, output = run("query", "SELECT online, rate_pct, connected FROM v_rows WHERE "
                       "file_name = 'tan_my_2024_05.txt' AND service_id = 'QD06-4' "
                       "AND row_kind = 'service'", "--db", str(db), "--format", "json")  # fmt: skip
    assert json.loads(output) == [{"online": 1234, "rate_pct": 12.5, "connected": True}]
    with sheet.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["tan_my_2024_05.txt", "QD06-4", "total", "many", ""])
    code, output = run("correct", "--from", str(sheet), "--db", str(db))
    assert code == 1 and "total: 'many' is not a count" in output
    code, output = run("corrections", "--db", str(db), "--format", "csv")
    assert len(output.strip().splitlines()) == 1 + 3  # the bad sheet stored nothing


def test_corrections_refuse_what_is_not_there(db: Path) -> None:
    code, output = run("correct", "tan_my_2024_05.txt", "QD06-99", "total", "5", "--db", str(db))
    assert code == 1 and "no service row QD06-99 in this report" in output
    code, output = run("correct", "tan_my_2024_05.txt", "QD06-4", "totals", "5", "--db", str(db))
    assert code == 1 and "totals: not a field to correct" in output
    code, output = run("correct", "nothing.pdf", "QD06-4", "total", "5", "--db", str(db))
    assert code == 1 and "nothing.pdf: no such report" in output


def test_review_hides_findings_until_asked_and_survives_force(reports: Path, db: Path) -> None:
    found = findings_of(db)
    target = next(f for f in found if f["code"] == "locality_not_reported")
    code, output = run("review", target["finding_id"][:7], "--as", "accepted", "--note",
                       "merged into Vĩnh Lộc", "--db", str(db))  # fmt: skip
    assert code == 0 and "marked 1 finding accepted" in output, output
    assert target["finding_id"] not in {f["finding_id"] for f in findings_of(db)}
    code, output = run("extract", str(reports), "--db", str(db), "--force")
    assert code == 0
    shown = {f["finding_id"]: f for f in findings_of(db, "--all")}
    assert shown[target["finding_id"]]["review"] == "accepted"
    assert shown[target["finding_id"]]["review_note"] == "merged into Vĩnh Lộc"
    assert len(shown) == len(found)
    code, output = run("review", "zzzzzzz", "--db", str(db))
    assert code == 1 and "zzzzzzz: no such finding" in output
    code, output = run("review", target["finding_id"], "--as", "done", "--db", str(db))
    assert code == 2


def test_appendix_xlsx_and_docx_hold_the_rollup(db: Path, tmp_path: Path) -> None:
    rows = rollup_json(db, "--period", "2024-05", "--level", "commune")
    workbook = tmp_path / "phu_luc_1.xlsx"
    code, output = run("export", str(workbook), "--appendix", "QD06", "--province", "Tuyên Quang",
                       "--period", "2024-05", "--level", "commune", "--db", str(db))  # fmt: skip
    assert code == 0, output
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet["A1"].value == "PHỤ LỤC I"
    assert "tháng 5 năm 2024" in sheet["A3"].value
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"E5:F5", "G5:H5", "A5:A6", "D5:D6"}
    body = list(sheet.iter_rows(min_row=7, values_only=True))
    assert [r[0] for r in body] == [str(n) for n in range(1, 26)]
    for item, name, _, total, online, rate, on_time, overdue in body:
        row = rows[f"QD06-{item}"]
        assert name == row["service_name"]
        assert (total, online, rate, on_time, overdue) == (
            row["total"],
            row["online"],
            row["rate_pct"],
            row["on_time"],
            row["overdue"],
        )
    assert sheet["D7"].number_format.endswith(r"#\.##0;0") and sheet["F7"].number_format.startswith(
        r"0\,00"
    )
    document = tmp_path / "phu_luc_2.docx"
    code, output = run("export", str(document), "--appendix", "QD422", "--province", "08",
                       "--period", "2024-05", "--level", "commune", "--db", str(db))  # fmt: skip
    assert code == 0, output
    table = docx.Document(str(document)).tables[0]
    assert [c.text for c in table.rows[1].cells][4:] == ["Số hồ sơ", "Tỷ lệ (%)", "Đúng hạn",
                                                         "Quá hạn"]  # fmt: skip
    items = []
    for line in table.rows[2:]:
        item, name, _, total, online, rate, on_time, overdue = (c.text for c in line.cells)
        items.append(item)
        row = rows[f"QD422-{item}"]
        assert name == row["service_name"]
        if row["kind"] == "group":
            assert total == online == ""
            continue
        assert [parse_vn_int(v) if v else None for v in (total, online, on_time, overdue)] == [
            row["total"],
            row["online"],
            row["on_time"],
            row["overdue"],
        ]
        assert (parse_vn_percent(rate) if rate else None) == row["rate_pct"]
        assert "," in rate or not rate or rate == "0%" or rate.endswith(",00%")
    assert len(items) == 30 and items[12:16] == ["13", "13.1", "13.2", "13.3"]
    code, output = run("export", str(tmp_path / "x.pdf"), "--appendix", "QD06", "--province",
                       "08", "--period", "2024-05", "--level", "commune", "--db", str(db))  # fmt: skip
    assert code == 1 and "an appendix is written as .xlsx or .docx" in output
    shutil.rmtree(tmp_path / "x.pdf", ignore_errors=True)


def test_html_report_has_the_rollup_of_the_district(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, output = run("report", "--html", str(page), "--db", str(db))
    assert code == 0, output
    text = page.read_text("utf-8")
    assert "<h2>Roll-up: Tuyên Quang, communes, tháng 5 năm 2024</h2>" in text
    assert "4 of 137 localities reporting: Hà Lang, Kim Bình, Tân Mỹ, Vĩnh Lộc." in text
