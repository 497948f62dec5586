"""Parts as HTML: the pages' stylesheet, provenance blocks, headline figures, and accessible tables (caption,
headers in words, numbers right-aligned, suppressed cells written out and explained) with their download links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ... import config
from ...presentation import numbers
from ..data import (
    SUPPRESSED_NOTE,
    SUPPRESSED_SYMBOL,
    Provenance,
    PublishedRun,
    PublishedTable,
    format_value,
    is_missing,
)
from ..downloads import download_link
from .parts import Html, Table, esc

MAX_TABLE_ROWS = 60
WIDE_TABLE_COLUMNS = 14
LONG_TEXT = 60  # characters
DISCLOSURE_THRESHOLD = config.DEFAULT_DISCLOSURE_THRESHOLD

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

        def show(key: str, hidden: bool = hidden, record: dict[Any, Any] = record) -> str:
            value: Any = record.get(key)
            if hidden and key in ("estimate", "conf_low", "conf_high", "std_error", "statistic", "p_value"):
                return SUPPRESSED_SYMBOL
            if is_missing(value):
                return ""
            if key == "n":
                return format_value(value)
            if key == "p_value":
                return numbers.p_value(float(value))
            return f"{float(value):.2f}"  # the download's number (no separators); shown by format_published_number

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
