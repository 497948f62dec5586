"""Synthetic demo data, written in the real export formats the workbench ingests.

:func:`write_demo` writes a leadership-programme workbook, its survey exports
(Qualtrics CSV at baseline and endpoint, Microsoft Forms Excel at follow-up)
with their mapping files, a LOTI workbook, a governance workbook (peer-challenge
follow-up and risk registers), a LOTI observation panel, a tidy LOTI member
survey, the ingest plan and a README stating every planted effect.

Nothing here describes a real person or a real result: every name, e-mail,
answer and figure is drawn from seeded random numbers, and the same seed writes
the same bytes (workbooks carry fixed timestamps). The README's true expected
changes come from running the same survey generator for 200,000 synthetic
people, so they cannot drift from the code that writes the exports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from .schemas.governance import LINES_OF_ENQUIRY
from .schemas.loti import MATURITY_DOMAINS
from .schemas.programme import APPLICATION_TYPES, EVIDENCE_LEVELS

SYNTHETIC_MARK = "SYNTHETIC DEMO DATA"
# Workbooks and their zip entries carry this time instead of "now", so a rerun writes identical bytes.
FIXED_TIMESTAMP = dt.datetime(2025, 12, 31, 12, 0, 0)
DEFAULT_SEED = 20241

LEADERSHIP_SURVEY = "leadership-survey"
LOTI_SURVEY = "loti-member-survey"
AGREEMENT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
AGREEMENT_LABELS = "; ".join(f"{value}={label}" for value, label in enumerate(AGREEMENT, start=1))
RECOMMEND_LABELS = "0=Not at all likely; 10=Extremely likely"
PROGRAMME_EMAIL_DOMAIN = "london.gov.uk"

# --- Leadership survey model -------------------------------------------------------------------------------------
# answer = clip(round(item_mean + theta_person + shift_construct * [wave is endpoint or follow-up] + noise), 1, 5)
PERSON_SD = 0.5  # theta: one level per person, shared by all items and waves (gives realistic pre-post correlation)
ANSWER_NOISE_SD = 0.7  # independent for every answer
PLANTED_SHIFT = {"confidence": 1.0, "competence": 0.6, "application": 0.8}
POST_WAVES = ("endpoint", "follow-up")  # the shift is held at follow-up: retention, no decay
RATING_CONSTRUCTS = ("quality", "relevance", "effectiveness", "applicability")
TRUE_VALUE_PERSONS = 200_000


@dataclass(frozen=True)
class SurveyItem:
    """A closed leadership-survey item and where it sits in the Qualtrics export."""

    item_id: str
    construct: str
    wording: str
    mean: float  # location on the 1-5 scale before the programme, in the construct's direction
    qualtrics_column: str
    reverse_coded: bool = False

    @property
    def endpoint_only(self) -> bool:
        """Programme ratings make sense only once the programme is over."""
        return self.construct in RATING_CONSTRUCTS


LEADERSHIP_ITEMS = (
    SurveyItem("conf_lead_change", "confidence", "I feel confident leading digital change in my area.", 2.8, "Q1_1"),
    SurveyItem(
        "conf_challenge_advice",
        "confidence",
        "I feel confident challenging technical advice from suppliers and specialists.",
        2.6,
        "Q1_2",
    ),
    SurveyItem(
        "conf_explain_choices",
        "confidence",
        "I feel confident explaining data and technology choices to elected members.",
        2.9,
        "Q1_3",
    ),
    SurveyItem(
        "conf_out_of_depth",
        "confidence",
        "I often feel out of my depth in discussions about technology.",
        2.7,
        "Q1_4",
        reverse_coded=True,
    ),
    SurveyItem(
        "comp_user_needs", "competence", "I can set out how a service will meet the needs of its users.", 3.1, "Q2_1"
    ),
    SurveyItem(
        "comp_iterative_delivery",
        "competence",
        "I know how to commission and oversee work delivered in short, iterative cycles.",
        2.8,
        "Q2_2",
    ),
    SurveyItem(
        "comp_data_risks",
        "competence",
        "I can identify the data protection and ethical risks of a new use of data.",
        3.0,
        "Q2_3",
    ),
    SurveyItem(
        "comp_business_case", "competence", "I can judge whether a digital business case is realistic.", 2.9, "Q2_4"
    ),
    SurveyItem(
        "appl_new_approach",
        "application",
        "In the last three months I have applied a new digital approach, technique or technology in my work.",
        2.5,
        "Q3_1",
    ),
    SurveyItem(
        "appl_team_adoption",
        "application",
        "In the last three months I have helped my team adopt a new way of working with data or technology.",
        2.4,
        "Q3_2",
    ),
    SurveyItem("rating_quality", "quality", "The programme sessions were of high quality.", 4.3, "Q4_1"),
    SurveyItem("rating_relevance", "relevance", "The programme was relevant to my role.", 4.3, "Q4_2"),
    SurveyItem(
        "rating_effectiveness",
        "effectiveness",
        "The programme was effective in developing my digital leadership.",
        4.2,
        "Q4_3",
    ),
    SurveyItem(
        "rating_applicability",
        "applicability",
        "I can apply what I learned on the programme in my day-to-day work.",
        4.3,
        "Q4_4",
    ),
)
QUALTRICS_STEMS = {
    "confidence": "How far do you agree with each statement about leading digital change?",
    "competence": "How far do you agree with each statement about your skills?",
    "application": "Thinking about the last three months, how far do you agree with each statement?",
}
RATING_STEM = "How far do you agree with each statement about the programme?"


@dataclass(frozen=True)
class FreeTextQuestion:
    """An open question of one wave: its export column (Qualtrics), stored name, wording and made-up answers."""

    column: str
    name: str
    text: str
    answers: tuple[str, ...]
    blank_share: float


FREE_TEXT = {
    "baseline": FreeTextQuestion(
        "Q4",
        "hopes",
        "What do you most hope to get out of the programme?",
        (
            "Confidence to challenge technical advice rather than simply accept it.",
            "A better feel for what good looks like in digital services, so I can ask the right questions.",
            "A network of peers across City Hall who are dealing with the same problems.",
            "Practical ways to use data in decisions, not just more dashboards.",
            "Understanding AI well enough to set sensible rules for my directorate.",
            "Honestly, to stop feeling out of my depth at IT programme boards.",
            "Ways of running smaller, faster projects instead of big-bang programmes.",
            "How to commission digital work without being locked into one supplier.",
        ),
        0.25,
    ),
    "endpoint": FreeTextQuestion(
        "Q5",
        "most_valuable",
        "What was the most valuable part of the programme?",
        (
            "The commissioning session: I now write outcomes into contracts, not feature lists.",
            "Shadowing a service team for a day. Seeing user research in action changed how I chair my board.",
            "The peer learning set. Hearing how other directors handled failed projects was reassuring, and useful.",
            'The data ethics workshop, especially the "would residents be surprised?" test for new uses of data.',
            "Plain-English explanations of cloud, APIs and open standards.",
            "Protected time away from the day job to think about how my directorate uses technology.",
            "Meeting colleagues from other directorates I would never normally work with.",
            "The agile simulation.\nIt was the first time iteration actually made sense to me.",
            "Learning to read a digital business case critically, including optimism bias in the costs.",
        ),
        0.15,
    ),
    "follow-up": FreeTextQuestion(
        "",
        "doing_differently",
        "What, if anything, are you doing differently because of the programme?",
        (
            "I ask for a user research plan before approving any new system.",
            "We have replaced a quarterly report with a live dashboard the team actually uses.",
            "I challenge supplier estimates much more, and ask for options at different price points.",
            "Nothing dramatic yet; I have shared the materials with my management team.",
            "I meet the digital team monthly instead of only when something goes wrong.",
            "We ran our first two-week discovery on a housing process and stopped a procurement as a result.",
            "I now sponsor a data-sharing pilot with two boroughs.",
        ),
        0.3,
    ),
}
# Planted so that one Windows-1252 export holds a pound sign (byte 0xA3), as Excel on a UK PC writes it.
POUND_ANSWER = "Learning to challenge a £250k supplier quote: we got the same outcome for £90k."

# --- Qualtrics and Microsoft Forms layouts ------------------------------------------------------------------------
# (column id, question text, ImportId) as a Qualtrics "Export data > CSV" with choice text writes its first columns.
QUALTRICS_METADATA = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)
# Qualtrics ignores this field unless a panel sets it; the demo uses it to mark every row as synthetic.
QUALTRICS_EXTERNAL_REFERENCE = "SYNTHETIC-DEMO"
QUALTRICS_ENCODINGS = {("C1", "baseline"): "utf-8-sig", ("C1", "endpoint"): "cp1252"}
MSFORMS_METADATA = ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time")
SURVEY_RULES = {"duplicates": "keep-latest", "incomplete": "exclude"}

# --- Programme ----------------------------------------------------------------------------------------------------
PILOT_BUDGET_GBP = 50_000
FACILITATION_DAYS_PER_COHORT = 12
FACILITATION_DAY_RATE_GBP = 650
MARKET_DAY_RATE_GBP = 900
COHORT_STARTS = {"C1": (2024, 1), "C2": (2024, 7), "C3": (2025, 1)}
SESSIONS = 6
PLACES = 8
ATTENDANCE_RATE = 0.85
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
EVIDENCE_SHARES = dict(zip(EVIDENCE_LEVELS, (0.5, 0.3, 0.2), strict=True))
CONTENT_URL_BASE = "https://digital-leadership.example.org/resources/"  # reserved domain: never a real page

# --- LOTI ---------------------------------------------------------------------------------------------------------
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
PANEL_START = dt.date(2019, 1, 1)
PANEL_MONTHS = 84  # 2019-01 to 2025-12
CONNECTIVITY_ADOPTION = (
    (dt.date(2020, 4, 1), 5),
    (dt.date(2021, 1, 1), 5),
    (dt.date(2022, 1, 1), 5),
    (dt.date(2023, 7, 1), 5),
)
CONNECTIVITY_INITIAL_EFFECT = 4.0
CONNECTIVITY_MONTHLY_GROWTH = 0.25
CONNECTIVITY_GROWTH_MONTHS = 12
CYBER_SELECTION_GAP = 3.0  # participants' click rate is higher in every month, before and after joining
PIPELINE_IDEAS_START = 2.0
PIPELINE_IDEAS_MONTHLY_GROWTH = 0.05
MATURITY_ROUNDS = (dt.date(2021, 6, 30), dt.date(2023, 6, 30), dt.date(2025, 6, 30))
MATURITY_MEMBER_GAIN = 0.3
MATURITY_NON_MEMBER_GAIN = 0.1
MATURITY_NOISE_SD = 0.45
MATURITY_DOMAIN_OFFSETS = dict(zip(MATURITY_DOMAINS, (0.2, -0.1, 0.0, 0.3, 0.2, -0.4, -0.5, -0.2, 0.1), strict=True))
COST_PRICE_BASE_YEAR = 2023


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


@dataclass(frozen=True)
class SurveyResponse:
    """One questionnaire as a survey tool recorded it."""

    person: Participant
    started: dt.datetime
    ended: dt.datetime
    recorded: dt.datetime
    answers: tuple[int | None, ...]  # stored values in item order; None = not answered
    free_text: str | None
    progress: int = 100

    @property
    def finished(self) -> bool:
        return self.progress == 100


@dataclass(frozen=True)
class TrueChange:
    """The true expected scale-score change of one construct, from the large simulation."""

    construct: str
    planted_shift: float
    baseline_mean: float
    expected_change: float
    standard_error: float


@dataclass(frozen=True)
class Authority:
    """A London local authority from the reference list shipped with the workbench."""

    gss_code: str
    name: str


Table = tuple[tuple[str, ...], list[tuple[object, ...]]]


def random_stream(seed: int, component: str) -> np.random.Generator:
    """An independent random stream per component, so that changing one part leaves the others' draws alone."""
    return np.random.default_rng([seed, zlib.crc32(component.encode())])


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, as e-mail systems turn 'Siobhán O'Connor' into 'siobhan' and 'oconnor'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def draw(rng: np.random.Generator, shares: Mapping[str | None, float]) -> str | None:
    """One category drawn with the given probabilities (keys may include None for a blank cell)."""
    keys = list(shares)
    return keys[int(rng.choice(len(keys), p=np.array(list(shares.values())) / sum(shares.values())))]


def pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    """One option drawn uniformly."""
    return options[int(rng.integers(len(options)))]


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month."""
    return (end.year - start.year) * 12 + end.month - start.month


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def third_wednesday(year: int, month: int) -> dt.date:
    """The programme meets on the third Wednesday of each month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7 + 14)


def random_moment(rng: np.random.Generator, first_day: dt.date, days: int) -> dt.datetime:
    """A time in working hours on one of ``days`` days from ``first_day``."""
    day = first_day + dt.timedelta(days=int(rng.integers(days)))
    return dt.datetime.combine(day, dt.time(8)) + dt.timedelta(seconds=int(rng.integers(10 * 3600)))


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Standard normal distribution function, elementwise."""
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


# --- Leadership survey answers ------------------------------------------------------------------------------------


def likert_answers(items: Sequence[SurveyItem], theta: np.ndarray, wave: str, rng: np.random.Generator) -> np.ndarray:
    """Answers (persons x items) as a survey stores them.

    ``clip(round(mean + theta + shift + noise), 1, 5)`` in the construct's
    direction; a reverse-coded item is stored the other way round (6 - answer),
    because agreeing with it means *less* of the construct.
    """
    means = np.array([item.mean for item in items])
    shifts = np.array([PLANTED_SHIFT.get(item.construct, 0.0) if wave in POST_WAVES else 0.0 for item in items])
    noise = rng.normal(0.0, ANSWER_NOISE_SD, size=(theta.size, len(items)))
    answers = np.clip(np.rint(means + shifts + theta[:, None] + noise), 1, 5).astype(np.int64)
    reverse = np.array([item.reverse_coded for item in items])
    return np.where(reverse, 6 - answers, answers)


def scale_scores(items: Sequence[SurveyItem], stored: np.ndarray) -> dict[str, np.ndarray]:
    """Scale score per construct: the mean of its items, reverse-coded items turned back first."""
    reverse = np.array([item.reverse_coded for item in items])
    scored = np.where(reverse, 6 - stored, stored)
    constructs = list(dict.fromkeys(item.construct for item in items))
    return {c: scored[:, [i for i, item in enumerate(items) if item.construct == c]].mean(axis=1) for c in constructs}


def true_values(seed: int) -> tuple[list[TrueChange], dict[str, float]]:
    """True expected scale changes (baseline to endpoint) and endpoint rating means, by simulation.

    Rounding and clipping to 1-5 make the change of a scale score smaller than
    the planted latent shift; running the same generator for 200,000 people
    gives the expectation to about +/-0.002.
    """
    rng = random_stream(seed, "true values")
    theta = rng.normal(0.0, PERSON_SD, TRUE_VALUE_PERSONS)
    scales = [item for item in LEADERSHIP_ITEMS if not item.endpoint_only]
    baseline = scale_scores(scales, likert_answers(scales, theta, "baseline", rng))
    endpoint = scale_scores(scales, likert_answers(scales, theta, "endpoint", rng))
    changes = []
    for construct, shift in PLANTED_SHIFT.items():
        change = endpoint[construct] - baseline[construct]
        changes.append(
            TrueChange(
                construct,
                shift,
                float(baseline[construct].mean()),
                float(change.mean()),
                float(change.std(ddof=1) / math.sqrt(change.size)),
            )
        )
    ratings = [item for item in LEADERSHIP_ITEMS if item.endpoint_only]
    rating_scores = scale_scores(ratings, likert_answers(ratings, theta, "endpoint", rng))
    return changes, {construct: float(scores.mean()) for construct, scores in rating_scores.items()}


def wave_items(wave: str) -> list[SurveyItem]:
    """Closed items asked in a wave: ratings only at endpoint."""
    return [item for item in LEADERSHIP_ITEMS if wave == "endpoint" or not item.endpoint_only]


def simulate_wave(
    people: Sequence[Participant], wave: str, first_day: dt.date, rng: np.random.Generator
) -> list[SurveyResponse]:
    """Every given person's finished questionnaire for a wave, submitted within two weeks of ``first_day``."""
    items = wave_items(wave)
    question = FREE_TEXT[wave]
    answers = likert_answers(items, np.array([p.theta for p in people]), wave, rng)
    responses = []
    for person, row in zip(people, answers, strict=True):
        recorded = random_moment(rng, first_day, 14)
        started = recorded - dt.timedelta(seconds=int(rng.integers(240, 1500)))
        text = None if rng.random() < question.blank_share else pick(rng, question.answers)
        responses.append(SurveyResponse(person, started, recorded, recorded, tuple(int(v) for v in row), text))
    return responses


def leadership_responses(
    cohort: Cohort, people: Sequence[Participant], rng: np.random.Generator
) -> dict[str, list[SurveyResponse]]:
    """Baseline, endpoint and follow-up responses of one cohort, with the data problems the demo plants.

    Everybody answers at baseline; drop-outs answer nothing after. C1: one
    completer misses the endpoint survey. C2: one completer submits the
    endpoint survey twice (the later one counts). C3: one completer abandons
    the endpoint survey part-way (Finished = False). At follow-up one completer
    per cohort does not answer.
    """
    completers = [p for p in people if p.completed]
    baseline = simulate_wave(people, "baseline", cohort.start - dt.timedelta(days=16), rng)
    endpoint = simulate_wave(completers, "endpoint", cohort.end + dt.timedelta(days=1), rng)
    chosen = int(rng.integers(len(endpoint)))
    if cohort.cohort_id == "C1":
        endpoint.pop(chosen)
    elif cohort.cohort_id == "C2":
        first_go = simulate_wave([endpoint[chosen].person], "endpoint", cohort.end + dt.timedelta(days=1), rng)[0]
        earlier = endpoint[chosen].recorded - dt.timedelta(days=3, minutes=int(rng.integers(600)))
        endpoint.append(replace(first_go, started=earlier - dt.timedelta(minutes=9), ended=earlier, recorded=earlier))
    elif cohort.cohort_id == "C3":
        abandoned = endpoint[chosen]
        answered = 4
        ended = abandoned.started + dt.timedelta(seconds=int(rng.integers(60, 200)))
        endpoint[chosen] = replace(
            abandoned,
            answers=abandoned.answers[:answered] + (None,) * (len(abandoned.answers) - answered),
            free_text=None,
            progress=round(100 * answered / (len(abandoned.answers) + 1)),
            ended=ended,
            # Qualtrics records an abandoned response when it closes it, a week after the last activity.
            recorded=ended + dt.timedelta(days=7),
        )
    follow_up = simulate_wave(completers, "follow-up", cohort.end + dt.timedelta(days=91), rng)
    follow_up.pop(int(rng.integers(len(follow_up))))
    return {
        wave: sorted(responses, key=lambda r: r.recorded)
        for wave, responses in (("baseline", baseline), ("endpoint", endpoint), ("follow-up", follow_up))
    }


# --- Writers ------------------------------------------------------------------------------------------------------


def save_workbook(sheets: dict[str, Table], path: Path, description: str) -> Path:
    """Write one sheet per table, marked synthetic in the workbook properties, with fixed timestamps.

    The mark goes into the properties, not a sheet, because the workbench
    refuses sheets that are not tables. openpyxl's ``save`` stamps "now" into
    the properties and the zip entries; writing through ``ExcelWriter`` and
    re-zipping with a fixed time keeps the bytes identical from run to run.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.properties.title = SYNTHETIC_MARK
    book.properties.subject = "Synthetic data for the evaluation workbench demo"
    book.properties.description = f"{SYNTHETIC_MARK}: {description} Every person and figure is made up."
    book.properties.keywords = "synthetic; demo"
    book.properties.creator = "evaluation.demo"
    book.properties.created = book.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    fixed_time = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(
                zipfile.ZipInfo(entry.filename, date_time=fixed_time),
                source.read(entry),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return path


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    encoding: str = "utf-8",
    header_rows: Sequence[Sequence[str]] = (),
) -> Path:
    """A CSV with ``\\r\\n`` line ends (as Excel and Qualtrics write them) in the given encoding."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(header_rows)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_yaml(path: Path, document: dict, comment: str) -> Path:
    """A YAML file opening with a comment line (which says the data are synthetic)."""
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=200)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")
    return path


def qualtrics_time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_qualtrics_export(
    path: Path, wave: str, responses: Sequence[SurveyResponse], encoding: str, rng: np.random.Generator
) -> Path:
    """A Qualtrics CSV export with choice text: column ids, question texts and ImportIds, then one row each."""
    items = wave_items(wave)
    question = FREE_TEXT[wave]
    ids = [c[0] for c in QUALTRICS_METADATA] + [i.qualtrics_column for i in items] + [question.column]
    texts = (
        [c[1] for c in QUALTRICS_METADATA]
        + [f"{QUALTRICS_STEMS.get(item.construct, RATING_STEM)} - {item.wording}" for item in items]
        + [question.text]
    )
    import_ids = (
        [c[2] for c in QUALTRICS_METADATA]
        + [f'{{"ImportId":"QID{item.qualtrics_column[1:]}"}}' for item in items]
        + [f'{{"ImportId":"QID{question.column[1:]}_TEXT"}}']
    )
    rows = []
    for response in responses:
        person = response.person
        response_id = "R_" + "".join(
            rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"), 15)
        )
        rows.append(
            (
                qualtrics_time(response.started),
                qualtrics_time(response.ended),
                "IP Address",
                # Documentation-only addresses (RFC 5737): they can never belong to anybody.
                f"192.0.2.{int(rng.integers(1, 255))}",
                response.progress,
                int((response.ended - response.started).total_seconds()),
                str(response.finished),
                qualtrics_time(response.recorded),
                response_id,
                person.last_name,
                person.first_name,
                person.email,
                QUALTRICS_EXTERNAL_REFERENCE,
                f"{51.45 + rng.random() * 0.12:.4f}",
                f"{-0.25 + rng.random() * 0.2:.4f}",
                "email",
                "EN-GB",
                *[None if value is None else AGREEMENT[value - 1] for value in response.answers],
                response.free_text,
            )
        )
    return write_csv(path, ids, rows, encoding, header_rows=(texts, import_ids))


def msforms_email(person: Participant) -> str:
    """Microsoft 365 reports the sign-in address with capitals (First.Last@...); pseudonyms ignore case."""
    local, domain = person.email.split("@")
    return ".".join(part.capitalize() for part in local.split(".")) + "@" + domain


def write_msforms_export(path: Path, responses: Sequence[SurveyResponse]) -> Path:
    """A Microsoft Forms "Open results in Excel" workbook: one header row, questions headed by their text."""
    items = wave_items("follow-up")
    header = (*MSFORMS_METADATA, *(item.wording for item in items), FREE_TEXT["follow-up"].text)
    rows = [
        (
            number,
            r.started.replace(microsecond=0),
            r.recorded.replace(microsecond=0),
            msforms_email(r.person),
            r.person.name,
            None,
            *[AGREEMENT[v - 1] for v in r.answers],
            r.free_text,
        )
        for number, r in enumerate(responses, start=1)
    ]
    return save_workbook({"Sheet1": (header, rows)}, path, "Microsoft Forms follow-up survey export.")


def survey_mapping(wave: str, survey_format: str) -> dict:
    """The mapping file of one wave's export: every question column named as an item or as free text."""
    items = wave_items(wave)
    question = FREE_TEXT[wave]
    if survey_format == "qualtrics":
        columns = {item.qualtrics_column: item.item_id for item in items}
        free_text = {question.column: question.name}
    else:
        columns = {item.wording: item.item_id for item in items}
        free_text = {question.text: question.name}
    return {
        "survey": LEADERSHIP_SURVEY,
        "format": survey_format,
        "wave": wave,
        "roster": True,
        "rules": dict(SURVEY_RULES),
        "items": columns,
        "free_text": free_text,
    }


# --- Programme tables ---------------------------------------------------------------------------------------------


def build_cohorts() -> list[Cohort]:
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
                active = p.completed or session <= p.withdrawn_after_session
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
    return {
        "cohorts": (("cohort_id", "name", "start_date", "end_date", "planned_sessions", "places"), cohort_rows),
        "participants": (
            (
                "email",
                "name",
                "cohort_id",
                "grade",
                "directorate",
                "enrolled_on",
                "completed_on",
                "withdrawn_on",
                "withdrawal_reason",
                "sex",
                "ethnic_group",
                "disability",
                "age_band",
            ),
            participants,
        ),
        "instrument": (
            ("item_id", "survey", "construct", "wording", "scale_min", "scale_max", "reverse_coded", "labels"),
            instrument,
        ),
        "attendance": (("cohort_id", "session", "session_date", "email", "name", "attended"), attendance),
        "applications": (
            ("application_id", "email", "name", "reported_on", "application_type", "evidence_level"),
            application_rows,
        ),
        "content": (
            (
                "resource_id",
                "cohort_id",
                "title",
                "resource_type",
                "licence",
                "published_on",
                "url",
                "views",
                "downloads",
                "reusing_organisations",
            ),
            content_rows(cohorts, rng),
        ),
        "programme_costs": (
            (
                "cost_id",
                "cohort_id",
                "cost_item",
                "days",
                "day_rate_gbp",
                "market_day_rate_gbp",
                "amount_gbp",
                "price_base_year",
            ),
            programme_cost_rows(cohorts),
        ),
    }


def content_rows(cohorts: Sequence[Cohort], rng: np.random.Generator) -> list[tuple[object, ...]]:
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


def programme_cost_rows(cohorts: Sequence[Cohort]) -> list[tuple[object, ...]]:
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


def loti_instrument_rows() -> list[tuple[object, ...]]:
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


# --- LOTI ---------------------------------------------------------------------------------------------------------


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


def connectivity_effect(months_since_joining: np.ndarray) -> np.ndarray:
    """The planted effect: +4 from the joining month, growing 0.25 a month for 12 months, then flat at +7."""
    grown = CONNECTIVITY_INITIAL_EFFECT + CONNECTIVITY_MONTHLY_GROWTH * np.minimum(
        months_since_joining, CONNECTIVITY_GROWTH_MONTHS
    )
    return np.where(months_since_joining >= 0, grown, 0.0)


@dataclass(frozen=True)
class PanelFacts:
    """Values computed while drawing the panel that the README and the indicators table state."""

    connectivity_att: float  # mean planted effect over all treated authority-months in the panel
    connectivity_att_by_group: dict[dt.date, float]
    connectivity_baseline: float  # mean value in December 2019, before anybody joined
    connectivity_naive_twfe: float  # static two-way fixed-effects estimate on the written values (biased)
    cyber_baseline: float  # participants' mean click rate in March 2022, the month before joining


def observation_rows(world: LotiWorld, rng: np.random.Generator) -> tuple[list[tuple[object, ...]], PanelFacts]:
    """Monthly indicator values, 2019-01 to 2025-12.

    IND03 (connectivity, all 33): ``35 + a_i + 0.3 t + g_t + effect + e``.
    IND05 (cyber click rate, all 33): ``16 + a_i + 3 [participant] - 0.04 t + g_t + e``, no effect.
    IND01 (pipeline ideas, participants only, from joining): Poisson(2 + 0.05 m).
    """
    codes = [a.gss_code for a in world.authorities]
    periods = [add_months(PANEL_START, t) for t in range(PANEL_MONTHS)]
    t = np.arange(PANEL_MONTHS)
    rows: list[tuple[object, ...]] = []

    joined = dict(world.project_joins["P03"])
    joined_month = np.array([months_between(PANEL_START, joined[c]) if c in joined else 10**6 for c in codes])
    event_time = t[None, :] - joined_month[:, None]
    effect = connectivity_effect(event_time)
    connectivity = (
        35.0
        + rng.normal(0, 4.0, (len(codes), 1))
        + 0.3 * t
        + rng.normal(0, 0.5, PANEL_MONTHS)
        + effect
        + rng.normal(0, 1.5, (len(codes), PANEL_MONTHS))
    )
    treated = event_time >= 0
    groups = {
        day: float(effect[(joined_month == months_between(PANEL_START, day))[:, None] & treated].mean())
        for day, _ in CONNECTIVITY_ADOPTION
    }

    cyber_members = {code for code, _ in world.project_joins["P04"]}
    in_cyber = np.array([c in cyber_members for c in codes])
    cyber = (
        16.0
        + rng.normal(0, 2.0, (len(codes), 1))
        + CYBER_SELECTION_GAP * in_cyber[:, None]
        - 0.04 * t
        + rng.normal(0, 0.6, PANEL_MONTHS)
        + rng.normal(0, 1.2, (len(codes), PANEL_MONTHS))
    )

    for indicator, values in (("IND03", connectivity), ("IND05", cyber)):
        for i, code in enumerate(codes):
            rows += [(indicator, code, period, f"{values[i, k]:.2f}") for k, period in enumerate(periods)]
    pipeline_start = PROJECTS[0].joined_on
    pipeline_months = range(months_between(pipeline_start, periods[-1]) + 1)
    for code, _ in sorted(world.project_joins["P01"]):
        ideas = rng.poisson([PIPELINE_IDEAS_START + PIPELINE_IDEAS_MONTHLY_GROWTH * m for m in pipeline_months])
        rows += [
            ("IND01", code, add_months(pipeline_start, m), int(n)) for m, n in zip(pipeline_months, ideas, strict=True)
        ]
    december_2019 = months_between(PANEL_START, dt.date(2019, 12, 1))
    march_2022 = months_between(PANEL_START, dt.date(2022, 3, 1))
    facts = PanelFacts(
        float(effect[treated].mean()),
        groups,
        float(connectivity[:, december_2019].mean()),
        naive_twfe(np.round(connectivity, 2), treated.astype(float)),
        float(cyber[in_cyber, march_2022].mean()),
    )
    return rows, facts


def naive_twfe(values: np.ndarray, treated: np.ndarray) -> float:
    """Coefficient of a treated dummy in a regression with unit and period effects (balanced panel: demeaning)."""

    def demeaned(x: np.ndarray) -> np.ndarray:
        return x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()

    return float((demeaned(treated) * demeaned(values)).sum() / (demeaned(treated) ** 2).sum())


def indicator_rows(facts: PanelFacts) -> list[tuple[object, ...]]:
    """Outcome indicators at the three levels; IND04's baseline is left empty on purpose (reports flag it)."""

    def month(year: int, number: int) -> dt.date:
        return dt.date(year, number, 1)

    return [
        (
            "IND01",
            "P01",
            "Ideas entering the innovation pipeline",
            "organisation",
            "ideas per month",
            "higher_is_better",
            2.0,
            month(2021, 4),
            4.0,
            month(2025, 12),
        ),
        (
            "IND02",
            "P02",
            "Borough staff active in LOTI peer networks",
            "organisation",
            "people",
            "higher_is_better",
            150.0,
            month(2019, 9),
            600.0,
            month(2024, 12),
        ),
        (
            "IND03",
            "P03",
            "Council sites with a gigabit-capable connection",
            "organisation",
            "%",
            "higher_is_better",
            round(facts.connectivity_baseline, 1),
            month(2019, 12),
            80.0,
            month(2025, 12),
        ),
        (
            "IND04",
            "P03",
            "Residential premises with gigabit-capable broadband",
            "community",
            "%",
            "higher_is_better",
            None,
            None,
            85.0,
            month(2025, 12),
        ),
        (
            "IND05",
            "P04",
            "Staff who click a simulated phishing link",
            "organisation",
            "%",
            "lower_is_better",
            round(facts.cyber_baseline, 1),
            month(2022, 3),
            8.0,
            month(2023, 12),
        ),
        (
            "IND06",
            "P05",
            "Days to fill a digital or data vacancy",
            "organisation",
            "days",
            "lower_is_better",
            78.0,
            month(2021, 9),
            55.0,
            month(2023, 12),
        ),
        (
            "IND07",
            "P06",
            "Legal cost of setting up data sharing between participating boroughs",
            "economic",
            "GBP",
            "lower_is_better",
            285_000.0,
            month(2021, 11),
            42_000.0,
            month(2022, 12),
        ),
        (
            "IND08",
            "P07",
            "Council servers hosted in the public cloud",
            "organisation",
            "%",
            "higher_is_better",
            22.0,
            month(2022, 10),
            60.0,
            month(2025, 12),
        ),
        (
            "IND09",
            "P08",
            "Annual spend through shared digital contracts",
            "economic",
            "GBP",
            "higher_is_better",
            0.0,
            month(2023, 1),
            5_000_000.0,
            month(2025, 12),
        ),
        (
            "IND10",
            "P09",
            "Residents in areas with outdoor 5G coverage",
            "community",
            "%",
            "higher_is_better",
            41.0,
            month(2023, 6),
            90.0,
            month(2025, 12),
        ),
    ]


def cost_benefit_rows() -> list[tuple[object, ...]]:
    """Costs and benefits per project and year (2023 prices): (project, year, flow, category, bearer, cashable, £)."""

    def years(first: int, last: int, amount: int) -> dict[int, int]:
        return dict.fromkeys(range(first, last + 1), amount)

    streams = (
        ("P01", "cost", "LOTI team time", "London Councils", True, years(2021, 2025, 45_000)),
        ("P01", "benefit", "Duplicate discovery work avoided", "Boroughs", False, years(2022, 2027, 30_000)),
        ("P02", "cost", "Network coordination", "London Councils", True, years(2020, 2025, 25_000)),
        ("P02", "benefit", "Staff time saved by reusing shared practice", "Boroughs", False, years(2020, 2025, 40_000)),
        (
            "P03",
            "cost",
            "Full-fibre installation",
            "GLA",
            True,
            {2020: 900_000, 2021: 1_200_000, 2022: 800_000, 2023: 400_000},
        ),
        ("P03", "cost", "Project management", "London Councils", True, years(2020, 2023, 60_000)),
        (
            "P03",
            "benefit",
            "Lower line-rental charges",
            "Boroughs",
            True,
            {2021: 150_000, 2022: 300_000, **years(2023, 2030, 450_000)},
        ),
        ("P03", "benefit", "Staff time saved by faster connections", "Boroughs", False, years(2022, 2030, 200_000)),
        ("P04", "cost", "Phishing simulation licences", "Boroughs", True, years(2022, 2023, 60_000)),
        ("P04", "cost", "Pilot management", "London Councils", True, {2022: 35_000, 2023: 20_000}),
        (
            "P04",
            "benefit",
            "Incident response costs avoided (business-case estimate)",
            "Boroughs",
            False,
            years(2023, 2027, 80_000),
        ),
        (
            "P05",
            "cost",
            "Shared recruitment adviser and advertising",
            "London Councils",
            True,
            years(2021, 2023, 55_000),
        ),
        # About £300k over four years: the recruitment-support saving.
        (
            "P05",
            "benefit",
            "Agency and recruitment fees saved",
            "Boroughs",
            True,
            {2022: 60_000, **years(2023, 2025, 80_000)},
        ),
        ("P06", "cost", "Drafting and legal review of the shared agreement", "London Councils", True, {2021: 42_000}),
        ("P06", "cost", "Annual review of the shared agreement", "London Councils", True, years(2022, 2030, 6_000)),
        # One agreement among 20 boroughs replaces 190 bilateral ones (20 x 19 / 2) at about £1,500 of legal time each.
        (
            "P06",
            "benefit",
            "Legal time on 190 bilateral agreements avoided",
            "Boroughs",
            False,
            {2022: 142_500, 2023: 142_500},
        ),
        (
            "P06",
            "benefit",
            "Annual review of 190 bilateral agreements avoided",
            "Boroughs",
            False,
            years(2024, 2030, 28_500),
        ),
        ("P07", "cost", "Playbook development", "London Councils", True, {2022: 30_000, 2023: 30_000}),
        ("P07", "benefit", "Data-centre running costs avoided", "Boroughs", True, years(2024, 2030, 90_000)),
        ("P08", "cost", "Framework set-up", "London Councils", True, {2023: 50_000, 2024: 20_000}),
        ("P08", "benefit", "Lower prices from joint purchasing", "Boroughs", True, years(2024, 2030, 120_000)),
        ("P09", "cost", "Asset mapping and legal templates", "GLA", True, {2023: 70_000, 2024: 40_000}),
        ("P09", "benefit", "Rent from small cells on council assets", "Boroughs", True, years(2025, 2030, 35_000)),
    )
    rows = [
        (project, year, flow, category, bearer, cashable, amount, COST_PRICE_BASE_YEAR)
        for project, flow, category, bearer, cashable, amounts in streams
        for year, amount in amounts.items()
    ]
    return sorted(rows, key=lambda row: (row[0], row[1], row[2], row[3]))


def expected_score(latent: np.ndarray, sd: float) -> np.ndarray:
    """E[clip(round(latent + N(0, sd)), 1, 5)], exactly, from the normal distribution function."""
    cuts = normal_cdf((np.array([1.5, 2.5, 3.5, 4.5])[:, None] - latent.ravel()[None, :]) / sd)
    probabilities = np.diff(np.vstack([np.zeros(latent.size), cuts, np.ones(latent.size)]), axis=0)
    return (np.arange(1, 6)[:, None] * probabilities).sum(axis=0).reshape(latent.shape)


def maturity_rows(
    world: LotiWorld, rng: np.random.Generator
) -> tuple[list[tuple[object, ...]], list[tuple[str, float, float, int, int]]]:
    """Self-assessed maturity 1-5 for all 33 authorities, 9 domains, 3 rounds, and the true expected gains.

    Latent level = authority level + domain offset + gains so far; a round's
    gain is 0.3 if the authority was a member when the previous round was
    assessed, else 0.1. The score is the latent level plus noise, rounded and
    clipped to 1-5; the expected observed gain is computed exactly.
    """
    codes = [a.gss_code for a in world.authorities]
    level = rng.normal(2.4, 0.5, (len(codes), 1)) + np.array(list(MATURITY_DOMAIN_OFFSETS.values()))[None, :]
    latent = [level]
    member_at = []
    for previous in MATURITY_ROUNDS[:-1]:
        member = np.array([c in world.member_since and world.member_since[c] <= previous for c in codes])
        member_at.append(member)
        gain = np.where(member, MATURITY_MEMBER_GAIN, MATURITY_NON_MEMBER_GAIN)
        latent.append(latent[-1] + gain[:, None])
    rows = []
    for day, values in zip(MATURITY_ROUNDS, latent, strict=True):
        scores = np.clip(np.rint(values + rng.normal(0, MATURITY_NOISE_SD, values.shape)), 1, 5)
        rows += [
            (code, day, domain, int(scores[i, d]))
            for i, code in enumerate(codes)
            for d, domain in enumerate(MATURITY_DOMAINS)
        ]
    expected = [expected_score(values, MATURITY_NOISE_SD) for values in latent]
    gains = []
    for r, member in enumerate(member_at):
        change = (expected[r + 1] - expected[r]).mean(axis=1)
        gains.append(
            (
                f"{MATURITY_ROUNDS[r]:%Y-%m} to {MATURITY_ROUNDS[r + 1]:%Y-%m}",
                float(change[member].mean()),
                float(change[~member].mean()),
                int(member.sum()),
                int((~member).sum()),
            )
        )
    return rows, gains


def member_survey_rows(world: LotiWorld, rng: np.random.Generator) -> list[tuple[object, ...]]:
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


def loti_tables(world: LotiWorld, facts: PanelFacts, maturity: list[tuple[object, ...]]) -> dict[str, Table]:
    """The sheets of loti.xlsx, named as the workbench's tables."""
    membership = [(code, since, None, ANNUAL_FEE_GBP) for code, since in sorted(world.member_since.items())]
    projects = [
        (
            p.project_id,
            p.title,
            p.workstream,
            world.project_joins[p.project_id][0][0],
            p.stage,
            p.start_date,
            p.end_date,
            p.budget_gbp,
            *p.logic,
        )
        for p in PROJECTS
    ]
    project_authorities = [
        (p.project_id, code, "Lead" if n == 0 else "Participant", joined)
        for p in PROJECTS
        for n, (code, joined) in enumerate(world.project_joins[p.project_id])
    ]
    return {
        "instrument": (
            ("item_id", "survey", "construct", "wording", "scale_min", "scale_max", "reverse_coded", "labels"),
            loti_instrument_rows(),
        ),
        "membership": (("authority_code", "joined_on", "left_on", "annual_fee_gbp"), membership),
        "projects": (
            (
                "project_id",
                "title",
                "workstream",
                "lead_authority",
                "stage",
                "start_date",
                "end_date",
                "budget_gbp",
                "logic_inputs",
                "logic_activities",
                "logic_outputs",
                "logic_outcomes",
                "logic_impact",
                "logic_assumptions",
            ),
            projects,
        ),
        "project_authorities": (("project_id", "authority_code", "role", "joined_on"), project_authorities),
        "indicators": (
            (
                "indicator_id",
                "project_id",
                "name",
                "level",
                "unit",
                "direction",
                "baseline",
                "baseline_period",
                "target",
                "target_period",
            ),
            indicator_rows(facts),
        ),
        "costs_benefits": (
            ("project_id", "year", "flow", "category", "bearer", "cashable", "amount_gbp", "price_base_year"),
            cost_benefit_rows(),
        ),
        "maturity_assessments": (("authority_code", "assessed_on", "domain", "score"), maturity),
    }


# --- Governance: peer challenges and risk registers -------------------------------------------------------------
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
# Risk registers: quarterly reviews; each risk (id, title, owner role, first review, last review or None,
# starting probability, starting impact). Probability then moves one step at a review with the shares below.
RISK_REGISTERS = {
    "leadership": (
        [
            dt.date(2024, 1, 10),
            dt.date(2024, 4, 10),
            dt.date(2024, 7, 10),
            dt.date(2024, 10, 10),
            dt.date(2025, 1, 10),
            dt.date(2025, 4, 10),
            dt.date(2025, 7, 10),
            dt.date(2025, 10, 10),
        ],
        (
            ("R01", "Senior leaders cannot release time to attend sessions", "Programme Director", 0, None, 3, 3),
            (
                "R02",
                "Drop-out leaves cohorts too small to evaluate without disclosure",
                "Evaluation Lead",
                0,
                None,
                2,
                3,
            ),
            ("R03", "Facilitation supplier cannot staff a cohort", "Programme Manager", 0, 5, 2, 4),
            ("R04", "Programme budget is cut in-year", "Programme Director", 0, None, 2, 4),
            ("R05", "Learning is not applied back in directorates", "Programme Sponsor", 1, None, 3, 2),
            ("R06", "Low response to the follow-up survey", "Evaluation Lead", 2, None, 3, 2),
            ("R07", "Open content cannot be reused because of licensing", "Programme Manager", 0, 3, 1, 2),
            ("R08", "Sponsorship lapses after a change of priorities", "Programme Sponsor", 1, None, 2, 4),
        ),
    ),
    "loti": (
        [
            dt.date(2023, 3, 31),
            dt.date(2023, 6, 30),
            dt.date(2023, 9, 30),
            dt.date(2023, 12, 31),
            dt.date(2024, 3, 31),
            dt.date(2024, 6, 30),
            dt.date(2024, 9, 30),
            dt.date(2024, 12, 31),
            dt.date(2025, 3, 31),
            dt.date(2025, 6, 30),
            dt.date(2025, 9, 30),
        ],
        (
            ("R01", "Member boroughs leave because of budget pressures", "LOTI Director", 0, None, 3, 4),
            ("R02", "Key staff leave the LOTI team", "LOTI Director", 0, None, 2, 3),
            ("R03", "Projects duplicate work funded elsewhere", "Head of Programmes", 0, None, 2, 2),
            ("R04", "Data-sharing agreements stall in legal review", "Data Lead", 0, 6, 3, 3),
            ("R05", "A cyber incident at a member halts joint work", "Cyber Lead", 0, None, 2, 4),
            ("R06", "Shared procurement locks members into one supplier", "Head of Programmes", 2, None, 2, 3),
            ("R07", "Core funding is not renewed", "LOTI Director", 0, None, 1, 4),
            ("R08", "Benefits of projects are not evidenced", "Evaluation Lead", 0, None, 3, 2),
            ("R09", "Mobile operators do not take up the small-cells offer", "Head of Programmes", 4, None, 3, 2),
            ("R10", "Cloud migrations are delayed by legacy contracts", "Technology Lead", 3, None, 3, 3),
        ),
    ),
}
RISK_PROBABILITY_STEP = {-1: 0.2, 0: 0.65, 1: 0.15}
RISK_IMPACT_STEP = {-1: 0.05, 0: 0.9, 1: 0.05}
# Planted reporting errors: the share of rows reported one band better (e.g. Amber for a computed Red) and
# the share left blank. The analysis flags every row where the reported RAG is not the computed one.
RAG_OPTIMISM_SHARE = 0.08
RAG_BLANK_SHARE = 0.04
# The workbench's default RAG rule for a 4 x 4 matrix (evaluation.analyses.governance): score = P x I.
RISK_GREEN_MAX, RISK_AMBER_MAX = 4, 8


def risk_rag(score: int) -> str:
    """RAG of a probability x impact score by the default bands (1-4 Green, 5-8 Amber, 9-16 Red)."""
    return "Green" if score <= RISK_GREEN_MAX else "Amber" if score <= RISK_AMBER_MAX else "Red"


def end_of_quarter(day: dt.date, quarters: int) -> dt.date:
    """The last day of the quarter ``quarters`` quarters after ``day``'s quarter."""
    first = add_months(dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), 3 * (quarters + 1))
    return first - dt.timedelta(days=1)


def add_calendar_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or that month's last day if it is shorter."""
    first = add_months(day, months)
    last_day = (add_months(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))


def draw_step(rng: np.random.Generator, shares: Mapping[int, float]) -> int:
    """One whole number drawn with the given probabilities."""
    keys = list(shares)
    return keys[int(rng.choice(len(keys), p=np.array(list(shares.values())) / sum(shares.values())))]


@dataclass(frozen=True)
class GovernanceFacts:
    """The governance workbook's rows and the truths the README states, counted from those rows."""

    tables: dict[str, Table]
    as_of: dt.date
    challenges: int
    follow_ups_held: int
    overdue_by_line: dict[str, int]
    actions_by_line: dict[str, int]
    complete_by_line: dict[str, int]
    complete_not_achieved: int
    complete_judged: int
    rag_disagreements: list[tuple[str, str, dt.date, int, str, str]]
    rag_blank: int
    latest_red: dict[str, int]


def peer_challenge_rows(
    world: LotiWorld, rng: np.random.Generator
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Peer challenges of member authorities, their recommendations and the actions agreed for each."""
    members = sorted(world.member_since)
    chosen = rng.choice(len(members), len(PEER_CHALLENGE_PLAN), replace=False)
    challenges, recommendations, actions = [], [], []
    for (challenge_id, review, months, lead), index in zip(PEER_CHALLENGE_PLAN, chosen, strict=True):
        follow_up = add_calendar_months(review, months)
        challenges.append((challenge_id, members[int(index)], review, follow_up, lead))
        low, high = RECOMMENDATIONS_PER_CHALLENGE
        lines = rng.choice(len(LINES_OF_ENQUIRY), int(rng.integers(low, high + 1)), replace=False)
        for r, line_index in enumerate(sorted(lines), start=1):
            line = LINES_OF_ENQUIRY[int(line_index)]
            recommendation_id = f"{challenge_id}-R{r}"
            recommendations.append((recommendation_id, challenge_id, line, pick(rng, RECOMMENDATION_TEXTS[line])))
            for a in range(1, draw_step(rng, ACTIONS_PER_RECOMMENDATION) + 1):
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


def risk_register_rows(rng: np.random.Generator) -> list[tuple[object, ...]]:
    """Each register's risks at each quarterly review, with the RAG the register reported."""
    rows = []
    for register, (reviews, risks) in RISK_REGISTERS.items():
        for risk_id, title, owner, first, last, probability, impact in risks:
            for review in reviews[first : None if last is None else last + 1]:
                if review != reviews[first]:
                    probability = int(np.clip(probability + draw_step(rng, RISK_PROBABILITY_STEP), 1, 4))
                    impact = int(np.clip(impact + draw_step(rng, RISK_IMPACT_STEP), 1, 4))
                computed = risk_rag(probability * impact)
                roll = rng.random()
                if roll < RAG_BLANK_SHARE:
                    reported = None
                elif roll < RAG_BLANK_SHARE + RAG_OPTIMISM_SHARE and computed != "Green":
                    reported = {"Red": "Amber", "Amber": "Green"}[computed]
                else:
                    reported = computed
                rows.append((register, risk_id, review, title, owner, probability, impact, reported))
    return sorted(rows, key=lambda row: (row[0], row[2], row[1]))


def governance_tables(world: LotiWorld, rng: np.random.Generator) -> GovernanceFacts:
    """The sheets of governance.xlsx and the counts the README states."""
    challenges, recommendations, actions = peer_challenge_rows(world, rng)
    risks = risk_register_rows(rng)
    line_of = {r[0]: r[2] for r in recommendations}
    lines = [line for line in LINES_OF_ENQUIRY if line in line_of.values()]
    overdue = {
        line: sum(
            1
            for a in actions
            if line_of[a[1]] == line and a[3] < GOVERNANCE_AS_OF and a[4] in ("Not started", "In progress")
        )
        for line in lines
    }
    completed = [a for a in actions if a[4] == "Complete" and a[6] != "Not assessed"]
    latest = {register: max(reviews) for register, (reviews, _) in RISK_REGISTERS.items()}
    tables = {
        "peer_challenges": (
            ("challenge_id", "authority_code", "review_date", "follow_up_date", "lead_reviewer_org"),
            challenges,
        ),
        "recommendations": (("recommendation_id", "challenge_id", "line_of_enquiry", "summary"), recommendations),
        "actions": (
            ("action_id", "recommendation_id", "owner_role", "due_date", "status", "evidence", "status_at_follow_up"),
            actions,
        ),
        "risk_register": (
            ("register", "risk_id", "review_date", "title", "owner_role", "probability", "impact", "rag_reported"),
            risks,
        ),
    }
    return GovernanceFacts(
        tables=tables,
        as_of=GOVERNANCE_AS_OF,
        challenges=len(challenges),
        follow_ups_held=sum(1 for c in challenges if c[3] <= GOVERNANCE_AS_OF),
        overdue_by_line=overdue,
        actions_by_line={line: sum(1 for a in actions if line_of[a[1]] == line) for line in lines},
        complete_by_line={
            line: sum(1 for a in actions if line_of[a[1]] == line and a[4] == "Complete") for line in lines
        },
        complete_not_achieved=sum(1 for a in completed if a[6] != "Achieved"),
        complete_judged=len(completed),
        rag_disagreements=[
            (r[0], r[1], r[2], r[5] * r[6], risk_rag(r[5] * r[6]), r[7])
            for r in risks
            if r[7] is not None and r[7] != risk_rag(r[5] * r[6])
        ],
        rag_blank=sum(1 for r in risks if r[7] is None),
        latest_red={
            register: sum(1 for r in risks if r[0] == register and r[2] == day and risk_rag(r[5] * r[6]) == "Red")
            for register, day in latest.items()
        },
    )


# --- README -------------------------------------------------------------------------------------------------------


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class DemoFacts:
    """Everything the README states that is computed rather than fixed in this module."""

    seed: int
    changes: list[TrueChange]
    rating_means: dict[str, float]
    roster: list[Participant]
    panel: PanelFacts
    maturity_gains: list[tuple[str, float, float, int, int]]
    world: LotiWorld
    survey_files: list[tuple[str, str, str, str]]  # path, cohort, wave, encoding or format
    governance: GovernanceFacts | None = None


def governance_readme(facts: GovernanceFacts) -> str:
    """The README section on governance.xlsx: how it is drawn and the counts an analysis should reproduce."""
    reviews = {register: days for register, (days, _) in RISK_REGISTERS.items()}
    risks = {register: len(items) for register, (_, items) in RISK_REGISTERS.items()}
    completion = markdown_table(
        ("line of enquiry", "planted P(complete) if due", "actions", "complete", f"TRUE overdue on {facts.as_of}"),
        [
            (
                line,
                f"{COMPLETION_BY_LINE[line]:.2f}",
                facts.actions_by_line[line],
                facts.complete_by_line[line],
                f"**{facts.overdue_by_line[line]}**",
            )
            for line in facts.overdue_by_line
        ],
    )
    judged = markdown_table(
        ("tracker status", "judged at the follow-up (planted probabilities)"),
        [
            (status, ", ".join(f"{k} {v:.2f}" for k, v in shares.items()))
            for status, shares in FOLLOW_UP_GIVEN_STATUS.items()
        ],
    )
    disagreements = markdown_table(
        ("register", "risk", "review", "score (P x I)", "computed RAG", "reported RAG"),
        [
            (register, risk, f"{day}", score, computed, reported)
            for register, risk, day, score, computed, reported in facts.rag_disagreements
        ],
    )
    registers = "\n".join(
        f"- `{register}`: {risks[register]} risks, {len(days)} quarterly reviews from "
        f"{min(days):%Y-%m-%d} to {max(days):%Y-%m-%d}."
        for register, days in reviews.items()
    )
    red = ", ".join(f"`{register}` {count}" for register, count in facts.latest_red.items())
    first, last = PEER_CHALLENGE_PLAN[0][1], PEER_CHALLENGE_PLAN[-1][1]
    not_yet_due = ", ".join(f"{v:.1f}" for v in NOT_YET_DUE_SHARES.values())
    probability_steps = ", ".join(f"{v:.2f}" for v in RISK_PROBABILITY_STEP.values())
    impact_steps = ", ".join(f"{v:.2f}" for v in RISK_IMPACT_STEP.values())
    return f"""## Governance (`governance.xlsx`)

The action tracker and the risk registers are as at **{facts.as_of}**, the default `as_of` date of the
`peer_challenge_followup` notebook. Owners are roles, never names.

### Peer challenges (`peer_challenges`, `recommendations`, `actions`)

- {facts.challenges} peer challenges of member authorities, reviews from {first:%Y-%m} to {last:%Y-%m}, each with
  a follow-up review 14 to 16 months later. **{facts.follow_ups_held} follow-ups were held by {facts.as_of}**; the
  others are planned, so their actions are all `Not assessed`.
- Each challenge makes {RECOMMENDATIONS_PER_CHALLENGE[0]} to {RECOMMENDATIONS_PER_CHALLENGE[1]} recommendations on
  different lines of enquiry, each with 1 to 3 actions due at the end of a quarter 1 to 6 quarters after the
  review.
- An action is `Dropped` with probability {DROPPED_SHARE}. Otherwise an action due by {facts.as_of} is `Complete`
  with the probability of its line of enquiry below (the rest: 70% `In progress`, 30% `Not started`); one not
  yet due is `Complete`, `In progress` or `Not started` with probabilities {not_yet_due}.
- An action is *overdue* when its due date is before {facts.as_of} and it is `Not started` or `In progress`.

{completion}

Planted: a tracker's `Complete` is not always achieved. At a held follow-up the peers judge each action by its
tracker status:

{judged}

TRUE: of the **{facts.complete_judged}** actions marked `Complete` that were judged at a follow-up,
**{facts.complete_not_achieved}** were judged `Partly achieved` or `Not achieved`.

### Risk registers (`risk_register`)

{registers}

- Some risks are added or closed between reviews. At each review a risk's probability moves one step down, not
  at all or up with probabilities {probability_steps}, and its impact with {impact_steps} (both kept within 1-4).
- The score is probability x impact; the computed RAG uses the workbench's default bands: 1-{RISK_GREEN_MAX}
  Green, {RISK_GREEN_MAX + 1}-{RISK_AMBER_MAX} Amber, {RISK_AMBER_MAX + 1}-16 Red.
- Planted: a row's reported RAG is left blank with probability {RAG_BLANK_SHARE} ({facts.rag_blank} rows), and an
  Amber or Red risk is reported one band better with probability {RAG_OPTIMISM_SHARE}.

Every row where the reported RAG disagrees with the computed one (TRUE; the analysis must flag exactly these):

{disagreements}

Risks rated Red by the computed rule at each register's latest review: {red}.
"""


def readme_text(facts: DemoFacts) -> str:
    """The README of the demo data: how it is marked synthetic, what it holds and every planted truth."""
    changes = markdown_table(
        (
            "construct",
            "items",
            "planted latent shift",
            "expected baseline scale mean",
            "TRUE expected change, baseline to endpoint (scale points)",
            "Monte Carlo s.e.",
        ),
        [
            (
                c.construct,
                sum(i.construct == c.construct for i in LEADERSHIP_ITEMS),
                f"+{c.planted_shift:.1f}",
                f"{c.baseline_mean:.3f}",
                f"**{c.expected_change:+.3f}**",
                f"{c.standard_error:.3f}",
            )
            for c in facts.changes
        ],
    )
    ratings = markdown_table(
        ("rating item", "construct", "TRUE expected endpoint mean (1-5)"),
        [
            (i.item_id, i.construct, f"{facts.rating_means[i.construct]:.3f}")
            for i in LEADERSHIP_ITEMS
            if i.endpoint_only
        ],
    )
    items = markdown_table(
        ("item_id", "construct", "reverse coded", "baseline location (mean)"),
        [(i.item_id, i.construct, "yes" if i.reverse_coded else "", f"{i.mean:.1f}") for i in LEADERSHIP_ITEMS],
    )
    dropouts = {c: sum(1 for p in facts.roster if p.cohort_id == c and not p.completed) for c in COHORT_STARTS}
    surveys = markdown_table(("file", "cohort", "wave", "format / encoding"), facts.survey_files)
    event_path = markdown_table(
        ("months since joining (e)", *[str(e) for e in range(0, 13, 2)], "13 and later"),
        [
            (
                "planted effect",
                *[f"{float(connectivity_effect(np.array(e))):.2f}" for e in range(0, 13, 2)],
                f"{float(connectivity_effect(np.array(13))):.2f}",
            )
        ],
    )
    adoption = markdown_table(
        ("joined connectivity project", "authorities", "mean planted effect over its treated months to 2025-12"),
        [
            (f"{day:%Y-%m-%d}", count, f"{facts.panel.connectivity_att_by_group[day]:.3f}")
            for day, count in CONNECTIVITY_ADOPTION
        ],
    )
    maturity = markdown_table(
        (
            "interval",
            "members at start",
            "non-members at start",
            "latent gain members / non-members",
            "TRUE expected observed gain, members",
            "TRUE expected observed gain, non-members",
        ),
        [
            (
                label,
                n_members,
                n_others,
                f"{MATURITY_MEMBER_GAIN} / {MATURITY_NON_MEMBER_GAIN}",
                f"{members:.3f}",
                f"{others:.3f}",
            )
            for label, members, others, n_members, n_others in facts.maturity_gains
        ],
    )
    rate_gap = MARKET_DAY_RATE_GBP - FACILITATION_DAY_RATE_GBP
    facilitation_saving = len(COHORT_STARTS) * FACILITATION_DAYS_PER_COHORT * rate_gap
    non_members = len(facts.world.authorities) - len(facts.world.member_since)
    never_treated = len(facts.world.authorities) - sum(count for _, count in CONNECTIVITY_ADOPTION)
    flat_effect = CONNECTIVITY_INITIAL_EFFECT + CONNECTIVITY_MONTHLY_GROWTH * CONNECTIVITY_GROWTH_MONTHS
    governance = governance_readme(facts.governance) if facts.governance is not None else ""
    return f"""# Demo data ({SYNTHETIC_MARK})

**{SYNTHETIC_MARK}.** Every person, e-mail address, answer, date and figure in this folder is made up by
`evaluation.demo` (seed {facts.seed}). Names are random combinations of common first names and surnames; any
resemblance to a real person is chance. Authority names and GSS codes are real, but membership, projects, scores
and money are invented. Nothing here is a finding about the GLA, LOTI or any council.

Regenerate (byte-identical for the same seed), then ingest the files listed in `ingest.yml`, in its order, with
the published demo pseudonymisation key (`evaluation.ingest.pseudonymise.DEMO_KEY`):

```
python -c "from pathlib import Path; from evaluation.demo import write_demo; write_demo(Path('data/demo'))"
```

## How each file says it is synthetic

The workbench refuses unknown sheets and columns, so the mark goes where the formats allow it:

- **Workbooks** (`programme.xlsx`, `loti.xlsx`, `governance.xlsx`, Microsoft Forms exports): the document
  properties (File > Info) have title `{SYNTHETIC_MARK}` and a description saying so; no extra sheet is added.
- **Qualtrics exports**: every row has `ExternalReference` = `{QUALTRICS_EXTERNAL_REFERENCE}` (a metadata
  column the workbench reads but never stores); IP addresses are from the documentation-only range 192.0.2.0/24.
- **YAML** (`ingest.yml`, `mappings/*.yml`): a first comment line.
- **Plain CSV tables** (`loti/observations.csv`, `loti_member_survey.csv`): this README (a CSV table has no place
  for a note that the workbench would accept).
- Content URLs use the reserved domain `example.org`, so they can never point at a real page.

## Files and ingest order (`ingest.yml`)

1. `programme.xlsx` - cohorts, participants (e-mail + name, pseudonymised on ingest), instrument, attendance,
   applications, content, programme_costs.
2. `loti.xlsx` - instrument (member survey), membership, projects, project_authorities, indicators,
   costs_benefits, maturity_assessments.
3. `governance.xlsx` - peer_challenges, recommendations, actions (peer-challenge follow-up) and risk_register.
4. `loti/observations.csv` - the monthly indicator panel.
5. Leadership survey exports with their mappings (cohort and wave given in the plan):

{surveys}

6. `loti_member_survey.csv` with `mappings/loti_member_survey.yml` (tidy, `roster: false`, wave `2023`).

## Leadership programme

Three cohorts (C1 from January 2024, C2 from July 2024, C3 from January 2025), 8 senior leaders each, six
monthly sessions on the third Wednesday. Drop-outs: C1 {dropouts["C1"]}, C2 {dropouts["C2"]}, C3 {dropouts["C3"]};
they withdraw after session 1, 2 or 3, are marked absent from then on and answer the baseline survey only.
Everyone else attends each session with probability {ATTENDANCE_RATE}. Some protected characteristics are blank
or "Prefer not to say". Completers report 0-3 applications each between the endpoint and the follow-up.

### Disclosure cases

Small groups next to a published total, kept in the data so that disclosure control is tested on them
(`tests/test_disclosure_audit.py`): in C1, 5 of the 8 have both the baseline and the endpoint survey and 3 miss
the endpoint (issue 13: publishing "5 participants with both surveys" beside "8 enrolled" gives the 3 away);
in C2, 4 of the 8 are women (3 men, 1 "Prefer not to say") and 4 are aged 45-54: groups of 4 next to their
total, which a count table must suppress together with a complement.

Costs total exactly £{PILOT_BUDGET_GBP:,} (2024 prices). Facilitation: {FACILITATION_DAYS_PER_COHORT} days per
cohort at £{FACILITATION_DAY_RATE_GBP}/day against a market rate of £{MARKET_DAY_RATE_GBP}/day, so facilitation
cost **£{facilitation_saving:,}** less than at the market rate (3 x {FACILITATION_DAYS_PER_COHORT} days x
£{rate_gap}).

### Survey model

Each answer is

    clip(round(mean_item + theta_person + shift_construct x [wave is endpoint or follow-up] + noise), 1, 5)

with `theta ~ N(0, {PERSON_SD})` drawn once per person and `noise ~ N(0, {ANSWER_NOISE_SD})` for every answer.
The reverse-coded item (`conf_out_of_depth`) is generated in the confidence direction and stored the other way
round (`6 - answer`); re-reverse it before scoring. Answers are written as labels ("{AGREEMENT_LABELS}").
A scale score is the mean of a construct's items.

{items}

### Planted effects (TRUE values)

Rounding and clipping make the change in a 1-5 scale score smaller than the latent shift, so the TRUE expected
change below comes from running the same generator for {TRUE_VALUE_PERSONS:,} synthetic people. These are the
numbers a paired baseline-to-endpoint analysis (paired t-test, mixed model with a wave effect) should recover,
within its sampling error: fewer than 20 people answer both waves, so expect misses of 0.1 to 0.3.

{changes}

- **Retention**: follow-up uses the same shift as endpoint, so the TRUE change from endpoint to follow-up is
  **0** and baseline to follow-up equals baseline to endpoint.
- **Programme ratings** (endpoint only, no shift):

{ratings}

Planted **absent** (the TRUE value is exactly 0 by construction; analyses should find nothing beyond chance):

- no difference between cohorts in the change (cohort does not enter the model);
- no baseline difference between drop-outs and completers (who drops out is drawn independently of theta);
- no difference in change by sex (sex does not enter the model).

### Planted data problems (what ingest must do)

- C2 endpoint: one participant submits twice, three days apart; the mapping's `duplicates: keep-latest` keeps the
  later one and logs the earlier one as excluded.
- C3 endpoint: one response is abandoned after 4 items (`Finished` = False, recorded by Qualtrics a week later);
  `incomplete: exclude` leaves it out and logs it.
- C1 endpoint: one completer does not answer; at follow-up one completer per cohort does not answer.
- Encodings: C1 baseline is UTF-8 with a byte-order mark, C1 endpoint is Windows-1252 and holds a `£` in a
  free-text answer, the rest are UTF-8. A free-text answer holds a line break inside quotes.
- Microsoft Forms writes e-mails with capitals (`First.Last@...`); pseudonyms ignore case, so they match the roster.

## LOTI

{len(facts.world.member_since)} of the 33 authorities are members (joined 2019-07 to 2023-04, annual fee
£{ANNUAL_FEE_GBP:,}, none has left); {non_members} never join. Nine projects, one per workstream, with
plain-English logic models. Indicator **IND04 has an empty baseline on purpose**, so reports should warn about it.

### Connectivity project (P03, indicator IND03): staggered adoption, dynamic effect

IND03 (% of council sites with a gigabit-capable connection) for all 33 authorities, monthly 2019-01 to 2025-12:
`35 + a_i + 0.3 t + g_t + effect + e`, `a_i ~ N(0, 4)`, common month shock `g_t ~ N(0, 0.5)`, `e ~ N(0, 1.5)`,
`t` = months since 2019-01; values rounded to 2 decimals. The effect starts in the month an authority joins
(`project_authorities.joined_on`): **+{CONNECTIVITY_INITIAL_EFFECT:g} in the joining month, growing
{CONNECTIVITY_MONTHLY_GROWTH} a month for {CONNECTIVITY_GROWTH_MONTHS} months, then flat at +{flat_effect:g}**.
The path is the same for every adoption group; the effect varies with time since joining, so groups observed for
different lengths of time have different average effects. Never-treated comparison authorities: {never_treated}
(non-members included).

{event_path}

{adoption}

TRUE average effect on the treated over all treated authority-months in the panel:
**{facts.panel.connectivity_att:.3f}**. A heterogeneity-robust staggered estimator (Callaway and Sant'Anna, Sun and
Abraham, or an event study with never-treated controls) should recover the event-time path above. A naive static
two-way fixed-effects regression on a treated dummy is biased: it uses already-treated authorities, whose effect is
still growing, as controls for later adopters. On these data it gives {facts.panel.connectivity_naive_twfe:.3f}
against the true {facts.panel.connectivity_att:.3f}.

### Cyber pilot (P04, indicator IND05): comparison group, TRUE effect ZERO

IND05 (% of staff clicking a simulated phishing link, lower is better) for all 33 authorities:
`16 + a_i + {CYBER_SELECTION_GAP:g} x [participant] - 0.04 t + g_t + e` with `a_i ~ N(0, 2)`,
`g_t ~ N(0, 0.6)`, `e ~ N(0, 1.2)`. The 10 participants joined on 2022-04-01. **The effect is 0 in every
month.** Participants are {CYBER_SELECTION_GAP:g} points worse throughout (selection on level), so a post-period
comparison of participants with non-participants shows about +{CYBER_SELECTION_GAP:g} points, which is not an
effect; difference-in-differences should find about 0. The costs_benefits sheet still carries the pilot's
business-case benefit estimate, which the evidence does not support.

### Pipeline (P01, indicator IND01): participants only, no causal estimate

IND01 (ideas entering the pipeline per month) is observed only for the 12 participants and only from their joining
month (2021-04) onwards: `Poisson({PIPELINE_IDEAS_START:g} + {PIPELINE_IDEAS_MONTHLY_GROWTH} m)`, `m` = months
since 2021-04. With no comparison group and no pre-period no causal effect is identified; the workbench should
report a descriptive trend only.

### Digital maturity (maturity_assessments)

All 33 authorities self-assess 9 domains in rounds dated 2021-06-30, 2023-06-30 and 2025-06-30. Latent level =
`N(2.4, 0.5)` per authority + a fixed domain offset + gains so far; a round's latent gain is
**{MATURITY_MEMBER_GAIN} for authorities that were members at the previous round, {MATURITY_NON_MEMBER_GAIN}
otherwise**. Scores are `clip(round(latent + N(0, {MATURITY_NOISE_SD})), 1, 5)`; the TRUE expected observed
gains below are computed exactly (normal distribution) for the drawn authority levels.

{maturity}

### Costs and benefits (2023 prices, 2020-2030)

- P05 recruitment support: agency and recruitment fees saved, £300,000 over 2022-2025 (cashable, boroughs).
- P06 shared data-sharing agreement: one agreement among 20 boroughs replaces 190 bilateral agreements
  (20 x 19 / 2) at about £1,500 of legal time each: £285,000 avoided in 2022-2023, then £28,500 a year of reviews.
- P04 cyber pilot: licences and management costs against a business-case benefit that IND05 does not support.

### LOTI member survey (`loti_member_survey.csv`)

2-4 respondents per member authority in October 2023 (wave `2023`), tidy layout, authorities given by name.
Agreement items are answered with labels, `value_recommend` (0-10) with numbers. No effect is planted.

{governance}"""


# --- Entry point --------------------------------------------------------------------------------------------------


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every demo file into ``out_dir`` and return their paths (same seed, same bytes)."""
    out_dir = Path(out_dir)
    for folder in (out_dir, out_dir / "leadership", out_dir / "loti", out_dir / "mappings"):
        folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    cohorts = build_cohorts()
    roster = build_roster(cohorts, random_stream(seed, "roster"))
    survey_rng = random_stream(seed, "leadership surveys")
    responses = {
        c.cohort_id: leadership_responses(c, [p for p in roster if p.cohort_id == c.cohort_id], survey_rng)
        for c in cohorts
    }
    # The Windows-1252 export must hold a pound sign: its first respondent wrote one.
    c1_endpoint = responses["C1"]["endpoint"]
    c1_endpoint[0] = replace(c1_endpoint[0], free_text=POUND_ANSWER)
    written.append(
        save_workbook(
            programme_tables(cohorts, roster, responses, random_stream(seed, "programme")),
            out_dir / "programme.xlsx",
            "Digital leadership programme tables.",
        )
    )

    world = build_loti_world(random_stream(seed, "loti"))
    observations, panel = observation_rows(world, random_stream(seed, "observations"))
    maturity, maturity_gains = maturity_rows(world, random_stream(seed, "maturity"))
    written.append(save_workbook(loti_tables(world, panel, maturity), out_dir / "loti.xlsx", "LOTI tables."))
    written.append(
        write_csv(
            out_dir / "loti" / "observations.csv", ("indicator_id", "authority_code", "period", "value"), observations
        )
    )
    governance = governance_tables(world, random_stream(seed, "governance"))
    written.append(
        save_workbook(
            governance.tables, out_dir / "governance.xlsx", "Peer-challenge follow-up and programme risk registers."
        )
    )

    mapping_files = {}
    for wave, survey_format in (("baseline", "qualtrics"), ("endpoint", "qualtrics"), ("follow-up", "msforms")):
        path = out_dir / "mappings" / f"leadership_{wave.replace('-', '_')}_{survey_format}.yml"
        mapping_files[wave] = write_yaml(
            path, survey_mapping(wave, survey_format), f"{SYNTHETIC_MARK}: mapping of the synthetic {wave} exports."
        )
        written.append(path)
    export_rng = random_stream(seed, "exports")
    plan = [
        {"path": "programme.xlsx"},
        {"path": "loti.xlsx"},
        {"path": "governance.xlsx"},
        {"path": "loti/observations.csv"},
    ]
    survey_files = []
    for cohort in cohorts:
        for wave in ("baseline", "endpoint", "follow-up"):
            stem = f"leadership/{cohort.cohort_id.lower()}_{wave.replace('-', '_')}"
            if wave == "follow-up":
                path = write_msforms_export(out_dir / f"{stem}_msforms.xlsx", responses[cohort.cohort_id][wave])
                kind = "Microsoft Forms Excel"
            else:
                encoding = QUALTRICS_ENCODINGS.get((cohort.cohort_id, wave), "utf-8")
                path = write_qualtrics_export(
                    out_dir / f"{stem}_qualtrics.csv", wave, responses[cohort.cohort_id][wave], encoding, export_rng
                )
                kind = "Qualtrics CSV, " + {"utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}.get(
                    encoding, "UTF-8"
                )
            written.append(path)
            relative = path.relative_to(out_dir).as_posix()
            survey_files.append((f"`{relative}`", cohort.cohort_id, wave, kind))
            plan.append(
                {
                    "path": relative,
                    "mapping": mapping_files[wave].relative_to(out_dir).as_posix(),
                    "cohort": cohort.cohort_id,
                    "wave": wave,
                }
            )

    member_survey = write_csv(
        out_dir / "loti_member_survey.csv",
        ("respondent", "authority_code", "wave", "item_id", "value", "submitted_at"),
        member_survey_rows(world, random_stream(seed, "member survey")),
    )
    member_mapping = write_yaml(
        out_dir / "mappings" / "loti_member_survey.yml",
        {"survey": LOTI_SURVEY, "format": "tidy", "roster": False},
        f"{SYNTHETIC_MARK}: mapping of the synthetic LOTI member survey.",
    )
    written += [member_survey, member_mapping]
    plan.append({"path": "loti_member_survey.csv", "mapping": "mappings/loti_member_survey.yml"})
    written.append(
        write_yaml(
            out_dir / "ingest.yml",
            {"files": plan},
            f"{SYNTHETIC_MARK}: ingest plan (paths relative to this file), in dependency order.",
        )
    )

    changes, rating_means = true_values(seed)
    facts = DemoFacts(seed, changes, rating_means, roster, panel, maturity_gains, world, survey_files, governance)
    readme = out_dir / "README.md"
    readme.write_text(readme_text(facts), encoding="utf-8")
    written.append(readme)
    return written
