"""Unicode text re-typed in the legacy font encodings (TCVN3, VNI), as an office's old
fonts store it: the inverse of ``dean06.normalize.legacy``, for building test inputs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.run import Run

from dean06.normalize.legacy import TCVN3, VNI
from dean06.normalize.text import nfc
from tests import family

_TO_TCVN3 = {letter: code for code, letter in TCVN3.items() if code != "\u2212"}
_VNI_LETTER_CODES = {text: code for code, text in VNI.items() if not unicodedata.combining(text[0])}
_VNI_MARK_CODES = {
    (unicodedata.normalize("NFD", "a" + text)[1:], code.isupper()): code
    for code, text in VNI.items()
    if unicodedata.combining(text[0])
}


def to_tcvn3(text: str) -> str:
    """Capitals with tones have no TCVN3 code: they take their small letter's (as typed
    in a ``.VnTimeH`` font)."""
    return "".join(_TO_TCVN3.get(ch, _TO_TCVN3.get(ch.lower(), ch)) for ch in nfc(text))


def to_tcvn3_as_pdf_text(text: str) -> str:
    """TCVN3 as text extraction gives it from a PDF: ư (the soft hyphen's code) as "−"."""
    return to_tcvn3(text).replace("\xad", "\u2212")


def to_vni(text: str) -> str:
    out = []
    for ch in nfc(text):
        if ch in _VNI_LETTER_CODES:
            out.append(_VNI_LETTER_CODES[ch])
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        if not marks or base.lower() not in "aeouy":
            out.append(ch)
            continue
        if "\u031b" in marks:  # ơ, ư: a letter of their own, the tone after
            marks.remove("\u031b")
            base = _VNI_LETTER_CODES[nfc(base + "\u031b")]
        out.append(base)
        if marks:
            out.append(_VNI_MARK_CODES[("".join(marks), ch.isupper())])
    return "".join(out)


def write_legacy_forms(
    report: dict[str, Any], stem: Path, forms: tuple[str, ...], encode: Callable[[str], str]
) -> list[Path]:
    """The report's PDF and DOCX (``family.write_forms``) with every text re-typed by
    ``encode``, as a document set in a legacy font stores it."""
    written = []
    if "docx" in forms:
        (path,) = family.write_forms(report, stem, ("docx",))
        document = docx.Document(str(path))
        for element in document.element.body.iter(qn("w:r")):  # a merged cell's once
            run = Run(element, document)
            run.text = encode(run.text)
        document.save(str(path))
        written.append(path)
    if "pdf" in forms:  # after the DOCX: write_forms removes a PDF it was not asked for
        with _paragraphs_retyped(encode):
            written += family.write_forms(report, stem, ("pdf",))
    return written


@contextmanager
def _paragraphs_retyped(encode: Callable[[str], str]) -> Iterator[None]:
    drawn = family.Paragraph
    family.Paragraph = lambda text, style: drawn(encode(text), style)  # type: ignore[assignment]
    try:
        yield
    finally:
        family.Paragraph = drawn  # type: ignore[misc]
