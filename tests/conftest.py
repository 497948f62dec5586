"""Shared fixtures: a store holding a small roster, instrument and LOTI project, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.store import Store

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
BAD_INPUTS = TESTS / "bad_inputs"
TEST_KEY = b"test-key-not-secret-0123456789"
BASE_TABLES = ("cohorts.csv", "participants.csv", "instrument.csv", "projects.csv", "indicators.csv")


@pytest.fixture(scope="session")
def base_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = Store(tmp_path_factory.mktemp("base") / "workbench.duckdb")
    run_ingest([IngestJob(FIXTURES / "base" / name) for name in BASE_TABLES], store, TEST_KEY, command="fixture")
    return store.path


@pytest.fixture
def base_store(base_store_file: Path, tmp_path: Path) -> Store:
    """A private copy of the base store (and its raw area) for one test."""
    target = tmp_path / "store" / "workbench.duckdb"
    shutil.copytree(base_store_file.parent, target.parent)
    return Store(target)
