"""The LOTI portfolio: participation of the 33 authorities, who works with whom, and the member survey."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...presentation import numbers, people
from ...statistics.disclosure import suppress_small_groups
from ...tidy import NAN, Estimate, to_frame
from ..cohort import construct_scores, rating_estimates

if TYPE_CHECKING:
    pass


MEMBER_SURVEY = "loti-member-survey"
#: The population of the member survey's counts for disclosure control: its respondents at the wave reported.
SURVEY_RESPONDENTS = "LOTI member survey respondents"


def participation_table(
    authorities: pd.DataFrame, membership: pd.DataFrame, project_authorities: pd.DataFrame
) -> pd.DataFrame:
    """One row per authority (all 33): membership, projects taken part in and led.

    Columns ``gss_code``, ``name``, ``inner_outer``, ``member`` (bool), ``joined_on`` (first
    joining), ``projects`` (count) and ``leads`` (projects it leads).
    """
    joined = membership.groupby("authority_code")["joined_on"].min()
    current = (
        membership[membership["left_on"].isna()]["authority_code"]
        if "left_on" in membership
        else membership["authority_code"]
    )
    projects = project_authorities.groupby("authority_code")["project_id"].nunique()
    leads = project_authorities[project_authorities["role"] == "Lead"].groupby("authority_code")["project_id"].nunique()
    table = authorities[["gss_code", "name", "inner_outer"]].copy()
    table["member"] = table["gss_code"].isin(set(current))
    table["joined_on"] = table["gss_code"].map(joined)
    table["projects"] = table["gss_code"].map(projects).fillna(0).astype(int)
    table["leads"] = table["gss_code"].map(leads).fillna(0).astype(int)
    return table.sort_values("gss_code").reset_index(drop=True)


def participation_estimates(participation: pd.DataFrame) -> list[Estimate]:
    """Headline counts of participation: members, authorities in at least one project, projects per member."""
    members = participation[participation["member"]]
    n = len(participation)
    return [
        Estimate(
            "member_authorities",
            float(len(members)),
            n=n,
            method="authorities that are LOTI members",
            group="participation",
        ),
        Estimate(
            "authorities_in_a_project",
            float((participation["projects"] > 0).sum()),
            n=n,
            method="authorities taking part in at least one project",
            group="participation",
        ),
        Estimate(
            "mean_projects_per_member",
            float(members["projects"].mean()) if len(members) else NAN,
            conf_low=float(members["projects"].min()) if len(members) else NAN,
            conf_high=float(members["projects"].max()) if len(members) else NAN,
            n=len(members),
            method="mean projects per member authority; interval = range across members",
            group="participation",
        ),
    ]


def funding_table(funding: pd.DataFrame) -> pd.DataFrame:
    """Core funding by year (rows) and source (columns, nominal GBP), with a total column."""
    table = funding.pivot_table(index="year", columns="bearer", values="amount", aggfunc="sum", fill_value=0.0)
    table["Total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def co_participation_matrix(project_authorities: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Authorities x authorities: number of projects both take part in (diagonal: the authority's own count).

    Rows and columns are GSS codes, all 33 authorities, in code order.

    Examples
    --------
    >>> pa = pd.DataFrame({"project_id": ["P1", "P1", "P2", "P2", "P2"],
    ...                    "authority_code": ["A", "B", "A", "B", "C"]})
    >>> co_participation_matrix(pa, pd.DataFrame({"gss_code": ["A", "B", "C"]})).values.tolist()
    [[2, 2, 1], [2, 2, 1], [1, 1, 1]]
    """
    codes = sorted(authorities["gss_code"])
    incidence = pd.crosstab(project_authorities["authority_code"], project_authorities["project_id"]) > 0
    incidence = incidence.reindex(index=codes, fill_value=False).astype(int)
    matrix = incidence @ incidence.T
    matrix.index.name, matrix.columns.name = "authority_code", "partner_code"
    return matrix


def collaboration_summary(matrix: pd.DataFrame) -> tuple[pd.DataFrame, list[Estimate]]:
    """Network summary of a co-participation matrix.

    Returns
    -------
    (pandas.DataFrame, list of Estimate)
        Per authority: ``partners`` (distinct authorities it shares a project with) and
        ``shared_projects`` (sum over partners of projects shared); and the rows
        ``collaborating_pairs`` (pairs sharing at least one project), ``network_density`` (their
        share of all pairs), ``mean_partners`` and ``pairs_sharing_3_or_more``.
    """
    values = np.array(matrix, dtype=float)
    np.fill_diagonal(values, 0)
    n = len(values)
    upper = values[np.triu_indices(n, k=1)]
    pairs = int((upper > 0).sum())
    per = pd.DataFrame(
        {"authority_code": matrix.index, "partners": (values > 0).sum(axis=1), "shared_projects": values.sum(axis=1)}
    )
    all_pairs = n * (n - 1) // 2
    rows = [
        Estimate(
            "collaborating_pairs",
            float(pairs),
            n=all_pairs,
            method="pairs of authorities taking part in at least one project together",
            group="collaboration",
        ),
        Estimate(
            "network_density",
            pairs / all_pairs if all_pairs else NAN,
            n=all_pairs,
            method="collaborating pairs / all pairs of authorities",
            group="collaboration",
        ),
        Estimate(
            "mean_partners",
            float(per["partners"].mean()),
            n=n,
            method="mean number of distinct authorities each authority shares a project with",
            group="collaboration",
        ),
        Estimate(
            "pairs_sharing_3_or_more",
            float((upper >= 3).sum()),
            n=all_pairs,
            method="pairs of authorities sharing three or more projects",
            group="collaboration",
        ),
    ]
    return per, rows


def member_survey_scores(responses: pd.DataFrame, instrument: pd.DataFrame) -> pd.DataFrame:
    """Construct scores of the member survey, one per respondent and wave, with the authority and scale.

    Scored with :func:`evaluation.analyses.cohort.construct_scores` (mean of a construct's items,
    half rule for missing items). An item on a different scale from the rest of its construct
    (e.g. the 0-10 ``value_recommend`` beside the 1-5 ``value_money``) is scored as a construct of
    its own, named by the item, because averaging different scales is meaningless. When a
    construct's items are split evenly, the scale most used in the whole instrument keeps the name.

    Returns
    -------
    pandas.DataFrame
        ``participant`` (respondent), ``wave``, ``construct``, ``score``, ``authority_code`` and
        ``scale`` (e.g. ``"1-5"``).
    """
    items = instrument.copy()
    items["scale"] = [f"{low:g}-{high:g}" for low, high in zip(items["scale_min"], items["scale_max"], strict=True)]
    popularity = items["scale"].value_counts()
    for _construct, group in items.groupby("construct", sort=False):
        counts = group["scale"].value_counts()
        tied = counts.index[counts == counts.max()]
        usual = max(tied, key=lambda scale: popularity[scale])
        odd = group.index[group["scale"] != usual]
        items.loc[odd, "construct"] = items.loc[odd, "item_id"]
    constructs = tuple(dict.fromkeys(items["construct"]))
    scores = construct_scores(responses, items.drop(columns="scale"), constructs)
    where = responses.drop_duplicates("respondent").set_index("respondent")["authority_code"]
    scores["authority_code"] = scores["participant"].map(where)
    scores["scale"] = scores["construct"].map(items.drop_duplicates("construct").set_index("construct")["scale"])
    return scores


def survey_respondents(scores: pd.DataFrame, *, wave: str | None = None) -> int:
    """Respondents to the member survey at ``wave`` (default: the latest, as :func:`member_survey_summary`).

    Examples
    --------
    >>> survey_respondents(pd.DataFrame({"participant": ["a", "a", "b", "c"], "wave": ["w1", "w1", "w1", "w0"]}))
    2
    """
    wave = max(scores["wave"].unique()) if wave is None else wave
    return int(scores.loc[scores["wave"] == wave, "participant"].nunique())


def member_survey_summary(
    scores: pd.DataFrame,
    authorities: pd.DataFrame,
    *,
    wave: str | None = None,
    confidence_level: float = 0.95,
    k: int = 5,
) -> pd.DataFrame:
    """Mean score of each construct, overall and for Inner and Outer London, with small groups suppressed.

    Means and t intervals come from :func:`evaluation.analyses.cohort.rating_estimates`; rows
    about fewer than ``k`` respondents are blanked by
    :func:`evaluation.statistics.disclosure.suppress_small_groups`. (Per-authority results are not
    offered: with 2-4 respondents an authority's answers would identify them.)

    Returns
    -------
    pandas.DataFrame
        A tidy results frame (``group`` = "construct: All members" or "construct: Inner London")
        with ``scale`` (e.g. ``"1-5"``) and ``suppressed``.
    """
    wave = max(scores["wave"].unique()) if wave is None else wave
    rows = [
        replace(e, group=e.group.replace(f" ({wave})", ": All members"))
        for e in rating_estimates(scores, wave=wave, confidence_level=confidence_level)
    ]
    area = dict(zip(authorities["gss_code"], authorities["inner_outer"], strict=True))
    located = scores.assign(area=scores["authority_code"].map(area))
    for name, part in located.groupby("area", sort=True):
        rows += [
            replace(e, group=e.group.replace(f" ({wave})", f": {name}"))
            for e in rating_estimates(part, wave=wave, confidence_level=confidence_level)
        ]
    frame = to_frame([replace(e, method=f"{e.method}; member survey wave {wave}") for e in rows])
    scales = scores.drop_duplicates("construct").set_index("construct")["scale"]
    frame["scale"] = [scales.get(group.split(":")[0], "") for group in frame["group"]]
    return suppress_small_groups(frame, k)


def describe_rating(row: pd.Series, *, confidence_level: float = 0.95) -> str:
    """One sentence on a mean survey score and its interval (or why it is not shown).

    The number of respondents is marked for the disclosure audit with its population, the survey's respondents
    (:data:`SURVEY_RESPONDENTS`): Inner and Outer London are parts of it.

    Examples
    --------
    >>> row = pd.Series({"group": "satisfaction: All members", "estimate": 3.912, "conf_low": 3.71,
    ...                  "conf_high": 4.1, "n": 60, "scale": "1-5"})
    >>> print(describe_rating(row))  # doctest: +NORMALIZE_WHITESPACE
    satisfaction: All members: mean 3.91 on the 1-5 scale (95% interval 3.71 to 4.10, <span
    data-people="LOTI member survey respondents">60</span> respondents).
    """
    if pd.isna(row["estimate"]):
        return f"{row['group']}: not shown (fewer respondents than the disclosure threshold)."
    scale = row.get("scale") or "answer"
    respondents = people(row["n"], SURVEY_RESPONDENTS)
    interval = numbers.interval(row["conf_low"], row["conf_high"], confidence_level=confidence_level)
    return (
        f"{row['group']}: mean {numbers.score(row['estimate'])} on the {scale} scale ({interval}, "
        f"{respondents} respondents)."
    )
