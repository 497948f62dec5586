"""Browser tests of the published site and of `workbench serve` as a board meets it: the landing page at /,
every published page (figures drawn, numbers as on the live page, navigation, downloads), accessibility
(axe-core, WCAG 2.2 AA) and new results reaching the site and a live page without a restart.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dashboard_browser import (
    DRILLDOWN_AUTHORITY,
    accessibility_problems,
    body_text,
    choose,
    disclosure_problems,
    open_dashboard,
    screenshot,
    wait_for_charts,
)

from evaluation.dashboards.pages import DASHBOARD_PAGES
from evaluation.dashboards.serve import VoilaServer
from evaluation.dashboards.site import page_states, publish_site
from evaluation.run.scheduler import run_manifest
from support import AXE_JS, ROOT

pytestmark = pytest.mark.browser

# One choice per dashboard, compared between the live page and the published page.
CHOICES = {
    "programme_overview": None,
    "cohort": "Cohort C2",
    "loti_portfolio": None,
    "project": None,
    "authority": "Camden (E09000007)",
}


def _static_url(server: VoilaServer, path: str) -> str:
    return f"{server.base_url}/{path}"


def _wait_for_static_charts(page: Any) -> int:
    charts = page.locator(".wb-chart").count()
    page.wait_for_function(f"document.querySelectorAll('.wb-chart.wb-drawn').length === {charts}")
    return charts


def _headlines(page: Any) -> list[str]:
    return [t.replace("\xa0", " ") for t in page.locator("table.wb-headlines").all_inner_texts()]


def test_the_landing_page_at_the_root_lists_the_five_dashboards_and_the_live_pages(
    page: Any, voila_server: VoilaServer, demo_site: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(voila_server.base_url + "/")
    cards = page.locator(".wb-card h2 a")
    assert cards.all_inner_texts() == [d.title for d in DASHBOARD_PAGES.values()]
    live = page.locator(".wb-live a")
    assert live.count() == 5 and all("/voila/render/" in (live.nth(i).get_attribute("href") or "") for i in range(5))
    text = body_text(page)
    assert "Select items to open" not in text and ".ipynb" not in text
    assert all(url.startswith(voila_server.base_url) for url in requests), "something loaded from another site"
    assert not accessibility_problems(page)
    screenshot(page, "site_landing")
    cards.nth(1).click()
    page.wait_for_url("**/cohort/cohort-C1/index.html")
    assert page.locator("h1").inner_text().endswith("Cohort C1")


@pytest.mark.parametrize("name", list(CHOICES))
def test_a_published_page_shows_the_figures_and_numbers_of_the_live_page(
    name: str, page: Any, voila_server: VoilaServer, demo_site: Path, demo_results: Any
) -> None:
    open_dashboard(page, voila_server, name)
    if CHOICES[name]:
        choose(page, CHOICES[name])
        page.get_by_text(f"Showing {CHOICES[name]}").wait_for(state="attached")
        page.locator(".wb-end").last.wait_for(state="attached")
    page.wait_for_timeout(1500)  # the rest of the body (DEFER_SECONDS) and the charts after the first
    wait_for_charts(page)
    live_headlines = _headlines(page)
    live_charts = page.locator(".wb-body .js-plotly-plot, .wb-body-rest .js-plotly-plot").count()
    live_tables = page.locator(".wb-root table.wb-table caption").all_inner_texts()

    state = next(
        s
        for s in page_states(demo_results.reports)
        if s.dashboard.name == name and (CHOICES[name] is None or s.label == CHOICES[name])
    )
    page.goto(_static_url(voila_server, state.path))
    charts = _wait_for_static_charts(page)
    assert _headlines(page) == live_headlines
    assert charts == live_charts > 0
    assert page.locator("main table.wb-table caption").all_inner_texts() == live_tables
    assert not disclosure_problems(page, demo_results.store)
    screenshot(page, f"site_{name}")


def test_navigation_between_states_by_mouse_and_keyboard(page: Any, voila_server: VoilaServer, demo_site: Path) -> None:
    page.goto(_static_url(voila_server, "cohort/index.html"))  # leads to the first cohort
    page.wait_for_url("**/cohort/cohort-C1/index.html")
    page.locator("nav.wb-states").get_by_role("link", name="Cohort C3").click()
    page.wait_for_url("**/cohort/cohort-C3/index.html")
    assert page.locator("h1").inner_text().endswith("Cohort C3")
    for _ in range(40):  # Tab through the page until the link to cohort C2 has the focus, then press Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent") == "Cohort C2":
            break
    else:
        pytest.fail("the link to Cohort C2 cannot be reached with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cohort/cohort-C2/index.html")


@contextmanager
def _served(site: Path) -> Iterator[str]:
    """A copied site served as any web server would serve its files (a local HTTP server): its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietFiles, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # no line per request in the test output
        pass


def test_charts_on_a_published_page_are_interactive(page: Any, image_site: Path) -> None:
    with _served(image_site) as site:  # a site published with images
        page.goto(f"{site}/cohort/cohort-C1/index.html")
        _wait_for_static_charts(page)
        chart = page.locator(".wb-chart").first
        assert chart.locator(".modebar").count() == 1  # zoom, pan, reset
        page.evaluate("() => Plotly.Fx.hover(document.querySelector('.wb-chart'), [{curveNumber: 0, pointNumber: 0}])")
        assert chart.locator(".hoverlayer .hovertext").count() >= 1
        with page.expect_download() as png:
            page.locator("a.wb-download[data-kind=png]").first.click()
        assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_published_page_and_live_dashboard_meets_wcag_22_aa(
    page: Any, voila_server: VoilaServer, demo_site: Path, demo_results: Any
) -> None:
    """axe-core on the published pages and every live dashboard: no serious or critical violation; nothing
    disclosive on any published page.

    axe runs on every state of the programme, cohort, portfolio and project dashboards and, of the authority
    dashboard's 33 states of one layout, on the first and on Camden (with its own maturity run); the disclosure
    checks run on all 47.
    """
    page.context.add_init_script(path=str(AXE_JS))  # in every page as it loads, instead of sent after each load
    states = page_states(demo_results.reports)
    authorities = [s for s in states if s.dashboard.name == "authority"]
    with_axe = {s.path for s in states if s.dashboard.name != "authority"}
    with_axe |= {authorities[0].path} | {s.path for s in authorities if s.value == DRILLDOWN_AUTHORITY}
    assert len(with_axe) == 1 + 3 + 1 + 9 + 2, sorted(with_axe)
    found = {}
    for state in states:
        page.goto(_static_url(voila_server, state.path))
        _wait_for_static_charts(page)
        problems = disclosure_problems(page, demo_results.store)
        if state.path in with_axe:
            problems += accessibility_problems(page)
        if problems:
            found[state.path] = problems
    for name in DASHBOARD_PAGES:
        open_dashboard(page, voila_server, name)
        wait_for_charts(page)
        problems = accessibility_problems(page)
        if problems:
            found[f"live {name}"] = problems
    assert not found, found


def test_a_stalled_live_page_explains_itself_and_links_to_the_published_one(
    page: Any, voila_server: VoilaServer, demo_site: Path
) -> None:
    page.route_web_socket("**/api/kernels/**", lambda socket: None)  # the kernel never answers
    page.goto(voila_server.url("cohort"))
    notice = page.locator(".wb-stalled")
    notice.wait_for(timeout=30_000)
    assert "taking longer than usual" in notice.inner_text()
    assert "PageRoot(" not in page.content()
    notice.get_by_role("link").click()
    page.wait_for_url("**/cohort/cohort-C1/index.html")


def _correct_answers(store: Path, cohort: str) -> None:
    """A corrected export stored: one participant with both surveys now answered every endpoint item with 1."""
    with duckdb.connect(str(store)) as connection:
        respondent = connection.execute(
            "SELECT respondent FROM responses WHERE cohort_id = ? AND wave IN ('baseline', 'endpoint') "
            "GROUP BY respondent HAVING count(DISTINCT wave) = 2 ORDER BY respondent LIMIT 1",
            [cohort],
        ).fetchone()[0]
        connection.execute("UPDATE responses SET value = 1 WHERE respondent = ? AND wave = 'endpoint'", [respondent])


def test_new_results_reach_the_site_and_a_live_page_without_a_restart(
    page: Any, demo_results: Any, published_reports: Path, tmp_path: Path
) -> None:
    store, reports = (
        tmp_path / "store.duckdb",
        shutil.copytree(published_reports, tmp_path / "reports"),
    )  # site published
    shutil.copy(demo_results.store, store)
    with VoilaServer(ROOT / "dashboards", reports, tmp_path / "voila") as server:
        # Every preheated kernel loaded the body the publish prepared (it did not build it again).
        built = [line for line in server.build_log.read_text().splitlines() if " built in " in line]
        assert len(built) == 5 and all(line.endswith("body prepared)") for line in built), built
        open_dashboard(page, server, "cohort")
        before = _headlines(page)
        page.goto(f"{server.base_url}/cohort/cohort-C1/index.html")
        assert _headlines(page) == before

        from evaluation.store import Store

        _correct_answers(store, "C1")
        summary = run_manifest(
            ROOT / "notebooks" / "manifest.yml", Store(store), reports, jobs=1, select=["cohort_evaluation/cohort-C1"]
        )
        assert not summary.failures and [p.action for p in summary.planned] == ["run"], summary.planned
        republished = publish_site(reports, images=False)
        assert "cohort/cohort-C1/index.html" in republished.rendered
        # Built: at start, the refill after the first page, then again once the new results were seen.
        server.wait_until_built("cohort", 3, timeout=120)

        page.goto(f"{server.base_url}/cohort/cohort-C1/index.html")
        published = _headlines(page)  # the same browser: its copy of the page must not be shown again
        assert published != before
        open_dashboard(page, server, "cohort")
        assert _headlines(page) == published
