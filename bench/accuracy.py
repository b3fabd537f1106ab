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
from dean06.evaluate import Score, load_truth, score, total
from dean06.pipeline import process_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FOLDERS = [ROOT.parent / "shared" / "corpus", ROOT / "tests" / "data" / "corpus"]
KINDS = {".txt": "text", ".docx": "docx", ".pdf": "pdf"}
FORMS = {  # file name endings → input form, most specific first
    ".layout.txt": "layout",
    ".collapsed.txt": "collapsed",
    ".borderless.pdf": "borderless",
    ".scan.pdf": "scan",
    ".hard.pdf": "hard-scan",
    ".txt": "text",
    ".docx": "docx",
    ".pdf": "pdf",
}


def kind_of(path: Path) -> str:
    """The input form of a scored document (``family-`` for generated ones)."""
    form = next(form for ending, form in FORMS.items() if path.name.endswith(ending))
    return f"family-{form}" if path.name.startswith("family_") else form


def corpus_converter_texts(folders: list[Path], out: Path) -> list[Path]:
    """``pdftotext -layout`` and collapsed renderings of the corpus text PDFs, each with
    its truth beside it."""
    import shutil

    from tests.converters import write_converter_texts

    written = []
    for folder in folders:
        for pdf in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
            stem = pdf.name.split(".")[0]
            truth = folder / f"{stem}.json"
            if pdf.name != f"{stem}.pdf" or not truth.exists() or (out / truth.name).exists():
                continue
            shutil.copy(truth, out / truth.name)
            written += write_converter_texts(pdf, out / stem)
    return written


def hard_scans(folders: list[Path], out: Path) -> list[Path]:
    """Hard scans (tests/hard_scan.py: 150 dpi, skew, uneven toner, noise, JPEG 35, a
    stamp over a table) of the text PDFs in ``folders``, each with its truth beside it."""
    import shutil

    from tests.hard_scan import make_hard_scan

    written = []
    for folder in folders:
        for pdf in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
            stem = pdf.name.split(".")[0]
            truth = folder / f"{stem}.json"
            target = out / f"{stem}.hard.pdf"
            if pdf.name != f"{stem}.pdf" or not truth.exists() or target.exists():
                continue
            if not (out / truth.name).exists():
                shutil.copy(truth, out / truth.name)
            written.append(make_hard_scan(pdf, target))
    return written


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
            if kind_of(path).endswith(("scan", "hard-scan")) and not include_scans:
                continue
            seen.add(path.name)
            found.append(path)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--scans", action="store_true",
                        help="also score scans, and hard scans of the text PDFs")  # fmt: skip
    parser.add_argument("--family", type=int, default=0, metavar="N",
                        help="also generate and score N reports of the test family")  # fmt: skip
    parser.add_argument("--first-seed", type=int, default=100, metavar="S",
                        help="first family seed (another range: unseen reports)")  # fmt: skip
    parser.add_argument("--no-converter-text", action="store_true",
                        help="do not score layout and collapsed converter text")  # fmt: skip
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="dean06-accuracy-")  # removed at exit
    if not args.no_converter_text:
        converted = Path(scratch.name) / "converted"
        converted.mkdir()
        corpus_converter_texts(args.folders, converted)
        args.folders = [*args.folders, converted]
    if args.family:
        from tests.family import FORMS, generate

        family = Path(scratch.name) / "family"
        forms = FORMS if not args.no_converter_text else ("pdf", "docx", "tab")
        generate(family, args.family, first_seed=args.first_seed, forms=forms)
        args.folders = [*args.folders, family]
    if args.scans:
        hard = Path(scratch.name) / "hard"
        hard.mkdir()
        hard_scans(args.folders, hard)
        args.folders = [*args.folders, hard]
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
