"""Value for money of a LOTI project (HM Treasury Green Book).

Real prices in a stated base year, STPR discounting, NPSV and BCR, optimism bias, switching values,
break-even counts, a seeded Monte Carlo, and a sensitivity without the benefits the evidence does not support.
The sentences that report them are in :mod:`.value_sentences`; the programme against its core funding in
:mod:`.programme_value`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

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
from ...tidy import NAN, Estimate
from .project_impact import ImpactResult

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


def _with_costs(suffix: str, pv_benefits: float, pv_costs: float, *, method: str, group: str) -> list[Estimate]:
    """PV costs, NPSV and BCR of the appraisal with the PV costs ``pv_costs`` instead of the central case's (a
    sensitivity), as ``pv_costs_<suffix>``, ``npsv_<suffix>`` and ``bcr_<suffix>``."""
    return [
        Estimate(f"pv_costs_{suffix}", pv_costs, method=method, group=group),
        Estimate(f"npsv_{suffix}", pv_benefits - pv_costs, method=method, group=group),
        Estimate(f"bcr_{suffix}", float(benefit_cost_ratio(pv_benefits, pv_costs)), method=method, group=group),
    ]


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
    # The other side of the uplift from the central case, as a sensitivity: ex ante the costs before it, ex post
    # the costs with it.
    if stage == "ex_ante":
        central_costs = pv_c_ob
        method += f"; {ob}" if optimism_bias_percent > 0 else "; no optimism bias uplift given (0%)"
        unadjusted = f"{result.estimates[0].method}; before the optimism bias uplift (sensitivity)"
        other_side = _with_costs("before_optimism_bias", pv_b, pv_c, method=unadjusted, group=label)
    else:
        central_costs = pv_c
        other_side = _with_costs("optimism_bias", pv_b, pv_c_ob, method=f"{method}; sensitivity: {ob}", group=label)
    extra = other_side if optimism_bias_percent > 0 else []
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

    def model(x: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
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
    tested = [(r, e) for r in impacts if (e := r.headline) is not None]
    if not tested:
        return None, (
            "No causal estimate is permitted for this project's indicators, so the benefits in the "
            "appraisal rest on the business case and monitoring, not on evidence of impact."
        )
    findings, supported = [], []
    for r, e in tested:
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
