"""Indicator progress and RAG status on hand-worked cases."""

import numpy as np
import pandas as pd
import pytest

from evaluation.impact.indicators import rag_status, track_indicators


def indicator_table(**overrides) -> pd.DataFrame:
    """Three indicators of one project, one per level, with a 0-12 month window."""
    table = pd.DataFrame(
        {
            "project": ["Shared data platform"] * 3,
            "indicator": ["staff hours saved", "repair days", "SME contracts"],
            "level": ["organisation", "community", "economic"],
            "unit": ["hours/month", "days", "%"],
            "direction": ["higher_is_better", "lower_is_better", "higher_is_better"],
            "baseline": [100.0, 40.0, 20.0],
            "target": [300.0, 20.0, 30.0],
            "baseline_period": [0, 0, 0],
            "target_period": [12, 12, 12],
        }
    )
    for column, values in overrides.items():
        table[column] = values
    return table


def observe(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "authority", "period", "value"])


def status_of(result: pd.DataFrame, indicator: str, authority: str = "E09000012") -> pd.Series:
    return result.set_index(["indicator", "authority"]).loc[(indicator, authority)]


def test_progress_expected_progress_and_status_by_hand():
    observations = observe(
        # 100 of the 200 extra hours by month 6: progress 0.5, expected 0.5 -> on track
        ("staff hours saved", "E09000012", 6, 200.0),
        # 40 -> 32 days at month 9: progress 8/20 = 0.4, expected 0.75, ratio 0.53
        ("repair days", "E09000012", 9, 32.0),
        # 20 -> 19% at month 3: moving the wrong way
        ("SME contracts", "E09000012", 3, 19.0),
    )
    result = track_indicators(indicator_table(), observations)
    hours = status_of(result, "staff hours saved")
    assert (hours.progress, hours.expected_progress, hours.status) == (0.5, 0.5, "Green")
    days = status_of(result, "repair days")
    assert days.progress == pytest.approx(0.4)
    assert days.expected_progress == pytest.approx(0.75)
    assert days.status == "Amber"
    contracts = status_of(result, "SME contracts")
    assert contracts.progress == pytest.approx(-0.1)
    assert contracts.status == "Red"
    assert list(result.level) == ["organisation", "community", "economic"]


def test_latest_observation_per_authority_and_as_of():
    observations = observe(
        ("staff hours saved", "E09000012", 3, 120.0),
        ("staff hours saved", "E09000012", 12, 310.0),  # target beaten at the end
        ("staff hours saved", "E09000030", 6, 110.0),  # 5% of the way, 50% expected
    )
    result = track_indicators(indicator_table().iloc[[0]], observations)
    assert status_of(result, "staff hours saved").status == "Green"
    assert status_of(result, "staff hours saved").progress == pytest.approx(1.05)
    assert status_of(result, "staff hours saved", "E09000030").status == "Red"

    earlier = track_indicators(indicator_table().iloc[[0]], observations, as_of=6)
    hackney = status_of(earlier, "staff hours saved")
    assert hackney.period == 3
    # 20 of 200 by month 3 (25% expected): ratio 0.4 -> Red
    assert hackney.progress == pytest.approx(0.1)
    assert hackney.status == "Red"


def test_thresholds_are_parameters():
    observations = observe(("repair days", "E09000012", 9, 32.0))  # ratio 0.53
    strict = track_indicators(indicator_table(), observations, amber_threshold=0.6)
    lenient = track_indicators(indicator_table(), observations, green_threshold=0.5)
    assert status_of(strict, "repair days").status == "Red"
    assert status_of(lenient, "repair days").status == "Green"


def test_without_periods_progress_is_judged_against_the_whole_target():
    table = indicator_table().drop(columns=["baseline_period", "target_period"])
    result = track_indicators(table, observe(("staff hours saved", "E09000012", 6, 200.0)))
    hours = status_of(result, "staff hours saved")
    assert hours.expected_progress == 1.0
    assert hours.status == "Amber"  # half way to the target, no time information


def test_unobserved_indicator_reports_no_data():
    result = track_indicators(indicator_table(), observe(("repair days", "E09000012", 9, 32.0)))
    unobserved = result[result.indicator == "SME contracts"]
    assert len(unobserved) == 1
    assert unobserved.authority.isna().all()
    assert unobserved.status.item() == "No data"


def test_dates_as_periods():
    table = indicator_table(baseline_period=pd.Timestamp("2024-04-01"), target_period=pd.Timestamp("2025-04-01"))
    observations = observe(("repair days", "E09000012", pd.Timestamp("2024-10-01"), 30.0))
    days = status_of(track_indicators(table, observations), "repair days")
    assert days.expected_progress == pytest.approx(183 / 365)
    assert days.status == "Green"  # 0.5 of the way at 0.501 expected


def test_missing_baseline_is_an_error_naming_the_indicator():
    table = indicator_table(baseline=[100.0, np.nan, 20.0])
    with pytest.raises(ValueError, match="no baseline for indicator.*repair days"):
        track_indicators(table, observe())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target": [50.0, 20.0, 30.0]}, "not better than baseline.*staff hours saved"),
        (
            {"direction": ["higher_is_better", "higher_is_better", "higher_is_better"]},
            "not better than baseline.*repair days",
        ),
        ({"level": ["organisation", "borough", "economic"]}, "level must be one of"),
        ({"indicator": ["a", "a", "b"]}, "more than once"),
    ],
)
def test_inconsistent_definitions_are_errors(overrides, message):
    with pytest.raises(ValueError, match=message):
        track_indicators(indicator_table(**overrides), observe())


def test_observation_of_unknown_indicator_is_an_error():
    with pytest.raises(ValueError, match="not in the indicator table"):
        track_indicators(indicator_table(), observe(("typo", "E09000012", 1, 1.0)))


@pytest.mark.parametrize(
    ("progress", "expected", "status"),
    [
        (0.45, 0.5, "Green"),  # exactly 90% of expected
        (0.25, 0.5, "Amber"),  # exactly 50%
        (0.2499, 0.5, "Red"),
        (1.0, 1.0, "Green"),  # target met
        (1.2, 0.3, "Green"),
        (0.0, 0.0, "Green"),  # nothing expected yet
        (-0.01, 0.0, "Red"),  # wrong way even when nothing was expected
        (np.nan, 0.5, "No data"),
    ],
)
def test_rag_rule_boundaries(progress, expected, status):
    assert rag_status(progress, expected) == status
