"""Paths and constants shared by the tests (imported as ``support``; conftest files only hold fixtures)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
BAD_INPUTS = TESTS / "bad_inputs"
AXE_JS = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"  # `make test` installs it
# A published test key: tests never see real data.
TEST_KEY = b"test-key-not-secret-0123456789"
BASE_TABLES = ("cohorts.csv", "participants.csv", "instrument.csv", "projects.csv", "indicators.csv")

# The truths planted in the demo data (data/demo/README.md, "Planted effects" and "LOTI").
TRUE_CHANGE = {"confidence": 0.973, "competence": 0.584, "application": 0.785}  # baseline to endpoint
TRUE_RATING = {"quality": 4.211, "relevance": 4.215, "effectiveness": 4.128, "applicability": 4.212}
TRUE_CONNECTIVITY_ATT = 6.623  # P03 / IND03, over all treated authority-months
NAIVE_TWFE_CONNECTIVITY = 6.301  # the README's biased static TWFE on the same data
