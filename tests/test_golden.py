"""Every ground-truth value of every corpus document, one test per document."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from dean06.evaluate import load_truth, score
from dean06.pipeline import process_file
from dean06.schemas import ReportResult

from .conftest import CORPUS

DOCUMENTS = sorted(p for p in CORPUS.iterdir() if p.suffix in {".pdf", ".docx", ".txt"})


def truth_for(path: Path) -> dict:
    return load_truth(CORPUS / f"{path.name.split('.')[0]}.json")


@cache
def extracted(path: Path) -> ReportResult:
    return process_file(path)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_table_cells_and_service_ids(path: Path) -> None:
    result = score(extracted(path), truth_for(path))
    assert result.rows == len(truth_for(path)["dvc_rows"])
    assert result.cell_accuracy >= 0.90, result.misses[:20]
    assert result.id_accuracy >= 0.95, result.misses[:20]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_figures(path: Path) -> None:
    result = score(extracted(path), truth_for(path))
    assert result.figure_precision >= 0.90, result.misses[:20]
    assert result.figure_recall >= 0.90, result.misses[:20]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_locality_and_period(path: Path) -> None:
    result = score(extracted(path), truth_for(path))
    meta = extracted(path).meta
    assert result.locality_ok, (meta.locality_name, meta.locality_level)
    assert result.period_ok, (meta.period_label, meta.period_start, meta.period_end)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_figure_percent_as_printed(path: Path) -> None:
    gold = truth_for(path)["figures"]
    found = extracted(path).figures
    pairs = [(f.numerator, f.denominator, f.percent) for f in found]
    expected = [(g["numerator"], g["denominator"], g["percent"]) for g in gold]
    assert pairs == expected


def test_quang_binh_cccd_row_keeps_printed_values() -> None:
    rows = {r.service_id: r for r in extracted(CORPUS / "002_0e464231b5c84ab4.pdf").services}
    assert (rows["QD06-2"].total, rows["QD06-2"].online, rows["QD06-2"].rate_pct) == (
        158857,
        123,
        0.08,
    )
    assert rows["QD06-9"].online == 2467  # printed "2,467": comma as thousands separator
    assert rows["QD06-2"].note.startswith("Thời gian đăng ký trên Cổng dịch vụ công")


def test_krong_no_lien_thong_components_carry_the_whole_service() -> None:
    rows = extracted(CORPUS / "003_bb8745acf477937f.pdf").services
    components = [r for r in rows if r.service_id == "QD06-16"]
    assert [r.name_in_doc for r in components] == [
        "Thủ tục liên thông: Đăng ký khai tử",
        "Xóa đăng ký thường trú",
        "Trợ cấp mai táng phí",
        "Trợ cấp mai táng phí",
    ]
    assert [r.agency for r in components][
        -1
    ] == "Sở LĐ-TB&XH"  # "LĐ-" ends a line: the compound is joined again


def test_name_split_across_page_break_is_joined() -> None:
    rows = {r.service_id: r for r in extracted(CORPUS / "000_ad209dad08bfea4e.pdf").services}
    assert rows["QD06-19"].name_in_doc.endswith(
        "(đổi tên hoặc giấy tờ pháp nhân, giấy tờ nhân thân, địa chỉ)."
    )
    assert rows["QD06-19"].page == 11
