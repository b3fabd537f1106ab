"""Scanned reports through OCR, scored against their truth: hard scans of the corpus
(tests/hard_scan.py: 150 dpi, skew, uneven toner, noise, JPEG 35, a stamp over a table),
the corpus scans (or scans made the same way from the text PDFs when ../shared is absent)
and scans of generated reports."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from bench.accuracy import total
from dean06.catalog import Matcher
from dean06.errors import OcrUnavailable
from dean06.evaluate import Score, load_truth, score
from dean06.extract import read_document
from dean06.extract.ocr import check_tesseract
from dean06.pipeline import process_file
from dean06.settings import ExtractSettings

from .conftest import CORPUS
from .family import draw_report, truth_of, write_pdf
from .hard_scan import make_hard_scan
from .scan import make_scan

pytestmark = [pytest.mark.ocr, pytest.mark.slow]
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
STEMS = ["000_ad209dad08bfea4e", "002_0e464231b5c84ab4", "003_bb8745acf477937f"]
# Generated reports whose tables are ruled, as the corpus scans are (scans of borderless
# tables: tests/test_unruled.py).
FAMILY_SEEDS = [4, 10, 12]


def _assert_scan_floors(scores: list[Score]) -> None:
    overall = total(scores)
    assert overall.cell_accuracy >= 0.97, overall.as_dict()
    assert overall.id_accuracy >= 0.98, overall.as_dict()
    assert overall.figure_precision >= 0.95 and overall.figure_recall >= 0.95, overall.as_dict()
    assert all(s.locality_ok and s.period_ok for s in scores), [s.as_dict() for s in scores]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher()


@pytest.fixture(scope="module")
def corpus_scans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if SHARED.is_dir():
        return [SHARED / f"{stem}.scan.pdf" for stem in STEMS]
    folder = tmp_path_factory.mktemp("scans")
    return [
        make_scan(CORPUS / f"{stem}.pdf", folder / f"{stem}.scan.pdf", seed)
        for seed, stem in enumerate(STEMS)
    ]


@pytest.mark.slow  # make test-slow (CI runs it after make test)
@pytest.mark.parametrize("stem", STEMS)
def test_hard_scans_of_the_corpus_reach_the_accuracy_floors(
    stem: str, tmp_path: Path, matcher: Matcher
) -> None:
    """Issue 13's floors, report by report (the clean corpus scans, easier, are scored by
    bench/accuracy.py)."""
    scan = make_hard_scan(CORPUS / f"{stem}.pdf", tmp_path / f"{stem}.hard.pdf")
    result = process_file(scan, matcher)
    assert result.status.value == "ok", result.error
    assert any(f.code == "ocr" for f in result.findings)
    found = score(result, load_truth(CORPUS / f"{stem}.json"))
    assert found.cell_accuracy >= 0.98, found.as_dict()
    assert found.id_accuracy >= 0.99 and found.ids_wrong == 0, found.as_dict()
    assert found.figure_precision >= 0.97 and found.figure_recall >= 0.97, found.as_dict()
    assert found.locality_ok and found.period_ok, found.misses
    if stem.startswith("003"):  # QĐ 422 on page 11, QĐ 06 on pages 13–14
        row = next(s for s in result.services if s.service_id == "QD06-3")
        assert (row.total, row.online, row.rate_pct, row.page) == (2204, 2204, 99.82, 13)
        assert row.ocr_confidence is not None and 0 <= row.ocr_confidence <= 100
        assert all(s.ocr_confidence is not None for s in result.services if s.total is not None)


@pytest.mark.slow
def test_scans_of_generated_reports_reach_the_floors(tmp_path: Path, matcher: Matcher) -> None:
    scores = []
    for seed in FAMILY_SEEDS:
        report = draw_report(seed)
        assert not any(layout.borderless for _, layout in report["tables"])
        pdf = tmp_path / f"family_{seed:03d}.pdf"
        write_pdf(report, pdf)
        scan = make_scan(pdf, tmp_path / f"family_{seed:03d}.scan.pdf", seed)
        scores.append(score(process_file(scan, matcher), truth_of(report)))
    _assert_scan_floors(scores)


def test_text_layer_pages_are_never_ocrd_under_auto() -> None:
    document = read_document(CORPUS / "003_bb8745acf477937f.pdf")
    assert document.ocr_pages == [] and document.pages_without_text == []


def test_mixed_pdf_is_read_page_by_page(corpus_scans: list[Path], tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.pdf"
    with (
        pikepdf.open(CORPUS / "003_bb8745acf477937f.pdf") as text,
        pikepdf.open(corpus_scans[2]) as scan,
    ):
        out = pikepdf.new()
        out.pages.extend(text.pages[:2])  # title page and narrative: text layer
        out.pages.append(scan.pages[12])  # QĐ 06 table: scanned
        out.save(mixed)
    document = read_document(mixed)
    assert document.ocr_pages == [3]
    result = process_file(mixed)
    assert result.meta.locality_name == "Krông Nô"
    row = next(s for s in result.services if s.service_id == "QD06-3")
    assert (row.total, row.online, row.page) == (2204, 2204, 3)


def test_missing_tesseract_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    check_tesseract.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no tesseract on it
    try:
        with pytest.raises(OcrUnavailable) as caught:
            check_tesseract("vie")
    finally:
        check_tesseract.cache_clear()
    assert str(caught.value) == (
        "OCR needs Tesseract, which is not installed; "
        "install it with: apt-get install tesseract-ocr tesseract-ocr-vie"
    )


def test_missing_language_data_says_how_to_install(corpus_scans: list[Path]) -> None:
    result = process_file(corpus_scans[0], settings=ExtractSettings(ocr_language="khm"))
    assert result.status.value == "failed"
    assert result.error == (
        "000_ad209dad08bfea4e.scan.pdf: Tesseract has no 'khm' language data; "
        "install it with: apt-get install tesseract-ocr tesseract-ocr-khm"
    )
