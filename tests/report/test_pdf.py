"""Reports as A4 PDFs and as pages in a browser: text, page numbers, marking, fonts, charts drawn, accessibility."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dashboard_browser import ARTIFACTS, accessibility_problems
from pdf_tools import fonts, ink_fraction, page_count, page_image, pdf_text, pixels_near
from synthetic_reports import CHART_COLOUR, SUMMARY_NUMBERS, Printed

from evaluation.report import MARKING
from evaluation.report.pdf import PdfError, PdfPrinter

pytestmark = pytest.mark.browser


def test_the_pdf_opens_with_the_summary_and_numbers_every_page(public_report: Printed):
    pages = page_count(public_report.pdf)
    assert pages >= 2
    first = pdf_text(public_report.pdf, 1)
    for number in SUMMARY_NUMBERS:
        assert number in first, f"the summary's {number} is not on page 1"
    assert first.index("Synthetic cohort evaluation") < first.index("Did confidence rise?") < first.index("Contents")
    for number in range(1, pages + 1):
        text = pdf_text(public_report.pdf, number)
        assert f"Page {number} of {pages}" in text
        assert "cohort_evaluation/cohort-T1" in text, "the run's provenance in every page's footer"
    assert MARKING not in pdf_text(public_report.pdf)


def test_an_internal_report_is_marked_at_the_top_and_bottom_of_every_page(internal_report: Printed):
    for number in range(1, page_count(internal_report.pdf) + 1):
        lines = [line for line in pdf_text(internal_report.pdf, number).splitlines() if line.strip()]
        assert MARKING in lines[0] and MARKING in lines[-1], f"page {number}: {lines[0]!r} ... {lines[-1]!r}"


def test_every_font_is_embedded(public_report: Printed):
    used = fonts(public_report.pdf)
    assert used and all(embedded for _, embedded in used), used


def test_the_chart_is_drawn_and_no_page_is_blank(public_report: Printed, tmp_path: Path):
    pages = page_count(public_report.pdf)
    images = [page_image(public_report.pdf, n, tmp_path / f"page-{n}.png") for n in range(1, pages + 1)]
    assert all(ink_fraction(image) > 0.005 for image in images)
    chart_page = next(n for n in range(1, pages + 1) if "Change in confidence" in pdf_text(public_report.pdf, n))
    assert pixels_near(images[chart_page - 1], CHART_COLOUR) > 500, "the bars are not on the page"


def test_a_chart_that_cannot_be_drawn_fails_the_pdf_with_the_reason(printer: PdfPrinter, tmp_path: Path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<html><body><div class="report-chart"></div><script>window.reportChartsError = '
        '"Error: no plotly.js"</script></body></html>'
    )
    with pytest.raises(PdfError, match="plotly could not draw a chart: Error: no plotly.js"):
        printer.print_page(page, tmp_path / "broken.pdf")


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_the_report_page_has_no_serious_accessibility_problem(audience: str, page: Any, request):
    printed: Printed = request.getfixturevalue(f"{audience}_report")
    page.goto(printed.html.as_uri())
    page.wait_for_function("window.reportChartsDrawn === true")
    assert not accessibility_problems(page)


def _screenshots(page: Any, printed_html: Path, pdf: Path, name: str) -> list[Path]:
    """The page in a browser (whole page) and the PDF's first page, under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(printed_html.as_uri())
    if page.locator(".report-chart").count():
        page.wait_for_function("window.reportChartsDrawn === true")
    html_png, pdf_png = ARTIFACTS / f"report_{name}_html.png", ARTIFACTS / f"report_{name}_pdf_page1.png"
    page.screenshot(path=str(html_png), full_page=True)
    page_image(pdf, 1, pdf_png, dpi=80)
    return [html_png, pdf_png]


def test_screenshots_of_the_synthetic_report(page: Any, internal_report: Printed):
    for image in _screenshots(page, internal_report.html, internal_report.pdf, "synthetic_internal"):
        assert ink_fraction(image) > 0.005


# One report of each kind the acceptance asks for: cohort, programme, project and portfolio.
DEMO_KINDS = {
    "cohort": "cohort_evaluation/cohort-C1",
    "programme": "programme_evaluation/all",
    "project": "project_evaluation/project-P03",
    "portfolio": "portfolio_evaluation/all",
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(DEMO_KINDS))
def test_demo_reports_have_a_pdf_and_screenshots(kind: str, page: Any, demo_reports: Path, tmp_path: Path):
    folder = demo_reports / DEMO_KINDS[kind]
    pdf = folder / "report.pdf"
    assert pdf.exists(), f"{folder} has no report.pdf"
    pages = page_count(pdf)
    assert f"Page 1 of {pages}" in pdf_text(pdf, 1)
    # The page in a browser reads its copy beside the PDF: the screenshot is of what was published.
    copy = tmp_path / "report.html"
    shutil.copy(folder / "report.html", copy)
    images = _screenshots(page, copy, pdf, kind)
    assert all(ink_fraction(image) > 0.005 for image in images)
    assert not accessibility_problems(page)


@pytest.mark.parametrize("kind", list(DEMO_KINDS))
def test_the_summary_numbers_of_each_demo_pdf_are_the_published_results(kind: str, demo_reports: Path):
    """Every decimal number of a demo report's summary is printed in its PDF and is a result of ``results.csv``
    (an estimate or an interval end, as a number or a percentage) to the decimals shown."""
    folder = demo_reports / DEMO_KINDS[kind]
    notebook = json.loads((folder / "notebook.ipynb").read_text())
    summary = "".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in notebook["cells"]
        if "summary" in cell.get("metadata", {}).get("tags", [])
        for output in cell["outputs"]
    )
    shown = re.findall(r"(?<![\w.])[-+]?\d[\d,]*\.\d+", summary)
    assert shown, f"{kind}: no number in the summary"
    printed = " ".join(pdf_text(folder / "report.pdf").split())
    assert [number for number in shown if number not in printed] == []
    results = pd.read_csv(folder / "results.csv")
    published = pd.concat([results[c] for c in ("estimate", "conf_low", "conf_high")]).dropna().abs().to_numpy()

    def is_published(number: str) -> bool:
        value, decimals = abs(float(number.replace(",", ""))), len(number.split(".")[1])
        tolerance = 0.5 * 10**-decimals + 1e-9
        return bool(((abs(published - value) <= tolerance) | (abs(100 * published - value) <= tolerance)).any())

    assert [number for number in shown if not is_published(number)] == []
