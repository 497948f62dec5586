"""Chart builders (evaluation.charts): what a reader of a chart of protected rates sees."""

from __future__ import annotations

import pandas as pd

from evaluation.charts import rate_chart


def test_a_suppressed_rate_is_marked_in_place_and_explained():
    rates = pd.DataFrame({"session": [1, 2, 3], "attendance_rate": [None, 0.79, 0.625]})
    figure = rate_chart(
        rates,
        x="session",
        rate="attendance_rate",
        title="Attendance",
        x_title="Session",
        y_title="Attending (% of enrolled)",
    )
    (bars,) = figure.data
    assert list(bars.y[1:]) == [79.0, 62.5] and pd.isna(bars.y[0])
    marks = [a for a in figure.layout.annotations if a.text == "[c]"]
    assert [(a.x, a.y) for a in marks] == [(1, 0)]
    assert any("[c]: not shown" in a.text for a in figure.layout.annotations)
    assert list(figure.layout.yaxis.range) == [0, 105] and figure.layout.xaxis.type == "category"


def test_a_chart_without_suppression_carries_no_note():
    rates = pd.DataFrame({"session": [1, 2], "attendance_rate": [1.0, 0.0]})
    figure = rate_chart(
        rates,
        x="session",
        rate="attendance_rate",
        title="Attendance",
        x_title="Session",
        y_title="Attending (% of enrolled)",
    )
    assert not figure.layout.annotations
