"""Property: a damaged demo export is refused with a located message or stored exactly as the rule in
tests/ingest/damage.py allows; never a traceback. A bounded number of examples here; benchmarks/ingest_fuzz.py
runs many more and counts the outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest
from damage import EXPORTS, ROSTER, Damage, context, damaged_exports, judge, stored_rows
from hypothesis import HealthCheck, given, settings

from evaluation.ingest.pseudonymise import DEMO_KEY
from evaluation.ingest.service import run_ingest
from evaluation.ingest.surveys import SurveyContext
from evaluation.store import Store


@pytest.fixture(scope="module")
def demo_context(tmp_path_factory: pytest.TempPathFactory) -> tuple[SurveyContext, dict, Path]:
    store = Store(tmp_path_factory.mktemp("demo-roster") / "workbench.duckdb")
    run_ingest(ROSTER, store, DEMO_KEY, command="damaged exports fixture")
    survey_context = context(store)
    originals = {job.path.name: stored_rows(job, job.path, survey_context) for job in EXPORTS}
    return survey_context, originals, tmp_path_factory.mktemp("damaged")


def test_the_undamaged_exports_are_accepted(demo_context):
    _, originals, _ = demo_context
    assert all(rows["responses"] for rows in originals.values())


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=damaged_exports())
def test_a_damaged_export_is_refused_where_it_is_damaged_or_stored_unchanged(damage: Damage, demo_context):
    survey_context, originals, folder = demo_context
    judge(damage, folder, originals[damage.job.path.name], survey_context)
