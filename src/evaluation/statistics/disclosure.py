"""Statistical disclosure control for results about small groups.

Programme boards see results for cohorts of about eight senior leaders who
know one another, so a small cell ("2 leaders in cohort B rated the course
poorly") can identify individuals. Before anything is published:

1. **Primary suppression (threshold rule).** A count in ``1..k-1`` is
   suppressed; so is every statistic (mean, percentage, change, CI) computed
   from fewer than ``k`` people. ``k = 5`` by default. UK guidance leaves the
   threshold to the producer; 5 is a common choice in UK official statistics
   and suits groups of eight, where with a lower threshold two or three leaders
   could identify one another's answers.
2. **Secondary (complementary) suppression.** When margins are published, a
   lone suppressed cell in a row or column equals the total minus the
   published cells. Every row or column (totals included) with exactly one
   suppressed cell therefore gets a second cell suppressed -- the smallest
   non-zero one, preferring a cell that also completes another such line --
   repeated until stable. Two suppressions per line are necessary but not
   sufficient (a suppressed cell joining two otherwise separate groups of
   suppressions can still be solved for), so the pattern is then audited
   exactly: a suppressed cell is *recoverable* when the published values
   determine it through the table's linear relations, and suppression
   continues until no cell is.
3. **Zeros** are published by default: a zero reveals nothing about an
   individual, and zeros are poor complements because they are often known
   (empty categories). Set ``suppress_zeros=True`` when "nobody in this group
   answered X" is itself sensitive (group disclosure).
4. **Associated statistics** of a suppressed cell or group (its percentage,
   mean, CI, p-value) are suppressed with it (:meth:`SuppressedTable.apply_to`,
   :func:`suppress_small_groups`). Published tables mark suppressed values
   ``[c]`` (confidential), the symbol of the GSS guidance on symbols in tables.

5. **Counts next to a published total (the complement rule).** A count of
   people ``n`` about a population whose total ``T`` is published elsewhere
   in the same output (a cohort's enrolled, the programme's participants,
   London's 33 authorities) gives its complement ``T - n`` away. Such a count
   is published only if ``n == 0`` or ``n >= k`` and (``T - n == 0`` or
   ``T - n >= k``) (:func:`count_publishable`); otherwise it is shown ``[c]``.
   The statistics of the group (its mean, interval) stay published when the
   group itself has at least ``k`` people and the values its size could take
   (``k .. T - 1`` with a complement under ``k``) are at least two; its size
   is then given in words as "``k`` or more" (:func:`people_text`), which pins
   neither the group nor its complement (:func:`protect_people_counts`).
   With cohorts of about eight and ``k = 5``, almost any split of a cohort has
   a part under 5, so most counts of a cohort's subgroups are suppressed.

The audit protects against exact recovery from totals. It does not compute
protection intervals (how narrowly bounds pin a value), nor complementary
suppression between a published all-cohorts estimate and per-cohort ones:
publish the overall estimate only when at most zero or at least two cohorts
are suppressed.

References
----------
Government Statistical Service (2014). *Disclosure control guidance for tables
produced from administrative sources*. ONS / GSS.
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley. (Tabular
data: threshold rule, secondary cell suppression, auditing a pattern.)
Analysis Function (GSS). *Symbols in tables, definitions and help*.
Office for National Statistics (2020). *Disclosure control guidance for
tables produced from surveys* / GSS *Statistical disclosure control: linked
tables and differencing* (secondary suppression protects a cell against
subtraction from totals published in any linked output, not only its own
table).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.linalg import null_space

__all__ = [
    "DEFAULT_THRESHOLD",
    "STATISTIC_COLUMNS",
    "SUPPRESSED_SYMBOL",
    "TOTAL",
    "SuppressedTable",
    "assert_no_disclosure_risks",
    "count_publishable",
    "find_disclosure_risks",
    "people_text",
    "protect_counts",
    "protect_people_counts",
    "protect_shares",
    "recoverable_cells",
    "share_publishable",
    "suppress_counts",
    "suppress_small_groups",
]

DEFAULT_THRESHOLD = 5
TOTAL = "Total"
SUPPRESSED_SYMBOL = "[c]"
# The tidy columns (evaluation.tidy.TIDY_COLUMNS) that describe a group's answers.
STATISTIC_COLUMNS: tuple[str, ...] = (
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "conf_low",
    "conf_high",
)

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


def count_publishable(n: float, total: float | None, k: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a count of people may be published next to its population's published total.

    .. math::

        \\text{publish } n \\iff n = 0 \\;\\lor\\; \\bigl(n \\ge k \\;\\land\\;
        (T - n = 0 \\;\\lor\\; T - n \\ge k)\\bigr)

    The first condition is the threshold rule; the second protects the
    complement ``T - n`` that a reader gets by subtraction.

    Parameters
    ----------
    n : float
        The count (people in a group). Missing counts are not publishable.
    total : float or None
        The published total of the population the group belongs to; None when
        no total is published (the threshold rule only).
    k : int
        Threshold (1 publishes everything: an internal run).

    Returns
    -------
    bool

    References
    ----------
    Government Statistical Service (2014). *Disclosure control guidance for
    tables produced from administrative sources* (threshold rule; secondary
    suppression against totals and linked tables).

    Examples
    --------
    >>> count_publishable(5, 8), count_publishable(5, 10), count_publishable(8, 8), count_publishable(0, 8)
    (False, True, True, True)
    """
    if n is None or pd.isna(n):
        return False
    if n == 0:
        return True
    if n < k:
        return False
    if total is None or pd.isna(total):
        return True
    if n > total:
        raise ValueError(f"a count of {n:g} people cannot belong to a population of {total:g}")
    return total - n == 0 or total - n >= k


def people_text(n: float | None, k: int = DEFAULT_THRESHOLD, *, total: float | None = None) -> str:
    """How a count of people is written in a sentence: the number when publishable, else a safe range.

    ``"5"`` when :func:`count_publishable`; ``"5 or more"`` (``k`` or more)
    when the group has at least ``k`` people but its complement is small, or
    when ``n`` was already suppressed (missing) with the group's statistics
    published; ``"[c]"`` when the group is under ``k``.

    Examples
    --------
    >>> people_text(5, total=8), people_text(5, total=12), people_text(3, total=8), people_text(None)
    ('5 or more', '5', '[c]', '5 or more')
    """
    if n is None or pd.isna(n):
        return f"{k} or more"
    if count_publishable(n, total, k):
        return f"{int(n)}"
    return f"{k} or more" if n >= k else SUPPRESSED_SYMBOL


def protect_people_counts(
    frame: pd.DataFrame,
    total: float | None,
    k: int = DEFAULT_THRESHOLD,
    *,
    n_col: str = "n",
    value_cols: Sequence[str] = STATISTIC_COLUMNS,
) -> pd.DataFrame:
    """Suppress the ``n`` of every row whose count would reveal a small complement of ``total``.

    A tidy frame (one row per estimate, ``n`` people behind it) about a
    population whose total ``total`` is published: each row's ``n`` is kept
    only if :func:`count_publishable`. A row with :math:`1 \\le n < k` also
    loses its statistics (:func:`suppress_small_groups`). A row with
    :math:`n \\ge k` but a complement under ``k`` keeps its statistics and
    loses only ``n`` -- unless the sizes it could then have,
    :math:`\\max(k, T - k + 1) .. T - 1`, are a single value (:math:`T = k + 1`),
    which would give ``n`` back: then its statistics go too. Write such a
    group's size with :func:`people_text` ("5 or more").

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy frame (suppressed by :func:`suppress_small_groups` or not).
    total : float or None
        The published total of the population every row's group belongs to
        (e.g. the cohort's enrolled). None applies the threshold rule only.
    k : int
        Threshold.
    n_col, value_cols
        As in :func:`suppress_small_groups`.

    Returns
    -------
    pandas.DataFrame
        A copy with ``n_col`` as nullable ``Int64`` (missing where suppressed)
        and the ``suppressed`` column true where the statistics were blanked.

    References
    ----------
    GSS / ONS guidance on disclosure control of linked tables: a value is
    disclosed by differencing against a total published in any linked output.
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley.

    Examples
    --------
    >>> frame = pd.DataFrame({"estimate": [0.4, 0.9, 0.2], "n": [8, 5, 3]})
    >>> protect_people_counts(frame, total=8)
       estimate     n  suppressed
    0       0.4     8       False
    1       0.9  <NA>       False
    2       NaN  <NA>        True
    """
    result = suppress_small_groups(frame, k, n_col=n_col, value_cols=value_cols)
    if "suppressed" in frame.columns:
        result["suppressed"] = result["suppressed"] | frame["suppressed"].fillna(False).astype(bool)
    sizes = pd.to_numeric(frame[n_col], errors="coerce").astype(float)  # nullable Int64 (a protected n): NaN
    leaks = np.array([not count_publishable(n, total, k) for n in sizes]) & sizes.notna().to_numpy()
    pinned = np.zeros(len(result), dtype=bool)
    if total is not None and not pd.isna(total):
        pinned = leaks & (sizes.to_numpy() >= k) & (max(k, total - k + 1) >= total - 1)
    present = [column for column in value_cols if column in result.columns]
    result.loc[pinned, present] = np.nan
    result[n_col] = result[n_col].mask(leaks)
    result["suppressed"] = result["suppressed"].to_numpy() | pinned
    return result


def protect_counts(counts: pd.Series, total: float | None, k: int = DEFAULT_THRESHOLD) -> pd.Series:
    """Counts of people in (possibly overlapping) groups of one population, each checked against its total.

    For breakdowns that do not add up to the total (people reporting each
    kind of application: one person may report several), every count is
    judged on its own with :func:`count_publishable`; for a partition of the
    population use :func:`suppress_counts` (complementary suppression with
    margins).

    Parameters
    ----------
    counts : pandas.Series
        Counts of people by group.
    total : float or None
        The population's published total.
    k : int
        Threshold.

    Returns
    -------
    pandas.Series
        Nullable ``Int64``, missing where suppressed.

    Examples
    --------
    >>> protect_counts(pd.Series({"pilot": 4, "policy": 6, "team": 12}), total=12).tolist()
    [<NA>, 6, 12]
    """
    keep = np.array([count_publishable(n, total, k) for n in counts], dtype=bool)
    return counts.astype("Int64").where(keep)


def share_publishable(share: float, of: float, k: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a share of a published number of people may be published beside it.

    A share :math:`p` of :math:`T` people gives the count :math:`n = pT` back
    (62.5% of a cohort of 8 is 5 attending, so 3 absent), so the share is
    published only if that count is (:func:`count_publishable`):

    .. math::

        \\text{publish } p \\iff n = 0 \\;\\lor\\; \\bigl(n \\ge k \\;\\land\\;
        (T - n = 0 \\;\\lor\\; T - n \\ge k)\\bigr), \\quad n = \\operatorname{round}(pT)

    Parameters
    ----------
    share : float
        Proportion between 0 and 1; a missing share publishes nothing and passes.
    of : float
        The number of people it is a share of (published beside it, or known).
    k : int
        Threshold.

    Returns
    -------
    bool

    References
    ----------
    Government Statistical Service (2014). *Disclosure control guidance for
    tables produced from administrative sources* (percentages with their base
    are treated as the counts they give back).

    Examples
    --------
    >>> share_publishable(0.625, 8), share_publishable(1.0, 8), share_publishable(0.75, 24)
    (False, True, True)
    """
    if pd.isna(share):
        return True
    if pd.isna(of):
        return False
    return count_publishable(int(round(float(share) * float(of))), float(of), k)


def protect_shares(frame: pd.DataFrame, shares: Mapping[str, str], k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Suppress (NaN) each share whose count or complement in its base is under the threshold.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per group, with the shares and the numbers of people they are shares of.
    shares : mapping of str to str
        Each share column and the column of its base (``{"attendance_rate": "n"}``).
    k : int
        Threshold (:func:`share_publishable`).

    Returns
    -------
    pandas.DataFrame
        A copy, the shares that give a small count back set to NaN.

    Examples
    --------
    >>> rates = pd.DataFrame({"session": [1, 2], "attendance_rate": [0.625, 1.0], "n": [8, 8]})
    >>> protect_shares(rates, {"attendance_rate": "n"})["attendance_rate"].tolist()
    [nan, 1.0]
    """
    protected = frame.copy()
    for share, of in shares.items():
        keep = [share_publishable(p, t, k) for p, t in zip(frame[share], frame[of], strict=True)]
        protected[share] = frame[share].astype(float).where(np.array(keep, dtype=bool))
    return protected


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
