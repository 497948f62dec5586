"""Appraise projects from a long table of costs and benefits.

Each row of the input is one flow: a cost or benefit of a project in one year,
borne (or received) by one organisation, cashable or not, stated in the prices
of a given year. The appraisal re-expresses every flow in one year's real
prices, discounts it to the appraisal base year, and reports present values by
who bears them and by cashability, with the headline NPSV and BCR of each
project as tidy :class:`~evaluation.tidy.Estimate` rows.

Cashable flows change an organisation's budget (a contract no longer paid);
non-cashable flows are real but free up resources rather than money (staff
time saved). Keeping them apart lets a value-for-money case state how much of
its benefit a budget holder can actually bank.

Reference: HM Treasury (2022) *The Green Book*; Annex A6 for discounting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from evaluation.economics.deflate import (
    financial_year_label,
    financial_year_start,
    financial_year_starts,
    to_real_prices,
)
from evaluation.economics.discounting import (
    Schedule,
    benefit_cost_ratio,
    discount_factors,
    net_present_social_value,
)
from evaluation.tidy import Estimate

#: Columns every flows table must have.
FLOW_COLUMNS: tuple[str, ...] = (
    "project",
    "year",
    "type",
    "amount",
    "price_base_year",
    "bearer",
    "cashable",
)

FLOW_TYPES: tuple[str, ...] = ("cost", "benefit")


def _raise_for_first(flows: pd.DataFrame, bad: ArrayLike, problem: str) -> None:
    flags = np.asarray(bad, dtype=bool)
    if flags.any():
        position = int(np.argmax(flags))
        raise ValueError(f"row {flows.index[position]!r}: {problem}")


def _validate(flows: pd.DataFrame) -> None:
    missing = [column for column in FLOW_COLUMNS if column not in flows.columns]
    if missing:
        raise ValueError(f"flows has no column(s) {missing}; required: {list(FLOW_COLUMNS)}")
    for column in ("project", "bearer"):
        _raise_for_first(flows, flows[column].isna(), f"{column} is missing")
    _raise_for_first(flows, ~flows["type"].isin(FLOW_TYPES), f"type must be one of {list(FLOW_TYPES)}")
    amounts = pd.to_numeric(flows["amount"], errors="coerce").to_numpy(dtype=float)
    _raise_for_first(flows, ~np.isfinite(amounts), "amount must be a finite number")
    _raise_for_first(
        flows,
        [not isinstance(value, bool | np.bool_) for value in flows["cashable"]],
        "cashable must be True or False",
    )


def discount_flows(
    flows: pd.DataFrame,
    *,
    base_year: int | str,
    price_base_year: int | str | None = None,
    schedule: Schedule = "standard",
    deflator: pd.Series | None = None,
) -> pd.DataFrame:
    """Real-terms present value of every flow.

    .. math:: PV_i = DF_{y_i - y_0} \\; a_i \\, D_{P} / D_{p_i}

    for flow :math:`i` of amount :math:`a_i` in year :math:`y_i`, stated in
    year-:math:`p_i` prices, with appraisal base year :math:`y_0`, real price
    base :math:`P`, GDP deflator :math:`D` and STPR discount factor :math:`DF`.

    Parameters
    ----------
    flows : pandas.DataFrame
        Long table with :data:`FLOW_COLUMNS`: ``project``, ``year`` (financial
        year of the flow, ``2024`` or ``"2024-25"``), ``type`` (``"cost"`` or
        ``"benefit"``), ``amount``, ``price_base_year`` (the year whose prices
        ``amount`` is in; the year of spending for cash amounts), ``bearer``
        (e.g. ``"boroughs"``, ``"GLA"``, ``"London Councils"``) and ``cashable``
        (bool).
    base_year : int or str
        Appraisal base year: year 0 of discounting.
    price_base_year : int or str, optional
        Financial year whose real prices the appraisal is stated in. If omitted,
        every flow must already be in one price base, which is kept.
    schedule : {"standard", "health"}
        STPR schedule.
    deflator : pandas.Series, optional
        GDP deflator by financial-year start; defaults to the shipped series.

    Returns
    -------
    pandas.DataFrame
        A copy of ``flows`` with ``amount`` in real prices, ``price_base_year``
        set to the real price base, and new columns ``years_from_base``,
        ``discount_factor`` and ``present_value``.

    Raises
    ------
    ValueError
        Naming the row: a missing column or value, an unknown type, a
        non-numeric amount, a non-boolean ``cashable``, mixed price bases
        without ``price_base_year``, a price year outside the deflator series,
        or a flow before the base year (sunk, so not appraised).

    References
    ----------
    HM Treasury (2022) *The Green Book*, real prices and Annex A6 (discounting).

    Examples
    --------
    >>> flows = pd.DataFrame({
    ...     "project": "pilot", "year": [2024, 2025], "type": ["cost", "benefit"],
    ...     "amount": [100.0, 103.5], "price_base_year": 2024, "bearer": "GLA",
    ...     "cashable": True,
    ... })
    >>> discount_flows(flows, base_year=2024)["present_value"].round(6).tolist()
    [100.0, 100.0]
    """
    _validate(flows)
    discounted = to_real_prices(flows, price_base_year, deflator=deflator)
    base = financial_year_start(base_year)
    offsets = financial_year_starts(flows["year"]) - base
    _raise_for_first(flows, offsets < 0, f"flow falls before the base year {base} (sunk: not appraised)")
    discounted["years_from_base"] = offsets
    discounted["discount_factor"] = discount_factors(offsets, schedule)
    discounted["present_value"] = discounted["amount"] * discounted["discount_factor"]
    return discounted


def present_value_table(discounted: pd.DataFrame, by: Sequence[str] = ("bearer", "cashable")) -> pd.DataFrame:
    """Present values of benefits and costs of each project, split by ``by``.

    Parameters
    ----------
    discounted : pandas.DataFrame
        Output of :func:`discount_flows`.
    by : sequence of str
        Columns to split each project by; by default who bears the flow and
        whether it is cashable.

    Returns
    -------
    pandas.DataFrame
        One row per project and ``by`` combination, with columns ``project``,
        ``*by``, ``pv_benefits``, ``pv_costs`` and ``net_present_value``
        (benefits less costs for that group; a bearer's net position).

    Examples
    --------
    >>> flows = pd.DataFrame({
    ...     "project": "pilot", "year": 2024, "type": ["cost", "benefit"],
    ...     "amount": [30.0, 50.0], "price_base_year": 2024,
    ...     "bearer": ["boroughs", "GLA"], "cashable": [True, False],
    ... })
    >>> table = present_value_table(discount_flows(flows, base_year=2024), by=["bearer"])
    >>> table[["bearer", "pv_benefits", "pv_costs"]].values.tolist()
    [['GLA', 50.0, 0.0], ['boroughs', 0.0, 30.0]]
    """
    keys = ["project", *by]
    table = (
        discounted.pivot_table(index=keys, columns="type", values="present_value", aggfunc="sum", fill_value=0.0)
        .reindex(columns=list(FLOW_TYPES), fill_value=0.0)
        .rename(columns={"cost": "pv_costs", "benefit": "pv_benefits"})
        .reset_index()
    )
    table.columns.name = None
    table["net_present_value"] = table["pv_benefits"] - table["pv_costs"]
    return table[[*keys, "pv_benefits", "pv_costs", "net_present_value"]]


@dataclass(frozen=True)
class Appraisal:
    """A project appraisal: discounted flows, present-value table and headline estimates."""

    flows: pd.DataFrame
    present_values: pd.DataFrame
    estimates: list[Estimate]


def appraise(
    flows: pd.DataFrame,
    *,
    base_year: int | str,
    price_base_year: int | str | None = None,
    schedule: Schedule = "standard",
    deflator: pd.Series | None = None,
    by: Sequence[str] = ("bearer", "cashable"),
) -> Appraisal:
    """Appraise each project in a long table of flows.

    .. math:: NPSV = PV_B - PV_C, \\qquad BCR = PV_B / PV_C

    with present values from :func:`discount_flows`.

    Parameters
    ----------
    flows : pandas.DataFrame
        Long table with :data:`FLOW_COLUMNS` (see :func:`discount_flows`).
    base_year, price_base_year, schedule, deflator
        As for :func:`discount_flows`.
    by : sequence of str
        Split of the present-value table (see :func:`present_value_table`).

    Returns
    -------
    Appraisal
        ``flows``: output of :func:`discount_flows`; ``present_values``: output
        of :func:`present_value_table`; ``estimates``: for each project
        (``group``) the terms ``pv_benefits``, ``pv_costs``, ``npsv`` and
        ``bcr``, with ``n`` the number of flows and ``method`` stating the STPR
        schedule, real price base and discount base year.

    Raises
    ------
    ValueError
        As for :func:`discount_flows`, and if a project's PV of costs is zero
        or negative (its BCR is undefined).

    References
    ----------
    HM Treasury (2022) *The Green Book*, NPSV and BCR as the headline measures.

    Examples
    --------
    >>> flows = pd.DataFrame({
    ...     "project": "pilot", "year": 2024, "type": ["cost", "benefit"],
    ...     "amount": [40.0, 60.0], "price_base_year": 2024, "bearer": "GLA",
    ...     "cashable": True,
    ... })
    >>> result = appraise(flows, base_year=2024)
    >>> [(e.term, e.estimate) for e in result.estimates]
    [('pv_benefits', 60.0), ('pv_costs', 40.0), ('npsv', 20.0), ('bcr', 1.5)]
    """
    discounted = discount_flows(
        flows,
        base_year=base_year,
        price_base_year=price_base_year,
        schedule=schedule,
        deflator=deflator,
    )
    estimates: list[Estimate] = []
    for project, rows in discounted.groupby("project", sort=True):
        pv = rows.groupby("type")["present_value"].sum()
        pv_benefits, pv_costs = float(pv.get("benefit", 0.0)), float(pv.get("cost", 0.0))
        if pv_costs <= 0:
            raise ValueError(f"project {project!r}: PV of costs is {pv_costs}, so BCR is undefined")
        method = (
            f"Green Book; STPR {schedule}; "
            f"real {financial_year_label(int(rows['price_base_year'].iloc[0]))} prices; "
            f"discounted to {financial_year_label(financial_year_start(base_year))}"
        )
        values = {
            "pv_benefits": pv_benefits,
            "pv_costs": pv_costs,
            "npsv": float(net_present_social_value(pv_benefits, pv_costs)),
            "bcr": float(benefit_cost_ratio(pv_benefits, pv_costs)),
        }
        estimates += [
            Estimate(term, value, n=len(rows), method=method, group=str(project)) for term, value in values.items()
        ]
    return Appraisal(
        flows=discounted,
        present_values=present_value_table(discounted, by),
        estimates=estimates,
    )
