"""Charts the pages draw from published numbers (not figures a run published): estimates with their 95%
intervals side by side, with a text alternative that gives every value in words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ...charts import CATEGORICAL, REFERENCE_LINE, template
from ..data import PublishedRun, ResultsMissing, describe_estimate

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

# One marker shape per series as well as one colour: a series is told apart without colour.
MARKERS = ("circle", "square", "diamond", "triangle-up", "cross", "x")
# Legends between the title and the plot, where they cannot collide with the x-axis title.
LEGEND_ON_TOP = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"}


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


def estimate_rows(
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
