"""Measured coverage of the published intervals, for the reports to quote where it falls short.

``benchmarks/coverage.py`` measures how often each published 95% interval contains the truth at the
programme's sizes and writes the rates to ``src/evaluation/data/coverage.csv`` (generated, never typed).
Where an interval has no small-sample fix and its coverage is below 93%, the analysis adds
:func:`coverage_note` to the estimate's ``method``, and :func:`quoted_coverage` lets a sentence repeat it
beside the interval.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

#: Coverage below this is quoted beside the interval.
SHORTFALL = 0.93

_NOTE = "measured coverage at the programme's sizes {rate:.0%} (benchmarks/coverage.py)"
_PATTERN = re.compile(r"measured coverage at the programme's sizes (\d+)% \(benchmarks/coverage\.py\)")


@cache
def measured_rates() -> dict[str, float]:
    """``{key: rate}`` from ``data/coverage.csv`` (empty if the study has not been run)."""
    path = resources.files("evaluation") / "data" / "coverage.csv"
    if not path.is_file():
        return {}
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["key"]: float(row["rate"]) for row in csv.DictReader(lines)}


def coverage_note(key: str) -> str:
    """``"; measured coverage ... NN% ..."`` when the study measured ``key`` below :data:`SHORTFALL`, else ``""``.

    Examples
    --------
    >>> coverage_note("no such interval")
    ''
    """
    rate = measured_rates().get(key)
    return f"; {_NOTE.format(rate=rate)}" if rate is not None and rate < SHORTFALL else ""


def quoted_coverage(method: str) -> str:
    """The coverage note of a ``method`` text, as a phrase to put beside its interval (``""`` if none).

    Examples
    --------
    >>> quoted_coverage("mean with t interval; measured coverage at the programme's sizes 89% (benchmarks/coverage.py)")
    "; this kind of 95% interval covered the truth 89% of the time at the programme's sizes"
    >>> quoted_coverage("mean with t interval")
    ''
    """
    match = _PATTERN.search(method or "")
    if not match:
        return ""
    return f"; this kind of 95% interval covered the truth {match.group(1)}% of the time at the programme's sizes"
