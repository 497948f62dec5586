"""`workbench run` killed: its workers, zygotes and kernels end with it; the next run cleans up and publishes
the same results; a second run on the same reports folder is refused clearly while one is running."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest

from evaluation.store import Store
from support import FIXTURES

WORKBENCH = Path(sys.executable).parent / "workbench"
TAG_ENV = "WORKBENCH_TEST_RUN_TAG"
pytestmark = pytest.mark.slow


def _processes_tagged(tag: str) -> list[int]:
    """Live processes whose environment carries ``tag`` (every process a run starts inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"{TAG_ENV}={tag}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # gone, or a zombie
                continue
    return found


def _manifest(folder: Path) -> Path:
    """The test analyses beside a run that sleeps for a minute (so that the kill lands mid-run)."""
    folder.mkdir()
    for name in ("per_cohort.ipynb", "overall.ipynb", "sleepy.ipynb"):
        shutil.copy(FIXTURES / "runner" / name, folder / name)
    manifest = folder / "manifest.yml"
    manifest.write_text((FIXTURES / "runner" / "manifest.yml").read_text() + "  sleepy:\n    notebook: sleepy.ipynb\n")
    return manifest


def _run(
    manifest: Path, store: Store, reports: Path, *args: str, tag: str = "", log: Path | None = None
) -> subprocess.Popen:
    """``workbench run`` in the background; output to ``log`` if given (a pipe would be held open by any
    process of the run that outlived it, and reading it would never end)."""
    output = log.open("w") if log else subprocess.PIPE
    return subprocess.Popen(
        [
            str(WORKBENCH),
            "run",
            "--manifest",
            str(manifest),
            "--store",
            str(store.path),
            "--reports",
            str(reports),
            "--jobs",
            "2",
            *args,
        ],
        env={**os.environ, TAG_ENV: tag or uuid.uuid4().hex},
        stdout=output,
        stderr=subprocess.STDOUT if log else subprocess.PIPE,
        text=True,
    )


def _results(reports: Path) -> dict[str, bytes]:
    return {str(p.relative_to(reports)): p.read_bytes() for p in sorted(reports.glob("*/*/results.csv"))}


def test_killing_the_main_run_process_ends_the_whole_run_and_the_next_run_recovers(base_store: Store, tmp_path: Path):
    manifest = _manifest(tmp_path / "notebooks")
    reports = tmp_path / "reports"
    tag = uuid.uuid4().hex
    main = _run(manifest, base_store, reports, tag=tag, log=tmp_path / "killed-run.log")
    deadline = time.monotonic() + 120
    # Mid-run: the sleeping notebook's kernel is running in its staging folder.
    while not list(reports.glob("sleepy/.*.staging-*")) or len(_processes_tagged(tag)) < 5:
        assert main.poll() is None and time.monotonic() < deadline, (tmp_path / "killed-run.log").read_text()
        time.sleep(0.2)

    second = _run(manifest, base_store, reports)
    _, refused = second.communicate(timeout=120)
    assert second.returncode == 2
    assert refused.strip().startswith(
        f"error: the reports folder {reports} is in use by `workbench run` (pid {main.pid}, since "
    ), refused
    assert "\n" not in refused.strip()

    main.send_signal(signal.SIGKILL)
    main.wait()
    killed_at = time.monotonic()
    while _processes_tagged(tag) and time.monotonic() - killed_at < 30:
        time.sleep(0.2)
    left = _processes_tagged(tag)
    for pid in left:  # so that a failure leaves nothing running
        os.kill(pid, signal.SIGKILL)
    assert not left, "processes of the killed run are still alive 30 s after it was killed"
    assert list(reports.glob("*/.*.staging-*")), "the kill should have left an unfinished staging folder"

    selection = ("--select", "per_cohort", "--select", "overall")
    after = _run(manifest, base_store, reports, *selection)
    _, said = after.communicate(timeout=300)
    assert after.returncode == 0, said
    assert "repaired: removed sleepy/." in said
    assert not list(reports.glob("*/.*")) and not (reports / ".workbench-run.lock").exists()
    index = pd.read_parquet(reports / "index.parquet")
    assert not index["path"].str.contains(r"(?:^|/)\.").any()
    assert set(index["analysis"] + "/" + index["run_id"]) >= {"per_cohort/cohort-T1", "overall/all"}

    uninterrupted = tmp_path / "uninterrupted"
    clean = _run(manifest, base_store, uninterrupted, *selection)
    assert clean.wait(timeout=300) == 0
    assert _results(reports) == _results(uninterrupted) and len(_results(reports)) == 3


def test_the_index_lists_only_published_runs(tmp_path: Path):
    from evaluation.run.scheduler import write_index

    published = tmp_path / "per_cohort" / "cohort-T1"
    published.mkdir(parents=True)
    record = (
        '{"analysis": "per_cohort", "run_id": "cohort-T1", "status": "success", "parameters": {}, '
        '"started_at": "", "finished_at": "", "seconds": 1.0}'
    )
    (published / "provenance.json").write_text(record)
    for leftover in (".cohort-T2.staging-1a2b3c4d", ".cohort-T1.retired-1a2b3c4d"):
        (tmp_path / "per_cohort" / leftover).mkdir()
        (tmp_path / "per_cohort" / leftover / "provenance.json").write_text(record)
    index = pd.read_parquet(write_index(tmp_path))
    assert list(index["path"]) == ["per_cohort/cohort-T1"]
