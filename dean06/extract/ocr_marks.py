"""Connection marks OCR lost: a thin "✓" or "x" in a scanned cell read as nothing, or as
a letter or two ("Lá", "⁄").

The column tells what such a cell holds: where the connection column's body cells that
OCR did read are marks (beside "Chưa" for the services not yet connected, at most), a
cell with a glyph's ink read as nothing, or read as a short string that is no wording and
no count, holds that column's mark too. Each cell mended so is an ``OcrCorrection``,
reported as an ``ocr_corrected`` finding with its reading.
"""

from __future__ import annotations

from collections import Counter

from dean06.normalize.agencies import names_an_agency
from dean06.normalize.consistency import RowChecker
from dean06.normalize.headers import Role
from dean06.normalize.rows import connection_value, reads_as_tick
from dean06.normalize.text import ascii_key
from dean06.schemas.document import OcrCorrection

MARKS = frozenset({"x", "X", "✓", "✔"})
_MARK_ROLES = (Role.CONNECTED, Role.CONNECTED_YES, Role.CONNECTED_NO)
_MIN_MARKS = 2  # marks read in a column before its lost ones are told by the column
_MAX_STRAY = 3  # letters of a misread mark ("Lá", "LÁ", "⁄")
_RULE = "a column of marks: {reading} where the column's other cells read '{mark}'"


def mend_marks(
    texts: list[list[str]], checker: RowChecker, unread: frozenset[tuple[int, int]]
) -> list[OcrCorrection]:
    """Set, in place, the lost marks of ``texts``' connection columns; the mends made.
    ``unread``: the (row, column) of cells with ink that OCR read as nothing."""
    corrections: list[OcrCorrection] = []
    body = range(checker.depth, len(texts))
    for column in sorted({c for role in _MARK_ROLES for c in checker.roles.get(role, [])}):
        cells = [texts[index][column] if column < len(texts[index]) else "" for index in body]
        ticks = Counter(cell for cell in cells if _tick(cell))
        worded = [cell for cell in cells if not _tick(cell) and connection_value(cell)]
        if sum(ticks.values()) < _MIN_MARKS or len(worded) >= sum(ticks.values()):
            continue
        mark = ticks.most_common(1)[0][0]
        for index in body:
            row = texts[index]
            if column >= len(row) or not _shows_a_mark(row, checker):
                continue
            reading = row[column]
            inked = not reading and (index, column) in unread
            if not (inked or _stray(reading)):
                continue
            corrections.append(
                OcrCorrection(
                    row=index,
                    column=column,
                    raw=reading,
                    value=mark,
                    candidates=[reading],
                    rule=_RULE.format(
                        reading=f"'{reading}'" if reading else "ink read as nothing", mark=mark
                    ),
                )
            )
            row[column] = mark
    return corrections


def _tick(reading: str) -> bool:
    """A mark as OCR read it ("x", "✓", "⁄"): no wording."""
    return (
        bool(reading)
        and connection_value(reading) in (None, True)
        and (reading in MARKS or (connection_value(reading) is None and reads_as_tick(reading)))
    )


def _stray(reading: str) -> bool:
    """A short reading that is no tick, no wording and no count: a mark misread ("Lá")."""
    letters = reading.replace(" ", "")
    return (
        0 < len(letters) <= _MAX_STRAY
        and not _tick(reading)
        and not any(ch.isdigit() for ch in letters)
        and connection_value(reading) is None
    )


def _shows_a_mark(row: list[str], checker: RowChecker) -> bool:
    """A row that prints a mark of its own: a service's with counts, or one with a name
    that is no parent's ("…, cụ thể:", its sub-rows carry the marks), no agency's group
    heading and no heading in capitals (a liên thông component with no counts has its
    mark). A row whose service is not the unit's ("Không thuộc thẩm quyền", its cell
    spanning the marks) has none."""
    if any(ascii_key(cell).startswith("khong thuoc") for cell in row):
        return False
    if any(row[c].strip() for c in checker.value_columns if c < len(row)):
        return True
    names = [row[c].strip() for c in checker.roles.get(Role.SERVICE, []) if c < len(row)]
    name = " ".join(n for n in names if n)
    return bool(name) and not (name.endswith(":") or name.isupper() or names_an_agency(name))
