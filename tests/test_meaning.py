"""What the numbers mean: the locality from the header block, the data period and its
kind, rows in their real shapes, and one report in several formats counted once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dean06.catalog import Matcher
from dean06.cli import app
from dean06.normalize.letterhead import read_header_block
from dean06.normalize.locality import mend_misread_level
from dean06.normalize.metadata import lines_to_meta
from dean06.normalize.periods import PeriodKind, choose_period, data_range, find_period
from dean06.pipeline import process_file
from dean06.schemas import RowKind

from .conftest import CORPUS
from .family import draw_report, write_forms

runner = CliRunner()

# A district task force's letterhead as converters break it: the issuer over three lines,
# the motto beside it, the place-and-date line broken before the year; the narrative
# names another district first.
CHU_PAH = [
    "UBND HUYỆN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CHƯ PĂH",
    "Độc lập - Tự do - Hạnh phúc",
    "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06",
    "Số: 45/BC-TCT",
    "Chư Păh, ngày 18 tháng 3",
    "năm 2024",
    "BÁO CÁO",
    "Kết quả triển khai Đề án 06 trên địa bàn huyện",
    "tháng 3 năm 2024",
    "Phối hợp với Công an huyện Ia Grai, trên địa bàn huyện Ia Grai và huyện Chư Păh đã",
    "triển khai các nhiệm vụ như sau:",
]


def test_header_block_is_read_as_printed_across_line_breaks() -> None:
    block = read_header_block(CHU_PAH)
    assert block.issuer == ["UBND HUYỆN", "CHƯ PĂH", "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"]
    assert (block.number, block.place, block.date) == ("45/BC-TCT", "Chư Păh", dt.date(2024, 3, 18))
    assert block.title == "BÁO CÁO Kết quả triển khai Đề án 06 trên địa bàn huyện tháng 3 năm 2024"


def test_a_motto_misread_by_ocr_beside_the_issuer_is_still_set_aside() -> None:
    # OCR reads the two columns of the letterhead as one line and "Tự do" as "Tự đo"
    lines = ["CÔNG AN THÀNH PHỐ THANH HÓA. CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "CÔNG AN PHƯỜNG ĐÔNG THỊNH Độc lập - Tự đo - Hạnh phúc",
             "Số: /BC-UBND", "Đông Thịnh, ngày tháng 1 năm 2025", "BÁO CÁO",
             "Kết quả thực hiện Đề án 06 năm 2024"]  # fmt: skip
    block = read_header_block(lines)
    assert block.issuer == ["CÔNG AN THÀNH PHỐ THANH HÓA.", "CÔNG AN PHƯỜNG ĐÔNG THỊNH"]
    meta = lines_to_meta(lines).meta
    assert (meta.locality_level, meta.locality_name) == ("phường", "Đông Thịnh")


def test_a_speck_before_the_title_does_not_hide_its_period() -> None:
    """Seed 1105's hard scan as OCR read its first lines: a speck before "BÁO CÁO" hid the
    title, and the period came from the date line (March, a month) where the title says
    the first quarter."""
    lines = ["UBND XÃ KIM BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Số: /BC-UBND", "Kim Bình, ngày tháng 3 năm 2024",
             "l BÁO CÁO", "Kết quả thực hiện Đề án 06 quý I năm 2024",
             "Ủy ban nhân dân xã Kim Bình báo cáo kết quả thực hiện Để án 06 như sau:"]  # fmt: skip
    meta = lines_to_meta(lines).meta
    assert (meta.period_label, meta.period_kind) == ("quý I năm 2024", "quarter")
    assert (meta.period_start, meta.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


_CAM_PHA_HARD_SCAN = [
    "CÔNG AN TỈNH QUẢNG NINH", "CÔNG AN THÀNH PHỐ CẨM PHẢ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 45/BC-UBND",
    "Cẩm Phả, ngày tháng 9 năm 2023", "BẢO CÁO",
    "Tình hình, kết quả triển khai Đề án 06 trên địa bàn thành phố Cẩm Phả 8 tháng đầu năm 2023",
    "Ủy ban nhân dân thành phố Cẩm Phả báo cáo kết quả thực hiện Đề án 06 như sau:",
]  # fmt: skip


def test_a_title_whose_tone_mark_ocr_misread_still_gives_its_period() -> None:
    """Fresh seed 2700's hard scan as OCR read its first lines: "BẢO CÁO" for "BÁO CÁO" hid
    the title, and the period came from the date line (September, a month) where the title
    says the first eight months."""
    meta = lines_to_meta(_CAM_PHA_HARD_SCAN).meta
    assert meta.title is not None and meta.title.endswith("8 tháng đầu năm 2023")
    assert (meta.period_kind, meta.period_start, meta.period_end) == (
        "cumulative", dt.date(2023, 1, 1), dt.date(2023, 8, 31))  # fmt: skip


def test_a_title_word_ocr_lost_leaves_the_title_after_the_date() -> None:
    """The same lines with the title word lost entirely: the lines after the place-and-date
    line are the title, up to the body."""
    lines = [line for line in _CAM_PHA_HARD_SCAN if line != "BẢO CÁO"]
    meta = lines_to_meta(lines).meta
    assert meta.title is not None and meta.title.startswith("Tình hình, kết quả")
    assert "như sau" not in meta.title
    assert (meta.period_kind, meta.period_end) == ("cumulative", dt.date(2023, 8, 31))


def test_a_quarters_numeral_ocr_read_as_letters_still_gives_its_period() -> None:
    """Fresh seed 2905's hard scan read its title's "quý III năm 2023" as "quý HI năm
    2023": the period fell back to the year. The numeral's strokes read as "H", "l" or "|"
    are its "I"s, in the label too; strokes that make no numeral give no dates."""
    period = find_period("Kết quả thực hiện Đề án 06 trên địa bàn huyện\nquý HI năm 2023")
    assert period is not None
    assert (period.label, period.kind, period.start, period.end) == (
        "quý III năm 2023", "quarter", dt.date(2023, 7, 1), dt.date(2023, 9, 30))  # fmt: skip
    period = find_period("quý Il năm 2024")
    assert period is not None and (period.label, period.start) == (
        "quý II năm 2024",
        dt.date(2024, 4, 1),
    )
    period = find_period("quý HH năm 2022")
    assert period is not None and (period.start, period.end) == (None, None)


def test_a_letterhead_name_ocr_misread_is_spelt_as_its_place_line() -> None:
    """Fresh seed 2703's hard scan, after the 2025 reorganisation, as OCR read its first
    lines: "UBNP XÃ CHƯ PÄH" (an "Ä" no Vietnamese word has) resolved to no unit, and the
    locality was NULL. The place line spells the same letters "Chư Păh": that spelling
    is tried when the printed one resolves to nothing."""
    lines = ["UBNP XÃ CHƯ PÄH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Số: 45/BC-UBND", "Chư Păh, ngày 18 tháng 11 năm 2025", "BÁO CÁO",
             "Kết quả thực hiện Để án 06 trđêịa bànn xã", "tính đến ngày 15/11/2025",
             "Ủy ban nhân dân xã Chư Păh báo cáo kết quả thực hiện Đề án 06 như sau:"]  # fmt: skip
    found = lines_to_meta(lines)
    assert (found.meta.locality_level, found.meta.locality_name) == ("xã", "Chư Păh")
    assert found.units.new_province == "Gia Lai" and not found.findings
    unknown = [line.replace("CHƯ PÄH", "CHƯ PÄY").replace("Chư Păh", "Chư Păy") for line in lines]
    assert lines_to_meta(unknown).meta.locality_name is None  # no unit of that name


def test_locality_comes_from_the_issuer_never_from_the_narrative() -> None:
    found = lines_to_meta(CHU_PAH)
    meta = found.meta
    assert (meta.locality_level, meta.locality_name, meta.province) == (
        "huyện",
        "Chư Păh",
        "Gia Lai",
    )
    assert found.units.locality_code is not None and not found.findings
    assert (meta.period_kind, meta.period_start, meta.period_end) == (
        "month", dt.date(2024, 3, 1), dt.date(2024, 3, 31))  # fmt: skip


def test_a_letterhead_level_one_letter_off_is_read_as_the_level() -> None:
    """OCR's "UBND TNH" / "UBND HUYỆM" after the issuer's "UBND": the level; text printed
    right, and a word not after "UBND", are left as they are."""
    assert mend_misread_level("UBND TNH HÒA BÌNH") == "UBND TỈNH HÒA BÌNH"
    assert mend_misread_level("UBND HUYỆM CHƯ PĂH") == "UBND HUYỆN CHƯ PĂH"
    assert mend_misread_level("UBND THỊ XÃ SƠN TÂY") == "UBND THỊ XÃ SƠN TÂY"
    assert mend_misread_level("CÔNG AN TNH") == "CÔNG AN TNH"


def test_the_first_word_of_a_two_word_level_misread_is_read_as_the_level() -> None:
    """A letterhead's "THỊ XÃ" / "THỊ TRẤN" whose "THỊ" OCR read one letter off or without
    its mark ("CÔNG AN TGHỊ XÃ SƠN TÂY" was taken for a commune "xã Sơn Tây"); "CỘNG HÒA
    XÃ HỘI" and a commune's "CÔNG AN XÃ" are left as they are."""
    assert mend_misread_level("CÔANN TGHỊ XÃ SƠN TÂY") == "CÔANN THỊ XÃ SƠN TÂY"
    assert mend_misread_level("UBND THI TRẤN KIÊN LƯƠNG") == "UBND THỊ TRẤN KIÊN LƯƠNG"
    assert mend_misread_level("CỘNG HÒA XÃ HỘI CHỦ NGHĨA") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"
    assert mend_misread_level("CÔNG AN XÃ ĐÔNG HÀ") == "CÔNG AN XÃ ĐÔNG HÀ"


def test_a_letterhead_name_misread_by_a_letter_takes_the_place_line_s_spelling() -> None:
    """Fresh seed 3405's hard scan read its letterhead "UBND HUYỆN" / "EA KAR" as "FA
    KAR", run into the next line's "TỔ CÔNG TÁC …": no unit of that name, and the
    locality was NULL. The place line spells it one letter off; a name further off
    stays unresolved."""
    lines = ["UBND HUYỆN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "FA KAR Độc lập - Tự do - Hạnh phúc", "TỔ CÔNG TÁC TRIỂN KHAI ĐỂ ÁN 06",
             "Số: 112/BC-TCT", "Ea Kar, ngày 7 tháng 10 năm 2023", "BÁO CÁO",
             "Kết quả thực hiện Đề án 06 9 tháng đầu năm 2023"]  # fmt: skip
    meta = lines_to_meta(lines).meta
    assert (meta.locality_level, meta.locality_name, meta.province) == (
        "huyện", "Ea Kar", "Đắk Lắk")  # fmt: skip
    far = [line.replace("FA KAR", "FO KIR") for line in lines]
    assert lines_to_meta(far).meta.locality_name is None


def test_a_quarter_s_numeral_ocr_read_a_stroke_short_is_mended_by_the_date() -> None:
    """Fresh seed 3404's hard scan read its title's "quý III năm 2025" as "quý II", in a
    report dated "ngày tháng 10 năm 2025" (the day left blank; the place "Hà Giang 1"
    ends in a number): a scan's quarter a quarter and more before its date is the next,
    with an ``ocr_corrected`` finding. Text as printed, and a date the quarter read fits,
    keep it."""
    lines = ["UBND T NH TUYÊN QUANG", "UBND PHƯỜNG HÀ GIANG 1", "Số: 45/BC-UBND",
             "Hà Giang 1, ngày tháng 10 năm 2025", "BÁO CÁO",
             "Kết quả thực hiện Đề án 06 trên địa bàn phường", "quý II năm 2025"]  # fmt: skip
    scanned = lines_to_meta(lines, read_by_ocr=True)
    meta = scanned.meta
    assert (meta.period_label, meta.period_start, meta.period_end) == (
        "quý III năm 2025", dt.date(2025, 7, 1), dt.date(2025, 9, 30))  # fmt: skip
    assert meta.place == "Hà Giang 1"
    assert [f.code for f in scanned.findings] == ["ocr_corrected"]
    assert lines_to_meta(lines).meta.period_label == "quý II năm 2025"
    in_july = [line.replace("tháng 10", "tháng 7") for line in lines]
    assert lines_to_meta(in_july, read_by_ocr=True).meta.period_label == "quý II năm 2025"


def test_after_2025_a_commune_resolves_in_the_new_gazetteer() -> None:
    lines = ["UBND TỈNH TUYÊN QUANG", "UBND XÃ MINH NGỌC", "Số: 12/BC-UBND",
             "Minh Ngọc, ngày 05 tháng 11 năm 2025", "BÁO CÁO", "Kết quả thực hiện Đề án 06",
             "tháng 10 năm 2025"]  # fmt: skip
    found = lines_to_meta(lines)
    assert (found.meta.locality_level, found.meta.locality_name) == ("xã", "Minh Ngọc")
    assert found.units.new_province == "Tuyên Quang" and found.units.new_locality_code


def test_an_unknown_unit_leaves_the_locality_null_with_a_warning() -> None:
    lines = ["UBND XÃ KHÔNG CÓ THẬT", "Số: 3/BC-UBND", "ngày 02 tháng 4 năm 2024", "BÁO CÁO",
             "Kết quả thực hiện Đề án 06 tháng 3 năm 2024",
             "Trên địa bàn huyện Chư Păh đã triển khai như sau:"]  # fmt: skip
    found = lines_to_meta(lines)
    assert found.meta.locality_name is None and found.meta.province is None
    (warning,) = found.findings
    assert (warning.severity, warning.code) == ("warning", "locality_unresolved")
    assert "Không Có Thật" in warning.message


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("tháng 3 năm 2024", "month", "2024-03-01", "2024-03-31"),
        ("quý II năm 2023", "quarter", "2023-04-01", "2023-06-30"),
        ("6 tháng đầu năm 2024", "half_year", "2024-01-01", "2024-06-30"),
        ("9 tháng đầu năm 2025", "nine_months", "2025-01-01", "2025-09-30"),
        ("năm 2022", "year", "2022-01-01", "2022-12-31"),
        ("8 tháng đầu năm 2024", "cumulative", "2024-01-01", "2024-08-31"),
        ("lũy kế từ đầu năm đến hết tháng 5 năm 2024", "cumulative", "2024-01-01", "2024-05-31"),
        ("số liệu tính đến ngày 14/3/2024", "cumulative", None, "2024-03-14"),
    ],
)
def test_period_kinds(text: str, kind: str, start: str | None, end: str) -> None:
    period = find_period(text)
    assert period is not None and period.kind == PeriodKind(kind)
    assert (period.start, period.end) == (
        dt.date.fromisoformat(start) if start else None, dt.date.fromisoformat(end))  # fmt: skip


def test_the_tables_data_range_is_the_period_when_it_fits_the_title() -> None:
    nominal = find_period("tháng 3 năm 2024")
    printed = data_range(["Biểu 01", "(Từ ngày 15/02/2024 đến 14/3/2024)"])
    period, set_aside = choose_period(nominal, printed)
    assert period is not None and not set_aside
    assert (period.start, period.end, period.kind) == (
        dt.date(2024, 2, 15), dt.date(2024, 3, 14), PeriodKind.MONTH)  # fmt: skip
    # a range that is not this month's (last year's figures quoted) is set aside
    other = data_range(["(Số liệu từ ngày 01/01/2023 đến ngày 31/12/2023)"])
    period, set_aside = choose_period(nominal, other)
    assert set_aside and period == nominal


def test_corpus_header_blocks_and_periods() -> None:
    matcher = Matcher()
    result = process_file(CORPUS / "003_bb8745acf477937f.txt", matcher)
    meta = result.meta
    assert (meta.place, meta.report_number, meta.locality_name) == (
        "Krông Nô",
        "/BC-TCT",
        "Krông Nô",
    )
    assert meta.title == "BÁO CÁO Tình hình, kết quả thực hiện Đề án 06 trong 8 tháng đầu năm 2024"
    assert (meta.period_label, meta.period_kind) == ("8 tháng đầu năm 2024", "cumulative")
    # its tables print another window: kept as a finding, the title's period stored
    assert "period_range_differs" in {f.code for f in result.findings}


# ---- rows in their real shapes -------------------------------------------------------

REPORT = """UBND XÃ KIM BÌNH
Kim Bình, ngày 05 tháng 4 năm 2024
BÁO CÁO
Kết quả thực hiện Đề án 06 tháng 3 năm 2024
PHỤ LỤC I: KẾT QUẢ 25 DỊCH VỤ CÔNG THIẾT YẾU
STT\tTên dịch vụ công\tKết nối Cổng DVCQG\tTổng số hồ sơ\tTrực tuyến\tTỷ lệ
I\tCông an tỉnh\t\t\t\t
1\tXác nhận số CMND khi đã được cấp thẻ CCCD\tChờ hướng dẫn\t120\t60\t50%
2\tĐăng ký thường trú, cụ thể:\t\t\t\t
\t- Đối với công dân trong tỉnh\tx\t40\t30\t75%
\t- Đối với công dân ngoài tỉnh\tx\t10\t5\t50%
II\tSở Tư pháp (bổ sung theo Công văn số 12/STP ngày 01/02/2024)\t\t\t\t
9\tĐăng ký khai sinh\tđã kết nối\t30\t30\t100%
Tổng cộng\t\t\t200\t125\t
"""


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "kim_binh.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_parent_and_sub_rows_are_all_kept_and_agencies_come_from_group_rows(shaped: Path) -> None:
    result = process_file(shaped, Matcher())
    rows = [(r.item_in_doc, r.row_kind, r.service_id, r.total, r.agency) for r in result.services]
    assert rows == [
        ("1", RowKind.SERVICE, "QD06-1", 120, "Công an tỉnh"),
        ("2", RowKind.SERVICE, "QD06-3", None, "Công an tỉnh"),
        (None, RowKind.SUBROW, "QD06-3", 40, "Công an tỉnh"),
        (None, RowKind.SUBROW, "QD06-3", 10, "Công an tỉnh"),
        ("9", RowKind.SERVICE, "QD06-9", 30, "Sở Tư pháp"),
    ]
    assert [(h.item_in_doc, h.name_in_doc) for h in result.headings] == [
        ("I", "Công an tỉnh"),
        ("II", "Sở Tư pháp (bổ sung theo Công văn số 12/STP ngày 01/02/2024)"),
    ]
    # the printed total is the services' sum, the parent's counts taken from its sub-rows
    assert "total_row_mismatch" not in {f.code for f in result.findings}
    (unknown,) = [f for f in result.findings if f.code == "connection_unknown"]
    assert "Chờ hướng dẫn" in unknown.message
    assert result.services[-1].connected is True and result.services[2].connected is True


def test_summary_sums_each_service_once(shaped: Path, tmp_path: Path) -> None:
    db = tmp_path / "shapes.duckdb"
    assert runner.invoke(app, ["extract", str(shaped), "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["query", "SELECT printed_rows, service_rows, total, online "
                              "FROM v_report_summary", "--db", str(db), "--format", "nl"])  # fmt: skip
    assert json.loads(out.output) == {
        "printed_rows": 8,
        "service_rows": 3,
        "total": 200,
        "online": 125,
    }
    out = runner.invoke(app, ["query", "SELECT service_id, total, counts_from FROM v_service_rates "
                              "ORDER BY service_id", "--db", str(db), "--format", "json"])  # fmt: skip
    assert json.loads(out.output)[1] == {
        "service_id": "QD06-3",
        "total": 50,
        "counts_from": "subrows",
    }


# ---- one report in several formats ---------------------------------------------------


def _extract(db: Path, *paths: Path, force: bool = False) -> None:
    args = ["extract", *map(str, paths), "--db", str(db), *(["--force"] if force else [])]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def _count(db: Path, sql: str) -> list[dict[str, object]]:
    out = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "json"])
    return json.loads(out.output)


def test_a_report_in_three_formats_counts_once(tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    forms = [CORPUS / f"003_bb8745acf477937f.{ext}" for ext in ("pdf", "docx", "txt")]
    _extract(db, *forms, CORPUS / "002_0e464231b5c84ab4.pdf")
    sql = ("SELECT count(*) AS reports, count(*) FILTER (duplicate_of IS NULL) AS distinct_reports, "
           "sum(total) FILTER (duplicate_of IS NULL) AS total FROM v_report_summary")  # fmt: skip
    expected = [{"reports": 4, "distinct_reports": 2, "total": 11_844 + 389_602}]
    assert _count(db, sql) == expected
    canonical = _count(db, "SELECT DISTINCT r.file_name FROM reports d JOIN reports r "
                           "ON d.duplicate_of = r.report_id")  # fmt: skip
    assert canonical == [{"file_name": "003_bb8745acf477937f.pdf"}]  # the text PDF stands
    # the views count it once, whatever form is queried, and a re-run changes nothing
    _extract(db, *forms, force=True)
    assert _count(db, sql) == expected
    rows = _count(db, "SELECT count(*) AS n FROM v_service_rates WHERE locality_name = 'Krông Nô'")
    assert rows == [{"n": 34}]


def test_latest_per_locality_is_deterministic_and_kind_aware(tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    _extract(db, CORPUS / "003_bb8745acf477937f.pdf")
    every = _count(db, "SELECT service_id, total, online FROM v_service_latest ORDER BY 1")
    for where in ("service_id = 'QD06-15'", "locality_name = 'Krông Nô'", "total > 0"):
        picked = _count(db, f"SELECT service_id, total, online FROM v_service_latest "
                            f"WHERE {where} ORDER BY 1")  # fmt: skip
        assert picked == [r for r in every if r in picked] and picked
    # the liên thông service's own row stands, never one of its component rows
    (lien_thong,) = [r for r in every if r["service_id"] == "QD06-15"]
    printed = _count(db, "SELECT total FROM v_rows WHERE service_id = 'QD06-15' "
                         "AND row_kind = 'service'")  # fmt: skip
    assert lien_thong["total"] == printed[0]["total"]


def test_family_report_in_two_formats_is_linked(tmp_path: Path) -> None:
    report = draw_report(11)
    paths = write_forms(report, tmp_path / "family_011", ("pdf", "docx"))
    other = write_forms(draw_report(12), tmp_path / "family_012", ("docx",))
    db = tmp_path / "family.duckdb"
    _extract(db, *paths, *other)
    rows = _count(db, "SELECT file_name, duplicate_of IS NOT NULL AS dup FROM reports ORDER BY 1")
    assert rows == [
        {"file_name": "family_011.docx", "dup": True},
        {"file_name": "family_011.pdf", "dup": False},
        {"file_name": "family_012.docx", "dup": False},
    ]


def test_a_misread_tone_mark_is_stored_under_the_official_name() -> None:
    """OCR of a scan reads "TIẾN" as "TIÊN": the unit still resolves (a two-word name may
    match without diacritics) and the gazetteer's spelling is what is stored."""
    lines = ["UBND HUYỆN ĐỊNH HÓA", "UBND XÃ PHÚ TIÊN", "Số: 7/BC-UBND",
             "Phú Tiên, ngày 03 tháng 10 năm 2023", "BÁO CÁO",
             "Kết quả thực hiện Đề án 06 tháng 9 năm 2023"]  # fmt: skip
    found = lines_to_meta(lines)
    assert (found.meta.locality_name, found.meta.province) == ("Phú Tiến", "Thái Nguyên")
    assert found.units.locality_code == "05593"
