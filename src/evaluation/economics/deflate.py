"""Convert cash (nominal) amounts to real prices of a stated base year.

The Green Book appraises in real prices: general inflation is removed with the
GDP deflator at market prices, so that every amount is expressed in the prices
of one stated base year (HM Treasury, *The Green Book*, 2022, guidance on
real prices and inflation). The deflator ships with the package as
``evaluation/data/gdp_deflator.csv``; read ``gdp_deflator.md`` beside it for
its source, release and status before publishing deflated figures.

Price years are financial years (April-March), named by the calendar year in
which they start: ``2023`` and ``"2023-24"`` are the same year.
"""

from __future__ import annotations

import re
from importlib import resources
from numbers import Integral

import numpy as np
import pandas as pd
from numpy.typing import NDArray

GDP_DEFLATOR_FILE = "gdp_deflator.csv"

_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s*$")


def financial_year_start(year: int | str) -> int:
    """Return the calendar year in which a financial year starts.

    Parameters
    ----------
    year : int or str
        A start year (``2023``) or a financial-year label (``"2023-24"`` or
        ``"2023/24"``).

    Returns
    -------
    int
        The start year, e.g. ``2023`` for April 2023 to March 2024.

    Raises
    ------
    ValueError
        If ``year`` is neither an integer year nor a consistent ``YYYY-YY`` label.

    Examples
    --------
    >>> financial_year_start("2023-24")
    2023
    >>> financial_year_start(2023)
    2023
    """
    # bool is an Integral too, and True would silently become year 1.
    if isinstance(year, Integral) and not isinstance(year, bool):
        return int(year)
    if isinstance(year, str):
        text = year.strip()
        if text.isdigit():
            return int(text)
        match = _FINANCIAL_YEAR.match(text)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            if (start + 1) % 100 == end:
                return start
    raise ValueError(f"not a financial year: {year!r} (expected e.g. 2023 or '2023-24')")


def financial_year_label(start: int) -> str:
    """Label of the financial year starting in ``start``.

    Examples
    --------
    >>> financial_year_label(2023)
    '2023-24'
    """
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_starts(column: pd.Series) -> NDArray[np.int64]:
    """Start years of a column of financial years, naming the row of any bad value.

    Parameters
    ----------
    column : pandas.Series
        Years as ``2023`` or ``"2023-24"``.

    Returns
    -------
    numpy.ndarray of int64

    Raises
    ------
    ValueError
        ``"row <label>: not a financial year ..."`` for the first bad value.

    Examples
    --------
    >>> financial_year_starts(pd.Series([2023, "2024-25"])).tolist()
    [2023, 2024]
    """
    starts = []
    for label, value in column.items():
        try:
            starts.append(financial_year_start(value))
        except ValueError as error:
            raise ValueError(f"row {label!r}: {error}") from None
    return np.asarray(starts, dtype=np.int64)


def load_gdp_deflator() -> pd.Series:
    """Load the GDP deflator shipped with the package.

    Returns
    -------
    pandas.Series
        Index values (float) indexed by financial-year start year (int), in
        ascending order, named ``"gdp_deflator"``. Only ratios of the values are
        used, so the index reference year does not affect real-terms amounts.

    Notes
    -----
    The shipped values are approximate until refreshed from HM Treasury's
    "GDP deflators at market prices, and money GDP" release; see
    ``evaluation/data/gdp_deflator.md``.

    Examples
    --------
    >>> deflator = load_gdp_deflator()
    >>> int(deflator.index.min()), int(deflator.index.max())
    (2010, 2025)
    """
    source = resources.files("evaluation").joinpath("data", GDP_DEFLATOR_FILE)
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, comment="#")
    starts = [financial_year_start(label) for label in table["financial_year"]]
    series = pd.Series(
        table["deflator"].to_numpy(dtype=float),
        index=pd.Index(starts, name="financial_year_start"),
        name="gdp_deflator",
    )
    return series.sort_index()


def _outside_series(deflator: pd.Series, start: int, where: str) -> ValueError:
    first, last = int(deflator.index.min()), int(deflator.index.max())
    return ValueError(
        f"{where}: price year {financial_year_label(start)} is outside the GDP deflator "
        f"series ({financial_year_label(first)} to {financial_year_label(last)})"
    )


def _deflator_value(deflator: pd.Series, start: int, where: str) -> float:
    if start not in deflator.index:
        raise _outside_series(deflator, start, where)
    return float(deflator.loc[start])


def real_terms_factor(
    price_year: int | str,
    base_year: int | str,
    deflator: pd.Series | None = None,
) -> float:
    """Multiplier that re-expresses an amount from one year's prices in another's.

    .. math:: f = D_{\\text{base}} / D_{\\text{price}}

    where :math:`D_y` is the GDP deflator index in financial year :math:`y`.
    A cash amount spent in year :math:`y` is in year-:math:`y` prices, so
    ``amount * real_terms_factor(y, base)`` is that amount in real base-year prices.

    Parameters
    ----------
    price_year : int or str
        Financial year whose prices the amount is in (``2021`` or ``"2021-22"``).
    base_year : int or str
        Financial year whose prices the appraisal is stated in.
    deflator : pandas.Series, optional
        Index values by financial-year start year; defaults to
        :func:`load_gdp_deflator`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If either year is outside the deflator series.

    References
    ----------
    HM Treasury (2022) *The Green Book*, real prices and the GDP deflator.

    Examples
    --------
    >>> deflator = pd.Series({2022: 90.0, 2023: 99.0})
    >>> round(real_terms_factor("2022-23", "2023-24", deflator), 6)
    1.1
    """
    series = load_gdp_deflator() if deflator is None else deflator
    price = financial_year_start(price_year)
    base = financial_year_start(base_year)
    return _deflator_value(series, base, "base year") / _deflator_value(series, price, "price year")


def to_real_prices(
    flows: pd.DataFrame,
    base_year: int | str | None = None,
    *,
    amount: str = "amount",
    price_year: str = "price_base_year",
    deflator: pd.Series | None = None,
) -> pd.DataFrame:
    """Re-express every row of a table of amounts in one base year's prices.

    .. math:: a^{\\text{real}}_i = a_i \\, D_{\\text{base}} / D_{p_i}

    where :math:`p_i` is row :math:`i`'s price year. Cash (nominal) amounts are
    in the prices of the year they were spent, so their ``price_year`` is the
    year of spending.

    Parameters
    ----------
    flows : pandas.DataFrame
        One row per amount, with an ``amount`` column and a ``price_year`` column.
    base_year : int or str, optional
        Financial year to express everything in. If omitted, every row must
        already share one price base, which is then kept (no conversion).
    amount, price_year : str
        Names of the amount and price-year columns.
    deflator : pandas.Series, optional
        Index values by financial-year start year; defaults to
        :func:`load_gdp_deflator`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``flows`` with ``amount`` in real base-year prices and
        ``price_year`` set to the base year's start year (int) on every row.

    Raises
    ------
    ValueError
        Naming the offending row: a price year that is not a financial year, a
        price year outside the deflator series, or mixed price bases when no
        ``base_year`` is given.

    References
    ----------
    HM Treasury (2022) *The Green Book*, real prices and the GDP deflator.

    Examples
    --------
    >>> flows = pd.DataFrame({"amount": [100.0, 100.0], "price_base_year": [2022, "2023-24"]})
    >>> deflator = pd.Series({2022: 90.0, 2023: 99.0})
    >>> to_real_prices(flows, 2023, deflator=deflator)["amount"].round(6).tolist()
    [110.0, 100.0]
    """
    missing = [column for column in (amount, price_year) if column not in flows.columns]
    if missing:
        raise ValueError(f"flows has no column(s) {missing}")
    years = financial_year_starts(flows[price_year])
    real = flows.copy()
    if base_year is None:
        if len(years) and (years != years[0]).any():
            position = int(np.argmax(years != years[0]))
            raise ValueError(
                f"row {flows.index[position]!r} is in "
                f"{financial_year_label(int(years[position]))} prices but row "
                f"{flows.index[0]!r} is in {financial_year_label(int(years[0]))} prices: "
                "pass base_year to convert every row to one price base"
            )
        real[price_year] = years
        return real

    base = financial_year_start(base_year)
    series = load_gdp_deflator() if deflator is None else deflator
    factors = np.ones(len(years))
    to_convert = years != base
    if to_convert.any():
        base_value = _deflator_value(series, base, "base year")
        outside = to_convert & ~np.isin(years, series.index.to_numpy())
        if outside.any():
            position = int(np.argmax(outside))
            raise _outside_series(series, int(years[position]), f"row {flows.index[position]!r}")
        price_values = series.reindex(years[to_convert]).to_numpy(dtype=float)
        factors[to_convert] = base_value / price_values
    real[amount] = pd.to_numeric(flows[amount]).to_numpy(dtype=float) * factors
    real[price_year] = base
    return real
