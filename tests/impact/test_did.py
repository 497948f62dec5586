"""TWFE DiD, event study and few-cluster inference against independent references.

References are written out here, not taken from the module: statsmodels
formula regressions with ``C(unit) + C(time)`` and hand-built event-time
dummies, a numpy cluster sandwich, and 2x2 means computed by hand.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from evaluation.impact.did import (
    event_study,
    randomisation_inference_p,
    twfe_did,
    wild_cluster_bootstrap_p,
)

ADOPTION = (5.0, 8.0, np.nan)  # cohorts cycle over authorities: a third never adopt


def simulate_panel(
    seed: int,
    *,
    n_units: int = 33,
    n_periods: int = 12,
    effect: float = 0.0,
    pre_trend: float = 0.0,
    noise: float = 1.0,
) -> pd.DataFrame:
    """London-like panel: authority and month effects, AR-free noise, constant effect.

    ``pre_trend`` adds a drift to adopters before adoption (violating
    parallel trends) so the pre-trend test has something to find.
    """
    rng = np.random.default_rng(seed)
    codes = [f"E09{i:06d}" for i in range(1, n_units + 1)]
    first = np.array([ADOPTION[i % len(ADOPTION)] for i in range(n_units)])
    unit_effect = rng.normal(scale=2.0, size=n_units)
    month_effect = rng.normal(size=n_periods)
    rows = []
    for i in range(n_units):
        for t in range(1, n_periods + 1):
            adopter = not np.isnan(first[i])
            treated = float(adopter and t >= first[i])
            drift = pre_trend * (t - first[i]) if adopter and t < first[i] else 0.0
            y = unit_effect[i] + month_effect[t - 1] + effect * treated + drift
            rows.append((codes[i], t, first[i], treated, y + rng.normal(scale=noise)))
    return pd.DataFrame(rows, columns=["gss_code", "month", "first_month", "treated", "y"])


def cluster_groups(panel: pd.DataFrame) -> np.ndarray:
    return pd.factorize(panel["gss_code"])[0]


def test_twfe_matches_formula_regression_with_clustered_errors():
    panel = simulate_panel(1, effect=0.4)
    row = twfe_did(panel, "y", "gss_code", "month", "treated")[0]
    reference = smf.ols("y ~ treated + C(gss_code) + C(month)", data=panel).fit(
        cov_type="cluster", cov_kwds={"groups": cluster_groups(panel)}, use_t=True
    )
    low, high = reference.conf_int(alpha=0.05).loc["treated"]
    assert row.term == "att"
    assert row.estimate == pytest.approx(reference.params["treated"], rel=1e-10)
    assert row.std_error == pytest.approx(reference.bse["treated"], rel=1e-10)
    assert row.statistic == pytest.approx(reference.tvalues["treated"], rel=1e-10)
    assert row.p_value == pytest.approx(reference.pvalues["treated"], rel=1e-8)
    assert (row.conf_low, row.conf_high) == pytest.approx((low, high), rel=1e-10)
    assert row.n == len(panel)


def dummy_design(panel: pd.DataFrame) -> np.ndarray:
    """Constant, treatment, authority and month dummies (first categories dropped)."""
    dummies = pd.get_dummies(
        panel[["treated", "gss_code", "month"]].astype({"month": str}), drop_first=True, dtype=float
    )
    return np.column_stack([np.ones(len(panel)), dummies.to_numpy()])


def cr1_regression(x: np.ndarray, y: np.ndarray, groups: np.ndarray):
    """OLS coefficients and CR1 cluster-robust covariance, written out in numpy."""
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    in_group = (groups[None, :] == np.unique(groups)[:, None]).astype(float)
    scores = in_group @ (x * (y - x @ beta)[:, None])
    n, k, g = len(y), x.shape[1], len(in_group)
    return beta, g / (g - 1) * (n - 1) / (n - k) * bread @ scores.T @ scores @ bread


def test_twfe_standard_error_is_the_cr1_cluster_sandwich():
    panel = simulate_panel(2, effect=0.4)
    groups = cluster_groups(panel)
    beta, covariance = cr1_regression(dummy_design(panel), panel["y"].to_numpy(), groups)
    row = twfe_did(panel, "y", "gss_code", "month", "treated")[0]
    assert row.estimate == pytest.approx(beta[1], rel=1e-9)
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), rel=1e-9)
    g = len(np.unique(groups))
    assert row.p_value == pytest.approx(2 * stats.t.sf(abs(row.statistic), g - 1), rel=1e-9)


def test_two_by_two_did_equals_difference_of_mean_changes():
    rng = np.random.default_rng(3)
    units = [f"E0900000{i}" for i in range(1, 9)]
    panel = pd.DataFrame(
        {
            "gss_code": np.repeat(units, 2),
            "month": np.tile([1, 2], len(units)),
            "y": rng.normal(loc=10.0, size=2 * len(units)),
        }
    )
    adopters = set(units[:3])
    panel["treated"] = [float(u in adopters and t == 2) for u, t in zip(panel.gss_code, panel.month, strict=True)]
    means = panel.assign(adopter=panel.gss_code.isin(adopters)).groupby(["adopter", "month"]).y.mean()
    by_hand = (means[True, 2] - means[True, 1]) - (means[False, 2] - means[False, 1])
    assert twfe_did(panel, "y", "gss_code", "month", "treated")[0].estimate == pytest.approx(by_hand)


def test_twfe_rejects_non_binary_treatment():
    panel = simulate_panel(4).assign(treated=lambda d: d.treated * 2)
    with pytest.raises(ValueError, match="0/1"):
        twfe_did(panel, "y", "gss_code", "month", "treated")


def event_dummies(panel: pd.DataFrame, leads: int, lags: int) -> dict[str, pd.Series]:
    """Binned relative-month dummies, built directly from the month arithmetic."""
    relative = (panel["month"] - panel["first_month"]).clip(-leads, lags)
    return {
        f"ev_{'m' if e < 0 else 'p'}{abs(e)}": (relative == e).astype(float) for e in range(-leads, lags + 1) if e != -1
    }


def test_event_study_matches_formula_regression_and_wald_test():
    leads, lags = 3, 3
    panel = simulate_panel(5, effect=0.5)
    dummies = event_dummies(panel, leads, lags)
    data = panel.assign(**dummies)
    reference = smf.ols("y ~ " + " + ".join(dummies) + " + C(gss_code) + C(month)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": cluster_groups(panel)}, use_t=True
    )

    rows = {r.term: r for r in event_study(panel, "y", "gss_code", "month", "first_month", leads=leads, lags=lags)}
    assert list(rows) == ["e<=-3", "e=-2", "e=-1", "e=0", "e=1", "e=2", "e>=3", "pre_trend_wald"]
    names = {"e<=-3": "ev_m3", "e=-2": "ev_m2", "e=0": "ev_p0", "e=1": "ev_p1", "e=2": "ev_p2", "e>=3": "ev_p3"}
    for term, name in names.items():
        assert rows[term].estimate == pytest.approx(reference.params[name], rel=1e-9)
        assert rows[term].std_error == pytest.approx(reference.bse[name], rel=1e-9)
        assert rows[term].n == int(dummies[name].sum())
    assert rows["e=-1"].estimate == 0.0
    assert np.isnan(rows["e=-1"].std_error)

    pre = ["ev_m3", "ev_m2"]
    b = reference.params[pre].to_numpy()
    v = reference.cov_params().loc[pre, pre].to_numpy()
    f_stat = b @ np.linalg.solve(v, b) / len(pre)
    assert rows["pre_trend_wald"].statistic == pytest.approx(f_stat, rel=1e-9)
    assert rows["pre_trend_wald"].p_value == pytest.approx(
        stats.f.sf(f_stat, len(pre), panel.gss_code.nunique() - 1), rel=1e-9
    )


def test_pre_trend_test_detects_diverging_pre_trends_only():
    parallel = event_study(simulate_panel(6, effect=0.5), "y", "gss_code", "month", "first_month")
    diverging = event_study(simulate_panel(6, effect=0.5, pre_trend=0.5), "y", "gss_code", "month", "first_month")
    assert parallel[-1].p_value > 0.1
    assert diverging[-1].p_value < 0.001


def test_event_study_refuses_empty_event_time_bins():
    panel = simulate_panel(7, n_periods=9)  # adoption at 5 or 8: event time 5 never observed
    with pytest.raises(ValueError, match="no authority-period"):
        event_study(panel, "y", "gss_code", "month", "first_month", leads=2, lags=6)


def test_wild_bootstrap_equals_brute_force_restricted_bootstrap():
    """Refit every replicate by OLS on explicit dummies, as Cameron et al. (2008) describe."""
    panel = simulate_panel(14, n_periods=6, effect=0.3)  # sorted by authority, as the module
    null, reps, seed = 0.1, 199, 5
    x, y, groups = dummy_design(panel), panel["y"].to_numpy(), cluster_groups(panel)
    beta, covariance = cr1_regression(x, y, groups)
    t_stat = (beta[1] - null) / np.sqrt(covariance[1, 1])

    without_treatment = np.delete(x, 1, axis=1)
    offset = null * panel["treated"].to_numpy()
    restricted_coef = np.linalg.lstsq(without_treatment, y - offset, rcond=None)[0]
    fitted = without_treatment @ restricted_coef + offset
    residuals = y - fitted
    draws = np.random.default_rng(seed).choice([-1.0, 1.0], size=(reps, groups.max() + 1))
    t_star = []
    for v in draws:
        b_star, cov_star = cr1_regression(x, fitted + v[groups] * residuals, groups)
        t_star.append((b_star[1] - null) / np.sqrt(cov_star[1, 1]))
    brute_force_p = np.mean(np.abs(t_star) >= abs(t_stat))

    row = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "treated", null=null, reps=reps, seed=seed)[0]
    assert 0.05 < brute_force_p < 0.95  # many replicates near |t|, so the check is sharp
    assert row.p_value == pytest.approx(brute_force_p, abs=1e-12)


def test_wild_bootstrap_reports_twfe_estimate_and_t_statistic():
    panel = simulate_panel(8, effect=0.3)
    twfe = twfe_did(panel, "y", "gss_code", "month", "treated")[0]
    wild = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "treated", reps=99)[0]
    assert wild.estimate == pytest.approx(twfe.estimate, rel=1e-9)
    assert wild.std_error == pytest.approx(twfe.std_error, rel=1e-9)
    assert wild.statistic == pytest.approx(twfe.statistic, rel=1e-9)


@pytest.mark.parametrize("weights", ["rademacher", "webb"])
def test_wild_bootstrap_agrees_with_cluster_t_test(weights):
    large = simulate_panel(9, effect=1.5)
    row = wild_cluster_bootstrap_p(large, "y", "gss_code", "month", "treated", weights=weights)[0]
    assert row.p_value < 0.01
    assert twfe_did(large, "y", "gss_code", "month", "treated")[0].p_value < 0.01

    none = simulate_panel(10)
    analytic = twfe_did(none, "y", "gss_code", "month", "treated")[0].p_value
    boot = wild_cluster_bootstrap_p(none, "y", "gss_code", "month", "treated", reps=1999, weights=weights)[0].p_value
    assert analytic > 0.05
    assert boot == pytest.approx(analytic, abs=0.08)


def test_wild_bootstrap_imposes_the_stated_null():
    panel = simulate_panel(11, effect=2.0, noise=0.5)
    true_null = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "treated", null=2.0)[0]
    false_null = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "treated", null=0.0)[0]
    assert true_null.p_value > 0.05
    assert false_null.p_value < 0.01


def test_wild_bootstrap_p_values_are_roughly_uniform_under_the_null():
    p_values = [
        wild_cluster_bootstrap_p(
            simulate_panel(1000 + s, n_periods=6),
            "y",
            "gss_code",
            "month",
            "treated",
            reps=199,
            seed=s,
        )[0].p_value
        for s in range(120)
    ]
    assert stats.kstest(p_values, "uniform").pvalue > 0.01
    assert np.mean(np.array(p_values) < 0.10) < 0.2


def test_wild_bootstrap_is_seeded():
    panel = simulate_panel(12, n_periods=120, effect=0.1)
    first = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "treated", seed=3)[0]
    again = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "treated", seed=3)[0]
    assert first.p_value == again.p_value


def test_randomisation_inference_estimate_is_twfe_and_p_is_exact_scale():
    panel = simulate_panel(13, effect=1.5, noise=0.5)
    twfe = twfe_did(panel, "y", "gss_code", "month", "treated")[0]
    row = randomisation_inference_p(panel, "y", "gss_code", "month", "first_month", reps=199)[0]
    assert row.estimate == pytest.approx(twfe.estimate, rel=1e-9)
    assert row.p_value == pytest.approx(1 / 200)
    assert row.p_value == randomisation_inference_p(panel, "y", "gss_code", "month", "first_month", reps=199)[0].p_value


def test_randomisation_inference_does_not_reject_under_the_null():
    p_values = [
        randomisation_inference_p(
            simulate_panel(2000 + s, n_periods=8),
            "y",
            "gss_code",
            "month",
            "first_month",
            reps=99,
            seed=s,
        )[0].p_value
        for s in range(25)
    ]
    assert 0.3 < np.mean(p_values) < 0.7
    assert np.mean(np.array(p_values) <= 0.05) <= 0.15
