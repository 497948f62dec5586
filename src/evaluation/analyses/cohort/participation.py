"""A cohort's completion, attendance and applications at work, as publishable counts and shares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...statistics.disclosure import DEFAULT_THRESHOLD, protect_shares, suppress_counts


def completion_counts(participants: pd.DataFrame, by: str = "cohort_id", k: int = 5) -> pd.DataFrame:
    """Enrolled, completed, withdrawn and still active by group, with small cells suppressed (``[c]``)."""
    status = np.select(
        [participants["completed_on"].notna(), participants["withdrawn_on"].notna()],
        ["completed", "withdrawn"],
        default="active",
    )
    table = pd.crosstab(participants[by], pd.Series(status, index=participants.index, name="status"))
    table = table.reindex(columns=["completed", "withdrawn", "active"], fill_value=0)
    return suppress_counts(table, k=k).formatted().reset_index()


def attendance_rate(attendance: pd.DataFrame, k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Share of enrolled participants attending each session (``n`` = people on the register), protected.

    A session's rate beside its register gives the number absent back (62% of
    8: 3 absent), so a rate whose attending or absent count is under ``k`` is
    suppressed (:func:`~evaluation.statistics.disclosure.protect_shares`;
    ``suppressed`` marks it). :func:`attendance_summary` gives the cohort's
    attendance over all sessions.
    """
    grouped = attendance.groupby("session")["attended"]
    rates = pd.DataFrame(
        {"session": grouped.mean().index, "attendance_rate": grouped.mean().to_numpy(), "n": grouped.size().to_numpy()}
    )
    protected = protect_shares(rates, {"attendance_rate": "n"}, k)
    return protected.assign(suppressed=protected["attendance_rate"].isna() & rates["attendance_rate"].notna())


def applications_by_type(applications: pd.DataFrame, participants: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """People reporting each kind of application at work, with small counts suppressed."""
    mine = applications[applications["participant_id"].isin(participants["participant_id"])]
    people = mine.groupby("application_type")["participant_id"].nunique().rename("people")
    table = people.to_frame()
    return suppress_counts(table, k=k).formatted().reset_index()
