"""OCR speed: CPU seconds per page of ``dean06 extract`` next to the bare engines.

In one run, on the same scan: plain ``tesseract -l vie`` (one thread) over the page images
at the scan's resolution, one process at a time; ``ocrmypdf -l vie --jobs 1`` (force OCR,
no optimisation), which renders, OCRs and writes a text layer; and ``dean06 extract
--workers 1`` end to end (OCR with the rules erased, the tables' cells read again, the
report loaded). CPU seconds are those of the process and all its children, so that a
second core does not hide work. Then wall seconds of ``dean06 extract`` with 1 and 2
workers on the one file (its pages OCR'd in parallel), and a text-layer PDF under
``--ocr auto``, which must not be OCR'd.

    python bench/ocr.py [SCAN.pdf] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dean06.extract import read_document  # noqa: E402
from tests.scan import DPI, make_scan  # noqa: E402

SHARED_SCAN = ROOT.parent / "shared" / "corpus" / "003_bb8745acf477937f.scan.pdf"
TEXT_PDF = ROOT / "tests" / "data" / "corpus" / "003_bb8745acf477937f.pdf"
ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def timed(commands: Sequence[Sequence[str]]) -> tuple[float, float]:
    """CPU seconds (children's, user and system) and wall seconds of ``commands``, run
    one after the other."""
    before, start = os.times(), time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, capture_output=True, env=ONE_THREAD)
    after, wall = os.times(), time.perf_counter() - start
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return cpu, wall


def page_images(scan: Path, folder: Path) -> list[Path]:
    document = pypdfium2.PdfDocument(scan)
    images = []
    for index, page in enumerate(document):
        image = folder / f"page{index + 1}.png"
        page.render(scale=DPI / 72, grayscale=True).to_pil().save(image, dpi=(DPI, DPI))
        images.append(image)
    document.close()
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scan", nargs="?", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures here (scale.py "
                        "projects a month's cost from them)")  # fmt: skip
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        scan = args.scan or (SHARED_SCAN if SHARED_SCAN.exists() else None)
        scan = scan or make_scan(TEXT_PDF, folder / "003.scan.pdf", seed=3)
        pages = len(pypdfium2.PdfDocument(scan))
        tesseract = timed(
            [["tesseract", str(i), str(i.with_suffix("")), "-l", "vie"]
             for i in page_images(scan, folder)]
        )  # fmt: skip
        ocrmypdf = timed([[python, "-m", "ocrmypdf", "-q", "-l", "vie", "--jobs", "1",
                           "--force-ocr", "--optimize", "0", "--output-type", "pdf",
                           str(scan), str(folder / "ocrmypdf.pdf")]])  # fmt: skip

        def extract(workers: int) -> tuple[float, float]:
            db = folder / f"w{workers}.duckdb"
            return timed([[python, "-m", "dean06", "extract", str(scan), "--db", str(db),
                           "--workers", str(workers), "-q"]])  # fmt: skip

        one, two = extract(1), extract(2)
        text_ocr_pages = len(read_document(TEXT_PDF).ocr_pages)
    rows = [("plain tesseract -l vie, 1 thread", tesseract),
            ("ocrmypdf -l vie --jobs 1", ocrmypdf),
            ("dean06 extract --workers 1", one)]  # fmt: skip
    print(f"scan: {scan.name}, {pages} pages at {DPI} dpi")
    print(f"{'':36} {'CPU s/page':>10} {'× tesseract':>12} {'wall s':>8}")
    for label, (cpu, wall) in rows:
        print(f"{label:36} {cpu / pages:10.2f} {cpu / tesseract[0]:12.2f} {wall:8.1f}")
    print(f"dean06 extract --workers 2 on the one file: {two[1]:.1f} s wall "
          f"(speed-up {one[1] / two[1]:.2f} over 1 worker)")  # fmt: skip
    print(f"text-layer PDF under --ocr auto: {text_ocr_pages} pages OCR'd")
    if args.json:
        figures = {"pages": pages, "tesseract_s_per_page": tesseract[0] / pages,
                   "ocrmypdf_s_per_page": ocrmypdf[0] / pages,
                   "dean06_s_per_page": one[0] / pages,
                   "two_worker_speedup": one[1] / two[1]}  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
