"""``workbench validate``: the same checks as ingest, without writing; cross-table rules over the store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.ingest.service import validate_store
from evaluation.store import Store
from support import BAD_INPUTS, FIXTURES


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_PSEUDONYM_KEY", "test-key-not-secret-0123456789")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_validate_checks_files_and_writes_nothing(base_store: Store, keyed: None):
    before = _sha(base_store.path)
    args = [
        "validate",
        "--store",
        str(base_store.path),
        "--mapping",
        str(FIXTURES / "qualtrics.yml"),
        "--cohort",
        "T1",
        "--wave",
        "endpoint",
    ]
    good = CliRunner().invoke(app, [*args, str(FIXTURES / "qualtrics_valid.csv")])
    assert good.exit_code == 0 and "no problems" in good.output
    bad = CliRunner().invoke(app, [*args, str(BAD_INPUTS / "value_out_of_range.csv")])
    assert bad.exit_code == 1 and "outside the scale of item comp_1" in bad.output
    assert _sha(base_store.path) == before
    assert base_store.read_table("responses").empty


def test_validate_without_files_checks_the_whole_store(base_store: Store):
    assert validate_store(base_store) == []
    result = CliRunner().invoke(app, ["validate", "--store", str(base_store.path)])
    assert result.exit_code == 0 and "every cross-table rule holds" in result.output


def test_store_check_finds_a_broken_reference(base_store: Store):
    import duckdb

    with duckdb.connect(str(base_store.path)) as con:  # damage the store behind the workbench's back
        con.execute("DELETE FROM cohorts WHERE cohort_id = 'T1'")
    problems = validate_store(base_store)
    assert any(p.file == "store table 'participants'" and p.column == "cohort_id" and p.value == "T1" for p in problems)
