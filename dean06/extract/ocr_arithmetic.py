"""OCR readings corrected by the report's own arithmetic.

A scanned row whose counts break its arithmetic (rate = online / total, on time + overdue
= online, …) most often holds one misread cell: "1.318" read "1", "212" read "2". Its
count cells are read again in other ways (``cells.reread_cells``) and the readings that
make the row hold are kept: the fewest cells changed, then the readings most variants
agree on. Nothing is changed when no set of readings makes the row hold, or when two
different ones do equally well.

A count cell with ink that OCR read as nothing, or as no number ("5%" under "Quá hạn"),
takes the value the row's other counts give it (direct + online = total, on time +
overdue = online) when every such relation gives the same value and the row then holds
(a count two sums give alike is kept even where a stamp's ink left another count unread
or the rate misread); its readings again only say whether they agree (a blank holds
every check, and a stamp's or the paper's specks read for digits give some). A count
read as a number is never replaced by what the arithmetic gives: only by another reading
of the cell.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import combinations, product

from dean06.extract.cells import CellText
from dean06.normalize.consistency import RowChecker
from dean06.normalize.headers import Role
from dean06.normalize.numbers import format_vn_int, is_blank, parse_vn_int, parse_vn_percent
from dean06.normalize.text import clean_ocr_cell
from dean06.schemas.document import OcrCorrection

MAX_CHANGED_CELLS = 2
MAX_OPTIONS_PER_CELL = 4
_CONFIRMING_RELATIONS = 2  # sums that give a count alike: it stands whatever else is unread
_RATE_CODES = frozenset({"rate_mismatch", "percent_over_100"})
_PRINTED_RATES = 3  # rates a table prints at least for the way it prints them to be known
# The sums a row's counts make: total = direct + online, online = on time + overdue.
_SUMS = ((Role.TOTAL, (Role.DIRECT, Role.ONLINE)), (Role.ONLINE, (Role.ON_TIME, Role.OVERDUE)))
# Each count as the others of a sum give it: (the count, [(sign, term), …]).
_GIVEN_BY = tuple((whole, [(1, a), (1, b)]) for whole, (a, b) in _SUMS) + tuple(
    (part, [(1, whole), (-1, other)])
    for whole, parts in _SUMS
    for part, other in (parts, parts[::-1])
)
# Readings of a row's count cells, each (variant, reading), by column.
Rereader = Callable[[list[tuple[int, int]]], dict[tuple[int, int], list[tuple[str, CellText]]]]


def correct_rows(
    texts: list[list[str]],
    confidence: list[list[float | None]],
    checker: RowChecker,
    reread: Rereader,
    unread: frozenset[tuple[int, int]] = frozenset(),
) -> list[OcrCorrection]:
    """Correct ``texts`` (and ``confidence``) in place; the corrections made. ``unread``:
    the (row, column) of count cells with ink that OCR read as nothing."""
    body = range(checker.depth, len(texts))
    failing = {index: checker.broken(texts[index]) for index in body}
    failing = {index: codes for index, codes in failing.items() if codes}
    counts = checker.count_columns
    suspects = {
        index: [c for c in counts if _unread(texts[index], c, (index, c) in unread)]
        for index in body
    }
    suspects = {index: columns for index, columns in suspects.items() if columns}
    if not failing and not suspects:
        return _with_rates_given(texts, confidence, checker, unread, [])
    cells = [
        (index, column)
        for index in failing
        for column in checker.value_columns
        if column < len(texts[index])
    ]
    cells += [(i, c) for i, columns in suspects.items() if i not in failing for c in columns]
    readings = reread(cells)
    corrections: list[OcrCorrection] = []
    for index in sorted(failing.keys() | suspects.keys()):
        codes = failing.get(index, set())
        columns = checker.value_columns if codes else suspects[index]
        options = {
            column: readings.get((index, column), [])
            + _rates_with_comma(texts[index], column, checker)
            for column in columns
            if column < len(texts[index])
        }
        found = _row_choice(texts[index], codes, suspects.get(index, []), options, checker)
        if found is None:
            continue
        for column, (value, rule) in found.items():
            readings_of_cell = options.get(column, [])
            candidates = _distinct([texts[index][column]] + [_text(r) for _, r in readings_of_cell])
            corrections.append(
                OcrCorrection(
                    row=index,
                    column=column,
                    raw=texts[index][column],
                    value=value,
                    candidates=candidates,
                    rule=rule,
                )
            )
            agreeing = [r.confidence for _, r in readings_of_cell if _text(r) == value]
            texts[index][column] = value
            confidence[index][column] = min((c for c in agreeing if c is not None), default=None)
    return _with_rates_given(texts, confidence, checker, unread, corrections)


def _with_rates_given(
    texts: list[list[str]],
    confidence: list[list[float | None]],
    checker: RowChecker,
    unread: frozenset[tuple[int, int]],
    corrections: list[OcrCorrection],
) -> list[OcrCorrection]:
    """``corrections`` and the rates given (``_rates_given``), made in place: not in a
    row whose counts were corrected (a rate from a count read again is a guess on a
    guess)."""
    corrected = {correction.row for correction in corrections}
    for correction in _rates_among_specks(texts, checker):
        texts[correction.row][correction.column] = correction.value
        corrections.append(correction)
    for correction in _rates_given(texts, checker, unread):
        if correction.row in corrected:
            continue
        texts[correction.row][correction.column] = correction.value
        confidence[correction.row][correction.column] = None
        corrections.append(correction)
    return corrections


def _rates_among_specks(texts: list[list[str]], checker: RowChecker) -> list[OcrCorrection]:
    """Rate cells read as one rate among specks ("1 58,82% 4": a stamp's ring, a fleck of
    toner read as digits beside it): the rate, where the row holds with it."""
    rates = checker.roles.get(Role.RATE, [])
    found: list[OcrCorrection] = []
    for index in range(checker.depth, len(texts)):
        cells = texts[index]
        for column in (c for c in rates if c < len(cells)):
            raw = cells[column]
            if parse_vn_percent(raw) is not None:
                continue
            tokens = raw.split()
            rates_read = [t for t in tokens if _RATE_TOKEN.match(t)]
            specks = [t for t in tokens if not _RATE_TOKEN.match(t)]
            if len(rates_read) != 1 or not specks or any(len(t) > _SPECK_CHARS for t in specks):
                continue
            trial = [rates_read[0] if i == column else c for i, c in enumerate(cells)]
            if checker.broken(trial):
                continue
            rule = f"read '{raw}': the rate '{rates_read[0]}' among specks; the row holds with it"
            found.append(
                OcrCorrection(
                    row=index, column=column, raw=raw, value=rates_read[0],
                    candidates=[raw, rates_read[0]], rule=rule,
                )
            )  # fmt: skip
    return found


def _rates_given(
    texts: list[list[str]], checker: RowChecker, unread: frozenset[tuple[int, int]]
) -> list[OcrCorrection]:
    """Rate cells OCR read as nothing though they hold ink, or as no number, in rows whose
    total and online counts read: the rate those give, printed as the column prints its
    other rates (decimals, "%"), where the row then holds. A table that prints fewer
    than ``_PRINTED_RATES`` rates tells no way of printing them: none is given."""
    place = _places(checker)
    column = place.get(Role.RATE)
    if column is None or Role.TOTAL not in place or Role.ONLINE not in place:
        return []
    body = range(checker.depth, len(texts))
    printed = [
        texts[i][column].strip()
        for i in body
        if column < len(texts[i]) and parse_vn_percent(texts[i][column]) is not None
    ]
    if len(printed) < _PRINTED_RATES:
        return []
    decimals = Counter(_decimals(text) for text in printed).most_common(1)[0][0]
    sign = "%" if sum(text.endswith("%") for text in printed) * 2 > len(printed) else ""
    given: list[OcrCorrection] = []
    for index in body:
        cells = texts[index]
        if column >= len(cells):
            continue
        raw = cells[column]
        inked_blank = (index, column) in unread and not raw.strip()
        if not (inked_blank or (raw.strip() and parse_vn_percent(raw) is None)):
            continue
        total, online = _count_at(cells, place[Role.TOTAL]), _count_at(cells, place[Role.ONLINE])
        if not total or online is None or online > total:
            continue
        value = f"{100 * online / total:.{decimals}f}".replace(".", ",") + sign
        if checker.broken([value if i == column else c for i, c in enumerate(cells)]):
            continue
        rule = f"the rate read as no number; the row's online {online} of {total} give {value}"
        given.append(
            OcrCorrection(
                row=index, column=column, raw=raw, value=value, candidates=[raw, value], rule=rule
            )
        )
    return given


def _decimals(rate: str) -> int:
    """Digits after the decimal comma of a printed rate ("93,68%" → 2)."""
    number = rate.rstrip("%. ").strip()
    return len(number.split(",", 1)[1]) if "," in number else 0


def _row_choice(
    cells: list[str],
    codes: set[str],
    unread_columns: list[int],
    options: dict[int, list[tuple[str, CellText]]],
    checker: RowChecker,
) -> dict[int, tuple[str, str]] | None:
    """The values kept for one row's cells, each with the rule that chose it: readings
    that make a broken row hold, else the unread counts the row's other counts give (a
    blank holds every check, so a reading alone is not enough for one)."""
    split = _counts_of_two_cells(cells, options, checker)
    if split:
        return split
    if codes:
        chosen = _consistent_choice(cells, options, checker)
        if chosen is not None:
            broke = f"with the first reading the row broke {', '.join(sorted(codes))}"
            return {c: (v, f"{broke}; with '{v}' it holds") for c, v in chosen.items()}
    specked = {c: count for c in unread_columns if (count := _count_before_speck(cells[c]))}
    trial = [specked.get(index, cell) for index, cell in enumerate(cells)]
    left = [c for c in unread_columns if c not in specked]
    given = _given_by_the_row(trial, left, checker) if left else {}
    if given is None or (
        specked and checker.broken([given.get(i, c) for i, c in enumerate(trial)])
    ):
        return None
    rules = {
        column: (count, f"read '{cells[column]}': the count '{count}' with a speck after it, "
                        "and the row holds with it")
        for column, count in specked.items()
    }  # fmt: skip
    for column, value in given.items():
        readings = options.get(column, [])
        read = any(parse_vn_int(_text(r)) == parse_vn_int(value) for _, r in readings)
        agrees = "a reading of it agrees" if read else "no reading of it does"
        rules[column] = (
            value,
            f"the first reading gave no number; the row's other counts give '{value}' ({agrees})",
        )
    return rules


def _counts_of_two_cells(
    cells: list[str], options: dict[int, list[tuple[str, CellText]]], checker: RowChecker
) -> dict[int, tuple[str, str]]:
    """Two counts read in one cell ("32 0"), at first or read again, beside a count cell
    read blank: the upright between the two cells was lost (faded toner, a stamp) and
    they read as one. Each count goes to its cell when the two are the parts of one of
    the row's sums (on time + overdue = online), the whole is read, and the row holds."""
    counts = set(checker.count_columns)
    place = _places(checker)
    parts = [
        {place[a], place[b]}
        for whole, (a, b) in _SUMS
        if {whole, a, b} <= place.keys() and _count_at(cells, place[whole]) is not None
    ]
    for column in sorted(counts & options.keys()):
        readings = _distinct([cells[column], *(_text(r) for _, r in options[column])])
        for reading in readings:
            pair = reading.split()
            if len(pair) != 2 or any(parse_vn_int(count) is None for count in pair):
                continue
            for left in (column - 1, column):  # the blank cell on either side
                other = column - 1 if left < column else column + 1
                if {left, left + 1} not in parts or not is_blank(cells[other]):
                    continue
                trial = list(cells)
                trial[left], trial[left + 1] = pair
                if not checker.broken(trial):
                    rule = (f"read '{reading}' in one cell and nothing beside it: two cells "
                            "read as one, and the row holds with a count in each")  # fmt: skip
                    return {left: (pair[0], rule), left + 1: (pair[1], rule)}
    return {}


def _rates_with_comma(
    cells: list[str], column: int, checker: RowChecker
) -> list[tuple[str, CellText]]:
    """A rate read as digits over 100 ("914"): OCR lost its decimal comma, so each place
    the comma may have stood gives a reading ("9,14", "91,4") for the row to choose."""
    digits = cells[column].strip().rstrip("%")
    if column not in checker.roles.get(Role.RATE, []) or not digits.isdigit() or int(digits) <= 100:
        return []
    return [
        ("decimal comma", CellText(f"{digits[:k]},{digits[k:]}", None))
        for k in range(1, len(digits))
    ]


_RATE_TOKEN = re.compile(r"^\d{1,3}(?:,\d{1,2})?%$")  # "58,82%": a rate with its sign
_SPECK_CHARS = 1  # a speck read as one digit or sign beside a rate

_SPECKED_COUNT = re.compile(r"^(\d{1,3}(?:\.\d{3})*)\s+\S{1,2}$")  # "5.058 t", "6 £"


def _count_before_speck(text: str) -> str | None:
    """The count of a reading that ends with a speck read as a letter or a sign apart
    from it ("5.058 t": a stamp's dot, a fleck of toner), or None."""
    match = _SPECKED_COUNT.match(text.strip())
    return match.group(1) if match and not any(c.isdigit() for c in text.split()[-1]) else None


def _unread(cells: list[str], column: int, inked: bool) -> bool:
    """A count cell read as nothing though it holds ink (``inked``), or read as no number."""
    if column >= len(cells):
        return False
    text = cells[column]
    if is_blank(text):
        return inked and not text.strip()
    return parse_vn_int(text) is None


def _places(checker: RowChecker) -> dict[Role, int]:
    """The column of each role the table has one column for."""
    return {role: found[0] for role, found in checker.roles.items() if len(found) == 1}


def _count_at(cells: list[str], column: int | None) -> int | None:
    return parse_vn_int(cells[column]) if column is not None and column < len(cells) else None


def _given_by_the_row(
    cells: list[str], columns: list[int], checker: RowChecker
) -> dict[int, str] | None:
    """The unread counts the row's other counts give, one after another (online = total
    − direct, then overdue = online − on time), each where every relation that gives it
    agrees, and the row then holds; None when one is left that nothing gives (a count no
    sum has, the direct results, stays unread whatever the others give). A count
    that two relations give alike (total − direct = on time + overdue) is given even
    when other unread counts are left, or the rate, read under the same ink, still
    breaks the row."""
    place = _places(checker)
    summed = {place[role] for role, _ in _GIVEN_BY if role in place}
    trial, given, relations = list(cells), {}, []
    left = [column for column in columns if column in summed]  # no sum has the others
    while left:
        found = next(((c, v) for c in left if (v := _one_value(trial, c, place))), None)
        if found is None:
            break
        column, (value, agreeing) = found
        given[column] = trial[column] = format_vn_int(value)
        relations.append(agreeing)
        left.remove(column)
    if not given:
        return None
    broken = checker.broken(trial)
    if not left and not broken:
        return given
    confirmed = min(relations) >= _CONFIRMING_RELATIONS
    return given if confirmed and broken <= _RATE_CODES else None


def _one_value(cells: list[str], column: int, place: dict[Role, int]) -> tuple[int, int] | None:
    """The one value, not negative, that every sum with the other counts gives ``column``,
    with the number of sums that give it."""
    values: list[int] = []
    for role, addends in _GIVEN_BY:
        if place.get(role) != column:
            continue
        terms = [(sign, _count_at(cells, place.get(addend))) for sign, addend in addends]
        if all(value is not None for _, value in terms):
            values.append(sum(sign * (value or 0) for sign, value in terms))
    if len(set(values)) != 1 or values[0] < 0:
        return None
    return values[0], len(values)


def _consistent_choice(
    cells: list[str],
    options: dict[int, list[tuple[str, CellText]]],
    checker: RowChecker,
) -> dict[int, str] | None:
    """The fewest cell changes that make the row hold, by the readings' votes."""
    alternatives = {}
    for column, found in options.items():
        votes = Counter(_text(reading) for _, reading in found)
        votes.pop(cells[column], None)
        votes.pop("", None)  # a blank holds no check: it would "fix" any row
        votes = Counter({t: n for t, n in votes.items() if _gives_a_value(t, column, checker)})
        ranked = [text for text, _ in votes.most_common(MAX_OPTIONS_PER_CELL)]
        if ranked:
            alternatives[column] = [(text, votes[text]) for text in ranked]
    for changed in range(1, MAX_CHANGED_CELLS + 1):
        consistent: list[tuple[int, dict[int, str]]] = []
        for columns in combinations(sorted(alternatives), changed):
            for picks in product(*(alternatives[c] for c in columns)):
                trial = list(cells)
                for column, (text, _) in zip(columns, picks, strict=True):
                    trial[column] = text
                if not checker.broken(trial):
                    votes = sum(count for _, count in picks)
                    consistent.append(
                        (votes, dict(zip(columns, (t for t, _ in picks), strict=True)))
                    )
        if consistent:
            consistent.sort(key=lambda found: -found[0])
            if len(consistent) > 1 and consistent[0][0] == consistent[1][0]:
                return None  # two readings hold equally well: the arithmetic cannot choose
            return consistent[0][1]
    return None


def _gives_a_value(text: str, column: int, checker: RowChecker) -> bool:
    """A reading that gives no number holds no check either ("676 2" for a rate): it
    would "fix" any row, as a blank would."""
    if column in checker.count_columns:
        return parse_vn_int(text) is not None
    if column in checker.roles.get(Role.RATE, []):
        return parse_vn_percent(text) is not None
    return True


def _text(reading: CellText) -> str:
    return clean_ocr_cell(reading.text)


def _distinct(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))
