"""A LOTI project's impact on an authority x period panel: causal estimates where the design allows, else none.

A causal estimate (Callaway and Sant'Anna group-time effects, with two-way fixed effects, wild-cluster
bootstrap and randomisation inference beside it) is reported only when
:func:`~evaluation.impact.evidence.causal_estimate_permitted` allows it; otherwise the project gets a
contribution analysis with a descriptive trend and no causal claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal, TypedDict, Unpack

import pandas as pd
import statsmodels.api as sm

from ...impact.did import event_study, randomisation_inference_p, twfe_did, wild_cluster_bootstrap_p
from ...impact.evidence import CausalReportingDecision, SmsRating, causal_estimate_permitted, maryland_sms_level
from ...impact.staggered import callaway_santanna, pre_trend_wald
from ...tidy import NAN, Estimate
from .impact_sentences import contribution_narrative, describe_effect, impact_narrative
from .panel import indicator_panel, period_unit

ControlGroup = Literal["never_treated", "not_yet_treated"]


class ImpactOptions(TypedDict, total=False):
    """The options of :func:`evaluate_impact` that :func:`project_impacts` passes on to it, by name."""

    control_group: ControlGroup
    alpha: float
    leads: int
    lags: int
    bootstrap_reps: int
    permutations: int
    seed: int
    min_comparison_units: int
    min_pre_periods: int
    quasi_random_timing: bool


#: Term names of causal estimates; a project without a permitted causal design publishes none of them.
CAUSAL_TERMS: tuple[str, ...] = (
    "att_callaway_santanna",
    "att_twfe",
    "att_twfe_wild_bootstrap",
    "att_twfe_randomisation",
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
    return [replace(e, group=group, term=e.term if term is None else term) for e in estimates]


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
    n_clusters = data["authority_code"].nunique()
    return _clustered_coefficient(
        data,
        exog,
        "t",
        "trend_per_period",
        alpha=alpha,
        method=(
            f"descriptive trend of participants "
            f"({'after joining' if after_joining else 'all periods'}): OLS on period with "
            f"authority fixed effects, CR1 SE clustered by authority ({n_clusters} clusters); "
            "NOT a causal estimate"
        ),
    )


def _clustered_coefficient(
    data: pd.DataFrame, exog: pd.DataFrame, coefficient: str, term: str, *, alpha: float, method: str
) -> Estimate:
    """One coefficient of an OLS of ``value`` on ``exog``, CR1 errors clustered by authority, t-based interval."""
    groups = pd.factorize(data["authority_code"])[0]
    fit = sm.OLS(data["value"].to_numpy(float), exog).fit(
        method="qr",
        cov_type="cluster",  # QR: no SVD
        cov_kwds={"groups": groups},
        use_t=True,
    )
    low, high = fit.conf_int(alpha=alpha).loc[coefficient]
    return Estimate(
        term,
        float(fit.params[coefficient]),
        std_error=float(fit.bse[coefficient]),
        statistic=float(fit.tvalues[coefficient]),
        p_value=float(fit.pvalues[coefficient]),
        conf_low=float(low),
        conf_high=float(high),
        n=len(data),
        method=method,
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
    return _clustered_coefficient(
        data,
        exog,
        "group",
        "naive_post_comparison",
        alpha=alpha,
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
    weights: Literal["rademacher", "webb"] = "webb" if panel["authority_code"].nunique() < 12 else "rademacher"
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
    **options: Unpack[ImpactOptions],
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
        )
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


def _sms_row(sms: SmsRating, group: str) -> Estimate:
    return Estimate(
        "sms_level",
        float(sms.level) if sms.level is not None else NAN,
        method=f"Maryland SMS: {sms.description}; {sms.reason}",
        group=group,
    )


def is_causal(term: str) -> bool:
    """Whether a result term is a causal estimate (see :data:`CAUSAL_TERMS`); event-time effects count too."""
    return term in CAUSAL_TERMS or term.startswith("e=") or term.startswith("e<=") or term.startswith("e>=")
