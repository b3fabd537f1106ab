"""Accuracy against ground truth: per document and overall, as a table and as JSON.

Reads every document that has a truth file ``<stem>.json`` beside it in the given folders
(default: ../shared/corpus when present, and tests/data/corpus).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from dean06.catalog import Matcher
from dean06.evaluate import Score, load_truth, score
from dean06.pipeline import process_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FOLDERS = [ROOT.parent / "shared" / "corpus", ROOT / "tests" / "data" / "corpus"]
KINDS = {".txt": "text", ".docx": "docx", ".pdf": "pdf"}


def kind_of(path: Path) -> str:
    if path.name.startswith("family_"):
        return f"family-{KINDS[path.suffix]}"
    if path.name.endswith(".borderless.pdf"):
        return "borderless"
    if path.name.endswith(".scan.pdf"):
        return "scan"
    return KINDS[path.suffix]


def documents(folders: list[Path], include_scans: bool) -> list[Path]:
    seen: set[str] = set()
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            truth = folder / f"{path.name.split('.')[0]}.json"
            if path.suffix not in KINDS or not truth.exists() or path.name in seen:
                continue
            if kind_of(path) == "scan" and not include_scans:
                continue
            seen.add(path.name)
            found.append(path)
    return found


def total(scores: list[Score]) -> Score:
    out = Score()
    for s in scores:
        for name in ("cells", "cells_ok", "rows", "ids_ok", "ids_wrong", "figures_gold",
                     "figures_found", "figures_ok"):  # fmt: skip
            setattr(out, name, getattr(out, name) + getattr(s, name))
    out.locality_ok = all(s.locality_ok for s in scores)
    out.period_ok = all(s.period_ok for s in scores)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--scans", action="store_true", help="include image-only scans")
    parser.add_argument("--family", type=int, default=0, metavar="N",
                        help="also generate and score N reports of the test family")  # fmt: skip
    parser.add_argument("--first-seed", type=int, default=100, metavar="S",
                        help="first family seed (another range: unseen reports)")  # fmt: skip
    args = parser.parse_args()
    if args.family:
        from tests.family import generate

        family = Path(tempfile.mkdtemp(prefix="dean06-family-"))
        generate(family, args.family, first_seed=args.first_seed)
        args.folders = [*args.folders, family]
    matcher = Matcher()
    rows, by_kind = [], {}
    header = (
        f"{'document':42} {'cells':>7} {'ids':>7} {'wrong':>5} {'fig P':>6} {'fig R':>6} loc per"
    )
    print(header)
    print("-" * len(header))
    for path in documents(args.folders, args.scans):
        result = score(
            process_file(path, matcher), load_truth(path.parent / f"{path.name.split('.')[0]}.json")
        )
        by_kind.setdefault(kind_of(path), []).append(result)
        rows.append({"document": path.name, "kind": kind_of(path), **result.as_dict()})
        print(_line(path.name, result))
    print("-" * len(header))
    summary = {kind: total(scores) for kind, scores in sorted(by_kind.items())}
    for kind, result in summary.items():
        print(_line(f"[{kind}]", result))
    overall = total([s for scores in by_kind.values() for s in scores])
    print(_line("[overall]", overall))
    if args.json:
        args.json.write_text(json.dumps({
            "documents": rows,
            "kinds": {k: v.as_dict() for k, v in summary.items()},
            "overall": overall.as_dict(),
        }, indent=1, ensure_ascii=False))  # fmt: skip
    return 0


def _line(name: str, s: Score) -> str:
    return (f"{name[:42]:42} {s.cell_accuracy:7.2%} {s.id_accuracy:7.2%} {s.ids_wrong:5d} "
            f"{s.figure_precision:6.1%} {s.figure_recall:6.1%} {'✓' if s.locality_ok else '✗':>3} "
            f"{'✓' if s.period_ok else '✗':>3}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
