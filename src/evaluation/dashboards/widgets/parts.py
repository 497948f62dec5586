"""The parts a page body is made of: :class:`Html` (markup), :class:`Chart` (a plotly figure with its text
alternative) and :class:`Table` (a published table with its CSV and XLSX downloads), and the few ways pages
make them (a heading, a message in place of what cannot be shown, a figure or table of a run).
"""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from ..data import Provenance, PublishedFigure, PublishedRun, PublishedTable, ResultsMissing
from ..downloads import slug, table_csv, table_xlsx

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger(__name__)


def esc(text: Any) -> str:
    return html.escape(str(text))


def plain_text(text: str) -> str:
    """Text without plotly's HTML tags."""
    return re.sub(r"<[^>]+>", " ", text).strip()


# --- Parts --------------------------------------------------------------------------------------------------------


@dataclass
class Html:
    """Markup shown as it is."""

    markup: str


@dataclass
class Chart:
    """A plotly figure, its text alternative (shown under the chart) and the stem of its file names."""

    figure: go.Figure
    alt_text: str
    file_stem: str = "chart"

    @property
    def title(self) -> str:
        return plain_text(str(self.figure.layout.title.text or "Chart"))


@dataclass
class Table:
    """A table with its CSV and XLSX links."""

    table: PublishedTable
    file_stem: str
    source: str = ""
    provenance: Provenance | None = None
    cell_markup: Callable[[str, str], str | None] | None = field(default=None, repr=False)

    @functools.cached_property
    def downloads(self) -> tuple[bytes, bytes]:
        """The table as CSV and as XLSX (made once: the live page links them, the published site writes them)."""
        return table_csv(self.table), table_xlsx(self.table, provenance=self.provenance, source=self.source)


Part: TypeAlias = Html | Chart | Table


class ChartImages(Protocol):
    """What the download panel needs of a chart to make its PNG and SVG (a :class:`Chart`, or a chart of a
    prepared body)."""

    alt_text: str
    file_stem: str

    @property
    def figure(self) -> go.Figure: ...

    @property
    def title(self) -> str: ...


def message(text: str, *, kind: str = "info", heading: str = "") -> Html:
    """A clear note (``kind`` info or warning) in place of content that cannot be shown."""
    role = "alert" if kind == "warning" else "status"
    title = f"<strong>{esc(heading)}</strong> " if heading else ""
    return Html(f'<div class="wb-message wb-{kind}" role="{role}">{title}{esc(text)}</div>')


def missing_message(error: ResultsMissing) -> Html:
    return message(error.message, kind="warning", heading="Not published yet.")


def heading(text: str, level: int = 2, *, note: str = "") -> Html:
    extra = f'<p class="wb-note">{esc(note)}</p>' if note else ""
    return Html(f"<h{level}>{esc(text)}</h{level}>{extra}")


def figure_block(figure: go.Figure | PublishedFigure, *, alt_text: str = "", file_stem: str = "chart") -> Chart:
    """A chart part from a figure (or a published figure, which brings its own text alternative)."""
    if isinstance(figure, PublishedFigure):
        alt_text = alt_text or figure.alt_text
        figure = figure.figure()
    return Chart(figure, alt_text, file_stem)


def table_block(
    table: PublishedTable,
    *,
    run: PublishedRun | None = None,
    file_stem: str = "",
    cell_markup: Callable[[str, str], str | None] | None = None,
) -> Table:
    """A table part; its downloads name the run it comes from."""
    stem = file_stem or slug(run.analysis if run else "", run.run_id if run else "", table.name)
    return Table(
        table, stem, f"{run.analysis}/{run.run_id}" if run else "", run.provenance if run else None, cell_markup
    )


def safe(build: Callable[[], Any], *, what: str) -> Any:
    """``build()``, or a clear message instead of a traceback if it fails."""
    try:
        return build()
    except ResultsMissing as missing:
        return missing_message(missing)
    except Exception as error:  # a broken published file must not take the page down
        log.exception("could not show %s", what)
        return message(
            f"The {what} could not be shown ({type(error).__name__}: {error}). The published file may "
            f"be damaged; rerun the analysis.",
            kind="warning",
        )
