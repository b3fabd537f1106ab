"""A self-contained HTML page of the database: charts as inline SVG, no network to view it."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path
from typing import Any

import duckdb

from dean06 import __version__
from dean06.errors import ExportError
from dean06.normalize.numbers import format_vn_decimal, format_vn_int
from dean06.review import run_query

FINDINGS_SHOWN = 500
CONTEXT_SHOWN = 160  # characters of a finding's context
NO_DATA = "#d9d9d9"

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }
th { background: #eef; } td.num { text-align: right; }
.error { color: #b00; } .warning { color: #a60; } .info { color: #666; }
figure { margin: 1em 0; } figcaption { font-size: 0.85em; color: #555; }
"""


def write_html_report(connection: duckdb.DuckDBPyConnection, target: Path) -> Path:
    """Write the page; returns its path."""
    summary = run_query(
        connection,
        "SELECT file_name, status, locality_level, locality_name, province, period_label, "
        "period_kind, service_rows, matched_rows, online_rate, figures, errors, warnings "
        "FROM v_report_summary WHERE duplicate_of IS NULL "
        "ORDER BY province, locality_name, period_end",
    )
    duplicates = run_query(
        connection,
        "SELECT d.file_name, c.file_name AS same_report_as FROM reports d "
        "JOIN reports c ON c.report_id = d.duplicate_of ORDER BY d.file_name",
    )
    kind = _main_period_kind(connection)
    findings = run_query(
        connection,
        "SELECT file_name, locality_name, severity, code, page, message, "
        f"left(context, {CONTEXT_SHOWN}) AS context FROM v_findings WHERE review IS NULL "
        f"LIMIT {FINDINGS_SHOWN + 1}",
    )
    sections = [
        f"<h1>Đề án 06 — {len(summary)} reports</h1>",
        f"<p>dean06 {__version__}, {dt.date.today():%Y-%m-%d}.</p>",
        "<h2>Reports</h2>",
        _table(summary),
        *(
            [
                f"<p>{len(duplicates)} more files are one of these reports in another form:</p>",
                _table(duplicates),
            ]
            if duplicates
            else []
        ),
        "<h2>Online rate per service</h2>",
        _figure(
            _service_rate_chart(connection, kind),
            f"Latest {kind} report of each locality, all localities summed; each bar gives "
            "the rate and online/total dossiers",
        ),
        "<h2>Services × localities</h2>",
        _figure(
            _heatmap(connection, kind),
            f"Online rate (%) in each locality's latest {kind} report; grey: no data (no "
            "dossiers counted, or the service not in the report)",
        ),
        "<h2>Trend over reporting periods</h2>",
        _figure(
            _trend_chart(connection),
            "Online rate of all listed services, per period; one line per locality and kind "
            "of period (a month is not joined to a half-year)",
        ),
        *_rollup_sections(connection),
        "<h2>Findings</h2>",
        "<p>Not yet reviewed (dean06 review marks them; dean06 findings --all lists all).</p>",
        _table(findings[:FINDINGS_SHOWN], css_column="severity"),
    ]
    if len(findings) > FINDINGS_SHOWN:
        sections.append(f"<p>First {FINDINGS_SHOWN} shown; `dean06 findings` lists all.</p>")
    page = (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>dean06 report</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from exc
    return target


def _main_period_kind(connection: duckdb.DuckDBPyConnection) -> str:
    """The kind of period most reports cover; the per-service charts compare only those."""
    rows = run_query(
        connection,
        "SELECT period_kind, count(*) AS n FROM reports WHERE duplicate_of IS NULL "
        "AND period_kind IS NOT NULL GROUP BY ALL ORDER BY n DESC, period_kind LIMIT 1",
    )
    return rows[0]["period_kind"] if rows else "month"


def _service_rate_chart(connection: duckdb.DuckDBPyConnection, kind: str) -> str | None:
    """Bars sorted by rate, each with its rate and online/total; 0% drawn as a marker,
    services without dossiers as grey "no data" bars; a legend tells them apart."""
    rows = run_query(
        connection,
        "SELECT service_id, any_value(service_name) AS name, sum(total)::BIGINT AS total, "
        "sum(online)::BIGINT AS online FROM v_service_latest "
        f"WHERE period_kind = {_literal(kind)} GROUP BY service_id",
    )
    if not rows:
        return None
    for row in rows:
        counted = row["total"] and row["online"] is not None
        row["rate"] = round(100 * row["online"] / row["total"], 2) if counted else None
    rows.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0), service_order(r["service_id"])))
    plt = _pyplot()
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(10, 0.3 * len(rows) + 1.4))
    labels = [f"{r['service_id']}  {_short(r['name'], 48)}" for r in rows]
    rates = [r["rate"] or 0 for r in rows]
    colours = ["#4a7ab5" if r["rate"] is not None else NO_DATA for r in rows]
    ax.barh(labels, [100 if r["rate"] is None else r["rate"] for r in rows], color=colours,
            hatch=None)  # fmt: skip
    for index, row in enumerate(rows):
        if row["rate"] is None:
            ax.text(1, index, "no data", va="center", fontsize=7, color="#555")
            continue
        if row["rate"] == 0:
            ax.plot([0], [index], marker="D", color="#c0392b", markersize=5, clip_on=False)
        text = (
            f"{format_vn_decimal(row['rate'])}% "
            f"({format_vn_int(row['online'])}/{format_vn_int(row['total'])})"
        )
        inside = rates[index] > 70
        ax.text(
            rates[index] - 1 if inside else rates[index] + 1.5, index, text, va="center",
            ha="right" if inside else "left", fontsize=7, color="white" if inside else "#222",
        )  # fmt: skip
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("online rate (%)")
    ax.legend(
        handles=[
            Patch(color="#4a7ab5", label="online rate (online/total dossiers)"),
            plt.Line2D([], [], marker="D", color="#c0392b", linestyle="", label="0%: none online"),
            Patch(color=NO_DATA, label="no data: no dossiers counted"),
        ],
        loc="lower right", fontsize=7, framealpha=0.9,
    )  # fmt: skip
    return _svg(fig)


def _heatmap(connection: duckdb.DuckDBPyConnection, kind: str) -> str | None:
    """Services × localities, each cell labelled with its rate; 0/0 is no data (grey)."""
    rows = run_query(
        connection,
        "SELECT service_id, locality_level || ' ' || locality_name AS locality, "
        "CASE WHEN total > 0 THEN rate_computed WHEN total IS NULL THEN rate_pct END AS rate "
        f"FROM v_service_latest WHERE period_kind = {_literal(kind)}",
    )
    if not rows:
        return None
    services = sorted({r["service_id"] for r in rows}, key=service_order)
    localities = sorted({r["locality"] for r in rows})
    grid = [[float("nan")] * len(localities) for _ in services]
    for r in rows:
        if r["rate"] is not None:
            grid[services.index(r["service_id"])][localities.index(r["locality"])] = r["rate"]
    plt = _pyplot()
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad=NO_DATA)
    fig, ax = plt.subplots(figsize=(2.5 + 1.2 * len(localities), 0.3 * len(services) + 1.5))
    image = ax.imshow(grid, aspect="auto", cmap=cmap, vmin=0, vmax=100)
    for i, line in enumerate(grid):
        for j, rate in enumerate(line):
            text = "–" if rate != rate else format_vn_decimal(rate, 1)  # nan: no data
            ax.text(j, i, text, ha="center", va="center", fontsize=6.5, color="#222")
    ax.set_xticks(range(len(localities)), localities, rotation=30, ha="right")
    ax.set_yticks(range(len(services)), services)
    fig.colorbar(image, ax=ax, label="online rate (%); grey: no data")
    return _svg(fig)


def _rollup_sections(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The roll-up (dean06 rollup) of each province with several localities of one level
    reporting for the same month and kind: its latest such period."""
    from dean06.rollup import LOCALITY_KEY_SQL, UNIT_KIND_SQL, Level, Period, rollup

    groups = run_query(
        connection,
        f"""
        WITH counted AS (
            SELECT coalesce(province_code, new_province_code) AS province, period_kind,
                   date_trunc('month', period_end)::DATE AS month, {UNIT_KIND_SQL} AS unit_kind,
                   count(DISTINCT {LOCALITY_KEY_SQL}) AS localities
            FROM reports
            WHERE status IN ('ok', 'partial') AND duplicate_of IS NULL
              AND period_end IS NOT NULL
            GROUP BY ALL
        )
        SELECT * FROM counted WHERE localities >= 2 AND unit_kind IN ('commune', 'district')
        QUALIFY row_number() OVER (PARTITION BY province ORDER BY month DESC, localities DESC) = 1
        ORDER BY province
        """,
    )
    sections = []
    for group in groups:
        month = group["month"]
        end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        period = Period(month, end, group["period_kind"], f"{month:%Y-%m}")
        summed = rollup(connection, group["province"], period, Level(group["unit_kind"]))
        shown = [
            {
                "service_id": r["service_id"], "service": _short(r["service_name"]),
                "localities": r["localities"], "total": r["total"], "online": r["online"],
                "rate_pct": r["rate_pct"],
            }
            for r in summed.rows if r["localities"]
        ]  # fmt: skip
        expected = f" of {summed.expected}" if summed.expected else ""
        sections += [
            f"<h2>Roll-up: {html.escape(summed.province)}, {group['unit_kind']}s, "
            f"{html.escape(period.vietnamese)}</h2>",
            f"<p>{len(summed.reporting)}{expected} localities reporting: "
            f"{html.escape(', '.join(summed.reporting))}. dean06 rollup and dean06 export "
            "--appendix give the full table.</p>",
            _table(shown),
        ]
    return sections


def _trend_chart(connection: duckdb.DuckDBPyConnection) -> str | None:
    rows = run_query(
        connection,
        "SELECT locality, period_end, rate FROM ("
        "  SELECT locality_level || ' ' || locality_name || ' (' || "
        "  coalesce(period_kind, 'other') || ')' AS locality, period_end, "
        "  round(100 * sum(online)::DOUBLE / sum(total), 2) AS rate FROM v_service_rates "
        "  WHERE total > 0 AND online IS NOT NULL AND period_end IS NOT NULL "
        "  GROUP BY locality, period_end"
        ") QUALIFY count(*) OVER (PARTITION BY locality) > 1 ORDER BY locality, period_end",
    )
    if not rows:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4))
    for locality in sorted({r["locality"] for r in rows}):
        points = [r for r in rows if r["locality"] == locality]
        ax.plot(
            [p["period_end"] for p in points], [p["rate"] for p in points], "o-", label=locality
        )
    ax.set_ylim(0, 100)
    ax.set_ylabel("online rate (%)")
    ax.legend(fontsize="small")
    return _svg(fig)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def service_order(service_id: str) -> tuple[str, tuple[int, ...]]:
    """Catalogue order: QD06-2 before QD06-10, QD422-13.1 after QD422-13."""
    scheme, _, item = service_id.partition("-")
    return scheme, tuple(int(part) for part in item.split(".") if part.isdigit())


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["font.family"] = "DejaVu Sans"
    return plt


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    _pyplot().close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(svg: str | None, caption: str) -> str:
    if svg is None:
        return "<p>No data for this chart.</p>"
    return f'<figure class="chart">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'


def _table(rows: list[dict[str, Any]], css_column: str | None = None) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = []
    for row in rows:
        css = f' class="{html.escape(str(row[css_column]))}"' if css_column else ""
        cells = "".join(_cell(v) for v in row.values())
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _cell(value: object) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, int | float):
        return f'<td class="num">{value}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _short(name: str | None, width: int = 60) -> str:
    name = name or ""
    return name if len(name) <= width else name[: width - 1] + "…"
