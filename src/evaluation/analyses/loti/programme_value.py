"""Value for money of the whole LOTI programme against its core funding: member fees, GLA and London Councils.

Every project's costs and benefits plus the core funding that keeps LOTI running, appraised together
(:func:`~.value.appraise_value_for_money`), with the net value of projects per pound of core funding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...economics.discounting import Schedule
from ...tidy import Estimate
from .value import ValueForMoney, appraise_value_for_money, project_flows

#: Annual core funding of LOTI besides the member fees (GBP, nominal).
GLA_ANNUAL_GBP = 100_000.0
LONDON_COUNCILS_ANNUAL_GBP = 100_000.0
CORE_FUNDING = "LOTI core funding"


def core_funding_flows(
    membership: pd.DataFrame,
    *,
    last_year: int,
    first_year: int | None = None,
    gla_annual: float = GLA_ANNUAL_GBP,
    london_councils_annual: float = LONDON_COUNCILS_ANNUAL_GBP,
) -> pd.DataFrame:
    """LOTI's annual core funding as cost flows: member fees, GLA and London Councils contributions.

    Each member pays ``annual_fee_gbp`` pro rata to the months of the calendar year it is a member
    (from the month it joins; to the month before it leaves). The GLA and London Councils pay their
    full annual contributions in every year from ``first_year`` (default: the year the first member
    joined) to ``last_year``. Amounts are nominal, so each flow's price base is its own year.

    Returns
    -------
    pandas.DataFrame
        Flow columns (``project`` = :data:`CORE_FUNDING`, ``type`` "cost", ``cashable`` True,
        ``bearer`` Boroughs, GLA or London Councils) plus ``category``; one row per year and bearer.

    Examples
    --------
    >>> members = pd.DataFrame({"authority_code": ["A"], "joined_on": pd.to_datetime(["2023-07-01"]),
    ...     "left_on": [pd.NaT], "annual_fee_gbp": [30_000.0]})
    >>> core_funding_flows(members, last_year=2024).groupby("bearer")["amount"].sum().to_dict()
    {'Boroughs': 45000.0, 'GLA': 200000.0, 'London Councils': 200000.0}
    """
    joined = pd.to_datetime(membership["joined_on"])
    start = int(joined.dt.year.min()) if first_year is None else int(first_year)
    if last_year < start:
        raise ValueError(f"last_year {last_year} is before the first funding year {start}")
    rows = []
    for year in range(start, last_year + 1):
        fees = 0.0
        for _, member in membership.iterrows():
            first_month = pd.Timestamp(member["joined_on"]).to_period("M")
            left = member.get("left_on")
            end_month = pd.Timestamp(left).to_period("M") if pd.notna(left) else pd.Period(f"{last_year + 1}-01", "M")
            months = sum(1 for m in range(1, 13) if first_month <= pd.Period(f"{year}-{m:02d}", "M") < end_month)
            fees += float(member["annual_fee_gbp"]) * months / 12
        rows += [
            (year, "Boroughs", fees, "Member authority fees"),
            (year, "GLA", float(gla_annual), "GLA contribution"),
            (year, "London Councils", float(london_councils_annual), "London Councils contribution"),
        ]
    frame = pd.DataFrame(rows, columns=["year", "bearer", "amount", "category"])
    frame = frame[frame["amount"] > 0]
    return pd.DataFrame(
        {
            "project": CORE_FUNDING,
            "year": frame["year"],
            "type": "cost",
            "amount": frame["amount"],
            "price_base_year": frame["year"],
            "bearer": frame["bearer"],
            "cashable": True,
            "category": frame["category"],
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class ProgrammeValue:
    """Value for money of the whole programme against its core funding.

    Attributes
    ----------
    appraisal : ValueForMoney
        All projects' flows plus core funding, appraised together.
    by_project : pandas.DataFrame
        Each project's PV of benefits and costs, NPSV and BCR on the same basis, plus the core funding row.
    estimates : list of Estimate
        ``programme_*`` rows: PV of benefits, project costs, core funding, NPSV, BCR, the net value
        of projects per pound of core funding, and (when some benefits are unsupported by the impact
        evidence) the NPSV and BCR without them.
    """

    appraisal: ValueForMoney
    by_project: pd.DataFrame
    estimates: list[Estimate]


def programme_value_for_money(
    costs_benefits: pd.DataFrame,
    funding: pd.DataFrame,
    *,
    price_base_year: int,
    schedule: Schedule = "standard",
    unsupported_projects: Sequence[str] = (),
) -> ProgrammeValue:
    """Appraise every project and LOTI's core funding together, discounted to the programme's first year.

    Costs are the projects' recorded costs **plus** the core funding (member fees, GLA, London
    Councils). Counting both is conservative: where a project cost is paid out of the core funding
    it is counted twice, which understates the BCR. The net value of projects per pound of core
    funding, :math:`(PV_B - PV_{C,projects}) / PV_{core}`, says what the programme returns on the
    money that keeps LOTI running.

    Parameters
    ----------
    costs_benefits : pandas.DataFrame
        The ``costs_benefits`` table (all projects).
    funding : pandas.DataFrame
        Output of :func:`core_funding_flows`.
    price_base_year : int
        Real price base.
    schedule : {"standard", "health"}
    unsupported_projects : sequence of str
        Projects whose benefits the impact evidence does not support; a sensitivity drops their benefits.

    Returns
    -------
    ProgrammeValue
    """
    flows = pd.concat([project_flows(costs_benefits), funding], ignore_index=True)
    year0 = int(flows["year"].min())
    total = appraise_value_for_money(
        flows, price_base_year=price_base_year, discount_year=year0, schedule=schedule, label="LOTI programme"
    )
    pv = total.flows.pivot_table(
        index="source", columns="type", values="present_value", aggfunc="sum", fill_value=0.0
    ).reindex(columns=["benefit", "cost"], fill_value=0.0)
    by_project = pd.DataFrame(
        {"project": list(pv.index), "pv_benefits": pv["benefit"].to_numpy(), "pv_costs": pv["cost"].to_numpy()}
    )
    by_project["npsv"] = by_project["pv_benefits"] - by_project["pv_costs"]
    by_project["bcr"] = np.where(
        by_project["pv_costs"] > 0,
        by_project["pv_benefits"] / by_project["pv_costs"].where(by_project["pv_costs"] > 0),
        np.nan,
    )
    pv_b = float(by_project["pv_benefits"].sum())
    pv_core = float(by_project.loc[by_project["project"] == CORE_FUNDING, "pv_costs"].sum())
    pv_projects = float(by_project.loc[by_project["project"] != CORE_FUNDING, "pv_costs"].sum())
    method = (
        f"{total.estimates[0].method}; costs = project costs + core funding (member fees, GLA, London "
        "Councils), conservative where project costs are paid from core funding"
    )
    label = "LOTI programme"
    estimates = [
        Estimate("programme_pv_benefits", pv_b, method=method, group=label, n=len(flows)),
        Estimate("programme_pv_project_costs", pv_projects, method=method, group=label),
        Estimate("programme_pv_core_funding", pv_core, method=method, group=label),
        Estimate("programme_npsv", pv_b - pv_projects - pv_core, method=method, group=label),
        Estimate("programme_bcr", pv_b / (pv_projects + pv_core), method=method, group=label),
        Estimate(
            "programme_net_value_per_pound_of_core_funding",
            (pv_b - pv_projects) / pv_core,
            method="(PV benefits - PV project costs) / PV core funding",
            group=label,
        ),
    ]
    unsupported = [p for p in unsupported_projects if p in set(by_project["project"])]
    if unsupported:
        removed = float(by_project.loc[by_project["project"].isin(unsupported), "pv_benefits"].sum())
        note = f"{method}; benefits of {', '.join(unsupported)} removed (not supported by impact evidence)"
        estimates += [
            Estimate(
                "programme_npsv_evidence_adjusted", pv_b - removed - pv_projects - pv_core, method=note, group=label
            ),
            Estimate(
                "programme_bcr_evidence_adjusted", (pv_b - removed) / (pv_projects + pv_core), method=note, group=label
            ),
        ]
    return ProgrammeValue(total, by_project, estimates)
