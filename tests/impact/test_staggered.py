"""Callaway & Sant'Anna against a known truth, hand-computed means, the jackknife and csdid.

The simulated panel has the textbook failure of TWFE (Goodman-Bacon, 2021):
an early cohort whose effect keeps growing serves as a "control" for a late
cohort, so TWFE is pulled far below the average effect while the group-time
estimator recovers it.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.impact.did import twfe_did
from evaluation.impact.staggered import callaway_santanna, pre_trend_wald
from evaluation.simulation import StaggeredDesign, simulate_staggered_panel

EARLY, LATE = 3, 7


def simulate_staggered(seed: int, *, n_periods: int = 10, noise: float = 0.3) -> pd.DataFrame:
    """33 authorities: 11 adopt in period 3, 11 in period 7, 11 never.

    Effects are dynamic and differ by cohort: tau = slope * (t - g + 1) with
    slope 1 for the early cohort and 0.5 for the late one. Untreated outcomes
    follow parallel trends (authority + period effects + noise).
    """
    rng = np.random.default_rng(seed)
    first = np.array([EARLY] * 11 + [LATE] * 11 + [np.nan] * 11)
    slope = {EARLY: 1.0, LATE: 0.5}
    unit_effect = rng.normal(scale=2.0, size=len(first))
    period_effect = np.cumsum(rng.normal(size=n_periods))
    rows = []
    for i, g in enumerate(first):
        for t in range(1, n_periods + 1):
            treated = not np.isnan(g) and t >= g
            tau = slope[int(g)] * (t - g + 1) if treated else 0.0
            y = unit_effect[i] + period_effect[t - 1] + tau + rng.normal(scale=noise)
            rows.append((f"E09{i + 1:06d}", t, g, float(treated), tau, y))
    return pd.DataFrame(rows, columns=["gss_code", "month", "first_month", "treated", "tau", "y"])


def true_dynamic_effects(panel: pd.DataFrame) -> pd.Series:
    """Truth by event time: cohort effects averaged with cohort-size weights."""
    treated = panel[panel.treated == 1]
    return treated.groupby(treated.month - treated.first_month).tau.mean()


def test_group_time_att_recovers_heterogeneous_effect_where_twfe_fails():
    panel = simulate_staggered(1)
    truth = panel.loc[panel.treated == 1, "tau"].mean()  # average over treated authority-months
    cs = callaway_santanna(panel, "y", "gss_code", "month", "first_month")[0]
    twfe = twfe_did(panel, "y", "gss_code", "month", "treated")[0]
    assert truth == pytest.approx(3.4167, abs=1e-4)
    assert cs.term == "att"
    assert cs.estimate == pytest.approx(truth, abs=0.25)
    assert cs.conf_low < truth < cs.conf_high
    assert abs(twfe.estimate - truth) > 1.5  # TWFE is biased towards zero here
    assert not twfe.conf_low < truth < twfe.conf_high


@pytest.mark.parametrize("control_group", ["never_treated", "not_yet_treated"])
def test_dynamic_aggregation_tracks_true_event_time_effects(control_group):
    panel = simulate_staggered(2)
    truth = true_dynamic_effects(panel)
    rows = {
        r.term: r
        for r in callaway_santanna(
            panel,
            "y",
            "gss_code",
            "month",
            "first_month",
            aggregation="dynamic",
            control_group=control_group,
        )
    }
    for e, effect in truth.items():
        assert rows[f"e={e:g}"].estimate == pytest.approx(effect, abs=0.35)
    # Late cohort: periods 2..6 against the period before (period 1 has no base).
    placebo = [rows[f"e={e}"].estimate for e in range(-5, 0)]
    assert "e=-6" not in rows
    assert max(abs(p) for p in placebo) < 0.35


def test_two_by_two_att_and_standard_error_by_hand():
    rng = np.random.default_rng(3)
    units = [f"E0900000{i}" for i in range(1, 10)]
    joined = dict.fromkeys(units[:4], 2.0)
    panel = pd.DataFrame(
        {
            "gss_code": np.repeat(units, 2),
            "month": np.tile([1, 2], len(units)),
            "y": rng.normal(loc=50.0, scale=3.0, size=2 * len(units)),
        }
    )
    panel["first_month"] = panel.gss_code.map(joined)
    change = panel.pivot(index="gss_code", columns="month", values="y").diff(axis=1)[2]
    adopter = change.index.isin(list(joined))
    by_hand = change[adopter].mean() - change[~adopter].mean()
    se_by_hand = np.sqrt(change[adopter].var(ddof=0) / adopter.sum() + change[~adopter].var(ddof=0) / (~adopter).sum())
    row = callaway_santanna(panel, "y", "gss_code", "month", "first_month")[0]
    assert row.estimate == pytest.approx(by_hand, rel=1e-12)
    assert row.std_error == pytest.approx(se_by_hand, rel=1e-12)
    assert row.n == len(units)


def test_group_time_cells_by_hand_for_each_comparison_and_base_period():
    panel = simulate_staggered(4)
    wide = panel.pivot(index="gss_code", columns="month", values="y")
    cohort = panel.groupby("gss_code").first_month.first()

    def did(g, t, base, controls):
        change = wide[t] - wide[base]
        return change[cohort == g].mean() - change[controls].mean()

    never = cohort.isna()
    not_yet_at_5 = never | (cohort > 5)

    def cells(**options):
        rows = callaway_santanna(panel, "y", "gss_code", "month", "first_month", aggregation="group_time", **options)
        return {r.term: r.estimate for r in rows}

    varying = cells()
    assert varying["ATT(g=3,t=5)"] == pytest.approx(did(3, 5, 2, never))
    assert varying["ATT(g=7,t=4)"] == pytest.approx(did(7, 4, 3, never))  # short placebo
    universal = cells(base_period="universal")
    assert universal["ATT(g=7,t=4)"] == pytest.approx(did(7, 4, 6, never))
    assert "ATT(g=7,t=6)" not in universal  # the base period itself
    not_yet = cells(control_group="not_yet_treated")
    assert not_yet["ATT(g=3,t=5)"] == pytest.approx(did(3, 5, 2, not_yet_at_5))


def test_universal_base_event_study_has_reference_row():
    panel = simulate_staggered(5)
    rows = callaway_santanna(
        panel,
        "y",
        "gss_code",
        "month",
        "first_month",
        aggregation="dynamic",
        base_period="universal",
    )
    terms = [r.term for r in rows]
    assert terms.index("e=-1") == terms.index("e=0") - 1
    reference = rows[terms.index("e=-1")]
    assert reference.estimate == 0.0
    assert np.isnan(reference.std_error)


@pytest.mark.parametrize("aggregation", ["simple", "dynamic"])
def test_influence_function_se_matches_the_jackknife_over_authorities(aggregation):
    """Leave-one-authority-out jackknife: an independent linearisation of the same estimator."""
    panel = simulate_staggered(6)
    rows = callaway_santanna(panel, "y", "gss_code", "month", "first_month", aggregation=aggregation)
    codes = panel.gss_code.unique()
    leave_one_out = np.array(
        [
            [
                r.estimate
                for r in callaway_santanna(
                    panel[panel.gss_code != code], "y", "gss_code", "month", "first_month", aggregation=aggregation
                )
            ]
            for code in codes
        ]
    )
    n = len(codes)
    jackknife = np.sqrt((n - 1) / n * ((leave_one_out - leave_one_out.mean(axis=0)) ** 2).sum(axis=0))
    # The jackknife uses n - 1 denominators, so it runs a few percent above.
    ratio = jackknife / np.array([r.std_error for r in rows])
    assert np.all((ratio > 1.0) & (ratio < 1.1))


def test_fixed_cohorts_drop_weight_uncertainty_only_when_cohorts_differ():
    panel = simulate_staggered(7)
    random_cohorts = callaway_santanna(panel, "y", "gss_code", "month", "first_month")[0]
    fixed = callaway_santanna(panel, "y", "gss_code", "month", "first_month", fixed_cohorts=True)[0]
    assert fixed.estimate == random_cohorts.estimate
    assert fixed.std_error < 0.8 * random_cohorts.std_error

    one_cohort = panel[panel.first_month.ne(LATE)]
    assert callaway_santanna(one_cohort, "y", "gss_code", "month", "first_month", fixed_cohorts=True)[
        0
    ].std_error == pytest.approx(callaway_santanna(one_cohort, "y", "gss_code", "month", "first_month")[0].std_error)


def test_multiplier_bootstrap_is_seeded_and_gives_a_uniform_band():
    panel = simulate_staggered(8)
    kwargs = dict(aggregation="dynamic", bootstrap_reps=999, seed=11)
    boot = callaway_santanna(panel, "y", "gss_code", "month", "first_month", **kwargs)
    again = callaway_santanna(panel, "y", "gss_code", "month", "first_month", **kwargs)
    analytic = callaway_santanna(panel, "y", "gss_code", "month", "first_month", aggregation="dynamic")
    assert [r.std_error for r in boot] == [r.std_error for r in again]
    for b, a in zip(boot, analytic, strict=True):
        assert b.std_error == pytest.approx(a.std_error, rel=0.2)
        assert b.conf_high - b.conf_low > a.conf_high - a.conf_low  # uniform band is wider


def test_unbalanced_panel_is_refused():
    panel = simulate_staggered(9).iloc[1:]
    with pytest.raises(ValueError, match="balanced"):
        callaway_santanna(panel, "y", "gss_code", "month", "first_month")


def test_adoption_off_the_period_grid_is_refused():
    panel = simulate_staggered(10)
    panel.loc[panel.gss_code == "E09000001", "first_month"] = 3.5
    with pytest.raises(ValueError, match="not among the observed periods"):
        callaway_santanna(panel, "y", "gss_code", "month", "first_month")


# ----------------------------------------------------------------------------------------------
# The pre-trend test behind the evidence rating (Callaway-Sant'Anna leads, joint F test)
# ----------------------------------------------------------------------------------------------

# csdid 0.4.3 (Python port of R did; ATTgt(control_group=["nevertreated"]).fit(est_method="reg"),
# aggte(typec="dynamic"), varying base period) on deterministic_panel(): event time -> (estimate, SE).
CSDID_DYNAMIC = {
    -4: (-0.2081301231, 0.5051454417),
    -3: (0.8392260888, 0.6109699289),
    -2: (-0.8845602920, 0.6375292877),
    -1: (0.2012197538, 0.6135418798),
    0: (2.1060967444, 0.5545115096),
    1: (1.6462425120, 0.5031153550),
    2: (3.0548098949, 0.6928414306),
    3: (1.3799956245, 0.7222790591),
    4: (3.4628693563, 0.7194870140),
}


def deterministic_panel() -> pd.DataFrame:
    """15 authorities over 8 periods, cohorts joining in 4 (four) and 6 (three), noise from sines (no RNG)."""
    rows = []
    first = [4] * 4 + [6] * 3 + [0] * 8
    for i, g in enumerate(first):
        for t in range(1, 9):
            noise = np.sin(1.7 * (i + 1) * t + 0.3 * i) + 0.5 * np.cos(2.3 * t * t + i)
            effect = (1.0 + 0.5 * (t - g)) * (1 if g == 4 else 2) if g and t >= g else 0.0
            rows.append((i + 1, t, g or np.nan, 10 + 0.3 * i + 0.2 * t + noise + effect))
    return pd.DataFrame(rows, columns=["id", "t", "first", "y"])


def test_event_time_effects_and_standard_errors_match_csdid():
    rows = {r.term: r for r in callaway_santanna(deterministic_panel(), "y", "id", "t", "first", aggregation="dynamic")}
    for e, (estimate, std_error) in CSDID_DYNAMIC.items():
        assert rows[f"e={e}"].estimate == pytest.approx(estimate, abs=1e-9)
        assert rows[f"e={e}"].std_error == pytest.approx(std_error, abs=1e-9)


def test_pre_trend_test_leads_are_the_callaway_santanna_leads_and_the_chart_shows_them():
    panel = deterministic_panel()
    rows = pre_trend_wald(panel, "y", "id", "t", "first", leads=3)
    assert [r.term for r in rows] == ["e=-3", "e=-2", "e=-1", "pre_trend_wald"]
    for row in rows[:-1]:  # same estimates as csdid's leads (cohort sizes fixed only changes the SE)
        assert row.estimate == pytest.approx(CSDID_DYNAMIC[int(row.term[2:])][0], abs=1e-9)
    assert "F(3, " in rows[-1].method and "varying base period" in rows[-1].method


def test_pre_trend_test_with_one_lead_is_welchs_t_test():
    panel = deterministic_panel()
    late_and_never = panel[panel["first"].isna() | (panel["first"] == 6)]
    wide = late_and_never.pivot(index="id", columns="t", values="y")
    joiners = late_and_never.groupby("id")["first"].first().notna()
    change = wide[5] - wide[4]  # the period before joining, against the one before that
    welch = stats.ttest_ind(change[joiners], change[~joiners], equal_var=False)
    wald = pre_trend_wald(late_and_never, "y", "id", "t", "first", leads=1)[-1]
    assert wald.statistic == pytest.approx(welch.statistic**2, rel=1e-10)
    assert wald.p_value == pytest.approx(welch.pvalue, rel=1e-8)


def test_pre_trend_test_is_the_multivariate_behrens_fisher_test_by_hand():
    """One cohort against never-treated: Hotelling-type T2 with separate covariances, Krishnamoorthy-Yu df."""
    panel = deterministic_panel()
    late_and_never = panel[panel["first"].isna() | (panel["first"] == 6)]
    wide = late_and_never.pivot(index="id", columns="t", values="y")
    joiners = late_and_never.groupby("id")["first"].first().notna().to_numpy()
    changes = np.column_stack([wide[t] - wide[t - 1] for t in (3, 4, 5)])  # leads e=-3, -2, -1
    treated, control = changes[joiners], changes[~joiners]
    difference = treated.mean(axis=0) - control.mean(axis=0)
    parts = [np.cov(group, rowvar=False) / len(group) for group in (treated, control)]
    total = parts[0] + parts[1]
    t2 = difference @ np.linalg.solve(total, difference)
    p = 3
    nu = (p + p * p) / sum(
        (np.trace(np.linalg.solve(total, v) @ np.linalg.solve(total, v)) + np.trace(np.linalg.solve(total, v)) ** 2)
        / (len(g) - 1)
        for v, g in zip(parts, (treated, control), strict=True)
    )
    f_value = t2 * (nu - p + 1) / (p * nu)
    wald = pre_trend_wald(late_and_never, "y", "id", "t", "first", leads=3)[-1]
    assert wald.statistic == pytest.approx(f_value, rel=1e-9)
    assert wald.p_value == pytest.approx(stats.f.sf(f_value, p, nu - p + 1), rel=1e-8)


def gate_rejections(design: StaggeredDesign, replicates: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.array(
        [
            pre_trend_wald(
                simulate_staggered_panel(design, rng), "value", "authority_code", "t", "first_treated", leads=6
            )[-1].p_value
            < GATE_ALPHA
            for _ in range(replicates)
        ]
    )


GATE_ALPHA = 0.10  # evaluation.impact.evidence.maryland_sms_level's pre_trend_alpha


def test_gate_false_rejection_rate_is_nominal_with_parallel_trends_and_growing_heterogeneous_effects():
    """33 authorities, three cohorts of five joining at 12, 20 and 28 of 36 periods, effects growing by
    0.5, 0.3 and 0.1 a period: the case where the TWFE event study's leads reject (``benchmarks/coverage.py``
    runs the full study and the TWFE comparison)."""
    replicates = 200
    rate = gate_rejections(StaggeredDesign(), replicates, seed=15).mean()
    monte_carlo_error = np.sqrt(GATE_ALPHA * (1 - GATE_ALPHA) / replicates)
    assert rate <= GATE_ALPHA + 2.58 * monte_carlo_error  # never above nominal beyond Monte Carlo error
    assert rate > 0  # and not a test that cannot reject


def test_gate_rejects_a_planted_pre_trend():
    rate = gate_rejections(replace(StaggeredDesign(), pre_trend=0.6), 100, seed=16).mean()
    assert rate >= 0.8
