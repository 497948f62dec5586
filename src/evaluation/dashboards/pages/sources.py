"""The analyses whose published runs the dashboards read, by the name they publish under.

``reports/<analysis>/<run-id>/`` (the run contract): a page asks for these by name
(:func:`evaluation.dashboards.data.load_run`), and the published site re-renders a dashboard when a run of
one of them changes (:attr:`evaluation.dashboards.pages.scaffold.Dashboard.reads`).
"""

from __future__ import annotations

COHORT_ANALYSIS = "cohort_evaluation"  # one run per cohort
PROGRAMME_ANALYSIS = "programme_evaluation"
PORTFOLIO_ANALYSIS = "portfolio_evaluation"
PROJECT_ANALYSIS = "project_evaluation"  # one run per project
MATURITY_ANALYSIS = "maturity_assessment"  # one run per authority (notebooks/manifest-drilldown.yml)
MATURITY_LONDON_ANALYSIS = "maturity_london"
PEER_CHALLENGE_ANALYSIS = "peer_challenge_followup_all"
RISKS_ANALYSIS = "programme_risks"  # one run per register
LEADERSHIP_REGISTER, LOTI_REGISTER = "leadership", "loti"

# What the two LOTI dashboards with the whole programme in view read.
LOTI_RUNS = (
    PORTFOLIO_ANALYSIS,
    PROJECT_ANALYSIS,
    MATURITY_ANALYSIS,
    MATURITY_LONDON_ANALYSIS,
    PEER_CHALLENGE_ANALYSIS,
    RISKS_ANALYSIS,
)
