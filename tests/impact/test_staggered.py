"""Callaway & Sant'Anna against a known truth, hand-computed means and the jackknife.

The simulated panel has the textbook failure of TWFE (Goodman-Bacon, 2021):
an early cohort whose effect keeps growing serves as a "control" for a late
cohort, so TWFE is pulled far below the average effect while the group-time
estimator recovers it.
"""

import numpy as np
import pandas as pd
import pytest

from evaluation.impact.did import twfe_did
from evaluation.impact.staggered import callaway_santanna

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
            panel, "y", "gss_code", "month", "first_month",
            aggregation="dynamic", control_group=control_group,
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
    se_by_hand = np.sqrt(
        change[adopter].var(ddof=0) / adopter.sum() + change[~adopter].var(ddof=0) / (~adopter).sum()
    )
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
        rows = callaway_santanna(
            panel, "y", "gss_code", "month", "first_month", aggregation="group_time", **options
        )
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
        panel, "y", "gss_code", "month", "first_month",
        aggregation="dynamic", base_period="universal",
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
    rows = callaway_santanna(panel, "y", "gss_code", "month", "first_month",
                             aggregation=aggregation)
    codes = panel.gss_code.unique()
    leave_one_out = np.array([
        [r.estimate for r in callaway_santanna(panel[panel.gss_code != code], "y", "gss_code",
                                               "month", "first_month", aggregation=aggregation)]
        for code in codes
    ])
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
    assert callaway_santanna(
        one_cohort, "y", "gss_code", "month", "first_month", fixed_cohorts=True
    )[0].std_error == pytest.approx(
        callaway_santanna(one_cohort, "y", "gss_code", "month", "first_month")[0].std_error
    )


def test_multiplier_bootstrap_is_seeded_and_gives_a_uniform_band():
    panel = simulate_staggered(8)
    kwargs = dict(aggregation="dynamic", bootstrap_reps=999, seed=11)
    boot = callaway_santanna(panel, "y", "gss_code", "month", "first_month", **kwargs)
    again = callaway_santanna(panel, "y", "gss_code", "month", "first_month", **kwargs)
    analytic = callaway_santanna(panel, "y", "gss_code", "month", "first_month",
                                 aggregation="dynamic")
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
