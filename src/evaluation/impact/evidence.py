"""Strength of evidence: the Maryland Scientific Methods Scale, and when to claim impact.

The What Works Centre for Local Economic Growth scores evaluations on the
Maryland Scientific Methods Scale (SMS) by how well the design deals with
selection bias: whether the authorities that took part would have fared
differently anyway. Its levels, paraphrased:

1. A cross-sectional comparison of treated with untreated, or a before-after
   comparison of the treated alone, with no adjustment for other differences.
2. As level 1, but with adequate control variables or matching: for
   differences between groups (cross-section) or for wider changes over time
   (before-after).
3. Outcomes before and after for the treated, with a comparison group
   supplying the counterfactual (e.g. difference-in-differences); the choice
   of comparators is justified and their comparability evidenced.
4. Quasi-random variation in treatment is exploited (e.g. an instrument or a
   discontinuity), credibly defended, so that treated and comparison units
   differ only in their exposure.
5. Explicit randomisation into treatment and control (randomised controlled
   trial), with balance in levels and trends and attrition checked.

Evaluations without any counterfactual (monitoring, self-reported
additionality, impact modelling) are not scoreable on the scale.

Reference: Madaleno, M. & Waights, S. *Guide to scoring methods using the
Maryland Scientific Methods Scale*, What Works Centre for Local Economic
Growth; Sherman, L. W. et al. (1997) *Preventing Crime: What Works, What
Doesn't, What's Promising*, University of Maryland.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

# Adoption timing is read exactly as the estimators read it.
from evaluation.impact.did import _adoption_positions

SMS_LEVELS: dict[int, str] = {
    1: "cross-section or before-after, no adjustment for other differences",
    2: "cross-section or before-after with adequate control variables or matching",
    3: "before-after with a justified, evidenced comparison group (e.g. difference-in-differences)",
    4: "quasi-random variation in treatment exploited and defended",
    5: "explicit randomisation into treatment and control",
}

_CONTRIBUTION_ANALYSIS = (
    "Report a contribution analysis instead: set out the theory of change, track indicators "
    "against baseline and target, and weigh other explanations, without attributing the "
    "change to the project."
)


@dataclass(frozen=True)
class SmsRating:
    """A Maryland SMS level (None when the design is not scoreable) and why."""

    level: int | None
    reason: str

    @property
    def description(self) -> str:
        """The criterion of the level, or "not scoreable"."""
        return SMS_LEVELS[self.level] if self.level is not None else "not scoreable"


@dataclass(frozen=True)
class CausalReportingDecision:
    """Whether a causal estimate may be reported; ``reason`` says why (or why not)."""

    permitted: bool
    reason: str


def maryland_sms_level(
    *,
    randomised: bool = False,
    comparison_group: bool = False,
    before_and_after: bool = False,
    control_variables: bool = False,
    quasi_random_variation: bool = False,
    pre_trend_p_value: float | None = None,
    staggered_adoption: bool = False,
    heterogeneity_robust: bool = False,
    pre_trend_alpha: float = 0.10,
) -> SmsRating:
    """Maryland SMS level supported by an evaluation design.

    The workbench's reading of the What Works Centre criteria, applied in
    order:

    - **5**: treatment was ``randomised``.
    - No comparison group: a before-after comparison is **2** with
      ``control_variables`` for wider changes over time, else **1**; with
      neither a comparison group nor a before-after there is no
      counterfactual and the design is **not scoreable** (level None).
    - Comparison group without before-after (cross-section): **4** when
      ``quasi_random_variation`` (an instrument or discontinuity) is
      exploited, else **2** with ``control_variables``, else **1**.
    - Comparison group with before-after (difference-in-differences):

      - **2** if a pre-trend test rejects parallel trends
        (``pre_trend_p_value < pre_trend_alpha``): the comparison group is
        shown not to supply the counterfactual, leaving a controlled
        comparison at best;
      - **4** only if all of: adoption timing is argued to be as good as
        random (``quasi_random_variation``, e.g. roll-out order fixed by a
        schedule unrelated to the outcome), a pre-trend test was reported
        and not rejected, and, if adoption is staggered, a
        ``heterogeneity_robust`` estimator (e.g. Callaway & Sant'Anna) was
        used rather than TWFE alone;
      - **3** otherwise; the reason lists what is missing for level 4.

    A lenient ``pre_trend_alpha`` (0.10) is used because pre-trend tests have
    low power (Roth, 2022); passing one is necessary, not sufficient.

    Parameters
    ----------
    randomised : bool
        Authorities were randomly assigned to take part (or to timing).
    comparison_group : bool
        Outcomes of authorities that did not (yet) take part are used.
    before_and_after : bool
        Outcomes are observed before and after adoption.
    control_variables : bool
        Adequate control variables or matching adjust for other differences.
    quasi_random_variation : bool
        Variation in treatment (or its timing) is argued and evidenced to be
        as good as random.
    pre_trend_p_value : float, optional
        p-value of a joint pre-trend test; None if not run. With staggered
        adoption use a heterogeneity-robust one,
        :func:`~evaluation.impact.staggered.pre_trend_wald` (the leads of a
        TWFE event study absorb effects that differ between cohorts and grow
        with time, and reject parallel trends that hold).
    staggered_adoption : bool
        Authorities adopted at different times.
    heterogeneity_robust : bool
        The estimator is robust to effects varying across cohorts and time.
    pre_trend_alpha : float
        Significance level at which a pre-trend test counts as failed.

    Returns
    -------
    SmsRating
        ``level`` (1-5, or None if not scoreable) and ``reason``.

    References
    ----------
    Madaleno, M. & Waights, S. *Guide to scoring methods using the Maryland
    Scientific Methods Scale*, What Works Centre for Local Economic Growth.
    Roth, J. (2022) Pretest with caution. *AER: Insights* 4(3), 305-322.

    Examples
    --------
    >>> rating = maryland_sms_level(comparison_group=True, before_and_after=True,
    ...                             pre_trend_p_value=0.6, staggered_adoption=True,
    ...                             heterogeneity_robust=True)
    >>> rating.level
    3
    >>> rating.reason
    'difference-in-differences; level 4 would also need: adoption timing argued as good as random'
    """
    if randomised:
        return SmsRating(5, "treatment randomly assigned")
    if not comparison_group:
        if not before_and_after:
            return SmsRating(None, "no counterfactual (neither a comparison group nor a before-after comparison)")
        if control_variables:
            return SmsRating(2, "before-after of the treated with controls for wider changes")
        return SmsRating(1, "before-after of the treated only, no comparison group or controls")
    if not before_and_after:
        if quasi_random_variation:
            return SmsRating(4, "cross-section exploiting quasi-random variation in treatment")
        if control_variables:
            return SmsRating(2, "cross-sectional comparison with control variables or matching")
        return SmsRating(1, "cross-sectional comparison without adjustment")

    if pre_trend_p_value is not None and pre_trend_p_value < pre_trend_alpha:
        return SmsRating(
            2,
            f"difference-in-differences whose pre-trend test rejects parallel trends "
            f"(p = {pre_trend_p_value:.3g} < {pre_trend_alpha:g}): the comparison group does not "
            f"supply a credible counterfactual",
        )
    missing = []
    if not quasi_random_variation:
        missing.append("adoption timing argued as good as random")
    if pre_trend_p_value is None:
        missing.append("a reported pre-trend test")
    if staggered_adoption and not heterogeneity_robust:
        missing.append("a heterogeneity-robust estimator for staggered adoption")
    if missing:
        return SmsRating(3, f"difference-in-differences; level 4 would also need: {'; '.join(missing)}")
    return SmsRating(
        4,
        "difference-in-differences with as-good-as-random adoption timing, parallel pre-trends"
        + (" and a heterogeneity-robust estimator" if staggered_adoption else ""),
    )


def causal_estimate_permitted(
    panel: pd.DataFrame,
    unit: str,
    time: str,
    first_treated: str,
    *,
    control_group: Literal["never_treated", "not_yet_treated"] = "never_treated",
    min_comparison_units: int = 5,
    min_pre_periods: int = 2,
) -> CausalReportingDecision:
    """Decide whether the data support reporting a causal (DiD) estimate.

    A causal estimate is permitted only if **every** adoption cohort (the
    authorities first treated in the same period) has

    - at least ``min_comparison_units`` comparison authorities untreated in
      the cohort's adoption period: never-treated authorities, plus, with
      ``control_group="not_yet_treated"``, those adopting later; and
    - at least ``min_pre_periods`` observed periods before adoption (one is
      needed for any DiD, two or more to test pre-trends).

    With fewer comparison authorities the counterfactual rests on the
    idiosyncratic shocks of a handful of boroughs. Otherwise the reason
    names the cohorts that fall short and recommends a contribution
    analysis: set out the theory of change, track indicators against
    baseline and target (:mod:`evaluation.impact.indicators`) and weigh other
    explanations, without attributing the change to the project. (Dropping
    the cohorts that fall short and estimating for the rest is also valid,
    if reported as such.)

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel, one row per authority and period.
    unit, time : str
        Authority and numeric period columns.
    first_treated : str
        Period in which the authority first takes part, constant within the
        authority; missing for authorities that never take part.
    control_group : {"never_treated", "not_yet_treated"}
        Which authorities may serve as comparisons.
    min_comparison_units : int
        Fewest comparison authorities acceptable for each cohort.
    min_pre_periods : int
        Fewest pre-adoption periods acceptable for each cohort.

    Returns
    -------
    CausalReportingDecision
        ``permitted`` and a ``reason`` fit to quote in a report.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"la": [f"E0900000{i}" for i in range(1, 10)] * 4,
    ...                       "quarter": [q for q in range(1, 5) for _ in range(9)]})
    >>> panel["joined"] = panel["la"].map({"E09000001": 3, "E09000002": 3})
    >>> decision = causal_estimate_permitted(panel, "la", "quarter", "joined")
    >>> decision.permitted
    True
    >>> causal_estimate_permitted(panel, "la", "quarter", "joined",
    ...                           min_comparison_units=8).permitted
    False
    """
    if control_group not in ("never_treated", "not_yet_treated"):
        raise ValueError("control_group must be 'never_treated' or 'not_yet_treated'")
    absent = [c for c in (unit, time, first_treated) if c not in panel.columns]
    if absent:
        raise KeyError(f"panel has no column(s) {absent}")
    periods, adoption = _adoption_positions(panel, unit, time, first_treated)
    cohorts = np.unique(adoption.dropna()).astype(int)
    if len(cohorts) == 0:
        return CausalReportingDecision(
            False,
            "no authority adopts the project within the observed periods, so there is no "
            "effect to estimate. " + _CONTRIBUTION_ANALYSIS,
        )
    never = int(adoption.isna().sum())
    shortfalls = []
    for cohort in cohorts:
        pool = never + (int((adoption > cohort).sum()) if control_group == "not_yet_treated" else 0)
        label = f"cohort adopting in period {periods[cohort]:g}"
        if pool < min_comparison_units:
            shortfalls.append(f"{label} has {pool} comparison authorities (at least {min_comparison_units} needed)")
        if cohort < min_pre_periods:
            shortfalls.append(f"{label} has {cohort} pre-adoption periods (at least {min_pre_periods} needed)")
    if shortfalls:
        return CausalReportingDecision(
            False,
            f"a causal estimate should not be reported: {'; '.join(shortfalls)}. " + _CONTRIBUTION_ANALYSIS,
        )
    comparison = "never-treated" if control_group == "never_treated" else "never- or not-yet-treated"
    return CausalReportingDecision(
        True,
        ("the single adoption cohort has" if len(cohorts) == 1 else f"each of the {len(cohorts)} adoption cohorts has")
        + f" at least {min_comparison_units} "
        f"{comparison} comparison authorities and {min_pre_periods} pre-adoption periods "
        f"({never} authorities never adopt)",
    )
