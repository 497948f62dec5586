"""``workbench run`` end to end on small notebooks: skips, reproducibility, incrementality, failures, Dask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.run.parameters import ParameterError
from evaluation.run.scheduler import plan_runs, run_manifest
from evaluation.store import Store
from support import FIXTURES, TEST_KEY

RUNNER = FIXTURES / "runner"
MANIFEST = RUNNER / "manifest.yml"
pytestmark = pytest.mark.slow


def _actions(summary) -> dict[str, str]:
    return {p.spec.key: p.action for p in summary.planned}


def _executed(summary) -> set[str]:
    return {p.spec.key for p in summary.planned if p.outcome is not None}


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    return tmp_path / "reports"


def test_second_run_executes_nothing_and_forced_results_are_identical(base_store: Store, reports: Path):
    first = run_manifest(MANIFEST, base_store, reports, jobs=2)
    assert _executed(first) == {"per_cohort/cohort-T1", "per_cohort/cohort-T2", "overall/all"}
    assert not first.failures
    results = {k: (reports / k / "results.csv").read_bytes() for k in _executed(first)}

    second = run_manifest(MANIFEST, base_store, reports, jobs=2)
    assert _executed(second) == set()
    assert set(_actions(second).values()) == {"skip"}

    forced = run_manifest(MANIFEST, base_store, reports, jobs=2, force=True)
    assert _executed(forced) == set(results)
    assert {k: (reports / k / "results.csv").read_bytes() for k in results} == results

    t1 = pd.read_csv(reports / "per_cohort" / "cohort-T1" / "results.csv")
    assert list(t1.columns[:11]) == [
        "analysis",
        "term",
        "group",
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
        "n",
        "method",
    ]
    assert t1.loc[0, "n"] == 5 and t1.loc[0, "analysis"] == "per_cohort"

    provenance = json.loads((reports / "per_cohort" / "cohort-T1" / "provenance.json").read_text())
    assert provenance["status"] == "success" and provenance["parameters"] == {"cohort": "T1"}
    assert provenance["reads"][0]["sha256"] == base_store.content_sha256("participants", "cohort_id = ?", ["T1"])
    assert set(provenance["fingerprint"]) == {"notebook_sha256", "parameters", "inputs", "upstream", "package_version"}
    for name in ("notebook.ipynb", "report.html", "results.parquet"):
        assert (reports / "per_cohort" / "cohort-T1" / name).exists()
    report = (reports / "per_cohort" / "cohort-T1" / "report.html").read_text()
    assert "Test analysis: participants of one cohort" in report and "current_run" not in report, (
        "the HTML report keeps the narrative and hides code"
    )
    index = pd.read_parquet(reports / "index.parquet")
    assert set(index["analysis"] + "/" + index["run_id"]) == set(results)
    assert not list(reports.rglob("*.staging-*")), "no staging folder may be left behind"


def test_touching_one_cohort_reruns_exactly_the_runs_that_read_it(base_store: Store, reports: Path, tmp_path: Path):
    run_manifest(MANIFEST, base_store, reports, jobs=2)
    newcomer = tmp_path / "participants.csv"
    rows = (FIXTURES / "base" / "participants.csv").read_text().splitlines()
    newcomer.write_text(
        "\n".join(
            [
                rows[0],
                "rosalind.franklin@example.org,Rosalind Franklin,T2,Director,Science,"
                "2024-07-01,,,,Female,White,No,35-44",
            ]
        )
        + "\n"
    )
    run_ingest([IngestJob(newcomer)], base_store, TEST_KEY)

    plan = {p.spec.key: (p.action, p.reason) for p in plan_runs(MANIFEST, base_store, reports)}
    assert plan["per_cohort/cohort-T1"] == ("skip", "up to date")
    assert plan["per_cohort/cohort-T2"] == ("run", "input changed: participants where cohort_id = 'T2'")
    assert plan["overall/all"][0] == "wait"

    summary = run_manifest(MANIFEST, base_store, reports, jobs=2)
    assert _executed(summary) == {"per_cohort/cohort-T2", "overall/all"}


def test_a_downstream_run_is_skipped_when_upstream_results_did_not_change(base_store: Store, reports: Path):
    run_manifest(MANIFEST, base_store, reports, jobs=2)
    summary = run_manifest(MANIFEST, base_store, reports, jobs=2, select=["per_cohort/cohort-T1"], force=True)
    # --force re-runs what was selected; overall is not selected, so it is not re-run.
    assert _executed(summary) == {"per_cohort/cohort-T1"}


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("cohort=99", "'99' is not in the store"),
        ("scale=abc", "'abc' is not a float"),
        ('x=__import__("os")', "unknown parameter 'x'"),
    ],
)
def test_bad_parameters_are_refused_before_any_kernel_starts(
    base_store: Store, reports: Path, override, message, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("papermill.execute_notebook", lambda *a, **k: pytest.fail("a kernel was started"))
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan_runs(MANIFEST, base_store, reports, overrides=dict([override.split("=", 1)]))
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--manifest",
            str(MANIFEST),
            "--store",
            str(base_store.path),
            "--reports",
            str(reports),
            "-p",
            override,
        ],
    )
    assert result.exit_code == 2
    assert message.split("'")[1] in result.output
    assert not reports.exists()


def test_overrides_make_a_separate_run_and_reach_the_notebook(base_store: Store, reports: Path):
    summary = run_manifest(
        MANIFEST, base_store, reports, jobs=2, select=["per_cohort/cohort-T1"], overrides={"scale": "3"}
    )
    (key,) = _executed(summary)
    assert key.startswith("per_cohort/cohort-T1~")
    assert pd.read_csv(reports / key / "results.csv").loc[0, "estimate"] == 5.0


def test_failures_are_reported_and_do_not_stop_the_other_runs(base_store: Store, reports: Path):
    manifest = RUNNER / "failures.yml"
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--manifest",
            str(manifest),
            "--store",
            str(base_store.path),
            "--reports",
            str(reports),
            "--jobs",
            "2",
            "--timeout",
            "20",
        ],
    )
    assert result.exit_code == 1
    assert (reports / "per_cohort" / "cohort-T1" / "results.csv").exists()
    # The summary wraps to the terminal's width, even inside words: compare without any whitespace.
    output = "".join(result.output.split())
    # Cells are numbered by execution count, as the partly executed notebook shows them
    # (papermill's injected-parameters cell counts, when there are parameters to inject).
    for expected in [
        "failing/all: cell 3: ValueError: planted failure for T1",
        "sleepy/all: cell 2: CellTimeoutError: the cell took longer than --timeout allows",
        "dies/all: cell 2: DeadKernelError: the kernel died",
    ]:
        assert "".join(expected.split()) in output
    partial = reports / "_failed" / "failing" / "all" / "notebook.ipynb"
    assert "".join(str(partial).split()) in output
    assert partial.exists()
    assert not (reports / "failing" / "all").exists(), "a failed run must not look like a published report"
    provenance = json.loads((reports / "_failed" / "failing" / "all" / "provenance.json").read_text())
    assert provenance["status"] == "failed" and provenance["error"]["exception"] == "ValueError"


def test_a_failed_rerun_keeps_the_last_good_report(base_store: Store, reports: Path, tmp_path: Path):
    run_manifest(MANIFEST, base_store, reports, select=["per_cohort/cohort-T1"], jobs=1)
    good = (reports / "per_cohort" / "cohort-T1" / "results.csv").read_bytes()
    manifest_dir = tmp_path / "manifest"
    shutil.copytree(RUNNER, manifest_dir)
    # Same analysis name and run, but the notebook now fails.
    shutil.copy(RUNNER / "failing.ipynb", manifest_dir / "per_cohort.ipynb")
    summary = run_manifest(manifest_dir / "manifest.yml", base_store, reports, select=["per_cohort/cohort-T1"], jobs=1)
    assert [f.key for f in summary.failures] == ["per_cohort/cohort-T1"]
    assert (reports / "per_cohort" / "cohort-T1" / "results.csv").read_bytes() == good


def test_dry_run_lists_what_would_run_and_why(base_store: Store, reports: Path):
    result = CliRunner().invoke(
        app,
        ["run", "--manifest", str(MANIFEST), "--store", str(base_store.path), "--reports", str(reports), "--dry-run"],
    )
    assert result.exit_code == 0
    assert "per_cohort/cohort-T1" in result.output and "never run" in result.output
    assert not reports.exists()


def test_dask_executor_runs_the_same_runs_on_a_local_cluster(base_store: Store, reports: Path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_manifest(MANIFEST, base_store, reports, executor="dask", scheduler=cluster.scheduler_address)
    assert _executed(summary) == {"per_cohort/cohort-T1", "per_cohort/cohort-T2", "overall/all"}
    assert not summary.failures
    assert (reports / "overall" / "all" / "results.csv").exists()


def test_deciding_what_to_run_imports_no_analysis_stack():
    """`workbench run` with nothing to do must stay quick: its modules import neither pandas nor plotly."""
    import subprocess
    import sys

    probe = (
        "import sys, evaluation.cli, evaluation.run.scheduler, evaluation.run.display, evaluation.store\n"
        "print(sorted(m for m in ('pandas', 'plotly', 'statsmodels', 'papermill') if m in sys.modules))"
    )
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "[]"
