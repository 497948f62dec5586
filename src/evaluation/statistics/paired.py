"""Paired (pre/post) comparisons for small cohorts.

Every function takes the baseline scores ``pre`` and the later scores ``post``
of the same participants, in the same order, and works on the changes
``d = post - pre``: positive estimates mean scores went up. Use
:func:`complete_pairs` to build ``pre`` and ``post`` from survey waves.

Input errors (unequal lengths, missing or non-finite values, no pairs) raise
``ValueError``. Too few pairs for a quantity to exist (e.g. a standard
deviation from one pair) is not an error: that field is NaN, and ``n`` says
how many pairs were used.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, stats

from evaluation.statistics.bootstrap import IntervalNote, bca_interval
from evaluation.tidy import Estimate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CompletePairs",
    "cohens_dz",
    "complete_pairs",
    "hodges_lehmann",
    "paired_mean_change",
    "rank_biserial",
    "wilcoxon_signed_rank",
]

Alternative = Literal["two-sided", "greater", "less"]
ZeroMethod = Literal["wilcox", "pratt"]


@dataclass(frozen=True)
class CompletePairs:
    """Participants with a score at both waves, and who was excluded and why.

    Attributes
    ----------
    participants : tuple
        Participant identifiers, sorted, one per pair.
    pre, post : numpy.ndarray
        Baseline and endpoint scores, aligned with ``participants``.
    baseline, endpoint : str
        The wave names compared.
    missing_baseline : int
        Participants with an endpoint score but no baseline score.
    missing_endpoint : int
        Participants with a baseline score but no endpoint score.
    missing_both : int
        Participants in the data (e.g. at follow-up only) with neither score.
    """

    participants: tuple[Hashable, ...]
    pre: np.ndarray
    post: np.ndarray
    baseline: str
    endpoint: str
    missing_baseline: int
    missing_endpoint: int
    missing_both: int

    @property
    def n(self) -> int:
        """Number of complete pairs."""
        return len(self.participants)

    @property
    def n_excluded(self) -> int:
        """Number of participants excluded for a missing wave."""
        return self.missing_baseline + self.missing_endpoint + self.missing_both


def complete_pairs(
    long_scores: pd.DataFrame,
    *,
    baseline: str,
    endpoint: str,
    participant: str = "participant",
    wave: str = "wave",
    score: str = "score",
) -> CompletePairs:
    """Pair each participant's baseline and endpoint scores (complete-case analysis).

    A participant is kept only if both waves have a non-missing score; a row
    whose score is missing counts as a missing wave. Everyone else is
    excluded and counted by reason, so reports can state how many of the
    cohort the paired analysis covers.

    Parameters
    ----------
    long_scores : pandas.DataFrame
        Long data, one row per participant and wave.
    baseline, endpoint : str
        Values of the ``wave`` column to compare, e.g. ``"baseline"`` and
        ``"endpoint"``.
    participant, wave, score : str
        Column names.

    Returns
    -------
    CompletePairs

    Raises
    ------
    ValueError
        If a column is missing, a wave name does not occur at all (usually a
        typo), or a participant has more than one score in a wave.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.paired import complete_pairs
    >>> long = pd.DataFrame({
    ...     "participant": ["a", "a", "b", "c", "c"],
    ...     "wave": ["baseline", "endpoint", "baseline", "baseline", "endpoint"],
    ...     "score": [3.0, 4.0, 2.5, 3.5, 3.0],
    ... })
    >>> pairs = complete_pairs(long, baseline="baseline", endpoint="endpoint")
    >>> pairs.participants, pairs.post - pairs.pre, pairs.missing_endpoint
    (('a', 'c'), array([ 1. , -0.5]), 1)
    """
    columns = list(long_scores.columns)
    absent = [column for column in (participant, wave, score) if column not in columns]
    if absent:
        raise ValueError(f"columns {absent} not in data; columns are {columns}")
    waves_present = set(long_scores[wave].dropna().unique())
    for name in (baseline, endpoint):
        if name not in waves_present:
            raise ValueError(f"wave {name!r} not in data; waves are {sorted(map(str, waves_present))}")

    answered = long_scores.loc[long_scores[wave].isin([baseline, endpoint]) & long_scores[score].notna()]
    duplicated = answered.duplicated([participant, wave], keep=False)
    if duplicated.any():
        repeated = sorted(map(str, answered.loc[duplicated, participant].unique()))
        raise ValueError(f"participants with more than one score in a wave: {repeated}")

    wide = answered.pivot(index=participant, columns=wave, values=score)
    everyone = long_scores[participant].dropna().unique()
    wide = wide.reindex(index=everyone, columns=[baseline, endpoint])
    has_baseline = wide[baseline].notna()
    has_endpoint = wide[endpoint].notna()
    complete = wide.loc[has_baseline & has_endpoint].sort_index()
    return CompletePairs(
        participants=tuple(complete.index),
        pre=complete[baseline].to_numpy(dtype=float),
        post=complete[endpoint].to_numpy(dtype=float),
        baseline=baseline,
        endpoint=endpoint,
        missing_baseline=int((~has_baseline & has_endpoint).sum()),
        missing_endpoint=int((has_baseline & ~has_endpoint).sum()),
        missing_both=int((~has_baseline & ~has_endpoint).sum()),
    )


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


def cohens_dz(pre: ArrayLike, post: ArrayLike, *, confidence_level: float = 0.95) -> Estimate:
    """Cohen's d_z (standardised mean change) with its exact noncentral-t CI.

    .. math:: d_z = \\frac{\\bar d}{s_d} = \\frac{t}{\\sqrt n}

    the mean change in units of the standard deviation of the changes
    (Cohen, 1988, eq. 2.3.5; Lakens, 2013), with *t* the paired t statistic.
    If the changes are normal, *t* follows the noncentral *t* distribution
    with *n - 1* degrees of freedom and noncentrality
    :math:`\\delta = \\sqrt n\\,\\delta_z`. The interval inverts it
    (Steiger & Fouladi, 1997; Cumming & Finch, 2001): :math:`\\delta_L` and
    :math:`\\delta_U` solve

    .. math::

        F_{t_{n-1}(\\delta_L)}(t) = 1 - \\alpha/2, \\qquad
        F_{t_{n-1}(\\delta_U)}(t) = \\alpha/2,

    and :math:`CI = [\\delta_L/\\sqrt n,\\ \\delta_U/\\sqrt n]`. Its coverage is
    exact for normal changes at any *n* >= 2 (a bootstrap interval covered
    only about 80% with seven pairs); MBESS's ``ci.sm`` computes the same.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same participants before and after.
    confidence_level : float
        Two-sided coverage of the interval.

    Returns
    -------
    Estimate
        ``term="cohens_dz"``; ``statistic`` is *t*. ``std_error`` is NaN: the
        interval is not the estimate plus or minus a multiple of a standard
        error (it is skewed away from 0). Estimate and interval are NaN with
        fewer than 2 pairs or when all changes are equal (s_d = 0).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral
    Sciences* (2nd ed.). Erlbaum.

    Cumming, G., & Finch, S. (2001). A primer on the understanding, use, and
    calculation of confidence intervals that are based on central and
    noncentral distributions. *Educational and Psychological Measurement*,
    61(4), 532-574.

    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate
    cumulative science. *Frontiers in Psychology*, 4, 863.

    Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval
    estimation and the evaluation of statistical models. In L. L. Harlow,
    S. A. Mulaik & J. H. Steiger (Eds.), *What If There Were No Significance
    Tests?* (pp. 221-257). Erlbaum.

    Examples
    --------
    >>> from evaluation.statistics.paired import cohens_dz
    >>> before = [3.1, 2.8, 3.5, 3.0, 2.6, 3.9, 3.3, 2.9]
    >>> after = [3.6, 3.1, 3.4, 3.8, 3.0, 4.1, 3.9, 3.0]
    >>> result = cohens_dz(before, after)
    >>> [round(v, 2) for v in (result.estimate, result.conf_low, result.conf_high)]
    [1.22, 0.26, 2.13]
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    differences = _differences(pre, post)
    n = differences.size
    method = "Cohen's d_z, exact noncentral t CI"
    estimate = _standardised_mean(differences)
    if not np.isfinite(estimate):
        return Estimate("cohens_dz", estimate, n=n, method=method)
    t = estimate * n**0.5
    tail = (1 - confidence_level) / 2
    return Estimate(
        "cohens_dz",
        estimate,
        statistic=t,
        conf_low=_noncentrality_at(t, n - 1, 1 - tail) / n**0.5,
        conf_high=_noncentrality_at(t, n - 1, tail) / n**0.5,
        n=n,
        method=method,
    )


def _noncentrality_at(t: float, degrees_of_freedom: int, probability: float) -> float:
    """The noncentrality delta with P(T <= t) = probability for T ~ t_df(delta); NaN if out of nct's reach.

    The distribution function falls as delta grows, so the root is bracketed
    by widening a window around t until it straddles ``probability``.
    """
    if t < 0:  # scipy's nct is accurate further out in the upper tail; T(-delta) = -T(delta)
        return -_noncentrality_at(-t, degrees_of_freedom, 1 - probability)

    def excess(delta: float) -> float:
        return float(stats.nct.cdf(t, degrees_of_freedom, delta)) - probability

    width = 4.0
    with np.errstate(all="ignore"):
        while width <= 1e6:
            below, above = excess(t - width), excess(t + width)
            if not (np.isfinite(below) and np.isfinite(above)):
                break
            if below >= 0 >= above:
                try:
                    return float(optimize.brentq(excess, t - width, t + width, xtol=1e-12, rtol=1e-12))
                except ValueError:  # nct.cdf gave NaN inside the bracket
                    break
            width *= 2
    warnings.warn(
        f"No interval could be given for Cohen's d_z (the standardised change): the change is so "
        f"uniform (t = {t:,.0f} on {degrees_of_freedom} degrees of freedom) that the distribution the "
        "interval comes from cannot be computed. The effect size itself is shown; it is very large",
        IntervalNote,
        stacklevel=3,
    )
    return np.nan


def rank_biserial(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> Estimate:
    """Matched-pairs rank-biserial correlation with a BCa bootstrap CI.

    Kerby's (2014) simple difference formula: with the absolute non-zero
    changes ranked (midranks for ties) and :math:`W_+`, :math:`W_-` the rank
    sums of increases and decreases,

    .. math:: r = \\frac{W_+ - W_-}{W_+ + W_-},

    the share of the rank sum favouring an increase minus the share
    favouring a decrease, from -1 (everyone fell) to 1 (everyone rose). Zero
    changes are dropped, as in the Wilcoxon test's default and
    ``pingouin.wilcoxon``. If no change is non-zero, r = 0 (no evidence
    either way) rather than 0/0; this also keeps bootstrap resamples of
    unchanged participants well defined.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same participants before and after.
    confidence_level : float
        Two-sided coverage of the interval.
    n_resamples : int
        Bootstrap resamples.
    seed : int
        Bootstrap seed; fixed by default so reports are reproducible.

    Returns
    -------
    Estimate
        ``term="rank_biserial"``, ``std_error`` is the bootstrap standard
        error; ``n`` counts all pairs. The interval is NaN for a single pair.
        When every change has the same sign, every resample gives the same
        r = +/-1 and the interval collapses to that point.

    References
    ----------
    Kerby, D. S. (2014). The simple difference formula: an approach to
    teaching nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.

    King, B. M., Rosopa, P. J., & Minium, E. W. (2011). *Statistical
    Reasoning in the Behavioral Sciences* (6th ed.). Wiley.

    Examples
    --------
    >>> from evaluation.statistics.paired import rank_biserial
    >>> result = rank_biserial([3, 3, 4, 2, 3, 4], [4, 3, 5, 4, 2, 4])
    >>> result.estimate
    0.6
    """
    return _bootstrapped_effect_size(
        "rank_biserial",
        "Matched-pairs rank-biserial correlation, BCa bootstrap CI",
        "the rank-biserial correlation (an effect size of the change)",
        _rank_biserial_correlation,
        _differences(pre, post),
        confidence_level=confidence_level,
        n_resamples=n_resamples,
        seed=seed,
    )


def _bootstrapped_effect_size(
    term: str,
    method: str,
    about: str,
    effect_size: Callable[..., np.ndarray],
    differences: np.ndarray,
    *,
    confidence_level: float,
    n_resamples: int,
    seed: int,
) -> Estimate:
    """An effect size of the changes as an Estimate, with its BCa interval when it exists."""
    n = differences.size
    # Effect sizes divide by spreads and rank sums that can be 0 on small resamples.
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = float(effect_size(differences))
        if n < 2 or not np.isfinite(estimate):
            return Estimate(term, estimate, n=n, method=method)
        interval = bca_interval(
            effect_size,
            differences,
            confidence_level=confidence_level,
            n_resamples=n_resamples,
            seed=seed,
            about=about,
        )
    return Estimate(
        term,
        estimate,
        std_error=interval.standard_error,
        conf_low=interval.conf_low,
        conf_high=interval.conf_high,
        n=n,
        method=method,
    )


def _standardised_mean(differences: np.ndarray) -> float:
    """Mean over standard deviation (n - 1 denominator); NaN for one value or no spread."""
    if differences.size < 2:
        return np.nan
    spread = float(differences.std(ddof=1))
    return float(differences.mean()) / spread if spread > 0 else np.nan


def _rank_biserial_correlation(differences: np.ndarray, axis: int = -1) -> np.ndarray:
    """Kerby's (W+ - W-) / (W+ + W-) along ``axis``, 0 when every difference is zero."""
    signed_ranks = _signed_ranks(np.moveaxis(differences, axis, -1), "wilcox")
    net = signed_ranks.sum(axis=-1)
    total = np.abs(signed_ranks).sum(axis=-1)
    return np.divide(net, total, out=np.zeros_like(net), where=total > 0)[()]


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


def _differences(pre: ArrayLike, post: ArrayLike) -> np.ndarray:
    """post - pre as a float array, after checking the pairs are complete."""
    before = np.asarray(pre, dtype=float)
    after = np.asarray(post, dtype=float)
    if before.ndim != 1 or after.ndim != 1:
        raise ValueError("pre and post must be 1-D")
    if before.size != after.size:
        raise ValueError(f"pre and post must pair up, got {before.size} and {after.size} values")
    if before.size == 0:
        raise ValueError("no pairs to analyse")
    if not (np.isfinite(before).all() and np.isfinite(after).all()):
        raise ValueError(
            "pre and post contain missing or infinite values; drop incomplete pairs first (see complete_pairs)"
        )
    return after - before
