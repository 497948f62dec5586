"""Tests of evaluation.analyses.programme against independent references, and on the demo store.

References: SciPy (paired t, one-way ANOVA F, Welch t, exact Mann-Whitney, exact permutation tests, Clopper-
Pearson via binomtest), pingouin (power of the paired t-test, Holm and Benjamini-Hochberg), statsmodels'
OrderedModel fitted directly, brute-force enumeration, and hand computation. The demo-store tests check that
the effects planted in ``data/demo`` (README "Planted effects") are recovered: true changes inside the 95%
intervals, and the planted-absent effects reported as absent.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel

from evaluation import presentation as show
from evaluation.analyses import cohort
from evaluation.analyses import programme as pg
from evaluation.analyses.programme import sections
from evaluation.ingest.pseudonymise import DEMO_KEY
from evaluation.ingest.service import read_plan, run_ingest
from evaluation.presentation import numbers
from evaluation.statistics import two_sample
from evaluation.statistics.disclosure import assert_no_disclosure_risks
from evaluation.statistics.models import adjust_p_values
from evaluation.store import Store
from evaluation.tidy import Estimate, to_frame
from support import TRUE_CHANGE, TRUE_RATING

DEMO_PLAN = Path(__file__).resolve().parents[2] / "data" / "demo" / "ingest.yml"
LABELS = "1=Strongly disagree; 2=Disagree; 3=Neither agree nor disagree; 4=Agree; 5=Strongly agree"


def rows_by(estimates: list[Estimate], key: str = "term") -> dict[str, Estimate]:
    return {getattr(e, key): e for e in estimates}


# ---------------------------------------------------------------------------
# Mixed models on synthetic data with known closed forms
# ---------------------------------------------------------------------------


def two_wave_scores(sizes: dict[str, int], shifts: dict[str, float], seed: int) -> pd.DataFrame:
    """Complete baseline/endpoint scores with a strong person effect (so REML is not at its boundary)."""
    rng = np.random.default_rng(seed)
    rows = []
    for cohort_id, size in sizes.items():
        for i in range(size):
            person = rng.normal(0, 1.0)
            for wave, shift in (("baseline", 0.0), ("endpoint", shifts[cohort_id])):
                rows.append(
                    {
                        "participant": f"{cohort_id}-{i}",
                        "cohort_id": cohort_id,
                        "wave": wave,
                        "construct": "confidence",
                        "score": 3 + person + shift + rng.normal(0, 0.4),
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def balanced() -> pd.DataFrame:
    return two_wave_scores({"A": 8, "B": 8, "C": 8}, {"A": 0.6, "B": 0.9, "C": 0.4}, seed=11)


def changes_by_cohort(scores: pd.DataFrame) -> pd.DataFrame:
    wide = scores.pivot_table(index=["participant", "cohort_id"], columns="wave", values="score").reset_index()
    return wide.assign(change=wide["endpoint"] - wide["baseline"])


def test_pooled_mixed_model_change_equals_the_paired_t_change_on_complete_data(balanced):
    models = pg.fit_change_models(balanced, "confidence")
    pooled = pg.model_changes(models, "baseline", "endpoint")[0]
    changes = changes_by_cohort(balanced)["change"]
    assert pooled.group == "confidence: all cohorts"
    assert pooled.estimate == pytest.approx(changes.mean(), abs=1e-6)
    # Compound symmetry with two complete waves: SE = sd(d) / sqrt(n), as the paired t-test.
    assert pooled.std_error == pytest.approx(changes.std(ddof=1) / np.sqrt(len(changes)), rel=1e-4)
    assert pooled.n == 24


def test_cohort_changes_are_the_cohort_mean_changes(balanced):
    models = pg.fit_change_models(balanced, "confidence")
    by_cohort = rows_by(pg.model_changes(models, "baseline", "endpoint")[1:], "group")
    means = changes_by_cohort(balanced).groupby("cohort_id")["change"].mean()
    for cohort_id, mean in means.items():
        assert by_cohort[f"confidence: {cohort_id}"].estimate == pytest.approx(mean, abs=1e-6)


def test_interaction_wald_test_equals_one_way_anova_on_the_changes(balanced):
    models = pg.fit_change_models(balanced, "confidence")
    test = pg.cohort_interaction_test(models.by_cohort, "baseline", "endpoint")
    changes = changes_by_cohort(balanced)
    anova = stats.f_oneway(*[g["change"].to_numpy() for _, g in changes.groupby("cohort_id")])
    # With two complete waves the Wald F test with Satterthwaite denominator df is the one-way ANOVA of the
    # changes on cohort: F(C - 1, N - C).
    assert test.statistic == pytest.approx(anova.statistic, rel=1e-4)
    assert test.p_value == pytest.approx(anova.pvalue, rel=1e-3)
    means = changes.groupby("cohort_id")["change"].mean()
    assert test.estimate == pytest.approx(means.max() - means.min(), abs=1e-6)
    n_leaders = changes["cohort_id"].size
    assert f"F(2, {n_leaders - 3:.1f})" in test.method and test.n == 8


def test_interaction_test_between_later_waves_uses_differences_of_interactions():
    rng = np.random.default_rng(5)
    rows = []
    for cohort_id, shifts in {"A": (0, 0.5, 0.5), "B": (0, 0.8, 1.6)}.items():
        for i in range(10):
            person = rng.normal(0, 1)
            for wave, shift in zip(("baseline", "endpoint", "follow-up"), shifts, strict=True):
                rows.append(
                    {
                        "participant": f"{cohort_id}{i}",
                        "cohort_id": cohort_id,
                        "wave": wave,
                        "construct": "confidence",
                        "score": 3 + person + shift + rng.normal(0, 0.3),
                    }
                )
    models = pg.fit_change_models(pd.DataFrame(rows), "confidence")
    later = pg.cohort_interaction_test(models.by_cohort, "endpoint", "follow-up")
    result = models.by_cohort.result
    names = list(result.model.exog_names)
    contrast = np.zeros(len(names))
    contrast[names.index("wave[follow-up]:cohort[B]")] = 1
    contrast[names.index("wave[endpoint]:cohort[B]")] = -1
    value = contrast @ result.fe_params[names].to_numpy()
    variance = contrast @ result.cov_params().loc[names, names].to_numpy() @ contrast
    assert later.statistic == pytest.approx(value**2 / variance)
    # one contrast inside the within-leader stratum: split-plot error df (20 leaders - 2 cohorts) x (3 waves - 1)
    assert "F(1, 36.0)" in later.method
    assert later.p_value == pytest.approx(stats.f.sf(later.statistic, 1, 36), rel=1e-4)
    assert later.p_value < 0.005  # B gained another 0.8 points, A nothing


def test_change_across_cohorts_suppresses_a_small_cohort_and_its_complement():
    scores = two_wave_scores({"A": 8, "B": 3, "C": 6, "D": 9}, {"A": 0.5, "B": 0.5, "C": 0.5, "D": 0.5}, seed=2)
    result = pg.change_across_cohorts(scores, "baseline", "endpoint", constructs=("confidence",), k=5, resamples=199)
    changes = result.changes.set_index("group")
    assert changes.loc["confidence: B", "suppressed"]
    assert changes.loc["confidence: C", "suppressed"]  # smallest other cohort: the complement
    assert not changes.loc["confidence: all cohorts", "suppressed"]
    assert not changes.loc["confidence: A", "suppressed"] and not changes.loc["confidence: D", "suppressed"]
    assert result.tests["suppressed"].all()  # n of a cohort test is its smallest cohort
    assert_no_disclosure_risks(result.changes)
    assert_no_disclosure_risks(result.tests)


def test_cohort_change_permutation_test_compares_the_cohorts_changes(balanced):
    result = pg.cohort_change_permutation_test(balanced, "confidence", "baseline", "endpoint", resamples=999)
    changes = changes_by_cohort(balanced)
    reference = stats.f_oneway(*[g["change"].to_numpy() for _, g in changes.groupby("cohort_id")])
    assert result.statistic == pytest.approx(reference.statistic)
    assert 0 < result.p_value <= 1 and result.n == 8


# ---------------------------------------------------------------------------
# Items, ratings
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def item_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(21)
    instrument = pd.DataFrame(
        [
            {
                "item_id": item,
                "survey": "s",
                "construct": "confidence",
                "wording": item,
                "scale_min": 1,
                "scale_max": 5,
                "reverse_coded": reverse,
                "labels": LABELS,
            }
            for item, reverse in (("i1", False), ("i2", False), ("i3", True))
        ]
    )
    rows = []
    for i in range(40):
        person = rng.normal(0, 0.6)
        for wave, shift in (("baseline", 0.0), ("endpoint", 0.8)):
            for item in ("i1", "i2", "i3"):
                answer = int(np.clip(np.rint(3 + person + shift + rng.normal(0, 0.8)), 1, 5))
                rows.append(
                    {
                        "respondent": f"p{i}",
                        "cohort_id": "A" if i < 20 else "B",
                        "wave": wave,
                        "item_id": item,
                        "value": 6 - answer if item == "i3" else answer,
                    }
                )
    return pd.DataFrame(rows), instrument


def test_item_models_match_a_direct_ordered_logit_and_adjust_across_items(item_data):
    responses, instrument = item_data
    result = pg.item_models(responses, instrument, "baseline", "endpoint", constructs=("confidence",))
    assert list(result["term"]) == ["i1", "i2", "i3"]

    # i3 is stored reversed: turned round, it rises like the others.
    mine = responses[responses["item_id"] == "i3"].copy()
    mine["value"] = 6 - mine["value"]
    exog = pd.DataFrame(
        {
            "endpoint": (mine["wave"] == "endpoint").astype(float).to_numpy(),
            "cohortB": (mine["cohort_id"] == "B").astype(float).to_numpy(),
        }
    )
    endog = pd.Series(pd.Categorical(mine["value"].to_numpy(), categories=[1, 2, 3, 4, 5], ordered=True))
    endog = endog.cat.remove_unused_categories()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = OrderedModel(endog, exog, distr="logit").fit(method="bfgs", maxiter=2000, disp=False)
    row = result.set_index("term").loc["i3"]
    assert row["estimate"] == pytest.approx(math.exp(fit.params["endpoint"]), rel=1e-3)
    assert row["p_value"] == pytest.approx(fit.pvalues["endpoint"], rel=1e-2)
    assert row["estimate"] > 1

    _, holm = pingouin.multicomp(result["p_value"].to_numpy(), method="holm")
    _, bh = pingouin.multicomp(result["p_value"].to_numpy(), method="fdr_bh")
    assert result["p_value_holm"].to_numpy() == pytest.approx(holm)
    assert result["p_value_bh"].to_numpy() == pytest.approx(bh)
    assert (result["n"] == 40).all()


def test_ratings_by_cohort_means_intervals_and_suppression():
    values = {"A": [4, 5, 4, 4, 5, 3], "B": [5, 4, 4], "C": [4, 4, 3, 5, 5, 4, 4], "D": [5, 5, 4, 4, 4, 3, 4, 5]}
    scores = pd.DataFrame(
        [
            {"participant": f"{c}{i}", "cohort_id": c, "wave": "endpoint", "construct": "quality", "score": float(v)}
            for c, vs in values.items()
            for i, v in enumerate(vs)
        ]
    )
    table = pg.ratings_by_cohort(scores, ratings=("quality",), k=5).set_index("group")
    everyone = [float(v) for vs in values.values() for v in vs]
    low, high = stats.t.interval(0.95, len(everyone) - 1, loc=np.mean(everyone), scale=stats.sem(everyone))
    overall = table.loc["quality: all cohorts"]
    assert overall["estimate"] == pytest.approx(np.mean(everyone))
    assert (overall["conf_low"], overall["conf_high"]) == pytest.approx((low, high))
    assert table.loc["quality: B", "suppressed"] and table.loc["quality: A", "suppressed"]  # B, then smallest
    assert not table.loc["quality: C", "suppressed"]
    assert_no_disclosure_risks(table.reset_index())


# ---------------------------------------------------------------------------
# Attrition, attendance, applications, content
# ---------------------------------------------------------------------------


@pytest.fixture
def roster() -> pd.DataFrame:
    completed = pd.Timestamp("2024-06-19")
    rows = []
    for i in range(20):
        withdrawn = i in (3, 7, 11, 15, 19)
        rows.append(
            {
                "participant_id": f"p{i:02d}",
                "cohort_id": "C1" if i < 10 else "C2",
                "grade": "Director" if i % 2 else "Assistant Director",
                "completed_on": pd.NaT if withdrawn else completed,
                "withdrawn_on": pd.Timestamp("2024-02-01") if withdrawn else pd.NaT,
                "sex": "Female" if i < 10 else "Male",
                "ethnic_group": None if i == 0 else "White",
                "disability": "Prefer not to say" if i < 6 else "No",
                "age_band": "45-54",
            }
        )
    return pd.DataFrame(rows)


def test_completion_table_counts_and_passes_the_audit(roster):
    table = pg.completion_table(roster, "cohort_id", k=3)
    assert table.counts.loc["C1", "completed"] == 8 and table.counts.loc["C2", "withdrawn"] == 3
    assert table.primary.loc["C1", "withdrawn"] and not table.primary.loc["C2", "withdrawn"]
    assert table.mask.loc["C2", "withdrawn"]  # the complement: otherwise 5 - 3 gives C1's 2 away
    assert table.counts.loc["Total", "Total"] == 20
    published = pg.checked_counts(table, 3)
    assert published.loc[published["cohort_id"] == "Total", "Total"].item() == "20"


def test_completion_table_groups_not_known_characteristics(roster):
    table = pg.completion_table(roster, "disability", k=1)
    assert set(table.counts.index) == {"No", "Not known", "Total"}
    assert table.counts.loc["Not known", "Total"] == 6


def test_completion_rate_and_dropout_rate(roster):
    rates = rows_by(pg.completion_rate(roster))
    assert rates["completion_rate"].estimate == pytest.approx(15 / 20)
    assert rates["dropout_rate"].estimate == pytest.approx(5 / 20)
    interval = stats.binomtest(5, 20).proportion_ci(method="exact")
    assert rates["dropout_rate"].conf_low == pytest.approx(interval.low)


def test_survey_coverage_counts_answered_and_missing(roster):
    scores = pd.DataFrame(
        [
            {"participant": f"p{i:02d}", "wave": w, "construct": "confidence", "score": 3.0}
            for i in range(20)
            for w in ("baseline", "endpoint")
            if w == "baseline" or i < 14
        ]
    )
    table = pg.survey_coverage(scores, roster, k=1)
    assert table.counts.loc["endpoint"].tolist() == [14, 6, 20]
    assert table.counts.loc["baseline"].tolist() == [20, 0, 20]


def test_attendance_by_session_separates_those_who_had_withdrawn():
    roster = pd.DataFrame(
        {"participant_id": ["a", "b", "c", "d"], "withdrawn_on": [pd.NaT, pd.NaT, pd.NaT, pd.Timestamp("2024-02-01")]}
    )
    attendance = pd.DataFrame(
        {
            "participant_id": ["a", "b", "c", "d"] * 2,
            "session": [1] * 4 + [2] * 4,
            "session_date": [pd.Timestamp("2024-01-17")] * 4 + [pd.Timestamp("2024-02-21")] * 4,
            "attended": [True, True, False, True, True, False, True, False],
        }
    )
    table = pg.attendance_by_session(attendance, roster, k=1)
    assert table["attendance_rate"].tolist() == [0.75, 0.5]
    assert table["still_enrolled"].tolist() == [4, 3]
    assert table["attendance_rate_still_enrolled"].tolist() == pytest.approx([0.75, 2 / 3])
    protected = pg.attendance_by_session(attendance, roster)  # k = 5: 3 of 4 gives 1 absent back
    assert protected[["attendance_rate", "attendance_rate_still_enrolled"]].isna().all().all()
    assert protected["suppressed"].tolist() == [True, True]


def test_dropout_baseline_difference_combines_the_two_sample_methods(roster):
    rng = np.random.default_rng(3)
    scores = pd.DataFrame(
        {
            "participant": roster["participant_id"],
            "wave": "baseline",
            "construct": "confidence",
            "score": np.round(rng.normal(3, 0.6, 20) * 4) / 4,
        }
    )
    shift, mean = pg.dropout_baseline_difference(scores, roster, "confidence")
    withdrawn = roster["withdrawn_on"].notna().to_numpy()
    x, y = scores["score"].to_numpy()[withdrawn], scores["score"].to_numpy()[~withdrawn]
    assert shift.estimate == pytest.approx(np.median(np.subtract.outer(x, y)))
    assert shift.p_value == pytest.approx(two_sample.two_sample_permutation_test(x, y, ranks=True)[1])
    assert mean.estimate == pytest.approx(x.mean() - y.mean())
    assert mean.conf_low == pytest.approx(stats.ttest_ind(x, y, equal_var=False).confidence_interval().low)
    assert shift.n == mean.n == 5


def test_applications_summary_counts_completers_with_zeros(roster):
    applications = pd.DataFrame({"participant_id": ["p00", "p00", "p01", "p02", "p04", "p03"]})  # p03 withdrew
    share, per_completer = pg.applications_summary(applications, roster)
    assert share.estimate == pytest.approx(4 / 15)
    counts = np.array([2, 1, 1, 1] + [0] * 11, dtype=float)
    low, high = stats.t.interval(0.95, 14, loc=counts.mean(), scale=stats.sem(counts))
    assert per_completer.estimate == pytest.approx(counts.mean())
    assert low < 0  # a count's t interval can reach below zero; the published bound stops at 0
    assert (per_completer.conf_low, per_completer.conf_high) == pytest.approx((0.0, high))


def test_content_summary_totals():
    content = pd.DataFrame(
        {
            "resource_id": ["R2", "R1"],
            "cohort_id": ["C1", None],
            "title": ["b", "a"],
            "resource_type": ["Guide", "Video"],
            "licence": ["OGL-3.0"] * 2,
            "published_on": [pd.Timestamp("2024-01-01")] * 2,
            "url": ["https://x"] * 2,
            "views": [100, 50],
            "downloads": [10, 5],
            "reusing_organisations": [2, 1],
        }
    )
    table = pg.content_summary(content)
    assert table["resource_id"].tolist() == ["R1", "R2", "Total"]
    assert table.iloc[-1][["views", "downloads", "reusing_organisations"]].tolist() == [150, 15, 3]
    assert table.loc[0, "cohort_id"] == "programme"


# ---------------------------------------------------------------------------
# Equality
# ---------------------------------------------------------------------------


def equality_scores(roster: pd.DataFrame, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for person in roster["participant_id"]:
        base = rng.normal(3, 0.5)
        rows += [
            {"participant": person, "wave": "baseline", "construct": "confidence", "score": base},
            {
                "participant": person,
                "wave": "endpoint",
                "construct": "confidence",
                "score": base + 0.8 + rng.normal(0, 0.4),
            },
        ]
    return pd.DataFrame(rows)


def test_characteristic_groups_merge_blank_and_prefer_not_to_say(roster):
    groups = pg.characteristic_groups(roster, "disability")
    assert (groups.iloc[:6] == pg.NOT_KNOWN).all() and (groups.iloc[6:] == "No").all()
    assert pg.characteristic_groups(roster, "ethnic_group").iloc[0] == pg.NOT_KNOWN


def test_change_by_group_means_and_welch_difference(roster):
    scores = equality_scores(roster)
    rows = pg.change_by_group(scores, roster, "sex", "confidence", "baseline", "endpoint", resamples=999)
    wide = scores.pivot(index="participant", columns="wave", values="score")
    change = (wide["endpoint"] - wide["baseline"]).reindex(roster["participant_id"]).to_numpy()
    female, male = change[:10], change[10:]
    by_group = rows_by(rows, "group")
    assert by_group["sex: Female"].estimate == pytest.approx(female.mean())
    assert by_group["sex: Male"].estimate == pytest.approx(male.mean())
    difference = by_group["sex: all groups"]
    reference = stats.ttest_ind(female, male, equal_var=False).confidence_interval()
    assert difference.estimate == pytest.approx(female.mean() - male.mean())
    assert (difference.conf_low, difference.conf_high) == pytest.approx((reference.low, reference.high))
    assert "Female minus Male" in difference.method


def test_equality_analysis_reports_only_when_every_group_is_large_enough(roster):
    scores = equality_scores(roster)
    table = pg.equality_analysis(roster, scores, "baseline", "endpoint", constructs=("confidence",), k=5, resamples=199)
    by = table.set_index(["characteristic", "outcome", "term", "group"])
    change = "change in confidence (baseline to endpoint)"
    # sex: 10 and 10 -> reported (change); completion has a cell of 2 or 3 withdrawn per group -> not reported.
    assert by.loc[("sex", change, "mean_change", "sex: Female"), "n"] == 10
    assert by.loc[("sex", "completion", "not_reported", "sex: all groups"), "note"] == pg.NOT_REPORTED
    # ethnic group: one "Not known" -> nothing reported, not even group sizes.
    ethnic = table[table["characteristic"] == "ethnic_group"]
    assert (ethnic["note"] == pg.NOT_REPORTED).all() and ethnic["n"].isna().all()
    # age band: a single group, everyone -> reported.
    assert (table.loc[table["characteristic"] == "age_band", "note"] == "").all()
    tests = table[table["term"] == "difference_between_groups"]
    assert len(tests) == 4  # sex and disability (change); age band has a single group, so p is NaN
    _, holm = pingouin.multicomp(tests["p_value"].dropna().to_numpy(), method="holm")
    assert tests["p_value_holm"].dropna().to_numpy() == pytest.approx(holm)
    pg.checked(table, 5)


# ---------------------------------------------------------------------------
# Value for money and roll-out planning
# ---------------------------------------------------------------------------


@pytest.fixture
def costs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cost_id": ["F1", "F2", "V", "E"],
            "cohort_id": ["C1", "C2", "C1", None],
            "cost_item": ["Facilitation", "Facilitation", "Venue", "Evaluation"],
            "days": [12.0, 12.0, np.nan, np.nan],
            "day_rate_gbp": [650.0, 650.0, np.nan, np.nan],
            "market_day_rate_gbp": [900.0, 900.0, np.nan, np.nan],
            "amount_gbp": [7800.0, 7800.0, 1400.0, 3000.0],
            "price_base_year": [2024] * 4,
        }
    )


def test_day_rate_comparison_by_hand(costs):
    got = rows_by(pg.day_rate_comparison(costs))
    assert got["days"].estimate == 24
    assert got["cost_at_market_rate"].estimate == 24 * 900
    assert got["day_rate_saving"].estimate == 24 * 250
    assert got["saving_share"].estimate == pytest.approx(250 / 900)


def test_cost_summary_refuses_mixed_price_bases(costs):
    table = pg.cost_summary(costs)
    assert table.iloc[-1]["amount_gbp"] == 20_000
    with pytest.raises(ValueError, match="price bases"):
        pg.cost_summary(costs.assign(price_base_year=[2023, 2024, 2024, 2024]))


def test_value_for_money_by_hand(costs, roster):
    change = Estimate("mixed_model_change", 0.8, conf_low=0.5, conf_high=1.25, n=15)
    got = rows_by(pg.value_for_money(costs, roster, change))
    assert got["total_cost"].estimate == 20_000
    assert got["cost_per_participant"].estimate == pytest.approx(1_000)
    assert got["cost_per_completer"].estimate == pytest.approx(20_000 / 15)
    point = got["cost_per_point_gained"]
    assert point.estimate == pytest.approx(20_000 / 15 / 0.8)
    assert (point.conf_low, point.conf_high) == pytest.approx((20_000 / 15 / 1.25, 20_000 / 15 / 0.5))
    unbounded = rows_by(pg.value_for_money(costs, roster, Estimate("c", 0.3, conf_low=-0.1, conf_high=0.7, n=15)))
    assert np.isnan(unbounded["cost_per_point_gained"].conf_high)


def test_suppress_keeps_rows_not_about_people():
    frame = to_frame([Estimate("total_cost", 50_000.0, n=0), Estimate("rate", 0.2, n=3), Estimate("rate", 0.7, n=12)])
    out = pg.suppress(frame, 5)
    assert out["estimate"].tolist()[0] == 50_000 and np.isnan(out["estimate"].tolist()[1])
    assert out["suppressed"].tolist() == [False, True, False]
    pg.checked(out, 5)
    with pytest.raises(AssertionError):
        pg.checked(frame, 5)


def test_rollout_requirements_match_pingouin_power():
    sd = Estimate("sd_change", 0.6, conf_low=0.45, conf_high=0.9, n=17, group="confidence")
    completion = Estimate("paired_completion_rate", 0.75, n=6)
    got = rows_by(pg.rollout_requirements(sd, completion, target_change=0.3, cohort_size=8))
    needed = math.ceil(pingouin.power_ttest(d=0.5, power=0.8, contrast="paired"))
    assert got["pairs_needed"].estimate == needed
    assert got["pairs_needed"].conf_high == math.ceil(pingouin.power_ttest(d=0.3 / 0.9, power=0.8, contrast="paired"))
    assert got["cohorts_needed"].estimate == math.ceil(needed / (8 * 0.75))
    mdc = pingouin.power_ttest(n=8, power=0.8, contrast="paired") * 0.6
    assert got["mdc_one_cohort_all_complete"].estimate == pytest.approx(mdc, rel=1e-4)
    assert got["mdc_one_cohort_expected"].estimate == pytest.approx(
        pingouin.power_ttest(n=6, power=0.8, contrast="paired") * 0.6, rel=1e-4
    )
    assert got["power_one_cohort"].estimate == pytest.approx(
        pingouin.power_ttest(d=0.5, n=6, contrast="paired"), rel=1e-4
    )


def test_rollout_plan_detects_smaller_changes_with_more_cohorts():
    plan = pg.rollout_plan({"confidence": 0.6}, 0.75, target_change=0.5, cohort_size=8, max_cohorts=5)
    assert plan["expected_pairs"].tolist() == [6, 12, 18, 24, 30]
    assert plan["minimum_detectable_change"].is_monotonic_decreasing
    assert plan.loc[1, "power_for_target"] == pytest.approx(
        pingouin.power_ttest(d=0.5 / 0.6, n=12, contrast="paired"), rel=1e-4
    )
    figure = pg.rollout_chart(plan, 0.5)
    assert len(figure.data) == 1


def test_change_sd_interval_is_the_chi_square_pivot():
    scores = two_wave_scores({"A": 12}, {"A": 0.5}, seed=3)
    result = pg.change_sd(scores, "confidence", "baseline", "endpoint")
    d = changes_by_cohort(scores)["change"].to_numpy()
    s2 = d.var(ddof=1)
    assert result.estimate == pytest.approx(np.sqrt(s2))
    # (n - 1) s^2 / sigma^2 ~ chi2(n - 1): at the bounds it sits at the 97.5% and 2.5% points.
    assert stats.chi2.cdf(11 * s2 / result.conf_low**2, 11) == pytest.approx(0.975)
    assert stats.chi2.cdf(11 * s2 / result.conf_high**2, 11) == pytest.approx(0.025)


def test_sentences():
    change = Estimate("mixed_model_change", 0.5, conf_low=0.2, conf_high=0.8, n=17)
    assert pg.describe_model_change(change, "confidence", "baseline", "endpoint").startswith(
        "Confidence rose by 0.50 points on the 1-5 scale from baseline to endpoint (95% interval +0.20 to +0.80"
    )
    assert "not reported" in pg.describe_model_change(Estimate("m", np.nan), "confidence", "a", "b")
    assert (
        pg.describe_interval(Estimate("r", 0.25, conf_low=0.1, conf_high=0.5), "Drop-out", shown=numbers.percent)
        == "Drop-out: 25% (95% interval 10% to 50%)"
    )
    assert "p = 0.400: no evidence of a difference" in pg.describe_test(Estimate("t", 0.1, p_value=0.4), "Differ")
    assert "p < 0.001: a difference at the 5% level" in pg.describe_test(Estimate("t", 1, p_value=3.7e-08), "Differ")
    assert '<span data-people="all cohorts">17</span> leaders' in pg.describe_model_change(
        change, "confidence", "baseline", "endpoint"
    )
    frame = to_frame([change.with_context(group="confidence: all cohorts")])
    assert pg.row_estimate(frame, "mixed_model_change", "confidence: all cohorts").conf_high == 0.8

    tests = to_frame(
        [
            Estimate("wave_x_cohort_wald", 0.3, p_value=0.5, n=6, group="confidence"),
            Estimate("cohort_change_permutation", 0.35, p_value=0.6, n=6, group="confidence"),
        ]
    )
    sentence = pg.describe_cohort_difference(tests, "confidence")
    assert "0.30 points" in sentence and "p = 0.500" in sentence and "Permutation check" in sentence
    assert "p = 0.600." in sentence
    hidden = pg.suppress(tests, 7)
    assert pg.describe_cohort_difference(hidden, "confidence").endswith("Not tested or not reported (too few people).")

    sd = Estimate("sd_change", 0.6, conf_low=0.45, conf_high=0.9, n=17, group="confidence")
    rate = Estimate("paired_completion_rate", 0.75, n=6)
    planning = to_frame(pg.rollout_requirements(sd, rate, target_change=0.5))
    # 14 pairs needed (d_z = 0.5 / 0.6), 6 expected per cohort of 8 at 75%: 3 cohorts.
    assert "about 3 cohorts of 8" in pg.rollout_sentence(
        planning, "confidence", rate, target_change=0.5, power=0.8, cohort_size=8
    )
    without_rate = to_frame(pg.rollout_requirements(sd, Estimate("r", np.nan), target_change=0.5))
    assert set(without_rate["term"]) == {"pairs_needed", "mdc_one_cohort_all_complete"}
    assert "cohorts of" not in pg.rollout_sentence(
        without_rate, "confidence", Estimate("r", np.nan), target_change=0.5, power=0.8, cohort_size=8
    )


# ---------------------------------------------------------------------------
# The demo store: planted effects recovered, planted absences reported as absent
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    store = Store(tmp_path_factory.mktemp("demo-store") / "workbench.duckdb")
    # The leadership programme's files only (the programme workbook and the survey exports): the LOTI and
    # governance files are not needed here and take most of the ingest time.
    jobs = [
        job
        for job in read_plan(DEMO_PLAN)
        if job.path.relative_to(DEMO_PLAN.parent).parts[0] in ("programme.xlsx", "leadership")
    ]
    assert len(jobs) == 10
    run_ingest(jobs, store, DEMO_KEY, command="test")
    survey = "survey = 'leadership-survey'"
    data = {
        name: store.read_table(name, "", [])
        for name in ("participants", "attendance", "applications", "content", "programme_costs")
    }
    data["responses"] = store.read_table("responses", survey, [])
    data["instrument"] = store.read_table("instrument", survey, [])
    data["scores"] = pg.programme_scores(data["responses"], data["instrument"])
    return data


@pytest.fixture(scope="module")
def demo_change(demo) -> pg.ProgrammeChange:
    return pg.change_across_cohorts(demo["scores"], "baseline", "endpoint", resamples=999, seed=1)


def test_demo_mixed_model_intervals_contain_the_true_changes(demo_change):
    changes = demo_change.changes.set_index("group")
    for construct, truth in TRUE_CHANGE.items():
        row = changes.loc[f"{construct}: all cohorts"]
        assert row["conf_low"] < truth < row["conf_high"], construct
        assert row["conf_low"] > 0  # the planted change is detected
    assert_no_disclosure_risks(demo_change.changes)


def test_demo_paired_intervals_pooled_across_cohorts_contain_the_true_changes(demo):
    for construct, truth in TRUE_CHANGE.items():
        change = cohort.paired_change(demo["scores"], construct, "baseline", "endpoint", resamples=200)
        mean = rows_by(change.estimates)["mean_change"]
        assert mean.conf_low < truth < mean.conf_high, construct
        assert change.pairs.n == 17


def test_demo_no_cohort_difference_in_change(demo_change):
    assert (demo_change.tests["p_value"] > 0.05).all()
    assert set(demo_change.tests["term"]) == {"wave_x_cohort_wald", "cohort_change_permutation"}


def test_demo_retention_endpoint_to_follow_up_includes_no_change(demo):
    later = pg.change_across_cohorts(demo["scores"], "endpoint", "follow-up", resamples=199).changes
    pooled = later[later["group"].str.endswith("all cohorts")]
    assert (pooled["conf_low"] < 0).all() and (pooled["conf_high"] > 0).all()


def test_demo_no_baseline_difference_between_dropouts_and_completers(demo):
    for construct in TRUE_CHANGE:
        for estimate in pg.dropout_baseline_difference(demo["scores"], demo["participants"], construct):
            assert estimate.conf_low < 0 < estimate.conf_high, (construct, estimate.term)
            assert estimate.p_value > 0.05


def test_demo_no_difference_in_change_by_sex_after_adjusting_for_three_outcomes(demo):
    differences = {
        construct: rows_by(
            pg.change_by_group(
                demo["scores"],
                demo["participants"],
                "sex",
                construct,
                "baseline",
                "endpoint",
                groups=["Female", "Male"],
            )
        )["difference_between_groups"]
        for construct in TRUE_CHANGE
    }
    assert differences["confidence"].conf_low < 0 < differences["confidence"].conf_high
    assert differences["competence"].conf_low < 0 < differences["competence"].conf_high
    # Application differs at p = 0.03 unadjusted: a chance finding (the true difference is 0 by construction)
    # that the Holm adjustment across the three outcomes, as equality_analysis reports it, removes.
    adjusted = adjust_p_values([d.p_value for d in differences.values()], "holm")
    assert (adjusted > 0.05).all()


def test_demo_ratings_intervals_contain_the_true_means(demo):
    ratings = pg.ratings_by_cohort(demo["scores"]).set_index("group")
    for construct, truth in TRUE_RATING.items():
        row = ratings.loc[f"{construct}: all cohorts"]
        assert row["conf_low"] < truth < row["conf_high"], construct


def test_demo_costs_and_day_rate_saving(demo):
    saving = rows_by(pg.day_rate_comparison(demo["programme_costs"]))["day_rate_saving"]
    assert saving.estimate == 9_000  # 3 cohorts x 12 days x (900 - 650)
    assert pg.cost_summary(demo["programme_costs"]).iloc[-1]["amount_gbp"] == 50_000


def test_demo_published_tables_pass_the_disclosure_audit(demo):
    participants, scores = demo["participants"], demo["scores"]
    for by in ("cohort_id", "grade", *pg.CHARACTERISTICS):
        pg.checked_counts(pg.completion_table(participants, by))
    pg.checked_counts(pg.survey_coverage(scores, participants))
    pg.checked_counts(pg.evidence_table(demo["applications"], participants))
    equality = pg.checked(pg.equality_analysis(participants, scores, "baseline", "endpoint", resamples=199))
    assert (equality["note"] == pg.NOT_REPORTED).all()  # 24 leaders: every characteristic has a small group
    pg.checked(pg.suppress(to_frame(pg.completion_rate(participants))))
    pg.checked(pg.attendance_by_session(demo["attendance"], participants))
    pg.checked(pg.item_models(demo["responses"], demo["instrument"], "baseline", "endpoint"))


# ---------------------------------------------------------------------------
# The programme report's sentences and tables (analyses/programme/sections.py)


class RecordingRun:
    """What a notebook's run publishes, recorded (a stand-in for evaluation.run.contract.Run)."""

    def __init__(self) -> None:
        self.tables: dict[str, pd.DataFrame] = {}
        self.figures: dict[str, str] = {}

    def publish_table(self, name, frame, *, title="", people_column="n"):
        self.tables[name] = frame

    def publish_figure(self, name, figure, *, alt_text):
        self.figures[name] = alt_text


def test_rollout_planning_uses_only_published_figures():
    rng = np.random.default_rng(5)
    scores = pd.DataFrame(
        [
            {
                "participant": f"p{i}",
                "cohort": "C1",
                "wave": wave,
                "construct": c,
                "score": 3 + (wave == "endpoint") * rng.normal(0.6, 0.5),
            }
            for i in range(12)
            for wave in ("baseline", "endpoint")
            for c in ("confidence", "competence")
        ]
    )
    participants = pd.DataFrame({"participant_id": [f"p{i}" for i in range(20)]})  # 12 with both surveys, 8 not
    planning = pg.rollout_planning(scores, participants, ("confidence", "competence"), "baseline", "endpoint", k=5)
    sd = pg.change_sd(scores, "confidence", "baseline", "endpoint")
    rate = pg.paired_completion_rate(scores, participants, "confidence", "baseline", "endpoint")
    assert planning.rate.estimate == pytest.approx(rate.estimate) == pytest.approx(12 / 20)
    expected = to_frame(pg.rollout_requirements(sd, rate))
    got = planning.planning[planning.planning["group"] == "confidence"].set_index("term")["estimate"]
    assert got["pairs_needed"] == expected.set_index("term").loc["pairs_needed", "estimate"]
    plan = pg.rollout_plan({"confidence": sd.estimate}, rate.estimate)
    assert planning.plan[planning.plan["construct"] == "confidence"][
        "minimum_detectable_change"
    ].tolist() == pytest.approx(plan["minimum_detectable_change"].tolist())
    # With too few people the rate is suppressed and the plan assumes everyone completes.
    few = pg.rollout_planning(scores, participants, ("confidence",), "baseline", "endpoint", k=13)
    assert math.isnan(few.rate.estimate) and few.plan["expected_pairs"].iloc[0] == 8
    key, evidence, others = sections.rollout_findings(
        planning.planning, planning.rate, target_change=0.5, power=0.8, cohort_size=8
    )
    assert key.startswith("To detect a 0.50-point change in confidence with 80% power")
    assert others.startswith("- To detect a 0.50-point change in competence") and "confidence" not in others


def test_programme_tables_and_sentences_read_as_words(roster):
    equality = pd.DataFrame(
        {
            "characteristic": ["sex", "sex", "age_band"],
            "outcome": ["completion"] * 3,
            "group": ["sex: Female", "sex: Male", "age_band: all groups"],
            "term": ["completion_rate", "completion_rate", "not_reported"],
            "estimate": [0.8, 0.7, np.nan],
            "conf_low": [0.5, 0.4, np.nan],
            "conf_high": [0.95, 0.9, np.nan],
            "p_value": [0.5, np.nan, np.nan],
            "p_value_holm": [1.0, np.nan, np.nan],
            "n": [6, 6, np.nan],
            "note": ["", "", "not reported: groups too small"],
        }
    )
    table = sections.equality_table(equality)
    assert [row[0] for row in table.rows] == ["sex", "sex"] and table.rows[0][4] == "0.80"
    assert "Not reported, because a group is smaller than the disclosure threshold: age band." in table.notes
    assert "groups too small" not in " ".join(" ".join(r) for r in table.rows)
    hidden = sections.equality_table(equality[equality["note"] != ""])
    assert isinstance(hidden, show.Markdown) and "age band" in hidden.text
    assert sections.equality_finding(equality) == (
        "Equality: 1 of 2 characteristic-outcome comparisons could be "
        "reported; the rest have a group smaller than the disclosure "
        "threshold."
    )
    money = to_frame(
        [
            Estimate("total_cost", 50000, n=0, group="all cohorts"),
            Estimate("cost_per_participant", 2083.33, n=0, group="all cohorts"),
            Estimate("cost_per_completer", 2631.6, n=0, group="all cohorts"),
            Estimate("cost_per_point_gained", 2519.4, conf_low=2045.2, conf_high=3280.1, n=17, group="all cohorts"),
            Estimate("days", 36, n=0, group="facilitation"),
            Estimate("day_rate_saving", 9000, n=0, group="facilitation"),
            Estimate("saving_share", 0.2777, n=0, group="facilitation"),
        ]
    )
    assert [row[2] for row in sections.value_table(money).rows] == [
        "£50,000",
        "£2,083",
        "£2,632",
        "£2,519",
        "36",
        "£9,000",
        "28%",
    ]
    key, evidence, others = sections.value_findings(money)
    assert key == ("Cost per point of confidence gained per completer: £2,519 (95% interval £2,045 to £3,280).")
    assert "saved £9,000 (28% of the market cost" in others
    sessions = pd.DataFrame(
        {"attendance_rate": [0.625, 0.875, 0.75], "attendance_rate_still_enrolled": [0.79, np.nan, np.nan]}
    )
    assert sections.attendance_finding(sessions) == (
        "Attendance: among all enrolled leaders it ranged from 62% to 88% a session; among leaders still enrolled "
        "it was 79% in the one session shown (2 of 3 sessions not shown). A session's rate is not shown when the "
        "leaders attending or absent number fewer than the disclosure threshold."
    )
    instrument = pd.DataFrame({"item_id": ["a", "b"], "wording": ["I lead change.", "I explain."]})
    items = pd.DataFrame({"term": ["a", "b"], "p_value_holm": [0.003, 0.2]})
    assert (
        sections.items_finding(items, instrument) == "1 of 2 survey items moved at the 5% level after Holm "
        "adjustment: “I lead change”."
    )
    run = RecordingRun()
    published = sections.publish_completion_tables(
        run, roster, {"cohort_id": ("completion_by_cohort", "By cohort")}, k=5
    )
    pd.testing.assert_frame_equal(run.tables["completion_by_cohort"], published["cohort_id"])
    pd.testing.assert_frame_equal(published["cohort_id"], pg.checked_counts(pg.completion_table(roster, k=5), 5))


def test_dropout_baseline_differences_joins_each_construct(roster):
    rng = np.random.default_rng(9)
    scores = pd.DataFrame(
        [
            {"participant": p, "wave": "baseline", "construct": c, "score": float(rng.integers(1, 6))}
            for p in roster["participant_id"]
            for c in ("confidence", "competence")
        ]
    )
    joined = pg.dropout_baseline_differences(scores, roster, ("confidence", "competence"), resamples=99)
    separate = [
        e for c in ("confidence", "competence") for e in pg.dropout_baseline_difference(scores, roster, c, resamples=99)
    ]
    assert joined == separate
