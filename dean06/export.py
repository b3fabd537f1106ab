"""Export every table and view: CSV or Parquet (DuckDB's built-in COPY), or one XLSX workbook."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import duckdb

from dean06.errors import ExportError
from dean06.store import VIEWS

TABLES = ("reports", "service_stats", "figures", "findings", "catalogue")
# Excel caps a cell at 32,767 characters; longer source text is cut with a marker.
XLSX_CELL_LIMIT = 32_000


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


def export_all(
    connection: duckdb.DuckDBPyConnection, directory: Path, fmt: ExportFormat
) -> list[Path]:
    """Write each table and view under ``directory``; returns the files written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{directory}: cannot create the folder ({exc.strerror})") from exc
    names = [*TABLES, *VIEWS]
    if fmt is ExportFormat.xlsx:
        return [_write_workbook(connection, names, directory / "dean06.xlsx")]
    written = []
    for name in names:
        target = directory / f"{name}.{fmt.value}"
        options = "FORMAT csv, HEADER true" if fmt is ExportFormat.csv else "FORMAT parquet"
        try:
            connection.execute(f"COPY (SELECT * FROM {name}) TO '{_quoted(target)}' ({options})")
        except duckdb.Error as exc:
            raise ExportError(f"{target}: cannot write ({exc})") from exc
        written.append(target)
    return written


def _write_workbook(connection: duckdb.DuckDBPyConnection, names: list[str], target: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name in names:
        sheet = workbook.create_sheet(title=name[:31])
        cursor = connection.execute(f"SELECT * FROM {name}")
        sheet.append([d[0] for d in cursor.description or []])
        for row in cursor.fetchall():
            sheet.append([_cell(value) for value in row])
    try:
        workbook.save(target)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from exc
    return target


def _cell(value: object) -> object:
    """Text Excel accepts: control characters dropped, long text cut."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value[:XLSX_CELL_LIMIT] + " …" if len(value) > XLSX_CELL_LIMIT else value


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
