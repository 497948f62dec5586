"""The paired change and its tests: mean change (t), Wilcoxon signed-rank, Hodges-Lehmann."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from evaluation.tidy import Estimate

from .pairs import _differences

Alternative = Literal["two-sided", "greater", "less"]


ZeroMethod = Literal["wilcox", "pratt"]


def paired_mean_change(pre: ArrayLike, post: ArrayLike, *, confidence_level: float = 0.95) -> Estimate:
    """Mean change with a t-based confidence interval and the paired t-test.

    .. math::

        \\bar d = \\frac1n\\sum_i d_i, \\quad
        SE = \\frac{s_d}{\\sqrt n}, \\quad
        t = \\frac{\\bar d}{SE}, \\quad
        CI = \\bar d \\pm t_{n-1,\\,1-\\alpha/2}\\, SE,

    with the two-sided p-value from Student's *t* on *n - 1* degrees of
    freedom.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same participants before and after.
    confidence_level : float
        Two-sided coverage of the interval.

    Returns
    -------
    Estimate
        ``term="mean_change"``; ``statistic`` is *t*. With one pair only the
        estimate is defined. If all changes are equal the standard error is
        0, so *t* is infinite (p = 0) or, when every change is 0, NaN -- as
        ``scipy.stats.ttest_rel``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.

    Examples
    --------
    Student's (1908) sleep data, as in R's ``t.test(extra ~ group, data =
    sleep, paired = TRUE)``:

    >>> from evaluation.statistics.paired import paired_mean_change
    >>> drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> result = paired_mean_change(drug1, drug2)
    >>> round(result.estimate, 2), round(result.statistic, 4), round(result.p_value, 6)
    (1.58, 4.0621, 0.002833)
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    differences = _differences(pre, post)
    n = differences.size
    mean = float(differences.mean())
    method = "Paired t-test"
    if n < 2:
        return Estimate("mean_change", mean, n=n, method=method)
    standard_error = float(differences.std(ddof=1) / np.sqrt(n))
    # If every change is equal the standard error is 0 and t is +/-inf, or NaN
    # when all changes are 0 -- as scipy.stats.ttest_rel.
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.divide(mean, standard_error))
    degrees_of_freedom = n - 1
    p_value = float(2 * stats.t.sf(abs(t), degrees_of_freedom))
    margin = float(stats.t.ppf((1 + confidence_level) / 2, degrees_of_freedom)) * standard_error
    return Estimate(
        "mean_change",
        mean,
        std_error=standard_error,
        statistic=t,
        p_value=p_value,
        conf_low=mean - margin,
        conf_high=mean + margin,
        n=n,
        method=method,
    )


def wilcoxon_signed_rank(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    alternative: Alternative = "two-sided",
    zero_method: ZeroMethod = "wilcox",
) -> Estimate:
    """Exact Wilcoxon signed-rank test of no change, valid with ties.

    The absolute changes are ranked (tied values get their mean rank) and
    the statistic is the sum of the ranks of the positive changes,

    .. math:: V = \\sum_{i:\\, d_i > 0} R_i ,

    R's ``V``. Under the null hypothesis each change is as likely to be
    positive as negative, so given the observed ranks the 2^n sign patterns
    are equally likely. The p-value comes from that exact permutation
    distribution, computed by convolving the two-point distributions
    :math:`\\{0, R_i\\}` (in half-rank units, so midranks stay integers). With
    no ties this is the classical signed-rank distribution, and p-values
    equal R's ``wilcox.test(exact = TRUE)``; with ties (common with Likert
    scores) it is still exact, where R and ``scipy.stats.wilcoxon(method=
    "exact")`` fall back to approximations. The two-sided p-value is
    ``min(1, 2 * min(P(V <= v), P(V >= v)))``. The test is exact at any *n*;
    the convolution takes O(n^3) operations, about a second for 1,000 pairs.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same participants before and after.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: scores tend to go up (``post > pre``).
    zero_method : {"wilcox", "pratt"}
        Zero changes carry no sign. ``"wilcox"`` (default, as R) drops them
        before ranking (Wilcoxon, 1945); ``"pratt"`` ranks them with the
        others and then leaves their ranks out of V (Pratt, 1959), so a
        cohort's unchanged members still push up the ranks of the rest.

    Returns
    -------
    Estimate
        ``term="wilcoxon_signed_rank"``, ``statistic`` = V, the exact
        ``p_value``, ``n`` = number of non-zero changes used. ``estimate`` is
        NaN: see :func:`hodges_lehmann` for the matching shift estimate. If
        every change is zero there is nothing to test and V and p are NaN
        (as R).

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods.
    *Biometrics Bulletin*, 1(6), 80-83.

    Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed
    rank procedures. *JASA*, 54(287), 655-667.

    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric
    Statistical Methods* (3rd ed.), section 3.1. Wiley.

    Examples
    --------
    Hamilton depression scores before (``x``) and after (``y``) a
    tranquilliser (Hollander & Wolfe, 1973, p. 29); R's ``wilcox.test(x, y,
    paired = TRUE, alternative = "greater")`` gives V = 40, p = 0.01953.
    Here improvement is a fall, so ``pre=y, post=x`` asks the same question:

    >>> from evaluation.statistics.paired import wilcoxon_signed_rank
    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> result = wilcoxon_signed_rank(y, x, alternative="greater")
    >>> result.statistic, round(result.p_value, 5)
    (40.0, 0.01953)
    """
    if zero_method not in ("wilcox", "pratt"):
        raise ValueError(f"zero_method must be 'wilcox' or 'pratt', got {zero_method!r}")
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")
    differences = _differences(pre, post)
    signed_ranks = _signed_ranks(differences, zero_method)
    nonzero = signed_ranks[differences != 0]
    method = f"Wilcoxon signed-rank test, exact ({zero_method} zeros, {alternative})"
    if nonzero.size == 0:
        return Estimate("wilcoxon_signed_rank", np.nan, n=0, method=method)

    # Midranks are multiples of 1/2: doubling makes every rank an integer.
    doubled_ranks = np.rint(2 * np.abs(nonzero)).astype(np.int64)
    doubled_v = int(doubled_ranks[nonzero > 0].sum())
    null = _random_sign_sum_distribution(doubled_ranks)
    p_at_most = float(null[: doubled_v + 1].sum())
    p_at_least = float(null[doubled_v:].sum())
    p_value = {
        "greater": p_at_least,
        "less": p_at_most,
        "two-sided": min(1.0, 2 * min(p_at_most, p_at_least)),
    }[alternative]
    return Estimate(
        "wilcoxon_signed_rank",
        np.nan,
        statistic=doubled_v / 2,
        p_value=p_value,
        n=int(nonzero.size),
        method=method,
    )


def hodges_lehmann(pre: ArrayLike, post: ArrayLike, *, confidence_level: float = 0.95) -> Estimate:
    """Hodges-Lehmann estimate of the typical change with its exact distribution-free CI.

    The estimate is the median of the n(n+1)/2 Walsh averages
    :math:`(d_i + d_j)/2,\\ i \\le j` -- the pseudo-median of the changes,
    the shift estimate that goes with the Wilcoxon signed-rank test. The
    interval inverts that test: with the Walsh averages sorted,
    :math:`W_{(1)} \\le \\dots \\le W_{(M)}`, it is
    :math:`[W_{(q)}, W_{(M+1-q)}]` where *q* is the smallest value with
    :math:`P(V \\le q) \\ge \\alpha/2` under the null distribution of the
    signed-rank statistic for *n* untied observations. Its coverage,
    :math:`1 - 2P(V \\le q - 1)`, is at least the requested level. This is
    R's ``wilcox.test(..., conf.int = TRUE)`` rule for untied data.

    All *n* changes are used, zeros included (Hodges & Lehmann's estimator;
    R drops zeros, but only when it falls back to its approximate method).
    Ties and zeros cannot occur for the continuous distributions the exact
    coverage assumes; with Likert data the order-statistic interval is still
    reported, and its coverage is approximate.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same participants before and after.
    confidence_level : float
        Requested two-sided coverage.

    Returns
    -------
    Estimate
        ``term="hodges_lehmann"``. The bounds are NaN when even the widest
        interval, from the smallest to the largest Walsh average, covers less
        than the requested level: at 95% that is n <= 5 pairs.

    References
    ----------
    Hodges, J. L., & Lehmann, E. L. (1963). Estimates of location based on
    rank tests. *Annals of Mathematical Statistics*, 34(2), 598-611.

    Bauer, D. F. (1972). Constructing confidence sets using rank statistics.
    *JASA*, 67(339), 687-690.

    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric
    Statistical Methods* (3rd ed.), sections 3.2-3.3. Wiley.

    Examples
    --------
    Hollander & Wolfe's depression data (see :func:`wilcoxon_signed_rank`);
    R reports the (pseudo)median 0.46 and the 95% interval 0.010 to 0.786:

    >>> from evaluation.statistics.paired import hodges_lehmann
    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> result = hodges_lehmann(y, x)
    >>> [round(v, 3) for v in (result.estimate, result.conf_low, result.conf_high)]
    [0.46, 0.01, 0.786]
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    differences = _differences(pre, post)
    n = differences.size
    first, second = np.triu_indices(n)
    walsh_averages = np.sort((differences[first] + differences[second]) / 2)
    estimate = float(np.median(walsh_averages))

    null_cdf = np.cumsum(_random_sign_sum_distribution(np.arange(1, n + 1)))
    # Smallest q with P(V <= q) >= alpha/2; the tolerance absorbs rounding in
    # the cumulative sum, as R's qsignrank does.
    q = int(np.searchsorted(null_cdf, (1 - confidence_level) / 2 - 1e-12))
    if q == 0:
        conf_low = conf_high = np.nan
    else:
        conf_low = float(walsh_averages[q - 1])
        conf_high = float(walsh_averages[walsh_averages.size - q])
    return Estimate(
        "hodges_lehmann",
        estimate,
        conf_low=conf_low,
        conf_high=conf_high,
        n=n,
        method="Hodges-Lehmann estimate, exact distribution-free CI",
    )


def _signed_ranks(differences: np.ndarray, zero_method: ZeroMethod) -> np.ndarray:
    """Midranks of |d| carrying the sign of d, along the last axis; zeros score 0."""
    ranks = stats.rankdata(np.abs(differences), axis=-1)
    if zero_method == "wilcox":
        # Zeros hold the lowest ranks, so ranking only the non-zero values is
        # the same as ranking all and moving each rank down by the zero count.
        ranks = ranks - np.count_nonzero(differences == 0, axis=-1, keepdims=True)
    return np.sign(differences) * ranks


def _random_sign_sum_distribution(weights: np.ndarray) -> np.ndarray:
    """P(S = s), s = 0..sum(weights), for S the sum of a random half of positive integer weights.

    Each weight is included independently with probability 1/2, so the
    distribution is the convolution of the two-point distributions {0, w}.
    With weights 1..n this is the null distribution of the signed-rank
    statistic.
    """
    probabilities = np.zeros(int(weights.sum()) + 1)
    probabilities[0] = 1.0
    for weight in weights:
        shifted = np.zeros_like(probabilities)
        shifted[weight:] = probabilities[:-weight]
        probabilities = 0.5 * (probabilities + shifted)
    return probabilities
