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
