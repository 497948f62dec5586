"""The README of the demo data: how it is marked synthetic, what it holds and every planted truth.

The text is the template ``README.md.in`` shipped in this package, filled with
:meth:`str.format`: a placeholder names a constant of the generator (upper
case, e.g. ``{PERSON_SD}``) or a value computed from the drawn data (lower
case, e.g. ``{changes}``, a Markdown table). :func:`readme_text` refuses a
template whose placeholders and the values given differ, so neither can drift
from the other unnoticed.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .governance_workbook import GovernanceFacts
from .leadership_answers import TrueChange
from .leadership_survey import AGREEMENT_LABELS, ANSWER_NOISE_SD, LEADERSHIP_ITEMS, PERSON_SD, TRUE_VALUE_PERSONS
from .loti_panel import (
    CONNECTIVITY_GROWTH_MONTHS,
    CONNECTIVITY_INITIAL_EFFECT,
    CONNECTIVITY_MONTHLY_GROWTH,
    CYBER_SELECTION_GAP,
    PIPELINE_IDEAS_MONTHLY_GROWTH,
    PIPELINE_IDEAS_START,
    PanelFacts,
    connectivity_effect,
)
from .loti_world import ANNUAL_FEE_GBP, CONNECTIVITY_ADOPTION, LotiWorld
from .maturity_scores import MATURITY_MEMBER_GAIN, MATURITY_NOISE_SD, MATURITY_NON_MEMBER_GAIN
from .peer_challenges import (
    COMPLETION_BY_LINE,
    DROPPED_SHARE,
    FOLLOW_UP_GIVEN_STATUS,
    NOT_YET_DUE_SHARES,
    PEER_CHALLENGE_PLAN,
    RECOMMENDATIONS_PER_CHALLENGE,
)
from .programme_workbook import (
    ATTENDANCE_RATE,
    FACILITATION_DAY_RATE_GBP,
    FACILITATION_DAYS_PER_COHORT,
    MARKET_DAY_RATE_GBP,
    PILOT_BUDGET_GBP,
)
from .risk_registers import (
    RAG_BLANK_SHARE,
    RAG_OPTIMISM_SHARE,
    RISK_AMBER_MAX,
    RISK_GREEN_MAX,
    RISK_IMPACT_STEP,
    RISK_PROBABILITY_STEP,
    RISK_REGISTERS,
)
from .roster import COHORT_STARTS, Participant
from .survey_exports import QUALTRICS_EXTERNAL_REFERENCE
from .writers import SYNTHETIC_MARK

README_TEMPLATE = "README.md.in"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table: a header row, the separator row, then one row per item."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class DemoFacts:
    """Everything the README states that is computed rather than fixed in the generator's modules."""

    seed: int
    changes: list[TrueChange]
    rating_means: dict[str, float]
    roster: list[Participant]
    panel: PanelFacts
    maturity_gains: list[tuple[str, float, float, int, int]]
    world: LotiWorld
    survey_files: list[tuple[str, str, str, str]]  # path, cohort, wave, encoding or format
    governance: GovernanceFacts


def programme_values(facts: DemoFacts) -> dict[str, object]:
    """The template's values on the leadership programme, its survey model and its planted effects."""
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
    rate_gap = MARKET_DAY_RATE_GBP - FACILITATION_DAY_RATE_GBP
    return {
        "SYNTHETIC_MARK": SYNTHETIC_MARK,
        "QUALTRICS_EXTERNAL_REFERENCE": QUALTRICS_EXTERNAL_REFERENCE,
        "ATTENDANCE_RATE": ATTENDANCE_RATE,
        "PILOT_BUDGET_GBP": PILOT_BUDGET_GBP,
        "FACILITATION_DAYS_PER_COHORT": FACILITATION_DAYS_PER_COHORT,
        "FACILITATION_DAY_RATE_GBP": FACILITATION_DAY_RATE_GBP,
        "MARKET_DAY_RATE_GBP": MARKET_DAY_RATE_GBP,
        "PERSON_SD": PERSON_SD,
        "ANSWER_NOISE_SD": ANSWER_NOISE_SD,
        "AGREEMENT_LABELS": AGREEMENT_LABELS,
        "TRUE_VALUE_PERSONS": TRUE_VALUE_PERSONS,
        "seed": facts.seed,
        "surveys": markdown_table(("file", "cohort", "wave", "format / encoding"), facts.survey_files),
        "dropouts": {c: sum(1 for p in facts.roster if p.cohort_id == c and not p.completed) for c in COHORT_STARTS},
        "rate_gap": rate_gap,
        "facilitation_saving": len(COHORT_STARTS) * FACILITATION_DAYS_PER_COHORT * rate_gap,
        "items": items,
        "changes": changes,
        "ratings": ratings,
    }


def loti_values(facts: DemoFacts) -> dict[str, object]:
    """The template's values on LOTI: membership, the indicator panel's planted effects and maturity."""
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
    return {
        "ANNUAL_FEE_GBP": ANNUAL_FEE_GBP,
        "CONNECTIVITY_INITIAL_EFFECT": CONNECTIVITY_INITIAL_EFFECT,
        "CONNECTIVITY_MONTHLY_GROWTH": CONNECTIVITY_MONTHLY_GROWTH,
        "CONNECTIVITY_GROWTH_MONTHS": CONNECTIVITY_GROWTH_MONTHS,
        "CYBER_SELECTION_GAP": CYBER_SELECTION_GAP,
        "PIPELINE_IDEAS_START": PIPELINE_IDEAS_START,
        "PIPELINE_IDEAS_MONTHLY_GROWTH": PIPELINE_IDEAS_MONTHLY_GROWTH,
        "MATURITY_MEMBER_GAIN": MATURITY_MEMBER_GAIN,
        "MATURITY_NON_MEMBER_GAIN": MATURITY_NON_MEMBER_GAIN,
        "MATURITY_NOISE_SD": MATURITY_NOISE_SD,
        "members": len(facts.world.member_since),
        "non_members": len(facts.world.authorities) - len(facts.world.member_since),
        "never_treated": len(facts.world.authorities) - sum(count for _, count in CONNECTIVITY_ADOPTION),
        "flat_effect": CONNECTIVITY_INITIAL_EFFECT + CONNECTIVITY_MONTHLY_GROWTH * CONNECTIVITY_GROWTH_MONTHS,
        "panel": facts.panel,
        "event_path": event_path,
        "adoption": adoption,
        "maturity": maturity,
    }


def governance_values(facts: GovernanceFacts) -> dict[str, object]:
    """The template's values on governance.xlsx: how it is drawn and the counts an analysis should reproduce."""
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
    return {
        "RECOMMENDATIONS_PER_CHALLENGE": RECOMMENDATIONS_PER_CHALLENGE,
        "DROPPED_SHARE": DROPPED_SHARE,
        "RISK_GREEN_MAX": RISK_GREEN_MAX,
        "RISK_AMBER_MAX": RISK_AMBER_MAX,
        "RAG_BLANK_SHARE": RAG_BLANK_SHARE,
        "RAG_OPTIMISM_SHARE": RAG_OPTIMISM_SHARE,
        "amber_min": RISK_GREEN_MAX + 1,
        "red_min": RISK_AMBER_MAX + 1,
        "as_of": facts.as_of,
        "challenges": facts.challenges,
        "follow_ups_held": facts.follow_ups_held,
        "first_review": PEER_CHALLENGE_PLAN[0][1],
        "last_review": PEER_CHALLENGE_PLAN[-1][1],
        "not_yet_due": ", ".join(f"{v:.1f}" for v in NOT_YET_DUE_SHARES.values()),
        "completion": completion,
        "judged": judged,
        "complete_judged": facts.complete_judged,
        "complete_not_achieved": facts.complete_not_achieved,
        "registers": registers,
        "probability_steps": ", ".join(f"{v:.2f}" for v in RISK_PROBABILITY_STEP.values()),
        "impact_steps": ", ".join(f"{v:.2f}" for v in RISK_IMPACT_STEP.values()),
        "rag_blank": facts.rag_blank,
        "disagreements": disagreements,
        "latest_red": ", ".join(f"`{register}` {count}" for register, count in facts.latest_red.items()),
    }


def readme_template() -> str:
    """The README's text with its placeholders, as shipped in the package."""
    return resources.files("evaluation.demo").joinpath(README_TEMPLATE).read_text(encoding="utf-8")


def template_fields(template: str) -> set[str]:
    """The names a :meth:`str.format` template asks for (``{panel.att:.3f}`` and ``{dropouts[C1]}`` ask for one)."""
    fields = (field for _, field, _, _ in string.Formatter().parse(template) if field is not None)
    return {field.split(".")[0].split("[")[0] for field in fields}


def fill_template(template: str, values: Mapping[str, object]) -> str:
    """The template filled with ``values``; refuses a placeholder without a value and a value without a place."""
    fields = template_fields(template)
    if fields != set(values):
        raise ValueError(
            f"{README_TEMPLATE} and evaluation.demo.readme disagree: placeholders without a value "
            f"{sorted(fields - set(values))}, values without a placeholder {sorted(set(values) - fields)}"
        )
    return template.format_map(values)


def readme_text(facts: DemoFacts) -> str:
    """The README of the demo data: how it is marked synthetic, what it holds and every planted truth."""
    sections = (programme_values(facts), loti_values(facts), governance_values(facts.governance))
    values: dict[str, object] = {}
    for section in sections:
        # Sections are filled into one template, so one name must not mean two things.
        if values.keys() & section.keys():
            raise ValueError(f"README values named twice: {sorted(values.keys() & section.keys())}")
        values.update(section)
    return fill_template(readme_template(), values)
