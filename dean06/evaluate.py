"""Score an extraction against a hand-checked ground-truth file (corpus README format)."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dean06.normalize.text import vn_key
from dean06.schemas import ReportResult

CELL_FIELDS = ("total", "online", "rate_pct", "on_time", "overdue", "connected", "not_applicable")


@dataclass
class Score:
    cells: int = 0
    cells_ok: int = 0
    rows: int = 0
    ids_ok: int = 0
    ids_wrong: int = 0
    figures_gold: int = 0
    figures_found: int = 0
    figures_ok: int = 0
    locality_ok: bool = False
    period_ok: bool = False
    kinds: int = 0  # rows whose truth gives a row kind
    kinds_ok: int = 0
    agencies: int = 0  # rows whose truth gives an agency
    agencies_ok: int = 0
    printed_rows: int | None = None  # every printed row of the DVC tables (truth)
    printed_found: int = 0
    reports: int = 1
    localities_ok: int = 0
    periods_ok: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def cell_accuracy(self) -> float:
        return self.cells_ok / self.cells if self.cells else 1.0

    @property
    def id_accuracy(self) -> float:
        return self.ids_ok / self.rows if self.rows else 1.0

    @property
    def figure_precision(self) -> float:
        return self.figures_ok / self.figures_found if self.figures_found else 1.0

    @property
    def figure_recall(self) -> float:
        return self.figures_ok / self.figures_gold if self.figures_gold else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "cell_accuracy": round(self.cell_accuracy, 4),
            "cells": self.cells,
            "service_id_accuracy": round(self.id_accuracy, 4),
            "rows": self.rows,
            "wrong_ids": self.ids_wrong,
            "figure_precision": round(self.figure_precision, 4),
            "figure_recall": round(self.figure_recall, 4),
            "figures": self.figures_gold,
            "locality_ok": self.locality_ok,
            "period_ok": self.period_ok,
            "localities": f"{self.localities_ok}/{self.reports}",
            "periods": f"{self.periods_ok}/{self.reports}",
            "row_kinds": f"{self.kinds_ok}/{self.kinds}",
            "agencies": f"{self.agencies_ok}/{self.agencies}",
            "printed_rows": f"{self.printed_found}/{self.printed_rows}",
        }


def load_truth(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def score(result: ReportResult, truth: dict[str, Any]) -> Score:
    out = Score()
    _score_rows(result, truth["dvc_rows"], out)
    _score_figures(result, truth["figures"], out)
    locality, report = truth["locality"], truth["report"]
    out.locality_ok = (result.meta.locality_name, result.meta.locality_level) == (
        locality["name"],
        locality["level"],
    )
    out.period_ok = (
        result.meta.period_label == report["period_label"]
        and str(result.meta.period_start) == str(report["period_start"])
        and str(result.meta.period_end) == str(report["period_end"])
        and report.get("period_kind", result.meta.period_kind) == result.meta.period_kind
    )
    if not out.locality_ok:
        out.misses.append(f"locality {result.meta.locality_level} {result.meta.locality_name}")
    if not out.period_ok:
        meta = result.meta
        out.misses.append(
            f"period {meta.period_label} {meta.period_start}…{meta.period_end} {meta.period_kind}"
        )
    if "printed_rows" in truth:
        out.printed_rows = truth["printed_rows"]
        out.printed_found = len(result.services) + len(result.headings) + len(result.totals)
    return out


def _score_rows(result: ReportResult, gold: list[dict[str, Any]], out: Score) -> None:
    found = [row for row in result.services if row.source == "table"]
    matcher = difflib.SequenceMatcher(
        a=[vn_key(g["name_in_doc"]) for g in gold],
        b=[vn_key(r.name_in_doc) for r in found],
        autojunk=False,
    )
    aligned: dict[int, int] = {}
    for opcode, a0, a1, b0, b1 in matcher.get_opcodes():
        if opcode in ("equal", "replace"):
            for offset in range(min(a1 - a0, b1 - b0)):
                aligned[a0 + offset] = b0 + offset
    for index, expected in enumerate(gold):
        out.rows += 1
        out.cells += len(CELL_FIELDS)
        got = found[aligned[index]] if index in aligned else None
        if got is None:
            out.misses.append(f"row missing: {expected['name_in_doc'][:60]}")
            continue
        expected_id = f"{expected['table']}-{expected['catalogue_item']}"
        if got.service_id == expected_id:
            out.ids_ok += 1
        elif got.service_id is not None:
            out.ids_wrong += 1
            out.misses.append(f"id {got.service_id} ≠ {expected_id}: {got.name_in_doc[:60]}")
        if "row_kind" in expected:
            out.kinds += 1
            if got.row_kind.value == expected["row_kind"]:
                out.kinds_ok += 1
            else:
                out.misses.append(f"{expected_id} row_kind {got.row_kind.value}")
        if expected.get("agency"):
            out.agencies += 1
            if got.agency == expected["agency"]:
                out.agencies_ok += 1
            else:
                out.misses.append(f"{expected_id} agency {got.agency!r} ≠ {expected['agency']!r}")
        for name in CELL_FIELDS:
            if getattr(got, name) == expected[name]:
                out.cells_ok += 1
            else:
                out.misses.append(
                    f"{expected_id} {name}: {getattr(got, name)!r} ≠ {expected[name]!r}"
                )


def _score_figures(result: ReportResult, gold: list[dict[str, Any]], out: Score) -> None:
    expected = Counter((g["numerator"], g["denominator"]) for g in gold)
    found = Counter((f.numerator, f.denominator) for f in result.figures)
    out.figures_gold, out.figures_found = sum(expected.values()), sum(found.values())
    out.figures_ok = sum((expected & found).values())
    out.misses.extend(f"figure missing {a}/{b}" for (a, b) in (expected - found).elements())
    out.misses.extend(f"figure extra {a}/{b}" for (a, b) in (found - expected).elements())


def total(scores: list[Score]) -> Score:
    """The scores of several reports added up (locality and period: right in all)."""
    out = Score(printed_rows=0)
    for s in scores:
        for name in ("cells", "cells_ok", "rows", "ids_ok", "ids_wrong", "figures_gold",
                     "figures_found", "figures_ok", "kinds", "kinds_ok", "agencies",
                     "agencies_ok", "printed_found"):  # fmt: skip
            setattr(out, name, getattr(out, name) + getattr(s, name))
        out.printed_rows = (out.printed_rows or 0) + (s.printed_rows or s.printed_found)
    out.locality_ok = all(s.locality_ok for s in scores)
    out.period_ok = all(s.period_ok for s in scores)
    out.reports = len(scores)
    out.localities_ok = sum(s.locality_ok for s in scores)
    out.periods_ok = sum(s.period_ok for s in scores)
    return out
