"""The Voila command line that serves the dashboards (used by ``workbench serve``).

Voila runs each notebook in ``dashboards/`` in its own kernel and shows only
the outputs: ``--strip_sources`` drops the code, ``--show_tracebacks=False``
keeps tracebacks (paths, code) off the page, and Voila refuses execute
requests from the browser, so a reader can only drive the widgets the
notebook created. It listens on 127.0.0.1 only: put an authenticating proxy
or JupyterHub in front of it (``docs/deployment.md``).

Pages are served with the ``workbench`` template (``share/voila/templates/workbench``: Voila's lab template
plus a static first view of each page, drawn before the kernel is connected; see its header and
:func:`evaluation.dashboards.widgets.preview_markup`). Voila finds templates in the Jupyter data folders,
so the Voila process gets :data:`TEMPLATE_ROOT` on ``JUPYTER_PATH``.

Measured on the project's 2-core machine (``shared/README.md``): a preheated
kernel (``--preheat_kernel=True --pool_size=1``, one per dashboard, ~270 MB
each) cuts a page's time to first chart roughly in half; kernels are not shut
down when a page closes, so idle ones are culled after 30 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

DEFAULT_PORT = 8866
LOCALHOST = "127.0.0.1"
# JupyterLab extensions that break or slow the Voila page; denying one that is not installed is harmless.
EXTENSION_DENYLIST = ("jupyterlab-jupytext",)
CULL_IDLE_SECONDS = 30
CULL_INTERVAL_SECONDS = 10
# Culls idle kernels but not preheated ones waiting for a page (jupyter_server's culler would: see reader_kernels.py).
KERNEL_MANAGER = "evaluation.dashboards.reader_kernels.PoolAwareKernelManager"
TEMPLATE = "workbench"
APP_MODULE = "evaluation.dashboards.app"
MAX_LIVE_PAGES = 12
# A Jupyter data folder holding voila/templates/workbench (the template and its static plotly.js bundle).
TEMPLATE_ROOT = Path(__file__).resolve().parent / "share"


def voila_command(
    dashboards_dir: str | Path,
    port: int = DEFAULT_PORT,
    *,
    preheat: bool = True,
    pool_size: int = 1,
    cull_idle_timeout: int = CULL_IDLE_SECONDS,
    cull_interval: int = CULL_INTERVAL_SECONDS,
    base_url: str = "/",
    extension_denylist: Sequence[str] = EXTENSION_DENYLIST,
    ip: str = LOCALHOST,
    template: str = TEMPLATE,
    max_live_pages: int = MAX_LIVE_PAGES,
    extra: Sequence[str] = (),
) -> list[str]:
    """The argument list that serves every notebook in ``dashboards_dir`` with the workbench's Voila
    (:class:`evaluation.dashboards.app.WorkbenchVoila`: the published site at ``/``, admission control).

    - ``ip`` defaults to 127.0.0.1: Voila has no authentication of its own;
    - sources stripped and tracebacks hidden;
    - ``preheat``: ``pool_size`` kernels per dashboard run the notebook before anyone asks
      (set ``preheat=False`` on a small machine serving many dashboards), managed by
      :class:`~evaluation.dashboards.reader_kernels.PoolAwareKernelManager` so the culler leaves them alone;
    - idle kernels culled after ``cull_idle_timeout`` seconds (checked every ``cull_interval``);
    - ``extension_denylist``: lab extensions kept off the page (jupytext breaks Voila pages);
    - ``template``: the Voila template (the ``workbench`` one needs :data:`TEMPLATE_ROOT` on
      ``JUPYTER_PATH``, as :func:`voila_environment` sets);
    - ``max_live_pages``: readers served live at once; the next one is sent to the published site;
    - ``extra``: further Voila options, appended last.
    """
    folder = Path(dashboards_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"no dashboards folder at {folder}")
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not a TCP port")
    command = [
        sys.executable,
        "-m",
        APP_MODULE,
        str(folder),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--no-browser",
        "--Voila.port_retries=0",
        f"--Voila.base_url={base_url}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--template={template}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        f"--WorkbenchVoila.max_live_pages={max_live_pages}",
    ]
    if preheat and pool_size > 0:
        command += [
            "--preheat_kernel=True",
            f"--pool_size={pool_size}",
            f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        ]
    command += [f"--VoilaConfiguration.extension_denylist={name}" for name in extension_denylist]
    return command + list(extra)


def voila_environment(reports: str | Path | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the Voila process: kernels inherit ``WORKBENCH_REPORTS`` to find the results.

    :data:`TEMPLATE_ROOT` goes first on ``JUPYTER_PATH`` (where Voila finds the ``workbench`` template).
    Also turns off the kernels' Python output buffering (so logs reach the server log promptly).
    """
    from .. import config

    env = dict(os.environ if base is None else base)
    if reports is not None:
        env[config.REPORTS_ENV] = str(Path(reports).resolve())
    env["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *filter(None, [env.get("JUPYTER_PATH")])])
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


def process_tree(root: int) -> list[int]:
    """``root`` and every process under it (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue += children.get(pid, [])
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class VoilaServer:
    """A Voila process serving the dashboards on 127.0.0.1, for tests and benchmarks (a context manager).

    Voila's output goes to ``log_path``; each page built in a kernel appends a
    line to ``build_log`` (``WORKBENCH_DASHBOARD_LOG``), which is how
    :meth:`wait_until_built` knows a preheated kernel has run its notebook.
    """

    def __init__(
        self,
        dashboards_dir: str | Path,
        reports: str | Path,
        workdir: str | Path,
        *,
        port: int | None = None,
        preheat: bool = True,
        pool_size: int = 1,
        max_live_pages: int = MAX_LIVE_PAGES,
        extra: Sequence[str] = (),
    ) -> None:
        self.dashboards_dir = Path(dashboards_dir).resolve()
        self.reports = Path(reports).resolve()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.preheat, self.pool_size, self.max_live_pages = preheat, pool_size, max_live_pages
        self.extra = list(extra)
        self.log_path = self.workdir / f"voila-{self.port}.log"
        self.build_log = self.workdir / f"built-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    def url(self, notebook: str) -> str:
        """The page of ``dashboards/<notebook>.ipynb``."""
        return f"{self.base_url}/voila/render/{notebook}.ipynb"

    def start(self, timeout: float = 90.0) -> VoilaServer:
        """Start Voila and wait until it answers HTTP (and, if preheating, until every pool has built its page)."""
        import time

        from .pages import BUILD_LOG_ENV

        env = voila_environment(self.reports)
        env[BUILD_LOG_ENV] = str(self.build_log)
        command = voila_command(
            self.dashboards_dir,
            self.port,
            preheat=self.preheat,
            pool_size=self.pool_size,
            max_live_pages=self.max_live_pages,
            extra=self.extra,
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.workdir, start_new_session=True
            )
        try:  # interrupted anywhere (Ctrl-C, SIGTERM raised as SystemExit), the process started is stopped
            self._wait_until_ready(time.monotonic() + timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, deadline: float) -> None:
        import time
        import urllib.request

        assert self.process is not None
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voila exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"Voila did not answer on port {self.port}: {self.log_tail()}")
            time.sleep(0.25)
        if self.preheat:
            for notebook in sorted(p.stem for p in self.dashboards_dir.glob("*.ipynb")):
                self.wait_until_built(notebook, self.pool_size, timeout=max(deadline - time.monotonic(), 1.0))

    def built_count(self, notebook: str) -> int:
        """How many times the page of ``notebook`` has been built (by any kernel)."""
        from .pages import DASHBOARDS

        if not self.build_log.exists():
            return 0
        function = DASHBOARDS.get(notebook, notebook)
        return sum(f" {function} built in " in line for line in self.build_log.read_text().splitlines())

    def wait_until_built(self, notebook: str, count: int, timeout: float = 60.0) -> None:
        """Wait until the page of ``notebook`` has been built ``count`` times (e.g. a pool refilled)."""
        import time

        deadline = time.monotonic() + timeout
        while self.built_count(notebook) < count:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Voila exited: {self.log_tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{notebook}: page built {self.built_count(notebook)} times, expected {count}")
            time.sleep(0.1)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def memory_pss(self) -> int:
        """Bytes of memory of the server, its zygote and its kernels, shared pages counted once (PSS)."""
        return sum(_pss(pid) for pid in process_tree(self.process.pid)) if self.process else 0

    def stop(self) -> None:
        """Stop Voila and its kernels (the process group this object started)."""
        import signal

        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self) -> VoilaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
