"""Vietnamese numbers: ``.`` groups thousands, ``,`` marks decimals."""

from __future__ import annotations

import re

_BLANKS = {"", "-", "–", "—", "x", "/", "...", "…"}
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_PLAIN_INT = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
_CUT_COUNT = re.compile(r"^\d{1,3}(?:\.\d{3})*\.\d{1,2}$")
_AFTER_A_RATE = ".,:;'`"  # a full stop, or a speck OCR read as punctuation
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def _compact(text: str) -> str:
    """Spaces inside a number dropped: around a separator ("1 .318"), before a group of
    three digits ("1 318") and inside a thousands group a narrow cell wrapped ("148.82 9");
    a space inside a decimal ("8,1 37") parts two values."""
    text = text.strip().replace("\u00a0", " ")
    text = re.sub(r"(?<=\d)\s+(?=[.,])|(?<=[.,])\s+(?=\d)|(?<=\d)\s+(?=\d{3}(?!\d))", "", text)
    parts = text.split()
    if len(parts) == 2 and (joined := join_cut_count(*parts)):
        text = joined
    return text.strip()


def parse_vn_int(text: str | None) -> int | None:
    """``158.857`` → 158857, ``04`` → 4, ``2,467`` → 2467, ``267.`` → 267; blank or
    dash → None.

    A comma followed by exactly three digits is read as a misprinted thousands
    separator (the reports never print counts with decimals).
    """
    if text is None:
        return None
    value = _compact(text)
    if value.lower() in _BLANKS:
        return None
    if _PLAIN_INT.match(value):
        return int(value)
    if _GROUPED.match(value):
        return int(re.sub(r"[.,]", "", value))
    fixed = value.translate(_OCR_DIGITS)
    if fixed != value and (_PLAIN_INT.match(fixed) or _GROUPED.match(fixed)):
        return int(re.sub(r"[.,]", "", fixed))
    if value[-1:] in ".," and len(value) > 1:  # "267.": a full stop or a speck after it
        return parse_vn_int(value[:-1])
    return None


def is_blank(text: str) -> bool:
    """A cell that prints no value: empty, a dash, a lone "x", an ellipsis."""
    return _compact(text).rstrip("%").strip().lower() in _BLANKS


def parse_vn_percent(text: str | None) -> float | None:
    """``90,61%`` → 90.61, ``100`` → 100.0, ``35`` → 35.0, ``68%.`` → 68.0 (a full stop
    or a speck after it); blank → None."""
    if text is None:
        return None
    value = _compact(text)
    if len(value) > 1:
        value = value.rstrip(_AFTER_A_RATE) or value
    value = value.rstrip("%").strip()
    if value.lower() in _BLANKS:
        return None
    if _GROUPED.match(value) and "." in value and "," not in value:
        return None  # 1.234 as a rate is a count in the wrong column
    if not _DECIMAL.match(value):
        return None
    return float(value.replace(",", ".")) if "," in value else float(value)


def is_cut_count(text: str) -> bool:
    """A count cut inside its last group by a narrow cell ("148.82" of "148.829")."""
    return bool(_CUT_COUNT.match(text))


def join_cut_count(head: str, tail: str) -> str | None:
    """``head`` ("148.82") with the digits a narrow cell wrapped under it ("9"):
    "148.829"; None unless ``tail`` fills the head's last group to three digits."""
    if not is_cut_count(head) or not tail.isdigit():
        return None
    return head + tail if len(head.rsplit(".", 1)[1]) + len(tail) == 3 else None


def format_vn_int(value: int) -> str:
    """158857 → ``158.857``."""
    return f"{value:,}".replace(",", ".")


def format_vn_decimal(value: float, places: int = 2) -> str:
    """90.61 → ``90,61``."""
    return f"{value:.{places}f}".replace(".", ",")


def looks_numeric(text: str | None) -> bool:
    """True when a cell holds a count or a rate."""
    if not text:
        return False
    return parse_vn_int(text) is not None or parse_vn_percent(text) is not None
