"""Converter text as it really comes: ``pdftotext -layout`` and collapsed text of the corpus
PDFs and of generated reports, scored against their truth; and what the tool says when a
converter lost the tables.

The converter texts are made here from the PDFs by poppler's ``pdftotext`` (installed by
``make``), so they are what an analyst's converter gives, not hand-made fixtures.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.accuracy import total
from dean06.catalog import Matcher
from dean06.evaluate import Score, load_truth, score
from dean06.extract.layout_text import mark_sides
from dean06.pipeline import process_file
from dean06.schemas import ReportResult, ReportStatus, ServiceRow

from .conftest import CORPUS
from .converters import layout_to_collapsed, pdf_to_layout_text, write_converter_texts
from .family import draw_report, truth_of, write_forms

STEMS = ["000_ad209dad08bfea4e", "002_0e464231b5c84ab4", "003_bb8745acf477937f"]
FAMILY_SEEDS = range(1, 9)


def _score(path: Path, truth: Path, matcher: Matcher) -> Score:
    return score(process_file(path, matcher), load_truth(truth))


@pytest.fixture(scope="module")
def corpus_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Layout and collapsed text of each corpus text PDF."""
    folder = tmp_path_factory.mktemp("converted")
    out: dict[str, dict[str, Path]] = {}
    for stem in STEMS:
        layout, collapsed = write_converter_texts(CORPUS / f"{stem}.pdf", folder / stem)
        out[stem] = {"layout": layout, "collapsed": collapsed}
    return out


@pytest.mark.parametrize("stem", STEMS)
def test_layout_text_reads_like_the_pdf(
    stem: str, corpus_texts: dict[str, dict[str, Path]], matcher: Matcher
) -> None:
    """The PDF's rows, and no more: a narrow caption under the table ("Phụ lục III:",
    "(Kèm theo Báo cáo số …)") ends it, as 002's page 25 prints them."""
    result = _score(corpus_texts[stem]["layout"], CORPUS / f"{stem}.json", matcher)
    assert result.cell_accuracy >= 0.99, result.misses[:10]
    assert result.id_accuracy >= 0.99 and result.ids_wrong == 0, result.misses[:10]
    assert result.locality_ok and result.period_ok
    rows = {
        form: [(r.item_in_doc, r.service_id) for r in process_file(path, matcher).services]
        for form, path in (
            ("pdf", CORPUS / f"{stem}.pdf"),
            ("layout", corpus_texts[stem]["layout"]),
        )
    }
    assert rows["layout"] == rows["pdf"]


def test_collapsed_text_of_the_corpus(
    corpus_texts: dict[str, dict[str, Path]], matcher: Matcher
) -> None:
    """Every service found by name, no wrong id; cells held at what is measured (96.8%):
    a mark "x" under "Chưa kết nối" and zeros in not-applicable rows lose their column
    when the spacing is gone, so the issue's 99% is not reached on report 003 (91%)."""
    scores = [
        _score(corpus_texts[stem]["collapsed"], CORPUS / f"{stem}.json", matcher) for stem in STEMS
    ]
    overall = total(scores)
    assert overall.id_accuracy >= 0.99 and overall.ids_wrong == 0, overall.as_dict()
    assert overall.cell_accuracy >= 0.96, overall.as_dict()
    assert overall.locality_ok and overall.period_ok


def test_row_run_of_a_collapsed_line_keeps_each_cell() -> None:
    """The issue's example: name, wrapped connection and counts run together."""
    layout = (
        "STT   Tên dịch vụ công      Kết nối    Tổng số   Trực tuyến   Tỷ lệ    Đúng hạn   Quá hạn\n"
        "7.    Đăng ký, cấp biển số  Đã kết     1.204     1.187        98,59%   1.187\n"
        "      mô tô, xe gắn máy     nối\n"
    )
    collapsed = layout_to_collapsed(layout)
    assert "7. Đăng ký, cấp biển số Đã kết 1.204 1.187 98,59% 1.187" in collapsed


@pytest.fixture(scope="module")
def family_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    folder = tmp_path_factory.mktemp("family-text")
    forms: dict[str, list[Path]] = {"tab": [], "layout": [], "collapsed": []}
    for seed in FAMILY_SEEDS:
        report = draw_report(seed)
        stem = folder / f"family_{seed:03d}"
        stem.with_suffix(".json").write_text(json.dumps(truth_of(report), ensure_ascii=False))
        for path in write_forms(report, stem, ("tab", "layout", "collapsed")):
            form = "tab" if path.name.count(".") == 1 else path.name.split(".")[-2]
            forms[form].append(path)
    return forms


def _family_total(paths: list[Path], matcher: Matcher) -> Score:
    return total([_score(p, p.parent / f"{p.name.split('.')[0]}.json", matcher) for p in paths])


def test_family_tab_text_meets_floors(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    overall = _family_total(family_texts["tab"], matcher)
    assert overall.cell_accuracy >= 0.995 and overall.id_accuracy >= 0.99, overall.as_dict()
    assert overall.ids_wrong == 0 and overall.locality_ok and overall.period_ok


def test_family_layout_text_meets_the_issue_floors(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seeds 1–8 of the family (agency groups, sub-rows, connection wordings, tables
    cut by page breaks): 99.93% of cells and 100% of ids measured."""
    overall = _family_total(family_texts["layout"], matcher)
    assert overall.cell_accuracy >= 0.995 and overall.id_accuracy >= 0.99, overall.as_dict()
    assert overall.ids_wrong == 0 and overall.locality_ok and overall.period_ok


def test_family_collapsed_text_does_not_regress(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Held at what is measured (seeds 1–8: 98.74% of cells, 100% of ids), below the
    issue's floors: the target is the xfail test below. Collapsed text cannot tell a mark
    under "Chưa kết nối" from one under "Đã kết nối" (its spacing is gone): that is most
    of what it still misses, each such table with a warning."""
    overall = _family_total(family_texts["collapsed"], matcher)
    assert overall.cell_accuracy >= 0.987 and overall.id_accuracy >= 0.995, overall.as_dict()
    assert overall.ids_wrong == 0, overall.as_dict()
    assert overall.locality_ok and overall.period_ok, overall.as_dict()  # header blocks whole


@pytest.mark.xfail(strict=True, reason="issue 11 floors not met yet on collapsed text")
def test_family_collapsed_text_meets_the_issue_floors(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    overall = _family_total(family_texts["collapsed"], matcher)
    assert overall.cell_accuracy >= 0.995 and overall.id_accuracy >= 0.99, overall.as_dict()


def test_text_that_lost_its_tables_says_so(tmp_path: Path, matcher: Matcher) -> None:
    """``pdftotext`` without ``-layout`` prints a table column by column: nothing can be
    read as rows, and the report must say which pages announced the tables."""
    text = tmp_path / "003_raw.txt"
    subprocess.run(["pdftotext", str(CORPUS / "003_bb8745acf477937f.pdf"), str(text)], check=True)
    result = process_file(text, matcher)
    lost = [f for f in result.findings if f.code == "tables_not_read"]
    assert result.status is ReportStatus.PARTIAL and not result.services
    assert len(lost) == 1 and lost[0].severity == "warning"
    assert "pages: 3, 11, 13" in lost[0].message


def test_table_missing_a_numbered_row_says_so(tmp_path: Path, matcher: Matcher) -> None:
    """Row 4 of report 003's QĐ 06 table deleted from its layout text: the numbering
    1, 2, 3, 5 tells what was not read."""
    lines = pdf_to_layout_text(CORPUS / "003_bb8745acf477937f.pdf").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("4     Đăng ký thường trú"))
    text = tmp_path / "003_without_row_4.layout.txt"
    text.write_text("\n".join(lines[:row] + lines[row + 1 :]), "utf-8")
    result = process_file(text, matcher)
    lost = [f for f in result.findings if f.code == "rows_not_read"]
    assert result.status is ReportStatus.PARTIAL
    assert [f.message.split(":")[0] for f in lost] == ["table numbering skips item 4"]


def test_pdftotext_is_installed() -> None:
    assert shutil.which("pdftotext"), "make installs poppler-utils"


def test_page_numbers_and_running_headers_are_dropped() -> None:
    """003's layout text ends its appendix pages with their numbers; a running header
    repeated at the top of most pages goes too, a table header repeated on two does not."""
    from dean06.extract.page_furniture import strip_page_furniture

    text = pdf_to_layout_text(CORPUS / "003_bb8745acf477937f.pdf")
    pages = [page.split("\n") for page in text.split("\f")]
    header = "Báo cáo kết quả thực hiện Đề án 06 – huyện Cư Jút"
    pages = [[header, *page] if n else page for n, page in enumerate(pages)]
    cleaned = strip_page_furniture(pages)
    flat = [line.strip() for page in cleaned for line in page if line.strip()]
    assert header not in flat
    assert "13" not in flat and "14" not in flat
    assert sum(line.startswith("Stt") for line in flat) == 4  # table headers stay


def test_a_running_title_on_some_pages_only_is_dropped_and_table_rows_stay(tmp_path: Path) -> None:
    """The family's seed 4 prints its running title on four of nine layout pages (the
    others open with a row continued from the page before): still furniture."""
    from dean06.extract.page_furniture import strip_page_furniture

    report = draw_report(4)
    (layout,) = write_forms(report, tmp_path / "family_004", ("layout",))
    pages = [page.split("\n") for page in layout.read_text(encoding="utf-8").split("\f")]
    title = "Báo cáo kết quả thực hiện Đề án 06 – thành phố Cẩm Phả"
    tops = [next((ln.strip() for ln in page if ln.strip()), "") for page in pages]
    assert 3 <= tops.count(title) < 0.6 * len(pages)
    flat = [ln.strip() for page in strip_page_furniture(pages) for ln in page if ln.strip()]
    assert title not in flat
    assert any(ln.startswith("17 ") for ln in flat)  # the row under the title stays


_COLLAPSED_HEADER = ["TT", "Tên thủ tục hành chính", "Kết nối", "Tổng số", "Trực tuyến",
                     "Tỷ lệ", "Đúng hạn", "Quá hạn"]  # fmt: skip


def test_collapsed_tables_part_at_a_caption_that_names_a_count(
    tmp_path: Path, matcher: Matcher
) -> None:
    """A QĐ 422 table, then the 25 services' caption (it names "25" and "06") and their
    header, the first row's name wrapped above its number: two tables, numbered apart."""
    lines = ["PHỤ LỤC: KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 422/QĐ-TTg",
             *_COLLAPSED_HEADER,
             "1 Xác nhận thông tin về cư trú ✓ 120 60 50% 60 0",
             "2 Đăng ký chỉ dẫn địa lý ✓ 1.630 1.165 71,5% 1.163 2",
             "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI 25 DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 06/QĐ-TTg",
             *_COLLAPSED_HEADER,
             "Xác nhận số Chứng minh nhân dân",
             "1 khi đã được cấp thẻ Căn cước công ✓ 28 2 7% 2 0",
             "dân",
             "2 Cấp lại, đổi thẻ CCCD ✓ 12.266 10.234 83% 10.233 1"]  # fmt: skip
    text = tmp_path / "two_tables.txt"
    text.write_text("\n".join(lines), "utf-8")
    rows = process_file(text, matcher).services
    assert [(r.table_index, r.service_id, r.total) for r in rows] == [
        (0, "QD422-1", 120), (0, "QD422-16", 1630),
        (1, "QD06-1", 28), (1, "QD06-2", 12266),
    ]  # fmt: skip


def test_layout_text_whose_columns_drift_is_read_as_runs_of_rows(
    family_texts: dict[str, list[Path]],
    corpus_texts: dict[str, dict[str, Path]],
    matcher: Matcher,
) -> None:
    """Seed 6's converter sets each page's columns at other places: by positions its rows
    stop adding up, and the reading as runs of rows is kept, with a word; the corpus's
    layout texts, whose columns hold, keep the reading by positions."""
    layout = next(p for p in family_texts["layout"] if p.name.startswith("family_006"))
    result = process_file(layout, matcher)
    assert [f.code for f in result.findings].count("read_as_row_runs") == 1
    truth = json.loads(layout.with_name("family_006.json").read_text(encoding="utf-8"))
    assert score(result, truth).cell_accuracy >= 0.93
    for stem in STEMS:
        steady = process_file(corpus_texts[stem]["layout"], matcher)
        assert "read_as_row_runs" not in {f.code for f in steady.findings}, stem


def test_collapsed_totals_line_is_a_total_and_the_name_above_keeps_its_tail(
    tmp_path: Path, matcher: Matcher
) -> None:
    lines = ["PHỤ LỤC: KẾT QUẢ TRIỂN KHAI 25 DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 06/QĐ-TTg",
             *_COLLAPSED_HEADER,
             "1 Đăng ký thường trú ✓ 120 60 50% 60 0",
             "2 Đăng ký, cấp biển số mô tô, xe gắn ✓ 30 15 50% 15 0",
             "máy",
             "Tổng cộng 150 75"]  # fmt: skip
    text = tmp_path / "totals.txt"
    text.write_text("\n".join(lines), "utf-8")
    result = process_file(text, matcher)
    assert [(r.service_id, r.total) for r in result.services] == [("QD06-3", 120), ("QD06-7", 30)]
    assert result.services[1].name_in_doc.endswith("xe gắn máy")
    assert [(t.total, t.online) for t in result.totals] == [(150, 75)]


def _family_doc(family_texts: dict[str, list[Path]], form: str, seed: int) -> Path:
    return next(p for p in family_texts[form] if p.name.startswith(f"family_{seed:03d}."))


def _runs_result(path: Path, matcher: Matcher) -> ReportResult:
    """A converter text's result from its reading as runs of rows (layout text: whichever
    reading the pipeline would keep)."""
    from dean06.extract.text import TextReader
    from dean06.pipeline import document_to_result

    document = TextReader(matcher.name_score).read(path)
    if document.alternative_items is not None:
        document = document.model_copy(update={"items": document.alternative_items})
    blank = ReportResult(report_id="-", source_path=str(path), file_name=path.name)
    return document_to_result(document, blank, matcher)


def _services_by_name(path: Path, matcher: Matcher) -> dict[str, ServiceRow]:
    return {row.name_in_doc: row for row in _runs_result(path, matcher).services}


def test_layout_marks_keep_their_column_when_read_as_runs_of_rows(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seed 4 prints "x" under "Đã kết nối (x)" or "Chưa kết nối (x)": read as runs of
    rows, the spacing that told them apart is gone, so the column each mark stood in on
    its page is carried over from the layout (item 3 is not connected, item 4 is)."""
    path = _family_doc(family_texts, "layout", 4)
    result = _runs_result(path, matcher)
    rows = {row.name_in_doc: row for row in result.services}
    assert rows["Đăng ký thường trú"].connected is False
    assert rows["Đăng ký tạm trú"].connected is True
    truth = json.loads(path.with_name("family_004.json").read_text("utf-8"))
    assert not [miss for miss in score(result, truth).misses if "connected" in miss]


def test_collapsed_marks_whose_column_was_lost_are_a_warning(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """The same table collapsed: a lone "x" could stand under either column; read as
    connected, and the report says so for each such table (24 marks: item 22's "x" is
    alone too, "đẳng" over it being item 21's name, not a connection's "Đang")."""
    result = process_file(_family_doc(family_texts, "collapsed", 4), matcher)
    doubts = [f for f in result.findings if f.code == "connection_ambiguous"]
    assert [f.page for f in doubts] == [1, 4] and all(f.severity == "warning" for f in doubts)
    assert "24 marks" in doubts[0].message


def test_component_rows_printed_with_only_a_mark_are_rows(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seed 6's liên thông service 16 prints its components "Xóa đăng ký thường trú" and
    "Trợ cấp mai táng phí" with a mark and no counts: a row holds one connection, so a
    second mark opens a row of its own (they had run into the next service's name)."""
    for form in ("layout", "collapsed"):
        rows = _services_by_name(_family_doc(family_texts, form, 6), matcher)
        for name in ("Xóa đăng ký thường trú", "Trợ cấp mai táng phí"):
            assert rows[name].row_kind == "component" and rows[name].service_id == "QD06-16"
            assert rows[name].connected is True


def test_an_item_number_alone_with_a_leading_zero_opens_its_row(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seed 3 prints "03" alone on its line between the wrapped parent "Tích hợp … cụ
    thể:": the parent and both sub-rows are kept (the first sub-row was run into the
    parent's name, "3" being looked for)."""
    rows = _services_by_name(_family_doc(family_texts, "collapsed", 3), matcher)
    inside = rows["- Đối với công dân trong tỉnh"]
    assert (inside.row_kind, inside.service_id, inside.total) == ("subrow", "QD06-17", 17)
    assert rows["- Đối với công dân ngoài tỉnh"].total == 34183
    parent = next(r for n, r in rows.items() if n.endswith("cụ thể:"))
    assert parent.item_in_doc == "03" and parent.total is None


@pytest.mark.parametrize("seed", [7008, 7009])
def test_unseen_family_texts_are_read(seed: int, tmp_path: Path, matcher: Matcher) -> None:
    """Seed 7008: a table body without a single numbered row crashed the reading of the
    whole report (internal_error); seed 7009's collapsed header is broken a word a line
    ("Tỷ lệ" / "trực" / … / "tuyến") and its connection "Đang" / "kết nối": no row was
    read."""
    report = draw_report(seed)
    truth = truth_of(report)
    for path in write_forms(report, tmp_path / f"family_{seed}", ("layout", "collapsed")):
        result = process_file(path, matcher)
        assert result.status is ReportStatus.OK, (path.name, result.error)
        scored = score(result, truth)
        assert scored.cell_accuracy >= 0.96 and scored.id_accuracy >= 0.94, scored.misses[:10]


def test_layout_counts_are_placed_by_the_columns_they_stood_in(
    corpus_texts: dict[str, dict[str, Path]], matcher: Matcher
) -> None:
    """Report 003 read as runs of rows: "Không thuộc thẩm quyền" rows print a few zeros
    among blank cells, which no arithmetic places; the columns the page's counts stand
    in do (98.9% of cells; 92.7% by arithmetic alone)."""
    path = corpus_texts["003_bb8745acf477937f"]["layout"]
    result = _runs_result(path, matcher)
    scored = score(result, load_truth(CORPUS / "003_bb8745acf477937f.json"))
    assert scored.cell_accuracy >= 0.985 and scored.ids_wrong == 0, scored.misses[:10]
    rows = {row.service_id: row for row in result.services if row.row_kind == "service"}
    not_applicable = rows["QD06-22"]  # "Không thuộc thẩm quyền  0  0  0": the online pair's
    assert (not_applicable.total, not_applicable.on_time, not_applicable.overdue) == (None, 0, None)


def test_names_are_shared_out_within_the_table_catalogue(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """QĐ 422 item 12 ends "… và Đăng ký kết hôn", which alone is QĐ 06 item 11's name:
    within the QĐ 422 table (its caption says so) that line ends item 12 and does not
    open the next row."""
    for form in ("layout", "collapsed"):
        result = _runs_result(_family_doc(family_texts, form, 3), matcher)
        ids = {row.service_id: row for row in result.services}
        assert ids["QD422-12"].name_in_doc.endswith("Đăng ký kết hôn"), form
        assert "QD06-11" in ids and ids["QD06-11"].scheme == "QD06", form
        assert ids["QD422-13"].name_in_doc.startswith("Nhóm dịch vụ thanh toán"), form


def test_a_notes_wrapped_words_stay_out_of_names(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 7012's note "Người dân chưa quen thực hiện trên môi trường mạng" wraps a word a
    line right of the counts: read as runs of rows, those words went into names and the
    "chưa" into a connection (read as not connected); where they stood tells they are a
    note's."""
    report = draw_report(7012)
    (layout,) = write_forms(report, tmp_path / "family_7012", ("layout",))
    result = _runs_result(layout, matcher)
    names = [row.name_in_doc for row in result.services]
    assert not [name for name in names if re.search(r"Người|quen|môi", name)]
    misses = score(result, truth_of(report)).misses
    assert not [miss for miss in misses if miss.endswith("connected: False ≠ True")]


def test_a_connection_wrapped_round_the_row_line_is_the_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 7003 prints "Đã kết" over a row's line and "nối" under it, just after a row
    whose whole connection is "Chưa": the opening half went to the row above (whose
    "Chưa" looked unfinished) and was lost; every connection is now read."""
    report = draw_report(7003)
    for path in write_forms(report, tmp_path / "family_7003", ("layout", "collapsed")):
        result = process_file(path, matcher)
        rows = {row.name_in_doc: row for row in result.services}
        assert rows["Đăng ký khai sinh"].connected is False, path.name
        assert rows["Đăng ký khai tử"].connected is True, path.name
        assert rows["Đăng ký kết hôn"].connected is True, path.name
        misses = score(result, truth_of(report)).misses
        assert not [miss for miss in misses if "connected" in miss], (path.name, misses)


def test_marks_on_a_page_set_out_anew_keep_their_column(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 7005's QĐ 422 table goes on over pages whose columns the converter set a few
    characters off the first page's: a "✓" under "Chưa kết nối (x)" there was read
    under "Đã kết nối" (five rows); and a sub-row's "✓" that a word of the agency cell
    cut by the page break ran into ("pháp ✓") is still a mark."""
    report = draw_report(7005)
    (layout,) = write_forms(report, tmp_path / "family_7005", ("layout",))
    result = process_file(layout, matcher)
    scored = score(result, truth_of(report))
    assert not [miss for miss in scored.misses if "connected" in miss], scored.misses
    services = {row.service_id: row for row in result.services if row.row_kind == "service"}
    assert services["QD422-3"].connected is False and services["QD422-15"].connected is False
    inside = next(r for r in result.services if r.name_in_doc == "- Đối với công dân trong tỉnh")
    assert inside.connected is True
    assert not [f for f in result.findings if f.code == "connection_unknown"]


def test_the_first_row_of_a_layout_table_keeps_its_counts(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 7010's first row wraps its name and agency round the line of its counts: its
    two name lines were taken as two rows (the step between text lines was guessed from
    the font, not the page's line pitch), and the row lost every count."""
    report = draw_report(7010)
    (layout,) = write_forms(report, tmp_path / "family_7010", ("layout",))
    result = process_file(layout, matcher)
    first = next(row for row in result.services if row.service_id == "QD06-1")
    assert (first.total, first.online, first.on_time, first.overdue) == (6816, 1966, 1966, 0)
    assert first.connected is True
    assert score(result, truth_of(report)).cell_accuracy == 1.0


def test_component_rows_centred_in_a_wrapped_connection_are_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 7006 prints the components of liên thông service 15 with no count, each name
    alone on its line between "Đang kết" and "nối", one of them after a page break: both
    were run into the next names, and service 16 read as the parent's id."""
    names = ("Đăng ký thường trú", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi")
    for path, _, scored in _components_read(7006, names, "QD06-15", tmp_path, matcher):
        assert scored.ids_wrong == 0 and scored.id_accuracy == 1.0, (path.name, scored.misses)


def _components_read(
    seed: int, names: tuple[str, ...], parent: str, folder: Path, matcher: Matcher
) -> Iterator[tuple[Path, ReportResult, Score]]:
    """Each converter text of ``seed`` (layout, collapsed) whose rows ``names`` are read
    as not-connected components of ``parent``; its result and score, to check further."""
    report = draw_report(seed)
    for path in write_forms(report, folder / f"family_{seed}", ("layout", "collapsed")):
        result = process_file(path, matcher)
        rows = {row.name_in_doc: row for row in result.services}
        for name in names:
            assert rows[name].row_kind == "component", (path.name, name)
            assert (rows[name].service_id, rows[name].connected) == (parent, False)
        yield path, result, score(result, truth_of(report))


def test_a_name_ending_in_an_agency_word_keeps_it(tmp_path: Path, matcher: Matcher) -> None:
    """QĐ 422 item 14.1 is "Giải quyết hưởng BHXH một lần": its "BHXH …" was split off
    as the row's agency (an agency column collapsed into the name) and the row matched
    another service; the catalogue reads the whole name better, so it stays whole."""
    report = draw_report(7001)
    (layout,) = write_forms(report, tmp_path / "family_7001", ("layout",))
    result = process_file(layout, matcher)
    row = next(r for r in result.services if r.service_id == "QD422-14.1")
    assert row.name_in_doc == "Giải quyết hưởng BHXH một lần"
    assert score(result, truth_of(report)).ids_wrong == 0


def test_components_marked_chua_and_a_footnoted_running_header(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 107 prints liên thông components whose whole connection is "Chưa" (not yet):
    they ran into the next service's name. Its running header carries a footnote marker
    on one page ("Báo² cáo …"), which hid it among the rows as a service named "Báo cáo
    kết quả thực hiện Đề án"."""
    names = ("Xóa đăng ký thường trú", "Trợ cấp mai táng phí")
    for path, result, scored in _components_read(107, names, "QD06-16", tmp_path, matcher):
        assert not [r for r in result.services if "Báo cáo" in r.name_in_doc], path.name
        assert scored.ids_wrong == 0, path.name


def test_a_row_left_alone_on_a_page_is_never_lost_silently(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seed 1's last QĐ 06 row stands alone on page 3, which the converter set out
    narrower than the page before: its columns do not line up, and read by column
    positions the row fell into the prose. That reading now says so (``rows_not_read``,
    naming the line), which also tells the pipeline to keep the runs-of-rows reading,
    where the row is whole."""
    from dean06.extract.text import TextReader
    from dean06.pipeline import document_to_result

    path = _family_doc(family_texts, "layout", 1)
    document = TextReader(matcher.name_score).read(path)
    blank = ReportResult(report_id="-", source_path=str(path), file_name=path.name)
    by_positions = document_to_result(document, blank, matcher)
    lost = [f for f in by_positions.findings if f.code == "rows_not_read"]
    assert len(lost) == 1 and lost[0].page == 3 and "Đăng ký khai tử" in lost[0].message
    result = process_file(path, matcher)
    row = next(r for r in result.services if r.service_id == "QD06-10")
    assert (row.total, row.online, row.rate_pct, row.on_time) == (6108, 942, 15.0, 942)
    assert not [f for f in result.findings if f.code == "rows_not_read"]


def test_a_group_heading_wrapped_over_two_lines_is_one_heading(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 1013's layout text opens a page with a heading whose aside wraps ("Sở Y tế (bổ
    sung theo Công văn số" / "1523/SYT-NVY)") right above a five-line name: both lines
    went to that row, and each row's lines were shared out one row off, so row 23 read
    as QĐ 422 item 10. The heading is whole, its rows carry its agency."""
    report = draw_report(1013)
    [path] = write_forms(report, tmp_path / "family_1013", ("layout",))
    result = process_file(path, matcher)
    scored = score(result, truth_of(report))
    assert scored.ids_wrong == 0 and scored.ids_ok == scored.rows, scored.misses
    health = [r for r in result.services if r.scheme == "QD422" and r.agency == "Sở Y tế"]
    assert [r.service_id for r in health] == ["QD422-22", "QD422-23", "QD422-24"]


def test_a_mark_alone_on_its_line_is_a_mark_not_the_roman_ten(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 1302 prints liên thông components whose names wrap round their mark, so the
    converter gives the "X" a line of its own: it was read as item X (a group's roman
    ten), the component lost its row and its name's tail went to the next numbered row
    (row 16 read as Đăng ký khai tử, its components as services)."""
    report = draw_report(1302)
    for path in write_forms(report, tmp_path / "family_1302", ("layout", "collapsed")):
        result = process_file(path, matcher)
        scored = score(result, truth_of(report))
        assert scored.ids_wrong == 0, (path.name, scored.misses)
        components = [r for r in result.services
                      if r.row_kind == "component" and r.scheme == "QD06"]  # fmt: skip
        expected = [("QD06-15", "Đăng ký thường trú"),
                    ("QD06-15", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"),
                    ("QD06-16", "Xóa đăng ký thường trú"),
                    ("QD06-16", "Trợ cấp mai táng phí")]  # fmt: skip
        assert [(r.service_id, r.name_in_doc[: len(name)]) for r, (_, name) in
                zip(components, expected, strict=True)] == expected, path.name  # fmt: skip


def test_agency_group_rows_give_their_rows_the_agency(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 9100 heads groups of rows with an agency alone on its line ("Công an tỉnh",
    "Bảo hiểm xã hội tỉnh", "Sở Y tế (bổ sung theo …)") in a table with no agency
    column. Converter text ran each heading into the next name and no row had an
    agency; each heading is now a group row, its rows carry it, and the next name keeps
    its head ("Tích hợp tính giảm trừ …" had gone to the heading)."""
    report = draw_report(9100)
    for path in write_forms(report, tmp_path / "family_9100", ("layout", "collapsed")):
        result = process_file(path, matcher)
        scored = score(result, truth_of(report))
        assert scored.agencies == 45 and scored.agencies_ok == 45, (path.name, scored.misses)
        rows = {row.service_id: row for row in result.services if row.row_kind == "service"}
        assert rows["QD06-1"].agency == "Công an tỉnh"
        assert rows["QD06-17"].agency == "Bảo hiểm xã hội tỉnh"
        assert rows["QD06-17"].name_in_doc.startswith("Tích hợp tính giảm trừ")
        assert rows["QD06-22"].agency == "Sở Y tế"


def test_an_agency_column_whose_header_is_stacked_is_still_read(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 9114 heads its agency column a word a line among other headers, and leaves a
    group heading ("Công an tỉnh") alone under the header at the foot of a page: read as
    runs of rows, 19 rows of 57 had their agency. Half the rows wrapping an agency round
    their line tell the column; a heading under a header with no row yet goes on to the
    rows under the header printed again on the next page."""
    report = draw_report(9114)
    (layout,) = write_forms(report, tmp_path / "family_9114", ("layout",))
    result = process_file(layout, matcher)
    scored = score(result, truth_of(report))
    assert scored.agencies_ok >= 0.9 * scored.agencies, scored.misses
    rows = {row.service_id: row for row in result.services if row.scheme == "QD06"}
    assert rows["QD06-1"].agency == rows["QD06-8"].agency == "Công an tỉnh"


def test_wrapped_rates_and_connections_round_a_rows_line(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 6002 wraps a narrow rate cell round its row's line ("100,00" over it, "%"
    under it), and a connection the same way ("Chưa" / "kết nối"), the note's words
    set between: the rate was lost, and "Chưa" read as a component row of its own took
    the name's head and every count of item 21."""
    report = draw_report(6002)
    (layout,) = write_forms(report, tmp_path / "family_6002", ("layout",))
    result = process_file(layout, matcher)
    inside = next(r for r in result.services if r.name_in_doc == "- Đối với công dân trong tỉnh")
    assert (inside.service_id, inside.total, inside.online, inside.rate_pct) == (
        "QD06-3",
        9,
        9,
        100.0,
    )
    exam = next(r for r in result.services if r.service_id == "QD06-21")
    assert exam.name_in_doc.startswith("Đăng ký dự thi tốt nghiệp THPT")
    assert (exam.connected, exam.total, exam.online, exam.rate_pct) == (False, 2, 1, 50.0)


def test_a_capital_x_before_counts_is_a_mark(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 6006 marks a liên thông component "X" on the line of its counts: read as the
    roman numeral ten, the component became a numbered row, took the next service's
    first line ("Liên thông đăng ký khai tử – xóa") and that service matched QĐ 06 item 3."""
    report = draw_report(6006)
    (layout,) = write_forms(report, tmp_path / "family_6006", ("layout",))
    result = process_file(layout, matcher)
    death = next(r for r in result.services if r.item_in_doc == "16" and r.scheme == "QD06")
    assert death.service_id == "QD06-16"
    assert death.name_in_doc.startswith("Liên thông đăng ký khai tử – xóa")
    component = next(r for r in result.services if r.name_in_doc.startswith("Cấp thẻ bảo hiểm"))
    assert component.row_kind == "component" and component.item_in_doc is None
    assert score(result, truth_of(report)).ids_wrong == 0


def test_a_note_repeated_on_many_rows_stays_out_of_names(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 9004 prints the note "Người dân chưa quen thực hiện trên môi trường mạng"
    on many rows, wrapped a word or two a line; collapsed text gives no column to tell
    its pieces from a name's, and four liên thông rows took them into their names and
    matched the wrong service. Pieces that come back on three lines or more and read as
    no part of a service name are the note's."""
    report = draw_report(9004)
    (collapsed,) = write_forms(report, tmp_path / "family_9004", ("collapsed",))
    result = process_file(collapsed, matcher)
    assert not [
        r.name_in_doc for r in result.services if re.search(r"Người dân|quen", r.name_in_doc)
    ]
    scored = score(result, truth_of(report))
    assert scored.ids_wrong == 0 and scored.id_accuracy == 1.0, scored.misses


def test_a_connection_wording_among_words_cut_into_its_column(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 9500 wraps "Đã thực" / "hiện" round its rows' lines in a narrow column that
    the header's last word ("DVCQG") and a name's end ("CCCD") also run into, read by
    positions: "DVCQG Đã thực CCCD hiện" says "Đã thực hiện" among other cells' words."""
    report = draw_report(9500)
    (layout,) = write_forms(report, tmp_path / "family_9500", ("layout",))
    result = process_file(layout, matcher)
    first = next(r for r in result.services if r.service_id == "QD06-1")
    assert first.connected is True
    unknown = [f.message for f in result.findings if f.code == "connection_unknown"]
    assert not [m for m in unknown if m.startswith(("QD06-1:", "QD06-8:", "QD06-20:"))], unknown


@pytest.mark.parametrize("form", ["layout", "collapsed"])
def test_agency_group_rows_beside_an_agency_column_head_their_rows(
    form: str, family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seed 2's tables have an agency column and also agency group rows ("Công an tỉnh",
    "Sở Y tế (bổ sung …)"): each is a group row, not the agency of the row below; every
    printed row is kept. Layout text places them in the name column; collapsed text, with
    no positions, by the agency cells around them: the row below carries its own ("UBND"
    / "cấp xã" wrapped round its line), so the name alone is no cell of it."""
    path = _family_doc(family_texts, form, 2)
    result = process_file(path, matcher)
    groups = [row.name_in_doc for row in result.headings if row.table_index == 0]
    assert groups[:3] == ["Công an tỉnh", "Sở Tư pháp", "Bảo hiểm xã hội tỉnh"]
    assert groups[3].startswith("Sở Y tế (bổ sung theo Công văn")
    rows = {r.item_in_doc: r for r in result.services if r.table_index == 0}
    assert rows["01"].agency == rows["09"].agency == "UBND cấp xã"
    found = score(result, load_truth(path.with_name("family_002.json")))
    assert found.printed_found == found.printed_rows == 66


def test_a_numbered_group_heads_its_rows_and_a_name_tail_is_no_group(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seed 6's QĐ 422 table prints "II" / "Sở Tư pháp", a group whose agency the rows
    below take; "Tòa án" alone on a line ends the name "Thu, nộp tạm ứng án phí, lệ phí"
    above it (with it, the name reads as the catalogue's): it heads no group."""
    for form in ("layout", "collapsed"):
        result = process_file(_family_doc(family_texts, form, 6), matcher)
        groups = [row.name_in_doc for row in result.headings if row.table_index == 1]
        assert "Sở Tư pháp" in groups and "Tòa án" not in groups, form
        ids = {row.service_id: row for row in result.services}
        assert ids["QD422-13.3"].name_in_doc.endswith("lệ phí Tòa án"), form
        assert {ids[f"QD422-{n}"].agency for n in (15, 20, 24)} == {"Sở Tư pháp"}, form


def test_components_printed_with_only_their_names_are_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 6009's service 16 "Thủ tục liên thông: Đăng ký khai tử" prints its components
    "Xóa đăng ký thường trú" and "Trợ cấp mai táng phí" with an agency cell and no other:
    they ran into the next service's name, which was then matched to service 16."""
    report = draw_report(6009)
    for path in write_forms(report, tmp_path / "family_6009", ("layout", "collapsed")):
        result = process_file(path, matcher)
        rows = {row.name_in_doc: row for row in result.services}
        for name in ("Xóa đăng ký thường trú", "Trợ cấp mai táng phí"):
            assert (rows[name].row_kind, rows[name].service_id) == ("component", "QD06-16")
            assert rows[name].total is None, path.name
        assert rows["Thủ tục liên thông: Đăng ký khai tử"].service_id == "QD06-16"
        found = score(result, truth_of(report))
        assert found.ids_wrong == 0 and found.printed_found == found.printed_rows, path.name


def test_an_item_number_over_the_page_number_is_the_rows_not_furniture(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 807 cuts row 11 at a page's foot: its number alone on a line, right above the
    page's own number ("11" / "Trang 2"). A page has one number: the "11" is the row's
    (it was dropped as a page number, and the row with it)."""
    report = draw_report(807)
    for path in write_forms(report, tmp_path / "family_807", ("layout", "collapsed")):
        result = process_file(path, matcher)
        rows = {row.item_in_doc: row for row in result.services if row.table_index == 0}
        assert rows["11"].service_id == "QD06-25", path.name
        assert rows["11"].name_in_doc == "Thay đổi chủ thể hợp đồng mua bán điện", path.name
        assert not [f for f in result.findings if f.code == "rows_not_read"], path.name


def test_a_lien_thong_name_cut_short_is_told_by_its_components(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 811's collapsed text cuts "Thủ tục liên thông: Đăng ký khai" from its last
    word ("tử", under a wrapped "Đã thực hiện"): the name reads as well as khai sinh as
    khai tử. Its component rows ("Xóa đăng ký thường trú", "Trợ cấp mai táng phí") are
    the catalogue's components of khai tử, which it is (it was read as khai sinh)."""
    report = draw_report(811)
    (path,) = write_forms(report, tmp_path / "family_811", ("collapsed",))
    result = process_file(path, matcher)
    lien_thong = [row for row in result.services if row.item_in_doc == "21"]
    assert [row.service_id for row in lien_thong] == ["QD06-16"]
    components = [row for row in result.services if row.parent_item == "21"]
    assert [row.service_id for row in components] == ["QD06-16", "QD06-16"]
    assert score(result, truth_of(report)).ids_wrong == 0


def test_a_component_named_alone_over_the_next_rows_wrapped_connection_is_a_row(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 914 prints "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi", a component of row
    15 with no cell of its own, right above "Đang kết" / "16 …" / "nối": the opening
    belongs to row 16, not to the component, which is a row."""
    report = draw_report(914)
    for path in write_forms(report, tmp_path / "family_914", ("layout", "collapsed")):
        result = process_file(path, matcher)
        components = [r.name_in_doc for r in result.services if r.parent_item == "15"]
        assert components == ["Đăng ký thường trú", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"]
        assert score(result, truth_of(report)).id_accuracy == 1.0, path.name


def test_wrapped_halves_of_a_rows_cells_open_no_row_of_their_own(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 910's first row, under a group heading, wraps its name, its connection and
    its rate round the line of its number and counts ("… Chưa 100,00" / "1 0 5 5 5 0" /
    "cấp thẻ CCCD kết nối %"). Words beside a lone count are halves of the row's cells,
    not a row: the PDF's words and the layout text's columns give one row (they gave
    three: a name, counts with no name, a name's tail read as another service)."""
    report = draw_report(910)
    for path in write_forms(report, tmp_path / "family_910", ("pdf", "layout")):
        result = process_file(path, matcher)
        first = next(row for row in result.services if row.table_index == 0)
        assert (first.item_in_doc, first.service_id) == ("1", "QD06-1"), path.name
        assert (first.total, first.online, first.on_time, first.overdue) == (5, 5, 5, 0)
        assert first.rate_pct == 100.0 and first.connected is False, path.name
        found = score(result, truth_of(report))
        assert found.printed_found == found.printed_rows, path.name


def test_family_text_keeps_every_printed_row(
    family_texts: dict[str, list[Path]], matcher: Matcher
) -> None:
    """Seeds 1–8 in layout and collapsed text: every printed row of the DVC tables
    (services, sub-rows, components, groups, totals) is read, none twice (seed 6 lost a
    component whose "Chưa" the repeated header above it took for a header word)."""
    for path in [*family_texts["layout"], *family_texts["collapsed"]]:
        scored = _score(path, path.parent / f"{path.name.split('.')[0]}.json", matcher)
        assert scored.printed_found == scored.printed_rows, path.name


@pytest.fixture(scope="module")
def unseen_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], Path]:
    """Tab, layout and collapsed text of family seeds first scored after the rules below."""
    folder = tmp_path_factory.mktemp("unseen-text")
    out: dict[tuple[int, str], Path] = {}
    seeds = (801, 902, 904, 908, 909, 914, 1007, 1015, 1300, 1304, 1305, 1310, 1312, 1504, 1506)
    for seed in (*seeds, 1512, 1600, 1601, 1604, 1608):
        for path in write_forms(draw_report(seed), folder / f"family_{seed}", _TEXT_FORMS):
            out[seed, "tab" if path.name.count(".") == 1 else path.name.split(".")[-2]] = path
    return out


_TEXT_FORMS = ("tab", "layout", "collapsed")


def test_a_total_wrapped_inside_its_last_group_is_read_whole(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seed 1300's totals are too wide for their cells: "302.36" over "Tổng cộng", "3"
    under it. Layout and collapsed text give the totals row the tab text gives."""
    totals = {
        form: [(t.total, t.online) for t in process_file(unseen_texts[1300, form], matcher).totals]
        for form in _TEXT_FORMS
    }
    assert totals == {form: [(302363, 225916)] for form in _TEXT_FORMS}


def test_a_component_named_over_two_lines_with_no_cell_is_a_row(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seed 1310 prints the liên thông components of item 15 with no cell but their
    names, one of them wrapped ("… cho trẻ dưới" / "6 tuổi")."""
    for form in ("layout", "collapsed"):
        components = [
            (row.parent_item, row.name_in_doc)
            for row in process_file(unseen_texts[1310, form], matcher).services
            if row.row_kind.value == "component"
        ]
        assert ("15", "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi") in components, form


def test_a_connection_cell_carried_above_a_repeated_header_stays_in_its_row(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seed 1305's page break falls inside item 16's components: "Xóa đăng ký thường
    trú" / "Chưa" stand over the repeated header, "Trợ cấp mai táng phí" / "Chưa" under
    it. Both are rows, not connected; item 17 has no connection printed."""
    truth = {
        row["name_in_doc"]: row["connected"] for row in truth_of(draw_report(1305))["dvc_rows"]
    }
    for form in ("layout", "collapsed"):
        rows = {r.name_in_doc: r for r in process_file(unseen_texts[1305, form], matcher).services}
        for name in ("Xóa đăng ký thường trú", "Trợ cấp mai táng phí"):
            assert rows[name].connected is False and truth[name] is False, (form, name)
        item_17 = next(r for r in rows.values() if r.item_in_doc == "17")
        assert item_17.connected is None, form


def test_a_name_tail_over_a_repeated_header_ends_its_name(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 107's page 3 ends with "đẳng", the tail of item 21's name, over the header
    page 4 repeats: it ends that name ("… cao đẳng"), and is no "Đang" (in progress) for
    item 22's connection, though the two are alike without their accents."""
    report = draw_report(107)
    for path in write_forms(report, tmp_path / "family_107", ("layout", "collapsed")):
        rows = {row.item_in_doc: row for row in process_file(path, matcher).services}
        assert rows["21"].name_in_doc.endswith("đại học, cao đẳng"), path.name
        assert rows["22"].connected is True, path.name


def test_a_connection_closed_below_the_name_tail_is_one_row(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seed 1304's item 17 prints "Chưa" over its count line and "kết nối" under the
    tail of its name ("tích hợp bán dẫn"): one row, not connected, not a component
    named by the name's first half."""
    for form in ("layout", "collapsed"):
        rows = [r for r in process_file(unseen_texts[1304, form], matcher).services
                if "bố trí mạch" in r.name_in_doc]  # fmt: skip
        assert [(r.name_in_doc, r.connected, r.total) for r in rows] == [
            ("Đăng ký thiết kế bố trí mạch tích hợp bán dẫn", False, 42)
        ], form


def test_a_component_wrapped_beside_an_agency_cell_keeps_name_and_agency(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Item 15's component "Cấp thẻ bảo hiểm y tế cho trẻ dưới" / "6 tuổi" beside its
    agency cell "UBND" / "cấp xã": seed 1512 prints no other cell (a row of its own
    though), seed 1312 its mark and counts between the name's halves ("6 tuổi cấp xã" on
    one line). Name and agency whole, in both converters' text."""
    for seed in (1512, 1312):
        truth = next(
            row for row in truth_of(draw_report(seed))["dvc_rows"]
            if row["name_in_doc"] == "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"
        )  # fmt: skip
        for form in ("layout", "collapsed"):
            rows = [
                (row.parent_item, row.name_in_doc, row.agency)
                for row in process_file(unseen_texts[seed, form], matcher).services
                if "trẻ dưới" in row.name_in_doc
            ]
            assert rows == [("15", truth["name_in_doc"], truth["agency"])], (seed, form)


def test_a_name_cut_by_a_page_break_under_a_group_heading_is_one_row(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seed 1304's page 5 ends with the group heading "Công an tỉnh", item 1's first name
    line and its number line; the name's tail ("cấp thẻ CCCD") comes after the page
    break. One row, the number line's cells its own."""
    rows = [
        (row.item_in_doc, row.name_in_doc, row.connected, row.total, row.agency)
        for row in process_file(unseen_texts[1304, "layout"], matcher).services
        if row.name_in_doc.startswith("Xác nhận số CMND") or row.name_in_doc == "cấp thẻ CCCD"
    ]
    assert rows == [("1", "Xác nhận số CMND khi đã được cấp thẻ CCCD", True, 0, "UBND cấp xã")]


def test_a_reading_whose_cells_hold_two_counts_gives_way(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seed 1504's layout text sets page 4 out anew: by column positions, cells hold two
    counts ("12 5") and three rows merge; those cells read as no number, so the runs of
    rows, whole, are kept (the margin between the two readings was short by 0.26)."""
    path = unseen_texts[1504, "layout"]
    result = process_file(path, matcher)
    scored = score(result, truth_of(draw_report(1504)))
    assert (scored.cells_ok, scored.ids_ok, scored.ids_wrong) == (scored.cells, scored.rows, 0)
    assert scored.printed_found == scored.printed_rows
    assert any(f.code == "read_as_row_runs" for f in result.findings)


@pytest.mark.parametrize("seed", [801, 902, 904, 908, 909, 914, 1007, 1015, 1312, 1506, 1604])
def test_rows_at_page_edges_are_read_once_with_their_group(
    seed: int, unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Each printed row read once, in both converters' text: a running title printed on
    one page only, over a table's last rows (801, 914, 1007, 1312), is no row; a name's
    tail alone at the top of a page ("điện   cấp xã", 902) ends the row above; a group
    heading with a footnote marker glued to it ("Sở³ Y tế (bổ sung theo …)", 1015) heads
    its rows; a heading over a page whose one row is centred on its number line (1506),
    or alone at a page's foot (908), or under a name that closed its aside ("… địa chỉ)",
    909), or under a header at a page's foot and finished over the next page's header
    (904) is read, and one whose aside the page cut before its bracket closed is one
    heading, not a heading and a row (1604); seven lines between two rows are cut where
    both names read best (909)."""
    truth = truth_of(draw_report(seed))
    for form in ("layout", "collapsed"):
        result = process_file(unseen_texts[seed, form], matcher)
        scored = score(result, truth)
        assert scored.printed_found == scored.printed_rows, (form, scored.misses[:5])
        assert not [r.name_in_doc for r in result.services if r.name_in_doc.startswith("Báo cáo")]
    result = process_file(unseen_texts[seed, "layout"], matcher)
    if seed in (1015, 1312, 1506):  # the heading's (or the agency cell's) agency, each row
        layout = score(result, truth)
        assert layout.agencies_ok == layout.agencies, layout.misses[:5]
    if seed == 909:
        [row_8] = [row for row in result.services if row.item_in_doc == "08"]
        assert row_8.name_in_doc.startswith("Liên thông nhóm thủ tục xóa nợ nghĩa vụ tài chính")


def test_fresh_seeds_footnote_in_title_numbered_locality_and_wording_in_three(
    unseen_texts: dict[tuple[int, str], Path], matcher: Matcher
) -> None:
    """Seeds 1600–1615 were scored once before the rules here: seed 1600's title carries
    a footnote mark ("lũy³ kế từ đầu năm …"), its period label read without "lũy kế";
    seed 1601's running title names "phường Hà Giang 1" (a number at its end: read as
    four rows); seed 1608 wraps "Đã" / "thực" / "hiện" round its rows' lines ("thực" run
    into the name: three wrong ids)."""
    for form in ("layout", "collapsed"):
        meta = process_file(unseen_texts[1600, form], matcher).meta
        assert meta.period_label == truth_of(draw_report(1600))["report"]["period_label"]
        for seed in (1601, 1608):
            scored = score(
                process_file(unseen_texts[seed, form], matcher), truth_of(draw_report(seed))
            )
            assert scored.printed_found == scored.printed_rows, (seed, form)
            assert (scored.ids_ok, scored.ids_wrong) == (scored.rows, 0), (seed, form)


def test_an_abbreviation_that_ends_a_name_is_not_the_agencys(
    corpus_texts: dict[str, dict[str, Path]], matcher: Matcher
) -> None:
    """Report 003's collapsed text wraps item 1 round its line: "Xác nhận số CMND khi đã
    được cấp Thẻ" / "1 Công an x 0 …" / "CCCD". "CCCD" ends the name (the catalogue words
    it so), not the agency "Công an", though an agency's wrapped tail may be an
    abbreviation ("Sở" / "TN&MT")."""
    rows = process_file(corpus_texts["003_bb8745acf477937f"]["collapsed"], matcher).services
    first = next(r for r in rows if r.service_id == "QD06-1")
    assert (first.name_in_doc, first.agency) == (
        "Xác nhận số CMND khi đã được cấp Thẻ CCCD",
        "Công an",
    )


def test_a_mark_under_a_stacked_chua_ket_noi_header_is_not_connected(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2400 stacks "Chưa" over "kết nối (x)" a line apart from "Đã kết" / "nối (x)";
    its first page holds one mark, under "Chưa". The header's words, read across their
    lines, tell the column (it was read as connected). Its page 4 opens with the running
    title after a page ending in a note's stacked words: a title, not a row."""
    report = draw_report(2400)
    (path,) = write_forms(report, tmp_path / "family_2400", ("layout",))
    result = process_file(path, matcher)
    first = next(row for row in result.services if row.service_id == "QD06-1")
    assert first.connected is False, first.source_text
    found = score(result, truth_of(report))
    assert found.printed_found == found.printed_rows == 33
    assert found.cell_accuracy == 1.0


def test_a_count_inside_a_parenthesis_at_a_lines_end_is_the_names(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2407 wraps "… còn lại (ngoài" / "02" at a line's end: the number inside the
    parenthesis the name opened is the name's, not the item number of a row (the row of
    service 7 lost its counts)."""
    report = draw_report(2407)
    for path in write_forms(report, tmp_path / "family_2407", ("layout", "collapsed")):
        result = process_file(path, matcher)
        row = next(r for r in result.services if r.service_id == "QD422-7")
        assert (row.item_in_doc, row.total, row.online, row.on_time) == ("2", 32950, 21549, 21549)
        assert "(ngoài 02 dịch vụ" in row.name_in_doc, path.name


def test_an_agency_piece_inside_a_wrapped_component_name_opens_no_row(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2404's collapsed text wraps the component "Cấp thẻ bảo hiểm y tế cho trẻ
    dưới" / "UBND cấp" / "6 tuổi xã": the agency's piece between is the component's, not
    a row whose tail "6 tuổi xã" opened the next service's name (read as khai tử's
    component's parent: wrong ids)."""
    report = draw_report(2404)
    (path,) = write_forms(report, tmp_path / "family_2404", ("collapsed",))
    result = process_file(path, matcher)
    row = next(r for r in result.services if r.item_in_doc == "16")
    assert (row.service_id, row.name_in_doc) == ("QD06-16", "Thủ tục liên thông: Đăng ký khai tử")
    found = score(result, truth_of(report))
    assert found.ids_wrong == 0 and found.printed_found == found.printed_rows


def test_components_marked_chua_in_layout_columns_are_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2305 prints the components of row 17 with their names and "Chưa" only, and
    the note "Người dân chưa quen …" a word a line: a whole connection cell opening in
    capitals is a row of its own (the components ran into rows 17 and 18); the note's
    "chưa" is no cell."""
    report = draw_report(2305)
    (path,) = write_forms(report, tmp_path / "family_2305", ("layout",))
    result = process_file(path, matcher)
    components = [r.name_in_doc for r in result.services if r.parent_item == "17"]
    assert components == ["Xóa đăng ký thường trú", "Trợ cấp mai táng phí"]
    found = score(result, truth_of(report))
    assert found.ids_wrong == 0 and found.printed_found == found.printed_rows == 30


def test_a_rows_cells_cut_by_a_page_break_keep_their_columns(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2300's layout text sets each page's columns anew. "xã", ending the agency of
    the last row of a page, stands at the next page's top over a count column (it went
    into the total: "xã 30.583"), or alone on the last page (it went into the name): a
    lower-case word is no count, and a level word completes an agency cut at "cấp"."""
    report = draw_report(2300)
    (path,) = write_forms(report, tmp_path / "family_2300", ("layout",))
    result = process_file(path, matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind == "service"}
    assert (rows["QD06-5"].total, rows["QD06-5"].agency) == (30583, "UBND cấp xã")
    assert (rows["QD06-2"].name_in_doc, rows["QD06-2"].agency) == (
        "Cấp lại, đổi thẻ CCCD",
        "UBND cấp xã",
    )
    assert score(result, truth_of(report)).cell_accuracy == 1.0


def test_a_capitalised_name_after_a_sub_row_opens_the_next_row(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2300's collapsed text prints "Liên thông đăng ký khai sinh –" after the page
    break, on the line before its number "9."; the sub-row above it ("- Đối với công dân
    ngoài tỉnh") took it, since it names a catalogue service (both ids were wrong)."""
    report = draw_report(2300)
    (path,) = write_forms(report, tmp_path / "family_2300", ("collapsed",))
    result = process_file(path, matcher)
    nine = next(r for r in result.services if r.item_in_doc == "9")
    assert nine.service_id == "QD06-15"
    assert nine.name_in_doc.startswith("Liên thông đăng ký khai sinh –")
    sub_row = next(r for r in result.services if "- Đối với công dân ngoài" in r.name_in_doc)
    assert sub_row.name_in_doc == "- Đối với công dân ngoài tỉnh"
    assert score(result, truth_of(report)).ids_wrong == 0


def test_a_rate_wrapped_around_its_row_s_line_is_read_whole(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2601's rate cell of service 11 is too narrow for "100,00%": its layout text
    prints "100,00" on the line above the row's counts and "%" on the line under them,
    and the rate was stored as unknown. The pieces are one cell, put back on the row's
    line; a rate a line of its own holds in full stays as it is."""
    report = draw_report(2601)
    (path,) = write_forms(report, tmp_path / "family_2601", ("layout",))
    result = process_file(path, matcher)
    row = next(r for r in result.services if r.service_id == "QD06-11")
    assert (row.total, row.online, row.rate_pct) == (7, 7, 100.0), row.source_text
    assert score(result, truth_of(report)).cell_accuracy == 1.0


def test_a_rate_wrapped_around_a_collapsed_row_is_read_whole(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2705's liên thông service 15 and its two component rows print "100,00%" in a
    rate cell too narrow for it. Collapsed text glues the number to the name's first line
    ("Thủ tục liên thông: Đăng ký khai 100,00", "… cho trẻ 100,00") and puts the name's
    last line between the row's counts and the "%" ("sinh" / "%", "dưới 6 tuổi %"): two of
    the three rates were stored as unknown and the "%" was kept in a name."""
    report = draw_report(2705)
    (path,) = write_forms(report, tmp_path / "family_2705", ("collapsed",))
    result = process_file(path, matcher)
    rows = [r for r in result.services if r.service_id == "QD06-15"]
    assert [(r.total, r.online, r.rate_pct) for r in rows] == [(7, 7, 100.0)] * 3, [
        r.source_text for r in rows
    ]
    assert [r.name_in_doc for r in rows] == [
        "Thủ tục liên thông: Đăng ký khai sinh",
        "Đăng ký thường trú",
        "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi",
    ]


def test_marks_of_two_tables_on_one_page_are_read_apart(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 2801's layout page 4 ends the QĐ 06 table (its marks under "Đã kết nối", a
    column the converter set at 64) and opens the QĐ 422 one (its first mark, under its
    own "Đã kết nối", at 59): read as one page's two mark columns, the four rows of the
    first table were taken as not connected. Marks of a table continued with no header
    on the page say no side; they are read as connected with a warning."""
    report = draw_report(2801)
    (layout,) = write_forms(report, tmp_path / "family_2801", ("layout",))
    page = layout.read_text("utf-8").split("\f")[3].split("\n")
    sides = mark_sides(page)
    assert set(sides.values()) == {"yes"}
    assert [page[index].split()[0] for index in sides] == ["1."]
    result = process_file(layout, matcher)
    rows = {r.service_id: r for r in result.services if r.row_kind == "service"}
    assert [rows[f"QD06-{item}"].connected for item in (21, 22, 23, 24)] == [True] * 4
    assert rows["QD422-1"].connected is True
    ambiguous = [f for f in result.findings if f.code == "connection_ambiguous"]
    assert len(ambiguous) == 1 and "items 21, 22, 23, 24" in ambiguous[0].message


def test_a_headers_last_word_and_a_tables_period_line_stay_out_of_the_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2900's layout text stacks its header's "DVCQG" on the line above the first
    row's wrapped name: it was taken for the first row's cell ("DVCQG Chưa", unknown
    connection), as it stood over the next row's "Đã kết nối". And its QĐ 422 table's
    period line ("Từ ngày 15/12/2023 đến ngày 14/3/2024"), at the top of the page after
    its caption, was read as a row of the QĐ 06 table continued."""
    report = draw_report(2900)
    (layout,) = write_forms(report, tmp_path / "family_2900", ("layout",))
    result = process_file(layout, matcher)
    first = next(r for r in result.services if r.service_id == "QD06-1")
    assert first.connected is False
    assert not [r for r in result.services if "Từ ngày" in r.name_in_doc]
    assert not [f for f in result.findings if f.code in ("connection_unknown", "unmatched_service")]
    assert score(result, truth_of(report)).cell_accuracy == 1.0


def test_a_connection_opening_right_under_a_repeated_header_is_the_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2705 repeats its header, "(đã kết nối, chưa kết nối)" wrapped to "kết" /
    "nối)", over item 19 whose "Đã" / "thực" / "hiện" wraps round its line: the "Đã"
    right under the header, with no "kết nối" under it, was taken for a header word, and
    the row's connection was unknown."""
    report = draw_report(2705)
    for path in write_forms(report, tmp_path / "family_2705", ("layout", "collapsed")):
        result = process_file(path, matcher)
        row = next(r for r in result.services if r.service_id == "QD06-12")
        assert (row.connected, row.total, row.online) == (True, 50, 39), path.name
        assert score(result, truth_of(report)).cell_accuracy == 1.0, path.name


def test_a_connection_opening_above_a_notes_words_is_the_first_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 2803's QĐ 422 header ends one page and its first row opens the next, its
    "Đã thực" above the row's line with a note's "thực hiện" between them: the header
    took the "Đã thực", and item 1's connection was unknown."""
    report = draw_report(2803)
    for path in write_forms(report, tmp_path / "family_2803", ("layout", "collapsed")):
        result = process_file(path, matcher)
        row = next(r for r in result.services if r.service_id == "QD422-1")
        assert (row.connected, row.total, row.online) == (True, 0, 0), path.name


def test_a_table_whose_header_ends_a_page_goes_on_past_the_next(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 3200's QĐ 06 header ends its page and the rows fill the next three: the
    header stayed pending after the first of them was read, so the last page, opening
    with the word a page break cut from the last name ("điện"), was given a row of no
    columns, and the whole report failed (internal_error)."""
    report = draw_report(3200)
    (layout,) = write_forms(report, tmp_path / "family_3200", ("layout",))
    result = process_file(layout, matcher)
    assert result.status is ReportStatus.OK, result.error
    last = next(r for r in result.services if r.service_id == "QD06-25")
    assert last.name_in_doc.endswith("mua bán điện") and (last.total, last.online) == (9, 6)
    assert score(result, truth_of(report)).cell_accuracy == 1.0


def test_a_parent_header_set_between_its_columns_is_a_parent(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Seed 3203's layout text sets "Hồ sơ trực tuyến" over the gap between its "Đúng
    hạn" and "Quá hạn" (overlapping neither): it was taken for a column of its own, the
    overdue counts went under it, and every row's overdue count was lost."""
    report = draw_report(3203)
    (layout,) = write_forms(report, tmp_path / "family_3203", ("layout",))
    result = process_file(layout, matcher)
    first = next(r for r in result.services if r.service_id == "QD06-1")
    assert (first.online, first.on_time, first.overdue) == (7196, 7196, 0)
    assert score(result, truth_of(report)).cell_accuracy == 1.0


def test_a_note_wrapped_a_word_a_line_is_no_connection(tmp_path: Path, matcher: Matcher) -> None:
    """Fresh seed 3401's collapsed text wraps its note column a word a line ("Người" /
    "dân" / "chưa" / "quen" / … / "mạng") round rows whose connection reads "Đã" / "thực"
    / "hiện": the note's "chưa", printed on two rows only, was taken for "Chưa kết nối"
    (items 7 and 24 not connected). A run of one-word lines is a note's."""
    [collapsed] = write_forms(draw_report(3401), tmp_path / "family_3401", ("collapsed",))
    rows = {r.service_id: r for r in process_file(collapsed, matcher).services}
    assert (rows["QD06-7"].connected, rows["QD06-24"].connected) == (True, True)
    assert rows["QD06-7"].name_in_doc.startswith("Đăng ký, cấp biển số mô tô, xe")


def test_a_not_applicable_wording_over_the_mark_columns_leaves_the_counts_their_column(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 3505's layout text, page 3: no mark stands under "Chưa kết nối (x)",
    and "Không thuộc thẩm quyền" runs from the mark columns into the gutter before the
    totals, which stand left of their header: the cut between the two columns was set
    right of the totals, read as marks, and the row-run reading kept instead parted the
    first row, cut by a page break, in two. A not-applicable wording over two columns
    is a merged cell, as any phrase over three is."""
    [layout] = write_forms(draw_report(3505), tmp_path / "family_3505", ("layout",))
    rows = {r.service_id: r for r in process_file(layout, matcher).services}
    assert (rows["QD06-22"].total, rows["QD06-22"].direct, rows["QD06-22"].online) == (58, 41, 17)
    first = rows["QD06-12"]
    assert first.name_in_doc == "Cấp, cấp lại, sửa đổi, bổ sung hộ chiếu phổ thông"
    assert (first.total, first.online, first.connected) == (29219, 18285, False)


@pytest.mark.parametrize("form", ["layout", "collapsed"])
def test_a_components_whole_name_takes_no_tail_from_the_next_rows_name(
    form: str, tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4000 numbers its rows in its own order: "3. Thủ tục liên thông: Đăng
    ký khai tử" with its components, then "4. Liên thông đăng ký khai sinh – …", its name
    wrapped round its line. The head "Liên thông đăng ký khai sinh –" went to the
    component "Trợ cấp mai táng phí" above (read with it, its name came close to "Đăng ký
    khai sinh"), and item 4 matched "Đăng ký thường trú": two wrong ids. A component's
    name the catalogue knows whole takes no more lines."""
    (path,) = write_forms(draw_report(4000), tmp_path / "family_4000", (form,))
    scored = score(process_file(path, matcher), truth_of(draw_report(4000)))
    assert (scored.ids_ok, scored.ids_wrong) == (scored.rows, 0), scored.misses[:3]


def test_a_page_laid_out_anew_whose_last_columns_are_empty_keeps_its_columns(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4013's layout text sets its last page of QĐ 06 rows anew, the counts
    wider apart and the note column empty, under "mạng" (the last page's note's end):
    the last page's separators, fitted by a straight line, moved the on-time counts into
    the overdue column and the overdue into the note. A page whose columns hold, in
    order, what the last page's first columns held has lost only its last ones; a cut
    cell's words at a page's top set no column of it. Seed 4026's upper halves of a
    note wrapped round its row ("chưa quen" over the row's line) still do."""
    for seed in (4013, 4026):
        (path,) = write_forms(draw_report(seed), tmp_path / f"family_{seed}", ("layout",))
        scored = score(process_file(path, matcher), truth_of(draw_report(seed)))
        assert scored.cells_ok == scored.cells, (seed, scored.misses[:3])


def test_a_wording_a_page_break_cut_is_finished_on_the_next_page(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4003 cuts item 1 at a page break: "Đang kết" above the page's foot,
    "nối" with the name's and the agency's tails atop the next page. The tails went back
    to the row but the wording stayed "Đang kết", stored as unknown. Seed 4005's header
    ends with "DVCQG" right over item 1's wording ("Chưa"): read as the row's (no fonts
    tell the header's lines in text), "DVCQG Chưa" was unknown too."""
    for seed in (4003, 4005):
        (path,) = write_forms(draw_report(seed), tmp_path / f"family_{seed}", ("layout",))
        result = process_file(path, matcher)
        row = next(r for r in result.services if r.service_id == "QD06-1")
        assert (row.connected, row.connection_text, row.agency) == (False, None, "UBND cấp xã")


@pytest.mark.parametrize("form", ["layout", "collapsed"])
def test_components_under_a_row_not_in_its_remit_and_a_name_centred_on_its_number(
    form: str, tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4126, read as runs of rows: item 16 is "Không thuộc thẩm quyền", its
    two components marked "X" with no counts. The first mark was taken for item 16's own
    (a row "not in its remit" fills its cells), and both components ran into one row,
    matched as "Đăng ký thường trú". QĐ 422 group 13 prints its name round its number
    alone ("Nhóm dịch vụ thanh toán trực" / "13" / "tuyến") under item 12's "Đăng ký kết
    hôn": the group's head was left out of both names (each read 100 without it) and the
    group matched "Đăng ký kết hôn". Two wrong ids in each form; a line reading as a
    name on its own is no stray piece to leave out. The layout text sets the group
    heading "Bảo hiểm xã hội tỉnh" atop page 9 at page 8's indent: it was read as item
    17's agency."""
    (path,) = write_forms(draw_report(4126), tmp_path / "family_4126", (form,))
    result = process_file(path, matcher)
    scored = score(result, truth_of(draw_report(4126)))
    assert (scored.ids_ok, scored.ids_wrong) == (scored.rows, 0), scored.misses[:3]
    components = [r.name_in_doc for r in result.services if r.row_kind == "component"]
    assert {"Xóa đăng ký thường trú", "Trợ cấp mai táng phí"} <= set(components)
    if form == "layout":  # the group heading atop page 9, set as page 8 was, heads its rows
        assert (scored.printed_found, scored.agencies_ok) == (
            scored.printed_rows, scored.agencies
        ), scored.misses[:3]  # fmt: skip


def test_a_group_heading_over_a_header_repeated_from_the_last_pages_foot_heads_its_rows(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4107's layout text prints the QĐ 422 header alone at a page's foot and
    repeats it atop the next page under the group heading "Công an tỉnh". Folded to
    ASCII, "Công an tỉnh" repeats "Cổng" and "Tình" of the header, so it was read as a
    header line (a column of its own); apart, it was prose: the 16 rows of the page's
    two groups had no agency."""
    (path,) = write_forms(draw_report(4107), tmp_path / "family_4107", ("layout",))
    result = process_file(path, matcher)
    scored = score(result, truth_of(draw_report(4107)))
    assert scored.agencies_ok == scored.agencies, scored.misses[:3]
    assert "Công an tỉnh" in [h.name_in_doc for h in result.headings]


@pytest.mark.parametrize(("seed", "form"), [(4124, "pdf"), (4215, "layout")])
def test_a_long_name_centred_on_its_number_on_a_page_of_rows_with_no_count(
    seed: int, form: str, tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seeds 4124 (text PDF, borderless) and 4215 (layout text) print QĐ 422 item
    23, "Liên thông nhóm thủ tục xóa nợ …", eleven lines centred on its number, under a
    header repeated atop a page whose two rows hold no count ("Không thuộc thẩm quyền", a
    mark alone). With no count column right of any text, the page had no name column:
    its first three lines were read as a row carried from the last page and the rest cut
    between items 23 and 24 (a wrong id). The name column is then the text column with
    the most text."""
    (path,) = write_forms(draw_report(seed), tmp_path / f"family_{seed}", (form,))
    scored = score(process_file(path, matcher), truth_of(draw_report(seed)))
    assert (scored.cells_ok, scored.ids_ok, scored.ids_wrong) == (
        scored.cells, scored.rows, 0
    ), scored.misses[:3]  # fmt: skip


def test_marks_at_two_places_on_a_page_set_anew_are_the_two_columns_in_order(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4321's layout text goes on with its QĐ 422 table over a page the
    converter set anew, narrower than the header's: marks at two places, the left one
    under "Đã kết nối", the right under "Chưa kết nối". Carried on the header page's
    scale, both places fell nearer "Chưa" (eight rows not connected that were); the
    page's places in order are the columns in order."""
    report = draw_report(4321)
    (path,) = write_forms(report, tmp_path / "family_4321", ("layout",))
    result = process_file(path, matcher)
    scored = score(result, truth_of(report))
    assert not [miss for miss in scored.misses if "connected" in miss], scored.misses
    services = {row.service_id: row for row in result.services if row.row_kind == "service"}
    assert services["QD422-13.1"].connected is True and services["QD422-18"].connected is False


def test_marks_in_one_column_of_two_on_a_page_set_anew_are_read_connected_with_a_doubt(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Fresh seed 4301's layout text prints its QĐ 06 table's last page with every mark
    in "Đã kết nối" and "Chưa kết nối" empty: the converter gives an empty column no room,
    so the marks sit beside the names wherever they stood, and the text cannot tell
    which column (six rows had been read as not connected). They are read as connected,
    as collapsed text reads marks whose column it lost, with `connection_ambiguous`."""
    report = draw_report(4301)
    (path,) = write_forms(report, tmp_path / "family_4301", ("layout",))
    result = process_file(path, matcher)
    scored = score(result, truth_of(report))
    assert scored.cells_ok == scored.cells, scored.misses
    doubts = [f for f in result.findings if f.code == "connection_ambiguous"]
    assert len(doubts) == 1 and "6 marks" in doubts[0].message, doubts
    assert doubts[0].page == 4
