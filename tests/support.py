"""Paths and constants shared by the tests (imported as ``support``; conftest files only hold fixtures)."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

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


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T], found: Callable[[Path], T]
) -> T:
    """What a session fixture makes in the folder ``name``, made once for the whole test session even when
    pytest-xdist runs it in several workers (``make test``): the first worker to ask builds it
    (``build(folder)``) while the others wait on a lock, then find it built (``found(folder)``).

    Only for what the tests read and never change. A build that failed leaves no mark, so the next worker to
    ask starts again from an empty folder (and fails the same way, naming the same cause).
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the session's folder, shared by the workers' own
    folder, built = root / name, root / f"{name}.built"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, whatever happens
        if built.exists():
            return found(folder)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        made = build(folder)
        built.touch()
        return made
