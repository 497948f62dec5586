"""Tables of programme governance: peer challenges and their follow-up, and programme risk registers.

A *peer challenge* is a review of one authority's digital work by peers from other organisations. It
makes recommendations, each under a line of enquiry; the authority agrees actions for each
recommendation, tracks them and is reviewed again 12 to 24 months later (the follow-up), when the
peers judge whether each action was achieved.

A *risk register* lists a programme's risks at each review, with probability and impact scored 1 to 4
(see :mod:`evaluation.analyses.governance` for the score and RAG rule).

None of these tables is about people: owners are recorded as roles, and summaries and evidence must
not name anyone. Row rules refuse the most common slips (an e-mail address, a telephone number, a
name with a title such as "Ms" or "Dr"); they cannot recognise every name, so whoever fills the
tracker still has to check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .core import Column, ForeignKey, RowRule, TableSchema
from .loti import GSS_LONDON

LINES_OF_ENQUIRY = ("Digital services", "Data", "Innovation", "Leadership", "Skills", "Governance", "Capacity")
ACTION_STATUSES = ("Not started", "In progress", "Complete", "Dropped")
FOLLOW_UP_STATUSES = ("Not assessed", "Not achieved", "Partly achieved", "Achieved")
RAG = ("Red", "Amber", "Green")
FOLLOW_UP_MONTHS = (12, 24)  # a follow-up falls 12 to 24 months after the review
SHORT_TEXT = 300  # characters of evidence
SUMMARY_TEXT = 600  # characters of a recommendation summary
IDENTIFIER = r"[A-Za-z0-9_.-]{1,30}"

if TYPE_CHECKING:  # the schemas are declarations: importing them must not import pandas (workbench start-up)
    import pandas as pd

# What personal data in a free-text cell most often looks like: an e-mail address, a UK telephone
# number, or a name with a title. RE2 and Python's re agree on these patterns.
_EMAIL = r"[^\s@]+@[^\s@]+\.[^\s@]+"
_PHONE = r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
_TITLED_NAME = r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor)\.?\s+[A-Z][a-z]"
PERSONAL_DATA = f"{_EMAIL}|{_PHONE}|{_TITLED_NAME}"


def personal_data(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Row check: ``column`` holds an e-mail address, a telephone number or a titled name."""

    def check(frame: pd.DataFrame) -> pd.Series:
        text = frame[column].astype("string")
        return text.str.contains(PERSONAL_DATA, regex=True).fillna(False).astype(bool)

    return check


def longer_than(column: str, characters: int) -> Callable[[pd.DataFrame], pd.Series]:
    """Row check: ``column`` has more than ``characters`` characters."""

    def check(frame: pd.DataFrame) -> pd.Series:
        return (frame[column].astype("string").str.len() > characters).fillna(False).astype(bool)

    return check


def months_after(later: str, earlier: str, low: int, high: int) -> Callable[[pd.DataFrame], pd.Series]:
    """Row check: ``later`` is not between ``low`` and ``high`` calendar months after ``earlier``.

    Calendar months as :class:`pandas.DateOffset` counts them: a review on 31 January 2024 has its
    12-month point on 31 January 2025 and its 24-month point on 31 January 2026, both allowed.
    """

    def check(frame: pd.DataFrame) -> pd.Series:
        import pandas as pd

        start, end = frame[earlier], frame[later]
        given = start.notna() & end.notna()
        too_early = end < start + pd.DateOffset(months=low)
        too_late = end > start + pd.DateOffset(months=high)
        return (given & (too_early | too_late)).fillna(False).astype(bool)

    return check


def _no_personal_data(column: str) -> RowRule:
    return RowRule(
        f"{column} looks like personal data (an e-mail address, telephone number or titled name); "
        "record roles, not people",
        column,
        personal_data(column),
    )


def _short_impersonal_text(column: str, characters: int) -> tuple[RowRule, RowRule]:
    """Rules for a free-text cell: at most ``characters`` long, and no personal data."""
    return (
        RowRule(f"{column} is longer than {characters} characters", column, longer_than(column, characters)),
        _no_personal_data(column),
    )


PEER_CHALLENGES = TableSchema(
    name="peer_challenges",
    description="Peer challenges of an authority's digital work, with the date of their follow-up review.",
    columns=(
        Column("challenge_id", "text", "Identifier, e.g. PC-2023-01.", pattern=IDENTIFIER),
        Column("authority_code", "text", "Authority reviewed (GSS code).", pattern=GSS_LONDON),
        Column("review_date", "date", "Last day of the peer challenge on site.", not_future=True),
        Column(
            "follow_up_date", "date", "Date of the follow-up review, planned or held: 12 to 24 months after the review."
        ),
        Column("lead_reviewer_org", "text", "Organisation leading the review team, e.g. LOTI or a peer council."),
    ),
    primary_key=("challenge_id",),
    foreign_keys=(ForeignKey(("authority_code",), "authorities", ("gss_code",)),),
    row_rules=(
        RowRule(
            f"follow_up_date is not {FOLLOW_UP_MONTHS[0]} to {FOLLOW_UP_MONTHS[1]} months after review_date",
            "follow_up_date",
            months_after("follow_up_date", "review_date", *FOLLOW_UP_MONTHS),
        ),
    ),
)

RECOMMENDATIONS = TableSchema(
    name="recommendations",
    description="Recommendations of each peer challenge, by line of enquiry (a summary, with no personal data).",
    columns=(
        Column("recommendation_id", "text", "Identifier, e.g. PC-2023-01-R3.", pattern=IDENTIFIER),
        Column("challenge_id", "text", "Peer challenge that made it."),
        Column("line_of_enquiry", "text", "Line of enquiry.", allowed=LINES_OF_ENQUIRY),
        Column("summary", "text", f"What is recommended, in at most {SUMMARY_TEXT} characters; no names."),
    ),
    primary_key=("recommendation_id",),
    foreign_keys=(ForeignKey(("challenge_id",), "peer_challenges", ("challenge_id",)),),
    row_rules=_short_impersonal_text("summary", SUMMARY_TEXT),
)

ACTIONS = TableSchema(
    name="actions",
    description="Actions agreed for each recommendation: owner (a role), due date, tracked status and the "
    "peers' judgement at the follow-up.",
    columns=(
        Column("action_id", "text", "Identifier, e.g. PC-2023-01-R3-A1.", pattern=IDENTIFIER),
        Column("recommendation_id", "text", "Recommendation the action answers."),
        Column("owner_role", "text", "Role accountable for the action (e.g. Chief Digital Officer), not a name."),
        Column("due_date", "date", "Date the action is due."),
        Column("status", "text", "Status in the authority's tracker.", allowed=ACTION_STATUSES),
        Column("evidence", "text", f"Evidence of progress, at most {SHORT_TEXT} characters.", nullable=True),
        Column(
            "status_at_follow_up",
            "text",
            "The peers' judgement at the follow-up review (Not assessed until it is held).",
            allowed=FOLLOW_UP_STATUSES,
        ),
    ),
    primary_key=("action_id",),
    foreign_keys=(ForeignKey(("recommendation_id",), "recommendations", ("recommendation_id",)),),
    row_rules=(_no_personal_data("owner_role"), *_short_impersonal_text("evidence", SHORT_TEXT)),
)

RISK_REGISTER = TableSchema(
    name="risk_register",
    description="Programme risk registers: each risk's probability and impact (1-4) at each review, and the "
    "RAG rating the register reported.",
    columns=(
        Column(
            "register", "text", "Register the risk belongs to, e.g. leadership or loti.", pattern=r"[a-z0-9_-]{1,30}"
        ),
        Column("risk_id", "text", "Identifier within the register, e.g. R01.", pattern=IDENTIFIER),
        Column("review_date", "date", "Date of the review at which the risk was scored.", not_future=True),
        Column("title", "text", "Short description of the risk."),
        Column("owner_role", "text", "Role that owns the risk, not a name."),
        Column("probability", "integer", "Probability, 1 (rare) to 4 (likely).", minimum=1, maximum=4),
        Column("impact", "integer", "Impact, 1 (minor) to 4 (severe).", minimum=1, maximum=4),
        Column("rag_reported", "text", "RAG rating the register reported, if any.", nullable=True, allowed=RAG),
    ),
    primary_key=("register", "risk_id", "review_date"),
    row_rules=(_no_personal_data("owner_role"),),
)

__all__ = [
    "ACTIONS",
    "ACTION_STATUSES",
    "FOLLOW_UP_MONTHS",
    "FOLLOW_UP_STATUSES",
    "LINES_OF_ENQUIRY",
    "PEER_CHALLENGES",
    "PERSONAL_DATA",
    "RAG",
    "RECOMMENDATIONS",
    "RISK_REGISTER",
    "longer_than",
    "months_after",
    "personal_data",
]
