"""Small-sample two-sample and k-sample comparisons against scipy's exact tests, enumeration and by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from evaluation.statistics import two_sample


def test_two_sample_permutation_test_is_the_exact_scipy_permutation_test():
    x = np.array([2.5, 3.0, 3.75, 2.25, 3.5])
    y = np.array([3.25, 2.75, 3.0, 3.5, 2.5, 4.0, 3.25, 2.0, 3.75])
    statistic, p, exact = two_sample.two_sample_permutation_test(x, y)
    reference = stats.permutation_test(
        (x, y),
        lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis),
        permutation_type="independent",
        n_resamples=np.inf,
        vectorized=True,
    )
    assert exact
    assert statistic == pytest.approx(x.mean() - y.mean())
    assert p == pytest.approx(reference.pvalue, rel=1e-9)


def test_rank_permutation_test_is_the_exact_mann_whitney_test_without_ties():
    x = [1.83, 0.50, 1.62, 2.48, 1.68]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06 + 1e-3, 3.14]
    _, p, exact = two_sample.two_sample_permutation_test(x, y, ranks=True)
    assert exact
    assert p == pytest.approx(stats.mannwhitneyu(x, y, method="exact").pvalue, rel=1e-9)


def test_two_sample_permutation_test_samples_when_there_are_too_many_splits():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0.8, 1, 15), rng.normal(0, 1, 15)  # C(30, 15) > the enumeration limit
    _, p, exact = two_sample.two_sample_permutation_test(x, y, resamples=4999, seed=1)
    assert not exact
    assert p == pytest.approx(stats.ttest_ind(x, y).pvalue, abs=0.02)


def test_mann_whitney_null_distribution_matches_enumeration():
    m, n = 3, 4
    counts = np.zeros(m * n + 1)
    for positions in itertools.combinations(range(m + n), m):
        # U counts (x, y) pairs with x above y: for an x at rank r, the y's below it.
        counts[sum(r - i for i, r in enumerate(positions))] += 1
    assert two_sample._mann_whitney_null(m, n) == pytest.approx(counts / counts.sum())


def test_hodges_lehmann_two_sample_interval_inverts_the_exact_mann_whitney_test():
    rng = np.random.default_rng(4)
    x, y = rng.normal(1.0, 1, 7), rng.normal(0, 1, 9)
    result = two_sample.hodges_lehmann_two_sample(x, y)
    differences = np.sort(np.subtract.outer(x, y).ravel())
    assert result.estimate == pytest.approx(np.median(differences))

    def p_at(shift: float) -> float:
        return stats.mannwhitneyu(x - shift, y, method="exact").pvalue

    low_index = int(np.searchsorted(differences, result.conf_low))
    high_index = int(np.searchsorted(differences, result.conf_high))
    inside = [(result.conf_low + differences[low_index + 1]) / 2, (result.conf_high + differences[high_index - 1]) / 2]
    outside = [(result.conf_low + differences[low_index - 1]) / 2, (result.conf_high + differences[high_index + 1]) / 2]
    assert all(p_at(s) >= 0.05 for s in inside)
    assert all(p_at(s) < 0.05 for s in outside)
    assert result.n == 7


def test_hodges_lehmann_two_sample_has_no_interval_when_groups_are_too_small():
    result = two_sample.hodges_lehmann_two_sample([1.0, 2.0], [3.0, 4.0, 5.0])  # smallest two-sided p is 0.2
    assert np.isnan(result.conf_low) and np.isnan(result.conf_high)


def test_welch_difference_matches_scipy():
    x, y = [3.2, 2.8, 3.9, 4.1, 3.0], [2.5, 2.9, 3.1, 2.2, 2.8, 3.3, 2.6]
    result = two_sample.welch_difference(x, y)
    reference = stats.ttest_ind(x, y, equal_var=False)
    interval = reference.confidence_interval(0.95)
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert (result.conf_low, result.conf_high) == pytest.approx((interval.low, interval.high))


def test_proportion_estimate_is_clopper_pearson():
    result = two_sample.proportion_estimate(19, 24, term="completion_rate")
    interval = stats.binomtest(19, 24).proportion_ci(0.95, method="exact")
    assert result.estimate == pytest.approx(19 / 24)
    assert (result.conf_low, result.conf_high) == pytest.approx((interval.low, interval.high))
    assert result.n == 5  # the smaller of 19 and 24 - 19
    with pytest.raises(ValueError):
        two_sample.proportion_estimate(5, 4, term="x")


def test_permutation_f_test_statistic_is_the_anova_f_and_p_close_to_it():
    rng = np.random.default_rng(9)
    groups = np.repeat(["a", "b", "c"], 12)
    values = rng.normal(0, 1, 36) + np.repeat([0.0, 0.5, 0.9], 12)
    f, p = two_sample.permutation_f_test(values, groups, resamples=9999, seed=2)
    reference = stats.f_oneway(*[values[groups == g] for g in "abc"])
    assert f == pytest.approx(reference.statistic)
    assert p == pytest.approx(reference.pvalue, abs=0.01)
    f_constant, p_constant = two_sample.permutation_f_test([1.0, 1.0, 1.0, 1.0], ["a", "a", "b", "b"])
    assert np.isnan(f_constant) and np.isnan(p_constant)
