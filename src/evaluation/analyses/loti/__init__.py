"""LOTI evaluation: logic models, indicators, impact, value for money and the whole portfolio.

The London Office of Technology and Innovation (LOTI) runs projects with its member authorities.
GLA Economics evaluates each project's effectiveness and outcomes at organisation, community and
economic level, and the value for money of the programme as a whole. This package holds every step
the two LOTI notebooks take, as tested functions, one module per concept:

- ``project``: a project's title, summary and logic model (:func:`project_title`, :func:`logic_model`);
- ``indicator_tracking``: a project's indicators against baseline and target with a RAG status, by
  authority and over time (:func:`track_project_indicators`), on the generic rule of
  :mod:`evaluation.impact.indicators`;
- ``panel``: the authority x period panel of an indicator (:func:`indicator_panel`, :func:`period_unit`);
- ``project_impact``: the impact evaluation of a project (:func:`evaluate_impact`, :func:`project_impacts`),
  which reports a causal estimate (with the estimators of :mod:`evaluation.impact`) only when
  :func:`~evaluation.impact.evidence.causal_estimate_permitted` allows it and otherwise a
  contribution analysis with no causal claim;
- ``impact_sentences``: what the impact evaluation says in plain English (:func:`describe_effect`,
  :func:`describe_trend`, :func:`contribution_narrative`, :func:`impact_narrative`);
- ``value``: value for money of a project (:func:`project_flows`, :func:`appraise_value_for_money`,
  :func:`simulate_value_for_money`) and whether the impact evidence supports its benefits
  (:func:`benefits_supported_by_evidence`, :func:`evidence_sensitivity`);
- ``value_sentences``: the appraisal in plain English (:func:`describe_appraisal`, :func:`describe_stage`,
  :func:`describe_optimism_bias`, :func:`describe_monte_carlo`, :func:`simulated_npsv_range`,
  :func:`describe_switching`);
- ``programme_value``: the programme against its annual core funding (:func:`core_funding_flows`,
  :func:`programme_value_for_money`);
- ``portfolio``: participation of the 33 authorities (:func:`participation_table`), who works with
  whom (:func:`co_participation_matrix`, :func:`collaboration_summary`) and the member survey
  (:func:`member_survey_summary`);
- ``project_sections`` and ``portfolio_sections``: what the project and portfolio reports show, section by section
  (findings, tables, charts);
- ``figures``: the London tile map (:func:`tile_map`) and the other LOTI figures (amounts in £ thousand:
  :func:`thousands_bar_chart`), on the shared chart builders of :mod:`evaluation.charts`.

The notebooks use ``from evaluation.analyses import loti`` and call ``loti.<name>``: every public
name of the modules is available here. The vocabulary of levels, directions and stages is the schema's
(:mod:`evaluation.schemas.loti`): ``loti.LEVELS`` and ``loti.DIRECTIONS`` are those.

Framing: HM Treasury (2020) *Magenta Book* (theory of change, contribution analysis, strength of
evidence on the Maryland Scientific Methods Scale) and HM Treasury (2022) *Green Book* (real
prices, STPR discounting, NPSV and BCR, optimism bias, switching values, Monte Carlo). Methods and
limits in plain English: ``docs/loti-evaluation.md``.
"""

from __future__ import annotations

from ...schemas.loti import DIRECTIONS, LEVELS
from .figures import (
    alt_text_for_trend,
    co_participation_heatmap,
    effect_by_time_chart,
    indicator_trend_chart,
    interval_rows,
    rag_level_chart,
    thousands_bar_chart,
    tile_map,
)
from .impact_sentences import contribution_narrative, describe_effect, describe_trend, impact_narrative
from .indicator_tracking import (
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
from .panel import indicator_panel, period_unit
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
from .portfolio_sections import (
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
from .programme_value import (
    CORE_FUNDING,
    GLA_ANNUAL_GBP,
    LONDON_COUNCILS_ANNUAL_GBP,
    ProgrammeValue,
    core_funding_flows,
    programme_value_for_money,
)
from .project import (
    LOGIC_STAGES,
    logic_model,
    project_summary,
    project_title,
)
from .project_impact import (
    CAUSAL_TERMS,
    ControlGroup,
    ImpactResult,
    causal_findings_table,
    evaluate_impact,
    is_causal,
    naive_post_comparison,
    participant_trend,
    project_impacts,
)
from .project_sections import (
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
    STAGE_TREATMENT,
    AppraisalStage,
    UncertaintyRanges,
    ValueForMoney,
    appraise_value_for_money,
    benefits_supported_by_evidence,
    evidence_sensitivity,
    project_flows,
    simulate_value_for_money,
)
from .value_sentences import (
    describe_appraisal,
    describe_monte_carlo,
    describe_optimism_bias,
    describe_stage,
    describe_switching,
    optimism_bias_scenario,
    simulated_npsv_range,
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
    "simulated_npsv_range",
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
    "thousands_bar_chart",
]
