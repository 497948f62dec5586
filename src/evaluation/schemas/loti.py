"""Tables of the London Office of Technology and Innovation (LOTI) evaluation."""

from __future__ import annotations

from .core import Column, ForeignKey, RowRule, TableSchema, ordered_after

GSS_LONDON = r"E090000(0[1-9]|[12][0-9]|3[0-3])"
WORKSTREAMS = (
    "Pipeline",
    "Peer networks",
    "Connectivity",
    "Data standards and cyber security",
    "Workforce skills",
    "Common standards",
    "Cloud",
    "Procurement",
    "5G",
    "Other",
)
STAGES = ("Pipeline", "Discovery", "Alpha", "Beta", "Live", "Closed")
LEVELS = ("organisation", "community", "economic")
DIRECTIONS = ("higher_is_better", "lower_is_better")
#: An indicator's direction as a reader reads it (published tables, sentences).
DIRECTION_WORDS = {"higher_is_better": "higher is better", "lower_is_better": "lower is better"}
BEARERS = ("Boroughs", "GLA", "London Councils", "Other")
MATURITY_DOMAINS = (
    "Lines of business and IT",
    "Data",
    "Procurement and suppliers",
    "Infrastructure and connectivity",
    "Cyber security",
    "Open data",
    "Technology in the public realm",
    "Workforce digital skills",
    "Leadership",
)


def _authority(description: str, nullable: bool = False) -> Column:
    return Column("authority_code", "text", description, nullable=nullable, pattern=GSS_LONDON)


AUTHORITIES = TableSchema(
    name="authorities",
    description="The 33 London local authorities (reference data shipped with the workbench).",
    columns=(
        Column("gss_code", "text", "ONS GSS code, E09000001 to E09000033.", pattern=GSS_LONDON),
        Column("name", "text", "Authority name."),
        Column(
            "inner_outer",
            "text",
            "ONS statistical definition of Inner/Outer London.",
            allowed=("Inner London", "Outer London"),
        ),
    ),
    primary_key=("gss_code",),
)

MEMBERSHIP = TableSchema(
    name="membership",
    description="LOTI membership spells of each authority.",
    columns=(
        _authority("Member authority."),
        Column("joined_on", "date", "Date joined.", not_future=True),
        Column("left_on", "date", "Date left, if it left.", nullable=True, not_future=True),
        Column("annual_fee_gbp", "number", "Annual membership fee (GBP, nominal).", minimum=0),
    ),
    primary_key=("authority_code", "joined_on"),
    foreign_keys=(ForeignKey(("authority_code",), "authorities", ("gss_code",)),),
    row_rules=(RowRule("left_on is before joined_on", "left_on", ordered_after("left_on", "joined_on")),),
)

PROJECTS = TableSchema(
    name="projects",
    description="LOTI projects.",
    columns=(
        Column("project_id", "text", "Identifier, e.g. P01.", pattern=r"[A-Za-z0-9_-]{1,20}"),
        Column("title", "text", "Title."),
        Column("workstream", "text", "Workstream.", allowed=WORKSTREAMS),
        Column("lead_authority", "text", "Lead authority (GSS code).", pattern=GSS_LONDON),
        Column("stage", "text", "Delivery stage.", allowed=STAGES),
        Column("start_date", "date", "Start."),
        Column("end_date", "date", "End (planned or actual).", nullable=True),
        Column("budget_gbp", "number", "Budget (GBP, nominal).", minimum=0),
        Column("logic_inputs", "text", "Logic model: inputs."),
        Column("logic_activities", "text", "Logic model: activities."),
        Column("logic_outputs", "text", "Logic model: outputs."),
        Column("logic_outcomes", "text", "Logic model: outcomes."),
        Column("logic_impact", "text", "Logic model: impact."),
        Column("logic_assumptions", "text", "Logic model: assumptions."),
    ),
    primary_key=("project_id",),
    foreign_keys=(ForeignKey(("lead_authority",), "authorities", ("gss_code",)),),
    row_rules=(RowRule("end_date is before start_date", "end_date", ordered_after("end_date", "start_date")),),
)

PROJECT_AUTHORITIES = TableSchema(
    name="project_authorities",
    description="Which authorities take part in which project, and from when.",
    columns=(
        Column("project_id", "text", "Project."),
        _authority("Participating authority."),
        Column("role", "text", "Role.", allowed=("Lead", "Participant")),
        Column("joined_on", "date", "Date the authority started taking part."),
    ),
    primary_key=("project_id", "authority_code"),
    foreign_keys=(
        ForeignKey(("project_id",), "projects", ("project_id",)),
        ForeignKey(("authority_code",), "authorities", ("gss_code",)),
    ),
)

INDICATORS = TableSchema(
    name="indicators",
    description="Outcome indicators of each project, at organisation, community or economic level.",
    columns=(
        Column("indicator_id", "text", "Identifier."),
        Column("project_id", "text", "Project."),
        Column("name", "text", "What is measured."),
        Column("level", "text", "Level of outcome.", allowed=LEVELS),
        Column("unit", "text", "Unit, e.g. %, GBP, days."),
        Column("direction", "text", "Which way is better.", allowed=DIRECTIONS),
        Column("baseline", "number", "Baseline value (an empty baseline is flagged in reports).", nullable=True),
        Column("baseline_period", "date", "Period of the baseline.", nullable=True),
        Column("target", "number", "Target value.", nullable=True),
        Column("target_period", "date", "When the target should be met.", nullable=True),
    ),
    primary_key=("indicator_id",),
    foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
)

OBSERVATIONS = TableSchema(
    name="observations",
    description="Indicator values by authority and period.",
    columns=(
        Column("indicator_id", "text", "Indicator."),
        _authority("Authority observed."),
        Column("period", "date", "First day of the period observed.", not_future=True),
        Column("value", "number", "Observed value."),
    ),
    primary_key=("indicator_id", "authority_code", "period"),
    foreign_keys=(
        ForeignKey(("indicator_id",), "indicators", ("indicator_id",)),
        ForeignKey(("authority_code",), "authorities", ("gss_code",)),
    ),
)

COSTS_BENEFITS = TableSchema(
    name="costs_benefits",
    description="Costs and monetised benefits of each project by year, who bears them and in which prices.",
    columns=(
        Column("project_id", "text", "Project."),
        Column("year", "integer", "Calendar year of the flow.", minimum=1990, maximum=2200),
        Column("flow", "text", "Cost or benefit.", allowed=("cost", "benefit")),
        Column("category", "text", "What the cost or benefit is."),
        Column("bearer", "text", "Who bears the cost or receives the benefit.", allowed=BEARERS),
        Column("cashable", "boolean", "Whether the amount is cashable."),
        Column("amount_gbp", "number", "Amount (GBP).", minimum=0),
        Column(
            "price_base_year",
            "integer",
            "Price base year of the amount (nominal = the flow's year).",
            minimum=1990,
            maximum=2200,
        ),
    ),
    primary_key=("project_id", "year", "flow", "category", "bearer"),
    foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
)

MATURITY_ASSESSMENTS = TableSchema(
    name="maturity_assessments",
    description="Digital maturity self-assessments: score 1-5 per authority, date and domain.",
    columns=(
        _authority("Authority assessed."),
        Column("assessed_on", "date", "Date of the assessment.", not_future=True),
        Column("domain", "text", "Domain.", allowed=MATURITY_DOMAINS),
        Column("score", "number", "Score, 1 (lowest) to 5.", minimum=1, maximum=5),
    ),
    primary_key=("authority_code", "assessed_on", "domain"),
    foreign_keys=(ForeignKey(("authority_code",), "authorities", ("gss_code",)),),
)
