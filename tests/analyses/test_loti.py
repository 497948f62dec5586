"""LOTI analyses against independent references, and the demo data's planted truths.

References are computed here, not taken from the module: progress and RAG by hand, difference-in-
differences from group means, statsmodels formula regressions with clustered errors, present values
with 1.035 discount factors, pro-rata fees by counting months, Monte Carlo draws replayed with numpy.
The last tests ingest the demo LOTI workbook and observations and check the truths documented in
``data/demo/README.md``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from evaluation.analyses import loti
from evaluation.impact.evidence import CausalReportingDecision, SmsRating
from evaluation.impact.staggered import pre_trend_wald
from evaluation.reference import london_tile_grid
from evaluation.simulation import StaggeredDesign, simulate_staggered_panel
from evaluation.tidy import Estimate, to_frame
from report_text_checks import RecordingRun, quiet_findings, section_text
from support import NAIVE_TWFE_CONNECTIVITY, TRUE_CONNECTIVITY_ATT

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """Run on one BLAS thread: these small regressions gain nothing from more, and on a busy machine the
    threads of a multi-threaded BLAS spin against each other (a 2,772-row fit then takes seconds)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it the tests are only slower
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# ----------------------------------------------------------------------------------------------
# Hand-made inputs
# ----------------------------------------------------------------------------------------------


def indicator(**overrides: object) -> dict[str, object]:
    row = {
        "indicator_id": "I1",
        "project_id": "P1",
        "name": "Days to resolve a repair",
        "level": "community",
        "unit": "days",
        "direction": "lower_is_better",
        "baseline": 40.0,
        "baseline_period": pd.Timestamp("2024-01-01"),
        "target": 20.0,
        "target_period": pd.Timestamp("2025-01-01"),
    }
    row.update(overrides)
    return row


def observations(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "authority_code", "period", "value"]).assign(
        period=lambda f: pd.to_datetime(f["period"])
    )


PARTICIPANTS = pd.DataFrame(
    {
        "project_id": ["P1", "P1"],
        "authority_code": ["A", "B"],
        "role": ["Lead", "Participant"],
        "joined_on": pd.to_datetime(["2024-01-01", "2024-01-01"]),
    }
)


def simulated_panel(
    seed: int, *, effect: float = 2.0, n_units: int = 12, n_periods: int = 6, adopters: int = 5, adoption: int = 4
) -> pd.DataFrame:
    """Authorities A00.. observed monthly; the first ``adopters`` join in period ``adoption``."""
    rng = np.random.default_rng(seed)
    periods = pd.date_range("2023-01-01", periods=n_periods, freq="MS")
    obs, joined = [], []
    for i in range(n_units):
        code = f"A{i:02d}"
        level = rng.normal(scale=3)
        if i < adopters:
            joined.append((code, periods[adoption - 1]))
        for t, period in enumerate(periods, start=1):
            treated = i < adopters and t >= adoption
            obs.append(("I1", code, period, 10 + level + 0.5 * t + effect * treated + rng.normal()))
    frame = pd.DataFrame(obs, columns=["indicator_id", "authority_code", "period", "value"])
    pa = pd.DataFrame(
        {
            "project_id": "P1",
            "authority_code": [c for c, _ in joined],
            "role": "Participant",
            "joined_on": [d for _, d in joined],
        }
    )
    return loti.indicator_panel(frame, pa, "I1", "P1")


def cluster_fit(formula: str, data: pd.DataFrame):
    groups = pd.factorize(data["authority_code"])[0]
    return smf.ols(formula, data=data).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


# ----------------------------------------------------------------------------------------------
# (a) logic model
# ----------------------------------------------------------------------------------------------


def test_logic_model_lists_every_stage_in_order_and_marks_gaps():
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "logic_inputs": ["staff", "x"],
            "logic_activities": ["a", "x"],
            "logic_outputs": ["o", "x"],
            "logic_outcomes": ["faster repairs", "x"],
            "logic_impact": ["i", "x"],
            "logic_assumptions": [None, "x"],
        }
    )
    table = loti.logic_model(projects, "P1")
    assert table["stage"].tolist() == ["Inputs", "Activities", "Outputs", "Outcomes", "Impact", "Assumptions"]
    assert table.loc[3, "description"] == "faster repairs"
    assert table.loc[5, "description"] == "(not recorded)"
    with pytest.raises(ValueError, match="no project 'P9'"):
        loti.logic_model(projects, "P9")


# ----------------------------------------------------------------------------------------------
# (b) indicators
# ----------------------------------------------------------------------------------------------


def test_tracking_uses_participants_only_and_matches_hand_progress():
    obs = observations(
        [
            ("I1", "A", "2024-04-01", 38.0),
            ("I1", "A", "2024-07-01", 32.0),
            ("I1", "B", "2024-04-01", 36.0),
            ("I1", "B", "2024-07-01", 28.0),
            ("I1", "C", "2024-07-01", 10.0),  # not taking part: must not count
        ]
    )
    tracking = loti.track_project_indicators(pd.DataFrame([indicator()]), obs, PARTICIPANTS)
    row = tracking.summary.iloc[0]
    mean = (32.0 + 28.0) / 2
    progress = (mean - 40.0) / (20.0 - 40.0)  # 0.5
    elapsed = (pd.Timestamp("2024-07-01") - pd.Timestamp("2024-01-01")) / (
        pd.Timestamp("2025-01-01") - pd.Timestamp("2024-01-01")
    )
    assert row["latest_mean"] == pytest.approx(mean)
    assert row["progress"] == pytest.approx(progress)
    assert row["expected_progress"] == pytest.approx(elapsed)
    # 0.5 >= 0.9 x 0.4959: Green
    assert row["status"] == "Green" and progress >= 0.9 * elapsed
    assert (row["latest_lowest"], row["latest_highest"]) == (28.0, 32.0)
    assert row["participants_observed"] == 2
    assert set(tracking.by_authority["authority"]) == {"A", "B"}
    # Published as readers read them, not in the store's spelling (lower_is_better).
    assert {row["direction"], *tracking.by_authority["direction"]} == {"lower is better"}
    # B: (28 - 40) / -20 = 0.6 -> Green; A: 0.4 >= 0.5 x 0.496 -> Amber
    statuses = dict(zip(tracking.by_authority["authority"], tracking.by_authority["status"], strict=True))
    assert statuses == {"A": "Amber", "B": "Green"}
    first = tracking.over_time.iloc[0]
    assert first["mean"] == pytest.approx(37.0) and first["progress"] == pytest.approx(3 / 20)
    assert tracking.warnings.empty


def test_indicator_without_baseline_gets_a_visible_warning_never_silence():
    specs = pd.DataFrame([indicator(), indicator(indicator_id="I2", baseline=np.nan, baseline_period=pd.NaT)])
    obs = observations([("I1", "A", "2024-07-01", 30.0), ("I2", "A", "2024-07-01", 30.0)])
    tracking = loti.track_project_indicators(specs, obs, PARTICIPANTS)
    row = tracking.summary.set_index("indicator_id").loc["I2"]
    assert row["status"] == "No baseline"
    assert "NO BASELINE" in row["warning"]
    assert tracking.warnings[["indicator_id", "issue"]].values.tolist() == [["I2", "no baseline"]]
    estimates = {e.group: e for e in loti.tracking_estimates(tracking)}
    assert math.isnan(estimates["I2"].estimate) and "WARNING" in estimates["I2"].method
    assert loti.describe_indicator(tracking.summary.iloc[1]).startswith("No baseline: I2 (")


def test_indicators_without_data_or_with_a_wrong_way_target_are_kept_with_warnings():
    specs = pd.DataFrame([indicator(), indicator(indicator_id="I3", target=50.0), indicator(indicator_id="I4")])
    obs = observations([("I1", "A", "2024-07-01", 30.0), ("I3", "A", "2024-07-01", 30.0)])
    tracking = loti.track_project_indicators(specs, obs, PARTICIPANTS)
    status = dict(zip(tracking.summary["indicator_id"], tracking.summary["status"], strict=True))
    assert status == {"I1": "Green", "I3": "Invalid definition", "I4": "No data"}
    assert set(map(tuple, tracking.warnings[["indicator_id", "issue"]].values)) == {
        ("I3", "invalid definition"),
        ("I4", "no observations"),
    }
    wrong_way = tracking.warnings.set_index("indicator_id").loc["I3", "message"]
    assert "(50) that is not better than its baseline (40) in its direction (lower is better)" in wrong_way
    counts = tracking.level_counts()
    assert counts["Total"].tolist() == [3] and counts[["Green", "No data", "Invalid definition"]].values.tolist() == [
        [1, 1, 1]
    ]


# ----------------------------------------------------------------------------------------------
# (c) panel and impact
# ----------------------------------------------------------------------------------------------


def test_panel_maps_joining_dates_to_the_period_containing_them():
    periods = ["2024-01-01", "2024-02-01", "2024-03-01"]
    obs = observations([("I1", code, p, 1.0) for code in "ABCDE" for p in periods])
    pa = pd.DataFrame(
        {
            "project_id": "P1",
            "authority_code": list("ABCD"),
            "joined_on": pd.to_datetime(["2024-02-15", "2023-06-01", "2024-05-01", "2024-03-01"]),
        }
    )
    panel = loti.indicator_panel(obs, pa, "I1", "P1")
    first = panel.groupby("authority_code")["first_treated"].first()
    # A mid-February -> February (t=2); B before the window -> t=1; C after the window -> never; E never joins
    assert first["A"] == 2 and first["B"] == 1 and first["D"] == 3
    assert math.isnan(first["C"]) and math.isnan(first["E"])
    assert panel.loc[panel["authority_code"] == "A", "treated"].tolist() == [0, 1, 1]
    assert panel["participant"].groupby(panel["authority_code"]).first().to_dict() == {
        "A": True,
        "B": True,
        "C": True,
        "D": True,
        "E": False,
    }
    assert loti.period_unit(panel) == "month"


def test_permitted_impact_matches_hand_did_and_formula_twfe():
    panel = simulated_panel(3)
    result = loti.evaluate_impact(
        panel,
        indicator_id="I1",
        indicator_name="Outcome",
        unit="%",
        seed=5,
        bootstrap_reps=99,
        permutations=99,
        leads=2,
        lags=1,
    )
    assert result.decision.permitted
    # Callaway-Sant'Anna, one cohort joining in t=4, never-treated controls, base t=3: mean over post periods of
    # (change of adopters - change of never-adopters)
    wide = panel.pivot(index="authority_code", columns="t", values="value")
    adopters = panel.groupby("authority_code")["first_treated"].first().notna()
    cells = [(wide[t] - wide[3])[adopters].mean() - (wide[t] - wide[3])[~adopters].mean() for t in (4, 5, 6)]
    assert result.headline.estimate == pytest.approx(np.mean(cells))
    assert result.headline.conf_low < 2.0 < result.headline.conf_high
    reference = cluster_fit("value ~ treated + C(authority_code) + C(t)", panel)
    twfe = next(e for e in result.causal if e.term == "att_twfe")
    assert twfe.estimate == pytest.approx(reference.params["treated"])
    assert twfe.std_error == pytest.approx(reference.bse["treated"])
    assert {e.term for e in result.causal} == set(loti.CAUSAL_TERMS)
    assert any(e.term == "pre_trend_wald" for e in result.event_study)
    assert result.sms.level == 3
    assert "Headline" in result.narrative and "No causal claim" not in result.narrative
    assert "95% interval" in result.narrative and "CI" not in result.narrative  # one set of number rules


def staggered_loti_panel(seed: int) -> pd.DataFrame:
    """A 33-authority monthly panel with parallel trends and growing, cohort-specific effects, as a LOTI panel."""
    sim = simulate_staggered_panel(StaggeredDesign(), np.random.default_rng(seed))
    periods = pd.date_range("2022-01-01", periods=sim["t"].max(), freq="MS")
    obs = pd.DataFrame(
        {
            "indicator_id": "I1",
            "authority_code": sim["authority_code"],
            "period": periods[sim["t"] - 1],
            "value": sim["value"],
        }
    )
    first = sim.groupby("authority_code")["first_treated"].first().dropna()
    pa = pd.DataFrame(
        {
            "project_id": "P1",
            "authority_code": first.index,
            "role": "Participant",
            "joined_on": periods[first.astype(int).to_numpy() - 1],
        }
    )
    return loti.indicator_panel(obs, pa, "I1", "P1")


def test_rating_is_gated_by_the_callaway_santanna_pre_trend_test_not_the_twfe_leads():
    """Parallel trends hold by construction; the TWFE event study's leads reject (they absorb effects that differ
    between cohorts and grow), the Callaway-Sant'Anna test does not, and the rating follows the latter."""
    panel = staggered_loti_panel(4)
    result = loti.evaluate_impact(
        panel, indicator_id="I1", indicator_name="Outcome", unit="%", bootstrap_reps=0, permutations=0, leads=6, lags=12
    )
    twfe_leads = next(e for e in result.event_study if e.term == "pre_trend_wald")
    (gate,) = result.pre_trend
    assert twfe_leads.p_value < 0.05
    expected = pre_trend_wald(panel, "value", "authority_code", "t", "first_treated", leads=6)[-1]
    assert (gate.term, gate.p_value) == ("pre_trend_wald", pytest.approx(expected.p_value))
    assert gate.p_value > 0.5 and result.sms.level == 3
    assert "diagnostic" in next(e.group for e in result.event_study)
    # the event-study chart shows exactly the leads the test tests, then the effects from joining
    leads = pre_trend_wald(panel, "value", "authority_code", "t", "first_treated", leads=6)[:-1]
    shown = [e for e in result.dynamic if e.term.startswith("e=-")]
    assert [(e.term, e.estimate) for e in shown] == [(e.term, pytest.approx(e.estimate)) for e in leads]
    figure, alt_text = loti.effect_by_time_chart(result, per="month")
    assert "pre-trend test F" in alt_text and len(figure.data[0].x) == len(result.dynamic)


def test_not_permitted_impact_reports_no_causal_rows_and_says_so():
    panel = simulated_panel(4, n_units=6, adopters=6, adoption=1)  # everyone takes part from the start
    result = loti.evaluate_impact(panel, indicator_id="I1", indicator_name="Outcome", unit="ideas per month")
    assert not result.decision.permitted
    assert result.causal == [] and result.event_study == [] and result.dynamic == [] and result.headline is None
    assert not any(loti.is_causal(e.term) for e in result.estimates())
    assert "**No causal claim is made**" in result.narrative
    terms = {e.term: e for e in result.estimates()}
    assert terms["causal_estimate_permitted"].estimate == 0.0
    # the descriptive trend is an OLS of value on t with authority fixed effects, clustered by authority
    reference = cluster_fit("value ~ t + C(authority_code)", panel)
    trend = terms["trend_per_period"]
    assert trend.estimate == pytest.approx(reference.params["t"])
    assert (trend.conf_low, trend.conf_high) == pytest.approx(tuple(reference.conf_int().loc["t"]))
    assert "NOT a causal estimate" in trend.method


def test_unbalanced_comparisons_fall_back_to_a_contribution_analysis():
    panel = simulated_panel(5, n_units=11, adopters=5)
    never = panel["first_treated"].isna()
    gappy = panel[~(never & (panel["t"] == 2))]  # every comparison authority misses a month
    result = loti.evaluate_impact(gappy, indicator_id="I1", indicator_name="Outcome", bootstrap_reps=0, permutations=0)
    assert not result.decision.permitted and result.causal == []
    assert "cannot be computed" in result.decision.reason and "6 authorities" in result.warnings[0]
    assert {e.term: e.estimate for e in result.context}["causal_estimate_permitted"] == 0.0
    with pytest.raises(ValueError, match="I1: no causal estimate is permitted"):
        loti.impact_narrative(result, participants=5, treated=5, comparison=6, cohorts=1, control_group="never_treated")


def test_naive_post_comparison_is_the_gap_with_period_effects():
    panel = simulated_panel(8)
    naive = loti.naive_post_comparison(panel)
    data = pd.concat(
        [
            panel[panel["treated"] == 1].assign(group=1.0),
            panel[panel["first_treated"].isna() & (panel["t"] >= 4)].assign(group=0.0),
        ]
    )
    reference = cluster_fit("value ~ group + C(t)", data)
    assert naive.estimate == pytest.approx(reference.params["group"])
    assert naive.std_error == pytest.approx(reference.bse["group"])


def test_effect_sentences_read_the_direction_and_the_interval():
    better = Estimate("att", -3.0, conf_low=-4.0, conf_high=-2.0)
    text = loti.describe_effect(better, indicator_name="Clicks", unit="%", direction="lower_is_better")
    assert "lowered clicks by 3.00 percentage points" in text and "improved" in text
    unclear = Estimate("att", 0.3, conf_low=-0.5, conf_high=1.1)
    assert "cannot distinguish" in loti.describe_effect(
        unclear, indicator_name="x", unit="%", direction="lower_is_better"
    )
    assert [loti.event_time_label(t) for t in ("e=-1", "e=0", "e=2", "e>=12")] == [
        "1 month before",
        "month joined",
        "2 months after",
        "12+ months after",
    ]


def impact(direction: str, low: float, high: float, permitted: bool = True) -> loti.ImpactResult:
    causal = [Estimate("att_callaway_santanna", (low + high) / 2, conf_low=low, conf_high=high)] if permitted else []
    return loti.ImpactResult(
        "I1", "x", "%", direction, CausalReportingDecision(permitted, "r"), SmsRating(3, "r"), causal=causal
    )


def test_benefits_are_supported_only_by_an_improvement():
    assert loti.benefits_supported_by_evidence([impact("higher_is_better", 1, 3)])[0] is True
    assert loti.benefits_supported_by_evidence([impact("lower_is_better", -3, -1)])[0] is True
    assert loti.benefits_supported_by_evidence([impact("lower_is_better", -1, 1)])[0] is False
    assert loti.benefits_supported_by_evidence([impact("higher_is_better", -3, -1)])[0] is False
    assert loti.benefits_supported_by_evidence([impact("higher_is_better", 0, 0, permitted=False)])[0] is None
    assert loti.benefits_supported_by_evidence([])[0] is None


# ----------------------------------------------------------------------------------------------
# (d) value for money
# ----------------------------------------------------------------------------------------------


def flows(**overrides: object) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "project": "P1",
            "year": [2023, 2024],
            "type": ["cost", "benefit"],
            "amount": [100.0, 207.0],
            "price_base_year": 2023,
            "bearer": ["GLA", "Boroughs"],
            "cashable": [True, False],
            "category": ["build", "time saved"],
        }
    )
    return frame.assign(**overrides)


def test_appraisal_matches_hand_present_values_and_sensitivities():
    vfm = loti.appraise_value_for_money(
        flows(), price_base_year=2023, optimism_bias_percent=10, value_per_incident=30.0
    )
    pv_b, pv_c = 207.0 / 1.035, 100.0  # benefit one year after the base (first) year
    expected = {
        "pv_benefits": pv_b,
        "pv_costs": pv_c,
        "npsv": pv_b - pv_c,
        "bcr": pv_b / pv_c,
        "pv_costs_optimism_bias": 110.0,
        "npsv_optimism_bias": pv_b - 110.0,
        "bcr_optimism_bias": pv_b / 110,
        "switching_benefits_fall_percent": 100 * (pv_b - pv_c) / pv_b,
        "switching_costs_rise_percent": 100 * (pv_b - pv_c) / pv_c,
        "break_even_incidents": 4.0,
    }
    for term, value in expected.items():
        assert vfm.value(term) == pytest.approx(value), term
    assert vfm.discount_year == 2023 and vfm.warnings == []
    table = vfm.present_values.set_index("bearer")
    assert table.loc["Boroughs", "pv_benefits"] == pytest.approx(pv_b)
    assert not table.loc["Boroughs", "cashable"]
    sensitivity = {e.term: e.estimate for e in loti.evidence_sensitivity(vfm, False)}
    assert sensitivity == {"npsv_without_unsupported_benefits": -pv_c, "bcr_without_unsupported_benefits": 0.0}
    assert loti.evidence_sensitivity(vfm, True) == [] and loti.evidence_sensitivity(vfm, None) == []
    assert "NPSV £100" in loti.describe_appraisal(vfm)


def stage_flows() -> pd.DataFrame:
    """Costs 100 (2023) and 51.75 (2024); benefits 207 (2024) and 107.1225 (2025), all in 2023-24 prices.

    Discounted at 3.5% to 2023: PV costs 100 + 51.75 / 1.035 = 150, PV benefits 207 / 1.035 + 107.1225 / 1.035^2
    = 200 + 100 = 300.
    """
    return pd.DataFrame(
        {
            "project": "P1",
            "year": [2023, 2024, 2024, 2025],
            "type": ["cost", "cost", "benefit", "benefit"],
            "amount": [100.0, 51.75, 207.0, 107.1225],
            "price_base_year": 2023,
            "bearer": "GLA",
            "cashable": True,
            "category": "x",
        }
    )


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        # Ex ante (Green Book 2022 A5; optimism bias supplementary guidance): the 20% uplift is in the central case.
        # PV costs 150 x 1.2 = 180: NPSV 300 - 180 = 120, BCR 300 / 180, switching values 120 / 300 and 120 / 180,
        # break-even ceil(180 / 30) = 6 incidents; the unadjusted figures are kept beside them.
        (
            "ex_ante",
            {
                "pv_benefits": 300.0,
                "pv_costs": 180.0,
                "npsv": 120.0,
                "bcr": 5 / 3,
                "switching_benefits_fall_percent": 40.0,
                "switching_costs_rise_percent": 200 / 3,
                "break_even_incidents": 6.0,
                "pv_costs_before_optimism_bias": 150.0,
                "npsv_before_optimism_bias": 150.0,
                "bcr_before_optimism_bias": 2.0,
            },
        ),
        # Ex post on outturn costs: no uplift in the central case (NPSV 150, BCR 2, switching 50% and 100%,
        # ceil(150 / 30) = 5 incidents); the uplift appears only as a sensitivity.
        (
            "ex_post",
            {
                "pv_benefits": 300.0,
                "pv_costs": 150.0,
                "npsv": 150.0,
                "bcr": 2.0,
                "switching_benefits_fall_percent": 50.0,
                "switching_costs_rise_percent": 100.0,
                "break_even_incidents": 5.0,
                "pv_costs_optimism_bias": 180.0,
                "npsv_optimism_bias": 120.0,
                "bcr_optimism_bias": 5 / 3,
            },
        ),
    ],
)
def test_appraisal_stage_decides_whether_optimism_bias_is_in_the_central_case(stage, expected):
    vfm = loti.appraise_value_for_money(
        stage_flows(), price_base_year=2023, optimism_bias_percent=20, value_per_incident=30.0, stage=stage
    )
    assert {e.term for e in vfm.estimates} == set(expected)
    for term, value in expected.items():
        assert vfm.value(term) == pytest.approx(value, rel=1e-9), term
    central = next(e for e in vfm.estimates if e.term == "npsv")
    sentence = loti.describe_appraisal(vfm)
    if stage == "ex_ante":
        assert "ex ante appraisal" in central.method and "20% optimism bias" in central.method
        assert "include the optimism bias adjustment" in sentence and "20% on costs" in sentence
    else:
        assert "ex post evaluation on outturn costs" in central.method and "optimism" not in central.method
        assert "no optimism bias adjustment in the central case" in sentence
    # the Monte Carlo varies the central case's costs: uplifted ex ante, outturn ex post
    simulation = loti.simulate_value_for_money(vfm, seed=1, n_draws=20_000)
    mean_npsv = next(e.estimate for e in simulation.estimates if e.term == "monte_carlo_npsv")
    # E[multipliers]: benefits (0.8 + 1.0 + 1.1) / 3, costs (0.9 + 1.0 + 1.1) / 3 = 1
    assert mean_npsv == pytest.approx(300 * 2.9 / 3 - expected["pv_costs"], abs=2.0)
    label, npsv = loti.optimism_bias_scenario(vfm)
    assert npsv == pytest.approx(150.0 if stage == "ex_ante" else 120.0)
    assert label == ("Before optimism bias (20%)" if stage == "ex_ante" else "Optimism bias +20% (sensitivity)")
    assert "20%" in loti.describe_optimism_bias(vfm)


def test_appraisal_stage_is_checked():
    with pytest.raises(ValueError, match="stage must be"):
        loti.appraise_value_for_money(stage_flows(), price_base_year=2023, stage="midway")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="optimism bias is an uplift"):
        loti.appraise_value_for_money(stage_flows(), price_base_year=2023, optimism_bias_percent=-5)


def test_mixed_price_bases_need_a_base_year_and_are_then_deflated_with_a_warning():
    mixed = flows(price_base_year=[2022, 2023])
    with pytest.raises(ValueError, match="mixed price bases .2022-23, 2023-24."):
        loti.appraise_value_for_money(mixed, price_base_year=None)
    vfm = loti.appraise_value_for_money(mixed, price_base_year=2023)
    deflator = pd.read_csv(Path(loti.__file__).parents[2] / "data" / "gdp_deflator.csv", comment="#")
    index = dict(zip(deflator["financial_year"], deflator["deflator"], strict=True))
    assert vfm.value("pv_costs") == pytest.approx(100.0 * index["2023-24"] / index["2022-23"])
    assert len(vfm.warnings) == 1 and "2022-23 prices were converted" in vfm.warnings[0]


def test_monte_carlo_replays_with_numpy_and_holds_fixed_costs_fixed():
    frame = pd.concat([flows(), flows(project="core", type="cost", amount=[50.0, 0.0], year=[2023, 2024])])
    vfm = loti.appraise_value_for_money(frame, price_base_year=2023, label="programme")
    ranges = loti.UncertaintyRanges(
        cashable_benefits=(0.9, 1.0, 1.1), non_cashable_benefits=(0.5, 1.0, 1.5), costs=(0.8, 1.0, 1.2)
    )
    result = loti.simulate_value_for_money(vfm, seed=11, n_draws=2000, ranges=ranges, fixed_costs=["core"])
    rng = np.random.default_rng(11)
    cashable = rng.triangular(0.9, 1.0, 1.1, 2000)  # drawn in this order by simulate_appraisal
    non_cashable = rng.triangular(0.5, 1.0, 1.5, 2000)
    costs = rng.triangular(0.8, 1.0, 1.2, 2000)
    pv_b = cashable * 0.0 + non_cashable * 207.0 / 1.035
    pv_c = costs * 100.0 + 50.0
    rows = {e.term: e for e in result.estimates}
    assert rows["monte_carlo_npsv"].estimate == pytest.approx(np.mean(pv_b - pv_c))
    assert rows["monte_carlo_bcr"].conf_low == pytest.approx(np.percentile(pv_b / pv_c, 5))
    assert rows["monte_carlo_probability_npsv_positive"].estimate == pytest.approx(np.mean(pv_b > pv_c))
    assert "90% simulation interval" in loti.describe_monte_carlo(result)


def test_core_funding_is_pro_rata_for_members_and_full_for_gla_and_london_councils():
    members = pd.DataFrame(
        {
            "authority_code": ["A", "B"],
            "joined_on": pd.to_datetime(["2023-07-01", "2022-01-01"]),
            "left_on": pd.to_datetime([None, "2024-04-01"]),
            "annual_fee_gbp": [30_000.0, 30_000.0],
        }
    )
    funding = loti.core_funding_flows(members, last_year=2024)
    table = loti.funding_table(funding).set_index("year")
    # 2022: B all year. 2023: B all year + A July-December (6 months). 2024: A all year + B January-March.
    assert table["Boroughs"].to_dict() == {2022: 30_000.0, 2023: 45_000.0, 2024: 37_500.0}
    assert table["GLA"].tolist() == [100_000.0] * 3 and table["London Councils"].tolist() == [100_000.0] * 3
    assert (funding["price_base_year"] == funding["year"]).all() and funding["cashable"].all()


def test_programme_value_adds_core_funding_to_project_costs():
    cb = pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P2"],
            "year": [2023, 2024, 2024],
            "flow": ["cost", "benefit", "benefit"],
            "category": "x",
            "bearer": "Boroughs",
            "cashable": True,
            "amount_gbp": [100.0, 414.0, 103.5],
            "price_base_year": 2023,
        }
    )
    funding = pd.DataFrame(
        {
            "project": loti.CORE_FUNDING,
            "year": [2023],
            "type": "cost",
            "amount": [200.0],
            "price_base_year": 2023,
            "bearer": "GLA",
            "cashable": True,
            "category": "GLA",
        }
    )
    programme = loti.programme_value_for_money(cb, funding, price_base_year=2023, unsupported_projects=["P2"])
    values = {e.term: e.estimate for e in programme.estimates}
    pv_b = (414.0 + 103.5) / 1.035  # 500
    assert values["programme_pv_benefits"] == pytest.approx(pv_b)
    assert values["programme_bcr"] == pytest.approx(pv_b / 300.0)
    assert values["programme_net_value_per_pound_of_core_funding"] == pytest.approx((pv_b - 100) / 200)
    assert values["programme_npsv_evidence_adjusted"] == pytest.approx(400.0 - 300.0)
    by_project = programme.by_project.set_index("project")
    assert by_project.loc["P2", "pv_benefits"] == pytest.approx(100.0)
    assert math.isnan(by_project.loc["P2", "bcr"])


# ----------------------------------------------------------------------------------------------
# (e) portfolio
# ----------------------------------------------------------------------------------------------


def test_co_participation_counts_shared_projects_and_network_summary():
    pa = pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P1", "P2", "P2"],
            "authority_code": ["A", "B", "C", "A", "B"],
            "role": ["Lead", "Participant", "Participant", "Lead", "Participant"],
        }
    )
    authorities = pd.DataFrame({"gss_code": list("ABCD"), "name": list("abcd"), "inner_outer": "Inner London"})
    matrix = loti.co_participation_matrix(pa, authorities)
    assert matrix.values.tolist() == [[2, 2, 1, 0], [2, 2, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]]
    per, rows = loti.collaboration_summary(matrix)
    summary = {e.term: e.estimate for e in rows}
    assert summary["collaborating_pairs"] == 3 and summary["network_density"] == pytest.approx(3 / 6)
    assert per["partners"].tolist() == [2, 2, 2, 0] and summary["mean_partners"] == pytest.approx(1.5)
    membership = pd.DataFrame(
        {
            "authority_code": ["A", "B"],
            "joined_on": pd.to_datetime(["2020-01-01", "2021-01-01"]),
            "left_on": pd.to_datetime([None, "2022-01-01"]),
            "annual_fee_gbp": 30_000.0,
        }
    )
    table = loti.participation_table(authorities, membership, pa).set_index("gss_code")
    assert table["member"].to_dict() == {"A": True, "B": False, "C": False, "D": False}
    assert table["projects"].tolist() == [2, 2, 1, 0] and table["leads"].tolist() == [2, 0, 0, 0]


def test_member_survey_scores_split_scales_and_suppress_small_groups():
    instrument = pd.DataFrame(
        {
            "item_id": ["sat", "money", "recommend"],
            "construct": ["satisfaction", "value", "value"],
            "scale_min": [1, 1, 0],
            "scale_max": [5, 5, 10],
            "reverse_coded": False,
        }
    )
    answers = {"r1": (4, 5, 9), "r2": (3, 4, 7), "r3": (5, 4, 8), "r4": (2, 3, 6), "r5": (4, 4, 10), "r6": (5, 5, 9)}
    area = {"r1": "X", "r2": "X", "r3": "X", "r4": "X", "r5": "X", "r6": "Y"}
    responses = pd.DataFrame(
        [
            (r, "2023", item, float(v), area[r])
            for r, values in answers.items()
            for item, v in zip(("sat", "money", "recommend"), values, strict=True)
        ],
        columns=["respondent", "wave", "item_id", "value", "authority_code"],
    )
    scores = loti.member_survey_scores(responses, instrument)
    assert set(scores["construct"]) == {"satisfaction", "value", "recommend"}
    assert scores.set_index(["participant", "construct"]).loc[("r1", "recommend"), "scale"] == "0-10"
    authorities = pd.DataFrame({"gss_code": ["X", "Y"], "inner_outer": ["Inner London", "Outer London"]})
    published = loti.member_survey_summary(scores, authorities, k=5)
    summary = published.set_index("group")
    values = np.array([v[0] for v in answers.values()], dtype=float)
    half = stats.t.ppf(0.975, 5) * values.std(ddof=1) / np.sqrt(6)
    row = summary.loc["satisfaction: All members"]
    assert row["estimate"] == pytest.approx(values.mean())
    assert row["conf_high"] == pytest.approx(values.mean() + half)
    assert summary.loc["value: Inner London", "estimate"] == pytest.approx(np.mean([5, 4, 4, 3, 4]))
    outer = summary.loc["satisfaction: Outer London"]
    assert outer["suppressed"] and math.isnan(outer["estimate"]) and pd.isna(outer["n"])
    assert "not shown" in loti.describe_rating(published[published["group"] == "satisfaction: Outer London"].iloc[0])
    recommend = published[published["group"] == "recommend: All members"].iloc[0]
    assert "on the 0-10 scale" in loti.describe_rating(recommend)


def test_rating_sentence_marks_respondents_for_the_disclosure_audit():
    row = pd.Series(
        {
            "group": "value: Inner London",
            "estimate": 3.6312,
            "conf_low": 3.2871,
            "conf_high": 3.98,
            "n": 30.0,
            "scale": "1-5",
        }
    )
    assert loti.describe_rating(row, confidence_level=0.9) == (
        'value: Inner London: mean 3.63 on the 1-5 scale (90% interval 3.29 to 3.98, <span data-people="LOTI member '
        'survey respondents">30</span> respondents).'
    )


# ----------------------------------------------------------------------------------------------
# The demo data's planted truths
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The demo LOTI workbook and indicator panel, ingested into a fresh store."""
    from evaluation.ingest.pseudonymise import DEMO_KEY
    from evaluation.ingest.service import IngestJob, run_ingest
    from evaluation.store import Store

    store = Store(tmp_path_factory.mktemp("loti_demo") / "workbench.duckdb")
    run_ingest(
        [IngestJob(DEMO / "loti.xlsx"), IngestJob(DEMO / "loti" / "observations.csv")], store, DEMO_KEY, command="test"
    )
    return {
        name: store.read_table(name)
        for name in ("indicators", "observations", "project_authorities", "costs_benefits", "projects")
    }


def demo_impact(demo: dict[str, pd.DataFrame], project: str) -> dict[str, tuple[pd.DataFrame, loti.ImpactResult]]:
    return loti.project_impacts(
        demo["indicators"],
        demo["observations"],
        demo["project_authorities"],
        project,
        bootstrap_reps=0,
        permutations=0,
        seed=1,
    )


def test_demo_connectivity_recovers_the_staggered_effect(demo):
    panel, result = demo_impact(demo, "P03")["IND03"]
    assert panel["authority_code"].nunique() == 33 and panel["first_treated"].nunique() == 4
    assert result.decision.permitted
    assert result.headline.conf_low < TRUE_CONNECTIVITY_ATT < result.headline.conf_high
    twfe = next(e for e in result.causal if e.term == "att_twfe")
    assert twfe.estimate == pytest.approx(NAIVE_TWFE_CONNECTIVITY, abs=0.001)


def test_demo_cyber_pilot_finds_no_effect_despite_the_level_gap(demo):
    _, result = demo_impact(demo, "P04")["IND05"]
    assert result.decision.permitted
    assert result.headline.conf_low < 0 < result.headline.conf_high
    naive = next(e for e in result.descriptive if e.term == "naive_post_comparison")
    assert naive.conf_low > 1.5  # participants are about 3 points worse throughout: not an effect
    assert loti.benefits_supported_by_evidence([result])[0] is False


def test_demo_pipeline_yields_no_causal_estimate(demo):
    results = demo_impact(demo, "P01")
    assert list(results) == ["IND01"]
    _, result = results["IND01"]
    assert not result.decision.permitted and result.headline is None
    assert not any(loti.is_causal(term) for term in to_frame(result.estimates())["term"])
    assert "**No causal claim is made**" in result.narrative


def test_demo_indicator_without_baseline_is_flagged(demo):
    tracking = loti.track_project_indicators(demo["indicators"], demo["observations"], demo["project_authorities"])
    flagged = tracking.warnings[tracking.warnings["issue"] == "no baseline"]
    assert flagged["indicator_id"].tolist() == ["IND04"]
    assert "NO BASELINE" in flagged["message"].iloc[0]
    assert tracking.summary.set_index("indicator_id").loc["IND04", "status"] == "No baseline"


def test_tile_map_labels_every_authority():
    grid = london_tile_grid()
    figure = loti.tile_map(
        grid.assign(value=range(33))[["gss_code", "value"]], value="value", title="t", colour_title="v"
    )
    assert len(figure.layout.annotations) == 33


# ----------------------------------------------------------------------------------------------
# What the reports show (loti.project_sections, loti.portfolio_sections): sentences by the number rules, sections
# ----------------------------------------------------------------------------------------------


def test_value_sentences_follow_the_number_rules():
    vfm = loti.appraise_value_for_money(
        stage_flows(), price_base_year=2023, optimism_bias_percent=12.5, stage="ex_post"
    )
    assert "BCR 2.00" in loti.describe_appraisal(vfm) and "returns £2.00 of benefits" in loti.describe_appraisal(vfm)
    assert loti.describe_switching(vfm) == (
        "Benefits would have to be 50% lower, or costs 100% higher, than estimated before the NPSV fell to zero."
    )
    assert "uplifted by 12.5% for optimism bias" in loti.describe_optimism_bias(vfm)
    simulation = loti.simulate_value_for_money(vfm, seed=1, n_draws=2000)
    sentence = loti.describe_monte_carlo(simulation)
    assert sentence.startswith("Across 2,000 simulated draws the NPSV averages £") and "% of draws" in sentence


def test_project_sections_give_key_findings_with_evidence_and_tables_in_words():
    specs = pd.DataFrame([indicator(), indicator(indicator_id="I2", baseline=np.nan, baseline_period=pd.NaT)])
    obs = observations([("I1", "A", "2024-07-01", 30.0), ("I1", "B", "2024-07-01", 34.0)])
    tracking = loti.track_project_indicators(specs, obs, PARTICIPANTS)
    findings = quiet_findings()
    text = section_text(loti.indicator_section(findings, tracking))
    assert "I1 (Days to resolve a repair): the mean of 2 participating authorities was 32.00 days in July 2024" in text
    assert "No baseline: I2 (" in text and 'class="wb-table"' in text and "nan" not in text.lower().split()
    assert [f.heading for f in findings.key_findings] == ["Indicators"]
    assert findings.key_findings[0].text.startswith("1 of 2 indicators can be tracked with data: I1 ")
    none = quiet_findings()
    assert "No causal claim is made" in section_text(loti.impact_section(none, {}))
    assert none.key_findings[0].evidence.startswith("None")
    assert loti.value_section(none, None, None, "", project_id="P1", base_year=2023)[0].text.startswith(
        "**Value for money.** P1 has no costs or benefits recorded"
    )
    history = loti.yearly_status(tracking.over_time)
    assert "Year" in loti.yearly_status_table(history)._repr_html_()
    assert "no status history" in loti.yearly_status_table(history.iloc[0:0]).text


def test_project_value_and_risk_sections_publish_what_the_notebook_did():
    vfm = loti.project_value_for_money(stage_flows(), price_base_year=2023, stage="ex_post", label="P1")
    assert loti.project_value_for_money(stage_flows().iloc[0:0], price_base_year=2023) is None
    run, findings = RecordingRun(), quiet_findings()
    shown = loti.publish_value_for_money(
        run, findings, vfm, None, "No causal estimate.", project_id="P1", base_year=2023
    )
    shown += loti.publish_risks(
        run, findings, vfm, None, project_id="P1", base_year=2023, seed=1, n_draws=500, value_per_incident=0.0
    )
    assert run.published == [
        ("results", ""),
        ("table", "present_values"),
        ("table", "flows"),
        ("figure", "present_value_by_bearer"),
        ("results", ""),
        ("figure", "npsv_scenarios"),
    ]
    figures = [item for item in shown if hasattr(item, "to_plotly_json")]
    assert [f.data[0].hovertemplate for f in figures] == [
        "%{x}: £%{y:,.0f} thousand<extra></extra>",
        "%{y}: £%{x:,.0f} thousand<extra></extra>",
    ]
    key = findings.key_findings[0]
    assert key.heading == "Value for money" and "90% simulation interval" in key.text
    assert "rest on the business case" in key.evidence
    text = section_text(shown)
    assert "Yes" in text and "True" not in text and "Present value of benefits (£)" in text


def test_impact_table_names_the_measures_in_words(demo):
    impacts = demo_impact(demo, "P03")
    html = loti.impact_table(impacts)._repr_html_()
    assert "Effect of taking part (Callaway-Sant&#x27;Anna)" in html and "att_callaway_santanna" not in html
    assert "Participants&#x27; trend per period (descriptive)" in html
    assert len(loti.impact_estimates(impacts)) == sum(len(r.estimates()) for _, r in impacts.values())
    findings = quiet_findings()
    loti.impact_section(findings, impacts)
    assert findings.key_findings[0].evidence.startswith("Maryland Scientific Methods Scale level 3 of 5")
    assert "95% interval" in findings.key_findings[0].text


def test_portfolio_helpers_moved_from_the_notebook(demo):
    impacts = {code: result for code, (_, result) in demo_impact(demo, "P04").items()}
    assert loti.unsupported_projects(demo["projects"], demo["indicators"], impacts) == ["P04"]  # no effect found
    assert [e.term for e in loti.causal_estimates(impacts)] == [
        e.term for r in impacts.values() for e in r.context + r.causal
    ]
    partners = pd.DataFrame({"authority_code": ["A", "B"], "partners": [1, 3], "shared_projects": [2, 5]})
    named = loti.named_partners(partners, pd.DataFrame({"gss_code": ["A", "B"], "name": ["Alpha", "Beta"]}))
    assert named["name"].tolist() == ["Beta", "Alpha"]
    assert loti.level_alt_text(pd.DataFrame({"level": ["community"], "Green": [2], "Red": [0], "Total": [2]})) == (
        "Stacked bars of the number of indicators by status at each level: community: Green 2"
    )


def test_causal_section_summarises_the_permitted_estimates():
    causal = pd.DataFrame(
        {
            "indicator_id": ["I1", "I2"],
            "indicator": ["Clicks", "Ideas"],
            "permitted": [True, False],
            "att": [-1.234, np.nan],
            "conf_low": [-2.0, np.nan],
            "conf_high": [-0.5, np.nan],
            "sms_level": [3.0, np.nan],
            "finding": ["Taking part lowered clicks.", "No causal claim."],
        }
    )
    findings = quiet_findings()
    text = section_text(loti.causal_section(findings, causal))
    assert findings.key_findings[0].text == (
        "A causal estimate is permitted for 1 of 2 indicators with data: I1 "
        "(clicks): -1.23 (95% interval -2.00 to -0.50)."
    )
    assert ">Yes<" in text and ">No<" in text and "nan" not in text


@pytest.mark.parametrize("none", [0.0, -1.0])
def test_a_value_per_incident_of_zero_or_less_means_none_as_the_project_notebook_passes_it(none: float):
    """The notebook passes its ``value_per_incident`` parameter (0 by default) straight through: 0 must give no
    break-even count, as None does, and leave every other figure unchanged."""
    without = to_frame(loti.appraise_value_for_money(flows(), price_base_year=2023).estimates)
    given = to_frame(loti.appraise_value_for_money(flows(), price_base_year=2023, value_per_incident=none).estimates)
    pd.testing.assert_frame_equal(given, without)
    assert "break_even_incidents" not in set(given["term"])
    with_value = loti.appraise_value_for_money(flows(), price_base_year=2023, value_per_incident=30.0)
    assert with_value.value("break_even_incidents") == 4  # ceil(PV costs 100 / 30): 3 incidents cover 90 only


def test_the_rag_level_chart_counts_indicators_in_whole_numbers():
    one = pd.DataFrame({"level": ["organisation"], "Green": [1], "Total": [1]})
    axis = loti.rag_level_chart(one, title="t").layout.xaxis
    assert (axis.tickformat, axis.dtick, axis.title.text) == ("d", 1, "Number of indicators")
    many = pd.DataFrame({"level": ["organisation", "community"], "Green": [9, 2], "Red": [3, 0], "Total": [12, 2]})
    assert loti.rag_level_chart(many, title="t").layout.xaxis.dtick is None  # plotly's own steps past ten
