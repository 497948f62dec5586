"""A kernel manager for Voila that culls idle kernels but never a preheated one waiting in the pool.

Voila's preheated kernels wait in a pool with no browser connected, so
jupyter_server's culler (``cull_idle_timeout``) shuts them down once they
have waited that long. Measured with Voila 0.5.13: after 30 s every pool was
empty again, and a page that claimed a kernel just as it was culled never
finished loading. Without culling, every closed page leaves its kernel
running (~270 MB each).

:class:`PoolAwareKernelManager` keeps the culler for kernels that served a
page, skips kernels still in a pool, and gives a kernel that has just left
the pool (a page is connecting to it), or that it meets for the first time,
:data:`CLAIM_GRACE_SECONDS` before it can be culled. Voila builds its pooling manager on top of this class when
given ``--VoilaConfiguration.multi_kernel_manager_class=evaluation.dashboards.reader_kernels.PoolAwareKernelManager``
(see :func:`evaluation.dashboards.serve.voila_command`).

Its kernels are forked from a process that has already imported what a page needs
(:data:`DASHBOARD_PRELOAD`), as the runner's are (:mod:`evaluation.kernels.forked`): a reader's kernel is ready
in a fraction of a second instead of starting Python and importing pandas, plotly and the pages, which is what
kept a board opening a dashboard together waiting.
"""

from __future__ import annotations

import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from traitlets import DottedObjectName

from ..kernels.forked import ForkingMixin

CLAIM_GRACE_SECONDS = 60.0
# What every page imports. ipywidgets too (~0.4 s a kernel): imported outside a kernel it registers no comm
# targets, so the pages register them in their kernel (evaluation.dashboards.widgets.load_ipywidgets).
DASHBOARD_PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "plotly.graph_objects",
    "plotly.io",
    "openpyxl",
    "IPython.display",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipywidgets",
    "evaluation.dashboards.pages",
    "evaluation.dashboards.widgets",
    "evaluation.dashboards.data",
    "evaluation.dashboards.downloads",
    "evaluation.dashboards.maps",
)


class ForkedServerKernelManager(ForkingMixin, ServerKernelManager):
    """jupyter_server's kernel manager (activity, execution state for the culler) with kernels forked from a
    zygote that has imported :data:`DASHBOARD_PRELOAD`."""

    preload = DASHBOARD_PRELOAD


class PoolAwareKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` whose culler leaves Voila's preheated kernels alone."""

    kernel_manager_class = DottedObjectName(
        "evaluation.dashboards.reader_kernels.ForkedServerKernelManager", config=True
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._seen_in_pool: set[str] = set()
        self._checked: set[str] = set()
        self._claimed_at: dict[str, float] = {}

    def pooled_kernel_ids(self) -> set[str]:
        """Kernels waiting in Voila's pools (``_pools`` belongs to Voila's subclass; empty without preheating)."""
        ids = set()
        for tasks in getattr(self, "_pools", {}).values():
            for task in tasks:
                if task.done() and not task.cancelled() and task.exception() is None:
                    kernel_id = (task.result() or {}).get("kernel_id")
                    if kernel_id:
                        ids.add(str(kernel_id))
        return ids

    def may_cull(self, kernel_id: str, now: float | None = None) -> bool:
        """False for a kernel in a pool, or one that left a pool less than the grace period ago."""
        now = time.monotonic() if now is None else now
        if kernel_id in self.pooled_kernel_ids():
            self._seen_in_pool.add(kernel_id)
            self._checked.add(kernel_id)
            return False
        # Claimed by a page since the last check; or never checked before: a kernel can enter its pool (its
        # notebook rendered) and leave it for a page between two checks, already idle for longer than the
        # timeout (seen: a page's kernel culled as it connected), so a kernel met first outside a pool gets
        # the grace period too.
        if kernel_id in self._seen_in_pool or kernel_id not in self._checked:
            self._seen_in_pool.discard(kernel_id)
            self._checked.add(kernel_id)
            self._claimed_at[kernel_id] = now
        claimed = self._claimed_at.get(kernel_id)
        if claimed is not None and now - claimed < CLAIM_GRACE_SECONDS:
            return False
        self._claimed_at.pop(kernel_id, None)
        return True

    async def refresh_pools(self) -> None:
        """Replace every preheated kernel (new results were published: their pages show the old ones).

        The new kernels are started first; the old ones are shut down once they have finished starting.
        """
        pools: dict[str, list[Any]] = getattr(self, "_pools", {})
        for notebook, old in list(pools.items()):
            pools[notebook] = []
            # Voila mixes fill_if_needed into the kernel manager class when it starts (voila_kernel_manager_factory).
            self.fill_if_needed(delay=0, notebook_name=notebook)  # type: ignore[attr-defined]  # see above
            for task in old:
                try:
                    kernel_id = (await task).get("kernel_id")
                except Exception:  # noqa: BLE001 - a kernel that failed to start has nothing to shut down
                    continue
                if kernel_id and kernel_id in self:
                    await self.shutdown_kernel(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if self.may_cull(kernel_id):
            await super().cull_kernel_if_idle(kernel_id)
