"""Broken and hostile files: one clear line each, never a crash."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest

from dean06.pipeline import process_file
from dean06.settings import ExtractSettings, OcrMode

from .conftest import BAD, CORPUS

EXPECTED = {
    "empty.pdf": ("failed", "empty file"),
    "truncated_40pct.pdf": ("failed", "not a readable PDF"),
    "password_protected.pdf": ("failed", "password protected"),
    "random_bytes.pdf": ("failed", "not a PDF"),
    "ho_so_hong.docx": ("failed", "not a Word document"),
    "not_a_report_lorem_ipsum.pdf": ("skipped", "not a Đề án 06 report"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_one_line_reason(name: str) -> None:
    result = process_file(BAD / name)
    status, reason = EXPECTED[name]
    assert result.status.value == status
    assert result.error is not None and reason in result.error
    assert result.error.startswith(name) and "\n" not in result.error
    assert not result.services and not result.figures


def test_vietnamese_file_name_with_spaces_is_read() -> None:
    result = process_file(BAD / "Báo cáo tháng 5 (bản cuối).pdf")
    assert result.status.value == "ok" and len(result.services) == 39


def test_image_only_pdf_with_ocr_off_is_reported_as_needing_ocr(tmp_path: Path) -> None:
    source = pypdfium2.PdfDocument(CORPUS / "003_bb8745acf477937f.pdf")
    images = [source[i].render(scale=0.5).to_pil().convert("L") for i in range(2)]
    scan = tmp_path / "scan.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:])
    result = process_file(scan, settings=ExtractSettings(ocr=OcrMode.NEVER))
    assert result.status.value == "failed"
    assert result.error == (
        "scan.pdf: image-only PDF (2 pages, no text layer); it needs OCR (run without --ocr never)"
    )


def test_unknown_kind_is_skipped(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text('{"a": 1}')
    result = process_file(data)
    assert result.status.value == "skipped" and "unsupported file type" in (result.error or "")


def test_a_fault_of_the_reader_is_not_blamed_on_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sound PDF on which the package's own code fails is an internal error, named as
    such, never "damaged PDF" (the file is fine; the analyst must not discard it)."""
    import dean06.extract.pdf as pdf_reader

    def failing_layout(*args: object, **kwargs: object) -> object:
        raise ValueError("zip() argument 2 is longer than argument 1")

    monkeypatch.setattr(pdf_reader, "page_to_items", failing_layout)
    sound = BAD / "Báo cáo tháng 5 (bản cuối).pdf"
    result = process_file(sound)
    assert result.status.value == "failed"
    assert result.error is not None and "damaged" not in result.error
    assert result.error.startswith(sound.name) and "unexpected ValueError" in result.error
    assert [f.code for f in result.findings] == ["internal_error"]
