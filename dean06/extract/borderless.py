"""Tables printed without rules: found from word geometry (placeholder until measured)."""

from __future__ import annotations

from pdfplumber.page import Page

BBox = tuple[float, float, float, float]


def find_borderless_tables(page: Page) -> list[tuple[BBox, list[list[str]], str]]:
    """Grids of the borderless tables on ``page``."""
    return []
