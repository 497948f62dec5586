"""LOTI's members and projects: who joined when, and which authorities take part in which project since when."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

ANNUAL_FEE_GBP = 30_000
# First day of membership for the 27 members, in joining order; the other 6 authorities never join.
MEMBERSHIP_JOIN_DATES = (
    *(dt.date(2019, 7, 1),) * 12,
    dt.date(2020, 1, 1),
    dt.date(2020, 1, 1),
    dt.date(2020, 4, 1),
    dt.date(2020, 4, 1),
    dt.date(2020, 10, 1),
    dt.date(2020, 10, 1),
    dt.date(2021, 1, 1),
    dt.date(2021, 4, 1),
    dt.date(2021, 7, 1),
    dt.date(2021, 10, 1),
    dt.date(2022, 1, 1),
    dt.date(2022, 4, 1),
    dt.date(2022, 10, 1),
    dt.date(2023, 1, 1),
    dt.date(2023, 4, 1),
)
CONNECTIVITY_ADOPTION = (
    (dt.date(2020, 4, 1), 5),
    (dt.date(2021, 1, 1), 5),
    (dt.date(2022, 1, 1), 5),
    (dt.date(2023, 7, 1), 5),
)


@dataclass(frozen=True)
class Project:
    """A LOTI project, who takes part and its logic model in plain English."""

    project_id: str
    title: str
    workstream: str
    stage: str
    start_date: dt.date
    end_date: dt.date | None
    budget_gbp: int
    participants: int  # authorities taking part, lead included
    joined_on: dt.date  # when they started (the connectivity project staggers instead: CONNECTIVITY_ADOPTION)
    logic: tuple[str, str, str, str, str, str]  # inputs, activities, outputs, outcomes, impact, assumptions


PROJECTS = (
    Project(
        "P01",
        "London innovation pipeline",
        "Pipeline",
        "Live",
        dt.date(2021, 4, 1),
        None,
        380_000,
        12,
        dt.date(2021, 4, 1),
        (
            "Two LOTI staff, a shared idea-tracking tool and borough innovation leads' time.",
            "Collect ideas from borough staff, score them together and run short discoveries on the best.",
            "A shared pipeline of scored ideas and discovery reports published to all members.",
            "More good ideas reach discovery, and fewer boroughs run the same discovery separately.",
            "Public services in London improve faster because good ideas are found and shared.",
            "Borough staff will submit ideas if they see them taken seriously.",
        ),
    ),
    Project(
        "P02",
        "Borough digital leaders' networks",
        "Peer networks",
        "Live",
        dt.date(2019, 9, 1),
        None,
        240_000,
        27,
        dt.date(2019, 9, 1),
        (
            "LOTI convenors, meeting space and the time of heads of digital, data and IT.",
            "Monthly network meetings for CIOs, data leads and digital leads; an online forum.",
            "Meetings held, notes and shared resources, and introductions between boroughs.",
            "Leaders solve problems faster by borrowing what worked elsewhere.",
            "Councils spend less on repeated mistakes and adopt good practice sooner.",
            "Busy leaders will keep attending if meetings are practical and candid.",
        ),
    ),
    Project(
        "P03",
        "Connected council sites",
        "Connectivity",
        "Closed",
        dt.date(2020, 1, 1),
        dt.date(2023, 12, 31),
        3_400_000,
        20,
        dt.date(2020, 4, 1),
        (
            "GLA capital funding, a joint procurement and boroughs' estates teams.",
            "Survey council sites, buy full-fibre connections jointly and install them in waves.",
            "Council sites connected to gigabit-capable full fibre.",
            "Staff at connected sites get faster, more reliable connections; line-rental costs fall.",
            "Better public services from council buildings and a stronger fibre network for residents.",
            "Suppliers can install on time and boroughs release sites for surveys.",
        ),
    ),
    Project(
        "P04",
        "Cyber security pilot: phishing resilience",
        "Data standards and cyber security",
        "Closed",
        dt.date(2022, 1, 1),
        dt.date(2023, 12, 31),
        195_000,
        10,
        dt.date(2022, 4, 1),
        (
            "Phishing simulation licences, a pilot manager and borough security officers' time.",
            "Monthly simulated phishing e-mails with short training for staff who click.",
            "Simulations sent, training modules completed and monthly click-rate reports.",
            "Fewer staff click on phishing links.",
            "Fewer successful cyber attacks on London councils.",
            "Training after a click changes behaviour rather than just annoying staff.",
        ),
    ),
    Project(
        "P05",
        "Digital recruitment support",
        "Workforce skills",
        "Closed",
        dt.date(2021, 6, 1),
        dt.date(2023, 12, 31),
        165_000,
        8,
        dt.date(2021, 9, 1),
        (
            "A shared recruitment adviser, common job descriptions and pooled advertising budget.",
            "Write common role profiles, advertise jointly and share shortlists of candidates.",
            "Joint campaigns run and role profiles published for reuse.",
            "Digital and data vacancies are filled faster with less use of agencies.",
            "Councils keep the skills they need to run modern services.",
            "Candidates apply to a joint campaign as readily as to a single council.",
        ),
    ),
    Project(
        "P06",
        "Shared data-sharing agreement",
        "Common standards",
        "Live",
        dt.date(2021, 5, 1),
        None,
        60_000,
        20,
        dt.date(2021, 11, 1),
        (
            "Information governance leads, a legal adviser and a LOTI project officer.",
            "Draft one multi-party data-sharing agreement and a common data protection impact assessment.",
            "One agreement signed by all participating boroughs instead of an agreement for every pair.",
            "Data can be shared across boroughs in weeks rather than months, with less legal work.",
            "Residents get joined-up services that rely on data from more than one council.",
            "Every borough's legal team accepts a common text.",
        ),
    ),
    Project(
        "P07",
        "Cloud migration playbook",
        "Cloud",
        "Beta",
        dt.date(2022, 6, 1),
        None,
        90_000,
        6,
        dt.date(2022, 10, 1),
        (
            "Cloud architects from two boroughs and a LOTI product manager.",
            "Write and test a playbook for moving council systems to the public cloud.",
            "A published playbook and migration plans in the participating boroughs.",
            "Systems move to the cloud with fewer failures and on-premises data centres close.",
            "Resilient council systems at lower running cost.",
            "Suppliers of line-of-business systems support cloud hosting.",
        ),
    ),
    Project(
        "P08",
        "Shared procurement of digital services",
        "Procurement",
        "Beta",
        dt.date(2022, 9, 1),
        None,
        120_000,
        9,
        dt.date(2023, 1, 1),
        (
            "Procurement specialists, a framework agreement and borough buyers' time.",
            "Set up a framework and run joint mini-competitions for common digital services.",
            "Contracts let through the framework and prices published to members.",
            "Boroughs pay less for common digital services and buy them faster.",
            "More of councils' budgets reaches front-line services.",
            "Boroughs' needs are similar enough to buy together.",
        ),
    ),
    Project(
        "P09",
        "5G and small cells on council assets",
        "5G",
        "Alpha",
        dt.date(2023, 3, 1),
        None,
        150_000,
        5,
        dt.date(2023, 6, 1),
        (
            "GLA funding, an asset-mapping contractor and legal templates.",
            "Map lamp posts and buildings suitable for small cells and agree standard wayleave terms.",
            "An asset map and standard agreements offered to mobile operators.",
            "Operators install small cells faster on council assets.",
            "Better mobile coverage for residents and businesses, and rental income for councils.",
            "Operators want to build in these areas at the offered terms.",
        ),
    ),
)


@dataclass(frozen=True)
class Authority:
    """A London local authority from the reference list shipped with the workbench."""

    gss_code: str
    name: str


def london_authorities() -> list[Authority]:
    """The 33 authorities shipped with the workbench (the demo must use exactly these codes)."""
    text = resources.files("evaluation.data").joinpath("london_authorities.csv").read_text(encoding="utf-8")
    return [Authority(row["gss_code"], row["name"]) for row in csv.DictReader(io.StringIO(text))]


@dataclass(frozen=True)
class LotiWorld:
    """Who is a member since when, and who takes part in which project since when."""

    authorities: list[Authority]
    member_since: dict[str, dt.date]  # GSS code -> joined LOTI
    project_joins: dict[str, list[tuple[str, dt.date]]]  # project -> [(GSS code, joined)], lead first


def build_loti_world(rng: np.random.Generator) -> LotiWorld:
    """27 members with staggered joining dates and each project's participants (members who had joined by then)."""
    authorities = london_authorities()
    order = rng.permutation(len(authorities))
    member_since = {authorities[i].gss_code: day for i, day in zip(order, MEMBERSHIP_JOIN_DATES, strict=False)}

    def eligible(on: dt.date, exclude: Sequence[str] = ()) -> list[str]:
        return [code for code, since in member_since.items() if since <= on and code not in exclude]

    project_joins: dict[str, list[tuple[str, dt.date]]] = {}
    for project in PROJECTS:
        if project.workstream == "Connectivity":
            joins: list[tuple[str, dt.date]] = []
            for day, count in CONNECTIVITY_ADOPTION:
                pool = eligible(day, [code for code, _ in joins])
                joins += [(pool[i], day) for i in sorted(rng.choice(len(pool), count, replace=False))]
        elif project.workstream == "Peer networks":  # every member, from the later of joining LOTI and the start
            joins = [(code, max(since, project.joined_on)) for code, since in sorted(member_since.items())]
        else:
            pool = eligible(project.joined_on)
            joins = [
                (pool[i], project.joined_on) for i in sorted(rng.choice(len(pool), project.participants, replace=False))
            ]
        project_joins[project.project_id] = joins
    return LotiWorld(authorities, member_since, project_joins)
