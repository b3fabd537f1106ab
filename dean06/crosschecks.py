"""Checks across reports, recomputed over the whole database after every batch.

- ``rollup_mismatch`` (warning, on a district's or province's report): its own figures
  for a service against the sum of its communes' (or districts') reports for the same
  period and kind. The parts cannot exceed the whole; when every unit of the gazetteer
  reported, they must match it. ``TOLERANCE`` of the larger count, at least
  ``MIN_DIFFERENCE`` dossiers, is let pass (rounding, a dossier moved between months).
- ``cumulative_fell`` (warning, on the later report): a cumulative count (``lũy kế``,
  ``tính đến ngày``) lower than the same locality's count for an earlier date in the same
  run (a new year restarts counts "từ đầu năm").
- ``locality_not_reported`` (warning, on the last report it sent): a locality that sent
  a report of one month and none for the next, while others of its province did.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from dean06.normalize.numbers import format_vn_int
from dean06.rollup import LOCALITY_KEY_SQL, REORGANISED, UNIT_KIND_SQL, Level, Period
from dean06.rollup import expected_units as gazetteer_units

CODES = ("rollup_mismatch", "cumulative_fell", "locality_not_reported")
TOLERANCE = 0.02
MIN_DIFFERENCE = 5

# The latest canonical report of each locality, period kind and month of its period end.
_LATEST = f"""
SELECT report_id, file_name, locality_name, locality_level, locality_code, province,
       province_code, district_code, new_province, new_province_code, new_locality_code,
       period_kind, period_start, period_end, date_trunc('month', period_end) AS month,
       {UNIT_KIND_SQL} AS unit_kind, {LOCALITY_KEY_SQL} AS locality_key
FROM reports
WHERE status IN ('ok', 'partial') AND duplicate_of IS NULL AND period_end IS NOT NULL
  AND {LOCALITY_KEY_SQL} IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY {LOCALITY_KEY_SQL}, period_kind, date_trunc('month', period_end)
    ORDER BY report_date DESC NULLS LAST, period_end DESC, extracted_at DESC, report_id
) = 1
"""


def cross_check(connection: duckdb.DuckDBPyConnection) -> int:
    """Replace the cross-report findings; the number written. Runs inside the caller's
    transaction."""
    connection.execute(f"DELETE FROM findings WHERE code IN {CODES}")
    connection.execute(f"CREATE OR REPLACE TEMP TABLE latest_reports AS {_LATEST}")
    findings = [*_rollup_mismatches(connection), *_cumulative_falls(connection),
                *_unreported(connection)]  # fmt: skip
    if findings:
        connection.executemany(
            "INSERT INTO findings VALUES (?, 'warning', ?, ?, NULL, NULL)", findings
        )
    connection.execute("DROP TABLE latest_reports")
    return len(findings)


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _rollup_mismatches(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    pairs = _rows(
        connection,
        f"""
        WITH parts AS (
            SELECT w.report_id AS whole_id, count(DISTINCT p.report_id) AS parts,
                   s.service_id, sum(s.total)::BIGINT AS total,
                   sum(s.online)::BIGINT AS online
            FROM latest_reports w
            JOIN latest_reports p ON p.period_kind = w.period_kind AND p.month = w.month
             AND ((w.unit_kind = 'district' AND p.unit_kind = 'commune'
                   AND p.district_code = w.locality_code)
               OR (w.unit_kind = 'province' AND p.unit_kind = 'district'
                   AND p.province_code = w.province_code AND w.period_end < DATE '{REORGANISED}')
               OR (w.unit_kind = 'province' AND p.unit_kind = 'commune'
                   AND p.new_province_code = w.new_province_code
                   AND w.period_end >= DATE '{REORGANISED}'))
            JOIN v_service_rates s ON s.report_id = p.report_id
            GROUP BY ALL
        ),
        counted AS (SELECT whole_id, max(parts) AS parts FROM parts GROUP BY ALL)
        SELECT w.report_id, w.unit_kind, w.province_code, w.district_code, w.locality_code,
               w.new_province_code, w.period_kind, w.period_start, w.period_end,
               c.parts, p.service_id, p.total AS parts_total, p.online AS parts_online,
               s.total, s.online
        FROM latest_reports w JOIN counted c ON c.whole_id = w.report_id
        JOIN parts p ON p.whole_id = w.report_id
        JOIN v_service_rates s ON s.report_id = w.report_id AND s.service_id = p.service_id
        ORDER BY w.report_id, p.service_id
        """,
    )
    findings = []
    complete: dict[str, bool] = {}
    for row in pairs:
        if row["report_id"] not in complete:
            complete[row["report_id"]] = _all_reported(row)
        part_name = "communes" if row["unit_kind"] == "district" or _new(row) else "districts"
        for column in ("total", "online"):
            whole, parts = row[column], row[f"parts_{column}"]
            if whole is None or parts is None or abs(parts - whole) <= _allowed(whole, parts):
                continue
            if parts < whole and not complete[row["report_id"]]:
                continue  # units that did not report make up the rest
            findings.append(
                (
                    row["report_id"],
                    "rollup_mismatch",
                    f"{row['service_id']} {column}: this report prints {format_vn_int(whole)}, "
                    f"the reports of its {row['parts']} {part_name} for the same "
                    f"{row['period_kind']} sum to {format_vn_int(parts)}"
                    + ("" if parts > whole else " (all of them reported)"),
                )
            )
    return findings


def _allowed(whole: int, parts: int) -> float:
    return max(MIN_DIFFERENCE, TOLERANCE * max(whole, parts))


def _new(row: dict[str, Any]) -> bool:
    return bool(row["period_end"] >= REORGANISED)


def _all_reported(row: dict[str, Any]) -> bool:
    """Whether every unit the gazetteer places under this report's locality reported."""
    level = Level.district if row["unit_kind"] == "province" and not _new(row) else Level.commune
    units = gazetteer_units(
        {
            "province_code": row["province_code"],
            "district_code": row["locality_code"] if row["unit_kind"] == "district" else None,
            "new_province_code": row["new_province_code"],
        },
        level,
        row["unit_kind"] == "district",
        Period(row["period_start"] or row["period_end"], row["period_end"], "", ""),
    )
    return units is not None and row["parts"] >= len(units)


def _cumulative_falls(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    rows = _rows(
        connection,
        """
        WITH runs AS (
            SELECT l.report_id, l.period_end, s.service_id, s.total, s.online,
                   lag(s.total) OVER w AS before_total, lag(s.online) OVER w AS before_online,
                   lag(l.period_end) OVER w AS before_end
            FROM latest_reports l JOIN v_service_rates s USING (report_id)
            WHERE l.period_kind = 'cumulative'
            WINDOW w AS (
                PARTITION BY l.locality_key, s.service_id,
                             coalesce(year(l.period_start)::VARCHAR, 'since the start')
                ORDER BY l.period_end
            )
        )
        SELECT * FROM runs
        WHERE total < before_total OR online < before_online
        ORDER BY report_id, service_id
        """,
    )
    findings = []
    for row in rows:
        for column in ("total", "online"):
            now, before = row[column], row[f"before_{column}"]
            if now is not None and before is not None and now < before:
                findings.append(
                    (
                        row["report_id"],
                        "cumulative_fell",
                        f"{row['service_id']} {column}: {format_vn_int(now)} to "
                        f"{row['period_end']:%d/%m/%Y}, fewer than the {format_vn_int(before)} "
                        f"the same locality reported to {row['before_end']:%d/%m/%Y}",
                    )
                )
    return findings


def _unreported(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    rows = _rows(
        connection,
        """
        WITH monthly AS (
            SELECT *, coalesce(new_province_code, province_code) AS province_key
            FROM latest_reports WHERE period_kind = 'month'
        ),
        months AS (
            SELECT province_key, month, count(*) AS senders FROM monthly GROUP BY ALL
        )
        SELECT m.report_id, m.locality_level, m.locality_name, m.month, n.month AS next_month,
               n.senders, coalesce(m.new_province, m.province) AS province
        FROM monthly m
        JOIN months n ON n.province_key = m.province_key
             AND n.month = m.month + INTERVAL 1 MONTH
        WHERE NOT EXISTS (
            SELECT 1 FROM monthly x
            WHERE x.locality_key = m.locality_key AND x.month = n.month
        )
        ORDER BY m.report_id
        """,
    )
    return [
        (
            row["report_id"],
            "locality_not_reported",
            f"{row['locality_level']} {row['locality_name']} reported for "
            f"{_month(row['month'])} but not for {_month(row['next_month'])}; "
            f"{row['senders']} other localit{'ies' if row['senders'] != 1 else 'y'} of "
            f"{row['province']} did",
        )
        for row in rows
    ]


def _month(day: dt.date) -> str:
    return f"{day:%m/%Y}"
