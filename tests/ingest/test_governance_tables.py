"""Governance workbooks (peer challenges, recommendations, actions, risk register) through the existing ingest.

A valid workbook is accepted; each bad one is refused with the file (and sheet), the spreadsheet row and the
column named, and the store is left without the refused tables. The bad workbooks are made here in tmp_path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from evaluation.ingest.pseudonymise import DEMO_KEY
from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.schemas.core import Problem, ValidationError
from evaluation.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEST_KEY = b"governance-tables-test-key-0123"  # no governance table has an identity column to pseudonymise
HEADERS = {
    "peer_challenges": ("challenge_id", "authority_code", "review_date", "follow_up_date", "lead_reviewer_org"),
    "recommendations": ("recommendation_id", "challenge_id", "line_of_enquiry", "summary"),
    "actions": (
        "action_id",
        "recommendation_id",
        "owner_role",
        "due_date",
        "status",
        "evidence",
        "status_at_follow_up",
    ),
    "risk_register": (
        "register",
        "risk_id",
        "review_date",
        "title",
        "owner_role",
        "probability",
        "impact",
        "rag_reported",
    ),
}


def valid_rows() -> dict[str, list[list[object]]]:
    """A small, valid governance workbook's rows (row 2 of each sheet is the first data row)."""
    return {
        "peer_challenges": [
            ["PC-1", "E09000007", dt.date(2023, 3, 1), dt.date(2024, 6, 1), "LOTI"],
            ["PC-2", "E09000012", dt.date(2024, 1, 31), dt.date(2025, 1, 31), "Socitm"],
        ],
        "recommendations": [
            ["PC-1-R1", "PC-1", "Data", "Publish a data catalogue."],
            ["PC-1-R2", "PC-1", "Leadership", "Name an accountable director for digital."],
            ["PC-2-R1", "PC-2", "Skills", "Train every manager in data basics."],
        ],
        "actions": [
            ["PC-1-R1-A1", "PC-1-R1", "Head of Data", dt.date(2023, 9, 30), "Complete", "Catalogue live.", "Achieved"],
            ["PC-1-R2-A1", "PC-1-R2", "Chief Executive", dt.date(2023, 12, 31), "In progress", None, "Partly achieved"],
            ["PC-2-R1-A1", "PC-2-R1", "Head of HR", dt.date(2024, 6, 30), "Not started", None, "Not assessed"],
        ],
        "risk_register": [
            ["loti", "R01", dt.date(2024, 3, 31), "Members leave", "LOTI Director", 3, 4, "Red"],
            ["loti", "R01", dt.date(2024, 6, 30), "Members leave", "LOTI Director", 2, 4, None],
        ],
    }


def workbook(path: Path, rows: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, data in rows.items():
        sheet = book.create_sheet(name)
        sheet.append(HEADERS[name])
        for row in data:
            sheet.append(row)
    book.save(path)
    return path


def refused(path: Path, store: Store) -> list[Problem]:
    with pytest.raises(ValidationError) as error:
        run_ingest([IngestJob(path)], store, TEST_KEY)
    return error.value.problems


def assert_located(problems: list[Problem], file: str, row: int, column: str, rule: str) -> None:
    matching = [p for p in problems if p.file == file and p.row == row and p.column == column and rule in p.rule]
    assert matching, "\n".join(map(str, problems))
    assert f"{file}, row {row}, column '{column}'" in str(matching[0])


def test_a_valid_governance_workbook_is_ingested(base_store: Store, tmp_path: Path):
    run_ingest([IngestJob(workbook(tmp_path / "governance.xlsx", valid_rows()))], base_store, TEST_KEY)
    assert len(base_store.read_table("actions")) == 3
    register = base_store.read_table("risk_register")
    assert register["probability"].tolist() == [3, 2] and register["rag_reported"].isna().tolist() == [False, True]


def test_the_demo_governance_workbook_is_ingested(base_store: Store):
    outcome = run_ingest([IngestJob(ROOT / "data" / "demo" / "governance.xlsx")], base_store, DEMO_KEY)
    assert outcome[0].rows == {"peer_challenges": 9, "recommendations": 52, "actions": 99, "risk_register": 151}


def test_an_unknown_line_of_enquiry_is_refused(base_store: Store, tmp_path: Path):
    rows = valid_rows()
    rows["recommendations"][1][2] = "Digital leadership"  # row 3 of the sheet
    problems = refused(workbook(tmp_path / "gov.xlsx", rows), base_store)
    assert_located(problems, "gov.xlsx [recommendations]", 3, "line_of_enquiry", "not one of: Digital services")
    assert base_store.read_table("recommendations").empty


@pytest.mark.parametrize(
    "follow_up",
    [dt.date(2023, 9, 1), dt.date(2025, 3, 2), dt.date(2024, 2, 29)],
    ids=["too early", "too late", "one day short of 12 months"],
)
def test_a_follow_up_outside_12_to_24_months_is_refused(base_store: Store, tmp_path: Path, follow_up: dt.date):
    rows = valid_rows()
    rows["peer_challenges"][0][3] = follow_up  # review 2023-03-01 on row 2
    problems = refused(workbook(tmp_path / "gov.xlsx", rows), base_store)
    assert_located(problems, "gov.xlsx [peer_challenges]", 2, "follow_up_date", "not 12 to 24 months after")
    assert base_store.read_table("peer_challenges").empty


def test_follow_ups_exactly_12_and_24_months_later_are_accepted(base_store: Store, tmp_path: Path):
    rows = valid_rows()
    rows["peer_challenges"][0][3] = dt.date(2025, 3, 1)  # 24 months after 2023-03-01
    rows["peer_challenges"][1][3] = dt.date(2025, 1, 31)  # 12 months after 2024-01-31
    run_ingest([IngestJob(workbook(tmp_path / "gov.xlsx", rows))], base_store, TEST_KEY)
    assert len(base_store.read_table("peer_challenges")) == 2


def test_a_probability_of_5_is_refused(base_store: Store, tmp_path: Path):
    rows = valid_rows()
    rows["risk_register"][1][5] = 5  # row 3
    problems = refused(workbook(tmp_path / "gov.xlsx", rows), base_store)
    assert_located(problems, "gov.xlsx [risk_register]", 3, "probability", "above the maximum 4")
    assert base_store.read_table("risk_register").empty


def test_every_problem_in_every_sheet_is_reported_together(base_store: Store, tmp_path: Path):
    rows = valid_rows()
    rows["recommendations"][0][2] = "Cyber"
    rows["risk_register"][0][6] = 0
    rows["risk_register"][1][7] = "Purple"
    rows["actions"][2][4] = "Done"
    problems = refused(workbook(tmp_path / "gov.xlsx", rows), base_store)
    located = {(p.file.split("[")[-1].rstrip("]"), p.row, p.column) for p in problems}
    assert {
        ("recommendations", 2, "line_of_enquiry"),
        ("risk_register", 2, "impact"),
        ("risk_register", 3, "rag_reported"),
        ("actions", 4, "status"),
    } <= located


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("owner_role", "Ms Okafor"),
        ("owner_role", "j.smith@council.gov.uk"),
        ("evidence", "Ring 020 7946 0123 for the file"),
    ],
)
def test_personal_data_in_an_action_is_refused(base_store: Store, tmp_path: Path, column: str, value: str):
    rows = valid_rows()
    rows["actions"][0][HEADERS["actions"].index(column)] = value
    problems = refused(workbook(tmp_path / "gov.xlsx", rows), base_store)
    assert_located(problems, "gov.xlsx [actions]", 2, column, "looks like personal data")


def test_an_action_for_an_unknown_recommendation_is_refused_in_a_csv(base_store: Store, tmp_path: Path):
    run_ingest([IngestJob(workbook(tmp_path / "gov.xlsx", valid_rows()))], base_store, TEST_KEY)
    csv = tmp_path / "actions.csv"
    csv.write_text(
        ",".join(HEADERS["actions"]) + "\nPC-9-R1-A1,PC-9-R1,Head of Data,2024-03-31,In progress,,Not assessed\n"
    )
    problems = refused(csv, base_store)
    assert_located(problems, "actions.csv", 2, "recommendation_id", "not found in table 'recommendations'")
