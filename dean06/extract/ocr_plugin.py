"""OCRmyPDF plugin: the image Tesseract reads has its table rules and stamp ink erased.

Only what OCR sees changes; the page image in the output PDF keeps its rules, which the
reader then finds again (``rulings.find_rulings``) to rebuild the table grid.
"""

from __future__ import annotations

from ocrmypdf import hookimpl
from ocrmypdf._jobcontext import PageContext
from PIL import Image

from dean06.extract.rulings import erase_rulings
from dean06.extract.stamps import drop_coloured_ink
from dean06.progress import OcrPages


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
