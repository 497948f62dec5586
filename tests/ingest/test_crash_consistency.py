"""Crash consistency of the store: `workbench ingest` killed (SIGKILL) at every phase, and two ingests at once.

Each ingest runs as a real `workbench` subprocess; the test hook of evaluation.faults makes it SIGKILL
itself at a named phase, exactly where an outside `kill -9` could land. After each kill: every command
works without a traceback, `validate` passes (or, for a store never created, says so) and names what it
repaired, the store holds all or none of the file, and ingesting again gives the store an uninterrupted
ingest gives.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evaluation.faults import KILL_AT_ENV, PHASES, STALL_AT_ENV, STALL_SECONDS_ENV
from evaluation.schemas import TABLES
from evaluation.store import Store
from support import BASE_TABLES, FIXTURES

WORKBENCH = Path(sys.executable).parent / "workbench"
FIRST = ["--demo", *(str(FIXTURES / "base" / name) for name in BASE_TABLES)]
LATER = [
    "--demo",
    str(FIXTURES / "qualtrics_valid.csv"),
    "--mapping",
    str(FIXTURES / "qualtrics.yml"),
    "--cohort",
    "T1",
    "--wave",
    "endpoint",
]


def FIRST_SNAPSHOT(factory: pytest.TempPathFactory) -> Path:  # noqa: N802 - a path, named like a constant
    return factory.getbasetemp() / "first-ingest-store"


def _workbench(store: Store, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(WORKBENCH), *args, "--store", str(store.path)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def _content(store: Store) -> dict[str, list[str]]:
    """Every stored row (the log without its time stamp and command line) and the raw archive's file names."""
    if not store.exists():
        return {"raw": sorted(p.name for p in store.raw_dir.iterdir()) if store.raw_dir.exists() else []}
    content = {}
    for name in (*TABLES, "exclusions", "ingestion_log"):
        frame = store.read_table(name)
        if name == "ingestion_log":
            frame = frame.drop(columns=["ingested_at", "command"])
        content[name] = sorted(repr(row) for row in frame.astype(str).itertuples(index=False))
    content["raw"] = sorted(p.name for p in store.raw_dir.iterdir())
    return content


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """The store's content after the first ingest and after the later one, neither interrupted."""
    store = Store(tmp_path_factory.mktemp("reference") / "store" / "workbench.duckdb")
    states = {"nothing": _content(store)}
    assert _workbench(store, "ingest", *FIRST).returncode == 0
    states["first"] = _content(store)
    shutil.copytree(store.path.parent, FIRST_SNAPSHOT(tmp_path_factory))
    assert _workbench(store, "ingest", *LATER).returncode == 0
    states["later"] = _content(store)
    return states


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("ingest", ["first", "later"])
def test_an_ingest_killed_at_any_phase_leaves_all_or_none_and_is_repaired(
    ingest: str, phase: str, uninterrupted: dict, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
):
    store = Store(tmp_path / "store" / "workbench.duckdb")
    if ingest == "later":  # the store of an uninterrupted first ingest
        shutil.copytree(FIRST_SNAPSHOT(tmp_path_factory), store.path.parent)
    before = uninterrupted["nothing" if ingest == "first" else "first"]
    files = FIRST if ingest == "first" else LATER

    killed = _workbench(store, "ingest", *files, env={KILL_AT_ENV: phase})
    assert killed.returncode == -signal.SIGKILL

    checked = _workbench(store, "validate")
    # Only a commit into an existing store survives; a new store is renamed into place after its commit.
    committed = ingest == "later" and phase == "committing"
    assert _content(store) == (uninterrupted[ingest] if committed else before)
    if ingest == "first":
        assert checked.returncode == 2
        assert checked.stderr.strip().endswith("run `workbench ingest` first, or give --store")
    else:
        assert checked.returncode == 0, checked.stderr
    assert ("repaired: " in checked.stderr) == (phase != "validating"), checked.stderr

    again = _workbench(store, "ingest", *files)
    assert again.returncode == 0, again.stderr
    assert _content(store) == uninterrupted[ingest]
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["raw", "workbench.duckdb"]


def test_two_ingests_at_once_one_refused_clearly_one_queued(tmp_path: Path, uninterrupted: dict):
    store = Store(tmp_path / "store" / "workbench.duckdb")
    assert _workbench(store, "ingest", *FIRST).returncode == 0
    other = tmp_path / "participants.csv"  # a second file, so that both ingests have work to do
    rows = (FIXTURES / "base" / "participants.csv").read_text().splitlines()
    other.write_text(
        "\n".join(
            [
                rows[0],
                "rosalind.franklin@example.org,Rosalind Franklin,T2,Director,Science,"
                "2024-07-01,,,,Female,White,No,35-44",
            ]
        )
        + "\n"
    )
    command = [str(WORKBENCH), "ingest", *LATER, "--store", str(store.path)]
    holder = subprocess.Popen(
        command,
        env={**os.environ, STALL_AT_ENV: "inserting", STALL_SECONDS_ENV: "6"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while str(holder.pid) not in (store.lock_path.read_text() if store.lock_path.exists() else ""):
        assert time.monotonic() < deadline, "the first ingest never took the lock"
        time.sleep(0.05)

    refused = _workbench(store, "ingest", "--demo", str(other))
    assert refused.returncode == 2
    message = refused.stderr.strip()
    assert "\n" not in message and f"is in use by `workbench ingest` (pid {holder.pid}, since " in message
    assert "--wait SECONDS" in message
    assert not list(store.raw_dir.glob("*.partial"))

    queued = _workbench(store, "ingest", "--demo", str(other), "--wait", "60")
    assert queued.returncode == 0, queued.stderr
    assert holder.wait(timeout=60) == 0
    participants = store.read_table("participants")
    assert len(participants) == 6 and len(store.read_table("responses")) > 0
    assert _workbench(store, "validate").returncode == 0
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["raw", "workbench.duckdb"]
    assert len(list(store.raw_dir.iterdir())) == len(uninterrupted["later"]["raw"]) + 1
