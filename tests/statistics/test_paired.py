"""Tests for evaluation.statistics.paired.

Reference values are published R output (hard-coded, with the source), or
come from another implementation run inside the test: scipy, pingouin, or a
brute-force enumeration written here.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from evaluation.notes import AnalysisNote
from evaluation.statistics.paired import (
    CompletePairs,
    cohens_dz,
    complete_pairs,
    hodges_lehmann,
    paired_mean_change,
    rank_biserial,
    wilcoxon_signed_rank,
)

# Hamilton depression scale before (X) and after (Y) a tranquilliser,
# Hollander & Wolfe (1973), p. 29; the example in R's ?wilcox.test.
HW_X = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
HW_Y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])

# Student's (1908) sleep data, R's `sleep`: extra hours of sleep of 10
# patients under two drugs. The changes have ties and one zero.
SLEEP_DRUG1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_DRUG2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])

# A cohort of 8 rating one 1-5 Likert item: heavy ties and zeros.
LIKERT_PRE = np.array([3, 2, 4, 3, 3, 2, 4, 3], dtype=float)
LIKERT_POST = np.array([4, 3, 4, 5, 3, 4, 5, 2], dtype=float)

ALTERNATIVES = ("two-sided", "greater", "less")


def enumerated_signed_rank_p(differences: np.ndarray, zero_method: str, alternative: str) -> tuple[float, float]:
    """V and its exact p-value by listing every sign pattern of the non-zero changes."""
    if zero_method == "wilcox":
        differences = differences[differences != 0]
    ranks = stats.rankdata(np.abs(differences))
    nonzero = differences != 0
    ranks, positive = ranks[nonzero], differences[nonzero] > 0
    observed = ranks[positive].sum()
    sums = np.array([ranks[list(pattern)].sum() for pattern in itertools.product([False, True], repeat=ranks.size)])
    at_least = np.mean(sums >= observed - 1e-9)
    at_most = np.mean(sums <= observed + 1e-9)
    p = {"greater": at_least, "less": at_most, "two-sided": min(1.0, 2 * min(at_least, at_most))}
    return float(observed), float(p[alternative])


# --- mean change and paired t-test -------------------------------------------


def test_mean_change_matches_r_t_test_on_sleep_data() -> None:
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) gives
    # t = -4.0621, df = 9, p-value = 0.002833,
    # 95% CI -2.4598858 -0.7001142, mean difference -1.58 (group 1 - group 2).
    result = paired_mean_change(SLEEP_DRUG1, SLEEP_DRUG2)
    assert result.estimate == pytest.approx(1.58)
    assert result.statistic == pytest.approx(4.0621, abs=5e-5)
    assert result.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.conf_low == pytest.approx(0.7001142, abs=5e-8)
    assert result.conf_high == pytest.approx(2.4598858, abs=5e-8)
    assert result.n == 10


@pytest.mark.parametrize("n", [2, 3, 12])
def test_mean_change_matches_scipy_ttest_rel(n: int) -> None:
    rng = np.random.default_rng(n)
    pre = rng.normal(3, 1, n)
    post = pre + rng.normal(0.4, 0.8, n)
    result = paired_mean_change(pre, post, confidence_level=0.90)
    reference = stats.ttest_rel(post, pre)
    interval = reference.confidence_interval(confidence_level=0.90)
    assert result.statistic == pytest.approx(reference.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert (result.conf_low, result.conf_high) == pytest.approx((interval.low, interval.high))
    assert result.std_error == pytest.approx(stats.sem(post - pre))


def test_mean_change_of_one_pair_has_only_an_estimate() -> None:
    result = paired_mean_change([2.0], [3.5])
    assert result.estimate == 1.5 and result.n == 1
    assert all(
        math.isnan(v) for v in (result.std_error, result.statistic, result.p_value, result.conf_low, result.conf_high)
    )


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # scipy, constant data
@pytest.mark.parametrize("change", [0.0, 1.0])
def test_mean_change_with_identical_changes_follows_scipy(change: float) -> None:
    pre = np.array([1.0, 2.0, 3.0, 4.0])
    result = paired_mean_change(pre, pre + change)
    reference = stats.ttest_rel(pre + change, pre)
    assert result.std_error == 0.0
    np.testing.assert_equal([result.statistic, result.p_value], [reference.statistic, reference.pvalue])


@pytest.mark.parametrize(
    ("pre", "post", "message"),
    [
        ([1.0, 2.0], [1.0], "pair up"),
        ([], [], "no pairs"),
        ([1.0, np.nan], [2.0, 3.0], "missing"),
        ([[1.0, 2.0]], [[1.0, 2.0]], "1-D"),
    ],
)
def test_invalid_pairs_are_rejected(pre: list, post: list, message: str) -> None:
    for function in (paired_mean_change, wilcoxon_signed_rank, hodges_lehmann, cohens_dz, rank_biserial):
        with pytest.raises(ValueError, match=message):
            function(pre, post)


# --- Wilcoxon signed-rank test ------------------------------------------------


def test_wilcoxon_matches_r_hollander_wolfe_example() -> None:
    # R: wilcox.test(x, y, paired = TRUE, alternative = "greater") gives
    # V = 40, p-value = 0.01953 (= 10/512 exactly).
    result = wilcoxon_signed_rank(HW_Y, HW_X, alternative="greater")
    assert result.statistic == 40
    assert result.p_value == pytest.approx(0.01953, abs=5e-6)
    assert result.p_value == pytest.approx(10 / 512, rel=1e-12)
    assert wilcoxon_signed_rank(HW_Y, HW_X).p_value == pytest.approx(20 / 512, rel=1e-12)
    assert result.n == 9
    assert math.isnan(result.estimate)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("n", [1, 2, 5, 11, 20])
def test_wilcoxon_without_ties_matches_scipy_exact(n: int, alternative: str) -> None:
    rng = np.random.default_rng(100 + n)
    pre = rng.normal(size=n)
    post = pre + rng.normal(0.3, 1.0, n)
    result = wilcoxon_signed_rank(pre, post, alternative=alternative)
    reference = stats.wilcoxon(post, pre, alternative=alternative, method="exact")
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    if alternative != "two-sided":  # scipy reports min(W+, W-) for two-sided
        assert result.statistic == reference.statistic


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("zero_method", ["wilcox", "pratt"])
@pytest.mark.parametrize(
    ("pre", "post"),
    [
        (LIKERT_PRE, LIKERT_POST),
        (SLEEP_DRUG1, SLEEP_DRUG2),
        (np.zeros(9), np.array([0, 0, 1, -2, 3, 4, -1.5, 5, 1])),
    ],
    ids=["likert", "sleep", "zeros"],
)
def test_wilcoxon_with_ties_is_the_exact_permutation_test(
    pre: np.ndarray, post: np.ndarray, zero_method: str, alternative: str
) -> None:
    result = wilcoxon_signed_rank(pre, post, zero_method=zero_method, alternative=alternative)
    observed, enumerated = enumerated_signed_rank_p(post - pre, zero_method, alternative)
    # scipy enumerates all 2^n sign flips when 2^n <= its n_resamples (9999).
    permutation = stats.wilcoxon(
        post,
        pre,
        zero_method=zero_method,
        alternative=alternative,
        method=stats.PermutationMethod(),
    )
    assert result.statistic == pytest.approx(observed)
    assert result.p_value == pytest.approx(enumerated, rel=1e-12)
    assert result.p_value == pytest.approx(permutation.pvalue, rel=1e-9)


def test_zero_methods_differ_only_when_there_are_zeros() -> None:
    with_zeros = np.array([0, 0, 1, -2, 3, 4, -1.5, 5, 1])
    wilcox = wilcoxon_signed_rank(np.zeros(9), with_zeros, zero_method="wilcox")
    pratt = wilcoxon_signed_rank(np.zeros(9), with_zeros, zero_method="pratt")
    assert (wilcox.n, pratt.n) == (7, 7)
    assert wilcox.statistic != pratt.statistic
    assert wilcox.p_value != pratt.p_value
    no_zeros = with_zeros[with_zeros != 0]
    pratt = wilcoxon_signed_rank(np.zeros(7), no_zeros, zero_method="pratt")
    wilcox = wilcoxon_signed_rank(np.zeros(7), no_zeros, zero_method="wilcox")
    assert (pratt.statistic, pratt.p_value) == (wilcox.statistic, wilcox.p_value)


def test_wilcoxon_with_all_changes_zero_is_undefined() -> None:
    result = wilcoxon_signed_rank([3.0, 4.0, 2.0], [3.0, 4.0, 2.0])
    assert result.n == 0
    assert math.isnan(result.statistic) and math.isnan(result.p_value)


def test_wilcoxon_of_one_pair() -> None:
    # One positive change: V is 0 or 1 with probability 1/2 each.
    assert wilcoxon_signed_rank([1.0], [2.0]).p_value == 1.0
    assert wilcoxon_signed_rank([1.0], [2.0], alternative="greater").p_value == 0.5


def test_wilcoxon_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match="zero_method"):
        wilcoxon_signed_rank([1.0], [2.0], zero_method="zsplit")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alternative"):
        wilcoxon_signed_rank([1.0], [2.0], alternative="two_sided")  # type: ignore[arg-type]


# --- Hodges-Lehmann estimate --------------------------------------------------


def test_hodges_lehmann_matches_r_hollander_wolfe_example() -> None:
    # R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE) gives
    # (pseudo)median 0.46, 95 percent confidence interval 0.0100 0.7860.
    result = hodges_lehmann(HW_Y, HW_X)
    assert result.estimate == pytest.approx(0.46)
    assert result.conf_low == pytest.approx(0.0100)
    assert result.conf_high == pytest.approx(0.7860)
    assert result.n == 9


def scipy_exact_p(differences: np.ndarray, shift: float) -> float:
    return stats.wilcoxon(differences - shift, method="exact").pvalue


@pytest.mark.parametrize(
    ("n", "confidence_level"),
    [(6, 0.80), (6, 0.95), (9, 0.90), (9, 0.95), (15, 0.95), (15, 0.99), (30, 0.95)],
)
def test_hodges_lehmann_interval_inverts_scipy_exact_wilcoxon(n: int, confidence_level: float) -> None:
    # The bounds are where the exact two-sided test of "typical change =
    # shift" switches from rejecting to not rejecting at 1 - confidence_level.
    rng = np.random.default_rng(n)
    differences = rng.normal(0.5, 1.0, n)
    result = hodges_lehmann(np.zeros(n), differences, confidence_level=confidence_level)
    alpha = 1 - confidence_level
    epsilon = 1e-7
    for bound, outward in ((result.conf_low, -epsilon), (result.conf_high, epsilon)):
        assert scipy_exact_p(differences, bound + outward) < alpha
        assert scipy_exact_p(differences, bound - outward) >= alpha


def test_hodges_lehmann_estimate_is_the_median_of_walsh_averages() -> None:
    differences = LIKERT_POST - LIKERT_PRE
    walsh = [(a + b) / 2 for a, b in itertools.combinations_with_replacement(differences, 2)]
    assert hodges_lehmann(LIKERT_PRE, LIKERT_POST).estimate == np.median(walsh)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_hodges_lehmann_interval_is_nan_when_95_percent_is_unreachable(n: int) -> None:
    # With n <= 5 even [min, max] of the Walsh averages covers only 1 - 2/2^n < 95%.
    differences = np.arange(1.0, n + 1)
    result = hodges_lehmann(np.zeros(n), differences)
    assert result.estimate == pytest.approx(np.median(differences))
    assert math.isnan(result.conf_low) and math.isnan(result.conf_high)


def test_hodges_lehmann_widest_interval_when_it_is_enough() -> None:
    # n = 5 at 90%: P(V <= 0) = 1/32 < 0.05 <= P(V <= 1) = 2/32, so q = 1 and
    # the interval runs from the smallest to the largest Walsh average.
    result = hodges_lehmann(np.zeros(5), [1.0, 2.0, 3.0, 4.0, 5.0], confidence_level=0.90)
    assert (result.conf_low, result.estimate, result.conf_high) == (1.0, 3.0, 5.0)


# --- effect sizes ---------------------------------------------------------------


def test_cohens_dz_is_t_over_root_n() -> None:
    result = cohens_dz(SLEEP_DRUG1, SLEEP_DRUG2)
    t = stats.ttest_rel(SLEEP_DRUG2, SLEEP_DRUG1).statistic
    assert result.estimate == pytest.approx(t / np.sqrt(10), rel=1e-12)
    assert result.n == 10


def bisected_noncentrality(t: float, df: int, upper_tail: float) -> float:
    """The delta with P(T > t) = upper_tail, T ~ t_df(delta), by plain bisection on scipy's nct.sf.

    Independent of the package's root finder: P(T > t) rises with delta, so
    halve a bracket around t (wide enough for the small df used here) 200 times.
    """
    low, high = t - 60.0, t + 60.0
    assert stats.nct.sf(t, df, low) < upper_tail < stats.nct.sf(t, df, high)
    for _ in range(200):
        middle = (low + high) / 2
        if stats.nct.sf(t, df, middle) < upper_tail:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def test_cohens_dz_interval_matches_published_example() -> None:
    # Real Statistics Using Excel, "CI Functions for Effect Size d", Example 1
    # (https://real-statistics.com/students-t-distribution/confidence-interval-effect-size-power/
    # ci-functions-effect-size-d): one sample of 40 with t = -3.66393, 95% CI
    # for Cohen's d (-0.91148, -0.24079) from the noncentral t distribution.
    # (The page prints the upper end as "-.024079", a dropped digit: 0.24079 *
    # sqrt(40) = 1.5229 is the noncentrality with P(T <= 3.66393) = 0.975.)
    # Changes with exactly that t: any sample rescaled to mean d and SD 1.
    z = np.random.default_rng(5).normal(size=40)
    d = -3.66393 / np.sqrt(40)
    changes = (z - z.mean()) / z.std(ddof=1) + d
    result = cohens_dz(np.zeros(40), changes)
    assert result.estimate == pytest.approx(d, rel=1e-12)
    assert result.statistic == pytest.approx(-3.66393, rel=1e-12)
    assert result.conf_low == pytest.approx(-0.91148, abs=1e-5)
    assert result.conf_high == pytest.approx(-0.24079, abs=1e-5)


@pytest.mark.parametrize(
    ("pre", "post", "confidence_level"),
    [
        (SLEEP_DRUG1, SLEEP_DRUG2, 0.95),
        (SLEEP_DRUG1, SLEEP_DRUG2, 0.90),
        (LIKERT_PRE, LIKERT_POST, 0.95),  # Likert ties: no gap, unlike a bootstrap
        (HW_X, HW_Y, 0.95),  # a fall
        ([1.0, 2.0], [2.0, 4.0], 0.95),  # two pairs: 1 df
    ],
)
def test_cohens_dz_interval_inverts_the_noncentral_t(pre, post, confidence_level) -> None:
    differences = np.asarray(post) - np.asarray(pre)
    n = differences.size
    t = stats.ttest_rel(post, pre).statistic
    tail = (1 - confidence_level) / 2
    result = cohens_dz(pre, post, confidence_level=confidence_level)
    assert result.conf_low == pytest.approx(bisected_noncentrality(t, n - 1, tail) / np.sqrt(n), abs=1e-8)
    assert result.conf_high == pytest.approx(bisected_noncentrality(t, n - 1, 1 - tail) / np.sqrt(n), abs=1e-8)
    assert result.conf_low < result.estimate < result.conf_high


def test_cohens_dz_interval_covers_at_its_level_for_normal_changes() -> None:
    # Exact under normality: 2,000 samples of 7 pairs with d_z = 0.8 (Monte
    # Carlo s.e. of the coverage 0.49%, so 93-97% is 4 s.e. either side).
    rng = np.random.default_rng(11)
    intervals = [cohens_dz(np.zeros(7), changes) for changes in rng.normal(0.8, 1.0, size=(2000, 7))]
    assert 0.93 <= np.mean([i.conf_low <= 0.8 <= i.conf_high for i in intervals]) <= 0.97


def test_cohens_dz_says_so_when_t_is_beyond_the_noncentral_t() -> None:
    with pytest.warns(AnalysisNote, match="cannot be computed"):
        result = cohens_dz(np.zeros(3), [100.0, 100.001, 100.0005])  # t = 346,412 on 2 df
    assert result.estimate > 1e5 and math.isnan(result.conf_low) and math.isnan(result.conf_high)


@pytest.mark.parametrize(
    ("pre", "post"),
    [
        (LIKERT_PRE, LIKERT_POST),
        (SLEEP_DRUG1, SLEEP_DRUG2),
        (HW_X, HW_Y),
        (np.zeros(6), np.array([0.0, -1, 2, 3, 3, -0.5])),
    ],
)
def test_rank_biserial_matches_pingouin(pre: np.ndarray, post: np.ndarray) -> None:
    result = rank_biserial(pre, post, n_resamples=200)
    reference = pingouin.wilcoxon(post, pre).loc["Wilcoxon", "RBC"]
    assert result.estimate == pytest.approx(reference, rel=1e-12)


def test_rank_biserial_interval_agrees_with_scipy_bca() -> None:
    differences = np.array([1.0, 2.0, 1.0, 0.5, -0.5, 1.5, 2.0, 0.25, 1.25, -1.0])

    def kerby(d: np.ndarray, axis: int = -1) -> np.ndarray:  # valid without zero changes
        ranks = stats.rankdata(np.abs(d), axis=axis)
        return (ranks * np.sign(d)).sum(axis=axis) / ranks.sum(axis=axis)

    result = rank_biserial(np.zeros(10), differences, n_resamples=40_000, seed=3)
    reference = stats.bootstrap((differences,), kerby, method="BCa", n_resamples=40_000, rng=4).confidence_interval
    assert result.conf_low == pytest.approx(reference.low, abs=0.05)
    assert result.conf_high == pytest.approx(reference.high, abs=0.05)


def test_rank_biserial_interval_is_reproducible_with_a_seed() -> None:
    first = rank_biserial(HW_Y, HW_X, n_resamples=2000, seed=9)
    assert rank_biserial(HW_Y, HW_X, n_resamples=2000, seed=9) == first
    assert rank_biserial(HW_Y, HW_X, n_resamples=2000, seed=10) != first


def test_effect_sizes_of_one_pair() -> None:
    dz = cohens_dz([1.0], [2.0])
    r = rank_biserial([1.0], [2.0])
    assert math.isnan(dz.estimate) and math.isnan(dz.conf_low)
    assert r.estimate == 1.0 and math.isnan(r.conf_low) and r.n == 1


def test_effect_sizes_when_nobody_changed() -> None:
    pre = np.array([3.0, 4.0, 2.0, 5.0])
    dz = cohens_dz(pre, pre)
    r = rank_biserial(pre, pre)
    assert math.isnan(dz.estimate)
    assert (r.estimate, r.conf_low, r.conf_high) == (0.0, 0.0, 0.0)


def test_effect_sizes_when_everyone_changed_equally() -> None:
    pre = np.array([3.0, 4.0, 2.0, 5.0])
    assert math.isnan(cohens_dz(pre, pre + 1).estimate)  # no spread to standardise by
    r = rank_biserial(pre, pre + 1)
    assert (r.estimate, r.conf_low, r.conf_high) == (1.0, 1.0, 1.0)


def test_effect_sizes_of_two_pairs() -> None:
    # d_z's noncentral-t interval exists with one df (checked against
    # bisection above).
    dz = cohens_dz([1.0, 2.0], [2.0, 4.0])  # changes 1 and 2
    assert dz.estimate == pytest.approx(1.5 / np.std([1.0, 2.0], ddof=1))
    assert dz.conf_low < dz.estimate < dz.conf_high
    # changes +1 and -2: ranks 1 and 2, so r = (1 - 2) / 3
    assert rank_biserial([1.0, 2.0], [2.0, 0.0]).estimate == pytest.approx(-1 / 3)


# --- complete pairs -------------------------------------------------------------


@pytest.fixture
def survey_waves() -> pd.DataFrame:
    rows = [
        ("p1", "baseline", 3.0),
        ("p1", "endpoint", 4.0),
        ("p1", "follow-up", 4.5),
        ("p2", "baseline", 2.0),
        ("p2", "endpoint", 2.5),
        ("p3", "baseline", 3.5),  # no endpoint row
        ("p4", "endpoint", 4.0),  # no baseline row
        ("p5", "baseline", np.nan),
        ("p5", "endpoint", 3.0),  # baseline left blank
        ("p6", "follow-up", 4.0),  # joined late
        ("p0", "endpoint", 1.0),
        ("p0", "baseline", 2.0),  # rows out of order
    ]
    return pd.DataFrame(rows, columns=["participant", "wave", "score"])


def test_complete_pairs_keeps_both_waves_and_counts_exclusions(
    survey_waves: pd.DataFrame,
) -> None:
    pairs = complete_pairs(survey_waves, baseline="baseline", endpoint="endpoint")
    assert isinstance(pairs, CompletePairs)
    assert pairs.participants == ("p0", "p1", "p2")
    np.testing.assert_array_equal(pairs.pre, [2.0, 3.0, 2.0])
    np.testing.assert_array_equal(pairs.post, [1.0, 4.0, 2.5])
    assert (pairs.missing_baseline, pairs.missing_endpoint, pairs.missing_both) == (2, 1, 1)
    assert (pairs.n, pairs.n_excluded) == (3, 4)


def test_complete_pairs_compares_any_two_waves(survey_waves: pd.DataFrame) -> None:
    pairs = complete_pairs(survey_waves, baseline="baseline", endpoint="follow-up")
    assert pairs.participants == ("p1",)
    assert (pairs.missing_baseline, pairs.missing_endpoint, pairs.missing_both) == (1, 3, 2)


def test_complete_pairs_uses_given_column_names(survey_waves: pd.DataFrame) -> None:
    renamed = survey_waves.rename(columns={"participant": "id", "wave": "time", "score": "y"})
    pairs = complete_pairs(renamed, baseline="baseline", endpoint="endpoint", participant="id", wave="time", score="y")
    assert pairs.participants == ("p0", "p1", "p2")


def test_complete_pairs_rejects_unknown_wave_and_duplicates(survey_waves: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'endline' not in data"):
        complete_pairs(survey_waves, baseline="baseline", endpoint="endline")
    duplicated = pd.concat([survey_waves, survey_waves.iloc[[0]]])
    with pytest.raises(ValueError, match="more than one score.*p1"):
        complete_pairs(duplicated, baseline="baseline", endpoint="endpoint")
    with pytest.raises(ValueError, match="columns"):
        complete_pairs(survey_waves.drop(columns="score"), baseline="baseline", endpoint="endpoint")
