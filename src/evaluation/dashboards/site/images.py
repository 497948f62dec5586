"""Each chart's PNG and SVG for the published site, drawn by kaleido (on Debian's chromium) while the pages are
rendered.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from ..downloads import described_image, image_options, use_debian_chromium
from ..widgets import Chart
from .layout import IMAGE_FORMATS, SiteError, write_file

log = logging.getLogger(__name__)

# kaleido tabs drawing images at once: measured 7 December on 2 cores (loaded), 24 charts as PNG and SVG:
# 0.62 s per image one at a time on kaleido's sync server, 0.54 with one tab, 0.43 with two, 0.36 with four.
IMAGE_TABS = 4


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
            write_file(stem_path.with_name(f"{stem_path.name}.{kind}"), await asyncio.shield(self._made[key, kind]))

    async def _image(self, chart: Chart, kind: str, where: Path) -> bytes:
        figure = chart.figure
        for attempt in (1, 2):
            try:
                options = image_options(figure, kind)  # type: ignore[arg-type]  # kind is one of IMAGE_FORMATS
                data = await self._render(figure, options)
                return described_image(data, figure, kind, chart.alt_text)  # type: ignore[arg-type]  # as above
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
                raise future.exception()

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
