"""Text inside a box of a page, read as pdfplumber reads a table cell."""

from __future__ import annotations

from typing import Any

from pdfplumber.utils import extract_text

from dean06.extract.geometry import Box


def box_text(chars: list[dict[str, Any]], box: Box) -> str:
    """The text of the characters whose middle lies in ``box`` (x0, top, x1, bottom),
    right and bottom edges excluded: ``Table.extract``'s rule for a cell."""
    x0, top, x1, bottom = box
    inside = [
        c
        for c in chars
        if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom
    ]
    return extract_text(inside) if inside else ""
