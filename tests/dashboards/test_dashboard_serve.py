"""The Voila command line for `workbench serve`, and the kernel manager that keeps preheated kernels."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from evaluation.dashboards import reader_kernels
from evaluation.dashboards.serve import (
    KERNEL_MANAGER,
    TEMPLATE,
    TEMPLATE_ROOT,
    voila_command,
    voila_environment,
)

ROOT = Path(__file__).resolve().parents[2]


def test_voila_command_is_local_stripped_preheated_and_culled() -> None:
    command = voila_command(ROOT / "dashboards", 8870, max_live_pages=7)
    assert command[:4] == [sys.executable, "-m", "evaluation.dashboards.app", str(ROOT / "dashboards")]
    for flag in (
        "--port=8870",
        "--WorkbenchVoila.max_live_pages=7",
        "--Voila.ip=127.0.0.1",
        "--no-browser",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--preheat_kernel=True",
        "--pool_size=1",
        "--MappingKernelManager.cull_idle_timeout=30",
        "--MappingKernelManager.cull_interval=10",
        f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
        f"--template={TEMPLATE}",
    ):
        assert flag in command
    assert not any(a.startswith("--Voila.ip=0") for a in command)


def test_voila_command_options() -> None:
    command = voila_command(ROOT / "dashboards", 9000, preheat=False, extension_denylist=(), extra=["--debug"])
    assert "--preheat_kernel=True" not in command and not any("extension_denylist" in a for a in command)
    assert command[-1] == "--debug"
    with pytest.raises(FileNotFoundError):
        voila_command(ROOT / "no-such-folder", 9000)
    with pytest.raises(ValueError):
        voila_command(ROOT / "dashboards", 70000)


def test_voila_environment_points_kernels_at_the_reports(tmp_path: Path) -> None:
    env = voila_environment(tmp_path / "reports", base={"PATH": "/bin"})
    assert env["WORKBENCH_REPORTS"] == str((tmp_path / "reports").resolve()) and env["PATH"] == "/bin"


def test_the_workbench_template_is_on_voilas_data_path_with_the_installed_plotlys_plotly_js(tmp_path: Path) -> None:
    import re

    import plotly

    template = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE
    assert (template / "index.html.j2").is_file()
    env = voila_environment(tmp_path / "reports", base={"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/elsewhere"]

    def version(path: Path) -> str:
        match = re.search(r"plotly\.js(?: \(basic - minified\))? v(\S+)", path.read_text()[:300])
        assert match, path
        return match.group(1)

    # The preview's bundle must draw figures as the live page's plotly.js does: same version.
    installed = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert version(template / "static" / "plotly-basic.min.js") == version(installed), (
        "refresh static/plotly-basic.min.js: npm pack plotly.js-basic-dist-min@<the version above>"
    )


def test_dashboards_are_committed_without_outputs_and_stay_thin() -> None:
    import nbformat

    notebooks = sorted((ROOT / "dashboards").glob("*.ipynb"))
    assert {p.stem for p in notebooks} == {"programme_overview", "cohort", "loti_portfolio", "project", "authority"}
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert sum(len(c.source.splitlines()) for c in code) <= 6, path.name


class _Done:
    def __init__(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id

    def done(self) -> bool:
        return True

    def cancelled(self) -> bool:
        return False

    def exception(self) -> None:
        return None

    def result(self) -> dict[str, str]:
        return {"kernel_id": self.kernel_id}


def test_pooled_kernels_are_never_culled_and_claimed_ones_get_a_grace_period() -> None:
    manager = reader_kernels.PoolAwareKernelManager.__new__(
        reader_kernels.PoolAwareKernelManager
    )  # no server, no loop needed
    manager._seen_in_pool, manager._checked, manager._claimed_at = set(), set(), {}
    manager._pools = {"cohort.ipynb": [_Done("waiting")]}
    assert manager.may_cull("waiting", now=0.0) is False
    assert manager.may_cull("used-long-ago", now=-100.0) is False  # met for the first time: grace
    assert manager.may_cull("used-long-ago", now=0.0) is True
    manager._pools = {"cohort.ipynb": []}  # a page claimed the kernel
    assert manager.may_cull("waiting", now=5.0) is False  # its browser is still connecting
    assert manager.may_cull("waiting", now=5.0 + reader_kernels.CLAIM_GRACE_SECONDS + 1) is True
    # In and out of the pool between two checks: the culler meets it first outside, and waits too.
    assert manager.may_cull("claimed-between-checks", now=100.0) is False
    assert manager.may_cull("claimed-between-checks", now=100.0 + reader_kernels.CLAIM_GRACE_SECONDS + 1) is True


class _Starting(_Done):
    """A pool's kernel still starting (Voila's refill task, not done)."""

    def done(self) -> bool:
        return False


def _finish(coroutine: Any) -> Any:
    """The value of a coroutine that never waits (no event loop: a browser test may have left one running in this
    thread, and asyncio.run would refuse)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("the coroutine waited")


def test_the_admission_count_counts_each_reader_once() -> None:
    """A reader is counted by its request until it has a kernel, then by the kernel: never twice (the old count
    added a request whose kernel had already left the pool, so a burst was turned away below the limit)."""
    from types import SimpleNamespace

    from evaluation.dashboards.app import Reader, ReaderKernels, WorkbenchVoila

    class Manager(reader_kernels.PoolAwareKernelManager):
        def __init__(self) -> None:  # no server
            self.running: list[str] = []
            self._pools: dict[str, list[Any]] = {}

        def list_kernel_ids(self) -> list[str]:
            return list(self.running)

        async def get_rendered_notebook(self, notebook_name: str) -> tuple[None, list[str], str]:
            return None, [], self._pools[notebook_name].pop(0).result()["kernel_id"]

        async def start_kernel(self, **kwargs: Any) -> str:
            self.running.append("started-for-second")
            return "started-for-second"

    manager = Manager()
    app = SimpleNamespace(kernel_manager=manager, admitted=set())
    count = lambda: WorkbenchVoila.live_pages(app)  # noqa: E731
    manager.running = ["pooled-1", "pooled-2"]
    manager._pools = {"cohort.ipynb": [_Done("pooled-1"), _Done("pooled-2"), _Starting("refill")]}
    assert count() == 0  # two preheated kernels waiting and a refill starting: nobody is reading

    first, second = Reader(), Reader()
    app.admitted |= {first, second}
    assert count() == 2  # admitted, no kernel yet
    _finish(ReaderKernels(manager, first).get_rendered_notebook("cohort.ipynb"))
    assert first.kernel_id == "pooled-1" and count() == 2  # the first has its kernel: counted by it, once
    _finish(ReaderKernels(manager, second).start_kernel(kernel_name="python3"))  # no pool: started for it
    assert second.kernel_id == "started-for-second" and count() == 2
    app.admitted.clear()  # both pages answered; their kernels stay until the pages close
    assert count() == 2
    manager.running.remove("pooled-1")  # the first page closed (Voila's shutdown request)
    assert count() == 1


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds ``marker`` (the server and every kernel it started)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def _get(url: str, timeout: float = 90.0) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.status == 200, url
        return response.read().decode("utf-8")


def test_workbench_serve_as_a_service(demo_site: Path, demo_results: Any, tmp_path: Path) -> None:
    """The site at /, a reader's template and theme ignored, a full server turning readers to the site, and
    SIGTERM stopping the server and every kernel (nothing left on the port)."""
    import os
    import signal
    import socket
    import subprocess
    import time
    import uuid

    from evaluation.dashboards.serve import free_port

    port, marker = free_port(), f"WORKBENCH_TEST_SERVE={uuid.uuid4().hex}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    command = [
        str(Path(sys.executable).with_name("workbench")),
        "serve",
        "--port",
        str(port),
        "--no-preheat",
        "--max-live",
        "3",
        "--reports",
        str(demo_results.reports),
        "--dashboards",
        str(ROOT / "dashboards"),
    ]
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                landing = _get(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail((tmp_path / "serve.log").read_text())
        assert "Evaluation dashboards" in landing and "Live dashboards" in landing and "Select items" not in landing
        assert "Digital leadership programme: one cohort" in _get(base + "/cohort/cohort-C1/index.html")

        plain = _get(f"{base}/voila/render/cohort.ipynb?template=no-such-template")  # used to hang
        reveal = _get(f"{base}/voila/render/cohort.ipynb?template=reveal")
        dark = _get(f"{base}/voila/render/cohort.ipynb?theme=dark")
        for page in (plain, reveal, dark):
            assert "voila/templates/workbench/static/plotly-basic.min.js" in page
            assert "reveal.js" not in page and "theme-dark" not in page

        busy = _get(f"{base}/voila/render/project.ipynb")  # three readers are live: the fourth goes to the site
        assert "The live dashboard is busy" in busy and 'href="/project/index.html"' in busy
        assert "London Office of Technology and Innovation: one project" in _get(base + "/project/index.html")
        assert str(demo_results.reports) not in plain + busy + landing  # never the server's paths
        assert "cdn.jsdelivr" not in plain and "https://" not in landing  # nothing from a CDN
        assert len(_processes_with(marker)) >= 4  # the server and three kernels
    finally:
        server.send_signal(signal.SIGTERM)  # what a supervisor or `docker stop` sends to `workbench serve`
        server.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _processes_with(marker), "processes of the server outlived it"
    with socket.socket() as probe:  # the next server can listen on the port (as tornado does: SO_REUSEADDR)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()


def test_the_landing_page_before_and_after_the_site_is_published(tmp_path: Path) -> None:
    """Before anything is published the root says what the evaluator does (no path); after, the site's landing
    page with the live links in place of its marker."""
    import asyncio

    import tornado.httpclient
    import tornado.web

    from evaluation.dashboards.app import LIVE_MARKER, LandingHandler

    site = tmp_path / "reports" / "_site"

    async def fetch() -> str:
        app = tornado.web.Application([(r"/", LandingHandler, {"site": site, "live_links": "<p>LIVE LINKS</p>"})])
        server = app.listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        try:
            response = await tornado.httpclient.AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/")
            return response.body.decode()
        finally:
            server.stop()

    def fetched() -> str:  # in a thread of its own: a browser test may have left an event loop in this one
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, fetch()).result()

    before = fetched()
    assert "Nothing published yet" in before and "workbench run" in before and str(tmp_path) not in before
    site.mkdir(parents=True)
    (site / "index.html").write_text(f"<html><body><h1>Dashboards</h1>{LIVE_MARKER}</body></html>")
    after = fetched()
    assert "<h1>Dashboards</h1><p>LIVE LINKS</p>" in after
