"""Nothing lost without a word: DVC tables a report announces but that were not read,
and tables read with fewer rows than their own numbering implies."""

from __future__ import annotations

import re

from dean06.normalize.rows import scheme_from_caption
from dean06.normalize.text import ascii_key
from dean06.schemas import Finding, ServiceRow, Severity, Table, TextBlock

_ANNOUNCES_TABLES = re.compile(
    r"\bphu luc (?:[ivx]+|\d)\b|chi tiet tai phu luc|\b25 (?:dich vu cong|dvc|thu tuc)"
    r"|\b(?:quyet dinh|qd)\W*(?:so\W*)?422\b"
)
_TOP_LEVEL_ITEM = re.compile(r"^\d{1,2}$")
_COUNT = r"\d{1,3}(?:\.\d{3})*(?:,\d+)?%?"  # "8.504", "90,61%"
# an item number, a name, then a run of three counts or more to the end of the line
_ROW_LINE = re.compile(rf"^(\d{{1,2}})\.?\s+[^\d\s].*?((?:\s+(?:{_COUNT}|[xX✓✔])){{3,}})\s*$")


_CAPTION = re.compile(r"^\W*(?:phu luc|bieu)\b")  # an appendix table's title line
_SCHEME_NAMES = {"QD06": "QĐ 06 (25 dịch vụ công thiết yếu)", "QD422": "QĐ 422"}


def captioned_tables_not_read(blocks: list[TextBlock], rows: list[ServiceRow]) -> Finding | None:
    """A warning when an appendix title ("PHỤ LỤC … 25 DỊCH VỤ CÔNG …", "Biểu … QĐ 422")
    announces a DVC table of a catalogue of which no row was read, while rows of another
    were (a scanned borderless table beside a ruled one): ``tables_not_read`` speaks
    when no row at all was read."""
    read = {row.scheme for row in rows if row.source == "table"}
    if not read:
        return None
    pages: dict[str, set[int]] = {}
    for block in blocks:
        lines = block.text.splitlines()
        for index, line in enumerate(lines):
            if _CAPTION.match(ascii_key(line)):
                scheme = scheme_from_caption(" ".join(lines[index : index + 2]))
                if scheme is not None and scheme not in read:
                    pages.setdefault(scheme, set()).add(block.page)
    if not pages:
        return None
    said = "; ".join(
        f"{_SCHEME_NAMES[scheme]} on page {', '.join(map(str, sorted(on)))}"
        for scheme, on in sorted(pages.items())
    )
    return Finding(
        severity=Severity.WARNING,
        code="tables_not_read",
        message=f"an appendix table was announced but none of its rows was read: {said}",
        page=min(min(on) for on in pages.values()),
    )


_COUNT_CELL = re.compile(rf"^{_COUNT}$")
_ITEM_CELL = re.compile(r"^\d{1,2}(?:\.\d)?\.?$")
_MIN_DATA_ROWS = 2  # rows of item number and counts that make a table one of data rows


def tables_left_out(tables: list[Table]) -> Finding | None:
    """A warning for the headerless tables under a DVC table that could not continue it
    (``tables_to_logical``) and whose rows print DVC data rows (an item number, then
    three counts or more): a page of a table whose columns were cut otherwise than the
    page before (a stroke across a scan) is not lost without a word."""
    pages = sorted({table.page for table in tables if _data_rows(table) >= _MIN_DATA_ROWS})
    if not pages:
        return None
    return Finding(
        severity=Severity.WARNING,
        code="rows_not_read",
        message=(
            "a table of numbered rows of counts under a DVC table was left out: its "
            f"columns differ from the table's above; pages: {', '.join(map(str, pages))}"
        ),
        page=pages[0],
    )


def _data_rows(table: Table) -> int:
    return sum(
        1
        for row in table.rows
        if any(_ITEM_CELL.match(cell.strip()) for cell in row[:2])
        and sum(1 for cell in row[2:] if _COUNT_CELL.match(cell.strip())) >= 3
    )


def tables_not_read(blocks: list[TextBlock], rows: list[ServiceRow]) -> Finding | None:
    """A warning when the text announces DVC tables and no service row was read."""
    if any(row.source == "table" for row in rows):
        return None
    pages = sorted({b.page for b in blocks if _ANNOUNCES_TABLES.search(ascii_key(b.text))})
    if not pages:
        return None
    return Finding(
        severity=Severity.WARNING,
        code="tables_not_read",
        message=(
            "the report announces DVC tables (Phụ lục, 25 dịch vụ công thiết yếu, QĐ 422) "
            f"but no service row was read; pages: {', '.join(map(str, pages))}"
        ),
        page=pages[-1],
    )


def rows_outside_tables(blocks: list[TextBlock], rows: list[ServiceRow]) -> Finding | None:
    """A warning for the lines that print a table row (item number, name, a run of
    counts) but were read as prose beside a report's tables: a row cut off its table (a
    page holding a table's last row alone) is not lost without a word."""
    read = [row for row in rows if row.source == "table"]
    if not read:
        return None  # no table read at all: ``tables_not_read`` speaks for it
    printed = {" ".join(row.source_text.split()) for row in read}
    stray: list[tuple[int, str]] = []
    for block in blocks:
        for line in block.text.splitlines():
            match = _ROW_LINE.match(line.strip())
            if match is None:
                continue
            counts = " ".join(match.group(2).split())
            if any(counts in text for text in printed):
                continue  # the row was read (its line quoted in the table as well)
            stray.append((block.page, line.strip()))
    if not stray:
        return None
    return Finding(
        severity=Severity.WARNING,
        code="rows_not_read",
        message=(
            f"{len(stray)} line(s) print a table row but were not read into a table: "
            + "; ".join(f"p. {page}: {text[:60]}" for page, text in stray[:3])
        ),
        page=stray[0][0],
        context=stray[0][1][:300],
    )


def numbering_gaps(rows: list[ServiceRow]) -> list[Finding]:
    """A warning per table whose top-level item numbers skip (1, 2, 4 → 3 missing) with
    no row in the gap that could be the missing one (a number misread by OCR, a row
    printed without its number), or start past 1 where no table before ends just short
    of them (16, 17 … with no 1–15 read: a page of rows lost): only rows that are not
    there count as not read."""
    findings: list[Finding] = []
    by_table: dict[int, list[ServiceRow]] = {}
    for row in rows:
        if row.source == "table":
            by_table.setdefault(row.table_index, []).append(row)
    last_numbers: set[int] = set()  # where the tables before this one end
    for table_rows in by_table.values():
        missing: list[int] = []
        numbers: list[int] = []  # the top-level item numbers as read, in order
        highest, unnumbered = 0, 0
        for row in table_rows:
            item = row.item_in_doc or ""
            if "." in item:
                continue  # a sub-item (13.1) belongs to its group
            number = int(item) if _TOP_LEVEL_ITEM.match(item) else None
            if number is not None:
                numbers.append(number)
            if number is None or number <= highest:
                unnumbered += 1  # may be the row whose number is missing
                continue
            gap = list(range(highest + 1, number)) if highest else []
            if len(gap) > unnumbered and len(gap) <= 10:
                missing.extend(gap)
            highest, unnumbered = number, 0
        if _starts_late(numbers, last_numbers):  # a number misread ("7" for "01"): none
            missing[:0] = range(1, numbers[0])
        last_numbers.add(highest)
        if missing:
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code="rows_not_read",
                    message=(
                        f"table numbering skips item {_spans(missing)}: "
                        "rows printed there were not read"
                    ),
                    page=table_rows[0].page,
                    context=" | ".join(r.item_in_doc or "–" for r in table_rows),
                )
            )
    return findings


def _starts_late(numbers: list[int], last_numbers: set[int]) -> bool:
    """Whether a table's numbering starts past 1, its first two numbers in a row (16, 17:
    not one number misread), and no table before it ends just short of them."""
    return (
        len(numbers) > 1
        and numbers[0] > 1
        and numbers[1] == numbers[0] + 1
        and numbers[0] - 1 not in last_numbers
    )


def _spans(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as "1–3, 7"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    return ", ".join(f"{s[0]}–{s[-1]}" if len(s) > 2 else ", ".join(map(str, s)) for s in spans)
