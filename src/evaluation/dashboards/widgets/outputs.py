"""Parts as notebook outputs (what the live page's ``Output`` widgets and a prepared body hold): runs of markup
merged into one HTML output, each chart a plotly MIME bundle; and a page's first view as static HTML (the
preview the workbench Voila template draws before the kernel connects).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...chart_json import BASIC_BUNDLE_TRACE_TYPES, PLOTLY_MIME, script_json
from .markup import part_markup
from .parts import Chart, Html, Part, Table, esc, plain_text, safe

if TYPE_CHECKING:
    import plotly.graph_objects as go

# A page's first view as static HTML, drawn before the kernel connects (the workbench Voila template).
PREVIEW_MIME = "application/vnd.workbench.preview+html"
# No mode bar: the download panel makes the files, and the chart draws faster without it.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
# The last output of every body ends with this (tests wait for it: the page is complete).
END_MARKER = '<span class="wb-end" hidden></span>'


def fit_margins(figure: go.Figure) -> go.Figure:
    """Widen the left margin to fit text category labels on the y axis.

    Fixed margins instead of plotly's ``automargin``, which redraws the chart
    in the browser until the labels fit (measured: the slowest part of drawing).
    """
    labels = [
        str(v)
        for trace in figure.data
        if getattr(trace, "y", None) is not None
        and getattr(trace, "orientation", None) != "v"
        and getattr(trace, "yaxis", "y") in (None, "y")
        for v in trace.y
        if isinstance(v, str)
    ]
    if labels and figure.layout.yaxis.visible is not False:
        current = figure.layout.margin.l if figure.layout.margin.l is not None else 60
        figure.update_layout(margin={"l": int(min(max(current, 7.5 * max(map(len, labels)) + 24), 360))})
    return figure


def plotly_bundle(figure: go.Figure) -> dict[str, Any]:
    """The figure as a plotly MIME bundle (drawn by the jupyterlab-plotly extension; no inline plotly.js)."""
    spec = json.loads(fit_margins(figure).to_json())
    return {
        PLOTLY_MIME: {"data": spec.get("data", []), "layout": spec.get("layout", {}), "config": PLOTLY_CONFIG},
        "text/plain": f"Chart: {plain_text(str(figure.layout.title.text or ''))}",
    }


def _html_output(markup: str) -> dict[str, Any]:
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": f'<div class="wb-page wb-part">{markup}</div>', "text/plain": plain_text(markup)[:200]},
    }


def to_outputs(parts: Sequence[Part]) -> tuple[dict[str, Any], ...]:
    """The parts as notebook outputs: runs of markup merged into one HTML output, each chart its own."""
    outputs: list[dict[str, Any]] = []
    pending: list[str] = []
    for part in parts:
        if isinstance(part, Chart):
            pending.append(f'<h3 class="wb-sr-only">{esc(part.title)}</h3>')
            outputs.append(_html_output("".join(pending)))
            pending = []
            outputs.append({"output_type": "display_data", "metadata": {}, "data": plotly_bundle(part.figure)})
            outputs.append(
                _html_output(f'<p class="wb-alt"><strong>Text alternative:</strong> {esc(part.alt_text)}</p>')
            )
        elif isinstance(part, Html):
            pending.append(part.markup)
        else:
            pending.append(safe(functools.partial(_table_html, part), what=_describe(part)).markup)
    outputs.append(_html_output("".join(pending) + END_MARKER))
    return tuple(outputs)


def _table_html(part: Table) -> Html:
    return Html(part_markup(part))


def split_after_first_chart(
    outputs: Sequence[dict[str, Any]],
) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """The outputs up to the first chart and its text alternative, and the rest."""
    first = next((i for i, o in enumerate(outputs) if PLOTLY_MIME in o["data"]), None)
    if first is None:
        return tuple(outputs), ()
    return tuple(outputs[: first + 2]), tuple(outputs[first + 2 :])


def preview_markup(header: str, outputs: Sequence[dict[str, Any]], *, choice: str = "") -> str:
    """A page's first view as one static HTML element: its header, ``choice`` (what its selector shows), and
    ``outputs`` (HTML as it is, each plotly figure drawn by plotly.js, which the page must have loaded).

    The workbench Voila template puts this into the page it serves, so the first chart is drawn before the
    kernel is connected; the widgets take its place once they have drawn their own first chart.
    """
    parts = [header, f'<p class="wb-page wb-preview-choice">{choice}</p>' if choice else ""]
    for number, output in enumerate(outputs):
        if PLOTLY_MIME in output["data"]:
            spec = output["data"][PLOTLY_MIME]
            chart_id = f"wb-preview-chart-{number}"
            parts.append(
                f'<div class="wb-preview-chart" id="{chart_id}"></div><script>Plotly.newPlot('
                f'"{chart_id}", {script_json(spec["data"])}, {script_json(spec["layout"])}, '
                f"{script_json(spec['config'])});</script>"
            )
        else:
            parts.append(output["data"]["text/html"])
    parts.append('<p class="wb-page wb-note" role="status">The rest of the page is loading.</p>')
    return f'<div class="wb-preview jp-RenderedHTMLCommon" aria-busy="true">{"".join(parts)}</div>'


def previewable(outputs: Sequence[dict[str, Any]]) -> bool:
    """True if ``outputs`` hold a chart and every chart's traces are of plotly.js's basic bundle (the one the
    template loads for the preview: :data:`~evaluation.chart_json.BASIC_BUNDLE_TRACE_TYPES`)."""
    charts = [output["data"][PLOTLY_MIME] for output in outputs if PLOTLY_MIME in output["data"]]
    return bool(charts) and all(
        trace.get("type", "scatter") in BASIC_BUNDLE_TRACE_TYPES for chart in charts for trace in chart["data"]
    )


def _describe(part: Part) -> str:
    return f"table '{part.table.title}'" if isinstance(part, Table) else "content"
