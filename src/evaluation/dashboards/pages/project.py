"""The project dashboard (``dashboards/project.ipynb``): one LOTI project's logic model, outcome indicators and
value for money.

What it reads: ``project_evaluation`` (one run per project): tables ``project`` (field, value: workstream,
stage...), ``logic_model`` (stage, description), ``indicators``, ``indicator_status_by_authority``
(authority, status); figures ``trend_*``, ``effect_by_time_*``, ``npsv_scenarios``...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import PublishedRun
from ..widgets import Html, Part, esc, headlines_html, provenance_html
from .loti_tables import find_column, indicators_by_level, project_facts, project_label
from .scaffold import Dashboard, Reports, live_page, timed
from .sections import Headline, Section, estimates_section, headlines, rag_markup, run_body, run_options, run_sections
from .sources import PROJECT_ANALYSIS

if TYPE_CHECKING:
    import ipywidgets

PROJECT_HEADLINES: tuple[Headline, ...] = (
    ("npsv", "", "Net present social value", "GBP"),
    ("bcr", "", "Benefit-cost ratio", ""),
    ("npsv_optimism_bias", "", "NPSV with optimism bias", "GBP"),
    ("monte_carlo_probability_npsv_positive", "", "Probability that the NPSV is positive (Monte Carlo)", "proportion"),
    ("att_callaway_santanna", "", "Effect of taking part (Callaway-Sant'Anna)", "signed"),
    # Its ends are the lowest and highest authority's progress, not a confidence interval.
    ("progress_to_target", "", "Progress to target", "proportion range"),
)


def logic_model_markup(values: dict[str, str]) -> str:
    """A project's logic model (inputs to impact, and assumptions) as a two-column table."""
    order = ("inputs", "activities", "outputs", "outcomes", "impact", "assumptions")
    keys = [k for k in order if str(values.get(k, "")).strip()] + [k for k in values if k not in order]
    rows = "".join(f'<tr><th scope="row">{esc(k.capitalize())}</th><td>{esc(values[k])}</td></tr>' for k in keys)
    return (
        f'<table class="wb-table wb-headlines"><caption>Logic model</caption><tbody>{rows}</tbody></table>'
        if rows
        else ""
    )


def _about_project(run: PublishedRun, used_figures: set[str], used_tables: set[str]) -> list[Part]:
    parts: list[Part] = []
    facts = project_facts(run)
    if facts and run.has_table("project"):
        used_tables.add("project")
        frame = run.table("project").frame
        parts.append(headlines_html(list(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True)), caption="The project"))
    if run.has_table("logic_model"):
        used_tables.add("logic_model")
        table = run.table("logic_model")
        step, text = find_column(table, ("stage", "step", "element")), find_column(table, ("description", "text"))
        if step and text:
            parts.append(
                Html(
                    logic_model_markup(
                        {str(s).lower(): str(t) for s, t in zip(table.frame[step], table.frame[text], strict=True)}
                    )
                )
            )
    return parts


def _project_indicators(run: PublishedRun, used_figures: set[str], used_tables: set[str]) -> list[Part]:
    return indicators_by_level(run)


PROJECT_SECTIONS = (
    Section("About the project", build=_about_project),
    Section(
        "Outcome indicators",
        figures=("trend_*", "status_by_level", "effect_by_time_*", "event_study*"),
        tables=("indicator_status_by_year", "indicator_warnings", "indicator_status_by_level"),
        build=_project_indicators,
        table_markup=rag_markup,
    ),
    Section("Value for money", figures=("npsv*", "present_value*", "bcr*"), tables=("present_values", "flows")),
)


def project_sections(run: PublishedRun) -> list[Part]:
    """One project: provenance, key figures, its sections, every estimate."""
    return (
        [provenance_html(run), headlines(run, PROJECT_HEADLINES)]
        + run_sections(run, PROJECT_SECTIONS, rest_markup=rag_markup)
        + estimates_section(run, people=False)
    )


PROJECT = Dashboard(
    "project",
    "London Office of Technology and Innovation: one project",
    "Choose a project to see its logic model, its outcome indicators and what its evaluation found, as "
    "published by the project's evaluation run.",
    "What did one LOTI project achieve, how strong is the evidence, and was it worth its cost?",
    (PROJECT_ANALYSIS,),
    run_body(PROJECT_ANALYSIS, project_sections),
    "Project",
    run_options(PROJECT_ANALYSIS, project_label),
)


@timed
def project_page(reports: Reports = None, project_run: str | None = None) -> ipywidgets.VBox:
    """Pick a LOTI project and see its published evaluation."""
    return live_page(PROJECT, reports, project_run)
