"""Roll-out planning: how many cohorts a further evaluation would need to detect a given change.

From the observed standard deviation of within-person changes and the share of enrolled leaders who give
both surveys, the paired t-test's power (:mod:`evaluation.statistics.power`) gives the pairs and cohorts
needed, the minimum detectable change by number of cohorts, its chart and the sentence for the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from ...charts import CATEGORICAL, REFERENCE_LINE, template
from ...presentation import numbers
from ...statistics.power import cohorts_needed, paired_minimum_detectable_change, paired_power, paired_sample_size
from ...statistics.two_sample import proportion_estimate
from ...tidy import Estimate, to_frame
from ..cohort import construct_pairs
from .reporting import checked, row_estimate, suppress

if TYPE_CHECKING:
    import plotly.graph_objects as go


def change_sd(
    scores: pd.DataFrame, construct: str, from_wave: str, to_wave: str, *, confidence_level: float = 0.95
) -> Estimate:
    """Standard deviation of the within-person changes, with its chi-square interval.

    .. math:: \\left[s\\sqrt{\\frac{n-1}{\\chi^2_{n-1,\\,1-\\alpha/2}}},\\ s\\sqrt{\\frac{n-1}{\\chi^2_{n-1,\\,
              \\alpha/2}}}\\right]

    (exact for normal changes). The SD of the changes, not of the scores, drives the power of a paired design.

    Returns
    -------
    Estimate
        ``term="sd_change"``, ``group=construct``, ``n`` = complete pairs.
    """
    pairs = construct_pairs(scores, construct, from_wave, to_wave)
    changes = pairs.post - pairs.pre
    n = changes.size
    if n < 2:
        return Estimate("sd_change", math.nan, n=n, group=construct, method="sample SD of changes")
    s = float(changes.std(ddof=1))
    alpha = 1 - confidence_level
    low = s * math.sqrt((n - 1) / stats.chi2.ppf(1 - alpha / 2, n - 1))
    high = s * math.sqrt((n - 1) / stats.chi2.ppf(alpha / 2, n - 1))
    return Estimate(
        "sd_change",
        s,
        conf_low=low,
        conf_high=high,
        n=n,
        group=construct,
        method="sample SD of within-person changes, chi-square CI",
    )


def paired_completion_rate(
    scores: pd.DataFrame,
    participants: pd.DataFrame,
    construct: str,
    from_wave: str,
    to_wave: str,
    *,
    confidence_level: float = 0.95,
) -> Estimate:
    """Share of enrolled leaders with a score at both waves (drop-out and non-response together).

    This is the completion rate a roll-out should plan on: only complete pairs enter a paired analysis.
    Clopper-Pearson interval; ``n`` as in :func:`proportion_estimate`.
    """
    pairs = construct_pairs(scores, construct, from_wave, to_wave)
    enrolled = participants["participant_id"].nunique()
    return proportion_estimate(
        pairs.n, enrolled, term="paired_completion_rate", confidence_level=confidence_level
    ).with_context(group=construct)


def rollout_requirements(
    sd: Estimate,
    completion: Estimate,
    *,
    target_change: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    cohort_size: int = 8,
) -> list[Estimate]:
    """What a roll-out evaluation needs to detect ``target_change`` with the given power.

    From the observed SD of changes :math:`s_d` (:func:`change_sd`) and the share of enrolled leaders who give
    both waves :math:`r` (:func:`paired_completion_rate`), using the paired t-test's noncentral-t power
    (:mod:`evaluation.statistics.power`):

    * ``pairs_needed``: complete pairs :math:`n` for power :math:`1-\\beta` at :math:`d_z = \\Delta/s_d`;
      its interval uses the ends of the SD's interval (more pairs if the SD is larger);
    * ``cohorts_needed``: :math:`\\lceil n / (\\text{cohort size}\\times r)\\rceil`;
    * ``mdc_one_cohort_all_complete``: minimum detectable change with ``cohort_size`` pairs;
    * ``mdc_one_cohort_expected``: with :math:`\\lfloor \\text{cohort size}\\times r\\rfloor` pairs;
    * ``power_one_cohort``: power of one cohort (expected pairs) for ``target_change``.

    Returns
    -------
    list of Estimate
        ``group`` is the construct; ``n`` is the number of pairs the SD came from. A missing (suppressed) SD
        gives only a NaN ``pairs_needed``; a missing completion rate leaves out the per-cohort rows.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.), ch. 2. Bloom, H. S.
    (1995). Minimum detectable effects. *Evaluation Review*, 19(5), 547-556.
    """
    construct = sd.group
    method = f"paired t-test power (noncentral t), alpha={alpha}, power={power}, target change {target_change}"
    if not sd.estimate > 0:  # missing (suppressed) or no spread
        return [Estimate("pairs_needed", math.nan, n=sd.n, group=construct, method=method)]

    def pairs_for(spread: float) -> float:
        ok = spread > 0 and np.isfinite(spread)
        return float(paired_sample_size(target_change, spread, alpha=alpha, power=power)) if ok else math.nan

    needed, needed_low, needed_high = pairs_for(sd.estimate), pairs_for(sd.conf_low), pairs_for(sd.conf_high)
    rows = [
        Estimate(
            "pairs_needed",
            needed,
            conf_low=needed_low,
            conf_high=needed_high,
            n=sd.n,
            group=construct,
            method=f"{method}; interval from the SD's interval",
        ),
        Estimate(
            "mdc_one_cohort_all_complete",
            paired_minimum_detectable_change(cohort_size, sd.estimate, alpha=alpha, power=power),
            n=sd.n,
            group=construct,
            method=f"{method}; {cohort_size} pairs",
        ),
    ]
    rate = completion.estimate
    if not 0 < rate <= 1:  # missing (suppressed): no per-cohort figures
        return rows

    def cohorts_for(pairs: float) -> float:
        return float(cohorts_needed(int(pairs), cohort_size, rate)) if pairs == pairs else math.nan

    rows.insert(
        1,
        Estimate(
            "cohorts_needed",
            cohorts_for(needed),
            conf_low=cohorts_for(needed_low),
            conf_high=cohorts_for(needed_high),
            n=sd.n,
            group=construct,
            method=f"{method}; cohorts of {cohort_size} at the observed completion rate; "
            "interval from the SD's interval",
        ),
    )
    expected = math.floor(cohort_size * rate + 1e-9)
    if expected >= 2:
        rows += [
            Estimate(
                "mdc_one_cohort_expected",
                paired_minimum_detectable_change(expected, sd.estimate, alpha=alpha, power=power),
                n=sd.n,
                group=construct,
                method=f"{method}; {expected} expected pairs",
            ),
            Estimate(
                "power_one_cohort",
                paired_power(expected, target_change, sd.estimate, alpha=alpha),
                n=sd.n,
                group=construct,
                method=f"{method}; {expected} expected pairs",
            ),
        ]
    return rows


def rollout_plan(
    sd_by_construct: dict[str, float],
    completion_rate: float,
    *,
    target_change: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    cohort_size: int = 8,
    max_cohorts: int = 8,
) -> pd.DataFrame:
    """Minimum detectable change and power by number of cohorts evaluated together.

    For :math:`N = 1..` ``max_cohorts`` cohorts, expected pairs
    :math:`n_N = \\lfloor N \\times \\text{cohort size} \\times r \\rfloor`, the minimum detectable change
    :math:`\\text{MDC}_N = d_z(n_N)\\,s_d` and the power for ``target_change``.

    Returns
    -------
    pandas.DataFrame
        ``construct, cohorts, enrolled, expected_pairs, minimum_detectable_change, power_for_target``. Planning
        figures, not about people.
    """
    rows = []
    for construct, sd in sd_by_construct.items():
        for cohorts in range(1, max_cohorts + 1):
            pairs = math.floor(cohorts * cohort_size * completion_rate + 1e-9)
            usable = pairs >= 2 and sd > 0
            rows.append(
                {
                    "construct": construct,
                    "cohorts": cohorts,
                    "enrolled": cohorts * cohort_size,
                    "expected_pairs": pairs,
                    "minimum_detectable_change": paired_minimum_detectable_change(pairs, sd, alpha, power)
                    if usable
                    else math.nan,
                    "power_for_target": paired_power(pairs, target_change, sd, alpha) if usable else math.nan,
                }
            )
    return pd.DataFrame(rows)


def rollout_chart(plan: pd.DataFrame, target_change: float) -> go.Figure:
    """Minimum detectable change against the number of cohorts evaluated, one line per construct.

    Parameters
    ----------
    plan : pandas.DataFrame
        From :func:`rollout_plan`.
    target_change : float
        Drawn as a horizontal reference line.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for colour, (construct, rows) in zip(CATEGORICAL, plan.groupby("construct", sort=False), strict=False):
        figure.add_trace(
            go.Scatter(
                x=rows["cohorts"],
                y=rows["minimum_detectable_change"],
                mode="lines+markers",
                name=construct,
                line={"color": colour, "width": 3},
                hovertemplate="%{x} cohorts: %{y:.2f}<extra>" + str(construct) + "</extra>",
            )
        )
    figure.add_hline(
        y=target_change,
        line={"color": REFERENCE_LINE, "dash": "dot"},
        annotation_text=f"target change {target_change:g}",
        annotation_position="top right",
    )
    figure.update_layout(
        template=template(),
        title="Smallest change a roll-out evaluation could detect",
        xaxis_title="Cohorts evaluated together",
        yaxis_title="Minimum detectable change (points)",
        xaxis={"dtick": 1},
    )
    return figure


def rollout_sentence(
    planning: pd.DataFrame, construct: str, rate: Estimate, *, target_change: float, power: float, cohort_size: int
) -> str:
    """One plain sentence on what a roll-out evaluation of ``construct`` needs, from the (suppressed) planning
    rows of :func:`rollout_requirements`; figures that were not reported are said to be so."""
    rows = planning[planning["group"] == construct].set_index("term").to_dict("index")  # term -> its row
    if "pairs_needed" not in rows or pd.isna(rows["pairs_needed"]["estimate"]):
        return f"Roll-out planning for {construct}: not reported (too few leaders with both surveys)."
    needed = rows["pairs_needed"]
    text = (
        f"To detect a {numbers.score(target_change)}-point change in {construct} with {numbers.percent(power)} "
        f"power a roll-out evaluation needs {numbers.count(needed['estimate'])} leaders with both surveys (range "
        f"{numbers.count(needed['conf_low'])} to {numbers.count(needed['conf_high'])} over the interval of the "
        "spread of changes)"
    )
    if "cohorts_needed" in rows and not numbers.is_missing(rate.estimate):
        text += (
            f", about {numbers.count(rows['cohorts_needed']['estimate'])} cohorts of {cohort_size} at the "
            f"observed {numbers.percent(rate.estimate)} of enrolled leaders giving both surveys"
        )
    mdc = rows["mdc_one_cohort_all_complete"]["estimate"]
    return text + f"; one cohort of {cohort_size} who all complete can detect {numbers.score(mdc)} points."


@dataclass(frozen=True)
class RolloutPlanning:
    """Everything the report's roll-out section publishes, all from disclosure-checked figures.

    ``observed``: the spread of changes and the share of leaders with both surveys (suppressed, checked);
    ``planning``: :func:`rollout_requirements` of each construct (suppressed, checked); ``plan``:
    :func:`rollout_plan` at the observed completion rate (100% if it was not reported); ``rate``: that rate's
    published estimate.
    """

    observed: pd.DataFrame
    planning: pd.DataFrame
    plan: pd.DataFrame
    rate: Estimate


def rollout_planning(
    scores: pd.DataFrame,
    participants: pd.DataFrame,
    constructs: tuple[str, ...],
    from_wave: str,
    to_wave: str,
    *,
    k: int,
    target_change: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    cohort_size: int = 8,
    confidence_level: float = 0.95,
) -> RolloutPlanning:
    """Roll-out planning from what may be published: the observed spreads and completion rate are suppressed
    and checked first, and the requirements and plan are computed from those published figures."""
    sds = [change_sd(scores, c, from_wave, to_wave, confidence_level=confidence_level) for c in constructs]
    both_waves = paired_completion_rate(
        scores, participants, constructs[0], from_wave, to_wave, confidence_level=confidence_level
    )
    observed = checked(suppress(to_frame([*sds, both_waves]), k), k)
    published_sds = [row_estimate(observed, "sd_change", c) for c in constructs]
    rate = row_estimate(observed, "paired_completion_rate", constructs[0])
    requirements = [
        e
        for sd in published_sds
        for e in rollout_requirements(
            sd, rate, target_change=target_change, alpha=alpha, power=power, cohort_size=cohort_size
        )
    ]
    planning = checked(suppress(to_frame(requirements), k), k)
    plan = rollout_plan(
        {sd.group: sd.estimate for sd in published_sds},
        1.0 if numbers.is_missing(rate.estimate) else rate.estimate,
        target_change=target_change,
        alpha=alpha,
        power=power,
        cohort_size=cohort_size,
    )
    return RolloutPlanning(observed, planning, plan, rate)
