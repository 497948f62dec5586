"""Attrition and attendance across cohorts: who completed, withdrew or is still active, who answered each wave.

Completion counts by cohort or group and survey coverage by wave come as suppressed count tables; the
completion and drop-out rates have Clopper-Pearson intervals. If drop-outs differed at baseline (e.g. the
least confident left), completers' change would overstate the change of everyone who enrolled:
:func:`dropout_baseline_difference` compares them with small-sample methods.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ...statistics.disclosure import DEFAULT_THRESHOLD, SuppressedTable, protect_shares, suppress_counts
from ...statistics.two_sample import (
    hodges_lehmann_two_sample,
    proportion_estimate,
    two_sample_permutation_test,
    welch_difference,
)
from ...tidy import Estimate
from .change import ALL_COHORTS, _wave_order
from .equality import CHARACTERISTICS, NOT_KNOWN, characteristic_groups


def _status(participants: pd.DataFrame) -> pd.Series:
    status = np.select(
        [participants["completed_on"].notna(), participants["withdrawn_on"].notna()],
        ["completed", "withdrawn"],
        default="active",
    )
    return pd.Series(status, index=participants.index, name="status")


def completion_table(
    participants: pd.DataFrame, by: str = "cohort_id", *, k: int = DEFAULT_THRESHOLD
) -> SuppressedTable:
    """Completed, withdrawn and still active by group, with primary and secondary suppression.

    Parameters
    ----------
    participants : pandas.DataFrame
        The roster (all cohorts).
    by : str
        Grouping column, e.g. ``cohort_id``, ``grade`` or a protected characteristic (grouped as in
        :func:`characteristic_groups`).
    k : int
        Disclosure threshold.

    Returns
    -------
    SuppressedTable
        Publish ``.formatted()`` (``[c]`` in suppressed cells); ``.published`` is the numeric form to audit with
        :func:`evaluation.statistics.disclosure.assert_no_disclosure_risks`.
    """
    if by in CHARACTERISTICS:
        groups = pd.Series(characteristic_groups(participants, by).to_numpy(), index=participants.index, name=by)
    else:
        groups = participants[by].fillna(NOT_KNOWN)
    table = pd.crosstab(groups, _status(participants)).reindex(
        columns=["completed", "withdrawn", "active"], fill_value=0
    )
    table.index.name = by
    table.columns.name = None
    return suppress_counts(table, k=k)


def completion_rate(participants: pd.DataFrame, *, confidence_level: float = 0.95) -> list[Estimate]:
    """Share of enrolled leaders who completed, and who withdrew, with Clopper-Pearson intervals.

    Parameters
    ----------
    participants : pandas.DataFrame
        The roster.
    confidence_level : float
        Two-sided coverage.

    Returns
    -------
    list of Estimate
        ``completion_rate`` and ``dropout_rate`` (share withdrawn); ``n`` is the smaller of the two counts
        behind each (see :func:`proportion_estimate`).
    """
    status = _status(participants)
    enrolled = len(status)
    return [
        proportion_estimate(
            int((status == "completed").sum()), enrolled, term="completion_rate", confidence_level=confidence_level
        ).with_context(group=ALL_COHORTS),
        proportion_estimate(
            int((status == "withdrawn").sum()), enrolled, term="dropout_rate", confidence_level=confidence_level
        ).with_context(group=ALL_COHORTS),
    ]


def survey_coverage(
    scores: pd.DataFrame, participants: pd.DataFrame, *, construct: str = "confidence", k: int = DEFAULT_THRESHOLD
) -> SuppressedTable:
    """How many enrolled leaders have a score at each wave, and how many do not, suppressed.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    participants : pandas.DataFrame
        The roster.
    construct : str
        Construct whose score counts as answering.
    k : int
        Disclosure threshold.

    Returns
    -------
    SuppressedTable
        Rows are waves, columns ``answered`` and ``did not answer``.
    """
    mine = scores[(scores["construct"] == construct) & scores["score"].notna()]
    enrolled = participants["participant_id"].nunique()
    waves = _wave_order(mine["wave"])
    answered = mine.groupby("wave")["participant"].nunique().reindex(waves, fill_value=0)
    table = pd.DataFrame({"answered": answered, "did not answer": enrolled - answered})
    table.index.name = "wave"
    return suppress_counts(table, k=k)


def attendance_by_session(
    attendance: pd.DataFrame, participants: pd.DataFrame, k: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Attendance per session, all cohorts together, each rate protected against its base.

    A rate whose attending or absent count is under ``k`` is suppressed
    (:func:`~evaluation.statistics.disclosure.protect_shares`; ``suppressed``
    marks the row): 88% of 24 is 3 absent.

    Parameters
    ----------
    attendance : pandas.DataFrame
        Register, one row per participant and session.
    participants : pandas.DataFrame
        The roster (for withdrawal dates).
    k : int
        Disclosure threshold.

    Returns
    -------
    pandas.DataFrame
        ``session``, ``n`` (people on the register), ``attendance_rate`` (share of them attending),
        ``still_enrolled`` (not withdrawn before the session date), ``attendance_rate_still_enrolled``
        and ``suppressed``.
    """
    withdrawn = participants.set_index("participant_id")["withdrawn_on"]
    register = attendance.assign(withdrawn_on=attendance["participant_id"].map(withdrawn))
    register["still_enrolled"] = register["withdrawn_on"].isna() | (
        pd.to_datetime(register["withdrawn_on"]) >= pd.to_datetime(register["session_date"])
    )
    register["attended"] = register["attended"].astype(bool)
    rows = []
    for session, group in register.groupby(register["session"].astype(int), sort=True):
        enrolled = group[group["still_enrolled"]]
        rows.append(
            {
                "session": int(session),
                "n": len(group),
                "attendance_rate": group["attended"].mean(),
                "still_enrolled": len(enrolled),
                "attendance_rate_still_enrolled": enrolled["attended"].mean() if len(enrolled) else np.nan,
            }
        )
    rates = pd.DataFrame(rows)
    shares = {"attendance_rate": "n", "attendance_rate_still_enrolled": "still_enrolled"}
    protected = protect_shares(rates, shares, k)
    hidden = [protected[share].isna() & rates[share].notna() for share in shares]
    return protected.assign(suppressed=hidden[0] | hidden[1])


def dropout_baseline_difference(
    scores: pd.DataFrame,
    participants: pd.DataFrame,
    construct: str,
    *,
    wave: str = "baseline",
    confidence_level: float = 0.95,
    resamples: int = 9999,
    seed: int = 0,
) -> list[Estimate]:
    """Did leaders who withdrew differ at baseline from those who completed? Small-sample comparison.

    Two views of drop-outs minus completers on the construct's score at ``wave``:

    * **Hodges-Lehmann shift** (median of all drop-out minus completer differences) with its exact
      distribution-free interval (:func:`hodges_lehmann_two_sample`) and the p-value of the Mann-Whitney
      test from the exact permutation distribution of mid-ranks (valid with ties);
    * **difference in means** with Welch's interval and the exact permutation p-value of the mean difference.

    If drop-outs differed (e.g. the least confident left), completers' change would overstate the change of
    everyone who enrolled.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    participants : pandas.DataFrame
        The roster; drop-outs have ``withdrawn_on``, completers ``completed_on``.
    construct : str
        Construct compared.
    wave : str
        Wave compared (baseline: before anyone withdrew).
    confidence_level : float
        Two-sided coverage.
    resamples, seed : int
        Used only when there are too many splits to enumerate.

    Returns
    -------
    list of Estimate
        ``hodges_lehmann_shift`` and ``mean_difference``; ``n`` is the smaller group, ``group`` names the
        construct.
    """
    status = _status(participants).set_axis(participants["participant_id"])
    mine = scores[(scores["construct"] == construct) & (scores["wave"] == wave) & scores["score"].notna()]
    who = mine["participant"].map(status)
    dropouts = mine.loc[who == "withdrawn", "score"].to_numpy()
    completers = mine.loc[who == "completed", "score"].to_numpy()
    group = f"{construct} ({wave}): drop-outs minus completers"
    if dropouts.size == 0 or completers.size == 0:
        return [
            Estimate("hodges_lehmann_shift", math.nan, n=0, group=group, method="no one to compare"),
            Estimate("mean_difference", math.nan, n=0, group=group, method="no one to compare"),
        ]
    shift = hodges_lehmann_two_sample(dropouts, completers, confidence_level=confidence_level)
    _, p_rank, exact_rank = two_sample_permutation_test(
        dropouts, completers, ranks=True, resamples=resamples, seed=seed
    )
    mean = welch_difference(dropouts, completers, confidence_level=confidence_level)
    _, p_mean, exact_mean = two_sample_permutation_test(dropouts, completers, resamples=resamples, seed=seed)
    kind = {True: "exact", False: "Monte Carlo"}
    return [
        replace(
            shift, p_value=p_rank, group=group, method=f"{shift.method}; Mann-Whitney {kind[exact_rank]} permutation p"
        ),
        replace(mean, p_value=p_mean, group=group, method=f"{mean.method}; {kind[exact_mean]} permutation p"),
    ]


def dropout_baseline_differences(
    scores: pd.DataFrame,
    participants: pd.DataFrame,
    constructs: tuple[str, ...],
    *,
    confidence_level: float = 0.95,
    resamples: int = 9999,
    seed: int = 0,
) -> list[Estimate]:
    """:func:`dropout_baseline_difference` of each construct, in order."""
    return [
        e
        for c in constructs
        for e in dropout_baseline_difference(
            scores, participants, c, confidence_level=confidence_level, resamples=resamples, seed=seed
        )
    ]
