"""The sheets of ``governance.xlsx`` and the counts the README states, counted from those rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..schemas.governance import LINES_OF_ENQUIRY
from .loti_world import LotiWorld
from .peer_challenges import GOVERNANCE_AS_OF, peer_challenge_rows
from .risk_registers import RISK_REGISTERS, risk_rag, risk_register_rows
from .writers import Table, schema_sheets


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
    tables = schema_sheets(
        {"peer_challenges": challenges, "recommendations": recommendations, "actions": actions, "risk_register": risks}
    )
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
