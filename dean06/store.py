"""The DuckDB database analysts query. One transaction per report.

The table and column names are a contract (README, "Database schema"); add columns,
never rename them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import re
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import duckdb

from dean06 import __version__
from dean06.catalog import Catalogue, load_catalogue
from dean06.crosschecks import cross_check
from dean06.duplicates import link_duplicates
from dean06.errors import StoreError, StoreLocked
from dean06.schema_docs import comment_statements, describe_all
from dean06.schemas import ReportResult, RowKind, ServiceRow

SCHEMA_VERSION = 5
LOCK_RETRY_SECONDS = 0.5

_DDL = """
CREATE TABLE IF NOT EXISTS schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS reports (
    report_id VARCHAR PRIMARY KEY, source_path VARCHAR, file_name VARCHAR,
    file_format VARCHAR, page_count INTEGER, locality_name VARCHAR, locality_level VARCHAR,
    province VARCHAR, district VARCHAR, report_number VARCHAR, report_date DATE,
    period_label VARCHAR, period_start DATE, period_end DATE, signer VARCHAR,
    status VARCHAR, error VARCHAR, extracted_at TIMESTAMP, tool_version VARCHAR,
    locality_code VARCHAR, province_code VARCHAR, district_code VARCHAR,
    new_province VARCHAR, new_province_code VARCHAR, new_locality VARCHAR,
    new_locality_code VARCHAR, period_kind VARCHAR, issuer VARCHAR, place VARCHAR,
    title VARCHAR, scanned BOOLEAN, duplicate_of VARCHAR
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
    source_text VARCHAR, ocr_confidence DOUBLE, row_kind VARCHAR, parent_item VARCHAR,
    table_index INTEGER, row_index INTEGER
);
CREATE TABLE IF NOT EXISTS figures (
    report_id VARCHAR, label VARCHAR, unit VARCHAR, service_id VARCHAR, numerator BIGINT,
    denominator BIGINT, percent DOUBLE, quote VARCHAR, page INTEGER
);
CREATE TABLE IF NOT EXISTS findings (
    report_id VARCHAR, severity VARCHAR, code VARCHAR, message VARCHAR, page INTEGER,
    context VARCHAR
);
CREATE TABLE IF NOT EXISTS corrections (
    report_id VARCHAR, service_id VARCHAR, field VARCHAR, value VARCHAR, printed VARCHAR,
    note VARCHAR, corrected_by VARCHAR, corrected_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS finding_reviews (
    finding_id VARCHAR PRIMARY KEY, status VARCHAR, note VARCHAR, reviewed_by VARCHAR,
    reviewed_at TIMESTAMP
);
"""
# Columns each schema version added, so an older database is brought up to date in place.
_MIGRATIONS: dict[int, list[str]] = {
    2: [
        f"ALTER TABLE reports ADD COLUMN IF NOT EXISTS {column} VARCHAR"
        for column in (
            "locality_code",
            "province_code",
            "district_code",
            "new_province",
            "new_province_code",
            "new_locality",
            "new_locality_code",
        )
    ],
    3: ["ALTER TABLE service_stats ADD COLUMN IF NOT EXISTS ocr_confidence DOUBLE"],
    4: [
        *(
            f"ALTER TABLE reports ADD COLUMN IF NOT EXISTS {column}"
            for column in (
                "period_kind VARCHAR",
                "issuer VARCHAR",
                "place VARCHAR",
                "title VARCHAR",
                "scanned BOOLEAN",
                "duplicate_of VARCHAR",
            )
        ),
        *(
            f"ALTER TABLE service_stats ADD COLUMN IF NOT EXISTS {column}"
            for column in (
                "row_kind VARCHAR",
                "parent_item VARCHAR",
                "table_index INTEGER",
                "row_index INTEGER",
            )
        ),
        # Rows loaded before row kinds were told apart: component rows cannot be told
        # apart now, so they stay service rows until the report is extracted again.
        "UPDATE service_stats SET row_kind = 'service' WHERE row_kind IS NULL",
        "UPDATE reports SET scanned = EXISTS (SELECT 1 FROM findings f "
        "WHERE f.report_id = reports.report_id AND f.code = 'ocr') WHERE scanned IS NULL",
    ],
}
_VIEWS = """
CREATE OR REPLACE VIEW v_corrections AS
SELECT * FROM corrections
QUALIFY row_number() OVER (
    PARTITION BY report_id, service_id, field ORDER BY corrected_at DESC, value
) = 1;

CREATE OR REPLACE VIEW v_rows_all AS
WITH fixes AS (
    SELECT report_id, service_id, @FIX_COLUMNS@
    FROM v_corrections GROUP BY ALL
)
SELECT s.* REPLACE (@FIX_VALUES@),
       x.report_id IS NOT NULL AS corrected,
       CASE WHEN x.report_id IS NOT NULL THEN concat_ws(', ', @FIX_PRINTED@) END
           AS printed_values,
       r.duplicate_of, r.file_name, r.locality_level, r.locality_name, r.locality_code,
       r.province, r.province_code, r.district, r.district_code, r.new_province,
       r.new_province_code, r.new_locality_code, r.period_label, r.period_kind,
       r.period_start, r.period_end
FROM service_stats s JOIN reports r USING (report_id)
LEFT JOIN fixes x ON x.report_id = s.report_id AND x.service_id = s.service_id
    AND s.row_kind = 'service'
WHERE s.source = 'table' AND r.status IN ('ok', 'partial');

CREATE OR REPLACE VIEW v_rows AS
SELECT * EXCLUDE (duplicate_of) FROM v_rows_all WHERE duplicate_of IS NULL;

CREATE OR REPLACE VIEW v_service_rates_all AS
WITH parts AS (
    SELECT report_id, table_index, parent_item, sum(total)::BIGINT AS total,
           sum(direct)::BIGINT AS direct, sum(online)::BIGINT AS online,
           sum(on_time)::BIGINT AS on_time, sum(overdue)::BIGINT AS overdue
    FROM v_rows_all WHERE row_kind = 'subrow' GROUP BY ALL
)
SELECT v.report_id, v.file_name, v.locality_level, v.locality_name, v.locality_code,
       v.province, v.new_province, v.new_locality_code, v.period_label, v.period_kind,
       v.period_start,
       v.period_end, v.service_id, c.name AS service_name, v.scheme,
       coalesce(v.total, p.total) AS total, coalesce(v.direct, p.direct) AS direct,
       coalesce(v.online, p.online) AS online, v.rate_pct,
       CASE WHEN coalesce(v.total, p.total) > 0
            THEN round(100 * coalesce(v.online, p.online)::DOUBLE / coalesce(v.total, p.total), 2)
       END AS rate_computed,
       coalesce(v.on_time, p.on_time) AS on_time, coalesce(v.overdue, p.overdue) AS overdue,
       CASE WHEN v.total IS NULL AND p.total IS NOT NULL THEN 'subrows' ELSE 'printed' END
           AS counts_from,
       v.connected, v.agency, v.corrected, v.printed_values, v.page, v.source_text,
       v.table_index, v.row_index, v.province_code, v.district, v.district_code,
       v.new_province_code, v.duplicate_of
FROM v_rows_all v JOIN catalogue c USING (service_id)
LEFT JOIN parts p ON p.report_id = v.report_id AND p.table_index = v.table_index
    AND p.parent_item = v.item_in_doc
WHERE v.row_kind = 'service' AND c.kind <> 'group';

CREATE OR REPLACE VIEW v_service_rates AS
SELECT * EXCLUDE (duplicate_of) FROM v_service_rates_all WHERE duplicate_of IS NULL;

CREATE OR REPLACE VIEW v_service_latest AS
SELECT * FROM v_service_rates
QUALIFY row_number() OVER (
    PARTITION BY coalesce(locality_code, 'new ' || new_locality_code,
                          locality_level || ' ' || locality_name),
                 service_id, period_kind
    ORDER BY period_end DESC NULLS LAST, period_start DESC NULLS LAST, report_id,
             table_index, row_index
) = 1;

CREATE OR REPLACE VIEW v_report_summary AS
SELECT r.report_id, r.file_name, r.status, r.locality_level, r.locality_name,
       r.province, r.locality_code, r.period_label, r.period_kind, r.period_start,
       r.period_end, r.page_count, coalesce(a.printed_rows, 0) AS printed_rows,
       coalesce(a.service_rows, 0) AS service_rows,
       coalesce(a.matched_rows, 0) AS matched_rows, s.total, s.online,
       CASE WHEN s.total > 0 THEN round(100 * s.online::DOUBLE / s.total, 2) END AS online_rate,
       coalesce(g.figures, 0) AS figures, coalesce(f.errors, 0) AS errors,
       coalesce(f.warnings, 0) AS warnings, r.duplicate_of, r.error
FROM reports r
LEFT JOIN (
    SELECT report_id, count(*) AS printed_rows,
           count(*) FILTER (row_kind = 'service') AS service_rows,
           count(service_id) FILTER (row_kind = 'service') AS matched_rows
    FROM service_stats WHERE source = 'table' GROUP BY report_id
) a USING (report_id)
LEFT JOIN (
    SELECT report_id, sum(total)::BIGINT AS total, sum(online)::BIGINT AS online
    FROM v_service_rates_all GROUP BY report_id
) s USING (report_id)
LEFT JOIN (SELECT report_id, count(*) AS figures FROM figures GROUP BY report_id) g
    USING (report_id)
LEFT JOIN (
    SELECT report_id, count(*) FILTER (severity = 'error') AS errors,
           count(*) FILTER (severity = 'warning') AS warnings
    FROM findings GROUP BY report_id
) f USING (report_id);

CREATE OR REPLACE VIEW v_findings AS
WITH named AS (
    SELECT *, left(sha256(concat_ws('|', report_id, code, page, message)), 10) AS finding_id
    FROM findings
)
SELECT f.finding_id, r.file_name, r.locality_name, r.period_label, f.severity, f.code,
       f.message, f.page, f.context, v.status AS review, v.note AS review_note, f.report_id
FROM named f JOIN reports r USING (report_id)
LEFT JOIN finding_reviews v USING (finding_id)
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         r.file_name, f.page NULLS FIRST;
"""
# Fields an analyst may correct (dean06 correct), with their types in service_stats.
CORRECTABLE = {
    "connected": "BOOLEAN",
    "agency": "VARCHAR",
    "total": "BIGINT",
    "direct": "BIGINT",
    "online": "BIGINT",
    "on_time": "BIGINT",
    "overdue": "BIGINT",
    "rate_pct": "DOUBLE",
}
_VIEWS = (
    _VIEWS.replace(
        "@FIX_COLUMNS@",
        ", ".join(f"any_value(value) FILTER (field = '{f}') AS {f}" for f in CORRECTABLE),
    )
    .replace(
        "@FIX_VALUES@",
        ", ".join(
            f"coalesce(TRY_CAST(x.{f} AS {kind}), s.{f}) AS {f}" for f, kind in CORRECTABLE.items()
        ),
    )
    .replace(
        "@FIX_PRINTED@",
        ", ".join(
            f"CASE WHEN x.{f} IS NOT NULL THEN '{f}=' || coalesce(s.{f}::VARCHAR, '') END"
            for f in CORRECTABLE
        ),
    )
)
VIEWS = (
    "v_corrections",
    "v_service_latest",
    "v_service_rates",
    "v_service_rates_all",
    "v_rows",
    "v_rows_all",
    "v_report_summary",
    "v_findings",
)
_REPORT_TABLES = ("service_stats", "figures", "findings", "reports")
_SEALED: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,  # no COPY TO/FROM, ATTACH, INSTALL, file readers
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,  # and SQL cannot turn them back on
}


@contextlib.contextmanager
def writer_lock(path: Path, wait: float = 0.0) -> Iterator[None]:
    """One extract at a time on ``path``: an advisory lock on ``PATH.lock``, held for the
    whole batch (the database itself is opened only to commit, so readers get it between
    commits); while another extract holds it, retried for ``wait`` seconds."""
    lock = path.with_name(path.name + ".lock")
    try:
        handle = lock.open("a")
    except OSError as exc:
        raise StoreError(f"{path}: cannot write beside the database ({exc.strerror})") from exc
    deadline = time.monotonic() + wait
    with handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _in_use(path) from None
                time.sleep(LOCK_RETRY_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@cache
def _views_key() -> str:
    """A fingerprint of the views and the comments this dean06 defines."""
    return hashlib.sha256(f"{_VIEWS}{describe_all()}".encode()).hexdigest()[:16]


@cache
def _set_up_key() -> str:
    """A fingerprint of what ``Store._create_schema`` writes: tables, views, comments and
    the catalogue, at this schema version."""
    catalogue = load_catalogue().model_dump_json()
    parts = (str(SCHEMA_VERSION), _DDL, _views_key(), catalogue)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


class Store:
    """A DuckDB file holding reports; use as a context manager."""

    def __init__(
        self, path: Path, read_only: bool = False, wait: float = 0.0, files: bool = True
    ) -> None:
        """Open ``path``; while another process holds it, retry for ``wait`` seconds.
        ``files=False`` (read-only only): SQL reaches nothing but this database: no COPY
        TO, ATTACH, INSTALL or LOAD, no file read, and the settings locked."""
        self.path = path
        config = {} if files or not read_only else _SEALED
        self._types: dict[str, list[str]] = {}  # column types per table, for _insert
        deadline = time.monotonic() + wait
        while True:
            try:
                self.connection = duckdb.connect(str(path), read_only=read_only, config=config)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"{path}: cannot open the database ({_first(exc)})") from exc
                if time.monotonic() >= deadline:
                    raise _in_use(path) from exc
                time.sleep(LOCK_RETRY_SECONDS)
            except duckdb.Error as exc:
                damaged = re.search(r"corrupt|checksum", str(exc), re.I)
                what = "damaged database" if damaged else "not a DuckDB database"
                raise StoreError(f"{path}: {what} ({_first(exc)})") from exc
        try:
            found = self.schema_version()
            if not read_only and not self._is_set_up(found):
                self._create_schema(load_catalogue())
        except RuntimeError as exc:  # Ctrl-C inside DuckDB while the schema is refreshed
            self.connection.close()
            _reraise_interrupt(exc)
        except (duckdb.Error, ValueError) as exc:  # blocks overwritten, a version not a number
            self.connection.close()
            what = "cannot write the database" if _cannot_write(exc) else "damaged database"
            raise StoreError(f"{path}: {what} ({_first(exc)})") from exc
        if found > SCHEMA_VERSION:
            self.connection.close()
            raise StoreError(
                f"{path}: written by a newer dean06 (schema {found}, this one reads "
                f"{SCHEMA_VERSION}); upgrade dean06"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def _is_set_up(self, found: int) -> bool:
        """Whether the file already holds this dean06's tables, views and catalogue (the
        writer opens the file for every commit: most opens find it so and write nothing)."""
        if found != SCHEMA_VERSION:
            return False
        stored = self.connection.execute(
            "SELECT value FROM schema_info WHERE key = 'set_up'"
        ).fetchone()
        return stored is not None and stored[0] == _set_up_key()

    def _create_schema(self, catalogue: Catalogue) -> None:
        """Tables, migrations, views, comments and catalogue in one transaction (a
        statement each in autocommit made a new file's set-up cost ≈ 0.5 s a batch)."""
        db = self.connection
        db.execute("BEGIN TRANSACTION")
        try:
            db.execute(_DDL)
            found = self.schema_version()
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS.get(version, []):
                    db.execute(statement)
            self._refresh_views(force=found < SCHEMA_VERSION)
            db.execute(
                "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)",
                [str(SCHEMA_VERSION)],
            )
            services = [
                (s.service_id, s.scheme, s.item, s.name, s.agency, s.kind)
                for s in catalogue.services
            ]
            self._insert("catalogue", services, replace=True)
            db.execute("INSERT OR REPLACE INTO schema_info VALUES ('set_up', ?)", [_set_up_key()])
            db.execute("COMMIT")
        except BaseException:
            _roll_back(db)
            raise

    def _refresh_views(self, force: bool) -> None:
        """The views and the comments on tables, views and columns, rewritten only when
        this dean06 defines them otherwise than the file holds (an open writes nothing
        else: a full disk still lets the batch report what it cannot store)."""
        key = _views_key()
        stored = self.connection.execute(
            "SELECT value FROM schema_info WHERE key = 'views'"
        ).fetchone()
        if not force and stored is not None and stored[0] == key:
            return
        self.connection.execute(_VIEWS)
        self.connection.execute(";\n".join(comment_statements(self.connection)))
        self.connection.execute("INSERT OR REPLACE INTO schema_info VALUES ('views', ?)", [key])

    def schema_version(self) -> int:
        """The version recorded in the file (0 for a new file, 1 before it was recorded)."""
        try:
            row = self.connection.execute(
                "SELECT value FROM schema_info WHERE key = 'schema_version'"
            ).fetchone()
        except duckdb.CatalogException:
            return 0
        if row:
            return int(row[0])
        return 1 if self.count("reports") else 0

    def report_status(self, report_id: str) -> str | None:
        try:
            row = self.connection.execute(
                "SELECT status FROM reports WHERE report_id = ?", [report_id]
            ).fetchone()
        except duckdb.Error as exc:  # a damaged block
            raise StoreError(f"{self.path}: damaged database ({_first(exc)})") from exc
        except RuntimeError as exc:
            _reraise_interrupt(exc)
        return row[0] if row else None

    def error_finding(self, report_id: str, code: str) -> str | None:
        """The message of the report's error finding ``code``, if it has one."""
        row = self.connection.execute(
            "SELECT message FROM findings WHERE report_id = ? AND code = ? LIMIT 1",
            [report_id, code],
        ).fetchone()
        return row[0] if row else None

    def load(self, result: ReportResult, narrative_rows: list[ServiceRow] | None = None) -> None:
        """Replace everything stored for this report in one transaction, and the failures
        stored for earlier contents of its file (they were read no further)."""
        db = self.connection
        try:
            db.execute("BEGIN TRANSACTION")
            stale = db.execute(
                "SELECT report_id FROM reports WHERE source_path = ? AND status = 'failed'",
                [result.source_path],
            ).fetchall()
            for report_id in {result.report_id, *(row[0] for row in stale)}:
                for table in _REPORT_TABLES:
                    db.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
            values = _report_values(result)
            db.execute(
                f"INSERT INTO reports ({', '.join(values)}) "
                f"VALUES ({', '.join(['?'] * len(values))})",
                list(values.values()),
            )
            stats = [*printed_rows(result), *(narrative_rows or [])]
            self._insert("service_stats", [_stat_values(result.report_id, r) for r in stats])
            self._insert(
                "figures",
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
            self._insert(
                "findings",
                [
                    (result.report_id, f.severity.value, f.code, f.message, f.page, f.context)
                    for f in result.findings
                ],
            )
            db.execute("COMMIT")
        except duckdb.InterruptException as exc:  # Ctrl-C while DuckDB was writing
            _roll_back(db)
            raise KeyboardInterrupt from exc
        except RuntimeError as exc:
            _roll_back(db)
            _reraise_interrupt(exc)
        except duckdb.Error as exc:
            _roll_back(db)
            raise StoreError(
                f"{self.path}: {result.file_name} could not be stored ({_first(exc)})"
            ) from exc
        except BaseException:  # Ctrl-C between statements: the original exception goes on
            _roll_back(db)
            raise

    def relate_reports(self) -> tuple[int, int]:
        """Link the files that are one report (``dean06.duplicates``), then check reports
        against each other (``dean06.crosschecks``), in one transaction: the number of
        duplicates linked and of cross-report findings."""
        db = self.connection
        try:
            db.execute("BEGIN TRANSACTION")
            linked = link_duplicates(db)
            crossed = cross_check(db)
            db.execute("COMMIT")
        except duckdb.Error as exc:
            _roll_back(db)
            raise StoreError(
                f"{self.path}: could not relate the reports to each other ({_first(exc)})"
            ) from exc
        except RuntimeError as exc:
            _roll_back(db)
            _reraise_interrupt(exc)
        except BaseException:  # Ctrl-C between statements: the original exception goes on
            _roll_back(db)
            raise
        return linked, crossed

    def _insert(self, table: str, rows: list[tuple[object, ...]], replace: bool = False) -> None:
        """Insert ``rows`` in one statement: one typed list per column, unnested side by
        side (DuckDB's ``executemany`` runs a statement per row, ten times slower);
        ``replace``: rows with a key already held replace it."""
        if not rows:
            return
        types = self._column_types(table)
        columns = [list(column) for column in zip(*rows, strict=True)]
        select = ", ".join(f"unnest(?::{kind}[])" for kind in types)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.connection.execute(f"{verb} INTO {table} SELECT {select}", columns)

    def _column_types(self, table: str) -> list[str]:
        if table not in self._types:
            described = self.connection.execute(f"DESCRIBE {table}").fetchall()
            self._types[table] = [str(row[1]) for row in described]
        return self._types[table]

    def count(self, table: str) -> int:
        row = self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


def _report_values(result: ReportResult) -> dict[str, object]:
    meta = result.meta
    units = result.units
    return {
        "report_id": result.report_id,
        "source_path": result.source_path,
        "file_name": result.file_name,
        "file_format": result.file_format,
        "page_count": result.page_count,
        "locality_name": meta.locality_name,
        "locality_level": meta.locality_level,
        "province": meta.province,
        "district": meta.district,
        "report_number": meta.report_number,
        "report_date": meta.report_date,
        "period_label": meta.period_label,
        "period_start": meta.period_start,
        "period_end": meta.period_end,
        "signer": meta.signer,
        "status": result.status.value,
        "error": result.error,
        "extracted_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "tool_version": __version__,
        "locality_code": units.locality_code,
        "province_code": units.province_code,
        "district_code": units.district_code,
        "new_province": units.new_province,
        "new_province_code": units.new_province_code,
        "new_locality": units.new_locality,
        "new_locality_code": units.new_locality_code,
        "period_kind": meta.period_kind,
        "issuer": meta.issuer,
        "place": meta.place,
        "title": meta.title,
        "scanned": result.scanned,
        "duplicate_of": None,
    }


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
        row.ocr_confidence,
        row.row_kind.value,
        row.parent_item,
        row.table_index,
        row.row_index,
    ]


def printed_rows(result: ReportResult) -> list[ServiceRow]:
    """Every printed row of the report's DVC tables in print order: data rows, headings
    and totals (as rows of kind total)."""
    schemes = {row.table_index: row.scheme for row in result.services}
    totals = [
        ServiceRow(
            scheme=schemes.get(total.table_index),
            name_in_doc=total.name,
            total=total.total,
            online=total.online,
            page=total.page,
            source_text=total.source_text,
            table_index=total.table_index,
            row_index=total.row_index,
            row_kind=RowKind.TOTAL,
        )
        for total in result.totals
    ]
    headings = [
        row.model_copy(update={"scheme": schemes.get(row.table_index)}) for row in result.headings
    ]
    rows = [*result.services, *headings, *totals]
    return sorted(rows, key=lambda row: (row.table_index, row.row_index))


def _in_use(path: Path) -> StoreLocked:
    return StoreLocked(
        f"{path}: the database is in use by another dean06 process; "
        "wait for it to finish (or pass --wait SECONDS)"
    )


def _cannot_write(exc: BaseException) -> bool:
    """A write failed (the disk is full, the file is read-only), the file itself is fine."""
    return bool(re.search(r"no space left|could not write|read-only", str(exc), re.I))


def _reraise_interrupt(exc: RuntimeError) -> NoReturn:
    """Raise Ctrl-C inside a DuckDB statement, which its Python client reports as
    RuntimeError('Query interrupted'), as KeyboardInterrupt; any other RuntimeError as it
    is."""
    if "interrupted" in str(exc).lower():
        raise KeyboardInterrupt from exc
    raise exc


def _first(exc: BaseException) -> str:
    """The first line of an error's message (DuckDB's run over several)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _roll_back(db: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK, when a transaction is still open to roll back (a failed COMMIT ends it)."""
    with contextlib.suppress(duckdb.Error):
        db.execute("ROLLBACK")
