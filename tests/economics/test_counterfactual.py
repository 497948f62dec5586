"""Counterfactual-cost savings against hand arithmetic."""

import numpy as np
import pytest

from evaluation.economics.counterfactual import (
    bilateral_agreement_count,
    day_rate_saving,
    saving_against_counterfactual,
    shared_agreement_saving,
)


@pytest.mark.parametrize(("parties", "count"), [(0, 0), (1, 0), (2, 1), (3, 3), (27, 351), (33, 528)])
def test_bilateral_agreement_count_is_n_choose_2(parties, count):
    # 33 London authorities: 33 * 32 / 2 = 528 pairs.
    assert bilateral_agreement_count(parties) == count


@pytest.mark.parametrize("parties", [-1, 2.5])
def test_bilateral_agreement_count_rejects(parties):
    with pytest.raises(ValueError, match="whole number"):
        bilateral_agreement_count(parties)


def test_shared_agreement_saving():
    # 528 bilateral agreements at 2,650 each cost 1,399,200; one shared one costs 2,650.
    saving = shared_agreement_saving(33, cost_per_agreement=2_650, shared_agreement_cost=2_650)
    assert saving == pytest.approx(528 * 2_650 - 2_650)
    assert saving == pytest.approx(1_396_550)


def test_leadership_day_rate_saving():
    # £650 a day against a £900 market rate saves £250 a day.
    assert day_rate_saving(days=1, actual_day_rate=650, market_day_rate=900) == 250.0
    # A £50k pilot at £650/day buys 50,000/650 days; at £900/day they would cost
    # 50,000 * 900/650, so the saving is 50,000 * 250/650 = 19,230.77.
    days = 50_000 / 650
    assert day_rate_saving(days, 650, 900) == pytest.approx(19_230.769, abs=1e-3)


def test_day_rate_saving_is_negative_above_market_rate():
    assert day_rate_saving(10, 1_000, 900) == -1_000.0


def test_day_rate_saving_rejects_negative_days():
    with pytest.raises(ValueError, match="days"):
        day_rate_saving(-1, 650, 900)


def test_saving_against_counterfactual():
    assert saving_against_counterfactual(1_000_000, 700_000) == 300_000.0
    savings = saving_against_counterfactual(np.array([10.0, 5.0]), np.array([4.0, 8.0]))
    assert savings.tolist() == [6.0, -3.0]
