"""Values in words, as the pages show them, by the reports' number rules (:mod:`evaluation.presentation.numbers`).

The rules are the reports' own: scale points and other estimates to 2 decimal places, proportions as whole
percentages, pounds with thousands separators (pence only under £100), p-values to 3 decimal places or
``<0.001``, counts with thousands separators. What the pages add: a suppressed value reads
``[c] suppressed`` (the symbol, and the word for a reader who does not know it), never a zero; a missing value
reads ``not available`` (in the sentences and headline figures these values go into, where a dash would be
read out as nothing); and a published table's number is never shown with more decimals than were published.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ... import config
from ...presentation import numbers

SUPPRESSED_SYMBOL = numbers.SUPPRESSED  # the GSS symbol for a confidential (suppressed) value
SUPPRESSED_TEXT = "suppressed"
SUPPRESSED_WORDS = f"{SUPPRESSED_SYMBOL} {SUPPRESSED_TEXT}"
SUPPRESSED_NOTE = (
    "[c] = suppressed: the group has fewer people than the disclosure threshold ({k}), so the value is not published."
)
NOT_AVAILABLE = "not available"
# Published table columns whose numbers get three decimal places (two otherwise), if published with as many.
THREE_DECIMAL_WORDS = ("rate", "proportion", "share")


def is_missing(value: Any) -> bool:
    """True for None, NaN and empty text (a published CSV's empty cell)."""
    return (isinstance(value, str) and value.strip() == "") or (
        not isinstance(value, str) and numbers.is_missing(value)
    )


def to_number(value: Any) -> float | None:
    """A published value as a number; None for text, missing and suppressed values."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if is_missing(value) else float(value)
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def format_value(value: Any, *, suppressed: bool = False, decimals: int = 2, unit: str = "") -> str:
    """A value as the pages show it; suppressed values read ``[c] suppressed``, never ``0``.

    ``unit`` "GBP" gives ``£1,234`` (:func:`~evaluation.presentation.numbers.money`); otherwise whole numbers
    have no decimals and others ``decimals`` (:func:`~evaluation.presentation.numbers.number`). Text is shown
    as it is.

    Examples
    --------
    >>> format_value(2631.58, unit="GBP"), format_value(24.0), format_value(3.456), format_value("[c]")
    ('£2,632', '24', '3.46', '[c] suppressed')
    """
    if suppressed or (isinstance(value, str) and value.strip() == SUPPRESSED_SYMBOL):
        return SUPPRESSED_WORDS
    if is_missing(value):
        return NOT_AVAILABLE
    number = to_number(value)
    if number is None:
        return str(value)
    if unit.upper() in ("GBP", "£"):
        return numbers.money(number)
    return numbers.number(number, digits=decimals)


def format_published_number(raw: str, column: str = "") -> str:
    """A published number as shown: whole numbers with thousands separators (years without); p-values by the
    p-value rule; progress from baseline to target as a percentage; others to two decimals (three for rates,
    proportions and shares), never more decimals than were published.

    Examples
    --------
    >>> format_published_number("1234567"), format_published_number("0.0001", "p_value")
    ('1,234,567', '<0.001')
    >>> format_published_number("2021", "year"), format_published_number("1.333333333", "expected_progress")
    ('2021', '133%')
    >>> format_published_number("0.8754", "attendance_rate"), format_published_number("2.5", "mean")
    ('0.875', '2.5')
    """
    number = to_number(raw)
    if number is None:
        return raw
    text, name = raw.strip().lower(), column.lower()
    if (name == "year" or name.endswith("_year")) and number.is_integer():
        return str(int(number))  # 2021, not 2,021
    if name.endswith("progress"):  # a share of the way from baseline to target
        return numbers.percent(number)
    if "e" not in text and "." not in text and number.is_integer():
        return numbers.count(number)
    if "p_value" in name:
        return numbers.p_value(number)
    wanted = 3 if any(word in name for word in THREE_DECIMAL_WORDS) else 2
    published = len(text.split(".", 1)[1]) if "." in text and "e" not in text else wanted
    return numbers.score(number, digits=min(published, wanted))  # fixed decimal places, as a scale point


def describe_estimate(
    row: Mapping[Any, Any],
    *,
    signed: bool = False,
    unit: str = "",
    decimals: int = 2,
    people: bool = True,
    threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD,
    range_label: str = "",
) -> str:
    """``+1.25 (95% interval 0.63 to 1.87; 5 people)``, or ``[c] suppressed`` for a suppressed estimate.

    ``unit``: "" (``decimals`` places, a sign if ``signed``), "count", "proportion" (a whole percentage) or
    "GBP". With ``people`` (``n`` counts people), the count is added and an estimate about 1 to
    ``threshold - 1`` people reads suppressed even if the run did not suppress it. ``range_label``: the
    ends are a range, not a confidence interval, and read ``range_label low to high``.

    Examples
    --------
    >>> describe_estimate({"estimate": 0.79, "conf_low": 0.58, "conf_high": 0.93, "n": 24}, unit="proportion")
    '79% (95% interval 58% to 93%; 24 people)'
    >>> describe_estimate({"estimate": 0.5, "conf_low": -0.1, "conf_high": 1.1}, signed=True)
    '+0.50 (95% interval -0.10 to 1.10)'
    >>> describe_estimate({"estimate": 1.33, "conf_low": 0, "conf_high": 4.5}, unit="proportion", people=False,
    ...                   range_label="range across authorities")
    '133% (range across authorities 0% to 450%)'
    """
    estimate, n = row.get("estimate"), to_number(row.get("n"))
    small = people and unit != "count" and n is not None and 0 < n < threshold  # about too few people
    if bool(row.get("suppressed")) or small:
        return SUPPRESSED_WORDS
    number = to_number(estimate)
    if number is None:
        return NOT_AVAILABLE

    def show(value: float, signed: bool = signed) -> str:
        if unit == "GBP":
            return numbers.money(value)
        if unit == "count":
            return numbers.count(value)
        if unit == "proportion":
            return numbers.percent(value)
        return numbers.score(value, digits=decimals, signed=signed)

    low, high = to_number(row.get("conf_low")), to_number(row.get("conf_high"))
    extras = []
    if low is not None and high is not None and range_label:
        extras.append(f"{range_label} {show(low, signed=False)} to {show(high, signed=False)}")
    elif low is not None and high is not None:
        extras.append(numbers.interval(low, high, lambda end: show(end, signed=False)))
    if people and unit != "count" and n:
        extras.append(f"{numbers.count(n)} people")
    return show(number) + (f" ({'; '.join(extras)})" if extras else "")
