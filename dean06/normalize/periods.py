"""Report periods: the nominal period of the title, the data range the tables print, and
the kind of period (a month is never compared with six months that end on the same day)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from dean06.normalize.text import ascii_key


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    CUMULATIVE = "cumulative"
    OTHER = "other"


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date | None
    end: dt.date | None
    kind: PeriodKind


_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
_RANGE = re.compile(
    rf"(?:từ(?: ngày)?\s+)?{_DATE}\s*(?:đến(?: ngày)?|[-–—]|tới(?: ngày)?)\s*{_DATE}", re.I
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"từ(?: ngày)?\s+{_DATE}\s*(?:đến(?: ngày)?|[-–—])\s*{_DATE}", re.I)),
    (
        "since_new_year",
        re.compile(
            r"(?:lũy kế\s+)?từ đầu năm\s+đến(?: hết| nay,?)?\s+"
            r"tháng\s+(\d{1,2})\s*(?:năm\s+|/)(\d{4})",
            re.I,
        ),
    ),
    ("until", re.compile(rf"(?:tính đến|lũy kế đến|đến hết)(?: ngày)?\s+{_DATE}", re.I)),
    ("first_months", re.compile(r"(\d{1,2}|sáu|chín)\s+tháng\s+đầu\s+năm\s+(\d{4})", re.I)),
    ("last_half", re.compile(r"6\s+tháng\s+cuối\s+năm\s+(\d{4})", re.I)),
    ("quarter", re.compile(r"quý\s+(IV|III|II|I|[1-4]|[IlH|]{2,3})\s+(?:năm\s+)?(\d{4})", re.I)),
    ("month", re.compile(r"tháng\s+(\d{1,2})\s*(?:năm\s+|/)(\d{4})", re.I)),
    ("year", re.compile(r"(?<!đến )(?<!giai đoạn )năm\s+(\d{4})(?!\s*[-–]\s*\d)", re.I)),
]
# Words that make a period a running total rather than one period's figures.
_CUMULATIVE = re.compile(r"\b(luy ke|tu dau nam|tinh den|tu khi trien khai|den nay)\b")
# A sentence or sub-caption giving the window the figures cover.
_DATA_RANGE_CUE = re.compile(r"\b(so lieu|tu ngay|ky bao cao|thoi gian)\b")
_BY_MONTHS = {
    1: PeriodKind.MONTH,
    3: PeriodKind.QUARTER,
    6: PeriodKind.HALF_YEAR,
    9: PeriodKind.NINE_MONTHS,
    12: PeriodKind.YEAR,
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# strokes OCR reads for a roman numeral's "I" ("quý HI năm 2023" for "quý III")
_ROMAN_STROKES = str.maketrans({"l": "I", "H": "II", "|": "I"})
# a roman quarter with one stroke more, as OCR drops one ("quý II" read for "quý III")
_ONE_STROKE_MORE = {"I": "II", "II": "III"}
_LATE_MONTHS = 2  # months after its quarter's last a report is still issued in
# A data range is taken for the nominal period when it ends this close to its end and is
# about as long (monthly reports often cover the 15th to the 14th).
_RANGE_SLACK = dt.timedelta(days=31)


def parse_period(text: str) -> tuple[str | None, dt.date | None, dt.date | None]:
    """(label as printed, first day, last day) of the first period phrase in ``text``."""
    period = find_period(text)
    if period is None:
        return None, None, None
    return period.label, period.start, period.end


def find_period(text: str) -> Period | None:
    """The first period phrase in ``text``; at one position the more specific pattern wins
    ("8 tháng đầu năm 2024" over "năm 2024")."""
    found = [
        (match.start(), order, kind, match)
        for order, (kind, pattern) in enumerate(_PATTERNS)
        if (match := pattern.search(text))
    ]
    if not found:
        return None
    _, _, kind, match = min(found, key=lambda f: (f[0], f[1]))
    start, end = _span(kind, match)
    around = text[max(0, match.start() - 30) : match.end() + 40]
    cumulative = kind in ("until", "since_new_year") or bool(_CUMULATIVE.search(ascii_key(around)))
    if cumulative and kind not in ("until", "range", "since_new_year"):
        since_new_year = "tu dau nam" in ascii_key(around)
        start = dt.date(end.year, 1, 1) if end and since_new_year else None
    label = match.group(0)
    numeral = match.group(1).translate(_ROMAN_STROKES) if kind == "quarter" else ""
    if numeral.lower() in _ROMAN:  # the numeral as printed, where OCR read its strokes as letters
        offset = match.start()
        label = label[: match.start(1) - offset] + numeral + label[match.end(1) - offset :]
    return Period(label, start, end, _kind(kind, match, start, end, cumulative))


def quarter_with_lost_stroke(period: Period, issued: dt.date | None) -> Period | None:
    """The quarter whose roman numeral has one stroke more than ``period``'s ("quý III" for
    a scan's "quý II": OCR drops a numeral's stroke) where the report is dated in that
    quarter's last month or the ``_LATE_MONTHS`` after it, a quarter and more after the
    quarter read; None where the quarter read fits the date."""
    if period.kind is not PeriodKind.QUARTER or period.start is None or issued is None:
        return None
    numeral = re.search(r"(?<=\s)(I{1,2})(?=\s)", period.label)
    if numeral is None or numeral.group(1) not in _ONE_STROKE_MORE:
        return None
    quarter = (period.start.month - 1) // 3 + 2  # the quarter after the one read
    last_month = 3 * quarter
    months_after = (issued.year - period.start.year) * 12 + issued.month - last_month
    if not 0 <= months_after <= _LATE_MONTHS:
        return None
    year = period.start.year
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    label = f"{period.label[: numeral.start()]}{_ONE_STROKE_MORE[numeral.group(1)]}"
    label += period.label[numeral.end() :]
    return Period(label, dt.date(year, last_month - 2, 1), end, PeriodKind.QUARTER)


def data_range(lines: list[str]) -> Period | None:
    """The first window of dates the report gives for its figures ("Từ ngày 15/02/2024
    đến 14/3/2024", "số liệu tính từ … đến …", "(15/02/2024 – 14/3/2024)")."""
    for line in lines:
        match = _RANGE.search(line)
        if not match:
            continue
        before = ascii_key(line[max(0, match.start() - 40) : match.start() + 8])
        if not (_DATA_RANGE_CUE.search(before) or line.strip().startswith("(")):
            continue
        start, end = _span("range", match)
        if start and end and start < end:
            return Period(match.group(0), start, end, _range_kind(start, end))
    return None


def choose_period(nominal: Period | None, printed: Period | None) -> tuple[Period | None, bool]:
    """The period to store: the printed data range when it fits the nominal period (or
    there is none), else the nominal one; and whether a printed range was set aside."""
    if printed is None:
        return nominal, False
    if nominal is None or nominal.end is None:
        return printed, False
    fits = abs(printed.end - nominal.end) <= _RANGE_SLACK and (
        nominal.start is None
        or abs((printed.end - printed.start) - (nominal.end - nominal.start)) <= _RANGE_SLACK
    )
    if fits:
        return Period(nominal.label, printed.start, printed.end, nominal.kind), False
    return nominal, True


def _span(kind: str, m: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    try:
        if kind == "range":
            d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
            return dt.date(y1, m1, d1), dt.date(y2, m2, d2)
        if kind == "until":
            day, month, year = (int(g) for g in m.groups())
            return None, dt.date(year, month, day)
        if kind == "since_new_year":
            month, year = int(m.group(1)), int(m.group(2))
            return dt.date(year, 1, 1), _month_end(year, month)
        if kind == "first_months":
            months = {"sáu": 6, "chín": 9}.get(m.group(1).lower()) or int(m.group(1))
            year = int(m.group(2))
            return dt.date(year, 1, 1), _month_end(year, months)
        if kind == "last_half":
            year = int(m.group(1))
            return dt.date(year, 7, 1), dt.date(year, 12, 31)
        if kind == "quarter":
            quarter, year = _ROMAN[m.group(1).translate(_ROMAN_STROKES).lower()], int(m.group(2))
            return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if kind == "month":
            month, year = int(m.group(1)), int(m.group(2))
            return dt.date(year, month, 1), _month_end(year, month)
        year = int(m.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except (ValueError, KeyError):  # no such date, or strokes that make no numeral
        return None, None


def _kind(
    kind: str, m: re.Match[str], start: dt.date | None, end: dt.date | None, cumulative: bool
) -> PeriodKind:
    if cumulative:
        return PeriodKind.CUMULATIVE
    if kind == "month":
        return PeriodKind.MONTH
    if kind == "quarter":
        return PeriodKind.QUARTER
    if kind == "last_half":
        return PeriodKind.HALF_YEAR
    if kind == "year":
        return PeriodKind.YEAR
    if kind == "first_months":
        months = {"sáu": 6, "chín": 9}.get(m.group(1).lower()) or int(m.group(1))
        # "8 tháng đầu năm": a running total from the new year, like "lũy kế từ đầu năm"
        return _BY_MONTHS.get(months, PeriodKind.CUMULATIVE)
    if start and end:
        return _range_kind(start, end)
    return PeriodKind.OTHER


def _range_kind(start: dt.date, end: dt.date) -> PeriodKind:
    """A window of dates classified by its length in months."""
    months = round(((end - start).days + 1) / 30.44)
    return _BY_MONTHS.get(months, PeriodKind.OTHER)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
