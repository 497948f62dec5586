"""Charts that follow the Government Analysis Function's guidance, as plotly figures.

One shared template: the accessible categorical palette (use at most four
categories where possible), white background, horizontal gridlines only,
axis titles with units. Intervals are always drawn. No 3-D.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
SEQUENTIAL = ("#12436D", "#2073BC", "#6BACE6")
REFERENCE_LINE = "#505A5F"  # dotted line at zero or another reference value
FOCUS, CONTEXT = "#12436D", "#BFBFBF"
TEMPLATE_NAME = "analysis_function"
FONT = "Arial, Helvetica, sans-serif"


def template() -> go.layout.Template:
    """The Analysis Function template, registered with plotly under ``analysis_function``."""
    import plotly.graph_objects as go
    import plotly.io as pio

    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = go.layout.Template(
            layout=go.Layout(
                colorway=list(CATEGORICAL),
                font={"family": FONT, "size": 14, "color": "#0B0C0C"},
                paper_bgcolor="white",
                plot_bgcolor="white",
                title={"x": 0, "xanchor": "left"},
                xaxis={"showgrid": False, "linecolor": "#0B0C0C", "ticks": "outside", "zeroline": False},
                yaxis={"showgrid": True, "gridcolor": "#D9D9D9", "zeroline": False},
                legend={"orientation": "h", "y": -0.2},
                margin={"l": 60, "r": 20, "t": 60, "b": 60},
            )
        )
    return pio.templates[TEMPLATE_NAME]


def interval_chart(
    frame: pd.DataFrame,
    *,
    label: str,
    title: str,
    x_title: str,
    reference: float | None = 0.0,
    estimate: str = "estimate",
    low: str = "conf_low",
    high: str = "conf_high",
) -> go.Figure:
    """Estimates with their intervals, one row per label (a dot-and-whisker chart).

    Rows whose estimate is missing (suppressed) are shown as "suppressed", not as zero.
    """
    import plotly.graph_objects as go

    shown = frame[frame[estimate].notna()]
    hidden = frame[frame[estimate].isna()]
    figure = go.Figure(
        go.Scatter(
            x=shown[estimate],
            y=shown[label],
            mode="markers",
            marker={"color": FOCUS, "size": 11},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": shown[high] - shown[estimate],
                "arrayminus": shown[estimate] - shown[low],
                "color": FOCUS,
                "thickness": 2,
            },
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
            name="estimate (95% interval)",
        )
    )
    for name in hidden[label]:
        figure.add_annotation(
            x=0,
            y=name,
            text="suppressed (fewer than the disclosure threshold)",
            showarrow=False,
            xanchor="left",
            font={"color": REFERENCE_LINE},
        )
    if reference is not None:
        figure.add_vline(x=reference, line={"color": REFERENCE_LINE, "dash": "dot"})
    figure.update_layout(
        template=template(),
        title=title,
        xaxis_title=x_title,
        yaxis_title=None,
        yaxis={"categoryorder": "array", "categoryarray": list(frame[label])[::-1]},
        showlegend=False,
        height=120 + 60 * len(frame),
    )
    figure.update_yaxes(automargin=True)  # long labels (indicator names) are never cut off
    return figure


def rate_chart(frame: pd.DataFrame, *, x: str, rate: str, title: str, x_title: str, y_title: str) -> go.Figure:
    """Bars of a share of people (0 to 1, drawn as 0-100%), each suppressed share (NaN) marked ``[c]`` in place.

    A chart of protected rates (:func:`~evaluation.statistics.disclosure.protect_shares`) must not leave a
    reader wondering why a bar is missing: the gap carries ``[c]`` and the chart says what it means.
    """
    from .statistics.disclosure import SUPPRESSED_SYMBOL

    # Labels as text: on a category axis a number given to an annotation is a position, not the label.
    shown = frame.assign(_percent=100 * frame[rate], **{x: frame[x].astype(str)})
    figure = bar_chart(shown, x=x, y="_percent", title=title, x_title=x_title, y_title=y_title)
    figure.update_traces(hovertemplate="%{x}: %{y:.0f}%<extra></extra>")
    figure.update_yaxes(range=[0, 105], ticksuffix="%")
    figure.update_xaxes(type="category")  # sessions 1, 2, 3: labels, not a scale with 1.5
    hidden = shown.loc[frame[rate].isna(), x]
    if len(hidden):
        # A text trace, not annotations: plotly places an annotation's "1" on a category axis at position 1.
        figure.add_scatter(
            x=list(hidden),
            y=[0] * len(hidden),
            mode="text",
            text=[SUPPRESSED_SYMBOL] * len(hidden),
            textposition="top center",
            hoverinfo="skip",
            showlegend=False,
        )
        figure.add_annotation(
            text=f"{SUPPRESSED_SYMBOL}: not shown, it would reveal a small number of people",
            xref="paper",
            yref="paper",
            x=0,
            y=-0.3,
            xanchor="left",
            yanchor="top",
            showarrow=False,
        )
        figure.update_layout(margin={"b": 120})
    return figure


def bar_chart(frame: pd.DataFrame, *, x: str, y: str, title: str, x_title: str, y_title: str) -> go.Figure:
    """A single-series bar chart (for counts and rates)."""
    import plotly.graph_objects as go

    # Hover text rounded as the report rounds (at most 2 decimal places, no trailing zeros).
    figure = go.Figure(
        go.Bar(x=frame[x], y=frame[y], marker_color=FOCUS, hovertemplate="%{x}: %{y:,.2~f}<extra></extra>")
    )
    figure.update_layout(template=template(), title=title, xaxis_title=x_title, yaxis_title=y_title, showlegend=False)
    return figure
