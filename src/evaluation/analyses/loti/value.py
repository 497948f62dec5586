"""Value for money of a LOTI project and of the programme against its core funding (HM Treasury Green Book).

Real prices in a stated base year, STPR discounting, NPSV and BCR, optimism bias, switching values,
break-even counts, a seeded Monte Carlo, and a sensitivity without the benefits the evidence does not support.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ...economics.appraisal import FLOW_COLUMNS, appraise
from ...economics.deflate import financial_year_label
from ...economics.discounting import (
    Schedule,
    benefit_cost_ratio,
    break_even_count,
    optimism_bias_uplift,
    switching_values,
)
from ...economics.monte_carlo import MonteCarloResult, Triangular, simulate_appraisal
from ...presentation import numbers
from ...presentation.numbers import money
from ...tidy import NAN, Estimate
from .impact import ImpactResult

if TYPE_CHECKING:
    pass


#: When the appraisal is made: before the decision on forecast costs, or after, on outturn costs.
AppraisalStage = Literal["ex_ante", "ex_post"]

#: How each stage treats optimism bias, as the report says it.
STAGE_TREATMENT: dict[str, str] = {
    "ex_ante": (
        "ex ante appraisal on forecast costs: the central NPSV, BCR and switching values include the "
        "optimism bias adjustment (Green Book 2022, Annex A5; supplementary guidance on optimism bias)"
    ),
    "ex_post": (
        "ex post evaluation on outturn costs: no optimism bias adjustment in the central case (outturn "
        "costs already contain any overrun); an uplift is shown only as a sensitivity"
    ),
}

#: Annual core funding of LOTI besides the member fees (GBP, nominal).
GLA_ANNUAL_GBP = 100_000.0
LONDON_COUNCILS_ANNUAL_GBP = 100_000.0
CORE_FUNDING = "LOTI core funding"


def project_flows(costs_benefits: pd.DataFrame, project_id: str | None = None) -> pd.DataFrame:
    """The ``costs_benefits`` table in the flows layout of :mod:`evaluation.economics.appraisal`.

    Returns :data:`~evaluation.economics.appraisal.FLOW_COLUMNS` plus ``category``; one project's
    rows when ``project_id`` is given.
    """
    rows = costs_benefits if project_id is None else costs_benefits[costs_benefits["project_id"] == project_id]
    return pd.DataFrame(
        {
            "project": rows["project_id"].astype(object),
            "year": rows["year"].astype(int),
            "type": rows["flow"].astype(object),
            "amount": rows["amount_gbp"].astype(float),
            "price_base_year": rows["price_base_year"].astype(int),
            "bearer": rows["bearer"].astype(object),
            "cashable": rows["cashable"].astype(bool),
            "category": rows["category"].astype(object),
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class ValueForMoney:
    """A Green Book appraisal of one project (or the programme).

    Attributes
    ----------
    label : str
        What was appraised.
    estimates : list of Estimate
        ``pv_benefits``, ``pv_costs``, ``npsv``, ``bcr``; with optimism bias, ``pv_costs_optimism_bias``,
        ``npsv_optimism_bias`` and ``bcr_optimism_bias``; ``switching_benefits_fall_percent`` and
        ``switching_costs_rise_percent``; with a per-incident value, ``break_even_incidents``.
    present_values : pandas.DataFrame
        PV of benefits and costs by bearer and cashability.
    flows : pandas.DataFrame
        Every flow in real prices with its discount factor and present value.
    warnings : list of str
        Price-base conversions and anything else a reader must see.
    price_base_year, discount_year : int
        Real prices of the appraisal and the year discounted to.
    optimism_bias_percent : float
    stage : {"ex_ante", "ex_post"}
        Appraisal stage; ``ex_ante`` puts the optimism bias uplift in the central case.
    """

    label: str
    estimates: list[Estimate]
    present_values: pd.DataFrame
    flows: pd.DataFrame
    warnings: list[str]
    price_base_year: int
    discount_year: int
    optimism_bias_percent: float = 0.0
    stage: AppraisalStage = "ex_post"

    @property
    def central_costs_multiplier(self) -> float:
        """Factor on PV costs in the central case: the optimism bias uplift ex ante, 1 ex post."""
        return 1 + self.optimism_bias_percent / 100 if self.stage == "ex_ante" else 1.0

    def value(self, term: str) -> float:
        """The estimate of ``term`` (NaN if absent)."""
        return next((e.estimate for e in self.estimates if e.term == term), NAN)


def appraise_value_for_money(
    flows: pd.DataFrame,
    *,
    price_base_year: int | None,
    discount_year: int | None = None,
    schedule: Schedule = "standard",
    optimism_bias_percent: float = 0.0,
    value_per_incident: float | None = None,
    label: str | None = None,
    stage: AppraisalStage = "ex_post",
) -> ValueForMoney:
    """Green Book appraisal of a flows table treated as one project.


    Every flow is re-expressed in real ``price_base_year`` prices with the GDP deflator, discounted
    at the STPR to ``discount_year`` (default: the first year with a flow, so an evaluation that
    looks back counts every flow; a flow before ``discount_year`` is an error, being sunk), and
    summarised as

    .. math:: NPSV = PV_B - PV_C, \\quad BCR = PV_B / PV_C

    with PVs split by bearer and cashability. The appraisal ``stage`` is declared, because the
    Green Book treats optimism bias differently before and after the decision:

    - ``"ex_ante"`` (appraisal on forecast costs): PV costs are uplifted by
      ``optimism_bias_percent`` **in the central case**, so ``pv_costs``, ``npsv``, ``bcr``, the
      switching values, the break-even count and the Monte Carlo all include it
      (:math:`PV_C = (1 + OB/100) PV_C^{forecast}`); the unadjusted figures are kept as
      ``pv_costs_before_optimism_bias``, ``npsv_before_optimism_bias`` and
      ``bcr_before_optimism_bias``;
    - ``"ex_post"`` (evaluation on outturn costs): no uplift in the central case, which already
      contains any overrun; a positive ``optimism_bias_percent`` gives ``pv_costs_optimism_bias``,
      ``npsv_optimism_bias`` and ``bcr_optimism_bias`` as a sensitivity only.

    Switching values give how far benefits must fall (or costs rise) for the central NPSV to
    reach zero. With ``value_per_incident`` (in real base-year prices), the break-even count is the
    number of avoided incidents whose value covers the central PV costs. Every row's ``method``
    names the stage.

    Parameters
    ----------
    flows : pandas.DataFrame
        Output of :func:`project_flows` (or any table with the flow columns).
    price_base_year : int or None
        Real price base. None keeps the flows' own single price base and raises a clear
        ``ValueError`` if they mix price bases.
    discount_year : int, optional
        Year 0 of discounting.
    schedule : {"standard", "health"}
        STPR schedule.
    optimism_bias_percent : float
        Uplift of costs, in percent (0 for none).
    value_per_incident : float, optional
        Value of one avoided incident, for the break-even count; None or 0 (the notebook's default) for none.
    label : str, optional
        Name of what is appraised (default: the flows' project).
    stage : {"ex_ante", "ex_post"}
        Appraisal stage (see above); an evaluation looking back at outturn costs is ``"ex_post"``.

    Returns
    -------
    ValueForMoney

    Raises
    ------
    ValueError
        Mixed price bases without ``price_base_year`` (naming them), or what
        :func:`~evaluation.economics.appraisal.appraise` raises (e.g. PV costs of zero).

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A5 (optimism bias, switching values) and A6 (discounting).

    Examples
    --------
    >>> flows = pd.DataFrame({"project": "P", "year": [2023, 2024], "type": ["cost", "benefit"],
    ...     "amount": [100.0, 207.0], "price_base_year": 2023, "bearer": "GLA", "cashable": True})
    >>> vfm = appraise_value_for_money(flows, price_base_year=2023)
    >>> round(vfm.value("npsv"), 6), round(vfm.value("bcr"), 6)
    (100.0, 2.0)
    >>> ex_ante = appraise_value_for_money(flows, price_base_year=2023, stage="ex_ante", optimism_bias_percent=25)
    >>> round(ex_ante.value("npsv"), 6), round(ex_ante.value("bcr"), 6)  # costs 125 in the central case
    (75.0, 1.6)
    """
    if stage not in STAGE_TREATMENT:
        raise ValueError(f"stage must be 'ex_ante' or 'ex_post', not {stage!r}")
    if optimism_bias_percent < 0:
        raise ValueError(f"optimism bias is an uplift: optimism_bias_percent must be >= 0, not {optimism_bias_percent}")
    if flows.empty:
        raise ValueError("no costs or benefits recorded: value for money cannot be appraised")
    label = label or ", ".join(sorted(map(str, flows["project"].unique())))
    bases = sorted(int(b) for b in flows["price_base_year"].unique())
    warnings = []
    if price_base_year is None and len(bases) > 1:
        raise ValueError(
            f"{label}: costs and benefits are in mixed price bases ({', '.join(map(financial_year_label, bases))}) "
            "and no price base year was given, so they cannot be added up: pass price_base_year to convert them "
            "to one year's real prices with the GDP deflator"
        )
    real_base = bases[0] if price_base_year is None else int(price_base_year)
    converted = [b for b in bases if b != real_base]
    if converted:
        warnings.append(
            f"Amounts in {', '.join(map(financial_year_label, converted))} prices were converted to "
            f"{financial_year_label(real_base)} prices with the GDP deflator shipped with the workbench, whose values "
            "are approximate until refreshed (see evaluation/data/gdp_deflator.md)."
        )
    year0 = int(flows["year"].min()) if discount_year is None else int(discount_year)
    single = flows.assign(source=flows["project"], project=label)
    result = appraise(
        single[list(FLOW_COLUMNS) + [c for c in single.columns if c not in FLOW_COLUMNS]],
        base_year=year0,
        price_base_year=real_base,
        schedule=schedule,
    )
    pv_b, pv_c = (next(e.estimate for e in result.estimates if e.term == t) for t in ("pv_benefits", "pv_costs"))
    pv_c_ob = float(optimism_bias_uplift(pv_c, optimism_bias_percent))
    ob = f"costs uplifted by {optimism_bias_percent:g}% optimism bias"
    method = f"{result.estimates[0].method}; {STAGE_TREATMENT[stage].split(':')[0]}"
    if stage == "ex_ante":
        central_costs = pv_c_ob
        method += f"; {ob}" if optimism_bias_percent > 0 else "; no optimism bias uplift given (0%)"
        unadjusted = f"{result.estimates[0].method}; before the optimism bias uplift (sensitivity)"
        extra = (
            [
                Estimate("pv_costs_before_optimism_bias", pv_c, method=unadjusted, group=label),
                Estimate("npsv_before_optimism_bias", pv_b - pv_c, method=unadjusted, group=label),
                Estimate(
                    "bcr_before_optimism_bias", float(benefit_cost_ratio(pv_b, pv_c)), method=unadjusted, group=label
                ),
            ]
            if optimism_bias_percent > 0
            else []
        )
    else:
        central_costs = pv_c
        sensitivity = f"{method}; sensitivity: {ob}"
        extra = (
            [
                Estimate("pv_costs_optimism_bias", pv_c_ob, method=sensitivity, group=label),
                Estimate("npsv_optimism_bias", pv_b - pv_c_ob, method=sensitivity, group=label),
                Estimate(
                    "bcr_optimism_bias", float(benefit_cost_ratio(pv_b, pv_c_ob)), method=sensitivity, group=label
                ),
            ]
            if optimism_bias_percent > 0
            else []
        )
    central = {
        "pv_benefits": pv_b,
        "pv_costs": central_costs,
        "npsv": pv_b - central_costs,
        "bcr": float(benefit_cost_ratio(pv_b, central_costs)),
    }
    estimates = [replace(e, estimate=central[e.term], method=method, group=label) for e in result.estimates] + extra
    pv_c = central_costs
    values = switching_values(pv_b, pv_c)
    estimates += [
        Estimate(
            "switching_benefits_fall_percent",
            values.benefits_fall_percent,
            group=label,
            method="fall in PV benefits (percent) that brings the NPSV to zero; negative: rise needed",
        ),
        Estimate(
            "switching_costs_rise_percent",
            values.costs_rise_percent,
            group=label,
            method="rise in PV costs (percent) that brings the NPSV to zero; negative: fall needed",
        ),
    ]
    if value_per_incident is not None and value_per_incident > 0:
        estimates.append(
            Estimate(
                "break_even_incidents",
                float(break_even_count(pv_c, value_per_incident)),
                group=label,
                method=(
                    f"avoided incidents worth £{value_per_incident:,.0f} each "
                    f"({financial_year_label(real_base)} prices) needed to cover PV costs"
                ),
            )
        )
    return ValueForMoney(
        label,
        estimates,
        result.present_values.drop(columns="project"),
        result.flows,
        warnings,
        real_base,
        year0,
        optimism_bias_percent,
        stage,
    )


@dataclass(frozen=True)
class UncertaintyRanges:
    """Triangular ranges (low, most likely, high) of multipliers on central present values.

    Defaults are illustrative, to be replaced with project evidence: cashable benefits (budget
    lines that can be checked) -20% to +10%; non-cashable benefits (staff time and avoided work,
    valued by assumption, more often overstated than not) -50% to +20%; costs -10% to +10% around
    the central costs, which already carry any optimism-bias uplift (so overrun risk is not
    counted twice).
    """

    cashable_benefits: tuple[float, float, float] = (0.8, 1.0, 1.1)
    non_cashable_benefits: tuple[float, float, float] = (0.5, 1.0, 1.2)
    costs: tuple[float, float, float] = (0.9, 1.0, 1.1)

    def describe(self) -> str:
        def span(r: tuple[float, float, float]) -> str:
            return f"{100 * (r[0] - 1):+.0f}% to {100 * (r[2] - 1):+.0f}% (most likely {100 * (r[1] - 1):+.0f}%)"

        return (
            f"cashable benefits {span(self.cashable_benefits)}, non-cashable benefits "
            f"{span(self.non_cashable_benefits)}, costs {span(self.costs)}; triangular, independent"
        )


def simulate_value_for_money(
    vfm: ValueForMoney,
    *,
    seed: int,
    n_draws: int = 10_000,
    ranges: UncertaintyRanges = UncertaintyRanges(),
    fixed_costs: Sequence[str] = (),
) -> MonteCarloResult:
    """Monte Carlo distribution of NPSV and BCR: multipliers drawn on cashable and non-cashable benefits and costs.

    .. math::
        PV_B^{(k)} = m^{(k)}_{cb} PV_{cb} + m^{(k)}_{nb} PV_{nb}, \\qquad
        PV_C^{(k)} = m^{(k)}_{c} PV_C (1 + OB/100)

    where the optimism bias uplift applies only to an ex ante appraisal (the central case's costs).

    with the multipliers drawn from ``ranges`` by one seeded generator; costs of the sources named
    in ``fixed_costs`` (e.g. :data:`CORE_FUNDING`, known fees) are held fixed. Summaries: mean and
    median with the 5th-95th percentiles (a 90% simulation interval, not a confidence interval),
    and the probability that the NPSV is positive.
    """
    flows = vfm.flows
    benefits = flows[flows["type"] == "benefit"]
    pv_cashable = float(benefits.loc[benefits["cashable"], "present_value"].sum())
    pv_non_cashable = float(benefits.loc[~benefits["cashable"], "present_value"].sum())
    costs = flows[flows["type"] == "cost"]
    held = costs["source"].isin(list(fixed_costs)) if "source" in costs else np.zeros(len(costs), dtype=bool)
    pv_costs = float(costs.loc[~held, "present_value"].sum()) * vfm.central_costs_multiplier
    pv_fixed = float(costs.loc[held, "present_value"].sum())

    def model(x: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        return (
            x["cashable_benefits"] * pv_cashable + x["non_cashable_benefits"] * pv_non_cashable,
            x["costs"] * pv_costs + pv_fixed,
        )

    result = simulate_appraisal(
        model,
        {
            "cashable_benefits": Triangular(*ranges.cashable_benefits),
            "non_cashable_benefits": Triangular(*ranges.non_cashable_benefits),
            "costs": Triangular(*ranges.costs),
        },
        seed=seed,
        n_draws=n_draws,
    )
    note = f"; multipliers: {ranges.describe()}" + (
        f"; costs of {', '.join(fixed_costs)} held fixed" if fixed_costs else ""
    )
    return MonteCarloResult(
        [replace(e, group=vfm.label, term=f"monte_carlo_{e.term}", method=e.method + note) for e in result.estimates],
        result.draws,
    )


def benefits_supported_by_evidence(impacts: Sequence[ImpactResult]) -> tuple[bool | None, str]:
    """Whether the impact evidence supports the benefits claimed in the appraisal.

    ``True`` when a permitted causal estimate shows an improvement (interval excluding zero on
    the better side), ``False`` when permitted estimates show no detectable effect or harm, and
    ``None`` when no causal estimate is permitted (benefits then rest on the business case and
    monitoring alone). The sentence says which and what to make of it.
    """
    tested = [r for r in impacts if r.headline is not None]
    if not tested:
        return None, (
            "No causal estimate is permitted for this project's indicators, so the benefits in the "
            "appraisal rest on the business case and monitoring, not on evidence of impact."
        )
    findings, supported = [], []
    for r in tested:
        e = r.headline
        better_side = e.conf_low > 0 if r.direction == "higher_is_better" else e.conf_high < 0
        worse_side = e.conf_high < 0 if r.direction == "higher_is_better" else e.conf_low > 0
        supported.append(better_side)
        verdict = "improvement" if better_side else "harm" if worse_side else "no detectable effect"
        findings.append(f"{r.indicator_id}: {verdict}")
    if all(supported):
        return True, f"The impact evidence supports the outcome the benefits depend on ({'; '.join(findings)})."
    return False, (
        "The impact evidence does NOT support the benefits claimed (" + "; ".join(findings) + "): treat "
        "benefits that depend on this outcome as unproven; the NPSV with those benefits set to zero is "
        "reported as a sensitivity."
    )


def evidence_sensitivity(vfm: ValueForMoney, supported: bool | None) -> list[Estimate]:
    """When the impact evidence does not support the benefits (``supported is False``), the NPSV and BCR without them.

    Returns ``npsv_without_unsupported_benefits`` (= -PV costs) and ``bcr_without_unsupported_benefits`` (0), or
    nothing otherwise. A sensitivity, not a replacement for the central case: the outcome tested may
    not be the only route to the benefits claimed.
    """
    if supported is not False:
        return []
    pv_costs = vfm.value("pv_costs")
    method = "sensitivity: benefits that depend on an outcome the impact evidence does not support set to zero"
    return [
        Estimate("npsv_without_unsupported_benefits", -pv_costs, method=method, group=vfm.label),
        Estimate("bcr_without_unsupported_benefits", 0.0, method=method, group=vfm.label),
    ]


def _ratio(value: float) -> str:
    """A benefit-cost ratio: 2 decimal places, or "not defined" (no costs)."""
    return numbers.score(value) if np.isfinite(value) else "not defined"


def _uplift(percent: float) -> str:
    """An optimism bias uplift given in percent (``10.0`` -> ``10%``)."""
    return numbers.percent(percent / 100, digits=0 if float(percent).is_integer() else 1)


def describe_appraisal(vfm: ValueForMoney) -> str:
    """One sentence on the central NPSV and BCR and what they mean (point values: see the Monte Carlo for a range)."""
    npsv, bcr = vfm.value("npsv"), vfm.value("bcr")
    meaning = (
        f", and each £1 of cost returns {money(bcr, pence=True)} of benefits in present value"
        if np.isfinite(bcr)
        else ""
    )
    verdict = "benefits exceed costs" if npsv > 0 else "costs exceed benefits"
    return (
        f"{vfm.label}: NPSV {money(npsv)} and BCR {_ratio(bcr)} (central case, "
        f"{financial_year_label(vfm.price_base_year)} prices discounted to {vfm.discount_year}; a point value, "
        f"its range comes from the Monte Carlo below): {verdict}{meaning}. {describe_stage(vfm)}"
    )


def describe_stage(vfm: ValueForMoney) -> str:
    """One sentence saying which appraisal stage applies and how optimism bias enters the figures.

    Examples
    --------
    >>> flows = pd.DataFrame({"project": "P", "year": [2023, 2024], "type": ["cost", "benefit"],
    ...     "amount": [100.0, 207.0], "price_base_year": 2023, "bearer": "GLA", "cashable": True})
    >>> describe_stage(appraise_value_for_money(flows, price_base_year=2023, stage="ex_ante",
    ...                                         optimism_bias_percent=25))[:60]
    'Appraisal stage: ex ante appraisal on forecast costs: the ce'
    """
    if vfm.stage == "ex_ante":
        uplift = (
            f"here {_uplift(vfm.optimism_bias_percent)} on costs"
            if vfm.optimism_bias_percent > 0
            else "but no uplift was given (0%), which the Green Book accepts only where risks are fully mitigated"
        )
        return f"Appraisal stage: {STAGE_TREATMENT['ex_ante']}, {uplift}."
    return f"Appraisal stage: {STAGE_TREATMENT['ex_post']}."


def optimism_bias_scenario(vfm: ValueForMoney) -> tuple[str, float] | None:
    """The NPSV on the other side of the optimism bias uplift from the central case, with a chart label.

    Ex ante the central case includes the uplift, so the scenario is the NPSV before it; ex post the
    central case has none, so the scenario is the NPSV with it (a sensitivity). None without an uplift.
    """
    if vfm.optimism_bias_percent <= 0:
        return None
    if vfm.stage == "ex_ante":
        return f"Before optimism bias ({_uplift(vfm.optimism_bias_percent)})", vfm.value("npsv_before_optimism_bias")
    return f"Optimism bias +{_uplift(vfm.optimism_bias_percent)} (sensitivity)", vfm.value("npsv_optimism_bias")


def describe_optimism_bias(vfm: ValueForMoney) -> str | None:
    """One sentence on the optimism bias uplift and where it sits for the appraisal stage (None without one)."""
    if vfm.optimism_bias_percent <= 0:
        return None
    if vfm.stage == "ex_ante":
        return (
            f"The central case includes a {_uplift(vfm.optimism_bias_percent)} optimism bias uplift of costs (ex "
            f"ante appraisal); before it the NPSV would be {money(vfm.value('npsv_before_optimism_bias'))} and the "
            f"BCR {_ratio(vfm.value('bcr_before_optimism_bias'))}, shown for comparison only."
        )
    return (
        f"As a sensitivity, with costs uplifted by {_uplift(vfm.optimism_bias_percent)} for optimism bias the NPSV "
        f"is {money(vfm.value('npsv_optimism_bias'))} and the BCR {_ratio(vfm.value('bcr_optimism_bias'))} (an ex "
        "post "
        "evaluation on outturn costs needs no uplift in its central case)."
    )


def describe_monte_carlo(result: MonteCarloResult) -> str:
    """One sentence on the simulated NPSV and BCR with their 90% simulation intervals."""
    rows = {e.term.removeprefix("monte_carlo_"): e for e in result.estimates}
    npsv, bcr, positive = rows["npsv"], rows["bcr"], rows["probability_npsv_positive"]
    return (
        f"Across {numbers.count(npsv.n)} simulated draws the NPSV averages {money(npsv.estimate)} (90% simulation "
        f"interval {money(npsv.conf_low)} to {money(npsv.conf_high)}) and the BCR {_ratio(bcr.estimate)} "
        f"({_ratio(bcr.conf_low)} to {_ratio(bcr.conf_high)}); the NPSV is positive in "
        f"{numbers.percent(positive.estimate)} of draws, so "
        + (
            "the case for value for money survives the stated uncertainty."
            if positive.estimate >= 0.9
            else "value for money is uncertain under the stated ranges."
            if positive.estimate >= 0.1
            else "costs exceed benefits under almost every combination of the stated ranges."
        )
    )


def describe_switching(vfm: ValueForMoney) -> str:
    """One sentence on switching values."""
    fall, rise = vfm.value("switching_benefits_fall_percent"), vfm.value("switching_costs_rise_percent")
    if vfm.value("npsv") >= 0:
        return (
            f"Benefits would have to be {numbers.percent(fall / 100)} lower, or costs "
            f"{numbers.percent(rise / 100)} higher, than estimated before the NPSV fell to zero."
        )
    return (
        f"Benefits would have to be {numbers.percent(-fall / 100)} higher, or costs {numbers.percent(-rise / 100)} "
        "lower, than estimated for the "
        "NPSV to reach zero."
    )


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
