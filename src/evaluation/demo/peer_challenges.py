"""Peer challenges of member authorities, their recommendations and the actions agreed (an action tracker)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..schemas.governance import LINES_OF_ENQUIRY
from .dates import add_calendar_months, end_of_quarter
from .loti_world import LotiWorld
from .randomness import draw, pick

# The date the demo's action tracker and risk registers were last updated; the analyses' default "as of" date.
GOVERNANCE_AS_OF = dt.date(2025, 12, 31)
# (identifier, last day on site, months to the follow-up review, organisation leading the review team)
PEER_CHALLENGE_PLAN = (
    ("PC-2022-01", dt.date(2022, 3, 17), 14, "LOTI"),
    ("PC-2022-02", dt.date(2022, 6, 23), 15, "Local Government Association"),
    ("PC-2022-03", dt.date(2022, 10, 13), 15, "LOTI"),
    ("PC-2023-01", dt.date(2023, 2, 9), 14, "Socitm"),
    ("PC-2023-02", dt.date(2023, 6, 22), 15, "LOTI"),
    ("PC-2023-03", dt.date(2023, 11, 16), 15, "Local Government Association"),
    ("PC-2024-01", dt.date(2024, 5, 16), 16, "LOTI"),
    ("PC-2024-02", dt.date(2024, 11, 14), 16, "Socitm"),
    ("PC-2025-01", dt.date(2025, 5, 15), 14, "LOTI"),
)
RECOMMENDATIONS_PER_CHALLENGE = (4, 7)  # drawn uniformly, inclusive
ACTIONS_PER_RECOMMENDATION = {1: 0.35, 2: 0.45, 3: 0.2}
# Planted: the share of actions due by the tracker date that are complete differs by line of enquiry.
COMPLETION_BY_LINE = {
    "Digital services": 0.65,
    "Data": 0.55,
    "Innovation": 0.6,
    "Leadership": 0.75,
    "Skills": 0.45,
    "Governance": 0.8,
    "Capacity": 0.35,
}
DROPPED_SHARE = 0.05
NOT_YET_DUE_SHARES = {"Complete": 0.2, "In progress": 0.6, "Not started": 0.2}
# The peers' judgement at the follow-up given the tracker status: a tracker's "Complete" is not always achieved.
FOLLOW_UP_GIVEN_STATUS = {
    "Complete": {"Achieved": 0.7, "Partly achieved": 0.22, "Not achieved": 0.08},
    "In progress": {"Partly achieved": 0.6, "Not achieved": 0.4},
    "Not started": {"Not achieved": 1.0},
    "Dropped": {"Not assessed": 1.0},
}
RECOMMENDATION_TEXTS = {
    "Digital services": (
        "Redesign the highest-volume online forms around user needs and retire the paper equivalents.",
        "Set service standards for every new digital service and assess services against them before launch.",
        "Publish a single list of online services with their take-up and completion rates.",
    ),
    "Data": (
        "Appoint an accountable owner for each core dataset and publish a data catalogue.",
        "Agree common definitions of residents, properties and cases across the main line-of-business systems.",
        "Use the shared data-sharing agreement rather than drafting new bilateral agreements.",
    ),
    "Innovation": (
        "Create a small fund for short discovery projects and report what each one learned.",
        "Submit ideas to the London innovation pipeline before starting local discoveries.",
    ),
    "Leadership": (
        "Make a member of the corporate leadership team accountable for the digital strategy.",
        "Include digital and data progress in the quarterly performance report to cabinet.",
        "Give the digital strategy measurable outcomes and review them every year.",
    ),
    "Skills": (
        "Offer foundation data and digital skills training to all managers.",
        "Build a career path for digital, data and technology roles to reduce reliance on agency staff.",
    ),
    "Governance": (
        "Replace the separate technology boards with one design authority that has clear terms of reference.",
        "Require a benefits profile for every technology investment above the key decision threshold.",
        "Review cyber security risks at the audit committee at least twice a year.",
    ),
    "Capacity": (
        "Plan the capacity of the digital team against the approved pipeline of work.",
        "Fund product management for live services instead of treating them as finished projects.",
    ),
}
ACTION_OWNERS = (
    "Chief Digital Officer",
    "Head of Data and Insight",
    "Director of Resources",
    "Head of IT Operations",
    "Chief Information Security Officer",
    "Head of Organisational Development",
    "Transformation Programme Manager",
    "Head of Customer Services",
    "Senior Information Risk Owner",
)
ACTION_EVIDENCE = {
    "Complete": (
        "Signed-off report to the corporate leadership team.",
        "Published on the council website.",
        "Adopted by cabinet; minutes record the decision.",
        "Training records show the target reached.",
    ),
    "In progress": (
        "Draft circulated for comment.",
        "Pilot running in two services.",
        "Procurement under way; award expected next quarter.",
    ),
    "Not started": (None,),
    "Dropped": ("Superseded by the new corporate plan.", "Replaced by a London-wide approach."),
}
# Rows of the peer_challenges, recommendations and actions sheets, in their columns' order.
ChallengeRow = tuple[str, str, dt.date, dt.date, str]  # id, authority, review, follow-up, lead reviewer
RecommendationRow = tuple[str, str, str, str]  # id, challenge, line of enquiry, summary
ActionRow = tuple[
    str, str, str, dt.date, str, str | None, str
]  # id, recommendation, owner, due, status, evidence, judged


def peer_challenge_rows(
    world: LotiWorld, rng: np.random.Generator
) -> tuple[list[ChallengeRow], list[RecommendationRow], list[ActionRow]]:
    """Peer challenges of member authorities, their recommendations and the actions agreed for each."""
    members = sorted(world.member_since)
    chosen = rng.choice(len(members), len(PEER_CHALLENGE_PLAN), replace=False)
    challenges: list[ChallengeRow] = []
    recommendations: list[RecommendationRow] = []
    actions: list[ActionRow] = []
    for (challenge_id, review, months, lead), index in zip(PEER_CHALLENGE_PLAN, chosen, strict=True):
        follow_up = add_calendar_months(review, months)
        challenges.append((challenge_id, members[int(index)], review, follow_up, lead))
        low, high = RECOMMENDATIONS_PER_CHALLENGE
        lines = rng.choice(len(LINES_OF_ENQUIRY), int(rng.integers(low, high + 1)), replace=False)
        for r, line_index in enumerate(sorted(lines), start=1):
            line = LINES_OF_ENQUIRY[int(line_index)]
            recommendation_id = f"{challenge_id}-R{r}"
            recommendations.append((recommendation_id, challenge_id, line, pick(rng, RECOMMENDATION_TEXTS[line])))
            for a in range(1, draw(rng, ACTIONS_PER_RECOMMENDATION) + 1):
                due = end_of_quarter(review, int(rng.integers(1, 7)))
                if rng.random() < DROPPED_SHARE:
                    status = "Dropped"
                elif due <= GOVERNANCE_AS_OF:
                    complete = COMPLETION_BY_LINE[line]
                    status = str(
                        draw(
                            rng,
                            {
                                "Complete": complete,
                                "In progress": 0.7 * (1 - complete),
                                "Not started": 0.3 * (1 - complete),
                            },
                        )
                    )
                else:
                    status = str(draw(rng, NOT_YET_DUE_SHARES))
                judged = (
                    str(draw(rng, FOLLOW_UP_GIVEN_STATUS[status])) if follow_up <= GOVERNANCE_AS_OF else "Not assessed"
                )
                evidence = ACTION_EVIDENCE[status][int(rng.integers(len(ACTION_EVIDENCE[status])))]
                actions.append(
                    (
                        f"{recommendation_id}-A{a}",
                        recommendation_id,
                        pick(rng, ACTION_OWNERS),
                        due,
                        status,
                        evidence,
                        judged,
                    )
                )
    return challenges, recommendations, actions
