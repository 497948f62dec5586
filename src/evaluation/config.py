"""Where the workbench keeps things, from command-line options or the environment."""

from __future__ import annotations

import os
from pathlib import Path

STORE_ENV = "WORKBENCH_STORE"
REPORTS_ENV = "WORKBENCH_REPORTS"
DEFAULT_STORE = Path("data") / "store" / "workbench.duckdb"
DEFAULT_REPORTS = Path("reports")
# Cells with fewer people than this are suppressed in everything published (issue: disclosure control).
DEFAULT_DISCLOSURE_THRESHOLD = 5
# The environment of every kernel the workbench starts, set before numpy loads: one BLAS thread. Runs are
# parallel across workers, and a fixed thread count keeps floating-point summation order, hence results,
# identical from run to run (and a multi-threaded BLAS spins against the other workers on a 2-core machine).
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# Debian's chromium (`make chromium` installs it): kaleido draws the dashboards' PNG and SVG downloads
# with it, and the browser tests and benchmarks drive it headless. Never a downloaded browser.
CHROMIUM = Path("/usr/bin/chromium")
HEADLESS_CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def store_path(option: str | Path | None = None) -> Path:
    """The store file: ``--store``, else ``$WORKBENCH_STORE``, else ``data/store/workbench.duckdb``."""
    return Path(option or os.environ.get(STORE_ENV) or DEFAULT_STORE)


def reports_dir(option: str | Path | None = None) -> Path:
    """The reports folder: ``--reports``, else ``$WORKBENCH_REPORTS``, else ``reports/``."""
    return Path(option or os.environ.get(REPORTS_ENV) or DEFAULT_REPORTS)
