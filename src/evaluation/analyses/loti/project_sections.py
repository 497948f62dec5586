"""What the LOTI project report shows: its findings as sentences, its tables and charts, section by section.

Each ``*_section`` function takes the report's :class:`~evaluation.presentation.Findings` (and, where the
section publishes, the run), adds the section's findings and returns what the notebook displays, in order
(``display(*section)``), so the notebook holds only parameters, calls and prose. Numbers follow
:mod:`evaluation.presentation.numbers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import presentation as show
from ...charts import interval_chart
from ...presentation import numbers
from ...tidy import Estimate, to_frame
from .figures import alt_text_for_trend, effect_by_time_chart, indicator_trend_chart, thousands_bar_chart
from .impact_sentences import describe_effect
from .indicator_tracking import IndicatorTracking, describe_indicator
from .panel import period_unit
from .project_impact import ImpactResult
from .value import (
    ValueForMoney,
    appraise_value_for_money,
    benefits_supported_by_evidence,
    evidence_sensitivity,
    simulate_value_for_money,
)
from .value_sentences import (
    describe_appraisal,
    describe_monte_carlo,
    describe_optimism_bias,
    describe_switching,
    optimism_bias_scenario,
    simulated_npsv_range,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ...economics.monte_carlo import MonteCarloResult

#: What a project evaluation's design can and cannot show (the report's summary repeats it).
PROJECT_DESIGN = (
    "Monitoring of the project's indicators against baseline and target in the authorities taking part, which shows "
    "whether outcomes moved, not whether the project moved them. Where the data allow, a difference-in-differences "
    "comparison with London authorities not (yet) taking part gives a causal estimate, at best level 3 of 5 on the "
    "Maryland Scientific Methods Scale, resting on parallel trends; otherwise a contribution analysis makes no "
    "causal claim. With at most 33 authorities, intervals are wide. Value for money uses the costs and benefits the "
    "project recorded (HM Treasury Green Book): a point value with a simulated range, not a measured return."
)

_TERM_WORDS = {
    "causal_estimate_permitted": "Causal estimate permitted (1 = yes)",
    "sms_level": "Maryland SMS level (1 to 5)",
    "att_callaway_santanna": "Effect of taking part (Callaway-Sant'Anna)",
    "att_twfe": "Effect, two-way fixed effects",
    "att_twfe_wild_bootstrap": "Effect, two-way fixed effects (wild cluster bootstrap)",
    "att_twfe_randomisation": "Effect, two-way fixed effects (randomisation inference)",
    "trend_per_period": "Participants' trend per period (descriptive)",
    "naive_post_comparison": "Participants minus others after joining (descriptive)",
}


@dataclass(frozen=True)
class Chart:
    """A figure to publish and show, with its name in the run and its text alternative."""

    name: str
    figure: go.Figure
    alt_text: str


def publish_charts(run: Any, charts: Sequence[Chart]) -> list[go.Figure]:
    """Publish each chart with its text alternative (``run.publish_figure``); returns the figures to display."""
    for chart in charts:
        run.publish_figure(chart.name, chart.figure, alt_text=chart.alt_text)
    return [chart.figure for chart in charts]


def project_question(projects: pd.DataFrame, project_id: str) -> str:
    """The question a project report answers.

    Examples
    --------
    >>> project_question(pd.DataFrame({"project_id": ["P03"], "title": ["Connected council sites"]}), "P03")[:60]
    'Did P03 (Connected council sites) deliver the outcomes it se'
    """
    title = projects.loc[projects["project_id"] == project_id, "title"]
    name = f"{project_id} ({title.iloc[0]})" if len(title) else project_id
    return f"Did {name} deliver the outcomes it set out to, did it cause them, and is it value for money?"


def summary_table(summary: pd.DataFrame, project_id: str) -> show.Table:
    """The project's particulars (:func:`~evaluation.analyses.loti.project_summary`) as a report table."""
    return show.table(
        summary,
        [show.Column("field", "Item"), show.Column("value", "Detail")],
        caption=f"The project {project_id}",
        source="LOTI project records",
    )


def logic_model_table(logic: pd.DataFrame) -> show.Table:
    """The logic model, each stage's description in full."""
    return show.table(
        logic,
        [show.Column("stage", "Stage"), show.Column("description", "What the project records")],
        caption="Logic model (theory of change)",
        source="LOTI project records",
    )


def indicator_section(findings: show.Findings, tracking: IndicatorTracking) -> list[Any]:
    """Indicators against baseline and target: one finding per indicator (or its warnings), a key finding, the
    table."""
    shown: list[Any] = [findings.finding(describe_indicator(row)) for _, row in tracking.summary.iterrows()]
    summary = tracking.summary
    tracked = summary[summary["status"].isin(["Green", "Amber", "Red"])]
    if len(summary):
        statuses = (
            "; ".join(
                f"{row['indicator_id']} {row['status']} ({numbers.percent(row['progress'])} of the way "
                f"to target against {numbers.percent(row['expected_progress'])} expected)"
                for _, row in tracked.iterrows()
            )
            or "none can be tracked"
        )
        shown.append(
            findings.key(
                "Indicators",
                f"{numbers.count(len(tracked))} of {numbers.count(len(summary))} indicators can be tracked "
                f"with data: {statuses}.",
                "Monitoring data from the participating authorities (ranges across authorities, not confidence "
                "intervals): it shows whether outcomes moved, not whether the project moved them.",
            )
        )
    shown.append(
        show.table(
            summary,
            [
                show.Column("indicator_id", "Indicator"),
                show.Column("name", "Name"),
                show.Column("level", "Level"),
                show.Column("unit", "Unit"),
                show.Column("baseline", "Baseline", "number"),
                show.Column("target", "Target", "number"),
                show.Column("latest_mean", "Latest mean of participants", "score"),
                show.Column("progress", "Progress to target (%)", "percent"),
                show.Column("expected_progress", "Progress expected by then (%)", "percent"),
                show.Column("status", "Status"),
            ],
            caption="Indicators against baseline and target",
            source="LOTI indicator observations",
        )
    )
    return shown


def level_alt_text(level_counts: pd.DataFrame) -> str:
    """Text alternative of the indicators-by-level chart.

    Examples
    --------
    >>> level_alt_text(pd.DataFrame({"level": ["organisation"], "Amber": [1], "Red": [0], "Total": [1]}))
    'Stacked bars of the number of indicators by status at each level: organisation: Amber 1'
    """
    statuses = [c for c in level_counts.columns if c not in ("level", "Total")]
    return "Stacked bars of the number of indicators by status at each level: " + "; ".join(
        f"{row['level']}: " + ", ".join(f"{status} {row[status]}" for status in statuses if row[status])
        for _, row in level_counts.iterrows()
    )


def yearly_status_table(history: pd.DataFrame) -> show.Table | show.Markdown:
    """The participants' mean and its status at the end of each year (:func:`yearly_status`), or why there is none."""
    if history.empty:
        return show.Markdown("*No indicator has observations over time, so there is no status history.*")
    return show.table(
        history,
        [
            show.Column("indicator_id", "Indicator"),
            show.Column("year", "Year"),
            show.Column("mean", "Mean of participants", "score"),
            show.Column("authorities", "Authorities", "count"),
            show.Column("lowest", "Lowest", "score"),
            show.Column("highest", "Highest", "score"),
            show.Column("progress", "Progress to target (%)", "percent"),
            show.Column("expected_progress", "Progress expected (%)", "percent"),
            show.Column("status", "Status"),
        ],
        caption="Status of the participants' mean at the end of each year",
        source="LOTI indicator observations",
    )


def _sms_evidence(result: ImpactResult) -> str:
    level = "not scoreable" if result.sms.level is None else f"level {result.sms.level} of 5"
    return (
        f"Maryland Scientific Methods Scale {level} ({result.sms.description}); the estimate rests on parallel "
        "trends (without the project, participants' indicator would have moved like the comparison "
        "authorities') and no anticipation."
    )


def impact_section(
    findings: show.Findings, impacts: dict[str, tuple[pd.DataFrame, ImpactResult]], *, alpha: float = 0.05
) -> list[Any]:
    """For each indicator: its heading, narrative and warnings; a key finding with the strength of evidence."""
    if not impacts:
        return [
            findings.key(
                "Impact",
                "No causal claim is made: none of this project's indicators has any observations, so neither "
                "an impact estimate nor a descriptive trend is possible. Collecting the indicators, in participating "
                "and "
                "comparison authorities before and after joining, is the first recommendation.",
                "None: the evidence rests on the logic model, monitoring of outputs and qualitative evidence.",
            )
        ]
    shown: list[Any] = []
    for indicator_id, (_, result) in impacts.items():
        shown += [show.Markdown(f"### {indicator_id}: {result.indicator_name}"), findings.finding(result.narrative)]
        shown += [findings.finding(f"**Warning.** {warning}") for warning in result.warnings]
        if result.headline is not None:
            shown.append(
                findings.key(
                    f"Impact on {result.indicator_name.lower()} ({indicator_id})",
                    describe_effect(
                        result.headline,
                        indicator_name=result.indicator_name,
                        unit=result.unit,
                        direction=result.direction,
                        alpha=alpha,
                    ),
                    _sms_evidence(result),
                )
            )
        else:
            shown.append(
                findings.key(
                    f"Impact on {result.indicator_name.lower()} ({indicator_id})",
                    f"No causal claim is made ({result.decision.reason.split('. ')[0].rstrip('.')}).",
                    "Contribution analysis only: what happened among participants is described, not attributed.",
                )
            )
    return shown


def impact_charts(
    impacts: dict[str, tuple[pd.DataFrame, ImpactResult]], indicators: pd.DataFrame, *, alpha: float = 0.05
) -> list[Chart]:
    """Each indicator's trend chart and, where estimated, its effect-by-time chart."""
    charts = []
    for indicator_id, (panel, result) in impacts.items():
        indicator = indicators[indicators["indicator_id"] == indicator_id].iloc[0]  # its row: ids are unique
        charts.append(
            Chart(
                f"trend_{indicator_id}",
                indicator_trend_chart(panel, indicator, title=f"{indicator_id}: {result.indicator_name}"),
                alt_text_for_trend(panel, indicator),
            )
        )
        if result.dynamic:
            figure, alt_text = effect_by_time_chart(result, per=period_unit(panel), alpha=alpha)
            charts.append(Chart(f"effect_by_time_{indicator_id}", figure, alt_text))
    return charts


def impact_table(impacts: dict[str, tuple[pd.DataFrame, ImpactResult]]) -> show.Table | show.Markdown:
    """The context, causal and descriptive estimates of every indicator, terms in words."""
    rows = [e for _, result in impacts.values() for e in result.context + result.causal + result.descriptive]
    if not rows:
        return show.Markdown("*No impact estimate: no indicator has observations.*")
    frame = to_frame(rows)
    frame["measure"] = [_TERM_WORDS.get(term, term) for term in frame["term"]]
    return show.table(
        frame,
        [
            show.Column("group", "Indicator"),
            show.Column("measure", "Measure"),
            show.Column("estimate", "Estimate", "number"),
            show.Column("conf_low", "Interval, low", "number"),
            show.Column("conf_high", "Interval, high", "number"),
            show.Column("p_value", "p-value", "p"),
            show.Column("n", "Observations (n)", "count"),
        ],
        caption="Impact estimates by indicator (effects in the indicator's unit)",
        notes=["Causal estimates appear only where the design permits them; descriptive rows are not effects."],
        source="LOTI indicator observations",
    )


def value_section(
    findings: show.Findings,
    vfm: ValueForMoney | None,
    supported: bool | None,
    evidence: str,
    *,
    project_id: str,
    base_year: int,
) -> list[Any]:
    """The appraisal's findings, the present values by bearer; its warnings go to the notes on the analysis."""
    if vfm is None:
        return [
            findings.key(
                "Value for money",
                f"{project_id} has no costs or benefits recorded, so its value for money cannot be appraised.",
                "None: no costs or benefits were recorded.",
            )
        ]
    for warning in vfm.warnings:
        findings.note(warning)
    shown: list[Any] = [findings.finding(describe_appraisal(vfm))]
    shown.append(findings.finding(evidence))
    pv = vfm.present_values
    shown.append(
        show.table(
            pv,
            [
                show.Column("bearer", "Who bears the costs or receives the benefits"),
                show.Column("cashable", "Cashable", "yes_no"),
                *[
                    show.Column(c, h, "money")
                    for c, h in (
                        ("pv_costs", "Present value of costs (£)"),
                        ("pv_benefits", "Present value of benefits (£)"),
                        ("net_present_value", "Net present value (£)"),
                    )
                    if c in pv
                ],
            ],
            caption=f"Present values by bearer and cashability ({base_year} prices, discounted)",
            source="LOTI project costs and benefits",
        )
    )
    return shown


def present_value_chart(vfm: ValueForMoney, *, project_id: str, base_year: int) -> Chart:
    """Net present value by bearer and cashability (£ thousand), hover rounded to the nearest £ thousand."""
    cashable = vfm.present_values["cashable"].map({True: " (cashable)", False: " (non-cashable)"})
    figure, alt_text = thousands_bar_chart(
        vfm.present_values.assign(label=vfm.present_values["bearer"] + cashable),
        x="label",
        pounds="net_present_value",
        title=f"{project_id}: net present value by bearer",
        x_title="Who bears the costs or receives the benefits",
        y_title=f"Net present value (£ thousand, {base_year} prices)",
        alt_intro="Net present value by bearer: ",
    )
    return Chart("present_value_by_bearer", figure, alt_text)


def risk_section(
    findings: show.Findings,
    vfm: ValueForMoney,
    simulation: MonteCarloResult,
    supported: bool | None,
    *,
    value_per_incident: float = 0.0,
) -> list[Any]:
    """Switching values, the Monte Carlo (the key finding on value for money), optimism bias and sensitivities."""
    monte = describe_monte_carlo(simulation)
    shown = [
        findings.finding(describe_switching(vfm)),
        findings.key(
            "Value for money",
            f"NPSV {numbers.money(vfm.value('npsv'))} and BCR {numbers.score(vfm.value('bcr'))} in "
            f"the central case; simulated, {simulated_npsv_range(simulation)}.",
            "Costs and benefits as the project recorded them, in real prices and discounted (Green Book); the range "
            "reflects the stated uncertainty of those figures, not sampling error. "
            + benefits_supported_by_evidence_note(supported),
        ),
    ]
    shown.append(findings.finding(monte))
    sentences = [describe_optimism_bias(vfm)]
    if value_per_incident > 0:
        sentences.append(
            f"At {numbers.money(value_per_incident)} per avoided incident, "
            f"{numbers.count(vfm.value('break_even_incidents'))} avoided incidents would pay for the "
            "project's costs."
        )
    adjusted = evidence_sensitivity(vfm, supported)
    if adjusted:
        sentences.append(
            f"If the benefits the impact evidence does not support are set to zero, the NPSV is "
            f"{numbers.money(adjusted[0].estimate)}: the project would not pay for itself on the "
            "evidence so far."
        )
    return shown + [findings.finding(sentence) for sentence in sentences if sentence]


def benefits_supported_by_evidence_note(supported: bool | None) -> str:
    """How far the impact evidence backs the benefits, in a few words for the strength of evidence."""
    return {
        True: "The impact evidence supports the outcome the benefits depend on.",
        False: "The impact evidence does not support the benefits claimed.",
        None: "No causal estimate backs the benefits: they rest on the business case and monitoring.",
    }[supported]


def scenario_chart(
    vfm: ValueForMoney, simulation: MonteCarloResult, supported: bool | None, *, project_id: str, base_year: int
) -> Chart:
    """NPSV under each assumption (central, optimism bias, Monte Carlo, unsupported benefits set to zero)."""
    rows = [{"label": "Central case", "estimate": vfm.value("npsv")}]
    scenario = optimism_bias_scenario(vfm)
    if scenario:
        rows.append({"label": scenario[0], "estimate": scenario[1]})
    monte = next(e for e in simulation.estimates if e.term == "monte_carlo_npsv")
    rows.append(
        {
            "label": "Monte Carlo mean (90% interval)",
            "estimate": monte.estimate,
            "conf_low": monte.conf_low,
            "conf_high": monte.conf_high,
        }
    )
    adjusted = evidence_sensitivity(vfm, supported)
    if adjusted:
        rows.append({"label": "Unsupported benefits set to zero", "estimate": adjusted[0].estimate})
    scenarios = pd.DataFrame(rows).reindex(columns=["label", "estimate", "conf_low", "conf_high"])
    scenarios[["estimate", "conf_low", "conf_high"]] /= 1000
    scenarios["conf_low"] = scenarios["conf_low"].fillna(scenarios["estimate"])
    scenarios["conf_high"] = scenarios["conf_high"].fillna(scenarios["estimate"])
    figure = interval_chart(
        scenarios,
        label="label",
        title=f"{project_id}: NPSV under each assumption",
        x_title=f"NPSV (£ thousand, {base_year} prices)",
    )
    figure.update_traces(hovertemplate="%{y}: £%{x:,.0f} thousand<extra></extra>")
    return Chart(
        "npsv_scenarios",
        figure,
        "NPSV under each assumption: " + "; ".join(f"{r.label}: £{r.estimate:,.0f}k" for r in scenarios.itertuples()),
    )


def supported_benefits(impacts: dict[str, tuple[pd.DataFrame, ImpactResult]]) -> tuple[bool | None, str]:
    """:func:`benefits_supported_by_evidence` over a project's impact results."""
    return benefits_supported_by_evidence([result for _, result in impacts.values()])


def impact_estimates(impacts: dict[str, tuple[pd.DataFrame, ImpactResult]]) -> list[Estimate]:
    """Every impact result's rows to publish, indicator by indicator."""
    return [e for _, result in impacts.values() for e in result.estimates()]


def project_value_for_money(flows: pd.DataFrame, **options: Any) -> ValueForMoney | None:
    """:func:`appraise_value_for_money` of a project's flows, or None when it recorded no costs or benefits."""
    return None if flows.empty else appraise_value_for_money(flows, **options)


def publish_value_for_money(
    run: Any,
    findings: show.Findings,
    vfm: ValueForMoney | None,
    supported: bool | None,
    evidence: str,
    *,
    project_id: str,
    base_year: int,
) -> list[Any]:
    """Publish the appraisal (results, present values, flows, chart) and return the section to display."""
    if vfm is None:
        return value_section(findings, vfm, supported, evidence, project_id=project_id, base_year=base_year)
    run.publish_results(vfm.estimates + evidence_sensitivity(vfm, supported))
    run.publish_table(
        "present_values", vfm.present_values, title="Present values by bearer and cashability", people_column=None
    )
    run.publish_table("flows", vfm.flows, title="Costs and benefits in real prices, discounted", people_column=None)
    shown = value_section(findings, vfm, supported, evidence, project_id=project_id, base_year=base_year)
    return shown + publish_charts(run, [present_value_chart(vfm, project_id=project_id, base_year=base_year)])


def publish_risks(
    run: Any,
    findings: show.Findings,
    vfm: ValueForMoney | None,
    supported: bool | None,
    *,
    project_id: str,
    base_year: int,
    seed: int,
    n_draws: int,
    value_per_incident: float = 0.0,
) -> list[Any]:
    """Simulate the appraisal, publish the simulation and the scenario chart, and return the section to display."""
    if vfm is None:
        return [show.Markdown("*No appraisal, so no risks to its conclusions to assess.*")]
    simulation = simulate_value_for_money(vfm, seed=seed, n_draws=n_draws)
    run.publish_results(simulation.estimates)
    shown = risk_section(findings, vfm, simulation, supported, value_per_incident=value_per_incident)
    chart = scenario_chart(vfm, simulation, supported, project_id=project_id, base_year=base_year)
    return shown + publish_charts(run, [chart])
