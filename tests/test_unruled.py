"""Rules drawn along a borderless table's white space (dean06/extract/unruled.py), so that a
scanned borderless table is read as a ruled one is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
import pytest

from dean06.catalog import Matcher
from dean06.evaluate import score
from dean06.extract.pdf import SCAN_DPI, _tables_on, cell_texts
from dean06.extract.unruled import (
    Columns,
    _apart_from_lone_cells,
    _header_block,
    _header_starts,
    _Line,
    _opens_row,
    unruled_tables,
)
from dean06.normalize.numbers import parse_vn_int
from dean06.pipeline import process_file

from .family import draw_report, truth_of, write_forms, write_pdf
from .scan import make_scan

SCALE = SCAN_DPI / 72


def _drawn_rows(path: Path, pages: range) -> list[list[str]]:
    """Every row of the tables drawn on ``pages``, the page's own words in the cells
    (a text PDF's words stand in for OCR's), a table going on carrying its columns."""
    rows: list[list[str]] = []
    carried: Columns | None = None
    with pdfplumber.open(path) as pdf:
        document = pypdfium2.PdfDocument(path)
        for number in pages:
            page = pdf.pages[number - 1]
            image = document[number - 1].render(scale=SCALE).to_pil()
            ruled = [table.bbox for table in page.find_tables()]
            drawn, carried = unruled_tables(image, SCALE, page.extract_words(), ruled, carried)
            for edges in drawn:
                [table] = _tables_on(page, edges)
                rows += [[" ".join((cell or "").split()) for cell in row]
                         for row in cell_texts(table)]  # fmt: skip
        document.close()
    return rows


def test_a_borderless_tables_columns_and_rows_are_drawn_along_its_white_space(
    tmp_path: Path,
) -> None:
    """Seed 1201 prints its QĐ 06 table borderless over pages 1–4, under a two-level
    header ("Kết quả tiếp nhận" over three columns), with group rows, a parent row and
    its sub-rows, and "Không thuộc thẩm quyền" across the count columns."""
    report = draw_report(1201)
    [(scheme, layout), *_] = report["tables"]
    assert scheme == "QD06" and layout.borderless
    [path] = write_forms(report, tmp_path / "family_1201", ("pdf",))
    rows = _drawn_rows(path, range(1, 5))  # page 4: the last row, then a ruled table
    assert all(len(row) == len(layout.columns) for row in rows)
    assert rows[0][4] == "Kết quả tiếp nhận" and rows[0][5:7] == ["", ""]  # one cell, spanned
    assert rows[1][4:7] == ["Tổng số hồ sơ", "Số hồ sơ trực tuyến", "Tỉ lệ"]
    by_name = {row[1]: row for row in rows[2:]}
    truth = [row for row in truth_of(report)["dvc_rows"] if row["table"] == "QD06"]
    for expected in truth:
        row = by_name[expected["name_in_doc"]]  # every printed row, whole, in its own row
        counts = [parse_vn_int(cell) for cell in row[4:6]]
        if expected["not_applicable"]:
            assert row[3].startswith("Không thuộc thẩm quyền") and row[4:9] == [""] * 5
        else:
            assert counts == [expected["total"], expected["online"]], row
    assert ["", "Sở Tư pháp", *[""] * 8] in rows  # a group row keeps to its own row


@pytest.mark.ocr
@pytest.mark.slow
def test_a_scanned_borderless_table_is_read(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 1203 prints its QĐ 06 table ruled and its QĐ 422 table borderless; a scan of
    it reads both."""
    report = draw_report(1203)
    assert [layout.borderless for _, layout in report["tables"]] == [False, True]
    pdf = tmp_path / "family_1203.pdf"
    write_pdf(report, pdf)
    result = process_file(make_scan(pdf, tmp_path / "family_1203.scan.pdf", 1203), matcher)
    found = score(result, truth_of(report))
    assert found.cell_accuracy >= 0.93 and found.ids_wrong == 0, found.as_dict()
    read = {row.service_id: row for row in result.services if row.scheme == "QD422"}
    truth = [row for row in truth_of(report)["dvc_rows"] if row["table"] == "QD422"]
    assert len(read) >= 0.95 * len(truth)
    assert all(read[f"QD422-{row['catalogue_item']}"].total == row["total"]
               for row in truth if row["total"] and f"QD422-{row['catalogue_item']}" in read)  # fmt: skip


def test_a_header_at_a_pages_foot_gives_the_next_pages_rows_their_columns(
    tmp_path: Path,
) -> None:
    """Seed 1102's QĐ 422 table (borderless) starts with its header alone at the foot of
    page 2: its columns come from the header's white space, and page 3's rows, counts
    printed at the left of their cells, fall in them."""
    report = draw_report(1102)
    layout = dict(report["tables"])["QD422"]
    assert layout.borderless
    [path] = write_forms(report, tmp_path / "family_1102", ("pdf",))
    rows = _drawn_rows(path, range(2, 4))
    assert all(len(row) == len(layout.columns) for row in rows)
    by_name = {row[1]: row for row in rows}
    truth = [row for row in truth_of(report)["dvc_rows"] if row["table"] == "QD422"]
    on_page_3 = [row for row in truth if row["name_in_doc"] in by_name]
    assert len(on_page_3) >= 8
    for expected in on_page_3:
        row = by_name[expected["name_in_doc"]]
        if expected["row_kind"] == "service":
            assert row[0] == f"{expected['catalogue_item']}.", row
        if not expected["not_applicable"] and expected["total"] is not None:
            assert parse_vn_int(row[4]) == expected["total"], row


def test_an_item_number_opens_a_row_only_in_the_tables_first_column() -> None:
    """A header line whose "Đã kết nối" OCR read as "4 kới" is no row: its "4" stands far
    right of the header's leftmost words; a row's number stands at the table's left."""
    header_line = _Line(310.3, 318.0, "4 kới Chưa ¬ Hồ sơ", [(300.0, 306.0), (309.0, 325.0)])
    row_line = _Line(375.4, 383.0, "1 Xác nhận số CMND", [(45.0, 50.0), (92.0, 130.0)])
    assert not _opens_row(header_line, left=125.0)
    assert _opens_row(row_line, left=45.0)
    assert _opens_row(header_line)  # no table's left known: the number alone tells


def test_a_column_few_rows_fill_keeps_its_own_strips() -> None:
    """One "x" under "Chưa kết nối" with a column gap of blank on either side parts the
    strip around it in two; ink running in from the strip's edge (a "Không thuộc thẩm
    quyền" across columns) parts nothing."""
    crossing = np.zeros(100, dtype=int)
    crossing[45:52] = 1  # one row's mark, clear of both edges
    assert _apart_from_lone_cells(crossing, (0, 100), 20) == [(0, 45), (52, 100)]
    crossing[:45] = 1  # the same row's wording, from the column on the left
    assert _apart_from_lone_cells(crossing, (0, 100), 20) == [(0, 100)]


@pytest.mark.ocr
@pytest.mark.slow
def test_a_last_row_alone_atop_a_page_keeps_the_columns_it_goes_on_with(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 3804's borderless QĐ 422 table ends with item 24 alone at the top of
    page 6, over a ruled QĐ 06 table. In the clean scan a word of that one row crossed
    one of the columns carried from page 5, no upright was drawn there, the row came out
    a column short of the table it goes on with, and it was dropped: a carried column
    crossed in every row of a page's few rows is still drawn."""
    import pikepdf

    report = draw_report(3804)
    pdf = tmp_path / "family_3804.pdf"
    write_pdf(report, pdf)
    scan = make_scan(pdf, tmp_path / "family_3804.scan.pdf", 3804)
    pages = tmp_path / "family_3804_2-6.pdf"
    with pikepdf.open(scan) as whole, pikepdf.new() as cut:
        cut.pages.extend(whole.pages[1:6])
        cut.save(pages)
    rows = {r.service_id: r for r in process_file(pages, matcher).services}
    assert rows["QD422-24"].total == 56 and rows["QD422-24"].rate_pct == 1.79


# OCR lines of the hard scans (tests/hard_scan.py) of fresh seeds 3911 and 3909, page 1:
# the last sentences of the narrative, the appendix's caption, its header and first rows.
_SEED_3911_PAGE_1 = [
    _Line(285.8, 296.4, "Đã số hóa 989/49.954 hồ sơ hộ tịch để phục vụ công tác tra cứu.", [(49.0, 63.4), (67.7, 79.2)]),
    _Line(306.0, 316.5, "Tổng số hồ sơ tiếp nhận trên Cổng dịch vụ công là 23.794/40.964 hồ sơ (đạt tỷ lệ 58,09%).", [(48.5, 76.3), (80.6, 92.2)]),
    _Line(330.2, 343.2, "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 422/QĐ-TTg", [(49.0, 76.3), (80.6, 109.9)]),
    _Line(350.8, 363.8, "Tình ` R", [(343.7, 369.6), (529.9, 533.8)]),
    _Line(358.2, 366.9, "Zị cài 2 Hồ sơ Đúng", [(370.6, 377.3), (461.3, 469.9)]),
    _Line(365.5, 379.4, "Stt Thủ tục hành chính GUQUNG. 2 MEND XE có r le 2. ¬ TÔng Do trực Trựctiếp hạn, Quá hạn", [(65.3, 78.7), (137.8, 156.5)]),
    _Line(369.8, 377.5, "Ghi chú", [(751.6, 768.0), (771.2, 788.6)]),
    _Line(375.5, 382.7, "chủ trì nối Cổng tuyển ác tu", [(281.8, 299.0), (302.4, 313.4)]),
    _Line(382.2, 394.2, "k DVCQG = cung", [(189.1, 190.1), (339.4, 374.4)]),
    _Line(402.8, 413.4, "Công an tỉnh", [(107.9, 139.2), (143.5, 158.4)]),
    _Line(424.0, 436.0, "1. Xác nhận thông tin về cư trú BÀ ĐỘ KHỰC .5-2 non 39 18 20 19 0", [(49.9, 55.7), (108.0, 122.9)]),
]  # fmt: skip
_SEED_3909_PAGE_1 = [
    _Line(353.0, 363.5, "Kết quả kích hoạt tài khoản định danh điện tử: 2.749/13.675 trường hợp (đạt 20,10%).", [(48.9, 68.1), (71.5, 91.6)]),
    _Line(376.9, 390.4, "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 422/QĐ-TTg", [(48.9, 76.7), (80.6, 109.8)]),
    _Line(400.3, 409.2, "Kết nối Cổng - „.. : =", [(314.8, 331.1), (334.0, 348.8)]),
    _Line(406.8, 421.6, "dịch vụ công Thun sổ en De Ho tweroeee Kết quả giải quyết", [(315.2, 335.4), (338.3, 349.3)]),
    _Line(416.8, 432.3, "cơ quốc gia trực", [(270.9, 284.6), (325.2, 347.9)]),
    _Line(423.8, 430.5, "Khó", [(767.9, 786.6)]),
    _Line(434.3, 448.4, "STT Dịch vụ côi ến . ` :, Hồ sơ khăn,", [(56.0, 74.7), (114.1, 135.7)]),
    _Line(441.3, 453.5, "ng yo này thực 1. Chưa Sốhố Hồ sơ trực tiếp tên", [(164.0, 175.5), (178.9, 198.6)]),
    _Line(444.5, 451.8, "vướng", [(762.6, 790.9)]),
    _Line(454.3, 467.8, "hiện ` kết nối sơ tiếp b ¬%..ˆ ri 4 mắc", [(264.8, 287.8), (314.7, 318.5)]),
    _Line(461.6, 474.2, "nối (x) Gœ) nhận tiếp tuyến Đúng Quá Đúng Quá", [(307.0, 321.9), (325.7, 337.7)]),
    _Line(475.5, 484.3, "hạn hạn hạn hạn", [(584.4, 604.1), (632.0, 649.3)]),
    _Line(493.2, 503.3, "Công an tỉnh", [(93.9, 125.5), (129.4, 144.3)]),
    _Line(514.5, 527.4, "1 Xác nhận thông tin về cư trú túx ế Không thuộc thẩm quyền của cấp huyện", [(49.7, 52.6), (93.8, 109.7)]),
]  # fmt: skip


def test_a_header_under_its_caption_is_found_through_stray_digits_and_no_sentence_is_one() -> None:
    """Seed 3911's hard scan: the sentence "Tổng số hồ sơ tiếp nhận trên Cổng dịch vụ
    công là 23.794/40.964 hồ sơ …" names four header cells and was taken for the header
    (the table was lost, 31 rows); the header under the caption, where OCR read stray
    digits in stacked cells ("2.", "2."), was taken for a row. A figure makes a sentence;
    under a caption, stray digits open no row."""
    lines = _SEED_3911_PAGE_1
    assert _header_starts(lines) == [3]
    assert _header_block(lines, 3)[0] == 3


def test_a_stacked_header_goes_on_through_lines_ocr_garbled() -> None:
    """Seed 3909's hard scan: the header's stacked lines "cơ quốc gia trực" and "Khó"
    name no header cell, so the header ended on its second line and the rest was read
    as rows (the table's roles were lost, and the page's table with them). Lines stacked
    right under a header's line go on with it; the group heading a row's gap below does
    not."""
    lines = _SEED_3909_PAGE_1
    starts = _header_starts(lines)
    assert 0 not in starts and starts[0] == 3
    assert _header_block(lines, starts[0]) == (2, 12)
