"""Part/whole figures quoted in the narrative: ``8.504/9.385 hồ sơ (đạt 90,61%)``.

Every ``a/b`` in prose is a figure unless it is a date (``07/6/2023``, ``tháng 5/2024``),
a document number (``2857/UBND-CA``, ``42/2022/NĐ-CP``) or a unit pair (``220/380V``).
The percentage belongs to the figure when it is printed in the same clause after it, or
right before it (``đạt tỷ lệ 99,91% (16.074/16.089)``). The label is the phrase before a
colon, else the noun phrase after the figure, else the words before it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from dean06.normalize.numbers import parse_vn_int, parse_vn_percent
from dean06.normalize.text import collapse_spaces
from dean06.schemas import Figure, TextBlock

_UNITS = (
    "hồ sơ",
    "trường hợp",
    "lượt",
    "thẻ",
    "tài khoản",
    "người",
    "cơ sở",
    "đối tượng",
    "mũi tiêm",
    "dịch vụ",
    "thủ tục",
    "đơn vị",
    "xã",
    "hộ",
    "trường",
    "cán bộ",
    "máy",
)
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+"
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_RATIO = re.compile(
    rf"(?<![\d.,/\w])(?P<a>{_NUM})\s*(?:(?P<unit_a>{_UNIT_ALT})\s*)?/\s*(?P<b>{_NUM})"
    rf"(?:\s*(?P<unit_b>{_UNIT_ALT})\b)?(?![\d/]|[.,]\d|\w)",
    re.IGNORECASE,
)
_COLON_FOR_DOT = re.compile(r"(?<=\d):(?=\d{3}(?!\d))")  # "87:957": OCR's "87.957"
_PERCENT = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d+)?)\s*%")
_DATE_WORD = re.compile(r"(ngày|tháng|năm|từ|đến|hôm|quý|đợt)\s*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r";|\.\s+(?=[A-ZĐÀ-Ỹ0-9\-+•])|\.$|\n|:(?=\s*[-+•])")
_LABEL_TRIM = " -+•*:;,.()"
_LIST_INTRO = re.compile(r"(như|gồm|bao gồm|cụ thể|sau|là)\s*$", re.IGNORECASE)


def blocks_to_figures(blocks: Iterable[TextBlock], ocr_pages: Collection[int] = ()) -> list[Figure]:
    """All figures of the narrative, in document order (repeats kept); on ``ocr_pages``
    a thousands dot OCR read as a colon ("87:957") is a dot."""
    figures: list[Figure] = []
    for block in blocks:
        text = block.text
        if block.page in ocr_pages:
            text = _COLON_FOR_DOT.sub(".", text)
        figures.extend(text_to_figures(text, block.page))
    return figures


def text_to_figures(text: str, page: int | None = None) -> list[Figure]:
    text = collapse_spaces(text.replace("\n", " "))
    matches = [m for m in _RATIO.finditer(text) if not _is_excluded(text, m)]
    figures = []
    for index, match in enumerate(matches):
        start, end = _clause_bounds(text, match)
        next_start = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        numerator, denominator = parse_vn_int(match["a"]), parse_vn_int(match["b"])
        if numerator is None or denominator is None:
            continue
        figures.append(
            Figure(
                label=_label(text, match, start, min(end, next_start)),
                unit=(match["unit_b"] or match["unit_a"] or _unit_after(text, match.end())),
                numerator=numerator,
                denominator=denominator,
                percent=_percent(text, match, min(end, next_start), start),
                quote=text[start:end].strip(_LABEL_TRIM.replace("(", "").replace(")", "")),
                page=page,
            )
        )
    return figures


def _is_excluded(text: str, match: re.Match[str]) -> bool:
    a, b = parse_vn_int(match["a"]) or 0, parse_vn_int(match["b"]) or 0
    before = text[max(0, match.start() - 12) : match.start()]
    month_year = 1900 <= b <= 2100 and 1 <= a <= 12 and "." not in match["b"]  # 5/2024
    return bool(_DATE_WORD.search(before)) or month_year


def _clause_bounds(text: str, match: re.Match[str]) -> tuple[int, int]:
    start = 0
    for end_mark in _CLAUSE_END.finditer(text, 0, match.start()):
        start = end_mark.end()
    after = _CLAUSE_END.search(text, match.end())
    return start, (after.start() if after else len(text))


def _percent(text: str, match: re.Match[str], clause_end: int, clause_start: int) -> float | None:
    found = _PERCENT.search(text, match.end(), clause_end)
    if found:
        return parse_vn_percent(found.group(1))
    for candidate in _PERCENT.finditer(text, clause_start, match.start()):
        between = text[candidate.end() : match.start()]
        if re.fullmatch(r"\s*[(\[]?\s*", between):
            return parse_vn_percent(candidate.group(1))
    return None


def _label(text: str, match: re.Match[str], start: int, end: int) -> str:
    before = text[start : match.start()]
    if ":" in before:
        head, item = before.rsplit(":", 1)
        head = re.split(r"[.;]\s|\s[-+•]\s", head)[-1]
        if _LIST_INTRO.search(head) and item.strip(_LABEL_TRIM):
            return item.strip(_LABEL_TRIM)  # "đạt 100% như: Thông báo lưu trú 41.251/41.251"
        label = head.strip(_LABEL_TRIM)
        if label:
            return label
    after = re.split(r"[(,;]|\bđạt\b|=", text[match.end() : end], maxsplit=1)[0].strip(_LABEL_TRIM)
    if len(after.split()) >= 2:
        return " ".join(after.split()[:12])
    words = before.strip(_LABEL_TRIM).split()
    return " ".join(words[-25:]) or match.group(0)


def _unit_after(text: str, position: int) -> str | None:
    following = text[position : position + 20].lstrip().lower()
    return next((unit for unit in _UNITS if following.startswith(unit)), None)
