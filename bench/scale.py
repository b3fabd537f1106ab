"""Scale benchmark: a synthetic batch of reports through ``dean06 extract`` and bare engines.

Writes N generated reports (tests/family.py: varied layouts, numbers and lengths) as text
PDFs, then prints in one run: pages/s and reports/s end to end with 1 and 2 workers, peak RSS
per worker, the share of time spent loading DuckDB, run time for a fifth of the batch (to
check it grows linearly), and the same pages through bare pypdfium2 text, bare pdfplumber
(open + extract_text + extract_tables) and bare camelot lattice (on a sample) as references,
and the corpus's text and borderless PDFs end to end against bare pdfplumber; then the same
batch on a local Ray instance (1 and 2 workers, the overhead per file), an extract while
another process queries the database every 0.2 s (readers are not locked out), and a
projection of a 10,000-report month on 1, 4 and 16 machines.

    python bench/scale.py [--count 500] [--camelot-sample 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dean06 import store as store_module  # noqa: E402
from dean06.batch import BatchOptions, extract_into  # noqa: E402
from tests.family import draw_report, write_pdf  # noqa: E402


def generate(folder: Path, count: int) -> list[Path]:
    paths = []
    for seed in range(1000, 1000 + count):
        path = folder / f"report_{seed}.pdf"
        write_pdf(draw_report(seed), path)
        paths.append(path)
    return paths


def page_count(paths: list[Path]) -> int:
    return sum(len(pypdfium2.PdfDocument(p)) for p in paths)


def bare_pdfium(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        document = pypdfium2.PdfDocument(path)
        for page in document:
            page.get_textpage().get_text_range()
        document.close()
    return time.perf_counter() - start


def bare_pdfplumber(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
    return time.perf_counter() - start


def bare_camelot(paths: list[Path]) -> float:
    import camelot

    start = time.perf_counter()
    for path in paths:
        camelot.read_pdf(str(path), pages="all", flavor="lattice")
    return time.perf_counter() - start


_REPEATS = 3  # runs of the small corpus batch: the fastest of them is its figure


def corpus_rates(folder: Path) -> dict[str, float]:
    """The corpus's text and borderless PDFs (``tests/data/corpus``), end to end with one
    worker against bare pdfplumber: pages/s of the fastest of ``_REPEATS`` runs."""
    paths = sorted(p for p in (ROOT / "tests" / "data" / "corpus").glob("*.pdf"))
    pages = page_count(paths)
    plumber = min(bare_pdfplumber(paths) for _ in range(_REPEATS))
    ours = min(
        timed_extract(paths, folder, 1, tag=f"corpus{run}")["seconds"] for run in range(_REPEATS)
    )
    return {"pages": pages, "pdfplumber_pages_s": pages / plumber, "dean06_pages_s": pages / ours}


def timed_extract(
    paths: list[Path], folder: Path, workers: int, executor: str = "local", tag: str = ""
) -> dict[str, float]:
    """End to end into a fresh database, with the time spent inside ``Store.load``."""
    database = folder / f"bench_{executor}{tag}_{workers}_{len(paths)}.duckdb"
    loading = 0.0
    original = store_module.Store.load

    def load(self: store_module.Store, *args: object, **kwargs: object) -> None:
        nonlocal loading
        start = time.perf_counter()
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        loading += time.perf_counter() - start

    store_module.Store.load = load  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        options = BatchOptions(workers=workers, timeout=None, executor=executor)
        summary = extract_into(paths, database, options)
        elapsed = time.perf_counter() - start
    finally:
        store_module.Store.load = original  # type: ignore[method-assign]
    assert not summary.failed, [o.message for o in summary.failed]
    return {"seconds": elapsed, "load_seconds": loading}


READER = """
import sys, time
from pathlib import Path
from dean06.review import open_for_reading, run_query
database, stop = Path(sys.argv[1]), Path(sys.argv[2])
answered, waits = 0, []
while not stop.exists():
    if not database.exists():
        time.sleep(0.05)
        continue
    start = time.perf_counter()
    connection = open_for_reading(database, wait=60)
    run_query(connection, "SELECT count(*) AS n FROM v_report_summary")
    connection.close()
    waits.append(time.perf_counter() - start)
    answered += 1
    time.sleep(0.2)
print(answered, max(waits, default=0.0))
"""


def extract_with_readers(paths: list[Path], folder: Path) -> dict[str, float]:
    """1 worker, while another process asks a query every 0.2 s (``dean06 query`` as an
    analyst would): how many it answered, its longest wait, and the extract's time."""
    import subprocess

    stop = folder / "stop-readers"
    database = folder / f"bench_readers_{len(paths)}.duckdb"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(database), str(stop)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    start = time.perf_counter()
    summary = extract_into(paths, database, BatchOptions(workers=1, timeout=None))
    elapsed = time.perf_counter() - start
    stop.touch()
    answered, longest = [*reader.communicate(timeout=120)[0].split(), "0", "0"][:2]
    assert not summary.failed, [o.message for o in summary.failed]
    return {"seconds": elapsed, "answered": float(answered), "longest_wait_s": float(longest)}


def ray_start_seconds() -> float:
    """Starting (and stopping) a local Ray instance of 2 CPUs, paid once per batch."""
    import ray

    start = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
             configure_logging=False, _node_ip_address="127.0.0.1")  # fmt: skip
    ray.shutdown()
    return time.perf_counter() - start


def projection(text_s_per_page: float, scan_s_per_page: float) -> list[str]:
    """Hours a 10,000-report month takes (two thirds text PDFs, one third scans, 15 pages
    each) on 1, 4 and 16 machines of 16 cores, from per-page costs on one core."""
    reports, pages = 10_000, 15
    core_seconds = reports * pages * (2 / 3 * text_s_per_page + 1 / 3 * scan_s_per_page)
    lines = [
        f"projection: 10,000 reports × 15 pages (2/3 text at {text_s_per_page:.3f} s/page, "
        f"1/3 scans at {scan_s_per_page:.2f} s/page, one core each) = "
        f"{core_seconds / 3600:.0f} core-hours"
    ]
    for machines in (1, 4, 16):
        hours = core_seconds / (machines * 16) / 3600
        lines.append(f"  {machines:2d} machine(s) × 16 cores: {hours:6.1f} h")
    return lines


def peak_rss_mb() -> tuple[float, float]:
    """(this process, the largest child) in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--camelot-sample", type=int, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--scan-json", type=Path, help="bench/ocr.py's figures: the OCR cost "
                        "per page for the projection (4.6 s/page when absent)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        paths = generate(folder, args.count)
        pages = page_count(paths)
        fifth = paths[: max(args.count // 5, 1)]
        fifth_pages = page_count(fifth)
        figures: dict[str, float] = {"reports": len(paths), "pages": pages}
        figures["pdfium_s"] = bare_pdfium(paths)
        figures["pdfplumber_s"] = bare_pdfplumber(paths)
        sample = paths[: args.camelot_sample]
        figures["camelot_sample_pages"] = page_count(sample)
        figures["camelot_s"] = bare_camelot(sample)
        one = timed_extract(paths, folder, 1)
        own_rss, _ = peak_rss_mb()
        two = timed_extract(paths, folder, 2)
        _, child_rss = peak_rss_mb()
        small = timed_extract(fifth, folder, 1)
        ray_one = timed_extract(paths, folder, 1, "ray")
        ray_two = timed_extract(paths, folder, 2, "ray")
        ray_start = ray_start_seconds()
        readers = extract_with_readers(paths, folder)
        corpus = corpus_rates(folder)
    rate = pages / one["seconds"]
    plumber_rate = pages / figures["pdfplumber_s"]
    camelot_rate = figures["camelot_sample_pages"] / figures["camelot_s"]
    print(f"batch: {len(paths)} reports, {pages} pages (text PDFs)")
    print(f"bare pypdfium2 text:            {pages / figures['pdfium_s']:8.1f} pages/s")
    print(f"bare pdfplumber text+tables:    {plumber_rate:8.1f} pages/s")
    print(f"bare camelot lattice (sample):  {camelot_rate:8.1f} pages/s")
    print(
        f"dean06, 1 worker:               {rate:8.1f} pages/s  {len(paths) / one['seconds']:.2f} "
        f"reports/s  ×{rate / plumber_rate:.2f} pdfplumber, ×{rate / camelot_rate:.2f} camelot"
    )
    rate2 = pages / two["seconds"]
    print(
        f"dean06, 2 workers:              {rate2:8.1f} pages/s  {len(paths) / two['seconds']:.2f} "
        f"reports/s  speed-up ×{rate2 / rate:.2f}"
    )
    print(
        f"corpus text + borderless PDFs ({corpus['pages']:.0f} pages, best of {_REPEATS}): "
        f"bare pdfplumber {corpus['pdfplumber_pages_s']:.1f} pages/s, dean06 1 worker "
        f"{corpus['dean06_pages_s']:.1f} pages/s  "
        f"×{corpus['dean06_pages_s'] / corpus['pdfplumber_pages_s']:.2f} pdfplumber"
    )
    print(f"peak RSS: 1 worker (in process) {own_rss:.0f} MB, per pool worker {child_rss:.0f} MB")
    print(f"DuckDB load share: {100 * one['load_seconds'] / one['seconds']:.1f}% (1 worker)")
    per_page_small = small["seconds"] / fifth_pages
    per_page_full = one["seconds"] / pages
    print(
        f"linearity: {len(fifth)} reports {small['seconds']:.1f} s, {len(paths)} reports "
        f"{one['seconds']:.1f} s; s/page {per_page_small:.3f} vs {per_page_full:.3f}"
    )
    for label, run, local in (("1 worker ", ray_one, one), ("2 workers", ray_two, two)):
        overhead = (run["seconds"] - local["seconds"] - ray_start) / len(paths)
        print(
            f"dean06 on Ray, {label}:       {pages / run['seconds']:8.1f} pages/s  "
            f"overhead {1000 * overhead:.1f} ms/file beyond {ray_start:.1f} s to start Ray"
        )
    slower = 100 * (readers["seconds"] / one["seconds"] - 1)
    print(
        f"readers during extract: {readers['answered']:.0f} queries answered (one every 0.2 s),"
        f" longest wait {readers['longest_wait_s']:.2f} s; extract {slower:+.1f}% time"
    )
    scan_figures = args.scan_json if args.scan_json and args.scan_json.exists() else None
    scan_cost = json.loads(scan_figures.read_text())["dean06_s_per_page"] if scan_figures else 4.6
    for line in projection(one["seconds"] / pages, scan_cost):
        print(line)
    if args.json:
        figures.update(
            ray_one_s=ray_one["seconds"],
            ray_two_s=ray_two["seconds"],
            ray_start_s=ray_start,
            readers_s=readers["seconds"],
            readers_answered=readers["answered"],
            readers_longest_wait_s=readers["longest_wait_s"],
            one_worker_s=one["seconds"],
            two_workers_s=two["seconds"],
            load_s=one["load_seconds"],
            fifth_s=small["seconds"],
            fifth_pages=fifth_pages,
            rss_self_mb=own_rss,
            rss_child_mb=child_rss,
            **{f"corpus_{key}": value for key, value in corpus.items()},
        )
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
