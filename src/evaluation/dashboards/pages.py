"""The five dashboard pages, as ipywidgets; each notebook in ``dashboards/`` calls one of these.

Every page reads published runs only (:mod:`evaluation.dashboards.data`) and
shows, for each run it uses, when it was last run and from which inputs. A
page is a list of *sections* (heading, the figures and tables that belong
there, by name, and sometimes a view built from published tables); then every
other figure and table the run published, under "Also published", so a new
output appears without a change here. What the pages look for:

``programme_evaluation`` (run ``all``)
    results terms in :data:`PROGRAMME_HEADLINES` (completion rate, cost per completer...);
    figures ``change_by_cohort``, ``change_all_cohorts``, ``ratings``, ``attendance``;
    tables ``completion_by_cohort``, ``applications_by_type``, ``costs``...
``cohort_evaluation`` (one run per cohort)
    ``mean_change`` and ``mean_rating_*`` results; figures ``change``, ``ratings``,
    ``attendance``; tables ``completion``, ``applications_by_type``...
``portfolio_evaluation`` (run ``all``)
    figures ``status_by_level``, ``participation_map``, ``npsv_by_project``; tables
    ``indicators`` (level, status = RAG), ``participation`` (gss_code, member,
    projects), ``value_for_money_by_project``, ``partners``, ``co_participation``.
``project_evaluation`` (one run per project)
    tables ``project`` (field, value: workstream, stage...), ``logic_model`` (stage,
    description), ``indicators``, ``indicator_status_by_authority`` (authority, status);
    figures ``trend_*``, ``effect_by_time_*``, ``npsv_scenarios``...
``maturity_assessment`` (one run per authority)
    table ``maturity`` (authority_code, assessed_on, domain, score); figures
    ``against_london``, ``change``.

A section whose names are not published says so; a page whose analysis has
not run says what to run. Nothing raises into the page.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..charts import CATEGORICAL, REFERENCE_LINE, template
from ..reference import london_authorities
from . import BUILD_LOG_ENV
from .data import (
    PublishedRun,
    PublishedTable,
    ResultsMissing,
    describe_estimate,
    format_value,
    list_runs,
    load_run,
    load_runs,
    to_number,
)
from .maps import NO_DATA, tile_map, tile_map_alt_text
from .widgets import (
    WIDE_TABLE_COLUMNS,
    Body,
    Html,
    Part,
    esc,
    figure_block,
    heading,
    headlines_html,
    html_widget,
    load_ipywidgets,
    message,
    missing_message,
    page_header,
    page_root,
    provenance_html,
    results_table,
    running_in_voila,
    safe,
    table_block,
)
from .widgets import slug as file_slug

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd
    import plotly.graph_objects as go

log = logging.getLogger(__name__)
Reports = str | Path | None

COHORT_ANALYSIS = "cohort_evaluation"
PROGRAMME_ANALYSIS = "programme_evaluation"
PORTFOLIO_ANALYSIS = "portfolio_evaluation"
PROJECT_ANALYSIS = "project_evaluation"
MATURITY_ANALYSIS = "maturity_assessment"  # one run per authority (notebooks/manifest-drilldown.yml)
MATURITY_LONDON_ANALYSIS = "maturity_london"
PEER_CHALLENGE_ANALYSIS = "peer_challenge_followup_all"
RISKS_ANALYSIS = "programme_risks"  # one run per register
LEADERSHIP_REGISTER, LOTI_REGISTER = "leadership", "loti"

OUTCOMES = ("confidence", "competence", "application")
RATINGS = ("quality", "relevance", "effectiveness", "applicability")
STAGES = ("Pipeline", "Discovery", "Alpha", "Beta", "Live", "Closed")
LEVELS = ("organisation", "community", "economic")
RAG_COLUMNS = ("rag", "rag_rating", "rag_status", "status")
RAG_WORDS = ("green", "amber", "red")
AUTHORITY_COLUMNS = ("authority_code", "gss_code", "authority")
MEMBERSHIP_COLUMNS = ("member", "membership", "loti_member")
DATE_COLUMNS = ("assessed_on", "period", "date", "round")
SCORE_COLUMNS = ("score", "mean_score", "value")
MARKERS = ("circle", "square", "diamond", "triangle-up", "cross", "x")
# Legends between the title and the plot, where they cannot collide with the x-axis title.
LEGEND_ON_TOP = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"}

# Headline results: (term, group or "" for any, label, unit); units as in describe_estimate ("count",
# "proportion", "GBP", "signed", or "" for two decimals). A group ending in "*" matches by prefix.
Headline = tuple[str, str, str, str]
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
PORTFOLIO_HEADLINES: tuple[Headline, ...] = (
    ("member_authorities", "", "Member authorities", "count"),
    ("authorities_in_a_project", "", "Authorities in at least one project", "count"),
    ("mean_projects_per_member", "", "Projects per member authority (mean)", ""),
    ("programme_pv_benefits", "", "Present value of benefits", "GBP"),
    ("programme_pv_project_costs", "", "Present value of project costs", "GBP"),
    ("programme_pv_core_funding", "", "Present value of core funding", "GBP"),
    ("programme_npsv", "", "Net present social value", "GBP"),
    ("programme_bcr", "", "Benefit-cost ratio", ""),
    ("programme_bcr_evidence_adjusted", "", "Benefit-cost ratio, benefits weighted by evidence", ""),
    ("monte_carlo_probability_npsv_positive", "", "Probability that the NPSV is positive (Monte Carlo)", "proportion"),
)
PROJECT_HEADLINES: tuple[Headline, ...] = (
    ("npsv", "", "Net present social value", "GBP"),
    ("bcr", "", "Benefit-cost ratio", ""),
    ("npsv_optimism_bias", "", "NPSV with optimism bias", "GBP"),
    ("monte_carlo_probability_npsv_positive", "", "Probability that the NPSV is positive (Monte Carlo)", "proportion"),
    ("att_callaway_santanna", "", "Effect of taking part (Callaway-Sant'Anna)", "signed"),
    ("progress_to_target", "", "Progress to target", "proportion"),
)

# If set, each page appends "<time> <page> built in <s> s (pid <pid>)" to this file when it has been built:
# an operational log of build times, and how tests and benchmarks know a preheated kernel is ready.
# Notebook in dashboards/ -> the page function it calls.
DASHBOARDS = {
    "programme_overview": "programme_overview",
    "cohort": "cohort_page",
    "loti_portfolio": "loti_portfolio",
    "project": "project_page",
    "authority": "authority_page",
}
PageFunction = TypeVar("PageFunction", bound=Callable[..., Any])


_body_sources: list[str] = []  # how the page being built got its body: "prepared" or "built" (for the log line)


def _timed(function: PageFunction) -> PageFunction:
    """Log how long a page took to build (see :data:`BUILD_LOG_ENV`)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        _body_sources.clear()
        page = function(*args, **kwargs)
        target = os.environ.get(BUILD_LOG_ENV)
        if target:
            source = ", ".join(_body_sources) or "none"
            line = (
                f"{dt.datetime.now(dt.UTC).isoformat(timespec='milliseconds')} {function.__name__} built in "
                f"{time.perf_counter() - started:.2f} s (pid {os.getpid()}; body {source})\n"
            )
            with open(target, "a", encoding="utf-8") as log_file:
                log_file.write(line)
        return page

    return wrapper  # type: ignore[return-value]


# --- Page scaffolding ---------------------------------------------------------------------------------------------


# Puts the body for a selector value (None for a page without one) into a page's Body; the bool: defer the rest.
BodyFill = Callable[[Body, "str | None", bool], None]


def _page(title: str, lead: str, fill: BodyFill) -> ipywidgets.VBox:
    """A page without a selector: header, body, download panel."""
    body = Body()
    fill(body, None, running_in_voila())
    header = page_header(title, lead)
    return page_root([header, *body.widgets()], header=header, body=body)


def safe_children(build: Callable[[], list[Part]]) -> list[Part]:
    """``build()``, or a clear message (never a traceback) when results are missing or unreadable."""
    try:
        return build()
    except ResultsMissing as missing:
        return [missing_message(missing)]
    except Exception as error:  # the page must say what went wrong in words
        log.exception("dashboard section failed")
        return [
            message(
                f"This part of the page could not be shown ({type(error).__name__}: {error}). "
                f"The published results may be damaged; rerun the analysis.",
                kind="warning",
            )
        ]


def selector_page(
    title: str,
    lead: str,
    description: str,
    options: Sequence[tuple[str, str]],
    fill: BodyFill,
    *,
    value: str | None = None,
) -> ipywidgets.VBox:
    """A page with one drop-down; ``fill(body, value, defer)`` shows the body for the chosen value."""
    w = load_ipywidgets()
    if not options:
        return _page(title, lead, lambda body, _, defer: body.show([], defer=defer))
    dropdown = w.Dropdown(
        options=list(options),
        value=value if value is not None else options[0][1],
        description=description,
        style={"description_width": "initial"},
        layout=w.Layout(width="min(100%, 40em)"),
    )
    dropdown.add_class("wb-selector")
    announce = html_widget("")
    body = Body()
    labels = {v: k for k, v in options}

    def show(chosen: str, defer: bool = False) -> None:
        fill(body, chosen, defer)
        announce.value = f'<p class="wb-sr-only" aria-live="polite">Showing {esc(labels.get(chosen, chosen))}</p>'

    dropdown.observe(lambda change: show(change["new"]), names="value")
    show(dropdown.value, defer=running_in_voila())
    header = page_header(title, lead)
    return page_root(
        [header, dropdown, announce, *body.widgets()],
        header=header,
        body=body,
        choice=lambda: f"{esc(description)}: <strong>{esc(labels.get(dropdown.value, ''))}</strong>",
    )


# --- Sections of a run --------------------------------------------------------------------------------------------


@dataclass
class Section:
    """A heading, the figures and tables that go under it (names; ``*`` patterns allowed), and an optional
    view built from published tables (returns parts)."""

    title: str
    figures: Sequence[str] = ()
    tables: Sequence[str] = ()
    build: Callable[[PublishedRun, set[str], set[str]], list[Part]] | None = None
    note: str = ""
    table_markup: Callable[[str, str], str | None] | None = field(default=None, repr=False)


def _matching(names: Sequence[str], patterns: Sequence[str]) -> list[str]:
    out: list[str] = []
    for pattern in patterns:
        out += [n for n in names if fnmatch.fnmatchcase(n, pattern) and n not in out]
    return out


def figure_part(run: PublishedRun, name: str) -> Part:
    return safe(
        lambda: figure_block(run.figure(name), file_stem=file_slug(run.analysis, run.run_id, name)),
        what=f"figure '{name}'",
    )


def table_part(run: PublishedRun, name: str, markup: Callable[[str, str], str | None] | None = None) -> Part:
    return safe(lambda: table_block(run.table(name), run=run, cell_markup=markup), what=f"table '{name}'")


def run_sections(
    run: PublishedRun,
    sections: Sequence[Section],
    *,
    rest: bool = True,
    rest_markup: Callable[[str, str], str | None] | None = None,
) -> list[Part]:
    """The sections in order, then (``rest``) every figure and table no section showed."""
    used_figures: set[str] = set()
    used_tables: set[str] = set()
    figures, tables = (
        [n for n in run.figures_index if run.has_figure(n)],
        [n for n in run.tables_index if run.has_table(n)],
    )
    out: list[Part] = []
    for section in sections:
        mine_figures = [n for n in _matching(figures, section.figures) if n not in used_figures]
        mine_tables = [n for n in _matching(tables, section.tables) if n not in used_tables]
        used_figures.update(mine_figures)
        used_tables.update(mine_tables)
        parts = [figure_part(run, n) for n in mine_figures]
        if section.build is not None:
            parts += safe_children(lambda s=section: s.build(run, used_figures, used_tables))  # type: ignore[misc]
        parts += [table_part(run, n, section.table_markup) for n in mine_tables]
        out.append(heading(section.title, note=section.note))
        out += parts or [message(f"The run '{run.analysis}/{run.run_id}' published nothing for this section.")]
    if rest:
        leftover = [figure_part(run, n) for n in figures if n not in used_figures] + [
            table_part(run, n, rest_markup) for n in tables if n not in used_tables
        ]
        if leftover:
            out += [heading("Also published by this run", note="Figures and tables the sections above do not show.")]
            out += leftover
    return out


def headlines(
    run: PublishedRun, spec: Sequence[Headline], *, caption: str = "Key figures", extra: Sequence[tuple[str, str]] = ()
) -> Part:
    """Headline estimates (in the order of ``spec``), each with its interval; suppressed ones marked."""
    items = list(extra)
    try:
        run.results  # noqa: B018  (read once: a run without results has only the extra items)
    except ResultsMissing:
        return headlines_html(items, caption=caption)
    for term, group, label, unit in spec:
        rows = run.estimates(term, group or None)
        for row in rows.to_dict("records"):
            published_group = str(row.get("group") or "").strip()
            shown = f"{label} ({published_group})" if not group and len(rows) > 1 and published_group else label
            items.append(
                (
                    shown,
                    describe_estimate(
                        row, unit="" if unit == "signed" else unit, signed=unit == "signed", people=False
                    ),
                )
            )
    return headlines_html(items, caption=caption)


def _estimates_section(run: PublishedRun, *, people: bool) -> list[Part]:
    try:
        table = results_table(run, people=people)
    except ResultsMissing:  # a run may publish only tables and figures
        return []
    if table.frame.empty:
        return []
    return [
        heading("Every published estimate", note="As published in results.csv; [c] marks a suppressed value."),
        table_block(table, run=run),
    ]


# --- Charts built from published numbers --------------------------------------------------------------------------


def grouped_interval_chart(
    rows: pd.DataFrame,
    *,
    series: Sequence[str],
    labels: Sequence[str],
    title: str,
    x_title: str,
    reference: float | None = 0.0,
) -> go.Figure:
    """Estimates with 95% intervals: one row per label, one marker shape and colour per series.

    ``rows`` has columns ``series, label, estimate, conf_low, conf_high, suppressed``;
    suppressed or missing estimates are not drawn (the text alternative names them).
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for i, name in enumerate(series):
        part = rows[(rows["series"] == name) & rows["estimate"].notna() & ~rows["suppressed"]]
        low = (part["estimate"] - part["conf_low"]).where(part["conf_low"].notna(), 0)
        high = (part["conf_high"] - part["estimate"]).where(part["conf_high"].notna(), 0)
        figure.add_trace(
            go.Scatter(
                x=part["estimate"],
                y=part["label"],
                mode="markers",
                name=name,
                orientation="h",
                marker={"color": CATEGORICAL[i % len(CATEGORICAL)], "size": 11, "symbol": MARKERS[i % len(MARKERS)]},
                error_x={"type": "data", "symmetric": False, "array": high, "arrayminus": low, "thickness": 2},
                hovertemplate=f"{name}, %{{y}}: %{{x:.2f}}<extra></extra>",
            )
        )
    if reference is not None:
        figure.add_vline(x=reference, line={"color": REFERENCE_LINE, "dash": "dot"})
    figure.update_layout(
        template=template(),
        title=title,
        xaxis_title=x_title,
        scattermode="group",
        yaxis={"categoryorder": "array", "categoryarray": list(labels)[::-1]},
        height=190 + 55 * len(labels) * max(1, len(series)) // 2,
        showlegend=True,
        legend=LEGEND_ON_TOP,
        margin={"t": 100},
    )
    return figure


def interval_alt_text(
    rows: pd.DataFrame, *, intro: str, series: Sequence[str], labels: Sequence[str], signed: bool
) -> str:
    """``intro``, then for each label every series' estimate and interval, suppressed ones named as such."""
    parts = []
    for label in labels:
        mine = rows[rows["label"] == label]
        values = [
            f"{name} {describe_estimate(mine[mine['series'] == name].iloc[0].to_dict(), signed=signed)}"
            for name in series
            if not mine[mine["series"] == name].empty
        ]
        if values:
            parts.append(f"{label}: " + ", ".join(values))
    return f"{intro} " + "; ".join(parts) + "."


def _estimate_rows(
    runs: Sequence[PublishedRun], labels: Sequence[str], pick: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """Rows ``series, label, estimate, conf_low, conf_high, n, suppressed`` picked from each run's results."""
    import pandas as pd

    frames = []
    for run, label in zip(runs, labels, strict=True):
        try:
            picked = pick(run.results)
        except ResultsMissing:
            continue
        if not picked.empty:
            frames.append(picked.assign(label=label))
    columns = ["series", "label", "estimate", "conf_low", "conf_high", "n", "suppressed"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    for column in ("estimate", "conf_low", "conf_high"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    out["suppressed"] = out["suppressed"].astype(bool)
    return out[columns]


# --- Programme overview and cohort pages --------------------------------------------------------------------------


def _cohort_label(run: PublishedRun) -> str:
    return f"Cohort {run.info.label}"


def _change_rows(results: pd.DataFrame) -> pd.DataFrame:
    rows = results[results["term"] == "mean_change"].copy()
    rows["series"] = rows["group"].astype(str).str.split(":").str[0].str.strip()
    return rows[rows["series"].isin(OUTCOMES)]


def _rating_rows(results: pd.DataFrame) -> pd.DataFrame:
    rows = results[results["term"].astype(str).str.startswith("mean_rating_")].copy()
    rows["series"] = rows["term"].str.removeprefix("mean_rating_")
    return rows[rows["series"].isin(RATINGS)]


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
    labels = [_cohort_label(r) for r in runs]
    out: list[Part] = [
        provenance_html(runs, labels=labels),
        headlines_html(
            [("Cohorts with published results", f"{len(runs)}: {', '.join(labels)}")], caption="Cohorts trained"
        ),
    ]
    waves = _wave_text(runs[0].results)
    change = _estimate_rows(runs, labels, _change_rows)
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
    ratings = _estimate_rows(runs, labels, _rating_rows)
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


def programme_section(reports: Reports = None) -> list[Part]:
    """The programme-wide run: key figures (cost per completer...), then its sections."""
    run = load_run(PROGRAMME_ANALYSIS, None, reports)
    return (
        [provenance_html(run), headlines(run, PROGRAMME_HEADLINES, extra=_cohorts_trained(run, reports))]
        + run_sections(run, PROGRAMME_SECTIONS)
        + _estimates_section(run, people=True)
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


@_timed
def programme_overview(reports: Reports = None) -> ipywidgets.VBox:
    """Programme overview: cohorts trained, completion, change with intervals, ratings, applications, cost."""
    return live_page(DASHBOARD_PAGES["programme_overview"], reports)


COHORT_SECTIONS = (
    Section("Change in confidence, competence and application", figures=("change*",), tables=("paired_coverage",)),
    Section("How participants rated the programme", figures=("ratings*",)),
    Section("Attendance and completion", figures=("attendance*",), tables=("completion", "attendance")),
    Section("Applications at work", tables=("applications*",)),
)


def cohort_sections(run: PublishedRun) -> list[Part]:
    """One cohort: provenance, headline estimates, its sections, every estimate."""
    results = run.results
    items = [
        (
            f"Change in {row['series']} ({str(row['group']).split(':', 1)[-1].strip()})",
            describe_estimate(row, signed=True),
        )
        for row in _change_rows(results).to_dict("records")
    ]
    items += [
        (f"Rating of {row['series']} (1-5)", describe_estimate(row)) for row in _rating_rows(results).to_dict("records")
    ]
    if run.has_table("completion"):
        completion = run.table("completion")
        suppressed = completion.suppressed()
        for i in completion.frame.index:
            if completion.frame.iat[i, 0].strip() == "Total":
                continue
            parts = [
                f"{c} {format_value(completion.frame.at[i, c], suppressed=bool(suppressed.at[i, c]))}"
                for c in completion.frame.columns[1:]
            ]
            items.append(("Completion", "; ".join(parts)))
    return (
        [provenance_html(run, labels=[_cohort_label(run)]), headlines_html(items)]
        + run_sections(run, COHORT_SECTIONS)
        + _estimates_section(run, people=True)
    )


def run_options(analysis: str, label: Callable[[PublishedRun], str]) -> Callable[[Reports], list[tuple[str, str]]]:
    """The selector's options for the published runs of ``analysis``: (label, run id)."""
    return lambda reports: [(label(r), r.run_id) for r in load_runs(analysis, reports)]


def run_body(
    analysis: str, sections: Callable[[PublishedRun], list[Part]]
) -> Callable[[str | None, Reports], list[Part]]:
    """The body for one run of ``analysis`` (``None``: the latest; none published: what to run)."""
    return lambda run_id, reports: sections(load_run(analysis, run_id, reports))


@_timed
def cohort_page(reports: Reports = None, cohort_run: str | None = None) -> ipywidgets.VBox:
    """Pick a cohort and see its published evaluation."""
    return live_page(DASHBOARD_PAGES["cohort"], reports, cohort_run)


# --- LOTI helpers -------------------------------------------------------------------------------------------------


def _column(table: PublishedTable, candidates: Sequence[str]) -> str | None:
    lower = {str(c).lower(): str(c) for c in table.frame.columns}
    return next((lower[c] for c in candidates if c in lower), None)


def rag_markup(column: str, text: str) -> str | None:
    """A RAG cell: the word (never colour alone) on a pale background of its colour."""
    if column.lower() not in RAG_COLUMNS:
        return None
    word = text.strip().lower()
    if word in RAG_WORDS:
        return f'<span class="wb-rag wb-rag-{word}">{esc(word.capitalize())}</span>'
    return esc(text) if text.strip() else "Not rated"


def _names() -> dict[str, str]:
    authorities = london_authorities()
    return dict(zip(authorities["gss_code"], authorities["name"], strict=True))


def _project_facts(run: PublishedRun) -> dict[str, str]:
    """The ``project`` table of a project run (field -> value), or empty."""
    if not run.has_table("project"):
        return {}
    frame = run.table("project").frame
    if len(frame.columns) < 2:
        return {}
    return {str(k).strip().lower(): str(v) for k, v in zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True)}


def _project_id(run: PublishedRun) -> str:
    parameters = run.provenance.parameters
    return str(parameters.get("project", parameters.get("project_id", run.info.label)))


def projects_table(runs: Sequence[PublishedRun]) -> PublishedTable:
    """One row per project (id, title, workstream, stage, lead) from the project runs' ``project`` tables."""
    import pandas as pd

    rows = []
    for run in runs:
        facts = _project_facts(run)
        project = facts.get("project", _project_id(run))
        ident, _, title = project.partition(": ")
        rows.append(
            {
                "project_id": ident or _project_id(run),
                "title": title or project,
                "workstream": facts.get("workstream", ""),
                "stage": facts.get("stage", ""),
                "lead_authority": facts.get("lead authority", ""),
            }
        )
    frame = pd.DataFrame(rows, columns=["project_id", "title", "workstream", "stage", "lead_authority"])
    return PublishedTable("projects", "Projects by workstream and stage", frame.astype(str), None)


def projects_chart(projects: PublishedTable) -> tuple[go.Figure, str]:
    """One square per project at its workstream (row) and stage (column), labelled with its id."""
    import plotly.graph_objects as go

    frame = projects.frame
    stages = [s for s in STAGES if s in set(frame["stage"])] + sorted(set(frame["stage"]) - set(STAGES))
    streams = sorted(set(frame["workstream"]))
    figure = go.Figure(
        go.Scatter(
            x=frame["stage"],
            y=frame["workstream"],
            mode="markers+text",
            text=frame["project_id"],
            textposition="middle right",
            marker={"symbol": "square", "size": 16, "color": CATEGORICAL[0]},
            hovertext=[f"{i}: {t}" for i, t in zip(frame["project_id"], frame["title"], strict=True)],
            hoverinfo="text",
            name="project",
        )
    )
    figure.update_layout(
        template=template(),
        title="Projects by workstream and stage",
        showlegend=False,
        xaxis={"title": "Stage", "categoryorder": "array", "categoryarray": stages},
        yaxis={"title": None, "categoryorder": "array", "categoryarray": streams[::-1]},
        height=160 + 38 * len(streams),
    )
    parts = [f"{r['project_id']} {r['title']} ({r['workstream']}, {r['stage']})" for r in frame.to_dict("records")]
    return figure, f"Projects by workstream and stage ({len(frame)} projects): " + "; ".join(parts) + "."


def _status_word(value: str) -> str:
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1", "member", "loti member"):
        return "LOTI member"
    if lowered in ("false", "no", "0", "not a member", "non-member", "non member"):
        return "Not a member"
    return value.strip() or NO_DATA


def membership_categories(table: PublishedTable) -> tuple[dict[str, str], str, list[str]]:
    """GSS code -> category from a published per-authority table, what the category is, and its order."""
    code = _column(table, AUTHORITY_COLUMNS)
    if code is None:
        raise ResultsMissing(f"The published table '{table.name}' has no authority code column.")
    status = _column(table, MEMBERSHIP_COLUMNS)
    if status is not None:
        values = {str(r[code]): _status_word(str(r[status])) for r in table.frame.to_dict("records")}
        order = [v for v in ("LOTI member", "Not a member") if v in values.values()]
        return values, "LOTI membership", order + sorted(set(values.values()) - set(order) - {NO_DATA})
    projects = _column(table, ("projects", "project_count", "n_projects"))
    if projects is None:
        raise ResultsMissing(f"The published table '{table.name}' has no membership or projects column to map.")
    values = {}
    for r in table.frame.to_dict("records"):
        n = to_number(r[projects])
        values[str(r[code])] = (
            NO_DATA if n is None else "No projects" if n == 0 else "1-2 projects" if n <= 2 else "3 or more projects"
        )
    return values, "number of LOTI projects", ["No projects", "1-2 projects", "3 or more projects"]


def _participation(run: PublishedRun) -> PublishedTable | None:
    return next((run.table(n) for n in ("participation", "authorities", "membership") if run.has_table(n)), None)


def authority_map(run: PublishedRun, *, highlight: str | None = None) -> list[Part]:
    """A tile map of the 33 authorities by LOTI membership (``highlight`` outlined)."""
    table = _participation(run)
    if table is None:
        raise ResultsMissing(
            f"The run '{run.analysis}/{run.run_id}' did not publish a 'participation' table, so "
            f"the map cannot be drawn."
        )
    categories, what, order = membership_categories(table)
    names = _names()
    figure = tile_map(
        categories, names, title="London's 33 local authorities by " + what, order=order, highlight=highlight
    )
    alt = tile_map_alt_text(categories, names, what=what)
    if highlight:
        alt += f" The outlined tile is {names.get(highlight, highlight)}."
    return [
        figure_block(figure, alt_text=alt, file_stem=f"{run.analysis}_map" + (f"_{highlight}" if highlight else ""))
    ]


INDICATOR_COLUMNS = (
    "indicator_id",
    "project_id",
    "name",
    "indicator",
    "unit",
    "direction",
    "baseline",
    "target",
    "target_period",
    "latest_period",
    "latest_mean",
    "current",
    "progress",
    "expected_progress",
    "status",
    "rag",
)


def main_columns(table: PublishedTable, keep: Sequence[str] = ()) -> PublishedTable:
    """A wide indicator table cut to the columns a reader needs first (the run's downloads keep them all)."""
    wanted = set(INDICATOR_COLUMNS) | set(keep)
    main = [c for c in table.frame.columns if str(c).lower() in wanted]
    if len(table.frame.columns) > WIDE_TABLE_COLUMNS and len(main) >= 4:
        return replace(table, frame=table.frame[main].copy(), title=f"{table.title} (main columns)")
    return table


def indicators_by_level(run: PublishedRun, name: str = "indicators") -> list[Part]:
    """The indicators table, one table per level of outcome, RAG status written out.

    A wide table shows its main columns here; the whole table stays under "Also published".
    """
    if not run.has_table(name):
        return []
    table = main_columns(run.table(name), keep=("level",))
    level = _column(table, ("level",))
    if level is None:
        return [table_block(table, run=run, cell_markup=rag_markup)]
    present = [lv for lv in LEVELS if lv in set(table.frame[level])]
    present += sorted(set(table.frame[level]) - set(present))
    return [
        table_block(
            table.where(level, value).retitled(f"{table.title}: {value} level", f"{name}_{value}"),
            run=run,
            cell_markup=rag_markup,
        )
        for value in present
    ]


# --- LOTI: portfolio ---------------------------------------------------------------------------------------------


def _portfolio_projects(run: PublishedRun, used_figures: set[str], used_tables: set[str]) -> list[Part]:
    project_runs = load_runs(PROJECT_ANALYSIS, run.path.parent.parent)
    if not project_runs:
        return [
            message(
                "The project runs (project_evaluation) are not published yet, so projects cannot be "
                "listed by workstream and stage."
            )
        ]
    table = projects_table(project_runs)
    figure, alt = projects_chart(table)
    return [
        figure_block(figure, alt_text=alt, file_stem="loti_projects_by_stage"),
        table_block(table, file_stem="loti_projects", run=None),
    ]


def _portfolio_outcomes(run: PublishedRun, used_figures: set[str], used_tables: set[str]) -> list[Part]:
    return indicators_by_level(run)


def _portfolio_map(run: PublishedRun, used_figures: set[str], used_tables: set[str]) -> list[Part]:
    if any("map" in name for name in used_figures):
        return []  # the run drew its own map
    return authority_map(run)


PORTFOLIO_SECTIONS = (
    Section("Projects by workstream and stage", figures=("projects*", "project_size"), build=_portfolio_projects),
    Section(
        "Outcomes by level, with RAG ratings",
        figures=("status_by_level", "outcomes*"),
        tables=("indicator_status_by_level", "indicator_warnings"),
        build=_portfolio_outcomes,
        note="RAG: Green on track for the target, Amber behind, Red well behind; 'No data' and 'No baseline' "
        "cannot be rated.",
        table_markup=rag_markup,
    ),
    Section(
        "Map of London's 33 authorities",
        figures=("participation_map", "*map*"),
        tables=("participation",),
        build=_portfolio_map,
    ),
    Section(
        "Value for money",
        figures=("npsv_by_project", "value_for_money*", "vfm*"),
        tables=("value_for_money*", "core_funding"),
    ),
)


def portfolio_sections(run: PublishedRun) -> list[Part]:
    return (
        [provenance_html(run), headlines(run, PORTFOLIO_HEADLINES)]
        + run_sections(run, PORTFOLIO_SECTIONS, rest_markup=rag_markup)
        + _estimates_section(run, people=False)
    )


def portfolio_body(value: str | None = None, reports: Reports = None) -> list[Part]:
    """The portfolio run, then every peer challenge and the LOTI risk register."""
    return [
        *safe_children(lambda: portfolio_sections(load_run(PORTFOLIO_ANALYSIS, None, reports))),
        heading("Peer challenges and their follow-up"),
        *safe_children(lambda: peer_challenges_section(reports)),
        heading("LOTI risks"),
        *safe_children(lambda: risk_register_section(LOTI_REGISTER, reports)),
    ]


@_timed
def loti_portfolio(reports: Reports = None) -> ipywidgets.VBox:
    """The LOTI portfolio: projects, outcomes with RAG, the map of authorities, value for money, peer
    challenges and risks."""
    return live_page(DASHBOARD_PAGES["loti_portfolio"], reports)


# --- LOTI: one project --------------------------------------------------------------------------------------------


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
    facts = _project_facts(run)
    if facts and run.has_table("project"):
        used_tables.add("project")
        frame = run.table("project").frame
        parts.append(headlines_html(list(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True)), caption="The project"))
    if run.has_table("logic_model"):
        used_tables.add("logic_model")
        table = run.table("logic_model")
        step, text = _column(table, ("stage", "step", "element")), _column(table, ("description", "text"))
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
    return (
        [provenance_html(run), headlines(run, PROJECT_HEADLINES)]
        + run_sections(run, PROJECT_SECTIONS, rest_markup=rag_markup)
        + _estimates_section(run, people=False)
    )


def _project_label(run: PublishedRun) -> str:
    project = _project_facts(run).get("project")
    return project if project else run.info.label


@_timed
def project_page(reports: Reports = None, project_run: str | None = None) -> ipywidgets.VBox:
    """Pick a LOTI project and see its published evaluation."""
    return live_page(DASHBOARD_PAGES["project"], reports, project_run)


# --- LOTI: one authority -------------------------------------------------------------------------------------------


def maturity_chart(table: PublishedTable, name: str) -> tuple[go.Figure, str] | None:
    """Digital maturity over time for one authority: score by domain, one marker per assessment round."""
    import pandas as pd
    import plotly.graph_objects as go

    date, score = _column(table, DATE_COLUMNS), _column(table, SCORE_COLUMNS)
    domain = _column(table, ("domain",))
    if not (date and score) or table.frame.empty:
        return None
    frame = table.frame.assign(_score=pd.to_numeric(table.frame[score], errors="coerce"))
    rounds = sorted(set(frame[date]))
    figure = go.Figure()
    if domain:
        domains = list(dict.fromkeys(frame[domain]))
        for i, when in enumerate(rounds):
            part = frame[frame[date] == when]
            figure.add_trace(
                go.Scatter(
                    x=part["_score"],
                    y=part[domain],
                    mode="markers",
                    name=str(when),
                    orientation="h",
                    marker={
                        "size": 11,
                        "color": CATEGORICAL[i % len(CATEGORICAL)],
                        "symbol": MARKERS[i % len(MARKERS)],
                    },
                    hovertemplate=f"{when}, %{{y}}: %{{x}}<extra></extra>",
                )
            )
        figure.update_layout(
            yaxis={"categoryorder": "array", "categoryarray": domains[::-1]},
            height=190 + 34 * len(domains),
            scattermode="group",
        )
        parts = []
        for d in domains:
            mine = frame[frame[domain] == d]
            values = [f"{w}: {format_value(v)}" for w, v in zip(mine[date], mine["_score"], strict=True)]
            parts.append(f"{d} ({', '.join(values)})")
        alt = f"Digital maturity self-assessment scores (1-5) of {name} by domain and round: " + "; ".join(parts)
    else:
        figure.add_trace(
            go.Scatter(
                x=frame[date], y=frame["_score"], mode="lines+markers", name="score", line={"color": CATEGORICAL[0]}
            )
        )
        alt = f"Digital maturity of {name} over time: " + "; ".join(
            f"{w}: {format_value(v)}" for w, v in zip(frame[date], frame["_score"], strict=True)
        )
    figure.update_layout(
        template=template(),
        title=f"{name}: digital maturity over time",
        xaxis={"title": "Score (1 = lowest, 5 = highest)", "range": [0.5, 5.5]},
        showlegend=True,
        legend=LEGEND_ON_TOP,
        margin={"t": 100},
    )
    return figure, alt + "."


def _rows_for(table: PublishedTable, code: str, name: str) -> PublishedTable | None:
    column = _column(table, AUTHORITY_COLUMNS)
    if column is None:
        return None
    mine = table.where(column, code)
    return mine.retitled(f"{table.title}: {name}") if not mine.frame.empty else None


def _shared_projects(table: PublishedTable, code: str, names: dict[str, str]) -> PublishedTable | None:
    """One authority's row of an authority-by-authority matrix, as a list of partners (most shared first)."""
    import pandas as pd

    row = _rows_for(table, code, names.get(code, code))
    if row is None:
        return None
    values = [(names.get(c, c), to_number(row.frame.iloc[0][c])) for c in row.frame.columns if c in names and c != code]
    values = sorted([(n, int(v)) for n, v in values if v], key=lambda item: (-item[1], item[0]))
    frame = pd.DataFrame(values, columns=["partner_authority", "projects_shared"]).astype(str)
    return PublishedTable(f"{table.name}_{code}", f"{table.title}: {names.get(code, code)}", frame)


def authority_sections(code: str, reports: Reports = None) -> list[Part]:
    """One authority: membership and partners, the map, its projects and indicators, its digital maturity."""
    names = _names()
    name = names.get(code, code)
    out: list[Part] = []
    try:
        portfolio: PublishedRun | None = load_run(PORTFOLIO_ANALYSIS, None, reports)
    except ResultsMissing as missing:
        portfolio = None
        out.append(missing_message(missing))
    if portfolio is not None:
        out.append(provenance_html(portfolio))
        participation = _participation(portfolio)
        row = _rows_for(participation, code, name) if participation is not None else None
        if row is not None:
            record = row.frame.iloc[0]
            items = [
                (str(c).replace("_", " ").capitalize(), str(record[c]))
                for c in row.frame.columns
                if c not in AUTHORITY_COLUMNS and c not in ("name", "gss_code")
            ]
            out.append(headlines_html(items, caption=f"{name} in LOTI"))
        out += safe_children(lambda: authority_map(portfolio, highlight=code))
        for table_name in ("partners", "co_participation"):
            if portfolio.has_table(table_name):
                table = portfolio.table(table_name)
                shown = (
                    _shared_projects(table, code, names)
                    if table_name == "co_participation"
                    else _rows_for(table, code, name)
                )
                if shown is not None and not shown.frame.empty:
                    out.append(table_block(shown, run=portfolio, file_stem=f"{portfolio.analysis}_{table_name}_{code}"))
    out.append(heading(f"Projects and indicators for {name}"))
    project_parts: list[Part] = []
    for run in load_runs(PROJECT_ANALYSIS, reports):
        tables = [
            main_columns(t, keep=("authority", "authority_code", "period", "current"))
            for t in (_rows_for(run.table(n), code, name) for n in run.tables_index if run.has_table(n))
            if t is not None
        ]
        lead = _project_facts(run).get("lead authority", "")
        if tables or lead == name:
            project_parts.append(
                Html(f"<h3>{esc(_project_label(run))}{' (lead authority)' if lead == name else ''}</h3>")
            )
            project_parts += [
                table_block(
                    t, run=run, cell_markup=rag_markup, file_stem=file_slug(run.analysis, run.run_id, t.name, code)
                )
                for t in tables
            ]
    out += project_parts or [message(f"No published project run has rows for {name}.")]
    out.append(heading(f"Digital maturity of {name} over time"))
    out += safe_children(lambda: maturity_parts(code, name, reports))
    out.append(heading(f"Peer challenges of {name}"))
    out += safe_children(lambda: peer_challenge_parts(code, name, reports))
    return out


def maturity_parts(code: str, name: str, reports: Reports = None) -> list[Part]:
    """The authority's digital maturity: its own ``maturity_assessment`` run if published, else London's.

    The per-authority runs come from the drill-down manifest; the default manifest publishes
    London as a whole (``maturity_london``), so the page shows that and says how to add the authority.
    """
    runs = [r for r in list_runs(MATURITY_ANALYSIS, reports) if str(r.provenance.parameters.get("authority")) == code]
    if not runs:
        london = load_run(MATURITY_LONDON_ANALYSIS, "all", reports)
        note = message(
            f"{name} has no maturity run of its own yet, so London as a whole is shown. To compare "
            f"{name} with London, run `workbench run --manifest notebooks/manifest-drilldown.yml "
            f"--select {MATURITY_ANALYSIS}/authority-{code}`."
        )
        sections = (
            Section(
                "London's digital maturity",
                figures=("against_london", "change"),
                tables=("london_by_domain", "change_by_membership"),
            ),
        )
        return [provenance_html(london), note, *run_sections(london, sections, rest=False)[1:]]
    run = PublishedRun(runs[0])
    parts: list[Part] = [provenance_html(run)]
    if run.has_table("maturity"):
        chart = maturity_chart(run.table("maturity"), name)
        if chart is not None:
            parts.append(
                figure_block(chart[0], alt_text=chart[1], file_stem=file_slug(run.analysis, run.run_id, "maturity"))
            )
    sections = (
        Section(
            "Against London and over time",
            figures=("against_london", "change*"),
            tables=("comparison_with_london", "maturity"),
        ),
    )
    return parts + run_sections(run, sections)[1:]


def peer_challenge_parts(code: str, name: str, reports: Reports = None) -> list[Part]:
    """The authority's peer challenges and their overdue actions, from the all-challenges follow-up run."""
    run = load_run(PEER_CHALLENGE_ANALYSIS, "all", reports)
    challenges = _rows_for(run.table("challenges"), code, name) if run.has_table("challenges") else None
    if challenges is None:
        return [provenance_html(run), message(f"No peer challenge of {name} is recorded.")]
    parts: list[Part] = [
        provenance_html(run),
        table_block(challenges, run=run, file_stem=file_slug(run.analysis, run.run_id, "challenges", code)),
    ]
    if run.has_table("overdue_actions"):
        overdue = run.table("overdue_actions")
        ids = set(challenges.frame["challenge_id"])
        mine = replace(overdue, frame=overdue.frame[overdue.frame["challenge_id"].isin(ids)].reset_index(drop=True))
        parts.append(
            table_block(
                mine.retitled(f"{overdue.title}: {name}"),
                run=run,
                file_stem=file_slug(run.analysis, run.run_id, "overdue_actions", code),
            )
            if not mine.frame.empty
            else message(f"No action from a peer challenge of {name} is overdue.")
        )
    return parts


PEER_CHALLENGE_SECTIONS = (
    Section(
        "Progress of the actions, by line of enquiry",
        figures=("status_by_line",),
        tables=("progress_by_line", "overdue_actions"),
    ),
    Section(
        "Status at the follow-up review",
        figures=("follow_up_by_line",),
        tables=("follow_up_by_line", "tracker_against_follow_up", "challenges"),
    ),
)


def peer_challenges_section(reports: Reports = None) -> list[Part]:
    """Every peer challenge: progress by line of enquiry, overdue actions, status at follow-up."""
    run = load_run(PEER_CHALLENGE_ANALYSIS, "all", reports)
    return [provenance_html(run), *run_sections(run, PEER_CHALLENGE_SECTIONS)]


def risk_register_section(register: str, reports: Reports = None) -> list[Part]:
    """A risk register: heat map of the latest review, each risk's movement, and RAG ratings to check."""
    run = load_run(RISKS_ANALYSIS, f"register-{register}", reports)
    sections = (
        Section(
            "Where the risks stand",
            figures=(f"heat_map_{register}",),
            tables=("risks",),
            note="Score = probability x impact (each 1 to 4): Green up to 4, Amber up to 8, Red above.",
            table_markup=rag_markup,
        ),
        Section(
            "How each risk moved between reviews",
            figures=(f"movement_{register}",),
            tables=("risk_movements",),
            table_markup=rag_markup,
        ),
        Section(
            "RAG ratings that disagree with the score",
            tables=("rag_disagreements",),
            note="The rating the register reports against the one its score gives.",
            table_markup=rag_markup,
        ),
    )
    return [provenance_html(run), *run_sections(run, sections, rest_markup=rag_markup)]


def authority_options(reports: Reports = None) -> list[tuple[str, str]]:
    """London's 33 authorities, by name: (name (GSS code), GSS code)."""
    return sorted((f"{n} ({c})", c) for c, n in _names().items())


def authority_body(code: str | None, reports: Reports = None) -> list[Part]:
    return authority_sections(code or authority_options(reports)[0][1], reports)


@_timed
def authority_page(reports: Reports = None, authority: str | None = None) -> ipywidgets.VBox:
    """Pick a London borough and see its LOTI projects, indicators and digital maturity."""
    return live_page(DASHBOARD_PAGES["authority"], reports, authority)


# --- The five dashboards ------------------------------------------------------------------------------------------


def _no_options(reports: Reports) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class Dashboard:
    """One dashboard: what a board member is told of it, its selector, and its body for each selector value.

    The live page (a notebook in ``dashboards/`` served by Voila) and the published site
    (:mod:`evaluation.dashboards.site`) both build their content from ``body(value, reports)``, so the two
    show the same figures and numbers for the same selection.
    """

    name: str  # the notebook in dashboards/, and the page's folder on the published site
    title: str
    lead: str
    question: str  # what it answers, in a sentence, for the landing page
    reads: tuple[str, ...]  # the analyses whose published runs it shows
    body: Callable[[str | None, Reports], list[Part]]
    selector: str = ""  # the drop-down's label; empty for a page without one
    options: Callable[[Reports], list[tuple[str, str]]] = _no_options


def live_page(dashboard: Dashboard, reports: Reports = None, value: str | None = None) -> ipywidgets.VBox:
    """The dashboard as widgets: a drop-down of its options (if any), and its body for the value chosen."""
    options = dashboard.options(reports) if dashboard.selector else []
    if options:
        return selector_page(
            dashboard.title, dashboard.lead, dashboard.selector, options, body_fill(dashboard, reports), value=value
        )
    return _page(dashboard.title, dashboard.lead, body_fill(dashboard, reports))


def body_fill(dashboard: Dashboard, reports: Reports = None) -> BodyFill:
    """Shows the body for a value: the one prepared when the site was published if it was built from the same
    results and code (:mod:`evaluation.dashboards.prepared`: milliseconds), else built from the results."""
    from .prepared import load_prepared

    def fill(body: Body, value: str | None, defer: bool) -> None:
        ready = load_prepared(dashboard, value, reports)
        if ready is not None:
            body.show_outputs(ready.outputs, ready.charts, defer=defer)
        else:
            body.show(safe_children(lambda: dashboard.body(value, reports)), defer=defer)
        _body_sources.append("built" if ready is None else "prepared")

    return fill


_LOTI_RUNS = (
    PORTFOLIO_ANALYSIS,
    PROJECT_ANALYSIS,
    MATURITY_ANALYSIS,
    MATURITY_LONDON_ANALYSIS,
    PEER_CHALLENGE_ANALYSIS,
    RISKS_ANALYSIS,
)
DASHBOARD_PAGES: dict[str, Dashboard] = {
    d.name: d
    for d in (
        Dashboard(
            "programme_overview",
            "Digital leadership programme: overview",
            "Cohorts trained, completion, change in confidence and competence (with 95% intervals), participants' "
            "ratings, applications at work and cost per completer, as published by the evaluation runs. Values "
            "about fewer than five people are suppressed and marked [c].",
            "Is the digital leadership programme raising leaders' confidence and competence, and is it value "
            "for money?",
            (PROGRAMME_ANALYSIS, COHORT_ANALYSIS, RISKS_ANALYSIS),
            programme_body,
        ),
        Dashboard(
            "cohort",
            "Digital leadership programme: one cohort",
            "Choose a cohort to see its change in confidence, competence and application, its ratings, "
            "attendance, completion and applications at work, as published by its evaluation run.",
            "How did one cohort change, rate the programme and apply what it learnt?",
            (COHORT_ANALYSIS,),
            run_body(COHORT_ANALYSIS, cohort_sections),
            "Cohort",
            run_options(COHORT_ANALYSIS, _cohort_label),
        ),
        Dashboard(
            "loti_portfolio",
            "London Office of Technology and Innovation: portfolio",
            "Projects by workstream and stage, outcomes by level with RAG ratings, a map of London's 33 "
            "authorities, value for money, peer challenges and the programme's risks, as published by the "
            "portfolio, peer-challenge and risk evaluation runs.",
            "What is LOTI's portfolio delivering at organisation, community and economic level, and at what "
            "value for money?",
            _LOTI_RUNS,
            portfolio_body,
        ),
        Dashboard(
            "project",
            "London Office of Technology and Innovation: one project",
            "Choose a project to see its logic model, its outcome indicators and what its evaluation found, as "
            "published by the project's evaluation run.",
            "What did one LOTI project achieve, how strong is the evidence, and was it worth its cost?",
            (PROJECT_ANALYSIS,),
            run_body(PROJECT_ANALYSIS, project_sections),
            "Project",
            run_options(PROJECT_ANALYSIS, _project_label),
        ),
        Dashboard(
            "authority",
            "London Office of Technology and Innovation: one authority",
            "Choose a borough to see its LOTI membership and partners, the projects it takes part in with their "
            "indicators, and its digital maturity over time, as published by the portfolio, project and maturity "
            "evaluation runs.",
            "What does LOTI mean for one borough: its projects, partners and digital maturity over time?",
            _LOTI_RUNS,
            authority_body,
            "Authority",
            authority_options,
        ),
    )
}
