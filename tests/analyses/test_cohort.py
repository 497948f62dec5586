"""Tests of evaluation.analyses.cohort against independent reference values.

References come from outside the function under test: SciPy (paired t, exact Wilcoxon, t intervals), pingouin
(Cronbach's alpha with Feldt's interval, matched-pairs rank-biserial), and counts and means worked by hand.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from evaluation.analyses import cohort
from evaluation.statistics.disclosure import SUPPRESSED_SYMBOL, suppress_small_groups
from evaluation.tidy import Estimate, to_frame

LABELS = "1=Strongly disagree; 2=Disagree; 3=Neither agree nor disagree; 4=Agree; 5=Strongly agree"


def instrument_rows(items: list[tuple[str, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "item_id": item,
                "survey": "s",
                "construct": construct,
                "wording": item,
                "scale_min": 1,
                "scale_max": 5,
                "reverse_coded": reverse,
                "labels": LABELS,
            }
            for item, construct, reverse in items
        ]
    )


@pytest.fixture
def instrument() -> pd.DataFrame:
    return instrument_rows(
        [
            ("c1", "confidence", False),
            ("c2", "confidence", False),
            ("c3", "confidence", True),
            ("c4", "confidence", False),
            ("q1", "quality", False),
        ]
    )


def long_responses(answers: dict[tuple[str, str], dict[str, float]]) -> pd.DataFrame:
    """``{(respondent, wave): {item: value}}`` as stored long responses."""
    return pd.DataFrame(
        [
            {"respondent": who, "wave": wave, "item_id": item, "value": value}
            for (who, wave), items in answers.items()
            for item, value in items.items()
        ]
    )


# ---------------------------------------------------------------------------
# Item matrix and scale scores
# ---------------------------------------------------------------------------


def test_item_matrix_turns_reverse_coded_items_round(instrument):
    responses = long_responses(
        {
            ("a", "baseline"): {"c1": 2, "c2": 3, "c3": 5, "c4": 1},
            ("a", "endpoint"): {"c1": 4, "c2": 4, "c3": 2, "c4": 5},
        }
    )
    wide = cohort.item_matrix(responses, instrument, "confidence")
    assert list(wide.columns) == ["c1", "c2", "c3", "c4"]
    # c3 is stored "6 - answer": 5 -> 1 and 2 -> 4.
    assert wide.loc[("a", "baseline")].tolist() == [2, 3, 1, 1]
    assert wide.loc[("a", "endpoint")].tolist() == [4, 4, 4, 5]


def test_item_matrix_refuses_an_unknown_construct(instrument):
    with pytest.raises(ValueError, match="no instrument items"):
        cohort.item_matrix(long_responses({("a", "baseline"): {"c1": 2}}), instrument, "competence")


def test_construct_scores_are_item_means_with_the_half_rule(instrument):
    responses = long_responses(
        {
            ("a", "baseline"): {"c1": 2, "c2": 3, "c3": 5, "c4": 1},  # (2 + 3 + 1 + 1) / 4
            ("b", "baseline"): {"c1": 4, "c2": 2},  # 2 of 4 answered: (4 + 2) / 2
            ("c", "baseline"): {"c1": 5},  # 1 of 4: below the half rule
            ("a", "endpoint"): {"c1": 4, "c2": 4, "c3": 2, "c4": 5, "q1": 5},
        }
    )
    scores = cohort.construct_scores(responses, instrument, ("confidence", "quality"))
    got = scores.set_index(["participant", "wave", "construct"])["score"]
    assert got[("a", "baseline", "confidence")] == pytest.approx(7 / 4)
    assert got[("b", "baseline", "confidence")] == pytest.approx(3.0)
    assert np.isnan(got[("c", "baseline", "confidence")])
    assert got[("a", "endpoint", "confidence")] == pytest.approx((4 + 4 + 4 + 5) / 4)
    assert got[("a", "endpoint", "quality")] == 5
    assert list(scores.columns) == ["participant", "wave", "construct", "score"]


# ---------------------------------------------------------------------------
# Reliability
# ---------------------------------------------------------------------------


def test_reliability_matches_pingouin_cronbach_alpha(instrument):
    rng = np.random.default_rng(7)
    trait = rng.normal(3, 0.8, 30)
    answers = {}
    for i, level in enumerate(trait):
        values = np.clip(np.rint(level + rng.normal(0, 0.6, 4)), 1, 5)
        answers[(f"p{i:02d}", "baseline")] = {"c1": values[0], "c2": values[1], "c3": 6 - values[2], "c4": values[3]}
    responses = long_responses(answers)
    alpha_estimate, omega_estimate = cohort.reliability(responses, instrument, "confidence", "baseline")

    wide = cohort.item_matrix(responses, instrument, "confidence").xs("baseline", level="wave")
    reference_alpha, reference_ci = pingouin.cronbach_alpha(data=wide, ci=0.95)
    assert alpha_estimate.estimate == pytest.approx(reference_alpha, abs=1e-10)
    # pingouin rounds its Feldt interval to three decimals.
    assert alpha_estimate.conf_low == pytest.approx(reference_ci[0], abs=6e-4)
    assert alpha_estimate.conf_high == pytest.approx(reference_ci[1], abs=6e-4)
    assert alpha_estimate.n == 30 and alpha_estimate.group == "confidence (baseline)"
    assert omega_estimate.group == "confidence (baseline)"


def test_reliability_at_a_missing_wave_is_empty_not_an_error(instrument):
    responses = long_responses({("a", "baseline"): {"c1": 2, "c2": 3, "c3": 5, "c4": 1}})
    alpha_estimate, _ = cohort.reliability(responses, instrument, "confidence", "endpoint")
    assert np.isnan(alpha_estimate.estimate)


# ---------------------------------------------------------------------------
# Paired change
# ---------------------------------------------------------------------------


@pytest.fixture
def paired_scores() -> pd.DataFrame:
    """Eight leaders with untied changes, one with a baseline only and one with an endpoint only."""
    pre = [2.25, 3.0, 2.5, 3.25, 2.75, 3.5, 2.0, 2.6]
    post = [3.5, 3.3, 2.4, 4.15, 3.55, 4.2, 2.9, 4.05]
    rows = [
        {"participant": f"p{i}", "wave": w, "construct": "confidence", "score": s}
        for i, (a, b) in enumerate(zip(pre, post, strict=True))
        for w, s in (("baseline", a), ("endpoint", b))
    ]
    rows += [
        {"participant": "dropout", "wave": "baseline", "construct": "confidence", "score": 3.0},
        {"participant": "late", "wave": "endpoint", "construct": "confidence", "score": 4.0},
        {"participant": "p0", "wave": "baseline", "construct": "competence", "score": 1.0},
    ]
    return pd.DataFrame(rows)


def by_term(estimates: list[Estimate]) -> dict[str, Estimate]:
    return {e.term: e for e in estimates}


def test_paired_change_matches_scipy_and_pingouin(paired_scores):
    result = cohort.paired_change(paired_scores, "confidence", "baseline", "endpoint", resamples=500, seed=3)
    pre, post = result.pairs.pre, result.pairs.post
    assert result.pairs.n == 8 and result.pairs.missing_endpoint == 1 and result.pairs.missing_baseline == 1
    got = by_term(result.estimates)

    t_test = stats.ttest_rel(post, pre)
    interval = t_test.confidence_interval(0.95)
    assert got["mean_change"].estimate == pytest.approx(np.mean(post - pre))
    assert got["mean_change"].statistic == pytest.approx(t_test.statistic)
    assert got["mean_change"].p_value == pytest.approx(t_test.pvalue)
    assert (got["mean_change"].conf_low, got["mean_change"].conf_high) == pytest.approx((interval.low, interval.high))

    assert got["wilcoxon_signed_rank"].p_value == pytest.approx(stats.wilcoxon(post, pre, method="exact").pvalue)

    walsh = [(a + b) / 2 for a, b in itertools.combinations_with_replacement(post - pre, 2)]
    assert got["hodges_lehmann"].estimate == pytest.approx(np.median(walsh))

    assert got["cohens_dz"].estimate == pytest.approx(t_test.statistic / np.sqrt(8))
    # The exact interval reaches its level (coverage study), so no shortfall is quoted beside it.
    assert got["cohens_dz"].method == "Cohen's d_z, exact noncentral t CI"
    upper_tail = stats.nct.sf(t_test.statistic, 7, got["cohens_dz"].conf_low * np.sqrt(8))
    assert upper_tail == pytest.approx(0.025, abs=1e-9)
    assert got["rank_biserial"].estimate == pytest.approx(pingouin.wilcoxon(post, pre)["RBC"].iloc[0])
    assert {e.group for e in result.estimates} == {"confidence: baseline to endpoint"}


def test_exclusions_table_counts_who_is_left_out(paired_scores):
    change = cohort.paired_change(paired_scores, "confidence", "baseline", "endpoint", resamples=200)
    table = cohort.exclusions_table([change])
    assert table.to_dict("records") == [
        {"construct": "confidence", "paired": 8, "missing baseline": 1, "missing endpoint": 1, "missing both": 0}
    ]


# ---------------------------------------------------------------------------
# Ratings, completion, attendance, applications
# ---------------------------------------------------------------------------


def test_rating_estimates_are_means_with_t_intervals():
    values = [4.0, 5.0, 4.0, 3.0, 5.0, 4.0]
    scores = pd.DataFrame(
        {
            "participant": [f"p{i}" for i in range(6)] + ["x"],
            "wave": ["endpoint"] * 6 + ["baseline"],
            "construct": ["quality"] * 7,
            "score": values + [1.0],
        }
    )
    (estimate,) = cohort.rating_estimates(scores, "endpoint")
    low, high = stats.t.interval(0.95, 5, loc=np.mean(values), scale=stats.sem(values))
    assert estimate.estimate == pytest.approx(np.mean(values))
    assert (estimate.conf_low, estimate.conf_high) == pytest.approx((low, high))
    assert estimate.n == 6 and estimate.group == "quality (endpoint)"


def test_completion_counts_suppress_small_cells():
    participants = pd.DataFrame(
        {
            "cohort_id": ["A"] * 8 + ["B"] * 8,
            "completed_on": [pd.Timestamp("2024-06-01")] * 6 + [pd.NaT] * 2 + [pd.Timestamp("2024-12-01")] * 8,
            "withdrawn_on": [pd.NaT] * 6 + [pd.Timestamp("2024-02-01")] * 2 + [pd.NaT] * 8,
        }
    )
    table = cohort.completion_counts(participants, k=5).set_index("cohort_id")
    # A has 2 withdrawn (primary), so a second cell of row A and column "withdrawn" goes too.
    assert table.loc["A", "withdrawn"] == SUPPRESSED_SYMBOL
    assert table.loc["A", "completed"] == SUPPRESSED_SYMBOL
    assert table.loc["Total", "Total"] == "16"
    assert table.loc["B", "Total"] == "8"


def test_attendance_rate_is_share_on_the_register():
    attendance = pd.DataFrame(
        {"session": [1, 1, 1, 1, 2, 2, 2, 2], "attended": [True, True, False, True, False, False, True, True]}
    )
    rates = cohort.attendance_rate(attendance, k=1)  # an internal run: every rate shown
    assert rates.to_dict("list") == {
        "session": [1, 2],
        "attendance_rate": [0.75, 0.5],
        "n": [4, 4],
        "suppressed": [False, False],
    }


def test_attendance_rates_that_give_a_small_number_absent_are_suppressed():
    """A register of 8: 8 of 8 attending is published; 5 of 8 (3 absent) and 3 of 8 are not."""
    attendance = pd.DataFrame(
        {
            "session": [1] * 8 + [2] * 8 + [3] * 8,
            "attended": [True] * 8 + [True] * 5 + [False] * 3 + [True] * 3 + [False] * 5,
        }
    )
    rates = cohort.attendance_rate(attendance)
    assert rates["attendance_rate"].tolist()[0] == 1.0 and rates["attendance_rate"].isna().tolist() == [
        False,
        True,
        True,
    ]
    assert rates["suppressed"].tolist() == [False, True, True]
    assert cohort.attendance_summary(attendance) == (
        "Over 3 sessions leaders attended 67% of the 24 places (people on the register times sessions)."
    )
    assert "not shown" in cohort.attendance_summary(attendance.iloc[8:16])  # 5 of 8 places: 3 missed


def test_applications_by_type_counts_people_not_records_and_suppresses():
    participants = pd.DataFrame({"participant_id": [f"p{i}" for i in range(9)]})
    applications = pd.DataFrame(
        {
            "participant_id": ["p0", "p0", "p1", "p2", "p3", "p4", "p5", "p6", "outsider"],
            "application_type": ["Procurement changed"] * 2
            + ["Procurement changed"] * 4
            + ["Other"] * 2
            + ["Procurement changed"],
        }
    )
    unsuppressed = cohort.applications_by_type(applications, participants, k=1).set_index("application_type")
    assert unsuppressed.loc["Procurement changed", "people"] == "5"  # p0 twice counts once; the outsider not at all
    assert unsuppressed.loc["Other", "people"] == "2"
    table = cohort.applications_by_type(applications, participants, k=5).set_index("application_type")
    # 2 is below k; with the total (7) published, 5 would give it away, so it is suppressed as well.
    assert table.loc["Other", "people"] == SUPPRESSED_SYMBOL
    assert table.loc["Procurement changed", "people"] == SUPPRESSED_SYMBOL
    assert table.loc["Total", "people"] == "7"


def test_describe_change_says_direction_interval_and_verdict():
    up = Estimate("mean_change", 0.42, conf_low=0.1, conf_high=0.74, n=8)
    flat = Estimate("mean_change", -0.1, conf_low=-0.5, conf_high=0.3, n=8)
    sentence = cohort.describe_change(up, "confidence", population="cohort C1")
    assert sentence == (
        "Confidence rose by 0.42 points on the 1-5 scale (95% interval +0.10 to +0.74; "
        '<span data-people="cohort C1">8</span> participants with both surveys): the interval '
        "excludes no change."
    )
    assert "fell by 0.10" in cohort.describe_change(flat, "competence", population="c")
    assert "-0.50 to +0.30" in cohort.describe_change(flat, "competence", population="c")
    assert "cannot rule out no change" in cohort.describe_change(flat, "competence", population="c")
    assert "not reported" in cohort.describe_change(Estimate("mean_change", np.nan), "application", population="c")
    no_interval = cohort.describe_change(Estimate("mean_change", 0.3, n=6), "confidence", population="c")
    assert "no interval could be computed" in no_interval and "cannot say whether" in no_interval
    assert "nan" not in no_interval.lower()


def test_describe_interval_uses_the_number_rules():
    from evaluation.presentation import numbers

    cost = Estimate("x", 2083.3, conf_low=1900, conf_high=2300)
    assert cohort.describe_interval(cost, "Cost", shown=numbers.money) == "Cost: £2,083 (95% interval £1,900 to £2,300)"
    share = Estimate("r", 0.25, conf_low=0.1, conf_high=0.5)
    assert (
        cohort.describe_interval(share, "Drop-out", shown=numbers.percent, confidence_level=0.9)
        == "Drop-out: 25% (90% interval 10% to 50%)"
    )
    assert cohort.describe_interval(Estimate("m", 3.739372), "Mean") == "Mean: 3.74"  # no interval, no brackets
    assert "not reported" in cohort.describe_interval(Estimate("m", np.nan), "Mean")


def test_report_findings_of_a_cohort_come_from_the_suppressed_table():
    ratings = suppress_small_groups(
        to_frame(
            [
                Estimate(
                    "mean_rating_quality",
                    4.0,
                    conf_low=3.12,
                    conf_high=4.88,
                    n=5,
                    method="mean with t interval",
                    group="quality (endpoint)",
                ),
                Estimate("mean_rating_relevance", 4.5, conf_low=4.0, conf_high=5.0, n=3, group="relevance (endpoint)"),
            ]
        ),
        5,
    )
    text, evidence = cohort.ratings_finding(ratings, "cohort C1")
    assert "quality: 4.00 (95% interval 3.12 to 4.88)" in text
    assert "relevance: not reported" in text
    # the fewest raters of a reported rating (5, or "5 or more" beside a declared total); the suppressed 3 never
    assert 'raters per rating: <span data-people="cohort C1">5' in evidence and ">3<" not in evidence
    changes = suppress_small_groups(
        to_frame(
            [
                Estimate(
                    "mean_change", 1.25, conf_low=0.63, conf_high=1.87, n=5, group="confidence: baseline to endpoint"
                ),
                Estimate(
                    "mean_change", 0.5, conf_low=0.1, conf_high=0.9, n=4, group="competence: baseline to endpoint"
                ),
            ]
        ),
        5,
    )
    text, evidence = cohort.change_finding(changes, "confidence", "cohort C1")
    assert text.startswith("Confidence rose by 1.25 points") and evidence.startswith("Moderate")
    assert '<span data-people="cohort C1">5</span> people' in evidence
    text, evidence = cohort.change_finding(changes, "competence", "cohort C1")
    assert "not reported" in text and evidence.startswith("None")
    with pytest.raises(KeyError, match="application"):
        cohort.change_finding(changes, "application", "cohort C1")
    assert list(cohort.mean_changes(changes)["label"]) == ["confidence", "competence"]


def test_alt_texts_and_content_sentence():
    assert (
        cohort.estimates_alt_text("Ratings", ["quality", "relevance"], [4.0, np.nan])
        == "Ratings: quality: 4.00; relevance: suppressed"
    )
    rates = pd.DataFrame({"session": [1, 2], "attendance_rate": [0.875, 0.625], "other": [0.5, 1.0]})
    assert cohort.rates_alt_text(rates, "Attendance") == "Attendance: session 1: 88%; session 2: 62%"
    assert cohort.rates_alt_text(rates, "Other", "other") == "Other: session 1: 50%; session 2: 100%"
    resources = pd.DataFrame(
        {
            "resource_id": ["R1", "R2", "Total"],
            "views": [2700, 3689, 6389],
            "downloads": [245, 475, 720],
            "reusing_organisations": [1, 10, 11],
        }
    )
    assert cohort.content_finding(resources, "Cohort C1").startswith(
        "Cohort C1 published 2 open resources: 6,389 views, 720 downloads, 11 organisations known to reuse them"
    )


def test_report_tables_have_no_index_raw_numbers_or_flags():
    reliability = to_frame(
        [
            Estimate(
                "cronbach_alpha",
                0.7793240557,
                conf_low=0.3448946974,
                conf_high=0.95,
                n=8,
                group="confidence (baseline)",
            ),
            Estimate("mcdonald_omega", 0.79, n=8, group="confidence (baseline)"),
        ]
    )
    table = cohort.reliability_table(reliability, caption="Reliability")
    assert table.rows == (
        ("confidence (baseline)", "Cronbach's alpha", "0.78", "0.34", "0.95", "8"),
        ("confidence (baseline)", "McDonald's omega", "0.79", "–", "–", "8"),
    )
    coverage = pd.DataFrame(
        {
            "construct": ["confidence"],
            "paired": ["[c]"],
            "missing baseline": ["0"],
            "missing endpoint": ["[c]"],
            "missing both": ["0"],
            "Total": ["8"],
        }
    )
    assert cohort.coverage_table(coverage).rows == (("confidence", "[c]", "0", "[c]", "0", "8"),)
    resources = pd.DataFrame(
        {
            "resource_id": ["R1", "Total"],
            "title": ["Guide", "1 resources"],
            "resource_type": ["Guide", ""],
            "licence": ["OGL-3.0", ""],
            "published_on": ["2024-07-16", ""],
            "views": [2700, 2700],
            "downloads": [245, 245],
            "reusing_organisations": [1, 1],
        }
    )
    rows = cohort.content_table(resources, caption="Content").rows
    assert rows[0][3] == "16 July 2024" and rows[1][3] == "" and rows[0][4] == "2,700"
    register = pd.DataFrame({"session": [1, 1, 2, 2], "attended": [True, False, True, True]})
    rates = cohort.attendance_rate(register, k=1)
    assert cohort.attendance_table(rates, caption="Attendance").rows == (("1", "50%", "2"), ("2", "100%", "2"))
    protected = cohort.attendance_table(cohort.attendance_rate(register), caption="Attendance")
    assert protected.rows == (("1", "[c]", "2"), ("2", "[c]", "2"))


def test_paired_changes_and_multi_item_reliability_cover_every_construct(instrument):
    rng = np.random.default_rng(3)
    scores = pd.DataFrame(
        [
            {"participant": f"p{i}", "wave": wave, "construct": construct, "score": float(rng.integers(1, 6))}
            for i in range(8)
            for wave in ("baseline", "endpoint")
            for construct in ("confidence", "competence")
        ]
    )
    changes = cohort.paired_changes(scores, ("confidence", "competence"), "baseline", "endpoint", resamples=200)
    assert [c.construct for c in changes] == ["confidence", "competence"]
    assert len(cohort.change_estimates(changes)) == sum(len(c.estimates) for c in changes) == 10
    answers = {
        (f"p{i}", "baseline"): {item: float(rng.integers(1, 6)) for item in ("c1", "c2", "c3", "c4", "q1")}
        for i in range(8)
    }
    estimates = cohort.multi_item_reliability(
        long_responses(answers), instrument, "baseline", ("confidence", "quality")
    )
    assert [e.group for e in estimates] == ["confidence (baseline)"] * 2  # quality has one item: no alpha


def test_report_helpers_doctests():
    import doctest

    for module in (cohort.sections, cohort.sentences):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
