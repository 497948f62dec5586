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
    bars, marks = figure.data
    assert list(bars.y[1:]) == [79.0, 62.5] and pd.isna(bars.y[0]) and list(bars.x) == ["1", "2", "3"]
    assert list(marks.x) == ["1"] and list(marks.y) == [0] and list(marks.text) == ["[c]"]
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
    assert not figure.layout.annotations and len(figure.data) == 1
