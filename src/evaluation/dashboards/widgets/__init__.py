"""The pieces every page is made of, kept to a handful of widget models.

Every ipywidgets model is fetched from the kernel before Voila draws the page,
so a page is: a header (``HTML``), perhaps a drop-down, one ``Output`` widget
holding the whole body as a list of outputs (HTML and plotly figures), and a
download panel. The body is a list of *parts*:

- :class:`Html`: markup (headings, provenance, messages, headline numbers);
- :class:`Chart`: a plotly figure with its text alternative, shown under it;
- :class:`Table`: a published table (caption, column headers, suppressed cells
  written ``[c] suppressed``) with CSV and XLSX links (small, so made with it).

Charts are turned into PNG and SVG only when a reader asks, in the download
panel (kaleido takes ~0.3 s per image once its browser is up).

The modules: :mod:`.parts` (the parts and how pages make them), :mod:`.markup` (parts as HTML: provenance,
headline figures, accessible tables, the stylesheet), :mod:`.outputs` (parts as notebook outputs, and a
page's static first view) and :mod:`.live` (the ipywidgets of a live page).
"""

from __future__ import annotations

from .live import Body, html_widget, load_ipywidgets, page_header, page_root, running_in_voila
from .markup import (
    CSS,
    WIDE_TABLE_COLUMNS,
    empty_table_markup,
    headlines_html,
    part_markup,
    pretty_column,
    provenance_html,
    provenance_markup,
    results_table,
    table_markup,
)
from .outputs import (
    END_MARKER,
    PREVIEW_MIME,
    fit_margins,
    plotly_bundle,
    preview_markup,
    previewable,
    split_after_first_chart,
    to_outputs,
)
from .parts import (
    Chart,
    ChartImages,
    Html,
    Part,
    Table,
    esc,
    figure_block,
    heading,
    message,
    missing_message,
    safe,
    table_block,
)

__all__ = [
    "CSS",
    "END_MARKER",
    "PREVIEW_MIME",
    "WIDE_TABLE_COLUMNS",
    "Body",
    "Chart",
    "ChartImages",
    "Html",
    "Part",
    "Table",
    "empty_table_markup",
    "esc",
    "figure_block",
    "fit_margins",
    "heading",
    "headlines_html",
    "html_widget",
    "load_ipywidgets",
    "message",
    "missing_message",
    "page_header",
    "page_root",
    "part_markup",
    "plotly_bundle",
    "pretty_column",
    "preview_markup",
    "previewable",
    "provenance_html",
    "provenance_markup",
    "results_table",
    "running_in_voila",
    "safe",
    "split_after_first_chart",
    "table_block",
    "table_markup",
    "to_outputs",
]
