"""Execute one run in a worker process: papermill, the HTML and PDF reports, provenance, an atomic publish.

The run writes into a staging folder. Only a successful run is moved into
``reports/<analysis>/<run-id>/`` (a rename, so readers never see a half-written
report); a failed run's partly executed notebook goes to
``reports/_failed/<analysis>/<run-id>/`` and the previous good report stays.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config
from ..run_folder import (
    EXECUTED_NOTEBOOK,
    FAILED_DIR,
    PROVENANCE_JSON,
    READS_JSON,
    REPORT_HTML,
    REPORT_PDF,
    retired_folder,
    staging_folder,
    unfinished_folders,
    write_atomically,
)
from .contract import ANALYSIS_ENV, RUN_DIR_ENV

FORKED_KERNELS_ENV = "WORKBENCH_FORKED_KERNELS"
REPORT_PDF_ENV = "WORKBENCH_REPORT_PDF"  # "0": no report.pdf (``workbench run --no-pdf``)


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run (plain data, so it pickles to any executor)."""

    analysis: str
    run_id: str
    notebook: str
    parameters: dict[str, Any]
    reports: str
    store: str
    timeout: int | None
    provenance: dict[str, Any]  # fingerprint and context, completed by the worker
    # Fork the kernel from the worker's pre-imported zygote (notebook_kernels.py), or start a fresh interpreter
    # (WORKBENCH_FORKED_KERNELS=0 where the run is started).
    forked_kernel: bool = field(default_factory=lambda: os.environ.get(FORKED_KERNELS_ENV) != "0")
    # Print report.pdf beside report.html (WORKBENCH_REPORT_PDF=0 where the run is started: HTML only).
    pdf: bool = field(default_factory=lambda: os.environ.get(REPORT_PDF_ENV) != "0")


@dataclass
class RunOutcome:
    """What happened to one run."""

    analysis: str
    run_id: str
    status: str  # "success" or "failed"
    seconds: float
    path: str
    error: dict[str, Any] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)  # outputs kept out of the report (stderr, paths ...)

    @property
    def key(self) -> str:
        return f"{self.analysis}/{self.run_id}"


def prepare_worker(runner_pid: int | None = None) -> None:
    """Make a worker process cheap to start; called once per worker (and harmlessly per run).

    Given the pid of the ``workbench run`` process, the worker also ends the
    moment that process dies (:func:`~evaluation.kernels.lifeline.watch_parent`).

    jsonschema, which nbformat uses, imports ``rfc3987-syntax`` when it is
    installed, and that package compiles a grammar costing about 1.5 s at import
    (python-jsonschema issues 1392, 1521). The workbench only needs jsonschema's
    structural checks, so the import is blocked in runner workers: jsonschema
    then skips the IRI format check. Measured on this machine: importing
    papermill + nbconvert + the validator 3.1-3.4 s as installed, 1.7 s blocked.
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None makes the import fail
    if runner_pid is not None:
        from ..kernels.lifeline import watch_parent

        watch_parent(runner_pid)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _interrupted_cell(executed: Path) -> int | None:
    """Execution count of the cell that was running when the kernel died or timed out.

    papermill marks every cell it started as completed, the interrupted one included (its
    ``finally`` clause), so the interrupted cell is the last completed code cell. Whether the
    kernel announced that cell's execution count before it died is a race, so when it is missing
    the count is the one the cell would have had: one after the previous cell's.
    """
    if not executed.exists():
        return None
    started = [
        c
        for c in json.loads(executed.read_text())["cells"]
        if c["cell_type"] == "code" and c.get("metadata", {}).get("papermill", {}).get("status") == "completed"
    ]
    if not started:
        return None
    earlier = [c.get("execution_count") or 0 for c in started[:-1]]
    return started[-1].get("execution_count") or max(earlier, default=0) + 1


def _describe_failure(error: BaseException, executed: Path) -> dict[str, Any]:
    """Cell (its execution count, as the partly executed notebook shows it), exception and message."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        return {"cell": error.exec_count, "exception": error.ename, "message": error.evalue}
    kind = type(error).__name__
    if kind == "DeadKernelError":
        message = "the kernel died (out of memory, or the code ended the process)"
    elif kind == "CellTimeoutError":
        message = "the cell took longer than --timeout allows"
    else:
        message = str(error)
    return {"cell": _interrupted_cell(executed), "exception": kind, "message": message}


def _write_reports(executed: Path, staging: Path, provenance: dict[str, Any], *, pdf: bool) -> dict[str, Any]:
    """report.html (and report.pdf) of the executed notebook; what the renderer recorded, for provenance."""
    from ..report import RunStamp, render_html

    stamp = RunStamp(
        provenance["analysis"], provenance["run_id"], provenance["started_at"], provenance.get("git_commit")
    )
    clock = time.perf_counter()
    rendered = render_html(executed, staging / REPORT_HTML, stamp)
    seconds = {"html_seconds": round(time.perf_counter() - clock, 3)}
    if pdf:
        from ..report.pdf import worker_printer

        clock = time.perf_counter()
        worker_printer().print_report(staging / REPORT_HTML, staging / REPORT_PDF, rendered)
        seconds["pdf_seconds"] = round(time.perf_counter() - clock, 3)  # the first includes starting chromium
    return {
        "title": rendered.title,
        "audience": rendered.audience,
        "pdf": pdf,
        **seconds,
        "withheld": [w.as_dict() for w in rendered.withheld],
    }


def execute_run(task: RunTask) -> RunOutcome:
    """Run one notebook and publish its report; never raises for a failing notebook."""
    prepare_worker()
    import papermill
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from .notebook_kernels import NotebookKernelManager

    reports = Path(task.reports)
    final = reports / task.analysis / task.run_id
    staging = staging_folder(final)
    staging.mkdir(parents=True)
    # The kernel inherits the worker's environment: this is how the notebook finds its run folder and
    # the store, with one BLAS thread (config.ONE_BLAS_THREAD says why).
    os.environ.update(
        {
            RUN_DIR_ENV: str(staging.resolve()),
            ANALYSIS_ENV: task.analysis,
            config.STORE_ENV: str(Path(task.store).resolve()),
            config.REPORTS_ENV: str(reports.resolve()),
            **config.ONE_BLAS_THREAD,
        }
    )
    started, clock = _now(), time.perf_counter()
    executed = staging / EXECUTED_NOTEBOOK
    error: dict[str, Any] = {}
    # The kernel runs on the worker's own machine: talk to it over local sockets, not TCP ports. Each
    # kernel gets its own short socket folder (socket paths are limited to about 100 characters).
    sockets = tempfile.mkdtemp(prefix="wb-")
    manager = NotebookKernelManager if task.forked_kernel else AsyncKernelManager
    kernel = manager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
    try:
        papermill.execute_notebook(
            task.notebook,
            str(executed),
            parameters=task.parameters,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(Path(task.notebook).parent),
            execution_timeout=task.timeout,
            km=kernel,
        )
    except Exception as failure:  # every failure is reported, none stops the other runs
        error = _describe_failure(failure, executed)
    finally:
        # nbclient shuts down only kernels it started itself, not one handed over as ``km``.
        if kernel.has_kernel:
            run_sync(kernel.shutdown_kernel)(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
    report: dict[str, Any] = {}
    if executed.exists():
        try:  # a failed run's partly executed notebook gets its HTML page, not a PDF
            report = _write_reports(
                executed, staging, {**task.provenance, "started_at": started}, pdf=task.pdf and not error
            )
        except Exception as failure:  # a report that cannot be rendered or printed fails the run, visibly
            error = error or {"cell": None, "exception": type(failure).__name__, "message": f"report: {failure}"}
    if not error:  # the disclosure audit of everything the run publishes, before it is published
        from .audit import audit_finished_run  # imports pandas: not at module level (quick `workbench run`)

        error = audit_finished_run(staging)
    seconds = round(time.perf_counter() - clock, 3)
    reads_file = staging / READS_JSON
    provenance = {
        **task.provenance,
        "parameters": task.parameters,
        "status": "failed" if error else "success",
        "started_at": started,
        "finished_at": _now(),
        "seconds": seconds,
        "error": error,
        "reads": json.loads(reads_file.read_text()) if reads_file.exists() else [],
        "report": report,
    }
    write_atomically(staging / PROVENANCE_JSON, json.dumps(provenance, indent=1, sort_keys=True).encode())
    target = reports / FAILED_DIR / task.analysis / task.run_id if error else final
    _replace_dir(staging, target)
    if not error:
        shutil.rmtree(reports / FAILED_DIR / task.analysis / task.run_id, ignore_errors=True)
    from ..report import Withheld

    withheld = [Withheld(**w).describe() for w in report.get("withheld", [])]
    return RunOutcome(task.analysis, task.run_id, provenance["status"], seconds, str(target), error, withheld)


def remove_leftovers(reports: Path) -> list[str]:
    """Remove staging and retired folders that a killed run left; what was removed, for the user.

    Call only while holding the reports folder's run lock: otherwise they may
    be another run's folders in use.
    """
    leftovers = unfinished_folders(reports)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    return [f"removed {p.relative_to(reports)}, left unfinished by an interrupted run" for p in leftovers]


def _replace_dir(source: Path, target: Path) -> None:
    """Put ``source`` at ``target``, replacing any previous folder by renames (no half-copied state)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    retired = retired_folder(target)
    if target.exists():
        target.rename(retired)
    source.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
