"""Tests for evaluation.statistics.bootstrap against published values and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from evaluation.notes import AnalysisNote
from evaluation.statistics.bootstrap import bca_interval

# Spatial test data, column A (Efron & Tibshirani, 1993, p. 180; R package
# bootstrap, data set `spatial`).
SPATIAL_A = np.array(
    [48, 36, 20, 29, 42, 42, 20, 42, 22, 41, 45, 14, 6, 0, 33, 28, 34, 4, 32, 24, 47, 41, 24, 26, 30, 41],
    dtype=float,
)

# 40,000 resamples keep the Monte Carlo error of the endpoints small enough
# (about 0.5 and 0.9 for the spatial variance) to compare two independent
# bootstrap runs with tolerances far below the gap to other interval methods
# (the percentile interval is about 17 and 25 away).
N_RESAMPLES = 40_000


def plug_in_variance(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.var(x, axis=axis)


def test_estimate_and_acceleration_match_efron_tibshirani_spatial_example() -> None:
    # Efron & Tibshirani (1993), section 14.3: theta-hat = 171.5 and a-hat =
    # 0.061 for the plug-in variance of the spatial data. The acceleration is
    # a jackknife quantity, so it does not depend on the resampling.
    interval = bca_interval(plug_in_variance, SPATIAL_A, confidence_level=0.90, seed=3)
    assert interval.estimate == pytest.approx(171.5, abs=0.05)
    assert interval.acceleration == pytest.approx(0.061, abs=0.0005)


def test_one_sample_interval_agrees_with_scipy_bca() -> None:
    ours = bca_interval(plug_in_variance, SPATIAL_A, confidence_level=0.90, n_resamples=N_RESAMPLES, seed=11)
    scipys = stats.bootstrap(
        (SPATIAL_A,),
        plug_in_variance,
        confidence_level=0.90,
        method="BCa",
        n_resamples=N_RESAMPLES,
        rng=2024,
    ).confidence_interval
    assert ours.conf_low == pytest.approx(scipys.low, abs=3.0)
    assert ours.conf_high == pytest.approx(scipys.high, abs=6.0)


def test_paired_interval_agrees_with_scipy_bca() -> None:
    # Law school sample (Efron & Tibshirani, 1993, ch. 3; R package bootstrap,
    # data set `law`): LSAT and GPA of 15 schools, whose correlation 0.776 is
    # quoted there. Pairs must stay together.
    lsat = np.array([576, 635, 558, 578, 666, 580, 555, 661, 651, 605, 653, 575, 545, 572, 594.0])
    gpa = np.array([3.39, 3.30, 2.81, 3.03, 3.44, 3.07, 3.00, 3.43, 3.36, 3.13, 3.12, 2.74, 2.76, 2.88, 2.96])

    def correlation(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        return stats.pearsonr(x, y, axis=axis).statistic

    ours = bca_interval(correlation, lsat, gpa, n_resamples=N_RESAMPLES, seed=5)
    scipys = stats.bootstrap(
        (lsat, gpa), correlation, paired=True, method="BCa", n_resamples=N_RESAMPLES, rng=99
    ).confidence_interval
    assert ours.estimate == pytest.approx(0.776, abs=0.0005)
    assert ours.conf_low == pytest.approx(scipys.low, abs=0.02)
    assert ours.conf_high == pytest.approx(scipys.high, abs=0.01)


def test_replicates_tied_with_the_estimate_count_half_as_in_scipy() -> None:
    # The median of heavily tied data equals the estimate in many resamples;
    # counting those as "below" instead of one half moves the interval from
    # [1, 3] to [2, 4].
    tied = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5], dtype=float)

    def median(x: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.median(x, axis=axis)

    ours = bca_interval(median, tied, n_resamples=N_RESAMPLES, seed=1)
    scipys = stats.bootstrap((tied,), median, method="BCa", n_resamples=N_RESAMPLES, rng=2).confidence_interval
    assert (ours.conf_low, ours.conf_high) == pytest.approx((scipys.low, scipys.high), abs=0.1)


def test_looped_statistic_gives_the_vectorised_result() -> None:
    vectorised = bca_interval(plug_in_variance, SPATIAL_A, n_resamples=2000, seed=8)
    looped = bca_interval(lambda x: float(np.var(x)), SPATIAL_A, n_resamples=2000, seed=8)
    assert looped == vectorised


def test_seed_makes_interval_reproducible() -> None:
    first = bca_interval(plug_in_variance, SPATIAL_A, n_resamples=2000, seed=1)
    again = bca_interval(plug_in_variance, SPATIAL_A, n_resamples=2000, seed=1)
    other = bca_interval(plug_in_variance, SPATIAL_A, n_resamples=2000, seed=2)
    assert first == again
    assert (first.conf_low, first.conf_high) != (other.conf_low, other.conf_high)


def test_standard_error_agrees_with_scipy() -> None:
    interval = bca_interval(plug_in_variance, SPATIAL_A, n_resamples=N_RESAMPLES, seed=4)
    scipys = stats.bootstrap((SPATIAL_A,), plug_in_variance, method="BCa", n_resamples=N_RESAMPLES, rng=7)
    # The Monte Carlo error of a bootstrap SD from 40,000 resamples is about 0.2.
    assert interval.standard_error == pytest.approx(scipys.standard_error, abs=1.5)
    assert interval.conf_low < interval.estimate < interval.conf_high
    assert interval.n_resamples == N_RESAMPLES


def test_constant_data_give_the_estimate_as_both_bounds() -> None:
    interval = bca_interval(np.mean, np.full(6, 2.5))
    assert (interval.conf_low, interval.estimate, interval.conf_high) == (2.5, 2.5, 2.5)
    assert interval.standard_error == 0.0


def test_undefined_replicates_are_dropped_with_a_warning() -> None:
    # Standardised mean of data with many ties: some resamples have zero variance.
    data = np.array([1.0, 1.0, 1.0, 1.0, 2.0, 0.0, 1.0, 3.0])

    def standardised_mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return x.mean(axis=axis) / x.std(axis=axis, ddof=1)

    with pytest.warns(AnalysisNote, match="left out"):
        interval = bca_interval(standardised_mean, data, n_resamples=5000, seed=0)
    assert 0 < interval.n_resamples < 5000
    assert np.isfinite([interval.conf_low, interval.conf_high]).all()


def test_estimate_outside_bootstrap_distribution_gives_nan_with_warning() -> None:
    # "Is the sample strictly increasing?" is 1 for the data but almost never
    # for a resample, so no bias correction can centre the interval.
    def strictly_increasing(x: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.all(np.diff(x, axis=axis) > 0, axis=axis).astype(float)

    with pytest.warns(AnalysisNote, match="outside the range"):
        interval = bca_interval(strictly_increasing, np.arange(8.0), n_resamples=500)
    assert interval.estimate == 1.0
    assert np.isnan(interval.conf_low) and np.isnan(interval.conf_high)


def test_undefined_jackknife_gives_nan_with_warning() -> None:
    def inverse_spread(x: np.ndarray, axis: int = -1) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return 1 / np.ptp(x, axis=axis)

    with pytest.warns(AnalysisNote, match="jackknife"):
        interval = bca_interval(inverse_spread, np.array([0.0, 1.0]), n_resamples=100)
    assert interval.estimate == 1.0 and np.isnan(interval.conf_low)


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        ((np.array([1.0]),), "at least 2 observations"),
        ((np.arange(3.0), np.arange(4.0)), "equal lengths"),
        ((np.ones((2, 3)),), "1-D"),
        ((), "at least one sample"),
    ],
)
def test_invalid_samples_are_rejected(samples: tuple[np.ndarray, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bca_interval(np.mean, *samples)


def test_statistic_returning_the_wrong_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match="one value per resample"):
        bca_interval(lambda x, axis: x, np.arange(5.0))


def test_left_out_replicates_become_a_plain_english_note_for_the_report() -> None:
    from evaluation.presentation import Findings

    data = np.array([1.0, 1.0, 1.0, 1.0, 2.0, 0.0, 1.0, 3.0])

    def standardised_mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return x.mean(axis=axis) / x.std(axis=axis, ddof=1)

    findings = Findings("q", "d")
    try:
        interval = bca_interval(standardised_mean, data, n_resamples=2000, seed=0, about="the standardised change")
    finally:
        findings.close()
    left_out = 2000 - interval.n_resamples
    (note,) = findings.notes_
    assert note.startswith(
        f"The interval of the standardised change rests on {interval.n_resamples:,} of 2,000 "
        f"resamples of the data: in the other {left_out:,} it could not be computed"
    )
    assert "NaN" not in note and "/" not in note and "bootstrap.py" not in note


def test_a_caller_that_silences_numerical_warnings_still_can() -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", RuntimeWarning)
        interval = bca_interval(lambda x: float(np.all(np.diff(x) > 0)), np.arange(8.0), n_resamples=200)
    assert np.isnan(interval.conf_low) and caught == []
