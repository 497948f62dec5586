"""One set of rules for numbers in reports, following the Government Analysis Function's guidance.

Scale points to 2 decimal places, percentages without decimals unless asked,
money in pounds with thousands separators, p-values as ``p = 0.032`` or
``p < 0.001``, dates as ``7 December 2026``, Yes/No for true/false, ``[c]`` for a
value suppressed by disclosure control and a dash for a value that is not
available (each explained under the table that uses it).

References
----------
Government Analysis Function (2021). *Presenting numbers* and *Releasing statistics in spreadsheets*
(symbols: ``[c]`` confidential). https://analysisfunction.civilservice.gov.uk/policy-store/
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SUPPRESSED = "[c]"
SUPPRESSED_NOTE = "[c] Suppressed: about fewer people than the disclosure threshold, or would reveal such a group."
MISSING = "–"
MISSING_NOTE = "– Not available (not measured, or not estimable from these data)."


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(None), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA differ from themselves (pd.NA raises)
    except TypeError:
        return True


def score(value: float, *, digits: int = 2, signed: bool = False) -> str:
    """A point on a scale (a mean rating, a change in score): 2 decimal places; ``signed`` adds ``+``.

    Examples
    --------
    >>> score(3.739372), score(0.8, signed=True), score(float("nan"))
    ('3.74', '+0.80', '–')
    """
    if is_missing(value):
        return MISSING
    value = value if round(value, digits) != 0 else 0.0  # never "-0.00"
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def percent(proportion: float, *, digits: int = 0, signed: bool = False) -> str:
    """A proportion (0 to 1) as a percentage.

    Examples
    --------
    >>> percent(0.625), percent(0.0312, digits=1), percent(-0.05, signed=True)
    ('62%', '3.1%', '-5%')
    """
    if is_missing(proportion):
        return MISSING
    return f"{100 * proportion:{'+' if signed else ''},.{digits}f}%"


def money(pounds: float, *, pence: bool | None = None) -> str:
    """An amount in pounds with thousands separators; pence only under £100 (or when ``pence`` says so).

    Examples
    --------
    >>> money(50000), money(-1234.5), money(12.5), money(2083.33, pence=True)
    ('£50,000', '-£1,234', '£12.50', '£2,083.33')
    """
    if is_missing(pounds):
        return MISSING
    show_pence = abs(pounds) < 100 if pence is None else pence
    text = f"£{abs(pounds):,.{2 if show_pence else 0}f}"
    return f"-{text}" if round(pounds, 2 if show_pence else 0) < 0 else text


def count(value: float) -> str:
    """A whole number with thousands separators.

    Examples
    --------
    >>> count(12345), count(8.0)
    ('12,345', '8')
    """
    if is_missing(value):
        return MISSING
    return f"{round(value):,}"


def number(value: float, *, digits: int = 2) -> str:
    """A measured quantity that is neither a count nor on a scale: whole numbers as they are, others rounded.

    Examples
    --------
    >>> number(12.0), number(0.779324), number(1234.5678, digits=1)
    ('12', '0.78', '1,234.6')
    """
    if is_missing(value):
        return MISSING
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{digits}f}"


def p_value(p: float) -> str:
    """A p-value as a table shows it: 3 decimal places, or ``<0.001``.

    Examples
    --------
    >>> p_value(0.0321), p_value(3.739372e-08), p_value(0.68)
    ('0.032', '<0.001', '0.680')
    """
    if is_missing(p):
        return MISSING
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def p_phrase(p: float) -> str:
    """A p-value as a sentence gives it: ``p = 0.032``, or ``p < 0.001``.

    Examples
    --------
    >>> p_phrase(0.0321), p_phrase(3.739372e-08)
    ('p = 0.032', 'p < 0.001')
    """
    if is_missing(p):
        return "p not available"
    shown = p_value(p)
    return f"p {shown[0]} {shown[1:]}" if shown.startswith("<") else f"p = {shown}"


def date(value: dt.date | dt.datetime | str) -> str:
    """A date the UK way: ``7 December 2026`` (a time, if any, is left out).

    Examples
    --------
    >>> date(dt.date(2026, 12, 7)), date("2025-01-31T10:00:00")
    ('7 December 2026', '31 January 2025')
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def yes_no(value: Any) -> str:
    """``Yes`` or ``No`` for a true/false value.

    Examples
    --------
    >>> yes_no(True), yes_no(0)
    ('Yes', 'No')
    """
    if is_missing(value):
        return MISSING
    return "Yes" if bool(value) else "No"


def interval(low: float, high: float, shown: Any = score, *, confidence_level: float = 0.95) -> str:
    """``95% interval 0.41 to 1.29`` with both ends formatted by ``shown``; empty when either end is missing.

    Examples
    --------
    >>> interval(0.412, 1.287)
    '95% interval 0.41 to 1.29'
    >>> interval(0.2, 0.61, percent, confidence_level=0.9)
    '90% interval 20% to 61%'
    """
    if is_missing(low) or is_missing(high):
        return ""
    return f"{round(100 * confidence_level)}% interval {shown(low)} to {shown(high)}"
