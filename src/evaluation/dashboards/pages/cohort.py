"""The cohort dashboard (``dashboards/cohort.ipynb``): one cohort of the digital leadership programme.

What it reads: ``cohort_evaluation`` (one run per cohort): ``mean_change`` and ``mean_rating_*`` results;
figures ``change``, ``ratings``, ``attendance``; tables ``completion``, ``applications_by_type``...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...schemas.programme import OUTCOMES, RATINGS
from ..data import PublishedRun, describe_estimate, format_value
from ..widgets import Part, headlines_html, provenance_html
from .scaffold import Dashboard, Reports, live_page, timed
from .sections import Section, estimates_section, run_body, run_options, run_sections
from .sources import COHORT_ANALYSIS

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd

COHORT_SECTIONS = (
    Section("Change in confidence, competence and application", figures=("change*",), tables=("paired_coverage",)),
    Section("How participants rated the programme", figures=("ratings*",)),
    Section("Attendance and completion", figures=("attendance*",), tables=("completion", "attendance")),
    Section("Applications at work", tables=("applications*",)),
)


def cohort_label(run: PublishedRun) -> str:
    """``Cohort C1``: how a cohort run is named in the selector and the provenance."""
    return f"Cohort {run.info.label}"


def change_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The ``mean_change`` rows of each outcome (``series`` the outcome)."""
    rows = results[results["term"] == "mean_change"].copy()
    rows["series"] = rows["group"].astype(str).str.split(":").str[0].str.strip()
    return rows[rows["series"].isin(OUTCOMES)]


def rating_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The ``mean_rating_*`` rows of each rating (``series`` the rating)."""
    rows = results[results["term"].astype(str).str.startswith("mean_rating_")].copy()
    rows["series"] = rows["term"].str.removeprefix("mean_rating_")
    return rows[rows["series"].isin(RATINGS)]


def cohort_sections(run: PublishedRun) -> list[Part]:
    """One cohort: provenance, headline estimates, its sections, every estimate."""
    results = run.results
    items = [
        (
            f"Change in {row['series']} ({str(row['group']).split(':', 1)[-1].strip()})",
            describe_estimate(row, signed=True),
        )
        for row in change_rows(results).to_dict("records")
    ]
    items += [
        (f"Rating of {row['series']} (1-5)", describe_estimate(row)) for row in rating_rows(results).to_dict("records")
    ]
    if run.has_table("completion"):
        completion = run.table("completion")
        suppressed = completion.suppressed()
        for i in completion.frame.index:
            if str(completion.frame.iat[i, 0]).strip() == "Total":
                continue
            parts = [
                f"{c} {format_value(completion.frame.at[i, c], suppressed=bool(suppressed.at[i, c]))}"
                for c in completion.frame.columns[1:]
            ]
            items.append(("Completion", "; ".join(parts)))
    return (
        [provenance_html(run, labels=[cohort_label(run)]), headlines_html(items)]
        + run_sections(run, COHORT_SECTIONS)
        + estimates_section(run, people=True)
    )


COHORT = Dashboard(
    "cohort",
    "Digital leadership programme: one cohort",
    "Choose a cohort to see its change in confidence, competence and application, its ratings, "
    "attendance, completion and applications at work, as published by its evaluation run.",
    "How did one cohort change, rate the programme and apply what it learnt?",
    (COHORT_ANALYSIS,),
    run_body(COHORT_ANALYSIS, cohort_sections),
    "Cohort",
    run_options(COHORT_ANALYSIS, cohort_label),
)


@timed
def cohort_page(reports: Reports = None, cohort_run: str | None = None) -> ipywidgets.VBox:
    """Pick a cohort and see its published evaluation."""
    return live_page(COHORT, reports, cohort_run)
