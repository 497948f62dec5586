"""Savings measured against what the same outcome would otherwise have cost.

A value-for-money case often rests on a counterfactual cost: what buyers would
have paid for the same output without the programme (the market day rate for
the same training, one bilateral agreement per pair of councils instead of one
shared agreement). The saving is the counterfactual cost less the actual cost,
both for the same output and in the same prices.

Reference: HM Treasury (2022) *The Green Book*, the counterfactual
("business as usual") option against which every option is appraised.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def saving_against_counterfactual(
    counterfactual_cost: ArrayLike, actual_cost: ArrayLike
) -> float | NDArray[np.float64]:
    """Saving of the actual cost against the counterfactual cost of the same output.

    .. math:: S = C_{\\text{counterfactual}} - C_{\\text{actual}}

    Parameters
    ----------
    counterfactual_cost : float or array_like
        What the same output would have cost without the programme.
    actual_cost : float or array_like
        What it did cost, in the same prices.

    Returns
    -------
    float or numpy.ndarray
        Positive when the programme was cheaper; negative when it cost more.

    References
    ----------
    HM Treasury (2022) *The Green Book*, the counterfactual option.

    Examples
    --------
    >>> saving_against_counterfactual(1_000_000, 700_000)
    300000.0
    """
    saving = np.asarray(counterfactual_cost, dtype=float) - np.asarray(actual_cost, dtype=float)
    return float(saving) if saving.ndim == 0 else saving


def day_rate_saving(
    days: ArrayLike, actual_day_rate: ArrayLike, market_day_rate: ArrayLike
) -> float | NDArray[np.float64]:
    """Saving from buying days of work below the market day rate.

    .. math:: S = d \\, (r_{\\text{market}} - r_{\\text{actual}})

    Parameters
    ----------
    days : float or array_like
        Days of work bought.
    actual_day_rate : float or array_like
        Day rate paid.
    market_day_rate : float or array_like
        Day rate the market charges for the same work (the counterfactual).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    A leadership programme bought at £650 a day against a £900 market rate
    saves £250 a day:

    >>> day_rate_saving(days=10, actual_day_rate=650, market_day_rate=900)
    2500.0
    """
    days_bought = np.asarray(days, dtype=float)
    if np.any(days_bought < 0):
        raise ValueError("days must be >= 0")
    return saving_against_counterfactual(
        days_bought * np.asarray(market_day_rate, dtype=float),
        days_bought * np.asarray(actual_day_rate, dtype=float),
    )


def bilateral_agreement_count(parties: int) -> int:
    """Number of agreements needed if every pair of parties signs its own.

    .. math:: n(n - 1) / 2

    Parameters
    ----------
    parties : int
        Number of parties (e.g. local authorities) that share data.

    Returns
    -------
    int

    Examples
    --------
    >>> bilateral_agreement_count(33)  # 32 London boroughs and the City of London
    528
    """
    if parties < 0 or int(parties) != parties:
        raise ValueError(f"parties must be a whole number >= 0, not {parties}")
    parties = int(parties)
    return parties * (parties - 1) // 2


def shared_agreement_saving(parties: int, cost_per_agreement: float, shared_agreement_cost: float) -> float:
    """Saving of one shared agreement against an agreement for every pair of parties.

    .. math:: S = \\frac{n(n - 1)}{2} c - c_{\\text{shared}}

    Parameters
    ----------
    parties : int
        Number of parties covered by the shared agreement.
    cost_per_agreement : float
        Cost of drafting and agreeing one bilateral agreement.
    shared_agreement_cost : float
        Cost of the single shared agreement, in the same prices.

    Returns
    -------
    float

    Examples
    --------
    >>> shared_agreement_saving(4, cost_per_agreement=2_000, shared_agreement_cost=5_000)
    7000.0
    """
    return float(
        saving_against_counterfactual(bilateral_agreement_count(parties) * cost_per_agreement, shared_agreement_cost)
    )
