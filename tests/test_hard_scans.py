"""Scans as small offices make them (tests/hard_scan.py): stamps over tables, and counts
corrected by the report's own arithmetic."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from dean06.catalog import Matcher
from dean06.extract.cells import CellText
from dean06.extract.ocr_arithmetic import correct_rows
from dean06.extract.stamps import drop_coloured_ink
from dean06.normalize.consistency import RowChecker
from dean06.normalize.headers import Role, split_sibling_cells
from dean06.normalize.rows import logical_to_rows, tables_to_logical
from dean06.pipeline import document_to_result, process_file
from dean06.schemas import Document, ReportResult, ServiceRow, Table

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


def test_a_rate_read_among_specks_is_that_rate_where_the_row_holds() -> None:
    """Seed 3700's stamp ring beside the rate "58,82%" of a row of 17 dossiers, 10 online,
    read "1 58,82% 4": no number, and the rate was lost. The one rate among one-character
    specks is kept where the row holds with it; one that breaks the row is not."""
    row = ["13", "Liên thông nhóm thủ tục xóa nợ", "Sở Tư pháp", "x", "", "17", "7", "10",
           "1 58,82% 4", "7", "0", "10", "0"]  # fmt: skip
    texts = [list(r) for r in HEADER] + [list(row)]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    (correction,) = correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({}))
    assert (correction.column, correction.raw, correction.value) == (8, "1 58,82% 4", "58,82%")
    assert texts[3][8] == "58,82%" and "among specks" in correction.rule
    wrong = [list(r) for r in HEADER] + [[*row[:8], "1 48,82% 4", *row[9:]]]
    assert correct_rows(wrong, [[None] * 13 for _ in wrong], checker, _rereads({})) == []
    assert wrong[3][8] == "1 48,82% 4"


def test_a_group_row_whose_rate_cell_reads_letters_stays_a_heading() -> None:
    """Seed 3700's stamp over the rate cell of its group row "II | Sở Tư pháp", read
    "Âjc" by the page's OCR, its numeral lost: a rate of no digit is a speck, and the row
    still heads the rows under it, giving them its agency."""
    rows = [list(r) for r in HEADER] + [
        ["", "Sở Tư pháp", "", "", "", "", "", "", "Âjc", "", "", "", ""],
        ["13", "Đăng ký thường trú", "", "x", "", "17", "7", "10", "58,82%", "7", "0", "10",
         "0"],
    ]  # fmt: skip
    confidence: list[list[float | None]] = [[None] * 13 for _ in HEADER] + [[80.0] * 13] * 2
    [logical] = tables_to_logical([Table(page=1, rows=rows, confidence=confidence)])
    services, _, headings = logical_to_rows(logical)
    assert [h.name_in_doc for h in headings] == ["Sở Tư pháp"]
    assert [(s.item_in_doc, s.agency) for s in services] == [("13", "Sở Tư pháp")]


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


def test_an_unread_count_with_ink_takes_what_its_row_gives() -> None:
    """The online count of MISREAD's row read as nothing though the cell holds ink: total
    − direct and on time + overdue both give 1.318, and it is kept with its reason; a
    blank cell with no ink, or relations that disagree, leave it blank."""
    row = [*MISREAD[:7], "", *MISREAD[8:]]
    texts = [list(r) for r in HEADER] + [list(row)]
    checker = RowChecker.for_table(texts)
    assert checker is not None and not checker.broken(row)
    (given,) = correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({}),
                            frozenset({(3, 7)}))  # fmt: skip
    assert (given.column, given.raw, given.value, texts[3][7]) == (7, "", "1.318", "1.318")
    assert "the row's other counts give '1.318' (no reading of it does)" in given.rule
    texts[3][7] = ""
    assert correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({})) == []
    texts[3][11] = "1.300"  # on time + overdue give 1.300, total − direct 1.318
    assert correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({}),
                        frozenset({(3, 7)})) == []  # fmt: skip
    assert texts[3][7] == ""


def test_two_counts_read_in_one_cell_go_to_their_two_cells() -> None:
    """Fresh seed 3700's hard scan lost the upright between "Đúng hạn" and "Quá hạn" of a
    QĐ 422 row: on time read "0" at first and "32 0" again, overdue nothing. The reading
    that gives no number used to "hold" the row and was stored; now each count goes to
    its cell, as the row's sums want, and a pair that breaks them ("7 0" for "0 0")
    stays unread."""
    row = ["2", "Hoàn thành kết nối", "Công an", "x", "", "36", "4", "32", "88,89%", "", "",
           "0", ""]  # fmt: skip
    texts = [list(r) for r in HEADER] + [list(row)]
    checker = RowChecker.for_table(texts)
    assert checker is not None and checker.broken(row) == {"on_time_overdue_online"}
    confidence = [[None] * 13 for _ in texts]
    corrections = correct_rows(texts, confidence, checker, _rereads({11: ["32 0"]}))
    assert texts[3][11:13] == ["32", "0"] and len(corrections) == 2
    assert "two cells read as one" in corrections[0].rule
    texts = [list(r) for r in HEADER] + [[*row[:5], "0", "0", "0", "", "", "", "7 0", ""]]
    assert correct_rows(texts, confidence, checker, _rereads({})) == []
    assert texts[3][11:13] == ["7 0", ""]


def test_a_rereading_that_gives_no_rate_does_not_tie_with_the_one_that_holds() -> None:
    """Seed 2704's hard scan, a signature over item 10's results: its rate "67,6" read
    "676" and again "676 2", "6768 23,". Such readings give no number and held every
    check, as a blank would: with "67,6" (the comma OCR lost) they made a tie, and the
    rate was left at 676%."""
    row = ["10", "Đăng ký khai tử", "UBND cấp xã", "x", "", "34", "11", "23", "676", "11",
           "0", "", ""]  # fmt: skip
    texts = [list(r) for r in HEADER] + [list(row)]
    checker = RowChecker.for_table(texts)
    assert checker is not None and "percent_over_100" in checker.broken(row)
    confidence = [[None] * 13 for _ in texts]
    (correction,) = correct_rows(texts, confidence, checker, _rereads({8: ["676 2", "6768 23,"]}))
    assert (correction.column, correction.value, texts[3][8]) == (8, "67,6", "67,6")


def test_an_unread_on_time_count_under_a_stamp_takes_what_online_and_overdue_give() -> None:
    """Seed 3505's hard scan, a stamp over the results of a row: the on-time count read
    as nothing is online − overdue, though the direct results beside it, which no sum
    has, are unread too (they stay unread)."""
    row = ["24", "Đăng ký khai sinh", "UBND cấp xã", "x", "", "39.749", "30.999", "8.750",
           "22,01%", "30.999", "", "", "0"]  # fmt: skip
    texts = [list(r) for r in HEADER] + [list(row)]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    confidence = [[None] * 13 for _ in texts]
    (given,) = correct_rows(texts, confidence, checker, _rereads({}), frozenset({(3, 10), (3, 11)}))
    assert (given.column, given.value, texts[3][10]) == (11, "8.750", "")


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


def _columns(rulings: list[dict]) -> list[float]:
    """The distinct positions of the uprights (one column rule may come in pieces)."""
    positions: list[float] = []
    for x in sorted(e["x0"] for e in rulings if e["orientation"] == "v"):
        if not positions or x - positions[-1] > 4:
            positions.append(x)
    return positions


def test_a_stroke_across_one_row_adds_no_column(table_page: Path) -> None:
    """A signature stroke crossing one body row from rule to rule ends on rules at both
    ends, like a rule: it used to split that cell, the table had a column more than on
    its next page, and the next page's rows were left out (seed 1101's hard scan lost
    21 rows so). The rules of 003's QĐ 06 page keep their columns under such a stroke."""
    import pypdfium2

    from dean06.extract.rulings import find_rulings

    scale = 300 / 72
    with pypdfium2.PdfDocument(table_page) as pdf:
        clean = pdf[0].render(scale=scale).to_pil().convert("L")
    printed = find_rulings(clean, 1 / scale)
    columns = _columns(printed)
    rows = sorted({round(e["top"]) for e in printed if e["orientation"] == "h"})
    top, bottom = rows[-4], rows[-3]  # a body row, from its rule to the next
    stroked = clean.copy()
    draw = ImageDraw.Draw(stroked)
    for offset in (8, 11):  # a pen's double trace, a little right of a column's rule
        x = (columns[-2] + offset) * scale
        draw.line((x, top * scale, x + 4, bottom * scale), fill=0, width=3)
    assert _columns(find_rulings(stroked, 1 / scale)) == columns
    # and looping back across the same row further left (seed 1202's hard scan, page 5)
    x = (columns[3] + 20) * scale
    draw.line((x, top * scale, x - 4, bottom * scale), fill=0, width=3)
    assert _columns(find_rulings(stroked, 1 / scale)) == columns


def test_a_page_whose_columns_differ_is_reported_and_the_table_goes_on(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 1101's QĐ 06 table runs over pages 2–5. Its page 3 cut into one column more
    (as a stroke across a scan cuts it) cannot continue the table: its rows are not
    read, and it says so (``rows_not_read`` naming page 3), and pages 4 and 5 still
    continue the table (they were lost with page 3)."""
    from dean06.extract.pdf import PdfReader
    from dean06.normalize.headers import header_depth
    from dean06.pipeline import document_to_result
    from dean06.schemas import ReportResult

    from .family import draw_report, write_forms

    [path] = write_forms(draw_report(1101), tmp_path / "family_1101", ("pdf",))
    document = PdfReader().read(path)
    whole = document_to_result(document, ReportResult(report_id="-", source_path=str(path),
                                                      file_name=path.name), matcher)  # fmt: skip
    page_3 = next(t for t in document.tables if t.page == 3)
    assert header_depth(page_3.rows) == 0
    for row in page_3.rows:
        row.insert(len(row) - 1, "")
    cut = document_to_result(document, ReportResult(report_id="-", source_path=str(path),
                                                    file_name=path.name), matcher)  # fmt: skip
    lost = [f for f in cut.findings if f.code == "rows_not_read" and f.page == 3]
    assert cut.status.value == "partial" and len(lost) == 1, cut.findings
    assert "pages: 3" in lost[0].message
    expected = [(r.page, r.service_id) for r in whole.services if r.page != 3]
    assert [(r.page, r.service_id) for r in cut.services] == expected
    assert {r.page for r in cut.services if r.scheme == "QD06"} == {2, 4, 5}


def _without_item_number(document, name: str) -> None:
    """Blank the item number of the row printing ``name``, as OCR loses it."""
    for table in document.tables:
        for row in table.rows:
            if any(cell.strip() == name for cell in row):
                row[0] = ""
                return
    raise AssertionError(f"no row prints {name!r}")


@pytest.mark.parametrize(
    ("seed", "name", "expected"),
    [
        # a "…, cụ thể:" parent: its sub-rows are its parts, not the row above's
        (1100, "Đăng ký thường trú, cụ thể:", ["QD06-3", "QD06-3", "QD06-3", "QD06-4"]),
        # a service under a liên thông row's components, named by none of them
        (1104, "Cấp đổi, cấp lại giấy phép lái xe", ["QD06-20"]),
    ],
)
def test_a_row_whose_item_number_was_lost_keeps_its_service(
    seed: int, name: str, expected: list[str], tmp_path: Path, matcher: Matcher
) -> None:
    """OCR of seeds 1100 and 1104 lost these rows' item numbers: the sub-rows under
    "Đăng ký thường trú, cụ thể:" went to item 2 (QD06-2), and "Đăng ký tạm trú" after
    them became a sub-row; "Cấp đổi, cấp lại giấy phép lái xe" became a component of
    the liên thông khai sinh row above it. The catalogue settles both."""
    from dean06.extract.pdf import PdfReader
    from dean06.pipeline import document_to_result
    from dean06.schemas import ReportResult

    from .family import draw_report, write_forms

    [path] = write_forms(draw_report(seed), tmp_path / f"family_{seed}", ("pdf",))
    document = PdfReader().read(path)
    _without_item_number(document, name)
    if seed == 1100:  # and the next service's, as on that scan
        _without_item_number(document, "Đăng ký tạm trú")
    result = document_to_result(document, ReportResult(report_id="-", source_path=str(path),
                                                       file_name=path.name), matcher)  # fmt: skip
    names = [r.name_in_doc for r in result.services]
    start = names.index(name)
    got = [r.service_id for r in result.services[start : start + len(expected)]]
    assert got == expected
    assert result.services[start].row_kind.value == "service"
    assert result.services[start + len(expected) - 1].row_kind.value == "service"


def _counts_of_003(count: int, scale: float) -> tuple[list[dict], Image.Image]:
    """The first ``count`` counts printed on 003's QĐ 06 page (pdfplumber words) and the
    page rendered at ``scale`` pixels per point, in grey."""
    import pdfplumber
    import pypdfium2

    with pdfplumber.open(REPORT_003) as pdf:
        words = [w for w in pdf.pages[QD06_PAGE - 1].extract_words()
                 if re.fullmatch(r"\d{1,3}(?:\.\d{3})?", w["text"])][:count]  # fmt: skip
    with pypdfium2.PdfDocument(REPORT_003) as pdf:
        page = pdf[QD06_PAGE - 1].render(scale=scale).to_pil().convert("L")
    return words, page


def test_counts_in_faded_toner_among_specks_are_read() -> None:
    """Toner faded to a light grey, the paper's specks above and below the digits as dark
    as they are (seed 1105's hard scan lost such cells as blank: "4", "6", "7", "34"):
    every count of 003's QĐ 06 page is still read."""
    import random

    from dean06.extract.cells import read_cells

    scale = 300 / 72
    words, page = _counts_of_003(12, scale)
    faded = page.point(lambda v: 255 - round((255 - v) * 0.2))  # black ink → light grey
    draw = ImageDraw.Draw(faded)
    specks = random.Random(1105)
    for word in words:
        for _ in range(6):
            x = specks.uniform(word["x0"] - 3, word["x1"] + 3) * scale
            y = specks.choice([specks.uniform(word["top"] - 5, word["top"] - 2),
                               specks.uniform(word["bottom"] + 1, word["bottom"] + 4)]) * scale  # fmt: skip
            draw.ellipse((x, y, x + 4, y + 4), fill=205)
    boxes = [(w["x0"] - 4, w["top"] - 5, w["x1"] + 4, w["bottom"] + 5) for w in words]
    read = read_cells(faded, boxes, [True] * len(boxes), scale, "vie")
    assert [cell.text if cell else None for cell in read] == [w["text"] for w in words]


def test_agency_cells_as_ocr_read_them_are_settled() -> None:
    """Agency cells of seeds 1101, 1103 and 1105's hard scans as OCR read them: specks
    and lost spaces go, each takes the spelling its table reads most; another agency
    and another table keep theirs."""
    from dean06.normalize.agencies import settle_read_agencies

    read = ["'Sở Tư pháp", "SởTư pháp", "Sở Tư pháp", "Sở Tư pháp", "Sở Tư. pháp",
            "Sở Tư „ pháp", "Sở Tư pháp.", "Công an tỉnh", "Sở LĐ-TB & XH"]  # fmt: skip
    rows = [ServiceRow(name_in_doc="-", agency=text, table_index=0) for text in read]
    rows.append(ServiceRow(name_in_doc="-", agency="Sở Tư pháp.", table_index=1))
    settle_read_agencies(rows)
    assert [row.agency for row in rows] == [*["Sở Tư pháp"] * 7, "Công an tỉnh",
                                            "Sở LĐ-TB & XH", "Sở Tư pháp"]  # fmt: skip


def test_an_agency_read_with_a_space_lost_is_the_agency_of_that_name() -> None:
    """Seed 3601's hard scan reads its group row "Sở Tư pháp" as "Sở Tưpháp", the agency
    of the eight rows under it, and nothing in its table spells it right: the letters are
    those of a known agency. An agency no list knows keeps its reading."""
    from dean06.normalize.agencies import settle_read_agencies

    read = ["Sở Tưpháp", "SởY tế (bổ sung theo Công văn số 1523/SYT-NVY)", "PhòngTư pháp"]
    rows = [ServiceRow(name_in_doc="-", agency=text, table_index=0) for text in read]
    settle_read_agencies(rows)
    assert [row.agency for row in rows] == [
        "Sở Tư pháp", "Sở Y tế (bổ sung theo Công văn số 1523/SYT-NVY)", "PhòngTư pháp"
    ]  # fmt: skip


def test_an_appendix_table_not_read_beside_one_read_is_reported(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 1201 prints its QĐ 06 table borderless and its QĐ 422 table ruled. With the
    QĐ 06 table's pages left unread (as when a scan's borderless table cannot be drawn),
    the report says which announced table gave no row."""
    from dean06.extract.pdf import PdfReader
    from dean06.pipeline import document_to_result
    from dean06.schemas import ReportResult

    from .family import draw_report, write_forms

    [path] = write_forms(draw_report(1201), tmp_path / "family_1201", ("pdf",))
    document = PdfReader().read(path)
    blank = ReportResult(report_id="-", source_path=str(path), file_name=path.name)
    whole = document_to_result(document, blank.model_copy(deep=True), matcher)
    assert not [f for f in whole.findings if f.code == "tables_not_read"]
    qd06_pages = {row.page for row in whole.services if row.scheme == "QD06"}
    document.items = [item for item in document.items
                      if not (hasattr(item, "rows") and item.page in qd06_pages)]  # fmt: skip
    lost = document_to_result(document, blank.model_copy(deep=True), matcher)
    said = [f.message for f in lost.findings if f.code == "tables_not_read"]
    assert lost.status.value == "partial" and len(said) == 1, lost.findings
    assert "QĐ 06" in said[0] and "QĐ 422" not in said[0]
    assert {row.scheme for row in lost.services} == {"QD422"}


def test_a_tick_as_ocr_reads_it_is_connected() -> None:
    """A ✓ in the connection column of seed 1204's scan, read "⁄", "ý", "Z.": a tick,
    connected; "Chưa" is not, and a dash, a lone 0 or a wording's piece ("nối") is no tick."""
    from dean06.normalize.rows import logical_to_rows, tables_to_logical
    from dean06.schemas import Table

    header = ["TT", "Tên dịch vụ công",
              "Kết nối với Cổng DVC quốc gia (đã kết nối, chưa kết nối)", "Tổng số hồ sơ"]  # fmt: skip
    read = ["⁄", "ý", "Z.", "Chưa", "-", "0", "nối"]
    names = ["Đăng ký thường trú", "Đăng ký tạm trú", "Khai báo tạm vắng", "Thông báo lưu trú",
             "Đăng ký khai sinh", "Đăng ký khai tử", "Đăng ký kết hôn"]  # fmt: skip
    rows = [
        [str(n), name, mark, "12"]
        for n, (name, mark) in enumerate(zip(names, read, strict=True), 1)
    ]
    [logical] = tables_to_logical([Table(page=1, rows=[header, *rows])])
    services, _, _ = logical_to_rows(logical)
    assert [row.connected for row in services] == [True, True, True, False, None, None, None]


# The QĐ 422 header of seed 1704's borderless table as its hard scan reads it: skew left
# the online results' "Đúng hạn" / "Quá hạn" a row below the direct ones', and OCR read
# "trực tiếp" as "trưc tiến", "bao gồm trực tuyến" as "bao aổm trưc tuvến".
STAGGERED = [
    ["vã.", "Thủ tục hành chính", "Đơn vị thực hiện", "Kết nối với cổng DVC quốc gia",
     "Tổng số hồ sơ (bao aổm trưc tuvến", "", "", "", "Kết quả giải quvết", "", "", "",
     "Khó khăn vướng mắc, đề xuất"],
    ["", "", "", "", "Số hổ sơ tiếp nhận", "và trưc tiến)", "", "Tỷ lệ trực tuyến (%)", "",
     "", "", "", ""],
    ["", "", "", "", "", "", "", "", "Hồ sơ trưc tiến", "", "Hồ sơ trực tuvến", "", ""],
    ["", "", "", "", "", "Hồ sơ trực tiếp", "Hồ sơ trực tuyên", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", ""],
]  # fmt: skip


def test_a_staggered_misread_header_keeps_its_column_roles() -> None:
    """Online results are not taken for direct ones: a header term one letter off is
    read as the term, a leaf to the left ("Tỷ lệ") is no parent of the columns beside
    it, and six header rows are one header."""
    from dean06.normalize.headers import Role, column_roles, header_depth, mend_ocr_key

    assert header_depth([*STAGGERED, ["1", "Xác nhận", "", "x", "59", "1", "58"]]) == 6
    roles = column_roles(STAGGERED, 13)
    assert {role: roles.get(role) for role in (
        Role.TOTAL, Role.DIRECT, Role.ONLINE, Role.RATE, Role.ON_TIME_DIRECT,
        Role.OVERDUE_DIRECT, Role.ON_TIME, Role.OVERDUE)} == {
        Role.TOTAL: [4], Role.DIRECT: [5], Role.ONLINE: [6], Role.RATE: [7],
        Role.ON_TIME_DIRECT: [8], Role.OVERDUE_DIRECT: [9], Role.ON_TIME: [10],
        Role.OVERDUE: [11]}  # fmt: skip
    assert mend_ocr_key("ho so truc tien") == "ho so truc tiep"
    assert mend_ocr_key("da ket nai (x)") == "da ket noi (x)"
    assert mend_ocr_key("ho so truc tuyen") == "ho so truc tuyen"  # printed right: kept


# fresh seed 2701's hard scan, page 8, as OCR read the header of its QĐ 06 table
MISREAD_HEADER_ROW = [
    ["Stt", "Tên thủ tục hành chính", "cơ quan chủ trì", "Kết nối Cổng dịch vu công quốc diỉa",
     "", "Tổng số hế sơ (bao aốm trưc tuvến và", "", "", "", "Kết quả giải quvết", "", "", ""],
    ["", "", "", "", "", "Số hố sơ tiếp nhận", "tructiếmn", "", "Tỷ lệ (%)", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "Hế sơ trưc tiến", "", "Hế sơ trưc tuvến", ""],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối (x)", "", "Trực tiếp", "Số hố Sơ trực tuyến",
     "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn"],
    ["5", "Xác nhận số CMND khi đã được cấp thẻ CCCD", "UBND cấp xã", "X", "", "9.621", "2.058",
     "7.563", "78,61%", "2.058", "0", "7.563", "0"],
]  # fmt: skip


def test_a_header_row_whose_every_word_ocr_misread_is_still_header() -> None:
    """A header row reading only "Hế sơ trưc tiến" / "Hế sơ trưc tuvến" (each word pair
    one letter off its term) is header: the rows under it are too, and the counts keep
    their columns (it once ended the header, and direct, online and their results were
    lost from eleven rows)."""
    from dean06.normalize.headers import Role, column_roles, header_depth

    assert header_depth(MISREAD_HEADER_ROW) == 5
    roles = column_roles(MISREAD_HEADER_ROW[:5], 13)
    assert {role: roles.get(role) for role in (
        Role.TOTAL, Role.DIRECT, Role.ONLINE, Role.RATE, Role.ON_TIME, Role.OVERDUE)} == {
        Role.TOTAL: [5], Role.DIRECT: [6], Role.ONLINE: [7], Role.RATE: [8],
        Role.ON_TIME: [11], Role.OVERDUE: [12]}  # fmt: skip


@pytest.fixture(scope="module")
def family_hard_scans(tmp_path_factory: pytest.TempPathFactory):
    """Pages of the hard scans of generated reports (made whole: each page degrades as
    in the family's own hard scan), as a PDF of their own."""
    from .family import draw_report, write_forms

    folder = tmp_path_factory.mktemp("family_hard")

    def pages(seed: int, numbers: list[int]) -> Path:
        scan = folder / f"family_{seed}.hard.pdf"
        if not scan.exists():
            [pdf] = write_forms(draw_report(seed), folder / f"family_{seed}", ("pdf",))
            make_hard_scan(pdf, scan)
        target = folder / f"family_{seed}_{'-'.join(map(str, numbers))}.pdf"
        with pikepdf.open(scan) as whole:
            out = pikepdf.new()
            out.pages.extend(whole.pages[n - 1] for n in numbers)
            out.save(target)
        return target

    return pages


def _counts(row: ServiceRow) -> tuple:
    return (row.total, row.direct, row.online, row.rate_pct, row.on_time, row.overdue)


@pytest.mark.ocr
def test_a_scanned_borderless_table_keeps_close_columns_apart(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1704's QĐ 422 page, borderless: the strip between the direct and online
    counts is narrow, and each upright stands inside it (it stood at its edge, on the
    digits, and the two columns read as one: "8.23429.415"); the results' columns keep
    their roles under a header OCR misread."""
    result = process_file(family_hard_scans(1704, [6]), matcher)
    rows = {(r.service_id, r.name_in_doc[:20]): _counts(r) for r in result.services}
    assert rows[("QD422-1", "Xác nhận thông tin v")] == (59, 1, 58, 98.3, 57, 1)
    assert rows[("QD422-3", "- Đối với công dân t")][:3] == (37649, 8234, 29415)
    assert rows[("QD422-3", "Đối với công dân ngo")][:3] == (34266, 6878, 27388)


@pytest.mark.ocr
def test_a_not_applicable_row_and_a_sparse_note_column_keep_the_columns(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1705's page 9: three of nine rows print "Không thuộc thẩm quyền" across the
    count columns (the connection and online columns read as one), and the note column
    holds one note (read with the overdue counts); a name read alone as garble ("bu côn
    gmua~coLoebi. Tang") takes the page's reading of it."""
    result = process_file(family_hard_scans(1705, [9]), matcher)
    rows = {r.service_id: r for r in result.services}
    assert _counts(rows["QD422-15"]) == (27313, None, 22231, 81.39, 22231, 0)
    assert _counts(rows["QD422-13.3"]) == (7681, None, 1541, 20.06, 1541, 0)
    assert rows["QD422-15"].connected is True and rows["QD422-13.2"].overdue == 0
    assert rows["QD422-17"].not_applicable


@pytest.mark.ocr
def test_a_lone_count_in_faded_toner_is_read(family_hard_scans, matcher: Matcher) -> None:
    """Seed 1703's page 3: a "2" in toner faded to light grey, under 1% of its wide cell,
    was taken for blank paper (its cell's darkest 1% is paper); the online counts beside
    a stamp's ring keep no "%" of the ring."""
    result = process_file(family_hard_scans(1703, [2, 3]), matcher)
    outside = next(r for r in result.services if r.name_in_doc.endswith("ngoài tỉnh"))
    assert (outside.total, outside.online, outside.on_time) == (11, 2, 2)
    passport = next(r for r in result.services if r.service_id == "QD06-12")
    assert (passport.total, passport.online) == (19179, 2135)


@pytest.mark.ocr
def test_more_count_cells_than_one_strip_holds_are_all_read() -> None:
    """Seed 1727's hard scan had so many count cells that their strip stood 33,630 pixels
    high, over Tesseract's limit: the file failed ("Image too large"). Strips are cut
    under the limit; every cell is read."""
    from dean06.extract.cells import MAX_STRIP_PIXELS, read_cells

    scale = 300 / 72
    words, page = _counts_of_003(20, scale)
    boxes = [(w["x0"] - 4, w["top"] - 5, w["x1"] + 4, w["bottom"] + 5) for w in words]
    height = sum((b[3] - b[1]) * scale + 30 for b in boxes)
    copies = int(MAX_STRIP_PIXELS * 1.3 / height) + 1
    once = [c.text if c else None for c in read_cells(page, boxes, [True] * 20, scale, "vie")]
    read = read_cells(page, boxes * copies, [True] * len(boxes) * copies, scale, "vie")
    assert [cell.text if cell else None for cell in read] == once * copies
    # read as the page prints them but for one lone "0" in a box cut tight around it
    assert sum(a == w["text"] for a, w in zip(once, words, strict=True)) >= 19, once


@pytest.mark.ocr
def test_a_letterhead_level_misread_by_one_letter_still_names_the_unit(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1720's first page, scanned hard: OCR reads the letterhead "UBND TỈNH" /
    "HÒA BÌNH" as "UBND TNH": the level one letter off is still the province's (the
    locality was NULL, "no unit is named in the header")."""
    meta = process_file(family_hard_scans(1720, [1]), matcher).meta
    assert (meta.locality_level, meta.locality_name) == ("tỉnh", "Hòa Bình")


@pytest.mark.ocr
def test_a_header_ocr_garbled_under_its_caption_still_opens_the_table(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1722's QĐ 06 table is borderless; OCR reads its header of stacked cells as
    a few words ("Kết", "nối với", "Cổng", "DVC" …, no "Stt") that name too few header
    cells to be one, and the whole table was lost. Right under its caption ("PHỤ LỤC …
    ĐỊNH SỐ 06/QĐ-TTg"), two header words are enough."""
    result = process_file(family_hard_scans(1722, [1]), matcher)
    rows = {r.service_id: r for r in result.services}
    assert (rows["QD06-1"].total, rows["QD06-1"].online, rows["QD06-1"].rate_pct) == (
        21385,
        11925,
        56.0,
    )
    assert (rows["QD06-4"].total, rows["QD06-4"].online) == (13, 8)


@pytest.mark.ocr
def test_a_speck_read_as_a_letter_before_a_header_cell_leaves_its_role(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1725's QĐ 422 page: the service column's header reads "ï Dịch vụ công trực
    tuyến", which was taken for an online count column: the table named no services and
    its ten rows were dropped."""
    result = process_file(family_hard_scans(1725, [2]), matcher)
    ids = [r.service_id for r in result.services]
    assert list(dict.fromkeys(ids))[:7] == [f"QD422-{n}" for n in range(1, 8)]
    first = result.services[0]
    assert (first.total, first.online, first.rate_pct) == (6, 4, 66.67)


@pytest.mark.ocr
def test_a_group_row_whose_numeral_ocr_lost_is_no_header(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 1803's clean scan prints its QĐ 422 header at the foot of page 2 and the body,
    with no header, on page 3, opening with the group row "I" / "NHÓM DỊCH VỤ CÔNG THIẾT
    YẾU". OCR lost the "I": the group row was taken for the page's own header, which
    names no DVC table, and the page's nine rows were dropped."""
    from .family import draw_report, write_forms
    from .scan import make_scan

    [pdf] = write_forms(draw_report(1803), tmp_path / "family_1803", ("pdf",))
    scan = make_scan(pdf, tmp_path / "family_1803.scan.pdf", seed=1803)
    pages = tmp_path / "family_1803_2-3.pdf"
    with pikepdf.open(scan) as whole, pikepdf.new() as two:
        two.pages.extend(whole.pages[1:3])
        two.save(pages)
    result = process_file(pages, matcher)
    ids = list(dict.fromkeys(r.service_id for r in result.services if r.service_id))
    assert ids == [f"QD422-{n}" for n in range(1, 10)]
    first = next(r for r in result.services if r.service_id == "QD422-1")
    assert (first.total, first.direct, first.online, first.on_time) == (30, 18, 12, 12)


@pytest.mark.ocr
def test_a_group_heading_in_vietnamese_capitals_is_a_heading(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1727's hard scan loses the "I" of "NHÓM DỊCH VỤ CÔNG THIẾT YẾU": the row,
    printed in capitals, heads the rows under it. Capitals such as "Ị" and "Ụ" lie among
    the small letters in Unicode, and the row was stored as an unmatched service."""
    result = process_file(family_hard_scans(1727, [3]), matcher)
    assert any(h.name_in_doc.startswith("NHÓM DỊCH VỤ CÔNG") for h in result.headings)
    assert not any(r.name_in_doc.startswith("NHÓM") for r in result.services)
    first = next(r for r in result.services if r.service_id == "QD06-1")
    assert (first.total, first.online) == (33374, 14613)


def test_a_group_numeral_read_with_a_speck_heads_its_rows() -> None:
    """Seed 1727's "I | NHÓM DỊCH VỤ CÔNG THIẾT YẾU" as Tesseract read it as sparse text:
    ".J". The row names header words ("dịch vụ công") and was taken for the header's
    last row, then for a service: it is a group heading."""
    from dean06.normalize.headers import is_header_row

    group = [".J", "NHÓM DỊCH VỤ CÔNG THIET YEU"] + [""] * 11
    assert not is_header_row(group)
    first = ["1", "Xác nhận số CMND khi đã được cấp thẻ CCCD", "UBND cấp xã", "x", "",
             "33.374", "18.761", "14.613", "44%", "18.761", "0", "14.611", "2"]  # fmt: skip
    [logical] = tables_to_logical([Table(page=3, rows=[*HEADER, group, first])])
    services, _, headings = logical_to_rows(logical)
    assert [(h.item_in_doc, h.name_in_doc) for h in headings] == [
        ("J", "NHÓM DỊCH VỤ CÔNG THIET YEU")
    ]
    assert [s.item_in_doc for s in services] == ["1"]


def test_misread_numbers_before_the_first_one_read_are_no_group_rows() -> None:
    """Fresh seed 3916's clean scan read its QĐ 422 table's "1." as "lê" and "2." as "V"
    under the group row "I | NHÓM DỊCH VỤ CÔNG THIẾT YẾU": row 2, a parent announcing
    its sub-rows ("…, cụ thể:"), was taken for a group "V" and its two sub-rows lost
    their service. Two misread items fill the numbering from 1 up to the first number
    read, 3: "V" is item 2 misread."""
    counts = ["x", "", "11.632", "6.805", "4.827", "41,50%", "6.805", "0", "4.827", "0"]
    rows = [
        ["Í", "NHÓM DỊCH VỤ CÔNG THIET YEU"] + [""] * 11,
        ["lê", "Đăng ký chỉ dẫn địa lý", "Sở Tư pháp", *counts],
        ["V", "Công nhận bằng cử nhân, bằng thạc sĩ, bằng tiến sĩ và văn bằng trình độ "
         "tương đương do cơ sở giáo dục nước ngoài cấp để sử dụng tại Việt Nam, cụ thể:",
         "Sở Tư pháp"] + [""] * 10,
        ["", "- Đối với công dân trong tỉnh", "Sở Tư pháp", *counts],
        ["", "- Đối với công dân ngoài tỉnh", "Sở Tư pháp", *counts],
        ["3", "Cấp Giấy chứng nhận xuất xứ hàng hoá (C/O)", "Sở Tư pháp", *counts],
    ]  # fmt: skip
    [logical] = tables_to_logical([Table(page=4, rows=[*HEADER, *rows])])
    services, _, headings = logical_to_rows(logical)
    assert [h.name_in_doc for h in headings] == ["NHÓM DỊCH VỤ CÔNG THIET YEU"]
    assert [s.row_kind.value for s in services] == ["service", "service", "subrow", "subrow",
                                                    "service"]  # fmt: skip
    assert services[2].parent_index == services[3].parent_index == 1


# Fresh seed 3915's QĐ 06 header printed again on its clean scan's page 8, as OCR read
# it: "Đã kết nối (x)" / "Chưa kết nối (x)" lost (a garble in their stead), and
# "Hồ sơ trực tiếp" over the direct results read "Hồ sơ trưửc tiến".
HEADER_AGAIN_3915 = [
    ["TT", "Tên dịch vụ công", "Cơ quan chủ trì", "Kết nối Cổng dịch vụ công quốc gia", "",
     "", "Số hồ sơ tiến nhân", "", "Tỉ lệ", "Kết quả aiải quvết", "", "", ""],
    ["", "", "", "", "", "", "Trực tiếp", "Trực tuyến", "", "Hồ sơ trưửc tiến", "",
     "Hồ sơ trưc tuvến", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn"],
]  # fmt: skip


def test_a_header_printed_again_with_its_mark_columns_unread_keeps_them() -> None:
    """Seed 3915's page 8 repeats the QĐ 06 header, its "Đã kết nối (x)" and "Chưa kết
    nối (x)" cells unread and its direct results' parent garbled: it read as another
    header (one connection column, on time in two columns), the page's rows became a
    table of their own, and their marks under "Chưa kết nối" were read as no connection.
    Roles a fuller copy of the header parts into more specific ones are the same header."""
    first = ["13", "Khai báo tạm vắng", "UBND cấp xã", "X", "", "20.793", "6.093", "14.700",
             "71%", "6.093", "0", "14.700", "0"]  # fmt: skip
    again = ["14", "Cấp đổi, cấp lại giấy phép lái xe", "UBND cấp xã", "", "X", "6.794",
             "3.264", "3.530", "52%", "3.264", "0", "3.530", "0"]  # fmt: skip
    tables = [Table(page=7, rows=[*HEADER, first]), Table(page=8, rows=[*HEADER_AGAIN_3915, again])]
    [logical] = tables_to_logical(tables)
    services, _, _ = logical_to_rows(logical)
    assert [(s.item_in_doc, s.connected, s.on_time) for s in services] == [
        ("13", True, 14700),
        ("14", False, 3530),
    ]


@pytest.mark.slow
@pytest.mark.ocr
def test_a_cell_tesseract_crashes_on_leaves_the_report_read(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1902's hard scan holds a cell crop Tesseract dies on (a signal, error -8)
    when re-read alone: the whole report failed with an internal error. That cell is read
    as nothing; the report is read, every service found."""
    result = process_file(family_hard_scans(1902, list(range(1, 9))), matcher)
    assert result.status.value != "failed", result.error
    assert len({r.service_id for r in result.services if r.service_id}) >= 50


# Seed 1903's hard scan ends page 2 with the QĐ 06 header alone, as OCR read it: the
# short rules between "Đúng hạn" and "Quá hạn" were lost, so each pair is one cell read
# across its two lines. Its body, 14 columns wide, opens page 3.
HEADER_1903 = [
    ["gŠ", "Dịch vụ công trực tuyến", "Cơ quan chủ trì", "Kết nối Cổng dịch vụ công quốc gia",
     "", "Kết quả tiếp nhận", "", "", "", "Tình hình xử lý", "", "Khó khăn, vướng mắc"],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối (x)", "Tổng số", "Trực tiếp", "Hồ sơ tuyến",
     "Tỷ lệ (%)", "Hồ sơ trực tiếp", "Hỗ sơ trực tuyến", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng Quá hạn hạn", "Đúng Quá hạn hạn", ""],
]  # fmt: skip
BODY_1903 = [
    ["01", "Xác nhận số Chứng minh nhân dân khi đã được cấp thẻ Căn cước công dẫn",
     "UBND cấp xã", "X", "", "15.324", "5.289", "10.035", "65%", "5.289", "0", "10.033", "2", ""],
    ["02", "Cấp lại, đổi thẻ CCCD", "UBND cấp xã", "", "X", "20", "7", "13", "65%.", "7", "0",
     "10", "3", ""],
]  # fmt: skip


def test_a_header_whose_rules_ocr_lost_takes_the_width_of_its_body_overleaf() -> None:
    """The 12-column header and the 14-column body were two tables, and the body's rows
    were left out (``rows_not_read``); the two cells that read as sibling terms
    ("Đúng Quá hạn hạn") split into four columns, and the body goes on under it."""
    left_out: list[Table] = []
    tables = [Table(page=2, rows=HEADER_1903), Table(page=3, rows=BODY_1903)]
    (table,) = tables_to_logical(tables, left_out)
    assert not left_out
    assert table.roles[Role.ON_TIME] == [11] and table.roles[Role.OVERDUE] == [12]
    assert table.roles[Role.ON_TIME_DIRECT] == [9] and table.roles[Role.OVERDUE_DIRECT] == [10]
    services, _, _ = logical_to_rows(table)
    first = services[0]
    assert (first.total, first.direct, first.on_time, first.overdue) == (15324, 5289, 10033, 2)
    assert split_sibling_cells(HEADER_1903, 13) is None  # no split gives that width


def test_a_header_alone_at_a_page_foot_keeps_its_columns_through_a_steep_skew(
    tmp_path: Path,
) -> None:
    """Seed 1901's QĐ 422 header stands alone at page 5's foot, its rows on page 6. Its
    last row splits "Đúng hạn | Quá hạn" under rules spanning two columns; those short
    uprights lie in the lower part of a table that is all header and were dropped as a
    stroke's, and a 2.4° skew (OCRmyPDF leaves a near-blank page as it came) was beyond
    the angles searched: the page's 14 columns came out as 12 or none, and pages 6–10
    were not read. Skewed and deskewed, both pages keep the columns of the clean rules."""
    import pypdfium2

    from dean06.extract.rulings import estimate_skew, find_rulings

    from .family import draw_report, write_forms

    (document,) = write_forms(draw_report(1901), tmp_path / "family_1901", ("pdf",))
    scale = 300 / 72
    with pypdfium2.PdfDocument(document) as pdf:
        for page in (5, 6):
            clean = pdf[page - 1].render(scale=scale).to_pil().convert("L")
            columns = _columns(find_rulings(clean, 1 / scale))
            assert len(columns) == 15  # the borders and 13 rules between 14 columns
            skewed = clean.rotate(-2.4, resample=Image.BICUBIC, fillcolor=255)
            angle = estimate_skew(skewed)
            assert angle == pytest.approx(2.4, abs=0.1)
            deskewed = skewed.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            assert len(_columns(find_rulings(deskewed, 1 / scale))) == len(columns)


@pytest.mark.ocr
def test_marks_under_a_stray_digit_are_read_as_marks(family_hard_scans, matcher: Matcher) -> None:
    """Seed 1900's page 2 continues its QĐ 06 table: the page's OCR read none of the "x"
    marks and set a count of the stamped row in the marks column, which then read as a
    count column, its cells with digits only: every mark was lost. The header carried
    from page 1 names the column for marks."""
    result = process_file(family_hard_scans(1900, [1, 2]), matcher)
    page_two = [r for r in result.services if r.page == 2 and r.total is not None]
    assert len(page_two) >= 10
    assert all(r.connected is True for r in page_two)


HEADER_1722 = ["St", "Tên thủ tục hành chính",
               "Kết nối với Cổng DVC quốc gia (đã kết nối, chưa kết nối)", "Tổng hố sơ",
               "Hồ sơ trực tuyến", "Tỷ lệ (%)", "Đúng hạn, trước hạn", "Quá hạn", "Ghi chú"]  # fmt: skip
BODY_1722 = [
    ["l", "NHÓM DỊCH VỤ CÔNG THIẾT YẾU", "", "", "", "", "", "", ""],
    ["3", "Đăng ký thường trú", "⁄", "53", "19", "36%", "19", "0", ""],
    ["16", "Thủ tục liên thông: Đăng ký khai „ tử", "", "52", "1", "29%", "15", "0", ""],
    ["", "- Xóa đăng ký thường trú", "", "52", "15", "29%", "15", "0", ""],
    ["", "Trợ cấp mai táng phí", "sở", "8", "15", "29%", "5", "0", ""],
]  # fmt: skip


def test_a_numbering_column_whose_header_ocr_misread_keeps_the_rows_parents(
    matcher: Matcher,
) -> None:
    """Seed 1722's hard scan reads "Stt" as "St" and a speck before a component as "- ":
    with no numbering column no row had a parent, and the liên thông component "Xóa đăng
    ký thường trú" was matched to QĐ 06 item 3 (a wrong id). The column of item numbers
    is the numbering column; a row naming a component of its liên thông parent is that
    component, dash or not."""
    from dean06.catalog.assign import assign_services

    (table,) = tables_to_logical([Table(page=2, rows=[HEADER_1722, *BODY_1722])])
    assert table.roles[Role.ITEM] == [0]
    services, _, _ = logical_to_rows(table)
    assign_services(services, matcher)
    kinds = [(r.item_in_doc, r.service_id, r.row_kind.value) for r in services[-4:]]
    assert kinds == [
        ("3", "QD06-3", "service"),
        ("16", "QD06-16", "service"),
        (None, "QD06-16", "component"),
        (None, "QD06-16", "component"),
    ]


@pytest.mark.ocr
def test_a_column_rule_crossed_by_a_stamp_is_kept(family_hard_scans, tmp_path: Path) -> None:
    """Seed 1901's page 9, as OCRmyPDF hands it on: a grey stamp's ring and signature
    cross the rule between the direct dossiers' "Đúng hạn" and "Quá hạn" columns. Rule
    and ring made one stroke too thick for a rule and it was dropped, the piece above it
    went as a lone split, the page had 13 columns for the table's 14, and its five rows
    were left out."""
    import pypdfium2

    from dean06.extract.ocr import ocr_pdf
    from dean06.extract.pdf import ScannedPage
    from dean06.settings import ExtractSettings

    ocred = tmp_path / "ocred.pdf"
    ocr_pdf(family_hard_scans(1901, [9]), ocred, [1], ExtractSettings(ocr_jobs=1))
    with pypdfium2.PdfDocument(ocred) as pdf:
        page = ScannedPage.render(pdf[0], "vie")
    assert len(_columns(page.rulings)) == 15  # the borders and 13 rules between 14 columns


HEADER_2200 = ["TT", "Tên dịch vụ công", "Cơ quan thực hiện", "Kết nối với Cổng DVC quốc gia",
               "Tổng số hồ sơ", "Hồ sơ trực tuyến", "Tỷ lệ (%)", "Đúng hạn", "Quá hạn", "Ghi chú"]  # fmt: skip
BODY_2200 = [  # seed 2200's hard scan as OCR read it: item "5." as "g:"
    ["4", "Cấp lại, đổi thẻ CCCD.", "UBND cấp xã", "x", "30.860", "228", "0.74%", "228", "0", ""],
    ["g:", "Thủ tục liên thông: Đăng ký khai tử", "UBND cấp xã", "kì", "0", "0", "", "0", "0", ""],
    ["", "Xóa đăng ký thường trú", "UBND cấp xã", "", "0", "0", "", "0", "0", ""],
    ["", "Trợ cấp mai táng phí", "UBND cấp xã", "X", "0", "0", "", "0", "0", ""],
    ["6", "Khai báo tạm vắng", "UBND cấp xã", "X", "13.091", "767.", "5,86%", "764", "3", ""],
]  # fmt: skip


def test_components_under_a_lien_thong_row_whose_number_ocr_lost_are_its_components(
    matcher: Matcher,
) -> None:
    """With its item read as "g:", the liên thông row headed nothing: its components
    hung under the row before, and "Xóa đăng ký thường trú" was matched to "Đăng ký
    thường trú" (QĐ 06 item 3), a wrong id. An unnumbered row right under a liên thông
    service that plainly names one of its components is that component."""
    from dean06.catalog.assign import assign_services

    (table,) = tables_to_logical([Table(page=1, rows=[HEADER_2200, *BODY_2200])])
    services, _, _ = logical_to_rows(table)
    assign_services(services, matcher)
    kinds = [(r.service_id, r.row_kind.value) for r in services]
    assert kinds == [
        ("QD06-2", "service"),
        ("QD06-16", "service"),
        ("QD06-16", "component"),
        ("QD06-16", "component"),
        ("QD06-5", "service"),
    ]


HEADER_2202 = ["STT", "Tên thủ tục hành chính", "Kết nối Cổng DVC quốc gia", "Tổng số hồ sơ",
               "Hồ sơ trực tiếp", "Hồ sơ trực tuyến", "Tỷ lệ (%)", "Đúng hạn", "Quá hạn",
               "Ghi chú"]  # fmt: skip
BODY_2202 = [  # seed 2202's hard scan as OCR read its QĐ 422 items 4 to 10
    ["4", "Đăng ký tham gia đóng bảo hiểm xã hội tự nguyện (tham gia mới; chuyển từ bảo hiểm "
     "xã hội bắt buộc sáng bảo hiểm xã hội tự nguyện)", "X", "3", "", "2", "67", "2", "0", ""],
    ["5 - : k", "Đăng ký đóng, cấp thẻ bảo hiểm y tế đối với người chỉ tham gia bảo hiểm y tế",
     "x 5", "0", "0", "0", "", "", "CS)", ""],
    ["HS:", "Thăm viếng mộ liệt sĩ (cấp giấy giới thiệu và thực hiện chỉ hỗ trợ thắm 'viếng "
     "mộ liệt sĩ)", "+", "35.721", "5.275", "30.446", "85.", "30.446", "M.,", ""],
    ["Ẹ", "Mở rộng việc kết nối, chia sẻ dữ. liệu dân cư của Cơ sở dữ liệu quốc gia về dân cư "
     "để thực hiện các dịch vụ cung cấp điện còn lại", "", "", "0.", "31", "100", "28", "3", ""],
    ["# THÊ SỊÌ", "Liên thông nhóm thủ tục Đăng ký thành lập hộ kinh doanh và Đăng ký thuế",
     "", "", "", "19.509", "73", "19.506", "3", ""],
    ["H", "Liên thông nhóm thủ tục cấp chứng. chỉ hành nghề khám bệnh, chữa bệnh/chứng chỉ "
     "hành nghề được và cấp phiếu lý lịch tư pháp", "", "", "", "", "", "", "", ""],
    ["10", "Đăng ký biến động quyến sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong "
     "các trường hợp chuyển nhượng, cho thuê, cho thuê lại, thừa kế, tặng cho quyền sử dụng "
     "đất, quyền sở hữu tài sản gắn liền với đất", "x", "", "57", "12", "45", "", "", ""],
]  # fmt: skip


def test_an_item_read_as_a_letter_in_a_gap_of_the_numbering_is_no_heading(
    matcher: Matcher,
) -> None:
    """Seed 2202's item 9, a row with no counts, read as "H": a group's letter, so a
    heading, and the row was dropped. Between items 4 and 10 the five misread items fill
    the gap exactly: each is a numbered row."""
    from dean06.catalog.assign import assign_services

    (table,) = tables_to_logical([Table(page=5, rows=[HEADER_2202, *BODY_2202])])
    services, _, headings = logical_to_rows(table)
    assign_services(services, matcher)
    assert not headings
    assert [r.service_id for r in services][-2:] == ["QD422-9", "QD422-10"]
    nine = ["9", *BODY_2202[-2][1:]]
    group = ["B", "Sở Tư pháp", *[""] * 8]  # between 9 and 10: a group's letter
    (table,) = tables_to_logical([Table(page=5, rows=[HEADER_2202, nine, group, BODY_2202[-1]])])
    assert [h.name_in_doc for h in logical_to_rows(table)[2]] == ["Sở Tư pháp"]


def test_specks_before_a_header_cell_keep_its_role() -> None:
    """Seed 2505's hard scan reads its QĐ 06 header's "Tên dịch vụ công" as "“s3: Tên
    dịch vụ công": without a service column the table was dropped, rows 1–15 with it.
    A lone letter or letters and digits run together before a cell's words are specks."""
    from dean06.normalize.headers import Role, column_roles

    header = [["STT", "“s3: Tên dịch vụ công", "Cơ quan chủ trì", "Tổng hồ sơ"]]
    assert column_roles(header, 4)[Role.SERVICE] == [1]
    assert column_roles([["STT", "13 Tên đơn vị", "Tổng hồ sơ"]], 3).get(Role.SERVICE) is None


def test_rows_lost_before_a_table_s_first_number_are_reported(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2505's QĐ 06 table prints rows 1–15 on page 2 and goes on overleaf. With the
    page's header unreadable (its rows dropped, as its hard scan dropped them), the
    table read starts at 16: the report says rows 1–15 were not read, and is partial."""
    from dean06.extract.pdf import PdfReader
    from dean06.pipeline import document_to_result
    from dean06.schemas import ReportResult

    from .family import draw_report, write_forms

    [path] = write_forms(draw_report(2505), tmp_path / "family_2505", ("pdf",))
    document = PdfReader().read(path)
    blank = ReportResult(report_id="-", source_path=str(path), file_name=path.name)
    whole = document_to_result(document, blank.model_copy(deep=True), matcher)
    assert not [f for f in whole.findings if f.code == "rows_not_read"]
    first = next(t for t in document.tables if t.page == 2)
    first.rows[0][1] = "“s3: Tên dịch vụ công"  # as OCR read it: still the service column
    kept = document_to_result(document, blank.model_copy(deep=True), matcher)
    assert [r.service_id for r in kept.services] == [r.service_id for r in whole.services]
    first.rows[0] = ["" for _ in first.rows[0]]  # no header left: the page's rows go
    lost = document_to_result(document, blank.model_copy(deep=True), matcher)
    said = [f.message for f in lost.findings if f.code == "rows_not_read"]
    assert said == ["table numbering skips item 1–15: rows printed there were not read"]
    assert lost.status.value == "partial"
    assert next(r.item_in_doc for r in lost.services if r.scheme == "QD06") == "16"


@pytest.mark.ocr
def test_counts_the_page_s_ocr_garbled_are_read_under_their_header(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 2502's QĐ 422 table goes on from page 1 to page 2, where toner fades at the
    right edge: the page's OCR read the "Trễ hạn" column's zeros as "Ũ", "B..", "To,", so
    the column was read as words and its counts lost. The header names it a count
    column, so its cells are read as counts; a count cell with ink read as nothing or as
    no number takes what the row's other counts give (``ocr_corrected`` says so)."""
    result = process_file(family_hard_scans(2502, [1, 2]), matcher)
    rows = {r.service_id: r for r in result.services}
    assert [rows[f"QD422-{i}"].overdue for i in (3, 4, 5, 6, 8, 10, 11, 13.1, 13.2)] == [0] * 9
    assert _counts(rows["QD422-5"]) == (16, 8, 8, 50.0, 8, 0)
    given = [f.message for f in result.findings if f.code == "ocr_corrected"
             and "the row's other counts give" in f.message]  # fmt: skip
    stored = [re.search(r"stored as '(.*?)'", m).group(1) for m in given]
    assert stored.count("0") >= 2, given


def test_connection_wordings_as_ocr_read_them() -> None:
    """Seed 2505's hard scan reads "Đã thực hiện" with its letters spaced apart ("Đ ã th
    ực h iệ n") and "Đang kết nối" with its last word garbled ("Đang kết #c~"): both were
    stored as unknown. Garble that keeps no wording's first words stays unknown."""
    from dean06.normalize.rows import connection_value

    read = ["Đ ã th ực h iệ n", "Đang kết #c~", "Đ ang kết n ối", "Ì | w ý FZŸ MT (IỊ V"]
    assert [connection_value(text) for text in read] == [True, False, False, None]


def test_agency_cells_ocr_misread_take_their_table_s_spelling() -> None:
    """Agency cells of seeds 2503 and 2505's hard scans as OCR read them, beside a table
    that reads "UBND cấp xã" or "Sở Tư pháp" row after row: a letter or digit run in, a
    letter lost or changed, each takes the table's spelling; another agency, and a
    reading too far from any, keep theirs."""
    from dean06.normalize.agencies import settle_read_agencies

    read = ["UBND cấp xã 3", "UBND cấ xà", "UBND cœ xã", "UB xã", "UBND cấp huyện",
            "Công an xã"]  # fmt: skip
    rows = [ServiceRow(name_in_doc="-", agency=t, table_index=0) for t in read]
    rows += [ServiceRow(name_in_doc="-", agency="UBND cấp xã", table_index=0)] * 4
    rows += [ServiceRow(name_in_doc="-", agency=t, table_index=1)
             for t in ["Sở Tư phắp", *["Sở Tư pháp"] * 3]]  # fmt: skip
    settle_read_agencies(rows)
    assert [row.agency for row in rows[:6]] == [*["UBND cấp xã"] * 3, "UB xã",
                                                "UBND cấp huyện", "Công an xã"]  # fmt: skip
    assert rows[10].agency == "Sở Tư pháp"


def test_a_letter_ocr_read_after_every_agency_cell_is_dropped() -> None:
    """Fresh seed 2703's hard scan read "Công an tỉnh i" in all eight of its cells (a
    speck after the name, read as a letter): no spelling is read more often, and no
    agency's name ends in a lone small letter. A capital (a numeral) stays."""
    from dean06.normalize.agencies import settle_read_agencies

    rows = [ServiceRow(name_in_doc="-", agency="Công an tỉnh i", table_index=0) for _ in range(8)]
    rows += [ServiceRow(name_in_doc="-", agency="Công an khu vực I", table_index=1)]
    settle_read_agencies(rows)
    assert {row.agency for row in rows[:8]} == {"Công an tỉnh"}
    assert rows[8].agency == "Công an khu vực I"


def test_an_agency_heading_whose_space_ocr_lost_still_heads_its_rows() -> None:
    """Fresh seed 2702's hard scan read its heading "SởY tế (bổ sung theo Công văn số
    1523/SYT-NVY)": the space lost, it was no heading, and nine rows under it kept the
    agency of the heading above ("Bảo hiểm xã hội tỉnh")."""
    from dean06.normalize.rows import _is_heading, agency_of_heading

    read = "SởY tế (bổ sung theo Công văn số 1523/SYT-NVY)"
    assert _is_heading("", read)
    assert agency_of_heading(read) == "Sở Y tế"
    assert not _is_heading("", "Liên thông nhóm thủ tục cấp chứng chỉ hành nghề")


def test_a_header_naming_two_on_time_columns_and_no_overdue_one_is_no_crash() -> None:
    """Fresh seed 2804's hard scan: OCR misread its header so that two columns read as
    on time and none as overdue; the report failed with "max() arg is an empty
    sequence". The row is read, on time from the last of the two."""
    from dean06.normalize.headers import Role
    from dean06.normalize.rows import LogicalTable, logical_to_rows

    roles = {Role.ITEM: [0], Role.SERVICE: [1], Role.TOTAL: [2], Role.DIRECT: [3],
             Role.ONLINE: [4], Role.ON_TIME: [5, 6]}  # fmt: skip
    table = LogicalTable(0, roles, "", None)
    table.rows.append((9, ["1", "Đăng ký thường trú", "48", "23", "25", "23", "25"]))
    services, _, _ = logical_to_rows(table)
    assert [(s.total, s.online, s.on_time) for s in services] == [(48, 25, 25)]


# fresh seed 2903's hard scan, page 2, as OCR read its QĐ 06 table: the ✓ of items 04 and
# 08 read "⁄", item 05's "Lá", item 06's a quote mark alone (cleaned to nothing)
TICKS_MISREAD = [
    ["TT", "Tên dịch vụ công", "Cơ quan chủ trì", "Tình trạng kết nối Cổng DVCQG",
     "Kết quả tiếp nhận", "", "", "Tình hình xử lý", "", "Ghi chú"],
    ["", "", "", "", "Tổng số hố sơ", "Hố sơ trực tuyến", "Tỷ lệ (%)", "Đúng hạn, trước hạn",
     "Trễ hạn", ""],
    ["04", "Giải quyết hưởng trợ cấp thất nghiệp", "UBND cấp xã", "⁄", "19", "10", "53", "10",
     "0", ""],
    ["05", "Đăng ký kết hôn", "UBND cấp xã", "Lá", "40", "2", "5", "1", "1", ""],
    ["06", "Thu tiền nộp phạt vi phạm hành chính lĩnh vực giao thông đường bộ qua thiết bị "
     "ghi hình (phạt nguội)", "UBND cấp xã", "", "34.272", "30.906", "90", "30.906", "0", ""],
    ["07", "Đăng ký biến động về quyến sử dụng đất", "UBND cấp xã", "Chưa", "", "", "", "", "",
     ""],
    ["08", "Thay đổi chủ thể hợp đồng mua bán điện", "UBND cấp xã", "⁄", "19.376", "18.069",
     "93", "18.067", "2", ""],
    ["09", "Tích hợp tính giảm trừ mức đóng trong gia hạn thẻ bảo hiểm y tế theo hộ gia đình",
     "UBND cấp xã", "Không tr p Ím ÖốỎỒẮ", "", "", "", "", "", ""],
    ["11", "Đăng ký dự thi tốt nghiệp THPT quốc gia, cụ thể:", "UBND cấp xã", "", "", "", "", "",
     "", ""],
    ["", "Trợ cấp mai táng phí", "UBND cấp xã", "", "", "", "", "", "", ""],  # 2902's, page 6
]  # fmt: skip


def test_ticks_ocr_lost_in_a_column_of_ticks_are_ticks() -> None:
    """Among ticks read "⁄", a tick read "Lá" or as a quote mark alone (ink read as
    nothing) is a tick too, with its reading in an ``ocr_corrected`` finding; "Chưa", a
    row whose service is not the unit's, and a parent row with no counts keep theirs
    (its cell's ink is a neighbour's: seed 2904's); a liên thông component with no counts
    has its tick (seed 2902's "Trợ cấp mai táng phí")."""
    from dean06.extract.ocr_marks import mend_marks

    texts = [list(row) for row in TICKS_MISREAD]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    inked = frozenset({(4, 3), (8, 3), (9, 3)})
    mends = mend_marks(texts, checker, inked)
    assert [(m.row, m.raw, m.value) for m in mends] == [(3, "Lá", "⁄"), (4, "", "⁄"), (9, "", "⁄")]
    assert "ink read as nothing" in mends[1].rule
    assert [row[3] for row in texts[2:]] == [
        "⁄", "⁄", "⁄", "Chưa", "⁄", "Không tr p Ím ÖốỎỒẮ", "", "⁄"]  # fmt: skip
    [logical] = tables_to_logical([Table(page=1, rows=texts)])
    services, _, _ = logical_to_rows(logical)
    assert [s.connected for s in services[:5]] == [True, True, True, False, True]
    worded = [[*row[:3], "Đã kết nối" if row[3] == "⁄" else row[3], *row[4:]] for row in texts]
    assert mend_marks(worded, checker, inked) == []  # a column of wordings: no ticks to mend


def test_a_header_term_whose_space_ocr_lost_keeps_its_role() -> None:
    """Seed 2903's hard scan read "Tình trạng kếtnối Cổng DVCQG" over page 4's table: the
    connection column went unnamed, so its ticks were read as nothing."""
    from dean06.normalize.headers import column_roles, mend_ocr_key

    assert mend_ocr_key("tinh trang ketnoi cong dvcqg") == "tinh trang ket noi cong dvcqg"
    header = [[*TICKS_MISREAD[0][:3], "Tình trạng kếtnối Cổng DVCQG", *TICKS_MISREAD[0][4:]],
              TICKS_MISREAD[1]]  # fmt: skip
    assert column_roles(header, 10)[Role.CONNECTED] == [3]


def test_a_count_read_with_a_speck_after_it_and_a_rate_without_its_comma() -> None:
    """Fresh seed 2901's hard scan read item 3's on time "6 £" and overdue "R Ki ụ", item
    4's on time "5.058 t", item 5's rate "914" (printed 91,4): the count before the speck
    is kept when the row holds with it (and then gives the overdue), and the comma goes
    where the row's rate = online / total puts it."""
    header = [["TT", "Tên dịch vụ công", "Tổng số hồ sơ", "Hồ sơ trực tuyến", "Tỷ lệ (%)",
               "Đúng hạn", "Quá hạn"]]  # fmt: skip
    texts = [
        *header,
        ["3", "Đăng ký thường trú", "10", "6", "60,0", "6 £", "R Ki ụ"],
        ["4", "Đăng ký tạm trú", "26.506", "5.058", "19,1", "5.058 t", ""],
        ["5", "Khai báo tạm vắng", "35", "32", "914", "32", "0"],
        ["6", "Thông báo lưu trú", "40", "2", "5", "1 s", "0"],  # 1 + 0 ≠ 2: kept as read
    ]
    confidence: list[list[float | None]] = [[90.0] * 7 for _ in texts]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    inked = frozenset({(2, 6)})  # item 4's overdue: ink read as nothing
    corrections = correct_rows(texts, confidence, checker, lambda cells: {}, inked)
    assert [row[4:] for row in texts[1:]] == [
        ["60,0", "6", "0"],
        ["19,1", "5.058", "0"],
        ["91,4", "32", "0"],
        ["5", "1 s", "0"],
    ]
    assert {(c.row, c.raw) for c in corrections} >= {(1, "6 £"), (2, "5.058 t"), (3, "914")}


@pytest.mark.ocr
def test_a_first_row_right_under_a_scanned_borderless_header_is_a_row(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 2701's page 6 prints item 23's name right under its borderless header,
    the header's "Chưa kết nối (x)" reaching down beside it: no blank band parted them,
    and the row was read as header (its counts lost, its name in the header's cell). The
    row starts at the top of the name stacked over its number's line."""
    result = process_file(family_hard_scans(2701, [6]), matcher)
    rows = [r for r in result.services if r.name_in_doc.startswith("Liên thông nhóm thủ tục xóa")]
    assert [(r.item_in_doc, r.total, r.direct, r.rate_pct, r.on_time) for r in rows] == [
        ("23", 34, 25, 26.47, 9)
    ]  # (the online count's header, "Hồ sơ trực tuyến", OCR garbled on this page alone)
    assert rows[0].name_in_doc.endswith("(do xóa nợ nghĩa vụ tài chính)")


def test_a_count_two_sums_give_is_kept_though_a_stamp_spoiled_the_rate() -> None:
    """Fresh seed 3002's hard scan, page 2: a signature's stroke over item 11 reads its
    online count "21 2" and its rate "1". Total − direct and on time + overdue both give
    21: the count is kept, though the rate under the same ink still breaks the row; with
    one sum alone to give it, the row stays as read."""
    row = ["11", "Đăng ký kết hôn", "UBND cấp xã", "", "X", "21", "0", "21 2", "1", "", "0",
           "21", "0"]  # fmt: skip
    texts = [list(r) for r in HEADER] + [list(row)]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    (given,) = correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({}))
    assert (given.column, given.raw, given.value) == (7, "21 2", "21")
    assert texts[3][8] == "1"  # a rate read as a number is never replaced by arithmetic
    texts = [list(r) for r in HEADER] + [[*row[:11], "", "0"]]  # on time unread as well
    assert correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({})) == []


def test_a_rate_column_whose_header_ocr_garbled_is_told_by_its_rates() -> None:
    """Fresh seed 3002's QĐ 422 header reads "Tỉ lệ (%)" as "Kd) t", under "Tổng số hồ
    sơ …": the column was taken for a second total and every rate of the table lost. The
    column right of the online counts whose cells read as rates with "%" is the rate's."""
    header = [
        ["TT", "Dịch vụ công trực tuyến", "Kết nối với cổng DVC quốc gia", "",
         "Tổng số hồ sơ (bao gồm trực tuyến và trực tiếp)", "", "", "",
         "Tình hình xử lý hồ sơ trực tuyến", "", "Khó khăn, vướng mắc"],
        ["", "", "Đã kết nối (x)", "Chưa kết nối (x)", "Tổng số hồ sơ", "Trực tiếp",
         "Trực tuyến", "Kd) t", "Giải quyết đúng hạn", "Quá hạn", ""],
    ]  # fmt: skip
    body = [
        ["2", "Công nhận bằng cử nhân", "X", "", "15", "11", "4", "26,67%", "3", "1", ""],
        ["4", "Đăng ký tham gia đóng bảo hiểm xã hội", "X", "", "35", "33", "2", "5.71%", "2",
         "0", ""],
        ["6", "Thăm viếng mộ liệt sĩ", "X", "", "31.138", "25.878", "5.260", "16,89%",
         "5.260", "0", ""],
    ]  # fmt: skip
    (table,) = tables_to_logical([Table(page=5, rows=header), Table(page=6, rows=body)])
    assert table.roles[Role.RATE] == [7] and table.roles[Role.TOTAL] == [4]
    services, _, _ = logical_to_rows(table)
    assert [s.rate_pct for s in services] == [26.67, 5.71, 16.89]
    # rates without "%" under a header that names none leave the column as it was
    bare = [[*row[:7], row[7].rstrip("%"), *row[8:]] for row in body]
    (table,) = tables_to_logical([Table(page=5, rows=header), Table(page=6, rows=bare)])
    assert Role.RATE not in table.roles


def test_a_numbering_cell_with_a_speck_after_it_stays_the_numbering() -> None:
    """Fresh seed 3001's page 9 reads its "TT" header cell "TT. %": the "%" made it the
    rate column, and the page's item numbers were stored as its rates."""
    from dean06.normalize.headers import classify

    assert classify(["TT. %"]) == Role.ITEM
    assert classify(["Tỷ lệ (%)"]) == Role.RATE and classify(["%"]) == Role.RATE


def test_signs_read_before_a_header_cells_words_leave_its_role() -> None:
    """Fresh seed 3100's hard scan reads the service column's header "s: _ Thủ tục hành
    chính": the "_" kept the specks from being dropped, the page's table named no
    services, and its fourteen rows were lost (43.43% of the report's cells)."""
    from dean06.normalize.headers import classify

    assert classify(["s: _ Thủ tục hành chính"]) == Role.SERVICE
    assert classify(["“s3: Tên dịch vụ công"]) == Role.SERVICE
    assert classify(["(1)"]) is None


@pytest.mark.ocr
def test_a_page_ocrmypdf_left_skewed_keeps_its_words_on_their_lines(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 3005's page 2 holds the QĐ 06 table's header and two rows at its foot,
    under blank paper: OCRmyPDF's deskew left it turned, and the reader turned the image
    but not its words; the table, borderless, was not found and items 1 and 2 were lost
    (item 3 took item 1's place)."""
    result = process_file(family_hard_scans(3005, [2, 3]), matcher)
    rows = {r.service_id: r for r in result.services}
    assert (rows["QD06-1"].total, rows["QD06-1"].online, rows["QD06-1"].rate_pct) == (777, 397, 51)
    assert (rows["QD06-2"].total, rows["QD06-2"].online) == (26642, 4003)
    assert (rows["QD06-3"].total, rows["QD06-3"].online) == (27088, 23535)


@pytest.mark.ocr
def test_headings_ocr_misread_stay_headings(family_hard_scans, matcher: Matcher) -> None:
    """Fresh seeds 3001 and 3002: the QĐ 422 table opens with the group row "I" / "NHÓM
    DỊCH VỤ CÔNG THIẾT YẾU", read "NHÓMÂ n Hi VỤ CÔNG THIẾT YÊU" (not all capitals) and
    "1" / "NHÓM D CH VỤ CÔNG" (the numeral read as a one): each was taken for a service
    row, and item 1's values were scored against it."""
    for seed, pages in ((3001, [5, 6]), (3002, [5, 6])):
        result = process_file(family_hard_scans(seed, pages), matcher)
        first = next(r for r in result.services if r.scheme == "QD422")
        assert first.service_id == "QD422-1", (seed, first.name_in_doc)
        assert any(h.name_in_doc.startswith("NHÓM") for h in result.headings), seed


@pytest.mark.ocr
def test_a_sparse_skewed_page_and_a_faded_last_page_are_read(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 3201's hard scan, never seen before, lost every row (0% of its cells):
    its borderless QĐ 06 header stands alone at the foot of page 2, turned 2.2°, and
    Tesseract's deskew found no skew on so sparse a page, so the header's stacked lines
    ran into one another and no table was found: the skew is now measured on the page's
    rows of ink where Tesseract finds none. Its last page (four rows under blank paper)
    had its lone counts dropped by Tesseract's layout analysis: the count columns are
    read for digits where their cells hold ink, and a name alone in its row ("Thủ tục
    làm con dấu mới và cấp Giấy chứng nhận …") is no header row."""
    result = process_file(family_hard_scans(3201, [2, 3, 4, 5]), matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind == "service"}
    assert _counts(rows["QD06-6"]) == (47, None, 26, 55.32, 25, 1)
    assert (rows["QD06-9"].item_in_doc, rows["QD06-9"].total) == ("23", 2133)
    assert (rows["QD06-9"].online, rows["QD06-9"].on_time, rows["QD06-9"].overdue) == (180, 179, 1)
    assert "QD06-13" in rows
    assert not [f for f in result.findings if f.code == "tables_not_read"]


@pytest.mark.ocr
def test_a_borderless_table_s_short_counts_on_a_noisy_scan_are_all_read(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 3909's hard scan, page 8: a borderless QĐ 06 table under its repeated
    header. Tesseract's automatic page layout took its columns of short counts ("921",
    "1.477", "3,2") for no text and dropped them with four of the header's nine cells:
    no table, 15 rows lost. Read as sparse text, every row is kept with its counts."""
    result = process_file(family_hard_scans(3909, [8]), matcher)
    rows = result.services  # with the liên thông's component rows and the sub-rows
    assert [r.service_id for r in rows[:6]] == ["QD06-2", "QD06-15", "QD06-15", "QD06-15",
                                                 "QD06-17", "QD06-9"]  # fmt: skip
    assert len(rows) == 15
    assert _counts(rows[0]) == (28383, None, 921, 3.2, 921, 0)
    assert (rows[4].total, rows[4].online, rows[4].on_time) == (39910, 32393, 32393)
    assert (rows[-1].total, rows[-1].online, rows[-1].rate_pct) == (18701, 11063, 59.2)


@pytest.mark.ocr
def test_a_hard_scan_s_garbled_online_header_loses_no_online_count(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 3400's hard scan, never seen before, lost all 25 online counts of its
    QĐ 06 table and all 31 agencies (88.94% of its cells): read whole, it keeps them."""
    result = process_file(family_hard_scans(3400, [2, 3]), matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind.value == "service"}
    assert (rows["QD06-3"].total, rows["QD06-3"].online, rows["QD06-3"].rate_pct) == (55, 47, 85.5)
    assert rows["QD06-8"].online == 19529
    assert sum(r.agency == "UBND cấp xã" for r in rows.values()) >= 10


@pytest.mark.ocr
def test_a_scanned_borderless_mark_column_few_rows_fill_keeps_its_place(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 2701's QĐ 422 pages 5 and 6, borderless: on page 5 one row alone sets its
    mark under "Chưa kết nối (x)" (item 21), and the uprights either side of that column
    were one, the mark read as connected; on page 6 no row does, and the header's white
    space alone parts the column from its neighbours."""
    result = process_file(family_hard_scans(2701, [5, 6]), matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind.value == "service"}
    assert rows["QD422-21"].connected is False and rows["QD422-21"].total == 37137
    assert rows["QD422-20"].connected is True
    assert (rows["QD422-23"].total, rows["QD422-23"].online, rows["QD422-23"].rate_pct) == (
        34, 9, 26.47)  # fmt: skip
    assert rows["QD422-24"].online == 0


@pytest.mark.ocr
def test_a_continued_borderless_page_opening_with_a_row_naming_header_words_goes_on(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 3602's QĐ 422 table, borderless, goes on to page 6 without a header;
    the page's first row ("Hoàn thành kết nối với cổng … Dịch vụ công quốc gia", item
    19) names four header words and was taken for the page's own header: its six rows
    were lost. A block of lines with an item number in the first column is a row. (Page
    3 holds the table's header; pages 4 and 5 are left out.)"""
    result = process_file(family_hard_scans(3602, [3, 6]), matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind.value == "service"}
    assert rows["QD422-19"].not_applicable
    assert _counts(rows["QD422-20"]) == (37, 4, 33, 89.19, 30, 3)
    assert _counts(rows["QD422-24"]) == (44, 6, 38, 86.36, 38, 0)


@pytest.mark.ocr
def test_a_letterhead_two_word_level_misread_still_names_the_town(
    family_hard_scans, matcher: Matcher
) -> None:
    """Fresh seed 3602's letterhead "CÔNG AN THỊ XÃ SƠN TÂY", scanned hard, reads
    "CÔANN TGHỊ XÃ SƠN TÂY": the town was taken for a commune "xã Sơn Tây"."""
    meta = process_file(family_hard_scans(3602, [1]), matcher).meta
    assert (meta.locality_level, meta.locality_name) == ("thị xã", "Sơn Tây")


# fresh seed 3503's hard scan, page 2, as OCR read its QĐ 06 table: the "Đúng hạn" and
# "Quá hạn" under "Hồ sơ trực tuyến" lost (the columns 11 and 12)
RESULTS_PAIR_LOST = [
    ["St", "Tên dịch vụ công", "Cơ quan chủ trì", "Kết nối với cổng ĐVC quốc gia", "",
     "Tổng số hồ sơ (báo qốm trưc tuvến", "", "", "", "Kết quả giải quvết", "", "", "",
     "Khó khăn, vướng mắc"],
    ["", "", "", "", "", "Tổng số", "và trưctiến", "", "Tỷ lệ trực tuyến (%)", "", "", "",
     "", ""],
    ["", "", "", "", "", "", "", "", "", "Hồ sơ trưc tiến", "", "Hố sơ trực tuyến", "", ""],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối (@x)", "", "Trực tiếp",
     "Số hổ sơ trực tuyến", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "", "", ""],
    ["01", "Xác nhận số CMND khi đã được cấp thẻ CCCD", "UBND cấp xã", "X", "", "39.270",
     "35.425", "3.845", "9,79%", "35.425", "0", "3.842", "3", ""],
    ["03", "Đăng ký thường trú", "UBND cấp xã", "x", "", "39", "16", "23", "58,97%", "16",
     "0", "23", "0", ""],
    ["04", "Đăng ký tạm trú", "UBND cấp xã", "", "X", "0", "0", "0", "", "0", "0", "0", "0",
     ""],
    ["09", "Đăng ký khai sinh", "UBND cấp xã", "X", "", "33", "12", "21", "63.64%", "12", "0",
     "21", "0", ""],
    ["10", "Đăng ký khai tử", "UBND cấp xã", "X", "", "8.542", "3.022", "5.520", "64,62%",
     "3.022", "0", "5.519", "1", ""],
]  # fmt: skip


def test_an_online_results_pair_the_header_lost_is_told_by_its_sum() -> None:
    """On time and overdue under "Hồ sơ trực tuyến", both lost by OCR: neither could be
    told alone (each is checked against the other) and the online results of eleven
    rows were lost. Two columns side by side whose counts add up to the online count in
    most rows are the pair."""
    [table] = tables_to_logical([Table(page=2, engine="ocr", rows=RESULTS_PAIR_LOST, caption="")])
    assert (table.roles[Role.ON_TIME], table.roles[Role.OVERDUE]) == ([11], [12])
    assert (table.roles[Role.ON_TIME_DIRECT], table.roles[Role.ONLINE]) == ([9], [7])


# fresh seed 3504's hard scan, page 3, as OCR read the first rows of its QĐ 06 table
BODY_3504 = [
    ["1", "Xác nhận số Chứng mính nhân dân khi đã được cấp thẻ Căn cước công dân",
     "Đã kết nối", "32.749", "25.120", "7.629", "23%", "7.629", "0", ""],
    ["y2", "Cấp lại, đổi thẻ căn cước công dân", "Đã kết nối", "35.253", "18.682", "16.571",
     "47%", "16.571", "0", ""],
    ["3", "Đăng ký thường trú", "Đã kết nối", "10", "10", "0", "0%", "0", "0", ""],
]  # fmt: skip


def test_an_item_number_with_a_speck_glued_to_it_keeps_its_row(matcher: Matcher) -> None:
    """Seed 3504's item 2 read "y2": the row was taken for a part of item 1, whose name
    was then matched through it (item 1 took QĐ 06's id 2, and item 2 none). Between
    items 1 and 3, the 2 in "y2" is the item."""
    from dean06.catalog.assign import assign_services

    (table,) = tables_to_logical([Table(page=3, rows=[HEADER_2202, *BODY_3504])])
    services, _, _ = logical_to_rows(table)
    assign_services(services, matcher)
    rows = [(r.item_in_doc, r.service_id, r.row_kind.value, r.total) for r in services]
    assert rows == [
        ("1", "QD06-1", "service", 32749),
        ("2", "QD06-2", "service", 35253),
        ("3", "QD06-3", "service", 10),
    ]


# fresh seed 3502's hard scan, page 4, as OCR read its QĐ 06 table: the header cell
# "Cơ quan chủ trì" read "Cơ T" / "cnu tri"
AGENCY_HEADER_LOST = [
    ["TT", "Thủ tục hành chính", "Cơ T", "Kết nối với cổng DVC quốc qia", "", "c-......",
     "Kết quả tiến nhân", "", "", "Tình hình xử lý", "", "", "", "Khó khăn vướng mắc."],
    ["", "", "", "", "", "", "Hồ sơ", "s.", "", "Hồ sơ trưc tiến", "", "Hồ sơ trực tuvến", "",
     ""],
    ["", "", "", "Sẽ TP)", "Chưa", "", "", "", "", "", "", "", "", ""],
    ["", "", "cnu tri", "nối (x)", "kết nối (x)", "ưang số", "tiep", "tuyến", "Tỷ lệ",
     "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn", "để. xuất"],
    ["13", "Thủ tục làm con dấu mới và cấp Giấy chứng nhận đã đăng kỷ mẫu dấu", "UBND cấp xã",
     "x", "", "6.944", "5.712", "1,232.", "18", "5.712", "0", "1.229", "3", ""],
    ["14", "Thủ tục làm con dấu thu nhỏ, dấu nổi, dấu xi và cấp Giấy chứng nhận đã đăng ký "
     "mẫu con dấu", "UBND cấp xã", "X-", "", "18.429", "15.816.", "2.613", "14", "15.816",
     "0", "2.613", "0", ""],
    ["17", "Tích hợp tính giảm trừ mức đóng trong gia hạn thẻ bảo hiểm y tế theo hộ giađìnhh",
     "UBND cấp xã", "X", "", "46", "9", "37", "80", "9", "0", "37", "0", ""],
    ["18", "Đăng ký thuế lần đầu, đăng ký thay đổi thông tin đăng ký thuế đối với người nộp "
     "thuế là hộ gia đình; cá nhân", "UBND cấp xã", "x", "", "", "", "", "", "", "", "", "",
     ""],
]  # fmt: skip


def test_an_agency_column_whose_header_ocr_garbled_is_told_by_its_names() -> None:
    """A column of no role between the service and the counts whose cells name agencies
    ("UBND cấp xã") is the agency column: its header "Cơ quan chủ trì" read "Cơ T" /
    "cnu tri" gave it none, and ten rows lost their agency."""
    [table] = tables_to_logical([Table(page=4, engine="ocr", rows=AGENCY_HEADER_LOST)])
    assert table.roles[Role.AGENCY] == [2]
    services, _, _ = logical_to_rows(table)
    assert [r.agency for r in services] == ["UBND cấp xã"] * 4


@pytest.mark.ocr
def test_a_row_whose_number_ocr_lost_under_a_repeated_header_is_no_header(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 3702's clean scan repeats its borderless QĐ 422 header on page 7, over
    item 7, whose long name ("Mở rộng việc kết nối, chia sẻ dữ liệu … dịch vụ …") holds
    header words and whose "7." OCR lost: the row was taken for the header's last band,
    the header's blank strips were measured under it, the two connection columns ran
    into one, and items 8–12 lost their marks."""
    from .family import draw_report, write_forms
    from .scan import make_scan

    [pdf] = write_forms(draw_report(3702), tmp_path / "family_3702", ("pdf",))
    scan = make_scan(pdf, tmp_path / "family_3702.scan.pdf", seed=3702)
    page = tmp_path / "family_3702_7.pdf"
    with pikepdf.open(scan) as whole, pikepdf.new() as one:
        one.pages.append(whole.pages[6])
        one.save(page)
    rows = {r.service_id: r for r in process_file(page, matcher).services}
    assert rows["QD422-7"].not_applicable and rows["QD422-7"].agency == "Sở Tư pháp"
    assert [rows[f"QD422-{n}"].connected for n in (8, 9, 10, 11, 12)] == [True] * 5
    assert (rows["QD422-9"].total, rows["QD422-9"].online) == (4614, 91)


# fresh seed 3700's hard scan, page 5, as OCR read the head of its QĐ 422 table
HEAD_3700 = [
    ["STT", "Tên thủ tục hành chính", "Tình trạng kết nối Cổng DVCQG", "Số hồ sơ tiếp nhận",
     "", "", "Kết quả giải quyết", "", "Khó khăn, vướng mắc"],
    ["", "", "", "Tổng số hồ sơ", "Hồ sơ trực tuyến", "Tỷ lệ (%)", "Đúng hạn", "Trễ hạn", ""],
    ["lÍ", "NHÓM DỊCH VỤ CÔNG THIẾT YẾU", "", "", "", "", "", "", ""],
    ["I", "Đăng ký đóng, cấp thẻ bảo hiểm y tế đối với người chỉ tham gia bảo hiểm y tế",
     "⁄“", "26", "21", "80,77%", "21", "0", ""],
    ["2", "Hoàn thành kết nối với cổng thông tin một cửa quốc gia tạo thuận lợi trong tiếp "
     "cận, thực hiện các thủ tục liên quan đến xuất nhập khẩu hàng hóa trên cổng Dịch vụ "
     "công quốc gia", "⁄", "36", "32", "88,89%", "32", "0", ""],
]  # fmt: skip


def test_a_first_item_read_as_a_roman_one_is_item_one(matcher: Matcher) -> None:
    """Seed 3700's hard scan read item 1 of its QĐ 422 table as "I", and the group row
    above it, "I" / "NHÓM DỊCH VỤ CÔNG THIẾT YẾU", as "lÍ": the service row lost its
    item (its "I" joined its name) and the group row was stored as an unmatched service.
    Right above item 2, on a row with counts, "I" is the 1; "lÍ" over a name in capitals
    is the group's numeral."""
    from dean06.catalog.assign import assign_services

    (table,) = tables_to_logical([Table(page=5, rows=HEAD_3700)])
    services, _, headings = logical_to_rows(table)
    assign_services(services, matcher)
    assert [(r.item_in_doc, r.service_id, r.total) for r in services] == [
        ("1", "QD422-5", 26),
        ("2", "QD422-19", 36),
    ]
    assert services[0].name_in_doc.startswith("Đăng ký đóng")
    assert [(h.item_in_doc, h.name_in_doc) for h in headings] == [
        ("lÍ", "NHÓM DỊCH VỤ CÔNG THIẾT YẾU")
    ]


def test_a_row_whose_name_a_stamp_hid_is_the_one_service_its_table_lacks(
    matcher: Matcher,
) -> None:
    """Fresh seed 3701's hard scan lost the whole name of its QĐ 06 item 25 under a stamp
    ("25" | "" | … | 4 | 7 | 4 | 0): unmatched, its counts went nowhere. A table holding
    every other QĐ 06 service once names it by elimination, with a warning; not when two
    services are missing, nor when what is left of its name reads as another service.
    Report 000 as read from its text holds all 25 QĐ 06 services."""
    from dean06.catalog.assign import assign_services

    def table_with(lost: dict[str, str]) -> tuple[list[ServiceRow], list]:
        rows = [r.model_copy() for r in process_file(CORPUS / "000_ad209dad08bfea4e.txt",
                                                     matcher).services if r.scheme == "QD06"]  # fmt: skip
        for row in rows:
            row.service_id = None
            if row.row_kind == "service" and row.name_in_doc in lost:
                row.name_in_doc = lost[row.name_in_doc]
        return rows, assign_services(rows, matcher)

    rows, findings = table_with({})
    last = next(r for r in reversed(rows) if r.row_kind == "service")
    assert len({r.service_id for r in rows}) == 25 and last.service_id == "QD06-25"
    for remains in ("", "Thay đổi chủ"):  # what is left of it reads best as QD06-25
        rows, findings = table_with({last.name_in_doc: remains})
        assert next(r for r in rows if r.item_in_doc == "25").service_id == "QD06-25"
        assert [f.code for f in findings if f.severity == "warning"] == ["service_by_elimination"]
    first = next(r for r in rows if r.row_kind == "service")
    rows, findings = table_with({last.name_in_doc: "", first.name_in_doc: ""})
    assert "service_by_elimination" not in {f.code for f in findings}
    rows, findings = table_with({last.name_in_doc: "khai sinh"})  # reads best as QD06-9
    assert "service_by_elimination" not in {f.code for f in findings}
    assert next(r for r in rows if r.item_in_doc == "25").service_id is None


@pytest.mark.ocr
def test_a_row_rule_under_a_coloured_stamp_is_drawn_through_it(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 3700's hard scan (in colour) sets its red stamp over the rule between the
    group row "II | Sở Tư pháp" and item 13 of its QĐ 422 table: the stamp's ink, painted
    white, took the rule's line with it, and the two rows' rate and result cells read as
    one, held by the group row. It was no longer a heading, and the 18 rows under it lost
    their agency. A rule's pieces on both sides of a coloured stamp are one rule."""
    result = process_file(family_hard_scans(3700, [5, 6]), matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind == "service"}
    item_13 = rows["QD422-23"]
    assert (item_13.total, item_13.online, item_13.rate_pct) == (17, 10, 58.82)
    assert (item_13.on_time, item_13.overdue, item_13.agency) == (10, 0, "Sở Tư pháp")
    assert rows["QD422-16"].agency == "Sở Tư pháp"
    assert result.headings[-1].name_in_doc == "Sở Tư pháp"


@pytest.mark.ocr
def test_a_group_row_a_signature_crosses_stays_a_heading(
    family_hard_scans, matcher: Matcher
) -> None:
    """Seed 1900's hard scan crosses the group row "Sở Y tế (bổ sung theo Công văn …)"
    with a signature stroke under its red stamp. With the rules drawn through the stamp
    (the test above), the row's cells are read apart from the rows' below, and the
    stroke read as a count "4", and as specks beside the marks of rows 21 and 24: the
    group row was taken for a service, and "x" beside specks in the "Chưa kết nối"
    column for no mark. A lone digit on an OCR'd row with nothing else is a stroke; a
    tick beside specks is the tick."""
    result = process_file(family_hard_scans(1900, [1, 2]), matcher)
    assert "Sở Y tế" in [h.name_in_doc[:7] for h in result.headings]
    (stroke,) = [f for f in result.findings if f.code == "count_in_group_row"]
    assert stroke.message.startswith("the group row 'Sở Y tế") and stroke.page == 2
    rows = {r.service_id: r for r in result.services if r.row_kind == "service"}
    assert [rows[f"QD06-{n}"].agency for n in (22, 23, 24)] == ["Sở Y tế"] * 3
    assert (rows["QD06-21"].connected, rows["QD06-24"].connected) == (True, True)


# fresh seed 3802's clean scan as OCR read it: the end of its QĐ 06 table on page 6, the
# caption of its QĐ 422 table at that page's foot, and the QĐ 422 table from page 7
HEADER_3802 = [
    ["STT", "Tên dịch vụ công", "Đơn vị thực hiện", "Kết nối với cổng DVC quốc gia", "",
     "Kết quả tiếp nhận", "", "", "", "Tình hình xử lý", "", "", "", "Ghi chú"],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối Œœ)", "Tổng số", "Hồ sơ trực tiếp",
     "Số hồ Sơ trực tuyến", "Tỉ lệ", "Hồ sơ trực tiếp", "", "Hồ sơ trực tuyến", "", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn", ""],
]  # fmt: skip
QD06_END_3802 = [
    ["24", "Cấp điện mới từ lưới điện hạ áp (220/380V)", "UBND cấp xã", "X", "", "56", "45",
     "11", "20", "45", "0", "11", "0", ""],
    ["25", "Thay đổi chủ thể hợp đồng mua bán điện", "UBND cấp xã", "X", "", "0", "0", "0",
     "", "0", "0", "0", "0", ""],
]  # fmt: skip
QD422_START_3802 = [
    ["l|", "NHÓM DỊCH VỤ CÔNG THIẾT YEU", *[""] * 12],
    ["1%", "Xác nhận thông tin về cư trú", "Sở Tư pháp", "", "X", "33", "7", "26", "79%", "7",
     "0", "26", "0", ""],
    ["2.", "Công nhận bằng cử nhân, bằng thạc sĩ, bằng tiến sĩ", "Sở Tư pháp", *[""] * 11],
    ["3.", "Công nhận bằng tốt nghiệp trung học cơ sở", "Sở Tư pháp", "X", "", "16.786",
     "13.557", "3.229", "19%", "13.557", "0", "3.229", "0", ""],
]  # fmt: skip


def test_a_list_started_again_whose_one_ocr_misread_is_a_new_table() -> None:
    """Seed 3802's clean scan ends its QĐ 06 table at item 25, sets the QĐ 422 caption at
    the page's foot, and starts the QĐ 422 table on the next page under the same header,
    its group numeral read "l|" and its "1." read "1%": the page was taken for the QĐ 06
    table going on, and two of its rows matched QĐ 06 services (two wrong ids). Under a
    header of its own, a numbering that runs 2, 3 after 25 starts again; one that goes on
    (26, 27 or a sub-item) does not."""
    pages = [Table(page=5, rows=[*HEADER_3802, *QD06_END_3802]),
             Table(page=7, rows=[*HEADER_3802, *QD422_START_3802])]  # fmt: skip
    assert len(tables_to_logical(pages)) == 2
    going_on = [["26", *row[1:]] if row[0] == "2." else ["27", *row[1:]] if row[0] == "3."
                else row for row in QD422_START_3802]  # fmt: skip
    pages[1] = Table(page=7, rows=[*HEADER_3802, *going_on])
    assert len(tables_to_logical(pages)) == 1


# fresh seed 3900's hard scan as OCR read it: the QĐ 06 table's page 2 (a stamp's strokes
# drawn as two more column rules) and page 3 (its header repeated, nine columns); the QĐ
# 422 table's group row "Sở Tư pháp" under a stamp's specks ("V .4§N!", "14 2")
QD06_PAGE_2_3900 = [
    ["TT", "Tên thủ tục hành chính", "", "", "Kết nối với Cổng ĐVC quốc gia (đã kết nối, "
     "chưa kết nối)", "Tổng số hố sơ (bao gốm trực tuyến và trực tiếp)", "", "",
     "Tình hình xử lý hổ sơ trực tuyến", "", "Ghi chú"],
    ["", "", "", "", "", "Tổng hồ sơ", "Số hố sơ trực tuyến", "Tỷ lệ", "Đúng hạn", "Trễ hạn", ""],
    ["12", "Cấp, cấp lại, sửa đổi, bổ sung hộ chiếu phổ thông", "", "", "Đã thực hiện", "6",
     "3", "50,0", "3", "0", ""],
    ["", "Sở Tư pháp", "E'", "Ì", "", "", "", "", "", "", ""],
    ["13", "Thủ tục làm con dấu mới và cấp Giấy chứng nhận đã đăng ký mẫu dấu", "", "",
     "Đã thực hiện", "25.830", "24.095", "93,3", "24.093", "2", ""],
    ["14", "Thủ tục làm con dấu thu nhỏ, dấu nổi, dấu xi và cấp Giấy chứng nhận đã đăng ký "
     "mẫu con dấu", "", "", "Đã thực hiện", "21.726", "2.479", "11,4", "2.479", "0", ""],
]  # fmt: skip
QD06_PAGE_3_3900 = [
    ["vn", "Tên thủ tục hành chính", "Kết nối với Cổng DVC (đã kết nối, chưa kết nối)",
     "Tổng số hổ sơ (bao gồm trực tuyến và trực tiếp)", "", "", "Tình hình xử lý", "", ""],
    ["", "", "", "Tổng hồ sơ", "Số hố sơ trực tuyến", "Tỷ lệ", "Đúng hạn", "Trễ hạn", ""],
    ["15", "Thủ tục liên thông: Đăng ký khai sinh", "Chưa kết nối", "18.574", "13.038", "70,2",
     "13.038", "0", ""],
    ["16", "Thủ tục liên thông: Đăng ký khai tử", "Đã thực hiện", "0", "0", "", "0", "0", ""],
]  # fmt: skip
QD422_3900 = [
    ["TT", "Thủ tục hành chính", "Kết nối Cổng dịch vụ công quốc gia", "",
     "Tổng số hố sơ (bao gốm trực tuyến và trực tiếp)", "", "", "Tỉnh hình xử lý hố sơ", ""],
    ["", "", "Đã kết nối (x)", "Chưa kết nối (x)", "Số hồ sơ tiếp nhận", "Trực tuyến",
     "Tỷ lệ (%)", "Đúng hạn", "Quá hạn."],
    ["12.", "Liên thông nhóm thủ tục cấp Giấy xác nhận tình trạng hôn nhân và Đăng ký kết hôn",
     "X", "", "29", "20", "69%", "20", "0"],
    ["", "Sở Tư pháp", "", "V .4§N!", "14 2", "", "", "", ""],
    ["13.", "Nhóm dịch vụ thanh toán trực tuyến", "", "", "", "", "", "", ""],
    ["13.1", "Thanh toán nghĩa vụ tài chính trong thực hiện thủ tục hành chính về đất đai đối "
     "với hộ gia đình, cá nhân", "X", "", "23", "11", "48%", "10", "1"],
]  # fmt: skip


def _scanned(page: int, rows: list[list[str]], caption: str = "") -> Table:
    confidence: list[list[float | None]] = [[90.0] * len(row) for row in rows]
    return Table(page=page, rows=rows, caption=caption, engine="ocr", confidence=confidence)


def test_a_group_rows_agency_goes_on_over_a_page_whose_columns_a_stamp_changed(
    matcher: Matcher,
) -> None:
    """Fresh seed 3900's hard scan: a stamp's strokes over page 2 of its QĐ 06 table were
    drawn as two more column rules, so page 3 (the header repeated, two columns fewer)
    could not be joined to it, and the eleven rows under the group row "Sở Tư pháp" on
    page 3 lost their agency. A table whose numbering goes on from the table before, on
    a later page, goes on under that table's last group heading."""
    caption = "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI 25 DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH 06/QĐ-TTg"
    tables = [_scanned(2, QD06_PAGE_2_3900, caption), _scanned(3, QD06_PAGE_3_3900)]
    document = Document(path="3900.pdf", kind="pdf", page_count=3, items=tables, ocr_pages=[2, 3])
    result = ReportResult(report_id="3900", source_path="3900.pdf", file_name="3900.pdf")
    rows = document_to_result(document, result, matcher).services
    assert [(r.item_in_doc, r.agency) for r in rows if r.row_kind == "service"] == [
        ("12", None), ("13", "Sở Tư pháp"), ("14", "Sở Tư pháp"),
        ("15", "Sở Tư pháp"), ("16", "Sở Tư pháp"),
    ]  # fmt: skip
    renumbered = [["1" if row[0] == "15" else row[0], *row[1:]] for row in QD06_PAGE_3_3900]
    document.items[1] = _scanned(3, renumbered)  # a list started again: another table's
    result = ReportResult(report_id="3900", source_path="3900.pdf", file_name="3900.pdf")
    rows = document_to_result(document, result, matcher).services
    assert [r.agency for r in rows if r.page == 3] == [None, None]


def test_an_agencys_group_row_under_a_stamps_specks_stays_a_heading() -> None:
    """Fresh seed 3900's hard scan sets a stamp over the QĐ 422 group row "Sở Tư pháp":
    its specks read "V .4§N!" in a marks column and "14 2" as a count, and the row was
    taken for a service (a liên thông component of item 12, connected), its 18 rows
    under it with no agency. An OCR'd row with no item whose name is an agency's, with
    no rate and one count at most, is a heading; with its counts, a row."""
    (table,) = tables_to_logical([_scanned(5, QD422_3900)])
    rows, _, headings = logical_to_rows(table)
    assert [h.name_in_doc for h in headings] == ["Sở Tư pháp"]
    assert [(r.item_in_doc, r.agency) for r in rows] == [
        ("12", None), ("13", "Sở Tư pháp"), ("13.1", "Sở Tư pháp")
    ]  # fmt: skip
    counted = [["", "Sở Tư pháp", "X", "", "14", "2", "14%", "2", "0"] if r[1] == "Sở Tư pháp"
               else r for r in QD422_3900]  # fmt: skip
    (table,) = tables_to_logical([_scanned(5, counted)])
    assert not logical_to_rows(table)[2]


def test_an_unread_rate_takes_what_the_rows_counts_give_as_the_column_prints_rates() -> None:
    """Fresh seed 3901's hard scan lost the rates of items 23 and 24 ("5%", "21%") in
    faint toner: the cells held ink and read as nothing; seed 3900's stamp read one as
    "ï TH ⁄". Where the column prints other rates, an unread rate is the one the row's
    online and total counts give, printed as the column prints them (no decimal, "%");
    a blank cell with no ink stays blank, and so does a table of too few rates, and the
    rate of a row whose counts were read again (fresh seed 3900's item 20 had its online
    count taken from a garbled reading, then a rate from it)."""
    rows = [
        ["1", "Đăng ký thường trú", "Công an", "x", "", "200", "50", "150", "75%", "50", "0",
         "150", "0"],
        ["2", "Đăng ký tạm trú", "Công an", "x", "", "40", "30", "10", "25%", "30", "0", "10",
         "0"],
        ["3", "Khai báo tạm vắng", "Công an", "x", "", "10", "1", "9", "90%", "1", "0", "9",
         "0"],
        ["23", "Giải quyết hưởng trợ cấp thất nghiệp", "UBND", "x", "", "27.572", "26.274",
         "1.298", "", "26.274", "0", "1.297", "1"],
        ["24", "Cấp điện mới", "UBND", "x", "", "58", "46", "12", "ï TH ⁄", "46", "0", "12",
         "0"],
    ]  # fmt: skip
    texts = [list(r) for r in HEADER] + [list(r) for r in rows]
    checker = RowChecker.for_table(texts)
    assert checker is not None
    confidence = [[None] * 13 for _ in texts]
    given = correct_rows(texts, confidence, checker, _rereads({}), frozenset({(6, 8)}))
    assert [(g.row, g.raw, g.value) for g in given] == [(6, "", "5%"), (7, "ï TH ⁄", "21%")]
    assert "online 1298 of 27572 give 5%" in given[0].rule
    texts = [list(r) for r in HEADER] + [list(r) for r in rows]
    given = correct_rows(texts, confidence, checker, _rereads({}))  # no ink in item 23's
    assert [g.row for g in given] == [7] and texts[6][8] == ""
    few = [list(r) for r in HEADER] + [list(r) for r in rows[2:]]
    assert correct_rows(few, confidence, RowChecker.for_table(few), _rereads({})) == []
    # a row whose online count was itself given by its others: no rate on top of it
    read_again = ["25", "Cấp điện", "UBND", "x", "", "100", "40", "", "ï", "40", "0", "60", "0"]
    texts = [list(r) for r in HEADER] + [list(r) for r in rows] + [read_again]
    given = correct_rows(texts, [[None] * 13 for _ in texts], checker, _rereads({}),
                         frozenset({(8, 7)}))  # fmt: skip
    assert [(g.row, g.column, g.value) for g in given] == [(8, 7, "60"), (7, 8, "21%")]


def test_a_heading_whose_words_ocr_cut_across_two_cells_still_heads_its_rows() -> None:
    """Fresh seed 3911's hard scan read its group heading "Bảo hiểm xã hội tỉnh" as
    "Bảo hiểm xã hộ" | "¡ tỉnh", cut across the name and agency cells: no agency's name,
    it was kept as a service row of no counts, and the rows under it kept the agency of
    the heading above. Its cells joined read as the known agency but for a letter."""
    from dean06.normalize.headers import Role
    from dean06.normalize.rows import LogicalTable, logical_to_rows

    roles = {Role.ITEM: [0], Role.SERVICE: [1], Role.AGENCY: [2], Role.TOTAL: [3],
             Role.ONLINE: [4]}  # fmt: skip
    table = LogicalTable(0, roles, "", None)
    table.rows += [
        (4, ["", "Sở Tư pháp", "", "", ""]),
        (4, ["16.", "Đăng ký chỉ dẫn địa lý", "", "51", "44"]),
        (4, ["", "Bảo hiểm xã hộ", "¡ tỉnh", "", ""]),
        (4, ["17.", "Đăng ký thiết kế bố trí mạch tích hợp bán dẫn", "", "3.102", "2.984"]),
        (4, ["", "Thanh toán viện phí", "", "", ""]),
    ]
    services, _, headings = logical_to_rows(table)
    assert [h.agency for h in headings] == ["Sở Tư pháp", "Bảo hiểm xã hội tỉnh"]
    assert [(s.item_in_doc, s.agency) for s in services] == [
        ("16", "Sở Tư pháp"), ("17", "Bảo hiểm xã hội tỉnh"), (None, "Bảo hiểm xã hội tỉnh")
    ]  # fmt: skip
