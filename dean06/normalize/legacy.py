"""Vietnamese typed in the legacy font encodings still common in local offices.

Before Unicode, Vietnamese was typed in fonts whose Latin-1 code points drew Vietnamese
letters: TCVN3 (ABC, the ``.VnTime`` fonts) gives each letter a code of its own ("Céng
hoµ" is "Cộng hoà"); VNI (the ``VNI-Times`` fonts) follows a base vowel with a code for
its marks ("Coäng hoøa"). Text copied from such documents, a PDF set in such fonts, or a
file saved by them carries those code points. Which encoding a text is in is told by its
content: the reading with the most Vietnamese words and the fewest impossible ones.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from enum import StrEnum
from functools import lru_cache

from dean06.normalize.text import nfc
from dean06.schemas import Document, DocumentKind, Table, TextBlock


class LegacyEncoding(StrEnum):
    TCVN3 = "TCVN3 (ABC, .VnTime fonts)"
    VNI = "VNI (VNI-Times fonts)"


# TCVN3: each vowel with its five tones (grave, hook, tilde, acute, dot below), as typed
_TCVN3_TONED = {
    "a": "µ¶·¸¹",
    "ă": "»¼½¾Æ",
    "â": "ÇÈÉÊË",
    "e": "ÌÎÏÐÑ",
    "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ",
    "o": "ßáâãä",
    "ô": "åæçèé",
    "ơ": "êëìíî",
    "u": "ïñòóô",
    "ư": "õö÷øù",
    "y": "úûüýþ",
}
_TONES = "\u0300\u0309\u0303\u0301\u0323"  # in the order of the table above
# ư is the soft hyphen's code, which PDF text extraction often gives as a minus sign
_TCVN3_PLAIN = dict(zip("¨©®ª«¬\xad\u2212¡¢§£¤¥¦", "ăâđêôơưưĂÂĐÊÔƠƯ", strict=True))
TCVN3 = _TCVN3_PLAIN | {
    code: nfc(vowel + tone)
    for vowel, codes in _TCVN3_TONED.items()
    for code, tone in zip(codes, _TONES, strict=True)
}

# VNI: letters of one code, and codes of the marks that follow a base vowel (combining)
_VNI_LETTERS = dict(zip("ñôöìíæóòî", "đơưìíỉĩịỵ", strict=True))
_TONE_MARKS = dict(zip("øùûõï", "\u0300\u0301\u0309\u0303\u0323", strict=True))
_CIRCUMFLEX = dict(zip("âàáåãä", ["", *"\u0300\u0301\u0309\u0303\u0323"], strict=True))
_BREVE = dict(zip("êèéúüë", ["", *"\u0300\u0301\u0309\u0303\u0323"], strict=True))
_VNI_SMALL = (
    _VNI_LETTERS
    | _TONE_MARKS
    | {code: "\u0302" + tone for code, tone in _CIRCUMFLEX.items()}
    | {code: "\u0306" + tone for code, tone in _BREVE.items()}
)
VNI = _VNI_SMALL | {code.upper(): text.upper() for code, text in _VNI_SMALL.items()}

_VIETNAMESE_TONE_MARKS = set(_TONES)
_CAPITAL_WORD = re.compile(r"\w+")
_VOWELS = set("aeiouy")
_LATIN1_LETTERS_OF_VIETNAMESE = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SAMPLE_CHARS = 200_000  # the start of a long text tells its encoding
_MIN_ODD_WORDS = 5  # fewer odd words are typos or symbols, not an encoding
_CLEAR_GAIN = 0.5  # a reading must take away at least half the odd words


def from_tcvn3(text: str) -> str:
    """``text`` typed in TCVN3, in Unicode. TCVN3 has no codes for capitals with tones
    (the ``.VnTimeH`` fonts draw the small letters' codes as capitals): a word whose
    other letters are capitals ("BáO") is given in capitals."""
    return restore_capitals("".join(TCVN3.get(ch, ch) for ch in text))


def restore_capitals(text: str) -> str:
    """Words in capitals whose toned letters TCVN3 gave in small letters, in capitals."""
    return _CAPITAL_WORD.sub(_capitals, text)


def _capitals(match: re.Match[str]) -> str:
    word = match[0]
    latin = [ch for ch in word if ch.isascii() and ch.isalpha()]
    if len(latin) >= 2 and all(ch.isupper() for ch in latin) and not word.isascii():
        return word.upper()
    return word


def from_vni(text: str) -> str:
    """``text`` typed in VNI, in Unicode."""
    return nfc("".join(VNI.get(ch, ch) for ch in text))


CONVERTERS = {LegacyEncoding.TCVN3: from_tcvn3, LegacyEncoding.VNI: from_vni}
CHARACTERS = {LegacyEncoding.TCVN3: TCVN3, LegacyEncoding.VNI: VNI}  # code → Unicode, one by one


def detect_legacy(text: str) -> LegacyEncoding | None:
    """The legacy encoding ``text`` is in, or None when it reads best as it is."""
    sample = text[:_SAMPLE_CHARS]
    odd_as_is = odd_words(sample)
    if odd_as_is < _MIN_ODD_WORDS:
        return None
    scored = {encoding: odd_words(convert(sample)) for encoding, convert in CONVERTERS.items()}
    best = min(scored, key=scored.__getitem__)
    return best if scored[best] <= odd_as_is * (1 - _CLEAR_GAIN) else None


def odd_words(text: str) -> int:
    """Words no Vietnamese text holds: a Latin-1 symbol among letters, two tones on one
    syllable, or a capital inside a lower-case word."""
    return sum(_is_odd(word) for word in text.split() if not word.isascii())


@lru_cache(maxsize=1 << 16)  # a text's syllables come back again and again
def _is_odd(word: str) -> bool:
    letters = word.strip(".,;:!?()[]\"'-–/%0123456789")
    if any("\xa0" < ch <= "\xff" and ch not in _LATIN1_LETTERS_OF_VIETNAMESE for ch in letters):
        return True
    decomposed = unicodedata.normalize("NFD", letters)
    if sum(ch in _VIETNAMESE_TONE_MARKS for ch in decomposed) > 1:
        return True
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(letters)):
        return True
    return any(_impossible_vowels(a, b) for a, b in itertools.pairwise(letters.lower()))


def _impossible_vowels(first: str, second: str) -> bool:
    """Two vowels no syllable writes side by side: one vowel twice, one with marks ("oọ"),
    or a horned vowel after a vowel other than u, ư (or the i of gi) ("aừ")."""
    plain_first, plain_second = (unicodedata.normalize("NFD", c)[0] for c in (first, second))
    if plain_first not in _VOWELS or plain_second not in _VOWELS:
        return False
    if _base(first) == _base(second) and first != second:
        return True
    return _base(second) in "ơư" and _base(first) not in "uưi"  # gi: a consonant


def from_legacy_fonts(document: Document) -> Document:
    """``document`` (a DOCX set in legacy fonts) with its text in Unicode, and the
    encoding noted in ``converted_from``; as it is when its text reads as Unicode. Text
    files and PDFs were judged by their readers (``extract.encodings``, ``extract.pdf``);
    a PDF read character by character from TCVN3 has its words in capitals restored."""
    legacy: LegacyEncoding | None
    if document.kind is DocumentKind.PDF and document.converted_from == LegacyEncoding.TCVN3:
        legacy, convert = LegacyEncoding.TCVN3, restore_capitals
    elif document.kind is DocumentKind.DOCX and not document.converted_from:
        legacy = detect_legacy("\n".join(_texts(document.items)))
        if legacy is None:
            return document
        convert = CONVERTERS[legacy]
    else:
        return document

    def converted(items: list[TextBlock | Table]) -> list[TextBlock | Table]:
        out: list[TextBlock | Table] = []
        for item in items:
            if isinstance(item, TextBlock):
                out.append(item.model_copy(update={"text": nfc(convert(item.text))}))
            else:
                rows = [[nfc(convert(cell)) for cell in row] for row in item.rows]
                caption = nfc(convert(item.caption))
                out.append(item.model_copy(update={"rows": rows, "caption": caption}))
        return out

    alternative = document.alternative_items
    return document.model_copy(
        update={
            "items": converted(document.items),
            "alternative_items": converted(alternative) if alternative is not None else None,
            "converted_from": legacy.value,
        }
    )


def _texts(items: list[TextBlock | Table]) -> Iterator[str]:
    for item in items:
        if isinstance(item, TextBlock):
            yield item.text
        else:
            yield item.caption
            yield from (" ".join(row) for row in item.rows)


def _base(letter: str) -> str:
    """The letter without its tone (its other marks kept)."""
    decomposed = unicodedata.normalize("NFD", letter)
    return nfc("".join(c for c in decomposed if c not in _VIETNAMESE_TONE_MARKS))
