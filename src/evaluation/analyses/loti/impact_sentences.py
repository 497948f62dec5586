"""A LOTI project's impact in plain English: effects, trends, the contribution analysis and the findings.

Every sentence says what kind of evidence it rests on: an effect only where a causal estimate is permitted
(:func:`~evaluation.impact.evidence.causal_estimate_permitted`), otherwise a description of what happened and
no causal claim. Numbers follow :mod:`evaluation.presentation.numbers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...impact.evidence import CausalReportingDecision
from ...presentation import numbers
from ...tidy import Estimate
from .indicator_tracking import unit_phrase

if TYPE_CHECKING:
    from .project_impact import ImpactResult


def _twfe_verdict(twfe: Estimate, head: Estimate, gap: float, cohorts: int) -> str:
    """How the static TWFE estimate relates to the headline, as the end of a sentence."""
    if cohorts > 1 and abs(gap) > 0.05 * max(abs(head.estimate), 1e-9):
        return (
            f", {numbers.score(abs(gap))} {'below' if gap < 0 else 'above'} the headline: with staggered adoption "
            "and effects that change over time TWFE also compares later adopters with earlier ones, whose "
            "outcomes are still moving, and can be biased, so the headline is preferred."
        )
    if twfe.conf_low <= head.conf_high and head.conf_low <= twfe.conf_high:
        return "; its interval overlaps the headline's, so the two agree within sampling error."
    return (
        "; it differs from the headline beyond sampling error: TWFE compares with the average of all periods "
        "before joining, Callaway-Sant'Anna with the period just before, so look for changes just before "
        "joining or trends that are not parallel."
    )


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def _ci(estimate: Estimate, digits: int = 2, alpha: float = 0.05) -> str:
    """``95% interval 5.90 to 7.10`` (``not available`` when an end is missing)."""
    text = numbers.interval(
        estimate.conf_low, estimate.conf_high, lambda v: numbers.score(v, digits=digits), confidence_level=1 - alpha
    )
    return text or f"{round(100 * (1 - alpha))}% interval not available"


def describe_effect(estimate: Estimate, *, indicator_name: str, unit: str, direction: str, alpha: float = 0.05) -> str:
    """One sentence: the effect of taking part, its interval and what it means.

    Examples
    --------
    >>> e = Estimate("att", 6.5, conf_low=5.9, conf_high=7.1, n=33)
    >>> describe_effect(e, indicator_name="Sites connected", unit="%", direction="higher_is_better")[:104]
    'Taking part raised sites connected by 6.50 percentage points on average (95% interval 5.90 to 7.10): the'
    """
    if estimate is None or not np.isfinite(estimate.estimate):
        return f"No effect on {indicator_name.lower()} could be estimated."
    moved = "raised" if estimate.estimate > 0 else "lowered" if estimate.estimate < 0 else "did not change"
    better = (estimate.estimate > 0) == (direction == "higher_is_better")
    excludes_zero = estimate.conf_low > 0 or estimate.conf_high < 0
    meaning = (
        f"the interval excludes zero, so the indicator {'improved' if better else 'worsened'} because of "
        "the project, if parallel trends hold"
        if excludes_zero
        else "the interval includes zero, so the data cannot distinguish the effect from no effect"
    )
    amount = numbers.score(abs(estimate.estimate))
    return (
        f"Taking part {moved} {indicator_name.lower()} by {amount} {unit_phrase(unit)} "
        f"on average ({_ci(estimate, alpha=alpha)}): {meaning}."
    )


def describe_trend(
    estimate: Estimate, *, indicator_name: str, unit: str, per: str = "month", alpha: float = 0.05
) -> str:
    """One sentence on a descriptive trend, saying plainly that it is not an effect."""
    if not np.isfinite(estimate.estimate):
        return f"There are too few observations to describe the trend of {indicator_name.lower()}."
    direction = "rose" if estimate.estimate > 0 else "fell"
    amount = numbers.score(abs(estimate.estimate), digits=3)
    return (
        f"Among participants, {indicator_name.lower()} {direction} by {amount} "
        f"{unit_phrase(unit)} a {per} on average ({_ci(estimate, 3, alpha)}): a description of what happened, "
        "not an effect of the project."
    )


def contribution_narrative(
    panel: pd.DataFrame,
    *,
    decision: CausalReportingDecision,
    trend: Estimate,
    indicator_name: str,
    unit: str,
    logic: pd.DataFrame | None = None,
    per: str = "month",
) -> str:
    """The contribution analysis reported when a causal estimate is not permitted (no causal claim).

    States why no causal estimate is reported, what participants' indicator did (descriptive),
    what the logic model expected and assumed, and which other explanations must be weighed.
    """
    participants = panel[panel["participant"]]
    lines = [f"**No causal claim is made** for {indicator_name.lower()}. Reason: {decision.reason}"]
    if not participants.empty:
        by_period = participants.groupby("period")["value"].mean()
        first, last = by_period.index.min(), by_period.index.max()
        lines.append(
            f"What the data show: across the {numbers.count(participants['authority_code'].nunique())} participating "
            f"authorities observed, the mean was {numbers.score(by_period.loc[first])} {unit} in {first:%B %Y} and "
            f"{numbers.score(by_period.loc[last])} {unit} in {last:%B %Y}. "
            + describe_trend(trend, indicator_name=indicator_name, unit=unit, per=per)
        )
    if logic is not None:
        text = dict(zip(logic["stage"], logic["description"], strict=True))
        lines.append(
            f"The logic model expects: {text.get('Outcomes', '(not recorded)')} "
            f"It assumes: {text.get('Assumptions', '(not recorded)')}"
        )
    lines.append(
        "To judge the project's contribution, weigh this against other explanations (London-wide or national "
        "trends, other programmes, changes in how the indicator is recorded), test each step of the logic model "
        "with evidence from participants (interviews, case studies, documents), and plan a comparison group "
        "(authorities not yet taking part, observed before and after) for the next round."
    )
    return "\n\n".join(lines)


def impact_narrative(
    result: ImpactResult,
    *,
    participants: int,
    treated: int,
    comparison: int,
    cohorts: int,
    control_group: str,
    alpha: float = 0.05,
    per: str = "month",
) -> str:
    """Plain-English findings of a permitted impact analysis, one sentence per finding."""
    head = result.headline
    if head is None:
        raise ValueError(
            f"{result.indicator_id}: no causal estimate is permitted; describe it by contribution_narrative"
        )
    twfe = next((e for e in result.causal if e.term == "att_twfe"), None)
    wild = next((e for e in result.causal if e.term == "att_twfe_wild_bootstrap"), None)
    permuted = next((e for e in result.causal if e.term == "att_twfe_randomisation"), None)
    wald = result.pre_trend[0] if result.pre_trend else None
    twfe_wald = next((e for e in result.event_study if e.term == "pre_trend_wald"), None)
    controls = "never-treated" if control_group == "never_treated" else "not-yet-treated (and never-treated)"
    lines = [
        f"Design: {numbers.count(treated)} participating authorities in {numbers.count(cohorts)} adoption cohort(s) "
        f"against {controls} comparison authorities ({numbers.count(comparison)} never take part), before and after "
        f"joining (difference-in-differences). {_sentence(result.decision.reason)}",
        "Headline (Callaway-Sant'Anna, robust to staggered adoption): "
        + describe_effect(
            head, indicator_name=result.indicator_name, unit=result.unit, direction=result.direction, alpha=alpha
        ),
    ]
    if twfe is not None:
        gap = twfe.estimate - head.estimate
        tests = [
            f"wild cluster bootstrap {numbers.p_phrase(wild.p_value)}" if wild else "",
            f"randomisation inference {numbers.p_phrase(permuted.p_value)}" if permuted else "",
        ]
        lines.append(
            f"The static two-way fixed effects estimate is {numbers.score(twfe.estimate)} {unit_phrase(result.unit)} "
            f"({'; '.join([_ci(twfe, alpha=alpha), *[t for t in tests if t]])})"
            + _twfe_verdict(twfe, head, gap, cohorts)
        )
    if wald is not None:
        verdict = (
            "no evidence against parallel trends before joining (which does not prove them)"
            if wald.p_value >= 0.10
            else "evidence that trends differed before joining: treat the estimate with caution"
        )
        lines.append(
            f"Pre-trend test (joint F test of the Callaway-Sant'Anna effects before joining, the test behind "
            f"the rating): F = {numbers.score(wald.statistic)}, {numbers.p_phrase(wald.p_value)}: {verdict}."
        )
    if twfe_wald is not None:
        lines.append(
            f"As a diagnostic only, the two-way fixed effects event study's leads give F = "
            f"{numbers.score(twfe_wald.statistic)}, {numbers.p_phrase(twfe_wald.p_value)}; with staggered "
            "joining and effects that grow with time its leads also absorb effects after joining, so it does "
            "not gate the rating."
        )
    naive = next((e for e in result.descriptive if e.term == "naive_post_comparison"), None)
    if naive is not None and np.isfinite(naive.estimate):
        lines.append(
            f"For contrast, simply comparing participants after joining with non-participants gives "
            f"{numbers.score(naive.estimate, signed=True)} {unit_phrase(result.unit)} ({_ci(naive, alpha=alpha)}); "
            "that gap includes "
            "differences that existed before the project and is not an effect."
        )
    level = "not scoreable" if result.sms.level is None else f"level {result.sms.level} of 5"
    lines.append(f"Strength of evidence: Maryland Scientific Methods Scale {level} ({result.sms.reason}).")
    return "\n\n".join(lines)
