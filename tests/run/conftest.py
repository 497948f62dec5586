"""The runner's tests check planning, skipping, failures and provenance, not reports: they print no PDF
(tests/report/test_run_reports.py checks the PDF step of a run)."""

from __future__ import annotations

import pytest

from evaluation.run.execute import REPORT_PDF_ENV


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REPORT_PDF_ENV, "0")
