"""A tile map of London's 33 local authorities: one equal square per authority, roughly where it lies.

Equal tiles give the City of London the same weight as Bromley and need no
boundary files (the dashboards run offline). Every tile carries a short label
and the colours come with a legend, so colour is never the only cue; the page
prints a text alternative listing each authority's value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..charts import CATEGORICAL, CONTEXT, template
from ..reference import london_tile_grid

if TYPE_CHECKING:
    import plotly.graph_objects as go


def london_tiles() -> dict[str, tuple[int, int, str]]:
    """GSS code -> (row from the top, column from the left, short label), from the package's tile grid."""
    grid = london_tile_grid()
    return {
        str(gss): (int(row), int(col), str(label))
        for gss, row, col, label in zip(grid["gss_code"], grid["row"], grid["col"], grid["abbreviation"], strict=True)
    }


NO_DATA = "No data"


def tile_map(
    categories: Mapping[str, str],
    names: Mapping[str, str],
    *,
    title: str,
    order: Sequence[str] | None = None,
    highlight: str | None = None,
    details: Mapping[str, str] | None = None,
) -> go.Figure:
    """Tiles coloured by category (``categories``: GSS code -> category; missing codes read "No data").

    ``order`` fixes the legend order (at most six categories get palette
    colours; "No data" is grey). ``highlight`` outlines one authority.
    ``details`` adds a line per authority to the hover text.
    """
    import plotly.graph_objects as go

    tiles = london_tiles()
    shown = list(order or dict.fromkeys(v for v in categories.values() if v != NO_DATA))
    if any(code not in categories or categories[code] == NO_DATA for code in tiles):
        shown.append(NO_DATA)
    colours = {
        category: CATEGORICAL[i % len(CATEGORICAL)] for i, category in enumerate(c for c in shown if c != NO_DATA)
    }
    colours[NO_DATA] = CONTEXT
    figure = go.Figure()
    for category in shown:
        codes = [c for c in tiles if categories.get(c, NO_DATA) == category]
        if not codes:
            continue
        figure.add_trace(
            go.Scatter(
                x=[tiles[c][1] for c in codes],
                y=[-tiles[c][0] for c in codes],
                mode="markers+text",
                name=category,
                text=[tiles[c][2] for c in codes],
                textposition="middle center",
                textfont={"color": "white" if category != NO_DATA else "#0B0C0C", "size": 11},
                marker={
                    "symbol": "square",
                    "size": 44,
                    "color": colours[category],
                    "line": {
                        "width": [4 if c == highlight else 1 for c in codes],
                        "color": [CATEGORICAL[3] if c == highlight else "white" for c in codes],
                    },
                },
                hovertext=[
                    f"{names.get(c, c)} ({c}): {category}" + (f"<br>{details[c]}" if details and c in details else "")
                    for c in codes
                ],
                hoverinfo="text",
            )
        )
    figure.update_layout(
        template=template(),
        title=title,
        height=520,
        showlegend=True,
        xaxis={"visible": False, "range": [0.3, max(c for _, c, _ in tiles.values()) + 0.7]},
        yaxis={
            "visible": False,
            "range": [-max(r for r, _, _ in tiles.values()) - 0.7, -0.3],
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        legend={"orientation": "h", "y": -0.05, "title": {"text": ""}},
    )
    return figure


def tile_map_alt_text(categories: Mapping[str, str], names: Mapping[str, str], *, what: str) -> str:
    """A text alternative: each category with the authorities in it."""
    groups: dict[str, list[str]] = {}
    for code in london_tiles():
        groups.setdefault(categories.get(code, NO_DATA), []).append(names.get(code, code))
    parts = [f"{category} ({len(members)}): {', '.join(sorted(members))}" for category, members in groups.items()]
    return f"Tile map of London's 33 local authorities by {what}. " + "; ".join(parts) + "."
