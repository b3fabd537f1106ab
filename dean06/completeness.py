"""Nothing lost without a word: DVC tables a report announces but that were not read,
and tables read with fewer rows than their own numbering implies."""

from __future__ import annotations

import re

from dean06.normalize.text import ascii_key
from dean06.schemas import Finding, ServiceRow, Severity, TextBlock

_ANNOUNCES_TABLES = re.compile(
    r"\bphu luc (?:[ivx]+|\d)\b|chi tiet tai phu luc|\b25 (?:dich vu cong|dvc|thu tuc)"
    r"|\b(?:quyet dinh|qd)\W*(?:so\W*)?422\b"
)
_TOP_LEVEL_ITEM = re.compile(r"^\d{1,2}$")


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


def numbering_gaps(rows: list[ServiceRow]) -> list[Finding]:
    """A warning per table whose top-level item numbers skip (1, 2, 4 → 3 missing) with
    no row in the gap that could be the missing one (a number misread by OCR, a row
    printed without its number): only rows that are not there count as not read."""
    findings: list[Finding] = []
    by_table: dict[int, list[ServiceRow]] = {}
    for row in rows:
        if row.source == "table":
            by_table.setdefault(row.table_index, []).append(row)
    for table_rows in by_table.values():
        missing: list[int] = []
        highest, unnumbered = 0, 0
        for row in table_rows:
            item = row.item_in_doc or ""
            if "." in item:
                continue  # a sub-item (13.1) belongs to its group
            number = int(item) if _TOP_LEVEL_ITEM.match(item) else None
            if number is None or number <= highest:
                unnumbered += 1  # may be the row whose number is missing
                continue
            gap = list(range(highest + 1, number)) if highest else []
            if len(gap) > unnumbered and len(gap) <= 10:
                missing.extend(gap)
            highest, unnumbered = number, 0
        if missing:
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code="rows_not_read",
                    message=(
                        f"table numbering skips item {', '.join(map(str, missing))}: "
                        "rows printed there were not read"
                    ),
                    page=table_rows[0].page,
                    context=" | ".join(r.item_in_doc or "–" for r in table_rows),
                )
            )
    return findings
