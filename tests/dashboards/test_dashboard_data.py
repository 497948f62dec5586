"""Unit tests of the dashboards' data layer, downloads and page building (no browser, no kernel)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import ipywidgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from ipywidgets.widgets.widget import _instances
from openpyxl import load_workbook

from evaluation.chart_json import PLOTLY_MIME
from evaluation.dashboards import data, downloads, maps, pages, widgets
from evaluation.dashboards.data import (
    SUPPRESSED_SYMBOL,
    Provenance,
    PublishedTable,
    ResultsMissing,
    describe_estimate,
    format_published_number,
    format_value,
    list_runs,
    load_run,
)
from evaluation.reference import london_authorities
from evaluation.run.contract import Run
from evaluation.run_folder import PROVENANCE_JSON
from evaluation.statistics import disclosure


def publish_suppressed_example(reports: Path, analysis: str = "suppression_example") -> Path:
    """A run with a suppressed estimate and a suppressed table cell (for unit tests of the data layer)."""
    folder = reports / analysis / "all"
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    results = pd.DataFrame(
        {
            "analysis": [analysis] * 2,
            "term": ["mean_change"] * 2,
            "group": ["confidence: baseline to endpoint", "competence: baseline to endpoint"],
            "estimate": [np.nan, 0.5],
            "std_error": [np.nan, 0.1],
            "statistic": [np.nan] * 2,
            "p_value": [np.nan, 0.04],
            "conf_low": [np.nan, 0.3],
            "conf_high": [np.nan, 0.7],
            "n": [3, 8],
            "method": ["Paired t-test"] * 2,
            "suppressed": [True, False],
        }
    )
    results.to_csv(folder / "results.csv", index=False)
    (folder / "tables" / "completion.csv").write_text(
        f"cohort_id,completed,withdrawn,Total\nC9,{SUPPRESSED_SYMBOL},{SUPPRESSED_SYMBOL},8\n"
        f"Total,{SUPPRESSED_SYMBOL},{SUPPRESSED_SYMBOL},8\n"
    )
    (folder / "tables" / "attendance.csv").write_text("session,attendance_rate,n\n1,0.875,8\n2,,\n")
    (folder / "tables" / "index.json").write_text(
        json.dumps(
            {
                "completion": {"title": "Completion", "people_column": None},
                "attendance": {"title": "Attendance", "people_column": "n"},
            }
        )
    )
    now = "2026-01-02T03:04:05+00:00"
    (folder / PROVENANCE_JSON).write_text(
        json.dumps(
            {
                "analysis": analysis,
                "run_id": "all",
                "status": "success",
                "started_at": now,
                "finished_at": now,
                "git_commit": "abcdef0123456789abcdef0123456789abcdef01-dirty",
                "parameters": {},
                "fingerprint": {"inputs": {"participants where cohort_id = 'C9'": "f" * 64}},
            }
        )
    )
    return folder


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    publish_suppressed_example(folder)
    return folder


def _cohort_run(reports: Path, cohort: str = "C1") -> Path:
    """A small published cohort run (through the run contract), enough for the cohort page."""
    folder = reports / "cohort_evaluation" / f"cohort-{cohort}"
    folder.mkdir(parents=True)
    run = Run("cohort_evaluation", folder, None)  # type: ignore[arg-type]  # publishing reads no store
    run.publish_results(
        pd.DataFrame(
            {
                "analysis": ["cohort_evaluation"] * 3,
                "term": ["mean_change", "mean_change", "mean_rating_quality"],
                "group": ["confidence: baseline to endpoint", "competence: baseline to endpoint", "quality (endpoint)"],
                "estimate": [1.25, float("nan"), 4.0],
                "std_error": [0.2, float("nan"), 0.3],
                "statistic": [5.0, float("nan"), float("nan")],
                "p_value": [0.004, float("nan"), float("nan")],
                "conf_low": [0.63, float("nan"), 3.1],
                "conf_high": [1.87, float("nan"), 4.9],
                "n": [6, 3, 6],
                "method": ["Paired t-test", "Paired t-test", "mean"],
                "suppressed": [False, True, False],
            }
        )
    )
    run.publish_table(
        "completion",
        pd.DataFrame(
            {"cohort_id": [cohort, "Total"], "completed": ["[c]", "[c]"], "withdrawn": ["[c]", "[c]"], "Total": [8, 8]}
        ),
        title="Completion",
        people_column=None,
    )
    figure = go.Figure(go.Scatter(x=[1.25], y=["confidence"], mode="markers"))
    figure.update_layout(title=f"Cohort {cohort}: change from baseline to endpoint")
    run.publish_figure("change", figure, alt_text="Mean change: confidence +1.25; competence suppressed")
    (folder / "provenance.json").write_text(
        json.dumps(
            {
                "analysis": "cohort_evaluation",
                "run_id": f"cohort-{cohort}",
                "status": "success",
                "started_at": "2026-11-26T12:06:14+00:00",
                "finished_at": "2026-11-26T12:06:33+00:00",
                "git_commit": "4ea7d57f597f2cd5ae63b57d421690f2d0200320",
                "parameters": {"cohort": cohort},
                "fingerprint": {
                    "inputs": {f"participants where cohort_id = '{cohort}'": "77f7678c15088a51" + "0" * 48}
                },
            }
        )
    )
    return folder


def _outputs_html(page: ipywidgets.VBox) -> str:
    bodies = [c for c in page.children if isinstance(c, ipywidgets.Output)]
    return " ".join(o["data"].get("text/html", "") for body in bodies for o in body.outputs)


# --- Missing results ------------------------------------------------------------------------------------------------


def test_missing_analysis_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ResultsMissing) as missing:
        load_run("programme_evaluation", None, tmp_path / "empty")
    assert "No published results for 'programme_evaluation' yet" in missing.value.message
    assert "workbench run --select programme_evaluation" in missing.value.message


def test_missing_run_lists_the_published_ones(reports: Path) -> None:
    with pytest.raises(ResultsMissing, match="Published runs of 'suppression_example': all"):
        load_run("suppression_example", "other", reports)


def test_failed_run_is_explained(reports: Path) -> None:
    failed = reports / "_failed" / "programme_evaluation" / "all"
    failed.mkdir(parents=True)
    (failed / "provenance.json").write_text(
        json.dumps(
            {
                "analysis": "programme_evaluation",
                "run_id": "all",
                "status": "failed",
                "finished_at": "2026-11-26T12:00:00+00:00",
                "error": {"cell": 7, "exception": "KeyError", "message": "'x'"},
            }
        )
    )
    with pytest.raises(ResultsMissing, match="failed at cell 7 with KeyError"):
        load_run("programme_evaluation", None, reports)


def test_missing_table_and_figure_are_clear(reports: Path) -> None:
    run = load_run("suppression_example", None, reports)
    with pytest.raises(ResultsMissing, match="did not publish the table 'nope'"):
        run.table("nope")
    with pytest.raises(ResultsMissing, match="did not publish the figure 'nope'"):
        run.figure("nope")


def test_pages_show_a_message_not_a_traceback_without_results(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    for build in (pages.programme_overview, pages.cohort_page, pages.loti_portfolio, pages.project_page):
        html = _outputs_html(build(empty))
        assert "Not published yet." in html and "workbench run --select" in html
        assert "Traceback" not in html
    assert "Not published yet." in _outputs_html(pages.authority_page(empty))


def test_a_damaged_file_gives_a_message(reports: Path) -> None:
    folder = _cohort_run(reports)
    (folder / "figures" / "change.json").write_text("{not json")
    html = _outputs_html(pages.cohort_page(reports))
    assert "could not be shown" in html and "figure &#x27;change&#x27;" in html and "Traceback" not in html


# --- Suppression ----------------------------------------------------------------------------------------------------


def test_the_suppressed_symbol_is_the_disclosure_modules() -> None:
    assert SUPPRESSED_SYMBOL == disclosure.SUPPRESSED_SYMBOL


def test_suppressed_cells_are_shown_as_suppressed_never_zero(reports: Path) -> None:
    run = load_run("suppression_example", None, reports)
    completion = run.table("completion")
    cells = completion.cells()
    assert cells[0][1].suppressed and cells[0][1].text == "[c] suppressed"
    assert cells[0][3].text == "8" and not cells[0][3].suppressed
    attendance = run.table("attendance")  # people column "n" empty on row 2: the row's values are suppressed
    assert attendance.suppressed().iloc[1].tolist() == [False, True, True]
    assert attendance.cells()[1][1].text == "[c] suppressed"
    markup = widgets.table_markup(completion)
    assert "[c]</abbr> suppressed" in markup and ">0<" not in markup


def test_a_rate_protected_in_its_row_is_shown_suppressed_and_the_flag_is_not_a_column(reports: Path) -> None:
    run = Run("suppression_example", reports / "suppression_example" / "all", store=None)  # type: ignore[arg-type]
    rates = pd.DataFrame(
        {"session": [1, 2], "attendance_rate": [float("nan"), 1.0], "n": [8, 8], "suppressed": [True, False]}
    )
    run.publish_table("attendance", rates, title="Attendance", shares={"attendance_rate": "n"})
    table = load_run("suppression_example", None, reports).table("attendance")
    assert list(table.frame.columns) == ["session", "attendance_rate", "n"]
    assert [cell.text for cell in table.cells()[0]] == ["1", "[c] suppressed", "8"]
    assert table.as_shown().iloc[1].tolist() == ["2", "1", "8"]


def test_suppressed_estimates_read_suppressed(reports: Path) -> None:
    results = load_run("suppression_example", None, reports).results
    assert describe_estimate(results.iloc[0].to_dict()) == "[c] suppressed"
    assert describe_estimate(results.iloc[1].to_dict(), signed=True) == "+0.50 (95% interval 0.30 to 0.70; 8 people)"
    shown = widgets.results_table(load_run("suppression_example", None, reports))
    assert shown.frame.loc[0, "estimate"] == "[c]"
    assert shown.cells()[0][2].suppressed


def test_small_people_counts_that_slip_through_are_suppressed() -> None:
    table = PublishedTable(
        "coverage",
        "Who the paired analysis covers",
        pd.DataFrame({"construct": ["confidence"], "paired": ["5"], "missing endpoint": ["3"], "value": ["3"]}),
    )
    assert table.small_counts().iloc[0].tolist() == [False, False, True, False]  # "value" is not a count of people
    assert table.as_shown().iloc[0].tolist() == ["confidence", "5", "[c]", "3"]
    assert b"[c]" in downloads.table_csv(table) and b",3," not in downloads.table_csv(table)
    assert "The dashboard suppressed 1 published value" in widgets.table_markup(table)


def test_format_value() -> None:
    assert format_value("[c]") == "[c] suppressed"
    assert format_value(0.0, suppressed=True) == "[c] suppressed"
    assert format_value(float("nan")) == "not available"
    assert format_value(2631.58, unit="GBP") == "£2,632"
    assert format_value(24.0) == "24"
    assert format_published_number("0.875", "attendance_rate") == "0.875"
    assert format_published_number("0.0001", "p_value") == "<0.001"
    assert format_published_number("1234567", "") == "1,234,567"
    assert (
        describe_estimate(
            {"estimate": 0.79, "conf_low": 0.58, "conf_high": 0.93, "n": 24}, unit="proportion", people=False
        )
        == "79% (95% interval 58% to 93%)"  # whole percentages: the reports' rule (presentation.numbers.percent)
    )
    assert describe_estimate({"estimate": 1.3333, "conf_low": 0.0, "conf_high": 4.5}, unit="proportion") == (
        "133% (95% interval 0% to 450%)"  # ahead of target: a proportion above 1 is still a proportion
    )
    assert format_published_number("0.5", "p_value") == "0.500"  # p-values to 3 decimal places, as in the reports


# --- Provenance -----------------------------------------------------------------------------------------------------


def test_provenance_is_shortened_for_readers(reports: Path) -> None:
    provenance = load_run("suppression_example", None, reports).provenance
    assert provenance.finished_text == "2 January 2026, 03:04 UTC"
    assert provenance.commit_text == "abcdef012345 (with uncommitted changes)"
    assert provenance.inputs_short() == [("participants where cohort_id = 'C9'", "f" * 12)]
    markup = widgets.provenance_markup(provenance)
    assert "2 January 2026, 03:04 UTC" in markup and "ffffffffffff" in markup and "f" * 13 not in markup


def test_provenance_reads_the_runners_file() -> None:
    record = {
        "analysis": "a",
        "run_id": "all",
        "status": "success",
        "finished_at": "not a date",
        "fingerprint": {"inputs": {"t": "0123456789abcdef"}},
    }
    provenance = Provenance.from_dict(record)
    assert provenance.finished_text == "not a date" and provenance.commit_text == "unknown commit"
    assert "t [0123456789ab]" in provenance.summary()


def test_runs_are_listed_in_natural_order(tmp_path: Path) -> None:
    for cohort in ("C10", "C2", "C1"):
        _cohort_run(tmp_path, cohort)
    assert [r.label for r in list_runs("cohort_evaluation", tmp_path)] == ["C1", "C2", "C10"]
    assert data.list_analyses(tmp_path) == ["cohort_evaluation"]


# --- Downloads ------------------------------------------------------------------------------------------------------


def test_xlsx_has_title_header_values_and_no_merged_cells(reports: Path) -> None:
    run = load_run("suppression_example", None, reports)
    table = run.table("completion")
    book = load_workbook(io.BytesIO(downloads.table_xlsx(table, provenance=run.provenance, source="x/all")))
    sheet = book.active
    assert sheet["A1"].value == "Completion" and sheet["A1"].font.bold
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "cohort_id")
    assert [sheet.cell(header_row, c).value for c in range(1, 5)] == ["cohort_id", "completed", "withdrawn", "Total"]
    assert sheet.cell(header_row, 1).font.bold and sheet.cell(header_row, 1).fill.fgColor.rgb.endswith("12436D")
    assert [sheet.cell(header_row + 1, c).value for c in range(1, 5)] == ["C9", "[c]", "[c]", 8]
    assert isinstance(sheet.cell(header_row + 1, 4).value, int)
    assert not sheet.merged_cells.ranges
    assert sheet.column_dimensions["A"].width >= 10
    assert any("[c] = suppressed" in str(sheet.cell(r, 1).value) for r in range(1, header_row))
    assert list(sheet.tables)  # marked up as an Excel table
    assert sheet.freeze_panes == f"A{header_row + 1}"


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text() -> None:
    table = PublishedTable("t", "T", pd.DataFrame({"answer": ["=1+1"], "n": ["8"]}))
    sheet = load_workbook(io.BytesIO(downloads.table_xlsx(table))).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s"


def test_csv_is_the_table_as_shown(reports: Path) -> None:
    table = load_run("suppression_example", None, reports).table("completion")
    text = downloads.table_csv(table).decode("utf-8-sig")
    assert text.splitlines()[:2] == ["cohort_id,completed,withdrawn,Total", "C9,[c],[c],8"]


def test_svg_carries_title_and_description() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect/></svg>'
    described = downloads._describe_svg(svg, "A <b>chart</b>", "Change: +1.25 & more").decode()
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" role="img"><title>A   chart </title>' in described
        or "<title>A" in described
    )
    assert "<desc>Change: +1.25 &amp; more</desc>" in described


def test_download_link_is_a_data_uri() -> None:
    link = downloads.download_link(b"a,b\n", "x.csv", "Table as CSV", kind="csv")
    assert 'download="x.csv"' in link and 'href="data:text/csv;charset=utf-8;base64,YSxiCg=="' in link


# --- Map, charts, pages ---------------------------------------------------------------------------------------------


def test_tile_map_places_each_of_the_33_authorities_once() -> None:
    codes = sorted(london_authorities()["gss_code"])
    figure = maps.tile_map({c: "LOTI member" for c in list(codes)[:20]}, {}, title="t", highlight="E09000007")
    assert sum(len(t.x) for t in figure.data) == 33
    placed = {(x, y) for t in figure.data for x, y in zip(t.x, t.y, strict=True)}
    assert len(placed) == 33  # one tile each, none on top of another
    alt = maps.tile_map_alt_text({}, {"E09000001": "City of London"}, what="membership")
    assert alt.startswith("Tile map of London's 33 local authorities by membership. No data (33)")


def test_grouped_intervals_are_offset_along_the_category_axis() -> None:
    rows = pd.DataFrame(
        {
            "series": ["a", "b"],
            "label": ["C1", "C1"],
            "estimate": [1.0, 2.0],
            "conf_low": [0.5, 1.5],
            "conf_high": [1.5, 2.5],
            "n": [6, 6],
            "suppressed": [False, False],
        }
    )
    figure = pages.grouped_interval_chart(rows, series=["a", "b"], labels=["C1"], title="t", x_title="x")
    assert {t.orientation for t in figure.data} == {"h"}  # grouping must not shift the estimates themselves
    assert figure.layout.scattermode == "group"


def test_cohort_page_shows_estimates_suppression_and_provenance(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _cohort_run(reports, "C1")
    _cohort_run(reports, "C2")
    page = pages.cohort_page(reports)
    html = _outputs_html(page)
    assert "Cohort C1: data last run 26 November 2026, 12:06 UTC" in html
    assert "+1.25 (95% interval 0.63 to 1.87; 6 people)" in html
    assert re.search(r"Change in competence \(baseline to endpoint\)</th><td><abbr[^>]*>\[c\]</abbr> suppressed", html)
    assert "77f7678c1508" in html
    dropdown = next(c for c in page.children if isinstance(c, ipywidgets.Dropdown))
    dropdown.value = "cohort-C2"
    assert "Cohort C2: data last run" in _outputs_html(page)
    body = next(c for c in page.children if isinstance(c, ipywidgets.Output))
    assert any(PLOTLY_MIME in o["data"] for o in body.outputs)
    assert widgets.END_MARKER in _outputs_html(page)


def test_the_rest_of_a_first_view_is_held_until_the_page_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = tmp_path / "reports"
    _cohort_run(reports)
    figure = go.Figure(go.Scatter(x=[1], y=[2]))
    parts = [
        widgets.Html("<p>first</p>"),
        widgets.Chart(figure, "alt one"),
        widgets.Html("<p>between</p>"),
        widgets.Chart(figure, "alt two"),
    ]
    body = widgets.Body()
    body.show(parts, defer=True)
    assert [PLOTLY_MIME in o["data"] for o in body.output.outputs] == [False, True, False]
    assert body.later.outputs == ()
    monkeypatch.setattr(widgets.live, "DEFER_SECONDS", 0.0)
    body.later._handle_msg({"content": {"data": {"method": "request_state"}}})
    import time

    deadline = time.monotonic() + 5
    while not body.later.outputs and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "between" in body.later.outputs[0]["data"]["text/html"]
    body.show(parts)  # a reader's later choice: everything at once
    assert body.later.outputs and body.later._held is None


def test_a_page_shown_by_voila_carries_its_first_view_as_static_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbench template draws this preview before the kernel connects: the page's header, what its
    selector shows and its body up to the first chart, that chart drawn by plotly.js."""
    reports = tmp_path / "reports"
    _cohort_run(reports, "C1")
    _cohort_run(reports, "C2")
    page = pages.cohort_page(reports)
    assert widgets.PREVIEW_MIME not in page._repr_mimebundle_()  # only Voila's template shows it
    monkeypatch.setenv("VOILA_KERNEL_ID", "test")
    dropdown = next(c for c in page.children if isinstance(c, ipywidgets.Dropdown))
    dropdown.value = "cohort-C2"
    bundle = page._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the live page is still the widget
    preview = bundle[widgets.PREVIEW_MIME]
    assert preview.startswith('<div class="wb-preview') and preview.endswith("</div>")
    assert "Digital leadership programme: one cohort" in preview and "Cohort: <strong>Cohort C2</strong>" in preview
    assert "Cohort C2: data last run 26 November 2026, 12:06 UTC" in preview
    assert re.search(r'<div class="wb-preview-chart" id="wb-preview-chart-\d+"></div><script>Plotly.newPlot\(', preview)
    assert "Cohort C2: change from baseline to endpoint" in preview  # the figure's title, in its JSON
    assert preview.count("Plotly.newPlot(") == 1  # only the first chart: the rest waits for the widgets


def test_the_preview_keeps_markup_out_of_its_scripts() -> None:
    figure = go.Figure(go.Scatter(x=[1], y=[2], name="</script><script>alert(1)</script>"))
    output = {"output_type": "display_data", "metadata": {}, "data": widgets.plotly_bundle(figure)}
    preview = widgets.preview_markup("<h1>t</h1>", [output])
    assert "alert(1)" in preview and "</script><script>alert" not in preview


def test_only_charts_the_basic_plotly_bundle_draws_are_previewed() -> None:
    def outputs(figure: go.Figure) -> list[dict[str, object]]:
        return [{"output_type": "display_data", "metadata": {}, "data": widgets.plotly_bundle(figure)}]

    assert widgets.previewable(outputs(go.Figure([go.Scatter(x=[1], y=[1]), go.Bar(x=[1], y=[2])])))
    assert not widgets.previewable(outputs(go.Figure(go.Heatmap(z=[[1, 2]]))))
    assert not widgets.previewable([])


def test_a_page_without_a_chart_has_no_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_KERNEL_ID", "test")
    page = pages.cohort_page(tmp_path / "no-reports")
    assert widgets.PREVIEW_MIME not in page._repr_mimebundle_()


def test_page_widget_count_stays_small(tmp_path: Path) -> None:
    """Every widget is a model the browser fetches before drawing: the page keeps to a handful."""
    reports = tmp_path / "reports"
    _cohort_run(reports)
    before = set(_instances)
    pages.cohort_page(reports)
    assert len(set(_instances) - before) <= 32


def test_fit_margins_leaves_room_for_long_labels() -> None:
    figure = go.Figure(go.Scatter(x=[1], y=["a very long category label indeed"], orientation="h"))
    assert widgets.fit_margins(figure).layout.margin.l >= 7.5 * 33


def test_build_log_records_each_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "built.log"
    monkeypatch.setenv(pages.BUILD_LOG_ENV, str(log))
    pages.loti_portfolio(tmp_path / "empty")  # nothing published: no prepared body, so built
    assert re.search(r" loti_portfolio built in \d+\.\d\d s \(pid \d+; body built\)", log.read_text())
