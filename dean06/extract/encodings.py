"""The text of a converter's file, whatever encoding a Vietnamese office saved it in.

UTF-8 (with or without a BOM) is read as it is; UTF-16 is known by its BOM; text that is
not UTF-8 is read as Windows-1258 (the Vietnamese code page, tones as combining marks)
when it then reads as Vietnamese. The encoding it was converted from is returned, for a
finding. Legacy font encodings (TCVN3/ABC, VNI) are not recognised yet.
"""

from __future__ import annotations

import codecs
import re

from dean06.errors import UnreadableDocument
from dean06.normalize.text import nfc

# letters only Vietnamese writes, and the tone marks Windows-1258 sets apart
_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323]")
_MIN_VIETNAMESE_SHARE = 0.03  # of the letters: Vietnamese prose has far more


def decode_text(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text of ``raw`` (NFC) and the encoding it was converted from (None: UTF-8)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return nfc(raw.decode("utf-16")), "UTF-16"
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"{name}: damaged UTF-16 text ({exc.reason})") from exc
    try:
        return nfc(raw.decode("utf-8-sig")), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = windows_1258(raw)
    if text is None:
        raise UnreadableDocument(
            f"{name}: text is neither UTF-8, UTF-16 nor Windows-1258 ({utf8_error.reason} "
            f"at byte {utf8_error.start})"
        ) from utf8_error
    return text, "Windows-1258"


def windows_1258(raw: bytes) -> str | None:
    """``raw`` read as Windows-1258 when it decodes and reads as Vietnamese, else None."""
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() for ch in text)
    if not letters or len(_VIETNAMESE.findall(text)) < _MIN_VIETNAMESE_SHARE * letters:
        return None
    return nfc(text)


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
            return windows_1258(head) is not None
    return True
