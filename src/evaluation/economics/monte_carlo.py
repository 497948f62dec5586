"""Seeded Monte Carlo sensitivity analysis of NPSV and BCR.

Uncertain inputs are described by small distribution specs (triangular,
uniform, normal, lognormal, PERT). One seeded generator draws every input at
once as NumPy vectors; a vectorised model turns the draws into present values
of benefits and costs, and the NPSV and BCR are summarised across draws.

Reference: HM Treasury (2022) *The Green Book*, Annex A5 (risk, uncertainty
and Monte Carlo analysis).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from evaluation.economics.discounting import benefit_cost_ratio, net_present_social_value
from evaluation.tidy import Estimate


def _require_ordered(low: float, mode: float, high: float) -> None:
    if not (low <= mode <= high and low < high):
        raise ValueError(f"need low <= mode <= high and low < high, got {low}, {mode}, {high}")


@dataclass(frozen=True)
class Triangular:
    """Triangular distribution on ``[low, high]`` peaking at ``mode``.

    Mean :math:`(a + m + b) / 3`.
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _require_ordered(self.low, self.mode, self.high)

    def draw(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.triangular(self.low, self.mode, self.high, size)


@dataclass(frozen=True)
class Uniform:
    """Uniform distribution on ``[low, high)``. Mean :math:`(a + b) / 2`."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ValueError(f"need low < high, got {self.low}, {self.high}")

    def draw(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.uniform(self.low, self.high, size)


@dataclass(frozen=True)
class Normal:
    """Normal distribution with the given mean and standard deviation."""

    mean: float
    sd: float

    def __post_init__(self) -> None:
        if self.sd < 0:
            raise ValueError(f"sd must be >= 0, got {self.sd}")

    def draw(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.normal(self.mean, self.sd, size)


@dataclass(frozen=True)
class LogNormal:
    """Lognormal distribution: :math:`\\log X \\sim N(\\mu, \\sigma^2)`.

    Parameters are those of the logarithm (as in :meth:`numpy.random.Generator.lognormal`):
    median :math:`e^{\\mu}`, mean :math:`e^{\\mu + \\sigma^2 / 2}`.
    """

    mean_log: float
    sd_log: float

    def __post_init__(self) -> None:
        if self.sd_log < 0:
            raise ValueError(f"sd_log must be >= 0, got {self.sd_log}")

    def draw(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.lognormal(self.mean_log, self.sd_log, size)


@dataclass(frozen=True)
class Pert:
    """PERT (scaled beta) distribution on ``[low, high]`` with most likely value ``mode``.

    .. math::

        X = a + (b - a) \\, \\mathrm{Beta}(\\alpha, \\beta), \\quad
        \\alpha = 1 + \\lambda \\frac{m - a}{b - a}, \\quad
        \\beta = 1 + \\lambda \\frac{b - m}{b - a}

    with mean :math:`(a + \\lambda m + b) / (\\lambda + 2)`; the classic PERT
    uses :math:`\\lambda = 4`.
    """

    low: float
    mode: float
    high: float
    shape: float = 4.0

    def __post_init__(self) -> None:
        _require_ordered(self.low, self.mode, self.high)
        if self.shape <= 0:
            raise ValueError(f"shape must be > 0, got {self.shape}")

    def draw(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        width = self.high - self.low
        alpha = 1 + self.shape * (self.mode - self.low) / width
        beta = 1 + self.shape * (self.high - self.mode) / width
        return self.low + width * rng.beta(alpha, beta, size)


Distribution = Triangular | Uniform | Normal | LogNormal | Pert

#: A vectorised appraisal: maps each input name to its array of draws and
#: returns (PV of benefits, PV of costs), each an array with one value per draw
#: (or a scalar where it does not depend on the uncertain inputs).
AppraisalModel = Callable[[Mapping[str, NDArray[np.float64]]], tuple[ArrayLike, ArrayLike]]

_OUTPUT_COLUMNS = ("pv_benefits", "pv_costs", "npsv", "bcr")


@dataclass(frozen=True)
class MonteCarloResult:
    """Summary estimates and the draws they summarise."""

    estimates: list[Estimate]
    draws: pd.DataFrame


def _summary(values: NDArray[np.float64], term: str, method: str) -> list[Estimate]:
    p5, median, p95 = np.percentile(values, [5, 50, 95])
    n = len(values)
    return [
        Estimate(term, float(values.mean()), conf_low=float(p5), conf_high=float(p95), n=n, method=method),
        Estimate(f"{term}_median", float(median), conf_low=float(p5), conf_high=float(p95), n=n, method=method),
    ]


def simulate_appraisal(
    model: AppraisalModel,
    inputs: Mapping[str, Distribution | float],
    *,
    seed: int,
    n_draws: int = 100_000,
) -> MonteCarloResult:
    """Monte Carlo distribution of NPSV and BCR under uncertain inputs.

    For each draw :math:`k`, inputs :math:`x^{(k)}` are drawn independently,
    :math:`(PV_B^{(k)}, PV_C^{(k)}) = \\text{model}(x^{(k)})`,
    :math:`NPSV^{(k)} = PV_B^{(k)} - PV_C^{(k)}` and
    :math:`BCR^{(k)} = PV_B^{(k)} / PV_C^{(k)}`.

    Parameters
    ----------
    model : callable
        Vectorised appraisal: receives ``{name: array of n_draws draws}`` and
        returns ``(pv_benefits, pv_costs)`` (see :data:`AppraisalModel`).
        Build it from :func:`~evaluation.economics.discounting.present_value`
        or :func:`~evaluation.economics.discounting.discount_factors`.
    inputs : mapping of str to Distribution or float
        Each uncertain input's distribution; a float is held fixed. Inputs are
        drawn independently, in the mapping's order, from one generator, so the
        same seed and order reproduce the same draws.
    seed : int
        Seed for :func:`numpy.random.default_rng`; required so that published
        results can be reproduced.
    n_draws : int
        Number of draws (100,000 by default).

    Returns
    -------
    MonteCarloResult
        ``estimates``: tidy rows ``npsv``, ``npsv_median``, ``bcr``,
        ``bcr_median`` (estimate = mean or median; ``conf_low``/``conf_high`` =
        5th/95th percentiles of the draws, a 90% simulation interval, not a
        sampling confidence interval) and ``probability_npsv_positive``.
        ``draws``: one row per draw with every input and ``pv_benefits``,
        ``pv_costs``, ``npsv``, ``bcr``.

    Raises
    ------
    ValueError
        If the model returns arrays of the wrong length, or if any draw has PV
        costs <= 0 (the BCR is then undefined).

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A5 (Monte Carlo analysis).

    Examples
    --------
    >>> from evaluation.economics.discounting import discount_factors
    >>> annuity = float(discount_factors(range(5)).sum())
    >>> result = simulate_appraisal(
    ...     lambda x: (x["benefit"] * annuity, x["cost"]),
    ...     {"benefit": Triangular(80_000, 100_000, 150_000), "cost": 350_000.0},
    ...     seed=1,
    ... )
    >>> [e.term for e in result.estimates][-1]
    'probability_npsv_positive'
    """
    if n_draws < 1:
        raise ValueError(f"n_draws must be >= 1, got {n_draws}")
    clashes = sorted(set(inputs) & set(_OUTPUT_COLUMNS))
    if clashes:
        raise ValueError(f"input names {clashes} clash with output columns {_OUTPUT_COLUMNS}")
    rng = np.random.default_rng(seed)
    draws = {
        name: (
            np.full(n_draws, float(spec))
            if isinstance(spec, int | float)
            else np.asarray(spec.draw(rng, n_draws), dtype=float)
        )
        for name, spec in inputs.items()
    }
    outputs = model(draws)
    try:
        pv_benefits, pv_costs = (
            np.broadcast_to(np.asarray(value, dtype=float), (n_draws,)).copy() for value in outputs
        )
    except ValueError as error:
        raise ValueError(f"model must return two arrays of {n_draws} draws: {error}") from None
    npsv = np.asarray(net_present_social_value(pv_benefits, pv_costs), dtype=float)
    bcr = np.asarray(benefit_cost_ratio(pv_benefits, pv_costs), dtype=float)
    method = f"Monte Carlo, {n_draws} draws, seed {seed}; interval = 5th to 95th percentile"
    estimates = [
        *_summary(npsv, "npsv", method),
        *_summary(bcr, "bcr", method),
        Estimate("probability_npsv_positive", float(np.mean(npsv > 0)), n=n_draws, method=method),
    ]
    table = pd.DataFrame({**draws, "pv_benefits": pv_benefits, "pv_costs": pv_costs, "npsv": npsv, "bcr": bcr})
    return MonteCarloResult(estimates=estimates, draws=table)
