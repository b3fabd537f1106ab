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
# footnote markers ("cổng¹", "Đúng² hạn") are no part of a word
_PUNCT_RE = re.compile(r"[^\w%/]+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
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


# a hyphen glued to a word at a line's end joins the word on the next line ("LĐ-" / "TB&XH")
_HYPHEN_AT_BREAK = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")


# a footnote marker a converter glued to a word ("Sở³ Y tế", "cổng¹")
_GLUED_FOOTNOTE = re.compile(r"(?<=[^\W\d_])[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def drop_footnote_marks(text: str) -> str:
    """Text without the footnote markers glued to its words. Not for text that may be in a
    legacy font encoding (TCVN3 sets letters at those code points)."""
    return _GLUED_FOOTNOTE.sub("", text)


def clean_text(text: str) -> str:
    """Printed text as an analyst wants to read it: NFC, no markup, single spaces, a
    compound broken after its hyphen joined again."""
    return collapse_spaces(strip_markup(_HYPHEN_AT_BREAK.sub("-", nfc(text))))


_OCR_NOISE_TOKEN = re.compile(r"^[|_~`'\"“”‘’•·:;,.=—–-]+$")
_LEADING_SPECK = re.compile(r"^[.'‘’`]+(?=\d[\d.,]*$)")  # not a decimal comma: ",5%"
_OCR_PERCENT_NO_COMMA = re.compile(r"^(\d{2,3})(\d{2})%$")


def _is_lone_accent(token: str) -> bool:
    """A token of spacing accents alone ("ˆ", "˜", "`"): a speck read as the accent of
    no letter (Vietnamese puts its accents on letters)."""
    return all(unicodedata.category(char) in {"Lm", "Sk"} for char in token)


def clean_ocr_cell(text: str) -> str:
    """An OCR'd table cell without the specks OCR reads around it.

    Lines that are only punctuation (a rule or a speck read as ``|``, ``_``, ``—``) are
    dropped, and so are such tokens at the ends of a line; a lone dash stays (it means
    "none"); a speck read before a number (".11.607", "'5.712") is dropped. A rate printed
    ``100,00%`` and read ``10000%`` gets its comma back.
    """
    lines = []
    for line in text.splitlines():
        tokens = [token for token in clean_text(line).split() if not _is_lone_accent(token)]
        while tokens and _OCR_NOISE_TOKEN.match(tokens[0]) and len(tokens) > 1:
            if tokens[0] in {"-", "–", "+"} and tokens[1][:1].isalpha():
                break  # "- Đối với công dân …": a sub-row's mark, not a speck
            tokens.pop(0)
        while tokens and _OCR_NOISE_TOKEN.match(tokens[-1]) and len(tokens) > 1:
            tokens.pop()
        tokens = [_LEADING_SPECK.sub("", token) for token in tokens]
        if tokens and not (len(tokens) == 1 and _OCR_NOISE_TOKEN.match(tokens[0])):
            lines.append(" ".join(tokens))
    if not lines and clean_text(text) in {"-", "–", "—"}:
        return "-"
    cell = " ".join(lines)
    return _OCR_PERCENT_NO_COMMA.sub(r"\1,\2%", cell)


def words_apart(text: str) -> str:
    """Words OCR ran together put apart where a capital follows a small letter ("SởY tế"
    → "Sở Y tế"): no Vietnamese word has a capital inside it."""
    chars = [
        f" {char}" if char.isupper() and index and text[index - 1].islower() else char
        for index, char in enumerate(text)
    ]
    return "".join(chars)


def vn_key(text: str) -> str:
    """Matching key: NFC, one tone style, casefolded, punctuation and spaces collapsed."""
    text = nfc(strip_markup(text)).casefold()
    text = _TONE_RE.sub(lambda m: _TONE_STYLE[m.group(0)], text)
    return collapse_spaces(_PUNCT_RE.sub(" ", text))


def ascii_key(text: str) -> str:
    """Diacritics-free fallback key (``Đăng ký`` → ``dang ky``)."""
    decomposed = unicodedata.normalize("NFD", vn_key(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
