"""Calendar arithmetic of the demo: months, quarters, the programme's meeting days and moments in working hours."""

from __future__ import annotations

import datetime as dt

import numpy as np


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month."""
    return (end.year - start.year) * 12 + end.month - start.month


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def third_wednesday(year: int, month: int) -> dt.date:
    """The programme meets on the third Wednesday of each month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7 + 14)


def random_moment(rng: np.random.Generator, first_day: dt.date, days: int) -> dt.datetime:
    """A time in working hours on one of ``days`` days from ``first_day``."""
    day = first_day + dt.timedelta(days=int(rng.integers(days)))
    return dt.datetime.combine(day, dt.time(8)) + dt.timedelta(seconds=int(rng.integers(10 * 3600)))


def end_of_quarter(day: dt.date, quarters: int) -> dt.date:
    """The last day of the quarter ``quarters`` quarters after ``day``'s quarter."""
    first = add_months(dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), 3 * (quarters + 1))
    return first - dt.timedelta(days=1)


def add_calendar_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or that month's last day if it is shorter."""
    first = add_months(day, months)
    last_day = (add_months(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))
