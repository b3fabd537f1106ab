from __future__ import annotations

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
