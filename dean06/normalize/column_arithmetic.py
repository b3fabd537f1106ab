"""Count columns told by the report's own arithmetic where the header lost them.

A scan's header cell OCR garbled past reading ("ồ NÓ trƯC" for "Hồ sơ trực tuyến", a
grey stamp over "Trễ hạn") gives its column no role, or the role of its parent cell
("Tổng số hồ sơ …"), and every row loses that count. The counts themselves say which
column it is: total = direct + online, rate = online / total, online = on time +
overdue. A column the header left spare takes the count role it lacks where most rows
add up that way.
"""

from __future__ import annotations

from collections.abc import Callable

from dean06.normalize.headers import Role
from dean06.normalize.numbers import parse_vn_int, parse_vn_percent

# the roles told this way, in the order tried: the online count first, as the rate and
# the online results are checked against it
_TOLD_ROLES = (Role.ONLINE, Role.TOTAL, Role.OVERDUE, Role.ON_TIME, Role.DIRECT)
_SHARED_ROLES = (Role.TOTAL, Role.DIRECT, Role.ONLINE)  # a parent's name on several columns
_MIN_AGREEING_ROWS = 3
_AGREEING_SHARE = 0.75  # of the rows whose counts can tell; OCR misreads a few
_COUNTS_SHARE = 0.6  # of a spare column's filled cells that read as counts
_RATE_TOLERANCE = 0.6  # percentage points: a rate printed rounded to a whole one

Values = dict[Role, float | None]
Check = Callable[[int, Values], bool | None]


def counts_by_arithmetic(
    roles: dict[Role, list[int]], body: list[list[str]]
) -> dict[Role, list[int]]:
    """``roles`` with each count role the header lacks given to the spare column (of no
    role, or one of several its parent's name gave one role) whose counts make most rows
    add up as that role's would."""
    for role in _TOLD_ROLES:
        if role in roles:
            continue
        agreeing = {
            column: rows
            for column in _spare_columns(roles, body)
            if (rows := _agreeing_rows(role, column, roles, body)) is not None
        }
        if agreeing:
            best = max(agreeing, key=lambda column: agreeing[column])
            roles = _given(roles, {role: best})
    return roles if Role.ON_TIME in roles or Role.OVERDUE in roles else _results_pair(roles, body)


def _results_pair(roles: dict[Role, list[int]], body: list[list[str]]) -> dict[Role, list[int]]:
    """``roles`` with the on-time and overdue counts both lost by the header (neither
    can be told alone: each is checked against the other) given to two spare columns
    side by side whose counts add up to the online count in most rows."""
    spare = _spare_columns(roles, body)
    agreeing = {
        (on_time, on_time + 1): rows
        for on_time in spare
        if on_time + 1 in spare
        and (
            rows := _agreeing_rows(
                Role.OVERDUE, on_time + 1, _given(roles, {Role.ON_TIME: on_time}), body
            )
        )
        is not None
    }
    if not agreeing:
        return roles
    on_time, overdue = max(agreeing, key=lambda pair: agreeing[pair])
    return _given(roles, {Role.ON_TIME: on_time, Role.OVERDUE: overdue})


def _given(roles: dict[Role, list[int]], columns: dict[Role, int]) -> dict[Role, list[int]]:
    """``roles`` with each of ``columns`` given its role alone."""
    taken = set(columns.values())
    kept = {r: [c for c in cs if c not in taken] for r, cs in roles.items()}
    return {r: cs for r, cs in kept.items() if cs} | {r: [c] for r, c in columns.items()}


def _spare_columns(roles: dict[Role, list[int]], body: list[list[str]]) -> list[int]:
    """Columns of counts with no role, or sharing one role with another column."""
    width = max((len(row) for row in body), default=0)
    taken = {column for columns in roles.values() for column in columns}
    shared = {c for role in _SHARED_ROLES if len(roles.get(role, [])) > 1 for c in roles[role]}
    spare = [column for column in range(width) if column not in taken or column in shared]
    return [column for column in spare if _holds_counts(column, body)]


def _holds_counts(column: int, body: list[list[str]]) -> bool:
    filled = [row[column] for row in body if column < len(row) and row[column].strip()]
    counts = sum(parse_vn_int(text) is not None for text in filled)
    return bool(filled) and counts >= _COUNTS_SHARE * len(filled)


def _agreeing_rows(
    role: Role, column: int, roles: dict[Role, list[int]], body: list[list[str]]
) -> int | None:
    """How many rows add up with ``column`` as ``role``; None when too few do, or too
    small a share of the rows whose counts can tell (a row of zeros tells nothing)."""
    others = {r: [c for c in columns if c != column] for r, columns in roles.items()}
    told = agreeing = 0
    for row in body:
        value = _int_at(row, column)
        if value is None:
            continue
        values = _row_values(row, others)
        checks = [check(value, values) for check in _CHECKS[role]]
        if all(found is None for found in checks):
            continue
        told += 1
        agreeing += any(checks)
    if agreeing < _MIN_AGREEING_ROWS or agreeing < _AGREEING_SHARE * told:
        return None
    return agreeing


def _row_values(row: list[str], roles: dict[Role, list[int]]) -> Values:
    """The row's counts and rate by role: the first column of each, the last of the
    results (the online pair stands after the direct one)."""
    values: Values = {}
    for role, columns in roles.items():
        if not columns:
            continue
        column = columns[-1] if role in (Role.ON_TIME, Role.OVERDUE) else columns[0]
        if role is Role.RATE:
            values[role] = parse_vn_percent(row[column]) if column < len(row) else None
        elif role in (Role.TOTAL, Role.DIRECT, Role.ONLINE, Role.ON_TIME, Role.OVERDUE):
            values[role] = _int_at(row, column)
    return values


def _int_at(row: list[str], column: int) -> int | None:
    return parse_vn_int(row[column]) if column < len(row) else None


def _sum_is(whole: float | None, *parts: float | None) -> bool | None:
    """Whether ``whole`` is the sum of ``parts``; None when a value is missing or all are
    zero (zeros add up whatever their columns)."""
    if whole is None or any(part is None for part in parts):
        return None
    if not whole and not any(parts):
        return None
    return whole == sum(part for part in parts if part is not None)


def _rate_is(rate: float | None, online: float | None, total: float | None) -> bool | None:
    if rate is None or online is None or not total:
        return None
    return abs(rate - 100 * online / total) <= _RATE_TOLERANCE


_CHECKS: dict[Role, tuple[Check, ...]] = {
    Role.ONLINE: (
        lambda x, v: _sum_is(v.get(Role.TOTAL), v.get(Role.DIRECT), x),
        lambda x, v: _rate_is(v.get(Role.RATE), x, v.get(Role.TOTAL)) if x else None,
        lambda x, v: _sum_is(x, v.get(Role.ON_TIME), v.get(Role.OVERDUE)),
    ),
    Role.TOTAL: (
        lambda x, v: _sum_is(x, v.get(Role.DIRECT), v.get(Role.ONLINE)),
        lambda x, v: (
            _rate_is(v.get(Role.RATE), v.get(Role.ONLINE), x) if v.get(Role.ONLINE) else None
        ),
    ),
    Role.OVERDUE: (lambda x, v: _sum_is(v.get(Role.ONLINE), v.get(Role.ON_TIME), x),),
    Role.ON_TIME: (lambda x, v: _sum_is(v.get(Role.ONLINE), x, v.get(Role.OVERDUE)),),
    Role.DIRECT: (lambda x, v: _sum_is(v.get(Role.TOTAL), x, v.get(Role.ONLINE)),),
}
