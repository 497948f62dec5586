"""The presentation layer: number rules, report tables, findings, and warnings turned into notes."""

from __future__ import annotations

import datetime as dt
import warnings
from html.parser import HTMLParser

import pandas as pd
import pytest

from evaluation import presentation as show
from evaluation.notes import AnalysisNote


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (show.score(4.0), "4.00"),
        (show.score(-0.004, signed=True), "+0.00"),
        (show.score(-1.236, signed=True), "-1.24"),
        (show.percent(0.5), "50%"),
        (show.money(1_234_567.4), "£1,234,567"),
        (show.money(0.5), "£0.50"),
        (show.count(1_000_000), "1,000,000"),
        (show.p_phrase(0.0005), "p < 0.001"),
        (show.p_phrase(0.001), "p = 0.001"),
        (show.date(dt.datetime(2026, 3, 1, 23, 59)), "1 March 2026"),
        (show.yes_no(False), "No"),
        (show.number(float("nan")), show.MISSING),
    ],
)
def test_number_rules(shown: str, expected: str) -> None:
    assert shown == expected


class _Cells(HTMLParser):
    """Collects (tag, attributes, text) of table cells and the caption."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "td", "caption", "li"):
            self._open = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cells.append((*self._open, data))
            self._open = None


def test_table_shows_words_not_a_dataframe() -> None:
    frame = pd.DataFrame(
        {
            "group": ["Quality", "Relevance", "Applicability"],
            "estimate": [4.123456, float("nan"), 3.739372e-08],
            "p_value": [0.0321, float("nan"), 3.7e-08],
            "member": [True, False, True],
            "suppressed": [False, True, False],
        }
    )
    table = show.table(
        frame,
        [
            show.Column("group", "Rating"),
            show.Column("estimate", "Mean (1 to 5)", "score"),
            show.Column("p_value", "p-value", "p"),
            show.Column("member", "Member", "yes_no"),
        ],
        caption="Ratings at the end",
        source="Endpoint survey",
    )
    cells = _Cells()
    cells.feed(table._repr_html_())
    texts = [text for _, _, text in cells.cells]
    assert texts[0] == "Ratings at the end"
    assert ("th", {"scope": "col"}, "Rating") in cells.cells
    assert ("th", {"scope": "row"}, "Quality") in cells.cells  # first column: row headers
    assert ("td", {"class": "wb-num"}, "4.12") in cells.cells
    assert {"0.032", "<0.001", "0.00", "Yes", "No", "[c]"} <= set(texts)
    assert not {"True", "False", "nan", "NaN", "3.739372e-08", "0", "1", "2"} & set(texts)  # no index, no raw values
    assert [t for t in texts if t.startswith(("[c] ", "Source"))] == [
        show.numbers.SUPPRESSED_NOTE,
        "Source: Endpoint survey",
    ]


def test_table_names_a_missing_column() -> None:
    with pytest.raises(KeyError, match="'Completion'.*no column.*'status'"):
        show.table(pd.DataFrame({"n": [1]}), [show.Column("status", "Status")], caption="Completion")


def test_missing_values_get_a_dash_and_its_note() -> None:
    table = show.table(
        pd.DataFrame({"x": ["a"], "y": [None]}), [show.Column("x", "X"), show.Column("y", "Y", "count")], caption="c"
    )
    assert table.rows == (("a", show.MISSING),) and table.notes == (show.numbers.MISSING_NOTE,)


def test_warnings_become_notes_without_paths() -> None:
    findings = show.Findings("Q?", "Design.")
    try:
        warnings.warn(
            "26 of 2,000 resamples could not be computed; the interval uses the other 1,974.",
            AnalysisNote,
            stacklevel=1,
        )
        warnings.warn(
            "invalid value in /home/someone/src/evaluation/statistics/paired.py: divide (26/2000)",
            RuntimeWarning,
            stacklevel=1,
        )
        warnings.warn(
            "26 of 2,000 resamples could not be computed; the interval uses the other 1,974.",
            AnalysisNote,
            stacklevel=1,
        )
        with pytest.warns(DeprecationWarning):  # for maintainers: passed on, not a note
            warnings.warn("old API", DeprecationWarning, stacklevel=1)
    finally:
        findings.close()
    assert findings.notes_ == [
        "26 of 2,000 resamples could not be computed; the interval uses the other 1,974.",
        "A calculation reported: invalid value in paired.py: divide (26/2000).",
    ]
    notes = findings.notes().text
    assert notes.startswith("## Notes on the analysis") and "/home" not in notes


def test_summary_lists_key_findings_with_their_evidence() -> None:
    findings = show.Findings("Did confidence rise?", "One cohort before and after: change, not its cause.")
    findings.close()
    shown = findings.key("Confidence", "Up 0.80 points (95% interval 0.40 to 1.20).", "Before-and-after only.")
    assert shown.text == "**Confidence.** Up 0.80 points (95% interval 0.40 to 1.20)."
    summary = findings.summary().text
    assert "**The question.** Did confidence rise?" in summary
    assert (
        "- **Confidence.** Up 0.80 points (95% interval 0.40 to 1.20). *Strength of evidence:* Before-and-after"
        in summary
    )
    assert summary.rstrip().endswith("One cohort before and after: change, not its cause.")


def test_people_counts_are_marked_for_the_disclosure_audit() -> None:
    assert show.people(12, 'cohort "C1"') == '<span data-people="cohort &quot;C1&quot;">12</span>'
