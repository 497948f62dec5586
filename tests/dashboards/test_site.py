"""The published site (reports/_site): every dashboard state as a static page, self-contained and incremental."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dashboard_browser import PARTICIPANT_ID, roster

from evaluation.dashboards import site as site_module
from evaluation.dashboards.data import list_runs, reports_root
from evaluation.dashboards.pages import DASHBOARD_PAGES, cohort_page, project_page
from evaluation.dashboards.site import SITE_DIR, SiteError, page_states, publish_site
from evaluation.reference import london_authorities

TITLES = [d.title for d in DASHBOARD_PAGES.values()]
PLOTLY = "application/vnd.plotly.v1+json"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def _text(markup: str) -> str:
    """Visible text of some HTML, whitespace collapsed (scripts and styles dropped)."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def test_the_landing_page_lists_the_five_dashboards_by_title_with_their_question_and_last_run(demo_site: Path) -> None:
    landing = (demo_site / "index.html").read_text(encoding="utf-8")
    text = _text(landing)
    for dashboard in DASHBOARD_PAGES.values():
        assert dashboard.title in text and dashboard.question in text
        assert re.search(rf'<h2><a href="{dashboard.name}/[^"]*index.html">', landing), dashboard.name
    assert text.count("Data last run") == 5 and "3 cohorts" in text and "33 authorities" in text
    assert "ipynb" not in text and "Select items" not in text


def test_a_page_for_every_state_of_every_dashboard(demo_site: Path, demo_results: Any) -> None:
    reports = demo_results.reports
    # A dashboard with states also has a page at its folder that leads to its first state.
    expected = {f"{name}/index.html" for name in DASHBOARD_PAGES}
    expected |= {f"cohort/{r.run_id}/index.html" for r in list_runs("cohort_evaluation", reports)}
    expected |= {f"project/{r.run_id}/index.html" for r in list_runs("project_evaluation", reports)}
    codes = london_authorities()["gss_code"]
    expected |= {f"authority/{code}/index.html" for code in codes}
    found = {str(p.relative_to(demo_site)) for p in _pages(demo_site)} - {"index.html"}
    assert found == expected
    assert len(expected) == 5 + 3 + 9 + 33


@pytest.mark.parametrize(
    ("build", "analysis", "folder"),
    [(cohort_page, "cohort_evaluation", "cohort"), (project_page, "project_evaluation", "project")],
)
def test_each_state_shows_what_the_live_page_shows_for_the_same_choice(
    demo_site: Path, demo_results: Any, build: Any, analysis: str, folder: str
) -> None:
    """Headline figures, tables and chart titles of the static page equal the live page's for that choice."""
    for run in list_runs(analysis, demo_results.reports):
        live = build(demo_results.reports, run.run_id)
        outputs = live.children[-3].outputs + live.children[-2].outputs  # the body: first chart, then the rest
        live_html = "".join(o["data"].get("text/html", "") for o in outputs)
        static = (demo_site / folder / run.run_id / "index.html").read_text(encoding="utf-8")
        for table in re.findall(r"<table class=\"wb-table[^\"]*\".*?</table>", live_html, flags=re.S):
            assert _text(table) in _text(static), (run.run_id, _text(table)[:200])
        live_titles = [o["data"]["text/plain"] for o in outputs if "application/vnd.plotly.v1+json" in o["data"]]
        assert len(live_titles) == static.count('class="wb-chart"') > 0, run.run_id


def test_a_project_page_reads_its_numbers_as_a_reader_expects(demo_site: Path) -> None:
    """Progress to target is a share with the range across authorities (not a confidence interval), years read
    2021 (not 2,021), progress columns are percentages and directions words."""
    text = _text((demo_site / "project" / "project-P01" / "index.html").read_text(encoding="utf-8"))
    assert re.search(r"Progress to target \d+% \(range across authorities \d+% to \d+%\)", text), text[:2000]
    assert "2,02" not in text and " 2021 " in text
    shown = text.split("Every published estimate")[0]  # the last section shows results.csv as published
    assert " 1.33 " not in shown and " 133% " in shown
    assert "higher is better" in text and "higher_is_better" not in text


def test_navigation_between_states_replaces_the_drop_down(demo_site: Path) -> None:
    page = (demo_site / "cohort" / "cohort-C2" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="wb-states" aria-label="Cohort">(.*?)</nav>', page, flags=re.S)
    assert nav, "no navigation between cohorts"
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav.group(1))
    assert [label for _, _, label in links] == ["Cohort C1", "Cohort C2", "Cohort C3"]
    assert [label for _, current, label in links if current] == ["Cohort C2"]
    for href, _, _ in links:
        assert (demo_site / "cohort" / "cohort-C2" / href).resolve().is_file(), href
    assert "Choose a cohort" in page
    assert "Choose an authority" in (demo_site / "authority" / "E09000007" / "index.html").read_text()


def test_the_site_is_self_contained_and_works_from_a_copied_folder(demo_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copied"
    shutil.copytree(demo_site, copy)
    for page in _pages(copy):
        markup = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', markup), f"{page}: loads something from another site"
        for target in re.findall(r'(?:src|href)="([^"#]+)"', markup):
            assert (page.parent / target).resolve().is_file(), f"{page.relative_to(copy)} links to missing {target}"
    assert (copy / "assets" / "plotly.min.js").stat().st_size > 1_000_000


def test_every_download_is_a_valid_file(demo_site: Path, image_site: Path) -> None:
    """Every file a page links to for download is there and readable: the tables of all 47 states, and the charts'
    PNG and SVG where the site was published with images (the cohort pages of ``image_site``)."""
    from openpyxl import load_workbook
    from PIL import Image

    for site, kinds in ((demo_site, ("csv", "xlsx")), (image_site, ("csv", "xlsx", "png", "svg"))):
        counts = dict.fromkeys(kinds, 0)
        for kind in kinds:
            for path in site.rglob(f"*.{kind}"):
                counts[kind] += 1
                data = path.read_bytes()
                if kind == "csv":
                    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str).shape[1] > 0, path
                elif kind == "xlsx":
                    assert load_workbook(io.BytesIO(data)).active["A1"].value, path
                elif kind == "png":
                    image = Image.open(io.BytesIO(data)).convert("L")
                    low, high = image.getextrema()
                    assert high - low > 50, f"{path}: a blank image"
                else:
                    root = ET.fromstring(data)
                    assert root.find("{http://www.w3.org/2000/svg}desc") is not None, f"{path}: no text alternative"
        assert all(counts.values()), (site, counts)
        linked = sum(
            len(re.findall(r'class="wb-download" href="[^"]+\.(?:csv|xlsx|png|svg)"', p.read_text()))
            for p in _pages(site)
        )
        assert linked == sum(counts.values()), site


def test_nothing_identifying_anywhere_in_the_site(demo_site: Path, image_site: Path, demo_results: Any) -> None:
    from dashboard_browser import free_text_answers

    names, emails = roster()
    answers = free_text_answers(demo_results.store)
    problems = []
    files = [p for site in (demo_site, image_site) for p in site.rglob("*")]
    for path in sorted(p for p in files if p.is_file() and p.suffix in (".html", ".csv", ".svg")):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        lowered = text.lower()
        problems += [f"{path.name}: id {m}" for m in sorted(set(PARTICIPANT_ID.findall(text)))]
        problems += [f"{path.name}: name {n}" for n in names if n.lower() in lowered]
        problems += [f"{path.name}: e-mail {e}" for e in emails if e in lowered]
        problems += [f"{path.name}: free text {a[:30]}" for a in answers if a.lower() in lowered]
    assert not problems, problems[:20]


def test_only_pages_whose_runs_changed_are_rendered_again(published_reports: Path, tmp_path: Path) -> None:
    reports = shutil.copytree(published_reports, tmp_path / "reports")  # published once already (every page rendered)
    again = publish_site(reports, images=False)
    assert not again.rendered and len(again.unchanged) == len(page_states(reports))
    landing_before = (reports / SITE_DIR / "loti_portfolio" / "index.html").stat().st_ino
    provenance = reports / "cohort_evaluation" / "cohort-C2" / "provenance.json"  # a new run of cohort C2
    record = json.loads(provenance.read_text())
    record["finished_at"] = "2030-01-01T00:00:00+00:00"
    provenance.write_text(json.dumps(record))
    changed = publish_site(reports, images=False)
    # Every cohort page (it links to C2's state) and the programme overview (it reads the cohort runs).
    assert sorted(changed.rendered) == [
        "cohort/cohort-C1/index.html",
        "cohort/cohort-C2/index.html",
        "cohort/cohort-C3/index.html",
        "programme_overview/index.html",
    ]
    assert "1 January 2030" in (reports / SITE_DIR / "cohort" / "cohort-C2" / "index.html").read_text()
    assert (reports / SITE_DIR / "loti_portfolio" / "index.html").stat().st_ino == landing_before


def test_a_failed_publish_leaves_the_previous_site_as_it_was(
    published_reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = shutil.copytree(published_reports, tmp_path / "reports")
    before = {p: p.read_bytes() for p in (reports / SITE_DIR).rglob("*") if p.is_file()}

    async def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("chromium went away")

    monkeypatch.setattr(site_module.ImageMaker, "_render", broken)
    with pytest.raises(SiteError, match="could not make the PNG of the chart"):
        publish_site(reports, force=True)
    assert {p: p.read_bytes() for p in (reports / SITE_DIR).rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in reports_root(reports).iterdir() if p.name.startswith(SITE_DIR)) == [SITE_DIR]


def test_a_publish_before_any_run_gives_pages_that_say_what_to_run(tmp_path: Path) -> None:
    summary = publish_site(tmp_path / "empty", images=False)
    assert len(summary.rendered) == 5 + 33 - 1  # one page per dashboard; the authorities are known beforehand
    cohort = _text((summary.folder / "cohort" / "index.html").read_text())
    assert "Not published yet." in cohort and "workbench run --select cohort_evaluation" in cohort
    assert str(tmp_path) not in cohort  # never the server's paths


def _live_outputs(page: Any) -> tuple[str, list[Any]]:
    """A live page's body outputs: the markup (every workbook's data URI cut: a zip stamps the time it was made),
    and each chart's data and layout (decoded: compared to a float's last bits, see :func:`_same_numbers`)."""
    body, rest = page.children[-3], page.children[-2]
    outputs = body.outputs + (rest._held or ()) + rest.outputs
    charts = [o["data"].pop(PLOTLY) for o in (json.loads(json.dumps(o)) for o in outputs) if PLOTLY in o["data"]]
    markup = [o["data"] for o in outputs if PLOTLY not in o["data"]]
    return (
        re.sub(r"data:application/vnd\.openxmlformats[^\"\\]*", "XLSX", json.dumps(markup, sort_keys=True)),
        [_decoded(c) for c in charts],
    )


def _decoded(spec: Any) -> Any:
    """A plotly JSON spec with its typed arrays (``{"dtype", "bdata"}``) as numpy arrays, and without empty
    objects (plotly writes an empty axis title as ``{}`` and reads it back as nothing)."""
    if isinstance(spec, dict) and "bdata" in spec and "dtype" in spec:
        array = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=spec["dtype"])
        shape = [int(n) for n in str(spec.get("shape", "")).split(",") if n.strip()]  # plotly writes "3, 4"
        return array.reshape(shape) if shape else array
    if isinstance(spec, dict):
        return {k: _decoded(v) for k, v in spec.items() if v != {}}
    if isinstance(spec, list):
        return [_decoded(v) for v in spec]
    return spec


def _same_numbers(a: Any, b: Any) -> bool:
    """Equal, numbers to within a float's last bits: a sum over the same values can end in another bit in another
    process (numpy's pairwise sums depend on the arrays' alignment in memory)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_numbers(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same_numbers(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind in "fc" and b.dtype.kind in "fc":
            return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True))
        return a.tolist() == b.tolist()
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    return a == b


@pytest.mark.parametrize("name", list(DASHBOARD_PAGES))
def test_a_live_page_loads_the_body_prepared_by_the_publish_and_it_equals_the_built_one(
    name: str, demo_site: Path, demo_results: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluation.dashboards import prepared
    from evaluation.dashboards.pages import live_page

    monkeypatch.setenv("VOILA_KERNEL_ID", "test")  # as in a Voila kernel: the rest of the body held back
    dashboard = DASHBOARD_PAGES[name]
    first = next(s for s in page_states(demo_results.reports) if s.dashboard is dashboard)
    ready = prepared.load_prepared(dashboard, first.value, demo_results.reports)
    assert ready is not None and ready.outputs
    loaded = live_page(dashboard, demo_results.reports)
    monkeypatch.setattr(prepared, "load_prepared", lambda *args: None)
    built = live_page(dashboard, demo_results.reports)
    (loaded_markup, loaded_charts), (built_markup, built_charts) = _live_outputs(loaded), _live_outputs(built)
    assert loaded_markup == built_markup
    assert _same_numbers(loaded_charts, built_charts)
    # The download panel: the same charts, whose figures make the same images.
    assert [(c.title, c.alt_text, c.file_stem) for c in loaded._body.charts] == [
        (c.title, c.alt_text, c.file_stem) for c in built._body.charts
    ]
    assert _same_numbers(
        [_decoded(json.loads(c.figure.to_json())) for c in loaded._body.charts],
        [_decoded(json.loads(c.figure.to_json())) for c in built._body.charts],
    )


def test_a_prepared_body_of_other_results_is_never_shown(published_reports: Path, tmp_path: Path) -> None:
    from evaluation.dashboards import prepared

    reports = shutil.copytree(published_reports, tmp_path / "reports")
    cohort = DASHBOARD_PAGES["cohort"]
    assert prepared.load_prepared(cohort, "cohort-C2", reports) is not None
    provenance = reports / "cohort_evaluation" / "cohort-C2" / "provenance.json"  # a new run, not yet published
    record = json.loads(provenance.read_text())
    record["finished_at"] = "2030-01-01T00:00:00+00:00"
    provenance.write_text(json.dumps(record))
    assert prepared.load_prepared(cohort, "cohort-C2", reports) is None  # built from the results instead
    publish_site(reports, images=False)
    assert prepared.load_prepared(cohort, "cohort-C2", reports) is not None
    damaged = reports / SITE_DIR / prepared.prepared_path("cohort", "cohort-C2")
    damaged.write_text("{not json")
    assert prepared.load_prepared(cohort, "cohort-C2", reports) is None
