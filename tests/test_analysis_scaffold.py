"""``workbench new``: what it writes passes as generated, runs and publishes on the demo data; a refused name or a
failed write changes nothing; the manifest keeps its comments and order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from evaluation.analysis_scaffold import ScaffoldError, command_new, new_analysis
from evaluation.analysis_scaffold.manifest_entry import ManifestEntryError, add_analysis
from evaluation.run.audit import assert_run_publishable
from evaluation.run.manifest import load_manifest
from evaluation.thin_notebooks import notebook_logic
from support import ROOT

BIN = Path(sys.executable).parent
NAME = "wave_scores"


def checkout_copy(target: Path) -> Path:
    """What ``workbench new`` and ``workbench run`` need of the repository: the package's source, the notebooks
    and their manifest, pyproject.toml (ruff's settings) and an empty tests/analyses/."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "src" / "evaluation", target / "src" / "evaluation", ignore=ignore)
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    (target / "tests" / "analyses").mkdir(parents=True)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return checkout_copy(tmp_path / "checkout")


def in_copy(root: Path, *command: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """A command of the venv run in the copy, importing ``evaluation`` from the copy's src (PYTHONPATH comes
    before the editable install's path), so the new package is importable and the checkout is untouched."""
    environment = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def generated(root: Path, name: str = NAME) -> list[Path]:
    return [
        root / "src" / "evaluation" / "analyses" / name / "__init__.py",
        root / "src" / "evaluation" / "analyses" / name / "scores.py",
        root / "src" / "evaluation" / "analyses" / name / "figures.py",
        root / "src" / "evaluation" / "analyses" / name / "sections.py",
        root / "tests" / "analyses" / f"test_{name}.py",
        root / "notebooks" / f"{name}.ipynb",
    ]


@pytest.mark.slow
def test_new_then_run_publishes_a_report_on_the_demo_data_that_passes_the_audit(checkout: Path, tmp_path: Path):
    manifest_before = (ROOT / "notebooks" / "manifest.yml").read_bytes()
    made = in_copy(checkout, "workbench", "new", NAME, "--title", "Confidence at each wave")
    assert made.returncode == 0, made.stderr
    assert f"workbench run --select {NAME}" in made.stdout
    files = generated(checkout)
    assert all(path.exists() for path in files)
    assert str(ROOT) not in made.stdout  # written in the copy, not in the developer's checkout
    assert not (ROOT / "notebooks" / f"{NAME}.ipynb").exists()
    assert (ROOT / "notebooks" / "manifest.yml").read_bytes() == manifest_before
    assert not (ROOT / "src" / "evaluation" / "analyses" / NAME).exists()

    relative = [str(path.relative_to(checkout)) for path in files]
    lint = in_copy(checkout, "ruff", "check", *relative)
    assert lint.returncode == 0, lint.stdout
    formatting = in_copy(checkout, "ruff", "format", "--check", *relative)
    assert formatting.returncode == 0, formatting.stdout
    assert notebook_logic(files[-1]) == []
    nbformat.validate(nbformat.read(files[-1], as_version=4))
    tests = in_copy(checkout, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", relative[-2])
    assert tests.returncode == 0, tests.stdout + tests.stderr

    store = tmp_path / "store" / "workbench.duckdb"
    plan = ROOT / "data" / "demo" / "ingest.yml"
    ingest = in_copy(checkout, "workbench", "ingest", "--demo", "--store", str(store), str(plan))
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    reports = tmp_path / "reports"
    run = in_copy(
        checkout,
        "workbench",
        "run",
        "--select",
        NAME,
        "--store",
        str(store),
        "--reports",
        str(reports),
        "--no-publish",
        "--no-pdf",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    folder = reports / NAME / "all"
    assert (folder / "report.html").exists()
    assert "Confidence at each wave" in (folder / "report.html").read_text(encoding="utf-8")
    results = (folder / "results.csv").read_text().splitlines()
    assert results[0].startswith("analysis,term,group,estimate") and len(results) == 4  # baseline, endpoint, follow-up
    assert json.loads((folder / "audit.json").read_text()) == {
        "audited": True,
        "audience": "public",
        "threshold": 5,
        "findings": [],
    }
    assert_run_publishable(folder)


def test_the_manifest_keeps_its_comments_and_order_and_reads_back_with_the_new_analysis(checkout: Path):
    manifest = checkout / "notebooks" / "manifest.yml"
    before = manifest.read_text()
    new_analysis(checkout, NAME)
    after = manifest.read_text()
    assert after.startswith(before)  # every line kept, the entry added after the last analysis
    analyses = load_manifest(manifest)
    assert list(analyses)[-1] == NAME
    assert list(analyses)[:-1] == list(yaml.safe_load(before)["analyses"])
    assert analyses[NAME].title == "Wave scores"
    assert analyses[NAME].parameters == {"survey": "leadership-survey"}


def test_an_entry_goes_inside_the_analyses_block_whatever_follows_it():
    manifest = "analyses:   # the runs\n    first:\n        notebook: a.ipynb\n\n# a later key\nsettings: {x: 1}\n"
    result = add_analysis(manifest, "second", [(1, "notebook: b.ipynb")])
    assert result == (
        "analyses:   # the runs\n    first:\n        notebook: a.ipynb\n    second:\n        notebook: b.ipynb\n"
        "\n# a later key\nsettings: {x: 1}\n"
    )
    with pytest.raises(ManifestEntryError, match="already has an analysis 'first'"):
        add_analysis(manifest, "first", [(1, "notebook: b.ipynb")])
    with pytest.raises(ManifestEntryError, match="no mapping 'analyses:'"):
        add_analysis("other: 1\n", "second", [])
    with pytest.raises(ManifestEntryError, match="expected one block 'analyses:'"):
        add_analysis("analyses: {first: {notebook: a.ipynb}}\n", "second", [(1, "notebook: b.ipynb")])
    for entry in ([(1, "notebook: [b.ipynb")], [(0, "third: {}")]):  # unreadable; another analysis as well
        with pytest.raises(ManifestEntryError, match="would change what the manifest holds"):
            add_analysis(manifest, "second", entry)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("wave-scores", "not a lower-case Python identifier"),
        ("2024_review", "not a lower-case Python identifier"),
        ("WaveScores", "not a lower-case Python identifier"),
        ("class", "not a lower-case Python identifier"),
        ("", "not a lower-case Python identifier"),
        ("a" * 41, "longer than 40 characters"),
        ("cohort", "'cohort' is taken: .*analyses/cohort"),
        ("loti", "'loti' is taken: .*analyses/loti"),
        ("cohort_evaluation", "'cohort_evaluation' is taken: .*notebooks/cohort_evaluation.ipynb"),
    ],
)
def test_a_refused_name_changes_nothing(checkout: Path, name: str, why: str):
    before = snapshot(checkout)
    with pytest.raises(ScaffoldError, match=why):
        new_analysis(checkout, name)
    assert snapshot(checkout) == before


def test_a_name_already_in_the_manifest_or_tests_is_refused(checkout: Path, capsys: pytest.CaptureFixture[str]):
    manifest = checkout / "notebooks" / "manifest.yml"
    manifest.write_text(manifest.read_text() + f"  {NAME}:\n    notebook: programme_risks.ipynb\n")
    before = snapshot(checkout)
    assert command_new(checkout, NAME) == 2
    assert f"already has an analysis '{NAME}'; nothing was written" in capsys.readouterr().err
    (checkout / "tests" / "analyses" / "test_other.py").write_text("")
    with pytest.raises(ScaffoldError, match="'other' is taken: .*test_other.py"):
        new_analysis(checkout, "other")
    (checkout / "src" / "evaluation" / "analyses" / "solo.py").write_text("")
    with pytest.raises(ScaffoldError, match="'solo' is taken: .*analyses/solo.py"):
        new_analysis(checkout, "solo")
    assert snapshot(checkout) == {**before, "tests/analyses/test_other.py": b"", "src/evaluation/analyses/solo.py": b""}


def test_a_title_that_cannot_be_written_safely_is_refused(checkout: Path):
    before = snapshot(checkout)
    for title in ('The "new" one', "two\nlines", "x" * 81, " "):
        with pytest.raises(ScaffoldError, match="title"):
            new_analysis(checkout, NAME, title)
    assert snapshot(checkout) == before


def test_outside_the_repository_root_it_says_where_to_run_it(tmp_path: Path):
    with pytest.raises(ScaffoldError, match="run `workbench new` from the repository's root"):
        new_analysis(tmp_path, NAME)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_removes_what_was_written(checkout: Path, monkeypatch: pytest.MonkeyPatch):
    before = snapshot(checkout)
    real_open = Path.open

    def open_failing_on_the_notebook(path: Path, mode: str = "r", *args: object, **kwargs: object):
        if path.suffix == ".ipynb" and mode == "x":
            raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_failing_on_the_notebook)
    with pytest.raises(OSError, match="No space left"):
        new_analysis(checkout, NAME)
    monkeypatch.undo()
    assert snapshot(checkout) == before
    assert not (checkout / "src" / "evaluation" / "analyses" / NAME).exists()
