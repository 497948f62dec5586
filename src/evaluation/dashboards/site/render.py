"""A page state as static HTML (markup as it is, tables with their download files, charts drawn by plotly.js
from a JSON spec in the page), the landing page, and the assets every page links to (nothing from a CDN).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...chart_json import BASIC_BUNDLE_TRACE_TYPES, script_json
from ..data import list_runs, time_text
from ..downloads import size_text, slug
from ..fingerprints import SHARE, TEMPLATES
from ..pages import Dashboard, safe_children
from ..prepared import body_key, prepared_json
from ..widgets import (
    CSS,
    Chart,
    Part,
    Table,
    empty_table_markup,
    esc,
    fit_margins,
    table_markup,
)
from .layout import ASSETS_DIR, IMAGE_FORMATS, PageState, write_file

if TYPE_CHECKING:
    import jinja2

PLOTLY_JS = "plotly.min.js"
# plotly.js's basic bundle (scatter, bar, pie; a quarter of the full one, so it loads and starts sooner) for the
# pages whose charts need nothing else: the one the Voila template's preview uses.
PLOTLY_BASIC_JS = "plotly-basic.min.js"


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass
class PageFiles:
    """The files a page links to (downloads), with unique names inside its folder, and its charts' images."""

    with_images: bool = True  # link each chart's PNG and SVG (made by ImageMaker)
    files: dict[str, bytes] = field(default_factory=dict)
    images: list[tuple[str, Chart]] = field(default_factory=list)  # (file stem, chart)
    live_body: bytes = b""  # the body as the live page shows it (prepared.py), written to the site's _live folder

    def name(self, stem: str, extension: str) -> str:
        base, number = slug(stem), 1
        candidate = f"{base}.{extension}"
        while candidate in self.files or any(f"{s}.{extension}" == candidate for s, _ in self.images):
            number += 1
            candidate = f"{base}-{number}.{extension}"
        return candidate

    def link(self, filename: str, label: str, kind: str, size: str) -> str:
        return (
            f'<a class="wb-download" href="{html.escape(filename)}" download data-kind="{kind}">'
            f'{html.escape(label)} <span class="wb-size">({kind.upper()}, {size})</span></a>'
        )


def _table_html(part: Table, files: PageFiles) -> str:
    empty = empty_table_markup(part.table)
    if empty is not None:
        return empty
    csv, xlsx = part.downloads
    csv_name = files.name(part.file_stem, "csv")
    files.files[csv_name] = csv
    xlsx_name = files.name(part.file_stem, "xlsx")
    files.files[xlsx_name] = xlsx
    return (
        table_markup(part.table, cell_markup=part.cell_markup)
        + f'<p class="wb-downloads">{files.link(csv_name, "Table as CSV", "csv", size_text(csv))}'
        f"{files.link(xlsx_name, 'Table as Excel', 'xlsx', size_text(xlsx))}</p>"
    )


def _chart_html(part: Chart, number: int, files: PageFiles) -> str:
    spec = json.loads(fit_margins(part.figure).to_json())
    chart_id, links = f"wb-chart-{number}", ""
    if files.with_images:
        stem = files.name(part.file_stem, "png").removesuffix(".png")
        files.images.append((stem, part))
        links = "".join(
            f'<a class="wb-download" href="{stem}.{kind}" download data-kind="{kind}">Chart as {kind.upper()}</a>'
            for kind in IMAGE_FORMATS
        )
    downloads = f'<p class="wb-downloads">{links}</p>' if links else ""
    return (
        f'<figure class="wb-figure"><figcaption class="wb-sr-only">{esc(part.title)}</figcaption>'
        f'<div class="wb-chart" id="{chart_id}" data-spec="{chart_id}-spec"></div>'
        f'<script type="application/json" id="{chart_id}-spec">'
        f"{script_json({'data': spec.get('data', []), 'layout': spec.get('layout', {})})}</script>"
        f'<p class="wb-alt"><strong>Text alternative:</strong> {esc(part.alt_text)}</p>'
        f"{downloads}</figure>"
    )


def body_html(parts: Sequence[Part], files: PageFiles) -> str:
    """A page body as static HTML: markup as it is, tables with download files, charts drawn by plotly.js."""
    out, charts = [], 0
    for part in parts:
        if isinstance(part, Chart):
            charts += 1
            out.append(_chart_html(part, charts, files))
        elif isinstance(part, Table):
            out.append(_table_html(part, files))
        else:
            out.append(part.markup)
    return "".join(out)


def _last_run(dashboard: Dashboard, reports: str | Path | None) -> str:
    """When the newest run a dashboard reads finished, in words ("not yet run" if none)."""
    latest = max(
        (run.provenance for analysis in dashboard.reads for run in list_runs(analysis, reports)),
        key=lambda p: p.finished_at,
        default=None,
    )
    return latest.finished_text if latest is not None else "not yet run"


def render_page(
    state: PageState, states: Sequence[PageState], reports: str | Path | None, *, images: bool = True
) -> tuple[str, PageFiles]:
    """The HTML of one page state and the files it links to (``images``: link each chart's PNG and SVG)."""
    files = PageFiles(with_images=images)
    parts: list[Part] = safe_children(lambda: state.dashboard.body(state.value, reports))
    traces = {trace.type or "scatter" for part in parts if isinstance(part, Chart) for trace in part.figure.data}
    siblings = [s for s in states if s.dashboard is state.dashboard and s.value is not None]
    depth = state.folder.count("/") + 1
    page = (
        _environment()
        .get_template("page.html.j2")
        .render(
            root="../" * depth,
            dashboard=state.dashboard,
            state=state,
            siblings=siblings,
            dashboards=dashboard_links(states),
            body=body_html(parts, files),
            state_link=_state_link,
            plotly_js=PLOTLY_BASIC_JS if traces <= BASIC_BUNDLE_TRACE_TYPES else PLOTLY_JS,
            last_run=_last_run(state.dashboard, reports),
        )
    )
    files.live_body = prepared_json(parts, body_key(state.dashboard, state.value, reports))
    return page, files


def _state_link(state: PageState) -> str:
    return f"{state.folder}/index.html"


def dashboard_links(states: Sequence[PageState]) -> list[tuple[Dashboard, str]]:
    """Each dashboard and the path of its first page."""
    first: dict[str, PageState] = {}
    for state in states:
        first.setdefault(state.dashboard.name, state)
    return [(s.dashboard, s.path) for s in first.values()]


def render_landing(states: Sequence[PageState], reports: str | Path | None) -> str:
    counts: dict[str, int] = {}
    for state in states:
        counts[state.dashboard.name] = counts.get(state.dashboard.name, 0) + (state.value is not None)
    entries = [
        (dashboard, path, _last_run(dashboard, reports), _choices(dashboard, counts.get(dashboard.name, 0)))
        for dashboard, path in dashboard_links(states)
    ]
    return (
        _environment()
        .get_template("index.html.j2")
        .render(root="", entries=entries, dashboards=entries, published=time_text(dt.datetime.now(dt.UTC)))
    )


def _choices(dashboard: Dashboard, count: int) -> str:
    """``3 cohorts``, ``33 authorities`` ("" for a dashboard without a selector)."""
    if not count:
        return ""
    noun = dashboard.selector.lower()
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {noun if count == 1 else plural}"


def redirect_page(target: str, title: str) -> bytes:
    """A page that sends the reader on to ``target`` (relative), for hosts without server-side redirects."""
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta http-equiv="refresh" '
        f'content="0; url={html.escape(target)}"><title>{html.escape(title)}</title></head><body><main><p>'
        f'<a href="{html.escape(target)}">{html.escape(title)}</a></p></main></body></html>'
    ).encode()


def write_assets(folder: Path) -> None:
    """The stylesheet, the chart script and plotly.js, into ``folder/assets``."""
    import plotly

    assets = folder / ASSETS_DIR
    assets.mkdir(parents=True, exist_ok=True)
    css = CSS.replace("<style>", "").replace("</style>", "").strip() + "\n" + (TEMPLATES / "site.css").read_text()
    write_file(assets / "workbench.css", css.encode("utf-8"))
    write_file(assets / "site.js", (TEMPLATES / "site.js").read_bytes())
    write_file(assets / PLOTLY_JS, (Path(plotly.__file__).parent / "package_data" / PLOTLY_JS).read_bytes())
    write_file(
        assets / PLOTLY_BASIC_JS,
        (SHARE / "voila" / "templates" / "workbench" / "static" / PLOTLY_BASIC_JS).read_bytes(),
    )
