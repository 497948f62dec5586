"""Tests of evaluation.statistics.disclosure.

Protection is checked independently of the module's own audit: by brute-force
enumeration of every table consistent with what is published, and by linear
programming (the bounds an intruder can place on each suppressed cell given
the margins and non-negativity, as tau-ARGUS audits a pattern).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from evaluation.statistics.disclosure import (
    SUPPRESSED_SYMBOL,
    TOTAL,
    assert_no_disclosure_risks,
    count_publishable,
    find_disclosure_risks,
    people_text,
    protect_counts,
    protect_people_counts,
    protect_shares,
    recoverable_cells,
    share_publishable,
    suppress_counts,
    suppress_small_groups,
)
from evaluation.tidy import Estimate, to_frame

# Likert answers of three cohorts. Primary cells: A/neutral = 2 and B/agree = 3.
# Publishing only those would leak B/agree = 20 - 8 - 9 = 3 and A/neutral = 15 - 6 - 7.
LIKERT = pd.DataFrame(
    {"agree": [6, 3, 10], "neutral": [2, 8, 7], "disagree": [7, 9, 0]},
    index=pd.Index(["A", "B", "C"], name="cohort"),
)


def intruder_bounds(published: pd.DataFrame) -> dict[tuple[object, object], tuple[float, float]]:
    """Smallest and largest value of each suppressed cell consistent with the published
    table (rows and columns add up to their totals, counts non-negative), by LP."""
    two_way = TOTAL in published.columns
    inner_rows = [r for r in published.index if r != TOTAL]
    inner_columns = [c for c in published.columns if c != TOTAL]
    unknowns = [(r, c) for r in published.index for c in published.columns if pd.isna(published.at[r, c])]
    position = {cell: i for i, cell in enumerate(unknowns)}

    equations, targets = [], []

    def add(cells, total_cell):  # sum(cells) - total_cell = 0
        row = np.zeros(len(unknowns))
        constant = 0.0
        for cell, sign in [*((c, 1.0) for c in cells), (total_cell, -1.0)]:
            if cell in position:
                row[position[cell]] += sign
            else:
                constant += sign * published.at[cell]
        equations.append(row)
        targets.append(-constant)

    for c in published.columns:
        add([(r, c) for r in inner_rows], (TOTAL, c))
    if two_way:
        for r in published.index:
            add([(r, c) for c in inner_columns], (r, TOTAL))

    bounds = {}
    for cell, i in position.items():
        objective = np.zeros(len(unknowns))
        objective[i] = 1
        low = linprog(objective, A_eq=equations, b_eq=targets, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=equations, b_eq=targets, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)  # 3: unbounded above
        bounds[cell] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return bounds


def exactly_disclosed(published: pd.DataFrame) -> list[tuple[object, object]]:
    return [cell for cell, (low, high) in intruder_bounds(published).items() if high - low < 0.5]


def primary_only(table: pd.DataFrame | pd.Series, k: int = 5) -> pd.DataFrame:
    """What a careless publisher would release: small cells blanked, margins kept."""
    suppressed = suppress_counts(table, k)
    return suppressed.counts.astype(float).mask(suppressed.primary)


# --- suppress_counts -------------------------------------------------------------------


def test_one_way_table_lone_suppression_gets_a_complement():
    answers = pd.Series([12, 3, 9], index=["agree", "neutral", "disagree"], name="n")

    leaky = primary_only(answers)
    assert leaky.at[TOTAL, "n"] - leaky["n"].drop(TOTAL).sum() == 3  # the total gives it away
    assert recoverable_cells(leaky) == [("neutral", "n")]

    suppressed = suppress_counts(answers)
    assert suppressed.mask["n"].to_dict() == {"agree": False, "neutral": True, "disagree": True, TOTAL: False}
    assert suppressed.primary["n"].to_dict() == {"agree": False, "neutral": True, "disagree": False, TOTAL: False}
    assert recoverable_cells(suppressed.published) == []
    assert exactly_disclosed(suppressed.published) == []


def test_two_way_table_secondary_suppression_by_hand():
    suppressed = suppress_counts(LIKERT)
    expected = pd.DataFrame(False, index=[*LIKERT.index, TOTAL], columns=[*LIKERT.columns, TOTAL])
    expected.loc[["A", "B"], ["agree", "neutral"]] = True
    pd.testing.assert_frame_equal(suppressed.mask, expected, check_names=False)
    assert suppressed.primary.to_numpy().sum() == 2

    published = suppressed.published
    assert published.at["B", TOTAL] == 20 and published.at[TOTAL, "agree"] == 19
    assert exactly_disclosed(primary_only(LIKERT)) == [("A", "neutral"), ("B", "agree")]


def test_suppressed_two_way_values_cannot_be_derived_from_margins():
    published = suppress_counts(LIKERT).published
    inner = published.drop(index=TOTAL, columns=TOTAL).to_numpy()
    hidden = np.argwhere(np.isnan(inner))
    assert len(hidden) == 4
    # Every filling of the hidden cells with counts 0..20, kept when it
    # reproduces all published row and column totals.
    fillings = np.array(list(itertools.product(range(21), repeat=len(hidden))))
    tables = np.repeat(np.nan_to_num(inner)[None], len(fillings), axis=0)
    for position, (i, j) in enumerate(hidden):
        tables[:, i, j] = fillings[:, position]
    row_totals = published[TOTAL].drop(TOTAL).to_numpy()
    column_totals = published.loc[TOTAL].drop(TOTAL).to_numpy()
    consistent = fillings[
        (tables.sum(axis=2) == row_totals).all(axis=1) & (tables.sum(axis=1) == column_totals).all(axis=1)
    ]
    true_values = [LIKERT.iat[i, j] for i, j in hidden]
    assert true_values in consistent.tolist()
    for position in range(len(hidden)):  # no hidden cell has a single possible value
        assert len(set(consistent[:, position])) > 1


def test_small_margins_are_suppressed_and_protected():
    table = pd.DataFrame({"yes": [9, 1, 6], "no": [8, 2, 7]}, index=["A", "B", "C"])
    suppressed = suppress_counts(table)
    assert suppressed.primary.at["B", TOTAL]  # only 3 people in cohort B
    # Cohort C (total 13 < 17) is the complement, so B's total cannot be taken
    # from the grand total; cohort A and the column totals stay published.
    assert suppressed.mask.loc[["B", "C"]].all().all()
    assert not suppressed.mask.loc[["A", TOTAL]].any().any()
    assert exactly_disclosed(suppressed.published) == []
    assert recoverable_cells(suppressed.published) == []


def test_zeros_are_published_unless_asked_and_avoided_as_complements():
    table = pd.DataFrame({"yes": [0, 6, 3], "no": [12, 7, 9]}, index=["A", "B", "C"])
    default = suppress_counts(table)
    assert not default.mask.at["A", "yes"]  # zero published, and not used as the complement
    assert default.mask.at["B", "yes"]
    assert exactly_disclosed(default.published) == []

    strict = suppress_counts(table, suppress_zeros=True)
    assert strict.primary.at["A", "yes"]
    assert exactly_disclosed(strict.published) == []


def test_threshold_is_configurable():
    answers = pd.Series([12, 4, 3, 9], index=list("abcd"))
    assert suppress_counts(answers, k=3).primary.iloc[:, 0].sum() == 0
    assert list(suppress_counts(answers, k=5).primary.iloc[:, 0]) == [False, True, True, False, False]
    assert list(suppress_counts(answers, k=10).mask.iloc[:, 0]) == [False, True, True, True, False]


def test_recoverable_cells_finds_a_bridge_between_suppression_cycles():
    # Every row and column has two or more suppressed cells, yet (r0, c2) joins
    # two closed groups of suppressions and can be solved for.
    values = np.arange(11, 27).reshape(4, 4)
    table = pd.DataFrame(values, index=[f"r{i}" for i in range(4)], columns=[f"c{j}" for j in range(4)])
    published = table.assign(**{TOTAL: table.sum(axis=1)})
    published.loc[TOTAL] = published.sum(axis=0)
    published = published.astype(float)
    hidden = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]
    for i, j in hidden:
        published.iat[i, j] = np.nan

    assert recoverable_cells(published) == [("r0", "c2")]
    assert exactly_disclosed(published) == [("r0", "c2")]
    # By hand: hidden total of rows r0-r1 minus hidden total of columns c0-c1.
    rows, columns = ["r0", "r1"], ["c0", "c1"]
    hidden_in_rows = (published.loc[rows, TOTAL] - published.loc[rows].drop(columns=TOTAL).sum(axis=1)).sum()
    hidden_in_columns = (published.loc[TOTAL, columns] - published[columns].drop(index=TOTAL).sum(axis=0)).sum()
    assert hidden_in_rows - hidden_in_columns == table.at["r0", "c2"]


def test_random_tables_are_always_protected():
    rng = np.random.default_rng(2024)
    for _ in range(30):
        shape = tuple(rng.integers(2, 5, size=2))
        table = pd.DataFrame(rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30], size=shape))
        suppressed = suppress_counts(table)
        published = suppressed.published
        counts = suppressed.counts
        assert (suppressed.mask | ~suppressed.primary).all().all()
        visible = published.stack().dropna()
        assert not ((visible >= 1) & (visible < 5)).any()
        for axis in (0, 1):  # no row or column with a lone suppression
            assert not (suppressed.mask.sum(axis=axis) == 1).any()
        assert exactly_disclosed(published) == []
        pd.testing.assert_frame_equal(published.fillna(counts.astype(float)), counts.astype(float))


def test_associated_statistics_are_suppressed_with_their_counts():
    suppressed = suppress_counts(LIKERT)
    row_percent = LIKERT.div(LIKERT.sum(axis=1), axis=0) * 100
    masked = suppressed.apply_to(row_percent)
    assert masked.loc[["A", "B"], ["agree", "neutral"]].isna().all().all()
    assert masked.at["C", "agree"] == pytest.approx(100 * 10 / 17)
    assert masked["disagree"].notna().all()
    with pytest.raises(ValueError, match="labels not in the counts"):
        suppressed.apply_to(row_percent.rename(index={"A": "Z"}))


def test_formatted_table_marks_suppressed_cells():
    text = suppress_counts(LIKERT).formatted()
    assert text.at["A", "agree"] == SUPPRESSED_SYMBOL == "[c]"
    assert text.at["C", "agree"] == "10"
    assert text.at[TOTAL, TOTAL] == "52"


@pytest.mark.parametrize(
    "bad",
    [
        pd.DataFrame({"x": [1, -1]}),
        pd.DataFrame({"x": [1.5, 2.0]}),
        pd.DataFrame({"x": [1.0, np.nan]}),
        pd.DataFrame({"x": [3, 4]}, index=["a", TOTAL]),
    ],
)
def test_invalid_count_tables_are_rejected(bad):
    with pytest.raises(ValueError):
        suppress_counts(bad)


# --- tidy results ----------------------------------------------------------------------


@pytest.fixture()
def cohort_means() -> pd.DataFrame:
    return to_frame(
        [
            Estimate("mean", 3.9, 0.2, conf_low=3.5, conf_high=4.3, n=8, group="A"),
            Estimate("mean", 4.4, 0.5, conf_low=3.4, conf_high=5.4, n=3, group="B"),
            Estimate("mean", 3.1, 0.3, conf_low=2.5, conf_high=3.7, n=5, group="C"),
        ]
    )


def test_suppress_small_groups_blanks_statistics_of_small_groups(cohort_means):
    result = suppress_small_groups(cohort_means)
    small = result.set_index("group").loc["B"]
    assert small["suppressed"]
    assert pd.isna(small["n"])
    for column in ("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"):
        assert pd.isna(small[column])
    kept = result[~result["suppressed"]]
    assert list(kept["group"]) == ["A", "C"]  # n = 5 is not below k = 5
    assert list(kept["estimate"]) == [3.9, 3.1]
    assert cohort_means.loc[1, "estimate"] == 4.4  # the input is left untouched
    assert suppress_small_groups(cohort_means, k=3)["suppressed"].sum() == 0


def test_find_disclosure_risks_in_results(cohort_means):
    risks = find_disclosure_risks(cohort_means)
    assert set(risks["row"]) == {1}
    assert set(risks["column"]) == {"n", "estimate", "std_error", "conf_low", "conf_high"}
    with pytest.raises(AssertionError, match="disclosure risk"):
        assert_no_disclosure_risks(cohort_means)
    assert_no_disclosure_risks(suppress_small_groups(cohort_means))


def test_find_disclosure_risks_in_count_tables():
    raw = suppress_counts(LIKERT).counts
    small = find_disclosure_risks(raw)
    assert set(zip(small["row"], small["column"], strict=True)) == {("A", "neutral"), ("B", "agree")}
    leaky = find_disclosure_risks(primary_only(LIKERT))
    assert list(leaky["reason"]) == ["suppressed value recoverable from totals"] * 2
    assert_no_disclosure_risks(suppress_counts(LIKERT).published)
    with pytest.raises(AssertionError, match="recoverable"):
        assert_no_disclosure_risks(primary_only(LIKERT))


# The complement rule (GSS guidance on linked tables and differencing): a count next to its published total.
@pytest.mark.parametrize(
    ("n", "total", "published"),
    [
        (0, 8, True),  # nobody: reveals nothing about a person
        (8, 8, True),  # everybody: the complement is 0
        (5, 8, False),  # issue 13's C1: 8 - 5 = 3 with both surveys' complement
        (3, 8, False),  # under the threshold
        (5, 10, True),  # 5 and 5
        (6, 10, False),  # 10 - 6 = 4
        (7, 20, True),
        (5, None, True),  # no total published: the threshold rule only
        (4, None, False),
    ],
)
def test_count_publishable_textbook_cases(n, total, published):
    assert count_publishable(n, total, 5) is published


def test_every_figure_is_publishable_at_threshold_one():  # an internal run
    assert all(count_publishable(n, total, 1) for total in range(12) for n in range(total + 1))


def test_a_count_larger_than_its_population_is_an_error():
    with pytest.raises(ValueError, match="cannot belong"):
        count_publishable(9, 8)


def test_the_c1_case_keeps_the_change_and_hides_its_n():
    change = to_frame(
        [
            Estimate("mean_change", 1.25, 0.2, conf_low=0.63, conf_high=1.87, n=5, group="confidence"),
            Estimate("mean_change", 0.4, 0.3, n=3, group="tiny"),
            Estimate("completion", 1.0, n=8, group="everyone"),
        ]
    )
    protected = protect_people_counts(change, total=8).set_index("group")
    assert pd.isna(protected.at["confidence", "n"]) and protected.at["confidence", "estimate"] == 1.25
    assert pd.isna(protected.at["tiny", "n"]) and pd.isna(protected.at["tiny", "estimate"])
    assert protected.at["everyone", "n"] == 8
    assert list(protected["suppressed"]) == [False, True, False]
    assert people_text(5, total=8) == "5 or more" and people_text(3, total=8) == SUPPRESSED_SYMBOL


@pytest.mark.parametrize("total", range(5, 16))
def test_a_published_group_with_hidden_n_never_pins_its_size(total):
    """Brute force over every group size: the sizes consistent with 'statistics shown, n hidden' are >= 2."""
    k = 5
    frame = pd.DataFrame({"estimate": 1.0, "n": range(total + 1)})
    protected = protect_people_counts(frame, total=total, k=k)
    hidden_but_shown = [
        n for n in range(total + 1) if pd.isna(protected.at[n, "n"]) and pd.notna(protected.at[n, "estimate"])
    ]
    assert len(hidden_but_shown) != 1, f"T={total}: a reader learns n={hidden_but_shown}"
    for n in hidden_but_shown:  # each is a group of at least k with a complement under k
        assert n >= k and 1 <= total - n < k


def test_protect_counts_judges_overlapping_groups_each_against_the_total():
    # People reporting each kind of application (one person may report several): no margins to add up.
    counts = pd.Series({"pilot": 4, "policy": 6, "service": 9, "team": 12, "none": 0})
    assert protect_counts(counts, total=12).tolist() == [pd.NA, 6, pd.NA, 12, 0]


@pytest.mark.parametrize("attending, register", [(a, t) for t in (8, 24) for a in range(t + 1)])
def test_a_share_is_published_exactly_when_its_counts_are(attending: int, register: int):
    """Every share a register of 8 or 24 can produce: published iff attending and absent are 0 or at least 5
    (counted by hand here, not through count_publishable)."""
    absent = register - attending
    safe = (attending == 0 or attending >= 5) and (absent == 0 or absent >= 5)
    assert share_publishable(attending / register, register, 5) is safe


def test_protect_shares_blanks_only_the_shares_that_give_a_small_count_back():
    sessions = pd.DataFrame(
        {
            "session": [1, 2, 3, 4],
            "rate": [7 / 8, 1.0, 0.0, 5 / 8],
            "n": [8, 8, 8, 8],
            "rate_enrolled": [19 / 20, 15 / 20, 1.0, 10 / 20],
            "enrolled": [20, 20, 8, 20],
        }
    )
    protected = protect_shares(sessions, {"rate": "n", "rate_enrolled": "enrolled"})
    assert protected["rate"].isna().tolist() == [True, False, False, True]  # 1 absent; 3 absent
    assert protected["rate_enrolled"].isna().tolist() == [True, False, False, False]  # 1 of 20 absent
    assert sessions["rate"].notna().all(), "the input is not changed"
    assert not share_publishable(0.5, float("nan")), "a share of an unknown base is not published"
