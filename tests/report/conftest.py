"""Fixtures for the report tests: one headless chromium for the session, and synthetic reports printed once."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from synthetic_reports import STAMP, Printed, notebook, write_notebook

from evaluation.report import render_html
from evaluation.report.pdf import PdfPrinter
from support import TESTS

# axe-core and screenshots as the dashboard tests drive them (one helper, not a copy).
sys.path.insert(0, str(TESTS / "dashboards"))

# Set to a reports folder made by `make run`: the demo screenshots use it instead of running the manifest.
REPORTS_ENV = "WORKBENCH_REPORT_TESTS_REPORTS"


@pytest.fixture(scope="session")
def printer(browser: Any) -> Iterator[PdfPrinter]:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make pdf-tools` installs poppler-utils")
    with PdfPrinter(browser=browser) as shared:
        yield shared


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _print(folder: Path, printer: PdfPrinter, audience: str | None) -> Printed:
    executed = write_notebook(folder, notebook(audience=audience))
    report = render_html(executed, folder / "report.html", STAMP)
    printer.print_report(folder / "report.html", folder / "report.pdf", report)
    return Printed(folder / "report.html", folder / "report.pdf", report)


@pytest.fixture(scope="session")
def public_report(printer: PdfPrinter, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    return _print(tmp_path_factory.mktemp("public"), printer, None)


@pytest.fixture(scope="session")
def internal_report(printer: PdfPrinter, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    return _print(tmp_path_factory.mktemp("internal"), printer, "internal")


@pytest.fixture(scope="session")
def demo_reports(request: pytest.FixtureRequest) -> Path:
    """The demo runs' reports: ``$WORKBENCH_REPORT_TESTS_REPORTS`` (after `make run`), else the session's demo run."""
    given = os.environ.get(REPORTS_ENV)
    if given:
        return Path(given).resolve()
    _, reports = request.getfixturevalue("demo_run")
    return reports
