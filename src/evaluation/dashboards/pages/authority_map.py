"""The tile map of London's 33 authorities by LOTI membership (or by number of projects), drawn from a
published per-authority table; on the portfolio page, and on the authority page with that authority outlined.
"""

from __future__ import annotations

from ..data import PublishedRun, PublishedTable, ResultsMissing, to_number
from ..maps import NO_DATA, tile_map, tile_map_alt_text
from ..widgets import Part, figure_block
from .loti_tables import AUTHORITY_COLUMNS, authority_names, find_column

MEMBERSHIP_COLUMNS = ("member", "membership", "loti_member")


def _status_word(value: str) -> str:
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1", "member", "loti member"):
        return "LOTI member"
    if lowered in ("false", "no", "0", "not a member", "non-member", "non member"):
        return "Not a member"
    return value.strip() or NO_DATA


def membership_categories(table: PublishedTable) -> tuple[dict[str, str], str, list[str]]:
    """GSS code -> category from a published per-authority table, what the category is, and its order."""
    code = find_column(table, AUTHORITY_COLUMNS)
    if code is None:
        raise ResultsMissing(f"The published table '{table.name}' has no authority code column.")
    status = find_column(table, MEMBERSHIP_COLUMNS)
    if status is not None:
        values = {str(r[code]): _status_word(str(r[status])) for r in table.frame.to_dict("records")}
        order = [v for v in ("LOTI member", "Not a member") if v in values.values()]
        return values, "LOTI membership", order + sorted(set(values.values()) - set(order) - {NO_DATA})
    projects = find_column(table, ("projects", "project_count", "n_projects"))
    if projects is None:
        raise ResultsMissing(f"The published table '{table.name}' has no membership or projects column to map.")
    values = {}
    for r in table.frame.to_dict("records"):
        n = to_number(r[projects])
        values[str(r[code])] = (
            NO_DATA if n is None else "No projects" if n == 0 else "1-2 projects" if n <= 2 else "3 or more projects"
        )
    return values, "number of LOTI projects", ["No projects", "1-2 projects", "3 or more projects"]


def participation_table(run: PublishedRun) -> PublishedTable | None:
    """The portfolio run's per-authority table (``participation``, or an older name), if it published one."""
    return next((run.table(n) for n in ("participation", "authorities", "membership") if run.has_table(n)), None)


def authority_map(run: PublishedRun, *, highlight: str | None = None) -> list[Part]:
    """A tile map of the 33 authorities by LOTI membership (``highlight`` outlined)."""
    table = participation_table(run)
    if table is None:
        raise ResultsMissing(
            f"The run '{run.analysis}/{run.run_id}' did not publish a 'participation' table, so "
            f"the map cannot be drawn."
        )
    categories, what, order = membership_categories(table)
    names = authority_names()
    figure = tile_map(
        categories, names, title="London's 33 local authorities by " + what, order=order, highlight=highlight
    )
    alt = tile_map_alt_text(categories, names, what=what)
    if highlight:
        alt += f" The outlined tile is {names.get(highlight, highlight)}."
    return [
        figure_block(figure, alt_text=alt, file_stem=f"{run.analysis}_map" + (f"_{highlight}" if highlight else ""))
    ]
