"""Value for money: what the programme cost, per participant, per completer and per unit of change.

Costs by item in one stated price base, facilitation bought by the day against the market day rate (the
counterfactual), and the cost of one scale point of gain for one completer (HM Treasury *Magenta Book* and
*Green Book*).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...economics.counterfactual import day_rate_saving
from ...tidy import Estimate
from .change import ALL_COHORTS


def cost_summary(costs: pd.DataFrame) -> pd.DataFrame:
    """Cost by item (GBP, stated price base), with a total row. Not about people."""
    years = sorted(costs["price_base_year"].dropna().unique())
    if len(years) > 1:
        raise ValueError(f"costs are in several price bases {years}; deflate them first (economics.deflate)")
    table = costs.groupby("cost_item", sort=True)["amount_gbp"].sum().rename("amount_gbp").reset_index()
    table = pd.concat(
        [table, pd.DataFrame([{"cost_item": "Total", "amount_gbp": table["amount_gbp"].sum()}])], ignore_index=True
    )
    table["price_base_year"] = int(years[0]) if years else pd.NA
    return table


def day_rate_comparison(costs: pd.DataFrame) -> list[Estimate]:
    """Facilitation bought by the day against the market day rate (the counterfactual).

    .. math:: S = \\sum_i d_i\\,(r_{\\text{market},i} - r_{\\text{actual},i})

    via :func:`evaluation.economics.counterfactual.day_rate_saving`, over cost lines with days and both rates.

    Returns
    -------
    list of Estimate
        ``days``, ``cost_at_actual_rate``, ``cost_at_market_rate``, ``day_rate_saving`` (GBP) and
        ``saving_share`` (saving / market cost). ``n`` is 0: not about people.
    """
    lines = costs.dropna(subset=["days", "day_rate_gbp", "market_day_rate_gbp"])
    days = lines["days"].to_numpy(dtype=float)
    actual = float((days * lines["day_rate_gbp"].to_numpy(dtype=float)).sum())
    market = float((days * lines["market_day_rate_gbp"].to_numpy(dtype=float)).sum())
    saving = float(
        np.sum(
            day_rate_saving(
                days, lines["day_rate_gbp"].to_numpy(dtype=float), lines["market_day_rate_gbp"].to_numpy(dtype=float)
            )
        )
    )
    method = "day rate paid against market day rate (counterfactual), GBP"
    return [
        Estimate("days", float(days.sum()), method="days bought", group="facilitation"),
        Estimate("cost_at_actual_rate", actual, method=method, group="facilitation"),
        Estimate("cost_at_market_rate", market, method=method, group="facilitation"),
        Estimate("day_rate_saving", saving, method=method, group="facilitation"),
        Estimate(
            "saving_share", saving / market if market else math.nan, method="saving / market cost", group="facilitation"
        ),
    ]


def value_for_money(costs: pd.DataFrame, participants: pd.DataFrame, change: Estimate) -> list[Estimate]:
    """Cost per participant, per completer and per point of change gained.

    .. math::

        \\frac{C}{N_\\text{enrolled}}, \\qquad \\frac{C}{N_\\text{completed}}, \\qquad
        \\frac{C / N_\\text{completed}}{\\bar\\Delta}

    The last is the cost of one scale point of gain for one completer; its interval is
    :math:`[C/(N\\Delta_{high}), C/(N\\Delta_{low})]` from the change's interval (a monotone transformation),
    unbounded (NaN) when the change's interval reaches zero.

    Parameters
    ----------
    costs : pandas.DataFrame
        ``programme_costs`` (one price base).
    participants : pandas.DataFrame
        The roster.
    change : Estimate
        The mean change per completer with its interval, e.g. the pooled mixed-model confidence change.

    Returns
    -------
    list of Estimate
        ``total_cost``, ``cost_per_participant``, ``cost_per_completer`` and ``cost_per_point_gained`` (GBP).
        ``n`` of the per-completer figures is the smaller of completers and non-completers (with the enrolled
        count published, cost per completer reveals both).

    References
    ----------
    HM Treasury (2020). *Magenta Book*, ch. 3 (value for money); HM Treasury (2022). *The Green Book*
    (cost-effectiveness analysis).
    """
    total = float(costs["amount_gbp"].sum())
    enrolled = len(participants)
    completed = int(participants["completed_on"].notna().sum())
    smallest = min(completed, enrolled - completed)
    year = ", ".join(str(int(y)) for y in sorted(costs["price_base_year"].dropna().unique()))
    prices = f"GBP, {year} prices"
    rows = [
        Estimate("total_cost", total, method=prices, group=ALL_COHORTS),
        Estimate(
            "cost_per_participant",
            total / enrolled if enrolled else math.nan,
            n=enrolled,
            method=f"{prices}; total cost / enrolled",
            group=ALL_COHORTS,
        ),
        Estimate(
            "cost_per_completer",
            total / completed if completed else math.nan,
            n=smallest,
            method=f"{prices}; total cost / completers",
            group=ALL_COHORTS,
        ),
    ]
    per_completer = total / completed if completed else math.nan
    gain = change.estimate
    low = per_completer / change.conf_high if change.conf_high > 0 else math.nan
    high = per_completer / change.conf_low if change.conf_low > 0 else math.nan
    rows.append(
        Estimate(
            "cost_per_point_gained",
            per_completer / gain if gain > 0 else math.nan,
            conf_low=low,
            conf_high=high,
            n=min(smallest, change.n),
            method=f"{prices}; cost per completer / mean change ({change.group or change.term})",
            group=ALL_COHORTS,
        )
    )
    return rows
