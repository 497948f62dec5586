"""Tests of evaluation.analyses.governance.sections: the risk and peer-challenge reports' sentences and tables.

Expected counts are worked by hand from the small frames of tests/analyses/test_governance.py.
"""

from __future__ import annotations

import doctest

import pandas as pd
import pytest
from test_governance import AS_OF, register, tracker

from evaluation import presentation as show
from evaluation.analyses import governance as gv
from evaluation.analyses.governance import sections


class FakeRun:
    """Reads from given frames and records what is published (a stand-in for evaluation.run.contract.Run)."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.source, self.queries = tables, []
        self.tables: dict[str, pd.DataFrame] = {}
        self.figures: dict[str, str] = {}

    def read(self, table, where=None, parameters=()):
        self.queries.append((table, where, list(parameters)))
        frame = self.source[table]
        return frame[frame["register"].isin(parameters)] if where and "register" in frame else frame

    def publish_table(self, name, frame, *, title="", people_column="n"):
        self.tables[name] = frame

    def publish_figure(self, name, figure, *, alt_text):
        self.figures[name] = alt_text


def test_risk_register_reads_one_register_or_all_and_refuses_an_empty_one():
    run = FakeRun({"risk_register": register()})
    assert set(sections.read_risk_register(run, "all")["register"]) == {"r", "s"}
    assert set(sections.read_risk_register(run, "s")["register"]) == {"s"}
    with pytest.raises(ValueError, match="no risks on register 'x'"):
        sections.read_risk_register(run, "x")


def test_risk_findings_and_tables_by_hand():
    scored = gv.scored_risks(register())
    reviews = sections.review_dates(scored, "latest")
    assert reviews == {"r": pd.Timestamp("2025-06-30"), "s": pd.Timestamp("2025-06-30")}
    latest = sections.at_review(scored, reviews)
    # r at 30 June: R1 2x4=8 Amber, R2 3x3=9 Red, R4 4x4=16 Red; s: R1 1x1=1 Green.
    assert sections.rag_finding(latest) == (
        "4 risks at the review reported: 2 Red, 1 Amber, 1 Green (computed from probability x impact)."
    )
    disagreements = gv.rag_disagreements(scored)
    # R2 of r on 31 March reported Amber (score 9, Red) and R1 of r on 30 June Green (score 8, Amber): better;
    # R1 of s reported Red (score 1, Green): worse; R4 not reported.
    assert sections.disagreement_finding(disagreements, scored) == (
        "3 of 7 risk scorings across all reviews reported a RAG different from the computed one (2 reported better "
        "than the score supports); 1 had no reported RAG."
    )
    table = sections.risks_table(disagreements, caption="Disagreements", review=True)
    assert table.rows[0][:3] == ("R2", "r", "31 March 2025") and table.rows[0][-1] == "Reported better"
    rows = sections.risks_table(latest, caption="Risks").rows
    assert ("R4", "r", "Data breach", "SIRO", "4", "4", "16", "Red", "–", "Not reported") in rows
    assert sections.bands_sentence(reviews, 4, 8) == (
        "Registers r at its review of 30 June 2025; s at its review of "
        "30 June 2025. RAG bands: Green 1 to 4, Amber 5 to 8, Red 9 "
        "to 16."
    )
    moves = gv.risk_movements(scored)
    assert sections.movements_finding(moves) == (
        "At the review reported: 1 risk up, 0 down, 1 unchanged, 1 new and 1 closed."
    )
    rows = sections.movements_table(moves, caption="Moves").rows
    assert rows[2][5:8] == ("6", "–", "–") and rows[3][5:8] == ("–", "16", "–")  # R3 closed, R4 new


def test_heat_maps_and_slope_charts_are_published_for_each_register():
    scored = gv.scored_risks(register())
    run = FakeRun({})
    figures = sections.publish_heat_maps(run, scored, sections.review_dates(scored, "latest"), green_max=4, amber_max=8)
    assert len(figures) == 2 and set(run.figures) == {"heat_map_r", "heat_map_s"} == set(run.tables)
    assert figures[0].layout.title.text == "Risk register 'r', 30 June 2025"
    assert len(sections.publish_slope_charts(run, scored, ["r"], green_max=4, amber_max=8)) == 1
    assert "movement_r" in run.figures


def test_peer_challenge_findings_and_tables_by_hand():
    frame = tracker()
    summary = gv.challenge_summary(frame, AS_OF)
    assert sections.challenges_sentence(summary, frame, AS_OF) == (
        "2 peer challenges, 7 actions, as at 31 December 2025; 1 follow-up review held."
    )
    assert sections.challenges_table(summary, caption="Challenges").rows[0][2:5] == (
        "15 January 2024",
        "15 March 2025",
        "Yes",
    )
    progress = gv.progress_by_line(frame, AS_OF)
    text, _ = sections.progress_finding(progress, AS_OF)
    # Complete: A1a, A2b; dropped: A2a; overdue (due before 31 December 2025 and open): A1c, B1a.
    assert text == (
        "2 of 7 agreed actions were complete on 31 December 2025 (33% of those not dropped); 2 were overdue."
    )
    assert sections.progress_table(progress, caption="Progress").rows[-1][-1] == "33%"
    overdue = gv.overdue_actions(frame, AS_OF)
    assert sections.overdue_finding(overdue, AS_OF) == "2 actions overdue on 31 December 2025; the longest by 184 days."
    assert sections.overdue_finding(overdue.iloc[0:0], AS_OF) == "No action was overdue on 31 December 2025."
    assert sections.overdue_table(overdue, caption="Overdue").rows[0][4] == "30 June 2025"


def test_follow_up_section_publishes_what_was_judged_or_says_none_was():
    frame = tracker()
    run = FakeRun({})
    findings = show.Findings("q", "d")
    try:
        shown = sections.follow_up_section(run, frame, AS_OF, findings)
        # Challenge A held: tracker Complete A1a Achieved, A2b Not achieved.
        assert findings.key_findings[0].text == (
            "Of 2 actions the trackers called complete and the peers judged at follow-up, 1 (50%) were judged achieved."
        )
        assert {"follow_up_by_line", "tracker_against_follow_up"} <= set(run.tables)
        assert [type(s).__name__ for s in shown] == ["Markdown", "Figure", "Table", "Table"]
        early = sections.follow_up_section(FakeRun({}), frame, pd.Timestamp("2024-12-31"), findings)
        assert early[0].text == "No follow-up review had been held by 31 December 2024."
    finally:
        findings.close()
    assert (
        sections.tracker_warnings_display(gv.tracker_warnings(frame, AS_OF).iloc[0:0]).text
        == "No inconsistencies found."
    )
    assert isinstance(sections.tracker_warnings_display(gv.tracker_warnings(frame, AS_OF)), show.Table)


def test_governance_sections_doctests():
    assert doctest.testmod(sections).failed == 0
