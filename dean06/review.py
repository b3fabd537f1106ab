"""Read the database: SQL queries, findings to review, one report with its provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from dean06.errors import QueryError, ReportNotFound, StoreError
from dean06.store import SCHEMA_VERSION, Store

Rows = list[dict[str, Any]]


def open_for_reading(
    database: Path, files: bool = False, wait: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """A read-only connection that reaches nothing outside the database (``files``: SQL
    may read and write files too); while an extract commits, retried for ``wait``
    seconds. An older database is left as it is: ``dean06 extract`` brings it up to
    date."""
    if not database.exists():
        raise StoreError(f"{database}: no such database; run `dean06 extract` first")
    store = Store(database, read_only=True, files=files, wait=wait)
    found = store.schema_version()
    if found < SCHEMA_VERSION:
        store.close()
        raise StoreError(
            f"{database}: written by an older dean06 (schema {found}, this one reads "
            f"{SCHEMA_VERSION}); the next `dean06 extract … --db {database}` upgrades it"
        )
    return store.connection


def run_query(
    connection: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> Rows:
    return query_with_columns(connection, sql, params)[1]


def query_with_columns(
    connection: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> tuple[list[str], Rows]:
    """The result's column names (known even when no row comes back) and its rows. One
    statement at a time: DuckDB would run them all and show the last result only."""
    try:
        statements = connection.extract_statements(sql)
        if len(statements) > 1:
            raise QueryError(f"query failed: {len(statements)} statements given; run one at a time")
        cursor = connection.execute(sql, params or [])
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise QueryError(f"query failed: {first_line}") from exc
    if cursor.description is None:
        return [], []
    columns = [d[0] for d in cursor.description]
    return columns, [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


FINDING_COLUMNS = ["finding_id", "file_name", "severity", "code", "page", "message", "context"]
REVIEW_COLUMNS = ["review", "review_note"]


def list_findings(
    connection: duckdb.DuckDBPyConnection,
    severity: str | None = None,
    report: str | None = None,
    reviewed: bool = False,
) -> Rows:
    """Findings, errors first; reviewed ones only with ``reviewed`` (with their review)."""
    columns = FINDING_COLUMNS + (REVIEW_COLUMNS if reviewed else [])
    sql = f"SELECT {', '.join(columns)} FROM v_findings WHERE true"
    params: list[Any] = []
    if not reviewed:
        sql += " AND review IS NULL"
    if severity:
        sql += " AND severity = ?"
        params.append(severity)
    if report:
        sql += " AND report_id = ?"
        params.append(find_report_id(connection, report))
    return run_query(connection, sql, params)


def find_report_id(connection: duckdb.DuckDBPyConnection, reference: str) -> str:
    """A report by its id (or an id prefix of at least 6 characters) or its file name."""
    rows = run_query(
        connection,
        "SELECT report_id, file_name FROM reports WHERE file_name = ? OR source_path = ? "
        "OR (length(?) >= 6 AND starts_with(report_id, ?))",
        [reference, reference, reference, reference.lower()],
    )
    if not rows:
        raise ReportNotFound(f"{reference}: no such report (give a file name or a report id)")
    if len(rows) > 1:
        names = ", ".join(f"{r['report_id'][:12]} ({r['file_name']})" for r in rows)
        raise ReportNotFound(f"{reference}: matches several reports: {names}; give the id")
    return str(rows[0]["report_id"])


def show_report(connection: duckdb.DuckDBPyConnection, reference: str) -> dict[str, Rows]:
    """Metadata, service rows (printed name beside the catalogue name), figures, findings."""
    report_id = find_report_id(connection, reference)
    return {
        "report": run_query(connection, "SELECT * FROM reports WHERE report_id = ?", [report_id]),
        "services": run_query(
            connection,
            "SELECT s.item_in_doc AS item, s.name_in_doc AS printed_name, s.service_id, "
            "c.name AS catalogue_name, s.match_score AS score, s.total, s.online, s.rate_pct, "
            "s.on_time, s.overdue, s.ocr_confidence, s.source, s.page, s.source_text "
            "FROM service_stats s LEFT JOIN catalogue c USING (service_id) "
            "WHERE s.report_id = ? ORDER BY s.source DESC, s.page, s.rowid",
            [report_id],
        ),
        "figures": run_query(
            connection,
            "SELECT label, numerator, denominator, percent, unit, service_id, page, quote "
            "FROM figures WHERE report_id = ? ORDER BY page, rowid",
            [report_id],
        ),
        "findings": run_query(
            connection,
            "SELECT severity, code, page, message, context FROM v_findings WHERE report_id = ?",
            [report_id],
        ),
    }
