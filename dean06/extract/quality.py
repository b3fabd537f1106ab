"""How cleanly a table grid reads: the score used to choose between table engines.

An engine that misses a rule merges two cells, and one cell then holds two counts
("12 34") or a count glued to words; an engine that splits text wrongly leaves a name
in one-letter shreds. The score is the share of filled cells free of both faults, over
the body of the table (the rows below the first one holding a count).
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?%?$|^\d+(?:[.,]\d+)?%?$")
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 1.234.567, thousands grouped
_MARKS = {"x", "X", "✓", "✔", "-", "–"}
MIN_COLUMNS = 3


def grid_quality(rows: list[list[str]]) -> float:
    """0 to 1: the share of the body's filled cells that read as one value. A grid of
    fewer than two rows or ``MIN_COLUMNS`` columns, or without any count, scores 0."""
    width = max((len(row) for row in rows), default=0)
    if len(rows) < 2 or width < MIN_COLUMNS:
        return 0.0
    first_body = next((i for i, row in enumerate(rows) if any(_is_count(c) for c in row)), None)
    if first_body is None:
        return 0.0
    body = rows[first_body:]
    numeric = _numeric_columns(body, width)
    clean = dirty = 0
    for row in body:
        for column, cell in enumerate(row):
            text = cell.strip()
            if not text:
                continue
            if _reads_clean(text, column in numeric):
                clean += 1
            else:
                dirty += 1
    return clean / (clean + dirty) if clean + dirty else 0.0


def _numeric_columns(body: list[list[str]], width: int) -> set[int]:
    found = set()
    for column in range(width):
        filled = [r[column].strip() for r in body if column < len(r) and r[column].strip()]
        numbers = sum(t in _MARKS or all(_is_count(part) for part in t.split()) for t in filled)
        if filled and numbers >= 0.5 * len(filled):
            found.add(column)
    return found


def _reads_clean(text: str, numeric_column: bool) -> bool:
    tokens = text.split()
    if numeric_column:
        # one value; a merged-away rule leaves two ("12 34"); a long phrase (a note
        # merged across the count columns) is read as text
        # wrapped digits ("281.36 8") are one value too
        return (
            len(tokens) == 1
            or bool(_GROUPED.match("".join(tokens)))
            or not any(_is_count(t) for t in tokens)
        )
    letters = [t for t in tokens if any(ch.isalpha() for ch in t)]
    shreds = [t for t in letters if len(t) == 1 and t.lower() not in _SHORT_WORDS]
    return len(shreds) <= max(1, len(letters) // 5)


def _is_count(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


_SHORT_WORDS = {"x", "&", "a", "b", "c", "d", "i", "v", "–", "-"}
