"""What a run may change about extraction (set from the command line)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class OcrMode(StrEnum):
    AUTO = "auto"  # OCR the pages without a usable text layer
    ALWAYS = "always"  # OCR every page of every PDF
    NEVER = "never"  # report scanned pages as needing OCR


class ExtractSettings(BaseModel, frozen=True):
    ocr: OcrMode = OcrMode.AUTO
    ocr_language: str = "vie"
    ocr_jobs: int | None = None  # processes for Tesseract; None: every core
    max_pages: int = 2000  # a longer PDF is refused (a report has tens of pages)
