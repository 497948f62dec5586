"""The programme overview dashboard (``dashboards/programme_overview.ipynb``): the digital leadership programme
as a whole, then its risks.

What it reads: ``programme_evaluation`` (run ``all``): results terms in :data:`PROGRAMME_HEADLINES` (completion
rate, cost per completer...); figures ``change_by_cohort``, ``change_all_cohorts``, ``ratings``,
``attendance``; tables ``completion_by_cohort``, ``applications_by_type``, ``costs``... Until that run exists,
the ``cohort_evaluation`` runs side by side (:func:`cohort_comparison`). Then the ``leadership`` risk register.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...schemas.programme import OUTCOMES, RATINGS
from ..data import PublishedRun, PublishedTable, ResultsMissing, list_runs, load_run, load_runs
from ..widgets import Part, figure_block, heading, headlines_html, missing_message, provenance_html, table_block
from .cohort import change_rows, cohort_label, rating_rows
from .interval_charts import estimate_rows, grouped_interval_chart, interval_alt_text
from .risks import risk_register_section
from .scaffold import Dashboard, Reports, live_page, safe_children, timed
from .sections import Headline, Section, estimates_section, headlines, run_sections
from .sources import COHORT_ANALYSIS, LEADERSHIP_REGISTER, PROGRAMME_ANALYSIS, RISKS_ANALYSIS

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd

PROGRAMME_HEADLINES: tuple[Headline, ...] = (
    ("completion_rate", "", "Completion rate", "proportion"),
    ("dropout_rate", "", "Drop-out rate", "proportion"),
    ("mixed_model_change", "confidence: all cohorts", "Change in confidence, baseline to endpoint", "signed"),
    ("mixed_model_change", "competence: all cohorts", "Change in competence, baseline to endpoint", "signed"),
    ("mixed_model_change", "application: all cohorts", "Change in application, baseline to endpoint", "signed"),
    ("share_reporting_application", "", "Completers reporting an application at work", "proportion"),
    ("applications_per_completer", "", "Applications at work per completer", ""),
    ("total_cost", "", "Total cost", "GBP"),
    ("cost_per_participant", "", "Cost per person enrolled", "GBP"),
    ("cost_per_completer", "", "Cost per completer", "GBP"),
    ("cost_per_point_gained", "", "Cost per point of confidence gained, per completer", "GBP"),
    ("day_rate_saving", "", "Saving against market day rates", "GBP"),
)
PROGRAMME_SECTIONS = (
    Section(
        "Change in confidence, competence and application",
        figures=("change_by_cohort", "change_all_cohorts", "change*"),
        note="With 95% intervals. Scale scores run from 1 to 5.",
    ),
    Section("How participants rated the programme", figures=("ratings*",)),
    Section(
        "Completion and attendance",
        figures=("attendance*", "completion*"),
        tables=("completion_by_cohort", "survey_coverage", "attendance_by_session"),
    ),
    Section(
        "Applications at work", figures=("applications*",), tables=("applications_by_type", "applications_by_evidence")
    ),
    Section("Cost and value for money", figures=("cost*",), tables=("costs", "cost*")),
)


def _wave_text(results: pd.DataFrame) -> str:
    groups = results.loc[results["term"] == "mean_change", "group"].astype(str)
    return groups.iloc[0].split(":", 1)[1].strip() if len(groups) and ":" in groups.iloc[0] else "baseline to endpoint"


def _stack_tables(
    tables: Sequence[tuple[str, PublishedTable]],
    *,
    name: str,
    title: str,
    key: str = "cohort",
    drop_totals: bool = False,
) -> PublishedTable:
    """Published tables one under another, with a first column saying where each row comes from."""
    import pandas as pd

    frames = []
    for label, table in tables:
        frame = table.frame
        if drop_totals and len(frame.columns):
            frame = frame[frame.iloc[:, 0].str.strip() != "Total"]
        frames.append(frame.assign(**{key: label})[[key] + list(frame.columns)])
    frame = pd.concat(frames, ignore_index=True).fillna("") if frames else pd.DataFrame()
    return PublishedTable(name, title, frame.astype(str), None)


def cohort_comparison(reports: Reports = None) -> list[Part]:
    """Cohort by cohort, from the published ``cohort_evaluation`` runs (used until the programme run exists)."""
    runs = load_runs(COHORT_ANALYSIS, reports, required=True)
    labels = [cohort_label(r) for r in runs]
    out: list[Part] = [
        provenance_html(runs, labels=labels),
        headlines_html(
            [("Cohorts with published results", f"{len(runs)}: {', '.join(labels)}")], caption="Cohorts trained"
        ),
    ]
    waves = _wave_text(runs[0].results)
    change = estimate_rows(runs, labels, change_rows)
    if not change.empty:
        figure = grouped_interval_chart(
            change,
            series=OUTCOMES,
            labels=labels,
            x_title="Change in scale score (points on the 1-5 scale)",
            title=f"Change from {waves}, by cohort",
        )
        alt = interval_alt_text(
            change,
            intro=f"Mean change from {waves} with 95% intervals, by cohort.",
            series=OUTCOMES,
            labels=labels,
            signed=True,
        )
        out += [
            heading("Change in confidence, competence and application"),
            figure_block(figure, alt_text=alt, file_stem="programme_change_by_cohort"),
        ]
    ratings = estimate_rows(runs, labels, rating_rows)
    if not ratings.empty:
        figure = grouped_interval_chart(
            ratings,
            series=RATINGS,
            labels=labels,
            reference=None,
            x_title="Mean rating (1 = strongly disagree, 5 = strongly agree)",
            title="Ratings of the programme at the end, by cohort",
        )
        alt = interval_alt_text(
            ratings,
            intro="Mean endpoint ratings with 95% intervals, by cohort.",
            series=RATINGS,
            labels=labels,
            signed=False,
        )
        out += [
            heading("How participants rated the programme"),
            figure_block(figure, alt_text=alt, file_stem="programme_ratings_by_cohort"),
        ]
    for name, title, section, drop in (
        ("completion", "Completion, by cohort", "Completion", True),
        (
            "applications_by_type",
            "People reporting each kind of application at work, by cohort",
            "Applications at work",
            False,
        ),
    ):
        published = [(label, run.table(name)) for run, label in zip(runs, labels, strict=True) if run.has_table(name)]
        if published:
            out += [
                heading(section),
                table_block(
                    _stack_tables(published, name=f"{name}_by_cohort", title=title, drop_totals=drop),
                    file_stem=f"programme_{name}_by_cohort",
                ),
            ]
    return out


def _cohorts_trained(run: PublishedRun, reports: Reports) -> list[tuple[str, str]]:
    runs = list_runs(COHORT_ANALYSIS, reports)
    if runs:
        return [("Cohorts trained", f"{len(runs)} ({', '.join(r.label for r in runs)})")]
    if run.has_table("completion_by_cohort"):
        frame = run.table("completion_by_cohort").frame
        cohorts = [c for c in frame.iloc[:, 0] if c.strip() != "Total"]
        return [("Cohorts trained", f"{len(cohorts)} ({', '.join(cohorts)})")]
    return []


def programme_section(reports: Reports = None) -> list[Part]:
    """The programme-wide run: key figures (cost per completer...), then its sections."""
    run = load_run(PROGRAMME_ANALYSIS, None, reports)
    return (
        [provenance_html(run), headlines(run, PROGRAMME_HEADLINES, extra=_cohorts_trained(run, reports))]
        + run_sections(run, PROGRAMME_SECTIONS)
        + estimates_section(run, people=True)
    )


def programme_body(value: str | None = None, reports: Reports = None) -> list[Part]:
    """The programme-wide run (or, until it has run, the cohort runs side by side), then the risks."""
    risks = [heading("Programme risks"), *safe_children(lambda: risk_register_section(LEADERSHIP_REGISTER, reports))]
    try:
        load_run(PROGRAMME_ANALYSIS, None, reports)
    except ResultsMissing as missing:
        return [
            missing_message(missing),
            heading("Cohort by cohort"),
            *safe_children(lambda: cohort_comparison(reports)),
            *risks,
        ]
    return [*safe_children(lambda: programme_section(reports)), *risks]


PROGRAMME = Dashboard(
    "programme_overview",
    "Digital leadership programme: overview",
    "Cohorts trained, completion, change in confidence and competence (with 95% intervals), participants' "
    "ratings, applications at work and cost per completer, as published by the evaluation runs. Values "
    "about fewer than five people are suppressed and marked [c].",
    "Is the digital leadership programme raising leaders' confidence and competence, and is it value for money?",
    (PROGRAMME_ANALYSIS, COHORT_ANALYSIS, RISKS_ANALYSIS),
    programme_body,
)


@timed
def programme_overview(reports: Reports = None) -> ipywidgets.VBox:
    """Programme overview: cohorts trained, completion, change with intervals, ratings, applications, cost."""
    return live_page(PROGRAMME, reports)
