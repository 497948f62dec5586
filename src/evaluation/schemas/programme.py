"""Tables of the digital leadership programme (cohorts of senior leaders)."""

from __future__ import annotations

from .core import Column, ForeignKey, Identity, RowRule, TableSchema, not_both, ordered_after

GRADES = ("Deputy Mayor", "Executive Director", "Director", "Assistant Director", "Head of Service", "Other")
WAVES = ("baseline", "midpoint", "endpoint", "follow-up")
# The leadership programme's outcome (1): self-rated scales surveyed before and after (and applied at work).
OUTCOMES = ("confidence", "competence", "application")
# Outcome (3): how participants rated the programme at its end.
RATINGS = ("quality", "relevance", "effectiveness", "applicability")
# The LOTI member survey's scales.
MEMBER_SURVEY_SCALES = ("satisfaction", "collaboration", "capability", "value")
CONSTRUCTS = OUTCOMES + RATINGS + MEMBER_SURVEY_SCALES
# Protected characteristics use the GSS harmonised high-level categories.
SEXES = ("Female", "Male", "Prefer not to say")
ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other", "Prefer not to say")
DISABILITY = ("Yes", "No", "Prefer not to say")
AGE_BANDS = ("Under 35", "35-44", "45-54", "55 and over", "Prefer not to say")
WITHDRAWAL_REASONS = ("Work pressures", "Left organisation", "Ill health", "Programme not relevant", "Other")
PSEUDONYM = r"P-[0-9a-f]{12}"

COHORTS = TableSchema(
    name="cohorts",
    description="One row per cohort of the leadership programme.",
    columns=(
        Column("cohort_id", "text", "Cohort identifier, e.g. C1.", pattern=r"[A-Za-z0-9_-]{1,20}"),
        Column("name", "text", "Cohort name as used by the programme team."),
        Column("start_date", "date", "First session."),
        Column("end_date", "date", "Last session (planned or actual)."),
        Column("planned_sessions", "integer", "Number of sessions in the programme.", minimum=1, maximum=100),
        Column("places", "integer", "Places offered.", minimum=1, maximum=100),
    ),
    primary_key=("cohort_id",),
    row_rules=(RowRule("end_date is before start_date", "end_date", ordered_after("end_date", "start_date")),),
)

PARTICIPANTS = TableSchema(
    name="participants",
    description=(
        "The cohort roster. Input files carry `email` (and optionally `name`); on ingest the e-mail is "
        "replaced by a keyed-hash pseudonym and the name is dropped."
    ),
    columns=(
        Column("participant_id", "text", "Pseudonym: HMAC-SHA256 of the lower-cased e-mail.", pattern=PSEUDONYM),
        Column("cohort_id", "text", "Cohort joined."),
        Column("grade", "text", "Grade at enrolment.", allowed=GRADES),
        Column("directorate", "text", "Directorate or organisation unit."),
        Column("enrolled_on", "date", "Enrolment date.", not_future=True),
        Column("completed_on", "date", "Completion date, if completed.", nullable=True, not_future=True),
        Column("withdrawn_on", "date", "Withdrawal date, if withdrawn.", nullable=True, not_future=True),
        Column(
            "withdrawal_reason", "text", "Category of reason for withdrawal.", nullable=True, allowed=WITHDRAWAL_REASONS
        ),
        Column("sex", "text", "Sex (optional, equality analysis).", nullable=True, allowed=SEXES),
        Column(
            "ethnic_group", "text", "Ethnic group, GSS high-level (optional).", nullable=True, allowed=ETHNIC_GROUPS
        ),
        Column("disability", "text", "Disability (optional).", nullable=True, allowed=DISABILITY),
        Column("age_band", "text", "Age band (optional).", nullable=True, allowed=AGE_BANDS),
    ),
    primary_key=("participant_id",),
    foreign_keys=(ForeignKey(("cohort_id",), "cohorts", ("cohort_id",)),),
    row_rules=(
        RowRule("completed_on is before enrolled_on", "completed_on", ordered_after("completed_on", "enrolled_on")),
        RowRule("withdrawn_on is before enrolled_on", "withdrawn_on", ordered_after("withdrawn_on", "enrolled_on")),
        RowRule(
            "both completed_on and withdrawn_on are given", "withdrawn_on", not_both("completed_on", "withdrawn_on")
        ),
    ),
    identity=Identity(source="email", target="participant_id", drop=("name",)),
)

INSTRUMENT = TableSchema(
    name="instrument",
    description="Survey items: what each measures, its scale and how its labels map to numbers.",
    columns=(
        Column("item_id", "text", "Item identifier used in `responses`.", pattern=r"[a-z0-9_]{1,40}"),
        Column("survey", "text", "Survey the item belongs to."),
        Column("construct", "text", "Construct measured.", allowed=CONSTRUCTS),
        Column("wording", "text", "Item wording as asked."),
        Column("scale_min", "integer", "Lowest scale value.", minimum=0),
        Column("scale_max", "integer", "Highest scale value.", minimum=1),
        Column("reverse_coded", "boolean", "True if agreement means less of the construct."),
        Column("labels", "text", "Label-to-value map: `1=Strongly disagree; 2=Disagree; ...`."),
    ),
    primary_key=("item_id",),
    row_rules=(
        RowRule(
            "scale_max is not above scale_min",
            "scale_max",
            lambda f: f["scale_max"].notna() & f["scale_min"].notna() & (f["scale_max"] <= f["scale_min"]),
        ),
    ),
)

RESPONSES = TableSchema(
    name="responses",
    description=(
        "Every closed survey answer, long: one row per respondent, wave and item, for the cohort surveys and "
        "the LOTI member survey alike. Free-text answers are kept apart in `free_text`."
    ),
    columns=(
        Column("survey", "text", "Survey name."),
        Column("respondent", "text", "Pseudonym of the respondent.", pattern=PSEUDONYM),
        Column("cohort_id", "text", "Cohort (leadership surveys).", nullable=True),
        Column("authority_code", "text", "Authority (LOTI member survey).", nullable=True),
        Column(
            "wave",
            "text",
            "Wave: baseline, midpoint, endpoint, follow-up, or a year (YYYY).",
            pattern=r"baseline|midpoint|endpoint|follow-up|\d{4}",
        ),
        Column("item_id", "text", "Instrument item."),
        Column("value", "number", "Numeric answer on the item's scale."),
        Column("submitted_at", "datetime", "When the response was submitted.", not_future=True),
    ),
    primary_key=("survey", "cohort_id", "wave", "respondent", "item_id"),
    foreign_keys=(
        ForeignKey(("item_id",), "instrument", ("item_id",)),
        ForeignKey(("cohort_id",), "cohorts", ("cohort_id",)),
        ForeignKey(("authority_code",), "authorities", ("gss_code",)),
    ),
    extra_columns=("source_sha256",),
)

FREE_TEXT = TableSchema(
    name="free_text",
    description="Free-text survey answers. Never read by a dashboard or a published table.",
    columns=(
        Column("survey", "text", "Survey name."),
        Column("respondent", "text", "Pseudonym of the respondent.", pattern=PSEUDONYM),
        Column("cohort_id", "text", "Cohort.", nullable=True),
        Column("wave", "text", "Wave."),
        Column("question", "text", "Question identifier from the mapping file."),
        Column("answer", "text", "The answer as written."),
    ),
    primary_key=("survey", "cohort_id", "wave", "respondent", "question"),
    extra_columns=("source_sha256",),
)

ATTENDANCE = TableSchema(
    name="attendance",
    description="Attendance register: one row per participant and session.",
    columns=(
        Column("cohort_id", "text", "Cohort."),
        Column("session", "integer", "Session number.", minimum=1, maximum=100),
        Column("session_date", "date", "Date of the session.", not_future=True),
        Column("participant_id", "text", "Pseudonym.", pattern=PSEUDONYM),
        Column("attended", "boolean", "Whether the participant attended."),
    ),
    primary_key=("cohort_id", "session", "participant_id"),
    foreign_keys=(
        ForeignKey(("cohort_id",), "cohorts", ("cohort_id",)),
        ForeignKey(("participant_id",), "participants", ("participant_id",)),
    ),
    identity=Identity(source="email", target="participant_id", drop=("name",)),
)

APPLICATION_TYPES = (
    "New technology adopted",
    "Service or process redesigned",
    "Data used in a decision",
    "Team capability built",
    "Procurement changed",
    "Other",
)
EVIDENCE_LEVELS = ("Self-reported", "Manager-confirmed", "Documented")

APPLICATIONS = TableSchema(
    name="applications",
    description="Evidence that a new approach, technique or technology was applied at work (outcome 2).",
    columns=(
        Column("application_id", "text", "Identifier of the record."),
        Column("participant_id", "text", "Pseudonym.", pattern=PSEUDONYM),
        Column("reported_on", "date", "Date reported.", not_future=True),
        Column("application_type", "text", "What was applied.", allowed=APPLICATION_TYPES),
        Column("evidence_level", "text", "Strength of evidence.", allowed=EVIDENCE_LEVELS),
    ),
    primary_key=("application_id",),
    foreign_keys=(ForeignKey(("participant_id",), "participants", ("participant_id",)),),
    identity=Identity(source="email", target="participant_id", drop=("name",)),
)

CONTENT_TYPES = ("Guide", "Case study", "Toolkit", "Video", "Slide deck", "Blog post")
LICENCES = ("OGL-3.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0")

CONTENT = TableSchema(
    name="content",
    description="Open resources the programme published for others to reuse (outcome 4) and their use.",
    columns=(
        Column("resource_id", "text", "Identifier."),
        Column("cohort_id", "text", "Cohort that produced it, if any.", nullable=True),
        Column("title", "text", "Title."),
        Column("resource_type", "text", "Kind of resource.", allowed=CONTENT_TYPES),
        Column("licence", "text", "Open licence.", allowed=LICENCES),
        Column("published_on", "date", "Publication date.", not_future=True),
        Column("url", "text", "Where it is published.", pattern=r"https://\S+"),
        Column("views", "integer", "Page views to date.", minimum=0),
        Column("downloads", "integer", "Downloads to date.", minimum=0),
        Column("reusing_organisations", "integer", "Organisations known to reuse it.", minimum=0),
    ),
    primary_key=("resource_id",),
    foreign_keys=(ForeignKey(("cohort_id",), "cohorts", ("cohort_id",)),),
)

COST_ITEMS = ("Facilitation", "Venue", "Materials", "Evaluation", "Administration")

PROGRAMME_COSTS = TableSchema(
    name="programme_costs",
    description="Costs of the programme, with day rates for the market-rate comparison.",
    columns=(
        Column("cost_id", "text", "Identifier."),
        Column("cohort_id", "text", "Cohort, or empty for programme-wide costs.", nullable=True),
        Column("cost_item", "text", "What the cost is for.", allowed=COST_ITEMS),
        Column("days", "number", "Days bought (day-rate items).", nullable=True, minimum=0),
        Column("day_rate_gbp", "number", "Day rate paid (GBP).", nullable=True, minimum=0),
        Column(
            "market_day_rate_gbp", "number", "Market day rate for the same service (GBP).", nullable=True, minimum=0
        ),
        Column("amount_gbp", "number", "Amount (GBP).", minimum=0),
        Column("price_base_year", "integer", "Price base year of the amount.", minimum=1990, maximum=2100),
    ),
    primary_key=("cost_id",),
    foreign_keys=(ForeignKey(("cohort_id",), "cohorts", ("cohort_id",)),),
)
