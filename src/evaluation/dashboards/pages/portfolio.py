"""The LOTI portfolio dashboard (``dashboards/loti_portfolio.ipynb``): projects, outcomes with RAG ratings, the
map of authorities and value for money, then every peer challenge and the LOTI risk register.

What it reads: ``portfolio_evaluation`` (run ``all``): figures ``status_by_level``, ``participation_map``,
``npsv_by_project``; tables ``indicators`` (level, status = RAG), ``participation`` (gss_code, member,
projects), ``value_for_money_by_project``, ``partners``, ``co_participation``. The projects come from the
``project_evaluation`` runs' ``project`` tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...charts import CATEGORICAL, template
from ...schemas.loti import STAGES
from ..data import PublishedRun, PublishedTable, load_run, load_runs
from ..widgets import Part, figure_block, heading, message, provenance_html, table_block
from .authority_map import authority_map
from .loti_tables import indicators_by_level, project_facts, project_id
from .peer_challenge import peer_challenges_section
from .risks import risk_register_section
from .scaffold import Dashboard, Reports, live_page, safe_children, timed
from .sections import Headline, Section, estimates_section, headlines, rag_markup, run_sections
from .sources import LOTI_REGISTER, LOTI_RUNS, PORTFOLIO_ANALYSIS, PROJECT_ANALYSIS

if TYPE_CHECKING:
    import ipywidgets
    import plotly.graph_objects as go

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


def projects_table(runs: Sequence[PublishedRun]) -> PublishedTable:
    """One row per project (id, title, workstream, stage, lead) from the project runs' ``project`` tables."""
    import pandas as pd

    rows = []
    for run in runs:
        facts = project_facts(run)
        project = facts.get("project", project_id(run))
        ident, _, title = project.partition(": ")
        rows.append(
            {
                "project_id": ident or project_id(run),
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
    """The portfolio run: provenance, key figures, its sections, every estimate."""
    return (
        [provenance_html(run), headlines(run, PORTFOLIO_HEADLINES)]
        + run_sections(run, PORTFOLIO_SECTIONS, rest_markup=rag_markup)
        + estimates_section(run, people=False)
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


PORTFOLIO = Dashboard(
    "loti_portfolio",
    "London Office of Technology and Innovation: portfolio",
    "Projects by workstream and stage, outcomes by level with RAG ratings, a map of London's 33 "
    "authorities, value for money, peer challenges and the programme's risks, as published by the "
    "portfolio, peer-challenge and risk evaluation runs.",
    "What is LOTI's portfolio delivering at organisation, community and economic level, and at what value for money?",
    LOTI_RUNS,
    portfolio_body,
)


@timed
def loti_portfolio(reports: Reports = None) -> ipywidgets.VBox:
    """The LOTI portfolio: projects, outcomes with RAG, the map of authorities, value for money, peer
    challenges and risks."""
    return live_page(PORTFOLIO, reports)
