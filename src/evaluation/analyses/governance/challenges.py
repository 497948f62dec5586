"""Peer-challenge follow-up: are authorities carrying out the actions agreed after a peer challenge?

``notebooks/peer_challenge_followup.ipynb``. A peer challenge makes
recommendations under lines of enquiry; the authority agrees actions, tracks their status and is reviewed
again 12 to 24 months later, when the peers judge each action (tables ``peer_challenges``,
``recommendations``, ``actions``). :func:`action_tracker` joins them; then

- :func:`progress_by_line`: actions by tracked status and line of enquiry, with the number overdue;
- :func:`overdue_actions`: every action due before the ``as_of`` date that is still ``Not started`` or
  ``In progress`` (a ``Complete`` or ``Dropped`` action is never overdue);
- :func:`follow_up_by_line` and :func:`tracker_against_follow_up`: the peers' judgement at follow-ups that
  have been held, and how far a tracker's ``Complete`` was judged ``Achieved``;
- :func:`tracker_warnings`: inconsistencies to fix in the tracker (a follow-up held but nothing judged,
  an action judged before its follow-up, a completed action with no evidence).

Counts here are of actions, not people: owners are roles, so no disclosure control applies. Plain-English
methods: ``docs/maturity-and-governance.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...charts import CATEGORICAL, CONTEXT, template
from ...schemas.governance import ACTION_STATUSES, FOLLOW_UP_STATUSES, LINES_OF_ENQUIRY
from ...tidy import Estimate

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: The parameter value that selects every peer challenge (or every risk register).
ALL = "all"
#: Tracked statuses of an action that is still open (overdue once its due date has passed).
OPEN_STATUSES: tuple[str, ...] = ("Not started", "In progress")
#: Judgements made at a held follow-up (``Not assessed`` is not a judgement).
JUDGED: tuple[str, ...] = tuple(s for s in FOLLOW_UP_STATUSES if s != "Not assessed")
_STATUS_COLOURS = dict(zip(ACTION_STATUSES, (CATEGORICAL[2], CATEGORICAL[3], CATEGORICAL[0], CONTEXT), strict=True))
_JUDGED_COLOURS = dict(zip(JUDGED, (CATEGORICAL[2], CATEGORICAL[3], CATEGORICAL[0]), strict=True))


def parse_as_of(text: str, today: dt.date | None = None) -> pd.Timestamp:
    """The ``as_of`` parameter as a date: ``YYYY-MM-DD``, or ``"today"``."""
    if text.strip().lower() == "today":
        return pd.Timestamp(today or dt.date.today())
    try:
        return pd.Timestamp(dt.date.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(f"as_of must be a date (YYYY-MM-DD) or 'today', got {text!r}") from None


def action_tracker(
    peer_challenges: pd.DataFrame,
    recommendations: pd.DataFrame,
    actions: pd.DataFrame,
    authorities: pd.DataFrame | None = None,
    challenge: str = ALL,
) -> pd.DataFrame:
    """Every action with its recommendation and peer challenge, optionally for one challenge only.

    Columns: ``challenge_id``, ``authority_code`` (and ``authority``, its name, given ``authorities``),
    ``review_date``, ``follow_up_date``, ``lead_reviewer_org``, ``recommendation_id``, ``line_of_enquiry``,
    ``summary``, ``action_id``, ``owner_role``, ``due_date``, ``status``, ``evidence``, ``status_at_follow_up``.
    """
    if challenge != ALL and challenge not in set(peer_challenges["challenge_id"]):
        raise ValueError(
            f"no peer challenge {challenge!r}; challenges: " + ", ".join(sorted(peer_challenges["challenge_id"]))
        )
    tracker = actions.merge(recommendations, on="recommendation_id", how="inner", validate="many_to_one").merge(
        peer_challenges, on="challenge_id", how="inner", validate="many_to_one"
    )
    if challenge != ALL:
        tracker = tracker[tracker["challenge_id"] == challenge]
    if authorities is not None:
        names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
        tracker = tracker.assign(authority=tracker["authority_code"].map(names))
    for column in ("review_date", "follow_up_date", "due_date"):
        tracker[column] = pd.to_datetime(tracker[column])
    first = [
        "challenge_id",
        "authority_code",
        *(["authority"] if authorities is not None else []),
        "review_date",
        "follow_up_date",
        "lead_reviewer_org",
        "recommendation_id",
        "line_of_enquiry",
        "summary",
        "action_id",
        "owner_role",
        "due_date",
        "status",
        "evidence",
        "status_at_follow_up",
    ]
    return tracker[first].sort_values(["challenge_id", "recommendation_id", "action_id"], ignore_index=True)


def is_overdue(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """True for an action due before ``as_of`` whose tracked status is still open (Not started, In progress)."""
    return (tracker["due_date"] < as_of) & tracker["status"].isin(OPEN_STATUSES)


def _lines_present(tracker: pd.DataFrame) -> list[str]:
    return [line for line in LINES_OF_ENQUIRY if line in set(tracker["line_of_enquiry"])]


def progress_by_line(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Actions by line of enquiry: recommendations, actions, each tracked status, overdue, percent complete.

    ``percent_complete`` is the share of actions not dropped that are ``Complete``. A final ``All lines``
    row totals the table.
    """
    overdue = is_overdue(tracker, as_of)
    rows = []
    for line in [*_lines_present(tracker), "All lines"]:
        mine = tracker if line == "All lines" else tracker[tracker["line_of_enquiry"] == line]
        counts = mine["status"].value_counts()
        live = len(mine) - int(counts.get("Dropped", 0))
        rows.append(
            {
                "line_of_enquiry": line,
                "recommendations": int(mine["recommendation_id"].nunique()),
                "actions": len(mine),
                **{s: int(counts.get(s, 0)) for s in ACTION_STATUSES},
                "overdue": int(overdue[mine.index].sum()),
                "percent_complete": 100 * int(counts.get("Complete", 0)) / live if live else np.nan,
            }
        )
    return pd.DataFrame(rows)


def progress_estimates(progress: pd.DataFrame, as_of: pd.Timestamp) -> list[Estimate]:
    """Tidy rows: overdue actions and percent complete per line of enquiry (``n`` = actions)."""
    day = pd.Timestamp(as_of).date()
    out = []
    for row in progress.to_dict("records"):
        out.append(
            Estimate(
                "actions_overdue",
                float(row["overdue"]),
                n=int(row["actions"]),
                group=row["line_of_enquiry"],
                method=f"count of open actions due before {day}",
            )
        )
        out.append(
            Estimate(
                "percent_complete",
                float(row["percent_complete"]),
                n=int(row["actions"]),
                group=row["line_of_enquiry"],
                method="Complete as a percentage of actions not dropped",
            )
        )
    return out


def overdue_actions(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Open actions past their due date, longest overdue first, with ``days_overdue``."""
    late = tracker[is_overdue(tracker, as_of)].copy()
    late["days_overdue"] = (pd.Timestamp(as_of) - late["due_date"]).dt.days.astype(int)
    columns = [
        "challenge_id",
        *(["authority"] if "authority" in late else ["authority_code"]),
        "action_id",
        "line_of_enquiry",
        "owner_role",
        "due_date",
        "status",
        "days_overdue",
    ]
    return late[columns].sort_values(["days_overdue", "action_id"], ascending=[False, True], ignore_index=True)


def follow_up_by_line(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The peers' judgements at follow-ups held by ``as_of``, by line of enquiry.

    Only challenges whose ``follow_up_date`` is on or before ``as_of`` count; dropped and unjudged
    actions are counted as ``Not assessed``. ``percent_achieved`` is Achieved as a share of judged actions.
    """
    held = tracker[tracker["follow_up_date"] <= as_of]
    rows = []
    for line in [*_lines_present(held), "All lines"]:
        mine = held if line == "All lines" else held[held["line_of_enquiry"] == line]
        counts = mine["status_at_follow_up"].value_counts()
        judged = sum(int(counts.get(s, 0)) for s in JUDGED)
        rows.append(
            {
                "line_of_enquiry": line,
                "actions": len(mine),
                **{s: int(counts.get(s, 0)) for s in FOLLOW_UP_STATUSES},
                "percent_achieved": 100 * int(counts.get("Achieved", 0)) / judged if judged else np.nan,
            }
        )
    return pd.DataFrame(rows)


def tracker_against_follow_up(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Cross-tabulation of tracked status (rows) against the follow-up judgement (columns), held follow-ups only.

    The ``Complete`` row shows how often what the tracker called complete was judged achieved.
    """
    held = tracker[tracker["follow_up_date"] <= as_of]
    table = pd.crosstab(
        pd.Categorical(held["status"], ACTION_STATUSES),
        pd.Categorical(held["status_at_follow_up"], FOLLOW_UP_STATUSES),
        dropna=False,
    )
    table.index.name, table.columns.name = "status", None
    return table.reset_index()


def challenge_summary(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per peer challenge: dates, whether the follow-up is held, recommendations, actions, progress."""
    overdue = is_overdue(tracker, as_of)
    rows = []
    for challenge, mine in tracker.groupby("challenge_id", sort=True):
        first = mine.iloc[0]
        judged = mine["status_at_follow_up"].isin(JUDGED)
        rows.append(
            {
                "challenge_id": challenge,
                "authority_code": first["authority_code"],
                **({"authority": first["authority"]} if "authority" in mine else {}),
                "review_date": first["review_date"].date(),
                "follow_up_date": first["follow_up_date"].date(),
                "follow_up_held": bool(first["follow_up_date"] <= as_of),
                "recommendations": int(mine["recommendation_id"].nunique()),
                "actions": len(mine),
                "complete": int((mine["status"] == "Complete").sum()),
                "overdue": int(overdue[mine.index].sum()),
                "achieved": int((mine["status_at_follow_up"] == "Achieved").sum()),
                "judged": int(judged.sum()),
            }
        )
    return pd.DataFrame(rows)


def tracker_warnings(tracker: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Inconsistencies to fix in the tracker: ``challenge_id``, ``action_id`` (blank for a challenge) and ``issue``."""
    rows = []
    for challenge, mine in tracker.groupby("challenge_id", sort=True):
        held = mine["follow_up_date"].iloc[0] <= as_of
        judged = mine["status_at_follow_up"].isin(JUDGED)
        if held and not judged.any():
            rows.append((challenge, "", "follow-up date has passed but no action has been judged"))
        if not held:
            for action in mine.loc[judged, "action_id"]:
                rows.append((challenge, action, "judged at follow-up, but the follow-up date is after the as-of date"))
    no_evidence = tracker[(tracker["status"] == "Complete") & tracker["evidence"].isna()]
    rows += [
        (challenge, action, "Complete with no evidence recorded")
        for challenge, action in zip(no_evidence["challenge_id"], no_evidence["action_id"], strict=True)
    ]
    return pd.DataFrame(rows, columns=["challenge_id", "action_id", "issue"])


def _stacked_bars(
    frame: pd.DataFrame, categories: Sequence[str], colours: dict[str, str], *, title: str, total_column: str
) -> go.Figure:
    import plotly.graph_objects as go

    lines = list(frame["line_of_enquiry"])
    totals = frame[list(categories)].sum(axis=1).replace(0, np.nan)
    figure = go.Figure()
    for category in categories:
        share = 100 * frame[category] / totals
        figure.add_trace(
            go.Bar(
                y=lines,
                x=share,
                name=category,
                orientation="h",
                marker_color=colours[category],
                customdata=frame[category],
                hovertemplate="%{y}: %{customdata} (%{x:.0f}%)<extra>" + category + "</extra>",
            )
        )
    figure.update_layout(
        template=template(),
        title=title,
        barmode="stack",
        xaxis={"title": f"Percentage of {total_column}", "range": [0, 100], "showgrid": True, "gridcolor": "#D9D9D9"},
        yaxis={
            "categoryorder": "array",
            "categoryarray": lines[::-1],
            "title": None,
            "showgrid": False,
            "automargin": True,
        },
        legend={"traceorder": "normal", "orientation": "h", "y": -0.25},
        height=220 + 40 * len(lines),
    )
    return figure


def status_chart(progress: pd.DataFrame, as_of: pd.Timestamp) -> tuple[go.Figure, str]:
    """Stacked bars: tracked status of actions by line of enquiry (percent), with the text alternative."""
    day = pd.Timestamp(as_of).strftime("%d %B %Y")
    figure = _stacked_bars(
        progress,
        ACTION_STATUSES,
        _STATUS_COLOURS,
        total_column="actions",
        title=f"Peer-challenge actions by status and line of enquiry, {day}",
    )
    alt = (
        f"Tracked status of peer-challenge actions by line of enquiry on {day}: "
        + "; ".join(
            f"{r['line_of_enquiry']}: "
            + ", ".join(f"{r[s]} {s.lower()}" for s in ACTION_STATUSES)
            + f", {r['overdue']} overdue"
            for _, r in progress.iterrows()
        )
        + "."
    )
    return figure, alt


def follow_up_chart(follow_up: pd.DataFrame) -> tuple[go.Figure, str]:
    """Stacked bars: the peers' judgement of actions at held follow-ups, by line of enquiry (percent of judged)."""
    figure = _stacked_bars(
        follow_up,
        JUDGED,
        _JUDGED_COLOURS,
        total_column="actions judged at the follow-up",
        title="Actions judged at the follow-up review, by line of enquiry",
    )
    alt = (
        "Peers' judgement of actions at held follow-up reviews, by line of enquiry: "
        + "; ".join(
            f"{r['line_of_enquiry']}: " + ", ".join(f"{r[s]} {s.lower()}" for s in JUDGED)
            for _, r in follow_up.iterrows()
        )
        + "."
    )
    return figure, alt
