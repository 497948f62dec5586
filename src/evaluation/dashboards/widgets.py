"""The pieces every page is made of, kept to a handful of widget models.

Every ipywidgets model is fetched from the kernel before Voila draws the page,
so a page is: a header (``HTML``), perhaps a drop-down, one ``Output`` widget
holding the whole body as a list of outputs (HTML and plotly figures), and a
download panel. The body is a list of *parts*:

- :class:`Html`: markup (headings, provenance, messages, headline numbers);
- :class:`Chart`: a plotly figure with its text alternative, shown under it;
- :class:`Table`: a published table (caption, column headers, suppressed cells
  written ``[c] suppressed``) with CSV and XLSX links (small, so made with it).

Charts are turned into PNG and SVG only when a reader asks, in the download
panel (kaleido takes ~0.3 s per image once its browser is up).
"""

from __future__ import annotations

import functools
import html
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from ..presentation import numbers
from .data import (
    SUPPRESSED_NOTE,
    SUPPRESSED_SYMBOL,
    Provenance,
    PublishedFigure,
    PublishedRun,
    PublishedTable,
    ResultsMissing,
    format_value,
    is_missing,
)
from .downloads import download_link, figure_image, slug, table_csv, table_xlsx

if TYPE_CHECKING:
    import ipywidgets
    import plotly.graph_objects as go

log = logging.getLogger(__name__)
PLOTLY_MIME = "application/vnd.plotly.v1+json"
# A page's first view as static HTML, drawn before the kernel connects (the workbench Voila template).
PREVIEW_MIME = "application/vnd.workbench.preview+html"
# The trace types of plotly.js's basic bundle, the one the template loads for the preview.
PREVIEW_TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
# No mode bar: the download panel makes the files, and the chart draws faster without it.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
MAX_TABLE_ROWS = 60
# The last output of every body ends with this (tests wait for it: the page is complete).
END_MARKER = '<span class="wb-end" hidden></span>'
# Seconds between the page asking for the body's state and the rest of the body being sent (see Body).
DEFER_SECONDS = 1.0
WIDE_TABLE_COLUMNS = 14
STALLED_TEXT = (
    "The live dashboard could not be drawn in this browser. The published version shows the same "
    "figures: open the dashboards' home page."
)
LONG_TEXT = 60  # characters
DISCLOSURE_THRESHOLD = 5

CSS = """
<style>
.wb-page { font-family: Arial, Helvetica, sans-serif; color: #0B0C0C; max-width: 1100px; }
.wb-page h1 { font-size: 1.9rem; margin: 0.4em 0 0.2em; }
.wb-page h2 { font-size: 1.4rem; margin: 1.2em 0 0.4em; border-top: 1px solid #D9D9D9; padding-top: 0.6em; }
.wb-page h3 { font-size: 1.1rem; margin: 0.8em 0 0.3em; }
.wb-page p, .wb-page li { font-size: 1rem; line-height: 1.45; }
.wb-page .wb-lead { font-size: 1.1rem; max-width: 60em; }
.wb-page .wb-provenance { background: #F3F2F1; padding: 0.5em 0.8em; margin: 0.5em 0; border-left: 4px solid #12436D; }
.wb-page .wb-provenance summary { cursor: pointer; font-weight: bold; }
.wb-page .wb-provenance code, .wb-page .wb-table code { font-size: 0.9em; }
.wb-page .wb-message { padding: 0.7em 1em; margin: 0.6em 0; border-left: 5px solid #12436D; background: #EEF3F8; }
.wb-page .wb-message.wb-warning { border-left-color: #F46A25; background: #FDF1EB; }
.wb-page .wb-table-wrap { overflow-x: auto; margin: 0.4em 0; }
.wb-page table.wb-table { border-collapse: collapse; font-size: 0.95rem; margin: 0.4em 0; table-layout: auto;
  color: #0B0C0C; }
.wb-page table.wb-table caption { text-align: left; font-weight: bold; padding: 0.3em 0; font-size: 1rem; }
.wb-page table.wb-table th, .wb-page table.wb-table td { border: none; border-bottom: 1px solid #B1B4B6;
  padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
.wb-page table.wb-table thead th { background: #F3F2F1; }
.wb-page table.wb-table tbody tr:nth-child(odd), .wb-page table.wb-table tbody tr:hover { background: none; }
.wb-page table.wb-table td.wb-num, .wb-page table.wb-table th.wb-num { text-align: right;
  font-variant-numeric: tabular-nums; }
.wb-page table.wb-table td.wb-long { min-width: 22em; }
.wb-page table.wb-table td.wb-suppressed { color: #505A5F; font-style: italic; }
.wb-page table.wb-headlines th { background: none; max-width: 26em; font-weight: bold; }
.wb-page table.wb-headlines caption { font-size: 1.1rem; }
.wb-page .wb-rag { font-weight: bold; padding: 0 0.4em; border-radius: 3px; }
.wb-page .wb-rag-green { background: #CCE8E5; }
.wb-page .wb-rag-amber { background: #FDE0CF; }
.wb-page .wb-rag-red { background: #E6C4D3; }
.wb-page .wb-alt { font-size: 0.95rem; color: #0B0C0C; background: #F8F8F8; padding: 0.4em 0.7em;
  margin: 0.2em 0 0.4em; max-width: 60em; }
.wb-page a.wb-download, .wb-downloads a.wb-download { margin-right: 1.2em; color: #1D70B8; }
.wb-page a:focus, .wb-downloads a:focus { outline: 3px solid #FFDD00; background: #FFDD00; color: #0B0C0C; }
.wb-page .wb-size { color: #505A5F; font-size: 0.9em; }
.wb-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.wb-page .wb-note { font-size: 0.9rem; color: #505A5F; }
.wb-panel { background: #F3F2F1; padding: 0.6em 0.9em; margin: 1em 0; border-left: 4px solid #28A197; }
.wb-panel h2 { border-top: none; margin-top: 0.2em; padding-top: 0; }
.wb-page details.wb-wide summary { cursor: pointer; color: #1D70B8; }
</style>
"""


def esc(text: Any) -> str:
    return html.escape(str(text))


def _plain(text: str) -> str:
    """Text without plotly's HTML tags."""
    return re.sub(r"<[^>]+>", " ", text).strip()


# --- Parts --------------------------------------------------------------------------------------------------------


@dataclass
class Html:
    """Markup shown as it is."""

    markup: str


@dataclass
class Chart:
    """A plotly figure, its text alternative (shown under the chart) and the stem of its file names."""

    figure: go.Figure
    alt_text: str
    file_stem: str = "chart"

    @property
    def title(self) -> str:
        return _plain(str(self.figure.layout.title.text or "Chart"))


@dataclass
class Table:
    """A table with its CSV and XLSX links."""

    table: PublishedTable
    file_stem: str
    source: str = ""
    provenance: Provenance | None = None
    cell_markup: Callable[[str, str], str | None] | None = field(default=None, repr=False)

    @functools.cached_property
    def downloads(self) -> tuple[bytes, bytes]:
        """The table as CSV and as XLSX (made once: the live page links them, the published site writes them)."""
        return table_csv(self.table), table_xlsx(self.table, provenance=self.provenance, source=self.source)


Part: TypeAlias = Html | Chart | Table


class ChartImages(Protocol):
    """What the download panel needs of a chart to make its PNG and SVG (a :class:`Chart`, or a chart of a
    prepared body)."""

    alt_text: str
    file_stem: str

    @property
    def figure(self) -> go.Figure: ...

    @property
    def title(self) -> str: ...


def message(text: str, *, kind: str = "info", heading: str = "") -> Html:
    """A clear note (``kind`` info or warning) in place of content that cannot be shown."""
    role = "alert" if kind == "warning" else "status"
    title = f"<strong>{esc(heading)}</strong> " if heading else ""
    return Html(f'<div class="wb-message wb-{kind}" role="{role}">{title}{esc(text)}</div>')


def missing_message(error: ResultsMissing) -> Html:
    return message(error.message, kind="warning", heading="Not published yet.")


def heading(text: str, level: int = 2, *, note: str = "") -> Html:
    extra = f'<p class="wb-note">{esc(note)}</p>' if note else ""
    return Html(f"<h{level}>{esc(text)}</h{level}>{extra}")


def provenance_markup(provenance: Provenance, *, label: str = "") -> str:
    """When, from which commit, with which parameters and inputs (hashes shortened) a run was made."""
    parameters = ", ".join(f"{k} = {v}" for k, v in sorted(provenance.parameters.items())) or "none"
    inputs = "".join(
        f"<tr><td>{esc(name)}</td><td><code>{esc(digest)}</code></td></tr>"
        for name, digest in provenance.inputs_short()
    )
    table = (
        f'<table class="wb-table"><caption>Inputs read by the run (SHA-256 of their content, first 12 '
        f'characters)</caption><thead><tr><th scope="col">Input</th><th scope="col">SHA-256</th></tr></thead>'
        f"<tbody>{inputs}</tbody></table>"
        if inputs
        else "<p>No inputs were recorded.</p>"
    )
    what = f"{esc(label)}: " if label else ""
    return (
        f'<details class="wb-provenance" open><summary>{what}data last run {esc(provenance.finished_text)}, '
        f"from commit <code>{esc(provenance.commit_text)}</code></summary>"
        f"<p>Analysis <code>{esc(provenance.analysis)}</code>, run <code>{esc(provenance.run_id)}</code> "
        f"({esc(provenance.status)}); parameters: {esc(parameters)}. The page shows the results this run "
        f"published; it recomputes nothing.</p>{table}</details>"
    )


def provenance_table_markup(runs: Sequence[PublishedRun], labels: Sequence[str]) -> str:
    """Several runs' provenance in one table: when, which commit, which inputs (hashes shortened)."""
    latest = max(r.provenance.finished_at for r in runs)
    rows = []
    for run, label in zip(runs, labels, strict=True):
        p = run.provenance
        inputs = "<br>".join(f"{esc(name)} <code>{esc(digest)}</code>" for name, digest in p.inputs_short())
        rows.append(
            f'<tr><th scope="row">{esc(label)}</th><td>{esc(p.finished_text)}</td>'
            f"<td><code>{esc(p.commit_text)}</code></td><td>{inputs or 'none recorded'}</td></tr>"
        )
    when = next(r.provenance.finished_text for r in runs if r.provenance.finished_at == latest)
    return (
        f'<details class="wb-provenance" open><summary>Data last run {esc(when)} ({len(runs)} runs of '
        f"<code>{esc(runs[0].analysis)}</code>)</summary><p>The page shows the results these runs published; it "
        f'recomputes nothing.</p><table class="wb-table"><caption>When each run was made, from which commit '
        f'and inputs (SHA-256 of their content, first 12 characters)</caption><thead><tr><th scope="col">Run'
        f'</th><th scope="col">Last run</th><th scope="col">Commit</th><th scope="col">Inputs</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def provenance_html(runs: PublishedRun | Sequence[PublishedRun], *, labels: Sequence[str] = ()) -> Html:
    """The provenance of one run (a block), or of several (one table)."""
    runs = [runs] if isinstance(runs, PublishedRun) else list(runs)
    if len(runs) == 1:
        return Html(provenance_markup(runs[0].provenance, label=labels[0] if labels else ""))
    labels = list(labels) if len(labels) == len(runs) else [f"{r.analysis}/{r.run_id}" for r in runs]
    return Html(provenance_table_markup(runs, labels))


def headlines_html(items: Iterable[tuple[str, str]], *, caption: str = "Key figures") -> Html:
    """Headline numbers as a two-column table (what, value as text); suppressed values marked."""
    rows = "".join(
        f'<tr><th scope="row">{esc(label)}</th><td>{_mark_suppressed(esc(value))}</td></tr>' for label, value in items
    )
    return Html(
        f'<table class="wb-table wb-headlines"><caption>{esc(caption)}</caption><tbody>{rows}</tbody></table>'
        if rows
        else ""
    )


def _mark_suppressed(text: str) -> str:
    return text.replace(
        esc(SUPPRESSED_SYMBOL),
        f'<abbr title="suppressed: fewer than {DISCLOSURE_THRESHOLD} people">{esc(SUPPRESSED_SYMBOL)}</abbr>',
    )


def figure_block(figure: go.Figure | PublishedFigure, *, alt_text: str = "", file_stem: str = "chart") -> Chart:
    """A chart part from a figure (or a published figure, which brings its own text alternative)."""
    if isinstance(figure, PublishedFigure):
        alt_text = alt_text or figure.alt_text
        figure = figure.figure()
    return Chart(figure, alt_text, file_stem)


def table_block(
    table: PublishedTable,
    *,
    run: PublishedRun | None = None,
    file_stem: str = "",
    cell_markup: Callable[[str, str], str | None] | None = None,
) -> Table:
    """A table part; its downloads name the run it comes from."""
    stem = file_stem or slug(run.analysis if run else "", run.run_id if run else "", table.name)
    return Table(
        table, stem, f"{run.analysis}/{run.run_id}" if run else "", run.provenance if run else None, cell_markup
    )


def results_table(run: PublishedRun, *, terms: Sequence[str] | None = None, people: bool = True) -> PublishedTable:
    """The run's tidy results as a readable table; suppressed estimates read ``[c]``.

    ``people``: ``n`` counts people (so a count under the threshold is suppressed); otherwise the
    column is called ``observations`` (authorities, indicators...).
    """
    import pandas as pd

    frame = run.results if terms is None else run.results[run.results["term"].isin(terms)]
    rows = []
    for record in frame.to_dict("records"):
        hidden = bool(record.get("suppressed"))

        def show(key: str, hidden: bool = hidden, record: dict[str, Any] = record) -> str:
            value = record.get(key)
            if hidden and key in ("estimate", "conf_low", "conf_high", "std_error", "statistic", "p_value"):
                return SUPPRESSED_SYMBOL
            if is_missing(value):
                return ""
            if key == "n":
                return format_value(value)
            if key == "p_value":
                return numbers.p_value(float(value))
            return f"{float(value):.2f}"

        rows.append(
            {
                "term": str(record.get("term", "")),
                "group": str(record.get("group", "")),
                "estimate": show("estimate"),
                "conf_low": show("conf_low"),
                "conf_high": show("conf_high"),
                "p_value": show("p_value"),
                "n": show("n"),
                "method": str(record.get("method", "")),
            }
        )
    columns = ["term", "group", "estimate", "conf_low", "conf_high", "p_value", "n", "method"]
    frame = pd.DataFrame(rows, columns=columns).astype(str)
    if not people:
        frame = frame.rename(columns={"n": "observations"})
    return PublishedTable(
        "results",
        f"Every estimate published by {run.analysis}/{run.run_id}",
        frame,
        "n" if people else None,
        run.threshold,
    )


ABBREVIATIONS = {
    "id": "ID",
    "gbp": "(£)",
    "pv": "PV",
    "npsv": "NPSV",
    "bcr": "BCR",
    "rag": "RAG",
    "n": "N",
    "gss": "GSS",
    "ci": "CI",
}


def pretty_column(name: str) -> str:
    """``pv_costs_gbp`` -> ``PV costs (£)``: words separated, known abbreviations written out."""
    words = [ABBREVIATIONS.get(w.lower(), w) for w in str(name).replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def table_markup(
    table: PublishedTable,
    *,
    max_rows: int = MAX_TABLE_ROWS,
    cell_markup: Callable[[str, str], str | None] | None = None,
) -> str:
    """An accessible HTML table: caption, column headers with scope, suppressed cells written out.

    ``cell_markup(column, text)`` may return custom inner HTML for a cell (e.g. a RAG rating).
    """
    cells = table.cells()
    numeric = set(table.numeric_columns())
    num_class = ' class="wb-num"'
    head = "".join(
        f'<th scope="col"{num_class if c in numeric else ""}>{esc(pretty_column(c))}</th>' for c in table.frame.columns
    )
    body = []
    for row in cells[:max_rows]:
        tds = []
        for column, cell in zip(table.frame.columns, row, strict=True):
            if cell.suppressed:
                tds.append(
                    f'<td class="wb-num wb-suppressed"><abbr title="suppressed: fewer than '
                    f'{table.threshold} people">{esc(SUPPRESSED_SYMBOL)}</abbr> suppressed</td>'
                )
                continue
            custom = cell_markup(column, cell.text) if cell_markup else None
            # Long text (a method, a warning) gets room to wrap in lines, not one word per line.
            classes = ' class="wb-num"' if cell.numeric else ' class="wb-long"' if len(cell.text) > LONG_TEXT else ""
            tds.append(f"<td{classes}>{custom if custom is not None else esc(cell.text)}</td>")
        body.append(f"<tr>{''.join(tds)}</tr>")
    more = (
        f'<p class="wb-note">Showing {max_rows} of {len(cells)} rows; the downloads hold them all.</p>'
        if len(cells) > max_rows
        else ""
    )
    note = f'<p class="wb-note">{esc(SUPPRESSED_NOTE.format(k=table.threshold))}</p>' if table.has_suppressed else ""
    guarded = int(table.small_counts().to_numpy().sum())
    if guarded:
        note += (
            f'<p class="wb-note" role="note">The dashboard suppressed {guarded} published '
            f"value{'s' if guarded > 1 else ''} counting fewer than {table.threshold} people; the analysis "
            f"should suppress these itself.</p>"
        )
    markup = (
        f'<div class="wb-table-wrap" role="region" aria-label="{esc(table.title)}" tabindex="0">'
        f'<table class="wb-table" data-table="{esc(table.name)}"><caption>{esc(table.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{more}{note}"
    )
    if len(table.frame.columns) > WIDE_TABLE_COLUMNS:  # too wide to read on the page: one click away
        markup = (
            f'<p><strong>{esc(table.title)}</strong></p><details class="wb-wide"><summary>Show the table '
            f"({len(table.frame.columns)} columns; the downloads are easier to read)</summary>{markup}</details>"
        )
    return markup


def table_downloads_markup(part: Table) -> str:
    csv, xlsx = part.downloads
    return (
        f'<p class="wb-downloads">{download_link(csv, f"{part.file_stem}.csv", "Table as CSV", kind="csv")}'
        f"{download_link(xlsx, f'{part.file_stem}.xlsx', 'Table as Excel', kind='xlsx')}</p>"
    )


# --- Rendering parts ----------------------------------------------------------------------------------------------


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
        "text/plain": f"Chart: {_plain(str(figure.layout.title.text or ''))}",
    }


def empty_table_markup(table: PublishedTable) -> str | None:
    """A sentence in place of a table the run published with no rows (no empty table, no empty download)."""
    if len(table.frame.columns) and len(table.frame):
        return None
    return f'<p class="wb-note"><strong>{esc(table.title)}</strong>: no rows were published for this table.</p>'


def part_markup(part: Html | Table) -> str:
    if isinstance(part, Html):
        return part.markup
    empty = empty_table_markup(part.table)
    if empty is not None:
        return empty
    links = table_downloads_markup(part)
    return table_markup(part.table, cell_markup=part.cell_markup) + links


def _html_output(markup: str) -> dict[str, Any]:
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": f'<div class="wb-page wb-part">{markup}</div>', "text/plain": _plain(markup)[:200]},
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
        else:
            pending.append(
                safe(lambda part=part: Html(part_markup(part)), what=_describe(part)).markup
                if not isinstance(part, Html)
                else part.markup
            )
    outputs.append(_html_output("".join(pending) + END_MARKER))
    return tuple(outputs)


def split_after_first_chart(
    outputs: Sequence[dict[str, Any]],
) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """The outputs up to the first chart and its text alternative, and the rest."""
    first = next((i for i, o in enumerate(outputs) if PLOTLY_MIME in o["data"]), None)
    if first is None:
        return tuple(outputs), ()
    return tuple(outputs[: first + 2]), tuple(outputs[first + 2 :])


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no ``</script>``, no HTML comment openers)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
    """True if ``outputs`` hold a chart and every chart's traces are of :data:`PREVIEW_TRACE_TYPES`."""
    charts = [output["data"][PLOTLY_MIME] for output in outputs if PLOTLY_MIME in output["data"]]
    return bool(charts) and all(
        trace.get("type", "scatter") in PREVIEW_TRACE_TYPES for chart in charts for trace in chart["data"]
    )


def running_in_voila() -> bool:
    """True in a kernel started by Voila (which sets these variables), where the page loads widget states."""
    return any(name in os.environ for name in ("VOILA_KERNEL_ID", "VOILA_APP_PORT", "VOILA_PREHEAT"))


def _describe(part: Part) -> str:
    return f"table '{part.table.title}'" if isinstance(part, Table) else "content"


_registered_with: list[Any] = []  # the kernel ipywidgets' comm targets were registered with (per process)


def load_ipywidgets() -> Any:
    """ipywidgets, with its comm targets registered in this process's kernel: imported before the kernel started
    (the zygote preloads it, :data:`evaluation.dashboards.reader_kernels.DASHBOARD_PRELOAD`), it found no kernel to
    register with, and the page could not fetch its widgets' state."""
    import ipywidgets
    from IPython import get_ipython

    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is not None and kernel not in _registered_with:
        ipywidgets.register_comm_target()
        _registered_with[:] = [kernel]
    return ipywidgets


def html_widget(markup: str) -> ipywidgets.HTML:
    return load_ipywidgets().HTML(markup)


def page_header(title: str, lead: str) -> ipywidgets.HTML:
    return html_widget(f'{CSS}<div class="wb-page"><h1>{esc(title)}</h1><p class="wb-lead">{esc(lead)}</p></div>')


def _deferred_output_class() -> type:
    """``DeferredOutput``: an ``Output`` that sends held outputs shortly after the page asks for its state.

    The browser fetches every widget's state before drawing and then draws every chart in one go, so a page
    with seven charts shows none until all seven are drawn. Holding back everything after the first chart
    until the page has connected lets the first chart appear first (see benchmarks/dashboards.py).
    """
    import threading

    w = load_ipywidgets()

    class DeferredOutput(w.Output):  # type: ignore[misc, name-defined]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._held: tuple[dict[str, Any], ...] | None = None
            self._scheduled = False
            self._lock = threading.Lock()

        def hold(self, outputs: tuple[dict[str, Any], ...] | None) -> None:
            with self._lock:
                self._held, self._scheduled = outputs, False

        def release(self) -> None:
            with self._lock:
                held, self._held = self._held, None
            if held is not None:
                self.outputs = held

        def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
            # The page asks for every widget's full state when it connects (ipywidgets' request_states).
            state = super().get_state(key=key, drop_defaults=drop_defaults)
            if key is None and hasattr(self, "_lock"):  # not while the widget is being constructed
                with self._lock:
                    start, self._scheduled = self._held is not None and not self._scheduled, True
                if start:
                    timer = threading.Timer(DEFER_SECONDS, self.release)
                    timer.daemon = True
                    timer.start()
            return state

    return DeferredOutput


def _page_root_class() -> type:
    """``PageRoot``: the ``VBox`` of a page, whose display also carries the page's first view as static HTML
    (:data:`PREVIEW_MIME`, see :func:`preview_markup`) when it is shown by Voila and the view has a chart.

    The live page (widgets) is drawn only once the kernel is connected and every widget's state has been
    fetched; the preview, rendered on the server with the notebook, shows the first chart before that.
    """
    w = load_ipywidgets()

    class PageRoot(w.VBox):  # type: ignore[misc, name-defined]
        def __init__(
            self, children: Sequence[Any], *, header: str, body: Body, choice: Callable[[], str] = lambda: ""
        ) -> None:
            super().__init__(children)
            self.add_class("wb-root")
            self._header, self._body, self._choice = header, body, choice

        def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
            bundle = dict(super()._repr_mimebundle_(**kwargs))
            # Shown only where the widgets cannot be drawn: words for the reader, not the widget's repr.
            bundle["text/plain"] = STALLED_TEXT
            first = self._body.output.outputs
            if running_in_voila() and previewable(first):
                bundle[PREVIEW_MIME] = preview_markup(self._header, first, choice=self._choice())
            return bundle

    return PageRoot


def page_root(
    children: Sequence[Any], *, header: ipywidgets.HTML, body: Body, choice: Callable[[], str] = lambda: ""
) -> ipywidgets.VBox:
    """The root of a page (class ``wb-root``); ``choice()`` says what its selector shows, for the preview."""
    return _page_root_class()(children, header=header.value, body=body, choice=choice)


class Body:
    """The body of a page (two ``Output`` widgets: up to the first chart, then the rest) and its download
    panel for charts."""

    def __init__(self) -> None:
        w = load_ipywidgets()
        self.output = w.Output()
        self.output.add_class("wb-body")
        self.later = _deferred_output_class()()
        self.later.add_class("wb-body-rest")
        self.charts: list[ChartImages] = []
        self.choice = w.Dropdown(
            description="Chart",
            options=[],
            style={"description_width": "initial"},
            layout=w.Layout(width="min(100%, 44em)"),
        )
        self.button = w.Button(
            description="Make PNG and SVG",
            layout=w.Layout(width="auto"),
            tooltip="Make PNG and SVG files of the chart chosen",
        )
        self.button.add_class("wb-image-button")
        self.links = w.HTML("")
        self.links.add_class("wb-downloads")
        self.button.on_click(lambda _: self.make_images())
        self.panel = w.VBox(
            [
                w.HTML(
                    '<div class="wb-page"><h2>Download charts for a board paper</h2><p class="wb-note">Choose a '
                    "chart and make its PNG (for documents) and SVG (for print) files. Each table above has its own "
                    "CSV and Excel links.</p></div>"
                ),
                w.HBox([self.choice, self.button]),
                self.links,
            ]
        )
        self.panel.add_class("wb-panel")

    def show(self, parts: Sequence[Part], *, defer: bool = False) -> None:
        """Replace the body with ``parts`` (and the panel's list with their charts).

        ``defer``: send what follows the first chart only once the page has connected (a page's first
        view in Voila); otherwise everything at once (a reader's later choices).
        """
        self.show_outputs(to_outputs(parts), [p for p in parts if isinstance(p, Chart)], defer=defer)

    def show_outputs(
        self, outputs: Sequence[dict[str, Any]], charts: Sequence[ChartImages], *, defer: bool = False
    ) -> None:
        """Like :meth:`show`, for parts already turned into outputs (:func:`to_outputs`), e.g. a body prepared
        when the site was published (:mod:`evaluation.dashboards.prepared`)."""
        first, rest = split_after_first_chart(outputs)
        self.output.outputs = first
        if defer and rest:
            self.later.outputs = ()
            self.later.hold(rest)
        else:
            self.later.hold(None)
            self.later.outputs = rest
        self.charts = list(charts)
        self.choice.options = [(c.title, i) for i, c in enumerate(self.charts)]
        self.choice.index = 0 if self.charts else None  # ipywidgets clears the choice when the options change
        self.links.value = ""
        self.panel.layout.display = None if self.charts else "none"

    def make_images(self) -> None:
        """PNG and SVG links for the chart chosen (the first image of a kernel takes a few seconds)."""
        if not self.charts:
            return
        chart = self.charts[int(self.choice.value or 0)]
        self.button.disabled = True
        self.links.value = '<p role="status">Making the images (the first takes a few seconds)...</p>'
        try:
            png = figure_image(chart.figure, "png", alt_text=chart.alt_text)
            svg = figure_image(chart.figure, "svg", alt_text=chart.alt_text)
            self.links.value = (
                f'<p role="status">{esc(chart.title)}: '
                f"{download_link(png, f'{chart.file_stem}.png', 'Chart as PNG', kind='png')}"
                f"{download_link(svg, f'{chart.file_stem}.svg', 'Chart as SVG', kind='svg')}</p>"
            )
        except Exception as error:  # a failed image must not break the page
            log.exception("image export failed")
            self.links.value = f'<p role="alert">The images could not be made: {esc(error)}</p>'
        finally:
            self.button.disabled = False

    def widgets(self) -> list[Any]:
        return [self.output, self.later, self.panel]


def safe(build: Callable[[], Any], *, what: str) -> Any:
    """``build()``, or a clear message instead of a traceback if it fails."""
    try:
        return build()
    except ResultsMissing as missing:
        return missing_message(missing)
    except Exception as error:  # a broken published file must not take the page down
        log.exception("could not show %s", what)
        return message(
            f"The {what} could not be shown ({type(error).__name__}: {error}). The published file may "
            f"be damaged; rerun the analysis.",
            kind="warning",
        )
