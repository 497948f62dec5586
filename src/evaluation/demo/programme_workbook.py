"""The sheets of ``programme.xlsx``: cohorts, participants, instrument, attendance, applications, content, costs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np

from ..schemas.programme import APPLICATION_TYPES, EVIDENCE_LEVELS
from .dates import months_between
from .leadership_answers import SurveyResponse
from .leadership_survey import AGREEMENT_LABELS, LEADERSHIP_ITEMS, LEADERSHIP_SURVEY
from .randomness import draw, pick
from .roster import PLACES, SESSIONS, Cohort, Participant
from .writers import Rows, Table, schema_sheets

PILOT_BUDGET_GBP = 50_000
FACILITATION_DAYS_PER_COHORT = 12
FACILITATION_DAY_RATE_GBP = 650
MARKET_DAY_RATE_GBP = 900
ATTENDANCE_RATE = 0.85
EVIDENCE_SHARES = dict(zip(EVIDENCE_LEVELS, (0.5, 0.3, 0.2), strict=True))
CONTENT_URL_BASE = "https://digital-leadership.example.org/resources/"  # reserved domain: never a real page


def programme_tables(
    cohorts: Sequence[Cohort],
    roster: Sequence[Participant],
    responses: dict[str, dict[str, list[SurveyResponse]]],
    rng: np.random.Generator,
) -> dict[str, Table]:
    """The sheets of programme.xlsx, named as the workbench's tables."""
    by_id = {c.cohort_id: c for c in cohorts}
    cohort_rows = [
        (
            c.cohort_id,
            f"Digital leadership cohort {c.cohort_id[1:]} ({c.start:%B %Y})",
            c.start,
            c.end,
            SESSIONS,
            PLACES,
        )
        for c in cohorts
    ]
    participants = [
        (
            p.email,
            p.name,
            p.cohort_id,
            p.grade,
            p.directorate,
            p.enrolled_on,
            by_id[p.cohort_id].end if p.completed else None,
            p.withdrawn_on,
            p.withdrawal_reason,
            p.sex,
            p.ethnic_group,
            p.disability,
            p.age_band,
        )
        for p in roster
    ]
    instrument = [
        (item.item_id, LEADERSHIP_SURVEY, item.construct, item.wording, 1, 5, item.reverse_coded, AGREEMENT_LABELS)
        for item in LEADERSHIP_ITEMS
    ]
    attendance = []
    for cohort in cohorts:
        people = [p for p in roster if p.cohort_id == cohort.cohort_id]
        for session, day in enumerate(cohort.session_dates, start=1):
            for p in people:
                active = p.withdrawn_after_session is None or session <= p.withdrawn_after_session
                attendance.append(
                    (cohort.cohort_id, session, day, p.email, p.name, bool(active and rng.random() < ATTENDANCE_RATE))
                )
    applications = []
    for p in roster:
        if not p.completed:
            continue
        cohort = by_id[p.cohort_id]
        follow_ups = [r.recorded.date() for r in responses[p.cohort_id]["follow-up"]]
        window = (max(follow_ups) - cohort.end).days
        for _ in range(int(rng.choice(4, p=[0.25, 0.35, 0.25, 0.15]))):
            applications.append(
                (
                    p.email,
                    p.name,
                    cohort.end + dt.timedelta(days=int(rng.integers(7, window))),
                    pick(rng, APPLICATION_TYPES[:-1]),
                    str(draw(rng, EVIDENCE_SHARES)),
                )
            )
    applications.sort(key=lambda row: (row[2], row[0]))
    application_rows = [(f"APP{n:03d}", *row) for n, row in enumerate(applications, start=1)]
    return schema_sheets(
        {
            "cohorts": cohort_rows,
            "participants": participants,
            "instrument": instrument,
            "attendance": attendance,
            "applications": application_rows,
            "content": content_rows(cohorts, rng),
            "programme_costs": programme_cost_rows(cohorts),
        }
    )


def content_rows(cohorts: Sequence[Cohort], rng: np.random.Generator) -> Rows:
    """Six open resources; older ones have had more time to be viewed and reused."""
    resources_published = (
        ("C1", "Digital leadership playbook for senior leaders", "Guide", "OGL-3.0", 27),
        ("C1", "Case study: replacing a legacy repairs system", "Case study", "CC-BY-4.0", 45),
        ("C2", "Commissioning digital services: a toolkit", "Toolkit", "OGL-3.0", 33),
        ("C2", "Data ethics in five questions", "Video", "CC-BY-4.0", 54),
        ("C3", "Agile for boards", "Slide deck", "CC-BY-4.0", 26),
        (None, "What we learned running a digital leadership programme", "Blog post", "OGL-3.0", 75),
    )
    last_cohort_end = cohorts[-1].end
    rows = []
    for n, (cohort_id, title, kind, licence, days_after) in enumerate(resources_published, start=1):
        end = next(c.end for c in cohorts if c.cohort_id == cohort_id) if cohort_id else last_cohort_end
        published = end + dt.timedelta(days=days_after)
        age_months = months_between(published, dt.date(2025, 12, 31)) + 1
        views = int(rng.integers(80, 220)) * age_months
        rows.append(
            (
                f"R{n:02d}",
                cohort_id,
                title,
                kind,
                licence,
                published,
                CONTENT_URL_BASE + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
                views,
                int(views * rng.uniform(0.08, 0.2)),
                int(rng.integers(0, 3 + age_months // 2)),
            )
        )
    return rows


def programme_cost_rows(cohorts: Sequence[Cohort]) -> Rows:
    """Costs totalling the £50,000 pilot, facilitation bought below the market day rate (2024 prices)."""
    per_cohort = []
    for cohort in cohorts:
        per_cohort += [
            (
                cohort.cohort_id,
                "Facilitation",
                FACILITATION_DAYS_PER_COHORT,
                FACILITATION_DAY_RATE_GBP,
                MARKET_DAY_RATE_GBP,
                FACILITATION_DAYS_PER_COHORT * FACILITATION_DAY_RATE_GBP,
            ),
            (cohort.cohort_id, "Venue", None, None, None, 1_500),
            (cohort.cohort_id, "Materials", None, None, None, 800),
        ]
    evaluation = 12_000
    # Administration absorbs the remainder, so that the pilot costs exactly its £50,000 budget.
    administration = PILOT_BUDGET_GBP - evaluation - sum(row[-1] for row in per_cohort)
    rows = [
        *per_cohort,
        (None, "Evaluation", None, None, None, evaluation),
        (None, "Administration", None, None, None, administration),
    ]
    return [(f"PC{n:02d}", *row, 2024) for n, row in enumerate(rows, start=1)]
