"""A LOTI project as the store describes it: its summary and its logic model (theory of change)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from ...presentation import numbers

if TYPE_CHECKING:
    pass


#: Logic-model columns of the ``projects`` table and their headings, in the order of a theory of change.
LOGIC_STAGES: tuple[tuple[str, str], ...] = (
    ("logic_inputs", "Inputs"),
    ("logic_activities", "Activities"),
    ("logic_outputs", "Outputs"),
    ("logic_outcomes", "Outcomes"),
    ("logic_impact", "Impact"),
    ("logic_assumptions", "Assumptions"),
)


def _one_project(projects: pd.DataFrame, project_id: str) -> pd.Series:
    rows = projects[projects["project_id"] == project_id]
    if rows.empty:
        raise ValueError(f"no project {project_id!r} in the projects table")
    return rows.iloc[0]


def project_title(projects: pd.DataFrame, project_id: str) -> str:
    """The report title of one project's evaluation: its title and identifier.

    Examples
    --------
    >>> project_title(pd.DataFrame({"project_id": ["P03"], "title": ["Cyber security"]}), "P03")
    'LOTI project evaluation: Cyber security (P03)'
    """
    row = projects.loc[projects["project_id"] == project_id]
    if row.empty:
        raise KeyError(f"project {project_id!r} is not in the projects table")
    return f"LOTI project evaluation: {row['title'].iat[0]} ({project_id})"


def logic_model(projects: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """The project's logic model (theory of change) as a small table.

    Parameters
    ----------
    projects : pandas.DataFrame
        The ``projects`` table (``project_id`` and the ``logic_*`` columns).
    project_id : str
        The project.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage`` (Inputs, Activities, Outputs, Outcomes, Impact, Assumptions) and
        ``description``; an empty description reads "(not recorded)".

    References
    ----------
    HM Treasury (2020) *Magenta Book*, ch. 2 (theories of change and logic models).

    Examples
    --------
    >>> projects = pd.DataFrame({"project_id": ["P1"], **{c: [h + " text"] for c, h in LOGIC_STAGES}})
    >>> logic_model(projects, "P1")["stage"].tolist()
    ['Inputs', 'Activities', 'Outputs', 'Outcomes', 'Impact', 'Assumptions']
    """
    project = _one_project(projects, project_id)
    return pd.DataFrame(
        {
            "stage": [heading for _, heading in LOGIC_STAGES],
            "description": [
                str(project[column])
                if column in project.index and pd.notna(project[column]) and str(project[column])
                else "(not recorded)"
                for column, _ in LOGIC_STAGES
            ],
        }
    )


def project_summary(
    projects: pd.DataFrame, project_authorities: pd.DataFrame, authorities: pd.DataFrame, project_id: str
) -> pd.DataFrame:
    """Key facts of a project (title, workstream, lead, stage, dates, budget, participants) as ``field, value``."""
    project = _one_project(projects, project_id)
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    mine = project_authorities[project_authorities["project_id"] == project_id]

    def day(value: str | dt.date | None) -> str:  # a date cell: a Timestamp, or NaT or None if open
        return numbers.date(pd.Timestamp(value)) if pd.notna(value) else "(open)"

    joined = mine["joined_on"].dropna()
    joining = (
        f"{day(joined.min())} to {day(joined.max())}"
        if joined.nunique() > 1
        else day(joined.min())
        if len(joined)
        else "(none)"
    )
    facts = [
        ("Project", f"{project_id}: {project['title']}"),
        ("Workstream", project["workstream"]),
        ("Lead authority", names.get(project["lead_authority"], project["lead_authority"])),
        ("Stage", project["stage"]),
        ("Start", day(project["start_date"])),
        ("End", day(project.get("end_date"))),
        ("Budget (GBP, nominal)", numbers.money(float(project["budget_gbp"]))),
        ("Participating authorities", str(mine["authority_code"].nunique())),
        ("Joined", joining),
    ]
    return pd.DataFrame(facts, columns=["field", "value"])
