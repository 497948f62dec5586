"""Provenance of a run, and the decision whether a run is up to date.

A run's fingerprint is everything its results depend on: the notebook's
bytes, the parameters, the content of every declared input as read from the
store, the results of the analyses it runs after, and the workbench version.
A run whose fingerprint equals the one recorded by its last successful run
is skipped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..run_folder import PROVENANCE_JSON, RESULTS_CSV
from ..store import Store, file_sha256
from .manifest import RunSpec


@dataclass(frozen=True)
class Fingerprint:
    """What a run's results depend on."""

    notebook_sha256: str
    parameters: dict[str, Any]
    inputs: dict[str, str]  # description -> sha256
    upstream: dict[str, str]  # analysis/run -> sha256 of results.csv
    package_version: str  # the version and a digest of the package's source: results depend on its code

    def as_dict(self) -> dict[str, Any]:
        return {
            "notebook_sha256": self.notebook_sha256,
            "parameters": self.parameters,
            "inputs": self.inputs,
            "upstream": self.upstream,
            "package_version": self.package_version,
        }


@functools.cache
def package_version() -> str:
    """``0.1.0+src.<12 hex>``: the version plus a digest of every module and data file of the package.

    An edit to an analysis module re-runs the analyses, as a new release would.
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".csv") and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return f"{__version__}+src.{digest.hexdigest()[:12]}"


def run_dir(reports: Path, spec: RunSpec) -> Path:
    return reports / spec.analysis / spec.run_id


def input_hashes(store: Store, runs: list[RunSpec]) -> dict[str, dict[str, str]]:
    """Hashes of every run's declared inputs, each distinct read hashed once, over one connection."""
    distinct = sorted({(i.table, i.where, i.params) for r in runs for i in r.inputs}, key=repr)
    hashes = dict(zip(distinct, store.content_sha256_many([(t, w, list(p)) for t, w, p in distinct]), strict=True))
    return {r.key: {i.describe(): hashes[(i.table, i.where, i.params)] for i in r.inputs} for r in runs}


def upstream_hashes(reports: Path, spec: RunSpec, all_runs: list[RunSpec]) -> dict[str, str]:
    """SHA-256 of the results of every run of the analyses ``spec`` runs after ("missing" if none yet)."""
    out = {}
    for other in all_runs:
        if other.analysis in spec.after:
            results = run_dir(reports, other) / RESULTS_CSV
            out[other.key] = file_sha256(results) if results.exists() else "missing"
    return out


def fingerprint(spec: RunSpec, inputs: dict[str, str], upstream: dict[str, str]) -> Fingerprint:
    return Fingerprint(file_sha256(spec.notebook), _jsonable(spec.parameters), inputs, upstream, package_version())


def _jsonable(parameters: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(parameters, sort_keys=True, default=str))


def read_provenance(reports: Path, spec: RunSpec) -> dict[str, Any] | None:
    path = run_dir(reports, spec) / PROVENANCE_JSON
    return json.loads(path.read_text()) if path.exists() else None


def staleness(previous: dict[str, Any] | None, current: Fingerprint) -> str | None:
    """Why a run must run again, or None when its last successful run is up to date."""
    if previous is None:
        return "never run"
    if previous.get("status") != "success":
        return "last run did not succeed"
    before = previous.get("fingerprint", {})
    now = current.as_dict()
    if before.get("notebook_sha256") != now["notebook_sha256"]:
        return "notebook changed"
    if before.get("parameters") != now["parameters"]:
        return "parameters changed"
    changed = [name for name, sha in now["inputs"].items() if before.get("inputs", {}).get(name) != sha]
    if changed:
        return "input changed: " + "; ".join(changed)
    if before.get("upstream") != now["upstream"]:
        return "upstream results changed"
    if before.get("package_version") != now["package_version"]:
        return "workbench version or code changed"
    return None


def git_commit(root: Path) -> str | None:
    """The commit checked out (with ``-dirty`` if files changed), or None outside a git repository."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("-dirty" if dirty else "")


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
