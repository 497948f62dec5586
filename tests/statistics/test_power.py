"""Tests of evaluation.statistics.power.

References: G*Power 3.1 ("Means: difference between two dependent means
(matched pairs)", dz = 0.5, alpha 0.05 two-tailed, power 0.8) reports total
sample size 34 with actual power 0.8077775; R pwr::pwr.t.test(d = 0.5,
power = 0.8, type = "paired") reports n = 33.36713. Everything else is checked
against the noncentral t distribution written out below with scipy.stats.nct.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from evaluation.statistics.power import (
    cohorts_needed,
    paired_minimum_detectable_change,
    paired_power,
    paired_sample_size,
)


def noncentral_t_power(n: int, d_z: float, alpha: float = 0.05) -> float:
    """Two-sided paired t-test power: P(|T| > t_crit) with T ~ t_{n-1}(d_z sqrt(n))."""
    df = n - 1
    critical = stats.t.ppf(1 - alpha / 2, df)
    noncentrality = d_z * np.sqrt(n)
    return stats.nct.sf(critical, df, noncentrality) + stats.nct.cdf(-critical, df, noncentrality)


def test_sample_size_and_power_match_gpower():
    assert paired_sample_size(change=0.5, sd_change=1.0, alpha=0.05, power=0.8) == 34
    assert paired_power(n=34, change=0.5, sd_change=1.0) == pytest.approx(0.8077775, abs=1e-7)


def test_sample_size_is_the_smallest_n_reaching_the_target_power():
    # pwr reports n = 33.36713 for dz = 0.5: 33 pairs fall short, 34 suffice.
    assert noncentral_t_power(33, 0.5) < 0.8 <= noncentral_t_power(34, 0.5)
    for d_z, alpha, power in [(0.2, 0.05, 0.8), (0.8, 0.05, 0.9), (0.35, 0.01, 0.8)]:
        n = paired_sample_size(change=d_z, sd_change=1.0, alpha=alpha, power=power)
        assert noncentral_t_power(n, d_z, alpha) >= power
        assert noncentral_t_power(n - 1, d_z, alpha) < power


def test_sample_size_depends_on_scale_points_only_through_dz():
    # 0.3 points with an SD of differences of 0.6 is dz = 0.5; the sign does not matter.
    assert paired_sample_size(change=0.3, sd_change=0.6) == 34
    assert paired_sample_size(change=-0.3, sd_change=0.6) == 34


def test_huge_effects_still_need_two_pairs():
    assert paired_sample_size(change=10.0, sd_change=0.1) == 2


@pytest.mark.parametrize(
    ("n", "change", "sd_change", "alpha"), [(8, 0.3, 0.6, 0.05), (16, 0.4, 0.7, 0.05), (40, 0.2, 0.9, 0.01)]
)
def test_power_matches_noncentral_t(n, change, sd_change, alpha):
    assert paired_power(n, change, sd_change, alpha) == pytest.approx(
        noncentral_t_power(n, change / sd_change, alpha), abs=1e-9
    )


def test_minimum_detectable_change_has_the_target_power():
    n, sd_change = 8, 0.6
    mdc = paired_minimum_detectable_change(n, sd_change, alpha=0.05, power=0.8)
    assert noncentral_t_power(n, mdc / sd_change) == pytest.approx(0.8, abs=1e-6)
    # Independently: solve the noncentral t equation for dz by root finding.
    d_z = optimize.brentq(lambda d: noncentral_t_power(n, d) - 0.8, 0.01, 3)
    assert mdc == pytest.approx(d_z * sd_change, rel=1e-5)
    # Twice the spread of changes, twice the detectable change.
    assert paired_minimum_detectable_change(n, 2 * sd_change) == pytest.approx(2 * mdc)


def test_cohorts_needed():
    assert cohorts_needed(34, cohort_size=8, expected_completion_rate=0.75) == 6  # 34 / 6 = 5.7
    assert cohorts_needed(32, cohort_size=8, expected_completion_rate=1.0) == 4
    # 21 / (6 * 0.7) is 5.000000000000001 in floating point but exactly 5 cohorts.
    assert cohorts_needed(21, cohort_size=6, expected_completion_rate=0.7) == 5
    assert cohorts_needed(0, cohort_size=8, expected_completion_rate=0.5) == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: paired_sample_size(change=0.0, sd_change=1.0),
        lambda: paired_sample_size(change=0.5, sd_change=0.0),
        lambda: paired_sample_size(change=0.5, sd_change=1.0, alpha=1.5),
        lambda: paired_sample_size(change=0.5, sd_change=1.0, power=1.0),
        lambda: paired_power(n=1, change=0.5, sd_change=1.0),
        lambda: paired_minimum_detectable_change(n=8, sd_change=-1.0),
        lambda: cohorts_needed(34, cohort_size=8, expected_completion_rate=0.0),
        lambda: cohorts_needed(34, cohort_size=0, expected_completion_rate=0.8),
    ],
)
def test_invalid_inputs_are_rejected(call):
    with pytest.raises(ValueError):
        call()
