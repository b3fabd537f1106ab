"""OCR readings corrected by the report's own arithmetic.

A scanned row whose counts break its arithmetic (rate = online / total, on time + overdue
= online, …) most often holds one misread cell: "1.318" read "1", "212" read "2". Its
count cells are read again in other ways (``cells.reread_cells``) and the readings that
make the row hold are kept: the fewest cells changed, then the readings most variants
agree on. Nothing is changed when no set of readings makes the row hold, or when two
different ones do equally well.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import combinations, product

from dean06.extract.cells import CellText
from dean06.normalize.consistency import RowChecker
from dean06.normalize.text import clean_ocr_cell
from dean06.schemas.document import OcrCorrection

MAX_CHANGED_CELLS = 2
MAX_OPTIONS_PER_CELL = 4
# Readings of a row's count cells, each (variant, reading), by column.
Rereader = Callable[[list[tuple[int, int]]], dict[tuple[int, int], list[tuple[str, CellText]]]]


def correct_rows(
    texts: list[list[str]],
    confidence: list[list[float | None]],
    checker: RowChecker,
    reread: Rereader,
) -> list[OcrCorrection]:
    """Correct ``texts`` (and ``confidence``) in place; the corrections made."""
    body = range(checker.depth, len(texts))
    failing = {index: checker.broken(texts[index]) for index in body}
    failing = {index: codes for index, codes in failing.items() if codes}
    if not failing:
        return []
    cells = [
        (index, column)
        for index in failing
        for column in checker.value_columns
        if column < len(texts[index])
    ]
    readings = reread(cells)
    corrections: list[OcrCorrection] = []
    for index, codes in failing.items():
        options = {
            column: readings.get((index, column), [])
            for column in checker.value_columns
            if column < len(texts[index])
        }
        chosen = _consistent_choice(texts[index], options, checker)
        if chosen is None:
            continue
        rule = "with the first reading the row broke " + ", ".join(sorted(codes))
        for column, value in chosen.items():
            candidates = _distinct([texts[index][column]] + [_text(r) for _, r in options[column]])
            corrections.append(
                OcrCorrection(
                    row=index,
                    column=column,
                    raw=texts[index][column],
                    value=value,
                    candidates=candidates,
                    rule=f"{rule}; with '{value}' it holds",
                )
            )
            agreeing = [r.confidence for _, r in options[column] if _text(r) == value]
            texts[index][column] = value
            confidence[index][column] = min((c for c in agreeing if c is not None), default=None)
    return corrections


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


def _text(reading: CellText) -> str:
    return clean_ocr_cell(reading.text)


def _distinct(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))
