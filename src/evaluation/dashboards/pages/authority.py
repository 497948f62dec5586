"""The authority dashboard (``dashboards/authority.ipynb``): what LOTI means for one London borough.

What it reads: ``portfolio_evaluation`` (its row of ``participation``, ``partners`` and ``co_participation``,
and the map), every ``project_evaluation`` run (its rows of each table), its digital maturity
(:mod:`.maturity`) and its peer challenges (:mod:`.peer_challenge`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import PublishedRun, PublishedTable, ResultsMissing, load_run, load_runs, to_number
from ..downloads import slug as file_slug
from ..widgets import Html, Part, esc, heading, headlines_html, message, missing_message, provenance_html, table_block
from .authority_map import authority_map, participation_table
from .loti_tables import (
    AUTHORITY_COLUMNS,
    authority_names,
    main_columns,
    project_facts,
    project_label,
    rows_for,
)
from .maturity import maturity_parts
from .peer_challenge import peer_challenge_parts
from .scaffold import Dashboard, Reports, live_page, safe_children, timed
from .sections import rag_markup
from .sources import LOTI_RUNS, PORTFOLIO_ANALYSIS, PROJECT_ANALYSIS

if TYPE_CHECKING:
    import ipywidgets


def _shared_projects(table: PublishedTable, code: str, names: dict[str, str]) -> PublishedTable | None:
    """One authority's row of an authority-by-authority matrix, as a list of partners (most shared first)."""
    import pandas as pd

    row = rows_for(table, code, names.get(code, code))
    if row is None:
        return None
    values = [(names.get(c, c), to_number(row.frame.iloc[0][c])) for c in row.frame.columns if c in names and c != code]
    shared = sorted([(n, int(v)) for n, v in values if v], key=lambda item: (-item[1], item[0]))
    frame = pd.DataFrame(shared, columns=["partner_authority", "projects_shared"]).astype(str)
    return PublishedTable(f"{table.name}_{code}", f"{table.title}: {names.get(code, code)}", frame)


def _portfolio_parts(portfolio: PublishedRun, code: str, names: dict[str, str]) -> list[Part]:
    """The authority in the portfolio run: its membership and projects, the map, its partners."""
    name = names.get(code, code)
    out: list[Part] = [provenance_html(portfolio)]
    participation = participation_table(portfolio)
    row = rows_for(participation, code, name) if participation is not None else None
    if row is not None:
        record = row.frame.iloc[0]
        items = [
            (str(c).replace("_", " ").capitalize(), str(record[c]))
            for c in row.frame.columns
            if c not in AUTHORITY_COLUMNS and c not in ("name", "gss_code")
        ]
        out.append(headlines_html(items, caption=f"{name} in LOTI"))
    out += safe_children(lambda: authority_map(portfolio, highlight=code))
    for table_name in ("partners", "co_participation"):
        if portfolio.has_table(table_name):
            table = portfolio.table(table_name)
            shown = (
                _shared_projects(table, code, names)
                if table_name == "co_participation"
                else rows_for(table, code, name)
            )
            if shown is not None and not shown.frame.empty:
                out.append(table_block(shown, run=portfolio, file_stem=f"{portfolio.analysis}_{table_name}_{code}"))
    return out


def _project_parts(code: str, name: str, reports: Reports) -> list[Part]:
    """Each project run with rows for the authority (or led by it): its rows of every table."""
    out: list[Part] = []
    for run in load_runs(PROJECT_ANALYSIS, reports):
        tables = [
            main_columns(t, keep=("authority", "authority_code", "period", "current"))
            for t in (rows_for(run.table(n), code, name) for n in run.tables_index if run.has_table(n))
            if t is not None
        ]
        lead = project_facts(run).get("lead authority", "")
        if tables or lead == name:
            out.append(Html(f"<h3>{esc(project_label(run))}{' (lead authority)' if lead == name else ''}</h3>"))
            out += [
                table_block(
                    t, run=run, cell_markup=rag_markup, file_stem=file_slug(run.analysis, run.run_id, t.name, code)
                )
                for t in tables
            ]
    return out or [message(f"No published project run has rows for {name}.")]


def authority_sections(code: str, reports: Reports = None) -> list[Part]:
    """One authority: membership and partners, the map, its projects and indicators, its digital maturity."""
    names = authority_names()
    name = names.get(code, code)
    out: list[Part] = []
    try:
        portfolio = load_run(PORTFOLIO_ANALYSIS, None, reports)
    except ResultsMissing as missing:
        out.append(missing_message(missing))
    else:
        out += _portfolio_parts(portfolio, code, names)
    out.append(heading(f"Projects and indicators for {name}"))
    out += _project_parts(code, name, reports)
    out.append(heading(f"Digital maturity of {name} over time"))
    out += safe_children(lambda: maturity_parts(code, name, reports))
    out.append(heading(f"Peer challenges of {name}"))
    out += safe_children(lambda: peer_challenge_parts(code, name, reports))
    return out


def authority_options(reports: Reports = None) -> list[tuple[str, str]]:
    """London's 33 authorities, by name: (name (GSS code), GSS code)."""
    return sorted((f"{n} ({c})", c) for c, n in authority_names().items())


def authority_body(code: str | None, reports: Reports = None) -> list[Part]:
    """The body for one authority (``None``: the first by name)."""
    return authority_sections(code or authority_options(reports)[0][1], reports)


AUTHORITY = Dashboard(
    "authority",
    "London Office of Technology and Innovation: one authority",
    "Choose a borough to see its LOTI membership and partners, the projects it takes part in with their "
    "indicators, and its digital maturity over time, as published by the portfolio, project and maturity "
    "evaluation runs.",
    "What does LOTI mean for one borough: its projects, partners and digital maturity over time?",
    LOTI_RUNS,
    authority_body,
    "Authority",
    authority_options,
)


@timed
def authority_page(reports: Reports = None, authority: str | None = None) -> ipywidgets.VBox:
    """Pick a London borough and see its LOTI projects, indicators and digital maturity."""
    return live_page(AUTHORITY, reports, authority)
