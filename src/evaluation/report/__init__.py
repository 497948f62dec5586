"""Reports as readers get them: the HTML page and the A4 PDF of a run, and a board pack of several runs.

- :func:`render_html`: an executed notebook to its self-contained page (document.py decides what is shown,
  html.py how);
- :class:`PdfPrinter`: pages to A4 PDFs through Debian's chromium (pdf.py);
- :func:`build_board_pack`: published runs' PDFs joined behind a contents page (pack.py).
"""

from .document import AUDIENCES, INTERNAL, PUBLIC, ReportDocument, Withheld, read_document
from .html import MARKING, RenderedReport, RunStamp, render_html, report_html

__all__ = [
    "AUDIENCES",
    "INTERNAL",
    "MARKING",
    "PUBLIC",
    "RenderedReport",
    "ReportDocument",
    "RunStamp",
    "Withheld",
    "read_document",
    "render_html",
    "report_html",
]
