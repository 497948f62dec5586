"""One leadership cohort: scale scores, paired change, ratings, completion and applications.

The programme's measures of success: (1) change in self-reported confidence
and competence (and application); (2) evidence that new approaches were
applied at work; (3) participants' ratings of quality, relevance,
effectiveness and applicability; (4) open content reused by others.
:mod:`evaluation.analyses.programme` pools every cohort. One module per concept:

- ``scores``: scale scores and their reliability (:func:`item_matrix`, :func:`construct_scores`,
  :func:`reliability`, :func:`multi_item_reliability`) and mean ratings (:func:`rating_estimates`);
- ``change``: paired change between two waves (:func:`construct_pairs`, :func:`paired_change`,
  :func:`paired_changes`, :func:`change_estimates`, :func:`mean_changes`) and who it leaves out
  (:func:`exclusions_table`);
  it owns ``WAVE_PAIRS``;
- ``participation``: completion, attendance and applications at work (:func:`completion_counts`,
  :func:`attendance_rate`, :func:`applications_by_type`);
- ``sentences``: plain sentences on one estimate, shared with the programme report
  (:func:`describe_interval`, :func:`describe_change`, :func:`change_evidence`);
- ``sections``: the report's question, design, findings, text alternatives and tables (:data:`DESIGN`,
  :func:`question`, :func:`change_finding`, :func:`ratings_finding`, :func:`coverage_table` ...).

The cohort notebook uses ``from evaluation.analyses import cohort as analysis`` and calls
``analysis.<name>``: every public name of the modules is available here, and the vocabulary of the
outcomes and ratings (:data:`~evaluation.schemas.programme.OUTCOMES`,
:data:`~evaluation.schemas.programme.RATINGS`, defined in the schema) with them.
"""

from __future__ import annotations

from ...schemas.programme import OUTCOMES, RATINGS
from .change import (
    WAVE_PAIRS,
    PairedChange,
    change_estimates,
    construct_pairs,
    exclusions_table,
    mean_changes,
    paired_change,
    paired_changes,
    without_total_row,
)
from .participation import applications_by_type, attendance_rate, completion_counts
from .scores import COHORT_RATERS, construct_scores, item_matrix, multi_item_reliability, rating_estimates, reliability
from .sections import (
    DESIGN,
    RELIABILITY_TERMS,
    applications_table,
    attendance_summary,
    attendance_table,
    change_finding,
    completion_display,
    content_finding,
    content_table,
    coverage_table,
    estimates_alt_text,
    question,
    rates_alt_text,
    ratings_finding,
    reliability_table,
    scope_sentence,
)
from .sentences import change_evidence, describe_change, describe_interval

__all__ = [
    "OUTCOMES",
    "RATINGS",
    "COHORT_RATERS",
    "item_matrix",
    "construct_scores",
    "reliability",
    "multi_item_reliability",
    "rating_estimates",
    "WAVE_PAIRS",
    "PairedChange",
    "construct_pairs",
    "paired_change",
    "paired_changes",
    "change_estimates",
    "mean_changes",
    "exclusions_table",
    "without_total_row",
    "completion_counts",
    "attendance_rate",
    "applications_by_type",
    "describe_interval",
    "describe_change",
    "change_evidence",
    "DESIGN",
    "question",
    "scope_sentence",
    "estimates_alt_text",
    "change_finding",
    "ratings_finding",
    "attendance_summary",
    "RELIABILITY_TERMS",
    "coverage_table",
    "reliability_table",
    "applications_table",
    "content_table",
    "completion_display",
    "attendance_table",
    "rates_alt_text",
    "content_finding",
]
