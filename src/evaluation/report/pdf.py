"""Reports as A4 PDFs, printed by Debian's chromium through Playwright.

One browser serves many reports: a :class:`PdfPrinter` is opened once (in a ``workbench run``
worker: once per worker process, by :func:`worker_printer`, and reused by every run of that worker)
and prints each page after plotly has drawn its charts. Every page has a header (the report's
title; the OFFICIAL-SENSITIVE marking when internal) and a footer (the run, the marking, "Page N of
M"). chromium embeds the fonts it uses (subsets).
"""

from __future__ import annotations

import atexit
import contextlib
import html
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from ..config import CHROMIUM, HEADLESS_CHROMIUM_ARGS
from .html import RenderedReport

# A4, with the margins of report.css's @page rule; the viewport is the printed width (210 - 2 x 16 mm at
# 96 px per inch), so plotly draws each chart at the width it will have on paper.
MARGIN = {"top": "20mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
PRINT_WIDTH_PX = 673
CHART_TIMEOUT_MS = 60_000
_SMALL = "font-family: Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 8pt; color: #0b0c0c;"


class PdfError(RuntimeError):
    """A PDF could not be printed; the message says which page and why."""


def band(left: str, centre: str, right: str, *, align: str = "start") -> str:
    """A header or footer template: three cells across the page's margin box (chromium fills the spans).

    The centre (the marking) never wraps; ``align="end"`` puts it on the last line of a wrapped left cell,
    so that a footer's marking is the page's last line.
    """
    return (
        f'<div style="{_SMALL} width: 100%; margin: 0 16mm; display: grid; column-gap: 4mm; '
        f'grid-template-columns: minmax(0, 2fr) auto minmax(0, 1fr); align-items: {align};">'
        f'<span style="text-align: left;">{left}</span>'
        f'<span style="text-align: center; font-weight: bold; letter-spacing: 0.08em; white-space: nowrap;">'
        f'{centre}</span><span style="text-align: right; white-space: nowrap;">{right}</span></div>'
    )


def header_template(report: RenderedReport) -> str:
    return band(html.escape(report.title), report.marking, "")  # the right is left free for a board pack's number


def footer_template(report: RenderedReport) -> str:
    stamp = report.stamp
    commit = f", commit {stamp.git_commit[:7]}" if stamp.git_commit else ""
    return band(
        html.escape(f"{stamp.key}, {stamp.when}{commit}"),
        report.marking,
        'Page <span class="pageNumber"></span> of <span class="totalPages"></span>',
        align="end",
    )


class PdfPrinter:
    """One headless chromium that prints pages to PDF; use as a context manager, or :meth:`close` it."""

    def __init__(self, chromium: Path = CHROMIUM, *, browser: Any = None) -> None:
        """Start chromium, or print in ``browser`` (a Playwright browser the caller launched and closes)."""
        self._playwright: Any = None
        self._browser = browser
        if browser is None:
            if not chromium.exists():
                raise PdfError(f"{chromium} is missing: `make chromium` installs it (PDFs are printed by chromium)")
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(chromium), args=list(HEADLESS_CHROMIUM_ARGS)
                )
            except Exception:
                self._playwright.stop()
                raise
        self._context: Any = None
        self._page: Any = None

    def _tab(self) -> Any:
        """The one tab pages are printed in (a new page load resets its state; a failure opens a new tab)."""
        if self._page is None:
            self._context = self._browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
            self._page = self._context.new_page()
            self._page.emulate_media(media="print")  # charts are sized by the print stylesheet
        return self._page

    def _discard_tab(self) -> None:
        if self._context is not None:
            self._context.close()
        self._context = self._page = None

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._discard_tab()
        if self._playwright is not None:  # a browser of our own
            try:
                self._browser.close()
            finally:
                self._playwright.stop()

    def print_page(
        self, page_html: Path, target: Path, *, header: str = "", footer: str = "", background: bool = True
    ) -> None:
        """Print the HTML file ``page_html`` to ``target`` (A4), once its charts are drawn.

        ``background=False`` leaves the pages transparent (nothing painted behind the text): a page that
        is laid over another, as a board pack's page numbers are.
        """
        try:
            page = self._tab()
            page.goto(page_html.resolve().as_uri(), wait_until="load")
            if page.evaluate("document.querySelectorAll('.report-chart').length"):
                try:
                    page.wait_for_function(
                        "window.reportChartsDrawn === true || window.reportChartsError", timeout=CHART_TIMEOUT_MS
                    )
                except Exception as error:
                    raise PdfError(
                        f"{page_html.name}: the charts were not drawn within {CHART_TIMEOUT_MS // 1000} s"
                    ) from error
                problem = page.evaluate("window.reportChartsError || ''")
                if problem:
                    raise PdfError(f"{page_html.name}: plotly could not draw a chart: {problem}")
            page.pdf(
                path=str(target),
                format="A4",
                margin=MARGIN,
                print_background=background,
                display_header_footer=bool(header or footer),
                header_template=header or "<span></span>",
                footer_template=footer or "<span></span>",
                outline=True,
                tagged=True,
            )
        except Exception:
            self._discard_tab()
            raise

    def print_report(self, page_html: Path, target: Path, report: RenderedReport) -> None:
        """A report's page to its PDF, with the report's header and footer on every page."""
        self.print_page(page_html, target, header=header_template(report), footer=footer_template(report))


# Playwright's synchronous API belongs to the thread that started it: one printer per worker thread (a
# process-pool worker has one; a Dask worker runs tasks on several).
_printers = threading.local()


def worker_printer() -> PdfPrinter:
    """This worker thread's printer, started on first use and reused by every later run; it ends with the process."""
    printer = getattr(_printers, "printer", None)
    if printer is None:
        printer = _printers.printer = PdfPrinter()
        atexit.register(_close_quietly, printer)
    return printer


def _close_quietly(printer: PdfPrinter) -> None:
    """Close at exit; from another thread this fails, and chromium then ends with its driver (stdin closed)."""
    with contextlib.suppress(Exception):
        printer.close()
