"""Export every table and view: CSV or Parquet (DuckDB's built-in COPY), or one XLSX workbook.

Text stays text in a spreadsheet: XLSX cells are written as strings (never formulas), and
a CSV text cell that opens with what a spreadsheet would run as a formula (=, +, -, @,
tab, CR) gets the usual leading apostrophe, unless ``raw``.
"""

from __future__ import annotations

import codecs
import csv
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dean06.errors import ExportError
from dean06.store import VIEWS

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TABLES = ("reports", "service_stats", "figures", "findings", "catalogue")
# Excel caps a cell at 32,767 characters; longer source text is cut with a marker.
XLSX_CELL_LIMIT = 32_000
_FORMULA_START = r"^[-=+@\t\r]"  # what a spreadsheet may run as a formula (OWASP's list)
_PERCENT_COLUMN = re.compile(r"(rate|_pct|percent)")  # values in percent: 98.59 is 98,59%
_PERCENT_FORMAT = '0.00"%"'
_WIDTH_SAMPLE = 200  # rows whose text sets a column's width
_MAX_WIDTH = 60


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


def export_all(
    connection: duckdb.DuckDBPyConnection,
    directory: Path,
    fmt: ExportFormat,
    raw: bool = False,
    bom: bool = False,
) -> list[Path]:
    """Write each table and view under ``directory``; returns the files written. ``bom``
    opens each CSV with a UTF-8 BOM, which Excel on Windows needs to read Vietnamese."""
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
        select = f"SELECT * FROM {name}"
        if fmt is ExportFormat.csv and not raw:
            select = _formulas_as_text(connection, name)
        try:
            connection.execute(f"COPY ({select}) TO '{_quoted(target)}' ({options})")
        except duckdb.Error as exc:
            raise ExportError(f"{target}: cannot write ({exc})") from exc
        if bom and fmt is ExportFormat.csv:
            _open_with_bom(target)
        written.append(target)
    return written


def _formulas_as_text(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """A SELECT of ``name`` whose text cells opening with a formula's first character get
    the leading apostrophe that spreadsheets read as "this is text"."""
    columns = []
    for column, kind, *_ in connection.execute(f"DESCRIBE SELECT * FROM {name}").fetchall():
        quoted = '"' + column.replace('"', '""') + '"'
        if kind == "VARCHAR":
            quoted = (
                f"CASE WHEN regexp_matches({quoted}, '{_FORMULA_START}') "
                f"THEN chr(39) || {quoted} ELSE {quoted} END AS {quoted}"
            )
        columns.append(quoted)
    return f"SELECT {', '.join(columns)} FROM {name}"


def _write_workbook(connection: duckdb.DuckDBPyConnection, names: list[str], target: Path) -> Path:
    """One sheet per table and view (``_write_sheet``)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name in names:
        cursor = connection.execute(f"SELECT * FROM {name}")
        columns = [d[0] for d in cursor.description or []]
        _write_sheet(workbook, name, columns, cursor.fetchall())
    return _save(workbook, target)


def write_rows(columns: list[str], rows: list[tuple[object, ...]], target: Path) -> Path:
    """``rows`` as one file whose kind its suffix names: .xlsx (as ``_write_sheet``),
    .csv (UTF-8 with a BOM, for Excel; booleans true/false) or .parquet."""
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        _write_sheet(workbook, target.stem, columns, rows)
        return _save(workbook, target)
    if suffix == ".csv":
        try:
            with target.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                writer.writerows(
                    [str(v).lower() if isinstance(v, bool) else v for v in row] for row in rows
                )
        except OSError as exc:
            raise ExportError(f"{target}: cannot write ({exc.strerror})") from exc
        return target
    if suffix == ".parquet":
        return _write_parquet(columns, rows, target)
    raise ExportError(f"{target}: write .xlsx, .csv or .parquet")


def _write_parquet(columns: list[str], rows: list[tuple[object, ...]], target: Path) -> Path:
    kinds = {bool: "BOOLEAN", int: "BIGINT", float: "DOUBLE"}
    types = []
    for index in range(len(columns)):
        seen = {type(row[index]) for row in rows if row[index] is not None}
        types.append(kinds.get(seen.pop(), "VARCHAR") if len(seen) == 1 else "VARCHAR")
    scratch = duckdb.connect()
    try:
        fields = ", ".join(f'"{c}" {t}' for c, t in zip(columns, types, strict=True))
        scratch.execute(f"CREATE TABLE rows ({fields})")
        if rows:
            scratch.executemany(
                f"INSERT INTO rows VALUES ({', '.join(['?'] * len(columns))})", rows
            )
        scratch.execute(f"COPY rows TO '{_quoted(target)}' (FORMAT parquet)")
    except duckdb.Error as exc:
        raise ExportError(f"{target}: cannot write ({exc})") from exc
    finally:
        scratch.close()
    return target


def _write_sheet(
    workbook: Workbook, title: str, columns: list[str], rows: list[tuple[object, ...]]
) -> None:
    """A sheet with a bold header row, frozen and filtered, columns as wide as their text
    (to a cap), rates shown with a percent sign."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for index, column in enumerate(columns, start=1):
        longest = max((len(str(row[index - 1])) for row in rows[:_WIDTH_SAMPLE]), default=0)
        width = min(max(len(column), longest) + 2, _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    percent = {i for i, column in enumerate(columns) if _PERCENT_COLUMN.search(column)}
    for row in rows:
        sheet.append([_cell(sheet, value, i in percent) for i, value in enumerate(row)])


def _save(workbook: Workbook, target: Path) -> Path:
    try:
        workbook.save(target)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from exc
    return target


def _cell(sheet: WriteOnlyWorksheet, value: object, percent: bool = False) -> object:
    """Text Excel accepts, as a string cell (openpyxl takes a leading "=" for a formula):
    control characters dropped, long text cut. A rate (in percent) shows its sign."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if percent and isinstance(value, int | float) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _PERCENT_FORMAT
        return cell
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > XLSX_CELL_LIMIT:
        value = value[:XLSX_CELL_LIMIT] + " …"
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def _open_with_bom(path: Path) -> None:
    try:
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror})") from exc


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
