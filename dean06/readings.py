"""Choosing between two readings of one document's tables by the report's own arithmetic.

Text laid out with spaces is read twice: by column positions and as runs of rows (its
spacing collapsed). Where a converter set a page's columns out of line, the positions
mis-cut cells and the rows stop adding up; the runs of rows, anchored on item numbers and
counts, do not depend on positions. The reading whose rows agree best with themselves
(rate = online / total, direct + online = total, on time + overdue = online, every
numbered row there), whose names read as catalogue services, each once, and that reads
the most of the printed cells, is kept.
"""

from __future__ import annotations

from collections import Counter

from dean06.schemas import ReportResult, RowKind, ServiceRow
from dean06.validate import rate_disagrees

_CHECK_FAILED = 2.0  # a broken cross-check weighs more than a kept one
_SERVICE_FOUND = 2.0  # each catalogue service read
_NAME_WEAK = 2.0  # a service row whose name does not read as its catalogue name: cut wrong
_NAME_READS = 90.0  # match score
_SERVICE_TWICE = 5.0  # a service's row read twice in one table: rows cut wrong
_CELL_READ = 0.5  # each printed cell read (a reading that loses a row's cells reads fewer)
_ROWS_LOST = 5.0  # a finding that rows or tables were not read
_LOST_CODES = {"rows_not_read", "tables_not_read", "total_row_mismatch"}


def agreement(result: ReportResult) -> float:
    """How well a reading's rows agree with their own arithmetic and the catalogue."""
    score = 0.0
    for row in result.services:
        if row.row_kind is RowKind.GROUP:
            continue
        for holds in _checks(row):
            score += 1.0 if holds else -_CHECK_FAILED
        score += _CELL_READ * sum(value is not None for value in _cells(row))
        score -= _CHECK_FAILED * len(row.unread_cells)  # "12 5": two cells cut into one
    services = [r for r in result.services if r.row_kind == "service"]
    score += _SERVICE_FOUND * len({r.service_id for r in services if r.service_id})
    score -= _NAME_WEAK * sum((r.match_score or 0) < _NAME_READS for r in services)
    ids = Counter((r.scheme, r.service_id) for r in services if r.service_id)
    score -= _SERVICE_TWICE * sum(count - 1 for count in ids.values())
    score -= _ROWS_LOST * sum(f.code in _LOST_CODES for f in result.findings)
    return score


def _cells(row: ServiceRow) -> tuple[object, ...]:
    return (row.connected, row.total, row.direct, row.online, row.rate_pct, row.on_time,
            row.overdue)  # fmt: skip


def _checks(row: ServiceRow) -> list[bool]:
    """The row's cross-checks that say something: zeros agree with anything."""
    total, direct, online = row.total, row.direct, row.online
    checks = []
    if total and online is not None:
        checks.append(online <= total)
        if row.rate_pct is not None:
            checks.append(not rate_disagrees(row.rate_pct, online, total))
        if direct is not None:
            checks.append(direct + online == total)
    if online and row.on_time is not None:
        checks.append(row.on_time + (row.overdue or 0) == online)
    return checks
