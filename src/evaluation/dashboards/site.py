"""The published site: every dashboard in every state, as static pages a board can open together.

A dashboard page's content is a function of (dashboard, selector value, published results) and nothing else,
so :func:`publish_site` renders each state once, from the same page bodies the live Voila pages show
(:data:`evaluation.dashboards.pages.DASHBOARD_PAGES`), into ``reports/_site/``:

- ``index.html``: the landing page (the five dashboards by title, what each answers, when its data were last run);
- ``<dashboard>/<state>/index.html``: one page per state (each cohort, project, authority), with links to the
  other states in place of the drop-down, and every download (CSV, Excel, PNG, SVG) as a file beside it;
- ``assets/``: the stylesheet, the script that draws the charts and plotly.js itself (nothing from a CDN).
- ``_live/``: each state's body as the live page shows it, for readers' kernels to load (:mod:`.prepared`).

Links are relative, so the folder works from any static host and from a copy on a shared drive. A state is
re-rendered only when its fingerprint changes: the SHA-256 of the provenance of every run its dashboard reads
and of the code and templates that draw it (the same content hashing as the runner's skip decision). The new
site is assembled beside the old one (unchanged files hard-linked) and swapped in with two renames, so a
reader never sees a half-written site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..run.execute import FAILED_DIR
from ..run.provenance import PROVENANCE_JSON
from .data import list_runs, reports_root, time_text
from .downloads import described_image, image_options, size_text, slug, use_debian_chromium
from .pages import DASHBOARD_PAGES, Dashboard, safe_children
from .prepared import PREPARED_DIR, body_key, prepared_json, prepared_path
from .widgets import (
    CSS,
    PREVIEW_TRACE_TYPES,
    Chart,
    Part,
    Table,
    empty_table_markup,
    esc,
    fit_margins,
    script_json,
    table_markup,
)

if TYPE_CHECKING:
    import jinja2

log = logging.getLogger(__name__)

SITE_DIR = "_site"  # under the reports folder; "_" keeps it out of the analyses' listings
ASSETS_DIR = "assets"
STATE_JSON = "site.json"  # the fingerprint of every page state, for the next publish
SITE_FORMAT = 2  # bump when the layout of the site changes: every page is re-rendered
SHARE = Path(__file__).resolve().parent / "share"
TEMPLATES = SHARE / "site"
PLOTLY_JS = "plotly.min.js"
# plotly.js's basic bundle (scatter, bar, pie; a quarter of the full one, so it loads and starts sooner) for the
# pages whose charts need nothing else: the one the Voila template's preview uses.
PLOTLY_BASIC_JS = "plotly-basic.min.js"
IMAGE_FORMATS = ("png", "svg")
# kaleido tabs drawing images at once: measured 7 December on 2 cores (loaded), 24 charts as PNG and SVG:
# 0.62 s per image one at a time on kaleido's sync server, 0.54 with one tab, 0.43 with two, 0.36 with four.
IMAGE_TABS = 4


@dataclass(frozen=True)
class PageState:
    """One page of the site: a dashboard with one selector value (``None`` for a page without a selector)."""

    dashboard: Dashboard
    value: str | None
    label: str = ""

    @property
    def folder(self) -> str:
        """Path of the page's folder inside the site (``cohort/cohort-C1``, ``programme_overview``)."""
        return self.dashboard.name if self.value is None else f"{self.dashboard.name}/{state_slug(self.value)}"

    @property
    def path(self) -> str:
        return f"{self.folder}/index.html"


def state_slug(value: str) -> str:
    """A folder name for a selector value: safe on every static host and file system."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-.") or "page"


@dataclass
class SiteSummary:
    """What one publish did."""

    folder: Path
    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    images: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        return (
            f"Published site {self.folder}: {len(self.rendered)} page(s) rendered, {len(self.unchanged)} "
            f"unchanged, {len(self.removed)} removed, {self.images} image(s) made in {self.seconds:.1f} s."
        )


def site_folder(reports: str | Path | None = None) -> Path:
    return reports_root(reports) / SITE_DIR


def page_states(reports: str | Path | None = None) -> list[PageState]:
    """Every state of every dashboard that the published results allow, in the landing page's order."""
    states: list[PageState] = []
    for dashboard in DASHBOARD_PAGES.values():
        options = dashboard.options(reports) if dashboard.selector else []
        states += [PageState(dashboard, value, label) for label, value in options] or [PageState(dashboard, None)]
    return states


# --- Fingerprints -------------------------------------------------------------------------------------------------


@cache
def code_fingerprint() -> str:
    """SHA-256 of what draws a page: the dashboards package (its subpackages too), its templates, the shipped
    reference data, and the number rules, chart template and vocabularies it shares with the reports."""
    package = Path(__file__).resolve().parent
    evaluation = package.parent
    files = sorted(
        [
            *package.rglob("*.py"),
            *TEMPLATES.glob("*"),
            *(evaluation / "data").glob("*"),
            evaluation / "charts.py",
            evaluation / "presentation" / "numbers.py",
            evaluation / "schemas" / "programme.py",
            evaluation / "schemas" / "loti.py",
        ]
    )
    digest = hashlib.sha256(str(SITE_FORMAT).encode())
    for path in files:
        digest.update(str(path.relative_to(evaluation)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _provenance_files(reports: Path, analysis: str) -> Iterator[Path]:
    for folder in (reports / analysis, reports / FAILED_DIR / analysis):
        if folder.is_dir():
            yield from sorted(folder.glob(f"*/{PROVENANCE_JSON}"))


def runs_fingerprint(dashboard: Dashboard, reports: str | Path | None = None) -> str:
    """SHA-256 of the provenance of every run (published or failed) of every analysis ``dashboard`` reads."""
    root = reports_root(reports)
    digest = hashlib.sha256()
    for analysis in sorted(set(dashboard.reads)):
        for path in _provenance_files(root, analysis):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def state_fingerprint(state: PageState, runs: str, states: Sequence[PageState], images: bool) -> str:
    """The fingerprint of one page: its code, the runs it reads, its value, the states it links to, and whether
    its charts have image files."""
    siblings = [(s.value, s.label) for s in states if s.dashboard is state.dashboard]
    names = [(s.dashboard.name, s.dashboard.title) for s in states]
    return hashlib.sha256(
        json.dumps([code_fingerprint(), runs, state.value, siblings, names, images]).encode()
    ).hexdigest()


# --- Rendering ----------------------------------------------------------------------------------------------------


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
            dashboards=_dashboard_links(states),
            body=body_html(parts, files),
            state_link=_state_link,
            plotly_js=PLOTLY_BASIC_JS if traces <= PREVIEW_TRACE_TYPES else PLOTLY_JS,
            last_run=_last_run(state.dashboard, reports),
        )
    )
    files.live_body = prepared_json(parts, body_key(state.dashboard, state.value, reports))
    return page, files


def _state_link(state: PageState) -> str:
    return f"{state.folder}/index.html"


def _dashboard_links(states: Sequence[PageState]) -> list[tuple[Dashboard, str]]:
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
        for dashboard, path in _dashboard_links(states)
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


def _redirect(target: str, title: str) -> bytes:
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
    _write(assets / "workbench.css", css.encode("utf-8"))
    _write(assets / "site.js", (TEMPLATES / "site.js").read_bytes())
    _write(assets / PLOTLY_JS, (Path(plotly.__file__).parent / "package_data" / PLOTLY_JS).read_bytes())
    _write(
        assets / PLOTLY_BASIC_JS,
        (SHARE / "voila" / "templates" / "workbench" / "static" / PLOTLY_BASIC_JS).read_bytes(),
    )


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a hard-linked old copy is never changed in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class ImageMaker:
    """Makes the PNG and SVG of each chart while the pages are rendered: an event loop in a thread of its own
    drives one kaleido browser with :data:`IMAGE_TABS` tabs drawing at once (kaleido's browser draws in its own
    processes, so rendering pages and drawing images overlap); a figure drawn on several pages is made once. An
    image that fails is tried once more; then the publish stops at the next page (:meth:`check`)."""

    def __init__(self, tabs: int = IMAGE_TABS) -> None:
        import asyncio
        import threading

        self._tabs = tabs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="site-images", daemon=True)
        self._thread.start()
        self._browser: Any = None
        self._opening: Any = None  # the task opening the browser (the first image waits for it, the others too)
        self._made: dict[tuple[str, str], Any] = {}  # (figure key, format) -> the task making that image
        self._pending: list[Any] = []

    def submit(self, stem_path: Path, chart: Chart) -> None:
        import asyncio

        self._pending.append(asyncio.run_coroutine_threadsafe(self._make(stem_path, chart), self._loop))

    async def _make(self, stem_path: Path, chart: Chart) -> None:
        import asyncio

        key = hashlib.sha256((chart.figure.to_json() + chart.alt_text).encode()).hexdigest()
        for kind in IMAGE_FORMATS:
            if (key, kind) not in self._made:
                self._made[key, kind] = asyncio.ensure_future(self._image(chart, kind, stem_path))
        for kind in IMAGE_FORMATS:
            _write(stem_path.with_name(f"{stem_path.name}.{kind}"), await asyncio.shield(self._made[key, kind]))

    async def _image(self, chart: Chart, kind: str, where: Path) -> bytes:
        figure = chart.figure
        for attempt in (1, 2):
            try:
                data = await self._render(figure, image_options(figure, kind))  # type: ignore[arg-type]
                return described_image(data, figure, kind, chart.alt_text)  # type: ignore[arg-type]
            except Exception as error:  # kaleido raises its own and choreographer's errors
                log.warning("image of %s failed (attempt %d): %s", where, attempt, error)
                if attempt == 2:
                    raise SiteError(
                        f"could not make the {kind.upper()} of the chart '{chart.title}' for "
                        f"{where.parent.name}/{where.name}: {type(error).__name__}: {error}"
                    ) from error
        raise AssertionError("unreachable")

    async def _render(self, figure: Any, options: dict[str, object]) -> bytes:
        import asyncio

        if self._opening is None:
            self._opening = asyncio.ensure_future(self._open())
        await self._opening
        return bytes(await self._browser.calc_fig(figure, opts=options))

    async def _open(self) -> None:
        import kaleido

        use_debian_chromium()
        self._browser = kaleido.Kaleido(n=self._tabs)
        await self._browser.open()

    def check(self) -> None:
        """Raise the first failure among the images done so far (between pages: a failed publish stops early)."""
        for future in self._pending:
            if future.done() and future.exception() is not None:
                raise future.exception()  # type: ignore[misc]

    def finish(self) -> int:
        """Wait for every image (raising the first failure); the number of distinct images made."""
        try:
            for future in self._pending:
                future.result()
        finally:
            self.cancel()
        return len(self._made)

    def cancel(self) -> None:
        """Drop the images not made yet, wait for those being written (before their folder goes), and close the
        browser and the thread."""
        import asyncio

        if not self._thread.is_alive():
            return
        for future in self._pending:
            future.cancel()

        async def close() -> None:
            for task in self._made.values():
                task.cancel()
            if self._browser is not None:
                await self._browser.close()

        try:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=60)
        except Exception as error:  # noqa: BLE001 - a browser that will not close must not hide the publish's outcome
            log.warning("kaleido's browser did not close cleanly: %s", error)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)


class SiteError(RuntimeError):
    """The site could not be published; the previous site is left as it was."""


# --- Publishing ---------------------------------------------------------------------------------------------------


def _read_state(folder: Path) -> dict[str, str]:
    try:
        recorded = json.loads((folder / STATE_JSON).read_text(encoding="utf-8"))
        return dict(recorded.get("pages", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (copies where links are not possible)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def _remove_page(page: Path) -> None:
    """A page that is no longer published, with its downloads (and not the pages of states under it)."""
    folder = page.parent
    if not folder.is_dir():
        return
    if any(child.is_dir() for child in folder.iterdir()):  # a dashboard's folder that now holds its states
        for child in folder.iterdir():
            if child.is_file():
                child.unlink()
    else:
        shutil.rmtree(folder)


def _swap_in(staging: Path, folder: Path) -> None:
    retired = folder.with_name(f"{folder.name}.retired-{os.getpid()}")
    if folder.exists():
        os.replace(folder, retired)
    os.replace(staging, folder)
    shutil.rmtree(retired, ignore_errors=True)


def publish_site(
    reports: str | Path | None = None,
    *,
    images: bool = True,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SiteSummary:
    """Render every dashboard state whose fingerprint changed into ``reports/_site`` (see the module docstring).

    ``images``: make each chart's PNG and SVG (kaleido, ~0.2 s each); ``force``: render every page.
    Raises :class:`SiteError` (the previous site left as it was) if an image cannot be made.
    """
    started = time.perf_counter()
    root = reports_root(reports)
    folder = site_folder(root)
    summary = SiteSummary(folder)
    for leftover in root.glob(f"{SITE_DIR}.*-*"):  # an interrupted publish's staging or retired copy
        shutil.rmtree(leftover, ignore_errors=True)
    previous = {} if force else _read_state(folder)
    staging = folder.with_name(f"{SITE_DIR}.staging-{os.getpid()}")
    if folder.is_dir() and not force:
        _link_tree(folder, staging)
    else:
        staging.mkdir(parents=True)
    maker = ImageMaker() if images else None
    try:
        write_assets(staging)
        states = page_states(root)
        fingerprints = _render_changed(staging, states, root, previous, summary, maker, progress)
        live_bodies = {prepared_path(s.dashboard.name, s.value) for s in states}
        for path in sorted(set(previous) - set(fingerprints)):
            _remove_page(staging / path)
            summary.removed.append(path)
        for body in (staging / PREPARED_DIR).rglob("*.json"):
            if str(body.relative_to(staging)) not in live_bodies:
                body.unlink()
        _write(staging / "index.html", render_landing(states, root).encode("utf-8"))
        for dashboard, path in _dashboard_links(states):
            if path != f"{dashboard.name}/index.html":  # a dashboard with states: its folder leads to the first
                _write(staging / dashboard.name / "index.html", _redirect(path.split("/", 1)[1], dashboard.title))
        if maker is not None:
            summary.images = maker.finish()
        _write(staging / STATE_JSON, json.dumps({"format": SITE_FORMAT, "pages": fingerprints}, indent=1).encode())
        _swap_in(staging, folder)
    except BaseException:
        if maker is not None:
            maker.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.seconds = time.perf_counter() - started
    log.info(summary.describe())
    return summary


def _render_changed(
    staging: Path,
    states: Sequence[PageState],
    reports: Path,
    previous: dict[str, str],
    summary: SiteSummary,
    maker: ImageMaker | None,
    progress: Callable[[str], None] | None,
) -> dict[str, str]:
    """Render into ``staging`` every state whose fingerprint differs from ``previous``; every fingerprint."""
    runs = {name: runs_fingerprint(dashboard, reports) for name, dashboard in DASHBOARD_PAGES.items()}
    fingerprints: dict[str, str] = {}
    for state in states:
        fingerprint = state_fingerprint(state, runs[state.dashboard.name], states, maker is not None)
        fingerprints[state.path] = fingerprint
        if previous.get(state.path) == fingerprint and (staging / state.path).exists():
            summary.unchanged.append(state.path)
            continue
        if progress:
            progress(f"rendering {state.path}")
        page, files = render_page(state, states, reports, images=maker is not None)
        page_folder = staging / state.folder
        if page_folder.exists():  # the previous version's downloads go with it
            for old in page_folder.iterdir():
                if old.is_file():
                    old.unlink()
        for name, data in files.files.items():
            _write(page_folder / name, data)
        if maker is not None:
            maker.check()
            for stem, chart in files.images:
                maker.submit(page_folder / stem, chart)
        _write(page_folder / "index.html", page.encode("utf-8"))
        _write(staging / prepared_path(state.dashboard.name, state.value), files.live_body)
        summary.rendered.append(state.path)
    return fingerprints


def static_page_path(dashboard: str) -> str:
    """Where a dashboard starts on the site (relative to its root): its page, or the page of its first state."""
    return f"{dashboard}/index.html"
