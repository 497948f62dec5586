"""The workbench's Voila application (``workbench serve``): the published site at ``/``, live pages beside it.

Voila runs each dashboard notebook in a kernel of its own per reader. :class:`WorkbenchVoila` is Voila with
what a service for a board needs:

- the published site (``reports/_site``, :mod:`evaluation.dashboards.site`) at ``/`` in place of Voila's file
  list; its landing page also links to the live pages;
- admission control: at most ``max_live_pages`` kernels serve readers at once; a reader beyond that gets at
  once a page that says so and links to the same dashboard on the published site (never an error or a spinner);
- new results without a restart: when ``workbench run`` publishes, the preheated kernels that built their page
  from the old results are replaced (checked every :data:`RESULTS_CHECK_SECONDS`);
- a reader cannot change the template or theme (``?template=``, ``?theme=`` are ignored; Voila would otherwise
  honour them, and an unknown template left the request hanging with a kernel running);
- SIGTERM (a supervisor, ``docker stop``) stops the server and shuts every kernel down (Voila's own handler;
  ``workbench serve`` runs this process in its own place, so the signal reaches it).

Started as ``python -m evaluation.dashboards.app`` with Voila's options
(:func:`evaluation.dashboards.serve.voila_command`).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web
from jupyter_core.utils import ensure_async
from traitlets import Int, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .. import config
from .site import SITE_DIR, STATE_JSON, static_page_path

RESULTS_CHECK_SECONDS = 2.0
LIVE_MARKER = "<!--workbench:live-->"
CAPACITY_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>The live dashboard is busy – London evaluation workbench</title>
<link rel="stylesheet" href="{base}assets/workbench.css"></head>
<body class="wb-site"><main id="main" class="wb-page">
<h1>The live dashboard is busy</h1>
<p class="wb-lead">As many people are using the live dashboards as this server can serve at once.</p>
<p>The published version shows the same figures and numbers{selector}:
<a href="{static}">open the published {title}</a>.</p>
<p>Or try the live dashboard again in a minute: <a href="{again}">reload it</a>.</p>
</main></body></html>"""
NOT_PUBLISHED = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Nothing published yet – London evaluation workbench</title>
</head><body><main><h1>Nothing published yet</h1><p>The evaluation runs have not published any results on this
server. An evaluator runs <code>workbench run</code>, which publishes them here.</p></main></body></html>"""


def _dashboard_name(path: str) -> str:
    return Path(path.split("?", 1)[0]).stem


@dataclass(eq=False)
class Reader:
    """A page request admitted to a live page; ``kernel_id`` once the request has been given its kernel."""

    kernel_id: str | None = None


class ReaderKernels:
    """The kernel manager as one admitted request sees it: everything delegated, and the kernel the request is
    given (from a pool, or started for it) noted on its :class:`Reader`, so the admission count can count the
    reader by its kernel from then on, and by the request before."""

    def __init__(self, manager: Any, reader: Reader) -> None:
        self._manager, self._reader = manager, reader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        render_task, rendered, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._reader.kernel_id = kernel_id
        return render_task, rendered, kernel_id

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self._reader.kernel_id = kernel_id
        return str(kernel_id)


class AdmittingVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, turning a reader away politely (with a link to the site) when the server is full."""

    _reader_kernels: ReaderKernels | None = None

    @property
    def kernel_manager(self) -> Any:
        return self._reader_kernels or self.settings["kernel_manager"]

    async def get(self, path: str | None = None) -> Any:
        app: WorkbenchVoila = self.settings["workbench_app"]
        if app.live_pages() >= app.max_live_pages:
            name = _dashboard_name(path or "")
            from .pages import DASHBOARD_PAGES

            dashboard = DASHBOARD_PAGES.get(name)
            base = self.base_url
            self.set_header("Cache-Control", "no-store")
            self.finish(
                CAPACITY_PAGE.format(
                    base=base,
                    static=base + static_page_path(name),
                    title=html.escape(dashboard.title if dashboard else "dashboards"),
                    selector=f", with a page for every {html.escape(dashboard.selector.lower())}"
                    if dashboard and dashboard.selector
                    else "",
                    again=html.escape(self.request.uri or ""),
                )
            )
            return None
        reader = Reader()
        self._reader_kernels = ReaderKernels(self.settings["kernel_manager"], reader)
        app.admitted.add(reader)
        try:
            return await super().get(path)
        finally:
            app.admitted.discard(reader)


class SiteFileHandler(tornado.web.StaticFileHandler):
    """The published site's files, revalidated on every visit (``no-cache``: a cheap 304 when unchanged), so a
    reader sees a republished page at once rather than a copy the browser chose to keep.

    The ETag comes from the file's inode, size and modification time: a publish replaces a changed file by a new
    one. Tornado's own ETag is a content hash it keeps per path for the life of the process, so a republished
    page was answered "304 Not Modified" with the old version still in the browser."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")

    def compute_etag(self) -> str | None:
        if self.absolute_path is None:
            return None
        status = os.stat(self.absolute_path)
        return f'"{status.st_ino:x}-{status.st_size:x}-{status.st_mtime_ns:x}"'


class LandingHandler(tornado.web.RequestHandler):
    """The site's landing page, with links to the live pages added."""

    def initialize(self, site: Path, live_links: str) -> None:
        self.site, self.live_links = site, live_links

    def get(self) -> None:
        landing = self.site / "index.html"
        if not landing.is_file():
            self.finish(NOT_PUBLISHED)
            return
        self.set_header("Cache-Control", "no-cache")
        self.finish(landing.read_text(encoding="utf-8").replace(LIVE_MARKER, self.live_links))


class WorkbenchVoila(Voila):
    """Voila serving the dashboards folder, with the published site at ``/`` (see the module docstring)."""

    max_live_pages = Int(
        12,
        config=True,
        help="Kernels that may serve readers at once; beyond that a reader "
        "gets a page that links to the published site.",
    )
    reports = Unicode("", config=True, help="The reports folder (default: $WORKBENCH_REPORTS or reports/).")

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        self.voila_configuration.allow_template_override = "NO"
        self.voila_configuration.allow_theme_override = "NO"
        self.reports = str(config.reports_dir(self.reports or None).resolve())
        self._results_stamp = self._published_stamp()
        self.admitted: set[Reader] = set()  # page requests admitted and not yet answered

    @property
    def site(self) -> Path:
        return Path(self.reports) / SITE_DIR

    def _published_stamp(self) -> float:
        """When results were last published (the site's state file, else the runner's index)."""
        stamps = [
            p.stat().st_mtime for p in (self.site / STATE_JSON, Path(self.reports) / "index.parquet") if p.exists()
        ]
        return max(stamps, default=0.0)

    def live_pages(self) -> int:
        """Readers being served: kernels that are not waiting in a preheated pool, plus admitted page requests
        not yet given a kernel (a kernel from a pool that is still starting, or one started for the request).
        Each reader is counted once: by its request until it has its kernel, then by the kernel."""
        manager = self.kernel_manager
        pooled = manager.pooled_kernel_ids() if hasattr(manager, "pooled_kernel_ids") else set()
        serving = set(manager.list_kernel_ids()) - pooled
        return len(serving) + sum(1 for reader in self.admitted if reader.kernel_id not in serving)

    def init_settings(self) -> dict[str, Any]:
        settings = dict(super().init_settings())
        settings["workbench_app"] = self
        return settings

    def init_handlers(self) -> list[Any]:
        from jupyter_server.utils import url_path_join

        handlers = []
        for handler in super().init_handlers():
            if handler[1] is TornadoVoilaTreeHandler:  # the raw file list: the landing page replaces it
                continue
            if handler[1] is TornadoVoilaHandler:
                handler = (handler[0], AdmittingVoilaHandler, *handler[2:])
            handlers.append(handler)
        from .pages import DASHBOARD_PAGES

        live = "".join(
            f'<li><a href="{self.base_url}voila/render/{name}.ipynb">{html.escape(d.title)}</a></li>'
            for name, d in DASHBOARD_PAGES.items()
        )
        live_links = (
            f'<section class="wb-live" aria-labelledby="wb-live-title"><h2 id="wb-live-title">Live '
            f"dashboards</h2><p>The same dashboards with drop-downs, for exploring (each reader has a "
            f"live session on this server):</p><ul>{live}</ul></section>"
        )
        landing = (LandingHandler, {"site": self.site, "live_links": live_links})
        handlers += [
            (url_path_join(self.server_url, r"/"), *landing),
            (url_path_join(self.server_url, r"/index.html"), *landing),
            (
                url_path_join(self.server_url, r"/(.*)"),
                SiteFileHandler,
                {"path": str(self.site), "default_filename": "index.html"},
            ),
        ]
        return handlers

    def listen(self) -> None:
        tornado.ioloop.PeriodicCallback(self._refresh_if_published, RESULTS_CHECK_SECONDS * 1000).start()
        super().listen()

    async def _refresh_if_published(self) -> None:
        stamp = self._published_stamp()
        if stamp != self._results_stamp:
            self._results_stamp = stamp
            refresh = getattr(self.kernel_manager, "refresh_pools", None)
            if refresh is not None:
                self.log.info("New results published: replacing the preheated kernels")
                await refresh()


main = WorkbenchVoila.launch_instance

if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
