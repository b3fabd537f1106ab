"""Agency cells and group headings in converter text: the agency column wraps round its
row's line ("Sở Tư" over it, "pháp" under it), shares lines with the name column, and is
cut by page breaks. Each case is a generated report whose layout or collapsed text gave a
row the wrong agency, or lost a heading's words, before the rule it tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dean06.catalog import Matcher
from dean06.evaluate import score
from dean06.pipeline import process_file
from dean06.schemas import ReportResult, ServiceRow

from .family import draw_report, truth_of, write_forms

_SEEDS = (1309, 1314, 1604, 1605, 1800, 1805, 1808, 1812, 2805, 2902, 2903)


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], Path]:
    """Layout and collapsed text of the seeds above, made by pdftotext from their PDFs."""
    folder = tmp_path_factory.mktemp("agency-texts")
    out: dict[tuple[int, str], Path] = {}
    for seed in _SEEDS:
        for path in write_forms(
            draw_report(seed), folder / f"family_{seed}", ("layout", "collapsed")
        ):
            out[seed, path.name.split(".")[-2]] = path
    return out


@pytest.fixture(scope="module")
def results(texts: dict[tuple[int, str], Path]) -> dict[tuple[int, str], ReportResult]:
    matcher = Matcher()
    return {key: process_file(path, matcher) for key, path in texts.items()}


def _row(result: ReportResult, service_id: str, kind: str = "service") -> ServiceRow:
    return next(r for r in result.services if r.service_id == service_id and r.row_kind == kind)


def test_a_number_inside_a_names_parenthesis_leaves_the_agency_cell_beside_it(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1800's QĐ 422 item 7 wraps "… (ngoài 02" with "Sở Tư" on the same line: the
    "02" is the name's, and "Sở Tư" / "pháp" the row's agency (it had none)."""
    for form in ("layout", "collapsed"):
        row = _row(results[1800, form], "QD422-7")
        assert row.agency == "Sở Tư pháp", form
        assert "(ngoài" in row.name_in_doc and "Sở Tư" not in row.name_in_doc, form


def test_an_agency_cell_opening_above_a_sub_row_under_a_repeated_header(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1805 repeats its header over a sub-row ("- Đối với công dân ngoài tỉnh") whose
    agency cell opens just above it ("UBND"): the header does not take that "UBND", and
    the sub-row does not take the agency of the group heading above."""
    row = next(r for r in results[1805, "layout"].services if "ngoài tỉnh" in r.name_in_doc)
    assert (row.name_in_doc, row.agency) == ("- Đối với công dân ngoài tỉnh", "UBND cấp xã")


def test_an_agency_cell_under_a_header_with_a_notes_word_beside_it(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1808's first row under a repeated header has its agency cell's "UBND" on the
    line of a note's word ("UBND … thực"): the cell is the row's, not the header's."""
    assert _row(results[1808, "layout"], "QD06-4").agency == "UBND cấp xã"


def test_a_name_ending_in_an_agency_word_then_its_agency_on_one_line(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1805's "Giải quyết hưởng BHXH một lần Sở Tư pháp": "BHXH một lần" ends the
    catalogue name, so the agency cell opens at the next agency word."""
    row = _row(results[1805, "layout"], "QD422-14.1")
    assert (row.name_in_doc, row.agency) == ("Giải quyết hưởng BHXH một lần", "Sở Tư pháp")


def test_a_word_that_completes_the_name_is_no_agency_tail(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1812's collapsed text wraps "Nhóm dịch vụ thanh toán trực" / "Sở Tư" / "23" /
    "tuyến" / "pháp": "tuyến" completes the catalogue name, "pháp" the agency (it was
    "Sở Tư tuyến"); the same for "… lệ phí Tòa" / "án"."""
    result = results[1812, "collapsed"]
    parent = _row(result, "QD422-13", "group")
    assert parent.name_in_doc == "Nhóm dịch vụ thanh toán trực tuyến"
    assert parent.agency == "Sở Tư pháp"
    row = _row(result, "QD422-13.3")
    assert (row.name_in_doc, row.agency) == ("Thu, nộp tạm ứng án phí, lệ phí Tòa án", "Sở Tư pháp")


def test_a_numbered_groups_heading_is_not_the_next_rows_agency(
    texts: dict[tuple[int, str], Path], results: dict[tuple[int, str], ReportResult]
) -> None:
    """Seed 1314's collapsed text prints "II" / "Sở Tư pháp" over a row whose own agency
    cell is "UBND" / "cấp xã": the heading is the group's (a printed row was lost) and
    the row keeps its own agency."""
    result = results[1314, "collapsed"]
    assert ("II", "Sở Tư pháp") in [(h.item_in_doc, h.name_in_doc) for h in result.headings]
    assert _row(result, "QD06-1").agency == "UBND cấp xã"
    found = score(result, truth_of(draw_report(1314)))
    assert found.printed_found == found.printed_rows == 64
    assert found.agencies_ok == found.agencies


def test_an_agency_head_never_continues_an_agency(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 1605's collapsed text: a component's agency "UBND" and, lines below, the next
    row's "UBND": the second opens that row's cell ("UBND UBND" before)."""
    assert _row(results[1605, "collapsed"], "QD06-16").agency == "UBND cấp xã"


def test_tails_carried_over_a_page_break_stay_with_their_row(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """A page break cuts a row's last lines: seed 1309's collapsed "tuyến" / "pháp" above
    the repeated header (the header took them for its words), seed 1604's layout
    "1523/SYT-NVY)" closing a heading's aside (it stood alone as prose)."""
    result = results[1309, "collapsed"]
    parent = _row(result, "QD422-13", "group")
    assert (parent.name_in_doc, parent.agency) == (
        "Nhóm dịch vụ thanh toán trực tuyến",
        "Sở Tư pháp",
    )
    headings = [h.name_in_doc for h in results[1604, "layout"].headings]
    assert headings.count("Sở Y tế (bổ sung theo Công văn số 1523/SYT-NVY)") == 2


def test_an_agency_cell_opening_right_under_a_repeated_header(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """The first row under a repeated header opens its agency cell on the line right under
    the header ("UBND" / "Trợ cấp mai táng phí" / "cấp xã" in seed 2902; "UBND cấp" two
    lines above a sub-row, a note's words between, in seed 2903): "UBND" is no header
    word, and the row keeps its agency (it had none)."""
    for form in ("layout", "collapsed"):
        component = results[2902, form].services
        last = [r for r in component if r.parent_item == "16" and r.row_kind == "component"]
        assert [r.name_in_doc for r in last][-1] == "Trợ cấp mai táng phí", form
        assert {r.agency for r in last} == {"UBND cấp xã"}, form
        sub_rows = [r for r in results[2903, form].services if r.row_kind == "subrow"]
        assert [r.name_in_doc for r in sub_rows] == [
            "- Đối với công dân trong tỉnh",
            "- Đối với công dân ngoài tỉnh",
        ], form
        assert {r.agency for r in sub_rows} == {"UBND cấp xã"}, form


def test_components_with_no_counts_and_no_blank_line_are_rows_of_their_own(
    results: dict[tuple[int, str], ReportResult],
) -> None:
    """Seed 2805 prints item 15's components with no counts, their agency and connection
    cells stacked round each name ("UBND cấp" / "Đăng ký thường trú" / "xã"), and no blank
    line between rows: the catalogue's component names part them. Both were lost and
    their cells ran into item 16's ("xã UBND cấp xã UBND cấp …"); in collapsed text the
    wrapped "Cấp thẻ … cho trẻ dưới" / "UBND cấp" / "Đã thực" / "6 tuổi xã hiện" took
    item 16's counts."""
    for form in ("layout", "collapsed"):
        result = results[2805, form]
        components = [
            (r.parent_item, r.name_in_doc) for r in result.services if r.row_kind == "component"
        ]
        assert components[:2] == [
            ("15", "Đăng ký thường trú"),
            ("15", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"),
        ], form
        rows = [r for r in result.services if r.service_id in ("QD06-15", "QD06-16")]
        assert {(r.agency, r.connected) for r in rows} == {("UBND cấp xã", True)}, form
        assert _row(result, "QD06-16").total == 24628, form
        found = score(result, truth_of(draw_report(2805)))
        assert found.cells_ok == found.cells, form
