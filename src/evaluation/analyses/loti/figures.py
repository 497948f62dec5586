"""The LOTI reports' figures: the London tile map, RAG by level, indicator trends, effects by time since joining
and amounts in £ thousand.

In the Analysis Function template of :mod:`evaluation.charts` (the workbench's shared chart builders).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...presentation import numbers
from ...reference import london_tile_grid
from ...tidy import Estimate, to_frame
from .indicator_tracking import STATUS_COLOURS, STATUSES, event_time_label

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from .project_impact import ImpactResult


def tile_map(
    frame: pd.DataFrame, *, value: str, title: str, colour_title: str, code: str = "gss_code", hover: str | None = None
) -> go.Figure:
    """A London tile map: one square per authority on the squared grid, coloured by ``value``.

    Authorities missing from ``frame`` (or with a missing value) are grey. Each tile shows the
    authority's abbreviation and value; ``hover`` names a column of extra hover text.
    """
    import plotly.graph_objects as go

    from ...charts import CONTEXT, FOCUS, template

    grid = london_tile_grid().merge(frame, left_on="gss_code", right_on=code, how="left", suffixes=("", "_data"))
    n_rows, n_cols = int(grid["row"].max()), int(grid["col"].max())
    z = np.full((n_rows, n_cols), np.nan)
    present = np.full((n_rows, n_cols), np.nan)
    hovertext = np.full((n_rows, n_cols), "", dtype=object)
    tiles = grid.to_dict("records")
    for tile in tiles:
        r, c = tile["row"] - 1, tile["col"] - 1
        present[r, c] = 0.0
        v = tile[value]
        z[r, c] = float(v) if pd.notna(v) else np.nan
        extra = f"<br>{tile[hover]}" if hover else ""
        hovertext[r, c] = f"{tile['name']}: {v if pd.notna(v) else 'no data'}{extra}"
    low, high = np.nanmin(z) if np.isfinite(z).any() else 0.0, np.nanmax(z) if np.isfinite(z).any() else 1.0
    figure = go.Figure(
        [
            go.Heatmap(
                z=present, colorscale=[[0, CONTEXT], [1, CONTEXT]], showscale=False, xgap=4, ygap=4, hoverinfo="skip"
            ),
            go.Heatmap(
                z=z,
                colorscale=[[0, "#D6E6F4"], [0.5, "#2073BC"], [1, FOCUS]],
                zmin=low,
                zmax=high,
                xgap=4,
                ygap=4,
                text=hovertext,
                hovertemplate="%{text}<extra></extra>",
                colorbar={"title": {"text": colour_title}},
            ),
        ]
    )
    midpoint = (low + high) / 2
    for tile in tiles:
        v = tile[value]
        dark = pd.notna(v) and float(v) > midpoint
        label = (
            f"{tile['abbreviation']}<br>{v:g}"
            if pd.notna(v) and isinstance(v, int | float | np.number)
            else tile["abbreviation"]
        )
        figure.add_annotation(
            x=tile["col"] - 1,
            y=tile["row"] - 1,
            text=label,
            showarrow=False,
            font={"color": "white" if dark else "#0B0C0C", "size": 12},
        )
    figure.update_layout(
        template=template(),
        title=title,
        height=560,
        width=680,
        xaxis={"visible": False, "showgrid": False},
        yaxis={"visible": False, "showgrid": False, "autorange": "reversed", "scaleanchor": "x"},
    )
    return figure


def co_participation_heatmap(matrix: pd.DataFrame, authorities: pd.DataFrame, *, title: str) -> go.Figure:
    """Heatmap of a co-participation matrix, authorities ordered Inner then Outer London, by name."""
    import plotly.graph_objects as go

    from ...charts import FOCUS, template

    order = authorities.sort_values(["inner_outer", "name"])
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    codes = [c for c in order["gss_code"] if c in matrix.index]
    values = np.array(matrix.loc[codes, codes], dtype=float)
    np.fill_diagonal(values, np.nan)
    labels = [names[c] for c in codes]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=labels,
            y=labels,
            colorscale=[[0, "#FFFFFF"], [0.5, "#6BACE6"], [1, FOCUS]],
            hovertemplate="%{y} and %{x}: %{z} shared projects<extra></extra>",
            colorbar={"title": {"text": "Shared projects"}},
        )
    )
    figure.update_layout(
        template=template(),
        title=title,
        height=900,
        width=960,
        margin={"l": 180, "b": 180, "t": 60, "r": 20},
        xaxis={"tickangle": -60, "showgrid": False, "automargin": True},
        yaxis={"autorange": "reversed", "showgrid": False, "automargin": True},
    )
    return figure


def rag_level_chart(level_counts: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal stacked bars: number of indicators by status at each level (labels, not colour alone)."""
    import plotly.graph_objects as go

    from ...charts import template

    figure = go.Figure()
    for status in STATUSES:
        if status in level_counts.columns:
            figure.add_trace(
                go.Bar(
                    y=level_counts["level"],
                    x=level_counts[status],
                    name=status,
                    orientation="h",
                    marker_color=STATUS_COLOURS[status],
                    text=level_counts[status],
                    texttemplate="%{text}",
                    textposition="inside",
                )
            )
    shown = [s for s in STATUSES if s in level_counts.columns]
    largest = int(level_counts[shown].sum(axis=1).max()) if shown and len(level_counts) else 0
    figure.update_layout(
        template=template(),
        title=title,
        barmode="stack",
        # Counts of indicators: whole-number ticks (plotly would mark 0.2, 0.4 ... on a short axis).
        xaxis={"title": "Number of indicators", "tickformat": "d", "dtick": 1 if largest <= 10 else None},
        yaxis={"title": None, "automargin": True},
        legend={"traceorder": "normal", "y": -0.4},
        height=260 + 60 * len(level_counts),
    )
    return figure


def indicator_trend_chart(panel: pd.DataFrame, indicator: pd.Series, *, title: str) -> go.Figure:
    """Mean of participants and of other authorities each period, with baseline, target and joining dates marked."""
    import plotly.graph_objects as go

    from ...charts import CATEGORICAL, REFERENCE_LINE, template

    figure = go.Figure()
    groups = [
        ("Participating authorities", panel["participant"], CATEGORICAL[0]),
        ("Other authorities", ~panel["participant"], CATEGORICAL[1]),
    ]
    for name, mask, colour in groups:
        if mask.any():
            series = panel[mask].groupby("period")["value"].mean()
            figure.add_trace(
                go.Scatter(
                    x=series.index,
                    y=series.to_numpy(),
                    mode="lines",
                    name=name,
                    line={"color": colour, "width": 2},
                    hovertemplate=f"{name}, %{{x|%B %Y}}: %{{y:.2f}}<extra></extra>",
                )
            )
    joined = sorted(panel.loc[panel["participant"], "joined_on"].dropna().unique())
    for date in joined[:6]:
        figure.add_vline(x=pd.Timestamp(date), line={"color": "#BFBFBF", "dash": "dash"})
    if joined:
        figure.add_annotation(
            x=pd.Timestamp(joined[0]),
            y=1,
            yref="paper",
            text="joined",
            showarrow=False,
            xanchor="left",
            font={"color": REFERENCE_LINE},
        )
    if pd.notna(indicator.get("baseline")):
        figure.add_hline(
            y=float(indicator["baseline"]),
            line={"color": REFERENCE_LINE, "dash": "dot"},
            annotation_text="baseline",
            annotation_position="top left",
        )
    if pd.notna(indicator.get("target")):
        when = indicator.get("target_period")
        if pd.notna(when):
            figure.add_trace(
                go.Scatter(
                    x=[when],
                    y=[float(indicator["target"])],
                    mode="markers+text",
                    name="target",
                    marker={"symbol": "diamond", "size": 12, "color": CATEGORICAL[2]},
                    text=["target"],
                    textposition="top center",
                )
            )
        else:
            figure.add_hline(
                y=float(indicator["target"]), line={"color": CATEGORICAL[2], "dash": "dash"}, annotation_text="target"
            )
    figure.update_layout(
        # The title names the indicator; the axis only its unit (a long name would overrun the plot's height).
        template=template(),
        title=title,
        xaxis_title="Period",
        yaxis_title=str(indicator["unit"]).capitalize(),
    )
    return figure


def alt_text_for_trend(panel: pd.DataFrame, indicator: pd.Series) -> str:
    """Text alternative of :func:`indicator_trend_chart`: first and last means of each group."""
    parts = []
    groups = (("participating authorities", panel["participant"]), ("other authorities", ~panel["participant"]))
    for name, mask in groups:
        if mask.any():
            series = panel[mask].groupby("period")["value"].mean()
            parts.append(
                f"{name} from {series.iloc[0]:.2f} in {series.index[0]:%B %Y} to {series.iloc[-1]:.2f} in "
                f"{series.index[-1]:%B %Y}"
            )
    baseline = f"baseline {indicator['baseline']:g}" if pd.notna(indicator.get("baseline")) else "no baseline"
    target = f"target {indicator['target']:g}" if pd.notna(indicator.get("target")) else "no target"
    return (
        f"Line chart of {indicator['name']} ({indicator['unit']}), mean by period: {'; '.join(parts)}; "
        f"{baseline}; {target}."
    )


def thousands_bar_chart(
    frame: pd.DataFrame, *, x: str, pounds: str, title: str, x_title: str, y_title: str, alt_intro: str
) -> tuple[go.Figure, str]:
    """Bars of the amounts in pounds of column ``pounds`` drawn in £ thousand, and the chart's text alternative.

    The hover text and the text alternative (``alt_intro``, then each bar as ``label: £12k``) are rounded to the
    nearest £ thousand, as the axis is.
    """
    from ...charts import bar_chart

    shown = frame.assign(_thousands=frame[pounds] / 1000)
    figure = bar_chart(shown, x=x, y="_thousands", title=title, x_title=x_title, y_title=y_title)
    figure.update_traces(hovertemplate="%{x}: £%{y:,.0f} thousand<extra></extra>")
    alt_text = alt_intro + "; ".join(
        f"{label}: £{thousands:,.0f}k" for label, thousands in zip(shown[x], shown["_thousands"], strict=True)
    )
    return figure, alt_text


def interval_rows(estimates: Iterable[Estimate], *, scale: float = 1.0) -> pd.DataFrame:
    """Tidy frame of estimates with a ``label`` column (the term), values divided by ``scale``, for interval charts."""
    frame = to_frame(estimates)
    for column in ("estimate", "conf_low", "conf_high"):
        frame[column] = frame[column] / scale
    frame["label"] = frame["term"].astype(object)
    return frame


def effect_by_time_chart(result: ImpactResult, *, per: str = "month", alpha: float = 0.05) -> tuple[go.Figure, str]:
    """The Callaway-Sant'Anna event-study chart of an impact result and its text alternative.

    Before joining it shows the leads that the pre-trend test behind the rating tests (each the
    change over one period in joiners less that in comparison authorities, so a placebo that should
    be near zero); from joining, the effect against the period before joining.
    """
    from ...charts import interval_chart

    rows = interval_rows(result.dynamic)
    rows["label"] = [event_time_label(term, per) for term in rows["term"]]
    wald = result.pre_trend[0] if result.pre_trend else None
    test = (
        f"; pre-trend test F = {numbers.score(wald.statistic)}, {numbers.p_phrase(wald.p_value)}"
        if wald is not None
        else ""
    )
    figure = interval_chart(
        rows,
        label="label",
        title=f"{result.indicator_id}: effect by time since joining",
        x_title=f"Effect on {result.indicator_name.lower()} ({result.unit}), Callaway-Sant'Anna, "
        f"{1 - alpha:.0%} pointwise intervals<br>before joining: one-{per} placebo changes{test}",
    )
    figure.update_yaxes(automargin=True)
    figure.update_xaxes(automargin=True)  # the axis title runs over two lines
    alt_text = (
        f"Estimated effect on {result.indicator_name} by time since joining (Callaway-Sant'Anna); before "
        f"joining, each point is the change over one {per} in joiners less that in comparison authorities, "
        f"the placebo effects the pre-trend test checks{test}: "
        + "; ".join(
            f"{r['label']}: {r['estimate']:.2f} ({r['conf_low']:.2f} to {r['conf_high']:.2f})"
            for r in rows.to_dict("records")
            if r["estimate"] == r["estimate"] and r["conf_low"] == r["conf_low"]
        )
    )
    return figure, alt_text
