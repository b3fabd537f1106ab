"""The batch's progress in pages: a scan advances page by page, not only when it ends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from dean06.batch import BatchOptions, extract_into
from dean06.progress import BatchProgress

from .conftest import CORPUS
from .scan import make_scan

REPORT = CORPUS / "003_bb8745acf477937f.pdf"  # 14 pages; 13 and 14 hold its DVC tables


def _extract(folder: Path, db: Path) -> list[BatchProgress]:
    states: list[BatchProgress] = []
    extract_into([folder], db, BatchOptions(workers=1), on_progress=states.append)
    return states


@pytest.mark.ocr
def test_a_scan_advances_the_bar_page_by_page(tmp_path: Path) -> None:
    pages = tmp_path / "two_pages.pdf"
    with pikepdf.open(REPORT) as report, pikepdf.new() as two:
        two.pages.extend(report.pages[12:14])
        two.save(pages)
    folder = tmp_path / "in"
    folder.mkdir()
    make_scan(pages, folder / "two_pages.scan.pdf", seed=3)

    states = _extract(folder, tmp_path / "db.duckdb")

    before_the_end = [s.pages_done for s in states if s.files_done == 0 and s.pages == 2]
    assert any(0 < done < 2 for done in before_the_end), before_the_end
    done = [s.pages_done for s in states]
    assert done == sorted(done), done  # never goes back
    last = states[-1]
    assert (last.files_done, last.files, last.pages_done, last.pages) == (1, 1, 2, 2)
    assert not last.estimated


def test_a_batch_counts_the_pages_of_each_file_it_reads(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("003_bb8745acf477937f.pdf", "000_ad209dad08bfea4e.docx"):
        shutil.copy(CORPUS / name, folder / name)
    db = tmp_path / "db.duckdb"
    first = _extract(folder, db)[-1]
    assert (first.files_done, first.pages_done, first.pages) == (2, 14 + 4, 14 + 4)

    shutil.copy(CORPUS / "003_bb8745acf477937f.txt", folder)
    again = _extract(folder, db)[-1]  # the two loaded are skipped: files, not pages to read
    assert (again.files_done, again.files, again.pages_done, again.pages) == (3, 3, 1, 1)
