"""The sheets of ``loti.xlsx``: instrument, membership, projects, participants, indicators, costs and benefits."""

from __future__ import annotations

import datetime as dt

from .loti_panel import PanelFacts
from .loti_world import ANNUAL_FEE_GBP, PROJECTS, LotiWorld
from .member_survey import loti_instrument_rows
from .writers import Rows, Table, schema_sheets

COST_PRICE_BASE_YEAR = 2023


def indicator_rows(facts: PanelFacts) -> Rows:
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


def cost_benefit_rows() -> Rows:
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


def loti_tables(world: LotiWorld, facts: PanelFacts, maturity: Rows) -> dict[str, Table]:
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
    return schema_sheets(
        {
            "instrument": loti_instrument_rows(),
            "membership": membership,
            "projects": projects,
            "project_authorities": project_authorities,
            "indicators": indicator_rows(facts),
            "costs_benefits": cost_benefit_rows(),
            "maturity_assessments": maturity,
        }
    )
