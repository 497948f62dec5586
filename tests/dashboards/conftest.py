"""Fixtures for the dashboard tests: the demo results, a Voila server, a headless browser.

``demo_results`` is the whole default manifest run on the demo data (``demo_run`` in
tests/conftest.py, shared with the other tests) plus one drill-down run, Camden's own
digital-maturity comparison, so the authority page is tested with and without one.
Browser fixtures skip, with the reason, when ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from dashboard_browser import DRILLDOWN_AUTHORITY

from evaluation.dashboards.serve import VoilaServer
from support import ROOT, built_once

# Both set: use these results (a reports folder and the store it was made from, e.g. by `make run` and the
# drill-down above) instead of running the manifest: a quick loop while working on the pages.
REPORTS_ENV, STORE_ENV = "WORKBENCH_DASHBOARD_TESTS_REPORTS", "WORKBENCH_DASHBOARD_TESTS_STORE"


@dataclass(frozen=True)
class DemoResults:
    store: Path
    reports: Path


@pytest.fixture(scope="session")
def demo_results(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> DemoResults:
    """The demo results the dashboards read: the default manifest's, plus Camden's drill-down maturity run.

    The drill-down run is published into a copy of ``demo_run``'s reports, so the tests that check
    the default manifest's output never see it.
    """
    given_reports, given_store = os.environ.get(REPORTS_ENV), os.environ.get(STORE_ENV)
    if given_reports and given_store:
        return DemoResults(Path(given_store).resolve(), Path(given_reports).resolve())
    from evaluation.run.scheduler import run_manifest

    store, reports = request.getfixturevalue("demo_run")

    def build(folder: Path) -> DemoResults:
        copy = folder / "reports"
        shutil.copytree(reports, copy)
        summary = run_manifest(
            ROOT / "notebooks" / "manifest-drilldown.yml",
            store,
            copy,
            jobs=1,
            select=[f"maturity_assessment/authority-{DRILLDOWN_AUTHORITY}"],
        )
        assert not summary.failures, [f"{f.key}: {f.error}" for f in summary.failures]
        return DemoResults(Path(store.path), copy)

    return built_once(
        tmp_path_factory, "dashboard_demo", build, lambda folder: DemoResults(Path(store.path), folder / "reports")
    )


@pytest.fixture(scope="session")
def voila_server(
    demo_results: DemoResults, chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VoilaServer]:
    """Voila serving dashboards/ on a free 127.0.0.1 port, with preheated kernels, as `workbench serve` does."""
    server = VoilaServer(ROOT / "dashboards", demo_results.reports, tmp_path_factory.mktemp("voila"))
    server.start(timeout=180)
    yield server
    server.stop()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context and page per test (downloads allowed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_site(demo_results: DemoResults, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published site of the demo results (``workbench publish --no-images``): every state's page, downloads
    of tables but no chart images (``image_site`` has them)."""
    from evaluation.dashboards.site import publish_site
    from evaluation.dashboards.site.layout import site_folder

    def build(_: Path) -> Path:
        return publish_site(demo_results.reports, images=False).folder

    return built_once(tmp_path_factory, "demo_site", build, lambda _: site_folder(demo_results.reports))


@pytest.fixture(scope="session")
def published_reports(demo_results: DemoResults, demo_site: Path) -> Path:
    """The demo reports with their site published: tests that publish again (incremental, failed, new results)
    copy them, so their first publish finds every page unchanged instead of rendering all 47 again."""
    return demo_results.reports


@pytest.fixture(scope="session")
def image_site(demo_results: DemoResults, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published site of the demo's cohort runs alone, with each chart's PNG and SVG as `workbench publish`
    makes them: images are tested on the three cohort pages (22 images, ~13 s) rather than made for all 47
    states (190 images, ~100 s of kaleido)."""
    from evaluation.dashboards.site import publish_site
    from evaluation.run_folder import REPORTS_INDEX

    def build(folder: Path) -> Path:
        reports = folder / "reports"
        shutil.copytree(demo_results.reports / "cohort_evaluation", reports / "cohort_evaluation")
        index = pd.read_parquet(demo_results.reports / REPORTS_INDEX)
        index[index["analysis"] == "cohort_evaluation"].to_parquet(reports / REPORTS_INDEX, index=False)
        return publish_site(reports).folder

    return built_once(tmp_path_factory, "image_site", build, lambda folder: folder / "reports" / "_site")
