"""Green Book discounting and headline value-for-money measures.

Discounting converts real amounts in future years to present values with the
Social Time Preference Rate (STPR); NPSV and BCR summarise a proposal; optimism
bias, switching values and break-even counts test how far the conclusion holds.

Years are whole-year offsets from the appraisal base year (year 0, the present,
is not discounted). Every function accepts NumPy arrays as well as scalars, so
the same code serves single appraisals and Monte Carlo draws.

Reference: HM Treasury (2022) *The Green Book*, Annex A6 (Discounting); HM
Treasury (2013) *Green Book Supplementary Guidance: Optimism Bias*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

Schedule = Literal["standard", "health"]

#: STPR bands as (first year of band, annual rate), Green Book Annex A6, Table 8.
#: Years 0-30 at 3.5%, 31-75 at 3.0%, 76-125 at 2.5%, 126-200 at 2.0%,
#: 201-300 at 1.5% and 1.0% beyond. The health schedule (for health effects
#: valued in QALYs) excludes the wealth effect, starting at 1.5%.
STPR_BANDS: dict[str, tuple[tuple[int, float], ...]] = {
    "standard": ((0, 0.035), (31, 0.030), (76, 0.025), (126, 0.020), (201, 0.015), (301, 0.010)),
    "health": ((0, 0.015), (31, 0.0129), (76, 0.0107), (126, 0.0086), (201, 0.0064), (301, 0.0043)),
}


def _as_years(years: ArrayLike) -> NDArray[np.int64]:
    values = np.asarray(years)
    if values.size and not np.all(np.equal(np.mod(values, 1), 0)):
        raise ValueError("years must be whole-year offsets from the appraisal base year")
    whole = values.astype(np.int64)
    if values.size and whole.min() < 0:
        raise ValueError(
            "years must be >= 0: flows before the appraisal base year are sunk "
            "(Green Book) and are not discounted forward"
        )
    return whole


def _scalar_or_array(values: NDArray[np.float64]) -> float | NDArray[np.float64]:
    return float(values) if values.ndim == 0 else values


def stpr(years: ArrayLike, schedule: Schedule = "standard") -> NDArray[np.float64]:
    """Social Time Preference Rate that applies in each year.

    Parameters
    ----------
    years : array_like of int
        Years from the appraisal base year (>= 0).
    schedule : {"standard", "health"}
        The standard STPR, or the health rate for health effects.

    Returns
    -------
    numpy.ndarray
        Annual rate (as a fraction) in force in each year, same shape as ``years``.

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A6, Table 8.

    Examples
    --------
    >>> stpr([30, 31, 76, 301]).tolist()
    [0.035, 0.03, 0.025, 0.01]
    """
    if schedule not in STPR_BANDS:
        raise ValueError(f"schedule must be one of {sorted(STPR_BANDS)}, not {schedule!r}")
    starts, rates = zip(*STPR_BANDS[schedule], strict=True)
    band = np.searchsorted(np.asarray(starts), _as_years(years), side="right") - 1
    return np.asarray(rates)[band]


def discount_factors(years: ArrayLike, schedule: Schedule = "standard") -> NDArray[np.float64]:
    """Green Book discount factors, cumulative across STPR bands.

    .. math:: DF_0 = 1, \\qquad DF_t = \\prod_{i=1}^{t} \\frac{1}{1 + r_i}

    where :math:`r_i` is the STPR in force in year :math:`i`. A lower rate in a
    later band applies on top of the factor already reached, so
    :math:`DF_{31} = 1.035^{-30} / 1.03` rather than :math:`1.03^{-31}`.

    Parameters
    ----------
    years : array_like of int
        Years from the appraisal base year (>= 0).
    schedule : {"standard", "health"}
        STPR schedule (see :data:`STPR_BANDS`).

    Returns
    -------
    numpy.ndarray
        Discount factor for each year, same shape as ``years``.

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A6.

    Examples
    --------
    >>> round(float(discount_factors(10)), 5)
    0.70892
    >>> round(float(discount_factors(31)), 6) == round(1.035**-30 / 1.03, 6)
    True
    """
    whole = _as_years(years)
    horizon = int(whole.max()) if whole.size else 0
    # Cumulative log factors up to the horizon: one pass, exact across band changes.
    log_factors = np.concatenate(([0.0], -np.cumsum(np.log1p(stpr(np.arange(1, horizon + 1), schedule)))))
    return np.exp(log_factors[whole])


def present_value(
    amounts: ArrayLike,
    years: ArrayLike | None = None,
    schedule: Schedule = "standard",
) -> float | NDArray[np.float64]:
    """Present value of a series of real amounts.

    .. math:: PV = \\sum_t DF_t \\, a_t

    Parameters
    ----------
    amounts : array_like
        Real amounts, one per year along the last axis. A 2-D array (e.g. one
        row per Monte Carlo draw) gives one present value per row.
    years : array_like of int, optional
        Year offset of each column from the appraisal base year; defaults to
        ``0, 1, 2, ...`` (the first amount falls in the base year).
    schedule : {"standard", "health"}
        STPR schedule.

    Returns
    -------
    float or numpy.ndarray

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A6.

    Examples
    --------
    >>> round(present_value([100, 100, 100]), 2)  # 100 + 100/1.035 + 100/1.035**2
    289.97
    """
    values = np.asarray(amounts, dtype=float)
    offsets = np.arange(values.shape[-1]) if years is None else np.asarray(years)
    if offsets.shape != values.shape[-1:]:
        raise ValueError(f"{values.shape[-1]} amounts per series but {offsets.size} years were given")
    return _scalar_or_array(values @ discount_factors(offsets, schedule))


def net_present_social_value(pv_benefits: ArrayLike, pv_costs: ArrayLike) -> float | NDArray[np.float64]:
    """Net Present Social Value: present value of benefits less that of costs.

    .. math:: NPSV = PV_B - PV_C

    Parameters
    ----------
    pv_benefits, pv_costs : float or array_like
        Present values, both in the same real base-year prices.

    Returns
    -------
    float or numpy.ndarray

    References
    ----------
    HM Treasury (2022) *The Green Book*, NPSV and BCR as the headline measures.

    Examples
    --------
    >>> net_present_social_value(1_400_000, 300_000)
    1100000.0
    """
    return _scalar_or_array(np.asarray(pv_benefits, dtype=float) - np.asarray(pv_costs, dtype=float))


def benefit_cost_ratio(pv_benefits: ArrayLike, pv_costs: ArrayLike) -> float | NDArray[np.float64]:
    """Benefit-Cost Ratio: present value of benefits per pound of present-value cost.

    .. math:: BCR = PV_B / PV_C

    Parameters
    ----------
    pv_benefits, pv_costs : float or array_like
        Present values, both in the same real base-year prices.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If any ``pv_costs`` is zero or negative. The ratio is then undefined
        (or ranks proposals the wrong way round), so report the NPSV instead
        rather than an infinite or negative BCR.

    References
    ----------
    HM Treasury (2022) *The Green Book*, NPSV and BCR as the headline measures.

    Examples
    --------
    >>> benefit_cost_ratio(450_000, 300_000)
    1.5
    """
    costs = np.asarray(pv_costs, dtype=float)
    if np.any(costs <= 0):
        raise ValueError("BCR is undefined when PV costs are zero or negative; report the NPSV")
    return _scalar_or_array(np.asarray(pv_benefits, dtype=float) / costs)


@dataclass(frozen=True)
class OptimismBiasBounds:
    """Upper and lower optimism-bias adjustments (percent) for one project type.

    The upper bound is the historical average overrun to apply at the start of
    appraisal; it is reduced towards the lower bound as the risks that cause
    overruns are mitigated and evidenced.
    """

    works_duration_upper: float
    works_duration_lower: float
    capital_expenditure_upper: float
    capital_expenditure_lower: float


#: Optimism-bias bounds, percent, from HM Treasury (2013) *Green Book
#: Supplementary Guidance: Optimism Bias*, Table 1 (after Mott MacDonald 2002,
#: *Review of Large Public Procurement in the UK*). IT, digital and data projects
#: are "equipment_development". Outsourcing projects (41% upper, 0% lower) are
#: omitted because their bounds apply to operating, not capital, expenditure.
OPTIMISM_BIAS_BOUNDS: dict[str, OptimismBiasBounds] = {
    "standard_buildings": OptimismBiasBounds(4, 1, 24, 2),
    "non_standard_buildings": OptimismBiasBounds(39, 2, 51, 4),
    "standard_civil_engineering": OptimismBiasBounds(20, 1, 44, 3),
    "non_standard_civil_engineering": OptimismBiasBounds(25, 3, 66, 6),
    "equipment_development": OptimismBiasBounds(54, 10, 200, 10),
}


def optimism_bias_uplift(costs: ArrayLike, percent: float) -> float | NDArray[np.float64]:
    """Costs uplifted for optimism bias.

    .. math:: C^{\\text{adjusted}} = C \\, (1 + OB / 100)

    Parameters
    ----------
    costs : float or array_like
        Costs (or present values of costs) before adjustment.
    percent : float
        Optimism-bias uplift in percent, between the lower and upper bounds for
        the project type (see :data:`OPTIMISM_BIAS_BOUNDS`), reduced from the
        upper bound only as far as mitigation is evidenced.

    Returns
    -------
    float or numpy.ndarray

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A5 (risk and optimism bias);
    HM Treasury (2013) *Supplementary Guidance: Optimism Bias*.

    Examples
    --------
    >>> bounds = OPTIMISM_BIAS_BOUNDS["equipment_development"]
    >>> optimism_bias_uplift(50_000, bounds.capital_expenditure_upper)
    150000.0
    """
    if percent < 0:
        raise ValueError(f"optimism bias is an uplift: percent must be >= 0, not {percent}")
    return _scalar_or_array(np.asarray(costs, dtype=float) * (1 + percent / 100))


class SwitchingValues(NamedTuple):
    """How far benefits must fall, or costs rise, for the NPSV to reach zero.

    Negative values mean the NPSV is already negative: benefits would have to
    rise (or costs fall) by that much to break even.
    """

    benefits_fall: float
    benefits_fall_percent: float
    costs_rise: float
    costs_rise_percent: float


def switching_values(pv_benefits: float, pv_costs: float) -> SwitchingValues:
    """Switching values of total benefits and total costs.

    .. math::

        \\Delta B = \\Delta C = NPSV, \\qquad
        \\%\\Delta B = 100 \\, NPSV / PV_B, \\qquad
        \\%\\Delta C = 100 \\, NPSV / PV_C

    Parameters
    ----------
    pv_benefits, pv_costs : float
        Present values of benefits and costs.

    Returns
    -------
    SwitchingValues
        Absolute and percentage changes that bring the NPSV to zero. A
        percentage is NaN when its base (PV of benefits or costs) is zero.

    References
    ----------
    HM Treasury (2022) *The Green Book*, sensitivity analysis and switching values.

    Examples
    --------
    >>> values = switching_values(400_000, 300_000)
    >>> values.benefits_fall, values.benefits_fall_percent, round(values.costs_rise_percent, 2)
    (100000.0, 25.0, 33.33)
    """
    npsv = float(pv_benefits) - float(pv_costs)

    def percent_of(base: float) -> float:
        return 100 * npsv / base if base != 0 else math.nan

    return SwitchingValues(npsv, percent_of(float(pv_benefits)), npsv, percent_of(float(pv_costs)))


def break_even_count(pv_costs: float, value_per_incident: float) -> int:
    """Smallest number of avoided incidents whose value covers the costs.

    .. math:: n = \\lceil PV_C / v \\rceil

    For example, how many avoided cyber attacks pay for a security pilot.

    Parameters
    ----------
    pv_costs : float
        Present value of the costs to recover (>= 0).
    value_per_incident : float
        Value (in the same prices) of each avoided incident (> 0).

    Returns
    -------
    int

    Examples
    --------
    >>> break_even_count(250_000, 100_000)
    3
    >>> break_even_count(200_000, 200_000)
    1
    """
    if value_per_incident <= 0:
        raise ValueError(f"value_per_incident must be > 0, not {value_per_incident}")
    if pv_costs < 0:
        raise ValueError(f"pv_costs must be >= 0, not {pv_costs}")
    ratio = pv_costs / value_per_incident
    # Costs summed in floating point can land a hair above an exact multiple
    # ((0.1 + 0.2) / 0.1 = 3.0000000000000004); that must not need an extra incident.
    nearest = round(ratio)
    return int(nearest) if math.isclose(ratio, nearest, rel_tol=1e-12) else math.ceil(ratio)
