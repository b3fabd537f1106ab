"""DVC tables → service rows, values as printed.

Physical tables are first joined into logical ones (a table continued on the next page,
with or without a repeated header). Then each body row is one of: a service row (has an
item number or values), a sub-row (no item number, own values: an inter-agency
component), a wrapped continuation of the row above (no number, no values, starts in
lower case: a name broken across a page), a group row (roman numeral or a heading with
no values), or a printed total ("Tổng", "Cộng").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from dean06.normalize.agencies import AGENCY_KEY, agency_read_as, names_an_agency
from dean06.normalize.column_arithmetic import counts_by_arithmetic
from dean06.normalize.headers import (
    ITEM_NUMBER,
    Role,
    column_roles,
    header_depth,
    is_service_table,
    split_sibling_cells,
)
from dean06.normalize.numbers import is_blank, parse_vn_int, parse_vn_percent
from dean06.normalize.text import ascii_key, clean_text, drop_footnote_marks, words_apart
from dean06.schemas import RowKind, ServiceRow, Table
from dean06.schemas.records import TotalRow

NUMBERED_SHARE = 0.6  # a numbering column's filled cells are item numbers, OCR's misreads aside
_MIN_RATES = 3  # filled cells that tell a column of rates
_RATES_SHARE = 0.6  # of them read as rates with "%", OCR's misreads aside
_MIN_AGENCIES = 3  # filled cells that tell a column of agencies
_AGENCIES_SHARE = 0.75  # of them naming an agency ("Sở Tư pháp", "UBND cấp xã")
_TOP_ITEM = re.compile(r"^(\d{1,2})[.,:]{0,3}$")  # "9.", not "13.1"
_GROUP_ITEM = re.compile(r"^(?:[IVXL]+|[A-ZĐ])\.?$")
_LONG_HEADING_LETTERS = 12  # a heading this long may have some letters misread small
_SMALL_LETTERS_SHARE = 0.2
_READ_AS_ONE = re.compile(r"^(?!11)[1l|IÍ]{1,2}\.?$")  # a roman "I" misread by OCR: "1", "lÍ"
_SPECKS = ".,:;'\"`‘’“”"  # specks OCR reads beside a lone numeral
_LIKE_ONE = re.compile(r"^[Il|Í]\.?$")  # a "1" misread by OCR as a letter
NOT_APPLICABLE = re.compile(
    r"khong thuoc (tham qu|pham vi)|khong ap dung|khong phat sinh tham quyen"
)
# "Tổng", "Tổng cộng", "Tổng số", "Cộng" (alone: "Công an tỉnh" has the same letters).
_TOTAL_NAME = re.compile(r"^(tong cong|tong so|tong)\b(?! hop)|^cong($| \d)")
# Wordings of the connection column ("Kết nối với Cổng DVC quốc gia"), by their key.
_CONNECTED = re.compile(
    r"^(x|v|✓|✔|☑|co|da|roi|da ket noi|ket noi|da thuc hien|da tich hop|da lien thong|"
    r"da ket noi va tich hop|hoan thanh|da hoan thanh)\b"
)
_NOT_CONNECTED = re.compile(  # "Đang kết …", "Đang thực …": the rest of the wording cut
    r"^(chua|khong|no|dang ket|dang thuc|dang trien khai|dang tich hop|chua ket noi)\b"
)
_SPACED_WORDINGS = {  # wordings whose letters OCR spaced apart ("Đ ã th ực h iệ n")
    "daketnoi": True, "dathuchien": True, "datichhop": True, "dahoanthanh": True,
    "chuaketnoi": False, "dangketnoi": False, "dangthuchien": False,
}  # fmt: skip
_CONNECTION_WORDS = frozenset({"da", "chua", "dang", "ket", "noi", "thuc", "hien"})
_WHOLE_WORDING = re.compile(r"(da|chua|dang) (ket noi|thuc hien)")
# a connection cell's whole wording, as ``ascii_key`` gives it ("Chưa" alone: not yet)
WHOLE_CONNECTION = re.compile(r"^(?:(da|chua|dang) (ket noi|thuc hien)|chua)$")
_GROUP_THEN_NUMBER = re.compile(r"^[IVX]{1,4}\.?\s+(\d{1,2}(?:\.\d{1,2})*[.,]?)$")
_NUMBER_IN_NAME = re.compile(r"^(\d{1,2}(?:\.\d)?)[.,:)]?\s+(\S.*)$")
_VALUE_ROLES = (
    Role.ITEM,
    Role.TOTAL,
    Role.DIRECT,
    Role.ONLINE,
    Role.RATE,
    Role.ON_TIME,
    Role.OVERDUE,
    Role.CONNECTED,
    Role.CONNECTED_YES,
    Role.CONNECTED_NO,
)
# a tick under "Đã/Chưa kết nối", however OCR read it: up to three strokes ("⁄ °")
_MARK = re.compile(r"^(?:\S\s?){1,3}$")
_NO_MARK = {"-", "–", "—", "0", "?"}  # short cells that are no tick
_MARK_AMONG_WORDS = re.compile(r"(?:^|\s)[xX✓✔☑](?:\s|$)")  # a word carried in beside it
_OVERFLOW = re.compile(r"^[^()]*\)\s*")  # "...chưa kết nối) Đã kết nối": header text spilled
_READ_ROLES = {  # the cells a row stores as numbers, by field
    Role.TOTAL: "total",
    Role.DIRECT: "direct",
    Role.ONLINE: "online",
    Role.RATE: "rate_pct",
    Role.ON_TIME: "on_time",
    Role.OVERDUE: "overdue",
}
COUNT_ROLES = (  # the columns of counts
    Role.TOTAL,
    Role.DIRECT,
    Role.ONLINE,
    Role.ON_TIME,
    Role.OVERDUE,
    Role.ON_TIME_DIRECT,
    Role.OVERDUE_DIRECT,
)


@dataclass
class LogicalTable:
    """One DVC table, possibly printed over several pages."""

    index: int
    roles: dict[Role, list[int]]
    caption: str
    scheme_hint: str | None
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (page, cells)
    header: list[list[str]] = field(default_factory=list)  # as printed where it opens
    confidence: list[list[float | None] | None] = field(default_factory=list)  # OCR, per row

    def extend(self, table: Table, body: list[tuple[int, list[str]]]) -> None:
        self.rows.extend((table.page_of_row(i), row) for i, row in body)
        self.confidence.extend(table.confidence_of_row(i) for i, _ in body)


def connection_ambiguous(lost: str) -> dict[str, str]:
    """The doubt of marks read as connected under a header with one column for *Đã kết
    nối* and one for *Chưa kết nối*, when the text no longer shows which one held them
    (``lost`` says why and which marks)."""
    return {
        "connection_ambiguous": "the table marks 'Đã kết nối' and 'Chưa kết nối' in two "
        f"columns, but {lost}: read as connected"
    }


def scheme_from_caption(caption: str) -> str | None:
    """QD06 / QD422 from the appendix title printed above a table."""
    key = ascii_key(caption)
    if re.search(r"\b422\W?qd|\bqd\W+(so\W+)?422\b|\b28 (dich vu|thu tuc|dvc)", key):
        return "QD422"
    if re.search(r"\b06\W?qd\W?ttg|\b25 (dich vu|thu tuc|dvc)", key):
        return "QD06"
    return None


def tables_to_logical(
    tables: list[Table], left_out: list[Table] | None = None
) -> list[LogicalTable]:
    """Join physical tables into DVC tables; non-DVC tables are dropped. A table with no
    header under a DVC table it cannot continue (another width) goes to ``left_out``
    when given, and the DVC table may go on after it.

    A table continues the previous one when it has the same width and either no header
    or the same header, unless its numbering starts again at 1; a header alone at a
    page's foot whose rules OCR partly lost, when its cells split into the width of the
    body overleaf (``split_sibling_cells``). A "header" that does not name a service
    table, under a table of the same width, is a body row.
    """
    logical: list[LogicalTable] = []
    previous: LogicalTable | None = None
    previous_width = 0
    for table in tables:
        width = max((len(r) for r in table.rows), default=0)
        depth = header_depth(table.rows)
        roles = column_roles(table.rows[:depth], width) if depth else {}
        same_width = previous is not None and width == previous_width
        if same_width and depth and not is_service_table(roles):
            depth, roles = 0, {}
        body = list(enumerate(table.rows))[depth:]
        roles = _numbering_by_content(roles, [cells for _, cells in body])
        hint = scheme_from_caption(table.caption)
        if same_width and previous is not None:
            same_header = depth == 0 or (
                _repeats_header(roles, previous.roles) and hint in (None, previous.scheme_hint)
            )
            restarted = _has_numbered_row(previous) and _restarts(body, previous)
            if same_header and not restarted:
                if depth:
                    unsplit_dropped = _unsplit_connection_dropped(roles, previous.roles)
                    previous.roles = _merged_roles(previous.roles, unsplit_dropped)
                previous.extend(table, body)
                continue
            if depth == 0:
                roles = previous.roles  # numbering restarts under the same columns
        elif depth == 0 and previous is not None:
            if not previous.rows and (widened := split_sibling_cells(previous.header, width)):
                previous.header, previous_width = widened, width  # its body overleaf
                previous.roles = column_roles(widened, width)
                previous.extend(table, body)
                continue
            if (fitted := _countless_rows(body, width, previous_width)) is not None:
                previous.extend(table, fitted)  # a page of "Không thuộc thẩm quyền" rows
                continue
            if left_out is not None:
                left_out.append(table)  # no header, under a DVC table it does not fit
            continue  # which may go on after it
        elif depth == 0 or not is_service_table(roles):
            previous = None
            continue
        previous = LogicalTable(len(logical), roles, table.caption, hint, header=table.rows[:depth])
        previous.extend(table, body)
        previous_width = width
        logical.append(previous)
    for found in logical:
        found.roles = _roles_by_content(found.roles, [cells for _, cells in found.rows])
    return logical


def _roles_by_content(roles: dict[Role, list[int]], body: list[list[str]]) -> dict[Role, list[int]]:
    """The roles with those a scan's header lost told by what the columns hold: counts by
    the rows' arithmetic, then the rate by its "%", then the agency by its names."""
    roles = counts_by_arithmetic(roles, body)
    roles = _rate_by_content(roles, body)
    return _agency_by_content(roles, body)


def _numbering_by_content(
    roles: dict[Role, list[int]], body: list[list[str]]
) -> dict[Role, list[int]]:
    """The roles, with the numbering column whose header OCR misread ("St" for "Stt"):
    the first column, left of the service column and of no role, whose filled cells are
    mostly item numbers. Without it no row has a number, and no row a parent."""
    if Role.ITEM in roles or not roles.get(Role.SERVICE) or roles[Role.SERVICE][0] == 0:
        return roles
    if any(0 in columns for columns in roles.values()):
        return roles
    filled = [row[0].strip() for row in body if row and row[0].strip()]
    numbered = sum(bool(ITEM_NUMBER.match(text)) for text in filled)
    if not filled or numbered < NUMBERED_SHARE * len(filled):
        return roles
    return {Role.ITEM: [0], **roles}


def _rate_by_content(roles: dict[Role, list[int]], body: list[list[str]]) -> dict[Role, list[int]]:
    """The roles, with the rate column whose header OCR misread ("Kd) t" for "Tỉ lệ (%)"):
    the column right of the online count, of no role of its own (at most a second column
    of the role its parent cell names, "Tổng số hồ sơ …"), whose filled cells mostly read
    as rates printed with "%". Without it every row's rate is lost."""
    if Role.RATE in roles or not roles.get(Role.ONLINE):
        return roles
    column = roles[Role.ONLINE][-1] + 1
    owners = [role for role, columns in roles.items() if column in columns]
    if any(len(roles[role]) == 1 for role in owners):
        return roles
    filled = [row[column].strip() for row in body if len(row) > column and row[column].strip()]
    rates = sum(
        text.rstrip(".").endswith("%") and parse_vn_percent(text) is not None for text in filled
    )
    if len(filled) < _MIN_RATES or rates < _RATES_SHARE * len(filled):
        return roles
    kept = {role: [c for c in columns if c != column] for role, columns in roles.items()}
    return {**kept, Role.RATE: [column]}


def _agency_by_content(
    roles: dict[Role, list[int]], body: list[list[str]]
) -> dict[Role, list[int]]:
    """The roles, with the agency column whose header OCR misread ("Cơ T" / "cnu tri" for
    "Cơ quan chủ trì"): a column of no role right of the service column and left of the
    counts whose filled cells mostly name an agency. Without it no row has its agency."""
    if Role.AGENCY in roles or not roles.get(Role.SERVICE):
        return roles
    taken = {column for columns in roles.values() for column in columns}
    counts = [column for role in COUNT_ROLES for column in roles.get(role, [])]
    first_count = min(counts, default=max(taken) + 1)
    for column in range(roles[Role.SERVICE][-1] + 1, first_count):
        if column in taken:
            continue
        filled = [row[column] for row in body if len(row) > column and row[column].strip()]
        named = sum(names_an_agency(text) for text in filled)
        if len(filled) >= _MIN_AGENCIES and named >= _AGENCIES_SHARE * len(filled):
            return {**roles, Role.AGENCY: [column]}
    return roles


def _countless_rows(
    body: list[tuple[int, list[str]]], width: int, previous_width: int
) -> list[tuple[int, list[str]]] | None:
    """Numbered rows that print no count, on a page of their own narrower than the table
    above: a row whose cell across the counts reads "Không thuộc thẩm quyền" draws no
    rule between them, so the page's grid has fewer columns. Its item, name and agency
    stand first, as above; the rest is padded out. None for any other table."""
    if not body or width >= previous_width:
        return None
    for _, cells in body:
        if not ITEM_NUMBER.match(cells[0].strip()) or any(
            parse_vn_int(cell) is not None for cell in cells[1:]
        ):
            return None
    return [(index, cells + [""] * (previous_width - len(cells))) for index, cells in body]


def _repeats_header(roles: dict[Role, list[int]], previous: dict[Role, list[int]]) -> bool:
    """The same header again, or a copy with some cells unreadable (OCR) on either page:
    the roles both name sit in the same columns, a role only one names takes a column the
    other leaves without a role, and most roles are named by both."""
    if roles.keys() == previous.keys():
        return True
    shared = roles.keys() & previous.keys()
    if any(
        not _same_meaning(roles, previous, role) and not _same_meaning(previous, roles, role)
        for role in shared
    ):
        return False
    taken = {column for columns in previous.values() for column in columns}
    extra = {
        column
        for role in roles.keys() - shared
        if not _same_meaning(roles, previous, role)
        for column in roles[role]
    }
    return not extra & taken and len(shared) >= 0.6 * max(len(roles), len(previous))


def _same_meaning(roles: dict[Role, list[int]], other: dict[Role, list[int]], role: Role) -> bool:
    """``role``'s columns in ``roles`` mean the same in ``other``: the same role, or the
    more specific roles it parts into where the header says more ("Đúng hạn" under
    "Hồ sơ trực tiếp" as well as under "Hồ sơ trực tuyến", whose parent OCR garbled in
    one copy: on time in both columns there, direct and online results in the other)."""
    meaning = set(other.get(role, []))
    meaning.update(column for part in _PARTS.get(role, ()) for column in other.get(part, []))
    return bool(roles.get(role)) and set(roles[role]) <= meaning


def _unsplit_connection_dropped(
    roles: dict[Role, list[int]], previous: dict[Role, list[int]]
) -> dict[Role, list[int]]:
    """A header printed again whose connection column reads as one ("Kết nối Cổng dịch
    vụ công quốc gia") where the first copy splits it into *Đã kết nối (x)* and *Chưa
    kết nối (x)*: OCR lost the split cells of this copy, whose roles are the first's."""
    split = {column for role in _MARK_ROLES for column in previous.get(role, [])}
    if Role.CONNECTED in roles and set(roles[Role.CONNECTED]) <= split:
        return {role: columns for role, columns in roles.items() if role is not Role.CONNECTED}
    return roles


def _merged_roles(
    previous: dict[Role, list[int]], roles: dict[Role, list[int]]
) -> dict[Role, list[int]]:
    """The roles of a header printed twice, each copy filling what the other misread."""
    return {**roles, **previous}


_MARK_ROLES = (Role.CONNECTED_YES, Role.CONNECTED_NO)
_PARTS = {  # a role and the more specific roles a fuller header parts it into
    Role.ON_TIME: (Role.ON_TIME_DIRECT,),
    Role.OVERDUE: (Role.OVERDUE_DIRECT,),
    Role.CONNECTED: _MARK_ROLES,
}
_ROMAN = re.compile(r"^[IVX]{1,4}$")


def _has_numbered_row(table: LogicalTable) -> bool:
    """Whether any row so far carries an item number (a table may open with headings)."""
    column = table.roles.get(Role.ITEM, [None])[0]
    return column is not None and any(
        column < len(cells) and ITEM_NUMBER.match(cells[column].strip()) for _, cells in table.rows
    )


def _restarts(body: list[tuple[int, list[str]]], previous: LogicalTable) -> bool:
    """Whether the body's numbering starts again (at "1", or at "I" again): a new table
    under the same columns. A "1" before the number after the previous table's next
    ("1", "18" under a table ending at "16") is that next number OCR misread."""
    column = previous.roles.get(Role.ITEM, [None])[0]
    if column is None:
        return False
    items = [cells[column].strip().rstrip(".") if column < len(cells) else "" for _, cells in body]
    for index, item in enumerate(items):
        if _ROMAN.match(item):  # a group: "I" again starts the list again
            if item == "I" and any(
                column < len(old) and old[column].strip().rstrip(".") == "I"
                for _, old in previous.rows
            ):
                return True
            continue
        if item and not (_TOP_ITEM.match(item) or _GROUP_ITEM.match(item)):
            continue  # a number OCR misread ("1%", "l|"), or a sub-item's ("13.1")
        if item.lstrip("0") == "2" and _started_at_two(items[index:], previous, column):
            return True  # its "1" OCR misread, as the numbering shows
        if item:
            return item.lstrip("0") == "1" and not _goes_on(items[index + 1 :], previous, column)
    return False


def _started_at_two(items: list[str], previous: LogicalTable, column: int) -> bool:
    """Whether ``items``' numbering runs 2, 3 under a table that had gone past 4: a list
    started again whose "1" OCR misread ("1%")."""
    numbers = [int(m.group(1)) for text in items if (m := _TOP_ITEM.match(text))][:2]
    done = _top_numbers(previous, column)
    return numbers == [2, 3] and bool(done) and done[-1] > 4


def _goes_on(items: list[str], previous: LogicalTable, column: int) -> bool:
    """Whether the first top item number of ``items`` is two past the previous table's
    last one."""
    ahead = next((int(m.group(1)) for text in items if (m := _TOP_ITEM.match(text))), None)
    done = _top_numbers(previous, column)
    return ahead is not None and bool(done) and ahead == done[-1] + 2


def _top_numbers(table: LogicalTable, column: int) -> list[int]:
    """The top-level item numbers of ``table``'s rows, in order ("9." → 9; not "13.1")."""
    return [
        int(m.group(1))
        for _, cells in table.rows
        if column < len(cells) and (m := _TOP_ITEM.match(cells[column].strip()))
    ]


def logical_to_rows(
    table: LogicalTable, agency: str | None = None
) -> tuple[list[ServiceRow], list[TotalRow], list[ServiceRow]]:
    """Data rows, printed totals and headings (group rows) of one DVC table.

    A heading that names an agency ("Sở Tư pháp", "Sở Y tế (bổ sung theo …)") gives the
    rows under it their agency when they have no agency cell; ``agency`` is that of a
    heading above the table's first row (the table the numbering goes on from). A row
    ending "cụ thể:" with no counts is a parent; the "- …" rows under it are its sub-rows.
    """
    misread = _numbering_gaps(table)
    numbers_in_misread_items = _numbers_in_misread_items(table)
    services: list[ServiceRow] = []
    totals: list[TotalRow] = []
    headings: list[ServiceRow] = []
    parent: int | None = None
    open_heading: ServiceRow | None = None  # the last row, a heading with its aside open
    on_time_col, overdue_col = _online_result_columns(table)
    for index, (page, cells) in enumerate(table.rows):
        confidence = table.confidence[index] if index < len(table.confidence) else None
        row = _RowView(table.roles, cells, on_time_col, overdue_col, confidence)
        row.split_number_from_name()
        if index in numbers_in_misread_items:
            row.set_item(numbers_in_misread_items[index])
        item, name = row.text(Role.ITEM), row.text(Role.SERVICE)
        if not any(c.strip() for c in cells):
            continue
        if not name and not item:
            if services and _ends_cells_above(row):  # a page break cut the last row
                _append_continuation(services[-1], row)
            continue
        label = name or item  # "Tổng cộng" is often printed across the STT cell
        if _TOTAL_NAME.match(ascii_key(label)) and not ITEM_NUMBER.match(item):
            totals.append(
                TotalRow(
                    table_index=table.index,
                    row_index=index,
                    name=label,
                    total=row.int(Role.TOTAL),
                    online=row.int(Role.ONLINE),
                    page=page,
                    source_text=row.source_text(),
                )
            )
            continue
        has_values = row.has_values()
        # a heading whose aside a page break cut ("Sở Y tế (bổ sung theo Công văn số" /
        # "1523/SYT-NVY)") goes on in the row after it, before any service row
        previous = open_heading or (services[-1] if services else None)
        if (
            not item
            and not row.has_counts()
            and previous
            and (_continues(name, previous) or (_ends_cells_above(row) and not name[:1].isupper()))
        ):
            _append_continuation(previous, row)
            continue
        open_heading = None
        heading_values = (
            not has_values
            or row.stray_digit_only()
            or (not item and names_an_agency(name) and row.stray_values_only())
        )
        # a heading whose words OCR misread and cut across cells ("Bảo hiểm xã hộ" | "¡
        # tỉnh") still reads as a known agency, its cells joined
        known = (
            agency_read_as(" ".join(cells))
            if heading_values and index not in misread and not item and not has_values
            else None
        )
        if heading_values and index not in misread and (_is_heading(item, name) or known):
            heading = row.to_service(page, table, index)
            heading.row_kind = RowKind.GROUP
            if item and name:  # "I" | "Công an tỉnh": the group's number stays its item
                heading.item_in_doc, heading.name_in_doc = item.strip(_SPECKS), name
            heading.agency = agency_of_heading(name) or known
            headings.append(heading)
            open_heading = heading if _open_aside(heading.name_in_doc) else None
            agency = heading.agency
            parent = None
            continue
        service = row.to_service(page, table, index)
        service.agency = service.agency or agency
        if ITEM_NUMBER.match(item) or (not has_values and _announces_subrows(service)):
            parent = len(services)  # a "…, cụ thể:" row heads what follows, numbered or not
        elif has_values or parent is not None:
            service.parent_index = parent
            if parent is not None and (
                _SUBROW_MARK.match(name) or _announces_subrows(services[parent])
            ):
                service.row_kind = RowKind.SUBROW
        services.append(service)
    return services, totals, headings


def _numbering_gaps(table: LogicalTable) -> set[int]:
    """Rows whose item reads as a group's letter where the numbering has a gap that the
    misread items between its ends fill exactly (items 7 and 10 around "# THÊ" and "H"),
    or that the misread items before its first number fill from 1 ("lê", "V" before 3):
    items as OCR misread them ("H" for "9", "V" for "2."), no headings. A group's row
    sits between n and n + 1, or is printed in capitals."""
    items, numbers = _items_and_numbers(table)
    numbered = [(index, number) for index, number in enumerate(numbers) if number is not None]
    gaps: set[int] = set()
    if numbered and numbered[0][1] > 1:  # the numbering's start, before its first number
        opening = [
            index
            for index in range(numbered[0][0])
            if items[index]
            and not ITEM_NUMBER.match(items[index])
            and not _in_capitals(_row_name(table, index))
        ]  # a group's row in capitals ("I | NHÓM DỊCH VỤ CÔNG …") is none of them
        if len(opening) == numbered[0][1] - 1:
            gaps.update(index for index in opening if _GROUP_ITEM.match(items[index]))
    for (start, first), (end, last) in pairwise(numbered):
        between = [
            index
            for index in range(start + 1, end)
            if items[index] and not ITEM_NUMBER.match(items[index])
        ]
        if between and len(between) == last - first - 1:
            gaps.update(index for index in between if _GROUP_ITEM.match(items[index]))
    return gaps


def _row_name(table: LogicalTable, index: int) -> str:
    return _RowView(table.roles, table.rows[index][1], None, None).text(Role.SERVICE)


def _numbers_in_misread_items(table: LogicalTable) -> dict[int, str]:
    """Item cells that hold a number with a letter or a speck about it ("y2", "2'") where
    that number is the one the numbering wants between its neighbours (1 and 3): the
    number, by row (as printed, the row was read as a part of the row above)."""
    items, numbers = _items_and_numbers(table)
    found = {}
    for index, text in enumerate(items):
        glued = _NUMBER_AMID_MARKS.fullmatch(text)
        if not glued or numbers[index] is not None or ITEM_NUMBER.match(text):
            continue
        before = next((n for n in reversed(numbers[:index]) if n is not None), None)
        after = next((n for n in numbers[index + 1 :] if n is not None), None)
        number = int(glued.group(1))
        if before == number - 1 and after == number + 1:
            found[index] = str(number)
    first = next((index for index, number in enumerate(numbers) if number is not None), None)
    if first is not None and numbers[first] == 2:
        # the numbering's "1" OCR read as a roman "I" ("I" | "Đăng ký đóng, …" | 26 | …):
        # the item cell right above item 2, on a row with counts (a group's row has none)
        above = max((index for index in range(first) if items[index]), default=None)
        if (
            above is not None
            and _LIKE_ONE.fullmatch(items[above])
            and _RowView(table.roles, table.rows[above][1], None, None, None).has_counts()
        ):
            found[above] = "1"
    return found


def numbering_goes_on(before: LogicalTable, table: LogicalTable) -> bool:
    """``table`` goes on from ``before`` though they were not joined (a scan's rules made
    its columns another width): its first item follows ``before``'s last, on a later page,
    under the same decision."""
    if table.scheme_hint not in (None, before.scheme_hint) or not before.rows or not table.rows:
        return False
    last = next((n for n in reversed(_items_and_numbers(before)[1]) if n is not None), None)
    first = next((n for n in _items_and_numbers(table)[1] if n is not None), None)
    return last is not None and first == last + 1 and table.rows[0][0] > before.rows[-1][0]


def _items_and_numbers(table: LogicalTable) -> tuple[list[str], list[int | None]]:
    """Each row's item cell, and its top-level number where it reads as one ("9.")."""
    column = (table.roles.get(Role.ITEM) or [None])[0]
    if column is None:
        return [], []
    items = [cells[column].strip() if column < len(cells) else "" for _, cells in table.rows]
    return items, [int(m.group(1)) if (m := _TOP_ITEM.match(text)) else None for text in items]


_NUMBER_AMID_MARKS = re.compile(r"[^\d\s]{0,2}(\d{1,2})[^\d\s]{0,2}")


def _is_specks(text: str) -> bool:
    """A cell of the connection marks' columns that reads as neither a tick nor a wording."""
    return not reads_as_tick(text) and connection_value(text) is None and ascii_key(text) != "co"


def _announces_subrows(parent: ServiceRow) -> bool:
    """A parent printed with no counts and a name ending in ":" ("…, cụ thể:"): the rows
    under it are its sub-rows, their "-" printed or not (OCR often loses it)."""
    return (
        parent.name_in_doc.rstrip().endswith(":") and parent.total is None and parent.online is None
    )


_SUBROW_MARK = re.compile(r"^\s*(?:[-–+•*]|[a-zđ]\))\s*")


def _is_heading(item: str, name: str) -> bool:
    """A row with no values that heads the rows under it: a roman or letter item, an
    agency's name, or a name in capitals; an unnumbered service name is not one. A
    numeral OCR read with a speck beside it (".J" for "I") is that numeral."""
    item = item.strip(_SPECKS)
    if _GROUP_ITEM.match(item):
        return True
    if _READ_AS_ONE.match(item):  # "I" of "I NHÓM DỊCH VỤ …" as OCR reads it: "1"
        return _in_capitals(name)
    if item:
        return False
    return bool(AGENCY_KEY.match(ascii_key(words_apart(name)))) or _in_capitals(name)


def _in_capitals(name: str) -> bool:
    """A name printed in capitals ("NHÓM DỊCH VỤ CÔNG THIẾT YẾU": Vietnamese capitals
    lie among the small letters in Unicode, so no character range tells them); a long
    one with a few letters OCR read small ("NHÓMÂ n Hi VỤ CÔNG …") still is."""
    letters = [char for char in name if char.isalpha()]
    small = sum(char != char.upper() for char in letters)
    if len(letters) >= _LONG_HEADING_LETTERS:
        return small <= _SMALL_LETTERS_SHARE * len(letters)
    return bool(letters) and not small


def agency_of_heading(name: str) -> str | None:
    """ "Sở Y tế (bổ sung theo Công văn số …)" → "Sở Y tế"; None for other headings."""
    bare = clean_text(re.sub(r"\(.*$", "", words_apart(name))).rstrip(" :.-")
    bare = re.sub(r"^(?:[IVXL]+|[A-ZĐ])[.)]\s+", "", bare)
    return bare if bare and AGENCY_KEY.match(ascii_key(bare)) else None


def _is_mark(text: str) -> bool:
    """A mark cell ("x", "✓"), also with a word of a neighbouring cell run into it."""
    return bool(_MARK.match(text) or _MARK_AMONG_WORDS.search(text))


def reads_as_tick(text: str) -> bool:
    """A connection cell read as a tick, however OCR read it: up to three strokes with
    one letter at most ("⁄", "v'", "x"), not a dash or a zero, nor a wording's piece
    ("nối")."""
    letters = sum(char.isalpha() for char in text)
    return _is_mark(text) and text not in _NO_MARK and letters < 2


def connection_value(text: str) -> bool | None:
    """ "Đã kết nối", "x", "✓", "Đã thực hiện" → True; "Chưa kết nối", "Chưa", "Đang kết
    nối" (not yet) → False; a whole wording among words of other cells cut into the
    column ("DVCQG Đã thực CCCD hiện") as that wording; anything else → None."""
    key = ascii_key(text).strip()
    if not key:
        return True if text.strip() in {"✓", "✔", "☑"} else None
    if _NOT_CONNECTED.match(key):
        return False
    if _CONNECTED.match(key):
        return True
    spaced = _SPACED_WORDINGS.get(key.replace(" ", ""))
    if spaced is not None:
        return spaced
    wording = " ".join(word for word in key.split() if word in _CONNECTION_WORDS)
    if wording != key and _WHOLE_WORDING.fullmatch(wording):  # words of other cells run in
        return connection_value(wording)  # ("DVCQG Đã thực CCCD hiện")
    return None


_AWAITS_LEVEL = re.compile(r"\bcấp$")  # "UBND cấp": an agency cut before its level
_LEVEL = re.compile(r"xã|huyện|tỉnh")


def _continues(name: str, previous: ServiceRow) -> bool:
    first = name.lstrip("(–-•+ ")[:1]
    return bool(first) and (
        first.islower()
        or previous.name_in_doc.rstrip().endswith((",", "và", "/", "-"))
        or (_open_aside(previous.name_in_doc) and ")" in name)
    )


def _ends_cells_above(row: _RowView) -> bool:
    """A row of no number or count whose agency or note cell opens in lower case ("cấp
    xã" at a page's top, beside a name's tail such as "(220/380V)" or none): the end of
    the last row's cells."""
    texts = [row.text(Role.AGENCY), row.text(Role.NOTE)]
    return not row.has_counts() and any(text[:1].islower() for text in texts)


def _open_aside(name: str) -> bool:
    """The name opened a parenthesis it has not closed."""
    return name.count("(") > name.count(")")


def _append_continuation(previous: ServiceRow, row: _RowView) -> None:
    """The cells of a row a page break cut, put back on the row. A level word alone
    where the row's agency awaits one ("UBND cấp" / "xã") is the agency's, whatever
    column the page set it in; the end of a wording read as unknown ("Đang kết" /
    "nối") completes it."""
    name, agency = row.text(Role.SERVICE), row.text(Role.AGENCY)
    if not agency and _AWAITS_LEVEL.search(previous.agency or "") and _LEVEL.fullmatch(name):
        name, agency = "", name
    previous.name_in_doc = clean_text(f"{previous.name_in_doc} {name}")
    if agency:
        previous.agency = clean_text(f"{previous.agency or ''} {agency}")
    note = row.text(Role.NOTE)
    if note:
        previous.note = clean_text(f"{previous.note or ''} {note}")
    wording = row.connection_wording()
    if wording and previous.connected is None and previous.connection_text:
        joined = clean_text(f"{previous.connection_text} {wording}")  # "Đang kết" / "nối"
        if (value := connection_value(joined)) is not None:
            previous.connected, previous.connection_text = value, None
    previous.source_text = f"{previous.source_text} ⏎ {row.source_text()}"


def _online_result_columns(table: LogicalTable) -> tuple[int | None, int | None]:
    """The on-time/overdue pair of online dossiers.

    Headers usually say which pair is online; when two pairs are not told apart, the
    pair whose sum equals the online count on most rows wins.
    """
    roles = table.roles
    on_time, overdue = roles.get(Role.ON_TIME, []), roles.get(Role.OVERDUE, [])
    if len(on_time) <= 1 and len(overdue) <= 1:
        return (on_time[0] if on_time else None, overdue[0] if overdue else None)
    pairs = list(zip(on_time, overdue, strict=False))
    if not pairs:  # a header OCR misread names two on-time columns and no overdue one
        return (on_time[-1] if on_time else None, overdue[-1] if overdue else None)
    online_cols = roles.get(Role.ONLINE, [])
    if not online_cols:
        return pairs[-1]

    def agreement(pair: tuple[int, int]) -> int:
        hits = 0
        for _, cells in table.rows:
            online = _cell_int(cells, online_cols[0])
            a, b = _cell_int(cells, pair[0]), _cell_int(cells, pair[1])
            if online and (a or 0) + (b or 0) == online:
                hits += 1
        return hits

    return max(pairs, key=agreement)


def _cell_int(cells: list[str], column: int) -> int | None:
    return parse_vn_int(cells[column]) if column < len(cells) else None


class _RowView:
    """Typed access to one body row through the table's column roles."""

    def __init__(
        self,
        roles: dict[Role, list[int]],
        cells: list[str],
        on_time_col: int | None,
        overdue_col: int | None,
        confidence: list[float | None] | None = None,
    ) -> None:
        self.roles, self.cells, self.confidence = roles, cells, confidence
        self.columns = {role: cols[0] for role, cols in roles.items()}
        if on_time_col is not None:
            self.columns[Role.ON_TIME] = on_time_col
        if overdue_col is not None:
            self.columns[Role.OVERDUE] = overdue_col

    def text(self, role: Role) -> str:
        column = self.columns.get(role)
        if column is None or column >= len(self.cells):
            return ""
        return clean_text(drop_footnote_marks(self.cells[column]))  # after legacy fonts

    def int(self, role: Role) -> int | None:
        return parse_vn_int(self.text(role))

    def not_applicable(self) -> bool:
        """ "Không thuộc thẩm quyền" anywhere outside the name, even split over cells."""
        skip = {self.columns.get(Role.SERVICE), self.columns.get(Role.ITEM)}
        joined = " ".join(cell for index, cell in enumerate(self.cells) if index not in skip)
        return bool(NOT_APPLICABLE.search(ascii_key(joined)))

    def connected(self) -> bool | None:
        """True / False / None from the connection column's wording or from a mark under
        "Đã kết nối" or "Chưa kết nối"."""
        wording = self.connection_wording()
        if wording:
            value = connection_value(wording)
            if value is None and reads_as_tick(wording):
                return True  # a tick as OCR read it ("⁄", "v'"): the column's "x"
            return value
        yes = self.text(Role.CONNECTED_YES)
        no = self.text(Role.CONNECTED_NO)
        if yes and no:  # a mark and specks beside it (a stamp's, a signature's): the mark
            no = "" if reads_as_tick(yes) and _is_specks(no) else no
            yes = "" if reads_as_tick(no) and _is_specks(yes) else yes
        if yes and not no:
            return True if _is_mark(yes) else connection_value(yes)
        if no and not yes:
            return False if _is_mark(no) or ascii_key(no) == "co" else connection_value(no)
        return None

    def connection_wording(self) -> str:
        return _OVERFLOW.sub("", self.text(Role.CONNECTED)).strip()

    def unknown_connection(self) -> str | None:
        """The printed connection wording when it maps to neither yes nor no (and the
        row's connection is unknown: a tick beside specks is the tick's)."""
        if self.connected() is not None:
            return None
        for text in (
            self.connection_wording(),
            self.text(Role.CONNECTED_YES),
            self.text(Role.CONNECTED_NO),
        ):
            if text and not _is_mark(text) and connection_value(text) is None:
                return text
        return None

    def has_counts(self) -> bool:
        return any(self.int(role) is not None for role in COUNT_ROLES) or bool(self.text(Role.RATE))

    def stray_digit_only(self) -> bool:
        """An OCR row whose only value is one count of one digit: a stroke of a signature
        or a stamp over a row that holds no counts in print, read as a digit."""
        if self.confidence is None or self.text(Role.RATE) or self.connected() is not None:
            return False
        counts = [value for role in COUNT_ROLES if (value := self.int(role)) is not None]
        return len(counts) == 1 and counts[0] < 10 and not self.not_applicable()

    def stray_values_only(self) -> bool:
        """An OCR row holding no rate and one count at most, its marks aside: what a stamp
        or a signature over a row with no counts in print leaves (a service row gives its
        counts, a blank service row none). A "rate" of no digit ("Âjc") is such a speck."""
        if self.confidence is None or any(ch.isdigit() for ch in self.text(Role.RATE)):
            return False
        counts = [role for role in COUNT_ROLES if self.int(role) is not None]
        return len(counts) <= 1 and not self.not_applicable()

    def has_values(self) -> bool:
        return self.has_counts() or self.connected() is not None or self.not_applicable()

    def source_text(self) -> str:
        return " | ".join(clean_text(c) for c in self.cells)

    def to_service(self, page: int, table: LogicalTable, row_index: int) -> ServiceRow:
        not_applicable = self.not_applicable()
        name = self.text(Role.SERVICE)
        item = self.text(Role.ITEM)
        if item and not ITEM_NUMBER.match(item):
            name = clean_text(f"{item} {name}")
            item = ""
        return ServiceRow(
            scheme=table.scheme_hint,
            item_in_doc=item.rstrip(".,:") or None,
            name_in_doc=name,
            connected=None if not_applicable else self.connected(),
            connection_text=None if not_applicable else self.unknown_connection(),
            agency=self.text(Role.AGENCY) or None,
            total=self.int(Role.TOTAL),
            direct=self.int(Role.DIRECT),
            online=self.int(Role.ONLINE),
            rate_pct=parse_vn_percent(self.text(Role.RATE)),
            on_time=self.int(Role.ON_TIME),
            overdue=self.int(Role.OVERDUE),
            not_applicable=not_applicable,
            note=self.text(Role.NOTE) or None,
            page=page,
            source_text=self.source_text(),
            table_index=table.index,
            row_index=row_index,
            ocr_confidence=self.value_confidence(),
            unread_cells={} if not_applicable else self.unread_cells(),
        )

    def unread_cells(self) -> dict[str, str]:
        """Count and rate cells that print something but no number ("12 5", "thuộc"),
        by field: stored as NULL, they are said, not dropped."""
        unread = {}
        for role, field_name in _READ_ROLES.items():
            text = self.text(role)
            if is_blank(text):
                continue
            parse = parse_vn_percent if role is Role.RATE else parse_vn_int
            if parse(text) is None:
                unread[field_name] = text
        return unread

    def set_item(self, item: str) -> None:
        self.cells = list(self.cells)
        self.cells[self.columns[Role.ITEM]] = item

    def split_number_from_name(self) -> None:
        """``17, Tích hợp…`` in the name cell with the number cell empty: the number is
        the item (OCR or a converter moved it across the rule)."""
        item_column, name_column = self.columns.get(Role.ITEM), self.columns.get(Role.SERVICE)
        if item_column is None or name_column is None:
            return
        grouped = _GROUP_THEN_NUMBER.match(self.text(Role.ITEM))
        if grouped:  # a group row's "II" drawn into the next row's number cell
            self.cells = list(self.cells)
            self.cells[item_column] = grouped.group(1)
            return
        if self.text(Role.ITEM):
            return
        match = _NUMBER_IN_NAME.match(self.text(Role.SERVICE))
        if match:
            self.cells = list(self.cells)
            self.cells[item_column], self.cells[name_column] = match.group(1), match.group(2)

    def value_confidence(self) -> float | None:
        """The lowest OCR confidence among the row's value cells (None for a text layer)."""
        if not self.confidence:
            return None
        found = [
            self.confidence[column]
            for role in _VALUE_ROLES
            if (column := self.columns.get(role)) is not None and column < len(self.confidence)
        ]
        known = [c for c in found if c is not None]
        return min(known) if known else None
