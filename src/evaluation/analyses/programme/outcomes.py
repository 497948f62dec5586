"""Applications and open content: what completers applied at work (outcome 2) and who reused the content (4).

Recorded applications per completer and by evidence level (self-reported, manager-confirmed, documented),
suppressed where they are about people; views, downloads and reusing organisations of each open resource.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd
from scipy import stats

from ...presentation import numbers, people
from ...statistics.disclosure import DEFAULT_THRESHOLD, SuppressedTable, suppress_counts
from ...statistics.two_sample import proportion_estimate
from ...tidy import Estimate
from ..cohort import describe_interval
from .change import ALL_COHORTS


def applications_summary(
    applications: pd.DataFrame, participants: pd.DataFrame, *, confidence_level: float = 0.95
) -> list[Estimate]:
    """How many completers applied new approaches at work, and how often (outcome 2).

    * ``share_reporting_application``: completers with at least one recorded application, Clopper-Pearson
      interval (:func:`proportion_estimate`; ``n`` is the smaller of those with and without one);
    * ``applications_per_completer``: mean number of recorded applications per completer (zeros included),
      t interval with its lower bound truncated at 0 (a count cannot be negative); ``n`` = completers.

    Parameters
    ----------
    applications : pandas.DataFrame
        The ``applications`` table.
    participants : pandas.DataFrame
        The roster (completers have ``completed_on``).
    confidence_level : float
        Two-sided coverage.

    Returns
    -------
    list of Estimate
    """
    completers = participants.loc[participants["completed_on"].notna(), "participant_id"]
    counts = applications["participant_id"].value_counts().reindex(completers, fill_value=0).to_numpy(dtype=float)
    n = counts.size
    if n == 0:
        return [Estimate("share_reporting_application", math.nan, n=0, group=ALL_COHORTS, method="no completers")]
    share = proportion_estimate(
        int((counts > 0).sum()), n, term="share_reporting_application", confidence_level=confidence_level
    ).with_context(group=ALL_COHORTS)
    mean = float(counts.mean())
    if n < 2:
        return [share, Estimate("applications_per_completer", mean, n=n, group=ALL_COHORTS)]
    se = float(counts.std(ddof=1) / np.sqrt(n))
    half = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1)) * se
    return [
        share,
        Estimate(
            "applications_per_completer",
            mean,
            std_error=se,
            conf_low=max(0.0, mean - half),
            conf_high=mean + half,
            n=n,
            method="mean with t interval truncated at 0 (completers, zeros included)",
            group=ALL_COHORTS,
        ),
    ]


def evidence_table(
    applications: pd.DataFrame, participants: pd.DataFrame, *, k: int = DEFAULT_THRESHOLD
) -> SuppressedTable:
    """People with at least one application at each evidence level (self-reported, manager-confirmed,
    documented), suppressed. A person can appear at several levels, so the total counts records, not people:
    only the one-way cells are people."""
    mine = applications[applications["participant_id"].isin(participants["participant_id"])]
    people = mine.groupby("evidence_level")["participant_id"].nunique().rename("people")
    return suppress_counts(people, k=k)


def content_summary(content: pd.DataFrame) -> pd.DataFrame:
    """Views, downloads and reusing organisations of each open resource, with a total row.

    Not about people: counts of page views and organisations, so no suppression.
    """
    columns = [
        "resource_id",
        "cohort_id",
        "title",
        "resource_type",
        "licence",
        "published_on",
        "views",
        "downloads",
        "reusing_organisations",
    ]
    table = content[columns].sort_values("resource_id").reset_index(drop=True)
    table["cohort_id"] = table["cohort_id"].fillna("programme")
    total: dict[str, str | int] = {c: "" for c in columns}
    total.update(
        {
            "resource_id": "Total",
            "title": f"{len(table)} resources",
            **{c: int(table[c].sum()) for c in ("views", "downloads", "reusing_organisations")},
        }
    )
    return pd.concat([table.astype({"published_on": str}), pd.DataFrame([total])], ignore_index=True)


def applications_finding(
    uses: pd.DataFrame, group: str, population: str, *, confidence_level: float = 0.95
) -> tuple[str, str]:
    """The key finding on applications at work (text, strength of evidence), from the suppressed rows of
    :func:`applications_summary` for ``group``."""
    rows = uses[uses["group"] == group].set_index("term").to_dict("index")  # term -> its row

    def estimate(term: str) -> Estimate:
        row = rows[term]
        return Estimate(
            term,
            float(row["estimate"]),
            conf_low=float(row["conf_low"]),
            conf_high=float(row["conf_high"]),
            n=int(row["n"]) if pd.notna(row["n"]) else 0,
        )

    share = describe_interval(
        estimate("share_reporting_application"),
        "Completers with at least one recorded application at work",
        shown=numbers.percent,
        confidence_level=confidence_level,
    )
    per_completer = estimate("applications_per_completer")
    mean = describe_interval(
        per_completer,
        "applications recorded per completer",
        shown=partial(numbers.number, digits=1),
        confidence_level=confidence_level,
    )
    completers = people(per_completer.n or None, population)  # a suppressed n of a published estimate: 5 or more
    evidence = (
        f"Applications recorded by {completers} completers, self-reported, some confirmed by a manager or "
        "documented; no comparison group, so not evidence that the programme "
        "caused them."
    )
    return f"{share}; {mean}.", evidence
