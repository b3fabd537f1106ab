"""Per-file extraction as Ray tasks: a local Ray instance, or an existing cluster.

Each file travels to its task as bytes (the cluster needs no shared filesystem) and is
read there by the same ``workers.extract_file`` the local pool runs; results come back
to the one database writer in input order. Limits hold on the workers: the timeout by
the task's own SIGALRM, and from the driver for work stuck in C code (the task is
cancelled); memory by a ``Watchdog`` inside the task, which stops its process tree past
``--max-memory``; the page and size caps are in the readers. A task whose worker process
dies (killed, out of memory) is run once more, then its file fails with the reason.

Ray is an optional extra (``pip install 'dean06[ray]'``): nothing imports this module
unless ``--executor ray`` is asked for.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dean06.errors import RayUnavailable
from dean06.schemas import ReportResult
from dean06.settings import ExtractSettings
from dean06.watchdog import GRACE_SECONDS, Watchdog
from dean06.workers import WORKER_DIED, extract_file, failed_result

INSTALL_HINT = "--executor ray needs Ray: pip install 'dean06[ray]' (or make install)"
RETRIES = 1  # a task whose worker died is run once more
STUCK_GRACE = 30.0  # seconds past --timeout (and the task's own alarm) before cancelling
POLL_SECONDS = 0.5


def run_on_ray(
    paths: list[Path],
    settings: ExtractSettings,
    workers: int,
    timeout: float | None,
    max_memory: int | None = None,
    address: str | None = None,
) -> Iterator[tuple[Path, ReportResult]]:
    """Results in input order, each file read by a Ray task (``address``: a cluster's,
    else ``RAY_ADDRESS``, else a local instance of ``workers`` CPUs on loopback)."""
    ray = _ray()
    started_here = not ray.is_initialized()
    if started_here:
        _connect(ray, address or os.environ.get("RAY_ADDRESS"), workers)
    try:
        yield from _run(ray, paths, settings, timeout, max_memory)
    finally:
        if started_here:
            ray.shutdown()


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise RayUnavailable(INSTALL_HINT) from exc
    return ray


def _connect(ray: Any, address: str | None, workers: int) -> None:
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": "ERROR",
        "configure_logging": False,
    }
    if address:
        options["address"] = address
    else:  # a local instance, reachable from this machine only
        options.update(num_cpus=max(workers, 1), _node_ip_address="127.0.0.1")
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a local instance"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise RayUnavailable(f"cannot start Ray on {where} ({first})") from exc


def _run(
    ray: Any,
    paths: list[Path],
    settings: ExtractSettings,
    timeout: float | None,
    max_memory: int | None,
) -> Iterator[tuple[Path, ReportResult]]:
    task = ray.remote(max_retries=RETRIES, retry_exceptions=False)(_extract_bytes)
    window = max(int(ray.cluster_resources().get("CPU", 1)), 1) * 2
    queue = deque(paths)
    pending: deque[tuple[Path, Any, float]] = deque()
    try:
        while queue or pending:
            while queue and len(pending) < window:
                path = queue.popleft()
                pending.append((path, _submit(ray, task, path, settings, timeout, max_memory),
                                time.monotonic()))  # fmt: skip
            path, ref, submitted = pending.popleft()
            yield path, _result(ray, path, ref, submitted, timeout)
    except BaseException:  # Ctrl-C or the caller stopped: cancel what is still running
        for _, ref, _ in pending:
            ray.cancel(ref, force=True)
        raise


def _submit(
    ray: Any,
    task: Any,
    path: Path,
    settings: ExtractSettings,
    timeout: float | None,
    max_memory: int | None,
) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        message = f"{path.name}: cannot read ({exc.strerror or exc})"
        return ray.put(failed_result(path, message, "unreadable"))
    source = str(path.resolve())
    return task.remote(path.name, data, source, settings, timeout, max_memory)


def _result(
    ray: Any, path: Path, ref: Any, submitted: float, timeout: float | None
) -> ReportResult:
    """The task's result; a failure saying why when its worker died twice or it was
    stuck past the timeout (then it is cancelled)."""
    from ray.exceptions import GetTimeoutError, RayError, TaskCancelledError

    limit = None if not timeout else timeout + GRACE_SECONDS + STUCK_GRACE
    while True:
        waited = None if limit is None else max(limit - (time.monotonic() - submitted), 0.1)
        try:
            result: ReportResult = ray.get(ref, timeout=waited)
            return result
        except GetTimeoutError:
            ray.cancel(ref, force=True)
            message = f"{path.name}: took longer than {timeout:g} s (--timeout); stopped on Ray"
            return failed_result(path, message, "timeout")
        except TaskCancelledError:
            return failed_result(path, f"{path.name}: cancelled on Ray", "timeout")
        except RayError as exc:  # the worker died (killed, out of memory) on every try
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            message = (
                f"{path.name}: worker died while reading it, {RETRIES + 1} times on Ray "
                f"(killed, out of memory or over --max-memory: {first[:160]})"
            )
            return failed_result(path, message, WORKER_DIED)


def _extract_bytes(
    name: str,
    data: bytes,
    source: str,
    settings: ExtractSettings,
    timeout: float | None,
    max_memory: int | None,
) -> ReportResult:
    """A Ray task: the file's bytes written to the worker's own temporary folder, read
    by ``extract_file`` under a watchdog of this process's memory."""
    with tempfile.TemporaryDirectory(prefix="dean06-ray-") as folder:
        ledger = Path(folder) / "ledger"
        ledger.mkdir()
        path = Path(folder) / name
        path.write_bytes(data)
        note = ledger / str(os.getpid())
        note.write_text(str(path), "utf-8")
        with Watchdog(ledger, max_memory or None, None):
            result = extract_file(path, settings, timeout)
        note.unlink(missing_ok=True)
    result.source_path = source
    return result
