"""Shared fixtures: a store holding a small roster, instrument and LOTI project, built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.run.execute import REPORT_PDF_ENV
from evaluation.store import Store
from support import BASE_TABLES, FIXTURES, ROOT, TEST_KEY, built_once


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


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    """The demo data ingested and the whole default manifest run, once per test session: (store, reports)."""
    from evaluation.ingest.pseudonymise import DEMO_KEY
    from evaluation.ingest.service import read_plan
    from evaluation.run.scheduler import run_manifest

    def found(folder: Path) -> tuple[Store, Path]:
        return Store(folder / "store" / "workbench.duckdb"), folder / "reports"

    def build(folder: Path) -> tuple[Store, Path]:
        store, reports = found(folder)
        run_ingest(read_plan(ROOT / "data" / "demo" / "ingest.yml"), store, DEMO_KEY, command="demo_run fixture")
        with pytest.MonkeyPatch.context() as patch:  # the demo's reports are printed, whichever test asks first
            patch.setenv(REPORT_PDF_ENV, "1")
            summary = run_manifest(ROOT / "notebooks" / "manifest.yml", store, reports, jobs=2)
        assert not summary.failures, [f"{f.key}: {f.error}" for f in summary.failures]
        return store, reports

    return built_once(tmp_path_factory, "demo", build, found)


@pytest.fixture(autouse=True)
def no_declared_population() -> None:
    """Each test starts with no population declared: a kernel runs one run, a test process many."""
    from evaluation.presentation import findings

    findings._POPULATIONS.clear()


@pytest.fixture(scope="session")
def chromium() -> Path:
    from evaluation.config import CHROMIUM

    if not CHROMIUM.exists():
        pytest.fail(f'{CHROMIUM} is missing: `make chromium` installs it (or deselect with -m "not browser")')
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[object]:
    """One headless chromium for every browser test of the session: Playwright's sync API allows one
    instance per thread, so the dashboard and report tests share it."""
    from playwright.sync_api import sync_playwright

    from evaluation.config import HEADLESS_CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=list(HEADLESS_CHROMIUM_ARGS))
        yield launched
        launched.close()
