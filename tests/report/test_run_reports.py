"""`workbench run` writes report.html and report.pdf in the run's staging folder, says what it kept out of a report,
and fails a run whose PDF cannot be printed; `--no-pdf` writes the HTML only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_tools import page_count, pdf_text

from evaluation.report import MARKING
from evaluation.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _workbench(store: Store, reports: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "workbench"),
            "run",
            "--manifest",
            str(FIXTURES / "manifest.yml"),
            "--store",
            str(store.path),
            "--reports",
            str(reports),
            "--no-publish",
            "--jobs",
            "1",
            *args,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )  # rich wraps at 80 columns otherwise


def test_run_prints_the_pdf_beside_the_html_and_says_what_it_kept_out(base_store: Store, tmp_path: Path):
    reports = tmp_path / "reports"
    done = _workbench(base_store, reports, "--select", "report_test", "--select", "internal_report_test")
    assert done.returncode == 0, done.stdout + done.stderr
    public, internal = reports / "report_test" / "all", reports / "internal_report_test" / "all"
    for folder in (public, internal):
        assert (folder / "report.html").exists() and (folder / "report.pdf").exists()
        first = pdf_text(folder / "report.pdf", 1)
        assert "Report test: participants" in first and f"Page 1 of {page_count(folder / 'report.pdf')}" in first
        html = (folder / "report.html").read_text()
        assert "a warning a reader must not see" not in html
        record = json.loads((folder / "provenance.json").read_text())["report"]
        assert record["pdf"] is True and record["pdf_seconds"] > 0
        assert [(w["kind"], w["excerpt"]) for w in record["withheld"]] == [
            ("stderr", "a warning a reader must not see")
        ]
    assert MARKING in pdf_text(internal / "report.pdf") and MARKING not in pdf_text(public / "report.pdf")
    assert "report_test/all: 1 output(s) kept out of the report" in done.stderr
    assert "stderr in cell" in done.stderr and "a warning a reader must not see" in done.stderr


def test_no_pdf_writes_the_html_only(base_store: Store, tmp_path: Path):
    reports = tmp_path / "reports"
    done = _workbench(base_store, reports, "--select", "report_test", "--no-pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    folder = reports / "report_test" / "all"
    assert (folder / "report.html").exists() and not (folder / "report.pdf").exists()
    assert json.loads((folder / "provenance.json").read_text())["report"]["pdf"] is False


def test_a_report_that_cannot_be_printed_fails_its_run_visibly(base_store: Store, tmp_path: Path):
    reports = tmp_path / "reports"
    done = _workbench(base_store, reports, "--select", "undrawable")
    assert done.returncode == 1
    assert "FAILED undrawable/all" in done.stdout and "plotly could not draw a chart" in done.stdout
    assert not (reports / "undrawable" / "all").exists(), "nothing is published"
    failed = reports / "_failed" / "undrawable" / "all"
    assert (failed / "report.html").exists()
    error = json.loads((failed / "provenance.json").read_text())["error"]
    assert error["exception"] == "PdfError" and "plotly could not draw a chart" in error["message"]
