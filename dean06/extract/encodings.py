"""The text of a converter's file, whatever encoding a Vietnamese office saved it in.

UTF-8 (with or without a BOM) is read as it is; UTF-16 is known by its BOM; text that is
not UTF-8 is read as Windows-1258 (the Vietnamese code page, tones as combining marks) or
as the Windows code page of the legacy font encodings (TCVN3, VNI: ``normalize.legacy``),
whichever reads as Vietnamese with the fewest impossible words. UTF-8 text typed in a
legacy font encoding is converted too. The encoding the text was converted from is
returned, for a finding.
"""

from __future__ import annotations

import codecs
import re

from dean06.errors import UnreadableDocument
from dean06.normalize.legacy import CONVERTERS, detect_legacy, odd_words
from dean06.normalize.text import nfc

# letters only Vietnamese writes, and the tone marks Windows-1258 sets apart
_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323]")
_MIN_VIETNAMESE_SHARE = 0.03  # of the letters: Vietnamese prose has far more


def decode_text(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text of ``raw`` (NFC) and the encoding it was converted from (None: UTF-8)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _unless_legacy(nfc(raw.decode("utf-16")), "UTF-16")
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"{name}: damaged UTF-16 text ({exc.reason})") from exc
    try:
        return _unless_legacy(nfc(raw.decode("utf-8-sig")), None)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    read = code_page_text(raw)
    if read is None:
        raise UnreadableDocument(
            f"{name}: text is neither UTF-8, UTF-16, Windows-1258, TCVN3 nor VNI "
            f"({utf8_error.reason} at byte {utf8_error.start})"
        ) from utf8_error
    return read


def _unless_legacy(text: str, encoding: str | None) -> tuple[str, str | None]:
    legacy = detect_legacy(text)
    if legacy is None:
        return text, encoding
    return nfc(CONVERTERS[legacy](text)), legacy.value


def code_page_text(raw: bytes) -> tuple[str, str] | None:
    """``raw`` (not UTF-8) read in the code page that gives the most Vietnamese reading,
    and its name; None when no reading looks Vietnamese."""
    readings: dict[str, str] = {}
    vietnamese = windows_1258(raw)
    if vietnamese is not None:
        readings["Windows-1258"] = vietnamese
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = raw.decode("latin-1")  # the five codes Windows-1252 leaves undefined
    for encoding, convert in CONVERTERS.items():
        text = nfc(convert(western))
        if _looks_vietnamese(text):
            readings[encoding.value] = text
    if not readings:
        return None
    best = min(readings, key=lambda encoding: odd_words(readings[encoding][:200_000]))
    return readings[best], best


def windows_1258(raw: bytes) -> str | None:
    """``raw`` read as Windows-1258 when it decodes and reads as Vietnamese, else None."""
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        return None
    return nfc(text) if _looks_vietnamese(text) else None


def _looks_vietnamese(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return bool(letters) and len(_VIETNAMESE.findall(text)) >= _MIN_VIETNAMESE_SHARE * letters


def looks_like_text(head: bytes) -> bool:
    """The first bytes of a file read as text in one of the encodings above (a character
    cut at the end of ``head`` aside)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sniff boundary
            return code_page_text(head) is not None
    return True
