"""The executed notebooks recover what the demo data plant (``data/demo/README.md``).

These tests read what ``workbench run`` published for the whole default manifest (the ``demo_run``
fixture), not the analysis functions: the numbers checked are the ones a reader of the reports and the
dashboards sees. The truths come from the generator's documentation, not from an earlier run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evaluation.store import Store
from support import NAIVE_TWFE_CONNECTIVITY, TRUE_CHANGE, TRUE_CONNECTIVITY_ATT, TRUE_RATING


def published(reports: Path, run: str) -> pd.DataFrame:
    """One run's tidy results, indexed by (group, term)."""
    return pd.read_csv(reports / run / "results.csv").set_index(["group", "term"])


@pytest.fixture(scope="module")
def reports(demo_run: tuple[Store, Path]) -> Path:
    return demo_run[1]


def assert_covers(row: pd.Series, truth: float, what: str) -> None:
    assert row["conf_low"] < truth < row["conf_high"], f"{what}: {truth} not in [{row.conf_low}, {row.conf_high}]"


@pytest.mark.parametrize("cohort", ["C1", "C2", "C3"])
def test_each_cohort_report_covers_the_true_changes(reports: Path, cohort: str):
    results = published(reports, f"cohort_evaluation/cohort-{cohort}")
    for construct, truth in TRUE_CHANGE.items():
        assert_covers(results.loc[(f"{construct}: baseline to endpoint", "mean_change")], truth, construct)


def test_programme_report_detects_the_true_changes_and_ratings(reports: Path):
    results = published(reports, "programme_evaluation/all")
    for construct, truth in TRUE_CHANGE.items():
        row = results.loc[(f"{construct}: all cohorts", "mixed_model_change")]
        assert_covers(row, truth, construct)
        assert row["conf_low"] > 0, f"{construct}: the planted change is not detected"
    for construct, truth in TRUE_RATING.items():
        assert_covers(results.loc[(f"{construct}: all cohorts", "mean_rating")], truth, construct)


def test_programme_report_finds_what_was_planted_absent_absent(reports: Path):
    results = published(reports, "programme_evaluation/all").reset_index()
    cohort_tests = results[results["term"].isin(["wave_x_cohort_wald", "cohort_change_permutation"])]
    assert len(cohort_tests) == 2 * len(TRUE_CHANGE)
    assert (cohort_tests["p_value"] > 0.05).all()  # no difference between cohorts in the change
    dropouts = results[results["group"].str.endswith("drop-outs minus completers")]
    assert len(dropouts) == 2 * len(TRUE_CHANGE)
    assert ((dropouts["conf_low"] < 0) & (dropouts["conf_high"] > 0)).all()  # no baseline difference


def test_programme_report_value_for_money_matches_the_planted_costs(reports: Path):
    results = published(reports, "programme_evaluation/all")
    assert results.loc[("all cohorts", "total_cost"), "estimate"] == 50_000
    assert results.loc[("facilitation", "day_rate_saving"), "estimate"] == 9_000  # 3 x 12 days x (900 - 650)


def test_connectivity_report_recovers_the_staggered_effect_and_shows_the_naive_bias(reports: Path):
    results = published(reports, "project_evaluation/project-P03")
    assert_covers(results.loc[("IND03", "att_callaway_santanna")], TRUE_CONNECTIVITY_ATT, "Callaway-Sant'Anna")
    naive = results.loc[("IND03", "att_twfe")]
    assert naive["estimate"] == pytest.approx(NAIVE_TWFE_CONNECTIVITY, abs=0.001)
    assert naive["conf_high"] < TRUE_CONNECTIVITY_ATT  # naive two-way fixed effects misses the truth


def test_cyber_pilot_report_finds_no_effect(reports: Path):
    results = published(reports, "project_evaluation/project-P04")
    assert_covers(results.loc[("IND05", "att_callaway_santanna")], 0.0, "cyber pilot")


def test_pipeline_report_makes_no_causal_claim(reports: Path):
    results = published(reports, "project_evaluation/project-P01").reset_index()
    pipeline = results[results["group"].str.startswith("IND01")]
    assert pipeline.set_index("term").loc["causal_estimate_permitted", "estimate"] == 0
    assert not pipeline["term"].str.startswith("att_").any()
    assert (pipeline["group"] == "IND01 descriptive (no causal claim)").any()


@pytest.mark.parametrize("cohort", ["C1", "C2", "C3"])
def test_each_cohort_report_counts_the_open_content_it_published(demo_run: tuple[Store, Path], cohort: str):
    store, reports = demo_run
    stored = store.read_table("content", "cohort_id = ?", [cohort])
    published = pd.read_csv(reports / f"cohort_evaluation/cohort-{cohort}" / "tables" / "open_content.csv")
    resources, total = published.iloc[:-1], published.iloc[-1]
    assert sorted(resources["resource_id"]) == sorted(stored["resource_id"])
    for column in ("views", "downloads", "reusing_organisations"):
        assert int(total[column]) == int(stored[column].sum()), column
