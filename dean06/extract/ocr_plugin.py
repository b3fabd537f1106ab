"""OCRmyPDF plugin: the image Tesseract reads has its table rules and stamp ink erased,
and a page on which Tesseract's deskew finds no skew is deskewed by its rows of ink.

Only what OCR sees changes; the page image in the output PDF keeps its rules, which the
reader then finds again (``rulings.find_rulings``) to rebuild the table grid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf._jobcontext import PageContext
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from PIL import Image

from dean06.extract.rulings import erase_rulings, estimate_skew
from dean06.extract.stamps import drop_coloured_ink
from dean06.progress import OcrPages

NO_SKEW_DEGREES = 0.05  # Tesseract's deskew angle when it found no lines to measure


@hookimpl
def filter_ocr_image(page: PageContext, image: Image.Image) -> Image.Image:
    dpi = image.info.get("dpi", (300, 300))[0] or 300
    cleaned = erase_rulings(drop_coloured_ink(image), 72.0 / float(dpi))
    cleaned.info["dpi"] = image.info.get("dpi", (dpi, dpi))
    return cleaned


@hookimpl
def get_progressbar_class() -> type[OcrPages]:
    """OCRmyPDF's progress, as pages OCR'd of the file being read (``dean06.progress``)."""
    return OcrPages


class _InkDeskewedTesseract(TesseractOcrEngine):
    """Tesseract, with the page's skew measured on its rows of ink (``estimate_skew``)
    where Tesseract's layout analysis finds none: it finds none on a sparse page (a
    table's header alone at the foot of a page, turned 2.2°), whose lines then ran into
    one another and were read as one garbled line."""

    @staticmethod
    def get_deskew(input_file: Path, options: Any) -> float:
        found = TesseractOcrEngine.get_deskew(input_file, options)
        if abs(found) >= NO_SKEW_DEGREES:
            return found
        with Image.open(input_file) as image:
            return estimate_skew(image)


@hookimpl
def get_ocr_engine(options: Any) -> TesseractOcrEngine:
    """Tesseract, deskewing as ``_InkDeskewedTesseract`` does."""
    return _InkDeskewedTesseract()
