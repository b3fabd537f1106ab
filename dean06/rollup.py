"""Consolidate a province: per service, the sums over its localities' reports of a period.

Only like periods are summed (the period kind), each locality once (its latest report of
the period: report date, then period end, then extraction), duplicates and component rows
never (``v_service_rates`` leaves them out and sums sub-rows into their parent), with the
analyst's corrections applied. The gazetteer says which localities should have reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

import duckdb

from dean06.errors import ReviewError
from dean06.normalize.text import ascii_key

REORGANISED = dt.date(2025, 7, 1)  # communes under provinces, no districts, from this date
COMMUNE_LEVELS = ("xã", "phường", "thị trấn", "đặc khu")
# What a locality is, from its level and codes: a central city's report is the province's.
UNIT_KIND_SQL = """
CASE WHEN locality_level IN ('xã', 'phường', 'thị trấn', 'đặc khu') THEN 'commune'
     WHEN locality_level = 'tỉnh' OR locality_code = province_code
          OR (locality_code IS NULL AND new_locality_code = new_province_code) THEN 'province'
     WHEN locality_level IS NOT NULL THEN 'district'
END"""
LOCALITY_KEY_SQL = (
    "coalesce(locality_code, 'new ' || new_locality_code, locality_level || ' ' || locality_name)"
)


class Level(StrEnum):
    commune = "commune"
    district = "district"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str
    label: str

    @property
    def vietnamese(self) -> str:
        """The period as a report's title names it ("tháng 5 năm 2024", "quý II năm 2024")."""
        year, month = self.end.year, self.end.month
        return {
            "month": f"tháng {month} năm {year}",
            "quarter": f"quý {['I', 'II', 'III', 'IV'][(month - 1) // 3]} năm {year}",
            "half_year": f"6 tháng {'đầu' if month <= 6 else 'cuối'} năm {year}",
            "nine_months": f"9 tháng đầu năm {year}",
            "year": f"năm {year}",
            "cumulative": f"lũy kế đến hết tháng {month} năm {year}",
        }.get(self.kind, self.label)


@dataclass
class Rollup:
    province: str
    period: Period
    level: Level
    rows: list[dict[str, Any]]  # one per catalogue service, in catalogue order
    reporting: list[str]  # the localities summed
    expected: int | None  # localities of that level in the gazetteer (None: unknown)
    missing: list[str] = field(default_factory=list)  # expected but not reporting


_PERIOD_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$", re.I), "half_year"),
    (re.compile(r"^(\d{4})-9M$", re.I), "nine_months"),
    (re.compile(r"^(\d{4})$"), "year"),
)


def parse_period(text: str, kind: str | None = None) -> Period:
    """``2024-05`` (a month), ``2024-Q2``, ``2024-H1``, ``2024-9M`` or ``2024``; ``kind``
    overrides the kind the form implies (``cumulative`` figures up to that month)."""
    for pattern, implied in _PERIOD_FORMS:
        match = pattern.match(text.strip())
        if not match:
            continue
        year = int(match.group(1))
        number = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 0
        first, last = {
            "month": (number, number),
            "quarter": (3 * number - 2, 3 * number),
            "half_year": (6 * number - 5, 6 * number),
            "nine_months": (1, 9),
            "year": (1, 12),
        }[implied]
        if not 1 <= first <= last <= 12:
            break
        start = dt.date(year, first, 1)
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return Period(start, end, kind or implied, text.strip())
    raise ReviewError(f"--period {text}: write 2024-05, 2024-Q2, 2024-H1, 2024-9M or 2024")


def rollup(
    connection: duckdb.DuckDBPyConnection,
    province: str,
    period: Period,
    level: Level = Level.district,
    district: str | None = None,
) -> Rollup:
    """The sums per service over the province's localities of ``level`` (within
    ``district``, for communes) for ``period``."""
    reports = _latest_reports(connection, province, period, level, district)
    if not reports:
        raise ReviewError(
            f"no {level.value} report of {province} for {period.label} ({period.kind}); "
            'dean06 query "SELECT locality_name, period_kind, period_end FROM reports" '
            "shows what is loaded"
        )
    rows = _sums(connection, [r["report_id"] for r in reports])
    first = reports[0]
    expected = expected_units(first, level, district is not None, period)
    reporting_codes = {r["locality_code"] or r["new_locality_code"] for r in reports}
    missing = [name for code, name in (expected or {}).items() if code not in reporting_codes]
    return Rollup(
        province=first["province_name"],
        period=period,
        level=level,
        rows=rows,
        reporting=[r["locality_name"] for r in reports],
        expected=None if expected is None else len(expected),
        missing=sorted(missing),
    )


def _latest_reports(
    connection: duckdb.DuckDBPyConnection,
    province: str,
    period: Period,
    level: Level,
    district: str | None,
) -> list[dict[str, Any]]:
    """The latest report of each locality of ``level`` in ``province`` (a name or code,
    before or after 2025) for ``period``."""
    new = period.end >= REORGANISED
    sql = f"""
        SELECT report_id, locality_name, locality_code, new_locality_code, province,
               province_code, district, district_code, new_province, new_province_code,
               {"new_province" if new else "coalesce(province, new_province)"} AS province_name
        FROM reports
        WHERE status IN ('ok', 'partial') AND duplicate_of IS NULL
          AND period_kind = $kind AND period_end BETWEEN $start AND $end
          AND ({UNIT_KIND_SQL}) = $level
        QUALIFY row_number() OVER (
            PARTITION BY {LOCALITY_KEY_SQL}
            ORDER BY report_date DESC NULLS LAST, period_end DESC, extracted_at DESC, report_id
        ) = 1
        ORDER BY locality_name, report_id
    """
    parameters = {
        "kind": period.kind,
        "start": period.start,
        "end": period.end,
        "level": level.value,
    }
    cursor = connection.execute(sql, parameters)
    columns = [d[0] for d in cursor.description or []]
    found = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    in_province = _unit_matcher(province, r"tỉnh|thành phố|tp\.?")
    in_district = _unit_matcher(district, r"huyện|quận|thị xã|thành phố|tp\.?")
    return [
        report
        for report in found
        if in_province(report, ("province", "new_province"))
        and (district is None or in_district(report, ("district",)))
    ]


def _unit_matcher(
    wanted: str | None, levels: str
) -> Callable[[dict[str, Any], tuple[str, ...]], bool]:
    """Whether a report's unit (one of ``names`` columns) is ``wanted``: its gazetteer
    code, or its name with or without level and diacritics ("tỉnh Đắk Nông", "dak nong")."""
    text = (wanted or "").strip()
    key = ascii_key(re.sub(rf"^(?:{levels})\s+", "", text, flags=re.I))

    def matches(report: dict[str, Any], names: tuple[str, ...]) -> bool:
        for name in names:
            if text and text == report.get(f"{name}_code"):
                return True
            if report.get(name) and ascii_key(report[name]) == key:
                return True
        return False

    return matches


_COUNTS = ("total", "direct", "online", "on_time", "overdue")
# A column's sum, or NULL when a locality that counts the service leaves it blank.
_SUM_SQL = ",\n".join(
    f"CASE WHEN count(p.{c}) = count(*) FILTER (p.counted) THEN sum(p.{c})::BIGINT END AS {c}"
    for c in _COUNTS
)
_SUMS_SQL = f"""
WITH picked AS (
    SELECT *, coalesce(total, online) IS NOT NULL AS counted FROM v_service_rates
    WHERE list_contains($ids, report_id)
),
sums AS (
    SELECT c.scheme, c.item, c.service_id, c.name AS service_name, c.kind,
           (count(*) FILTER (p.counted))::BIGINT AS localities,
           (count(*) FILTER (p.connected))::BIGINT AS connected,
           {_SUM_SQL},
           (count(*) FILTER (p.corrected))::BIGINT AS corrected_rows
    FROM catalogue c LEFT JOIN picked p USING (service_id)
    GROUP BY ALL
)
SELECT * REPLACE (CASE WHEN total > 0 THEN round(100 * online::DOUBLE / total, 2) END AS rate_pct)
FROM (SELECT *, NULL::DOUBLE AS rate_pct FROM sums)
ORDER BY scheme, list_transform(string_split(item, '.'), lambda x: TRY_CAST(x AS INTEGER))
"""


def _sums(connection: duckdb.DuckDBPyConnection, report_ids: list[str]) -> list[dict[str, Any]]:
    """One row per catalogue service: the localities that print counts for it, how many
    are connected, and the sums (``_SUM_SQL``: never a partial sum passing for the whole)."""
    cursor = connection.execute(_SUMS_SQL, {"ids": report_ids})
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def expected_units(
    report: dict[str, Any], level: Level, within_district: bool, period: Period
) -> dict[str, str] | None:
    """The gazetteer's units of ``level`` in the report's province (or district): code →
    name; None when the gazetteer cannot say."""
    if period.end >= REORGANISED:
        if level is Level.district or not report["new_province_code"]:
            return None
        sql = "SELECT DISTINCT wardCode AS code, wardShort AS name FROM admin_units "
        sql += f"WHERE provinceCode = '{_code(report['new_province_code'])}'"
    else:
        if not report["province_code"]:
            return None
        unit = "district" if level is Level.district else "ward"
        sql = f"SELECT DISTINCT {unit}Code AS code, {unit}Short AS name FROM admin_units_legacy "
        sql += f"WHERE provinceCode = '{_code(report['province_code'])}'"
        if within_district and report["district_code"]:
            sql += f" AND districtCode = '{_code(report['district_code'])}'"
    return dict(_gazetteer_units(sql))


@lru_cache(maxsize=1024)
def _gazetteer_units(sql: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the units a gazetteer query lists, asked once per run."""
    from vietnamadminunits.database import query

    return tuple((row["code"], row["name"]) for row in query(sql) if row["code"])


def _code(text: str) -> str:
    """A gazetteer code, checked to be digits before it goes into SQL."""
    if not str(text).isdigit():
        raise ReviewError(f"{text}: not a gazetteer code")
    return str(text)
