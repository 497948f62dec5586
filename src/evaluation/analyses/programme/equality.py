"""Equality analysis (Public Sector Equality Duty): were outcomes equal across protected characteristics?

For sex, ethnic group, disability and age band, completion and the change in each construct by group, with
small-sample tests of a difference between groups. "Not known" is a group of its own, and nothing is
published for a characteristic and outcome where any group has fewer than the disclosure threshold of people.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ...schemas.programme import OUTCOMES
from ...statistics.disclosure import DEFAULT_THRESHOLD
from ...statistics.models import adjust_p_values
from ...statistics.paired import paired_mean_change
from ...statistics.two_sample import (
    permutation_f_test,
    proportion_estimate,
    two_sample_permutation_test,
    welch_difference,
)
from ...tidy import Estimate, to_frame
from ..cohort import construct_pairs

CHARACTERISTICS: tuple[str, ...] = ("sex", "ethnic_group", "disability", "age_band")
NOT_KNOWN = "Not known"
NOT_REPORTED = "not reported: groups too small"


def characteristic_groups(participants: pd.DataFrame, characteristic: str) -> pd.Series:
    """Each participant's group on a protected characteristic; blank and "Prefer not to say" become "Not known".

    "Not known" is kept as a group of its own: leaving it out would let its size and outcomes be worked out
    from the published totals.
    """
    values = participants[characteristic].astype("object")
    values = values.where(values.notna() & (values != "Prefer not to say"), NOT_KNOWN)
    return pd.Series(values.to_numpy(), index=participants["participant_id"].to_numpy(), name=characteristic)


def _group_comparison(
    values: np.ndarray, labels: np.ndarray, *, confidence_level: float, resamples: int, seed: int, term: str
) -> Estimate:
    """Difference between two groups (Welch CI, exact permutation p) or an F permutation test for more."""
    groups = list(pd.unique(pd.Series(labels)))
    sizes = pd.Series(labels).value_counts()
    if len(groups) < 2:
        return Estimate(term, math.nan, n=int(sizes.min()) if len(sizes) else 0, method="one group only")
    if len(groups) == 2:
        first, second = sorted(groups, key=str)
        x, y = values[labels == first], values[labels == second]
        difference = welch_difference(x, y, confidence_level=confidence_level)
        _, p, exact = two_sample_permutation_test(x, y, resamples=resamples, seed=seed)
        kind = "exact" if exact else "Monte Carlo"
        return replace(
            difference,
            term=term,
            p_value=p,
            method=f"{first} minus {second}: {difference.method}; {kind} permutation p",
        )
    f, p = permutation_f_test(values, labels, resamples=resamples, seed=seed)
    means = pd.Series(values).groupby(labels).mean()
    return Estimate(
        term,
        float(means.max() - means.min()),
        statistic=f,
        p_value=p,
        n=int(sizes.min()),
        method="range of group means; permutation F test",
    )


def _by_group(
    characteristic: str,
    labels: np.ndarray,
    values: np.ndarray,
    in_group: Callable[[np.ndarray], Estimate],
    *,
    confidence_level: float,
    resamples: int,
    seed: int,
) -> list[Estimate]:
    """One outcome by the groups of a characteristic: ``in_group`` of each group's mask (groups in alphabetical
    order, ``group="<characteristic>: <group>"``), then the test of a difference between the groups in ``values``
    (:func:`_group_comparison`, ``group="<characteristic>: all groups"``)."""
    rows = [
        in_group(labels == label).with_context(group=f"{characteristic}: {label}")
        for label in sorted(pd.unique(pd.Series(labels)), key=str)
    ]
    rows.append(
        _group_comparison(
            values,
            labels,
            confidence_level=confidence_level,
            resamples=resamples,
            seed=seed,
            term="difference_between_groups",
        ).with_context(group=f"{characteristic}: all groups")
    )
    return rows


def change_by_group(
    scores: pd.DataFrame,
    participants: pd.DataFrame,
    characteristic: str,
    construct: str,
    from_wave: str,
    to_wave: str,
    *,
    groups: Sequence[str] | None = None,
    confidence_level: float = 0.95,
    resamples: int = 9999,
    seed: int = 0,
) -> list[Estimate]:
    """Mean within-person change in each group of a characteristic, and a test of a difference between groups.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    participants : pandas.DataFrame
        The roster with the characteristic.
    characteristic : str
        Column, e.g. ``sex``.
    construct : str
        Construct.
    from_wave, to_wave : str
        Waves compared.
    groups : sequence of str, optional
        Restrict to these groups (for analysis only: publishing a subset can disclose the rest).
    confidence_level : float
        Two-sided coverage.
    resamples, seed : int
        Permutations.

    Returns
    -------
    list of Estimate
        One ``mean_change`` per group (paired t interval; ``group="<characteristic>: <group>"``), then
        ``difference_between_groups``: with two groups their difference (alphabetical first minus second, Welch
        interval, exact permutation p), with more the range of group means and a permutation F test.
    """
    pairs = construct_pairs(scores, construct, from_wave, to_wave)
    grouped = characteristic_groups(participants, characteristic).reindex(list(pairs.participants))
    labels = grouped.fillna(NOT_KNOWN).to_numpy()
    changes = pairs.post - pairs.pre
    keep = np.isin(labels, list(groups)) if groups is not None else np.ones(labels.size, dtype=bool)
    labels, changes, pre, post = labels[keep], changes[keep], pairs.pre[keep], pairs.post[keep]
    return _by_group(
        characteristic,
        labels,
        changes,
        lambda member: paired_mean_change(pre[member], post[member], confidence_level=confidence_level),
        confidence_level=confidence_level,
        resamples=resamples,
        seed=seed,
    )


def completion_by_group(
    participants: pd.DataFrame,
    characteristic: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 9999,
    seed: int = 0,
) -> list[Estimate]:
    """Completion rate in each group of a characteristic (Clopper-Pearson) and a permutation test of a difference.

    Returns
    -------
    list of Estimate
        ``completion_rate`` per group (``n`` is the group size; the caller applies the threshold to every
        group), then ``difference_between_groups`` (see :func:`change_by_group`).
    """
    labels = characteristic_groups(participants, characteristic).to_numpy()
    completed = participants["completed_on"].notna().to_numpy().astype(float)

    def completion_rate(member: np.ndarray) -> Estimate:
        estimate = proportion_estimate(
            int(completed[member].sum()), int(member.sum()), term="completion_rate", confidence_level=confidence_level
        )
        return replace(estimate, n=int(member.sum()))

    return _by_group(
        characteristic,
        labels,
        completed,
        completion_rate,
        confidence_level=confidence_level,
        resamples=resamples,
        seed=seed,
    )


def equality_analysis(
    participants: pd.DataFrame,
    scores: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    *,
    characteristics: tuple[str, ...] = CHARACTERISTICS,
    constructs: tuple[str, ...] = OUTCOMES,
    k: int = DEFAULT_THRESHOLD,
    confidence_level: float = 0.95,
    resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Outcomes by protected characteristic, reported only where every group has at least ``k`` people.

    For each characteristic (sex, ethnic group, disability, age band) and outcome (completion; change in each
    construct between the waves) the groups are formed with "Not known" as a group of its own
    (:func:`characteristic_groups`). If **any** group, counted among the people the outcome is computed on, has
    fewer than ``k`` people, nothing is published for that characteristic and outcome but one row saying
    ``"not reported: groups too small"``: publishing the larger groups would, with the overall figure, reveal
    the small one. A completion rate also reveals how many in its group did not complete, so for completion
    every group's completers and non-completers must each be 0 or at least ``k``. Group sizes of a suppressed
    characteristic are not shown either.

    Parameters
    ----------
    participants : pandas.DataFrame
        The roster with the characteristics.
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    from_wave, to_wave : str
        Waves of the change outcomes.
    characteristics, constructs : tuple of str
        What to analyse.
    k : int
        Disclosure threshold.
    confidence_level : float
        Two-sided coverage.
    resamples, seed : int
        Permutations of the group tests.

    Returns
    -------
    pandas.DataFrame
        Tidy columns plus ``characteristic``, ``outcome``, ``note`` (empty, or the not-reported reason) and
        ``p_value_holm``: the group-difference p-values Holm-adjusted across every comparison reported. Many
        comparisons are made (characteristics x outcomes), so some will be "significant" by chance alone; read
        the adjusted p-values.
    """
    frames = []
    for characteristic in characteristics:
        outcomes: list[tuple[str, list[Estimate]]] = [
            (
                "completion",
                completion_by_group(
                    participants, characteristic, confidence_level=confidence_level, resamples=resamples, seed=seed
                ),
            )
        ]
        for construct in constructs:
            outcomes.append(
                (
                    f"change in {construct} ({from_wave} to {to_wave})",
                    change_by_group(
                        scores,
                        participants,
                        characteristic,
                        construct,
                        from_wave,
                        to_wave,
                        confidence_level=confidence_level,
                        resamples=resamples,
                        seed=seed,
                    ),
                )
            )
        # A completion rate gives away both counts of its group, so each must be 0 or at least k as well.
        labels = characteristic_groups(participants, characteristic).to_numpy()
        completed = participants["completed_on"].notna().to_numpy()
        cells = pd.crosstab(labels, completed).to_numpy()
        small_cell = bool(((cells > 0) & (cells < k)).any())
        for outcome, rows in outcomes:
            group_rows = [r for r in rows if not r.group.endswith(": all groups")]
            if min(r.n for r in group_rows) < k or (outcome == "completion" and small_cell):
                frame = to_frame(
                    [
                        Estimate(
                            "not_reported",
                            math.nan,
                            n=0,
                            group=f"{characteristic}: all groups",
                            method=f"at least one group has fewer than {k} people",
                        )
                    ]
                )
                frame["n"] = pd.array([pd.NA], dtype="Int64")
                frame["note"] = NOT_REPORTED
            else:
                frame = to_frame(rows)
                frame["n"] = frame["n"].astype("Int64")
                frame["note"] = ""
            frame.insert(0, "outcome", outcome)
            frame.insert(0, "characteristic", characteristic)
            frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    tests = (table["term"] == "difference_between_groups").to_numpy()
    table["p_value_holm"] = np.nan
    table.loc[tests, "p_value_holm"] = adjust_p_values(table.loc[tests, "p_value"].to_numpy(), "holm")
    return table
