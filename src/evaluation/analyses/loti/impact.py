"""A LOTI project's impact on an authority x period panel: causal estimates where the design allows, else none.

A causal estimate (Callaway and Sant'Anna group-time effects, with two-way fixed effects, wild-cluster
bootstrap and randomisation inference beside it) is reported only when
:func:`~evaluation.impact.evidence.causal_estimate_permitted` allows it; otherwise the project gets a
contribution analysis with a descriptive trend and no causal claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ...impact.did import event_study, randomisation_inference_p, twfe_did, wild_cluster_bootstrap_p
from ...impact.evidence import CausalReportingDecision, SmsRating, causal_estimate_permitted, maryland_sms_level
from ...impact.staggered import callaway_santanna, pre_trend_wald
from ...presentation import numbers
from ...tidy import NAN, Estimate
from .indicators import unit_phrase

if TYPE_CHECKING:
    pass


ControlGroup = Literal["never_treated", "not_yet_treated"]

#: Term names of causal estimates; a project without a permitted causal design publishes none of them.
CAUSAL_TERMS: tuple[str, ...] = (
    "att_callaway_santanna",
    "att_twfe",
    "att_twfe_wild_bootstrap",
    "att_twfe_randomisation",
)


def indicator_panel(
    observations: pd.DataFrame, project_authorities: pd.DataFrame, indicator_id: str, project_id: str
) -> pd.DataFrame:
    """Authority x period panel of one indicator, with when each authority joined the project.

    Periods are numbered ``t = 1..T`` in date order (event time counts observed periods). An
    authority's first treated period is the observed period containing its ``joined_on`` date
    (the last period starting on or before it); an authority that joined before the first
    observed period is treated throughout (``first_treated = 1``), one that joined after the last
    period, or never, has ``first_treated`` missing.

    Parameters
    ----------
    observations : pandas.DataFrame
        ``indicator_id, authority_code, period, value`` (the store's ``observations``).
    project_authorities : pandas.DataFrame
        ``project_id, authority_code, joined_on``.
    indicator_id, project_id : str
        The indicator and the project whose participants are "treated".

    Returns
    -------
    pandas.DataFrame
        One row per authority and period observed, sorted, with columns ``authority_code``,
        ``period`` (date), ``t`` (int), ``value``, ``participant`` (bool), ``joined_on``,
        ``first_treated`` (float ``t``, NaN if never) and ``treated`` (0/1).

    Examples
    --------
    >>> obs = pd.DataFrame({"indicator_id": "I", "authority_code": ["A", "A", "B", "B"],
    ...     "period": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2), "value": [1.0, 3.0, 1.0, 1.5]})
    >>> pa = pd.DataFrame({"project_id": ["P"], "authority_code": ["A"], "joined_on": pd.to_datetime(["2024-02-01"])})
    >>> indicator_panel(obs, pa, "I", "P")[["authority_code", "t", "first_treated", "treated"]].values.tolist()
    [['A', 1, 2.0, 0], ['A', 2, 2.0, 1], ['B', 1, nan, 0], ['B', 2, nan, 0]]
    """
    mine = observations[(observations["indicator_id"] == indicator_id) & observations["value"].notna()]
    if mine.empty:
        raise ValueError(f"indicator {indicator_id!r} has no observations")
    data = pd.DataFrame(
        {
            "authority_code": mine["authority_code"].astype(object),
            "period": pd.to_datetime(mine["period"]),
            "value": mine["value"].astype(float),
        }
    )
    if data.duplicated(["authority_code", "period"]).any():
        raise ValueError(f"indicator {indicator_id!r} has more than one observation for an authority and period")
    periods = np.sort(data["period"].unique())
    data["t"] = np.searchsorted(periods, data["period"].to_numpy()) + 1
    joined = (
        project_authorities[project_authorities["project_id"] == project_id]
        .groupby("authority_code")["joined_on"]
        .min()
    )
    data["participant"] = data["authority_code"].isin(joined.index)
    data["joined_on"] = pd.to_datetime(data["authority_code"].map(joined))
    spacing = pd.Timedelta(np.median(np.diff(periods))) if len(periods) > 1 else pd.Timedelta(days=31)
    first = {}
    for code, date in joined.items():
        if pd.isna(date) or pd.Timestamp(date) >= pd.Timestamp(periods[-1]) + spacing:
            first[code] = NAN  # never, or after the observation window: not treated in the panel
        else:
            position = int(np.searchsorted(periods, np.datetime64(pd.Timestamp(date)), side="right"))
            first[code] = float(max(position, 1))
    data["first_treated"] = data["authority_code"].map(first).astype(float)
    data["treated"] = (data["t"] >= data["first_treated"]).astype(int)  # NaN compares False
    data = data.sort_values(["authority_code", "t"], kind="stable").reset_index(drop=True)
    return data[["authority_code", "period", "t", "value", "participant", "joined_on", "first_treated", "treated"]]


def period_unit(panel: pd.DataFrame) -> str:
    """ "month", "quarter", "year" or "period": the spacing of the panel's periods, for sentences."""
    periods = np.sort(pd.to_datetime(panel["period"]).unique())
    if len(periods) < 2:
        return "period"
    days = pd.Timedelta(np.median(np.diff(periods))).days
    return (
        "month" if 27 <= days <= 31 else "quarter" if 88 <= days <= 93 else "year" if 360 <= days <= 366 else "period"
    )


@dataclass(frozen=True)
class ImpactResult:
    """Impact of a project on one indicator: causal estimates only where the design permits them.

    Attributes
    ----------
    indicator_id, indicator_name, unit, direction : str
        The indicator (``direction`` in store spelling).
    decision : CausalReportingDecision
        Whether a causal estimate may be reported, and why (not).
    sms : SmsRating
        Strength of evidence on the Maryland Scientific Methods Scale.
    causal : list of Estimate
        Headline estimates, terms in :data:`CAUSAL_TERMS`; **empty** unless permitted.
    pre_trend : list of Estimate
        The pre-trend test behind the SMS rating: the joint F test of the Callaway-Sant'Anna
        pre-adoption effects (:func:`~evaluation.impact.staggered.pre_trend_wald`, term
        ``pre_trend_wald``); empty unless permitted, or if it cannot be computed.
    event_study : list of Estimate
        TWFE event study with its own Wald test of the leads: a **diagnostic only** (with staggered
        adoption and growing effects its leads absorb post-adoption effects), never used for the rating.
    dynamic : list of Estimate
        Callaway-Sant'Anna effects by event time: before joining, the leads that the pre-trend test
        tests (varying base period, cohort sizes fixed); from joining, the effects (base ``g - 1``).
    descriptive : list of Estimate
        Trend of participants and (with a comparison group) the naive post-period gap: never causal.
    context : list of Estimate
        ``causal_estimate_permitted`` (1/0) and ``sms_level`` rows, for the results table.
    narrative : str
        Plain-English findings, or the contribution analysis that makes no causal claim.
    warnings : list of str
    """

    indicator_id: str
    indicator_name: str
    unit: str
    direction: str
    decision: CausalReportingDecision
    sms: SmsRating
    causal: list[Estimate] = field(default_factory=list)
    pre_trend: list[Estimate] = field(default_factory=list)
    event_study: list[Estimate] = field(default_factory=list)
    dynamic: list[Estimate] = field(default_factory=list)
    descriptive: list[Estimate] = field(default_factory=list)
    context: list[Estimate] = field(default_factory=list)
    narrative: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def headline(self) -> Estimate | None:
        """The heterogeneity-robust ATT (Callaway-Sant'Anna), or None when no causal estimate is permitted."""
        return next((e for e in self.causal if e.term == "att_callaway_santanna"), None)

    def estimates(self) -> list[Estimate]:
        """Every row to publish, labelled with the indicator."""
        return [*self.context, *self.causal, *self.pre_trend, *self.event_study, *self.dynamic, *self.descriptive]


def _label(estimates: Iterable[Estimate], *, group: str, term: str | None = None) -> list[Estimate]:
    return [replace(e, group=group, **({"term": term} if term is not None else {})) for e in estimates]


def participant_trend(panel: pd.DataFrame, *, alpha: float = 0.05, after_joining: bool = True) -> Estimate:
    """Average change per period of participants' indicator (descriptive, never causal).

    OLS of the value on the period number with authority fixed effects, standard errors
    clustered by authority (CR1) and a t(G - 1) interval; with ``after_joining`` only periods
    from each authority's first treated period on.

    Returns
    -------
    Estimate
        Term ``trend_per_period`` (a ``descriptive`` label in ``method``).
    """
    data = panel[panel["participant"]]
    if after_joining:
        data = data[data["treated"] == 1]
    data = data.dropna(subset=["value"])
    within = data.groupby("authority_code")["t"].nunique()
    if data["authority_code"].nunique() < 2 or not (within > 1).any():  # no authority observed twice: no trend
        return Estimate("trend_per_period", NAN, n=len(data), method="descriptive trend: too few observations")
    exog = pd.concat(
        [data["t"].astype(float).rename("t"), pd.get_dummies(data["authority_code"], drop_first=True, dtype=float)],
        axis=1,
    )
    exog.insert(0, "const", 1.0)
    groups = pd.factorize(data["authority_code"])[0]
    fit = sm.OLS(data["value"].to_numpy(float), exog).fit(
        method="qr",
        cov_type="cluster",  # QR: no SVD
        cov_kwds={"groups": groups},
        use_t=True,
    )
    low, high = fit.conf_int(alpha=alpha).loc["t"]
    n_clusters = data["authority_code"].nunique()
    return Estimate(
        "trend_per_period",
        float(fit.params["t"]),
        std_error=float(fit.bse["t"]),
        statistic=float(fit.tvalues["t"]),
        p_value=float(fit.pvalues["t"]),
        conf_low=float(low),
        conf_high=float(high),
        n=len(data),
        method=(
            f"descriptive trend of participants "
            f"({'after joining' if after_joining else 'all periods'}): OLS on period with "
            f"authority fixed effects, CR1 SE clustered by authority ({n_clusters} clusters); "
            "NOT a causal estimate"
        ),
    )


def naive_post_comparison(panel: pd.DataFrame, *, alpha: float = 0.05) -> Estimate | None:
    """Gap between participants after joining and never-participants in the same periods (descriptive).

    OLS of the value on a participant dummy with period fixed effects, over participants' treated
    authority-periods and never-treated authorities in those periods; CR1 errors by authority. It
    mixes any effect with pre-existing differences in level (selection), which is exactly what
    difference-in-differences removes: shown only to make that contrast visible. None without
    a never-treated comparison group.
    """
    treated = panel[panel["treated"] == 1]
    never = panel[panel["first_treated"].isna() & panel["t"].isin(treated["t"].unique())]
    if treated.empty or never["authority_code"].nunique() < 2:
        return None
    data = pd.concat([treated.assign(group=1.0), never.assign(group=0.0)], ignore_index=True)
    exog = pd.concat([data["group"], pd.get_dummies(data["t"], prefix="t", drop_first=True, dtype=float)], axis=1)
    exog.insert(0, "const", 1.0)
    groups = pd.factorize(data["authority_code"])[0]
    fit = sm.OLS(data["value"].to_numpy(float), exog).fit(
        method="qr",
        cov_type="cluster",  # QR: no SVD
        cov_kwds={"groups": groups},
        use_t=True,
    )
    low, high = fit.conf_int(alpha=alpha).loc["group"]
    return Estimate(
        "naive_post_comparison",
        float(fit.params["group"]),
        std_error=float(fit.bse["group"]),
        statistic=float(fit.tvalues["group"]),
        p_value=float(fit.pvalues["group"]),
        conf_low=float(low),
        conf_high=float(high),
        n=len(data),
        method=(
            "descriptive: participants after joining minus never-participants in the same periods, "
            "period fixed effects, CR1 SE by authority; includes pre-existing differences, "
            "NOT a causal estimate"
        ),
    )


def _balanced(panel: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The panel restricted to authorities observed in every period, and the authorities dropped."""
    n_periods = panel["t"].nunique()
    counts = panel.groupby("authority_code")["t"].nunique()
    dropped = sorted(counts.index[counts < n_periods])
    return panel[~panel["authority_code"].isin(dropped)], dropped


def evaluate_impact(
    panel: pd.DataFrame,
    *,
    indicator_id: str,
    indicator_name: str,
    unit: str = "",
    direction: str = "higher_is_better",
    control_group: ControlGroup = "never_treated",
    alpha: float = 0.05,
    leads: int = 6,
    lags: int = 12,
    bootstrap_reps: int = 999,
    permutations: int = 999,
    seed: int = 0,
    min_comparison_units: int = 5,
    min_pre_periods: int = 2,
    quasi_random_timing: bool = False,
    logic: pd.DataFrame | None = None,
) -> ImpactResult:
    """Impact of taking part in a project on one indicator, or a contribution analysis if not identified.

    1. :func:`~evaluation.impact.evidence.causal_estimate_permitted` decides from the panel
       whether every adoption cohort has enough comparison authorities and pre-periods.
    2. **If permitted**: Callaway & Sant'Anna ATT (headline, robust to staggered adoption with
       effects that change over time) and its event-time path; static TWFE DiD with CR1 errors
       clustered by authority, its restricted wild cluster bootstrap-t p-value (Rademacher, or
       Webb weights with fewer than 12 authorities) and a randomisation-inference p-value
       (both seeded); the pre-trend test, a joint F test of the Callaway-Sant'Anna pre-adoption
       effects (:func:`~evaluation.impact.staggered.pre_trend_wald`), which gates the Maryland SMS
       rating; a TWFE event study with binned endpoints as a labelled diagnostic (not used for the
       rating: its leads absorb effects that differ between cohorts and grow with time).
    3. **If not**: no causal estimate at all; the reason, a descriptive trend of participants (and
       the naive gap with non-participants where one exists), and a contribution-analysis narrative.

    Parameters
    ----------
    panel : pandas.DataFrame
        Output of :func:`indicator_panel`.
    indicator_id, indicator_name, unit, direction : str
        Describe the indicator (``direction`` as in the store: ``higher_is_better`` or ``lower_is_better``).
    control_group : {"never_treated", "not_yet_treated"}
        Comparison authorities for the permission check and Callaway-Sant'Anna.
    alpha : float
        Intervals have coverage ``1 - alpha``.
    leads, lags : int
        Event-time window (endpoints binned) of the event study and of the dynamic effects shown.
    bootstrap_reps, permutations : int
        Wild cluster bootstrap replicates and randomisation-inference permutations (0 skips that test).
    seed : int
        Seed of both resampling schemes.
    min_comparison_units, min_pre_periods : int
        Passed to :func:`~evaluation.impact.evidence.causal_estimate_permitted`.
    quasi_random_timing : bool
        Whether adoption timing is argued (elsewhere) to be as good as random: needed for SMS 4.
    logic : pandas.DataFrame, optional
        Output of :func:`logic_model`, quoted in the contribution analysis.

    Returns
    -------
    ImpactResult

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021) *Journal of Econometrics* 225(2), 200-230.
    Roodman, D. et al. (2019) Fast and wild. *Stata Journal* 19(1), 4-60. HM Treasury (2020)
    *Magenta Book*. Madaleno, M. & Waights, S., *Guide to scoring methods using the Maryland
    Scientific Methods Scale*, What Works Centre for Local Economic Growth.
    """
    args = ("value", "authority_code", "t")
    decision = causal_estimate_permitted(
        panel,
        "authority_code",
        "t",
        "first_treated",
        control_group=control_group,
        min_comparison_units=min_comparison_units,
        min_pre_periods=min_pre_periods,
    )
    per = period_unit(panel)
    group = f"{indicator_id}"
    warnings: list[str] = []
    participants = panel.loc[panel["participant"], "authority_code"].nunique()
    comparison = panel.loc[panel["first_treated"].isna(), "authority_code"].nunique()
    context = [
        Estimate(
            "causal_estimate_permitted",
            float(decision.permitted),
            n=panel["authority_code"].nunique(),
            method=decision.reason,
            group=group,
        )
    ]
    trend = replace(participant_trend(panel, alpha=alpha), group=f"{indicator_id} descriptive (no causal claim)")
    naive = naive_post_comparison(panel, alpha=alpha)
    descriptive = [trend] + ([replace(naive, group=f"{indicator_id} descriptive (no causal claim)")] if naive else [])

    def contribution(decision: CausalReportingDecision) -> ImpactResult:
        """The result when no causal estimate may be reported."""
        before_after = bool((panel["participant"] & (panel["treated"] == 0)).any())
        sms = maryland_sms_level(comparison_group=False, before_and_after=before_after)
        rows = [replace(context[0], estimate=0.0, method=decision.reason), _sms_row(sms, group)]
        narrative = contribution_narrative(
            panel, decision=decision, trend=trend, indicator_name=indicator_name, unit=unit, logic=logic, per=per
        )
        return ImpactResult(
            indicator_id,
            indicator_name,
            unit,
            direction,
            decision,
            sms,
            descriptive=descriptive,
            context=rows,
            narrative=narrative,
            warnings=warnings,
        )

    if not decision.permitted:
        return contribution(decision)

    treated_authorities = panel.loc[panel["first_treated"].notna(), "authority_code"].nunique()
    cohorts = panel.loc[panel["first_treated"].notna(), "first_treated"].nunique()
    balanced, dropped = _balanced(panel)
    if dropped:
        warnings.append(
            f"{len(dropped)} authorities are not observed in every period and are left out of the "
            f"Callaway-Sant'Anna estimates (which need a balanced panel): {', '.join(dropped)}."
        )
    try:
        cs = callaway_santanna(balanced, *args, "first_treated", control_group=control_group, alpha=alpha)
    except ValueError as error:  # e.g. balancing left a cohort without pre-periods or comparisons
        return contribution(
            CausalReportingDecision(
                False,
                f"a causal estimate should not be reported: the heterogeneity-robust estimator cannot be computed "
                f"on the authorities observed in every period ({error}). Report a contribution analysis instead: "
                "set out the theory of change, track indicators against baseline and target, and weigh other "
                "explanations, without attributing the change to the project.",
            )
        )
    try:
        pre_trend = pre_trend_wald(
            balanced, *args, "first_treated", control_group=control_group, leads=leads, alpha=alpha
        )
    except ValueError as error:
        pre_trend = []
        warnings.append(f"pre-trend test not computed ({error}).")
    after = [
        e
        for e in callaway_santanna(
            balanced, *args, "first_treated", control_group=control_group, aggregation="dynamic", alpha=alpha
        )
        if 0 <= int(e.term.split("=")[1]) <= lags
    ]
    dynamic = [e for e in pre_trend if e.term != "pre_trend_wald"] + after
    pre_trend = [e for e in pre_trend if e.term == "pre_trend_wald"]
    twfe = twfe_did(panel, *args, "treated", alpha=alpha)
    weights = "webb" if panel["authority_code"].nunique() < 12 else "rademacher"
    wild = (
        wild_cluster_bootstrap_p(panel, *args, "treated", reps=bootstrap_reps, weights=weights, seed=seed)
        if bootstrap_reps > 0
        else []
    )
    permuted = (
        randomisation_inference_p(panel, *args, "first_treated", reps=permutations, seed=seed)
        if permutations > 0
        else []
    )
    try:
        events = event_study(panel, *args, "first_treated", leads=leads, lags=lags, alpha=alpha)
    except ValueError as error:
        events = []
        warnings.append(f"TWFE event study (diagnostic) not estimated ({error}).")
    wald = pre_trend[0] if pre_trend else None
    sms = maryland_sms_level(
        comparison_group=True,
        before_and_after=True,
        quasi_random_variation=quasi_random_timing,
        pre_trend_p_value=None if wald is None else wald.p_value,
        staggered_adoption=cohorts > 1,
        heterogeneity_robust=True,
    )
    context.append(_sms_row(sms, group))
    causal = [
        *_label(cs, group=group, term="att_callaway_santanna"),
        *_label(twfe, group=group, term="att_twfe"),
        *_label(wild, group=group, term="att_twfe_wild_bootstrap"),
        *_label(permuted, group=group, term="att_twfe_randomisation"),
    ]
    result = ImpactResult(
        indicator_id,
        indicator_name,
        unit,
        direction,
        decision,
        sms,
        causal=causal,
        pre_trend=_label(pre_trend, group=f"{indicator_id} pre-trend test (Callaway-Sant'Anna)"),
        event_study=_label(events, group=f"{indicator_id} event study (TWFE, diagnostic: not used for the rating)"),
        dynamic=_label(dynamic, group=f"{indicator_id} effect by {per}s since joining (Callaway-Sant'Anna)"),
        descriptive=descriptive,
        context=context,
        warnings=warnings,
    )
    narrative = impact_narrative(
        result,
        participants=participants,
        treated=treated_authorities,
        comparison=comparison,
        cohorts=cohorts,
        control_group=control_group,
        alpha=alpha,
        per=per,
    )
    return replace(result, narrative=narrative)


def project_impacts(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    project_authorities: pd.DataFrame,
    project_id: str,
    *,
    logic: pd.DataFrame | None = None,
    **options: object,
) -> dict[str, tuple[pd.DataFrame, ImpactResult]]:
    """:func:`evaluate_impact` for every indicator of a project that has observations.

    Returns ``{indicator_id: (panel, result)}`` in indicator order; indicators without
    observations are absent (their warnings come from :func:`track_project_indicators`).
    ``options`` are passed to :func:`evaluate_impact`.
    """
    mine = indicators[indicators["project_id"] == project_id].sort_values("indicator_id")
    observed = set(observations.loc[observations["value"].notna(), "indicator_id"])
    results = {}
    for _, indicator in mine.iterrows():
        code = indicator["indicator_id"]
        if code not in observed:
            continue
        panel = indicator_panel(observations, project_authorities, code, project_id)
        results[code] = (
            panel,
            evaluate_impact(
                panel,
                indicator_id=code,
                indicator_name=indicator["name"],
                unit=indicator["unit"],
                direction=indicator["direction"],
                logic=logic,
                **options,
            ),
        )  # type: ignore[arg-type]
    return results


def causal_findings_table(impacts: dict[str, ImpactResult], projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator analysed: whether a causal estimate is permitted and, if so, the headline.

    ``impacts`` maps indicator ids to results (e.g. from :func:`project_impacts` of every project).
    Columns ``indicator_id``, ``indicator``, ``permitted``, ``att``, ``conf_low``, ``conf_high``,
    ``sms_level`` and ``finding`` (a sentence, or the reason no causal claim is made).
    """
    rows = []
    for code, result in impacts.items():
        head = result.headline
        finding = (
            describe_effect(head, indicator_name=result.indicator_name, unit=result.unit, direction=result.direction)
            if head is not None
            else f"No causal claim: {result.decision.reason}"
        )
        rows.append(
            {
                "indicator_id": code,
                "indicator": result.indicator_name,
                "permitted": result.decision.permitted,
                "att": head.estimate if head else NAN,
                "conf_low": head.conf_low if head else NAN,
                "conf_high": head.conf_high if head else NAN,
                "sms_level": result.sms.level if result.sms.level is not None else NAN,
                "finding": finding,
            }
        )
    return pd.DataFrame(
        rows, columns=["indicator_id", "indicator", "permitted", "att", "conf_low", "conf_high", "sms_level", "finding"]
    )


def _twfe_verdict(twfe: Estimate, head: Estimate, gap: float, cohorts: int) -> str:
    """How the static TWFE estimate relates to the headline, as the end of a sentence."""
    if cohorts > 1 and abs(gap) > 0.05 * max(abs(head.estimate), 1e-9):
        return (
            f", {numbers.score(abs(gap))} {'below' if gap < 0 else 'above'} the headline: with staggered adoption "
            "and effects that change over time TWFE also compares later adopters with earlier ones, whose "
            "outcomes are still moving, and can be biased, so the headline is preferred."
        )
    if twfe.conf_low <= head.conf_high and head.conf_low <= twfe.conf_high:
        return "; its interval overlaps the headline's, so the two agree within sampling error."
    return (
        "; it differs from the headline beyond sampling error: TWFE compares with the average of all periods "
        "before joining, Callaway-Sant'Anna with the period just before, so look for changes just before "
        "joining or trends that are not parallel."
    )


def _sms_row(sms: SmsRating, group: str) -> Estimate:
    return Estimate(
        "sms_level",
        float(sms.level) if sms.level is not None else NAN,
        method=f"Maryland SMS: {sms.description}; {sms.reason}",
        group=group,
    )


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def _ci(estimate: Estimate, digits: int = 2, alpha: float = 0.05) -> str:
    """``95% interval 5.90 to 7.10`` (``not available`` when an end is missing)."""
    text = numbers.interval(
        estimate.conf_low, estimate.conf_high, lambda v: numbers.score(v, digits=digits), confidence_level=1 - alpha
    )
    return text or f"{round(100 * (1 - alpha))}% interval not available"


def describe_effect(estimate: Estimate, *, indicator_name: str, unit: str, direction: str, alpha: float = 0.05) -> str:
    """One sentence: the effect of taking part, its interval and what it means.

    Examples
    --------
    >>> e = Estimate("att", 6.5, conf_low=5.9, conf_high=7.1, n=33)
    >>> describe_effect(e, indicator_name="Sites connected", unit="%", direction="higher_is_better")[:104]
    'Taking part raised sites connected by 6.50 percentage points on average (95% interval 5.90 to 7.10): the'
    """
    if estimate is None or not np.isfinite(estimate.estimate):
        return f"No effect on {indicator_name.lower()} could be estimated."
    moved = "raised" if estimate.estimate > 0 else "lowered" if estimate.estimate < 0 else "did not change"
    better = (estimate.estimate > 0) == (direction == "higher_is_better")
    excludes_zero = estimate.conf_low > 0 or estimate.conf_high < 0
    meaning = (
        f"the interval excludes zero, so the indicator {'improved' if better else 'worsened'} because of "
        "the project, if parallel trends hold"
        if excludes_zero
        else "the interval includes zero, so the data cannot distinguish the effect from no effect"
    )
    amount = numbers.score(abs(estimate.estimate))
    return (
        f"Taking part {moved} {indicator_name.lower()} by {amount} {unit_phrase(unit)} "
        f"on average ({_ci(estimate, alpha=alpha)}): {meaning}."
    )


def describe_trend(
    estimate: Estimate, *, indicator_name: str, unit: str, per: str = "month", alpha: float = 0.05
) -> str:
    """One sentence on a descriptive trend, saying plainly that it is not an effect."""
    if not np.isfinite(estimate.estimate):
        return f"There are too few observations to describe the trend of {indicator_name.lower()}."
    direction = "rose" if estimate.estimate > 0 else "fell"
    amount = numbers.score(abs(estimate.estimate), digits=3)
    return (
        f"Among participants, {indicator_name.lower()} {direction} by {amount} "
        f"{unit_phrase(unit)} a {per} on average ({_ci(estimate, 3, alpha)}): a description of what happened, "
        "not an effect of the project."
    )


def contribution_narrative(
    panel: pd.DataFrame,
    *,
    decision: CausalReportingDecision,
    trend: Estimate,
    indicator_name: str,
    unit: str,
    logic: pd.DataFrame | None = None,
    per: str = "month",
) -> str:
    """The contribution analysis reported when a causal estimate is not permitted (no causal claim).

    States why no causal estimate is reported, what participants' indicator did (descriptive),
    what the logic model expected and assumed, and which other explanations must be weighed.
    """
    participants = panel[panel["participant"]]
    lines = [f"**No causal claim is made** for {indicator_name.lower()}. Reason: {decision.reason}"]
    if not participants.empty:
        by_period = participants.groupby("period")["value"].mean()
        first, last = by_period.index.min(), by_period.index.max()
        lines.append(
            f"What the data show: across the {numbers.count(participants['authority_code'].nunique())} participating "
            f"authorities observed, the mean was {numbers.score(by_period.loc[first])} {unit} in {first:%B %Y} and "
            f"{numbers.score(by_period.loc[last])} {unit} in {last:%B %Y}. "
            + describe_trend(trend, indicator_name=indicator_name, unit=unit, per=per)
        )
    if logic is not None:
        text = dict(zip(logic["stage"], logic["description"], strict=True))
        lines.append(
            f"The logic model expects: {text.get('Outcomes', '(not recorded)')} "
            f"It assumes: {text.get('Assumptions', '(not recorded)')}"
        )
    lines.append(
        "To judge the project's contribution, weigh this against other explanations (London-wide or national "
        "trends, other programmes, changes in how the indicator is recorded), test each step of the logic model "
        "with evidence from participants (interviews, case studies, documents), and plan a comparison group "
        "(authorities not yet taking part, observed before and after) for the next round."
    )
    return "\n\n".join(lines)


def impact_narrative(
    result: ImpactResult,
    *,
    participants: int,
    treated: int,
    comparison: int,
    cohorts: int,
    control_group: str,
    alpha: float = 0.05,
    per: str = "month",
) -> str:
    """Plain-English findings of a permitted impact analysis, one sentence per finding."""
    head = result.headline
    twfe = next((e for e in result.causal if e.term == "att_twfe"), None)
    wild = next((e for e in result.causal if e.term == "att_twfe_wild_bootstrap"), None)
    permuted = next((e for e in result.causal if e.term == "att_twfe_randomisation"), None)
    wald = result.pre_trend[0] if result.pre_trend else None
    twfe_wald = next((e for e in result.event_study if e.term == "pre_trend_wald"), None)
    controls = "never-treated" if control_group == "never_treated" else "not-yet-treated (and never-treated)"
    lines = [
        f"Design: {numbers.count(treated)} participating authorities in {numbers.count(cohorts)} adoption cohort(s) "
        f"against {controls} comparison authorities ({numbers.count(comparison)} never take part), before and after "
        f"joining (difference-in-differences). {_sentence(result.decision.reason)}",
        "Headline (Callaway-Sant'Anna, robust to staggered adoption): "
        + describe_effect(
            head, indicator_name=result.indicator_name, unit=result.unit, direction=result.direction, alpha=alpha
        ),
    ]
    if twfe is not None:
        gap = twfe.estimate - head.estimate
        tests = [
            f"wild cluster bootstrap {numbers.p_phrase(wild.p_value)}" if wild else "",
            f"randomisation inference {numbers.p_phrase(permuted.p_value)}" if permuted else "",
        ]
        lines.append(
            f"The static two-way fixed effects estimate is {numbers.score(twfe.estimate)} {unit_phrase(result.unit)} "
            f"({'; '.join([_ci(twfe, alpha=alpha), *[t for t in tests if t]])})"
            + _twfe_verdict(twfe, head, gap, cohorts)
        )
    if wald is not None:
        verdict = (
            "no evidence against parallel trends before joining (which does not prove them)"
            if wald.p_value >= 0.10
            else "evidence that trends differed before joining: treat the estimate with caution"
        )
        lines.append(
            f"Pre-trend test (joint F test of the Callaway-Sant'Anna effects before joining, the test behind "
            f"the rating): F = {numbers.score(wald.statistic)}, {numbers.p_phrase(wald.p_value)}: {verdict}."
        )
    if twfe_wald is not None:
        lines.append(
            f"As a diagnostic only, the two-way fixed effects event study's leads give F = "
            f"{numbers.score(twfe_wald.statistic)}, {numbers.p_phrase(twfe_wald.p_value)}; with staggered "
            "joining and effects that grow with time its leads also absorb effects after joining, so it does "
            "not gate the rating."
        )
    naive = next((e for e in result.descriptive if e.term == "naive_post_comparison"), None)
    if naive is not None and np.isfinite(naive.estimate):
        lines.append(
            f"For contrast, simply comparing participants after joining with non-participants gives "
            f"{numbers.score(naive.estimate, signed=True)} {unit_phrase(result.unit)} ({_ci(naive, alpha=alpha)}); "
            "that gap includes "
            "differences that existed before the project and is not an effect."
        )
    level = "not scoreable" if result.sms.level is None else f"level {result.sms.level} of 5"
    lines.append(f"Strength of evidence: Maryland Scientific Methods Scale {level} ({result.sms.reason}).")
    return "\n\n".join(lines)


def is_causal(term: str) -> bool:
    """Whether a result term is a causal estimate (see :data:`CAUSAL_TERMS`); event-time effects count too."""
    return term in CAUSAL_TERMS or term.startswith("e=") or term.startswith("e<=") or term.startswith("e>=")
