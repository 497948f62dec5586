"""The Voila command line for `workbench serve`, and the kernel manager that keeps preheated kernels."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.dashboards import kernels
from evaluation.dashboards.serve import (
    KERNEL_MANAGER,
    TEMPLATE,
    TEMPLATE_ROOT,
    voila_command,
    voila_environment,
)

ROOT = Path(__file__).resolve().parents[2]


def test_voila_command_is_local_stripped_preheated_and_culled() -> None:
    command = voila_command(ROOT / "dashboards", 8870, executable="voila")
    assert command[:2] == ["voila", str(ROOT / "dashboards")]
    for flag in ("--port=8870", "--Voila.ip=127.0.0.1", "--no-browser", "--strip_sources=True",
                 "--show_tracebacks=False", "--preheat_kernel=True", "--pool_size=1",
                 "--MappingKernelManager.cull_idle_timeout=30", "--MappingKernelManager.cull_interval=10",
                 f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
                 "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext", f"--template={TEMPLATE}"):
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


def test_the_workbench_template_is_on_voilas_data_path_with_the_installed_plotlys_plotly_js(tmp_path: Path
                                                                                           ) -> None:
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
        "refresh static/plotly-basic.min.js: npm pack plotly.js-basic-dist-min@<the version above>")


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
    manager = kernels.PoolAwareKernelManager.__new__(kernels.PoolAwareKernelManager)  # no server, no loop needed
    manager._seen_in_pool, manager._checked, manager._claimed_at = set(), set(), {}
    manager._pools = {"cohort.ipynb": [_Done("waiting")]}
    assert manager.may_cull("waiting", now=0.0) is False
    assert manager.may_cull("used-long-ago", now=-100.0) is False  # met for the first time: grace
    assert manager.may_cull("used-long-ago", now=0.0) is True
    manager._pools = {"cohort.ipynb": []}  # a page claimed the kernel
    assert manager.may_cull("waiting", now=5.0) is False  # its browser is still connecting
    assert manager.may_cull("waiting", now=5.0 + kernels.CLAIM_GRACE_SECONDS + 1) is True
    # In and out of the pool between two checks: the culler meets it first outside, and waits too.
    assert manager.may_cull("claimed-between-checks", now=100.0) is False
    assert manager.may_cull("claimed-between-checks", now=100.0 + kernels.CLAIM_GRACE_SECONDS + 1) is True
