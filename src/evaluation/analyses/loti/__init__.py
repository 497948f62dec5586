"""LOTI evaluation: logic models, indicators, impact, value for money and the whole portfolio.

The London Office of Technology and Innovation (LOTI) runs projects with its member authorities.
GLA Economics evaluates each project's effectiveness and outcomes at organisation, community and
economic level, and the value for money of the programme as a whole. This package holds every step
the two LOTI notebooks take, as tested functions, one module per concept:

- ``project``: a project's title, summary and logic model (:func:`project_title`, :func:`logic_model`);
- ``indicators``: indicators against baseline and target with a RAG status
  (:func:`track_project_indicators`);
- ``impact``: the authority x period panel and the impact evaluation (:func:`indicator_panel`,
  :func:`evaluate_impact`), which reports a causal estimate only when
  :func:`~evaluation.impact.evidence.causal_estimate_permitted` allows it and otherwise a
  contribution analysis with no causal claim;
- ``value``: value for money of a project (:func:`project_flows`, :func:`appraise_value_for_money`,
  :func:`simulate_value_for_money`) and of the programme against its annual funding
  (:func:`core_funding_flows`, :func:`programme_value_for_money`);
- ``portfolio``: participation of the 33 authorities (:func:`participation_table`), who works with
  whom (:func:`co_participation_matrix`, :func:`collaboration_summary`) and the member survey
  (:func:`member_survey_summary`);
- ``report`` and ``portfolio_report``: what the project and portfolio reports show, section by section
  (findings, tables, charts);
- ``charts``: the London tile map (:func:`tile_map`) and the other LOTI charts.

The notebooks use ``from evaluation.analyses import loti`` and call ``loti.<name>``: every public
name of the modules is available here.

Framing: HM Treasury (2020) *Magenta Book* (theory of change, contribution analysis, strength of
evidence on the Maryland Scientific Methods Scale) and HM Treasury (2022) *Green Book* (real
prices, STPR discounting, NPSV and BCR, optimism bias, switching values, Monte Carlo). Methods and
limits in plain English: ``docs/loti-evaluation.md``.
"""

from __future__ import annotations

from .charts import (
    alt_text_for_trend,
    co_participation_heatmap,
    effect_by_time_chart,
    indicator_trend_chart,
    interval_rows,
    rag_level_chart,
    tile_map,
)
from .impact import (
    CAUSAL_TERMS,
    ControlGroup,
    ImpactResult,
    causal_findings_table,
    contribution_narrative,
    describe_effect,
    describe_trend,
    evaluate_impact,
    impact_narrative,
    indicator_panel,
    is_causal,
    naive_post_comparison,
    participant_trend,
    period_unit,
    project_impacts,
)
from .indicators import (
    DIRECTIONS,
    LEVELS,
    STATUS_COLOURS,
    STATUSES,
    IndicatorTracking,
    describe_indicator,
    event_time_label,
    track_project_indicators,
    tracking_estimates,
    unit_phrase,
    yearly_status,
)
from .portfolio import (
    MEMBER_SURVEY,
    SURVEY_RESPONDENTS,
    co_participation_matrix,
    collaboration_summary,
    describe_rating,
    funding_table,
    member_survey_scores,
    member_survey_summary,
    participation_estimates,
    participation_table,
    survey_respondents,
)
from .portfolio_report import (
    PORTFOLIO_DESIGN,
    PORTFOLIO_QUESTION,
    causal_estimates,
    causal_section,
    collaboration_section,
    named_partners,
    outcomes_section,
    participation_section,
    portfolio_impacts,
    portfolio_overview,
    programme_value_section,
    survey_section,
    unsupported_projects,
)
from .project import (
    LOGIC_STAGES,
    logic_model,
    project_summary,
    project_title,
)
from .report import (
    PROJECT_DESIGN,
    Chart,
    benefits_supported_by_evidence_note,
    impact_charts,
    impact_estimates,
    impact_section,
    impact_table,
    indicator_section,
    level_alt_text,
    logic_model_table,
    present_value_chart,
    project_question,
    project_value_for_money,
    publish_charts,
    publish_risks,
    publish_value_for_money,
    risk_section,
    scenario_chart,
    summary_table,
    supported_benefits,
    value_section,
    yearly_status_table,
)
from .value import (
    CORE_FUNDING,
    GLA_ANNUAL_GBP,
    LONDON_COUNCILS_ANNUAL_GBP,
    STAGE_TREATMENT,
    AppraisalStage,
    ProgrammeValue,
    UncertaintyRanges,
    ValueForMoney,
    appraise_value_for_money,
    benefits_supported_by_evidence,
    core_funding_flows,
    describe_appraisal,
    describe_monte_carlo,
    describe_optimism_bias,
    describe_stage,
    describe_switching,
    evidence_sensitivity,
    optimism_bias_scenario,
    programme_value_for_money,
    project_flows,
    simulate_value_for_money,
)

__all__ = [
    "PORTFOLIO_DESIGN",
    "PORTFOLIO_QUESTION",
    "causal_estimates",
    "causal_section",
    "collaboration_section",
    "named_partners",
    "outcomes_section",
    "participation_section",
    "portfolio_impacts",
    "portfolio_overview",
    "programme_value_section",
    "survey_section",
    "unsupported_projects",
    "Chart",
    "PROJECT_DESIGN",
    "benefits_supported_by_evidence_note",
    "impact_charts",
    "impact_estimates",
    "impact_section",
    "impact_table",
    "indicator_section",
    "level_alt_text",
    "logic_model_table",
    "present_value_chart",
    "project_question",
    "project_value_for_money",
    "publish_charts",
    "publish_risks",
    "publish_value_for_money",
    "risk_section",
    "scenario_chart",
    "summary_table",
    "supported_benefits",
    "value_section",
    "yearly_status_table",
    "LOGIC_STAGES",
    "logic_model",
    "project_summary",
    "project_title",
    "DIRECTIONS",
    "LEVELS",
    "STATUSES",
    "STATUS_COLOURS",
    "IndicatorTracking",
    "track_project_indicators",
    "yearly_status",
    "tracking_estimates",
    "describe_indicator",
    "event_time_label",
    "unit_phrase",
    "ControlGroup",
    "CAUSAL_TERMS",
    "indicator_panel",
    "period_unit",
    "ImpactResult",
    "participant_trend",
    "naive_post_comparison",
    "evaluate_impact",
    "project_impacts",
    "causal_findings_table",
    "describe_effect",
    "describe_trend",
    "contribution_narrative",
    "impact_narrative",
    "is_causal",
    "GLA_ANNUAL_GBP",
    "LONDON_COUNCILS_ANNUAL_GBP",
    "CORE_FUNDING",
    "project_flows",
    "ValueForMoney",
    "appraise_value_for_money",
    "UncertaintyRanges",
    "simulate_value_for_money",
    "benefits_supported_by_evidence",
    "evidence_sensitivity",
    "describe_appraisal",
    "describe_stage",
    "describe_optimism_bias",
    "optimism_bias_scenario",
    "AppraisalStage",
    "STAGE_TREATMENT",
    "describe_monte_carlo",
    "describe_switching",
    "core_funding_flows",
    "ProgrammeValue",
    "programme_value_for_money",
    "MEMBER_SURVEY",
    "SURVEY_RESPONDENTS",
    "participation_table",
    "participation_estimates",
    "funding_table",
    "co_participation_matrix",
    "collaboration_summary",
    "member_survey_scores",
    "member_survey_summary",
    "survey_respondents",
    "describe_rating",
    "tile_map",
    "co_participation_heatmap",
    "effect_by_time_chart",
    "rag_level_chart",
    "indicator_trend_chart",
    "alt_text_for_trend",
    "interval_rows",
]
