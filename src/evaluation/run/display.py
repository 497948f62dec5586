"""What ``workbench run`` shows: the plan, live progress and the final summary (rich)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..run_folder import EXECUTED_NOTEBOOK
from .scheduler import PlannedRun, RunSummary

console = Console(highlight=False)


def print_plan(planned: list[PlannedRun]) -> None:
    """``--dry-run``: every run, what would happen and why."""
    table = Table(title="Plan (dry run: nothing is executed)")
    for heading in ("run", "action", "reason"):
        table.add_column(heading)
    for p in planned:
        table.add_row(p.spec.key, p.action, p.reason)
    console.print(table)
    console.print(
        f"{sum(p.action != 'skip' for p in planned)} to run, {sum(p.action == 'skip' for p in planned)} up to date"
    )


@contextmanager
def progress_display(planned: list[PlannedRun]) -> Iterator[Callable[[PlannedRun, str], None]]:
    """A line per run and an overall bar; yields the callback the scheduler reports events to."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    overall = progress.add_task("all runs", total=len(planned))
    lines = {}
    for p in planned:
        lines[p.spec.key] = progress.add_task(
            f"{p.spec.key}: {'up to date' if p.action == 'skip' else 'queued'}",
            total=1,
            completed=1 if p.action == "skip" else 0,
        )
    progress.update(overall, completed=sum(p.action == "skip" for p in planned))

    def on_event(p: PlannedRun, event: str) -> None:
        finished = event in ("success", "failed", "skipped")
        progress.update(lines[p.spec.key], description=f"{p.spec.key}: {event}", completed=1 if finished else 0)
        if finished:
            progress.advance(overall)

    with progress:
        yield on_event


def print_summary(summary: RunSummary) -> None:
    """Counts and time, then every failure with its cell, exception and partly executed notebook."""
    ran = [p for p in summary.planned if p.outcome is not None]
    table = Table(title="Summary")
    for heading in ("ran", "skipped", "failed", "seconds"):
        table.add_column(heading, justify="right")
    table.add_row(
        str(len(ran) - len(summary.failures)),
        str(summary.count("skip")),
        str(len(summary.failures)),
        f"{summary.seconds:.1f}",
    )
    console.print(table)
    for p in summary.planned:
        if p.action == "skip":
            console.print(f"  skipped {p.spec.key}: {p.reason}")
    for failure in summary.failures:
        error = failure.error
        cell = f"cell {error.get('cell')}" if error.get("cell") is not None else "no cell"
        console.print(
            f"[red]FAILED[/] {failure.key}: {cell}: {error.get('exception')}: {error.get('message')}", markup=True
        )
        console.print(f"  partly executed notebook: {failure.path}/{EXECUTED_NOTEBOOK}", markup=False)
