"""Digital maturity over time, as a section of the authority dashboard.

What it reads: ``maturity_assessment`` (one run per authority, from ``notebooks/manifest-drilldown.yml``):
table ``maturity`` (authority_code, assessed_on, domain, score); figures ``against_london``, ``change``.
Without the authority's own run, London's (``maturity_london``): figures ``against_london``, ``change``;
tables ``london_by_domain``, ``change_by_membership``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...charts import CATEGORICAL, template
from ..data import PublishedRun, PublishedTable, format_value, list_runs, load_run
from ..downloads import slug as file_slug
from ..widgets import Part, figure_block, message, provenance_html
from .interval_charts import LEGEND_ON_TOP, MARKERS
from .loti_tables import find_column
from .scaffold import Reports
from .sections import Section, run_sections
from .sources import MATURITY_ANALYSIS, MATURITY_LONDON_ANALYSIS

if TYPE_CHECKING:
    import plotly.graph_objects as go

DATE_COLUMNS = ("assessed_on", "period", "date", "round")
SCORE_COLUMNS = ("score", "mean_score", "value")


def maturity_chart(table: PublishedTable, name: str) -> tuple[go.Figure, str] | None:
    """Digital maturity over time for one authority: score by domain, one marker per assessment round."""
    import pandas as pd
    import plotly.graph_objects as go

    date, score = find_column(table, DATE_COLUMNS), find_column(table, SCORE_COLUMNS)
    domain = find_column(table, ("domain",))
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
