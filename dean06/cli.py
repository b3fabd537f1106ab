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
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
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
from dean06.corrections import ReviewStatus
from dean06.errors import Dean06Error, QueryError
from dean06.export import ExportFormat
from dean06.launch import outcome_decided
from dean06.progress import BatchProgress
from dean06.rollup import Rollup
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
WaitOption = Annotated[
    float,
    typer.Option("--wait", min=0, help="Seconds to wait while an extract commits to the database."),
]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    nl = "nl"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


class Executor(StrEnum):
    local = "local"
    ray = "ray"


class RollupLevel(StrEnum):
    commune = "commune"
    district = "district"


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    nine_months = "nine_months"
    year = "year"
    cumulative = "cumulative"
    other = "other"


LevelOption = Annotated[
    RollupLevel, typer.Option("--level", help="Roll-up: which localities to sum.")
]
DistrictOption = Annotated[
    str | None,
    typer.Option("--district", help="Roll-up, --level commune: only this district's communes."),
]
KindOption = Annotated[
    PeriodKind | None,
    typer.Option("--kind", help="Roll-up: the period kind to sum [default: the --period's]."),
]


class SchemeChoice(StrEnum):
    QD06 = "QD06"
    QD422 = "QD422"


MAX_CELL_WIDTH = 60  # characters of a cell in the terminal table; longer ones end in "…"
MIN_CELL_WIDTH = 10  # a narrow terminal shrinks no column below this (or its widest cell)


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
    executor: Annotated[
        Executor,
        typer.Option(
            "--executor",
            help="local: worker processes on this machine; ray: Ray tasks, on a local Ray "
            "instance or the cluster of --ray-address (pip install 'dean06[ray]').",
        ),
    ] = Executor.local,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            help="With --executor ray: the cluster's address (ray start --head prints it) "
            "[default: RAY_ADDRESS, else a local instance].",
            show_default=False,
        ),
    ] = None,
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
        TextColumn("{task.fields[pages]}"),
        TextColumn("{task.fields[files]}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=errors,
        transient=True,
        disable=quiet or not errors.is_terminal,
    )
    task = progress.add_task("", total=None, pages="", files="")
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose ask for opposite things; give one")

    def on_file(outcome: FileOutcome) -> None:
        progress.update(task, description=outcome.path.name[:40])
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
        executor=executor.value,
        ray_address=ray_address,
    )
    with _failing_as_one_line(), progress:
        summary = extract_into(
            paths,
            db,
            options,
            on_file=on_file,
            on_progress=lambda state: _show_progress(progress, task, state),
        )
        outcome_decided()  # the batch is over: a late Ctrl-C cannot cut the summary short
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


def _show_progress(progress: Progress, task: TaskID, state: BatchProgress) -> None:
    """The bar: pages read of the batch's pages (estimated from the files opened so far
    until every file is), then files done, the time spent and the time left."""
    pages = round(state.pages)
    about = "~" if state.estimated else ""
    progress.update(
        task,
        completed=min(state.pages_done, pages),
        total=pages or None,
        pages=f"{state.pages_done:.0f}/{about}{pages} pages" if pages else "",
        files=f"{state.files_done}/{state.files} files",
    )


def _summary_json(summary: BatchSummary, db: Path) -> dict[str, object]:
    """The summary table's figures, and each file's outcome, for scripts."""
    return {
        "database": str(db),
        "files": len(summary.outcomes),
        **{status: summary.count(status) for status in ("ok", "partial", "skipped", "failed")},
        "tables_not_read": summary.tables_lost,
        "duplicates": summary.duplicates,
        "cross_report_findings": summary.cross_findings,
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
    table = Table(show_header=False)
    table.add_row("files", str(len(summary.outcomes)))
    for status in ("ok", "partial", "skipped", "failed"):
        table.add_row(f"  {status}", str(summary.count(status)))
    table.add_row("    tables not read", str(summary.tables_lost))
    table.add_row("  duplicates of another file", str(summary.duplicates))
    table.add_row("service rows", str(summary.service_rows))
    table.add_row("figures", str(summary.figures))
    for severity in ("error", "warning", "info"):
        table.add_row(f"findings: {severity}", str(summary.findings.get(severity, 0)))
    table.add_row("findings across reports", str(summary.cross_findings))
    # The database's path on a line of its own, never folded: a path stays one string to copy.
    console.print(Text(f"dean06 extract → {visible(str(db))}"), soft_wrap=True)
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
    wait: WaitOption = 0.0,
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
        connection = open_for_reading(db, files=allow_files, wait=wait)
        columns, rows = query_with_columns(connection, text, parameters)
    _emit(rows, output, title="", columns=columns, bom=bom)


@app.command()
def findings(
    db: ReadDbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
    severity: Annotated[
        Severity | None, typer.Option("--severity", help="Only this severity.")
    ] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="A file name or report id.")
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also the findings already reviewed, with their review."),
    ] = False,
    output: FormatOption = OutputFormat.table,
    bom: BomOption = False,
) -> None:
    """List what the tool flagged for review, errors first; reviewed findings (dean06
    review) only with --all.

    Example: dean06 findings --severity warning --report 003_bb8745acf477937f.pdf
    """
    from dean06.review import FINDING_COLUMNS, REVIEW_COLUMNS, list_findings, open_for_reading

    with _failing_as_one_line():
        rows = list_findings(open_for_reading(db, wait=wait), severity, report, reviewed=show_all)
    columns = FINDING_COLUMNS + (REVIEW_COLUMNS if show_all else [])
    _emit(rows, output, title="Findings", columns=columns, bom=bom)


ByOption = Annotated[
    str | None, typer.Option("--by", help="Who made it [default: your user name].")
]


@app.command()
def correct(
    report: Annotated[
        str | None, typer.Argument(help="A file name or report id.", show_default=False)
    ] = None,
    service_id: Annotated[
        str | None, typer.Argument(help="The service (QD06-3, QD422-13.1).", show_default=False)
    ] = None,
    field: Annotated[
        str | None,
        typer.Argument(
            help="connected, agency, total, direct, online, on_time, overdue or rate_pct.",
            show_default=False,
        ),
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(help="The right value (1.318, 96,84, true).", show_default=False),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
    from_csv: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A CSV of corrections: report, service_id, field, value[, note].",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Drop the correction of this field.")
    ] = False,
    by: ByOption = None,
    db: DbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
) -> None:
    """Record the right value of a misread or misprinted field. The views show it, with
    the printed value beside it (printed_values) and corrected = true; it is kept by the
    report's content, so re-runs and --force keep it.

    Example: dean06 correct 003_bb8745acf477937f.pdf QD06-3 online 1.318 --note "OCR: 1"
    """
    from dean06.corrections import Correction, read_corrections_csv, record_corrections
    from dean06.store import Store

    with _failing_as_one_line():
        if from_csv is not None:
            wanted = read_corrections_csv(from_csv)
        elif report and service_id and field and (value is not None or remove):
            wanted = [Correction(report, service_id, field, None if remove else value, note)]
        else:
            raise QueryError("give REPORT SERVICE_ID FIELD VALUE (or --remove), or --from FILE")
        with Store(db, wait=wait) as store:
            count = record_corrections(store.connection, wanted, by)
    done = "removed" if remove else "recorded"
    console.print(Text(f"{done} {count} correction{'s' * (count != 1)}"))


@app.command()
def corrections(
    db: ReadDbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
    output: FormatOption = OutputFormat.table,
    bom: BomOption = False,
) -> None:
    """List the corrections in force: the printed value, the right one, who, when, why.

    Example: dean06 corrections --format csv > corrections.csv
    """
    from dean06.corrections import list_corrections
    from dean06.review import open_for_reading

    with _failing_as_one_line():
        rows = list_corrections(open_for_reading(db, wait=wait))
    columns = ["file_name", "service_id", "field", "printed", "value", "note", "corrected_by",
               "corrected_at", "report_id"]  # fmt: skip
    _emit(rows, output, title="Corrections", columns=columns, bom=bom)


@app.command()
def review(
    finding_ids: Annotated[
        list[str], typer.Argument(help="Finding ids (dean06 findings), or their first 6+.")
    ],
    status: Annotated[
        ReviewStatus, typer.Option("--as", help="What the review found.")
    ] = ReviewStatus.accepted,
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
    by: ByOption = None,
    db: DbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
) -> None:
    """Mark findings as reviewed: accepted (right as read), fixed (corrected) or ignored.
    dean06 findings hides them afterwards (--all shows them); re-runs keep the review.

    Example: dean06 review 3f2a9c01d4 --as fixed --note "corrected to 1.318"
    """
    from dean06.corrections import review_findings
    from dean06.store import Store

    with _failing_as_one_line(), Store(db, wait=wait) as store:
        count = review_findings(store.connection, finding_ids, status, note, by)
    console.print(Text(f"marked {count} finding{'s' * (count != 1)} {status.value}"))


@app.command()
def show(
    report: Annotated[
        str, typer.Argument(help="A file name or report id (or its first 6+ characters).")
    ],
    db: ReadDbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show one report: metadata, service rows (printed and catalogue names, match score),
    figures and findings, each value with its page and source text (the terminal view
    leaves out the long columns; --format csv, json or nl has them all).

    Example: dean06 show 003_bb8745acf477937f.pdf
    """
    from dean06.review import open_for_reading, show_report

    with _failing_as_one_line():
        parts = show_report(open_for_reading(db, wait=wait), report)
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
    directory: Annotated[
        Path,
        typer.Argument(help="Folder to write into; with --appendix, the .xlsx or .docx file."),
    ],
    db: ReadDbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
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
    appendix: Annotated[
        SchemeChoice | None,
        typer.Option(
            "--appendix",
            help="Write the consolidated Phụ lục I (QD06) or II (QD422) of --province and "
            "--period instead, as dean06 rollup sums it.",
        ),
    ] = None,
    province: Annotated[
        str | None, typer.Option("--province", help="With --appendix: the province.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="With --appendix: 2024-05, 2024-Q2, 2024-H1, 2024."),
    ] = None,
    level: LevelOption = RollupLevel.district,
    district: DistrictOption = None,
    kind: KindOption = None,
) -> None:
    """Export every table and view. Text stays text in a spreadsheet: XLSX string cells,
    and in CSV a leading apostrophe before a cell opening with =, +, -, @, tab or CR
    (--raw leaves it out). With --appendix: the consolidated appendix table in the
    standard layout (STT, service, connection, total, online, rate, on time, overdue),
    ready to attach.

    Example: dean06 export out/ --format xlsx;
    dean06 export pl1.xlsx --appendix QD06 --province "Tuyên Quang" --period 2024-05
    """
    from dean06.export import export_all
    from dean06.review import open_for_reading

    with _failing_as_one_line():
        if appendix is not None:
            if not province or not period:
                raise QueryError("--appendix needs --province and --period")
            from dean06.appendix import write_appendix

            summed = _rollup(db, wait, province, period, level, district, kind)
            written = [write_appendix(summed, appendix.value, directory)]
        else:
            if directory.is_file():
                raise QueryError(f"{directory}: is a file; give a folder to export into")
            written = export_all(
                open_for_reading(db, files=True, wait=wait), directory, fmt, raw, bom
            )
    for path in written:
        console.print(Text(f"wrote {visible(str(path))}"))


@app.command()
def report(
    html: Annotated[Path, typer.Option("--html", help="HTML file to write.", dir_okay=False)],
    db: ReadDbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
) -> None:
    """Write a self-contained HTML page: online rate per service, services × localities,
    trend over periods, and the findings. It needs no network to view.

    Example: dean06 report --html dean06.html
    """
    from dean06.html_report import write_html_report
    from dean06.review import open_for_reading

    with _failing_as_one_line():
        written = write_html_report(open_for_reading(db, wait=wait), html)
    console.print(Text(f"wrote {visible(str(written))}"))


ROLLUP_COLUMNS = [
    "scheme", "item", "service_id", "service_name", "kind", "localities", "connected", "total",
    "direct", "online", "rate_pct", "on_time", "overdue", "corrected_rows",
]  # fmt: skip


ROLLUP_SHOWN = [c for c in ROLLUP_COLUMNS if c not in ("scheme", "kind", "direct")]


@app.command()
def rollup(
    province: Annotated[
        str,
        typer.Option(
            "--province",
            help="The province: its name (with or without tỉnh, diacritics) or gazetteer code.",
        ),
    ],
    period: Annotated[
        str,
        typer.Option("--period", help="2024-05 (a month), 2024-Q2, 2024-H1, 2024-9M or 2024."),
    ],
    level: LevelOption = RollupLevel.district,
    district: DistrictOption = None,
    kind: KindOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Also write the table here (.xlsx, .csv or .parquet).", dir_okay=False
        ),
    ] = None,
    db: ReadDbOption = Path("dean06.duckdb"),
    wait: WaitOption = 0.0,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Consolidate a province: per service, the sums over its localities' latest reports
    of the period (like periods only; duplicates, component rows and sub-rows never
    counted twice; corrections applied), with the localities reporting and missing.
    Checks across reports (a district against its communes, cumulative counts that fall,
    a locality that stopped reporting) are findings after every extract.

    Example: dean06 rollup --province "Tuyên Quang" --period 2024-05 --level commune
    """
    from dean06.export import write_rows

    with _failing_as_one_line():
        result = _rollup(db, wait, province, period, level, district, kind)
        wanted = result.period
        rows = [{c: row[c] for c in ROLLUP_COLUMNS} for row in result.rows]
        if out is not None:
            write_rows(ROLLUP_COLUMNS, [tuple(r.values()) for r in rows], out)
    if output is not OutputFormat.table:
        _emit(rows, output, columns=ROLLUP_COLUMNS)
    else:
        scope = f"{level.value}s" + (f" of {district}" if district else "")
        expected = f" of {result.expected}" if result.expected is not None else ""
        console.print(Text(
            f"{result.province}, {scope}, {wanted.kind} {wanted.label}: "
            f"{len(result.reporting)}{expected} reporting ({', '.join(result.reporting)})"
        ))  # fmt: skip
        if result.missing:
            shown = ", ".join(result.missing[:12]) + (" …" if len(result.missing) > 12 else "")
            console.print(Text(f"missing {len(result.missing)}: {shown}"))
        shown = [{c: row[c] for c in ROLLUP_SHOWN} for row in rows]  # --format csv has all
        _emit(shown, output, title="Roll-up", columns=ROLLUP_SHOWN)
    if out is not None:  # on stderr beside csv or json, which may be piped on
        (console if output is OutputFormat.table else errors).print(
            Text(f"wrote {visible(str(out))}")
        )


def _rollup(
    db: Path,
    wait: float,
    province: str,
    period: str,
    level: RollupLevel,
    district: str | None,
    kind: PeriodKind | None,
) -> Rollup:
    """The roll-up the options ask for (``dean06 rollup``, ``export --appendix``)."""
    from dean06.review import open_for_reading
    from dean06.rollup import Level, parse_period, rollup

    wanted = parse_period(period, kind.value if kind else None)
    return rollup(open_for_reading(db, wait=wait), province, wanted, Level(level.value), district)


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
    wait: WaitOption = 0.0,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the database's tables and views, each column with its type and what it holds
    (the descriptions are kept in the database as column comments).

    Example: dean06 schema v_service_latest
    """
    from dean06.review import open_for_reading
    from dean06.schema_docs import describe

    with _failing_as_one_line():
        rows = describe(open_for_reading(db, wait=wait), name)
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
        cells = [[visible(_cell(v)) for v in row.values()] for row in rows]
        widths = _column_widths(columns, cells, console.width)
        for column, width in zip(columns, widths, strict=True):
            table.add_column(column, overflow="ellipsis", no_wrap=True, width=width)
        for line in cells:
            table.add_row(*(Text(cell) for cell in line))
        needed = sum(widths) + 3 * len(widths) + 1  # a space each side and a rule per column
        if needed > console.width:  # too many columns: lines run on rather than hide one
            Console(width=needed).print(table)
        else:
            console.print(table)


def _column_widths(columns: list[str], cells: list[list[str]], room: int) -> list[int]:
    """Each column as wide as its widest cell (at most MAX_CELL_WIDTH); when they do not
    fit in ``room``, the widest give way first, none below MIN_CELL_WIDTH (ids, codes and
    numbers stay whole)."""
    widths = [
        min(MAX_CELL_WIDTH, max(len(column), *(len(line[i]) for line in cells)))
        for i, column in enumerate(columns)
    ]
    room -= 3 * len(widths) + 1
    while sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_CELL_WIDTH:
            break
        widths[widest] -= 1
    return widths


def _csv_value(value: object) -> object:
    """Booleans spelt as ``export`` (DuckDB's CSV) spells them."""
    return str(value).lower() if isinstance(value, bool) else value


def _cell(value: object) -> str:
    """A value as the terminal table shows it: NULL blank, booleans as in CSV."""
    return "" if value is None else str(_csv_value(value))
