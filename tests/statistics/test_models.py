"""Tests of evaluation.statistics.models against hand computations and published fits.

Reference values come from outside this package: repeated-measures ANOVA mean
squares computed here with NumPy (REML equals ANOVA for balanced complete
data), lme4's published sleepstudy slope, lmerTest's published Satterthwaite degrees of
freedom (Kuznetsova et al., 2017; split-plot ANOVA error degrees of freedom), R MASS::polr's published UCLA
ordered-logit coefficients, a direct maximisation of the proportional-odds
likelihood written here with SciPy, and Holm/BH adjustments worked by hand.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

from evaluation.statistics.models import (
    adjust_p_values,
    mixed_model_change,
    ordinal_item_model,
    satterthwaite_df,
    wave_change_by_cohort,
)
from evaluation.tidy import Estimate

DATA = Path(__file__).parent / "data"
WAVES = ["baseline", "endpoint", "follow-up"]
# Split-plot ANOVA: a within-leader contrast is tested against the leader-by-wave error stratum,
# (24 leaders - 3 cohorts) x (3 waves - 1) degrees of freedom.
SPLIT_PLOT_ERROR_DF = 42
T_975_42 = stats.t.ppf(0.975, SPLIT_PLOT_ERROR_DF)


def by_term(estimates: list[Estimate]) -> dict[str, Estimate]:
    return {e.term: e for e in estimates}


@pytest.fixture(scope="module")
def balanced_cohorts() -> pd.DataFrame:
    """Three cohorts of eight leaders, each observed at all three waves."""
    rng = np.random.default_rng(20240611)
    true_means = {"A": [3.0, 3.6, 3.5], "B": [3.2, 3.4, 3.5], "C": [2.9, 3.8, 3.9]}
    rows = []
    for cohort, means in true_means.items():
        for i in range(8):
            leader = rng.normal(0, 0.8)
            for wave, mean in zip(WAVES, means, strict=True):
                rows.append(
                    {
                        "cohort": cohort,
                        "leader": f"{cohort}{i}",
                        "wave": wave,
                        "score": mean + leader + rng.normal(0, 0.4),
                    }
                )
    # Shuffled so nothing depends on row order.
    return pd.DataFrame(rows).sample(frac=1, random_state=1).reset_index(drop=True)


def anova_components(
    df: pd.DataFrame, score: str, wave: str, cohort: str | None, participant: str
) -> tuple[pd.Series, float, float]:
    """Cell means, participant variance and residual variance by ANOVA mean squares.

    Participants nested in cohorts, crossed with waves, one observation per
    cell: MS_error is the pooled participant-by-wave interaction and
    var(participant) = (MS_participant - MS_error) / n_waves.
    """
    df = df.assign(_cohort="all") if cohort is None else df.assign(_cohort=df[cohort])
    n_waves = df[wave].nunique()
    cell_mean = df.groupby(["_cohort", wave])[score].transform("mean")
    participant_mean = df.groupby(participant)[score].transform("mean")
    cohort_mean = df.groupby("_cohort")[score].transform("mean")
    residual = df[score] - cell_mean - participant_mean + cohort_mean
    sizes = df.groupby("_cohort")[participant].nunique()
    df_error = ((sizes - 1) * (n_waves - 1)).sum()
    ms_error = float((residual**2).sum() / df_error)
    between = (participant_mean - cohort_mean) ** 2  # repeated n_waves times per participant
    ms_participant = float(between.sum() / (sizes - 1).sum())
    cell_means = df.groupby(["_cohort", wave])[score].mean()
    return cell_means, (ms_participant - ms_error) / n_waves, ms_error


# --- mixed_model_change ----------------------------------------------------------------


def test_fixed_effects_are_cell_mean_contrasts_in_a_balanced_design(balanced_cohorts):
    fit = mixed_model_change(balanced_cohorts, "score", "wave", "cohort", "leader", wave_order=WAVES)
    means, _, _ = anova_components(balanced_cohorts, "score", "wave", "cohort", "leader")
    m = means.unstack()  # rows cohorts, columns waves
    estimates = by_term(fit.estimates)

    assert fit.converged
    assert estimates["Intercept"].estimate == pytest.approx(m.loc["A", "baseline"], abs=1e-6)
    for w in ("endpoint", "follow-up"):
        assert estimates[f"wave[{w}]"].estimate == pytest.approx(m.loc["A", w] - m.loc["A", "baseline"], abs=1e-6)
    for c in ("B", "C"):
        assert estimates[f"cohort[{c}]"].estimate == pytest.approx(
            m.loc[c, "baseline"] - m.loc["A", "baseline"], abs=1e-6
        )
        for w in ("endpoint", "follow-up"):
            interaction = (m.loc[c, w] - m.loc[c, "baseline"]) - (m.loc["A", w] - m.loc["A", "baseline"])
            assert estimates[f"wave[{w}]:cohort[{c}]"].estimate == pytest.approx(interaction, abs=1e-6)
    assert [e.term for e in fit.estimates][-2:] == ["var(participant)", "var(residual)"]
    assert all(e.n == 24 for e in fit.estimates)


def test_variance_components_equal_anova_estimates(balanced_cohorts):
    fit = mixed_model_change(balanced_cohorts, "score", "wave", "cohort", "leader", wave_order=WAVES)
    _, var_participant, var_residual = anova_components(balanced_cohorts, "score", "wave", "cohort", "leader")
    estimates = by_term(fit.estimates)
    assert estimates["var(residual)"].estimate == pytest.approx(var_residual, rel=1e-4)
    assert estimates["var(participant)"].estimate == pytest.approx(var_participant, rel=1e-4)
    # Standard error of a cell mean: sqrt((var_participant + var_residual) / n).
    assert estimates["Intercept"].std_error == pytest.approx(math.sqrt((var_participant + var_residual) / 8), rel=1e-4)


def test_wave_change_by_cohort_matches_paired_mean_difference(balanced_cohorts):
    fit = mixed_model_change(balanced_cohorts, "score", "wave", "cohort", "leader", wave_order=WAVES)
    means, _, var_residual = anova_components(balanced_cohorts, "score", "wave", "cohort", "leader")
    changes = wave_change_by_cohort(fit, "baseline", "follow-up")

    assert [c.group for c in changes] == ["A", "B", "C"]
    expected_se = math.sqrt(2 * var_residual / 8)  # difference of two means, error MS pooled
    for change in changes:
        expected = means[(change.group, "follow-up")] - means[(change.group, "baseline")]
        assert change.term == "follow-up - baseline"
        assert change.estimate == pytest.approx(expected, abs=1e-6)
        assert change.std_error == pytest.approx(expected_se, rel=1e-4)
        assert change.statistic == pytest.approx(change.estimate / change.std_error)
        # Satterthwaite gives the split-plot error df for a contrast inside the within-leader stratum.
        assert "df = 42.0" in change.method
        assert change.p_value == pytest.approx(2 * stats.t.sf(abs(change.statistic), SPLIT_PLOT_ERROR_DF), rel=1e-4)
        assert change.conf_low == pytest.approx(change.estimate - T_975_42 * change.std_error, rel=1e-5)
        assert change.conf_high == pytest.approx(change.estimate + T_975_42 * change.std_error, rel=1e-5)
        assert change.n == 8


def test_sleepstudy_day_means_and_published_lme4_slope():
    sleep = pd.read_csv(DATA / "sleepstudy.csv")
    assert sleep["Reaction"].mean() == pytest.approx(298.5079, abs=1e-4)  # lme4 data

    fit = mixed_model_change(sleep, "Reaction", "Days", None, "Subject")
    estimates = by_term(fit.estimates)
    day_means = [estimates["Intercept"].estimate] + [
        estimates["Intercept"].estimate + estimates[f"wave[{d}]"].estimate for d in range(1, 10)
    ]
    np.testing.assert_allclose(day_means, sleep.groupby("Days")["Reaction"].mean(), atol=1e-6)
    # lmer(Reaction ~ Days + (1 | Subject)) publishes a Days slope of 10.4673; in a
    # balanced design it is the least-squares slope through the day means.
    slope = np.polyfit(np.arange(10), day_means, 1)[0]
    assert slope == pytest.approx(10.4673, abs=1e-4)

    _, var_subject, var_residual = anova_components(sleep, "Reaction", "Days", None, "Subject")
    assert estimates["var(participant)"].estimate == pytest.approx(var_subject, rel=1e-4)
    (change,) = wave_change_by_cohort(fit, 0, 9)
    assert change.group == ""
    assert change.estimate == pytest.approx(day_means[9] - day_means[0], abs=1e-6)
    assert change.std_error == pytest.approx(math.sqrt(2 * var_residual / 18), rel=1e-4)
    assert change.n == 18


@pytest.mark.parametrize(
    ("random_slope", "published"),
    [
        # lmerTest (Kuznetsova, Brockhoff & Christensen, 2017) summary() of lmer(Reaction ~ Days + (1 | Subject))
        # and of lmer(Reaction ~ Days + (Days | Subject)) on lme4's sleepstudy: (estimate, SE, Satterthwaite df, t)
        (False, {"Intercept": (251.4051, 9.7467, 22.8102, 25.7938), "Days": (10.4673, 0.8042, 161.0, 13.0154)}),
        (True, {"Intercept": (251.405, 6.825, 17.000, 36.838), "Days": (10.467, 1.546, 17.000, 6.771)}),
    ],
)
def test_satterthwaite_df_matches_lmertest_on_sleepstudy(random_slope, published):
    import statsmodels.formula.api as smf

    sleep = pd.read_csv(DATA / "sleepstudy.csv")
    fit = smf.mixedlm(
        "Reaction ~ Days", sleep, groups=sleep["Subject"], re_formula="~Days" if random_slope else None
    ).fit(reml=True)
    df = satterthwaite_df(fit, np.eye(2))
    for (term, (estimate, std_error, dof, t_value)), computed in zip(published.items(), df, strict=True):
        digits = 4 if not random_slope else 3
        assert fit.fe_params[term] == pytest.approx(estimate, abs=10**-digits)
        assert fit.bse[term] == pytest.approx(std_error, abs=10**-digits)
        assert fit.tvalues[term] == pytest.approx(t_value, abs=10**-digits)
        assert computed == pytest.approx(dof, abs=2 * 10**-digits)
    assert satterthwaite_df(fit, [0.0, 1.0]) == pytest.approx(df[1])


def test_missing_wave_cell_is_noted_and_its_change_not_estimated(balanced_cohorts):
    not_yet_followed_up = ~((balanced_cohorts["cohort"] == "C") & (balanced_cohorts["wave"] == "follow-up"))
    fit = mixed_model_change(
        balanced_cohorts[not_yet_followed_up], "score", "wave", "cohort", "leader", wave_order=WAVES
    )
    assert "wave[follow-up]:cohort[C]" not in by_term(fit.estimates)
    assert any("wave[follow-up]:cohort[C]" in w for w in fit.warnings)

    follow_up = {c.group: c for c in wave_change_by_cohort(fit, "baseline", "follow-up")}
    assert follow_up["C"].n == 0 and math.isnan(follow_up["C"].estimate)
    assert not math.isnan(follow_up["A"].estimate)
    endpoint = {c.group: c for c in wave_change_by_cohort(fit, "baseline", "endpoint")}
    assert endpoint["C"].n == 8 and not math.isnan(endpoint["C"].estimate)


def test_participants_missing_a_wave_still_count(balanced_cohorts):
    dropped = balanced_cohorts[
        ~((balanced_cohorts["leader"].isin(["A0", "A1"])) & (balanced_cohorts["wave"] == "endpoint"))
    ]
    fit = mixed_model_change(dropped, "score", "wave", "cohort", "leader", wave_order=WAVES)
    assert fit.estimates[0].n == 24
    changes = {c.group: c for c in wave_change_by_cohort(fit, "baseline", "endpoint")}
    assert changes["A"].n == 6  # smaller of 8 at baseline and 6 at endpoint
    assert changes["B"].n == 8


def test_fit_warnings_are_recorded_and_reissued():
    # No between-leader variation at all: the participant variance sits on the
    # boundary (zero), which statsmodels reports only as a warning.
    rng = np.random.default_rng(3)
    rows = [
        {"leader": i, "wave": w, "score": rng.normal(3 + 0.2 * j, 0.5)}
        for i in range(8)
        for j, w in enumerate(WAVES[:2])
    ]
    frame = pd.DataFrame(rows)
    frame["score"] -= frame.groupby("leader")["score"].transform("mean") - 3  # no leader effect
    with pytest.warns(Warning) as reissued:
        fit = mixed_model_change(frame, "score", "wave", None, "leader", wave_order=WAVES)
    assert any(w.startswith("ConvergenceWarning") for w in fit.warnings)
    assert {str(w.message) for w in reissued} >= {w.split(": ", 1)[1] for w in fit.warnings}
    # A failed fit is flagged on every published row, not only on the fit object.
    assert not fit.converged
    assert all(e.method.endswith("DID NOT CONVERGE") for e in fit.estimates)
    assert all(c.method.endswith("DID NOT CONVERGE") for c in wave_change_by_cohort(fit, "baseline", "endpoint"))


def test_unknown_wave_is_rejected(balanced_cohorts):
    fit = mixed_model_change(balanced_cohorts, "score", "wave", "cohort", "leader", wave_order=WAVES)
    with pytest.raises(ValueError, match="six-month"):
        wave_change_by_cohort(fit, "baseline", "six-month")
    with pytest.raises(ValueError, match="missing from the given level order"):
        mixed_model_change(balanced_cohorts, "score", "wave", "cohort", "leader", wave_order=["baseline", "endpoint"])


# --- ordinal_item_model ----------------------------------------------------------------

UCLA_LEVELS = ["unlikely", "somewhat likely", "very likely"]


@pytest.fixture(scope="module")
def ucla() -> pd.DataFrame:
    return pd.read_csv(DATA / "ologit_ucla.csv")


def test_ordinal_model_matches_published_polr_fit(ucla):
    # UCLA's example: polr(apply ~ pared + public + gpa); pared and public are 0/1,
    # so treatment coding with 0 as reference reproduces R's numeric columns.
    fit = ordinal_item_model(ucla, "apply", "pared", "public", item_levels=UCLA_LEVELS, covariates=["gpa"])
    estimates = by_term(fit.estimates)
    assert list(estimates) == ["wave[1]", "cohort[1]", "gpa"]
    published = {"wave[1]": (1.04769, 0.2658), "cohort[1]": (-0.05879, 0.2979), "gpa": (0.61594, 0.2606)}
    for term, (coefficient, std_error) in published.items():
        assert estimates[term].estimate == pytest.approx(coefficient, abs=1e-3)
        assert estimates[term].std_error == pytest.approx(std_error, abs=1e-4)
        assert estimates[term].n == 400
        assert "log-odds" in estimates[term].method
    assert fit.converged and not fit.warnings


def test_odds_ratios_exponentiate_estimate_and_interval_only(ucla):
    log_odds = by_term(ordinal_item_model(ucla, "apply", "pared", item_levels=UCLA_LEVELS).estimates)["wave[1]"]
    odds = by_term(ordinal_item_model(ucla, "apply", "pared", item_levels=UCLA_LEVELS, exponentiate=True).estimates)[
        "wave[1]"
    ]
    assert odds.estimate == pytest.approx(math.exp(log_odds.estimate))
    assert odds.conf_low == pytest.approx(math.exp(log_odds.conf_low))
    assert odds.conf_high == pytest.approx(math.exp(log_odds.conf_high))
    assert odds.std_error == pytest.approx(log_odds.std_error)
    assert odds.statistic == pytest.approx(log_odds.statistic)
    assert "odds ratio" in odds.method and "odds ratio" not in log_odds.method


def test_reversing_the_item_scale_flips_the_signs(ucla):
    forward = ordinal_item_model(ucla, "apply", "pared", covariates=["gpa"], item_levels=UCLA_LEVELS)
    backward = ordinal_item_model(ucla, "apply", "pared", covariates=["gpa"], item_levels=UCLA_LEVELS[::-1])
    for f, b in zip(forward.estimates, backward.estimates, strict=True):
        assert b.estimate == pytest.approx(-f.estimate, abs=1e-4)


def proportional_odds_mle(codes: np.ndarray, design: np.ndarray, n_levels: int) -> np.ndarray:
    """Coefficients maximising sum log[F(theta_y - x'b) - F(theta_{y-1} - x'b)]."""
    k = design.shape[1]

    def negative_log_likelihood(params: np.ndarray) -> float:
        beta, first, steps = params[:k], params[k], params[k + 1 :]
        cuts = np.concatenate([[-np.inf], first + np.concatenate([[0], np.cumsum(np.exp(steps))]), [np.inf]])
        eta = design @ beta
        upper = special.expit(cuts[codes + 1] - eta)
        lower = special.expit(cuts[codes] - eta)
        return -np.sum(np.log(upper - lower))

    start = np.zeros(k + n_levels - 1)
    return optimize.minimize(negative_log_likelihood, start, method="BFGS").x[:k]


def test_ordinal_model_recovers_simulated_effects_and_agrees_with_direct_mle():
    rng = np.random.default_rng(11)
    n_per_wave = 1500
    true_wave = {"baseline": 0.0, "endpoint": 0.8, "follow-up": 0.5}
    cuts = np.array([-2.0, -0.5, 1.0, 2.5])
    waves = np.repeat(list(true_wave), n_per_wave)
    latent = np.array([true_wave[w] for w in waves]) + rng.logistic(size=waves.size)
    answers = pd.DataFrame({"wave": waves, "q1": 1 + np.searchsorted(cuts, latent)})

    fit = ordinal_item_model(answers, "q1", "wave", wave_order=list(true_wave))
    estimates = by_term(fit.estimates)
    for w in ("endpoint", "follow-up"):
        estimate = estimates[f"wave[{w}]"]
        assert abs(estimate.estimate - true_wave[w]) < 3 * estimate.std_error
        assert estimate.conf_low < true_wave[w] < estimate.conf_high

    design = np.column_stack([waves == "endpoint", waves == "follow-up"]).astype(float)
    direct = proportional_odds_mle(answers["q1"].to_numpy() - 1, design, n_levels=5)
    np.testing.assert_allclose(
        [estimates["wave[endpoint]"].estimate, estimates["wave[follow-up]"].estimate], direct, atol=1e-4
    )


# --- adjust_p_values -------------------------------------------------------------------


def test_holm_matches_hand_computation():
    # Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04,
    # made non-decreasing: 0.02, 0.03, 0.06, 0.06.
    np.testing.assert_allclose(adjust_p_values([0.01, 0.04, 0.03, 0.005], "holm"), [0.03, 0.06, 0.06, 0.02])


def test_benjamini_hochberg_matches_hand_computation():
    # Sorted p * 4 / rank = 0.02, 0.02, 0.04, 0.04 (already monotone from the top).
    np.testing.assert_allclose(adjust_p_values([0.01, 0.04, 0.03, 0.005], "fdr_bh"), [0.02, 0.04, 0.04, 0.02])


def test_adjusted_p_values_are_capped_at_one():
    np.testing.assert_allclose(adjust_p_values([0.5, 0.6], "holm"), [1.0, 1.0])


def test_nan_p_values_stay_nan_and_are_not_counted():
    adjusted = adjust_p_values(pd.Series([0.01, np.nan, 0.04, 0.03, 0.005]), "holm")
    np.testing.assert_allclose(adjusted, [0.03, np.nan, 0.06, 0.06, 0.02])
    assert np.isnan(adjust_p_values([np.nan, np.nan])).all()


def test_adjust_p_values_rejects_bad_input():
    with pytest.raises(ValueError, match="holm"):
        adjust_p_values([0.1], method="bonferroni")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        adjust_p_values([0.1, 1.2])
