"""OCR speed: seconds per page of the tool's OCR path next to plain ``tesseract -l vie``.

Plain Tesseract reads the same page images at the same resolution (the scan's 200 dpi), one
process at a time with one thread; the tool runs OCRmyPDF (deskew, rules erased) then
re-reads every table cell. The ratio is the tool's overhead. A text-layer PDF is timed too:
under ``--ocr auto`` it must not be OCR'd.

    python bench/ocr.py [SCAN.pdf] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dean06.extract import read_document  # noqa: E402
from dean06.settings import ExtractSettings  # noqa: E402
from tests.scan import DPI, make_scan  # noqa: E402

SHARED_SCAN = ROOT.parent / "shared" / "corpus" / "003_bb8745acf477937f.scan.pdf"
TEXT_PDF = ROOT / "tests" / "data" / "corpus" / "003_bb8745acf477937f.pdf"


def plain_tesseract(scan: Path, folder: Path) -> float:
    """Seconds for ``tesseract -l vie`` over every page image, one after the other."""
    document = pypdfium2.PdfDocument(scan)
    images = []
    for index, page in enumerate(document):
        image = folder / f"page{index + 1}.png"
        page.render(scale=DPI / 72, grayscale=True).to_pil().save(image, dpi=(DPI, DPI))
        images.append(image)
    document.close()
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    for image in images:
        subprocess.run(
            ["tesseract", str(image), str(image.with_suffix("")), "-l", "vie"],
            check=True,
            capture_output=True,
            env=environment,
        )
    return time.perf_counter() - start


def tool(scan: Path, jobs: int) -> tuple[float, int]:
    start = time.perf_counter()
    document = read_document(scan, ExtractSettings(ocr_jobs=jobs))
    return time.perf_counter() - start, len(document.ocr_pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scan", nargs="?", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="also write the figures here (scale.py "
                        "projects a month's cost from them)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        scan = args.scan or (SHARED_SCAN if SHARED_SCAN.exists() else None)
        scan = scan or make_scan(TEXT_PDF, folder / "003.scan.pdf", seed=3)
        pages = len(pypdfium2.PdfDocument(scan))
        plain = plain_tesseract(scan, folder)
        one, ocr_pages = tool(scan, 1)
        many, _ = tool(scan, args.jobs) if args.jobs > 1 else (one, ocr_pages)
        text_seconds, text_ocr_pages = tool(TEXT_PDF, args.jobs)
    print(f"scan: {scan.name}, {pages} pages at {DPI} dpi ({ocr_pages} OCR'd)")
    print(f"plain tesseract -l vie, 1 thread:   {plain / pages:6.2f} s/page")
    print(f"dean06, 1 job:                       {one / pages:6.2f} s/page  "
          f"(ratio {one / plain:.2f})")  # fmt: skip
    if args.jobs > 1:
        print(f"dean06, {args.jobs} jobs:                      {many / pages:6.2f} s/page  "
              f"(ratio {many / plain:.2f})")  # fmt: skip
    print(f"text-layer PDF under --ocr auto: {text_ocr_pages} pages OCR'd, "
          f"{text_seconds:.2f} s")  # fmt: skip
    if args.json:
        figures = {"pages": pages, "tesseract_s_per_page": plain / pages,
                   "dean06_s_per_page": one / pages}  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
