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

import pytest

from evaluation.dashboards.serve import VoilaServer
from support import ROOT

# The authority whose own maturity run the tests publish (notebooks/manifest-drilldown.yml).
DRILLDOWN_AUTHORITY = "E09000007"  # Camden
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
    copy = tmp_path_factory.mktemp("dashboard_demo") / "reports"
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
def demo_site(demo_results: DemoResults) -> Path:
    """The published site of the demo results (``workbench publish``), with every chart's PNG and SVG."""
    from evaluation.dashboards.site import publish_site

    return publish_site(demo_results.reports).folder


@pytest.fixture(scope="session")
def published_copy(demo_results: DemoResults, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo reports with the site published without images, made once: tests that publish again
    (incremental, failed, new results) copy it, so their first publish finds every page unchanged instead of
    rendering all 47 again."""
    from evaluation.dashboards.site import page_states, publish_site

    reports = tmp_path_factory.mktemp("published_copy") / "reports"
    shutil.copytree(demo_results.reports, reports, ignore=shutil.ignore_patterns("_site", "_site.*"))
    summary = publish_site(reports, images=False)
    assert len(summary.rendered) == len(page_states(reports)) and not summary.unchanged  # a first publish: all
    return reports
