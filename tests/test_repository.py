"""Rules for what is committed: clean notebooks, an up-to-date data dictionary, a working CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.schemas.dictionary import render_dictionary
from evaluation.thin_notebooks import cell_logic, notebook_logic

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


# Every notebook on disk under notebooks/ and dashboards/, committed or not (Jupyter's checkpoints aside).
ANALYSIS_NOTEBOOKS = sorted(
    path
    for folder in ("notebooks", "dashboards")
    for path in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)


@pytest.mark.parametrize("notebook", ANALYSIS_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_hold_no_definitions_loops_or_conditionals(notebook: Path):
    found = notebook_logic(notebook)
    assert not found, "notebooks are thin; logic found:\n" + "\n".join(map(str, found))


def test_the_thin_notebook_rule_names_the_cell_and_line_of_every_kind_of_logic(tmp_path: Path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["x = 1\n", "y = 2"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["%time x = 1\n", "def f(a):\n", "    return a\n", "total = sum(v for v in values)"],
        },
    ]
    notebook = tmp_path / "logic.ipynb"
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert [(f.cell, f.line, f.what) for f in notebook_logic(notebook)] == [
        (3, 2, "a function definition"),
        (3, 4, "a generator expression (a loop)"),
    ]
    assert str(notebook_logic(notebook)[0]).startswith(f"{notebook}, cell 3, line 2: a function definition: def f(a):")
    kinds = {
        "class A: pass": "a class definition",
        "f = lambda x: x": "a lambda",
        "while True: pass": "a while loop",
        "for x in y: pass": "a for loop",
        "squares = {x: x * x for x in y}": "a dict comprehension (a loop)",
        "unique = {x for x in y}": "a set comprehension (a loop)",
        "if a: b()": "an if statement",
        "z = a if b else c": "a conditional expression",
        "z = a and b": "a boolean operator choosing a value (a conditional)",
        "try:\n    f()\nexcept KeyError:\n    pass": "a try statement (a conditional on failure)",
        "match x:\n    case 1:\n        pass": "a match statement (a conditional)",
        "with open(p) as f: pass": "a with statement",
        "assert x": "an assert statement",
        "del x": "a del statement",
        "x = (": "not valid Python ('(' was never closed)",
    }
    assert {code: [what for _, what in cell_logic(code)][0] for code in kinds} == kinds
    assert cell_logic("from evaluation import presentation as show\nrun: int = 1\nrun += 1\nshow.table(t)") == []


def test_data_dictionary_matches_the_schemas():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text()
    assert committed == render_dictionary(), "docs/data-dictionary.md is stale: run `workbench dictionary`"


@pytest.mark.parametrize("command", [[], ["demo"], ["ingest"], ["validate"], ["dictionary"], ["run"], ["new"]])
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


def test_make_help_lists_every_target_with_what_it_does():
    makefile = (ROOT / "Makefile").read_text()
    phony = next(line for line in makefile.splitlines() if line.startswith(".PHONY:")).split()[1:]
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    described = {line.split()[0]: line.split(maxsplit=1)[1] for line in shown.splitlines() if line.strip()}
    assert sorted(described) == sorted(phony)
    assert all(len(text) > 10 for text in described.values())
