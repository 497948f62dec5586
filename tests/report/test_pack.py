"""The board pack: a contents page with each report's first page, the reports in order, numbered across the pack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pdf_tools import page_count, pdf_text
from synthetic_reports import Printed, publish_synthetic_run
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.report import MARKING
from evaluation.report.pack import PackError, build_board_pack
from evaluation.report.pdf import PdfPrinter

pytestmark = pytest.mark.browser

RUNS = {
    "programme_evaluation/all": "Programme overview",
    "portfolio_evaluation/all": "LOTI portfolio",
    "project_evaluation/project-P01": "Project P01",
    "project_evaluation/project-P02": "Project P02",
}


@pytest.fixture
def reports(tmp_path: Path, public_report: Printed) -> Path:
    folder = tmp_path / "reports"
    for key, title in RUNS.items():
        publish_synthetic_run(folder, key, public_report, title)
    return folder


def test_the_pack_has_a_contents_page_then_each_report_on_the_page_it_lists(
    reports: Path, printer: PdfPrinter, public_report: Printed, tmp_path: Path
):
    pack = build_board_pack(
        reports,
        ["programme_evaluation/all", "portfolio_evaluation/all", "project_evaluation/*"],
        tmp_path / "pack.pdf",
        printer=printer,
    )
    each = page_count(public_report.pdf)
    assert pack.contents_pages == 1 and pack.pages == 1 + 4 * each == page_count(pack.path)
    assert [(e.stamp.key, first) for e, first in pack.entries] == [(key, 2 + i * each) for i, key in enumerate(RUNS)]
    contents = pdf_text(pack.path, 1)
    for (_, first), title in zip(pack.entries, RUNS.values(), strict=True):
        line = next(line for line in contents.splitlines() if line.strip().startswith(title))
        assert line.split()[-1] == str(first), line
        report_page = pdf_text(pack.path, first)
        assert "Synthetic cohort evaluation" in report_page and f"Page 1 of {each}" in report_page
    for number in range(1, pack.pages + 1):
        assert f"Board pack page {number} of {pack.pages}" in pdf_text(pack.path, number)
    assert MARKING not in pdf_text(pack.path)


def test_a_pack_with_an_internal_report_is_marked_throughout(
    reports: Path, printer: PdfPrinter, internal_report: Printed, tmp_path: Path
):
    publish_synthetic_run(reports, "programme_evaluation/all-internal", internal_report, "Programme (internal)")
    pack = build_board_pack(
        reports,
        ["portfolio_evaluation/all", "programme_evaluation/all-internal"],
        tmp_path / "pack.pdf",
        printer=printer,
    )
    assert pack.marking == MARKING
    assert all(MARKING in pdf_text(pack.path, n) for n in range(1, pack.pages + 1))


@pytest.mark.parametrize(
    ("runs", "message"),
    [
        (
            ["programme_evaluation/all", "project_evaluation/project-P99"],
            "run project_evaluation/project-P99 is not published in .*published runs of project_evaluation: "
            "project_evaluation/project-P01, project_evaluation/project-P02",
        ),
        (
            ["cohort_evaluation/cohort-C1"],
            "run cohort_evaluation/cohort-C1 is not published .*no run of cohort_evaluation is published there",
        ),
        (["portfolio"], "name a run as analysis/run-id"),
    ],
)
def test_a_missing_run_is_named_and_nothing_is_written(reports: Path, tmp_path: Path, runs, message):
    with pytest.raises(PackError, match=message):
        build_board_pack(reports, runs, tmp_path / "pack.pdf")
    assert not (tmp_path / "pack.pdf").exists()


def test_a_run_without_its_pdf_is_named_with_the_command_that_prints_it(reports: Path, tmp_path: Path):
    (reports / "portfolio_evaluation" / "all" / "report.pdf").unlink()
    result = CliRunner().invoke(app, ["board-pack", "--reports", str(reports), "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2
    assert "run portfolio_evaluation/all has no report.pdf" in result.output
    assert "workbench run --select portfolio_evaluation/all --force" in result.output
    assert not (tmp_path / "p.pdf").exists()


def test_the_command_makes_the_default_pack(reports: Path, tmp_path: Path):
    # A process of its own: this one already drives a browser through Playwright's synchronous API.
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "workbench"),
            "board-pack",
            "--reports",
            str(reports),
            "--out",
            str(tmp_path / "p.pdf"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "4 reports" in result.stdout and "programme_evaluation/all: Programme overview" in result.stdout
    assert page_count(tmp_path / "p.pdf") > 4
