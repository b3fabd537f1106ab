"""Vietnamese text keys: one spelling for matching, the printed string kept elsewhere."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (hoà, thuỷ) → the style most reports use (hòa, thủy).
_TONE_STYLE = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_STYLE) + r"(?![a-zàáảãạăằắẳẵặâầấẩẫậ])")
_MARKUP_RE = re.compile(r"</?[a-zA-Z][^>]*>|\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|\$|\\")
_PUNCT_RE = re.compile(r"[^\w%/]+")
_SPACE_RE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC with the look-alike Ð (U+00D0) folded to Đ."""
    return unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")


def collapse_spaces(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    """Drop HTML tags, markdown emphasis and LaTeX dollars that converters leave behind."""
    text = text.replace("\\%", "%")
    return _MARKUP_RE.sub("", text)


def clean_text(text: str) -> str:
    """Printed text as an analyst wants to read it: NFC, no markup, single spaces."""
    return collapse_spaces(strip_markup(nfc(text)))


def vn_key(text: str) -> str:
    """Matching key: NFC, one tone style, casefolded, punctuation and spaces collapsed."""
    text = nfc(strip_markup(text)).casefold()
    text = _TONE_RE.sub(lambda m: _TONE_STYLE[m.group(0)], text)
    return collapse_spaces(_PUNCT_RE.sub(" ", text))


def ascii_key(text: str) -> str:
    """Diacritics-free fallback key (``Đăng ký`` → ``dang ky``)."""
    decomposed = unicodedata.normalize("NFD", vn_key(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
