"""The runner's kernels: forked (:mod:`evaluation.kernels.forked`) from a zygote that has imported the analysis
stack, one zygote per worker process.

A run's kernel spends most of its life importing: pandas, statsmodels, scipy, plotly and the workbench's
analyses take 4-12 s per notebook on the project's 2-core machine, against 1-3 s of actual work (measured from
the executed notebooks' cell durations). Forked from a zygote that has imported them once (:data:`PRELOAD`),
a kernel starts with the imports done. Nothing in :data:`PRELOAD` holds state that a notebook reads (the
notebooks seed their own random generators), so results are those of a freshly started kernel
(``WORKBENCH_FORKED_KERNELS=0`` starts one; tests/run/test_notebook_kernels.py compares them).
"""

from __future__ import annotations

from jupyter_client.manager import AsyncKernelManager

from ..kernels.forked import ForkingMixin

# What the notebooks import (and what those modules import at their top), in import order.
PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow",
    "scipy.stats",
    "statsmodels.api",
    "statsmodels.formula.api",
    "plotly.graph_objects",
    "plotly.io",
    "plotly.subplots",
    "duckdb",
    "IPython.display",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "evaluation.tidy",
    "evaluation.charts",
    "evaluation.run.contract",
    "evaluation.statistics.disclosure",
    "evaluation.analyses.cohort",
    "evaluation.analyses.programme",
    "evaluation.analyses.loti",
    "evaluation.analyses.maturity",
    "evaluation.analyses.governance",
)


class NotebookKernelManager(ForkingMixin, AsyncKernelManager):
    """An ``AsyncKernelManager`` (papermill's ``km``) whose kernels are forked from the worker's zygote, which has
    imported :data:`PRELOAD`."""

    preload = PRELOAD
