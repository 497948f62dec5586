"""Small executed notebooks built in the test (no kernel): the conventions the notebooks follow, and stray output."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from evaluation.report import RenderedReport, RunStamp

# Numbers the summary shows; the PDF's text must carry them.
SUMMARY_NUMBERS = ("1.25", "0.63", "1.87", "4.20")
STAMP = RunStamp("cohort_evaluation", "cohort-T1", "2026-12-07T16:10:00+00:00", "9a161c5abcdef")
CHART_COLOUR = "#12436D"


def _code(
    outputs: list[dict[str, Any]], *, tags: tuple[str, ...] = (), source: str = "x = 1", count: int = 1
) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {"tags": list(tags)},
        "source": source,
        "outputs": outputs,
    }


def markdown_cell(text: str, *, tags: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)}, "source": text}


def display(mime: str, content: Any) -> dict[str, Any]:
    return {"output_type": "display_data", "metadata": {}, "data": {mime: content}}


def stream(name: str, text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": text}


def figure_output(title: str = "Change in confidence") -> dict[str, Any]:
    figure = go.Figure(go.Bar(x=["Baseline", "Endpoint"], y=[2.9, 4.15], marker_color=CHART_COLOUR))
    figure.update_layout(title=title, height=340)
    spec = json.loads(figure.to_json())
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "application/vnd.plotly.v1+json": spec,
            "text/html": "<div>figure as the notebook shows it"
            '<script src="https://cdn.example.org/mathjax.js"></script></div>',
            "text/plain": "Figure",
        },
    }


TABLE_HTML = (
    '<div class="wb-table"><table><caption>Participants by survey</caption><thead><tr>'
    '<th scope="col">Survey</th><th scope="col" class="wb-num">People</th></tr></thead><tbody>'
    '<tr><th scope="row">Baseline</th><td class="wb-num">8</td></tr>'
    '<tr><th scope="row">Endpoint</th><td class="wb-num">[c]</td></tr></tbody></table>'
    '<ul class="wb-table-notes"><li>[c]: fewer than 5 people (suppressed).</li></ul></div>'
)


def notebook(
    *, audience: str | None = None, stray: tuple[dict[str, Any], ...] = (), sections: int = 3, summary: bool = True
) -> dict[str, Any]:
    """An executed report notebook: title, sections with findings, a table, a chart, notes, and the summary last."""
    cells = [
        markdown_cell("# Synthetic cohort evaluation\n\nThis report evaluates one synthetic cohort."),
        _code([], tags=("parameters",), source="audience = 'public'"),
        _code([stream("stdout", "Cohort T1: 8 enrolled.\n"), *stray], count=2),
    ]
    for number in range(1, sections + 1):
        cells += [
            markdown_cell(f"## Section {number}: what changed"),
            _code(
                [
                    display(
                        "text/markdown",
                        f"Finding {number}: confidence rose by **1.25** points (95% interval 0.63 to 1.87).",
                    )
                ],
                count=2 + number,
            ),
        ]
    cells += [
        _code([display("text/html", TABLE_HTML)], count=10),
        _code([figure_output()], count=11),
        _code(
            [
                display(
                    "text/markdown",
                    "## Notes on the analysis\n\n- 26 of 2,000 bootstrap replicates "
                    "could not be computed; the interval uses the rest.",
                )
            ],
            tags=("notes",),
            count=12,
        ),
    ]
    if summary:
        cells.append(
            _code(
                [
                    display(
                        "text/markdown",
                        "## Summary\n\n**The question.** Did confidence rise?\n\n"
                        "- **Confidence.** Rose by 1.25 points (95% interval 0.63 to "
                        "1.87). *Strength of evidence:* moderate.\n- **Rating.** "
                        "Mean rating 4.20 out of 5.",
                    )
                ],
                tags=("summary",),
                count=13,
            )
        )
    parameters = {"cohort": "T1"} | ({"audience": audience} if audience else {})
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": cells,
        "metadata": {"papermill": {"parameters": parameters}, "kernelspec": {"name": "python3"}},
    }


def write_notebook(folder: Path, content: dict[str, Any], name: str = "notebook.ipynb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Printed:
    html: Path
    pdf: Path
    report: RenderedReport


def publish_synthetic_run(reports: Path, key: str, printed: Printed, title: str) -> Path:
    """A published run folder holding a copy of ``printed`` under ``key``, as `workbench run` leaves one."""
    analysis, run_id = key.split("/")
    folder = reports / analysis / run_id
    folder.mkdir(parents=True)
    shutil.copy(printed.pdf, folder / "report.pdf")
    provenance = {
        "analysis": analysis,
        "run_id": run_id,
        "started_at": STAMP.started_at,
        "git_commit": "abc1234",
        "parameters": {},
        "status": "success",
        "report": {"title": title, "audience": printed.report.audience, "pdf": True, "withheld": []},
    }
    (folder / "provenance.json").write_text(json.dumps(provenance))
    return folder
