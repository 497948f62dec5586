"""Power and sample size for paired (before/after) comparisons of one group.

A cohort's change from baseline to endpoint is tested with a paired t-test on
within-person differences, so everything here is in terms of those differences:

* ``change`` -- the mean within-person change, in scale points;
* ``sd_change`` -- the standard deviation of the within-person differences
  (observed, e.g. from an earlier cohort), **not** the SD of the scores. If only
  the score SD :math:`\\sigma` and the baseline-endpoint correlation :math:`r` are
  known, :math:`\\mathrm{sd\\_change} = \\sigma\\sqrt{2(1 - r)}`;
* the standardised effect :math:`d_z = \\mathrm{change} / \\mathrm{sd\\_change}`
  (Cohen, 1988, section 2.3.5), the "effect size dz" of G*Power's matched-pairs test.

Calculations use :class:`statsmodels.stats.power.TTestPower` (exact noncentral t,
two-sided).
"""

from __future__ import annotations

import math

from statsmodels.stats.power import TTestPower

__all__ = [
    "cohorts_needed",
    "paired_minimum_detectable_change",
    "paired_power",
    "paired_sample_size",
]

# Below two pairs a paired t-test has no degrees of freedom.
_MINIMUM_PAIRS = 2


def paired_sample_size(change: float, sd_change: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Participants with both waves needed to detect a mean change.

    Smallest :math:`n` with
    :math:`P(|T| > t_{1-\\alpha/2,\\,n-1}) \\ge 1 - \\beta`, where
    :math:`T \\sim t_{n-1}(\\delta)` is noncentral t with
    :math:`\\delta = d_z\\sqrt{n}` and :math:`d_z = \\mathrm{change}/\\mathrm{sd\\_change}`.

    Parameters
    ----------
    change : float
        Mean within-person change to detect, in scale points (sign ignored).
    sd_change : float
        SD of the within-person differences, in scale points.
    alpha : float
        Two-sided significance level.
    power : float
        Target power :math:`1 - \\beta`.

    Returns
    -------
    int
        Number of complete pairs, rounded up (at least 2).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*
    (2nd ed.), ch. 2. Faul, F. et al. (2007). G*Power 3. *Behavior Research
    Methods*, 39, 175-191: for :math:`d_z = 0.5`, alpha 0.05, power 0.8 it
    reports a total sample size of 34.

    Examples
    --------
    >>> paired_sample_size(change=0.5, sd_change=1.0)
    34
    """
    _check_probabilities(alpha=alpha, power=power)
    effect = _standardised_change(change, sd_change)
    if effect == 0:
        raise ValueError("change must be non-zero: no sample detects a zero change")
    analysis = TTestPower()

    def achieved(pairs: int) -> float:
        return analysis.power(effect_size=effect, nobs=pairs, alpha=alpha, alternative="two-sided")

    if achieved(_MINIMUM_PAIRS) >= power:  # the root lies below 2, where the solver fails
        return _MINIMUM_PAIRS
    root = analysis.solve_power(effect_size=effect, alpha=alpha, power=power, alternative="two-sided")
    if not math.isfinite(root):
        raise RuntimeError(f"no sample size found for d_z={effect:.4g}, power={power}")
    n = math.ceil(root)
    # The root finder stops within a tolerance, which can leave n one off.
    while n > _MINIMUM_PAIRS and achieved(n - 1) >= power:
        n -= 1
    while achieved(n) < power:
        n += 1
    return n


def paired_minimum_detectable_change(n: int, sd_change: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest mean change, in scale points, that ``n`` pairs detect with the given power.

    Solves :math:`P(|T| > t_{1-\\alpha/2,\\,n-1}) = 1 - \\beta` for :math:`d_z`
    (with :math:`T \\sim t_{n-1}(d_z\\sqrt{n})`) and returns
    :math:`d_z \\cdot \\mathrm{sd\\_change}`.

    Parameters
    ----------
    n : int
        Participants with both waves (at least 2).
    sd_change : float
        SD of the within-person differences, in scale points.
    alpha : float
        Two-sided significance level.
    power : float
        Target power.

    Returns
    -------
    float
        Minimum detectable change (positive), in the units of ``sd_change``.

    References
    ----------
    Bloom, H. S. (1995). Minimum detectable effects: a simple way to report the
    statistical power of experimental designs. *Evaluation Review*, 19(5), 547-556.

    Examples
    --------
    >>> round(paired_minimum_detectable_change(n=8, sd_change=0.6), 2)
    0.69
    """
    _check_probabilities(alpha=alpha, power=power)
    _check_pairs(n)
    _standardised_change(1.0, sd_change)
    effect = TTestPower().solve_power(nobs=n, alpha=alpha, power=power, alternative="two-sided")
    return float(effect) * sd_change


def paired_power(n: int, change: float, sd_change: float, alpha: float = 0.05) -> float:
    """Power of a two-sided paired t-test with ``n`` pairs.

    .. math::

        1 - \\beta = P(T > t_{1-\\alpha/2,\\,n-1}) + P(T < -t_{1-\\alpha/2,\\,n-1}),
        \\quad T \\sim t_{n-1}(d_z\\sqrt{n})

    Parameters
    ----------
    n : int
        Participants with both waves (at least 2).
    change : float
        True mean within-person change, in scale points.
    sd_change : float
        SD of the within-person differences, in scale points.
    alpha : float
        Two-sided significance level.

    Returns
    -------
    float
        Probability of rejecting "no change" at level ``alpha``.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*
    (2nd ed.), ch. 2.

    Examples
    --------
    >>> round(paired_power(n=8, change=0.3, sd_change=0.6), 3)
    0.232
    """
    _check_probabilities(alpha=alpha)
    _check_pairs(n)
    effect = _standardised_change(change, sd_change)
    return float(TTestPower().power(effect_size=effect, nobs=n, alpha=alpha, alternative="two-sided"))


def cohorts_needed(n_needed: int, cohort_size: int, expected_completion_rate: float) -> int:
    """Cohorts to run so that enough participants complete both waves.

    .. math::

        \\text{cohorts} = \\left\\lceil \\frac{n_\\text{needed}}
        {\\text{cohort size} \\times \\text{completion rate}} \\right\\rceil

    Parameters
    ----------
    n_needed : int
        Complete pairs needed, e.g. from :func:`paired_sample_size`.
    cohort_size : int
        Leaders enrolled per cohort.
    expected_completion_rate : float
        Expected share of enrolled leaders who answer both waves, in (0, 1].

    Returns
    -------
    int
        Number of cohorts, rounded up.

    Examples
    --------
    >>> cohorts_needed(34, cohort_size=8, expected_completion_rate=0.75)
    6
    """
    if n_needed < 0 or cohort_size < 1:
        raise ValueError("n_needed must be >= 0 and cohort_size >= 1")
    if not 0 < expected_completion_rate <= 1:
        raise ValueError("expected_completion_rate must be in (0, 1]")
    completers_per_cohort = cohort_size * expected_completion_rate
    # Rounding before the ceiling stops float error turning an exact 5.0 into 6
    # (21 / (6 * 0.7) is 5.000000000000001 in floating point).
    return math.ceil(round(n_needed / completers_per_cohort, 9))


def _standardised_change(change: float, sd_change: float) -> float:
    """Cohen's :math:`d_z`, the mean change in SDs of the within-person differences."""
    if not sd_change > 0:
        raise ValueError("sd_change must be positive")
    return abs(change) / sd_change


def _check_probabilities(**probabilities: float) -> None:
    for name, value in probabilities.items():
        if not 0 < value < 1:
            raise ValueError(f"{name} must be strictly between 0 and 1, not {value}")


def _check_pairs(n: int) -> None:
    if n < _MINIMUM_PAIRS:
        raise ValueError(f"n must be at least {_MINIMUM_PAIRS} pairs, not {n}")
