"""The disclosure audit of run folders (evaluation.run.audit): planted leaks, each refused naming the output.

Each leaky folder is written by hand, as a notebook would publish it, so that what the audit must find is known
independently of the code that suppresses: the C1 case of issue 13 (a table suppressing 5 and 3 beside a total
of 8 while the results' ``n`` and a sentence say 5), a sentence span revealing a complement, an ``n`` column, a
figure's hover text, a table recoverable from its margins, a cell suppressed in one table and published in another.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from evaluation import presentation as show
from evaluation.run.audit import audit_finished_run, audit_run_folder
from evaluation.run.contract import INTERNAL, PUBLIC, DisclosureError, Run
from evaluation.run_folder import AUDIT_JSON
from evaluation.statistics.disclosure import protect_counts, recoverable_cells, suppress_counts
from support import ROOT


def make_run(folder: Path, *, audience: str = PUBLIC, populations: dict[str, int] | None = None) -> Run:
    run = Run(
        "cohort_evaluation",
        folder,
        store=None,
        disclosure_threshold=5 if audience == PUBLIC else 1,  # type: ignore[arg-type]
        audience=audience,
    )
    for label, total in (populations or {}).items():
        run.population(label, total)
    return run


def tidy(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "term": "mean_change",
            "group": "confidence: baseline to endpoint",
            "estimate": 1.25,
            "std_error": 0.2,
            "statistic": 6.0,
            "p_value": 0.004,
            "conf_low": 0.63,
            "conf_high": 1.87,
            "n": 8,
            "method": "paired t",
            "analysis": "",
        },
        index=[0],
    )
    return frame.assign(**columns)


def write_report(folder: Path, body: str) -> None:
    (folder / "report.html").write_text(f"<html><body><script>var n = 3;</script>{body}</body></html>")


def outputs(findings) -> set[str]:
    return {f.output for f in findings}


C1_COVERAGE = pd.DataFrame(
    {
        "construct": ["confidence", "Total"],
        "paired": ["[c]", "[c]"],
        "missing endpoint": ["[c]", "[c]"],
        "Total": ["8", "8"],
    }
)


def test_the_c1_case_is_refused_in_the_results_and_the_sentence(tmp_path: Path):
    run = make_run(tmp_path)  # as today's notebook: no population declared; the table's row total is the population
    run.publish_table("paired_coverage", C1_COVERAGE, people_column=None)
    run.publish_results(tidy(n=5))
    write_report(tmp_path, "<p>Confidence rose by 1.25 points (5 participants with both surveys).</p>")
    findings = audit_run_folder(tmp_path)
    assert {(f.output, f.row, f.column) for f in findings} >= {("results.csv", "1", "n"), ("results.parquet", "1", "n")}
    sentence = [f for f in findings if f.output == "report.html"]
    assert sentence and "5 participants with both surveys" in sentence[0].row and "8 - 5 = 3" in sentence[0].reason


def test_the_c1_case_published_safely_passes(tmp_path: Path):
    run = make_run(tmp_path, populations={"cohort C1": 8})
    run.publish_table("paired_coverage", C1_COVERAGE, people_column=None)
    run.publish_results(tidy(n=pd.NA))
    write_report(
        tmp_path,
        f"<p>Confidence rose by 1.25 points ({show.people(5, 'cohort C1')} participants with "
        f"both surveys; {show.people(8, 'cohort C1')} enrolled).</p>",
    )
    assert "5 or more" in (tmp_path / "report.html").read_text()
    assert audit_run_folder(tmp_path) == []


def test_publish_results_protects_n_against_the_declared_population(tmp_path: Path):
    run = make_run(tmp_path, populations={"cohort C1": 8})
    protected = run.protect(tidy(n=5))
    assert pd.isna(protected.at[0, "n"]) and protected.at[0, "estimate"] == 1.25
    run.publish_results(pd.concat([tidy(n=5), tidy(n=3, group="b"), tidy(n=8, group="c")], ignore_index=True))
    published = pd.read_csv(tmp_path / "results.csv")
    assert published["n"].isna().tolist() == [True, True, False]
    assert published["estimate"].isna().tolist() == [False, True, False]
    assert audit_run_folder(tmp_path) == []
    with pytest.raises(KeyError, match="not declared"):
        run.protect(tidy(), "cohort C9")
    run.publish_results(tidy(n=6, term="leaders_needed"), counts_people=False)  # a sample size, not a group
    assert pd.read_csv(tmp_path / "results.csv")["n"].iloc[-1] == 6
    assert audit_run_folder(tmp_path) == []


def test_a_span_revealing_a_complement_is_refused(tmp_path: Path):
    make_run(tmp_path, populations={"cohort C1": 8})
    write_report(tmp_path, '<p><span data-people="cohort C1">6</span> leaders completed the course.</p>')
    (finding,) = audit_run_folder(tmp_path)
    assert (finding.output, finding.column, finding.value) == ("report.html", 'data-people="cohort C1"', "6")
    assert "completed the course" in finding.row and "8 - 6 = 2" in finding.reason


def test_a_span_of_an_undeclared_population_is_refused(tmp_path: Path):
    make_run(tmp_path)
    write_report(tmp_path, '&lt;span data-people="cohort C2"&gt;9&lt;/span&gt; enrolled')  # printed: escaped
    (finding,) = audit_run_folder(tmp_path)
    assert "not declared" in finding.reason


def test_an_n_column_under_the_threshold_or_leaking_its_complement_is_refused(tmp_path: Path):
    run = make_run(tmp_path)  # results published before the population is declared: not protected
    run.publish_results(pd.concat([tidy(n=3, group="a"), tidy(n=7, group="b"), tidy(n=9, group="c")]))
    run.population("cohort C1", 9)
    found = {(f.output, f.row, f.column) for f in audit_run_folder(tmp_path)}
    assert ("results.csv", "1", "n") in found and ("results.csv", "1", "estimate") in found  # n = 3
    assert ("results.csv", "2", "n") in found  # 9 - 7 = 2
    assert not any(row == "3" for _, row, _ in found)  # all nine: nothing to subtract


def test_a_figure_hover_text_is_refused(tmp_path: Path):
    run = make_run(tmp_path)
    figure = go.Figure(
        go.Bar(
            x=["A", "B"],
            y=[0.6, 0.9],
            customdata=[[8], [3]],
            hovertemplate="%{x}: %{y:.0%} (n = %{customdata[0]})<extra></extra>",
        )
    )
    run.publish_figure("ratings", figure, alt_text="Ratings by group")
    (finding,) = audit_run_folder(tmp_path)
    assert finding.output == "figures/ratings.json" and finding.column == "hovertemplate"
    assert "point 1" in finding.row and finding.value == "3"


def test_a_table_recoverable_from_its_margins_is_refused(tmp_path: Path):
    run = make_run(tmp_path)
    leaky = pd.DataFrame(
        {
            "cohort": ["C1", "C2", "Total"],
            "completed": ["[c]", "9", "13"],
            "withdrawn": ["6", "5", "11"],
            "Total": ["10", "14", "24"],
        }
    )
    run.publish_table("completion", leaky, people_column=None)
    (finding,) = audit_run_folder(tmp_path)
    assert (finding.output, finding.row, finding.column) == ("tables/completion.csv", "C1", "completed")
    assert "recovered" in finding.reason


def test_a_share_beside_its_base_is_refused_where_it_gives_a_small_count_back(tmp_path: Path):
    """Attendance of 62.5% of a cohort of 8 says 3 were absent: refused when published, and found by the audit
    when a table declaring its shares was written without that check."""
    run = make_run(tmp_path, populations={"cohort C1": 8})
    rates = pd.DataFrame({"session": [1, 2], "attendance_rate": [0.625, 1.0], "n": [8, 8]})
    with pytest.raises(DisclosureError, match="row 1, column 'attendance_rate'"):
        run.publish_table("attendance", rates, shares={"attendance_rate": "n"})
    assert not (tmp_path / "tables" / "attendance.csv").exists(), "nothing is written when refused"
    run.publish_table("attendance", rates.assign(attendance_rate=[float("nan"), 1.0]), shares={"attendance_rate": "n"})
    assert audit_run_folder(tmp_path) == []
    rates.to_csv(tmp_path / "tables" / "attendance.csv", index=False)  # as a notebook without the check would
    (finding,) = audit_run_folder(tmp_path)
    assert (finding.output, finding.row, finding.column) == ("tables/attendance.csv", "1 (1)", "attendance_rate")
    assert "count of 5" in finding.reason


def test_a_cell_suppressed_in_one_table_and_published_in_another_is_refused(tmp_path: Path):
    run = make_run(tmp_path)
    run.publish_table(
        "completion",
        pd.DataFrame(
            {
                "cohort": ["C1", "C2", "Total"],
                "completed": ["[c]", "[c]", "20"],
                "withdrawn": ["[c]", "[c]", "8"],
                "Total": ["13", "15", "28"],
            }
        ),
        people_column=None,
    )
    run.publish_table("completers", pd.DataFrame({"cohort": ["C1"], "completed": ["9"]}), people_column=None)
    assert any(f.output == "tables/completers.csv" and f.row == "C1" for f in audit_run_folder(tmp_path)) is False
    # "completers" has no margins, so its cells are not quantities the audit can match; a table with margins is:
    run.publish_table(
        "completers", pd.DataFrame({"cohort": ["C1", "Total"], "completed": ["9", "9"]}), people_column=None
    )
    run.publish_table(
        "withdrawn",
        pd.DataFrame({"cohort": ["C1", "C2", "Total"], "completed": ["[c]", "[c]", "20"]}),
        people_column=None,
    )
    found = audit_run_folder(tmp_path)
    assert ("tables/completers.csv", "C1", "completed") in {(f.output, f.row, f.column) for f in found}


def test_an_internal_run_is_not_audited_but_marked(tmp_path: Path):
    run = make_run(tmp_path, audience=INTERNAL, populations={"cohort C1": 8})
    run.publish_results(tidy(n=3))
    assert show.people(3, "cohort C1").endswith(">3</span>")  # internal: every figure shown
    assert audit_finished_run(tmp_path) == {}
    assert json.loads((tmp_path / AUDIT_JSON).read_text())["audited"] is False


def test_a_public_run_that_leaks_fails_naming_the_output(tmp_path: Path):
    run = make_run(tmp_path)
    run.publish_results(tidy(n=5))
    run.population("cohort C1", 8)
    error = audit_finished_run(tmp_path)
    assert error["exception"] == "DisclosureAuditError" and "results.csv, row 1, column n" in error["message"]
    assert json.loads((tmp_path / AUDIT_JSON).read_text())["findings"]


def test_the_demo_group_of_four_is_suppressed_with_a_complement():
    """C2's sex breakdown (README, "Disclosure cases"): 4 women, 3 men, 1 "Prefer not to say" of 8."""
    participants = pd.read_excel(ROOT / "data" / "demo" / "programme.xlsx", sheet_name="participants")
    c2 = participants[participants["cohort_id"] == "C2"]
    by_sex = c2["sex"].value_counts().sort_index()
    assert by_sex.to_dict() == {"Female": 4, "Male": 3, "Prefer not to say": 1}
    table = suppress_counts(by_sex)
    assert table.mask["count"].to_dict() == {"Female": True, "Male": True, "Prefer not to say": True, "Total": False}
    assert recoverable_cells(table.published) == []
    # Beside the cohort's published 8, the women's 4 is refused on its own too (and so would be a 4 of 12).
    assert protect_counts(by_sex, total=len(c2)).isna().all()
    assert (c2["age_band"] == "45-54").sum() == 4


@pytest.fixture(scope="module")
def demo_reports(demo_run: tuple[object, Path]) -> Path:
    return demo_run[1]


@pytest.mark.slow
def test_every_demo_run_passes_the_disclosure_audit(demo_reports: Path):
    audits = sorted(demo_reports.glob("*/*/audit.json"))
    runs = sorted(demo_reports.glob("*/*/provenance.json"))
    assert len(audits) == len(runs) >= 18  # every published run was audited
    failed = {
        str(a.parent.relative_to(demo_reports)): json.loads(a.read_text())["findings"][:3]
        for a in audits
        if not json.loads(a.read_text())["audited"] or json.loads(a.read_text())["findings"]
    }
    assert not failed, json.dumps(failed, indent=1)


@pytest.mark.slow
def test_the_demo_c1_case_is_refused(demo_reports: Path, tmp_path: Path):
    """Issue 13's case planted in the published C1 run: its coverage table suppresses 5 and 3 beside 8; the
    sentence "5 participants with both surveys" and an ``n`` of 5 would give the 3 away."""
    run = tmp_path / "cohort-C1"
    shutil.copytree(demo_reports / "cohort_evaluation" / "cohort-C1", run)
    page = (run / "report.html").read_text(encoding="utf-8")
    (run / "report.html").write_text(
        page.replace(
            "</body>",
            '<p>Confidence rose (<span data-people="cohort C1">5</span> participants with both surveys).</p></body>',
        ),
        encoding="utf-8",
    )
    results = pd.read_csv(run / "results.csv")
    results.loc[results["term"] == "mean_change", "n"] = 5
    results.to_csv(run / "results.csv", index=False)
    reasons = {(f.output, f.reason) for f in audit_run_folder(run)}
    assert any(output == "results.csv" and "8 - 5 = 3" in reason for output, reason in reasons), reasons
    assert any(output == "report.html" and "8 - 5 = 3" in reason for output, reason in reasons), reasons


def test_rows_about_one_cohort_are_protected_against_that_cohort(tmp_path: Path):
    """A programme of 24 publishes a cohort's estimate from 5 of its 8: 5 of 24 is fine, 5 of 8 gives 3 away."""
    run = make_run(tmp_path, populations={"all cohorts": 24})
    run.declare_populations({"cohort C1": 8, "cohort C2": 8})
    rows = pd.concat(
        [
            tidy(n=5, group="confidence: C1", population="cohort C1"),
            tidy(n=8, group="confidence: C2", population="cohort C2"),
            tidy(n=18, group="confidence: all cohorts", population="all cohorts"),
        ],
        ignore_index=True,
    )
    published = run.publish_results(rows)
    assert pd.isna(published["n"].iat[0])  # 8 - 5 = 3: suppressed
    assert published["estimate"].iat[0] == 1.25  # the estimate of 5 people stays
    assert published["n"].iloc[1:].tolist() == [8, 18]
    assert audit_run_folder(tmp_path) == []
    # rows without a population are about the run's own, the first declared (24): 18 stays, 21 (24 - 21 = 3) goes
    unlabelled = run.protect(
        pd.concat(
            [tidy(n=5, population="cohort C1"), tidy(n=18, population=None), tidy(n=21, population=None)],
            ignore_index=True,
        )
    )
    assert unlabelled["n"].isna().tolist() == [True, False, True] and unlabelled["n"].iat[1] == 18
    with pytest.raises(KeyError, match="cohort C9"):
        run.protect(tidy(population="cohort C9"))
