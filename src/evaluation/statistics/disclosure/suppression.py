"""Cell suppression: the threshold rule, complementary suppression with margins, and the exact audit of a pattern.

Rules 1 to 4 of :mod:`evaluation.statistics.disclosure`: counts and statistics of fewer than ``k`` people are
suppressed, and a table with margins gets second suppressions until no suppressed cell can be recovered from the
published ones through the table's linear relations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from ...tidy import STATISTIC_COLUMNS

DEFAULT_THRESHOLD = 5
TOTAL = "Total"
SUPPRESSED_SYMBOL = "[c]"

# A line of a table with margins: the positions of its cells and, for each,
# +1 (a cell adding up to the total) or -1 (the total), so values @ signs == 0.
_Line = tuple[list[tuple[int, int]], list[int]]


@dataclass(frozen=True)
class SuppressedTable:
    """A frequency table with margins and its suppression pattern.

    Attributes
    ----------
    counts : pandas.DataFrame
        The true counts with margins: a ``Total`` row and column for a two-way
        table, a ``Total`` row for a one-way table (a single column). Not for
        publication.
    mask : pandas.DataFrame
        True where the cell is suppressed (primary or secondary).
    primary : pandas.DataFrame
        True where the cell failed the threshold rule itself.
    k : int
        The threshold used.
    """

    counts: pd.DataFrame
    mask: pd.DataFrame
    primary: pd.DataFrame
    k: int

    @property
    def published(self) -> pd.DataFrame:
        """The counts as floats, NaN where suppressed: the table that may be released."""
        return self.counts.astype(float).mask(self.mask)

    def formatted(self, symbol: str = SUPPRESSED_SYMBOL) -> pd.DataFrame:
        """The publishable table as text, ``symbol`` in suppressed cells."""
        text = self.counts.astype(str)
        return text.mask(self.mask, symbol)

    def apply_to(self, statistics: pd.DataFrame) -> pd.DataFrame:
        """Suppress, in a table of statistics derived from these counts, the same cells.

        A row percentage of a suppressed count, with the row total published,
        gives the count back; so does a cell mean with its group total. Use this
        on every table computed from the counts.

        Parameters
        ----------
        statistics : pandas.DataFrame
            Same row and column labels as ``counts`` (margins may be left out).

        Returns
        -------
        pandas.DataFrame
            ``statistics`` with NaN where the counts are suppressed.
        """
        unknown_rows = statistics.index.difference(self.mask.index)
        unknown_columns = statistics.columns.difference(self.mask.columns)
        if len(unknown_rows) or len(unknown_columns):
            raise ValueError(
                "statistics has labels not in the counts table: "
                f"rows {list(unknown_rows)}, columns {list(unknown_columns)}"
            )
        mask = self.mask.loc[statistics.index, statistics.columns]
        return statistics.astype(float).mask(mask)


def suppress_counts(
    table: pd.DataFrame | pd.Series,
    k: int = DEFAULT_THRESHOLD,
    *,
    suppress_zeros: bool = False,
) -> SuppressedTable:
    """Primary and secondary cell suppression of a frequency table with margins.

    A cell (margins included) is suppressed when

    * **primary:** :math:`1 \\le x < k` (or :math:`0 \\le x < k` with
      ``suppress_zeros``);
    * **secondary:** a row or column (margins included) with exactly one
      suppressed cell gets one of its other cells suppressed: preferably one
      that also completes another such line, then a non-zero one (a zero is
      used only if no non-zero cell is left), then the smallest; repeated until
      stable. Then, while :func:`recoverable_cells` finds a suppressed cell that
      the published values determine, a cell in that cell's row or column is
      suppressed by the same preference.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        Counts without margins: a DataFrame for a two-way table, a Series for a
        one-way table. Margins (``Total``) are added here.
    k : int
        Threshold: counts below ``k`` are suppressed.
    suppress_zeros : bool
        Also suppress zero counts (see the module notes on group disclosure).

    Returns
    -------
    SuppressedTable
        Counts with margins, the suppression mask and the primary mask.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*, chapters on
    tabular data (secondary cell suppression). Wiley.

    Examples
    --------
    >>> table = pd.DataFrame({"agree": [6, 3], "disagree": [7, 9]}, index=["A", "B"])
    >>> suppress_counts(table).formatted()
          agree disagree Total
    A       [c]      [c]    13
    B       [c]      [c]    12
    Total     9       16    25
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    counts = _with_margins(table)
    values = counts.to_numpy()
    lines = _lines(values.shape, two_way=isinstance(table, pd.DataFrame))
    lower = 0 if suppress_zeros else 1
    primary = (values >= lower) & (values < k)
    mask = primary.copy()
    while _suppress_complement(values, mask, lines):
        pass
    return SuppressedTable(
        counts=counts,
        mask=pd.DataFrame(mask, index=counts.index, columns=counts.columns),
        primary=pd.DataFrame(primary, index=counts.index, columns=counts.columns),
        k=k,
    )


def recoverable_cells(published: pd.DataFrame, *, total_label: str = TOTAL) -> list[tuple[object, object]]:
    """Suppressed cells whose value follows exactly from the published ones.

    Each row and column of a table with margins gives a linear equation
    :math:`\\sum_j x_{ij} = x_{i+}`. With the suppressed cells as unknowns
    :math:`s`, the equations read :math:`A s = b`; cell :math:`j` is determined
    exactly when every solution of :math:`A z = 0` has :math:`z_j = 0`, i.e.
    when row :math:`j` of a basis of the null space of :math:`A` is zero.

    Parameters
    ----------
    published : pandas.DataFrame
        A table with margins as released: NaN marks a suppressed cell. Two-way
        tables have a ``total_label`` row and column; one-way tables a single
        column and a ``total_label`` row.
    total_label : str
        Label of the margins.

    Returns
    -------
    list of (row, column)
        Labels of the recoverable cells; empty when the suppression protects.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*, chapters on
    tabular data (auditing a suppression pattern). Wiley.

    Examples
    --------
    >>> published = pd.DataFrame({"n": [np.nan, 6.0, 8.0]}, index=["A", "B", "Total"])
    >>> recoverable_cells(published)
    [('A', 'n')]
    """
    two_way = total_label in published.columns
    if total_label not in published.index or (not two_way and published.shape[1] != 1):
        raise ValueError(
            f"published needs a {total_label!r} row, and a {total_label!r} column unless it has a single column"
        )
    rows = [*published.index.drop(total_label), total_label]
    columns = [*published.columns.drop(total_label), total_label] if two_way else list(published.columns)
    ordered = published.loc[rows, columns]
    mask = ordered.isna().to_numpy()
    cells = _recoverable_positions(mask, _lines(mask.shape, two_way=two_way))
    return [(rows[i], columns[j]) for i, j in cells]


def suppress_small_groups(
    frame: pd.DataFrame,
    k: int = DEFAULT_THRESHOLD,
    *,
    n_col: str = "n",
    value_cols: Sequence[str] = STATISTIC_COLUMNS,
) -> pd.DataFrame:
    """Blank the statistics of every row computed from fewer than ``k`` people.

    For rows with :math:`n < k` the ``value_cols`` become NaN and ``n`` itself
    becomes missing (``n`` may be a cell count, e.g. the number answering
    "strongly disagree"); a boolean column ``suppressed`` marks them so tables
    can show ``[c]``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy results frame (:func:`evaluation.tidy.to_frame`) or any frame
        with a group-size column.
    k : int
        Threshold: rows with fewer than ``k`` people are suppressed.
    n_col : str
        Column with the number of people behind each row.
    value_cols : sequence of str
        Columns to blank; those absent from ``frame`` are skipped.

    Returns
    -------
    pandas.DataFrame
        A copy with ``n_col`` as nullable ``Int64`` and the ``suppressed`` column.

    Notes
    -----
    Each row is judged on its own ``n``. Differencing across rows (an
    all-cohorts mean next to all but one cohort's mean) is not checked; see the
    module notes.

    References
    ----------
    Government Statistical Service (2014). *Disclosure control guidance for
    tables produced from administrative sources*.

    Examples
    --------
    >>> frame = pd.DataFrame({"group": ["A", "B"], "estimate": [0.4, 0.9], "n": [8, 3]})
    >>> suppress_small_groups(frame)
      group  estimate     n  suppressed
    0     A       0.4     8       False
    1     B       NaN  <NA>        True
    """
    result = frame.copy()
    small = (result[n_col] < k).fillna(False).to_numpy(dtype=bool)
    present = [column for column in value_cols if column in result.columns]
    result.loc[small, present] = np.nan
    result[n_col] = result[n_col].astype("Int64").mask(small)
    result["suppressed"] = small
    return result


def _with_margins(table: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Counts with a ``Total`` row (and, for a two-way table, a ``Total`` column)."""
    counts = table.to_frame() if isinstance(table, pd.Series) else table.copy()
    if counts.isna().any().any():
        raise ValueError("counts must not be missing")
    if (counts < 0).any().any() or not np.array_equal(counts, counts.round()):
        raise ValueError("counts must be non-negative whole numbers")
    if TOTAL in counts.index or TOTAL in counts.columns:
        raise ValueError(f"pass counts without margins: the {TOTAL!r} margins are added here")
    counts = counts.astype("int64")
    if isinstance(table, pd.DataFrame):
        counts[TOTAL] = counts.sum(axis=1)
    counts.loc[TOTAL] = counts.sum(axis=0)
    return counts


def _lines(shape: tuple[int, int], *, two_way: bool) -> list[_Line]:
    """The additive relations of a table with margins in its last row and column.

    Every column adds up to its last cell; in a two-way table every row does too.
    """
    n_rows, n_columns = shape
    lines = [([(i, j) for i in range(n_rows)], [1] * (n_rows - 1) + [-1]) for j in range(n_columns)]
    if two_way:
        lines += [([(i, j) for j in range(n_columns)], [1] * (n_columns - 1) + [-1]) for i in range(n_rows)]
    return lines


def _suppress_complement(values: np.ndarray, mask: np.ndarray, lines: list[_Line]) -> bool:
    """Suppress one more cell if the pattern in ``mask`` leaks; return whether it did."""
    lonely = [cells for cells, _ in lines if sum(mask[cell] for cell in cells) == 1]
    if lonely:
        mask[_complement(values, mask, lonely[0], lonely)] = True
        return True
    exposed = _recoverable_positions(mask, lines)
    if exposed:
        neighbours = {cell for cells, _ in lines if exposed[0] in cells for cell in cells}
        if all(mask[cell] for cell in neighbours):  # widen the search to the whole table
            neighbours = {tuple(cell) for cell in np.argwhere(~mask)}
        mask[_complement(values, mask, sorted(neighbours), [])] = True
        return True
    return False


def _complement(
    values: np.ndarray,
    mask: np.ndarray,
    cells: Sequence[tuple[int, int]],
    lonely: list[list[tuple[int, int]]],
) -> tuple[int, int]:
    """The unsuppressed cell of ``cells`` to suppress as a complement.

    Preferred, in order: a cell that also completes other lines with a single
    suppression (fewer cells lost overall), a non-zero cell (zeros are often
    known, so protect little), the smallest value (least information lost).
    """
    candidates = [cell for cell in cells if not mask[cell]]

    def preference(cell: tuple[int, int]) -> tuple[int, bool, int]:
        completes = sum(cell in line for line in lonely)
        return -completes, bool(values[cell] == 0), int(values[cell])

    return min(candidates, key=preference)


def _recoverable_positions(mask: np.ndarray, lines: list[_Line]) -> list[tuple[int, int]]:
    """Suppressed positions determined by the published cells through ``lines``."""
    unknowns = [tuple(cell) for cell in np.argwhere(mask)]
    if not unknowns:
        return []
    column_of = {cell: index for index, cell in enumerate(unknowns)}
    equations = np.zeros((len(lines), len(unknowns)))
    for row, (cells, signs) in enumerate(lines):
        for cell, sign in zip(cells, signs, strict=True):
            if cell in column_of:
                equations[row, column_of[cell]] = sign
    free_directions = null_space(equations)
    determined = np.all(np.abs(free_directions) < 1e-9, axis=1)
    return [cell for cell, fixed in zip(unknowns, determined, strict=True) if fixed]
