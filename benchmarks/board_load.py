"""A board opening a dashboard together: N light clients at once against `workbench serve`, one browser beside them.

Used by ``benchmarks/dashboards.py --concurrency 1,5,10,20,50`` (see its docstring for the method). Browsers
on the same 2 cores measure themselves as much as the server, so the load comes from light clients that do what
a page does, over HTTP and WebSocket to 127.0.0.1 only:

- **published page**: fetch the page, then every script and stylesheet it names (a browser with an empty cache
  does the same); timed to the last byte of the last asset;
- **live page**: fetch Voila's page (the kernel has run the notebook by then) and every script and stylesheet it
  names, open the kernel's channel, and ask for every widget's state (ipywidgets' ``jupyter.widget.control``
  comm, ``request_states``) as the page's widget manager does; timed to the state's arrival (found by its comm
  and method, not decoded: one event loop plays every reader). A reader turned
  away gets the capacity page: timed to its last byte and counted apart. Clients keep their kernel until every
  client of the level is done, then close the page as a browser does (Voila's shutdown request).

Beside the N clients, one headless chromium page loads the same view and is timed to its first chart drawn
(published) or to its widgets drawn (live). Counts and time are bounded (``MAX_CLIENTS``, ``LEVEL_TIMEOUT_S``).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_CLIENTS = 50
LEVEL_TIMEOUT_S = 240.0
ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="(/[^"]+)"')
SITE_ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="((?:\.\./)*assets/[^"]+)"')
CAPACITY_TEXT = "The live dashboard is busy"
WIDGET_CONTROL_VERSION = "1.0.0"  # ipywidgets 8's jupyter.widget.control protocol, as its manager sends


@dataclass
class Outcome:
    kind: str  # "page" (published page fetched), "live", "capacity" or "error"
    seconds: float
    detail: str = ""


@dataclass
class LivePage:
    """A light client's open live page: its kernel channel, kept until the level ends."""

    kernel_id: str
    socket: Any = None
    closers: list[Any] = field(default_factory=list)


def _message(msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, Any] | None = None) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "board",
        "date": "",
        "version": "5.3",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def _fetch_assets(client: Any, base: str, paths: list[str]) -> None:
    await asyncio.gather(*(client.fetch(base + path, request_timeout=LEVEL_TIMEOUT_S) for path in set(paths)))


async def published_page(client: Any, base: str, path: str) -> Outcome:
    """Fetch a published page and every asset it names."""
    started = time.perf_counter()
    try:
        response = await client.fetch(f"{base}/{path}", request_timeout=LEVEL_TIMEOUT_S)
        folder = "/" + path.rsplit("/", 1)[0] + "/" if "/" in path else "/"
        assets = SITE_ASSET.findall(response.body.decode())
        await asyncio.gather(
            *(client.fetch(_resolve(base, folder, a), request_timeout=LEVEL_TIMEOUT_S) for a in set(assets))
        )
        return Outcome("page", time.perf_counter() - started)
    except Exception as error:  # every failure is counted, none stops the level
        return Outcome("error", time.perf_counter() - started, f"{type(error).__name__}: {error}")


def _resolve(base: str, folder: str, relative: str) -> str:
    parts = [p for p in folder.split("/") if p]
    for piece in relative.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return base + "/" + "/".join(parts)


async def live_page(client: Any, base: str, notebook: str, pages: list[LivePage]) -> Outcome:
    """Open a live page as a browser does, up to every widget's state having arrived."""
    from tornado.websocket import websocket_connect

    started = time.perf_counter()
    try:
        response = await client.fetch(f"{base}/voila/render/{notebook}.ipynb", request_timeout=LEVEL_TIMEOUT_S)
        html = response.body.decode()
        if CAPACITY_TEXT in html:
            await _fetch_assets(client, base, ASSET.findall(html))
            return Outcome("capacity", time.perf_counter() - started)
        await _fetch_assets(client, base, ASSET.findall(html))
        kernel = re.search(r'"kernelId": "([^"]+)"', html)
        if kernel is None:
            return Outcome("error", time.perf_counter() - started, "no kernel in the page")
        page = LivePage(kernel.group(1))
        pages.append(page)
        session = uuid.uuid4().hex
        page.socket = await websocket_connect(
            f"{base.replace('http', 'ws', 1)}/api/kernels/{page.kernel_id}/channels?session_id={session}"
        )
        comm_id = uuid.uuid4().hex
        page.socket.write_message(
            _message(
                "comm_open",
                {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                session,
                {"version": WIDGET_CONTROL_VERSION},
            )
        )
        page.socket.write_message(
            _message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, session)
        )
        # The state message is found by its comm and method without decoding it: one event loop plays every
        # reader, and decoding megabytes of widget state in it would delay the other readers' timings.
        wanted = (comm_id.encode(), b'"update_states"')
        while True:
            frame = await asyncio.wait_for(page.socket.read_message(), LEVEL_TIMEOUT_S)
            if frame is None:
                return Outcome("error", time.perf_counter() - started, "kernel channel closed")
            data = frame.encode() if isinstance(frame, str) else frame
            if all(token in data for token in wanted) and b'"comm_msg"' in data:
                return Outcome("live", time.perf_counter() - started)
    except Exception as error:  # every failure is counted, none stops the level
        return Outcome("error", time.perf_counter() - started, f"{type(error).__name__}: {error}")


async def close_pages(client: Any, base: str, pages: list[LivePage]) -> None:
    """Close every live page as a browser does: the channel, then Voila's shutdown request for its kernel."""
    for page in pages:
        if page.socket is not None:
            page.socket.close()
    await asyncio.gather(
        *(
            client.fetch(
                f"{base}/voila/api/shutdown/{p.kernel_id}",
                method="POST",
                body="",
                raise_error=False,
                request_timeout=60,
            )
            for p in pages
        )
    )


async def browser_time(browser: Any, url: str, live: bool) -> float | None:
    """Seconds for one headless chromium page: to its first chart drawn (published) or widgets drawn (live);
    None without a browser."""
    if browser is None:
        return None
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=LEVEL_TIMEOUT_S * 1000)
        if live:
            busy = page.get_by_text(CAPACITY_TEXT)
            drawn = page.locator(".wb-root .wb-body .js-plotly-plot").first
            await busy.or_(drawn).wait_for(timeout=LEVEL_TIMEOUT_S * 1000)
            if await busy.count():  # turned away: reported as such, not as a time
                return -1.0
        else:
            await page.locator(".wb-chart.wb-drawn").first.wait_for(timeout=LEVEL_TIMEOUT_S * 1000)
        return time.perf_counter() - started
    except Exception:  # a browser load that never finishes is reported as missing
        return None
    finally:
        await context.close()


def summarise(outcomes: list[Outcome], n: int) -> dict[str, Any]:
    def stats(kind: str) -> dict[str, Any]:
        seconds = [o.seconds for o in outcomes if o.kind == kind]
        if not seconds:
            return {"count": 0}
        return {
            "count": len(seconds),
            "median_s": round(float(np.median(seconds)), 2),
            "p95_s": round(float(np.percentile(seconds, 95)), 2),
            "max_s": round(max(seconds), 2),
        }

    errors = [o.detail for o in outcomes if o.kind == "error"]
    return {
        "n": n,
        "page": stats("page"),
        "live": stats("live"),
        "capacity": stats("capacity"),
        "errors": len(errors),
        "error_examples": errors[:3],
    }


async def level(
    base: str, n: int, *, live: bool, notebook: str, site_path: str, browser: Any, memory: Any
) -> dict[str, Any]:
    """N clients at once (and one browser page beside them); their outcomes summarised, with ``memory()`` (bytes
    of PSS of the server and its kernels) read while every live page is still open."""
    from tornado.httpclient import AsyncHTTPClient

    # Its own client per level, allowed as many connections as the readers open (tornado's shared client allows
    # 10 and queues the rest, which would time the queue instead of the server).
    client = AsyncHTTPClient(force_instance=True, max_clients=max(10, n * 8))
    pages: list[LivePage] = []
    url = f"{base}/voila/render/{notebook}.ipynb" if live else f"{base}/{site_path}"
    clients = [
        live_page(client, base, notebook, pages) if live else published_page(client, base, site_path)
        for _ in range(min(n, MAX_CLIENTS))
    ]
    gathered = asyncio.gather(*clients, browser_time(browser, url, live))
    results = await asyncio.wait_for(gathered, LEVEL_TIMEOUT_S + 30)
    outcomes, seen = list(results[:-1]), results[-1]
    summary = summarise(outcomes, n)
    summary["browser_s"] = "capacity page" if seen == -1.0 else round(seen, 2) if seen is not None else None
    summary["server_pss_mb"] = round(memory() / 2**20)
    if live:
        summary["pages_live_at_once"] = len(pages)
        await close_pages(client, base, pages)
    client.close()
    return summary
