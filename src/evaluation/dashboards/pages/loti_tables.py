"""What the three LOTI dashboards (portfolio, project, authority) read from published tables alike: columns
found by their usual names, one authority's rows, a project run's facts, and the outcome indicators by level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...reference import london_authorities
from ...schemas.loti import LEVELS
from ..data import PublishedRun, PublishedTable
from ..widgets import WIDE_TABLE_COLUMNS, Part, table_block
from .sections import rag_markup

AUTHORITY_COLUMNS = ("authority_code", "gss_code", "authority")
# The columns a reader needs first in a wide indicator table (the run's downloads keep them all).
INDICATOR_COLUMNS = (
    "indicator_id",
    "project_id",
    "name",
    "indicator",
    "unit",
    "direction",
    "baseline",
    "target",
    "target_period",
    "latest_period",
    "latest_mean",
    "current",
    "progress",
    "expected_progress",
    "status",
    "rag",
)


def find_column(table: PublishedTable, candidates: Sequence[str]) -> str | None:
    """The table's first column named (case aside) like one of ``candidates``, in their order; else None."""
    lower = {str(c).lower(): str(c) for c in table.frame.columns}
    return next((lower[c] for c in candidates if c in lower), None)


def authority_names() -> dict[str, str]:
    """GSS code -> name of London's 33 local authorities."""
    authorities = london_authorities()
    return dict(zip(authorities["gss_code"], authorities["name"], strict=True))


def rows_for(table: PublishedTable, code: str, name: str) -> PublishedTable | None:
    """One authority's rows of a per-authority table (retitled with its name); None if it has none."""
    column = find_column(table, AUTHORITY_COLUMNS)
    if column is None:
        return None
    mine = table.where(column, code)
    return mine.retitled(f"{table.title}: {name}") if not mine.frame.empty else None


def project_facts(run: PublishedRun) -> dict[str, str]:
    """The ``project`` table of a project run (field -> value), or empty."""
    if not run.has_table("project"):
        return {}
    frame = run.table("project").frame
    if len(frame.columns) < 2:
        return {}
    return {str(k).strip().lower(): str(v) for k, v in zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True)}


def project_id(run: PublishedRun) -> str:
    """The project a run evaluated, from its parameters (else its label)."""
    parameters = run.provenance.parameters
    return str(parameters.get("project", parameters.get("project_id", run.info.label)))


def project_label(run: PublishedRun) -> str:
    """``P01: title``: how a project run is named in the selector and on the authority page."""
    project = project_facts(run).get("project")
    return project if project else run.info.label


def main_columns(table: PublishedTable, keep: Sequence[str] = ()) -> PublishedTable:
    """A wide indicator table cut to the columns a reader needs first (the run's downloads keep them all)."""
    wanted = set(INDICATOR_COLUMNS) | set(keep)
    main = [c for c in table.frame.columns if str(c).lower() in wanted]
    if len(table.frame.columns) > WIDE_TABLE_COLUMNS and len(main) >= 4:
        return replace(table, frame=table.frame[main].copy(), title=f"{table.title} (main columns)")
    return table


def indicators_by_level(run: PublishedRun, name: str = "indicators") -> list[Part]:
    """The indicators table, one table per level of outcome, RAG status written out.

    A wide table shows its main columns here; the whole table stays under "Also published".
    """
    if not run.has_table(name):
        return []
    table = main_columns(run.table(name), keep=("level",))
    level = find_column(table, ("level",))
    if level is None:
        return [table_block(table, run=run, cell_markup=rag_markup)]
    present = [lv for lv in LEVELS if lv in set(table.frame[level])]
    present += sorted(set(table.frame[level]) - set(present))
    return [
        table_block(
            table.where(level, value).retitled(f"{table.title}: {value} level", f"{name}_{value}"),
            run=run,
            cell_markup=rag_markup,
        )
        for value in present
    ]
