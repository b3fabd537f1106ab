"""One-line descriptions of the database's tables, views and columns, written into the
database as comments (``COMMENT ON``) and listed by ``dean06 schema``.

A view's column without a line of its own takes the line of the table column it shows.
"""

from __future__ import annotations

import duckdb

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "reports": (
        "one row per file read: its locality, period and status",
        {
            "report_id": "SHA-256 of the file's bytes",
            "source_path": "the file as it was read",
            "file_name": "the file's name",
            "file_format": "pdf, docx or text",
            "page_count": "pages of the file",
            "locality_name": "the reporting unit, as the gazetteer names it (NULL: unresolved)",
            "locality_level": "xã, phường, thị trấn, huyện, quận, thị xã, thành phố or tỉnh",
            "province": "the province of the unit",
            "district": "the district of the unit (before 2025)",
            "report_number": "the number line, as printed",
            "report_date": "the date of the place-and-date line",
            "period_label": "the title's period, as printed",
            "period_start": "first day of the data (the printed data range, else the period)",
            "period_end": "last day of the data",
            "period_kind": "month, quarter, half_year, nine_months, year, cumulative or other",
            "signer": "who signed, as printed",
            "status": "ok, partial, skipped or failed",
            "error": "why the file failed",
            "extracted_at": "when it was extracted",
            "tool_version": "the dean06 that extracted it",
            "issuer": "the issuing body, as printed",
            "place": "the place of the place-and-date line",
            "title": "the report's title, as printed",
            "scanned": "true when pages were read by OCR",
            "duplicate_of": "the canonical report of the same report in another format",
            "locality_code": "gazetteer code of the unit (before 2025)",
            "province_code": "gazetteer code of the province (before 2025)",
            "district_code": "gazetteer code of the district (before 2025)",
            "new_province": "the province after the 2025 reorganisation",
            "new_province_code": "its gazetteer code",
            "new_locality": "the unit after the 2025 reorganisation",
            "new_locality_code": "its gazetteer code",
        },
    ),
    "service_stats": (
        "every printed row of the DVC tables, and services counted in the narrative",
        {
            "service_id": "the catalogue service (QD06-3, QD422-13.1); NULL: unmatched",
            "scheme": "QD06 or QD422",
            "item_in_doc": "the item number as printed",
            "name_in_doc": "the service name as printed",
            "match_score": "how well the name matched the catalogue (0-100)",
            "connected": "connected to the national portal (NULL: not said)",
            "agency": "the agency in charge, from its column or its group row",
            "total": "dossiers received",
            "direct": "dossiers received in person",
            "online": "dossiers received online",
            "rate_pct": "the printed online rate, in percent",
            "on_time": "dossiers settled on time",
            "overdue": "dossiers settled late",
            "not_applicable": "marked not within the locality's competence",
            "note": "difficulties and notes, as printed",
            "source": "table or narrative",
            "page": "the page it was read on",
            "source_text": "the row as printed",
            "ocr_confidence": "lowest Tesseract confidence of the row's values (0-100)",
            "row_kind": "service, subrow, component, group or total",
            "parent_item": "the item of the row a sub-row or component belongs to",
            "table_index": "which table of the report",
            "row_index": "print order in the table",
        },
    ),
    "figures": (
        "figures quoted in the narrative (8.504/9.385 hồ sơ, đạt 90,61%)",
        {
            "label": "what the figure counts",
            "unit": "its unit",
            "numerator": "the part",
            "denominator": "the whole",
            "percent": "the printed percent",
            "quote": "the sentence as printed",
        },
    ),
    "findings": (
        "what the tool flagged for review (README: Finding codes)",
        {
            "severity": "error, warning or info",
            "code": "what kind of finding (README: Finding codes)",
            "message": "what was found",
            "context": "the text it was found in",
        },
    ),
    "catalogue": (
        "the 25 services of QĐ 06 and the 28 of QĐ 422",
        {
            "item": "the item number in the decision",
            "name": "the official name",
            "kind": "service, group or lien_thong",
        },
    ),
    "corrections": (
        "an analyst's corrected values (dean06 correct), kept through re-runs and --force",
        {
            "field": "the service_stats column corrected",
            "value": "the right value (as text; the views cast it)",
            "printed": "the value as read when the correction was made",
            "note": "why",
            "corrected_by": "who",
            "corrected_at": "when (UTC)",
        },
    ),
    "finding_reviews": (
        "findings reviewed by an analyst (dean06 review)",
        {
            "finding_id": "the finding (v_findings.finding_id)",
            "status": "accepted, fixed or ignored",
            "note": "why",
            "reviewed_by": "who",
            "reviewed_at": "when (UTC)",
        },
    ),
    "schema_info": ("the database's schema version", {"key": "setting", "value": "its value"}),
}

VIEWS: dict[str, tuple[str, dict[str, str]]] = {
    "v_corrections": ("the correction in force for each report, service and field", {}),
    "v_rows": ("every printed row with its report's locality and period, duplicates left out", {}),
    "v_rows_all": (
        "every printed row with its report's locality and period, corrections applied",
        {
            "corrected": "true when an analyst corrected a value of the row",
            "printed_values": "the values as printed of the corrected fields (total=1, …)",
        },
    ),
    "v_service_rates": (
        "one row per service and report, sub-rows summed into their parent, components out",
        {
            "counts_from": "printed, or subrows when the parent prints no counts",
            "rate_computed": "online / total, in percent",
            "service_name": "the catalogue's name",
        },
    ),
    "v_service_rates_all": ("v_service_rates with duplicate files kept", {}),
    "v_service_latest": (
        "v_service_rates for the latest report of each locality, service and period kind",
        {},
    ),
    "v_report_summary": (
        "per report: status, locality, period, rows, dossiers and online rate, findings",
        {
            "printed_rows": "rows printed in its tables",
            "service_rows": "service rows (sub-rows and components aside)",
            "matched_rows": "service rows matched to the catalogue",
            "online_rate": "online / total over its services, in percent",
            "figures": "narrative figures",
            "errors": "error findings",
            "warnings": "warning findings",
        },
    ),
    "v_findings": (
        "findings with file, locality and period, errors first, and their review",
        {
            "finding_id": "a stable id: the same finding after a re-run keeps it",
            "review": "accepted, fixed or ignored (NULL: not reviewed)",
            "review_note": "the reviewer's note",
        },
    ),
}


def describe_all() -> str:
    """Every description, as one text (to tell when the database's comments are stale)."""
    return repr((TABLES, VIEWS))


def comment_statements(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """``COMMENT ON`` statements for every table, view and column the database has."""
    shared = {
        column: text
        for _, columns in [*TABLES.values(), *VIEWS.values()]
        for column, text in columns.items()
    }
    statements = []
    present = connection.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND NOT internal"
    ).fetchall()
    names = {name for name, _ in present}
    for kind, described in (("TABLE", TABLES), ("VIEW", VIEWS)):
        for name, (text, _) in described.items():
            if name in names:
                statements.append(f"COMMENT ON {kind} {name} IS {_literal(text)}")
    for name, column in present:
        own = (TABLES.get(name) or VIEWS.get(name) or ("", {}))[1]
        text = own.get(column) or shared.get(column)
        if text:
            statements.append(f"COMMENT ON COLUMN {name}.{column} IS {_literal(text)}")
    return statements


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def describe(
    connection: duckdb.DuckDBPyConnection, name: str | None = None
) -> list[dict[str, object]]:
    """Tables and views with their columns, types and comments (``name``: one of them)."""
    return [
        dict(zip(("object", "kind", "column", "type", "description"), row, strict=True))
        for row in connection.execute(
            """
            SELECT c.table_name, CASE WHEN v.view_name IS NULL THEN 'table' ELSE 'view' END,
                   c.column_name, c.data_type, coalesce(c.comment, '')
            FROM duckdb_columns() c
            LEFT JOIN duckdb_views() v
                ON v.view_name = c.table_name AND v.database_name = c.database_name
            WHERE c.database_name = current_database() AND NOT c.internal
              AND ($name IS NULL OR c.table_name = $name)
            ORDER BY v.view_name IS NOT NULL, c.table_name, c.column_index
            """,
            {"name": name},
        ).fetchall()
    ]
