"""Paths and constants shared by the tests (imported as ``support``; conftest files only hold fixtures)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
BAD_INPUTS = TESTS / "bad_inputs"
# A published test key: tests never see real data.
TEST_KEY = b"test-key-not-secret-0123456789"
BASE_TABLES = ("cohorts.csv", "participants.csv", "instrument.csv", "projects.csv", "indicators.csv")
