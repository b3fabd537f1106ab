"""Scans as small offices make them (tests/hard_scan.py): stamps over tables, and counts
corrected by the report's own arithmetic."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from dean06.catalog import Matcher
from dean06.extract.cells import CellText
from dean06.extract.ocr_arithmetic import correct_rows
from dean06.extract.stamps import drop_coloured_ink
from dean06.normalize.consistency import RowChecker
from dean06.pipeline import process_file
from dean06.schemas import ServiceRow

from .conftest import CORPUS
from .hard_scan import make_hard_scan

REPORT_003 = CORPUS / "003_bb8745acf477937f.pdf"
QD06_PAGE = 13  # 003's QĐ 06 table: 16 rows under a three-level header


def _values(row: ServiceRow) -> tuple:
    return (row.total, row.online, row.rate_pct, row.on_time, row.overdue, row.not_applicable)


@pytest.fixture(scope="module")
def table_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """003's QĐ 06 table page alone, as a text PDF."""
    target = tmp_path_factory.mktemp("page") / "003_qd06.pdf"
    with pikepdf.open(REPORT_003) as pdf:
        out = pikepdf.new()
        out.pages.append(pdf.pages[QD06_PAGE - 1])
        out.save(target)
    return target


def test_coloured_stamp_ink_is_dropped_and_black_text_under_it_kept() -> None:
    page = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 90, 360, 96), fill=(0, 0, 0))  # a rule, in black
    draw.ellipse((150, 20, 330, 180), outline=(205, 35, 45), width=8)  # the stamp's ring
    grey = drop_coloured_ink(page)
    assert grey.mode == "L"
    assert grey.getpixel((150 + 4, 100)) == 255  # ring over paper: gone
    assert grey.getpixel((240, 93)) < 60  # rule under the ring: still black
    assert grey.getpixel((100, 93)) < 60
    greyscale_scan = page.convert("L")
    assert drop_coloured_ink(greyscale_scan).tobytes() == greyscale_scan.tobytes()


@pytest.mark.ocr
@pytest.mark.parametrize("ink", ["red", "grey"])
def test_a_stamp_over_a_third_of_a_table_loses_no_row(
    ink: str, table_page: Path, tmp_path: Path, matcher: Matcher
) -> None:
    printed = process_file(table_page, matcher).services
    scan = make_hard_scan(table_page, tmp_path / f"stamped_{ink}.pdf", 0, ("stamp",), ink)
    read = process_file(scan, matcher)
    assert read.status.value in ("ok", "partial"), read.error
    assert [r.service_id for r in read.services] == [r.service_id for r in printed]
    # the values under the stamp's ink may be lost, never those of the other rows
    same = sum(_values(a) == _values(b) for a, b in zip(read.services, printed, strict=True))
    assert same >= len(printed) * 2 // 3, [
        (_values(a), _values(b)) for a, b in zip(read.services, printed, strict=True)
    ]


# The QĐ 06 header of report 003, as OCR reads it, and a row printed 1.361 / 1.318 /
# 96,84% whose online count the strip read as "1".
HEADER = [
    ["Stt", "Thủ tục hành chính", "Đơn vị thực hiện", "Kết nối với cổng DVC quốc gia", "",
     "Số hồ sơ tiếp nhận", "", "", "", "Kết quả giải quyết", "", "", ""],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối (x)", "Tổng số", "Trực tiếp", "Trực tuyến",
     "Tỉ lệ", "Hồ sơ trực tiếp", "", "Hồ sơ trực tuyến", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn"],
]  # fmt: skip
MISREAD = ["4", "Đăng ký thường trú", "Công an", "x", "", "1.361", "43", "1", "96,84%", "43",
           "0", "1.318", "0"]  # fmt: skip


def _rereads(by_column: dict[int, list[str]]):
    def reread(cells: list[tuple[int, int]]) -> dict[tuple[int, int], list[tuple[str, CellText]]]:
        return {
            (row, column): [
                (f"variant {k}", CellText(t, 80.0)) for k, t in enumerate(by_column.get(column, []))
            ]
            for row, column in cells
        }

    return reread


def test_a_misread_count_is_corrected_by_the_row_arithmetic() -> None:
    texts = [list(r) for r in HEADER] + [list(MISREAD)]
    confidence = [[None] * 13 for _ in texts]
    checker = RowChecker.for_table(texts)
    assert checker is not None and checker.broken(texts[3]) == {
        "rate_mismatch", "direct_online_total", "on_time_overdue_online"
    }  # fmt: skip
    corrections = correct_rows(texts, confidence, checker, _rereads({7: ["1.318", "1.318", "1"]}))
    assert texts[3][7] == "1.318" and confidence[3][7] == 80.0
    (correction,) = corrections
    assert (correction.row, correction.column, correction.raw, correction.value) == (
        3,
        7,
        "1",
        "1.318",
    )
    assert correction.candidates == ["1", "1.318"]
    assert "rate_mismatch" in correction.rule


def test_no_correction_when_no_reading_makes_the_row_hold() -> None:
    texts = [list(r) for r in HEADER] + [list(MISREAD)]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    corrections = correct_rows(
        texts, [[None] * 13 for _ in texts], checker, _rereads({7: ["7", "1.313"]})
    )
    assert corrections == [] and texts[3][7] == "1"


def test_no_correction_when_two_readings_hold_equally_well() -> None:
    # 212 dossiers, 100% online, the online count read "2": a total re-read as "2" holds
    # as well as an online count re-read as "212", and the arithmetic cannot choose
    row = ["5", "Đăng ký tạm trú", "Công an", "x", "", "212", "", "2", "100,00%", "", "", "",
           ""]  # fmt: skip
    texts = [list(r) for r in HEADER] + [row]
    checker = RowChecker.for_table(texts)
    assert checker is not None and checker.broken(row) == {"rate_mismatch"}
    readings = _rereads({5: ["2"], 7: ["212"]})
    assert correct_rows(texts, [[None] * 13 for _ in texts], checker, readings) == []
    assert texts[3][5] == "212" and texts[3][7] == "2"
    readings = _rereads({5: ["2"], 7: ["212", "212"]})  # more readings agree on one
    (correction,) = correct_rows(texts, [[None] * 13 for _ in texts], checker, readings)
    assert (correction.column, correction.value) == (7, "212")


def test_a_continued_table_is_checked_under_the_header_before_it() -> None:
    checker = RowChecker.for_table([list(MISREAD)], tuple(tuple(r) for r in HEADER))
    assert checker is not None and checker.depth == 0
    assert "rate_mismatch" in checker.broken(MISREAD)
    assert RowChecker.for_table([list(MISREAD)]) is None  # no header: nothing to judge by


def test_counts_printed_wrong_in_a_text_pdf_are_never_corrected(matcher: Matcher) -> None:
    result = process_file(REPORT_003, matcher)
    row = next(s for s in result.services if s.service_id == "QD06-3")
    assert (row.total, row.online, row.rate_pct) == (2204, 2204, 99.82)  # printed so
    assert any(f.code == "rate_mismatch" and "QD06-3" in f.message for f in result.findings)
    assert not any(f.code == "ocr_corrected" for f in result.findings)
