"""Adjusting the p-values of a family of tests (Holm, Benjamini-Hochberg)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests


def adjust_p_values(
    p_values: Sequence[float] | np.ndarray | pd.Series,
    method: Literal["holm", "fdr_bh"] = "holm",
) -> np.ndarray:
    """Adjust p-values for multiple testing; NaN p-values stay NaN.

    Holm (1979) controls the family-wise error rate: with the :math:`m` p-values
    sorted, :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min\\{1, (m - j + 1) p_{(j)}\\}`.
    Benjamini-Hochberg (1995) controls the false discovery rate:
    :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min\\{1, m\\,p_{(j)} / j\\}`.

    Parameters
    ----------
    p_values : array_like
        Unadjusted p-values in [0, 1]; NaN marks a test that was not run (e.g.
        a suppressed group).
    method : {"holm", "fdr_bh"}
        Adjustment, passed to :func:`statsmodels.stats.multitest.multipletests`.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order. NaNs are excluded from :math:`m`,
        so a suppressed test neither counts nor is counted against.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65-70.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate.
    *Journal of the Royal Statistical Society B*, 57(1), 289-300.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03, 0.005], method="holm")
    array([0.03, 0.06, 0.06, 0.02])
    """
    if method not in ("holm", "fdr_bh"):
        raise ValueError(f"method must be 'holm' or 'fdr_bh', not {method!r}")
    p = np.asarray(p_values, dtype=float)
    observed = ~np.isnan(p)
    if np.any((p[observed] < 0) | (p[observed] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    adjusted = np.full_like(p, np.nan)
    if observed.any():
        adjusted[observed] = multipletests(p[observed], method=method)[1]
    return adjusted
