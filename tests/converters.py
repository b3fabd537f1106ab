"""Converter text as it really comes, made from PDFs the way offices make it.

* ``layout``: ``pdftotext -layout`` (poppler-utils) — columns aligned by spaces, a row's
  name wrapped over several lines, header cells stacked.
* ``collapsed``: the same visual lines with the spacing collapsed, as plain converters and
  copy-paste give it: a line's cells run together with single spaces, and a line that holds
  no count (the wrapped tail of a name, of an agency, of "Đã kết" / "nối") is broken into its
  pieces, one per line, so a name's tail arrives on the line after the numbers.

``page_effects`` adds what converters leave at page breaks: a page number at the foot, a
running header at the top of the next page (inside a table that goes on), the break moved
into a wrapped row so the row is split, and a footnote marker glued to a word.
"""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

_GAP = re.compile(r"\s{2,}")
_COUNT = re.compile(r"(?<![\w/])\d[\d.,]*%?(?![\w/])")
_WORD_END = re.compile(r"(?<=[a-zà-ỹđ])(?=[\s,;])")


def pdf_to_layout_text(pdf: Path) -> str:
    """``pdftotext -layout`` of ``pdf``."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True)
    return done.stdout.decode("utf-8")


def layout_to_collapsed(text: str) -> str:
    """Layout text with its column spacing collapsed (see the module docstring)."""
    out: list[str] = []
    for line in text.split("\n"):
        feed = "\f" if line.startswith("\f") else ""
        pieces = [p for p in _GAP.split(line.strip("\f").strip()) if p]
        if not pieces:
            out.append(feed)
            continue
        if len(pieces) > 1 and not any(_COUNT.search(p) for p in pieces):
            out.extend([feed + pieces[0], *pieces[1:]])  # one piece per line
        else:
            out.append(feed + " ".join(pieces))
    return "\n".join(out)


def page_effects(text: str, seed: int, running_header: str) -> str:
    """Page numbers, a running header, a row split by the break, a footnote marker."""
    rng = random.Random(seed * 7919 + 17)
    pages = text.split("\f")
    out = []
    for number, page in enumerate(pages, start=1):
        lines = page.split("\n")
        if number > 1 and rng.random() < 0.7:
            lines.insert(0, running_header)
        if number < len(pages):
            while lines and not lines[-1].strip():
                lines.pop()
            if rng.random() < 0.5 and len(lines) > 3 and not _COUNT.search(lines[-1]):
                out_tail = [lines.pop()]  # the break falls inside the row: its tail goes on
            else:
                out_tail = []
            lines.append(f"{' ' * 40}{number}" if rng.random() < 0.8 else f"Trang {number}")
            out.append("\n".join(lines) + "\n")  # the page's last line ends, then the feed
            pages[number] = "\n".join(out_tail) + ("\n" if out_tail else "") + pages[number]
        else:
            out.append("\n".join(lines))
    text = "\f".join(out)
    words = list(_WORD_END.finditer(text))
    if words:
        at = rng.choice(words).start()
        text = text[:at] + rng.choice("¹²³") + text[at:]
    return text


def write_converter_texts(
    pdf: Path, stem: Path, seed: int | None = None, running_header: str = ""
) -> list[Path]:
    """``stem.layout.txt`` and ``stem.collapsed.txt`` of ``pdf``; with a ``seed``, the
    page effects drawn for it are added (``page_effects``)."""
    layout = pdf_to_layout_text(pdf)
    if seed is not None:
        layout = page_effects(layout, seed, running_header)
    written = []
    for form, text in (("layout", layout), ("collapsed", layout_to_collapsed(layout))):
        path = stem.with_name(f"{stem.name}.{form}.txt")
        path.write_text(text, "utf-8")
        written.append(path)
    return written
