"""What a reader of each executed demo report sees: formatted findings, tables in words, no machine output.

For every run of an analysis listed here (from the session fixture ``demo_run``, the whole demo manifest):
no stderr stream and no error in the executed notebook; in the visible text of report.html (outside
<script> and <style>) no Traceback, no machine path, no ``NaN``/``NaT``/``True``/``False`` and no number in
exponent form; no DataFrame display (no ``class="dataframe"`` table, no DataFrame shown only as plain text);
the summary and notes cells present, tagged and showing their sections.

Helper A's analyses are in ``PRESENTED_A``, each list with its own test functions, so that another list joins
this file without touching these.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

# The cohort, programme and governance reports (issue 13, helper A).
PRESENTED_A = ["cohort_evaluation", "programme_evaluation", "programme_risks", "peer_challenge_followup_all"]

#: What must never reach a reader: a traceback, a machine path, a missing-value or boolean repr, raw exponents.
FORBIDDEN = re.compile(r"Traceback|/work/|/home/|/tmp/|site-packages|\bNaN\b|\bNaT\b|\bTrue\b|\bFalse\b|"
                       r"\de[-+]0\d")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """The text a browser shows of an HTML page: tags, scripts and styles removed, entities decoded."""
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def runs_of(reports: Path, analysis: str) -> list[Path]:
    runs = sorted(p for p in (reports / analysis).iterdir() if (p / "notebook.ipynb").exists())
    assert runs, f"no executed run of {analysis} under {reports}"
    return runs


def outputs(notebook: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(i, o) for i, cell in enumerate(notebook["cells"]) for o in cell.get("outputs", [])]


def problems_in_notebook(notebook: dict[str, Any]) -> list[str]:
    """Every stderr stream, error and DataFrame display of an executed notebook, as messages."""
    found = []
    for i, output in outputs(notebook):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stderr":
            found.append(f"cell {i}: stderr {''.join(output['text'])[:200]!r}")
        elif kind == "error":
            found.append(f"cell {i}: error {output.get('ename')}")
        data = output.get("data", {})
        shown = "".join(data.get("text/html", ""))
        if 'class="dataframe"' in shown:
            found.append(f"cell {i}: a DataFrame table (with its index)")
        if set(data) == {"text/plain"} and re.search(r"^\s*\d+\s+\S", "".join(data["text/plain"]), re.M):
            found.append(f"cell {i}: a DataFrame or Series shown as plain text")
    return found


def problems_in_page(page: str) -> list[str]:
    """What a reader should not see in a report page's visible text, each with its context."""
    text = visible_text(page)
    found = [f"{m.group(0)!r} in ...{text[max(0, m.start() - 60):m.end() + 30]!r}" for m in FORBIDDEN.finditer(text)]
    if 'class="dataframe"' in page:
        found.append('a DataFrame table (class="dataframe")')
    return found


def tagged(notebook: dict[str, Any], tag: str) -> list[dict[str, Any]]:
    return [c for c in notebook["cells"] if tag in c.get("metadata", {}).get("tags", [])]


def test_the_checks_catch_what_they_are_for():
    page = ('<style>td{x:1}</style><p>p = 3.739372e-08 from /work/wt/src/x.py: NaN</p>'
            '<table class="dataframe"></table><script>var True = 1;</script>')
    found = " ".join(problems_in_page(page))
    assert "e-08" in found and "/work/" in found and "NaN" in found and "dataframe" in found
    assert "True" not in found  # inside <script>, not visible
    assert problems_in_page("<p>Mean 0.78 (95% interval 0.34 to 0.95); Yes; p &lt; 0.001; 9 NaNs-free</p>") == []
    notebook = {"cells": [{"outputs": [{"output_type": "stream", "name": "stderr", "text": ["warn"]},
                                       {"output_type": "execute_result",
                                        "data": {"text/plain": ["   a\n0  1\n1  2"]}}]}]}
    assert len(problems_in_notebook(notebook)) == 2


@pytest.mark.parametrize("analysis", PRESENTED_A)
def test_executed_notebooks_of_a_show_no_machine_output(demo_run, analysis):
    _, reports = demo_run
    for run in runs_of(reports, analysis):
        notebook = json.loads((run / "notebook.ipynb").read_text())
        assert problems_in_notebook(notebook) == [], run.name


@pytest.mark.parametrize("analysis", PRESENTED_A)
def test_reports_of_a_read_as_formatted_text(demo_run, analysis):
    _, reports = demo_run
    for run in runs_of(reports, analysis):
        page = (run / "report.html").read_text(encoding="utf-8")
        assert problems_in_page(page) == [], run.name
        assert 'class="wb-table"' in page, f"{run.name}: no report table"


@pytest.mark.parametrize("analysis", PRESENTED_A)
def test_reports_of_a_end_with_a_tagged_summary_and_notes(demo_run, analysis):
    _, reports = demo_run
    for run in runs_of(reports, analysis):
        notebook = json.loads((run / "notebook.ipynb").read_text())
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        summary, notes = tagged(notebook, "summary"), tagged(notebook, "notes")
        assert len(summary) == len(notes) == 1 and code[-2:] == [summary[0], notes[0]], run.name
        shown = ["".join(o.get("data", {}).get("text/markdown", "")) for c in (*summary, *notes)
                 for o in c["outputs"]]
        assert shown[0].startswith("## Summary") and "**Key findings**" in shown[0], run.name
        assert "Strength of evidence:" in shown[0] and "What this evaluation can and cannot show" in shown[0]
        assert shown[1].startswith("## Notes on the analysis"), run.name
        page = visible_text((run / "report.html").read_text(encoding="utf-8"))
        assert "Summary" in page and "Notes on the analysis" in page, run.name
