"""Tables found by camelot (lattice or stream), their cells read from pdfplumber's text.

camelot finds rules in the rendered page image (lattice), so it sees rules drawn as
images or broken into dashes that pdfplumber's vector rules miss, and columns from text
alignment (stream). Its own cell text comes from pdfminer text lines, which shred
Vietnamese words whose accented letters were drawn from a fallback font; so only its
cell boxes are kept, and each cell is read from the page's characters as pdfplumber
reads a ruled table's cells.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

from pdfplumber.page import Page

from dean06.extract.boxes import box_text
from dean06.extract.cells import looks_numeric
from dean06.extract.geometry import Box

LATTICE, STREAM = "lattice", "stream"


def camelot_grids(path: Path, page: Page, flavor: str) -> list[tuple[Box, list[list[str]]]]:
    """The tables camelot finds on ``page`` with ``flavor``: (bbox, rows) each, merged
    cells as empty strings after the first. Nothing when camelot fails on the page."""
    try:
        import camelot

        logging.getLogger("camelot").setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(path), pages=str(page.page_number), flavor=flavor)
    except Exception:  # camelot is a second opinion: its failure leaves the first one
        return []
    height = float(page.height)
    grids = []
    for table in tables:
        x0, y0, x1, y1 = table._bbox
        rows = _rows(table.cells, page, flavor)
        grids.append(((x0, height - y1, x1, height - y0), _from_header(rows, flavor)))
    return grids


def _from_header(rows: list[list[str]], flavor: str) -> list[list[str]]:
    """A stream table without the lines camelot took in above it (a caption): it starts
    at the row before its first count, that row being the header."""
    if flavor != STREAM:
        return rows
    first_count = next((i for i, row in enumerate(rows) if any(map(looks_numeric, row))), 0)
    return rows[max(first_count - 1, 0) :]


def _rows(cells: list[list[Any]], page: Page, flavor: str) -> list[list[str]]:
    """Cell texts, a lattice cell merged with its neighbours where camelot saw no rule
    between them (the text goes to the merged region's first cell)."""
    height = float(page.height)
    regions = _merged_regions(cells) if flavor == LATTICE else {}
    boxes: dict[tuple[int, int], Box] = {}
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            owner = regions.get((r, c), (r, c))
            box = (cell.x1, height - cell.y2, cell.x2, height - cell.y1)
            if owner in boxes:
                a = boxes[owner]
                box = (min(a[0], box[0]), min(a[1], box[1]), max(a[2], box[2]), max(a[3], box[3]))
            boxes[owner] = box
    chars = page.chars
    rows = []
    for r, row in enumerate(cells):
        texts = []
        for c in range(len(row)):
            if regions.get((r, c), (r, c)) != (r, c):
                texts.append("")
                continue
            texts.append(" ".join(box_text(chars, boxes[(r, c)]).split()))
        rows.append(texts)
    return rows


def _merged_regions(cells: list[list[Any]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Grid position → the first position of its merged region (union of neighbours
    with no rule between them)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(key: tuple[int, int]) -> tuple[int, int]:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        first, second = sorted((find(a), find(b)))
        parent[second] = first

    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            if c + 1 < len(row) and not cell.right:
                join((r, c), (r, c + 1))
            if r + 1 < len(cells) and not cell.bottom:
                join((r, c), (r + 1, c))
    return {key: find(key) for key in parent}  # a region's first cell maps to itself
