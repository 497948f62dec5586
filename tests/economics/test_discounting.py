"""Discounting against values computed by hand from the Green Book definitions.

Green Book Annex A6: STPR 3.5% in years 0-30, 3.0% in 31-75, 2.5% in 76-125,
2.0% in 126-200, 1.5% in 201-300, 1.0% beyond; the factor is cumulative, so a
later band's rate applies on top of the factor already reached.
"""

import math

import numpy as np
import pytest

from evaluation.economics.discounting import (
    OPTIMISM_BIAS_BOUNDS,
    benefit_cost_ratio,
    break_even_count,
    discount_factors,
    net_present_social_value,
    optimism_bias_uplift,
    present_value,
    stpr,
    switching_values,
)


def test_base_year_is_not_discounted():
    assert discount_factors(0) == 1.0


def test_year_10_factor_is_3_5_percent_compounded():
    assert discount_factors(10) == pytest.approx(1 / 1.035**10)
    assert discount_factors(10) == pytest.approx(0.70892, abs=5e-6)


def test_year_30_is_last_year_at_3_5_percent():
    assert discount_factors(30) == pytest.approx(1 / 1.035**30)
    assert discount_factors(30) == pytest.approx(0.35628, abs=5e-6)


def test_year_31_discounts_at_3_percent_on_top_of_year_30():
    assert discount_factors(31) == pytest.approx(1 / 1.035**30 / 1.03)
    assert discount_factors(31) == pytest.approx(0.34590, abs=5e-6)
    # Not a flat 3% from year 0, nor 3.5% for 31 years.
    assert discount_factors(31) != pytest.approx(1 / 1.03**31)
    assert discount_factors(31) != pytest.approx(1 / 1.035**31)


def test_later_bands_chain_cumulatively():
    year_75 = 1.035**-30 * 1.03**-45
    assert discount_factors(75) == pytest.approx(year_75)
    assert discount_factors(76) == pytest.approx(year_75 / 1.025)
    year_300 = year_75 * 1.025**-50 * 1.02**-75 * 1.015**-100
    assert discount_factors(300) == pytest.approx(year_300)
    assert discount_factors(301) == pytest.approx(year_300 / 1.01)


def test_health_schedule():
    assert discount_factors(1, "health") == pytest.approx(1 / 1.015)
    assert discount_factors(31, "health") == pytest.approx(1.015**-30 / 1.0129)


def test_stpr_band_edges():
    years = [0, 1, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301, 1000]
    expected = [0.035, 0.035, 0.035, 0.03, 0.03, 0.025, 0.025, 0.02, 0.02, 0.015, 0.015, 0.01, 0.01]
    assert stpr(years).tolist() == expected
    assert stpr([30, 31, 301], "health").tolist() == [0.015, 0.0129, 0.0043]


def test_factors_keep_input_shape_and_order():
    factors = discount_factors([2, 0, 1])
    assert factors.tolist() == pytest.approx([1.035**-2, 1.0, 1.035**-1])


@pytest.mark.parametrize("years", [[-1], [1.5]])
def test_invalid_years_are_rejected(years):
    with pytest.raises(ValueError, match="years"):
        discount_factors(years)


def test_unknown_schedule_is_rejected():
    with pytest.raises(ValueError, match="schedule"):
        discount_factors(1, "private")


def test_three_year_stream_of_100():
    # 100 now, 100 in a year, 100 in two years.
    expected = 100 + 100 / 1.035 + 100 / 1.035**2
    assert present_value([100, 100, 100]) == pytest.approx(expected)
    assert present_value([100, 100, 100]) == pytest.approx(289.9695, abs=1e-4)


def test_present_value_with_explicit_years():
    assert present_value([100, 100, 100], years=[1, 2, 3]) == pytest.approx(
        100 / 1.035 + 100 / 1.035**2 + 100 / 1.035**3
    )


def test_present_value_of_each_row_of_a_matrix():
    pvs = present_value(np.array([[100.0, 0.0], [0.0, 103.5]]))
    assert pvs.tolist() == pytest.approx([100.0, 100.0])


def test_present_value_length_mismatch():
    with pytest.raises(ValueError, match="3 amounts"):
        present_value([1, 2, 3], years=[0, 1])


def test_npsv_and_bcr():
    assert net_present_social_value(1_400_000, 300_000) == 1_100_000
    assert benefit_cost_ratio(1_400_000, 300_000) == pytest.approx(14 / 3)
    npsv = net_present_social_value(np.array([5.0, 1.0]), np.array([2.0, 3.0]))
    assert npsv.tolist() == [3.0, -2.0]


@pytest.mark.parametrize("pv_costs", [0.0, -10.0, [1.0, 0.0]])
def test_bcr_is_undefined_without_positive_costs(pv_costs):
    with pytest.raises(ValueError, match="BCR is undefined"):
        benefit_cost_ratio(100.0, pv_costs)


def test_optimism_bias_uplift():
    assert optimism_bias_uplift(100.0, 24) == pytest.approx(124.0)
    assert optimism_bias_uplift(50_000, 200) == pytest.approx(150_000)
    assert optimism_bias_uplift(np.array([10.0, 20.0]), 10).tolist() == pytest.approx([11, 22])
    with pytest.raises(ValueError, match="uplift"):
        optimism_bias_uplift(100.0, -5)


def test_optimism_bias_reference_table():
    # HM Treasury Supplementary Guidance: Optimism Bias, Table 1 (percent).
    it = OPTIMISM_BIAS_BOUNDS["equipment_development"]
    assert (it.capital_expenditure_upper, it.capital_expenditure_lower) == (200, 10)
    assert (it.works_duration_upper, it.works_duration_lower) == (54, 10)
    buildings = OPTIMISM_BIAS_BOUNDS["standard_buildings"]
    assert (buildings.capital_expenditure_upper, buildings.capital_expenditure_lower) == (24, 2)
    assert (buildings.works_duration_upper, buildings.works_duration_lower) == (4, 1)
    for bounds in OPTIMISM_BIAS_BOUNDS.values():
        assert bounds.capital_expenditure_lower <= bounds.capital_expenditure_upper
        assert bounds.works_duration_lower <= bounds.works_duration_upper


def test_switching_values_bring_npsv_to_zero():
    values = switching_values(400.0, 300.0)
    assert values.benefits_fall == 100.0
    assert values.benefits_fall_percent == pytest.approx(25.0)
    assert values.costs_rise == 100.0
    assert values.costs_rise_percent == pytest.approx(100 / 3)
    assert 400.0 * (1 - values.benefits_fall_percent / 100) == pytest.approx(300.0)
    assert 300.0 * (1 + values.costs_rise_percent / 100) == pytest.approx(400.0)


def test_switching_values_when_npsv_is_negative():
    values = switching_values(200.0, 250.0)
    assert values.benefits_fall == -50.0
    assert values.benefits_fall_percent == pytest.approx(-25.0)
    assert values.costs_rise_percent == pytest.approx(-20.0)
    assert math.isnan(switching_values(0.0, 10.0).benefits_fall_percent)


def test_break_even_count():
    # A pilot costing 250k breaks even after ceil(2.5) = 3 avoided 100k attacks.
    assert break_even_count(250_000, 100_000) == 3
    assert break_even_count(200_000, 200_000) == 1
    assert break_even_count(200_001, 200_000) == 2
    assert break_even_count(0, 100) == 0
    # (0.1 + 0.2) / 0.1 is 3.0000000000000004 in floating point: still 3 incidents.
    assert break_even_count(0.1 + 0.2, 0.1) == 3


@pytest.mark.parametrize(("pv_costs", "value"), [(100, 0), (100, -1), (-1, 10)])
def test_break_even_count_rejects_bad_inputs(pv_costs, value):
    with pytest.raises(ValueError):
        break_even_count(pv_costs, value)
