"""An authority's maturity against London: its domain scores and index against London's spread.

The default view of the report: an authority's score in each domain and its index against the London median,
the middle half of London (25th to 75th percentile) and the London mean with a BCa bootstrap interval. No
league table of named authorities is produced here (:func:`~.sensitivity.league_table`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...tidy import NAN, Estimate
from .scores import INDEX, maturity_index, quiet_bca_interval


def _position(value: float, q1: float, q3: float) -> str:
    if np.isnan(value):
        return "not scored"
    if value > q3:
        return "above the middle half of London"
    if value < q1:
        return "below the middle half of London"
    return "within the middle half of London"


def london_summary(
    scores: pd.DataFrame,
    weights: pd.Series,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> pd.DataFrame:
    """London in one round: per domain and for the index, mean (BCa interval), median, quartiles, authorities.

    Columns ``measure`` (a domain or :data:`INDEX`), ``london_mean``, ``mean_low``, ``mean_high``,
    ``london_median``, ``london_q1``, ``london_q3`` and ``authorities`` (how many scored it). The interval
    treats London's authorities as a sample of how authorities like them score, so it shows how precisely
    the mean is known given the spread between authorities.
    """
    columns = {**{d: scores[d] for d in scores.columns}, INDEX: maturity_index(scores, weights)}
    rows = []
    for measure, values in columns.items():
        x = values.dropna().to_numpy(dtype=float)
        if x.size >= 2:
            ci = quiet_bca_interval(np.mean, x, confidence_level=confidence_level, resamples=resamples, seed=seed)
            low, high = ci.conf_low, ci.conf_high
        else:
            low = high = NAN
        rows.append(
            {
                "measure": measure,
                "london_mean": float(x.mean()) if x.size else NAN,
                "mean_low": low,
                "mean_high": high,
                "london_median": float(np.median(x)) if x.size else NAN,
                "london_q1": float(np.quantile(x, 0.25)) if x.size else NAN,
                "london_q3": float(np.quantile(x, 0.75)) if x.size else NAN,
                "authorities": int(x.size),
            }
        )
    return pd.DataFrame(rows)


def summary_estimates(summary: pd.DataFrame, round_label: str, confidence_level: float = 0.95) -> list[Estimate]:
    """Tidy rows of :func:`london_summary`: London's mean of each domain and of the index in one round."""
    return [
        Estimate(
            "london_mean",
            float(r["london_mean"]),
            conf_low=float(r["mean_low"]),
            conf_high=float(r["mean_high"]),
            n=int(r["authorities"]),
            group=f"{r['measure']}: {round_label}",
            method=f"mean over authorities; {confidence_level:.0%} BCa bootstrap over authorities",
        )
        for r in summary.to_dict("records")
    ]


def london_comparison(
    scores: pd.DataFrame,
    weights: pd.Series,
    authority: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> pd.DataFrame:
    """One authority against London in one round, per domain and for the index.

    London is every authority assessed in the round, this one included. Adds to :func:`london_summary`
    the ``authority_code``, the authority's ``score``, ``difference`` from the London mean with its
    interval (``difference_low``, ``difference_high``: the score minus the London mean's interval) and
    ``position`` relative to the middle half of London (25th to 75th percentile).
    """
    if authority not in scores.index:
        raise ValueError(f"authority {authority!r} has no assessment in this round")
    summary = london_summary(scores, weights, confidence_level=confidence_level, resamples=resamples, seed=seed)
    own = {**scores.loc[authority].to_dict(), INDEX: float(maturity_index(scores.loc[[authority]], weights).iloc[0])}
    summary.insert(0, "authority_code", authority)
    summary.insert(2, "score", summary["measure"].map(own).astype(float))
    summary["difference"] = summary["score"] - summary["london_mean"]
    summary["difference_low"] = summary["score"] - summary["mean_high"]
    summary["difference_high"] = summary["score"] - summary["mean_low"]
    summary["position"] = [
        _position(v, q1, q3)
        for v, q1, q3 in zip(summary["score"], summary["london_q1"], summary["london_q3"], strict=True)
    ]
    return summary


def comparison_estimates(comparison: pd.DataFrame, confidence_level: float = 0.95) -> list[Estimate]:
    """Tidy rows of :func:`london_comparison`: the authority's difference from the London mean, per measure."""
    return [
        Estimate(
            "difference_from_london_mean",
            float(r["difference"]),
            conf_low=float(r["difference_low"]),
            conf_high=float(r["difference_high"]),
            n=int(r["authorities"]),
            group=f"{r['authority_code']}: {r['measure']}",
            method=f"score minus London mean; {confidence_level:.0%} BCa bootstrap interval of the mean "
            "over authorities",
        )
        for r in comparison.to_dict("records")
    ]
