"""Converter text as it really comes, made from PDFs the way offices make it.

* ``layout``: ``pdftotext -layout`` (poppler-utils) — columns aligned by spaces, a row's
  name wrapped over several lines, header cells stacked.
* ``collapsed``: the same visual lines with the spacing collapsed, as plain converters and
  copy-paste give it: a line's cells run together with single spaces, and a line that holds
  no count (the wrapped tail of a name, of an agency, of "Đã kết" / "nối") is broken into its
  pieces, one per line, so a name's tail arrives on the line after the numbers.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_GAP = re.compile(r"\s{2,}")
_COUNT = re.compile(r"(?<![\w/])\d[\d.,]*%?(?![\w/])")


def pdf_to_layout_text(pdf: Path, out: Path) -> Path:
    """``pdftotext -layout`` of ``pdf`` written to ``out``."""
    subprocess.run(["pdftotext", "-layout", str(pdf), str(out)], check=True)
    return out


def layout_to_collapsed(text: str) -> str:
    """Layout text with its column spacing collapsed (see the module docstring)."""
    out: list[str] = []
    for line in text.split("\n"):
        pieces = [p for p in _GAP.split(line.strip()) if p]
        if not pieces:
            out.append("")
            continue
        if len(pieces) > 1 and not any(_COUNT.search(p) for p in pieces):
            out.extend(pieces)  # a wrapped line of several cells: one piece per line
        else:
            out.append(" ".join(pieces))
    return "\n".join(out)


def pdf_to_collapsed_text(pdf: Path, out: Path) -> Path:
    layout = out.with_suffix(".layout.tmp")
    pdf_to_layout_text(pdf, layout)
    out.write_text(layout_to_collapsed(layout.read_text("utf-8")), "utf-8")
    layout.unlink()
    return out
