"""A tile map of London's 33 local authorities: one equal square per authority, roughly where it lies.

Equal tiles give the City of London the same weight as Bromley and need no
boundary files (the dashboards run offline). Every tile carries a short label
and the colours come with a legend, so colour is never the only cue; the page
prints a text alternative listing each authority's value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..charts import CATEGORICAL, CONTEXT, FOCUS, template

if TYPE_CHECKING:
    import plotly.graph_objects as go

# GSS code -> (row from the top, column from the left, short label).
LONDON_TILES: dict[str, tuple[int, int, str]] = {
    "E09000010": (0, 3, "ENF"),
    "E09000015": (1, 1, "HRW"), "E09000003": (1, 2, "BRN"), "E09000014": (1, 3, "HGY"), "E09000031": (1, 4, "WTH"),
    "E09000017": (2, 0, "HDN"), "E09000005": (2, 1, "BRT"), "E09000007": (2, 2, "CMD"), "E09000019": (2, 3, "ISL"),
    "E09000012": (2, 4, "HCK"), "E09000026": (2, 5, "RDB"), "E09000016": (2, 6, "HVG"),
    "E09000009": (3, 0, "EAL"), "E09000020": (3, 1, "KNS"), "E09000033": (3, 2, "WST"), "E09000001": (3, 3, "CTY"),
    "E09000030": (3, 4, "TOW"), "E09000025": (3, 5, "NWM"), "E09000002": (3, 6, "BAR"),
    "E09000018": (4, 0, "HNS"), "E09000013": (4, 1, "HMS"), "E09000032": (4, 2, "WND"), "E09000022": (4, 3, "LAM"),
    "E09000028": (4, 4, "SWK"), "E09000011": (4, 5, "GRN"), "E09000004": (4, 6, "BXL"),
    "E09000027": (5, 1, "RCH"), "E09000024": (5, 2, "MRT"), "E09000008": (5, 3, "CRD"), "E09000023": (5, 4, "LEW"),
    "E09000006": (5, 5, "BRM"),
    "E09000021": (6, 1, "KNG"), "E09000029": (6, 2, "STN"),
}
NO_DATA = "No data"


def tile_map(categories: Mapping[str, str], names: Mapping[str, str], *, title: str,
             order: Sequence[str] | None = None, highlight: str | None = None,
             details: Mapping[str, str] | None = None) -> go.Figure:
    """Tiles coloured by category (``categories``: GSS code -> category; missing codes read "No data").

    ``order`` fixes the legend order (at most six categories get palette
    colours; "No data" is grey). ``highlight`` outlines one authority.
    ``details`` adds a line per authority to the hover text.
    """
    import plotly.graph_objects as go

    shown = list(order or dict.fromkeys(v for v in categories.values() if v != NO_DATA))
    if any(code not in categories or categories[code] == NO_DATA for code in LONDON_TILES):
        shown.append(NO_DATA)
    colours = {category: CATEGORICAL[i % len(CATEGORICAL)] for i, category in enumerate(c for c in shown
                                                                                        if c != NO_DATA)}
    colours[NO_DATA] = CONTEXT
    figure = go.Figure()
    for category in shown:
        codes = [c for c in LONDON_TILES if categories.get(c, NO_DATA) == category]
        if not codes:
            continue
        figure.add_trace(go.Scatter(
            x=[LONDON_TILES[c][1] for c in codes], y=[-LONDON_TILES[c][0] for c in codes], mode="markers+text",
            name=category, text=[LONDON_TILES[c][2] for c in codes], textposition="middle center",
            textfont={"color": "white" if category != NO_DATA else "#0B0C0C", "size": 11},
            marker={"symbol": "square", "size": 44, "color": colours[category],
                    "line": {"width": [4 if c == highlight else 1 for c in codes],
                             "color": ["#F46A25" if c == highlight else "white" for c in codes]}},
            hovertext=[f"{names.get(c, c)} ({c}): {category}" + (f"<br>{details[c]}" if details and c in details
                                                                  else "") for c in codes],
            hoverinfo="text"))
    figure.update_layout(template=template(), title=title, height=520, showlegend=True,
                         xaxis={"visible": False, "range": [-0.7, 6.7]},
                         yaxis={"visible": False, "range": [-6.7, 0.7], "scaleanchor": "x", "scaleratio": 1},
                         legend={"orientation": "h", "y": -0.05, "title": {"text": ""}})
    return figure


def tile_map_alt_text(categories: Mapping[str, str], names: Mapping[str, str], *, what: str) -> str:
    """A text alternative: each category with the authorities in it."""
    groups: dict[str, list[str]] = {}
    for code in LONDON_TILES:
        groups.setdefault(categories.get(code, NO_DATA), []).append(names.get(code, code))
    parts = [f"{category} ({len(members)}): {', '.join(sorted(members))}" for category, members in groups.items()]
    return f"Tile map of London's 33 local authorities by {what}. " + "; ".join(parts) + "."


def focus_colours(codes: Sequence[str], focus: str) -> list[str]:
    """The focus colour for one authority, the context grey for the others."""
    return [FOCUS if c == focus else CONTEXT for c in codes]
