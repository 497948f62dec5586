"""A cohort's scale scores, their reliability and the mean ratings of the programme.

Items are turned round where reverse-coded and averaged into a construct's score with the half rule
(:func:`~evaluation.statistics.scales.scale_scores`); reliability is Cronbach's alpha with its Feldt interval
and McDonald's omega; ratings are means on the 1-5 scale with a t interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ...coverage import coverage_note
from ...schemas.programme import OUTCOMES
from ...statistics.scales import cronbach_alpha, mcdonald_omega, reverse_code, scale_scores
from ...tidy import Estimate

#: Largest number of raters for which a mean rating counts as one cohort's (cohorts have 5-9 people).
COHORT_RATERS = 9


def item_matrix(responses: pd.DataFrame, instrument: pd.DataFrame, construct: str) -> pd.DataFrame:
    """Respondents x items of one construct (one row per respondent and wave), reverse-coded items turned round."""
    items = instrument[instrument["construct"] == construct]
    if items.empty:
        raise ValueError(f"no instrument items measure '{construct}'")
    mine = responses[responses["item_id"].isin(items["item_id"])]
    wide = mine.pivot_table(index=["respondent", "wave"], columns="item_id", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(items["item_id"]))
    reversed_items = [i for i in items.loc[items["reverse_coded"].astype(bool), "item_id"] if i in wide]
    if reversed_items:
        low, high = int(items["scale_min"].min()), int(items["scale_max"].max())
        wide = reverse_code(wide, reversed_items, scale_min=low, scale_max=high)
    return wide


def construct_scores(
    responses: pd.DataFrame, instrument: pd.DataFrame, constructs: tuple[str, ...] = OUTCOMES, min_answered: float = 0.5
) -> pd.DataFrame:
    """Long scale scores: ``participant, wave, construct, score`` (half rule for missing items)."""
    frames = []
    for construct in constructs:
        wide = item_matrix(responses, instrument, construct)
        score = scale_scores(wide, min_answered=min_answered)
        frames.append(
            pd.DataFrame(
                {
                    "participant": score.index.get_level_values("respondent"),
                    "wave": score.index.get_level_values("wave"),
                    "construct": construct,
                    "score": score.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def reliability(responses: pd.DataFrame, instrument: pd.DataFrame, construct: str, wave: str) -> list[Estimate]:
    """Cronbach's alpha (with Feldt CI) and McDonald's omega of a construct's items at one wave."""
    wide = item_matrix(responses, instrument, construct)
    at_wave = wide[wide.index.get_level_values("wave") == wave].droplevel("wave")  # empty if nobody answered
    group = f"{construct} ({wave})"
    return [cronbach_alpha(at_wave).with_context(group=group), mcdonald_omega(at_wave).with_context(group=group)]


def multi_item_reliability(
    responses: pd.DataFrame, instrument: pd.DataFrame, wave: str, constructs: tuple[str, ...] = OUTCOMES
) -> list[Estimate]:
    """:func:`reliability` of each construct measured by 3 or more items (alpha needs 3+ items)."""
    return [
        estimate
        for c in constructs
        if (instrument["construct"] == c).sum() >= 3
        for estimate in reliability(responses, instrument, c, wave)
    ]


def rating_estimates(scores: pd.DataFrame, wave: str = "endpoint", confidence_level: float = 0.95) -> list[Estimate]:
    """Mean rating (1-5) of each programme-quality construct at a wave, with a t interval."""
    out = []
    for construct, group in scores[scores["wave"] == wave].groupby("construct", sort=False):
        values = group["score"].dropna().to_numpy()
        n = values.size
        mean = float(values.mean()) if n else np.nan
        se = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
        half = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1) * se) if n > 1 else np.nan
        # With a cohort's handful of raters near the ceiling the t interval falls short: say by how much.
        note = coverage_note("rating_cohort") if n <= COHORT_RATERS else ""
        out.append(
            Estimate(
                f"mean_rating_{construct}",
                mean,
                std_error=se,
                conf_low=mean - half,
                conf_high=mean + half,
                n=n,
                method="mean with t interval" + note,
                group=f"{construct} ({wave})",
            )
        )
    return out
