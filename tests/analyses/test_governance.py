"""Peer-challenge follow-up and risk-register analyses against hand counts, pandas/numpy references and the demo.

References: counts made by hand on small tables, ``pandas.crosstab`` and ``numpy.histogram2d`` for the
cross-tabulations and the heat map, and the truths the demo generator states in ``data/demo/README.md``
("Governance"): overdue actions by line of enquiry, complete actions judged not achieved, and every planted
disagreement between a reported and a computed RAG.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.analyses import governance as gv
from evaluation.ingest.pseudonymise import DEMO_KEY
from evaluation.ingest.tables import parse_tables

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
AS_OF = pd.Timestamp("2025-12-31")


def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    challenges = pd.DataFrame(
        {
            "challenge_id": ["A", "B"],
            "authority_code": ["E09000001", "E09000002"],
            "review_date": pd.to_datetime(["2024-01-15", "2025-03-01"]),
            "follow_up_date": pd.to_datetime(["2025-03-15", "2026-06-01"]),
            "lead_reviewer_org": ["LOTI", "Socitm"],
        }
    )
    recommendations = pd.DataFrame(
        {
            "recommendation_id": ["A1", "A2", "B1"],
            "challenge_id": ["A", "A", "B"],
            "line_of_enquiry": ["Data", "Skills", "Data"],
            "summary": ["s1", "s2", "s3"],
        }
    )
    actions = pd.DataFrame(
        {
            "action_id": ["A1a", "A1b", "A1c", "A2a", "A2b", "B1a", "B1b"],
            "recommendation_id": ["A1", "A1", "A1", "A2", "A2", "B1", "B1"],
            "owner_role": ["Head of Data"] * 7,
            "due_date": pd.to_datetime(
                ["2024-06-30", "2025-12-31", "2025-06-30", "2024-09-30", "2024-12-31", "2025-09-30", "2026-03-31"]
            ),
            "status": ["Complete", "In progress", "Not started", "Dropped", "Complete", "In progress", "Not started"],
            "evidence": ["Report", None, None, None, None, None, None],
            "status_at_follow_up": [
                "Achieved",
                "Partly achieved",
                "Not achieved",
                "Not assessed",
                "Not achieved",
                "Not assessed",
                "Not assessed",
            ],
        }
    )
    return challenges, recommendations, actions


def tracker() -> pd.DataFrame:
    return gv.action_tracker(*frames())


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return {name: frame for name, (frame, _) in parse_tables(DEMO / "governance.xlsx", DEMO_KEY).items()}


@pytest.fixture(scope="module")
def readme() -> str:
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Governance") :]


def markdown_rows(text: str, first_header: str) -> list[list[str]]:
    """Data rows of the markdown table whose header starts with ``| first_header |``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("*") for cell in line.strip("|").split("|")])
    return rows


# ----------------------------------------------------------------------------------------------
# Peer-challenge follow-up
# ----------------------------------------------------------------------------------------------


def test_as_of_is_a_date_or_today():
    assert gv.parse_as_of("2025-12-31") == AS_OF
    assert gv.parse_as_of("today", today=pd.Timestamp("2026-01-02").date()) == pd.Timestamp("2026-01-02")
    with pytest.raises(ValueError, match="as_of must be a date"):
        gv.parse_as_of("31/12/2025")


def test_tracker_joins_and_filters_one_challenge():
    full = tracker()
    assert len(full) == 7 and set(full["line_of_enquiry"]) == {"Data", "Skills"}
    only_b = gv.action_tracker(*frames(), challenge="B")
    assert only_b["action_id"].tolist() == ["B1a", "B1b"]
    with pytest.raises(ValueError, match="no peer challenge 'C'"):
        gv.action_tracker(*frames(), challenge="C")


def test_overdue_is_open_and_due_strictly_before_the_as_of_date():
    overdue = gv.overdue_actions(tracker(), AS_OF)
    # A1b is due on the as-of date (not overdue); Complete and Dropped actions are never overdue; B1b not yet due.
    assert overdue["action_id"].tolist() == ["A1c", "B1a"]
    assert overdue["days_overdue"].tolist() == [
        (AS_OF - pd.Timestamp("2025-06-30")).days,
        (AS_OF - pd.Timestamp("2025-09-30")).days,
    ]


def test_progress_by_line_by_hand():
    progress = gv.progress_by_line(tracker(), AS_OF).set_index("line_of_enquiry")
    data, skills, total = progress.loc["Data"], progress.loc["Skills"], progress.loc["All lines"]
    assert (
        data["recommendations"],
        data["actions"],
        data["Complete"],
        data["In progress"],
        data["Not started"],
        data["overdue"],
    ) == (2, 5, 1, 2, 2, 2)
    assert data["percent_complete"] == pytest.approx(100 / 5)
    assert (skills["Dropped"], skills["Complete"], skills["percent_complete"]) == (1, 1, 100.0)  # 1 of 1 not dropped
    assert (total["actions"], total["overdue"]) == (7, 2)
    estimates = {(e.term, e.group): e.estimate for e in gv.progress_estimates(progress.reset_index(), AS_OF)}
    assert estimates[("actions_overdue", "Data")] == 2


def test_follow_up_counts_only_held_reviews_and_matches_crosstab():
    t = tracker()
    follow_up = gv.follow_up_by_line(t, AS_OF).set_index("line_of_enquiry")
    # Only challenge A's follow-up (2025-03-15) is held by the as-of date.
    assert follow_up.loc["All lines", "actions"] == 5
    assert (
        follow_up.loc["Data", "Achieved"],
        follow_up.loc["Data", "Partly achieved"],
        follow_up.loc["Data", "Not achieved"],
    ) == (1, 1, 1)
    assert follow_up.loc["Skills", "percent_achieved"] == 0 and follow_up.loc["Skills", "Not assessed"] == 1
    crosstab = gv.tracker_against_follow_up(t, AS_OF).set_index("status")
    held = t[t["challenge_id"] == "A"]
    reference = pd.crosstab(held["status"], held["status_at_follow_up"])
    for status in reference.index:
        for judged in reference.columns:
            assert crosstab.loc[status, judged] == reference.loc[status, judged]
    assert crosstab.to_numpy().sum() == len(held)


def test_challenge_summary_and_tracker_warnings():
    t = tracker()
    summary = gv.challenge_summary(t, AS_OF).set_index("challenge_id")
    assert summary.loc["A", "follow_up_held"] and not summary.loc["B", "follow_up_held"]
    assert (summary.loc["A", "actions"], summary.loc["A", "achieved"], summary.loc["A", "judged"]) == (5, 1, 4)
    warnings = gv.tracker_warnings(t, AS_OF)
    assert warnings.values.tolist() == [["A", "A2b", "Complete with no evidence recorded"]]
    t.loc[t["action_id"] == "B1a", "status_at_follow_up"] = "Achieved"
    t.loc[t["challenge_id"] == "A", "status_at_follow_up"] = "Not assessed"
    issues = set(gv.tracker_warnings(t, AS_OF)["issue"])
    assert "follow-up date has passed but no action has been judged" in issues
    assert "judged at follow-up, but the follow-up date is after the as-of date" in issues


def test_demo_overdue_actions_and_follow_up_match_the_readme(demo, readme):
    t = gv.action_tracker(demo["peer_challenges"], demo["recommendations"], demo["actions"])
    progress = gv.progress_by_line(t, AS_OF).set_index("line_of_enquiry")
    stated = markdown_rows(readme, "line of enquiry")
    assert len(stated) == 7
    for line, _, actions, complete, overdue in stated:
        assert (progress.loc[line, "actions"], progress.loc[line, "Complete"], progress.loc[line, "overdue"]) == (
            int(actions),
            int(complete),
            int(overdue),
        ), line
    crosstab = gv.tracker_against_follow_up(t, AS_OF).set_index("status")
    judged, not_achieved = re.search(
        r"of the \*\*(\d+)\*\* actions marked `Complete`.*?\*\*(\d+)\*\* were judged", readme, re.S
    ).groups()
    complete = crosstab.loc["Complete"]
    assert complete[list(gv.JUDGED)].sum() == int(judged)
    assert complete["Partly achieved"] + complete["Not achieved"] == int(not_achieved)
    held = int(re.search(r"\*\*(\d+) follow-ups were held", readme).group(1))
    assert gv.challenge_summary(t, AS_OF)["follow_up_held"].sum() == held


def test_status_chart_text_alternative_gives_every_count():
    progress = gv.progress_by_line(tracker(), AS_OF)
    figure, alt = gv.status_chart(progress, AS_OF)
    assert "Data: 2 not started, 2 in progress, 1 complete, 0 dropped, 2 overdue" in alt
    assert len(figure.data) == 4


# ----------------------------------------------------------------------------------------------
# Risk register
# ----------------------------------------------------------------------------------------------


def register() -> pd.DataFrame:
    rows = [
        ("r", "R1", "2025-03-31", "Budget cut", "Director", 1, 4, "Green"),
        ("r", "R2", "2025-03-31", "Staff leave", "Director", 3, 3, "Amber"),
        ("r", "R3", "2025-03-31", "Supplier fails", "Manager", 2, 3, "Amber"),
        ("r", "R1", "2025-06-30", "Budget cut", "Director", 2, 4, "Green"),
        ("r", "R2", "2025-06-30", "Staff leave", "Director", 3, 3, "Red"),
        ("r", "R4", "2025-06-30", "Data breach", "SIRO", 4, 4, None),
        ("s", "R1", "2025-06-30", "Other", "Lead", 1, 1, "Red"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["register", "risk_id", "review_date", "title", "owner_role", "probability", "impact", "rag_reported"],
    )
    return frame.assign(review_date=pd.to_datetime(frame["review_date"]))


@pytest.mark.parametrize(
    ("score", "rag"), [(1, "Green"), (4, "Green"), (5, "Amber"), (8, "Amber"), (9, "Red"), (16, "Red")]
)
def test_default_rag_bands(score: int, rag: str):
    assert gv.rag_rating(score) == rag


def test_rag_bands_are_parameters_and_checked():
    assert gv.rag_rating(pd.Series([2, 3, 6, 7]), green_max=2, amber_max=6).tolist() == [
        "Green",
        "Amber",
        "Amber",
        "Red",
    ]
    for green, amber in ((0, 8), (8, 8), (4, 16)):
        with pytest.raises(ValueError, match="RAG bands"):
            gv.check_bands(green, amber)


def test_scored_risks_and_disagreements_by_hand():
    scored = gv.scored_risks(register())
    assert scored["score"].tolist() == [4, 9, 6, 8, 9, 16, 1]
    checks = dict(
        zip(
            zip(scored["register"], scored["risk_id"], scored["review_date"].dt.month, strict=True),
            scored["rag_check"],
            strict=True,
        )
    )
    assert checks[("r", "R1", 3)] == "agrees" and checks[("r", "R2", 3)] == "reported better"
    assert checks[("r", "R1", 6)] == "reported better" and checks[("r", "R4", 6)] == "not reported"
    assert checks[("s", "R1", 6)] == "reported worse"
    wrong = gv.rag_disagreements(scored)
    assert len(wrong) == 3 and set(wrong["rag_check"]) == {"reported better", "reported worse"}
    # with wider Green and Amber bands the 3 x 3 = 9 risk is Amber, as reported in March
    wider = gv.scored_risks(register(), green_max=6, amber_max=12)
    assert wider.loc[(wider["risk_id"] == "R2") & (wider["review_date"].dt.month == 3), "rag_check"].item() == "agrees"


def test_heat_map_counts_match_numpy_histogram2d():
    scored = gv.scored_risks(register())
    at = scored[(scored["register"] == "r") & (scored["review_date"] == pd.Timestamp("2025-06-30"))]
    counts = gv.heat_map_counts(at, pd.Timestamp("2025-06-30"))
    reference, _, _ = np.histogram2d(at["probability"], at["impact"], bins=[np.arange(0.5, 5), np.arange(0.5, 5)])
    np.testing.assert_array_equal(counts.to_numpy(), reference[::-1])  # probability 4 on the top row
    assert counts.loc[4, 4] == 1 and counts.loc[2, 4] == 1 and counts.loc[3, 3] == 1
    figure, alt = gv.heat_map_figure(counts, title="r")
    assert "probability 4 x impact 4: 1" in alt and "Red (16)" in str(figure.data[0].text)


def test_movements_between_reviews_by_hand():
    moves = gv.risk_movements(gv.scored_risks(register()))
    r = moves[moves["register"] == "r"].set_index("risk_id")
    assert r.loc["R1", "movement"] == "Up" and r.loc["R1", "change"] == 4
    assert r.loc["R2", "movement"] == "Same" and r.loc["R3", "movement"] == "Closed"
    assert r.loc["R4", "movement"] == "New" and pd.isna(r.loc["R4", "score_from"])
    assert moves[moves["register"] == "s"].empty  # one review: no movement
    figure, alt = gv.slope_chart(gv.scored_risks(register()), "r")
    assert "R1 (Budget cut): 4, 8, rising at its last review" in alt and "closed after Mar 2025" in alt


def test_demo_rag_disagreements_are_exactly_the_planted_ones(demo, readme):
    scored = gv.scored_risks(demo["risk_register"])
    found = {
        (r.register, r.risk_id, str(r.review_date.date()), int(r.score), r.rag_computed, r.rag_reported)
        for r in gv.rag_disagreements(scored).itertuples()
    }
    stated = {
        (reg, risk, day, int(score), computed, reported)
        for reg, risk, day, score, computed, reported in markdown_rows(readme, "register")
    }
    assert found == stated and len(found) >= 5
    blank = int(re.search(r"\((\d+) rows\)", readme).group(1))
    assert (scored["rag_check"] == "not reported").sum() == blank
    latest = {reg: gv.resolve_review(scored[scored["register"] == reg], "latest") for reg in ("leadership", "loti")}
    red = {e.group: e.estimate for e in gv.risk_estimates(scored, latest) if e.term == "risks_red"}
    stated_red = dict(re.findall(r"`(\w+)` (\d+)", readme.split("latest review:")[1]))
    assert {k: int(v) for k, v in stated_red.items()} == red
