from __future__ import annotations

from pathlib import Path

from dean06.pipeline import process_file
from dean06.validate import rate_disagrees

from .conftest import CORPUS


def test_rate_rounding_and_truncation_are_accepted() -> None:
    assert not rate_disagrees(35.0, 28074, 80424)  # 34.91 printed as 35
    assert not rate_disagrees(81.1, 5090, 6275)  # 81.115 printed as 81,1
    assert rate_disagrees(32.0, 30898, 98122)  # 31.49 printed as 32
    assert rate_disagrees(99.82, 2204, 2204)


def test_krong_no_anomalies_are_flagged_not_fixed() -> None:
    result = process_file(CORPUS / "003_bb8745acf477937f.txt")
    codes = [(f.code, f.message.split(":")[0]) for f in result.findings]
    assert ("rate_mismatch", "QD06-3") in codes
    assert codes.count(("rate_mismatch", "QD06-16")) == 3
    row = next(r for r in result.services if r.service_id == "QD06-3")
    assert (row.online, row.total, row.rate_pct) == (2204, 2204, 99.82)
    assert any(f.code == "figure_part_exceeds_whole" for f in result.findings)


def test_quang_binh_narrative_percent_anomalies() -> None:
    result = process_file(CORPUS / "002_0e464231b5c84ab4.docx")
    flagged = sorted(
        f.message.split(" ")[0] for f in result.findings if f.code == "figure_percent_mismatch"
    )
    assert flagged == [
        "151446/230745",
        "1874879/2018204",
        "30898/98122",
        "406912/567346",
        "747995/787363",
    ]


def test_a_count_cell_that_reads_as_no_number_is_a_warning(tmp_path: Path) -> None:
    """Two counts cut into one cell ("495 0", as a converter that mis-cut columns gives)
    are no number: the cell is stored as unknown and a warning quotes it."""
    text = (CORPUS / "003_bb8745acf477937f.txt").read_text(encoding="utf-8")
    row = "5\tĐăng ký tạm trú\tCông an\tx\t\t495\t0\t495\t100,00%\t0\t\t495\t\t"
    assert row in text
    damaged = tmp_path / "003.txt"
    damaged.write_text(text.replace(row, row.replace("\t495\t0\t", "\t495 0\t\t", 1)))
    result = process_file(damaged)
    read = next(r for r in result.services if r.name_in_doc == "Đăng ký tạm trú")
    assert (read.total, read.direct) == (None, None)
    unreadable = [f.message for f in result.findings if f.code == "count_unreadable"]
    assert unreadable == [
        "QD06-4: total printed as '495 0', which reads as no number; stored as unknown"
    ]
