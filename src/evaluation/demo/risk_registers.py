"""The programmes' risk registers at each quarterly review, with the RAG each register reported."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .dates import add_calendar_months, end_of_quarter
from .randomness import draw

# Risk registers: quarterly reviews; each risk (id, title, owner role, first review, last review or None,
# starting probability, starting impact). Probability then moves one step at a review with the shares below.
RISK_REGISTERS = {
    "leadership": (
        # On the 10th of the first month of each quarter, January 2024 to October 2025.
        [add_calendar_months(dt.date(2024, 1, 10), 3 * quarter) for quarter in range(8)],
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
        # On the last day of each quarter, March 2023 to September 2025.
        [end_of_quarter(dt.date(2023, 1, 1), quarter) for quarter in range(11)],
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
# A row of the risk_register sheet: register, risk, review date, title, owner role, probability, impact, reported RAG.
RiskRow = tuple[str, str, dt.date, str, str, int, int, str | None]


def risk_rag(score: int) -> str:
    """RAG of a probability x impact score by the default bands (1-4 Green, 5-8 Amber, 9-16 Red)."""
    return "Green" if score <= RISK_GREEN_MAX else "Amber" if score <= RISK_AMBER_MAX else "Red"


def risk_register_rows(rng: np.random.Generator) -> list[RiskRow]:
    """Each register's risks at each quarterly review, with the RAG the register reported."""
    rows: list[RiskRow] = []
    for register, (reviews, risks) in RISK_REGISTERS.items():
        for risk_id, title, owner, first, last, probability, impact in risks:
            for review in reviews[first : None if last is None else last + 1]:
                if review != reviews[first]:
                    probability = int(np.clip(probability + draw(rng, RISK_PROBABILITY_STEP), 1, 4))
                    impact = int(np.clip(impact + draw(rng, RISK_IMPACT_STEP), 1, 4))
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
