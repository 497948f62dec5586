"""Leadership cohorts: scale scores, paired change, ratings, completion and applications.

The programme's measures of success: (1) change in self-reported confidence
and competence (and application); (2) evidence that new approaches were
applied at work; (3) participants' ratings of quality, relevance,
effectiveness and applicability; (4) open content reused by others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..coverage import coverage_note
from ..statistics.disclosure import DEFAULT_THRESHOLD, people_text, suppress_counts
from ..statistics.paired import (
    CompletePairs,
    cohens_dz,
    complete_pairs,
    hodges_lehmann,
    paired_mean_change,
    rank_biserial,
    wilcoxon_signed_rank,
)
from ..statistics.scales import cronbach_alpha, mcdonald_omega, reverse_code, scale_scores
from ..tidy import Estimate

OUTCOMES = ("confidence", "competence", "application")
#: Largest number of raters for which a mean rating counts as one cohort's (cohorts have 5-9 people).
COHORT_RATERS = 9
RATINGS = ("quality", "relevance", "effectiveness", "applicability")
WAVE_PAIRS: dict[str, tuple[str, str]] = {
    "baseline-endpoint": ("baseline", "endpoint"),
    "baseline-follow-up": ("baseline", "follow-up"),
    "endpoint-follow-up": ("endpoint", "follow-up"),
}


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


def construct_scores(responses: pd.DataFrame, instrument: pd.DataFrame, constructs: tuple[str, ...] = OUTCOMES,
                     min_answered: float = 0.5) -> pd.DataFrame:
    """Long scale scores: ``participant, wave, construct, score`` (half rule for missing items)."""
    frames = []
    for construct in constructs:
        wide = item_matrix(responses, instrument, construct)
        score = scale_scores(wide, min_answered=min_answered)
        frames.append(pd.DataFrame({"participant": score.index.get_level_values("respondent"),
                                    "wave": score.index.get_level_values("wave"),
                                    "construct": construct, "score": score.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def reliability(responses: pd.DataFrame, instrument: pd.DataFrame, construct: str, wave: str) -> list[Estimate]:
    """Cronbach's alpha (with Feldt CI) and McDonald's omega of a construct's items at one wave."""
    wide = item_matrix(responses, instrument, construct)
    at_wave = wide.xs(wave, level="wave") if wave in wide.index.get_level_values("wave") else wide.iloc[0:0]
    group = f"{construct} ({wave})"
    return [cronbach_alpha(at_wave).with_context(group=group), mcdonald_omega(at_wave).with_context(group=group)]


@dataclass(frozen=True)
class PairedChange:
    """Every paired statistic of one construct between two waves, and who could not be paired."""

    construct: str
    pairs: CompletePairs
    estimates: list[Estimate]


def paired_change(scores: pd.DataFrame, construct: str, from_wave: str, to_wave: str, *,
                  confidence_level: float = 0.95, resamples: int = 2000, seed: int = 0) -> PairedChange:
    """Mean change (t), exact Wilcoxon, Hodges-Lehmann, d_z and rank-biserial for participants with both waves."""
    mine = scores[scores["construct"] == construct]
    pairs = complete_pairs(mine, baseline=from_wave, endpoint=to_wave)
    pre, post = pairs.pre, pairs.post
    estimates = [
        paired_mean_change(pre, post, confidence_level=confidence_level),
        wilcoxon_signed_rank(pre, post),
        hodges_lehmann(pre, post, confidence_level=confidence_level),
        cohens_dz(pre, post, confidence_level=confidence_level),
        rank_biserial(pre, post, confidence_level=confidence_level, n_resamples=resamples, seed=seed),
    ]
    group = f"{construct}: {from_wave} to {to_wave}"
    return PairedChange(construct, pairs, [e.with_context(group=group) for e in estimates])


def exclusions_table(changes: list[PairedChange]) -> pd.DataFrame:
    """How many participants each paired analysis covers and why the others are excluded."""
    return pd.DataFrame([{"construct": c.construct, "paired": c.pairs.n,
                          "missing baseline": c.pairs.missing_baseline, "missing endpoint": c.pairs.missing_endpoint,
                          "missing both": c.pairs.missing_both} for c in changes])


def rating_estimates(scores: pd.DataFrame, wave: str = "endpoint", confidence_level: float = 0.95
                     ) -> list[Estimate]:
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
        out.append(Estimate(f"mean_rating_{construct}", mean, std_error=se, conf_low=mean - half,
                            conf_high=mean + half, n=n, method="mean with t interval" + note,
                            group=f"{construct} ({wave})"))
    return out


def completion_counts(participants: pd.DataFrame, by: str = "cohort_id", k: int = 5) -> pd.DataFrame:
    """Enrolled, completed, withdrawn and still active by group, with small cells suppressed (``[c]``)."""
    status = np.select([participants["completed_on"].notna(), participants["withdrawn_on"].notna()],
                       ["completed", "withdrawn"], default="active")
    table = pd.crosstab(participants[by], pd.Series(status, index=participants.index, name="status"))
    table = table.reindex(columns=["completed", "withdrawn", "active"], fill_value=0)
    return suppress_counts(table, k=k).formatted().reset_index()


def attendance_rate(attendance: pd.DataFrame) -> pd.DataFrame:
    """Share of enrolled participants attending each session (``n`` = people on the register)."""
    grouped = attendance.groupby("session")["attended"]
    return pd.DataFrame({"session": grouped.mean().index, "attendance_rate": grouped.mean().to_numpy(),
                         "n": grouped.size().to_numpy()})


def applications_by_type(applications: pd.DataFrame, participants: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """People reporting each kind of application at work, with small counts suppressed."""
    mine = applications[applications["participant_id"].isin(participants["participant_id"])]
    people = mine.groupby("application_type")["participant_id"].nunique().rename("people")
    table = people.to_frame()
    return suppress_counts(table, k=k).formatted().reset_index()


def describe_change(estimate: Estimate, construct: str, scale: str = "1-5 scale", *, period: str = "",
                    counted: str = "{n} participants with both surveys",
                    missing: str = "too few participants with both surveys", confidence_level: float = 0.95,
                    people: str | None = None, k: int = DEFAULT_THRESHOLD) -> str:
    """One plain-English sentence for a change, its interval and whether the interval excludes no change.

    ``period`` (e.g. "from baseline to endpoint") follows the scale; ``counted`` says who the estimate is
    about (``{n}`` is replaced by ``people``, else by ``estimate.n``); ``missing`` says why an unreported change
    is missing. Pass ``people=run.people(n, population)`` (:meth:`evaluation.run.contract.Run.people`) so the
    count is checked against its population's total. An estimate whose ``n`` was suppressed (0, as
    :func:`~evaluation.analyses.programme.reporting.row_estimate` gives it) but which is itself published
    comes from at least ``k`` people: its count is written "``k`` or more", never 0.
    """
    if np.isnan(estimate.estimate):
        return f"{construct.capitalize()}: not reported ({missing})."
    direction = "rose" if estimate.estimate > 0 else "fell" if estimate.estimate < 0 else "did not change"
    interval = f"{round(100 * confidence_level)}% interval {estimate.conf_low:+.2f} to {estimate.conf_high:+.2f}"
    # "No change", not "no effect": a before-and-after comparison without a control group shows change only.
    verdict = ("the interval excludes no change" if estimate.conf_low > 0 or estimate.conf_high < 0
               else "the interval includes no change, so the data cannot rule out no change")
    during = f" {period}" if period else ""
    return (f"{construct.capitalize()} {direction} by {abs(estimate.estimate):.2f} points on the {scale}{during} "
            f"({interval}; {counted.format(n=people or people_text(estimate.n or None, k))}): {verdict}.")
