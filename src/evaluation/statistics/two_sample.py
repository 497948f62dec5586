"""Two-sample and k-sample comparisons for very small groups: permutation tests, shifts, differences, proportions.

The leadership programme compares groups of a handful of people (drop-outs
against completers, cohorts, groups of a protected characteristic), where
large-sample approximations are unreliable. These functions give exact or
permutation p-values and distribution-free or exact intervals, each as a tidy
:class:`~evaluation.tidy.Estimate` (or a plain tuple for the tests).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from ..tidy import Estimate

__all__ = [
    "hodges_lehmann_two_sample",
    "permutation_f_test",
    "proportion_estimate",
    "two_sample_permutation_test",
    "welch_difference",
]

# Two-sample permutation tests enumerate every split up to this many; above it they sample.
EXACT_PERMUTATION_LIMIT = 200_000
# Statistics equal to the observed one up to rounding count as "at least as extreme".
_TOLERANCE = 1e-9


def _f_statistic(values: np.ndarray, labels: np.ndarray, n_groups: int) -> np.ndarray:
    """One-way ANOVA F for each row of ``labels`` (integer group codes 0..n_groups-1)."""
    labels = np.atleast_2d(labels)
    n = values.size
    grand = values.mean()
    total = ((values - grand) ** 2).sum()
    between = np.zeros(labels.shape[0])
    for g in range(n_groups):
        member = labels == g
        counts = member.sum(axis=1)
        sums = (member * values).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            between += np.where(counts > 0, sums**2 / np.maximum(counts, 1), 0.0)
    between -= n * grand**2
    within = total - between
    with np.errstate(invalid="ignore", divide="ignore"):
        return (between / (n_groups - 1)) / (within / (n - n_groups))


def permutation_f_test(
    values: ArrayLike, groups: Iterable[object], *, resamples: int = 9999, seed: int = 0
) -> tuple[float, float]:
    """Permutation test of equal means in several groups, with the one-way ANOVA F as statistic.

    The group labels are shuffled ``resamples`` times (group sizes fixed) and

    .. math:: p = \\frac{1 + \\#\\{F^*_b \\ge F_{obs}\\}}{1 + B}

    (Phipson & Smyth, 2010), which is never zero and is exact in the sense of a valid test. For a 0/1 outcome
    F is a monotone function of the Pearson chi-square statistic, so this is also the permutation chi-square
    test of a k x 2 table.

    Parameters
    ----------
    values : array_like of float
        One value per person.
    groups : iterable
        Group of each person (at least two distinct groups).
    resamples : int
        Number of random permutations.
    seed : int
        Seed of the permutations.

    Returns
    -------
    (float, float)
        Observed F and the permutation p-value; both NaN if the values do not vary.

    References
    ----------
    Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses* (3rd ed.). Springer.
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. *Statistical Applications in
    Genetics and Molecular Biology*, 9(1), 39.
    """
    x = np.asarray(values, dtype=float)
    codes, uniques = pd.factorize(pd.Series(list(groups)))
    if x.size != codes.size:
        raise ValueError("values and groups must have the same length")
    if len(uniques) < 2:
        raise ValueError("a comparison needs at least two groups")
    if np.ptp(x) == 0:
        return math.nan, math.nan
    observed = float(_f_statistic(x, codes, len(uniques))[0])
    rng = np.random.default_rng(seed)
    shuffled = np.argsort(rng.random((resamples, codes.size)), axis=1)
    permuted = _f_statistic(x, codes[shuffled], len(uniques))
    p = (1 + np.count_nonzero(permuted >= observed * (1 - _TOLERANCE))) / (1 + resamples)
    return observed, float(p)


def two_sample_permutation_test(
    x: ArrayLike, y: ArrayLike, *, ranks: bool = False, resamples: int = 9999, seed: int = 0
) -> tuple[float, float, bool]:
    """Two-sided permutation test of a difference in means (or mean ranks) between two groups.

    The statistic is :math:`T = \\bar x - \\bar y` of the values, or of their mid-ranks in the pooled sample
    when ``ranks`` (the Mann-Whitney / Wilcoxon rank-sum test, exact with ties). Under :math:`H_0` every split
    of the pooled sample into groups of the observed sizes is equally likely; when there are at most
    ``EXACT_PERMUTATION_LIMIT`` splits all are enumerated (exact test), otherwise ``resamples`` are drawn.
    The two-sided p-value is :math:`\\min\\{1, 2\\min(P(T^* \\le t), P(T^* \\ge t))\\}`, as R's
    ``wilcox.test`` and ``scipy.stats.permutation_test``.

    Parameters
    ----------
    x, y : array_like of float
        The two groups' values (at least one each).
    ranks : bool
        Use mid-ranks (Mann-Whitney) instead of the values.
    resamples, seed : int
        Monte Carlo permutations and their seed, used only above the enumeration limit.

    Returns
    -------
    (float, float, bool)
        Observed statistic (difference in means or mean ranks), p-value, and whether it is exact.

    References
    ----------
    Hollander, M., Wolfe, D. A. & Chicken, E. (2014). *Nonparametric Statistical Methods* (3rd ed.), ch. 4.
    Wiley. Mann, H. B. & Whitney, D. R. (1947). *Annals of Mathematical Statistics*, 18, 50-60.
    """
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.size == 0 or b.size == 0:
        raise ValueError("each group needs at least one value")
    pooled = np.concatenate([a, b])
    if ranks:
        pooled = stats.rankdata(pooled)
    m, total = a.size, pooled.size
    sum_all = pooled.sum()

    def difference(first_sums: np.ndarray) -> np.ndarray:
        return first_sums / m - (sum_all - first_sums) / (total - m)

    observed = float(difference(np.array([pooled[:m].sum()]))[0])
    exact = math.comb(total, m) <= EXACT_PERMUTATION_LIMIT
    if exact:
        chosen = np.fromiter(
            itertools.chain.from_iterable(itertools.combinations(range(total), m)),
            dtype=np.int64,
            count=math.comb(total, m) * m,
        ).reshape(-1, m)
        null = difference(pooled[chosen].sum(axis=1))
        lower = np.count_nonzero(null <= observed + _TOLERANCE) / null.size
        upper = np.count_nonzero(null >= observed - _TOLERANCE) / null.size
    else:
        rng = np.random.default_rng(seed)
        chosen = np.argsort(rng.random((resamples, total)), axis=1)[:, :m]
        null = difference(pooled[chosen].sum(axis=1))
        lower = (1 + np.count_nonzero(null <= observed + _TOLERANCE)) / (1 + resamples)
        upper = (1 + np.count_nonzero(null >= observed - _TOLERANCE)) / (1 + resamples)
    return observed, float(min(1.0, 2 * min(lower, upper))), exact


def _mann_whitney_null(m: int, n: int) -> np.ndarray:
    """P(U = u), u = 0..mn, of the Mann-Whitney statistic without ties (recursion of Mann & Whitney, 1947)."""
    # ways[j][u]: arrangements of i x's and j y's with U = u, built up over i.
    ways = [np.zeros(1) + 1.0 for _ in range(n + 1)]
    for _ in range(m):
        updated = [ways[0].copy()]
        for j in range(1, n + 1):
            # The largest value is an x (adds j to U) or a y (U unchanged).
            shifted = np.concatenate([np.zeros(j), ways[j]])
            current = updated[j - 1]
            size = max(shifted.size, current.size)
            updated.append(np.pad(shifted, (0, size - shifted.size)) + np.pad(current, (0, size - current.size)))
        ways = updated
    counts = ways[n]
    return counts / counts.sum()


def hodges_lehmann_two_sample(x: ArrayLike, y: ArrayLike, *, confidence_level: float = 0.95) -> Estimate:
    """Hodges-Lehmann shift between two groups with its exact distribution-free interval.

    The estimate is the median of the :math:`mn` differences :math:`x_i - y_j`. With them sorted,
    :math:`D_{(1)} \\le \\dots \\le D_{(mn)}`, the interval is :math:`[D_{(q)}, D_{(mn + 1 - q)}]` where
    :math:`q` is the smallest value with :math:`P(U \\le q) \\ge \\alpha/2` under the null distribution of the
    Mann-Whitney statistic (R's ``wilcox.test(x, y, conf.int = TRUE)`` rule for untied data). Coverage is at
    least the requested level for continuous data; with ties (Likert scores) it is approximate.

    Parameters
    ----------
    x, y : array_like of float
        The two groups; the shift is ``x`` minus ``y``.
    confidence_level : float
        Requested two-sided coverage.

    Returns
    -------
    Estimate
        ``term="hodges_lehmann_shift"``; bounds NaN when even the widest interval covers less than requested
        (e.g. 2 against 3 people at 95%). ``n`` is the smaller group.

    References
    ----------
    Hodges, J. L. & Lehmann, E. L. (1963). Estimates of location based on rank tests. *Annals of Mathematical
    Statistics*, 34(2), 598-611. Bauer, D. F. (1972). *JASA*, 67(339), 687-690. Hollander, Wolfe & Chicken
    (2014), section 4.3.
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.size == 0 or b.size == 0:
        raise ValueError("each group needs at least one value")
    differences = np.sort(np.subtract.outer(a, b).ravel())
    estimate = float(np.median(differences))
    cdf = np.cumsum(_mann_whitney_null(a.size, b.size))
    q = int(np.searchsorted(cdf, (1 - confidence_level) / 2 - 1e-12))
    low, high = (
        (math.nan, math.nan) if q == 0 else (float(differences[q - 1]), float(differences[differences.size - q]))
    )
    return Estimate(
        "hodges_lehmann_shift",
        estimate,
        conf_low=low,
        conf_high=high,
        n=int(min(a.size, b.size)),
        method="Hodges-Lehmann two-sample shift, exact distribution-free CI",
    )


def welch_difference(x: ArrayLike, y: ArrayLike, *, confidence_level: float = 0.95) -> Estimate:
    """Difference in means ``x - y`` with Welch's t interval (unequal variances).

    .. math::

        \\bar x - \\bar y \\pm t_{\\nu,\\,1-\\alpha/2}\\sqrt{s_x^2/m + s_y^2/n}, \\quad
        \\nu = \\frac{(s_x^2/m + s_y^2/n)^2}{(s_x^2/m)^2/(m-1) + (s_y^2/n)^2/(n-1)}

    Parameters
    ----------
    x, y : array_like of float
        The two groups (at least two values each for an interval).
    confidence_level : float
        Two-sided coverage.

    Returns
    -------
    Estimate
        ``term="mean_difference"``, ``statistic`` is Welch's t and ``p_value`` its two-sided p-value;
        ``n`` is the smaller group.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different population variances
    are involved. *Biometrika*, 34, 28-35.
    """
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = int(min(a.size, b.size))
    method = "difference in means, Welch t CI"
    if n == 0:
        raise ValueError("each group needs at least one value")
    estimate = float(a.mean() - b.mean())
    if n < 2:
        return Estimate("mean_difference", estimate, n=n, method=method)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = float(np.sqrt(va + vb))
    if se == 0:
        return Estimate("mean_difference", estimate, std_error=0.0, n=n, method=method)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    t = estimate / se
    half = float(stats.t.ppf(0.5 + confidence_level / 2, df)) * se
    return Estimate(
        "mean_difference",
        estimate,
        std_error=se,
        statistic=float(t),
        p_value=float(2 * stats.t.sf(abs(t), df)),
        conf_low=estimate - half,
        conf_high=estimate + half,
        n=n,
        method=method,
    )


def proportion_estimate(successes: int, trials: int, *, term: str, confidence_level: float = 0.95) -> Estimate:
    """A proportion with the Clopper-Pearson exact interval.

    .. math:: \\left[B\\left(\\tfrac{\\alpha}{2}; x, n - x + 1\\right),\\ B\\left(1 - \\tfrac{\\alpha}{2}; x + 1,
              n - x\\right)\\right]

    with :math:`B(p; a, b)` the beta quantile. Its coverage is at least the nominal level at every true
    proportion, which matters with a handful of people.

    Parameters
    ----------
    successes, trials : int
        Count with the attribute and number of people.
    term : str
        Name of the estimate.
    confidence_level : float
        Two-sided coverage.

    Returns
    -------
    Estimate
        ``n`` is the smaller of ``successes`` and ``trials - successes``: the smallest group the proportion
        reveals (with ``trials`` known, the proportion gives both counts away).

    References
    ----------
    Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in the case of
    the binomial. *Biometrika*, 26, 404-413.
    """
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1, got {successes} of {trials}")
    low, high = proportion_confint(successes, trials, alpha=1 - confidence_level, method="beta")
    return Estimate(
        term,
        successes / trials,
        conf_low=float(low),
        conf_high=float(high),
        n=int(min(successes, trials - successes)),
        method="proportion, Clopper-Pearson exact CI",
    )
