"""Tests for evaluation.statistics.scales.

Reference values come from another implementation run inside the test
(pingouin, statsmodels, scipy), from closed forms on data built to have an
exactly known covariance matrix, or from hand calculation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats
from statsmodels.multivariate.factor import Factor

from evaluation.statistics.scales import (
    corrected_item_total,
    cronbach_alpha,
    mcdonald_omega,
    reverse_code,
    scale_scores,
)


def likert_responses(n: int, k: int, seed: int) -> pd.DataFrame:
    """n respondents x k items on a 1-5 scale driven by one trait, so items correlate."""
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    latent = 3 + trait + rng.normal(scale=0.8, size=(n, k))
    return pd.DataFrame(np.clip(np.rint(latent), 1, 5), columns=[f"q{j}" for j in range(1, k + 1)])


def data_with_covariance(covariance: np.ndarray, n: int, seed: int) -> pd.DataFrame:
    """n x k data whose sample covariance (n - 1 denominator) is exactly ``covariance``."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(n, covariance.shape[0]))
    whitened = (noise - noise.mean(axis=0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(noise, rowvar=False))).T
    values = 3 + whitened @ np.linalg.cholesky(covariance).T
    return pd.DataFrame(values, columns=[f"q{j}" for j in range(1, covariance.shape[0] + 1)])


# --- reverse coding and scale scores ------------------------------------------------


def test_reverse_code_mirrors_the_scale_and_keeps_missing() -> None:
    answers = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [5, 4, None, 2, 1], "q3": [1, 1, 1, 1, 1]})
    reversed_answers = reverse_code(answers, ["q1", "q2"], scale_min=1, scale_max=5)
    assert reversed_answers["q1"].tolist() == [5, 4, 3, 2, 1]
    assert reversed_answers["q2"].tolist()[:2] == [1, 2] and math.isnan(reversed_answers["q2"][2])
    pd.testing.assert_series_equal(reversed_answers["q3"], answers["q3"])
    assert answers["q1"].tolist() == [1, 2, 3, 4, 5]  # the input is not modified


def test_reverse_code_on_a_zero_based_scale() -> None:
    answers = pd.DataFrame({"q1": [0, 3, 10]})
    assert reverse_code(answers, ["q1"], scale_min=0, scale_max=10)["q1"].tolist() == [10, 7, 0]


@pytest.mark.parametrize(
    ("items", "scale_max", "message"),
    [(["q9"], 5, "not columns"), (["q1"], 4, "outside"), (["q1"], 1, "below")],
)
def test_reverse_code_rejects_bad_input(items: list[str], scale_max: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        reverse_code(pd.DataFrame({"q1": [1, 5]}), items, scale_min=1, scale_max=scale_max)


def test_scale_scores_apply_the_half_rule() -> None:
    answers = pd.DataFrame(
        {
            "q1": [4, 2, None, 1, None],
            "q2": [5, None, None, 2, None],
            "q3": [3, 3, 4, None, None],
            "q4": [4, None, None, 3, 2],
        },
        index=["ann", "bo", "cy", "di", "ed"],
    )
    scores = scale_scores(answers)
    # 4/4 answered: mean 4; 2/4: mean of 2 and 3; 1/4: below half; 3/4: mean 2; 1/4: none.
    expected = pd.Series([4.0, 2.5, np.nan, 2.0, np.nan], index=answers.index, name="score")
    pd.testing.assert_series_equal(scores, expected)


def test_scale_scores_threshold_is_inclusive_and_configurable() -> None:
    three_items = pd.DataFrame({"q1": [1.0, 1.0], "q2": [2.0, None], "q3": [None, None]})
    # 2 of 3 answered meets one half; 1 of 3 does not.
    assert scale_scores(three_items).tolist()[0] == 1.5
    assert math.isnan(scale_scores(three_items).tolist()[1])
    # min_answered=1 scores complete responses only; 1/3 accepts a single item.
    assert scale_scores(three_items, min_answered=1).isna().all()
    assert scale_scores(three_items, min_answered=1 / 3).tolist() == [1.5, 1.0]


@pytest.mark.parametrize("min_answered", [0, -0.5, 1.5])
def test_scale_scores_reject_impossible_threshold(min_answered: float) -> None:
    with pytest.raises(ValueError, match="min_answered"):
        scale_scores(pd.DataFrame({"q1": [1.0]}), min_answered=min_answered)


def test_text_responses_are_rejected() -> None:
    answers = pd.DataFrame({"q1": [1, 2], "q2": ["agree", "disagree"]})
    for function in (scale_scores, cronbach_alpha, corrected_item_total):
        with pytest.raises(ValueError, match="not numeric"):
            function(answers)


# --- Cronbach's alpha -------------------------------------------------------------


@pytest.mark.parametrize(("n", "k", "seed"), [(8, 5, 1), (30, 4, 2), (200, 10, 3), (2, 3, 5)])
@pytest.mark.parametrize("confidence_level", [0.90, 0.95])
def test_alpha_and_feldt_interval_match_pingouin(n: int, k: int, seed: int, confidence_level: float) -> None:
    answers = likert_responses(n, k, seed)
    result = cronbach_alpha(answers, confidence_level=confidence_level)
    alpha, interval = pingouin.cronbach_alpha(answers, ci=confidence_level)
    assert result.estimate == pytest.approx(alpha, rel=1e-12)
    # pingouin rounds its interval to 3 decimals.
    assert (result.conf_low, result.conf_high) == pytest.approx(tuple(interval), abs=5e-4)
    assert result.n == n


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside pingouin, pandas 3
def test_alpha_equals_icc3k_from_a_two_way_anova() -> None:
    # Hoyt (1941): alpha is the consistency ICC of the mean of k items, ICC(3,k).
    answers = likert_responses(12, 6, seed=5)
    long = (
        answers.rename_axis("respondent").reset_index().melt(id_vars="respondent", var_name="item", value_name="rating")
    )
    icc = pingouin.intraclass_corr(long, targets="respondent", raters="item", ratings="rating")
    icc3k = icc.set_index("Type").loc["ICC(C,k)"]
    result = cronbach_alpha(answers)
    assert result.estimate == pytest.approx(icc3k["ICC"], rel=1e-10)
    assert (result.conf_low, result.conf_high) == pytest.approx(tuple(icc3k["CI95"]), abs=5e-3)


def test_alpha_uses_listwise_deletion() -> None:
    answers = likert_responses(20, 5, seed=6)
    answers.iloc[[1, 4], 0] = np.nan
    answers.iloc[7, 3] = np.nan
    result = cronbach_alpha(answers)
    alpha, _ = pingouin.cronbach_alpha(answers, nan_policy="listwise")
    assert result.n == 17
    assert result.estimate == pytest.approx(alpha, rel=1e-12)
    assert result.estimate == pytest.approx(cronbach_alpha(answers.dropna()).estimate)


def test_alpha_with_a_constant_item_matches_pingouin() -> None:
    answers = likert_responses(10, 4, seed=7).assign(q5=3.0)
    result = cronbach_alpha(answers)
    alpha, _ = pingouin.cronbach_alpha(answers)
    assert result.estimate == pytest.approx(alpha, rel=1e-12)
    assert result.estimate < cronbach_alpha(answers.drop(columns="q5")).estimate


def test_alpha_is_nan_without_enough_respondents_or_variance() -> None:
    one = cronbach_alpha(likert_responses(1, 4, seed=8))
    assert one.n == 1 and math.isnan(one.estimate) and math.isnan(one.conf_low)
    identical = pd.DataFrame({"q1": [2.0, 2.0, 2.0], "q2": [4.0, 4.0, 4.0]})
    assert math.isnan(cronbach_alpha(identical).estimate)


def test_alpha_needs_two_items() -> None:
    with pytest.raises(ValueError, match="at least 2 items"):
        cronbach_alpha(pd.DataFrame({"q1": [1.0, 2.0, 3.0]}))


# --- McDonald's omega -------------------------------------------------------------

LOADINGS = np.array([0.8, 0.7, 0.6, 0.5, 0.75])
ITEM_SDS = np.array([1.0, 0.8, 1.2, 0.9, 1.1])


def one_factor_covariance(loadings: np.ndarray, sds: np.ndarray) -> np.ndarray:
    raw_loadings = loadings * sds
    return np.outer(raw_loadings, raw_loadings) + np.diag(sds**2 * (1 - loadings**2))


def test_omega_recovers_the_population_value_of_an_exact_one_factor_model() -> None:
    # Data whose covariance matrix is exactly a one-factor model: any
    # consistent fit recovers it, and omega has a closed form (McDonald, 1999).
    answers = data_with_covariance(one_factor_covariance(LOADINGS, ITEM_SDS), n=40, seed=9)
    common = np.sum(LOADINGS * ITEM_SDS) ** 2
    unique = np.sum(ITEM_SDS**2 * (1 - LOADINGS**2))
    result = mcdonald_omega(answers)
    assert result.estimate == pytest.approx(common / (common + unique), abs=1e-8)
    assert result.n == 40


def test_omega_equals_alpha_for_tau_equivalent_items() -> None:
    # With equal raw loadings (tau-equivalence) alpha and omega coincide
    # (Novick & Lewis, 1967); alpha here comes from pingouin.
    sds = np.array([1.0, 0.9, 1.3, 1.1])
    loadings = 0.7 / sds
    answers = data_with_covariance(one_factor_covariance(loadings, sds), n=25, seed=10)
    alpha, _ = pingouin.cronbach_alpha(answers)
    assert mcdonald_omega(answers).estimate == pytest.approx(alpha, abs=1e-8)


@pytest.mark.parametrize(("n", "seed"), [(300, 11), (60, 12)])
def test_omega_matches_iterated_principal_axis_fit_in_statsmodels(n: int, seed: int) -> None:
    # Iterated principal axis factoring converges to the minres (ULS) solution
    # (Harman, 1976), so statsmodels' fit must give the same loadings.
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    answers = pd.DataFrame(trait * LOADINGS + rng.normal(size=(n, 5)) * np.sqrt(1 - LOADINGS**2))
    answers = answers * ITEM_SDS + 3
    fit = Factor(answers.to_numpy(), n_factor=1, method="pa").fit(maxiter=10_000, tol=1e-12)
    loadings = fit.loadings[:, 0]
    assert np.all(np.abs(loadings) < 1)  # no Heywood case, so the bound is inactive
    sds = answers.std().to_numpy()
    common = np.sum(sds * loadings) ** 2
    expected = common / (common + np.sum(sds**2 * (1 - loadings**2)))
    assert mcdonald_omega(answers).estimate == pytest.approx(expected, abs=1e-6)


def test_omega_works_with_fewer_respondents_than_items() -> None:
    answers = likert_responses(6, 10, seed=13)
    result = mcdonald_omega(answers)
    assert 0 < result.estimate <= 1 and result.n == 6


def test_omega_ignores_constant_items() -> None:
    answers = likert_responses(15, 5, seed=14)
    with_constant = answers.assign(q6=4.0)
    assert mcdonald_omega(with_constant).estimate == pytest.approx(mcdonald_omega(answers).estimate, abs=1e-9)


def test_omega_is_nan_without_enough_respondents_or_varying_items() -> None:
    assert math.isnan(mcdonald_omega(likert_responses(2, 4, seed=15)).estimate)
    two_varying = pd.DataFrame({"q1": [1.0, 2, 3, 4], "q2": [2.0, 2, 4, 5], "q3": [3.0, 3, 3, 3], "q4": [1.0] * 4})
    assert math.isnan(mcdonald_omega(two_varying).estimate)


def test_omega_needs_three_items() -> None:
    with pytest.raises(ValueError, match="at least 3 items"):
        mcdonald_omega(likert_responses(10, 2, seed=16))


# --- corrected item-total correlations ------------------------------------------------


def test_corrected_item_total_matches_scipy_pearson_with_rest_score() -> None:
    answers = likert_responses(25, 6, seed=17)
    answers["q3"] = 6 - answers["q3"]  # an item someone forgot to reverse
    answers.iloc[2, 1] = np.nan
    complete = answers.dropna()
    result = corrected_item_total(answers)
    for item in answers.columns:
        rest = complete.drop(columns=item).sum(axis=1)
        assert result[item] == pytest.approx(stats.pearsonr(complete[item], rest).statistic)
    assert result["q3"] < 0
    assert result.name == "corrected_item_total"
    assert list(result.index) == list(answers.columns)


def test_corrected_item_total_is_nan_for_a_constant_item() -> None:
    answers = likert_responses(10, 3, seed=18).assign(q4=2.0)
    result = corrected_item_total(answers)
    assert math.isnan(result["q4"])
    # A constant adds nothing to the other items' rest scores.
    pd.testing.assert_series_equal(result.drop("q4"), corrected_item_total(answers.drop(columns="q4")))


def test_corrected_item_total_is_nan_for_one_respondent() -> None:
    assert corrected_item_total(likert_responses(1, 3, seed=19)).isna().all()
