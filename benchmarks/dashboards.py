"""Dashboard benchmarks: a board opening a dashboard together (``--concurrency``), and one reader's first chart.

Load test: ``.venv/bin/python benchmarks/dashboards.py --demo --concurrency 1,5,10,20,50``. ``workbench serve``
(the published site at ``/``, live pages with kernels forked from a pre-imported process, admission control) on
127.0.0.1; for each N, first N light clients fetch one published page together, then N light clients open one
live dashboard together, each with one headless chromium page beside them (``benchmarks/board_load.py`` says what
a light client does and why). Between levels every live page is closed and every kernel pool refilled. Prints a
JSON table per N: outcomes (published page / live / capacity page / error), median, p95 and max seconds, the
browser's time, and the PSS of server + zygote + kernels (shared pages counted once) while the pages are open;
and the ratios of each p95 to the N = 1 figure of the same run. ``--pool-size`` and ``--max-live`` as for
``workbench serve``.

Measured 7 December 2026, 15:02-15:10 UTC, 2-core machine, nothing else running, demo results, dashboard
``cohort``, pool size 2, at most 12 live (seconds; p95 ratio to N = 1 of the same run), before live pages loaded
prepared bodies:

    N   published p95 (ratio)  browser first chart | live p95 (ratio)  live / capacity / errors  browser live  PSS
    1   0.01 (1)               0.59                | 0.11 (1)          1 / 0 / 0                 3.01          1.39 GB
    5   0.04 (4)               0.54                | 4.32 (39)         5 / 0 / 0                 5.83          1.79 GB
    10  0.09 (9)               0.49                | 6.09 (55)         10 / 0 / 0                capacity page 2.12 GB
    20  0.08 (8)               0.45                | 8.16 (74)         12 / 8 (0.97 s) / 0       capacity page 2.34 GB
    50  0.19 (19)              0.54                | 9.82 (89)         12 / 38 (0.87 s) / 0      capacity page 2.39 GB

Measured 7 December 2026, 16:34-16:42 UTC, the same settings, live pages loading the bodies the publish prepared
and each reader counted once; the machine was NOT quiet (other jobs: 1-minute load average 6-13 on 2 cores, so
every time is several times the quiet figure). Beside the published site, the bare static server
(``python -m http.server`` over the same folder, same clients) at each N, and the published p95 as a ratio to it:

    N   published p95 (ratio)  bare static p95 (ratio)  published/bare  browser first chart
    1   0.06 (1)               0.03 (1)                 2.0             1.39
    5   0.18 (3)               0.86 (29)                0.21            0.85
    10  0.24 (4)               1.25 (42)                0.19            1.13
    20  0.65 (11)              2.28 (76)                0.29            1.11
    50  1.65 (28)              4.01 (134)               0.41            1.55

    N   live p95 (ratio)  live / capacity (p95) / errors  browser live   server + kernels PSS
    1   0.20 (1)          1 / 0 / 0                       8.44           0.92 GB
    5   9.86 (49)         5 / 0 / 0                       18.65          1.17 GB
    10  9.82 (49)         10 / 0 / 0                      13.30          1.48 GB
    20  9.05 (45)         12 / 8 (4.61 s) / 0             capacity page  1.55 GB
    50  10.04 (50)        12 / 38 (2.01 s) / 0            capacity page  1.55 GB

The same with a pool sized for a board (``--pool-size 10 --parts live``, 17:09-17:16 UTC, load average 8-18):

    N   live p95 (ratio)  live / capacity (p95) / errors  browser live   server + kernels PSS
    1   0.25 (1)          1 / 0 / 0                       6.46           3.50 GB
    5   1.03 (4.1)        5 / 0 / 0                       8.16           3.74 GB
    10  1.52 (6.1)        10 / 0 / 0                      13.86          4.05 GB
    20  10.81 (43)        12 / 8 (0.44 s) / 0             capacity page  4.11 GB

The published site: every fetch succeeds, a browser's first chart stays near 0.5 s (quiet) to 1.5 s (loaded), and
the p95 follows the bytes served; a bare static server over the same files does worse at every N > 1 (it answers
each request on a new connection), so the 1.5x-of-N=1 target is a throughput floor of the machine, not of the
workbench's server. Live pages: the 11th reader at N = 10 is now served live (the count no longer counts a
starting kernel twice); beyond the preheated kernels each reader still waits for a kernel to be forked, to start
ipykernel and to run the page notebook through Voila, which on a loaded 2-core machine takes several seconds even
though the page body itself is loaded in ~30 ms; and the browser's live page is mostly front-end work (Voila's and
the widgets' scripts, full plotly.js). With a pool as large as the board every reader meets a preheated kernel:
N = 10 p95 1.5 s instead of 9.8 s on the same loaded machine (ratio 6 instead of 49), at ~70 MB of PSS per pooled
kernel (50 for five dashboards: 3.5 GB); what remains is one Voila process serving every reader's page, Voila's
assets, kernel channel and widget state, on two cores shared with the load.

Measured again 7 December 2026, 19:12-19:34 UTC, nothing else running (load average under 2 before each
run), ``--demo --concurrency 1,5,10,20,50 --pool-size 10`` (at most 12 live), then ``--pool-size 10
--max-live 10 --parts live --concurrency 1,10,20`` (a pool as large as the readers admitted live):

    N   published p95 (ratio)  bare static p95  browser first chart
    1   0.02 (1)               0.01             0.52
    5   0.07 (3.5)             1.07             0.55
    10  0.09 (4.5)             1.46             0.63
    20  0.08 (4)               2.71             0.52
    50  0.39 (19.5)            6.21             0.56

    pool 10, at most 12 live                                             | pool 10, at most 10 live
    N   live p95 (ratio)  live / capacity (p95) / errors  browser   PSS   | live p95   live / capacity (p95) / errors
    1   0.10 (1)          1 / 0 / 0                       2.70      3.65 GB | 0.06       1 / 0 / 0   (browser 2.60)
    5   0.25 (2.5)        5 / 0 / 0                       3.96      3.90 GB |
    10  0.41 (4.1)        10 / 0 / 0                      6.86      4.22 GB | 0.53       10 / 0 / 0
    20  4.66 (47)         12 / 8 (0.18) / 0               capacity  4.16 GB | 0.60       10 / 10 (0.16) / 0  3.51 GB
    50  4.79 (48)         12 / 38 (0.40) / 0              capacity  4.16 GB |

Quiet, a page of the published site reaches 50 readers together in 0.39 s at p95 (the bare static server: 6.2 s)
and a browser's first chart stays near 0.5 s; the N = 1 fetch is 20 ms, so a ratio to it measures the
machine's two cores more than the server. Live, with the pool as large as the readers admitted (``--pool-size
10 --max-live 10``), ten readers together are all live at p95 0.5-0.6 s and the next ten get the capacity page
in 0.16 s; with two more admitted than preheated (``--max-live 12``), those two wait 4.7 s for a kernel to be
forked and started. One reader's live page in a browser: 2.6-2.7 s.

One reader, first chart: ``.venv/bin/python benchmarks/dashboards.py [--reports reports] [--runs 5]
[--no-preheat]`` (``--demo`` first builds demo results in a temporary folder: ingest + ``workbench run``).

Voila serves ``dashboards/`` as ``workbench serve`` does (preheated kernels,
one per dashboard). Each load uses a fresh browser context (nothing cached),
and every load waits until Voila has refilled every kernel pool (each page
built again after its last load), so every load meets a preheated kernel
and no refill running beside it, as a reader arriving at a quiet server does. The clock
runs from ``page.goto`` to the first ``.js-plotly-plot`` being visible (the page's static preview or its
widgets); a
page with no chart (results not published) is timed to its first message
and flagged. Prints a JSON table (median of ``--runs`` loads; target 2 s).

Beside the five pages, a baseline is timed alternately with them in the same Voila: a bare notebook
showing one plotly chart in an ipywidgets Output (the floor every Voila + plotly page stands on here),
and each page's ratio to it is printed.

Each load gives two times: to the first chart visible (``median_s``; the target), and to the live page,
the widgets drawn with their own first chart (``live_median_s``: when the selector and downloads work).

Measured 2 December 2026, 18:30-18:41 UTC, on the 2-core machine (nothing else running; 1-minute load
0.9-3.6, the benchmark's own Voila, kernels and browser), demo results, median of 5 preheated loads,
seconds to the first chart visible (and to the live page); no load failed:

    baseline 5.2-5.8   programme_overview 1.42 (8.04)   cohort 1.34 (6.58)   loti_portfolio 1.53 (9.92)
    project 1.45 (6.97)   authority 1.44 (7.05)

Earlier runs waited only for the loaded page's own pool, so a series' first loads shared the CPU with the
refill after the previous series' last load: at 17:50 the same pages took 1.26-2.31 s (baseline 7.4-8.6),
with single loads up to 3.6 s; at 08:19-08:29 (a faster hour; baseline 3.37) 0.91-1.04 s.

The 2 s target is met by every page: the first view comes with the served HTML (the ``workbench``
Voila template draws each page's static preview, header and body up to its first chart, with plotly.js's
basic bundle; see ``src/evaluation/dashboards/share/voila/templates/workbench/index.html.j2``). Before
it (26 November, quiet machine): baseline 2.85, pages 3.31-4.95 s, because widgets are drawn only once
Voila's page and JupyterLab bundles have loaded and the kernel WebSocket is open (~1.3-1.5 s), every
widget's state has arrived (~0.5 s) and plotly.js has started (~0.8-1 s; the full plotly.min.js alone takes
~1.5-2 s to start on this machine under load, the basic bundle ~0.4-0.6 s). The live page still takes
that long (6.6-9.9 s in the run above; the preview's work on the main thread comes first); what keeps it from being
slower: one Output widget per page part, fixed margins instead of plotly's automargin redraws, no mode
bar, everything after the first chart sent ~1 s after the page has connected. Before the culler fix in
``evaluation.dashboards.reader_kernels`` some loads never appeared within 60 s; any such load is listed under
``failures``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # board_load beside this script

from evaluation import config
from evaluation.config import CHROMIUM, HEADLESS_CHROMIUM_ARGS
from evaluation.dashboards.serve import VoilaServer

ROOT = Path(__file__).resolve().parents[1]
DASHBOARDS = ("programme_overview", "cohort", "loti_portfolio", "project", "authority")
TARGET_SECONDS = 2.0


def demo_results(folder: Path) -> Path:
    """Ingest the demo data and run every analysis into ``folder``; returns the reports folder."""
    store, reports = folder / "store" / "workbench.duckdb", folder / "reports"
    workbench = str(Path(sys.executable).with_name("workbench"))
    subprocess.run(
        [workbench, "ingest", "--demo", "--store", str(store), "data/demo/ingest.yml"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [workbench, "run", "--store", str(store), "--reports", str(reports), "--jobs", "2"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, config.REPORTS_ENV: str(reports)},
    )
    return reports


BASELINE = "baseline"
# The floor every dashboard stands on: Voila, ipywidgets and plotly showing one chart and nothing else.
# It logs its build the way the pages do (evaluation.dashboards.pages.scaffold.timed), so its pool is waited for alike.
BASELINE_SOURCE = """\
import datetime as dt, os, ipywidgets, plotly.graph_objects as go
from IPython.display import display
output = ipywidgets.Output()
with output:
    display(go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3]), layout={"title": "Baseline"}))
display(ipywidgets.VBox([ipywidgets.HTML("<h1>Baseline</h1>"), output]))
if os.environ.get("WORKBENCH_DASHBOARD_LOG"):
    with open(os.environ["WORKBENCH_DASHBOARD_LOG"], "a") as log:
        log.write(f"{dt.datetime.now(dt.UTC).isoformat()} baseline built in 0.00 s (pid {os.getpid()})\\n")
"""


def served_folder(folder: Path) -> Path:
    """The dashboards and the baseline notebook, side by side in one folder that one Voila serves."""
    import nbformat

    folder.mkdir(parents=True)
    for notebook in (ROOT / "dashboards").glob("*.ipynb"):
        (folder / notebook.name).write_bytes(notebook.read_bytes())
    baseline = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_SOURCE)])
    baseline.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(baseline, folder / f"{BASELINE}.ipynb")
    return folder


def wait_for_first_figure(page: object, timeout_ms: int = 60_000) -> str:
    """Wait for the first chart visible (the page's static preview or its widgets), or for the page itself
    when it has none (results not published); returns what was seen."""
    first = page.locator(".js-plotly-plot, .wb-root .wb-body").first  # type: ignore[attr-defined]
    first.wait_for(state="visible", timeout=timeout_ms)
    if page.locator(".wb-preview .js-plotly-plot").first.is_visible():  # type: ignore[attr-defined]
        return "chart (preview)"
    if page.url.endswith(f"/{BASELINE}.ipynb") or page.locator(".wb-panel").first.is_visible():  # type: ignore
        page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore
        return "chart"
    return "no chart (message)"


def wait_for_live_page(page: object, timeout_ms: int = 60_000) -> None:
    """Wait until the widgets have drawn the page (its first chart, if it has one): the selector works."""
    if page.url.endswith(f"/{BASELINE}.ipynb"):  # type: ignore[attr-defined]
        return
    page.locator(".wb-root .wb-body").first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore
    if page.locator(".wb-panel").first.is_visible():  # type: ignore[attr-defined]  # shown only with charts
        page.locator(".wb-root .js-plotly-plot").first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore


def time_loads(
    server: VoilaServer, notebook: str, runs: int, browser: object, loads: dict[str, int]
) -> dict[str, object]:
    """``runs`` timed loads of one dashboard, each against a freshly preheated kernel.

    ``loads`` counts the loads of each notebook so far: each load takes the pooled kernel and Voila
    builds the page again in a new one, so before a load the page has been built once more than loaded.
    Each load gives two times: to the first chart visible, and to the live page (widgets drawn).
    """
    seconds, live, kinds, failures = [], [], set(), []
    for i in range(runs):
        # Every pool refilled, not only this page's: the refill after the previous series' last load would
        # otherwise run beside this series' first load.
        for name in {*loads, notebook}:
            server.wait_until_built(name, loads.get(name, 0) + 1, timeout=120)
        loads[notebook] = loads.get(notebook, 0) + 1
        time.sleep(0.5)
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page = context.new_page()
        started = time.perf_counter()
        try:
            page.goto(server.url(notebook), wait_until="commit")
            kinds.add(wait_for_first_figure(page))
            seconds.append(time.perf_counter() - started)
            wait_for_live_page(page)
            live.append(time.perf_counter() - started)
        except Exception as error:  # a load that never shows anything is counted, not fatal
            failures.append(f"load {i + 1}: {type(error).__name__}: {str(error).splitlines()[0][:160]}")
        finally:
            context.close()
    return {
        "median_s": round(np.median(seconds), 2) if seconds else None,
        "runs_s": [round(s, 2) for s in seconds],
        "live_median_s": round(np.median(live), 2) if live else None,
        "failures": failures,
        "shows": " / ".join(sorted(kinds)) or "nothing",
        "target_met": bool(seconds) and bool(np.median(seconds) < TARGET_SECONDS),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reports", type=Path, default=None, help="Published results (default: $WORKBENCH_REPORTS or reports/)."
    )
    parser.add_argument("--demo", action="store_true", help="Build demo results in a temporary folder first.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-preheat", action="store_true", help="Serve without preheated kernels.")
    parser.add_argument("--dashboards", nargs="*", default=list(DASHBOARDS))
    parser.add_argument("--concurrency", help="Load test: comma-separated numbers of readers arriving together.")
    parser.add_argument("--dashboard", default="cohort", help="Load test: the dashboard the board opens.")
    parser.add_argument("--pool-size", type=int, default=2, help="Load test: preheated kernels per dashboard.")
    parser.add_argument("--max-live", type=int, default=12, help="Load test: readers served live at once.")
    parser.add_argument("--parts", default="published,live", help="Load test: which of published,live to run.")
    args = parser.parse_args()
    # SIGTERM (or a closed terminal) ends the benchmark through its `with` blocks, as Ctrl-C does, so the Voila
    # server it started is stopped with it (the default action would leave it running, orphaned).
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _exit_on_signal)
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if args.concurrency:
        with tempfile.TemporaryDirectory(prefix="dash-load-") as temp:
            reports = demo_results(Path(temp)) if args.demo else config.reports_dir(args.reports).resolve()
            levels = [int(n) for n in args.concurrency.split(",")]
            print(
                json.dumps(
                    load_test(
                        reports,
                        levels,
                        args.dashboard,
                        args.pool_size,
                        args.max_live,
                        Path(temp),
                        parts=args.parts.split(","),
                    ),
                    indent=1,
                )
            )
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="dash-bench-") as temp:
        reports = demo_results(Path(temp)) if args.demo else config.reports_dir(args.reports).resolve()
        if not reports.is_dir():
            sys.exit(f"no results in {reports}: run `workbench run` first, or pass --demo")
        table: dict[str, object] = {}
        served = served_folder(Path(temp) / "served")
        with (
            VoilaServer(served, reports, Path(temp) / "voila", preheat=not args.no_preheat) as server,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(HEADLESS_CHROMIUM_ARGS))
            # Baseline and dashboards alternate, so a change in the machine's load touches both alike.
            loads: dict[str, int] = {}
            for notebook in [name for dashboard in args.dashboards for name in (BASELINE, dashboard)]:
                timed = (
                    time_loads(server, notebook, args.runs, browser, loads)
                    if not args.no_preheat
                    else time_cold(server, notebook, args.runs, browser)
                )
                table.setdefault(notebook, []).append(timed)
                print(notebook, json.dumps(timed), file=sys.stderr, flush=True)  # progress (a run takes minutes)
            browser.close()
    baseline = np.median([s for timed in table.pop(BASELINE) for s in timed["runs_s"]])
    dashboards = {}
    for notebook, (timed,) in table.items():
        timed["ratio_to_baseline"] = round(timed["median_s"] / baseline, 2) if timed["median_s"] else None
        dashboards[notebook] = timed
    print(
        json.dumps(
            {
                "metric": "seconds from navigation to the first plotly figure visible",
                "preheated": not args.no_preheat,
                "runs": args.runs,
                "target_s": TARGET_SECONDS,
                "baseline_median_s": round(baseline, 2),
                "baseline": "a bare Voila notebook showing one plotly chart, timed alternately with the pages",
                "cpus": os.cpu_count(),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "dashboards": dashboards,
            },
            indent=1,
        )
    )


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def load_test(
    reports: Path,
    levels: list[int],
    dashboard: str,
    pool_size: int,
    max_live: int,
    workdir: Path,
    parts: Sequence[str] = ("published", "live"),
) -> dict[str, object]:
    """The load test (see the module docstring): published site (and a bare static server over the same folder,
    level by level beside it), then live pages, at each N of ``levels``."""
    import asyncio

    from board_load import MAX_CLIENTS, level

    from evaluation.dashboards.site import SITE_DIR, page_states, publish_site

    publish_site(reports)
    site_path = next(s.path for s in page_states(reports) if s.dashboard.name == dashboard)
    table: dict[str, list[dict[str, object]]] = {kind: [] for kind in ("published", "live") if kind in parts}
    bare_rows: list[dict[str, object]] = []
    with contextlib.ExitStack() as stack:
        server = VoilaServer(
            ROOT / "dashboards", reports, workdir / "voila", pool_size=pool_size, max_live_pages=max_live
        )
        server.start(timeout=90 + 15 * pool_size * len(DASHBOARDS))  # every pool filled: a minute or more
        stack.callback(server.stop)
        bare = stack.enter_context(bare_static_server(reports / SITE_DIR))

        async def all_levels() -> None:
            from playwright.async_api import async_playwright

            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=list(HEADLESS_CHROMIUM_ARGS)
                )
                for kind in table:
                    for n in levels:
                        wait_until_quiet(server, pool_size)
                        summary = await level(
                            server.base_url,
                            n,
                            live=kind == "live",
                            notebook=dashboard,
                            site_path=site_path,
                            browser=browser,
                            memory=server.memory_pss,
                        )
                        print(kind, json.dumps(summary), file=sys.stderr, flush=True)
                        table[kind].append(summary)
                        if kind == "published":  # the same clients, the same files, a bare static server
                            baseline = await level(
                                bare,
                                n,
                                live=False,
                                notebook=dashboard,
                                site_path=site_path,
                                browser=None,
                                memory=lambda: 0,
                            )
                            print("bare static", json.dumps(baseline), file=sys.stderr, flush=True)
                            bare_rows.append(baseline)
                await browser.close()

        asyncio.run(all_levels())
    for rows, outcome in ((table.get("published", []), "page"), (table.get("live", []), "live"), (bare_rows, "page")):
        first = next((row[outcome].get("p95_s") for row in rows if row["n"] == 1), None)
        for row in rows:
            p95 = row[outcome].get("p95_s")
            row["p95_ratio_to_n1"] = round(p95 / first, 2) if p95 and first else None
    for row, baseline in zip(table.get("published", []), bare_rows, strict=True):
        bare_p95 = baseline["page"].get("p95_s")
        row["bare_static_p95_s"] = bare_p95
        row["bare_static_p95_ratio_to_n1"] = baseline["p95_ratio_to_n1"]
        row["p95_ratio_to_bare_static"] = round(row["page"]["p95_s"] / bare_p95, 2) if bare_p95 else None
    return {
        "dashboard": dashboard,
        "site_page": site_path,
        "pool_size": pool_size,
        "max_live_pages": max_live,
        "max_clients": MAX_CLIENTS,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "bare_static": "python -m http.server over the same _site folder, fetched by the same clients",
        **table,
    }


@contextlib.contextmanager
def bare_static_server(folder: Path) -> Iterator[str]:
    """``python -m http.server`` (threaded, standard library) serving ``folder`` on 127.0.0.1: the baseline a
    static host stands on. Yields its base URL; stopped on any exit."""
    import urllib.request

    from evaluation.dashboards.serve import LOCALHOST, free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", LOCALHOST, "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{LOCALHOST}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/index.html", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the bare static server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_quiet(server: VoilaServer, pool_size: int, timeout: float = 180.0) -> None:
    """Wait until only the preheated pools are left (every reader's kernel gone) and nothing has been built
    for a few seconds (the pools refilled)."""
    from evaluation.dashboards.serve import process_tree

    deadline, pools = time.monotonic() + timeout, pool_size * len(DASHBOARDS)
    last_size, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        kernels = len(process_tree(server.process.pid)) - 2  # the server and the zygote
        size = server.build_log.stat().st_size if server.build_log.exists() else 0
        if size != last_size or kernels > pools:
            last_size, quiet_since = size, time.monotonic()
        elif time.monotonic() - quiet_since > 4:
            return
        time.sleep(0.5)
    raise TimeoutError(f"the server did not settle: {kernels} kernels for {pools} pool places")


def time_cold(server: VoilaServer, notebook: str, runs: int, browser: object) -> dict[str, object]:
    """Like :func:`time_loads` without preheated kernels (each load starts a kernel and runs the notebook)."""
    seconds = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page = context.new_page()
        started = time.perf_counter()
        page.goto(server.url(notebook), wait_until="commit")
        wait_for_first_figure(page, 120_000)
        seconds.append(time.perf_counter() - started)
        context.close()
        time.sleep(1.0)
    return {
        "median_s": round(np.median(seconds), 2),
        "runs_s": [round(s, 2) for s in seconds],
        "target_met": bool(np.median(seconds) < TARGET_SECONDS),
    }


if __name__ == "__main__":
    main()
