"""The DuckDB database analysts query. One transaction per report.

The table and column names are a contract (README, "Database schema"); add columns,
never rename them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import TracebackType

import duckdb

from dean06 import __version__
from dean06.catalog import Catalogue, load_catalogue
from dean06.errors import StoreError, StoreLocked
from dean06.schemas import ReportResult, ServiceRow

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS reports (
    report_id VARCHAR PRIMARY KEY, source_path VARCHAR, file_name VARCHAR,
    file_format VARCHAR, page_count INTEGER, locality_name VARCHAR, locality_level VARCHAR,
    province VARCHAR, district VARCHAR, report_number VARCHAR, report_date DATE,
    period_label VARCHAR, period_start DATE, period_end DATE, signer VARCHAR,
    status VARCHAR, error VARCHAR, extracted_at TIMESTAMP, tool_version VARCHAR
);
CREATE TABLE IF NOT EXISTS catalogue (
    service_id VARCHAR PRIMARY KEY, scheme VARCHAR, item VARCHAR, name VARCHAR,
    agency VARCHAR, kind VARCHAR
);
CREATE TABLE IF NOT EXISTS service_stats (
    report_id VARCHAR, service_id VARCHAR, scheme VARCHAR, item_in_doc VARCHAR,
    name_in_doc VARCHAR, match_score DOUBLE, connected BOOLEAN, agency VARCHAR,
    total BIGINT, direct BIGINT, online BIGINT, rate_pct DOUBLE, on_time BIGINT,
    overdue BIGINT, not_applicable BOOLEAN, note VARCHAR, source VARCHAR, page INTEGER,
    source_text VARCHAR
);
CREATE TABLE IF NOT EXISTS figures (
    report_id VARCHAR, label VARCHAR, unit VARCHAR, service_id VARCHAR, numerator BIGINT,
    denominator BIGINT, percent DOUBLE, quote VARCHAR, page INTEGER
);
CREATE TABLE IF NOT EXISTS findings (
    report_id VARCHAR, severity VARCHAR, code VARCHAR, message VARCHAR, page INTEGER,
    context VARCHAR
);
"""
_REPORT_TABLES = ("service_stats", "figures", "findings", "reports")


class Store:
    """A DuckDB file holding reports; use as a context manager."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        try:
            self.connection = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"{path}: the database is in use by another dean06 process; "
                    "wait for it to finish"
                ) from exc
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a DuckDB database ({exc})") from exc
        if not read_only:
            self._create_schema(load_catalogue())

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def _create_schema(self, catalogue: Catalogue) -> None:
        self.connection.execute(_DDL)
        self.connection.execute(
            "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        self.connection.executemany(
            "INSERT OR REPLACE INTO catalogue VALUES (?, ?, ?, ?, ?, ?)",
            [
                (s.service_id, s.scheme, s.item, s.name, s.agency, s.kind)
                for s in catalogue.services
            ],
        )

    def report_status(self, report_id: str) -> str | None:
        row = self.connection.execute(
            "SELECT status FROM reports WHERE report_id = ?", [report_id]
        ).fetchone()
        return row[0] if row else None

    def load(self, result: ReportResult, narrative_rows: list[ServiceRow] | None = None) -> None:
        """Replace everything stored for this report in one transaction."""
        db = self.connection
        try:
            db.execute("BEGIN TRANSACTION")
            for table in _REPORT_TABLES:
                db.execute(f"DELETE FROM {table} WHERE report_id = ?", [result.report_id])
            db.execute(
                "INSERT INTO reports VALUES (" + ", ".join(["?"] * 19) + ")", _report_values(result)
            )
            stats = [*result.services, *(narrative_rows or [])]
            if stats:
                db.executemany(
                    "INSERT INTO service_stats VALUES (" + ", ".join(["?"] * 19) + ")",
                    [_stat_values(result.report_id, row) for row in stats],
                )
            if result.figures:
                db.executemany(
                    "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            result.report_id,
                            f.label,
                            f.unit,
                            f.service_id,
                            f.numerator,
                            f.denominator,
                            f.percent,
                            f.quote,
                            f.page,
                        )
                        for f in result.figures
                    ],
                )
            if result.findings:
                db.executemany(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (result.report_id, f.severity.value, f.code, f.message, f.page, f.context)
                        for f in result.findings
                    ],
                )
            db.execute("COMMIT")
        except duckdb.Error as exc:
            db.execute("ROLLBACK")
            raise StoreError(f"{result.file_name}: could not be stored ({exc})") from exc
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def count(self, table: str) -> int:
        row = self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


def _report_values(result: ReportResult) -> list[object]:
    meta = result.meta
    return [
        result.report_id,
        result.source_path,
        result.file_name,
        result.file_format,
        result.page_count,
        meta.locality_name,
        meta.locality_level,
        meta.province,
        meta.district,
        meta.report_number,
        meta.report_date,
        meta.period_label,
        meta.period_start,
        meta.period_end,
        meta.signer,
        result.status.value,
        result.error,
        dt.datetime.now(dt.UTC).replace(tzinfo=None),
        __version__,
    ]


def _stat_values(report_id: str, row: ServiceRow) -> list[object]:
    return [
        report_id,
        row.service_id,
        row.scheme,
        row.item_in_doc,
        row.name_in_doc,
        row.match_score,
        row.connected,
        row.agency,
        row.total,
        row.direct,
        row.online,
        row.rate_pct,
        row.on_time,
        row.overdue,
        row.not_applicable,
        row.note,
        row.source,
        row.page,
        row.source_text,
    ]
