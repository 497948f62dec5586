"""A run's output in sections: a heading, the figures and tables that belong there (by name), and sometimes a
view built from published tables; then every other figure and table the run published, under "Also
published", so a new output appears without a change to the page. Also the headline figures of a run and the
table of every estimate it published.

A section whose names are not published says so; nothing raises into the page.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..data import PublishedRun, ResultsMissing, describe_estimate, load_run, load_runs
from ..downloads import slug as file_slug
from ..widgets import Part, esc, figure_block, heading, headlines_html, message, results_table, safe, table_block
from .scaffold import Reports, safe_children

# Marks up one table cell (column, text), or None to show the text as it is.
CellMarkup = Callable[[str, str], str | None]
# Headline results: (term, group or "" for any, label, unit); units as in describe_estimate ("count",
# "proportion", "GBP", "signed", or "" for two decimals), or "proportion range" (a percentage whose ends are the
# range across authorities, not an interval). A group ending in "*" matches by prefix.
Headline = tuple[str, str, str, str]
RAG_COLUMNS = ("rag", "rag_rating", "rag_status", "status")
RAG_WORDS = ("green", "amber", "red")


@dataclass
class Section:
    """A heading, the figures and tables that go under it (names; ``*`` patterns allowed), and an optional
    view built from published tables (returns parts)."""

    title: str
    figures: Sequence[str] = ()
    tables: Sequence[str] = ()
    build: Callable[[PublishedRun, set[str], set[str]], list[Part]] | None = None
    note: str = ""
    table_markup: CellMarkup | None = field(default=None, repr=False)


def rag_markup(column: str, text: str) -> str | None:
    """A RAG cell: the word (never colour alone) on a pale background of its colour."""
    if column.lower() not in RAG_COLUMNS:
        return None
    word = text.strip().lower()
    if word in RAG_WORDS:
        return f'<span class="wb-rag wb-rag-{word}">{esc(word.capitalize())}</span>'
    return esc(text) if text.strip() else "Not rated"


def _matching(names: Sequence[str], patterns: Sequence[str]) -> list[str]:
    out: list[str] = []
    for pattern in patterns:
        out += [n for n in names if fnmatch.fnmatchcase(n, pattern) and n not in out]
    return out


def figure_part(run: PublishedRun, name: str) -> Part:
    """A published figure as a chart part (a message if it cannot be read)."""
    return safe(
        lambda: figure_block(run.figure(name), file_stem=file_slug(run.analysis, run.run_id, name)),
        what=f"figure '{name}'",
    )


def table_part(run: PublishedRun, name: str, markup: CellMarkup | None = None) -> Part:
    """A published table as a table part (a message if it cannot be read)."""
    return safe(lambda: table_block(run.table(name), run=run, cell_markup=markup), what=f"table '{name}'")


def run_sections(
    run: PublishedRun,
    sections: Sequence[Section],
    *,
    rest: bool = True,
    rest_markup: CellMarkup | None = None,
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
            parts += safe_children(lambda s=section: s.build(run, used_figures, used_tables))  # type: ignore[misc]  # build is set
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
                        row,
                        unit={"signed": "", "proportion range": "proportion"}.get(unit, unit),
                        signed=unit == "signed",
                        people=False,
                        range_label="range across authorities" if unit == "proportion range" else "",
                    ),
                )
            )
    return headlines_html(items, caption=caption)


def estimates_section(run: PublishedRun, *, people: bool) -> list[Part]:
    """Every estimate the run published (nothing if it published no results)."""
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


def run_options(analysis: str, label: Callable[[PublishedRun], str]) -> Callable[[Reports], list[tuple[str, str]]]:
    """The selector's options for the published runs of ``analysis``: (label, run id)."""
    return lambda reports: [(label(r), r.run_id) for r in load_runs(analysis, reports)]


def run_body(
    analysis: str, sections: Callable[[PublishedRun], list[Part]]
) -> Callable[[str | None, Reports], list[Part]]:
    """The body for one run of ``analysis`` (``None``: the latest; none published: what to run)."""
    return lambda run_id, reports: sections(load_run(analysis, run_id, reports))
