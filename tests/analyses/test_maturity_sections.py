"""The digital maturity report's sections: what they publish, their findings and tables, on a small example."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from evaluation.analyses.maturity import sections
from evaluation.schemas.loti import MATURITY_DOMAINS
from report_text_checks import RecordingRun, quiet_findings, section_text

R1, R2 = pd.Timestamp("2023-06-30"), pd.Timestamp("2025-06-30")
SCORES = {
    "E09000001": ((2, 3, 4), (3, 3, 5)),
    "E09000002": ((1, 2, 2), (2, 2, 2)),
    "E09000003": ((4, 4, 3), (4, 5, 4)),
    "E09000004": ((3, 1, 2), (3, 2, 4)),
    "E09000005": ((2, 2, 5), (3, 4, 5)),
}


@pytest.fixture
def run() -> RecordingRun:
    rows = [
        (code, day, domain, value)
        for code, (first, second) in SCORES.items()
        for day, values in ((R1, first), (R2, second))
        for domain, value in zip(MATURITY_DOMAINS, values * 3, strict=True)
    ]  # each triple three times
    assessments = pd.DataFrame(rows, columns=["authority_code", "assessed_on", "domain", "score"])
    authorities = pd.DataFrame({"gss_code": list(SCORES), "name": ["City", "Barking", "Barnet", "Bexley", "Brent"]})
    membership = pd.DataFrame(
        {
            "authority_code": ["E09000001", "E09000002", "E09000003"],
            "joined_on": pd.to_datetime(["2020-01-01"] * 3),
            "left_on": pd.NaT,
        }
    )
    return RecordingRun({"maturity_assessments": assessments, "authorities": authorities, "membership": membership})


def test_dates_read_the_uk_way():
    assert sections.month(R1) == "June 2023"
    assert sections.period_label("2023-06-30 to 2025-06-30") == "30 June 2023 to 30 June 2025"


def test_prepare_resolves_rounds_and_refuses_them_in_the_wrong_order(run):
    setup = sections.prepare(run, "all", "equal", "first", "latest")
    assert setup.london and setup.name == "London" and (setup.start, setup.end) == (R1, R2)
    assert setup.membership is not None and "June 2023 to June 2025" in sections.question(setup)
    assert sections.prepare(run, "E09000003", "equal", "first", "latest").name == "Barnet"
    with pytest.raises(ValueError, match="must be before"):
        sections.prepare(run, "all", "equal", "latest", "first")
    with pytest.raises(ValueError, match="needs the LOTI membership table"):
        sections.membership_section(run, quiet_findings(), replace(setup, membership=None))


def test_london_sections_publish_as_the_notebook_did_and_give_key_findings(run):
    setup = sections.prepare(run, "all", "equal", "first", "latest")
    made = quiet_findings()
    shown = (
        sections.overview_section(run, made, setup)
        + sections.standing_section(run, made, setup, resamples=200, seed=1)
        + sections.change_section(run, made, setup, resamples=200, seed=1)
        + sections.membership_section(run, made, setup)
        + sections.ranking_section(run, made, setup, draws=50, seed=1)
    )
    assert run.published == [
        ("table", "weights"),
        ("table", "london_by_domain"),
        ("results", ""),
        ("figure", "against_london"),
        ("results", ""),
        ("figure", "change"),
        ("table", "change_by_membership"),
        ("results", ""),
        ("figure", "rank_sensitivity"),
    ]
    assert [k.heading for k in made.key_findings] == [
        "Change in London",
        "LOTI members and other authorities",
        "Rankings",
    ]
    change = made.key_findings[0].text
    # index = mean of the triple; London's mean change = mean over authorities of (after - before) = 11/15
    assert (
        change.startswith(
            "London authorities' mean maturity index changed by +0.73 points from June 2023 to June "
            "2025 (95% interval +"
        )
        and "paired over 5 authorities" in change
    )
    text = section_text(shown)
    assert "30 June 2023 to 30 June 2025" in text and "2023-06-30" not in text
    assert "nan" not in text.lower().split() and "True" not in text


def test_one_authority_sections_compare_with_london(run):
    setup = sections.prepare(run, "E09000003", "equal", "first", "latest")
    made = quiet_findings()
    shown = (
        sections.standing_section(run, made, setup, resamples=200, seed=1)
        + sections.change_section(run, made, setup, resamples=200, seed=1)
        + sections.membership_section(run, made, setup)
        + sections.ranking_section(run, made, setup, draws=50, seed=1)
    )
    assert ("table", "comparison_with_london") in run.published and ("table", "rank_sensitivity") in run.published
    assert [k.heading for k in made.key_findings] == ["Barnet against London", "Change in Barnet", "Rankings"]
    assert made.key_findings[2].text.startswith("Barnet is ranked 1 of 5 (between 1 and ")
    assert made.key_findings[1].text.startswith("Barnet's index changed by +0.67 points from June 2023 to June 2025")
    assert "Shown in the London report" in section_text(shown)
