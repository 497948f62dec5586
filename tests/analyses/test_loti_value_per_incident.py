"""The project notebook passes its ``value_per_incident`` parameter (0 by default) straight to the appraisal:
0 must mean "no break-even count", as None does, with every other figure unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.analyses import loti
from evaluation.tidy import to_frame

FLOWS = pd.DataFrame(
    {
        "project": "P",
        "year": [2023, 2024],
        "type": ["cost", "benefit"],
        "amount": [100.0, 207.0],
        "price_base_year": 2023,
        "bearer": "GLA",
        "cashable": True,
    }
)


@pytest.mark.parametrize("none", [0.0, -1.0])
def test_a_value_per_incident_of_zero_or_less_means_none(none: float):
    without = loti.appraise_value_for_money(FLOWS, price_base_year=2023, value_per_incident=None)
    given = loti.appraise_value_for_money(FLOWS, price_base_year=2023, value_per_incident=none)
    pd.testing.assert_frame_equal(to_frame(given.estimates), to_frame(without.estimates))
    assert "break_even_incidents" not in set(to_frame(given.estimates)["term"])


def test_a_positive_value_per_incident_gives_the_break_even_count():
    vfm = loti.appraise_value_for_money(FLOWS, price_base_year=2023, value_per_incident=30.0)
    assert vfm.value("break_even_incidents") == 4  # ceil(PV costs 100 / 30): 3 incidents cover 90 only
