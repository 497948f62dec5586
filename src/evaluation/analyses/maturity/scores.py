"""Assessment rounds, domain scores and the maturity index of an authority in a round.

The maturity index (:func:`maturity_index`) is the weighted mean of an authority's nine domain scores, so it
stays on the 1-5 scale. Weights are equal by default (the OECD/JRC *Handbook on Constructing Composite
Indicators*, 2008, recommends equal weights when there is no agreed reason to prefer one domain) or stated by
the evaluator (:func:`parse_weights`). An authority with a domain missing in a round has no index for that
round: its index is not silently computed from fewer domains.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ...schemas.loti import GSS_LONDON, MATURITY_DOMAINS
from ...statistics.bootstrap import BootstrapInterval, bca_interval

#: The parameter value that selects London as a whole rather than one authority.
ALL = "all"
#: The label of the index in tables that list domains and the index together.
INDEX = "Maturity index"


def check_authority(authority: str, authorities: pd.DataFrame | None = None) -> str:
    """``authority`` if it is ``"all"`` or a London GSS code (and, given the table, a known one)."""
    if authority == ALL:
        return authority
    if not re.fullmatch(GSS_LONDON, authority):
        raise ValueError(f"authority must be 'all' or a London GSS code (E09000001 to E09000033), got {authority!r}")
    if authorities is not None and authority not in set(authorities["gss_code"]):
        raise ValueError(f"authority {authority!r} is not in the authorities table")
    return authority


def assessment_rounds(assessments: pd.DataFrame) -> list[pd.Timestamp]:
    """The assessment rounds (distinct ``assessed_on`` dates), oldest first.

    A round is one assessment date. If authorities in one round assessed on different days, give them
    the same date in the input (e.g. the round's closing date) so that they are compared together.
    """
    return [pd.Timestamp(day) for day in sorted(pd.to_datetime(assessments["assessed_on"]).dropna().unique())]


def resolve_round(assessments: pd.DataFrame, which: str) -> pd.Timestamp:
    """A round named ``"first"``, ``"latest"``, ``"previous"`` (the one before the latest) or by its date."""
    rounds = assessment_rounds(assessments)
    if not rounds:
        raise ValueError("there are no maturity assessments")
    named = {"first": 0, "latest": -1, "previous": -2}
    if which in named:
        if which == "previous" and len(rounds) < 2:
            raise ValueError("there is only one assessment round, so no previous round")
        return pd.Timestamp(rounds[named[which]])
    try:
        day = pd.Timestamp(which)
    except ValueError:
        raise ValueError(f"round must be 'first', 'latest', 'previous' or a date, got {which!r}") from None
    if day not in set(rounds):
        raise ValueError(
            f"no assessment round on {day.date()}; rounds: " + ", ".join(str(pd.Timestamp(r).date()) for r in rounds)
        )
    return day


def score_table(
    assessments: pd.DataFrame, assessed_on: pd.Timestamp, domains: Sequence[str] | pd.Index = MATURITY_DOMAINS
) -> pd.DataFrame:
    """Scores of one round, one row per authority (``authority_code`` index) and one column per domain.

    ``domains`` are the columns, in order: a sequence of names, or the index of the weights.

    A domain an authority did not score is NaN. Authorities are sorted by code.
    """
    chosen = assessments[pd.to_datetime(assessments["assessed_on"]) == pd.Timestamp(assessed_on)]
    wide = chosen.pivot_table(index="authority_code", columns="domain", values="score", aggfunc="first")
    wide = wide.reindex(columns=list(domains)).sort_index()
    wide.columns.name = None
    return wide.astype(float)


def parse_weights(text: str, domains: Sequence[str] = MATURITY_DOMAINS) -> pd.Series:
    """Domain weights from a notebook parameter, normalised to sum to 1.

    ``"equal"`` gives every domain the same weight. Otherwise ``"Data=2; Leadership=1.5"`` states the
    weights of some domains (separated by ``;``); unnamed domains weigh 1. Weights must be non-negative
    and not all zero; a domain name that is not a domain is an error (no silent typo).

    Examples
    --------
    >>> parse_weights("Data=3", ("Data", "Cyber security")).tolist()
    [0.75, 0.25]
    """
    weights = pd.Series(1.0, index=list(domains))
    text = text.strip()
    if text.lower() not in ("", "equal"):
        for part in filter(None, (p.strip() for p in text.split(";"))):
            name, sep, value = part.partition("=")
            name = name.strip()
            if not sep:
                raise ValueError(f"weight {part!r} is not of the form 'Domain=number'")
            if name not in weights.index:
                raise ValueError(f"{name!r} is not a maturity domain (domains: {', '.join(domains)})")
            try:
                weight = float(value)
            except ValueError:
                raise ValueError(f"weight of {name!r} is not a number: {value.strip()!r}") from None
            if not np.isfinite(weight) or weight < 0:
                raise ValueError(f"weight of {name!r} must be a non-negative number, got {weight}")
            weights[name] = weight
    if weights.sum() <= 0:
        raise ValueError("at least one weight must be positive")
    return weights / weights.sum()


def maturity_index(scores: pd.DataFrame, weights: pd.Series) -> pd.Series:
    r"""The maturity index of each authority: the weighted mean of its domain scores.

    .. math:: I_a = \sum_d w_d s_{ad} \Big/ \sum_d w_d

    on the 1-5 scale. NaN for an authority with any domain missing (its index would not be comparable).
    """
    weights = weights.reindex(scores.columns)
    if weights.isna().any():
        raise ValueError(f"no weight for domains {list(weights.index[weights.isna()])}")
    values = scores.to_numpy(dtype=float) @ weights.to_numpy() / weights.sum()
    return pd.Series(values, index=scores.index, name="index")


def index_by_round(assessments: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Every authority's index in every round: ``authority_code, assessed_on, index`` (complete rounds only)."""
    parts = []
    for day in assessment_rounds(assessments):
        index = maturity_index(score_table(assessments, day, weights.index), weights).dropna()
        parts.append(
            pd.DataFrame({"authority_code": index.index, "assessed_on": pd.Timestamp(day), "index": index.to_numpy()})
        )
    return pd.concat(parts, ignore_index=True)


def quiet_bca_interval(
    statistic: Callable[..., ArrayLike], *samples: np.ndarray, confidence_level: float, resamples: int, seed: int
) -> BootstrapInterval:
    """BCa interval, with its warnings about degenerate resamples silenced (NaN bounds say enough)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return bca_interval(statistic, *samples, confidence_level=confidence_level, n_resamples=resamples, seed=seed)
