"""Rules for what is committed: clean notebooks, an up-to-date data dictionary, a working CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.schemas.dictionary import render_dictionary

ROOT = Path(__file__).resolve().parents[1]


def _committed_notebooks() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not listed:  # not a git checkout (e.g. an sdist): check every notebook in the tree
        return sorted(p for p in ROOT.rglob("*.ipynb") if ".venv" not in p.parts and "reports" not in p.parts)
    return [ROOT / name for name in listed]


@pytest.mark.parametrize("notebook", _committed_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebooks_have_no_outputs_or_execution_counts(notebook: Path):
    cells = json.loads(notebook.read_text())["cells"]
    dirty = [
        i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{notebook.name}: cells {dirty} have outputs; run nbstripout"


def test_data_dictionary_matches_the_schemas():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text()
    assert committed == render_dictionary(), "docs/data-dictionary.md is stale: run `workbench dictionary`"


@pytest.mark.parametrize("command", [[], ["demo"], ["ingest"], ["validate"], ["dictionary"], ["run"]])
def test_every_command_has_help(command: list[str]):
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_ingest_without_a_key_explains_how_to_set_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WORKBENCH_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("WORKBENCH_PSEUDONYM_KEY_FILE", str(tmp_path / "absent.key"))
    result = CliRunner().invoke(
        app,
        ["ingest", "--store", str(tmp_path / "s.duckdb"), str(ROOT / "tests" / "fixtures" / "base" / "cohorts.csv")],
    )
    assert result.exit_code == 2
    assert "WORKBENCH_PSEUDONYM_KEY" in result.output
    assert not (tmp_path / "s.duckdb").exists()


def test_a_refused_ingest_prints_every_problem_and_exits_non_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_PSEUDONYM_KEY", "a-test-key-that-is-long-enough")
    bad = ROOT / "tests" / "bad_inputs" / "participant_bad_grade" / "participants.csv"
    result = CliRunner().invoke(app, ["ingest", "--store", str(tmp_path / "s.duckdb"), str(bad)])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert "participants.csv, row 2, column 'grade': 'Chief Executive': not one of" in " ".join(result.output.split())
