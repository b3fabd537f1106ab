"""Command line: extract, query, findings, show, export, report, catalog, debug. Thin."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from dean06 import __version__
from dean06.batch import (
    DEFAULT_TIMEOUT,
    BatchOptions,
    BatchSummary,
    FileOutcome,
    default_workers,
    extract_into,
)
from dean06.catalog import Matcher, load_catalogue
from dean06.errors import Dean06Error, QueryError
from dean06.export import ExportFormat
from dean06.schemas import Severity
from dean06.settings import ExtractSettings, OcrMode
from dean06.watchdog import parse_size

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="Turn Đề án 06 progress reports (PDF, DOCX, text) into one DuckDB database.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)
catalog_app = typer.Typer(context_settings=HELP_OPTIONS)
app.add_typer(catalog_app, name="catalog")
console = Console()
errors = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file to write.", envvar="DEAN06_DB")]
ReadDbOption = Annotated[
    Path, typer.Option("--db", help="DuckDB file to read.", envvar="DEAN06_DB")
]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    nl = "nl"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


class SchemeChoice(StrEnum):
    QD06 = "QD06"
    QD422 = "QD422"


MAX_CELL_WIDTH = 60  # characters of a cell in the terminal table; longer ones end in "…"


def _memory_size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _version(value: bool) -> None:
    if value:
        console.print(f"dean06 {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn Đề án 06 progress reports (PDF, DOCX, text) into one DuckDB database."""


@app.command()
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Report files or folders (walked recursively).", exists=True),
    ],
    db: DbOption = Path("dean06.duckdb"),
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract reports already loaded.")
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Read again the files whose worker died on an earlier run (they stay "
            "failed otherwise).",
        ),
    ] = False,
    ocr: Annotated[
        OcrMode,
        typer.Option(
            "--ocr",
            help="auto: OCR the PDF pages without a usable text layer; always: every PDF "
            "page; never: report scans as needing OCR.",
        ),
    ] = OcrMode.AUTO,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Extraction processes [default: every core]."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Seconds per file before it fails (0: none).")
    ] = DEFAULT_TIMEOUT,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=1, help="A PDF with more pages fails.")
    ] = ExtractSettings().max_pages,
    max_memory: Annotated[
        int | None,
        typer.Option(
            "--max-memory",
            help="Memory a worker may hold with the programs it runs (800M, 2G; 0: no "
            "limit); its file fails beyond it [default: the machine's memory × 0.8 shared "
            "by the workers, 1G at least].",
            parser=_memory_size,
            metavar="SIZE",
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", min=0, help="Seconds to wait while another dean06 writes the database."
        ),
    ] = 0.0,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the summary and each file's outcome as JSON."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Errors only: no progress bar, no summary.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="A line for every file, whatever its status.")
    ] = False,
) -> None:
    """Extract reports into the database. Scanned PDFs are read with Tesseract (Vietnamese).

    Reads PDF, DOCX and converter text: tab, pipe or HTML rows, pdftotext -layout text, and
    text whose spacing was collapsed. A report whose tables could not be read is partial,
    with a tables_not_read or rows_not_read warning.

    Each report is loaded in one transaction; Ctrl-C stops cleanly and the next run picks up
    the rest. After the batch, one report loaded in several formats (PDF, DOCX, text) is
    linked to one canonical file (reports.duplicate_of) and counted once by the views.

    Example: dean06 extract reports/ --db dean06.duckdb
    """
    progress = Progress(
        TextColumn("[bold]extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=errors,
        transient=True,
        disable=quiet or not errors.is_terminal,
    )
    task = progress.add_task("", total=None)
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose ask for opposite things; give one")

    def on_file(outcome: FileOutcome) -> None:
        progress.update(task, advance=1, description=outcome.path.name[:40])
        if outcome.status == "failed":
            progress.console.print(Text.assemble(("error", "red"), f": {visible(outcome.message)}"))
        elif verbose:  # a message names its file
            said = outcome.message or outcome.path.name
            progress.console.print(Text(f"{outcome.status}: {visible(said)}"))

    options = BatchOptions(
        force=force,
        retry_failed=retry_failed,
        workers=workers or default_workers(),
        timeout=timeout or None,
        max_memory=max_memory,
        wait=wait,
        settings=ExtractSettings(ocr=ocr, max_pages=max_pages),
    )
    with _failing_as_one_line(), progress:
        summary = extract_into(
            paths,
            db,
            options,
            on_file=on_file,
            on_start=lambda n: progress.update(task, total=n),
        )
    if as_json:
        sys.stdout.write(json.dumps(_summary_json(summary, db), ensure_ascii=False) + "\n")
    elif not quiet:
        _print_summary(summary, db, skipped_lines=not verbose)
    for message in summary.errors:
        errors.print(Text(f"error: {visible(message)}"))
    if summary.interrupted:
        errors.print(
            f"interrupted: {len(summary.outcomes)} files done, {summary.pending} left; "
            "run the same command again to load the rest",
            highlight=False,
        )
        raise typer.Exit(130)
    raise typer.Exit(1 if summary.failed or summary.errors else 0)


def _summary_json(summary: BatchSummary, db: Path) -> dict[str, object]:
    """The summary table's figures, and each file's outcome, for scripts."""
    return {
        "database": str(db),
        "files": len(summary.outcomes),
        **{status: summary.count(status) for status in ("ok", "partial", "skipped", "failed")},
        "tables_not_read": summary.tables_lost,
        "duplicates": summary.duplicates,
        "service_rows": summary.service_rows,
        "figures": summary.figures,
        "findings": {s: summary.findings.get(s, 0) for s in ("error", "warning", "info")},
        "interrupted": summary.interrupted,
        "pending": summary.pending,
        "errors": summary.errors,
        "outcomes": [
            {"file": str(o.path), "status": o.status, "message": o.message}
            for o in summary.outcomes
        ],
    }


def _print_summary(summary: BatchSummary, db: Path, skipped_lines: bool = True) -> None:
    for outcome in summary.outcomes:
        if outcome.status == "skipped" and skipped_lines:
            errors.print(Text(f"skipped: {visible(outcome.message)}"))
    table = Table(title=Text(f"dean06 extract → {visible(str(db))}"), show_header=False)
    table.add_row("files", str(len(summary.outcomes)))
    for status in ("ok", "partial", "skipped", "failed"):
        table.add_row(f"  {status}", str(summary.count(status)))
    table.add_row("    tables not read", str(summary.tables_lost))
    table.add_row("  duplicates of another file", str(summary.duplicates))
    table.add_row("service rows", str(summary.service_rows))
    table.add_row("figures", str(summary.figures))
    for severity in ("error", "warning", "info"):
        table.add_row(f"findings: {severity}", str(summary.findings.get(severity, 0)))
    console.print(table)


BomOption = Annotated[
    bool, typer.Option("--bom", help="CSV: open with a UTF-8 BOM (Excel on Windows needs it).")
]


@app.command()
def query(
    sql: Annotated[
        str,
        typer.Argument(help="SQL to run (read-only); - reads it from stdin, FILE.sql from FILE."),
    ],
    db: ReadDbOption = Path("dean06.duckdb"),
    output: FormatOption = OutputFormat.table,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "-p",
            "--param",
            help="NAME=VALUE for $NAME in the SQL (repeat for more).",
            metavar="NAME=VALUE",
        ),
    ] = None,
    bom: BomOption = False,
    allow_files: Annotated[
        bool,
        typer.Option(
            "--allow-files",
            help="Let the SQL read and write files (COPY … TO, read_csv, ATTACH); "
            "without it the query reaches nothing but the database.",
        ),
    ] = False,
) -> None:
    """Run SQL on the database, read-only: it cannot change the database, write or read
    files, attach other databases or install extensions (unless --allow-files). Tables:
    reports, service_stats, figures, findings, catalogue; views: v_service_latest,
    v_service_rates, v_report_summary, v_findings.

    Example: dean06 query "SELECT * FROM v_service_latest WHERE service_id = $id" -p id=QD06-3
    """
    from dean06.review import open_for_reading, query_with_columns

    with _failing_as_one_line():
        text = _sql_text(sql)
        parameters = _parameters(param or [])
        connection = open_for_reading(db, files=allow_files)
        columns, rows = query_with_columns(connection, text, parameters)
    _emit(rows, output, title="", columns=columns, bom=bom)


@app.command()
def findings(
    db: ReadDbOption = Path("dean06.duckdb"),
    severity: Annotated[
        Severity | None, typer.Option("--severity", help="Only this severity.")
    ] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="A file name or report id.")
    ] = None,
    output: FormatOption = OutputFormat.table,
    bom: BomOption = False,
) -> None:
    """List what the tool flagged for review, errors first.

    Example: dean06 findings --severity warning --report 003_bb8745acf477937f.pdf
    """
    from dean06.review import FINDING_COLUMNS, list_findings, open_for_reading

    with _failing_as_one_line():
        rows = list_findings(open_for_reading(db), severity, report)
    _emit(rows, output, title="Findings", columns=FINDING_COLUMNS, bom=bom)


@app.command()
def show(
    report: Annotated[
        str, typer.Argument(help="A file name or report id (or its first 6+ characters).")
    ],
    db: ReadDbOption = Path("dean06.duckdb"),
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show one report: metadata, service rows (printed and catalogue names, match score),
    figures and findings, each value with its page and source text (the terminal view
    leaves out the long columns; --format csv, json or nl has them all).

    Example: dean06 show 003_bb8745acf477937f.pdf
    """
    from dean06.review import open_for_reading, show_report

    with _failing_as_one_line():
        parts = show_report(open_for_reading(db), report)
    if output is OutputFormat.json:
        console.print_json(json.dumps(parts, ensure_ascii=False, default=str))
        return
    if output is not OutputFormat.table:  # one table: each row with its part
        rows = [{"part": name, **row} for name, part in parts.items() for row in part]
        columns = list(dict.fromkeys(column for row in rows for column in row))
        _emit([{column: row.get(column) for column in columns} for row in rows], output)
        return
    meta = Table(title="Report", show_header=False)
    for key, value in parts["report"][0].items():
        if value is not None:
            meta.add_row(key, Text(visible(str(value))))
    console.print(meta)
    for name in ("services", "figures", "findings"):
        shown = [{k: v for k, v in row.items() if k not in _SHOW_HIDDEN} for row in parts[name]]
        _emit(shown, output, title=name.capitalize())


# Long columns left out of the terminal view; csv, json and nl carry them.
_SHOW_HIDDEN = {
    "source_text", "catalogue_name", "on_time", "overdue", "source", "context", "ocr_confidence"
}  # fmt: skip


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write into.", file_okay=False)],
    db: ReadDbOption = Path("dean06.duckdb"),
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="csv or parquet: a file per table and view; xlsx: one workbook, a sheet each.",
        ),
    ] = ExportFormat.csv,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write text as it is, without the leading apostrophe that keeps a "
            "spreadsheet from running a cell that opens with =, +, -, @ as a formula.",
        ),
    ] = False,
    bom: BomOption = False,
) -> None:
    """Export every table and view. Text stays text in a spreadsheet: XLSX string cells,
    and in CSV a leading apostrophe before a cell opening with =, +, -, @, tab or CR
    (--raw leaves it out).

    Example: dean06 export out/ --format xlsx
    """
    from dean06.export import export_all
    from dean06.review import open_for_reading

    with _failing_as_one_line():
        written = export_all(open_for_reading(db, files=True), directory, fmt, raw, bom)
    for path in written:
        console.print(Text(f"wrote {visible(str(path))}"))


@app.command()
def report(
    html: Annotated[Path, typer.Option("--html", help="HTML file to write.", dir_okay=False)],
    db: ReadDbOption = Path("dean06.duckdb"),
) -> None:
    """Write a self-contained HTML page: online rate per service, services × localities,
    trend over periods, and the findings. It needs no network to view.

    Example: dean06 report --html dean06.html
    """
    from dean06.html_report import write_html_report
    from dean06.review import open_for_reading

    with _failing_as_one_line():
        written = write_html_report(open_for_reading(db), html)
    console.print(Text(f"wrote {visible(str(written))}"))


def visible(text: str) -> str:
    """``text`` with its control characters written out (``\x1b``, ``\n``): what a
    document or a file name holds reaches the terminal as characters, on one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


@contextmanager
def _failing_as_one_line() -> Iterator[None]:
    """A Dean06Error becomes one line on stderr and exit code 1."""
    try:
        yield
    except Dean06Error as exc:
        errors.print(Text(f"error: {visible(str(exc))}"))
        raise typer.Exit(1) from exc


@app.command()
def debug(
    path: Annotated[Path, typer.Argument(help="A PDF report.", exists=True, dir_okay=False)],
    page: Annotated[int, typer.Option("--page", help="Page number (1-based).")] = 1,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="PNG to write [default: STEM.pageN.png in this folder]."),
    ] = None,
) -> None:
    """Draw the detected table grid, column roles and matched service ids on a page of a
    PDF (a scan's page is OCR'd); only that page is extracted.

    Blue: ruled table cells; green: a borderless table; purple: column roles;
    red: the catalogue id matched for a service row.

    Example: dean06 debug report.pdf --page 13 --out page13.png
    """
    from dean06.debug import draw_page

    target = out or Path.cwd() / f"{path.stem}.page{page}.png"
    with _failing_as_one_line():
        written = draw_page(path, page, target)
    console.print(Text(f"wrote {visible(str(written))}"))


@app.command()
def schema(
    name: Annotated[
        str | None, typer.Argument(help="A table or view: its columns only.", show_default=False)
    ] = None,
    db: ReadDbOption = Path("dean06.duckdb"),
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the database's tables and views, each column with its type and what it holds
    (the descriptions are kept in the database as column comments).

    Example: dean06 schema v_service_latest
    """
    from dean06.review import open_for_reading
    from dean06.schema_docs import describe

    with _failing_as_one_line():
        rows = describe(open_for_reading(db), name)
        if name and not rows:
            raise QueryError(f"{name}: no such table or view (dean06 schema lists them)")
    _emit(rows, output, title="Schema")


@catalog_app.callback(invoke_without_command=True)
def catalog_list(
    ctx: typer.Context,
    scheme: Annotated[SchemeChoice | None, typer.Option(help="Only this decision's.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """The canonical service catalogue (QĐ 06 and QĐ 422): list it, or match a name.

    Example: dean06 catalog --scheme QD422 --format csv
    """
    if ctx.invoked_subcommand:
        return
    services = load_catalogue().in_scheme(scheme)
    rows = [
        {
            "service_id": s.service_id,
            "scheme": s.scheme,
            "item": s.item,
            "kind": s.kind,
            "name": s.name,
        }
        for s in services
    ]
    _emit(rows, output, title="Catalogue")


@catalog_app.command("match")
def catalog_match(
    text: Annotated[str, typer.Argument(help="A service name as printed in a report.")],
    scheme: Annotated[SchemeChoice | None, typer.Option(help="Only this decision's.")] = None,
    limit: Annotated[int, typer.Option(help="How many candidates.")] = 5,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show the best catalogue candidates for a printed service name, with scores.

    Example: dean06 catalog match "Xác nhận số CMND khi đã được cấp thẻ CCCD"
    """
    rows = [
        {"service_id": m.service_id, "score": m.score, "name": m.name}
        for m in Matcher().candidates(text, scheme, limit)
    ]
    _emit(rows, output, title=f"Candidates for: {text}")


def _sql_text(sql: str) -> str:
    """The SQL as given, read from stdin for "-", or from the file it names (``.sql``)."""
    if sql == "-":
        return sys.stdin.read()
    path = Path(sql)
    if path.suffix.lower() == ".sql" and "\n" not in sql:
        try:
            return path.read_text("utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read the SQL ({exc.strerror})") from exc
    return sql


def _parameters(pairs: list[str]) -> dict[str, object]:
    """``NAME=VALUE`` pairs: whole numbers and decimals as numbers, the rest as text."""
    values: dict[str, object] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise QueryError(f"-p {pair}: write a parameter as NAME=VALUE")
        values[name.strip().lstrip("$")] = _typed(value)
    return values


def _typed(value: str) -> object:
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            continue
    return value


def _emit(
    rows: list[dict[str, object]],
    output: OutputFormat,
    title: str = "",
    columns: list[str] | None = None,
    bom: bool = False,
) -> None:
    """``rows`` as ``output``; ``columns`` name them when there may be none (a CSV's
    header is written all the same); ``bom`` opens a CSV with a UTF-8 BOM."""
    columns = list(rows[0]) if rows else columns or []
    if output is OutputFormat.json:
        console.print_json(json.dumps(rows, ensure_ascii=False, default=str))
    elif output is OutputFormat.nl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif output is OutputFormat.csv:
        if columns:
            if bom:
                sys.stdout.write("\ufeff")
            writer = csv.DictWriter(sys.stdout, fieldnames=columns)
            writer.writeheader()
            writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)
    else:
        if not rows:
            console.print(f"{title}: none" if title else "no rows")
            return
        table = Table(title=title or None, caption=f"{len(rows)} row{'s' * (len(rows) != 1)}")
        for column in columns:
            table.add_column(column, overflow="ellipsis", no_wrap=True, max_width=MAX_CELL_WIDTH)
        for row in rows:
            table.add_row(*(Text(visible(_cell(v))) for v in row.values()))
        console.print(table)


def _csv_value(value: object) -> object:
    """Booleans spelt as ``export`` (DuckDB's CSV) spells them."""
    return str(value).lower() if isinstance(value, bool) else value


def _cell(value: object) -> str:
    """A value as the terminal table shows it: NULL blank, booleans as in CSV."""
    return "" if value is None else str(_csv_value(value))
