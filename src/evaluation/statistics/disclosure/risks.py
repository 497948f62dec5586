"""Finding disclosure risks in a table as it will be released, for the checks before anything is published."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .suppression import DEFAULT_THRESHOLD, STATISTIC_COLUMNS, TOTAL, recoverable_cells


def find_disclosure_risks(
    frame: pd.DataFrame,
    k: int = DEFAULT_THRESHOLD,
    *,
    n_col: str = "n",
    value_cols: Sequence[str] = STATISTIC_COLUMNS,
    total_label: str = TOTAL,
) -> pd.DataFrame:
    """List what in a table about to be published breaks the disclosure rules.

    Two kinds of table are checked:

    * a **results frame** (it has ``n_col``): a row with :math:`1 \\le n < k`
      that publishes ``n`` or any of ``value_cols``;
    * a **frequency table** (no ``n_col``; every numeric cell a count): a
      published count with :math:`1 \\le x < k`, and, when it has
      ``total_label`` margins, a suppressed (NaN) cell that
      :func:`recoverable_cells` can recover.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as it will be released (suppressed values NaN/missing).
    k : int
        Threshold.
    n_col, value_cols
        As in :func:`suppress_small_groups`.
    total_label : str
        Label of the margins of a frequency table.

    Returns
    -------
    pandas.DataFrame
        One row per problem with columns ``row``, ``column``, ``value`` and
        ``reason``; empty when the table is safe to publish.

    Examples
    --------
    >>> find_disclosure_risks(pd.DataFrame({"estimate": [0.4, 0.9], "n": [8, 3]}))
       row    column  value                                          reason
    0    1         n    3.0                 group of fewer than k published
    1    1  estimate    0.9  statistic of a group of fewer than k published
    """
    problems: list[tuple[object, object, float, str]]
    if n_col in frame.columns:
        problems = list(_small_group_problems(frame, k, n_col, value_cols))
    else:
        problems = list(_small_count_problems(frame, k))
        if total_label in frame.index:
            problems += [
                (row, column, np.nan, "suppressed value recoverable from totals")
                for row, column in recoverable_cells(frame, total_label=total_label)
            ]
    return pd.DataFrame(problems, columns=["row", "column", "value", "reason"])


def assert_no_disclosure_risks(
    frame: pd.DataFrame,
    k: int = DEFAULT_THRESHOLD,
    *,
    n_col: str = "n",
    value_cols: Sequence[str] = STATISTIC_COLUMNS,
    total_label: str = TOTAL,
) -> None:
    """Fail (``AssertionError``) if :func:`find_disclosure_risks` finds anything.

    Meant for tests of published tables::

        assert_no_disclosure_risks(pd.read_csv("outputs/board_table.csv"))

    Raises
    ------
    AssertionError
        Listing every problem found.
    """
    problems = find_disclosure_risks(frame, k, n_col=n_col, value_cols=value_cols, total_label=total_label)
    if len(problems):
        raise AssertionError(
            f"{len(problems)} disclosure risk(s) at threshold k={k}:\n{problems.to_string(index=False)}"
        )


def _small_group_problems(
    frame: pd.DataFrame, k: int, n_col: str, value_cols: Sequence[str]
) -> Iterable[tuple[object, str, float, str]]:
    sizes = pd.to_numeric(frame[n_col], errors="coerce").astype(float)  # nullable Int64 (a protected n): NaN
    present = [column for column in value_cols if column in frame.columns]
    for row, n in sizes.items():
        if pd.isna(n) or not 1 <= n < k:
            continue
        yield row, n_col, float(n), "group of fewer than k published"
        for column in present:
            value: Any = frame.at[row, column]  # a cell of whatever dtype the caller's column has
            if pd.notna(value):
                yield row, column, float(value), "statistic of a group of fewer than k published"


def _small_count_problems(frame: pd.DataFrame, k: int) -> Iterable[tuple[object, str, float, str]]:
    counts = frame.select_dtypes("number")
    for column in counts.columns:
        for row, value in counts[column].items():
            if pd.notna(value) and 1 <= value < k:
                yield row, column, float(value), "count below k published"
