"""Maryland SMS rating rules and the causal-reporting gate."""

import numpy as np
import pandas as pd
import pytest

from evaluation.impact.evidence import (
    SMS_LEVELS,
    causal_estimate_permitted,
    maryland_sms_level,
)

DID = {"comparison_group": True, "before_and_after": True}


@pytest.mark.parametrize(
    ("design", "level"),
    [
        ({}, None),  # no counterfactual at all
        ({"before_and_after": True}, 1),
        ({"before_and_after": True, "control_variables": True}, 2),
        ({"comparison_group": True}, 1),  # cross-section
        ({"comparison_group": True, "control_variables": True}, 2),
        ({"comparison_group": True, "quasi_random_variation": True}, 4),  # IV / discontinuity
        (DID, 3),
        ({**DID, "pre_trend_p_value": 0.02}, 2),  # pre-trends rejected
        ({**DID, "pre_trend_p_value": 0.5, "quasi_random_variation": True}, 4),
        (
            {**DID, "pre_trend_p_value": 0.5, "quasi_random_variation": True, "staggered_adoption": True},
            3,
        ),  # TWFE alone under staggered adoption
        (
            {
                **DID,
                "pre_trend_p_value": 0.5,
                "quasi_random_variation": True,
                "staggered_adoption": True,
                "heterogeneity_robust": True,
            },
            4,
        ),
        (
            {**DID, "quasi_random_variation": True, "staggered_adoption": True, "heterogeneity_robust": True},
            3,
        ),  # no pre-trend test reported
        ({**DID, "randomised": True}, 5),
    ],
)
def test_sms_levels(design, level):
    assert maryland_sms_level(**design).level == level


def test_sms_reason_lists_what_level_4_needs():
    rating = maryland_sms_level(**DID, staggered_adoption=True)
    assert rating.level == 3
    assert "as good as random" in rating.reason
    assert "pre-trend test" in rating.reason
    assert "heterogeneity-robust" in rating.reason
    assert rating.description == SMS_LEVELS[3]


def test_pre_trend_alpha_is_a_parameter():
    assert maryland_sms_level(**DID, pre_trend_p_value=0.07).level == 2
    assert maryland_sms_level(**DID, pre_trend_p_value=0.07, pre_trend_alpha=0.05).level == 3


def adoption_panel(first: list[float], n_periods: int = 8) -> pd.DataFrame:
    codes = [f"E09{i:06d}" for i in range(1, len(first) + 1)]
    return pd.DataFrame(
        {
            "gss_code": np.repeat(codes, n_periods),
            "month": np.tile(np.arange(1, n_periods + 1), len(codes)),
            "first_month": np.repeat(first, n_periods),
        }
    )


def test_causal_estimate_permitted_with_enough_never_treated_authorities():
    panel = adoption_panel([4] * 10 + [6] * 10 + [np.nan] * 13)
    decision = causal_estimate_permitted(panel, "gss_code", "month", "first_month")
    assert decision.permitted
    assert "13 authorities never adopt" in decision.reason


def test_too_few_comparison_authorities_falls_back_to_contribution_analysis():
    panel = adoption_panel([4] * 15 + [6] * 15 + [np.nan] * 3)
    decision = causal_estimate_permitted(panel, "gss_code", "month", "first_month")
    assert not decision.permitted
    assert "period 4 has 3 comparison authorities (at least 5 needed)" in decision.reason
    assert "contribution analysis" in decision.reason


def test_not_yet_treated_authorities_count_as_comparisons_for_earlier_cohorts():
    panel = adoption_panel([4] * 15 + [6] * 15 + [np.nan] * 3)
    decision = causal_estimate_permitted(panel, "gss_code", "month", "first_month", control_group="not_yet_treated")
    # Cohort 4 has 15 + 3 comparisons; the last cohort only the 3 never-treated.
    assert not decision.permitted
    assert "period 4" not in decision.reason
    assert "period 6 has 3 comparison authorities" in decision.reason
    assert causal_estimate_permitted(
        panel,
        "gss_code",
        "month",
        "first_month",
        control_group="not_yet_treated",
        min_comparison_units=3,
    ).permitted


def test_cohort_without_enough_pre_periods_blocks_a_causal_estimate():
    panel = adoption_panel([2] * 5 + [6] * 5 + [np.nan] * 23)
    decision = causal_estimate_permitted(panel, "gss_code", "month", "first_month")
    assert not decision.permitted
    assert "period 2 has 1 pre-adoption periods (at least 2 needed)" in decision.reason
    assert causal_estimate_permitted(panel, "gss_code", "month", "first_month", min_pre_periods=1).permitted


def test_no_adopters_means_no_causal_estimate():
    panel = adoption_panel([np.nan] * 33)
    decision = causal_estimate_permitted(panel, "gss_code", "month", "first_month")
    assert not decision.permitted
    assert "no authority adopts" in decision.reason


def test_adoption_after_the_window_counts_as_never_treated():
    panel = adoption_panel([4] * 28 + [99] * 5)
    assert causal_estimate_permitted(panel, "gss_code", "month", "first_month").permitted
