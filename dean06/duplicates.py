"""One report in several files (its PDF, its DOCX, converter text, a scan): link them.

Two loaded reports are the same report when they name the same locality and period and
either print the same number (filled in) and date, or carry the same counts (service rows, else
narrative figures) in at least ``SAME_SHARE`` of them — a scan's few misread cells do not
make it another report. Of each set, one is canonical (text PDF > DOCX > converter text >
scan, then the most rows read, then the file name); the others get ``duplicate_of`` and
an ``info`` finding, and the views leave them out. The links are recomputed over the whole
database after every batch, so re-runs and ``--force`` give the same answer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import duckdb

SAME_SHARE = 0.9
MIN_VALUES = 3  # fewer shared counts than this say nothing about identity
FINDING_CODE = "duplicate_report"
_FORMAT_RANK = {"pdf": 0, "docx": 1, "text": 2}


@dataclass
class _Report:
    report_id: str
    file_name: str
    file_format: str | None
    scanned: bool
    group: tuple[object, ...]
    number_and_date: tuple[object, object] | None
    rows: Counter[tuple[object, ...]] = field(default_factory=Counter)
    figures: Counter[tuple[object, ...]] = field(default_factory=Counter)

    @property
    def rank(self) -> tuple[int, int, str, str]:
        kind = 3 if self.scanned else _FORMAT_RANK.get(self.file_format or "", 3)
        return (kind, -sum(self.rows.values()), self.file_name, self.report_id)


def link_duplicates(connection: duckdb.DuckDBPyConnection) -> int:
    """Set ``reports.duplicate_of`` and the findings that explain it; the number linked.

    Runs inside the caller's transaction."""
    reports = _load(connection)
    by_group: dict[tuple[object, ...], list[_Report]] = defaultdict(list)
    for report in reports:
        by_group[report.group].append(report)
    links: dict[str, _Report] = {}
    for members in by_group.values():
        for cluster in _clusters(members):
            canonical = min(cluster, key=lambda r: r.rank)
            links.update({r.report_id: canonical for r in cluster if r is not canonical})
    connection.execute("UPDATE reports SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL")
    connection.execute("DELETE FROM findings WHERE code = ?", [FINDING_CODE])
    if links:
        connection.executemany(
            "UPDATE reports SET duplicate_of = ? WHERE report_id = ?",
            [(canonical.report_id, report_id) for report_id, canonical in links.items()],
        )
        connection.executemany(
            "INSERT INTO findings VALUES (?, 'info', ?, ?, NULL, NULL)",
            [
                (
                    report_id,
                    FINDING_CODE,
                    f"the same report as {canonical.file_name} "
                    f"({_form(canonical)}); left out of the views and totals",
                )
                for report_id, canonical in links.items()
            ],
        )
    return len(links)


def _filled(number: str | None) -> bool:
    """A number line with its number written in: "Số: /BC-UBND", left blank to be
    numbered at dispatch, names no report."""
    return bool(number) and any(ch.isdigit() for ch in str(number))


def _form(report: _Report) -> str:
    return "scan" if report.scanned else report.file_format or "file"


def _clusters(members: list[_Report]) -> list[list[_Report]]:
    """Sets of reports that are pairwise linked, directly or through another (union-find)."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            if _same_report(a, members[j]):
                parent[root(j)] = root(i)
    clusters: dict[int, list[_Report]] = defaultdict(list)
    for i, report in enumerate(members):
        clusters[root(i)].append(report)
    return [c for c in clusters.values() if len(c) > 1]


def _same_report(a: _Report, b: _Report) -> bool:
    if a.number_and_date and a.number_and_date == b.number_and_date:
        return True
    for mine, theirs in ((a.rows, b.rows), (a.figures, b.figures)):
        larger = max(sum(mine.values()), sum(theirs.values()))
        if larger >= MIN_VALUES:
            return sum((mine & theirs).values()) >= SAME_SHARE * larger
    return False


def _load(connection: duckdb.DuckDBPyConnection) -> list[_Report]:
    rows = connection.execute(
        """
        SELECT report_id, file_name, file_format, coalesce(scanned, false),
               coalesce(locality_code, 'new ' || new_locality_code,
                        locality_level || ' ' || locality_name),
               period_start, period_end, period_kind, report_number, report_date
        FROM reports
        WHERE status IN ('ok', 'partial') AND (locality_name IS NOT NULL OR period_end IS NOT NULL)
        """
    ).fetchall()
    reports = {
        row[0]: _Report(
            report_id=row[0],
            file_name=row[1],
            file_format=row[2],
            scanned=bool(row[3]),
            group=tuple(row[4:8]),
            number_and_date=(row[8], row[9]) if _filled(row[8]) and row[9] else None,
        )
        for row in rows
    }
    counted = connection.execute(
        """
        SELECT report_id, service_id, total, online, on_time, overdue FROM service_stats
        WHERE source = 'table' AND row_kind IN ('service', 'subrow')
          AND coalesce(total, online, on_time, overdue) IS NOT NULL
        """
    ).fetchall()
    for report_id, *values in counted:
        if report_id in reports:
            reports[report_id].rows[tuple(values)] += 1
    for report_id, numerator, denominator in connection.execute(
        "SELECT report_id, numerator, denominator FROM figures"
    ).fetchall():
        if report_id in reports:
            reports[report_id].figures[(numerator, denominator)] += 1
    return list(reports.values())
