"""What ``workbench new NAME`` writes: the analysis's package, its test and notebook, and its manifest entry.

Each template is the file as written, with ``ANALYSIS_NAME`` (a Python identifier) and ``ANALYSIS_TITLE`` (one
line of plain text) put in. The generated files pass ``ruff check``, ``ruff format --check``, their test and the
thin-notebook rule (:mod:`evaluation.thin_notebooks`) as written: ``tests/test_analysis_scaffold.py`` checks it.

The analysis is a small, real one on the demo data (each wave's mean score on a construct of the leadership
survey, with its interval, the respondents counted as disclosure control allows), so that the new notebook
runs and publishes at once and shows every convention of a report: typed parameters, the run contract, a key
finding, a table, a figure with its text alternative, the summary and the notes.
"""

from __future__ import annotations

# The package src/evaluation/analyses/ANALYSIS_NAME/: file name -> text. Modules by role, as the other analyses
# are laid out (ARCHITECTURE.md): the computation, the figures, and what the report says.
PACKAGE: dict[str, str] = {}

PACKAGE["__init__.py"] = r'''"""ANALYSIS_TITLE.

The functions the notebook ``notebooks/ANALYSIS_NAME.ipynb`` calls (docs/developing.md), by role: the
computation (``scores``), the figures (``figures``) and what the report says, section by section
(``sections``). The notebook imports the package as ``analysis``.
"""

from .figures import scores_chart
from .scores import construct_scores, mean_by_wave, respondent_count
from .sections import DESIGN, EVIDENCE, question, scores_finding, scores_table

__all__ = [
    "DESIGN",
    "EVIDENCE",
    "construct_scores",
    "mean_by_wave",
    "question",
    "respondent_count",
    "scores_chart",
    "scores_finding",
    "scores_table",
]
'''

PACKAGE["scores.py"] = r'''"""The computation: each respondent's score on a construct, each wave's mean and interval.

Written by ``workbench new`` as a starting point (docs/developing.md): one typed function per step, tested in
``tests/analyses/test_ANALYSIS_NAME.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.schemas.programme import WAVES
from evaluation.tidy import Estimate


def construct_scores(responses: pd.DataFrame, instrument: pd.DataFrame, construct: str) -> pd.DataFrame:
    """Each respondent's score on ``construct`` at each wave: the mean of its items, reverse-coded ones turned.

    A reverse-coded answer :math:`x` on a scale from :math:`a` to :math:`b` counts as :math:`a + b - x`.

    Parameters
    ----------
    responses : pandas.DataFrame
        The ``responses`` table (``respondent``, ``wave``, ``item_id``, ``value``).
    instrument : pandas.DataFrame
        The ``instrument`` table (``item_id``, ``construct``, ``scale_min``, ``scale_max``, ``reverse_coded``).
    construct : str
        The construct to score (a value of ``instrument.construct``).

    Returns
    -------
    pandas.DataFrame
        One row per respondent and wave: ``respondent``, ``wave``, ``score``.

    Raises
    ------
    ValueError
        When the instrument has no item measuring ``construct`` (naming those it has).

    Examples
    --------
    >>> instrument = pd.DataFrame({"item_id": ["a", "b"], "construct": "confidence", "scale_min": 1,
    ...                            "scale_max": 5, "reverse_coded": [False, True]})
    >>> responses = pd.DataFrame({"respondent": "P1", "wave": "baseline", "item_id": ["a", "b"], "value": [4, 2]})
    >>> construct_scores(responses, instrument, "confidence")
      respondent      wave  score
    0         P1  baseline    4.0
    """
    items = instrument[instrument["construct"] == construct].set_index("item_id")
    if items.empty:
        raise ValueError(
            f"no item of the instrument measures {construct!r}; it measures {sorted(set(instrument['construct']))}"
        )
    answers = responses[responses["item_id"].isin(items.index)]
    item = items.loc[answers["item_id"]]
    turned = (item["scale_min"] + item["scale_max"]).to_numpy() - answers["value"].to_numpy()
    values = np.where(item["reverse_coded"].to_numpy(dtype=bool), turned, answers["value"].to_numpy())
    scored = answers.assign(score=values.astype(float))
    return scored.groupby(["respondent", "wave"], as_index=False).agg(score=("score", "mean"))


def respondent_count(scores: pd.DataFrame) -> int:
    """How many people answered at any wave: the population the run's counts of respondents belong to."""
    return int(scores["respondent"].nunique())


def mean_by_wave(scores: pd.DataFrame, construct: str, *, alpha: float = 0.05) -> list[Estimate]:
    """The mean score at each wave with its :math:`1 - \\alpha` interval, waves in survey order.

    .. math:: \\bar x \\pm t_{1-\\alpha/2,\\,n-1} \\, s / \\sqrt{n}

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`construct_scores`.
    construct : str
        The construct scored (the rows' ``term``).
    alpha : float
        One minus the interval's confidence level.

    Returns
    -------
    list of Estimate
        One per wave (``group``), with ``n`` respondents; a wave of one respondent has no interval.

    References
    ----------
    Altman, D. G. et al. (2000). *Statistics with Confidence*, 2nd ed., chapter 4. BMJ Books.
    """
    order = {wave: position for position, wave in enumerate(WAVES)}
    waves = sorted(scores["wave"].unique(), key=lambda wave: (order.get(wave, len(order)), wave))
    estimates = []
    for wave in waves:
        values = scores.loc[scores["wave"] == wave, "score"].to_numpy(dtype=float)
        n, mean = len(values), float(values.mean())
        std_error = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
        margin = float(stats.t.ppf(1 - alpha / 2, n - 1)) * std_error if n > 1 else float("nan")
        estimates.append(
            Estimate(
                construct,
                mean,
                std_error=std_error,
                conf_low=mean - margin,
                conf_high=mean + margin,
                n=n,
                method=f"mean of respondents' scores, t interval ({1 - alpha:.0%})",
                group=str(wave),
            )
        )
    return estimates
'''

PACKAGE["figures.py"] = r'''"""The report's figures: each wave's mean and interval, with a text alternative."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evaluation import charts
from evaluation import presentation as show

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


def scores_chart(results: pd.DataFrame, construct: str, *, alpha: float = 0.05) -> tuple[go.Figure, str]:
    """The means with their intervals, one row per wave, and the chart's text alternative."""
    figure = charts.interval_chart(
        results, label="group", title=f"Mean {construct} score by wave", x_title="Mean score", reference=None
    )
    described = "; ".join(f"{row['group']} {show.score(row['estimate'])}" for row in results.to_dict("records"))
    return figure, f"Mean {construct} score at each wave with its {1 - alpha:.0%} interval: {described}."
'''

PACKAGE["sections.py"] = r'''"""What the report says: its question, what the design shows, the finding, the table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evaluation import presentation as show

if TYPE_CHECKING:
    import pandas as pd

DESIGN = (
    "Descriptive: the mean score of the respondents at each wave. The waves' respondents are not all the same "
    "people, and there is no comparison group, so a difference between waves is not a measured effect."
)
EVIDENCE = "Descriptive only: the respondents of each wave, without a comparison group."


def question(construct: str) -> str:
    """What the report answers, in words."""
    return f"How did respondents score on {construct} at each wave of the survey?"


def scores_finding(results: pd.DataFrame, construct: str, *, alpha: float = 0.05) -> str:
    """The finding in words: each wave's mean with its interval and respondents, from the published rows."""
    level = 1 - alpha
    parts = [
        f"{row['group']} {show.score(row['estimate'])} "
        f"({show.interval(row['conf_low'], row['conf_high'], confidence_level=level)}; "
        f"{show.people(row['n'], 'respondents')} respondents)"
        for row in results.to_dict("records")
    ]
    return f"The mean {construct} score by wave: " + "; ".join(parts) + "."


def scores_table(results: pd.DataFrame, construct: str, *, alpha: float = 0.05, source: str = "") -> show.Table:
    """The published rows as a report table: wave, mean, interval and respondents."""
    level = f"{1 - alpha:.0%}"
    columns = [
        show.Column("group", "Wave"),
        show.Column("estimate", f"Mean {construct} score", "score"),
        show.Column("conf_low", f"Lower end of the {level} interval", "score"),
        show.Column("conf_high", f"Upper end of the {level} interval", "score"),
        show.Column("n", "Respondents", "count"),
    ]
    return show.table(results, columns, caption=f"Mean {construct} score at each wave", source=source)
'''

TEST = r'''"""Tests of the functions of the analysis ANALYSIS_NAME: by hand, and against statsmodels."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.weightstats import DescrStatsW

from evaluation.analyses import ANALYSIS_NAME as analysis
from evaluation.tidy import to_frame

INSTRUMENT = pd.DataFrame(
    {
        "item_id": ["c1", "c2", "q1"],
        "construct": ["confidence", "confidence", "quality"],
        "scale_min": 1,
        "scale_max": 5,
        "reverse_coded": [False, True, False],
    }
)


def answers(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent", "wave", "item_id", "value"])


def test_scores_average_the_items_with_reverse_coded_ones_turned():
    responses = answers(
        [
            ("P1", "baseline", "c1", 4),
            ("P1", "baseline", "c2", 2),  # reverse coded: 1 + 5 - 2 = 4
            ("P1", "baseline", "q1", 1),  # another construct: left out
            ("P2", "baseline", "c1", 2),
            ("P2", "baseline", "c2", 5),  # 1
            ("P1", "endpoint", "c1", 5),
        ]
    )
    scores = analysis.construct_scores(responses, INSTRUMENT, "confidence")
    assert scores.to_dict("records") == [
        {"respondent": "P1", "wave": "baseline", "score": 4.0},
        {"respondent": "P1", "wave": "endpoint", "score": 5.0},
        {"respondent": "P2", "wave": "baseline", "score": 1.5},
    ]
    assert analysis.respondent_count(scores) == 2


def test_means_and_intervals_match_statsmodels_with_waves_in_survey_order():
    values = {"follow-up": [3.0, 4.5, 4.0, 5.0, 3.5], "baseline": [2.0, 3.0, 2.5, 4.0, 3.0, 2.0]}
    scores = pd.DataFrame(
        [(f"P{i}", wave, value) for wave, wave_values in values.items() for i, value in enumerate(wave_values)],
        columns=["respondent", "wave", "score"],
    )
    results = to_frame(analysis.mean_by_wave(scores, "confidence", alpha=0.1))
    assert list(results["group"]) == ["baseline", "follow-up"]
    for row in results.itertuples():
        reference = DescrStatsW(values[row.group])
        low, high = reference.tconfint_mean(alpha=0.1)
        assert row.estimate == pytest.approx(reference.mean)
        assert (row.conf_low, row.conf_high) == pytest.approx((low, high))
        assert row.n == len(values[row.group])
        assert row.term == "confidence"


def test_a_construct_without_items_is_refused_naming_it():
    with pytest.raises(ValueError, match="'trust'.*'confidence'"):
        analysis.construct_scores(answers([("P1", "baseline", "c1", 4)]), INSTRUMENT, "trust")


def test_the_finding_table_and_chart_give_every_wave():
    scores = pd.DataFrame(
        {"respondent": [f"P{i}" for i in range(12)], "wave": ["baseline"] * 6 + ["endpoint"] * 6, "score": 3.0}
    )
    results = to_frame(analysis.mean_by_wave(scores, "confidence"))
    finding = analysis.scores_finding(results, "confidence")
    assert "baseline 3.00" in finding and "endpoint 3.00" in finding
    assert '<span data-people="respondents">6</span> respondents' in finding
    assert analysis.scores_table(results, "confidence").rows[0] == ("baseline", "3.00", "3.00", "3.00", "6")
    figure, alt_text = analysis.scores_chart(results, "confidence")
    assert list(figure.data[0].y) == ["baseline", "endpoint"]
    assert alt_text.endswith("baseline 3.00; endpoint 3.00.")
'''

# The notebook's cells: (kind, tags, source). Code cells call the package only (imported as ``analysis``, so
# their layout does not depend on the name's length).
NOTEBOOK_CELLS: list[tuple[str, list[str], str]] = [
    (
        "markdown",
        [],
        """# ANALYSIS_TITLE

What this report answers, for whom, and from which data. As written by `workbench new`, it shows the mean score
of the respondents to a survey (`survey`) on one construct (`construct`) at each wave, with its interval: a
descriptive starting point. Replace this introduction, the parameters and the sections with the analysis's own,
keeping the code in `src/evaluation/analyses/ANALYSIS_NAME/` and its tests in
`tests/analyses/test_ANALYSIS_NAME.py` (docs/developing.md).""",
    ),
    ("code", [], "from typing import Literal"),
    (
        "code",
        ["parameters"],
        """survey: str = "leadership-survey"
construct: str = "confidence"
alpha: float = 0.05
disclosure_threshold: int = 5
audience: Literal["public", "internal"] = "public\"""",
    ),
    (
        "code",
        [],
        """from IPython.display import display

from evaluation import presentation as show
from evaluation.analyses import ANALYSIS_NAME as analysis
from evaluation.run.contract import current_run

run = current_run(disclosure_threshold, audience=audience)
findings = show.Findings(question=analysis.question(construct), design=analysis.DESIGN)
responses = run.read("responses", "survey = ?", [survey])
instrument = run.read("instrument", "survey = ?", [survey])
scores = analysis.construct_scores(responses, instrument, construct)
respondents = run.population("respondents", analysis.respondent_count(scores))""",
    ),
    (
        "markdown",
        [],
        """## 1. Scores at each wave

Each respondent's score is the mean of their answers to the construct's items (reverse-coded items turned).
The table gives each wave's mean score with its interval (a t interval) and the number of respondents, as far
as disclosure control allows.""",
    ),
    (
        "code",
        [],
        """results = run.publish_results(analysis.mean_by_wave(scores, construct, alpha=alpha))
run.publish_table("scores_by_wave", results, title=f"Mean {construct} score by wave", people_column="n")
display(findings.key("Scores by wave", analysis.scores_finding(results, construct, alpha=alpha), analysis.EVIDENCE))
analysis.scores_table(results, construct, alpha=alpha, source=f"Survey {survey}, every wave")""",
    ),
    (
        "markdown",
        [],
        """## 2. The scores on a chart

Each wave's mean (the dot) and its interval (the line).""",
    ),
    (
        "code",
        [],
        """figure, alt_text = analysis.scores_chart(results, construct, alpha=alpha)
run.publish_figure("scores_by_wave", figure, alt_text=alt_text)
figure""",
    ),
    ("code", ["summary"], "findings.summary()"),
    ("code", ["notes"], "findings.notes()"),
]

# The analysis's entry in notebooks/manifest.yml, as (depth, line) under its name.
MANIFEST_ENTRY: list[tuple[int, str]] = [
    (1, "notebook: ANALYSIS_NAME.ipynb"),
    (1, "title: ANALYSIS_TITLE_YAML"),
    (1, "parameters: {survey: leadership-survey}"),
    (1, "inputs:"),
    (2, '- {table: responses, where: "survey = $survey"}'),
    (2, '- {table: instrument, where: "survey = $survey"}'),
]
