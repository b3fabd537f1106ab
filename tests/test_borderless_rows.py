"""Rows of borderless tables rebuilt from word positions (text PDFs and layout text):
which columns hold counts, rows with no item number, merged cells across the counts.
Each case is a generated report whose rows were merged, shifted or lost before the rule
it tests."""

from __future__ import annotations

import pytest

from dean06.catalog import Matcher
from dean06.evaluate import score
from dean06.pipeline import process_file
from dean06.schemas import ReportResult, ServiceRow

from .family import draw_report, truth_of, write_forms

_FORMS = {
    1914: ("pdf",),
    1902: ("layout",),
    1912: ("layout",),
    1308: ("layout",),
    1915: ("layout",),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], ReportResult]:
    folder = tmp_path_factory.mktemp("borderless-rows")
    matcher = Matcher()
    out: dict[tuple[int, str], ReportResult] = {}
    for seed, forms in _FORMS.items():
        for path in write_forms(draw_report(seed), folder / f"family_{seed}", forms):
            form = "pdf" if path.suffix == ".pdf" else path.name.split(".")[-2]
            out[seed, form] = process_file(path, matcher)
    return out


def _components(result: ReportResult, parent: str) -> list[ServiceRow]:
    return [r for r in result.services if r.row_kind == "component" and r.parent_item == parent]


def _row(result: ReportResult, service_id: str) -> ServiceRow:
    return next(
        r for r in result.services if r.service_id == service_id and r.row_kind == "service"
    )


def test_a_first_page_of_rows_without_counts_does_not_hide_the_count_columns(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1914's borderless PDF opens its table with one row, "Không thuộc thẩm quyền",
    at a page's foot: the count columns learnt there are none, and the unnumbered
    component rows of items 15 and 16 overleaf ran into their parents ("38.235 38.235
    38.235" in one cell). The pages of a table pool what they show of their columns."""
    result = results[1914, "pdf"]
    assert [(r.name_in_doc, r.total) for r in _components(result, "15")] == [
        ("Đăng ký thường trú", 38235),
        ("Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi", 38235),
    ]
    assert (_row(result, "QD06-15").name_in_doc, _row(result, "QD06-15").total) == (
        "Thủ tục liên thông: Đăng ký khai sinh",
        38235,
    )
    assert [r.name_in_doc for r in _components(result, "16")] == [
        "Xóa đăng ký thường trú",
        "Trợ cấp mai táng phí",
    ]
    found = score(result, truth_of(draw_report(1914)))
    assert (found.ids_wrong, found.printed_found, found.printed_rows) == (0, 66, 66)


def test_components_printed_with_a_mark_and_no_count_are_rows_of_their_own(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1902's layout text prints item 16's components with their name, agency and
    connection mark only: each mark line is a row (they had run into item 17's name)."""
    result = results[1902, "layout"]
    components = _components(result, "16")
    assert [(r.name_in_doc, r.connected, r.total) for r in components] == [
        ("Xóa đăng ký thường trú", True, None),
        ("Trợ cấp mai táng phí", True, None),
    ]
    assert _row(result, "QD06-17").name_in_doc == (
        "Tích hợp tính giảm trừ mức đóng trong gia hạn thẻ bảo hiểm y tế theo hộ gia đình"
    )


def test_a_merged_cell_across_the_counts_does_not_set_the_columns(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """On the last page of seed 1902's first table, "Không thuộc thẩm quyền của cấp
    huyện" spans the count columns over one row; its spaces had passed for a column
    cut, and item 25's counts moved one column left."""
    row = _row(results[1902, "layout"], "QD06-25")
    assert (row.connected, row.total, row.direct, row.online) == (True, 27, 22, 5)


def test_an_unnumbered_first_row_under_a_repeated_header_keeps_its_agency(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """A page that opens with an unnumbered row (a component, a "- …" sub-row) under its
    repeated header: the row's agency cell, opening above the row's count line, is the
    row's, not the header's (seed 1902's "UBND" / "cấp xã", seed 1912's "Sở Tư" /
    "pháp")."""
    component = _components(results[1902, "layout"], "15")[0]
    assert (component.name_in_doc, component.agency) == ("Đăng ký thường trú", "UBND cấp xã")
    sub_row = next(r for r in results[1912, "layout"].services if "ngoài tỉnh" in r.name_in_doc)
    assert sub_row.agency == "Sở Tư pháp"
    for key in ((1902, "layout"), (1912, "layout")):
        found = score(results[key], truth_of(draw_report(key[0])))
        assert found.agencies_ok == found.agencies, key


def test_cells_a_page_break_carried_over_end_the_last_pages_row(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1308's layout text cuts rows' agency cells at page breaks: "cấp xã" alone above
    a repeated header, or above the next row's "UBND", ends the last page's row (it had
    been dropped, or read into the next row's agency: "cấp xã UBND cấp xã")."""
    result = results[1308, "layout"]
    sub_row = next(r for r in result.services if "trong tỉnh" in r.name_in_doc)
    assert sub_row.agency == "UBND cấp xã"
    assert _row(result, "QD06-20").agency == "UBND cấp xã"
    found = score(result, truth_of(draw_report(1308)))
    assert (found.agencies_ok, found.agencies, found.cells_ok, found.cells) == (59, 59, 413, 413)


def test_a_names_tail_under_the_last_pages_item_column_ends_that_name(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1915's last table ends a page with item 14.3; overleaf, set a little to the
    left, "tố tụng" ends its name. It had been read as an item "tố" and a row of its own."""
    result = results[1915, "layout"]
    row = _row(result, "QD422-14.3")
    assert row.name_in_doc.endswith("thông báo tố tụng")
    found = score(result, truth_of(draw_report(1915)))
    assert found.printed_found == found.printed_rows == 67
