"""Digital maturity analyses against hand computation and independent references, and on the demo data.

References: weighted means by hand; Dirichlet draws replayed with numpy and ranked with scipy.stats.spearmanr
and scipy.stats.rankdata; paired t and Welch t from scipy.stats; BCa intervals compared with
scipy.stats.bootstrap. The demo tests check the maturity gains planted in ``data/demo`` (README, "Digital
maturity").
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.analyses import maturity as mt
from evaluation.ingest.pseudonymise import DEMO_KEY
from evaluation.ingest.tables import parse_tables
from evaluation.schemas.loti import MATURITY_DOMAINS

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
# data/demo/README.md, "Digital maturity": TRUE expected observed gains (members, non-members) per interval.
TRUE_GAINS = {"2021-06-30 to 2023-06-30": (0.296, 0.098), "2023-06-30 to 2025-06-30": (0.298, 0.100)}
DOMAINS = ("Data", "Cyber security", "Leadership")
R1, R2 = pd.Timestamp("2023-06-30"), pd.Timestamp("2025-06-30")


def assessments(scores: dict[str, dict[pd.Timestamp, tuple[float, ...]]], domains=DOMAINS) -> pd.DataFrame:
    rows = [
        (code, day, domain, value)
        for code, rounds in scores.items()
        for day, values in rounds.items()
        for domain, value in zip(domains, values, strict=True)
        if value == value
    ]
    return pd.DataFrame(rows, columns=["authority_code", "assessed_on", "domain", "score"])


SMALL = assessments(
    {
        "E09000001": {R1: (2, 3, 4), R2: (3, 3, 5)},
        "E09000002": {R1: (1, 2, 2), R2: (2, 2, 2)},
        "E09000003": {R1: (4, 4, 3), R2: (4, 5, 4)},
        "E09000004": {R1: (3, 1, 2), R2: (3, 2, 4)},
        "E09000005": {R1: (2, 2, 5), R2: (3, 4, 5)},
    }
)


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return {name: frame for name, (frame, _) in parse_tables(DEMO / "loti.xlsx", DEMO_KEY).items()}


# ----------------------------------------------------------------------------------------------
# Weights, rounds and the index
# ----------------------------------------------------------------------------------------------


def test_equal_weights_and_stated_weights_are_normalised():
    equal = mt.parse_weights("equal")
    assert list(equal.index) == list(MATURITY_DOMAINS) and np.allclose(equal, 1 / 9)
    stated = mt.parse_weights(" Data=3 ; Leadership=0 ", DOMAINS)
    assert stated.to_dict() == {"Data": 0.75, "Cyber security": 0.25, "Leadership": 0.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dta=2", "not a maturity domain"),
        ("Data=-1", "non-negative"),
        ("Data", "of the form"),
        ("Data=two", "not a number"),
        ("Data=0; Cyber security=0; Leadership=0", "at least one"),
    ],
)
def test_bad_weights_are_refused_with_a_reason(text: str, message: str):
    with pytest.raises(ValueError, match=message):
        mt.parse_weights(text, DOMAINS)


def test_rounds_and_score_table():
    assert mt.assessment_rounds(SMALL) == [R1, R2]
    assert mt.resolve_round(SMALL, "first") == R1 and mt.resolve_round(SMALL, "latest") == R2
    assert mt.resolve_round(SMALL, "previous") == R1 and mt.resolve_round(SMALL, "2025-06-30") == R2
    with pytest.raises(ValueError, match="no assessment round on 2024-01-01"):
        mt.resolve_round(SMALL, "2024-01-01")
    table = mt.score_table(SMALL, R1, DOMAINS)
    assert table.loc["E09000004"].tolist() == [3, 1, 2] and list(table.columns) == list(DOMAINS)


def test_index_is_the_weighted_mean_and_missing_domains_give_no_index():
    frame = assessments({"E09000001": {R1: (2, 3, 4)}, "E09000002": {R1: (5, float("nan"), 1)}})
    scores = mt.score_table(frame, R1, DOMAINS)
    index = mt.maturity_index(scores, mt.parse_weights("Data=2", DOMAINS))
    assert index["E09000001"] == pytest.approx((2 * 2 + 3 + 4) / 4)
    assert np.isnan(index["E09000002"])


def test_check_authority():
    assert mt.check_authority("all") == "all" and mt.check_authority("E09000033") == "E09000033"
    for bad in ("E09000034", "Camden", "e09000001"):
        with pytest.raises(ValueError, match="London GSS code"):
            mt.check_authority(bad)


# ----------------------------------------------------------------------------------------------
# Sensitivity to the weights
# ----------------------------------------------------------------------------------------------


def test_weight_sensitivity_replays_with_numpy_and_scipy():
    scores = mt.score_table(SMALL, R2, DOMAINS)
    weights = mt.parse_weights("Data=2", DOMAINS)
    result = mt.weight_sensitivity(scores, weights, draws=300, concentration=2.0, interval=0.8, seed=11)

    base = np.array([0.5, 0.25, 0.25])
    drawn = np.random.default_rng(11).dirichlet(2.0 * 3 * base, size=300)
    np.testing.assert_allclose(result.weights, drawn)
    values = scores.to_numpy()
    chosen = values @ base
    expected = [stats.spearmanr(values @ w, chosen).statistic for w in drawn]
    np.testing.assert_allclose(result.spearman, expected, atol=1e-12)

    ranks = np.column_stack([stats.rankdata(-(values @ w), method="min") for w in drawn])
    by_code = result.ranks.set_index("authority_code")
    for i, code in enumerate(scores.index):
        mine = np.sort(ranks[i])
        # inverted-CDF quantiles: the smallest rank with at least 10% (90%) of draws at or below it
        assert by_code.loc[code, "rank_low"] == mine[int(np.ceil(0.1 * 300)) - 1]
        assert by_code.loc[code, "rank_high"] == mine[int(np.ceil(0.9 * 300)) - 1]
        assert by_code.loc[code, "rank_median"] == np.median(ranks[i])
    # chosen-weight index by hand: E09000003 = (2*4 + 5 + 4) / 4 = 4.25, the highest
    assert by_code.loc["E09000003", "index"] == pytest.approx(4.25) and by_code.loc["E09000003", "rank"] == 1


def test_very_concentrated_weights_keep_the_chosen_ranking():
    scores = mt.score_table(SMALL, R2, DOMAINS)
    result = mt.weight_sensitivity(scores, mt.parse_weights("equal", DOMAINS), draws=200, concentration=1e7, seed=3)
    assert np.all(result.spearman > 0.999)
    assert (result.ranks["rank_low"] == result.ranks["rank"]).all()
    assert (result.ranks["rank_high"] == result.ranks["rank"]).all()
    estimates = {e.term: e for e in result.estimates()}
    assert estimates["rank_range_max_width"].estimate == 0


def test_a_domain_weighted_zero_stays_at_zero():
    scores = mt.score_table(SMALL, R2, DOMAINS)
    result = mt.weight_sensitivity(scores, mt.parse_weights("Leadership=0", DOMAINS), draws=50, seed=5)
    assert np.all(result.weights[:, 2] == 0) and np.allclose(result.weights.sum(axis=1), 1)


# ----------------------------------------------------------------------------------------------
# Comparison with London
# ----------------------------------------------------------------------------------------------


def test_london_summary_and_comparison_by_hand():
    scores = mt.score_table(SMALL, R2, DOMAINS)
    weights = mt.parse_weights("equal", DOMAINS)
    comparison = mt.london_comparison(scores, weights, "E09000002", resamples=4000, seed=2).set_index("measure")
    data = comparison.loc["Data"]
    assert data["score"] == 2 and data["london_mean"] == pytest.approx(3.0)
    assert data["london_median"] == 3 and (data["london_q1"], data["london_q3"]) == (3, 3)
    assert data["position"] == "below the middle half of London"
    assert data["difference"] == pytest.approx(-1.0)
    assert data["difference_low"] == pytest.approx(2 - data["mean_high"])
    index = comparison.loc[mt.INDEX]
    london_index = np.array([11 / 3, 2, 13 / 3, 3, 4])  # equal-weight means of the five authorities in round 2
    assert index["score"] == pytest.approx(2) and index["london_mean"] == pytest.approx(london_index.mean())
    assert index["london_median"] == pytest.approx(np.median(london_index))


def test_the_london_mean_interval_agrees_with_scipy_bca(demo):
    scores = mt.score_table(demo["maturity_assessments"], R2)
    summary = mt.london_summary(scores, mt.parse_weights("equal"), resamples=9999, seed=1).set_index("measure")
    values = scores["Open data"].to_numpy()
    reference = stats.bootstrap(
        (values,), np.mean, method="BCa", n_resamples=9999, random_state=np.random.default_rng(1)
    ).confidence_interval
    assert summary.loc["Open data", "mean_low"] == pytest.approx(reference.low, abs=0.05)
    assert summary.loc["Open data", "mean_high"] == pytest.approx(reference.high, abs=0.05)


# ----------------------------------------------------------------------------------------------
# Change between rounds
# ----------------------------------------------------------------------------------------------


def test_authority_change_is_the_weighted_mean_of_domain_changes():
    weights = mt.parse_weights("Data=2", DOMAINS)
    change = mt.authority_change(SMALL, weights, "E09000004", R1, R2, resamples=4000, seed=4)
    # changes (0, 1, 2) with weights (2, 1, 1) / 4
    assert change.estimate == pytest.approx((0 * 2 + 1 + 2) / 4) and change.n == 3
    assert change.conf_low <= change.estimate <= change.conf_high


def test_authority_change_interval_agrees_with_scipy_paired_bca(demo):
    frame = demo["maturity_assessments"]
    weights = mt.parse_weights("Leadership=3")
    change = mt.authority_change(frame, weights, "E09000019", R1, R2, resamples=9999, seed=8)
    table = mt.domain_change_table(frame, R1, R2)
    mine = table[table["authority_code"] == "E09000019"]
    d, w = mine["change"].to_numpy(), weights.reindex(mine["domain"]).to_numpy()

    def weighted(d, w, axis=-1):
        return np.sum(d * w, axis=axis) / np.sum(w, axis=axis)

    reference = stats.bootstrap(
        (d, w), weighted, paired=True, method="BCa", n_resamples=9999, random_state=np.random.default_rng(8)
    ).confidence_interval
    assert change.estimate == pytest.approx(weighted(d, w))
    assert change.conf_low == pytest.approx(reference.low, abs=0.12)
    assert change.conf_high == pytest.approx(reference.high, abs=0.12)


def test_london_change_matches_scipy_paired_t():
    weights = mt.parse_weights("equal", DOMAINS)
    estimates = mt.london_change(SMALL, weights, R1, R2, resamples=2000, seed=1)
    before = mt.maturity_index(mt.score_table(SMALL, R1, DOMAINS), weights)
    after = mt.maturity_index(mt.score_table(SMALL, R2, DOMAINS), weights)
    reference = stats.ttest_rel(after, before)
    paired = next(e for e in estimates if e.term == "index_change" and "t-test" in e.method)
    assert paired.estimate == pytest.approx((after - before).mean())
    assert paired.statistic == pytest.approx(reference.statistic) and paired.p_value == pytest.approx(reference.pvalue)
    ci = reference.confidence_interval(0.95)
    assert (paired.conf_low, paired.conf_high) == pytest.approx((ci.low, ci.high))
    cyber = next(e for e in estimates if e.group.startswith("Cyber security"))
    assert cyber.estimate == pytest.approx(np.mean([0, 0, 1, 1, 2])) and cyber.n == 5


def test_change_by_membership_matches_scipy_welch():
    # Members at the start of the interval (2023-06-30): E09000001 and E09000004. E09000003 joins a day
    # later; E09000005 left before it.
    membership = pd.DataFrame(
        {
            "authority_code": ["E09000001", "E09000004", "E09000003", "E09000005"],
            "joined_on": pd.to_datetime(["2020-01-01", "2023-06-30", "2023-07-01", "2020-01-01"]),
            "left_on": pd.to_datetime([None, None, None, "2022-12-31"]),
        }
    )
    table = mt.change_by_membership(SMALL, membership, mt.parse_weights("equal", DOMAINS)).set_index("group")
    changes = {"E09000001": 2 / 3, "E09000002": 1 / 3, "E09000003": 2 / 3, "E09000004": 1, "E09000005": 1}
    members = [changes["E09000001"], changes["E09000004"]]
    others = [changes[c] for c in ("E09000002", "E09000003", "E09000005")]
    assert table.loc["LOTI members", "estimate"] == pytest.approx(np.mean(members))
    assert table.loc["LOTI members", "n"] == 2 and table.loc["Non-members", "n"] == 3
    welch = stats.ttest_ind(members, others, equal_var=False)
    difference = table.loc["Difference (members minus non-members)"]
    assert difference["p_value"] == pytest.approx(welch.pvalue)
    ci = welch.confidence_interval(0.95)
    assert (difference["conf_low"], difference["conf_high"]) == pytest.approx((ci.low, ci.high))


def test_demo_recovers_the_planted_gains_of_members_and_non_members(demo):
    table = mt.change_by_membership(demo["maturity_assessments"], demo["membership"], mt.parse_weights("equal"))
    for interval, (members, others) in TRUE_GAINS.items():
        rows = table[table["interval"] == interval].set_index("group")
        for group, truth in (("LOTI members", members), ("Non-members", others)):
            assert rows.loc[group, "conf_low"] <= truth <= rows.loc[group, "conf_high"], (interval, group)
        assert rows.loc["Difference (members minus non-members)", "estimate"] > 0


def test_demo_london_change_covers_the_planted_mean_gain(demo):
    frame = demo["maturity_assessments"]
    estimates = mt.london_change(frame, mt.parse_weights("equal"), R1, R2, resamples=2000, seed=1)
    index = [e for e in estimates if e.term == "index_change"]
    # Over 2023-06 to 2025-06, 27 members gain 0.298 and 6 non-members 0.100 in expectation.
    truth = (27 * 0.298 + 6 * 0.100) / 33
    assert len(index) == 2 and all(e.conf_low <= truth <= e.conf_high for e in index)


# ----------------------------------------------------------------------------------------------
# Figures and the league-table rule
# ----------------------------------------------------------------------------------------------


def test_rank_chart_names_no_authority_unless_asked(demo):
    scores = mt.score_table(demo["maturity_assessments"], R2)
    result = mt.weight_sensitivity(scores, mt.parse_weights("equal"), draws=100, seed=1)
    names = {"E09000007": "Camden", "E09000019": "Islington", "E09000033": "Westminster"}
    anonymous, alt = mt.rank_range_chart(result, highlight="E09000019")
    text = anonymous.to_json() + alt
    assert not any(name in text for name in names.values()) and "E09000" not in anonymous.to_json()
    assert "highlighted authority is ranked" in alt
    named, _ = mt.rank_range_chart(result, names=names)
    assert "Camden" in json.dumps(named.to_plotly_json(), default=str)


def test_comparison_dot_plot_describes_every_domain():
    scores = mt.score_table(SMALL, R2, DOMAINS)
    comparison = mt.london_comparison(scores, mt.parse_weights("equal", DOMAINS), "E09000003", resamples=500)
    figure, alt = mt.comparison_dot_plot(comparison, "Test borough", "June 2025")
    assert all(d in alt for d in (*DOMAINS, mt.INDEX)) and "Test borough" in figure.layout.title.text
