"""The ``audience`` of a run: public runs suppress and are audited; internal ones show every figure and are
written only to their own folder (internal-reports/), never where the dashboards and the published site read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.run.contract import (
    DEFAULT_INTERNAL_REPORTS,
    RUN_DIR_ENV,
    AudienceError,
    claim_reports_folder,
    current_run,
)
from evaluation.run.parameters import ParameterError
from evaluation.run.scheduler import plan_runs, run_manifest
from evaluation.run_folder import AUDIENCE_MARK
from evaluation.store import Store
from support import FIXTURES

RUNNER = FIXTURES / "runner"


def test_internal_runs_are_refused_the_public_folder_and_public_runs_the_internal_one(tmp_path: Path):
    with pytest.raises(AudienceError, match="holds public reports"):
        claim_reports_folder(tmp_path / "reports", "internal")
    with pytest.raises(AudienceError, match="holds internal reports"):
        claim_reports_folder(tmp_path / "internal-reports", "public")
    elsewhere = tmp_path / "board-2026"
    claim_reports_folder(elsewhere, "internal")  # any other folder: marked by its first run
    assert (elsewhere / AUDIENCE_MARK).read_text().strip() == "internal"
    with pytest.raises(AudienceError, match="holds internal reports"):
        claim_reports_folder(elsewhere, "public")
    with pytest.raises(ValueError, match="not one of"):
        claim_reports_folder(elsewhere, "board")


def test_current_run_records_the_audience_and_the_effective_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(RUN_DIR_ENV, raising=False)
    monkeypatch.delenv("WORKBENCH_REPORTS", raising=False)
    internal = current_run(5, "cohort_evaluation", audience="internal")
    assert internal.disclosure_threshold == 1 and internal.audience == "internal"
    assert internal.output_dir == DEFAULT_INTERNAL_REPORTS / "_scratch" / "cohort_evaluation"
    assert json.loads((internal.output_dir / "disclosure.json").read_text())["audience"] == "internal"
    public = current_run(5, "cohort_evaluation")
    assert public.disclosure_threshold == 5 and public.output_dir.parts[0] == "reports"
    public.population("cohort C1", 8)
    assert json.loads((public.output_dir / "disclosure.json").read_text())["populations"] == {"cohort C1": 8}
    # A kernel the runner started in the public folder cannot switch itself to internal.
    monkeypatch.setenv(RUN_DIR_ENV, str(tmp_path / "reports" / "cohort_evaluation" / ".cohort-C1.staging-1"))
    monkeypatch.setenv("WORKBENCH_REPORTS", str(tmp_path / "reports"))
    with pytest.raises(AudienceError):
        current_run(5, audience="internal")


def _manifest_with_audience(tmp_path: Path) -> Path:
    """The runner fixture's per-cohort notebook with an ``audience`` parameter passed to current_run."""
    notebook = json.loads((RUNNER / "per_cohort.ipynb").read_text())
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if "parameters" in cell["metadata"].get("tags", []):
            cell["source"] = source + '\naudience: str = "public"'
        elif "current_run()" in source:
            cell["source"] = source.replace("current_run()", "current_run(audience=audience)")
    (tmp_path / "per_cohort.ipynb").write_text(json.dumps(notebook))
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(
        "analyses:\n  per_cohort:\n    notebook: per_cohort.ipynb\n    for_each: {cohort: cohorts.cohort_id}\n"
    )
    return manifest


def test_audience_reaches_every_notebook_that_declares_it_and_the_provenance(base_store: Store, tmp_path: Path):
    manifest = _manifest_with_audience(tmp_path)
    planned = plan_runs(manifest, base_store, tmp_path / "out", audience="internal")
    assert {p.spec.audience for p in planned} == {"internal"}
    assert all(p.spec.parameters["audience"] == "internal" for p in planned)
    assert all("~" not in p.spec.run_id for p in planned)  # same run ids: the audiences have separate folders
    with pytest.raises(ParameterError, match="--audience"):
        plan_runs(manifest, base_store, tmp_path / "out", overrides={"audience": "internal"})
    with pytest.raises(AudienceError):
        run_manifest(manifest, base_store, tmp_path / "reports", audience="internal")

    internal = tmp_path / "internal-reports"
    summary = run_manifest(manifest, base_store, internal, audience="internal", jobs=1, select=["per_cohort/cohort-T1"])
    assert not summary.failures, summary.failures
    run = internal / "per_cohort" / "cohort-T1"
    assert json.loads((run / "provenance.json").read_text())["audience"] == "internal"
    assert json.loads((run / "disclosure.json").read_text())["threshold"] == 1
    assert json.loads((run / "audit.json").read_text())["audited"] is False


def test_cli_audience_writes_to_internal_reports_and_refuses_the_public_folder(
    base_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    manifest = _manifest_with_audience(tmp_path)
    refused = CliRunner().invoke(
        app,
        [
            "run",
            "--manifest",
            str(manifest),
            "--store",
            str(base_store.path),
            "--reports",
            str(tmp_path / "reports"),
            "--audience",
            "internal",
        ],
    )
    assert refused.exit_code == 2 and "holds public reports" in refused.output
    assert not (tmp_path / "reports").exists()
    monkeypatch.chdir(tmp_path)
    planned = CliRunner().invoke(
        app,
        ["run", "--manifest", str(manifest), "--store", str(base_store.path), "--audience", "internal", "--dry-run"],
    )
    assert planned.exit_code == 0, planned.output
    bad = CliRunner().invoke(
        app, ["run", "--manifest", str(manifest), "--store", str(base_store.path), "--audience", "board"]
    )
    assert bad.exit_code == 2
