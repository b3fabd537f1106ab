"""Whether one row of a DVC table holds its own arithmetic, as the validator judges it.

OCR re-reading asks this of each candidate reading: rate = online / total, direct +
online = total, on time + overdue = online, online ≤ total, a rate ≤ 100%.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dean06.normalize.headers import Role, column_roles, header_depth, is_service_table
from dean06.normalize.rows import COUNT_ROLES, logical_to_rows, tables_to_logical
from dean06.schemas import Table
from dean06.validate import check_rows

ARITHMETIC_CODES = frozenset(
    {
        "rate_mismatch",
        "direct_online_total",
        "on_time_overdue_online",
        "online_exceeds_total",
        "percent_over_100",
    }
)
_VALUE_ROLES = (*COUNT_ROLES, Role.RATE)


@dataclass(frozen=True)
class RowChecker:
    """The arithmetic of a table's body rows, judged under its header."""

    header: tuple[tuple[str, ...], ...]
    value_columns: tuple[int, ...]  # columns of counts and rates
    depth: int  # header rows printed in the table itself (0: carried from a page before)
    roles: dict[Role, list[int]] = field(default_factory=dict, compare=False, hash=False)

    @property
    def count_columns(self) -> tuple[int, ...]:
        """The value columns of counts (not rates)."""
        return tuple(sorted({c for role in COUNT_ROLES for c in self.roles.get(role, [])}))

    @classmethod
    def for_table(
        cls, rows: list[list[str]], carried: tuple[tuple[str, ...], ...] = ()
    ) -> RowChecker | None:
        """The checker of ``rows`` under its own header, else under the header of the
        table it continues (``carried``); None when neither names a DVC table."""
        width = max((len(row) for row in rows), default=0)
        depth = header_depth(rows)
        header = tuple(tuple(row) for row in rows[:depth]) if depth else carried
        if not header or max(len(row) for row in header) != width:
            return None
        roles = column_roles([list(row) for row in header], width)
        if not is_service_table(roles):
            return None
        columns = sorted({c for role in _VALUE_ROLES for c in roles.get(role, [])})
        return cls(header, tuple(columns), depth, roles)

    def broken(self, cells: list[str]) -> set[str]:
        """The arithmetic checks the body row ``cells`` breaks."""
        grid = [list(row) for row in self.header] + [list(cells)]
        broken: set[str] = set()
        for logical in tables_to_logical([Table(page=1, rows=grid)]):
            services, _, _ = logical_to_rows(logical)
            broken |= {f.code for f in check_rows(services) if f.code in ARITHMETIC_CODES}
        return broken
