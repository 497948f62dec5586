"""Borough digital maturity: an index, its sensitivity to weights, change between rounds, comparison with London.

Authorities self-assess their digital maturity in rounds, scoring each of the nine domains of
:data:`~evaluation.schemas.loti.MATURITY_DOMAINS` from 1 (lowest) to 5 (table ``maturity_assessments``). This
package holds every step of ``notebooks/maturity_assessment.ipynb``, one module per concept:

- ``scores``: assessment rounds, domain scores and the maturity index (:func:`assessment_rounds`,
  :func:`resolve_round`, :func:`score_table`, :func:`parse_weights`, :func:`maturity_index`,
  :func:`index_by_round`); it owns ``ALL`` and ``INDEX``;
- ``sensitivity``: how far rankings depend on the weights (:func:`weight_sensitivity`,
  :class:`WeightSensitivity`) and the league table that carries the ranges of ranks (:func:`league_table`);
- ``london``: an authority against London (:func:`london_summary`, :func:`london_comparison` and their tidy
  rows); the default view, with no league table of named authorities;
- ``change``: change between rounds for one authority, for London and by LOTI membership
  (:func:`domain_change_table`, :func:`authority_change`, :func:`london_change`, :func:`change_by_membership`);
- ``figures``: dot plots, dumbbell and rank-range charts with their text alternatives (no radar charts, whose
  areas depend on the order of the axes);
- ``sections``: what the report shows, section by section (imported as a module, not re-exported here:
  ``from evaluation.analyses.maturity import sections``).

Self-assessment limits every result: authorities may score themselves differently, and the scale is
ordinal, so a mean of scores treats the steps between levels as equal. Intervals describe variation across
domains or across authorities, not the error of self-assessment itself. Plain-English methods:
``docs/maturity-and-governance.md``.
"""

from __future__ import annotations

from .change import authority_change, change_by_membership, domain_change_table, london_change
from .figures import change_dumbbell_chart, comparison_dot_plot, london_dot_plot, rank_range_chart
from .london import comparison_estimates, london_comparison, london_summary, summary_estimates
from .scores import (
    ALL,
    INDEX,
    assessment_rounds,
    check_authority,
    index_by_round,
    maturity_index,
    parse_weights,
    resolve_round,
    score_table,
)
from .sensitivity import WeightSensitivity, league_table, weight_sensitivity

__all__ = [
    "ALL",
    "INDEX",
    "WeightSensitivity",
    "assessment_rounds",
    "authority_change",
    "change_by_membership",
    "change_dumbbell_chart",
    "check_authority",
    "comparison_dot_plot",
    "comparison_estimates",
    "domain_change_table",
    "index_by_round",
    "league_table",
    "london_change",
    "london_comparison",
    "london_dot_plot",
    "london_summary",
    "maturity_index",
    "parse_weights",
    "rank_range_chart",
    "resolve_round",
    "score_table",
    "summary_estimates",
    "weight_sensitivity",
]
