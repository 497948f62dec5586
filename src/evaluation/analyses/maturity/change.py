"""Change of the maturity index between assessment rounds: one authority, London, and by membership of LOTI.

For one authority, the change of its index with a BCa bootstrap interval over domains (how consistent the
change is across domains); for London, the mean change over authorities with a paired t interval and a BCa
bootstrap interval over authorities, and the change of each domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

import numpy as np
import pandas as pd
from scipy import stats

from ...schemas.loti import MATURITY_DOMAINS
from ...statistics.paired import paired_mean_change
from ...tidy import NAN, Estimate
from .scores import assessment_rounds, index_by_round, maturity_index, quiet_bca_interval, score_table


def domain_change_table(
    assessments: pd.DataFrame,
    from_round: pd.Timestamp,
    to_round: pd.Timestamp,
    domains: Sequence[str] | pd.Index = MATURITY_DOMAINS,
) -> pd.DataFrame:
    """Long table of every authority's domain scores in two rounds and their change.

    Columns ``authority_code``, ``domain``, ``score_from``, ``score_to``, ``change``; only authority-domain
    pairs scored in both rounds.
    """
    # score_table's columns are one level (the domains), so stack gives a Series; the stubs allow a DataFrame too
    before = cast(pd.Series, score_table(assessments, from_round, domains).stack()).rename("score_from")
    after = cast(pd.Series, score_table(assessments, to_round, domains).stack()).rename("score_to")
    both = pd.concat([before, after], axis=1, join="inner").dropna()
    both.index.names = ["authority_code", "domain"]
    both = both.reset_index()
    both["change"] = both["score_to"] - both["score_from"]
    return both


def _weighted_mean(changes: np.ndarray, weights: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sum(changes * weights, axis=axis) / np.sum(weights, axis=axis)


def authority_change(
    assessments: pd.DataFrame,
    weights: pd.Series,
    authority: str,
    from_round: pd.Timestamp,
    to_round: pd.Timestamp,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> Estimate:
    """Change of one authority's index between two rounds, with a BCa bootstrap interval over domains.

    The estimate is the weighted mean of the domain changes (equal to the change of the index when every
    domain is scored in both rounds). Domains are resampled with their weights, so the interval says how
    consistent the change is across domains; it does not include the error of self-assessment.
    """
    table = domain_change_table(assessments, from_round, to_round, weights.index)
    mine = table[table["authority_code"] == authority]
    if mine.empty:
        raise ValueError(f"authority {authority!r} was not assessed in both rounds")
    changes = mine["change"].to_numpy(dtype=float)
    w = weights.reindex(mine["domain"]).to_numpy(dtype=float)
    estimate = float(_weighted_mean(changes, w))
    method = f"weighted mean of domain changes; {confidence_level:.0%} BCa bootstrap over domains"
    group = f"{authority}: {pd.Timestamp(from_round).date()} to {pd.Timestamp(to_round).date()}"
    if changes.size < 2:
        return Estimate("index_change", estimate, n=int(changes.size), method=method, group=group)
    ci = quiet_bca_interval(
        _weighted_mean, changes, w, confidence_level=confidence_level, resamples=resamples, seed=seed
    )
    return Estimate(
        "index_change",
        estimate,
        std_error=ci.standard_error,
        conf_low=ci.conf_low,
        conf_high=ci.conf_high,
        n=int(changes.size),
        method=method,
        group=group,
    )


def london_change(
    assessments: pd.DataFrame,
    weights: pd.Series,
    from_round: pd.Timestamp,
    to_round: pd.Timestamp,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> list[Estimate]:
    """London's change between two rounds: the index (paired t and BCa bootstrap) and each domain (paired t).

    Only authorities with a complete index in both rounds enter the index change; each domain uses the
    authorities that scored it in both rounds. ``n`` is the number of authorities.
    """
    label = f"{pd.Timestamp(from_round).date()} to {pd.Timestamp(to_round).date()}"
    before = maturity_index(score_table(assessments, from_round, weights.index), weights).dropna()
    after = maturity_index(score_table(assessments, to_round, weights.index), weights).dropna()
    both = before.index.intersection(after.index)
    out = []
    if len(both) >= 1:
        t = paired_mean_change(before[both].to_numpy(), after[both].to_numpy(), confidence_level=confidence_level)
        out.append(
            replace(t, term="index_change", method="mean over authorities; paired t-test", group=f"London: {label}")
        )
    if len(both) >= 2:
        diff = (after[both] - before[both]).to_numpy()
        ci = quiet_bca_interval(np.mean, diff, confidence_level=confidence_level, resamples=resamples, seed=seed)
        out.append(
            Estimate(
                "index_change",
                ci.estimate,
                std_error=ci.standard_error,
                conf_low=ci.conf_low,
                conf_high=ci.conf_high,
                n=int(diff.size),
                method=f"mean over authorities; {confidence_level:.0%} BCa bootstrap over authorities",
                group=f"London: {label}",
            )
        )
    table = domain_change_table(assessments, from_round, to_round, weights.index)
    for domain in weights.index:
        part = table[table["domain"] == domain]
        if part.empty:
            continue
        t = paired_mean_change(
            part["score_from"].to_numpy(), part["score_to"].to_numpy(), confidence_level=confidence_level
        )
        out.append(
            replace(t, term="domain_change", method="mean over authorities; paired t-test", group=f"{domain}: {label}")
        )
    return out


def _member_on(membership: pd.DataFrame, day: pd.Timestamp) -> set[str]:
    joined = pd.to_datetime(membership["joined_on"]) <= day
    left = pd.to_datetime(membership["left_on"])
    staying = left.isna() | (left > day)
    return set(membership.loc[joined & staying, "authority_code"])


def change_by_membership(
    assessments: pd.DataFrame, membership: pd.DataFrame, weights: pd.Series, *, confidence_level: float = 0.95
) -> pd.DataFrame:
    """Index change between consecutive rounds for LOTI members and non-members at the start of each interval.

    Descriptive only: authorities chose to join, so a difference between the groups is not an effect of
    membership. Columns ``interval``, ``group`` (``LOTI members``, ``Non-members``, ``Difference``),
    ``estimate`` (mean change, or members minus non-members), ``conf_low``, ``conf_high`` (t interval;
    Welch for the difference) and ``n`` (authorities; both groups' sizes for the difference as the smaller).
    """
    indices = index_by_round(assessments, weights)
    rounds = assessment_rounds(assessments)
    rows = []
    for start, end in zip(rounds[:-1], rounds[1:], strict=True):
        label = f"{pd.Timestamp(start).date()} to {pd.Timestamp(end).date()}"
        wide = (
            indices[indices["assessed_on"].isin([start, end])]
            .pivot(index="authority_code", columns="assessed_on", values="index")
            .dropna()
        )
        change = wide[end] - wide[start]
        members = _member_on(membership, pd.Timestamp(start))
        groups = {
            "LOTI members": change[change.index.isin(members)],
            "Non-members": change[~change.index.isin(members)],
        }
        for name, values in groups.items():
            x = values.to_numpy(dtype=float)
            mean = float(x.mean()) if x.size else NAN
            if x.size >= 2:
                se = float(x.std(ddof=1) / np.sqrt(x.size))
                margin = float(stats.t.ppf((1 + confidence_level) / 2, x.size - 1)) * se
            else:
                margin = NAN
            rows.append(
                {
                    "interval": label,
                    "group": name,
                    "estimate": mean,
                    "conf_low": mean - margin,
                    "conf_high": mean + margin,
                    "n": int(x.size),
                }
            )
        a, b = (g.to_numpy(dtype=float) for g in groups.values())
        if a.size >= 2 and b.size >= 2:
            welch = stats.ttest_ind(a, b, equal_var=False)
            ci = welch.confidence_interval(confidence_level)
            low, high, p = float(ci.low), float(ci.high), float(welch.pvalue)
        else:
            low = high = p = NAN
        rows.append(
            {
                "interval": label,
                "group": "Difference (members minus non-members)",
                "estimate": float(a.mean() - b.mean()) if a.size and b.size else NAN,
                "conf_low": low,
                "conf_high": high,
                "n": int(min(a.size, b.size)),
                "p_value": p,
            }
        )
    return pd.DataFrame(rows)
