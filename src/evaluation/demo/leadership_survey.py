"""The leadership survey: its items, open questions and answer scale, and the model its answers are drawn from."""

from __future__ import annotations

from dataclasses import dataclass

LEADERSHIP_SURVEY = "leadership-survey"
# The agreement scale of the leadership survey and of the LOTI member survey's agreement items.
AGREEMENT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
AGREEMENT_LABELS = "; ".join(f"{value}={label}" for value, label in enumerate(AGREEMENT, start=1))

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


def wave_items(wave: str) -> list[SurveyItem]:
    """Closed items asked in a wave: ratings only at endpoint."""
    return [item for item in LEADERSHIP_ITEMS if wave == "endpoint" or not item.endpoint_only]
