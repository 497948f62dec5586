"""Programme risks: how serious is each risk by a stated rule, and how have risks moved?

``notebooks/programme_risks.ipynb``, table ``risk_register``. Each risk's score is
probability x impact on a 4 x 4 matrix (1 to 16). The RAG rating is computed from the score by stated
bands (:func:`rag_rating`): by default 1-4 Green, 5-8 Amber, 9-16 Red, a common banding for a 4 x 4
matrix in UK public-sector registers. HM Treasury's *Orange Book* (2020) leaves scales, bands and risk
appetite to each organisation, so the bands are parameters (``green_max``, ``amber_max``): set them to the
register's own rule. Then

- :func:`scored_risks` and :func:`rag_disagreements`: where the register's reported RAG is not the
  computed one (reported better than the score supports, or worse);
- :func:`heat_map_counts` and :func:`heat_map_figure`: how many risks sit in each probability x impact
  cell at a review;
- :func:`risk_movements` and :func:`slope_chart`: how each risk's score moved between reviews, and which
  risks were added or closed.

Plain-English methods: ``docs/maturity-and-governance.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

import numpy as np
import pandas as pd

from ...charts import CATEGORICAL, FOCUS, template
from ...schemas.governance import RAG
from ...tidy import Estimate

if TYPE_CHECKING:
    import plotly.graph_objects as go

DEFAULT_GREEN_MAX, DEFAULT_AMBER_MAX = 4, 8
# GOV.UK tag tints for the cells, with the RAG word in every cell so colour is never alone.
_RAG_FILL = {"Green": "#CCE2D8", "Amber": "#FCD6C3", "Red": "#F4CDC6"}


def check_bands(green_max: int, amber_max: int) -> None:
    """The RAG bands must split 1-16 into three non-empty bands: ``1 <= green_max < amber_max < 16``."""
    if not 1 <= green_max < amber_max < 16:
        raise ValueError(
            f"RAG bands need 1 <= green_max < amber_max < 16, got green_max={green_max}, amber_max={amber_max}"
        )


@overload
def rag_rating(score: int | np.integer, green_max: int = ..., amber_max: int = ...) -> str: ...


@overload
def rag_rating(score: pd.Series | np.ndarray, green_max: int = ..., amber_max: int = ...) -> pd.Series: ...


def rag_rating(
    score: pd.Series | np.ndarray | int | np.integer,
    green_max: int = DEFAULT_GREEN_MAX,
    amber_max: int = DEFAULT_AMBER_MAX,
) -> pd.Series | str:
    """RAG of a probability x impact score: Green up to ``green_max``, Amber up to ``amber_max``, else Red.

    Examples
    --------
    >>> [rag_rating(s) for s in (4, 6, 9)]
    ['Green', 'Amber', 'Red']
    """
    check_bands(green_max, amber_max)
    if not isinstance(score, pd.Series | np.ndarray):
        return "Green" if score <= green_max else "Amber" if score <= amber_max else "Red"
    values = np.asarray(score)
    rated = np.where(values <= green_max, "Green", np.where(values <= amber_max, "Amber", "Red"))
    return pd.Series(rated, index=score.index if isinstance(score, pd.Series) else None)


def scored_risks(
    register: pd.DataFrame, green_max: int = DEFAULT_GREEN_MAX, amber_max: int = DEFAULT_AMBER_MAX
) -> pd.DataFrame:
    """The register with ``score`` (probability x impact), ``rag_computed`` and ``rag_check``.

    ``rag_check`` is ``agrees``, ``reported better`` (the reported RAG is less severe than the score
    supports), ``reported worse`` or ``not reported``.
    """
    scored = register.copy()
    scored["review_date"] = pd.to_datetime(scored["review_date"])
    scored["score"] = (scored["probability"].astype(int) * scored["impact"].astype(int)).astype(int)
    scored["rag_computed"] = rag_rating(scored["score"], green_max, amber_max).to_numpy()
    severity = {"Green": 0, "Amber": 1, "Red": 2}
    reported = scored["rag_reported"].map(severity).astype(float).to_numpy()
    computed = scored["rag_computed"].map(severity).astype(float).to_numpy()
    scored["rag_check"] = np.select(
        [np.isnan(reported), reported < computed, reported > computed],
        ["not reported", "reported better", "reported worse"],
        "agrees",
    )
    return scored.sort_values(["register", "review_date", "risk_id"], ignore_index=True)


def rag_disagreements(scored: pd.DataFrame) -> pd.DataFrame:
    """Rows whose reported RAG differs from the computed one (blank reported RAGs are not disagreements)."""
    wrong = scored[scored["rag_check"].isin(["reported better", "reported worse"])]
    return wrong[
        [
            "register",
            "risk_id",
            "review_date",
            "title",
            "owner_role",
            "probability",
            "impact",
            "score",
            "rag_computed",
            "rag_reported",
            "rag_check",
        ]
    ].reset_index(drop=True)


def resolve_review(scored: pd.DataFrame, which: str) -> pd.Timestamp:
    """``"latest"`` or a review date (``YYYY-MM-DD``) of the register(s) in ``scored``."""
    reviews = sorted(scored["review_date"].unique())
    if not reviews:
        raise ValueError("the risk register is empty")
    if which == "latest":
        return pd.Timestamp(reviews[-1])
    day = pd.Timestamp(which)
    if day not in set(pd.to_datetime(reviews)):
        raise ValueError(
            f"no review on {day.date()}; reviews: " + ", ".join(str(pd.Timestamp(r).date()) for r in reviews)
        )
    return day


def heat_map_counts(scored: pd.DataFrame, review: pd.Timestamp) -> pd.DataFrame:
    """Risks per cell at one review: rows probability 4 (top) to 1, columns impact 1 to 4."""
    at = scored[scored["review_date"] == review]
    table = pd.crosstab(
        pd.Categorical(at["probability"], [4, 3, 2, 1]), pd.Categorical(at["impact"], [1, 2, 3, 4]), dropna=False
    )
    table.index.name, table.columns.name = "probability", "impact"
    return table


def heat_map_figure(
    counts: pd.DataFrame, *, title: str, green_max: int = DEFAULT_GREEN_MAX, amber_max: int = DEFAULT_AMBER_MAX
) -> tuple[go.Figure, str]:
    """4 x 4 heat map of risk counts; each cell is tinted and labelled with its RAG band (never colour alone)."""
    import plotly.graph_objects as go

    probabilities = [int(p) for p in counts.index]
    impacts = [int(i) for i in counts.columns]
    count = counts.to_numpy(dtype=int)  # count[r, c]: the risks at probabilities[r] and impacts[c]
    zone = [[rag_rating(p * i, green_max, amber_max) for i in impacts] for p in probabilities]
    code = [[("Green", "Amber", "Red").index(z) for z in row] for row in zone]
    text = [
        [f"{count[r, c]}<br>{zone[r][c]} ({p * i})" for c, i in enumerate(impacts)] for r, p in enumerate(probabilities)
    ]
    scale = [
        [0, _RAG_FILL["Green"]],
        [0.33, _RAG_FILL["Green"]],
        [0.34, _RAG_FILL["Amber"]],
        [0.66, _RAG_FILL["Amber"]],
        [0.67, _RAG_FILL["Red"]],
        [1, _RAG_FILL["Red"]],
    ]
    figure = go.Figure(
        go.Heatmap(
            z=code,
            x=[str(i) for i in impacts],
            y=[str(p) for p in probabilities],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 15, "color": "#0B0C0C"},
            colorscale=scale,
            zmin=0,
            zmax=2,
            showscale=False,
            xgap=3,
            ygap=3,
            customdata=counts.to_numpy(),
            hovertemplate="probability %{y}, impact %{x}: %{customdata} risk(s)<extra></extra>",
        )
    )
    figure.update_layout(
        template=template(),
        title=title,
        xaxis={"title": "Impact (1 = minor, 4 = severe)", "showgrid": False, "type": "category"},
        yaxis={
            "title": "Probability (1 = rare, 4 = likely)",
            "showgrid": False,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(p) for p in sorted(probabilities)],
        },
        height=460,
        width=560,
    )
    cells = [
        f"probability {p} x impact {i}: {count[r, c]}"
        for r, p in enumerate(probabilities)
        for c, i in enumerate(impacts)
        if count[r, c] > 0
    ]
    alt = (
        f"Heat map of {int(counts.to_numpy().sum())} risks by probability and impact (each 1 to 4), cells "
        f"labelled with their count and RAG band (Green to {green_max}, Amber to {amber_max}, Red above). "
        "Occupied cells: " + ("; ".join(cells) if cells else "none") + "."
    )
    return figure, alt


def risk_movements(scored: pd.DataFrame) -> pd.DataFrame:
    """Each risk between consecutive reviews of its register: score before and after, and the movement.

    ``movement`` is ``Up``, ``Down`` or ``Same`` for a risk present at both reviews, ``New`` for a risk
    first scored at the later review and ``Closed`` for one no longer on the register.
    """
    rows = []
    for register, mine in scored.groupby("register", sort=True):
        reviews = sorted(mine["review_date"].unique())
        by_review = {day: mine[mine["review_date"] == day].set_index("risk_id") for day in reviews}
        for before, after in zip(reviews[:-1], reviews[1:], strict=True):
            old, new = by_review[before], by_review[after]
            for risk in sorted(set(old.index) | set(new.index)):
                s0 = int(old.loc[risk, "score"]) if risk in old.index else None
                s1 = int(new.loc[risk, "score"]) if risk in new.index else None
                if s0 is None:
                    movement = "New"
                elif s1 is None:
                    movement = "Closed"
                else:
                    movement = "Up" if s1 > s0 else "Down" if s1 < s0 else "Same"
                title = (new if risk in new.index else old).loc[risk, "title"]
                rows.append(
                    {
                        "register": register,
                        "risk_id": risk,
                        "title": title,
                        "from_review": before,
                        "to_review": after,
                        "score_from": s0,
                        "score_to": s1,
                        "rag_from": old.loc[risk, "rag_computed"] if s0 is not None else None,
                        "rag_to": new.loc[risk, "rag_computed"] if s1 is not None else None,
                        "change": None if s0 is None or s1 is None else s1 - s0,
                        "movement": movement,
                    }
                )
    frame = pd.DataFrame(rows)
    for column in ("score_from", "score_to", "change"):
        frame[column] = frame[column].astype("Int64")
    return frame


def risk_estimates(scored: pd.DataFrame, review_by_register: dict[str, pd.Timestamp]) -> list[Estimate]:
    """Tidy counts per register at the chosen review: Red/Amber/Green risks, disagreements and mean score."""
    out = []
    for register, day in review_by_register.items():
        at = scored[(scored["register"] == register) & (scored["review_date"] == day)]
        n = len(at)
        method = f"computed RAG at the review of {pd.Timestamp(day).date()}"
        for rag in RAG:
            out.append(
                Estimate(
                    f"risks_{rag.lower()}", float((at["rag_computed"] == rag).sum()), n=n, group=register, method=method
                )
            )
        out.append(
            Estimate(
                "mean_score",
                float(at["score"].mean()) if n else np.nan,
                n=n,
                group=register,
                method="mean of probability x impact",
            )
        )
        mine = scored[scored["register"] == register]
        out.append(
            Estimate(
                "rag_disagreements",
                float(mine["rag_check"].isin(["reported better", "reported worse"]).sum()),
                n=len(mine),
                group=register,
                method="rows at every review whose reported RAG is not the computed one",
            )
        )
    return out


def _wrap(text: str, width: int = 34) -> str:
    """Break a title into lines of at most about ``width`` characters (plotly's ``<br>``)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def slope_chart(
    scored: pd.DataFrame,
    register: str,
    *,
    green_max: int = DEFAULT_GREEN_MAX,
    amber_max: int = DEFAULT_AMBER_MAX,
    columns: int = 3,
) -> tuple[go.Figure, str]:
    """Small multiples: each risk's score at every review of a register, one panel per risk, on RAG bands.

    One panel per risk keeps lines from piling on top of each other (scores take few values). A risk whose
    score rose at its last review is drawn in the highlight colour; a closed risk's line stops at its last
    review.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    mine = scored[scored["register"] == register].sort_values(["risk_id", "review_date"])
    first, last = mine["review_date"].min(), mine["review_date"].max()
    paths = list(mine.groupby("risk_id", sort=True))
    rows = -(-len(paths) // columns)
    titles = [_wrap(f"{risk}: {path['title'].iloc[0]}", 38) for risk, path in paths]
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        shared_xaxes=True,
        shared_yaxes=True,
        vertical_spacing=0.45 / rows,
        horizontal_spacing=0.05,
    )
    parts = []
    for k, (risk, path) in enumerate(paths):
        row, col = k // columns + 1, k % columns + 1
        rose = len(path) >= 2 and path["score"].iloc[-1] > path["score"].iloc[-2]
        colour = CATEGORICAL[2] if rose else FOCUS
        figure.add_trace(
            go.Scatter(
                x=path["review_date"],
                y=path["score"],
                mode="lines+markers",
                name=risk,
                showlegend=False,
                line={"color": colour, "width": 2.5},
                marker={"size": 6, "color": colour},
                text=path["rag_computed"],
                hovertemplate=f"{risk}: %{{y}} (%{{text}}) on %{{x|%d %b %Y}}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        # After the trace: plotly skips shapes on subplots that have no trace yet.
        for low, high, rag in (
            (0.5, green_max + 0.5, "Green"),
            (green_max + 0.5, amber_max + 0.5, "Amber"),
            (amber_max + 0.5, 16.5, "Red"),
        ):
            figure.add_hrect(
                y0=low, y1=high, fillcolor=_RAG_FILL[rag], opacity=0.6, line_width=0, layer="below", row=row, col=col
            )
        scores = ", ".join(str(int(s)) for s in path["score"])
        closed = "" if path["review_date"].iloc[-1] == last else f", closed after {path['review_date'].iloc[-1]:%b %Y}"
        parts.append(
            f"{risk} ({path['title'].iloc[0]}{closed}): {scores}" + (", rising at its last review" if rose else "")
        )
    figure.update_yaxes(range=[0.5, 16.5], tickvals=[1, 4, 8, 12, 16], showgrid=False)
    figure.update_xaxes(
        range=[first - pd.Timedelta(days=30), last + pd.Timedelta(days=30)],
        tickformat="%Y",
        dtick="M12",
        tickangle=0,
        showgrid=False,
        showticklabels=True,
    )
    figure.update_layout(
        template=template(),
        title={
            "text": f"Risk register '{register}': score of each risk at each review",
            "subtitle": {
                "text": f"Score = probability x impact. Bands: Green 1-{green_max}, "
                f"Amber {green_max + 1}-{amber_max}, Red {amber_max + 1}-16."
            },
        },
        height=190 + 210 * rows,
        margin={"t": 150},
        font={"size": 12},
    )
    figure.update_annotations(font={"size": 11})
    alt = (
        f"Small multiples, one per risk on the '{register}' register, of its score (1 to 16) at each review from "
        f"{first:%d %B %Y} to {last:%d %B %Y}, on Green, Amber and Red bands; risks whose score rose at their "
        "last review are highlighted. Scores in review order: " + "; ".join(parts) + "."
    )
    return figure, alt
