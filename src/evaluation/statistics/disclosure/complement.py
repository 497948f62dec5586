"""The complement rule: counts and shares of people beside a published total.

Rule 5 of :mod:`evaluation.statistics.disclosure`: a count ``n`` about a population whose total ``T`` is
published elsewhere in the output is shown only when neither ``n`` nor ``T - n`` is in ``1 .. k-1``; a share of
a published number of people is a count in disguise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .suppression import DEFAULT_THRESHOLD, STATISTIC_COLUMNS, SUPPRESSED_SYMBOL, suppress_small_groups


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
