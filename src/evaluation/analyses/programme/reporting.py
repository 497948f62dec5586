"""Publishing helpers: plain sentences on estimates and tests, and tables checked by disclosure control.

Sentences are built from the suppressed tidy frames (:func:`row_estimate`), never from the raw estimates,
so a suppressed value cannot leak into text; :func:`checked` and :func:`checked_counts` pass a table on only
after :func:`~evaluation.statistics.disclosure.assert_no_disclosure_risks` finds nothing about fewer than
``k`` people; :func:`interval_alt_text` gives an interval chart's numbers to screen-reader users.
"""

from __future__ import annotations

import math

import pandas as pd

from ...presentation import numbers
from ...statistics.disclosure import (
    DEFAULT_THRESHOLD,
    STATISTIC_COLUMNS,
    TOTAL,
    SuppressedTable,
    assert_no_disclosure_risks,
    suppress_small_groups,
)
from ...tidy import Estimate
from ..cohort import describe_change
from ..cohort import describe_interval as describe_interval  # re-exported: the programme notebook uses it
from .change import ALL_COHORTS


def describe_test(estimate: pd.Series | Estimate, question: str, *, alpha: float = 0.05) -> str:
    """One plain sentence on a hypothesis test: the question, the p-value and what it means.

    Examples
    --------
    >>> describe_test(Estimate("t", 0.2, p_value=0.003, n=5), "Did the change differ between cohorts")
    'Did the change differ between cohorts? p = 0.003: a difference at the 5% level.'
    >>> describe_test(Estimate("t", 0.2, p_value=0.41, n=5), "Did it differ")[:60]
    'Did it differ? p = 0.410: no evidence of a difference at the'
    """
    p = estimate.p_value
    if numbers.is_missing(p):
        return f"{question}? Not tested or not reported (too few people)."
    level = numbers.percent(alpha, digits=0 if float(100 * alpha).is_integer() else 1)
    if p < alpha:
        return f"{question}? {numbers.p_phrase(p)}: a difference at the {level} level."
    return (
        f"{question}? {numbers.p_phrase(p)}: no evidence of a difference at the {level} level (which is not "
        "evidence of no difference: small groups can miss real differences)."
    )


def checked(frame: pd.DataFrame, k: int = DEFAULT_THRESHOLD, *, n_col: str = "n") -> pd.DataFrame:
    """``frame`` unchanged, after :func:`~evaluation.statistics.disclosure.assert_no_disclosure_risks` passes.

    Checks the tidy statistic columns and any ``p_value_*`` columns of rows about fewer than ``k`` people.
    """
    extra = tuple(c for c in frame.columns if c.startswith("p_value_"))
    assert_no_disclosure_risks(frame, k, n_col=n_col, value_cols=STATISTIC_COLUMNS + extra)
    return frame


def checked_counts(table: SuppressedTable, k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The publishable form of a suppressed count table (``[c]`` in suppressed cells, index as a column),
    after its numeric form passes the disclosure audit (small counts, cells recoverable from the totals)."""
    assert_no_disclosure_risks(table.published, k, total_label=TOTAL)
    return table.formatted().reset_index()


def row_estimate(frame: pd.DataFrame, term: str, group: str) -> Estimate:
    """The one row of a (suppressed) tidy frame with ``term`` and ``group``, as an :class:`Estimate`.

    Sentences and derived figures should be built from the suppressed frame, never from the raw estimates, so a
    suppressed value cannot leak into text. A suppressed ``n`` becomes 0.
    """
    rows = frame[(frame["term"] == term) & (frame["group"] == group)]
    if len(rows) != 1:
        raise KeyError(f"expected one row with term {term!r} and group {group!r}, found {len(rows)}")
    row = rows.iloc[0]

    def number(column: str) -> float:  # one of STATISTIC_COLUMNS: all of them are in a tidy frame
        return float(row[column]) if pd.notna(row[column]) else math.nan

    def text(column: str) -> str:
        return str(row[column]) if column in row and pd.notna(row[column]) else ""

    return Estimate(
        term,
        number("estimate"),
        std_error=number("std_error"),
        statistic=number("statistic"),
        p_value=number("p_value"),
        conf_low=number("conf_low"),
        conf_high=number("conf_high"),
        n=int(row["n"]) if pd.notna(row["n"]) else 0,
        method=text("method"),
        group=text("group"),
        analysis=text("analysis"),
    )


def cohort_populations(participants: pd.DataFrame) -> dict[str, int]:
    """Each cohort's enrolled leaders as a population for disclosure control: ``{"cohort C1": 8, ...}``.

    Examples
    --------
    >>> cohort_populations(pd.DataFrame({"cohort_id": ["C1", "C1", "C2"]}))
    {'cohort C1': 2, 'cohort C2': 1}
    """
    return {f"cohort {c}": int(n) for c, n in participants["cohort_id"].value_counts(sort=False).sort_index().items()}


def by_population(frame: pd.DataFrame, cohorts: pd.Series) -> pd.DataFrame:
    """``frame`` with a ``population`` column: ``cohort C1`` for rows about one cohort (group ``... : C1``),
    :data:`ALL_COHORTS` for the others, so each row's ``n`` is protected against the people it is about.

    Examples
    --------
    >>> rows = pd.DataFrame({"group": ["confidence: C1", "confidence: all cohorts"]})
    >>> by_population(rows, pd.Series(["C1", "C2"]))["population"].tolist()
    ['cohort C1', 'all cohorts']
    """
    about = frame["group"].astype(str).str.rsplit(": ", n=1).str[-1]
    one_cohort = about.isin(set(cohorts))
    return frame.assign(population=("cohort " + about).where(one_cohort, ALL_COHORTS))


def describe_model_change(
    estimate: Estimate, construct: str, from_wave: str, to_wave: str, *, confidence_level: float = 0.95
) -> str:
    """One plain sentence on a mixed-model change between two waves and whether its interval excludes zero."""
    return describe_change(
        estimate,
        construct,
        period=f"from {from_wave} to {to_wave}",
        population=ALL_COHORTS,
        counted="at least {n} leaders surveyed at each wave",
        missing="too few leaders surveyed at both waves",
        confidence_level=confidence_level,
    )


def suppress(frame: pd.DataFrame, k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """:func:`~evaluation.statistics.disclosure.suppress_small_groups` for rows about people only.

    Rows with ``n == 0`` are figures about no group of people (total cost, day-rate saving) and are kept as
    they are; ``suppress_small_groups`` alone would blank them because 0 < k.
    """
    about_people = frame["n"].fillna(0).to_numpy() != 0
    out = suppress_small_groups(frame, k)
    kept = ~about_people
    present = [c for c in STATISTIC_COLUMNS if c in frame.columns]
    out.loc[kept, present] = frame.loc[kept, present]
    out.loc[kept, "n"] = 0
    out.loc[kept, "suppressed"] = False
    return out


def describe_cohort_difference(tests: pd.DataFrame, construct: str, *, alpha: float = 0.05) -> str:
    """Plain sentences on whether a construct's change differed between cohorts, from the (suppressed) tests of
    :func:`change_across_cohorts`: the Wald test, then the permutation check."""
    wald = row_estimate(tests, "wave_x_cohort_wald", construct)
    permutation = row_estimate(tests, "cohort_change_permutation", construct)
    question = f"Did the change in {construct} differ between cohorts"
    if not numbers.is_missing(wald.estimate):
        question += (
            f" (largest minus smallest cohort change {numbers.score(wald.estimate)} points, mixed-model Wald test)"
        )
    text = describe_test(wald, question, alpha=alpha)
    if not numbers.is_missing(permutation.p_value):
        text += f" Permutation check on leaders with both surveys: {numbers.p_phrase(permutation.p_value)}."
    return text


def interval_alt_text(frame: pd.DataFrame, intro: str, *, label: str = "label", signed: bool = True) -> str:
    """Text alternative of an interval chart: ``intro``, then each label's estimate and interval (or
    "suppressed"), so a screen-reader user gets every number the chart shows."""

    def one(row: pd.Series) -> str:
        if pd.isna(row["estimate"]):
            return f"{row[label]} suppressed"
        low, estimate, high = (numbers.score(row[c], signed=signed) for c in ("conf_low", "estimate", "conf_high"))
        return f"{row[label]} {estimate} ({low} to {high})"

    return f"{intro}: " + "; ".join(one(row) for _, row in frame.iterrows())
