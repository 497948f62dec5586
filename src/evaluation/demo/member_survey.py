"""The LOTI member survey: its items and a tidy export of about three respondents per member authority."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .dates import random_moment
from .leadership_survey import AGREEMENT, AGREEMENT_LABELS
from .loti_world import LotiWorld
from .roster import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES, ascii_slug
from .survey_exports import qualtrics_time
from .writers import Rows

LOTI_SURVEY = "loti-member-survey"
RECOMMEND_LABELS = "0=Not at all likely; 10=Extremely likely"


@dataclass(frozen=True)
class LotiItem:
    """A LOTI member-survey item."""

    item_id: str
    construct: str
    wording: str
    mean: float
    scale_max: int = 5


LOTI_ITEMS = (
    LotiItem("sat_overall", "satisfaction", "Overall, my organisation is satisfied with its LOTI membership.", 3.9),
    LotiItem(
        "sat_responsive", "satisfaction", "The LOTI team understands and responds to my organisation's needs.", 3.8
    ),
    LotiItem(
        "collab_boroughs",
        "collaboration",
        "LOTI has helped my organisation work with other boroughs on shared problems.",
        4.0,
    ),
    LotiItem(
        "collab_reuse",
        "collaboration",
        "We have reused a tool, contract or standard developed with other boroughs through LOTI.",
        3.4,
    ),
    LotiItem("cap_skills", "capability", "LOTI has helped my organisation build digital and data skills.", 3.5),
    LotiItem("cap_methods", "capability", "We now use methods or standards we learned through LOTI.", 3.4),
    LotiItem("value_money", "value", "LOTI membership is good value for money for my organisation.", 3.6),
    LotiItem(
        "value_recommend",
        "value",
        "How likely are you to recommend LOTI membership to a borough that is not a member?",
        7.2,
        10,
    ),
)


def loti_instrument_rows() -> Rows:
    """The member survey's rows of the ``instrument`` sheet: agreement items 1-5, the recommendation item 0-10."""
    return [
        (
            item.item_id,
            LOTI_SURVEY,
            item.construct,
            item.wording,
            0 if item.scale_max == 10 else 1,
            item.scale_max,
            False,
            RECOMMEND_LABELS if item.scale_max == 10 else AGREEMENT_LABELS,
        )
        for item in LOTI_ITEMS
    ]


def member_survey_rows(world: LotiWorld, rng: np.random.Generator) -> Rows:
    """About three respondents per member authority in October 2023, tidy: one row per answer.

    Authorities are named as a survey drop-down gives them (names, not codes);
    agreement items are answered with labels, the 0-10 item with numbers.
    No effect is planted: answers vary by authority and respondent only.
    """
    names = {a.gss_code: a.name for a in world.authorities}
    first_names = FEMALE_FIRST_NAMES + MALE_FIRST_NAMES
    rows = []
    for code in sorted(world.member_since):
        authority_level = rng.normal(0, 0.35)
        domain = ascii_slug(names[code]) + ".gov.uk"
        people = rng.choice(len(first_names) * len(SURNAMES), int(rng.integers(2, 5)), replace=False)
        for person in people:
            first, last = first_names[person // len(SURNAMES)], SURNAMES[person % len(SURNAMES)]
            level = authority_level + rng.normal(0, 0.3)
            submitted = qualtrics_time(random_moment(rng, dt.date(2023, 10, 2), 28))
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
            for item in LOTI_ITEMS:
                if item.scale_max == 10:
                    value = str(int(np.clip(np.rint(item.mean + 2 * level + rng.normal(0, 1.4)), 0, 10)))
                else:
                    value = AGREEMENT[int(np.clip(np.rint(item.mean + level + rng.normal(0, 0.7)), 1, 5)) - 1]
                rows.append((email, names[code], "2023", item.item_id, value, submitted))
    return rows
