"""Monte Carlo sensitivity against analytical moments of known distributions.

Each check allows four Monte Carlo standard errors: with a fixed seed the test
is deterministic, and a biased sampler or model fails it by many errors.
"""

import math

import numpy as np
import pytest

from evaluation.economics.monte_carlo import (
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    simulate_appraisal,
)

N = 100_000
# Annuity factor for years 0-4 at 3.5%, by hand: 1 + 1/1.035 + ... + 1/1.035**4.
ANNUITY_0_TO_4 = sum(1.035**-t for t in range(5))


def by_term(result):
    return {estimate.term: estimate for estimate in result.estimates}


def test_linear_npsv_mean_matches_analytical_mean():
    benefit = Triangular(80_000, 100_000, 150_000)  # annual benefit, years 0-4
    cost = Uniform(300_000, 400_000)  # up-front cost
    result = simulate_appraisal(
        lambda x: (x["benefit"] * ANNUITY_0_TO_4, x["cost"]),
        {"benefit": benefit, "cost": cost},
        seed=20240101,
        n_draws=N,
    )
    # E[NPSV] = A * (a + m + b) / 3 - (lo + hi) / 2
    expected = ANNUITY_0_TO_4 * (80_000 + 100_000 + 150_000) / 3 - 350_000
    assert expected == pytest.approx(164_038.8, abs=0.1)
    var_triangular = (80e3**2 + 100e3**2 + 150e3**2 - 80e3 * 100e3 - 80e3 * 150e3 - 100e3 * 150e3) / 18
    var_uniform = 100e3**2 / 12
    se = math.sqrt(ANNUITY_0_TO_4**2 * var_triangular + var_uniform) / math.sqrt(N)
    npsv = by_term(result)["npsv"]
    assert abs(npsv.estimate - expected) < 4 * se
    assert npsv.conf_low < by_term(result)["npsv_median"].estimate < npsv.conf_high
    assert npsv.n == N


def test_probability_and_percentiles_of_a_normal_npsv():
    # NPSV = B - 80 with B ~ N(100, 30): NPSV ~ N(20, 30).
    result = simulate_appraisal(
        lambda x: (x["benefit"], x["cost"]),
        {"benefit": Normal(100, 30), "cost": 80.0},
        seed=7,
        n_draws=N,
    )
    estimates = by_term(result)
    p = 0.5 * (1 + math.erf((20 / 30) / math.sqrt(2)))  # standard normal CDF at 2/3
    assert p == pytest.approx(0.74751, abs=1e-5)
    assert abs(estimates["probability_npsv_positive"].estimate - p) < 4 * math.sqrt(p * (1 - p) / N)
    # 5th and 95th percentiles: 20 -/+ 1.644854 * 30.
    assert estimates["npsv"].conf_low == pytest.approx(20 - 1.644854 * 30, abs=0.6)
    assert estimates["npsv"].conf_high == pytest.approx(20 + 1.644854 * 30, abs=0.6)
    assert estimates["npsv_median"].estimate == pytest.approx(20, abs=0.6)
    # BCR = B / 80 is linear too: mean 100 / 80.
    assert estimates["bcr"].estimate == pytest.approx(1.25, abs=4 * (30 / 80) / math.sqrt(N))


@pytest.mark.parametrize(
    ("spec", "mean", "sd"),
    [
        (Pert(0, 2, 10), (0 + 4 * 2 + 10) / 6, None),
        (LogNormal(0.0, 0.5), math.exp(0.5**2 / 2), math.sqrt((math.exp(0.25) - 1) * math.exp(0.25))),
        (Uniform(2, 4), 3.0, 2 / math.sqrt(12)),
        (Triangular(0, 0, 3), 1.0, math.sqrt((0 + 0 + 9 - 0 - 0 - 0) / 18)),
    ],
)
def test_distribution_means(spec, mean, sd):
    if sd is None:  # PERT: beta(alpha=1.8, beta=4.2) scaled to width 10
        a, b = 1 + 4 * 2 / 10, 1 + 4 * 8 / 10
        sd = 10 * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    draws = spec.draw(np.random.default_rng(3), N)
    assert abs(draws.mean() - mean) < 4 * sd / math.sqrt(N)


def test_pert_stays_within_bounds_and_peaks_at_mode():
    draws = Pert(10, 12, 20).draw(np.random.default_rng(0), N)
    assert draws.min() >= 10 and draws.max() <= 20
    counts, edges = np.histogram(draws, bins=20, range=(10, 20))
    assert 11.0 <= edges[np.argmax(counts)] <= 12.5


def test_same_seed_reproduces_draws_and_other_seed_does_not():
    inputs = {"b": Triangular(1, 2, 4), "c": Uniform(1, 2)}

    def model(x):
        return x["b"], x["c"]

    first = simulate_appraisal(model, inputs, seed=11, n_draws=1_000)
    again = simulate_appraisal(model, inputs, seed=11, n_draws=1_000)
    other = simulate_appraisal(model, inputs, seed=12, n_draws=1_000)
    assert first.draws.equals(again.draws)
    assert not first.draws["npsv"].equals(other.draws["npsv"])
    assert list(first.draws.columns) == ["b", "c", "pv_benefits", "pv_costs", "npsv", "bcr"]
    assert [e.term for e in first.estimates] == [
        "npsv",
        "npsv_median",
        "bcr",
        "bcr_median",
        "probability_npsv_positive",
    ]


def test_bcr_undefined_when_a_draw_has_no_cost():
    with pytest.raises(ValueError, match="BCR is undefined"):
        simulate_appraisal(
            lambda x: (x["b"], x["c"]), {"b": Uniform(1, 2), "c": Normal(0.1, 1.0)}, seed=1, n_draws=1_000
        )


def test_model_must_return_one_value_per_draw():
    with pytest.raises(ValueError, match="two arrays of 10 draws"):
        simulate_appraisal(lambda x: (np.ones(3), 1.0), {"b": Uniform(1, 2)}, seed=1, n_draws=10)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Triangular(3, 1, 2),
        lambda: Triangular(1, 1, 1),
        lambda: Uniform(2, 1),
        lambda: Normal(0, -1),
        lambda: LogNormal(0, -1),
        lambda: Pert(0, 5, 4),
        lambda: Pert(0, 1, 2, shape=0),
    ],
)
def test_invalid_specs_are_rejected(make):
    with pytest.raises(ValueError):
        make()


def test_input_names_must_not_clash_with_outputs():
    with pytest.raises(ValueError, match="clash"):
        simulate_appraisal(lambda x: (1.0, 1.0), {"npsv": 1.0}, seed=1, n_draws=10)
