"""One BLAS thread for a benchmark, as every kernel has (``evaluation.config.ONE_BLAS_THREAD``).

On a busy 2-core machine the threads of a multi-threaded BLAS spin against each other: a 3,960-row
regression measured 3.3 s with them and 0.1 s without. The thread count is read when numpy loads, so
the script re-executes itself with the variables set.
"""

from __future__ import annotations

import os
import sys

from evaluation.config import ONE_BLAS_THREAD


def single_blas_thread() -> None:
    """Re-run this script with one BLAS thread unless it already has one."""
    if any(os.environ.get(name) != value for name, value in ONE_BLAS_THREAD.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **ONE_BLAS_THREAD})
