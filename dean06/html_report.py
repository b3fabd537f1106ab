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
from dean06.review import run_query

FINDINGS_SHOWN = 500

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
        "SELECT file_name, severity, code, page, message FROM v_findings "
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
            f"Latest {kind} report of each locality, all localities",
        ),
        "<h2>Services × localities</h2>",
        _figure(
            _heatmap(connection, kind), f"Online rate (%) in each locality's latest {kind} report"
        ),
        "<h2>Trend over reporting periods</h2>",
        _figure(
            _trend_chart(connection),
            "Online rate of all listed services, per period; one line per locality and kind "
            "of period (a month is not joined to a half-year)",
        ),
        "<h2>Findings</h2>",
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
    rows = run_query(
        connection,
        "SELECT service_id, any_value(service_name) AS name, "
        "round(100 * sum(online)::DOUBLE / sum(total), 2) AS rate FROM v_service_latest "
        f"WHERE total > 0 AND online IS NOT NULL AND period_kind = {_literal(kind)} "
        "GROUP BY service_id",
    )
    if not rows:
        return None
    rows.sort(key=lambda r: service_order(r["service_id"]))
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 1))
    labels = [f"{r['service_id']}  {_short(r['name'])}" for r in rows]
    ax.barh(labels, [r["rate"] for r in rows], color="#4a7ab5")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("online rate (%)")
    return _svg(fig)


def _heatmap(connection: duckdb.DuckDBPyConnection, kind: str) -> str | None:
    rows = run_query(
        connection,
        "SELECT service_id, locality_level || ' ' || locality_name AS locality, "
        "coalesce(rate_computed, rate_pct) AS rate FROM v_service_latest "
        f"WHERE coalesce(rate_computed, rate_pct) IS NOT NULL AND period_kind = {_literal(kind)}",
    )
    if not rows:
        return None
    services = sorted({r["service_id"] for r in rows}, key=service_order)
    localities = sorted({r["locality"] for r in rows})
    grid = [[float("nan")] * len(localities) for _ in services]
    for r in rows:
        grid[services.index(r["service_id"])][localities.index(r["locality"])] = r["rate"]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(2 + 1.1 * len(localities), 0.28 * len(services) + 1.5))
    image = ax.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=0, vmax=100)
    ax.set_xticks(range(len(localities)), localities, rotation=30, ha="right")
    ax.set_yticks(range(len(services)), services)
    fig.colorbar(image, ax=ax, label="online rate (%)")
    return _svg(fig)


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
