"""An analyst's word on what the tool read: corrected values and reviewed findings.

A correction is keyed by the report's content hash, the service and the field, so it
holds for that report whatever file name it has and survives re-runs and ``--force``
(which replace the report's own rows, never these). The views show the corrected value,
the printed one beside it (``printed_values``) and a ``corrected`` flag. A finding is
reviewed by its ``finding_id`` (a hash of its report, code, page and message: the same
finding after a re-run keeps its id).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from dean06.errors import ReviewError
from dean06.normalize.numbers import parse_vn_int, parse_vn_percent
from dean06.review import Rows, find_report_id, run_query
from dean06.store import CORRECTABLE

COUNT_FIELDS = ("total", "direct", "online", "on_time", "overdue")
FIELDS = tuple(CORRECTABLE)
CSV_COLUMNS = ("report", "service_id", "field", "value", "note")
_TRUE = {"true", "yes", "x", "1", "có", "đã kết nối", "✓"}
_FALSE = {"false", "no", "0", "không", "chưa", "chưa kết nối"}


class ReviewStatus(StrEnum):
    accepted = "accepted"  # the value is right as read
    fixed = "fixed"  # corrected (dean06 correct) or fixed at the source
    ignored = "ignored"  # not worth acting on


@dataclass(frozen=True)
class Correction:
    report: str  # a file name or report id, as the analyst gives it
    service_id: str
    field: str
    value: str | None  # None: remove the corrections of this field
    note: str | None = None


def canonical_value(field: str, text: str) -> str:
    """``text`` as stored: counts and rates in Vietnamese or plain notation become
    numbers ("1.318" → 1318, "96,84%" → 96.84), connection wordings true/false."""
    value = text.strip()
    if field in COUNT_FIELDS:
        number = parse_vn_int(value)
        if number is None or number < 0:
            raise ReviewError(f"{field}: {text!r} is not a count (write 1318 or 1.318)")
        return str(number)
    if field == "rate_pct":
        rate = parse_vn_percent(value)
        if rate is None or not 0 <= rate <= 100:
            raise ReviewError(f"{field}: {text!r} is not a percent (write 96,84 or 96.84)")
        return repr(rate)
    if field == "connected":
        key = value.casefold()
        if key in _TRUE or key in _FALSE:
            return "true" if key in _TRUE else "false"
        raise ReviewError(f"connected: {text!r} is not true or false")
    if not value:
        raise ReviewError(f"{field}: give a value")
    return value


def record_corrections(
    connection: duckdb.DuckDBPyConnection, corrections: list[Correction], by: str | None = None
) -> int:
    """Store ``corrections`` in one transaction (all or none); the number stored."""
    who = by or _user()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    prepared = [_prepare(connection, correction) for correction in corrections]
    connection.execute("BEGIN TRANSACTION")
    try:
        for report_id, correction, value, printed in prepared:
            key = [report_id, correction.service_id, correction.field]
            if value is None:
                connection.execute(
                    "DELETE FROM corrections WHERE report_id = ? AND service_id = ? AND field = ?",
                    key,
                )
                continue
            connection.execute(
                "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*key, value, printed, correction.note, who, now],
            )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return len(prepared)


def _prepare(
    connection: duckdb.DuckDBPyConnection, correction: Correction
) -> tuple[str, Correction, str | None, str | None]:
    """The report id, the correction, its stored value and the printed value it replaces."""
    if correction.field not in FIELDS:
        raise ReviewError(f"{correction.field}: not a field to correct ({', '.join(FIELDS)})")
    report_id = find_report_id(connection, correction.report)
    rows = run_query(
        connection,
        f"SELECT {correction.field}::VARCHAR AS printed FROM service_stats "
        "WHERE report_id = ? AND service_id = ? AND row_kind = 'service' AND source = 'table'",
        [report_id, correction.service_id],
    )
    if not rows:
        raise ReviewError(
            f"{correction.report}: no service row {correction.service_id} in this report "
            "(dean06 show lists its rows)"
        )
    value = correction.value
    if value is not None:
        value = canonical_value(correction.field, value)
    return report_id, correction, value, rows[0]["printed"]


def read_corrections_csv(path: Path) -> list[Correction]:
    """Corrections from a CSV with the columns report, service_id, field, value[, note]."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(CSV_COLUMNS[:4]) - set(reader.fieldnames or [])
            if missing:
                raise ReviewError(
                    f"{path}: missing column(s) {', '.join(sorted(missing))} "
                    f"(expected {', '.join(CSV_COLUMNS)})"
                )
            return [
                Correction(
                    report=(row["report"] or "").strip(),
                    service_id=(row["service_id"] or "").strip(),
                    field=(row["field"] or "").strip(),
                    value=row["value"] or "",
                    note=(row.get("note") or "").strip() or None,
                )
                for row in reader
            ]
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read ({exc.strerror})") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: not a UTF-8 CSV ({exc})") from exc


def list_corrections(connection: duckdb.DuckDBPyConnection) -> Rows:
    return run_query(
        connection,
        "SELECT r.file_name, c.service_id, c.field, c.printed, c.value, c.note, "
        "c.corrected_by, c.corrected_at, c.report_id "
        "FROM v_corrections c LEFT JOIN reports r USING (report_id) "
        "ORDER BY r.file_name, c.service_id, c.field",
    )


def review_findings(
    connection: duckdb.DuckDBPyConnection,
    finding_ids: list[str],
    status: ReviewStatus,
    note: str | None = None,
    by: str | None = None,
) -> int:
    """Mark findings (by id or an id prefix of 6+ characters) as reviewed; the number."""
    found: list[str] = []
    for reference in finding_ids:
        rows = run_query(
            connection,
            "SELECT DISTINCT finding_id FROM v_findings WHERE starts_with(finding_id, ?)",
            [reference.lower()],
        )
        if len(reference) < 6 or not rows:
            raise ReviewError(f"{reference}: no such finding (dean06 findings lists their ids)")
        if len(rows) > 1:
            raise ReviewError(f"{reference}: matches several findings; give more of the id")
        found.append(str(rows[0]["finding_id"]))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    connection.executemany(
        "INSERT OR REPLACE INTO finding_reviews VALUES (?, ?, ?, ?, ?)",
        [(finding_id, status.value, note, by or _user(), now) for finding_id in found],
    )
    return len(found)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "unknown"
