"""Plain sentences on one estimate: its interval, a change and the strength of evidence for it.

Shared by the cohort and programme reports (:mod:`evaluation.analyses.programme`). Numbers follow the report's
rules (:mod:`evaluation.presentation.numbers`); counts of people are marked with
:func:`evaluation.presentation.people` for the run's disclosure audit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ...coverage import quoted_coverage
from ...presentation import numbers, people
from ...tidy import Estimate


def describe_interval(
    estimate: Estimate, what: str, *, shown: Callable[[float], str] = numbers.score, confidence_level: float = 0.95
) -> str:
    """One plain phrase: ``what``, the estimate and its interval, or that it is not reported.

    ``shown`` formats the estimate and both ends by the report's number rules
    (:mod:`evaluation.presentation.numbers`: ``score`` for scale points, ``percent`` for a proportion,
    ``money`` for pounds). When the coverage study measured this kind of interval short of 93% (a note in
    ``method``, :func:`evaluation.coverage.coverage_note`), the measured coverage is given beside it.

    Examples
    --------
    >>> describe_interval(Estimate("x", 2083.3, conf_low=1900, conf_high=2300), "Cost per participant",
    ...                   shown=numbers.money)
    'Cost per participant: £2,083 (95% interval £1,900 to £2,300)'
    >>> describe_interval(Estimate("r", 0.25, conf_low=0.1, conf_high=0.5), "Drop-out", shown=numbers.percent)
    'Drop-out: 25% (95% interval 10% to 50%)'
    >>> describe_interval(Estimate("x", float("nan")), "Mean rating")
    'Mean rating: not reported (too few people, or not estimable)'
    """
    if numbers.is_missing(estimate.estimate):
        return f"{what}: not reported (too few people, or not estimable)"
    interval = numbers.interval(estimate.conf_low, estimate.conf_high, shown, confidence_level=confidence_level)
    interval = f" ({interval}{quoted_coverage(estimate.method)})" if interval else ""
    return f"{what}: {shown(estimate.estimate)}{interval}"


def describe_change(
    estimate: Estimate,
    construct: str,
    scale: str = "1-5 scale",
    *,
    population: str,
    period: str = "",
    counted: str = "{n} participants with both surveys",
    missing: str = "too few participants with both surveys",
    confidence_level: float = 0.95,
) -> str:
    """One plain-English sentence for a change, its interval and whether the interval excludes no change.

    ``population`` names whom the count is about (e.g. "cohort C1"), for the run's disclosure audit;
    ``period`` (e.g. "from baseline to endpoint") follows the scale; ``counted`` says who the estimate is
    about (``{n}`` is replaced by ``estimate.n``, marked with :func:`evaluation.presentation.people`);
    ``missing`` says why an unreported change is missing. Numbers follow the report's rules (2 d.p.).

    Examples
    --------
    >>> up = Estimate("mean_change", 0.42, conf_low=0.1, conf_high=0.74, n=8)
    >>> print(describe_change(up, "confidence", population="cohort C1"))  # doctest: +NORMALIZE_WHITESPACE
    Confidence rose by 0.42 points on the 1-5 scale (95% interval +0.10 to +0.74;
    <span data-people="cohort C1">8</span> participants with both surveys): the interval excludes no change.
    """
    if numbers.is_missing(estimate.estimate):
        return f"{construct.capitalize()}: not reported ({missing})."
    direction = "rose" if estimate.estimate > 0 else "fell" if estimate.estimate < 0 else "did not change"
    interval = (
        numbers.interval(
            estimate.conf_low,
            estimate.conf_high,
            partial(numbers.score, signed=True),
            confidence_level=confidence_level,
        )
        or "no interval could be computed"
    )
    # "No change", not "no effect": a before-and-after comparison without a control group shows change only.
    verdict = (
        "without an interval the data cannot say whether it differs from no change"
        if numbers.is_missing(estimate.conf_low) or numbers.is_missing(estimate.conf_high)
        else "the interval excludes no change"
        if estimate.conf_low > 0 or estimate.conf_high < 0
        else "the interval includes no change, so the data cannot rule out no change"
    )
    during = f" {period}" if period else ""
    return (
        f"{construct.capitalize()} {direction} by {numbers.score(abs(estimate.estimate))} points on the "
        f"{scale}{during} ({interval}; {counted.format(n=people(estimate.n or None, population))}): {verdict}."
    )


def change_evidence(estimate: Estimate, population: str) -> str:
    """The strength of evidence of a before-and-after change, for the summary.

    Examples
    --------
    >>> change_evidence(Estimate("mean_change", 0.5, conf_low=0.1, conf_high=0.9, n=6), "cohort C1")[:52]
    'Moderate for a change among these participants (the '
    """
    if numbers.is_missing(estimate.estimate):
        return "None: too few people answered both surveys to report a change."
    if numbers.is_missing(estimate.conf_low) or numbers.is_missing(estimate.conf_high):
        strength = "Weak: no interval could be computed"
    elif estimate.conf_low > 0 or estimate.conf_high < 0:
        strength = "Moderate for a change among these participants (the interval excludes no change)"
    else:
        strength = "Weak: the interval includes no change"
    return (
        f"{strength}; {people(estimate.n or None, population)} people, self-reported, before and after without a "
        "comparison group, so not evidence that the programme caused the change."
    )
