"""Browser tests: Voila serves the five dashboards against demo results; headless chromium drives them.

Each test opens a dashboard, changes its selector where it has one, checks
that the expected chart and numbers (read from the published results) appear,
and saves a screenshot to tests/artifacts/. The last tests check the
downloads and that nothing identifying reaches any page.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dashboard_browser import (
    body_text,
    choose,
    disclosure_problems,
    open_dashboard,
    screenshot,
    wait_for_charts,
)

from evaluation.dashboards.data import list_runs, load_run
from evaluation.dashboards.serve import VoilaServer
from support import ROOT

pytestmark = pytest.mark.browser
DASHBOARDS = ("programme_overview", "cohort", "loti_portfolio", "project", "authority")


def _figure_titles(run_dir: Path) -> list[str]:
    index = run_dir / "figures" / "index.json"
    return [entry["title"] for entry in json.loads(index.read_text()).values()] if index.exists() else []


def _mean_change(reports: Path, run_id: str, construct: str) -> str:
    results = pd.read_csv(reports / "cohort_evaluation" / run_id / "results.csv")
    row = results[(results["term"] == "mean_change") & results["group"].str.startswith(construct)].iloc[0]
    return f"{row['estimate']:+.2f}"


def _estimate(reports: Path, analysis: str, run_id: str, term: str, group: str = "") -> float:
    results = pd.read_csv(reports / analysis / run_id / "results.csv")
    rows = results[(results["term"] == term) & results["group"].astype(str).str.startswith(group)]
    return float(rows.iloc[0]["estimate"])


def _overdue_actions(reports: Path) -> pd.DataFrame:
    return pd.read_csv(reports / "peer_challenge_followup_all" / "all" / "tables" / "overdue_actions.csv")


def test_programme_overview_shows_cohorts_change_and_cost(
    page: Any, voila_server: VoilaServer, demo_results: Any
) -> None:
    open_dashboard(page, voila_server, "programme_overview")
    wait_for_charts(page, 2)
    text = body_text(page)
    assert "Digital leadership programme: overview" in text
    cohorts = [r.label for r in list_runs("cohort_evaluation", demo_results.reports)]
    assert f"Cohorts trained\t{len(cohorts)} ({', '.join(cohorts)})" in text
    programme = load_run("programme_evaluation", None, demo_results.reports)
    for title in _figure_titles(programme.path)[:3]:  # the run's charts, titles drawn by plotly
        assert title in text
    change = _estimate(demo_results.reports, "programme_evaluation", "all", "mixed_model_change", "confidence: all")
    assert f"Change in confidence, baseline to endpoint\t{change:+.2f} (95% interval" in text
    cost = _estimate(demo_results.reports, "programme_evaluation", "all", "cost_per_completer")
    assert f"Cost per completer\t£{cost:,.0f}" in text
    assert "data last run" in text and "from commit" in text
    assert "Programme risks" in text
    for title in _figure_titles(demo_results.reports / "programme_risks" / "register-leadership"):
        assert title in text
    screenshot(page, "programme_overview")


def test_cohort_page_follows_the_selector(page: Any, voila_server: VoilaServer, demo_results: Any) -> None:
    runs = list_runs("cohort_evaluation", demo_results.reports)
    assert len(runs) >= 2
    open_dashboard(page, voila_server, "cohort")
    wait_for_charts(page)
    assert page.locator(".wb-preview").count() == 0  # the widgets have taken the static first view's place
    first, second = runs[0], runs[1]
    assert f"Cohort {first.label}: data last run" in body_text(page)
    choose(page, f"Cohort {second.label}")
    page.get_by_text(f"Cohort {second.label}: data last run").wait_for()
    title = _figure_titles(second.path)[0]
    page.locator(".js-plotly-plot").get_by_text(title.replace(" ", "\xa0")).first.wait_for()
    text = body_text(page)
    assert (
        f"Change in confidence (baseline to endpoint)\t{_mean_change(demo_results.reports, second.run_id, 'conf')}"
        in text
    )
    assert "[c] suppressed" in text  # completion counts of a cohort of eight are suppressed, never shown as 0
    for digest in second.provenance.inputs.values():
        assert digest[:12] in text
    assert not disclosure_problems(page, demo_results.store)
    screenshot(page, "cohort")


def test_the_first_chart_needs_neither_voilas_scripts_nor_the_kernel(
    page: Any, voila_server: VoilaServer, demo_results: Any
) -> None:
    """The workbench template puts each page's first view, first chart included, into the served HTML: with
    Voila's scripts blocked (so no kernel connects and no widget is drawn) the chart is still there."""
    page.route("**/voila/static/voila.js", lambda route: route.abort())
    open_dashboard(page, voila_server, "cohort", live=False)
    page.locator(".wb-preview .js-plotly-plot").first.wait_for(state="visible")
    text = page.locator(".wb-preview").inner_text().replace("\xa0", " ")
    first = list_runs("cohort_evaluation", demo_results.reports)[0]
    assert f"Cohort {first.label}: data last run" in text
    assert any(title in text for title in _figure_titles(first.path))  # drawn by plotly.js: its title


def test_portfolio_page(page: Any, voila_server: VoilaServer, demo_results: Any) -> None:
    open_dashboard(page, voila_server, "loti_portfolio")
    wait_for_charts(page, 4)
    text = body_text(page)
    for heading in (
        "Projects by workstream and stage",
        "Outcomes by level, with RAG ratings",
        "Map of London's 33 authorities",
        "Value for money",
        "Peer challenges and their follow-up",
        "LOTI risks",
    ):
        assert heading in text
    run = load_run("portfolio_evaluation", None, demo_results.reports)
    for title in _figure_titles(run.path):
        assert title in text
    bcr = _estimate(demo_results.reports, "portfolio_evaluation", "all", "programme_bcr")
    assert f"Benefit-cost ratio\t{bcr:.2f}" in text
    assert all(word in text for word in ("Green", "Amber", "Red"))  # RAG ratings written as words
    # The peer-challenge and risk panels: their runs' charts, and an overdue action from the published table.
    for analysis, run_id in (("peer_challenge_followup_all", "all"), ("programme_risks", "register-loti")):
        for title in _figure_titles(demo_results.reports / analysis / run_id):
            assert title in text
    overdue = _overdue_actions(demo_results.reports)
    assert overdue.loc[0, "action_id"] in text
    screenshot(page, "loti_portfolio")


def test_project_page_follows_the_selector(page: Any, voila_server: VoilaServer, demo_results: Any) -> None:
    runs = list_runs("project_evaluation", demo_results.reports)
    open_dashboard(page, voila_server, "project")
    options = page.locator(".wb-selector select option").all_inner_texts()
    assert len(options) == len(runs) >= 2
    choose(page, options[1])
    page.get_by_text(f"run {runs[1].run_id}").first.wait_for()
    titles = _figure_titles(runs[1].path)
    wait_for_charts(page, len(titles))
    for title in titles:
        page.locator(".js-plotly-plot").get_by_text(title[:40].replace(" ", "\xa0")).first.wait_for()
    text = body_text(page)
    assert "Logic model" in text and "Inputs" in text and "Outcomes" in text
    npsv = _estimate(demo_results.reports, "project_evaluation", runs[1].run_id, "npsv")
    assert f"Net present social value\t{'-' if npsv < 0 else ''}£{abs(npsv):,.0f}" in text
    screenshot(page, "project")


def test_authority_page_follows_the_selector(page: Any, voila_server: VoilaServer, demo_results: Any) -> None:
    open_dashboard(page, voila_server, "authority")
    # Camden has its own drill-down maturity run (see conftest.py): its scores over time, against London.
    choose(page, "Camden (E09000007)")
    page.get_by_text("Camden: digital maturity over time").first.wait_for()
    wait_for_charts(page, 3)
    text = body_text(page)
    assert "The outlined tile is Camden." in text
    assert "Digital maturity self-assessment scores (1-5) of Camden" in text
    assert "Camden against London" in text
    assert "No peer challenge of Camden is recorded." in text
    screenshot(page, "authority")
    # Tower Hamlets has no maturity run of its own (London's is shown, with the command that adds one)
    # and had a peer challenge, whose overdue actions are listed.
    choose(page, "Tower Hamlets (E09000030)")
    page.get_by_text("Peer challenges of Tower Hamlets").wait_for()
    text = body_text(page)
    assert "Tower Hamlets has no maturity run of its own yet" in text
    assert "--select maturity_assessment/authority-E09000030" in text
    overdue = _overdue_actions(demo_results.reports)
    mine = overdue[overdue["authority"] == "Tower Hamlets"]
    assert len(mine) > 0 and all(action in text for action in mine["action_id"])
    assert not any(action in text for action in overdue.loc[overdue["authority"] != "Tower Hamlets", "action_id"])


def test_downloads_for_a_board_paper(page: Any, voila_server: VoilaServer, demo_results: Any) -> None:
    from openpyxl import load_workbook

    open_dashboard(page, voila_server, "cohort")
    wait_for_charts(page)
    page.get_by_role("button", name="Make PNG and SVG").click()
    png_link = page.locator("a.wb-download[data-kind=png]")
    png_link.wait_for(timeout=60_000)
    with page.expect_download() as png:
        png_link.click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.locator("a.wb-download[data-kind=svg]").click()
    svg_text = Path(svg.value.path()).read_text()
    assert "<svg" in svg_text and "<desc>" in svg_text
    with page.expect_download() as xlsx:
        page.locator("a.wb-download[data-kind=xlsx]").first.click()
    sheet = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes())).active
    caption = page.locator("table.wb-table[data-table] caption").first.inner_text()
    assert sheet["A1"].value == caption
    assert not sheet.merged_cells.ranges
    with page.expect_download() as csv:
        page.locator("a.wb-download[data-kind=csv]").first.click()
    assert Path(csv.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]


def test_no_dashboard_discloses_people(page: Any, voila_server: VoilaServer, demo_results: Any) -> None:
    """No participant id, roster name or e-mail, free-text answer or group under the threshold on any page."""
    found = {}
    for notebook in DASHBOARDS:
        open_dashboard(page, voila_server, notebook)
        page.wait_for_timeout(500)
        problems = disclosure_problems(page, demo_results.store)
        if problems:
            found[notebook] = problems
    assert not found, found


def test_missing_results_give_a_message_not_a_traceback(page: Any, chromium: Path, tmp_path: Path) -> None:
    """Against an empty reports folder every page says what to run, and shows no traceback."""
    reports = tmp_path / "reports"
    reports.mkdir()
    with VoilaServer(ROOT / "dashboards", reports, tmp_path / "voila", preheat=False) as server:
        for notebook in ("cohort", "loti_portfolio"):
            page.goto(server.url(notebook))
            page.get_by_text("Not published yet.").first.wait_for(timeout=90_000)
            text = body_text(page)
            assert "workbench run --select" in text
            assert "Traceback" not in page.content()
        screenshot(page, "missing_results")
