"""What a reader sees in the LOTI project, LOTI portfolio and digital maturity reports of the demo run.

For each run of these analyses (the ``demo_run`` fixture runs the whole default manifest): no stderr, error or
printed output in the executed notebook, no machine path, traceback, ``NaN``/``NaT``/``True``/``False`` or
scientific notation in visible text (of the notebook's displays and of report.html outside <script>/<style>), no
DataFrame with its index, and the summary and notes cells present and tagged. The checks themselves are in
``report_text_checks`` (shared with the other analyses' test of the same name).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.store import Store
from report_text_checks import notebook_problems, report_problems

#: The runs of the analyses whose reports this file checks, as the default manifest names them.
LOTI_AND_MATURITY_RUNS = [*(f"project_evaluation/project-P0{i}" for i in range(1, 10)), "portfolio_evaluation/all",
                          "maturity_london/all"]


@pytest.fixture(scope="module")
def reports(demo_run: tuple[Store, Path]) -> Path:
    return demo_run[1]


@pytest.mark.parametrize("run", LOTI_AND_MATURITY_RUNS)
def test_loti_and_maturity_notebooks_read_cleanly(reports: Path, run: str) -> None:
    assert notebook_problems(reports / run / "notebook.ipynb") == []


@pytest.mark.parametrize("run", LOTI_AND_MATURITY_RUNS)
def test_loti_and_maturity_reports_read_cleanly(reports: Path, run: str) -> None:
    assert report_problems(reports / run / "report.html") == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """The checks are not vacuous: a notebook with each fault is caught."""
    import json

    def cell(outputs: list[dict], tags: list[str] | None = None) -> dict:
        return {"cell_type": "code", "metadata": {"tags": tags or []}, "outputs": outputs, "source": ""}

    notebook = {"cells": [
        cell([{"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: /work/x/paired.py"}]),
        cell([{"output_type": "display_data", "data": {"text/plain": "   a\n0  1.0\n1  NaN"}}]),
        cell([{"output_type": "display_data", "data": {"text/html": '<table class="dataframe"><td>True</td></table>',
                                                        "text/plain": "x"}}]),
        cell([{"output_type": "display_data", "data": {"text/markdown": "p = 3.7e-08"}}]),
        cell([], ["notes"]), cell([], ["summary"])]}
    path = tmp_path / "notebook.ipynb"
    path.write_text(json.dumps(notebook))
    problems = "\n".join(notebook_problems(path))
    for fault in ("stderr", "plain-text table", "raw DataFrame", "True/False", "scientific notation",
                  "not tagged summary and notes"):
        assert fault in problems, fault
    page = tmp_path / "report.html"
    page.write_text('<script>var x = NaN;</script><p>Traceback in /home/me</p><table class="dataframe"></table>')
    problems = "\n".join(report_problems(page))
    assert "traceback" in problems and "absolute path" in problems and "DataFrame" in problems
    assert "NaN" not in problems  # text inside <script> is not visible
