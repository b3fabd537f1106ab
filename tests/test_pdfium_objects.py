"""PDFium's characters and rules, handed to pdfplumber, read the same as pdfminer's.

Each check compares the two parsers on real pages: the corpus PDFs (LibreOffice, with
Vietnamese glyphs drawn from a fallback font) and generated reports (reportlab).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfplumber.page import Page

from dean06.extract.ocr import text_needs_ocr
from dean06.extract.pdf import PdfReader, cell_texts
from dean06.extract.pdfium_objects import attach_pdfium_objects, glyph_texts
from dean06.schemas import TextBlock

from .conftest import CORPUS
from .family import draw_report, write_pdf

TEXT_PDFS = sorted(p for p in CORPUS.glob("*.pdf"))


@contextmanager
def both_parsers(path: Path) -> Iterator[list[tuple[Page, Page]]]:
    """Each page twice: as pdfminer parses it, and with PDFium's objects attached."""
    with (
        pdfplumber.open(path, unicode_norm="NFC") as miner,
        pdfplumber.open(path, unicode_norm="NFC") as fast,
    ):
        document = pypdfium2.PdfDocument(path)
        try:
            for page, pdfium_page in zip(fast.pages, document, strict=True):
                assert attach_pdfium_objects(page, pdfium_page)
            yield list(zip(miner.pages, fast.pages, strict=True))
        finally:
            document.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated")
    paths = []
    for seed in (3, 7, 12, 117):
        path = folder / f"report_{seed}.pdf"
        write_pdf(draw_report(seed), path)
        paths.append(path)
    return paths


def _tables(page: Page) -> list[list[list[str | None]]]:
    return [cell_texts(t) for t in page.find_tables()]


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.name)
def test_corpus_tables_and_words_match_pdfminer(path: Path) -> None:
    with both_parsers(path) as pages:
        tables = [(_tables(a), _tables(b)) for a, b in pages]
        words = [
            (
                [w["text"] for w in a.extract_words(y_tolerance=1)],
                [w["text"] for w in b.extract_words(y_tolerance=1)],
            )
            for a, b in pages
        ]
    assert sum(len(a) for a, _ in tables) == sum(len(b) for _, b in tables)
    assert all(a == b for a, b in tables)
    # Known differences: a superscript footnote mark, a rule drawn with dashes.
    same_words = sum(a == b for a, b in words)
    assert same_words >= 0.85 * len(words), f"{same_words}/{len(words)} pages"


def test_generated_tables_match_pdfminer(generated: list[Path]) -> None:
    compared = 0
    for path in generated:
        with both_parsers(path) as pages:
            for miner, fast in pages:
                expected = _tables(miner)
                assert _tables(fast) == expected, f"{path.name} page {miner.page_number}"
                compared += len(expected)
    assert compared >= 10


def _page_words(path: Path, number: int) -> list[str]:
    with both_parsers(path) as pages:
        return [w["text"] for w in pages[number - 1][1].extract_words(y_tolerance=1)]


def test_space_pdfium_drops_after_a_fallback_glyph_is_restored() -> None:
    # "Số hồ sơ tiếp nhận": the accented letters come from a fallback font, drawn after
    # the line; PDFium keeps no space between "sơ" and "tiếp".
    words = _page_words(CORPUS / "003_bb8745acf477937f.borderless.pdf", 12)
    assert "sơ" in words and "tiếp" in words
    assert "sơtiếp" not in words


def test_line_end_hyphen_and_italic_overhang() -> None:
    # PDFium reports a hyphen ending a line as U+0002/U+FFFE; an italic "/" has ink left
    # of its origin, which must not swallow the space before it.
    words = _page_words(CORPUS / "003_bb8745acf477937f.borderless.pdf", 11)
    assert "LĐ-" in words
    text = " ".join(_page_words(CORPUS / "003_bb8745acf477937f.borderless.pdf", 13))
    assert "số /BC-....." in text


def test_cell_texts_equal_pdfplumber_extract() -> None:
    checked = 0
    for path in TEXT_PDFS:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    assert cell_texts(table) == table.extract()
                    checked += 1
    assert checked >= 20


def test_glyph_texts_judge_the_text_layer(tmp_path: Path) -> None:
    document = pypdfium2.PdfDocument(CORPUS / "003_bb8745acf477937f.pdf")
    blank = pypdfium2.PdfDocument.new()
    blank.new_page(595, 842)
    try:
        texts = glyph_texts(document[0])
        assert not text_needs_ocr(texts)
        assert text_needs_ocr(glyph_texts(blank[0]))
    finally:
        document.close()
        blank.close()
    # content order: the accented letters of the fallback font follow their line
    assert "UBND HUY" in "".join(texts) and "Ệ" in texts
    assert not any(t in "\r\n" for t in texts)


def test_rotated_page_is_left_to_pdfminer(tmp_path: Path) -> None:
    source = CORPUS / "003_bb8745acf477937f.pdf"
    rotated = tmp_path / "rotated.pdf"
    document = pypdfium2.PdfDocument(source)
    document[0].set_rotation(90)
    document.save(rotated)
    document.close()
    with pdfplumber.open(rotated) as pdf:
        pdfium_document = pypdfium2.PdfDocument(rotated)
        assert not attach_pdfium_objects(pdf.pages[0], pdfium_document[0])
        assert attach_pdfium_objects(pdf.pages[1], pdfium_document[1])
        pdfium_document.close()

    def page_text(path: Path, number: int) -> str:
        items = PdfReader().read(path).items
        return " ".join(b.text for b in items if b.page == number and isinstance(b, TextBlock))

    assert page_text(rotated, 2) == page_text(source, 2)
    assert "UBND" in page_text(rotated, 1)  # read by pdfminer, sideways
