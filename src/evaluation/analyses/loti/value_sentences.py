"""The value for money of a LOTI project in plain English: NPSV and BCR, the appraisal stage, optimism bias,
the Monte Carlo and switching values, in the report's number rules (:mod:`evaluation.presentation.numbers`)."""

from __future__ import annotations

import numpy as np

from ...economics.deflate import financial_year_label
from ...economics.monte_carlo import MonteCarloResult
from ...presentation import numbers
from ...presentation.numbers import money
from .value import STAGE_TREATMENT, ValueForMoney


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
    >>> import pandas as pd
    >>> from evaluation.analyses.loti.value import appraise_value_for_money
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


def simulated_npsv_range(result: MonteCarloResult) -> str:
    """The simulated NPSV's 90% simulation interval (:func:`simulate_value_for_money`) in words.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.tidy import Estimate
    >>> npsv = Estimate("monte_carlo_npsv", 210_000.0, conf_low=-25_000.0, conf_high=480_000.0)
    >>> simulated_npsv_range(MonteCarloResult([npsv], pd.DataFrame()))
    'the NPSV ranges from -£25,000 to £480,000 (90% simulation interval)'
    """
    npsv = next(e for e in result.estimates if e.term == "monte_carlo_npsv")
    return f"the NPSV ranges from {money(npsv.conf_low)} to {money(npsv.conf_high)} (90% simulation interval)"


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
