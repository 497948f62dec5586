"""Kernels forked from a pre-imported zygote: they behave as freshly started kernels do."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from evaluation.kernels.forked import ForkingMixin, Zygote

# Imported by the zygote and by no bare kernel; statsmodels, not preloaded, shows that the kernel sees the preload.
PRELOAD = ("pandas",)


class PandasKernelManager(ForkingMixin, AsyncKernelManager):
    preload = PRELOAD


async def _run_in_forked_kernel(code: str, cwd: Path, env: dict[str, str]) -> tuple[str, int]:
    """Run ``code`` in a forked kernel; its printed output and the kernel's pid (after shutdown)."""
    sockets = tempfile.mkdtemp(prefix="wb-")
    manager = PandasKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
    await manager.start_kernel(cwd=str(cwd), env={**os.environ, **env})
    client = manager.client()
    client.start_channels()
    printed: list[str] = []
    try:
        await client.wait_for_ready(timeout=60)
        await client.execute_interactive(
            code, timeout=60, output_hook=lambda msg: printed.append(msg["content"].get("text", ""))
        )
    finally:
        client.stop_channels()
        pid = manager.provisioner.process.pid
        await manager.shutdown_kernel()
    return "".join(printed), pid


def test_a_forked_kernel_starts_with_its_preload_imported_in_its_own_folder_and_environment(tmp_path: Path):
    code = (
        "import os, subprocess, sys\n"
        "probes = ('pandas', 'statsmodels.api')\n"
        "print(sorted(m for m in probes if m in sys.modules))\n"
        "print(os.getcwd(), os.environ['PROBE'], os.getppid() != int(os.environ['JPY_PARENT_PID']) or 'zygote')\n"
        # The zygote ignores SIGCHLD; a kernel must not, or subprocess exit codes would all read 0.
        "print(subprocess.run(['false']).returncode)"
    )
    # run_sync, not asyncio.run: other tests (Playwright's) may leave an event loop running in this thread.
    printed, pid = run_sync(_run_in_forked_kernel)(code, tmp_path, {"PROBE": "seen"})
    imported, where, status = printed.splitlines()
    assert imported == "['pandas']"
    assert where == f"{tmp_path} seen zygote"
    assert status == "1"
    with pytest.raises(ProcessLookupError):  # shut down, and reaped by the zygote
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)


def test_a_zygote_that_has_exited_is_replaced():
    zygote = Zygote.for_this_process(PRELOAD)
    zygote.process.kill()
    zygote.process.wait()
    assert Zygote.for_this_process(PRELOAD) is not zygote
