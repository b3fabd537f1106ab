"""OCR of scanned PDF pages: OCRmyPDF (Tesseract, Vietnamese) adds a text layer.

OCRmyPDF deskews each page, hands Tesseract an image with the table rules erased (see
``ocr_plugin``), and writes a PDF whose pages keep the scanned image under an invisible
text layer. Pages with a usable text layer are copied untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pdfplumber.page import Page

from dean06.errors import OcrFailed, OcrUnavailable
from dean06.settings import ExtractSettings

MIN_CHARS_PER_PAGE = 20
# Share of characters that cannot be real text above which a text layer is garbage.
MAX_GARBAGE_SHARE = 0.2
MAX_IMAGE_MEGAPIXELS = 150  # OCRmyPDF's decompression-bomb guard, as the page cap
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-{lang}"
# Tesseract's page segmentation: sparse text, each word found where it stands. Its automatic
# layout (3) took the columns of short counts of a borderless table on a noisy 150 dpi scan
# for no text and dropped them with most of the header; the reader sets words into lines
# and columns itself, so the layout analysis it skips was never used.
SPARSE_TEXT = 11


def page_needs_ocr(page: Page) -> bool:
    """True when a page has no text layer, or one that is mostly unmapped glyphs."""
    return text_needs_ocr([c["text"] for c in page.chars])


def text_needs_ocr(chars: list[str]) -> bool:
    """True for a text layer (one string per glyph) that is too short, or mostly
    unmapped glyphs."""
    if len(chars) < MIN_CHARS_PER_PAGE:
        return True
    garbage = sum(count for text, count in Counter(chars).items() if _is_garbage(text))
    return garbage / len(chars) > MAX_GARBAGE_SHARE


def _is_garbage(text: str) -> bool:
    if not text or text.startswith("(cid:") or "\ufffd" in text:
        return True
    return unicodedata.category(text[0]) in {"Co", "Cn", "Cs", "Cc"} and text not in "\t\n\r"


@lru_cache(maxsize=4)
def check_tesseract(language: str) -> None:
    """Raise ``OcrUnavailable`` when Tesseract or its language data is missing."""
    hint = INSTALL_HINT.format(lang=language)
    if shutil.which("tesseract") is None:
        raise OcrUnavailable(f"OCR needs Tesseract, which is not installed; {hint}")
    listed = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split()
    if language not in listed:
        raise OcrUnavailable(f"Tesseract has no '{language}' language data; {hint}")


def ocr_pdf(source: Path, target: Path, pages: list[int], settings: ExtractSettings) -> None:
    """Write ``target``: ``source`` with a text layer OCR'd on ``pages`` (1-based)."""
    check_tesseract(settings.ocr_language)
    import ocrmypdf

    logging.getLogger("ocrmypdf").setLevel(logging.ERROR)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per Tesseract process
    try:
        ocrmypdf.ocr(
            source,
            target,
            language=[settings.ocr_language],
            pages=",".join(map(str, pages)),
            force_ocr=True,
            deskew=True,
            tesseract_pagesegmode=SPARSE_TEXT,
            output_type="pdf",
            optimize=0,
            jobs=settings.ocr_jobs or os.cpu_count() or 1,
            progress_bar=False,
            max_image_mpixels=MAX_IMAGE_MEGAPIXELS,
            plugins=["dean06.extract.ocr_plugin"],
        )
    except ocrmypdf.exceptions.ExitCodeException as exc:
        raise OcrFailed(f"{source.name}: OCR failed ({type(exc).__name__}: {exc})") from exc
