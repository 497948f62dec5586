"""``workbench run``: plan the runs of a manifest, execute the stale ones in parallel, summarise.

Runs execute on a local process pool (default: one worker per core) or on a
Dask distributed cluster (``--executor dask --scheduler tcp://host:port``).
A run is submitted once every run of the analyses it comes after has
finished; it is then checked again, so a downstream run whose upstream
results did not change is still skipped.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..run_folder import (
    FAILED_DIR,
    PROVENANCE_JSON,
    REPORTS_INDEX,
    RUN_LOCK,
    is_published_name,
    write_atomically,
)
from ..store import Store
from .contract import PUBLIC, check_audience, claim_reports_folder
from .execute import RunOutcome, RunTask, execute_run, prepare_worker, remove_leftovers
from .manifest import Analysis, ManifestError, RunSpec, expand_runs, load_manifest
from .provenance import (
    fingerprint,
    git_commit,
    input_hashes,
    read_provenance,
    run_dir,
    staleness,
    upstream_hashes,
)


@dataclass
class PlannedRun:
    """A run and what the runner decided about it."""

    spec: RunSpec
    action: str  # "run", "skip", "wait" (decided when its upstream runs have finished)
    reason: str
    outcome: RunOutcome | None = None


@dataclass
class RunSummary:
    planned: list[PlannedRun]
    seconds: float
    failures: list[RunOutcome] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for p in self.planned if p.action == action)


def select_analyses(analyses: dict[str, Analysis], patterns: list[str]) -> tuple[dict[str, Analysis], list[str]]:
    """Analyses matching ``--select`` patterns (``name`` or ``name/run-id``, globs allowed), with their upstreams.

    Returns the analyses to plan and the run patterns to keep (``*`` for all).
    """
    if not patterns:
        return analyses, ["*/*"]
    chosen: set[str] = set()
    run_patterns = []
    for pattern in patterns:
        analysis_pattern, _, run_pattern = pattern.partition("/")
        matches = [n for n in analyses if fnmatch.fnmatch(n, analysis_pattern)]
        if not matches:
            raise ManifestError(f"--select {pattern!r} matches no analysis (analyses: {', '.join(analyses)})")
        chosen.update(matches)
        run_patterns += [f"{m}/{run_pattern or '*'}" for m in matches]
    closure = set(chosen)
    todo = list(chosen)
    while todo:
        for upstream in analyses[todo.pop()].after:
            if upstream not in closure:
                closure.add(upstream)
                todo.append(upstream)
                run_patterns.append(f"{upstream}/*")
    return {n: a for n, a in analyses.items() if n in closure}, run_patterns


def plan_runs(
    manifest: Path,
    store: Store,
    reports: Path,
    *,
    select: list[str] | None = None,
    overrides: dict[str, str] | None = None,
    force: bool = False,
    audience: str = PUBLIC,
) -> list[PlannedRun]:
    """Every selected run with its action and the reason; checks all parameters before anything runs.

    ``audience`` goes to every notebook declaring an ``audience`` parameter;
    ``reports`` must hold that audience's runs (:func:`~evaluation.run.contract.claim_reports_folder`).
    """
    check_audience(audience)
    analyses, run_patterns = select_analyses(load_manifest(manifest), select or [])
    sources = sorted({s for a in analyses.values() for s in a.for_each.values()})
    runs = expand_runs(analyses, store.distinct_values(sources), overrides, audience)
    # A run with non-default parameters ("cohort-C1~1a2b3c4d") is selected by its base id too.
    runs = [
        r
        for r in runs
        if any(fnmatch.fnmatch(r.key, p) or fnmatch.fnmatch(r.key.split("~")[0], p) for p in run_patterns)
    ]
    inputs = input_hashes(store, runs)
    planned: list[PlannedRun] = []
    rerun_analyses: set[str] = set()
    for spec in runs:
        if force:
            planned.append(PlannedRun(spec, "run", "--force"))
            continue
        if any(a in rerun_analyses for a in spec.after):
            planned.append(PlannedRun(spec, "wait", "after upstream runs that will run"))
            rerun_analyses.add(spec.analysis)
            continue
        reason = staleness(
            read_provenance(reports, spec), fingerprint(spec, inputs[spec.key], upstream_hashes(reports, spec, runs))
        )
        if reason is None:
            planned.append(PlannedRun(spec, "skip", "up to date"))
        else:
            planned.append(PlannedRun(spec, "run", reason))
            rerun_analyses.add(spec.analysis)
    return planned


class LocalExecutor:
    """A pool of worker processes on this machine; each worker keeps its imports between runs."""

    def __init__(self, jobs: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers do not inherit the parent's threads (rich's live display).
        # Workers are children of the forkserver, not of this process: each watches this process's pid.
        self.pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=prepare_worker,
            initargs=(os.getpid(),),
        )

    def submit(self, task: RunTask, done: Callable[[Any], None]) -> None:
        self.pool.submit(execute_run, task).add_done_callback(done)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


class DaskExecutor:
    """An existing Dask distributed cluster; workers need the workbench installed and the same file system."""

    def __init__(self, scheduler: str):
        from distributed import Client

        self.client = Client(scheduler, timeout="20s")

    def submit(self, task: RunTask, done: Callable[[Any], None]) -> None:
        self.client.submit(
            execute_run, task, pure=False, key=f"workbench-{task.analysis}-{task.run_id}-{time.monotonic_ns()}"
        ).add_done_callback(done)

    def close(self) -> None:
        self.client.close()


def execute_plan(
    planned: list[PlannedRun],
    store: Store,
    reports: Path,
    *,
    executor: LocalExecutor | DaskExecutor,
    timeout: int | None = None,
    on_event: Callable[[PlannedRun, str], None] = lambda p, e: None,
) -> list[PlannedRun]:
    """Run the planned runs in dependency order on ``executor``; returns the plan with outcomes filled in."""
    commit = git_commit(Path.cwd())
    all_specs = [p.spec for p in planned]
    finished: queue.Queue[tuple[PlannedRun, Any]] = queue.Queue()
    pending = [p for p in planned if p.action in ("run", "wait")]
    in_flight = 0

    def ready(p: PlannedRun) -> bool:
        return all(q.outcome is not None or q.action == "skip" for q in planned if q.spec.analysis in p.spec.after)

    def submit(p: PlannedRun) -> None:
        nonlocal in_flight
        hashes = input_hashes(store, [p.spec])[p.spec.key]
        upstream = upstream_hashes(reports, p.spec, all_specs)
        if p.action == "wait":
            failed = [k for k, sha in upstream.items() if sha == "missing"]
            reason = staleness(read_provenance(reports, p.spec), fingerprint(p.spec, hashes, upstream))
            if failed:
                p.action, p.reason = "run", "upstream missing: " + ", ".join(failed)
            elif reason is None:
                p.action, p.reason = "skip", "up to date (upstream results unchanged)"
                on_event(p, "skipped")
                return
            else:
                p.action, p.reason = "run", reason
        task = RunTask(
            p.spec.analysis,
            p.spec.run_id,
            str(p.spec.notebook),
            p.spec.parameters,
            str(reports),
            str(store.path),
            timeout,
            {
                "analysis": p.spec.analysis,
                "run_id": p.spec.run_id,
                "git_commit": commit,
                "audience": p.spec.audience,
                "notebook": str(p.spec.notebook),
                "reason": p.reason,
                "fingerprint": fingerprint(p.spec, hashes, upstream).as_dict(),
            },
        )
        in_flight += 1
        on_event(p, "running")
        executor.submit(task, lambda future: finished.put((p, future)))

    while pending or in_flight:
        for p in [p for p in pending if ready(p)]:
            pending.remove(p)
            submit(p)
        if not in_flight:
            continue
        p, future = finished.get()
        in_flight -= 1
        try:
            p.outcome = future.result()
        except Exception as error:  # the worker itself failed (not the notebook)
            p.outcome = RunOutcome(
                p.spec.analysis,
                p.spec.run_id,
                "failed",
                0.0,
                "",
                {"cell": None, "exception": type(error).__name__, "message": str(error)},
            )
        on_event(p, p.outcome.status)
    return planned


def write_index(reports: Path) -> Path:
    """``reports/index.parquet``: one row per published (and failed) run, from the provenance files."""
    import json

    import pandas as pd

    rows = []
    for path in sorted(reports.glob(f"*/*/{PROVENANCE_JSON}")) + sorted(
        reports.glob(f"{FAILED_DIR}/*/*/{PROVENANCE_JSON}")
    ):
        if not (is_published_name(path.parent.name) and is_published_name(path.parent.parent.name)):
            continue  # an interactive session's scratch output, a staging or retired folder: not a run
        record = json.loads(path.read_text())
        rows.append(
            {
                "analysis": record["analysis"],
                "run_id": record["run_id"],
                "status": record["status"],
                "parameters": json.dumps(record["parameters"], sort_keys=True),
                "started_at": record["started_at"],
                "finished_at": record["finished_at"],
                "seconds": record["seconds"],
                "git_commit": record.get("git_commit"),
                "path": str(path.parent.relative_to(reports)),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "analysis",
            "run_id",
            "status",
            "parameters",
            "started_at",
            "finished_at",
            "seconds",
            "git_commit",
            "path",
        ],
    )
    target = reports / REPORTS_INDEX
    write_atomically(target, frame.to_parquet(index=False))
    return target


@contextlib.contextmanager
def reports_lock(reports: Path, *, wait: float = 0.0) -> Iterator[list[str]]:
    """Hold the reports folder's run lock (one ``workbench run`` at a time); leftovers of a killed run removed.

    Yields what was removed. Raises :class:`~evaluation.locks.LockBusy` if
    another run still holds the lock after ``wait`` seconds.
    """
    from ..locks import exclusive

    with exclusive(reports / RUN_LOCK, f"the reports folder {reports}", wait=wait):
        yield remove_leftovers(reports)


def run_manifest(
    manifest: Path,
    store: Store,
    reports: Path,
    *,
    select: list[str] | None = None,
    overrides: dict[str, str] | None = None,
    force: bool = False,
    jobs: int | None = None,
    timeout: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    on_event: Callable[[PlannedRun, str], None] = lambda p, e: None,
    planned: list[PlannedRun] | None = None,
    wait: float = 0.0,
    audience: str = PUBLIC,
) -> RunSummary:
    """Plan and execute; the whole of ``workbench run`` without its display.

    Without ``planned``, holds the run lock (:func:`reports_lock`) while it
    plans and runs; a caller passing ``planned`` holds the lock itself, around
    its planning too, so that a run that waited plans from the results it waited for.
    Public runs and internal runs (``audience``) never share a reports folder
    (:class:`~evaluation.run.contract.AudienceError`).
    """
    if planned is None:
        claim_reports_folder(reports, audience)
        with reports_lock(reports, wait=wait):
            return _run_planned(
                store,
                reports,
                plan_runs(manifest, store, reports, select=select, overrides=overrides, force=force, audience=audience),
                jobs,
                timeout,
                executor,
                scheduler,
                on_event,
            )
    for audience_of_run in {p.spec.audience for p in planned}:
        claim_reports_folder(reports, audience_of_run)
    return _run_planned(store, reports, planned, jobs, timeout, executor, scheduler, on_event)


def _run_planned(
    store: Store,
    reports: Path,
    planned: list[PlannedRun],
    jobs: int | None,
    timeout: int | None,
    executor: str,
    scheduler: str | None,
    on_event: Callable[[PlannedRun, str], None],
) -> RunSummary:
    started = time.perf_counter()
    if any(p.action != "skip" for p in planned):
        if executor == "dask":
            if not scheduler:
                raise ValueError("--executor dask needs --scheduler tcp://HOST:PORT")
            pool: LocalExecutor | DaskExecutor = DaskExecutor(scheduler)
        else:
            pool = LocalExecutor(jobs or os.cpu_count() or 1)
        try:
            execute_plan(planned, store, reports, executor=pool, timeout=timeout, on_event=on_event)
        finally:
            pool.close()
        write_index(reports)
    elif not (reports / REPORTS_INDEX).exists():
        write_index(reports)
    failures = [p.outcome for p in planned if p.outcome is not None and p.outcome.status != "success"]
    return RunSummary(planned, time.perf_counter() - started, failures)


__all__ = ["PlannedRun", "RunSummary", "plan_runs", "reports_lock", "run_manifest", "write_index", "run_dir"]
