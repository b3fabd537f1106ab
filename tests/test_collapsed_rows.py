"""Rows of collapsed converter text (spacing gone, cells wrapped a word a line): words of a
note beside a connection mark, a header's wrapped "tiếp nhận", and blanks among zeros.
Each case is a generated report whose row was misread before the rule it tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dean06.catalog import Matcher
from dean06.pipeline import process_file
from dean06.schemas import ReportResult, ServiceRow

from .family import draw_report, write_forms

_SEEDS = (1900, 1901, 1903, 2002, 3005, 3203)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[int, ReportResult]:
    folder = tmp_path_factory.mktemp("collapsed-rows")
    matcher = Matcher()
    out: dict[int, ReportResult] = {}
    for seed in _SEEDS:
        (path,) = write_forms(draw_report(seed), folder / f"family_{seed}", ("collapsed",))
        out[seed] = process_file(path, matcher)
    return out


def _row(result: ReportResult, service_id: str) -> ServiceRow:
    return next(
        r for r in result.services if r.service_id == service_id and r.row_kind == "service"
    )


def test_a_notes_chua_beside_a_mark_is_no_connection_word(
    results: dict[int, ReportResult],
) -> None:
    """Seed 1901 prints "Người dân chưa quen thực hiện trên môi trường mạng" a word a line
    beside rows marked "✓": the lower-case "chưa" had joined the mark ("✓ chưa") and the
    connected rows read as not connected."""
    result = results[1901]
    for service_id in ("QD422-11", "QD422-12", "QD422-17"):
        row = _row(result, service_id)
        assert row.connected is True, row.source_text
        assert "chưa" not in row.source_text.split(" | ")[3], row.source_text


def test_a_note_wrapped_between_two_names_leaves_them_whole(
    results: dict[int, ReportResult],
) -> None:
    """Seed 1903: the note's words stand between item 15's name tail and item 16's head
    and under it; item 16 read "… trợ cấp mai hiện táng phí trên môi trường mạng", its
    connection "X chưa". Seven pieces between two names are few enough to weigh each."""
    result = results[1903]
    row = next(r for r in result.services if r.item_in_doc == "16" and r.scheme == "QD06")
    assert row.service_id == "QD06-16"
    assert row.name_in_doc == (
        "Liên thông đăng ký khai tử – xóa đăng ký thường trú – trợ cấp mai táng phí"
    )
    assert _row(result, "QD06-15").name_in_doc.endswith("cho trẻ dưới 6 tuổi")


def test_tiep_nhan_wrapped_in_the_header_is_no_direct_column(
    results: dict[int, ReportResult],
) -> None:
    """Seed 1900's header wraps "Số hồ sơ tiếp nhận" as "sơ tiếp" / … / "nhận": it was
    read as a direct-dossier column, so item 13's four zeros left the wrong cell blank."""
    row = _row(results[1900], "QD06-13")
    assert (row.total, row.online, row.rate_pct, row.on_time, row.overdue) == (0, 0, None, 0, 0)


def test_a_line_of_counts_alone_keeps_its_first_count(results: dict[int, ReportResult]) -> None:
    """Seed 2002 prints item 15's third component ("Cấp thẻ bảo hiểm y tế cho trẻ dưới 6
    tuổi", unnumbered) with its counts on a line of their own, "54 3 51 94,44% 51 0":
    "54" was taken for an item number out of turn, and the total was lost."""
    components = [
        r for r in results[2002].services if r.row_kind == "component" and r.parent_item == "15"
    ]
    assert [(r.total, r.direct, r.online, r.rate_pct) for r in components] == [
        (54, 3, 51, 94.44),
        (54, 3, 51, 94.44),
    ]


def test_a_wording_after_a_names_bracket_opens_the_row_below(
    results: dict[int, ReportResult],
) -> None:
    """Seed 3005 prints QĐ 422 item 7's connection "Đã thực" at the end of a name line
    ("vụ … còn lại (ngoài 02 Đã thực"), above the row's counts, and "hiện" alone two lines
    under them: the bracket made it a header's aside, the wording went to item 6 and
    "hiện", repeated on many lines, to the notes; item 7 read as of unknown connection."""
    row = _row(results[3005], "QD422-7")
    assert row.connected is True, row.source_text
    assert row.source_text.split(" | ")[-1] == "", row.source_text
    assert row.name_in_doc.endswith("thay đổi chủ thể hợp đồng mua bán điện)")
    assert _row(results[3005], "QD422-6").connected is True


def test_an_agency_word_ending_a_name_stays_in_the_name(
    results: dict[int, ReportResult],
) -> None:
    """Fresh seed 3203 prints QĐ 422 item 13.3 on one line, "Thu, nộp tạm ứng án phí, lệ
    phí Tòa án Sở Tư pháp 18 …": the agency cell was cut at "Tòa án", an agency's head
    word that ends the catalogue name; the cut is made where the name left reads best."""
    row = _row(results[3203], "QD422-13.3")
    assert row.name_in_doc.endswith("lệ phí Tòa án") and row.agency == "Sở Tư pháp"


@pytest.mark.parametrize("form", ["collapsed", "layout"])
def test_a_component_with_its_wording_wrapped_round_it_is_kept(tmp_path: Path, form: str) -> None:
    """Fresh seed 3701 prints item 15's second component with no counts, its connection
    "Đã thực hiện" a word a line round the wrapped name ("Đã" / "Cấp thẻ … cho trẻ" /
    "thực" / "dưới 6 tuổi" / "hiện"): the middle word broke the name's wrap, and the row
    was lost without a word, its name nowhere in the database."""
    (path,) = write_forms(draw_report(3701), tmp_path / "family_3701", (form,))
    components = [
        r
        for r in process_file(path, Matcher()).services
        if r.row_kind == "component" and r.parent_item == "15"
    ]
    assert [(r.name_in_doc, r.connected, r.total) for r in components] == [
        ("Đăng ký thường trú", True, None),
        ("Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi", True, None),
    ]


def test_an_agencys_level_before_the_wordings_last_word_ends_the_agency(tmp_path: Path) -> None:
    """Fresh seed 3803 prints item 14's agency "UBND cấp" / "xã" and its connection
    "Chưa kết" / "nối" wrapped round the row's line, the name's tail and both last
    words on one line: "trú – cấp thẻ … dưới 6 tuổi xã nối". The level was left in the
    name's tail, and the agency stored as "UBND cấp"."""
    (path,) = write_forms(draw_report(3803), tmp_path / "family_3803", ("collapsed",))
    row = _row(process_file(path, Matcher()), "QD06-15")
    assert (row.agency, row.connected) == ("UBND cấp xã", False)
    assert row.name_in_doc.endswith("cho trẻ dưới 6 tuổi"), row.name_in_doc


def test_a_group_row_at_a_pages_foot_over_a_repeated_header_heads_its_rows(
    tmp_path: Path,
) -> None:
    """Fresh seed 3805's QĐ 06 table opens with the group row "Công an tỉnh" alone at
    the foot of a page, its header repeated at the top of the next over item 1. The
    layout text, read as runs of rows (its columns are not in line page to page), set
    at the previous page's indent, put the line outside the page's name column: it was
    taken for item 1's agency cell ("UBND" / "cấp xã" its own) and the group row lost."""
    (path,) = write_forms(draw_report(3805), tmp_path / "family_3805", ("layout",))
    result = process_file(path, Matcher())
    assert "Công an tỉnh" in [h.name_in_doc for h in result.headings]
    assert _row(result, "QD06-1").agency == "UBND cấp xã"


def test_a_rows_name_and_agency_tails_alone_on_the_last_page_end_the_row(
    tmp_path: Path,
) -> None:
    """Fresh seed 3901's layout text cuts its last row, item 25, at the page break: the
    last page holds only the tails of its name and its agency cell ("điện   cấp xã",
    three words). It was read as prose: the row's agency stored as "UBND"."""
    (path,) = write_forms(draw_report(3901), tmp_path / "family_3901", ("layout",))
    row = _row(process_file(path, Matcher()), "QD06-25")
    assert (row.agency, row.name_in_doc) == (
        "UBND cấp xã", "Thay đổi chủ thể hợp đồng mua bán điện"
    )  # fmt: skip


def test_a_known_agencys_last_word_ending_a_names_line_ends_the_agency(tmp_path: Path) -> None:
    """Fresh seed 3905's collapsed text wraps item 7's agency "Sở Tư" / "pháp" round its
    row's line, the last word run onto a line of the name: "lại (ngoài 02 dịch vụ đã
    hoàn pháp". The agency was stored as "Sở Tư", the name kept "pháp"."""
    (path,) = write_forms(draw_report(3905), tmp_path / "family_3905", ("collapsed",))
    row = _row(process_file(path, Matcher()), "QD422-7")
    assert row.agency == "Sở Tư pháp"
    assert "hoàn thành" in row.name_in_doc and "pháp" not in row.name_in_doc.split()


@pytest.mark.parametrize("form", ["layout", "collapsed"])
def test_a_wording_wrapped_round_a_row_past_its_name_and_agency_pieces(
    form: str, tmp_path: Path
) -> None:
    """Seed 3021 wraps item 12's connection "Chưa" / "kết nối" round its row's line, the
    tails of its name and of its agency cell ("chiếu phổ thông", "cấp xã") between the
    count line and "kết nối": four lines down, one more than a closing was looked for.
    "Chưa" was taken for a whole wording and opened a row of its own: item 12 kept its
    counts under the name "chiếu phổ thông cấp xã" (a duplicate of QĐ 06 item 12) and
    the row above held the name's head, "Chưa" and no count."""
    (path,) = write_forms(draw_report(3021), tmp_path / "family_3021", (form,))
    rows = [r for r in process_file(path, Matcher()).services if r.service_id == "QD06-12"]
    assert [(r.item_in_doc, r.agency, r.connected, r.total, r.online) for r in rows] == [
        ("12", "UBND cấp xã", False, 24005, 20855)
    ]
    assert rows[0].name_in_doc == "Cấp, cấp lại, sửa đổi, bổ sung hộ chiếu phổ thông"


def test_a_cut_rows_tails_atop_a_page_over_the_next_cells_opening_end_that_row(
    tmp_path: Path,
) -> None:
    """Seed 3012's layout text cuts two rows at page breaks, and the next page opens with
    the cut row's tails right over the next cell's first line: "(220/380V)   cấp xã"
    over item 25's name, "điện)" over the group heading "Sở Y tế (bổ sung theo …". The
    tails were read into the next row ("điện) Sở Y tế …" was no heading: ten rows under
    it kept the agency of the group before, "Bảo hiểm xã hội tỉnh"), or were lost (item
    24's agency stored as "UBND")."""
    (path,) = write_forms(draw_report(3012), tmp_path / "family_3012", ("layout",))
    result = process_file(path, Matcher())
    assert _row(result, "QD06-24").agency == "UBND cấp xã"
    assert _row(result, "QD06-24").name_in_doc.endswith("hạ áp (220/380V)")
    [widening] = [r for r in result.services if r.name_in_doc.startswith("Mở rộng việc kết")]
    assert widening.name_in_doc.endswith("mua bán điện)")
    assert "Sở Y tế (bổ sung theo Công văn số 1523/SYT-NVY)" in [
        h.name_in_doc for h in result.headings
    ]
    assert {_row(result, f"QD422-{n}").agency for n in ("5", "13.1", "14.3")} == {"Sở Y tế"}


def test_an_agency_word_ending_a_name_under_the_agency_cells_opening_is_the_names(
    tmp_path: Path,
) -> None:
    """Seed 3015's collapsed text wraps QĐ 422 item 13.3 as "Thu, nộp tạm ứng án phí, lệ
    phí" / "Sở Tư" / "Đã kết" / "13.3 0% 17 …" / "Tòa án" / "pháp" / "nối": "Tòa án", an
    agency's opening word alone on its line, was taken for a group heading (the agency
    cell's "Sở Tư" read as the name's last line hid that it ends the name). The row kept
    "Sở Tư" and "Đã kết", the next group's name opened with "pháp"."""
    (path,) = write_forms(draw_report(3015), tmp_path / "family_3015", ("collapsed",))
    row = _row(process_file(path, Matcher()), "QD422-13.3")
    assert (row.name_in_doc, row.agency, row.connected) == (
        "Thu, nộp tạm ứng án phí, lệ phí Tòa án", "Sở Tư pháp", True
    )  # fmt: skip


def test_a_names_aside_of_numbers_is_no_group_heading_in_capitals(tmp_path: Path) -> None:
    """Seed 3016's collapsed text ends item 12's name with "(220/380V)" on a line of its
    own over the group numeral "II": in capitals by Python's reckoning (its one letter a
    capital), it was taken for the group's heading, the group's own name "Sở Tư pháp"
    then for item 13's agency (its cell "UBND cấp" / "xã" lost)."""
    (path,) = write_forms(draw_report(3016), tmp_path / "family_3016", ("collapsed",))
    result = process_file(path, Matcher())
    assert _row(result, "QD06-22").agency == "UBND cấp xã"
    assert _row(result, "QD06-24").name_in_doc.endswith("hạ áp (220/380V)")
    assert "Sở Tư pháp" in [h.name_in_doc for h in result.headings]


def test_two_counts_in_one_cell_beside_an_empty_column_are_two_cells(tmp_path: Path) -> None:
    """Seed 3025's layout text repeats the header over a page of two rows: columns set by
    so few words cut item 23's online count and rate into one cell ("1.360 80", the rate
    column empty). Two counts on one line of a cell beside an empty cell of a count
    column, or of a column empty in every row, are two cells."""
    (path,) = write_forms(draw_report(3025), tmp_path / "family_3025", ("layout",))
    row = _row(process_file(path, Matcher()), "QD06-21")
    assert (row.total, row.online, row.rate_pct, row.on_time, row.overdue) == (
        1690, 1360, 80.0, 1357, 3
    )  # fmt: skip


def test_an_agencys_opening_that_only_brings_a_name_closer_is_the_agencys(
    tmp_path: Path,
) -> None:
    """Seed 3014's collapsed text sets "Sở Tư", the opening of group 13's agency cell,
    under item 22's wrapped name read in part ("… giấy chứng nhận"): with it the name
    reads a little closer to its catalogue name ("cơ sở"), yet "Sở Tư" ends no name. An
    agency's words end a name only when the name then reads word for word."""
    (path,) = write_forms(draw_report(3014), tmp_path / "family_3014", ("collapsed",))
    services = process_file(path, Matcher()).services
    assert [r.agency for r in services if r.service_id == "QD422-13"] == ["Sở Tư pháp"]


def test_a_wordings_end_closing_a_line_of_the_name_is_the_wordings(tmp_path: Path) -> None:
    """Fresh seed 4001's collapsed text wraps a component's wording "Đang" / "kết nối"
    round its line of counts, the end on the name's last line: "dưới 6 tuổi kết nối".
    The name kept "kết nối" and the wording "Đang" was stored as unknown."""
    (path,) = write_forms(draw_report(4001), tmp_path / "family_4001", ("collapsed",))
    result = process_file(path, Matcher())
    [card] = [r for r in result.services if r.name_in_doc.startswith("Cấp thẻ bảo hiểm y tế")]
    assert (card.name_in_doc, card.connected) == (
        "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi",
        False,
    )
