"""What a reader of each executed demo report sees: formatted findings, tables in words, no machine output.

For every run of the default manifest (the session fixture ``demo_run``): no stderr, error or printed output
and no DataFrame display in the executed notebook; in the visible text of the notebook's displays and of
report.html (outside <script> and <style>) no traceback, machine path, ``NaN``/``NaT``/``True``/``False`` or
number in exponent form; the summary and notes cells last, tagged, showing their sections. The checks are in
``report_text_checks``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.store import Store
from report_text_checks import notebook_problems, report_problems

ANALYSES = [
    "cohort_evaluation",
    "programme_evaluation",
    "programme_risks",
    "peer_challenge_followup_all",
    "project_evaluation",
    "portfolio_evaluation",
    "maturity_london",
]


@pytest.fixture(scope="module")
def reports(demo_run: tuple[Store, Path]) -> Path:
    return demo_run[1]


def runs_of(reports: Path, analysis: str) -> list[Path]:
    runs = sorted(p for p in (reports / analysis).iterdir() if (p / "notebook.ipynb").exists())
    assert runs, f"no executed run of {analysis} under {reports}"
    return runs


@pytest.mark.parametrize("analysis", ANALYSES)
def test_executed_notebooks_show_no_machine_output(reports: Path, analysis: str) -> None:
    for run in runs_of(reports, analysis):
        assert notebook_problems(run / "notebook.ipynb") == [], run.name


@pytest.mark.parametrize("analysis", ANALYSES)
def test_reports_read_as_formatted_text(reports: Path, analysis: str) -> None:
    for run in runs_of(reports, analysis):
        assert report_problems(run / "report.html") == [], run.name
        assert 'class="wb-table"' in (run / "report.html").read_text(encoding="utf-8"), f"{run.name}: no table"


@pytest.mark.parametrize("analysis", ANALYSES)
def test_reports_have_a_summary_with_evidence_and_notes(reports: Path, analysis: str) -> None:
    for run in runs_of(reports, analysis):
        notebook = json.loads((run / "notebook.ipynb").read_text())
        shown = [
            "".join(o.get("data", {}).get("text/markdown", ""))
            for cell in notebook["cells"]
            for tag in ("summary", "notes")
            if tag in cell.get("metadata", {}).get("tags", [])
            for o in cell["outputs"]
        ]
        assert len(shown) == 2, run.name
        assert shown[0].startswith("## Summary") and "**Key findings**" in shown[0], run.name
        assert "Strength of evidence:" in shown[0] and "What this evaluation can and cannot show" in shown[0]
        assert shown[1].startswith("## Notes on the analysis"), run.name


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """The checks are not vacuous: a notebook and a page with each fault are caught."""

    def cell(outputs: list[dict], tags: list[str] | None = None) -> dict:
        return {"cell_type": "code", "metadata": {"tags": tags or []}, "outputs": outputs, "source": ""}

    notebook = {
        "cells": [
            cell([{"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: /work/x/paired.py"}]),
            cell([{"output_type": "display_data", "data": {"text/plain": "   a\n0  1.0\n1  NaN"}}]),
            cell(
                [
                    {
                        "output_type": "display_data",
                        "data": {"text/html": '<table class="dataframe"><td>True</td></table>', "text/plain": "x"},
                    }
                ]
            ),
            cell([{"output_type": "display_data", "data": {"text/markdown": "p = 3.7e-08"}}]),
            cell([], ["notes"]),
            cell([], ["summary"]),
        ]
    }
    path = tmp_path / "notebook.ipynb"
    path.write_text(json.dumps(notebook))
    problems = "\n".join(notebook_problems(path))
    for fault in (
        "stderr",
        "plain-text table",
        "raw DataFrame",
        "True/False",
        "scientific notation",
        "not tagged summary and notes",
    ):
        assert fault in problems, fault
    page = tmp_path / "report.html"
    page.write_text('<script>var x = NaN;</script><p>Traceback in /home/me</p><table class="dataframe"></table>')
    problems = "\n".join(report_problems(page))
    assert "traceback" in problems and "absolute path" in problems and "DataFrame" in problems
    assert "NaN" not in problems  # text inside <script> is not visible
