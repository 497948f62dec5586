"""Leadership programme across all cohorts: change, cohort differences, attrition, equality, value for money.

:mod:`evaluation.analyses.cohort` evaluates one cohort of about eight leaders.
This package pools every cohort to answer the roll-out question: did leaders'
confidence, competence and application of new approaches change, did the
change differ between cohorts, who dropped out, were outcomes equal across
protected characteristics (Public Sector Equality Duty), what did it cost per
participant and per unit of change, and how many cohorts a further evaluation
would need to detect a given change. It holds every step the programme notebook
takes, as tested functions, one module per concept:

- ``change``: scale scores of every cohort (:func:`programme_scores`), the mixed models of change
  (:func:`fit_change_models`, :func:`model_changes`), the tests of a cohort difference
  (:func:`cohort_interaction_test`, :func:`cohort_change_permutation_test`), all of it in one call
  (:func:`change_across_cohorts`), the single items (:func:`item_models`) and the ratings
  (:func:`ratings_by_cohort`); it owns ``WAVE_ORDER`` and ``ALL_COHORTS``;
- ``participation``: completion, drop-out and attendance (:func:`completion_table`, :func:`completion_rate`,
  :func:`survey_coverage`, :func:`attendance_by_session`) and whether drop-outs differed at baseline
  (:func:`dropout_baseline_difference`);
- ``equality``: outcomes by protected characteristic (:func:`characteristic_groups`, :func:`change_by_group`,
  :func:`completion_by_group`, :func:`equality_analysis`); it owns ``CHARACTERISTICS``, ``NOT_KNOWN`` and
  ``NOT_REPORTED``;
- ``outcomes``: applications at work and open content (:func:`applications_summary`,
  :func:`evidence_table`, :func:`content_summary`);
- ``value``: costs and value for money (:func:`cost_summary`, :func:`day_rate_comparison`,
  :func:`value_for_money`);
- ``rollout``: roll-out planning by power (:func:`change_sd`, :func:`paired_completion_rate`,
  :func:`rollout_requirements`, :func:`rollout_plan`, :func:`rollout_chart`, :func:`rollout_sentence`), all of
  it from published figures in one call (:func:`rollout_planning`);
- ``reporting``: the publishing helpers, sentences and disclosure-checked tables (:func:`describe_interval`,
  :func:`describe_test`, :func:`describe_model_change`, :func:`describe_cohort_difference`,
  :func:`interval_alt_text`, :func:`row_estimate`, :func:`suppress`, :func:`checked`,
  :func:`checked_counts`).

The report's question, design, findings and tables in words are in ``sections`` (imported as a module, not
re-exported here). The programme notebook uses ``from evaluation.analyses import programme as analysis`` and calls
``analysis.<name>``: every public name of the modules is available here.

Conventions follow :mod:`evaluation.statistics`: changes are later wave minus
earlier wave (positive = scores rose), every estimate is a tidy
:class:`~evaluation.tidy.Estimate`, and ``n`` is the **smallest group of
people behind an estimate**, which is what disclosure control checks. Functions
that return publishable tables take the disclosure threshold ``k`` and apply
primary and secondary suppression themselves. Methods and limits in plain English:
``docs/methodology.md``.
"""

from __future__ import annotations

from .change import (
    ALL_COHORTS,
    WAVE_ORDER,
    ChangeModels,
    ProgrammeChange,
    change_across_cohorts,
    cohort_change_permutation_test,
    cohort_interaction_test,
    fit_change_models,
    item_models,
    model_changes,
    programme_scores,
    ratings_by_cohort,
)
from .equality import (
    CHARACTERISTICS,
    NOT_KNOWN,
    NOT_REPORTED,
    change_by_group,
    characteristic_groups,
    completion_by_group,
    equality_analysis,
)
from .outcomes import applications_finding, applications_summary, content_summary, evidence_table
from .participation import (
    attendance_by_session,
    completion_rate,
    completion_table,
    dropout_baseline_difference,
    dropout_baseline_differences,
    survey_coverage,
)
from .reporting import (
    by_population,
    checked,
    checked_counts,
    cohort_populations,
    describe_cohort_difference,
    describe_interval,
    describe_model_change,
    describe_test,
    interval_alt_text,
    row_estimate,
    suppress,
)
from .rollout import (
    RolloutPlanning,
    change_sd,
    paired_completion_rate,
    rollout_chart,
    rollout_plan,
    rollout_planning,
    rollout_requirements,
    rollout_sentence,
)
from .value import cost_summary, day_rate_comparison, value_for_money

__all__ = [
    "WAVE_ORDER",
    "ALL_COHORTS",
    "programme_scores",
    "ChangeModels",
    "fit_change_models",
    "model_changes",
    "cohort_interaction_test",
    "cohort_change_permutation_test",
    "ProgrammeChange",
    "change_across_cohorts",
    "item_models",
    "ratings_by_cohort",
    "completion_table",
    "completion_rate",
    "survey_coverage",
    "attendance_by_session",
    "dropout_baseline_difference",
    "dropout_baseline_differences",
    "CHARACTERISTICS",
    "NOT_KNOWN",
    "NOT_REPORTED",
    "characteristic_groups",
    "change_by_group",
    "completion_by_group",
    "equality_analysis",
    "applications_summary",
    "evidence_table",
    "content_summary",
    "cost_summary",
    "day_rate_comparison",
    "value_for_money",
    "change_sd",
    "paired_completion_rate",
    "rollout_requirements",
    "rollout_plan",
    "rollout_chart",
    "rollout_sentence",
    "RolloutPlanning",
    "rollout_planning",
    "applications_finding",
    "describe_interval",
    "describe_test",
    "by_population",
    "checked",
    "checked_counts",
    "cohort_populations",
    "row_estimate",
    "describe_model_change",
    "suppress",
    "describe_cohort_difference",
    "interval_alt_text",
]
