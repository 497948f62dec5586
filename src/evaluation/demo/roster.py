"""The leadership programme's cohorts and the made-up senior leaders on its roster."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .dates import add_months, third_wednesday
from .leadership_survey import PERSON_SD
from .randomness import draw, pick

PROGRAMME_EMAIL_DOMAIN = "london.gov.uk"

COHORT_STARTS = {"C1": (2024, 1), "C2": (2024, 7), "C3": (2025, 1)}
SESSIONS = 6
PLACES = 8
FEMALE_FIRST_NAMES = (
    "Amara",
    "Siobhán",
    "Priya",
    "Grace",
    "Hannah",
    "Fatima",
    "Chloe",
    "Olivia",
    "Zainab",
    "Rachel",
    "Mei",
    "Funmilayo",
    "Niamh",
    "Sophie",
    "Leila",
    "Joanne",
)
MALE_FIRST_NAMES = (
    "Daniel",
    "Tomasz",
    "Kwame",
    "Oliver",
    "Arjun",
    "James",
    "Marcus",
    "Hassan",
    "Rhys",
    "Samuel",
    "Ibrahim",
    "Callum",
    "Dev",
    "Matthew",
)
SURNAMES = (
    "Okafor",
    "Patel",
    "Brennan",
    "Ahmed",
    "Kowalski",
    "Thompson",
    "Mensah",
    "Richards",
    "Chen",
    "Hughes",
    "Begum",
    "O'Connor",
    "Adeyemi",
    "Fletcher",
    "Novak",
    "Campbell",
    "Osei",
    "Khan",
    "Whitfield",
    "Da Silva",
    "Morgan",
    "Iqbal",
    "Harrington",
    "Nwosu",
    "Lindqvist",
    "Barker",
    "Sutherland",
    "Ferreira",
)
# The grades of one cohort's eight places (shuffled within each cohort) and how many of them withdraw.
COHORT_GRADES = (
    "Deputy Mayor",
    "Executive Director",
    "Director",
    "Director",
    "Director",
    "Assistant Director",
    "Assistant Director",
    "Assistant Director",
)
WITHDRAWALS = {"C1": 2, "C2": 1, "C3": 2}
DIRECTORATES = (
    "Good Growth",
    "Housing and Land",
    "Communities and Skills",
    "Resources",
    "Strategy and Communications",
    "Chief Officer's Office",
)
ETHNIC_GROUP_SHARES = {
    "White": 0.5,
    "Asian": 0.17,
    "Black": 0.13,
    "Mixed": 0.06,
    "Other": 0.03,
    "Prefer not to say": 0.03,
    None: 0.08,
}
DISABILITY_SHARES = {"No": 0.78, "Yes": 0.1, "Prefer not to say": 0.05, None: 0.07}
AGE_BAND_SHARES = {
    "Under 35": 0.03,
    "35-44": 0.3,
    "45-54": 0.42,
    "55 and over": 0.17,
    "Prefer not to say": 0.02,
    None: 0.06,
}
WITHDRAWAL_REASON_SHARES = {
    "Work pressures": 0.5,
    "Left organisation": 0.2,
    "Ill health": 0.1,
    "Programme not relevant": 0.1,
    "Other": 0.1,
}


@dataclass(frozen=True)
class Cohort:
    """A leadership cohort and its six monthly session dates."""

    cohort_id: str
    session_dates: tuple[dt.date, ...]

    @property
    def start(self) -> dt.date:
        return self.session_dates[0]

    @property
    def end(self) -> dt.date:
        return self.session_dates[-1]


@dataclass(frozen=True)
class Participant:
    """A made-up senior leader on the roster, with the latent level that drives their answers."""

    cohort_id: str
    first_name: str
    last_name: str
    sex: str | None
    grade: str
    directorate: str
    ethnic_group: str | None
    disability: str | None
    age_band: str | None
    enrolled_on: dt.date
    withdrawn_after_session: int | None  # None: completed the programme
    withdrawn_on: dt.date | None
    withdrawal_reason: str | None
    theta: float

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{ascii_slug(self.first_name)}.{ascii_slug(self.last_name)}@{PROGRAMME_EMAIL_DOMAIN}"

    @property
    def completed(self) -> bool:
        return self.withdrawn_after_session is None


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, as e-mail systems turn 'Siobhán O'Connor' into 'siobhan' and 'oconnor'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def build_cohorts() -> list[Cohort]:
    """The three cohorts, each meeting on the third Wednesday of six consecutive months from its start."""
    cohorts = []
    for cohort_id, (year, month) in COHORT_STARTS.items():
        dates = tuple(
            third_wednesday(first.year, first.month)
            for first in (add_months(dt.date(year, month, 1), k) for k in range(SESSIONS))
        )
        cohorts.append(Cohort(cohort_id, dates))
    return cohorts


def build_roster(cohorts: Sequence[Cohort], rng: np.random.Generator) -> list[Participant]:
    """Eight made-up leaders per cohort; one or two per cohort withdraw after session 1, 2 or 3.

    Who withdraws is drawn independently of the latent level, so drop-outs and
    completers do not differ at baseline (planted absent).
    """
    first_names = [(n, "Female") for n in FEMALE_FIRST_NAMES] + [(n, "Male") for n in MALE_FIRST_NAMES]
    first_order = rng.permutation(len(first_names))
    surname_order = rng.permutation(len(SURNAMES))
    roster = []
    for c, cohort in enumerate(cohorts):
        leavers = set(rng.choice(PLACES, size=WITHDRAWALS[cohort.cohort_id], replace=False).tolist())
        grades = [COHORT_GRADES[i] for i in rng.permutation(PLACES)]
        for k, grade in enumerate(grades):
            first, sex = first_names[first_order[c * PLACES + k]]
            recorded_sex = draw(rng, {sex: 0.86, "Prefer not to say": 0.06, None: 0.08})
            after = int(rng.integers(1, 4)) if k in leavers else None
            roster.append(
                Participant(
                    cohort_id=cohort.cohort_id,
                    first_name=first,
                    last_name=SURNAMES[surname_order[c * PLACES + k]],
                    sex=recorded_sex,
                    grade=grade,
                    directorate="Mayor's Office" if grade == "Deputy Mayor" else pick(rng, DIRECTORATES),
                    ethnic_group=draw(rng, ETHNIC_GROUP_SHARES),
                    disability=draw(rng, DISABILITY_SHARES),
                    age_band=draw(rng, AGE_BAND_SHARES),
                    enrolled_on=cohort.start - dt.timedelta(days=int(rng.integers(21, 36))),
                    withdrawn_after_session=after,
                    withdrawn_on=None
                    if after is None
                    else cohort.session_dates[after - 1] + dt.timedelta(days=int(rng.integers(3, 20))),
                    withdrawal_reason=None if after is None else str(draw(rng, WITHDRAWAL_REASON_SHARES)),
                    theta=float(rng.normal(0.0, PERSON_SD)),
                )
            )
    return roster
