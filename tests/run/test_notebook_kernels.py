"""The runner's kernels, forked from a zygote that has imported the analysis stack, publish what fresh ones do."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.run.execute import FORKED_KERNELS_ENV
from evaluation.run.scheduler import run_manifest
from evaluation.store import Store
from support import FIXTURES

RUNNER_MANIFEST = FIXTURES / "runner" / "manifest.yml"


def test_forked_and_fresh_kernels_publish_identical_results(
    base_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The runner's own choice of kernel (fixed when the run is planned) changes no published byte."""
    forked = run_manifest(RUNNER_MANIFEST, base_store, tmp_path / "forked", jobs=1, select=["per_cohort"])
    monkeypatch.setenv(FORKED_KERNELS_ENV, "0")
    fresh = run_manifest(RUNNER_MANIFEST, base_store, tmp_path / "fresh", jobs=1, select=["per_cohort"])
    assert not forked.failures and not fresh.failures
    published = sorted(p.relative_to(tmp_path / "forked") for p in (tmp_path / "forked").glob("*/*/results.*"))
    assert published
    for path in published:
        assert (tmp_path / "forked" / path).read_bytes() == (tmp_path / "fresh" / path).read_bytes(), path
