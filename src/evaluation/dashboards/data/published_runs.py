"""Published runs, found and read: by analysis name and run id, then their results, tables and figures by name.

Anything that is not there raises :class:`ResultsMissing`, whose message says what is missing and what to
run, so a page can show it instead of a traceback. Nothing here computes a statistic.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import config
from ...run_folder import (
    FAILED_DIR,
    FIGURES_INDEX,
    PROVENANCE_JSON,
    REPORT_HTML,
    RESULTS_CSV,
    RESULTS_PARQUET,
    TABLES_INDEX,
)
from .published_tables import PublishedTable, marked, read_table_csv
from .values import to_number

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

HASH_WIDTH = 12


class ResultsMissing(LookupError):
    """Results a page needs have not been published; the message is meant for the page's readers."""

    def __init__(self, message: str, *, analysis: str = "", run_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.analysis = analysis
        self.run_id = run_id


def reports_root(reports: str | Path | None = None) -> Path:
    """The reports folder: the argument, else ``$WORKBENCH_REPORTS``, else ``reports/``."""
    return config.reports_dir(reports)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- Provenance -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """When and from what a run was made (the parts of ``provenance.json`` a reader needs)."""

    analysis: str
    run_id: str
    status: str
    started_at: str
    finished_at: str
    git_commit: str | None
    parameters: dict[str, Any]
    inputs: dict[str, str]  # description of each input read -> sha256 of its content
    notebook: str = ""
    error: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Provenance:
        fingerprint = record.get("fingerprint") or {}
        return cls(
            analysis=str(record.get("analysis", "")),
            run_id=str(record.get("run_id", "")),
            status=str(record.get("status", "unknown")),
            started_at=str(record.get("started_at", "")),
            finished_at=str(record.get("finished_at", "")),
            git_commit=record.get("git_commit"),
            parameters=dict(record.get("parameters") or {}),
            inputs=dict(fingerprint.get("inputs") or {}),
            notebook=str(record.get("notebook", "")),
            error=dict(record.get("error") or {}),
        )

    @classmethod
    def read(cls, run_dir: Path) -> Provenance:
        return cls.from_dict(_read_json(run_dir / PROVENANCE_JSON))

    @property
    def finished(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.finished_at)
        except ValueError:
            return None

    @property
    def finished_text(self) -> str:
        """``26 November 2026, 12:06 UTC`` (or the raw text if it is not a date)."""
        when = self.finished
        return (self.finished_at or "unknown") if when is None else time_text(when)

    @property
    def commit_text(self) -> str:
        """Shortened commit, saying when the working copy had uncommitted changes."""
        if not self.git_commit:
            return "unknown commit"
        commit, dirty = self.git_commit.removesuffix("-dirty"), self.git_commit.endswith("-dirty")
        return f"{commit[:HASH_WIDTH]}" + (" (with uncommitted changes)" if dirty else "")

    def inputs_short(self, width: int = HASH_WIDTH) -> list[tuple[str, str]]:
        """Each input (table and filter) with its content hash shortened to ``width`` characters."""
        return [(name, digest[:width]) for name, digest in sorted(self.inputs.items())]

    def summary(self) -> str:
        """One plain-text line: when, from which commit, from which inputs."""
        inputs = "; ".join(f"{name} [{digest}]" for name, digest in self.inputs_short())
        return (
            f"Last run {self.finished_text} ({self.status}) from commit {self.commit_text}. "
            f"Inputs: {inputs or 'none recorded'}."
        )


def time_text(when: dt.datetime) -> str:
    """``26 November 2026, 12:06 UTC``: how pages say when something happened."""
    when = when.astimezone(dt.UTC) if when.tzinfo else when
    return f"{when.day} {when:%B %Y, %H:%M} UTC"


# --- Finding runs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunInfo:
    """A published run: where it is and its provenance."""

    analysis: str
    run_id: str
    path: Path
    provenance: Provenance

    @property
    def label(self) -> str:
        """What a selector shows: the value of the run's ``for_each`` parameter(s), else the run id."""
        values = [
            str(v)
            for k, v in sorted(self.provenance.parameters.items())
            if re.search(rf"(^|_){re.escape(k)}-{re.escape(str(v))}($|_|~)", self.run_id)
        ]
        label = ", ".join(values) or self.run_id
        return label + (" (non-default parameters)" if "~" in self.run_id else "")

    @property
    def default_parameters(self) -> bool:
        """False for a run made with ``-p`` overrides (its id carries ``~hash``)."""
        return "~" not in self.run_id


def _is_public_name(name: str) -> bool:
    return not name.startswith((".", "_"))


def list_runs(analysis: str, reports: str | Path | None = None, *, include_overrides: bool = False) -> list[RunInfo]:
    """Every published (successful) run of ``analysis``, in run-id order; empty if there is none."""
    folder = reports_root(reports) / analysis
    runs = []
    if folder.is_dir():
        for path in sorted(folder.iterdir(), key=lambda p: _natural_key(p.name)):
            if path.is_dir() and _is_public_name(path.name) and (path / PROVENANCE_JSON).exists():
                provenance = Provenance.read(path)
                if provenance.status == "success":
                    runs.append(RunInfo(analysis, path.name, path, provenance))
    return [r for r in runs if include_overrides or r.default_parameters] or runs


def list_analyses(reports: str | Path | None = None) -> list[str]:
    """Analyses with at least one published run."""
    root = reports_root(reports)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _is_public_name(p.name) and list_runs(p.name, root))


def _natural_key(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def failed_run(analysis: str, run_id: str | None = None, reports: str | Path | None = None) -> Provenance | None:
    """The provenance of the last failed attempt of a run (or of any run of ``analysis``), if one failed."""
    folder = reports_root(reports) / FAILED_DIR / analysis
    candidates = [folder / run_id] if run_id else sorted(folder.glob("*")) if folder.is_dir() else []
    found = [Provenance.read(c) for c in candidates if (c / PROVENANCE_JSON).exists()]
    return max(found, key=lambda p: p.finished_at) if found else None


def _missing_run_message(analysis: str, run_id: str | None, reports: Path) -> str:
    what = f"'{analysis}'" + (f" run '{run_id}'" if run_id else "")
    failure = failed_run(analysis, run_id, reports)
    if failure is not None:
        error = failure.error
        where = f" at cell {error['cell']}" if error.get("cell") is not None else ""
        return (
            f"No published results for {what}: its last run ({failure.run_id}, {failure.finished_text}) "
            f"failed{where} with {error.get('exception', 'an error')}: {error.get('message', '')}. "
            f"The dashboards show published results only; fix the analysis and run "
            f"`workbench run --select {analysis}`."
        )
    available = [r.run_id for r in list_runs(analysis, reports)]
    if run_id and available:
        return f"No published results for {what}. Published runs of '{analysis}': {', '.join(available)}."
    return (
        f"No published results for {what} yet: the analysis has not been run here. "
        f"Run `workbench run --select {analysis}` to publish them."
    )


def load_run(analysis: str, run_id: str | None = None, reports: str | Path | None = None) -> PublishedRun:
    """A published run; without ``run_id``, the most recently finished run of ``analysis``.

    Raises :class:`ResultsMissing` (with a message for readers) if there is none.
    """
    root = reports_root(reports)
    runs = list_runs(analysis, root)
    if run_id is not None:
        runs = [r for r in runs if r.run_id == run_id]
    if not runs:
        raise ResultsMissing(_missing_run_message(analysis, run_id, root), analysis=analysis, run_id=run_id or "")
    latest = max(runs, key=lambda r: r.provenance.finished_at)
    return PublishedRun(latest)


def load_runs(analysis: str, reports: str | Path | None = None, *, required: bool = False) -> list[PublishedRun]:
    """Every published run of ``analysis`` (run-id order); empty if none, or :class:`ResultsMissing` if
    ``required``."""
    runs = [PublishedRun(info) for info in list_runs(analysis, reports)]
    if required and not runs:
        root = reports_root(reports)
        raise ResultsMissing(_missing_run_message(analysis, None, root), analysis=analysis)
    return runs


# --- Figures ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedFigure:
    """A published plotly figure with its title and text alternative."""

    name: str
    title: str
    alt_text: str
    path: Path

    def figure(self) -> go.Figure:
        """The plotly figure, with the shared Analysis Function template applied."""
        import plotly.io as pio

        from ...charts import template

        figure = pio.from_json(self.path.read_text(encoding="utf-8"), skip_invalid=True)
        figure.update_layout(template=template())
        return figure


# --- A published run ----------------------------------------------------------------------------------------------


class PublishedRun:
    """One run's published output, read lazily."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info

    def __repr__(self) -> str:
        return f"PublishedRun({self.info.analysis!r}, {self.info.run_id!r})"

    @property
    def analysis(self) -> str:
        return self.info.analysis

    @property
    def run_id(self) -> str:
        return self.info.run_id

    @property
    def path(self) -> Path:
        return self.info.path

    @property
    def provenance(self) -> Provenance:
        return self.info.provenance

    @property
    def report_html(self) -> Path | None:
        path = self.path / REPORT_HTML
        return path if path.exists() else None

    def _missing(self, what: str) -> ResultsMissing:
        return ResultsMissing(
            f"The run '{self.analysis}/{self.run_id}' ({self.provenance.finished_text}) did not publish {what}.",
            analysis=self.analysis,
            run_id=self.run_id,
        )

    @cached_property
    def results(self) -> pd.DataFrame:
        """The tidy results table (``results.parquet``, else ``results.csv``)."""
        import pandas as pd

        if (self.path / RESULTS_PARQUET).exists():
            frame = pd.read_parquet(self.path / RESULTS_PARQUET)
        elif (self.path / RESULTS_CSV).exists():
            frame = pd.read_csv(self.path / RESULTS_CSV)
        else:
            raise self._missing("results (results.parquet or results.csv)")
        if "suppressed" not in frame:
            frame["suppressed"] = False
        frame["suppressed"] = frame["suppressed"].map(lambda v: str(v).strip().lower() in ("true", "1", "yes"))
        return frame

    def estimates(self, term: str | None = None, group: str | None = None) -> pd.DataFrame:
        """Results rows for ``term`` (and ``group``; a group ending in ``*`` matches by prefix)."""
        frame = self.results
        if term is not None:
            frame = frame[frame["term"] == term]
        if group is not None:
            groups = frame["group"].astype(str)
            frame = frame[groups.str.startswith(group[:-1]) if group.endswith("*") else groups == group]
        return frame.reset_index(drop=True)

    @cached_property
    def tables_index(self) -> dict[str, dict[str, Any]]:
        path = self.path / TABLES_INDEX
        return _read_json(path) if path.exists() else {}

    @cached_property
    def figures_index(self) -> dict[str, dict[str, Any]]:
        path = self.path / FIGURES_INDEX
        return _read_json(path) if path.exists() else {}

    def has_table(self, name: str) -> bool:
        return name in self.tables_index and (self.path / "tables" / f"{name}.csv").exists()

    def has_figure(self, name: str) -> bool:
        return name in self.figures_index and (self.path / "figures" / f"{name}.json").exists()

    def table(self, name: str) -> PublishedTable:
        """A published table by name; :class:`ResultsMissing` if the run did not publish it."""
        if not self.has_table(name):
            raise self._missing(f"the table '{name}'")
        entry = self.tables_index[name]
        return PublishedTable(
            name,
            str(entry.get("title") or name),
            marked(read_table_csv(self.path / "tables" / f"{name}.csv")),
            entry.get("people_column"),
            self.threshold,
        )

    @property
    def threshold(self) -> int:
        """The run's disclosure threshold (its ``disclosure_threshold`` parameter, else the default)."""
        value = to_number(self.provenance.parameters.get("disclosure_threshold"))
        return int(value) if value else config.DEFAULT_DISCLOSURE_THRESHOLD

    def tables(self) -> Iterator[PublishedTable]:
        """Every published table, in the index's order."""
        for name in self.tables_index:
            if self.has_table(name):
                yield self.table(name)

    def figure(self, name: str) -> PublishedFigure:
        """A published figure by name; :class:`ResultsMissing` if the run did not publish it."""
        if not self.has_figure(name):
            raise self._missing(f"the figure '{name}'")
        entry = self.figures_index[name]
        return PublishedFigure(
            name,
            str(entry.get("title") or name),
            str(entry.get("alt_text") or ""),
            self.path / "figures" / f"{name}.json",
        )

    def figures(self) -> Iterator[PublishedFigure]:
        for name in self.figures_index:
            if self.has_figure(name):
                yield self.figure(name)
