"""Report metadata from the opening lines: locality, number, date, period, signer."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter

from dean06.normalize.text import ascii_key, clean_text
from dean06.schemas import Document, ReportMeta, Table

LEVELS = ("xã", "phường", "thị trấn", "huyện", "thị xã", "thành phố", "quận", "tỉnh")
_LEVEL_RANK = {
    "xã": 0,
    "phường": 0,
    "thị trấn": 0,
    "huyện": 1,
    "quận": 1,
    "thị xã": 1,
    "thành phố": 1,
    "tỉnh": 2,
}
_LEVEL_ALT = "|".join(sorted(LEVELS, key=len, reverse=True))
_NAME_STOP = {
    "tháng",
    "năm",
    "quý",
    "từ",
    "đến",
    "ngày",
    "về",
    "báo",
    "kính",
    "trong",
    "theo",
    "đề",
    "tổ",
    "ubnd",
    "công",
}
_LOCALITY = re.compile(
    rf"(?<!\w)({_LEVEL_ALT})\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ][^\s,.;:()“”\"]*\s*){{1,4}})"
)
_PLACE_LINE = re.compile(r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ][^\s,.:;\d]*\s?){1,4}),\s*ngày\b")
_REPORT_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_NUMBER = re.compile(r"^Số\s*:\s*(\d+[\w.\-]*/[\wĐđ./\-]+)", re.IGNORECASE)
_TITLE_START = re.compile(r"^(?:#+\s*)?BÁO CÁO\b")
_BODY_START = re.compile(r"^(Thực hiện|Căn cứ|Kính gửi|Theo|Triển khai|Qua|I\.|1\.)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            r"từ ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})\s+đến(?: ngày)?\s+(\d{1,2})/(\d{1,2})/(\d{4})",
            re.I,
        ),
    ),
    ("first_months", re.compile(r"(\d{1,2}|sáu|chín)\s+tháng\s+đầu\s+năm\s+(\d{4})", re.I)),
    ("last_half", re.compile(r"6\s+tháng\s+cuối\s+năm\s+(\d{4})", re.I)),
    ("quarter", re.compile(r"quý\s+(IV|III|II|I|[1-4])\s+(?:năm\s+)?(\d{4})", re.I)),
    ("month", re.compile(r"tháng\s+(\d{1,2})\s*(?:năm\s+|/)(\d{4})", re.I)),
    ("year", re.compile(r"(?<!đến )(?<!giai đoạn )năm\s+(\d{4})(?!\s*[-–]\s*\d)", re.I)),
]


_LAYOUT_TABLE_ROWS = 3


def document_to_meta(document: Document) -> ReportMeta:
    """Metadata from the text of a report (the first pages carry almost all of it)."""
    return lines_to_meta(_lines(document))


def _lines(document: Document) -> list[str]:
    """Prose lines, plus the cells of small layout tables (letterheads)."""
    lines: list[str] = []
    for item in document.items:
        if isinstance(item, Table):
            if len(item.rows) <= _LAYOUT_TABLE_ROWS:
                lines.extend(cell for row in item.rows for cell in row)
        else:
            lines.extend(item.text.splitlines())
    return [text for line in lines if (text := clean_text(line))]


def lines_to_meta(lines: list[str]) -> ReportMeta:
    head = lines[:60]
    meta = ReportMeta()
    meta.report_number = _report_number(head)
    meta.report_date = _report_date(head)
    title = _title(head)
    meta.period_label, meta.period_start, meta.period_end = parse_period(title)
    _set_locality(meta, head, title)
    meta.signer = _signer(lines[-40:])
    return meta


def _title(lines: list[str]) -> str:
    for index, line in enumerate(lines):
        if _TITLE_START.match(line):
            title = [line]
            for follow in lines[index + 1 : index + 8]:
                if _BODY_START.match(follow):
                    break
                title.append(follow)
            return " ".join(title)
    return " ".join(lines[:8])


def parse_period(text: str) -> tuple[str | None, dt.date | None, dt.date | None]:
    """(label as printed, first day, last day) of the first period phrase in ``text``.

    The phrase printed first wins; at one position the more specific pattern wins
    ("8 tháng đầu năm 2024" over "năm 2024")."""
    found = [
        (match.start(), order, kind, match)
        for order, (kind, pattern) in enumerate(_PERIOD_PATTERNS)
        if (match := pattern.search(text))
    ]
    if not found:
        return None, None, None
    _, _, kind, match = min(found, key=lambda f: (f[0], f[1]))
    start, end = _period_span(kind, match)
    return match.group(0), start, end


def _period_span(kind: str, m: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    try:
        if kind == "range":
            d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
            return dt.date(y1, m1, d1), dt.date(y2, m2, d2)
        if kind == "first_months":
            months = {"sáu": 6, "chín": 9}.get(m.group(1).lower()) or int(m.group(1))
            year = int(m.group(2))
            return dt.date(year, 1, 1), _month_end(year, months)
        if kind == "last_half":
            year = int(m.group(1))
            return dt.date(year, 7, 1), dt.date(year, 12, 31)
        if kind == "quarter":
            quarter, year = _ROMAN[m.group(1).lower()], int(m.group(2))
            return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if kind == "month":
            month, year = int(m.group(1)), int(m.group(2))
            return dt.date(year, month, 1), _month_end(year, month)
        year = int(m.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None, None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _report_number(lines: list[str]) -> str | None:
    for line in lines[:15]:
        match = _NUMBER.match(line)
        if match:
            return match.group(1)
    return None


def _report_date(lines: list[str]) -> dt.date | None:
    for line in lines[:15]:
        if _PLACE_LINE.search(line):
            match = _REPORT_DATE.search(line)
            if match:
                day, month, year = (int(g) for g in match.groups())
                try:
                    return dt.date(year, month, day)
                except ValueError:
                    return None
    return None


def _candidates(text: str) -> list[tuple[str, str]]:
    found = []
    for match in _LOCALITY.finditer(text):
        words = []
        for word in match.group(2).split():
            if word.lower() in _NAME_STOP or not word[:1].isupper():
                break
            words.append(word)
        if words:
            found.append((match.group(1).lower(), " ".join(words)))
    return found


def _set_locality(meta: ReportMeta, head: list[str], title: str) -> None:
    text = " ".join(head)
    candidates = _candidates(text)
    if not candidates:
        return
    place = next(
        (m.group(1).strip() for line in head[:15] if (m := _PLACE_LINE.search(line))), None
    )
    counts = Counter(candidates)
    chosen = None
    if place:
        same = [c for c in candidates if ascii_key(place).endswith(ascii_key(c[1]))]
        chosen = Counter(same).most_common(1)[0][0] if same else None
    if chosen is None:
        in_title = _candidates(title)
        chosen = in_title[0] if in_title else counts.most_common(1)[0][0]
    meta.locality_level, meta.locality_name = chosen
    rank = _LEVEL_RANK[chosen[0]]
    parents = [c for c in counts if _LEVEL_RANK[c[0]] > rank and c[1] != chosen[1]]
    for level, name in sorted(parents, key=lambda c: -counts[c]):
        if level == "tỉnh" and meta.province is None:
            meta.province = name
        elif _LEVEL_RANK[level] == 1 and meta.district is None and rank == 0:
            meta.district = name
    if rank == 2:
        meta.province = chosen[1]
    elif rank == 1:
        meta.district = chosen[1]


def _signer(lines: list[str]) -> str | None:
    roles = re.compile(r"^(TM\.|KT\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|TỔ TRƯỞNG|TRƯỞNG|GIÁM ĐỐC|Q\.)")
    for index, line in enumerate(lines):
        if roles.match(line):
            for follow in lines[index + 1 : index + 6]:
                words = follow.split()
                if (
                    2 <= len(words) <= 5
                    and all(w[:1].isupper() for w in words)
                    and not follow.isupper()
                ):
                    return follow
    return None
