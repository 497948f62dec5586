"""The maturity report's figures, in the Analysis Function's template, each with its text alternative.

Dot plots (domain scores against London) rather than radar charts, whose areas depend on the order of the axes
and are hard to read accurately.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...charts import CATEGORICAL, CONTEXT, FOCUS, template

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from .sensitivity import WeightSensitivity

_GREY = "#505A5F"


def comparison_dot_plot(comparison: pd.DataFrame, name: str, round_label: str) -> tuple[go.Figure, str]:
    """Dot plot: the authority's score in each domain (and index) against the London median and middle half.

    Returns the figure and its text alternative.
    """
    import plotly.graph_objects as go

    order = list(comparison["measure"])
    figure = go.Figure()
    for row in comparison.itertuples():
        figure.add_trace(
            go.Scatter(
                x=[row.london_q1, row.london_q3],
                y=[row.measure, row.measure],
                mode="lines",
                line={"color": CONTEXT, "width": 8},
                showlegend=row.Index == 0,
                name="London middle half (25th to 75th percentile)",
                hoverinfo="skip",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=comparison["london_median"],
            y=comparison["measure"],
            mode="markers",
            marker={"symbol": "line-ns", "size": 16, "line": {"width": 3, "color": _GREY}},
            name="London median",
            hovertemplate="%{y}: London median %{x:.1f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=comparison["score"],
            y=comparison["measure"],
            mode="markers",
            marker={"size": 12, "color": FOCUS},
            name=name,
            hovertemplate="%{y}: " + name.replace("%", "%%") + " %{x:.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        template=template(),
        title=f"{name}: digital maturity against London, {round_label}",
        xaxis={"title": "Score (1 = lowest, 5 = highest)", "range": [0.8, 5.2], "dtick": 1},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": None, "automargin": True},
        height=200 + 38 * len(order),
    )
    parts = [
        f"{r['measure']}: {r['score']:.2f} against a London median of {r['london_median']:.2f} ({r['position']})"
        if r["score"] == r["score"]
        else f"{r['measure']}: not scored"
        for r in comparison.to_dict("records")
    ]
    alt = (
        f"Dot plot of {name}'s digital maturity self-assessment in {round_label}, by domain, against the London "
        "median and the middle half of London authorities. " + "; ".join(parts) + "."
    )
    return figure, alt


def change_dumbbell_chart(table: pd.DataFrame, name: str, from_label: str, to_label: str) -> tuple[go.Figure, str]:
    """One authority's domain scores in two rounds, joined by a line (a dumbbell chart)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for i, row in enumerate(table.itertuples()):
        figure.add_trace(
            go.Scatter(
                x=[row.score_from, row.score_to],
                y=[row.domain, row.domain],
                mode="lines",
                line={"color": CONTEXT, "width": 3},
                showlegend=False,
                hoverinfo="skip",
                name=f"line {i}",
            )
        )
    # A ring for the earlier round and a smaller dot for the later one: an unchanged domain shows both.
    figure.add_trace(
        go.Scatter(
            x=table["score_from"],
            y=table["domain"],
            mode="markers",
            name=from_label,
            marker={"size": 15, "color": "rgba(0,0,0,0)", "line": {"color": FOCUS, "width": 2}},
            hovertemplate=f"%{{y}}, {from_label}: %{{x:.2f}}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=table["score_to"],
            y=table["domain"],
            mode="markers",
            name=to_label,
            marker={"size": 9, "color": FOCUS},
            hovertemplate=f"%{{y}}, {to_label}: %{{x:.2f}}<extra></extra>",
        )
    )
    figure.update_layout(
        template=template(),
        title=f"{name}: domain scores, {from_label} and {to_label}",
        xaxis={"title": "Score (1 = lowest, 5 = highest)", "range": [0.8, 5.2], "dtick": 1},
        yaxis={
            "categoryorder": "array",
            "categoryarray": list(table["domain"])[::-1],
            "title": None,
            "automargin": True,
        },
        height=200 + 38 * len(table),
    )
    alt = (
        f"{name}'s self-assessed score in each domain in {from_label} and {to_label}: "
        + "; ".join(f"{r.domain} {r.score_from:g} to {r.score_to:g}" for r in table.itertuples())
        + "."
    )
    return figure, alt


def london_dot_plot(summaries: dict[str, pd.DataFrame], confidence_level: float = 0.95) -> tuple[go.Figure, str]:
    """London's mean score per domain (and index) in each round, with intervals: one marker per round."""
    import plotly.graph_objects as go

    figure = go.Figure()
    symbols = ("circle", "diamond", "square", "triangle-up", "x", "star")
    parts = []
    order: list[str] = []
    for i, (label, summary) in enumerate(summaries.items()):
        order = list(summary["measure"])
        figure.add_trace(
            go.Scatter(
                x=summary["london_mean"],
                y=summary["measure"],
                mode="markers",
                name=label,
                marker={"size": 11, "color": CATEGORICAL[i % len(CATEGORICAL)], "symbol": symbols[i % len(symbols)]},
                hovertemplate=f"%{{y}}, {label}: %{{x:.2f}}<extra></extra>",
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": summary["mean_high"] - summary["london_mean"],
                    "arrayminus": summary["london_mean"] - summary["mean_low"],
                    "thickness": 1.5,
                },
            )
        )
        parts.append(
            f"{label}: "
            + ", ".join(f"{m} {v:.2f}" for m, v in zip(summary["measure"], summary["london_mean"], strict=True))
        )
    figure.update_layout(
        template=template(),
        title="London: mean digital maturity by domain and round",
        xaxis={"title": f"Mean score (1 = lowest, 5 = highest), {confidence_level:.0%} interval", "range": [0.8, 5.2]},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": None, "automargin": True},
        scattermode="group",
        height=220 + 45 * len(order),
    )
    alt = "Mean self-assessed maturity of London authorities by domain, one marker per round. " + "; ".join(parts)
    return figure, alt + "."


def rank_range_chart(
    sensitivity: WeightSensitivity, *, highlight: str | None = None, names: dict[str, str] | None = None
) -> tuple[go.Figure, str]:
    """Each authority's rank under the chosen weights and its range over redrawn weights.

    Without ``names`` the authorities are not named (ordered by rank only), so the chart shows how
    uncertain ranks are without becoming a league table; ``highlight`` marks one authority.
    """
    import plotly.graph_objects as go

    ranks = sensitivity.ranks
    position = np.arange(1, len(ranks) + 1)
    colours = [FOCUS if c == highlight else (CONTEXT if highlight else FOCUS) for c in ranks["authority_code"]]
    hover = [names.get(c, c) for c in ranks["authority_code"]] if names else [f"authority {p}" for p in position]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=ranks["rank"],
            y=position,
            mode="markers",
            marker={"color": colours, "size": 9},
            text=hover,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": ranks["rank_high"] - ranks["rank"],
                "arrayminus": ranks["rank"] - ranks["rank_low"],
                "color": _GREY,
                "thickness": 1.5,
            },
            name="rank (range over redrawn weights)",
            hovertemplate="%{text}: rank %{x}<extra></extra>",
        )
    )
    yaxis = {"autorange": "reversed", "showgrid": False, "zeroline": False, "automargin": True}
    if names:
        yaxis |= {"tickmode": "array", "tickvals": position.tolist(), "ticktext": hover, "title": None}
    else:
        yaxis |= {"showticklabels": False, "title": "Authorities, ordered by rank (not named)"}
    figure.update_layout(
        template=template(),
        title=f"How much ranks depend on the weights: central {sensitivity.interval:.0%} of "
        f"{sensitivity.draws} weightings",
        xaxis={
            "title": "Rank (1 = most mature)",
            "range": [0.5, len(ranks) + 0.5],
            "tickvals": [1, *range(5, len(ranks) + 1, 5)],
        },
        yaxis=yaxis,
        showlegend=False,
        height=180 + 16 * len(ranks),
    )
    width = ranks["rank_high"] - ranks["rank_low"]
    alt = (
        f"Ranks of {len(ranks)} authorities by maturity index with the range of ranks over "
        f"{sensitivity.draws} redrawn weightings: ranges are {int(width.min())} to {int(width.max())} places "
        f"wide (median {width.median():g}); the median Spearman correlation with the chosen ranking is "
        f"{np.median(sensitivity.spearman):.2f}."
    )
    if highlight is not None and highlight in set(ranks["authority_code"]):
        row = ranks[ranks["authority_code"] == highlight].iloc[0]
        alt += (
            f" The highlighted authority is ranked {int(row['rank'])} (between {int(row['rank_low'])} and "
            f"{int(row['rank_high'])} under redrawn weights)."
        )
    return figure, alt
