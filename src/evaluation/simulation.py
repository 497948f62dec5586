"""Data-generating processes shaped like the workbench's data, for coverage studies and tests.

Two designs, each with its known truth, so that the coverage of an interval (how often it contains
the truth) and the false rejection rate of a test can be measured at the sizes the programme has:

- :func:`simulate_likert_cohorts`: leadership cohorts of 5-9 people answering Likert items at
  baseline, endpoint and follow-up, with drop-out after baseline and non-response, scored as the
  reports score them (the mean of a construct's items); the true expected change of the scale
  score comes from :func:`likert_truth` (rounding and clipping make it smaller than the latent
  shift, so it is computed, not assumed).
- :func:`simulate_staggered_panel`: 33 authorities observed over a number of periods, a handful
  joining a project in a few adoption cohorts, effects that differ between cohorts and grow with
  time since joining, parallel trends by construction unless a pre-trend is planted.

``benchmarks/coverage.py`` runs the study; tests run small seeded batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

WAVES: tuple[str, ...] = ("baseline", "endpoint", "follow-up")


@dataclass(frozen=True)
class LikertDesign:
    """Cohorts answering one construct's Likert items (1-5) at three waves.

    Each answer is ``clip(round(item_mean + theta + shift x [after baseline] + noise), 1, 5)`` with
    ``theta ~ N(0, theta_sd)`` per person and ``noise ~ N(0, noise_sd)`` per answer (the demo
    data's model, ``data/demo/README.md``). In each cohort ``dropouts`` people answer the baseline
    only; every other answer is missing with probability ``non_response``. ``rating_mean`` is the
    latent mean of a one-item 1-5 rating asked at the endpoint.
    """

    cohort_sizes: tuple[int, ...] = (8, 8, 8)
    item_means: tuple[float, ...] = (2.8, 2.6, 2.9, 2.7)
    shift: float = 0.8
    theta_sd: float = 0.5
    noise_sd: float = 0.7
    dropouts: int = 1
    non_response: float = 0.05
    rating_mean: float = 4.3


@dataclass(frozen=True)
class LikertTruth:
    """Population values of the scored data, baseline to endpoint, and of the endpoint rating.

    ``change``: mean change of the scale score; ``pseudo_median``: median of the Walsh averages
    :math:`(d_1 + d_2)/2` of two people's changes (the Hodges-Lehmann estimand); ``standardised_change``:
    mean over SD of the changes (Cohen's :math:`d_z`); ``rating``: mean endpoint rating.
    """

    change: float
    pseudo_median: float
    standardised_change: float
    rating: float


def _answers(design: LikertDesign, latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Items (columns) answered by people with latent location ``latent`` (rows)."""
    means = np.asarray(design.item_means)
    raw = means[None, :] + latent[:, None] + rng.normal(0.0, design.noise_sd, (len(latent), len(means)))
    return np.clip(np.round(raw), 1, 5)


def likert_truth(design: LikertDesign, *, n_people: int = 400_000, seed: int = 0) -> LikertTruth:
    """Expected baseline-to-endpoint change of the scale score and expected rating, by simulation.

    Monte Carlo standard error about ``0.7 / sqrt(n_people)`` (0.001 at the default).
    """
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, design.theta_sd, n_people)
    before = _answers(design, theta, rng).mean(axis=1)
    after = _answers(design, theta + design.shift, rng).mean(axis=1)
    rating = np.clip(np.round(design.rating_mean + theta + rng.normal(0.0, design.noise_sd, n_people)), 1, 5)
    change = after - before
    walsh = (change + rng.permutation(change)) / 2  # two independent people's changes
    return LikertTruth(
        float(np.mean(change)), float(np.median(walsh)), float(np.mean(change) / np.std(change)), float(np.mean(rating))
    )


def simulate_likert_cohorts(design: LikertDesign, rng: np.random.Generator) -> pd.DataFrame:
    """One programme's scale scores and endpoint ratings.

    Returns
    -------
    pandas.DataFrame
        Long: ``cohort``, ``participant``, ``wave`` (:data:`WAVES`), ``score`` (mean of the items
        answered; missing when the person did not answer) and ``rating`` (endpoint only).
    """
    rows = []
    for c, size in enumerate(design.cohort_sizes):
        theta = rng.normal(0.0, design.theta_sd, size)
        dropped = np.arange(size) < design.dropouts
        for w, wave in enumerate(WAVES):
            latent = theta + (design.shift if w > 0 else 0.0)
            scores = _answers(design, latent, rng).mean(axis=1)
            ratings = np.clip(np.round(design.rating_mean + theta + rng.normal(0.0, design.noise_sd, size)), 1, 5)
            answered = rng.random(size) >= design.non_response
            if w > 0:
                answered &= ~dropped
            for i in range(size):
                rows.append(
                    (
                        f"C{c + 1}",
                        f"C{c + 1}-{i}",
                        wave,
                        scores[i] if answered[i] else np.nan,
                        ratings[i] if answered[i] and wave == "endpoint" else np.nan,
                    )
                )
    return pd.DataFrame(rows, columns=["cohort", "participant", "wave", "score", "rating"])


@dataclass(frozen=True)
class StaggeredDesign:
    """A panel of authorities, some joining a project in adoption cohorts.

    ``value = 35 + a_i + trend x t + g_t + e_it + effect`` with ``a_i ~ N(0, unit_sd)``, a common
    period shock ``g_t ~ N(0, period_sd)`` and AR(1) errors ``e_it`` (correlation ``rho``, marginal
    SD ``noise_sd``). ``cohorts`` lists (adoption period, number of authorities); the others never
    join. The effect of cohort *k* at ``e = t - g >= 0`` periods since joining is
    ``effect_at_joining + growth[k] x e``: it differs between cohorts and grows with time, the case
    where two-way fixed effects fails. ``pre_trend`` plants a violation of parallel trends: joiners
    drift by ``pre_trend`` a period relative to the others until they join.
    """

    n_authorities: int = 33
    n_periods: int = 36
    cohorts: tuple[tuple[int, int], ...] = ((12, 5), (20, 5), (28, 5))
    effect_at_joining: float = 2.0
    growth: tuple[float, ...] = (0.5, 0.3, 0.1)
    pre_trend: float = 0.0
    trend: float = 0.3
    unit_sd: float = 4.0
    period_sd: float = 0.5
    noise_sd: float = 1.5
    rho: float = 0.5


def simulate_staggered_panel(design: StaggeredDesign, rng: np.random.Generator) -> pd.DataFrame:
    """One balanced panel.

    Returns
    -------
    pandas.DataFrame
        ``authority_code``, ``t`` (1..T), ``value``, ``first_treated`` (NaN if never),
        ``treated`` (0/1) and ``tau`` (the true effect in that authority-period).
    """
    n, periods = design.n_authorities, design.n_periods
    first = np.full(n, np.nan)
    growth = np.zeros(n)
    start = 0
    for (period, size), slope in zip(design.cohorts, design.growth, strict=True):
        first[start : start + size] = period
        growth[start : start + size] = slope
        start += size
    t = np.arange(1, periods + 1)
    errors = np.empty((n, periods))
    errors[:, 0] = rng.normal(0.0, design.noise_sd, n)
    innovation_sd = design.noise_sd * np.sqrt(1 - design.rho**2)
    for j in range(1, periods):
        errors[:, j] = design.rho * errors[:, j - 1] + rng.normal(0.0, innovation_sd, n)
    since = t[None, :] - first[:, None]  # NaN for never-treated
    treated = np.nan_to_num(since, nan=-1.0) >= 0
    tau = np.where(treated, design.effect_at_joining + growth[:, None] * np.nan_to_num(since), 0.0)
    drift = np.where(np.isfinite(since) & ~treated, design.pre_trend * np.nan_to_num(since), 0.0)
    value = (
        35.0
        + rng.normal(0.0, design.unit_sd, n)[:, None]
        + design.trend * t[None, :]
        + rng.normal(0.0, design.period_sd, periods)[None, :]
        + errors
        + tau
        + drift
    )
    return pd.DataFrame(
        {
            "authority_code": np.repeat([f"E09{i + 1:06d}" for i in range(n)], periods),
            "t": np.tile(t, n),
            "value": value.ravel(),
            "first_treated": np.repeat(first, periods),
            "treated": treated.ravel().astype(int),
            "tau": tau.ravel(),
        }
    )


def true_event_time_effects(panel: pd.DataFrame) -> pd.Series:
    """True effect by event time ``e >= 0``: the cohort-size weighted mean of the authorities' effects."""
    treated = panel[panel["treated"] == 1]
    return treated.groupby(treated["t"] - treated["first_treated"])["tau"].mean()
