"""The manifest (``notebooks/manifest.yml``): which analyses exist, their runs and their inputs.

::

    analyses:
      cohort_evaluation:
        notebook: cohort_evaluation.ipynb
        title: Leadership cohort evaluation
        for_each: {cohort: cohorts.cohort_id}     # one run per stored value
        inputs:                                  # what each run reads; $name is a parameter
          - {table: responses, where: "cohort_id = $cohort"}
          - {table: instrument}
      programme_evaluation:
        notebook: programme_evaluation.ipynb
        after: [cohort_evaluation]               # runs once those have run

A parameter named in ``for_each`` may only take values found in the store.
Inputs are hashed before a run to decide whether it is stale, and the
notebook reads them through :mod:`evaluation.run.contract`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parameters import ParameterError, check_parameters, declared_parameters

_PLACEHOLDER = re.compile(r"\$([A-Za-z_]\w*)")
_KEYS = {"notebook", "title", "for_each", "inputs", "after", "parameters"}


class ManifestError(ValueError):
    """The manifest is malformed; the message names the analysis and key."""


@dataclass(frozen=True)
class InputSpec:
    """One table a run reads, optionally filtered (SQL with ``?`` placeholders and bound values)."""

    table: str
    where: str = ""
    params: tuple[Any, ...] = ()

    def describe(self) -> str:
        if not self.where:
            return self.table
        shown = self.where
        for value in self.params:
            shown = shown.replace("?", repr(value), 1)
        return f"{self.table} where {shown}"


@dataclass(frozen=True)
class Analysis:
    """One analysis: a notebook, how its runs are formed, what they read and what they wait for."""

    name: str
    notebook: Path
    title: str
    for_each: dict[str, str] = field(default_factory=dict)  # parameter -> "table.column"
    inputs: tuple[dict[str, str], ...] = ()
    after: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunSpec:
    """One run: an analysis with its parameter values."""

    analysis: str
    run_id: str
    notebook: Path
    parameters: dict[str, Any]
    inputs: tuple[InputSpec, ...]
    after: tuple[str, ...]
    audience: str = "public"  # "internal": shows every figure, written only under internal-reports/

    @property
    def key(self) -> str:
        return f"{self.analysis}/{self.run_id}"


def load_manifest(path: Path) -> dict[str, Analysis]:
    """Analyses of a manifest, checked: notebooks exist, dependencies are known and acyclic."""
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = doc.get("analyses")
    if not isinstance(entries, dict) or not entries:
        raise ManifestError(f"{path}: expected 'analyses:' with at least one analysis")
    analyses = {}
    for name, entry in entries.items():
        unknown = set(entry) - _KEYS
        if unknown:
            raise ManifestError(f"{path}: analysis '{name}': unknown keys {sorted(unknown)}")
        notebook = path.parent / entry.get("notebook", f"{name}.ipynb")
        if not notebook.exists():
            raise ManifestError(f"{path}: analysis '{name}': notebook {notebook} not found")
        inputs = tuple({"table": i} if isinstance(i, str) else dict(i) for i in entry.get("inputs", []))
        analyses[name] = Analysis(
            name,
            notebook,
            entry.get("title", name),
            dict(entry.get("for_each", {})),
            inputs,
            tuple(entry.get("after", [])),
            dict(entry.get("parameters", {})),
        )
    for analysis in analyses.values():
        for upstream in analysis.after:
            if upstream not in analyses:
                raise ManifestError(f"{path}: analysis '{analysis.name}': 'after' names unknown '{upstream}'")
    topological_order(analyses)
    return analyses


def topological_order(analyses: dict[str, Analysis]) -> list[str]:
    """Analysis names, each after those it depends on; a cycle is an error."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ManifestError("dependency cycle: " + " -> ".join((*trail, name)))
        state[name] = "visiting"
        for upstream in analyses[name].after:
            visit(upstream, (*trail, name))
        state[name] = "done"
        order.append(name)

    for name in analyses:
        visit(name, ())
    return order


def _bind(where: str, parameters: dict[str, Any], analysis: str) -> tuple[str, tuple[Any, ...]]:
    """``"cohort_id = $cohort"`` -> ``("cohort_id = ?", ("C1",))``: values are bound, never pasted into SQL."""
    values = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parameters:
            raise ManifestError(f"analysis '{analysis}': input filter uses ${name}, which is not a parameter")
        values.append(parameters[name])
        return "?"

    return _PLACEHOLDER.sub(replace, where), tuple(values)


def run_id(grid_values: dict[str, Any], overrides: dict[str, Any]) -> str:
    """A readable, stable run id: ``cohort-C1``, or ``all``; a short hash marks non-default parameters."""
    base = "_".join(f"{k}-{v}" for k, v in sorted(grid_values.items())) or "all"
    base = re.sub(r"[^A-Za-z0-9_.-]", "-", base)
    if overrides:
        digest = hashlib.sha256(json.dumps(overrides, sort_keys=True, default=str).encode()).hexdigest()[:8]
        base += f"~{digest}"
    return base


def expand_runs(
    analyses: dict[str, Analysis],
    store_values: dict[str, tuple[str, ...]],
    overrides: dict[str, str] | None = None,
    audience: str = "public",
) -> list[RunSpec]:
    """Every run of every analysis, in dependency order, with typed and checked parameters.

    ``store_values`` maps ``"table.column"`` to the values stored there.
    ``overrides`` (from ``-p``) apply to every analysis that declares the name;
    a name no analysis declares is an error, as is a wrong type or a value
    outside its choices. ``audience`` (``workbench run --audience``) is passed
    to every notebook that declares an ``audience`` parameter and recorded on
    every run; it is not part of the run id (the audiences' runs live in
    separate folders). Nothing here starts a kernel.
    """
    if "audience" in (overrides or {}):
        raise ParameterError("audience is set with --audience, not -p: it decides the reports folder too")
    overrides = overrides or {}
    declared = {name: declared_parameters(a.notebook) for name, a in analyses.items()}
    for key in overrides:
        if not any(key in d for d in declared.values()):
            notebooks = ", ".join(a.notebook.name for a in analyses.values())
            raise ParameterError(f"unknown parameter {key!r}: not declared by any selected notebook ({notebooks})")
    runs: list[RunSpec] = []
    for name in topological_order(analyses):
        analysis = analyses[name]
        notebook = analysis.notebook.name
        choices = {p: store_values[source] for p, source in analysis.for_each.items()}
        fixed = check_parameters(analysis.parameters, declared[name], notebook)
        mine = check_parameters(
            {k: v for k, v in overrides.items() if k in declared[name]}, declared[name], notebook, choices
        )
        grid_names = [p for p in analysis.for_each if p not in mine]
        combinations: list[dict[str, Any]] = [{}]
        for parameter in grid_names:
            if parameter not in declared[name]:
                raise ManifestError(
                    f"analysis '{name}': for_each parameter '{parameter}' is not declared in {notebook}"
                )
            combinations = [
                {**c, parameter: declared[name][parameter].convert(v, notebook)}
                for c in combinations
                for v in choices[parameter]
            ]
        for combination in combinations:
            parameters = {**fixed, **combination, **mine}
            grid = {p: parameters[p] for p in analysis.for_each}
            non_default = {
                k: v for k, v in mine.items() if k not in analysis.for_each and v != declared[name][k].default
            }
            inputs = []
            for spec in analysis.inputs:
                where, params = _bind(spec.get("where", ""), parameters, name)
                inputs.append(InputSpec(spec["table"], where, params))
            if "audience" in declared[name] and audience != declared[name]["audience"].default:
                parameters["audience"] = declared[name]["audience"].convert(audience, notebook)
            runs.append(
                RunSpec(
                    name,
                    run_id(grid, non_default),
                    analysis.notebook,
                    parameters,
                    tuple(inputs),
                    analysis.after,
                    audience,
                )
            )
    return runs


def store_columns(analyses: dict[str, Analysis]) -> set[str]:
    """The ``table.column`` sources that ``for_each`` needs from the store."""
    return {source for a in analyses.values() for source in a.for_each.values()}
