"""Programme governance: follow-up of peer challenges, and programme risk registers.

Two analyses, one module each, and the words of their reports:

- ``challenges``: peer-challenge follow-up (``notebooks/peer_challenge_followup.ipynb``): the action tracker
  (:func:`action_tracker`), progress and overdue actions by line of enquiry (:func:`progress_by_line`,
  :func:`overdue_actions`), the peers' judgement at follow-ups (:func:`follow_up_by_line`,
  :func:`tracker_against_follow_up`), the tracker's inconsistencies (:func:`tracker_warnings`) and their
  charts (:func:`status_chart`, :func:`follow_up_chart`); it owns ``ALL``, ``OPEN_STATUSES`` and ``JUDGED``;
- ``risks``: programme risks (``notebooks/programme_risks.ipynb``): the RAG rule by stated bands
  (:func:`check_bands`, :func:`rag_rating`), the register against it (:func:`scored_risks`,
  :func:`rag_disagreements`), heat maps (:func:`heat_map_counts`, :func:`heat_map_figure`) and movements between
  reviews (:func:`risk_movements`, :func:`slope_chart`); it owns ``DEFAULT_GREEN_MAX`` and ``DEFAULT_AMBER_MAX``;
- ``sections``: both reports' questions, designs, findings and tables in words (imported as a module, not
  re-exported here).

The notebooks use ``from evaluation.analyses import governance as analysis`` and
``from evaluation.analyses.governance import sections``. The statuses, lines of enquiry and RAG ratings are the
schema's (:mod:`evaluation.schemas.governance`). Plain-English methods: ``docs/maturity-and-governance.md``.
"""

from __future__ import annotations

from .challenges import (
    ALL,
    JUDGED,
    OPEN_STATUSES,
    action_tracker,
    challenge_summary,
    follow_up_by_line,
    follow_up_chart,
    is_overdue,
    overdue_actions,
    parse_as_of,
    progress_by_line,
    progress_estimates,
    status_chart,
    tracker_against_follow_up,
    tracker_warnings,
)
from .risks import (
    DEFAULT_AMBER_MAX,
    DEFAULT_GREEN_MAX,
    check_bands,
    heat_map_counts,
    heat_map_figure,
    rag_disagreements,
    rag_rating,
    resolve_review,
    risk_estimates,
    risk_movements,
    scored_risks,
    slope_chart,
)

__all__ = [
    "ALL",
    "DEFAULT_AMBER_MAX",
    "DEFAULT_GREEN_MAX",
    "JUDGED",
    "OPEN_STATUSES",
    "action_tracker",
    "challenge_summary",
    "check_bands",
    "follow_up_by_line",
    "follow_up_chart",
    "heat_map_counts",
    "heat_map_figure",
    "is_overdue",
    "overdue_actions",
    "parse_as_of",
    "progress_by_line",
    "progress_estimates",
    "rag_disagreements",
    "rag_rating",
    "resolve_review",
    "risk_estimates",
    "risk_movements",
    "scored_risks",
    "slope_chart",
    "status_chart",
    "tracker_against_follow_up",
    "tracker_warnings",
]
