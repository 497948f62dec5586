"""Matching the waves of the same participants: the ``pre`` and ``post`` every paired statistic takes."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CompletePairs:
    """Participants with a score at both waves, and who was excluded and why.

    Attributes
    ----------
    participants : tuple
        Participant identifiers, sorted, one per pair.
    pre, post : numpy.ndarray
        Baseline and endpoint scores, aligned with ``participants``.
    baseline, endpoint : str
        The wave names compared.
    missing_baseline : int
        Participants with an endpoint score but no baseline score.
    missing_endpoint : int
        Participants with a baseline score but no endpoint score.
    missing_both : int
        Participants in the data (e.g. at follow-up only) with neither score.
    """

    participants: tuple[Hashable, ...]
    pre: np.ndarray
    post: np.ndarray
    baseline: str
    endpoint: str
    missing_baseline: int
    missing_endpoint: int
    missing_both: int

    @property
    def n(self) -> int:
        """Number of complete pairs."""
        return len(self.participants)

    @property
    def n_excluded(self) -> int:
        """Number of participants excluded for a missing wave."""
        return self.missing_baseline + self.missing_endpoint + self.missing_both


def complete_pairs(
    long_scores: pd.DataFrame,
    *,
    baseline: str,
    endpoint: str,
    participant: str = "participant",
    wave: str = "wave",
    score: str = "score",
) -> CompletePairs:
    """Pair each participant's baseline and endpoint scores (complete-case analysis).

    A participant is kept only if both waves have a non-missing score; a row
    whose score is missing counts as a missing wave. Everyone else is
    excluded and counted by reason, so reports can state how many of the
    cohort the paired analysis covers.

    Parameters
    ----------
    long_scores : pandas.DataFrame
        Long data, one row per participant and wave.
    baseline, endpoint : str
        Values of the ``wave`` column to compare, e.g. ``"baseline"`` and
        ``"endpoint"``.
    participant, wave, score : str
        Column names.

    Returns
    -------
    CompletePairs

    Raises
    ------
    ValueError
        If a column is missing, a wave name does not occur at all (usually a
        typo), or a participant has more than one score in a wave.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.paired import complete_pairs
    >>> long = pd.DataFrame({
    ...     "participant": ["a", "a", "b", "c", "c"],
    ...     "wave": ["baseline", "endpoint", "baseline", "baseline", "endpoint"],
    ...     "score": [3.0, 4.0, 2.5, 3.5, 3.0],
    ... })
    >>> pairs = complete_pairs(long, baseline="baseline", endpoint="endpoint")
    >>> pairs.participants, pairs.post - pairs.pre, pairs.missing_endpoint
    (('a', 'c'), array([ 1. , -0.5]), 1)
    """
    columns = list(long_scores.columns)
    absent = [column for column in (participant, wave, score) if column not in columns]
    if absent:
        raise ValueError(f"columns {absent} not in data; columns are {columns}")
    waves_present = set(long_scores[wave].dropna().unique())
    for name in (baseline, endpoint):
        if name not in waves_present:
            raise ValueError(f"wave {name!r} not in data; waves are {sorted(map(str, waves_present))}")

    answered = long_scores.loc[long_scores[wave].isin([baseline, endpoint]) & long_scores[score].notna()]
    duplicated = answered.duplicated([participant, wave], keep=False)
    if duplicated.any():
        repeated = sorted(map(str, answered.loc[duplicated, participant].unique()))
        raise ValueError(f"participants with more than one score in a wave: {repeated}")

    wide = answered.pivot(index=participant, columns=wave, values=score)
    everyone = long_scores[participant].dropna().unique()
    wide = wide.reindex(index=everyone, columns=[baseline, endpoint])
    has_baseline = wide[baseline].notna()
    has_endpoint = wide[endpoint].notna()
    complete = wide.loc[has_baseline & has_endpoint].sort_index()
    return CompletePairs(
        participants=tuple(complete.index),
        pre=complete[baseline].to_numpy(dtype=float),
        post=complete[endpoint].to_numpy(dtype=float),
        baseline=baseline,
        endpoint=endpoint,
        missing_baseline=int((~has_baseline & has_endpoint).sum()),
        missing_endpoint=int((has_baseline & ~has_endpoint).sum()),
        missing_both=int((~has_baseline & ~has_endpoint).sum()),
    )


def _differences(pre: ArrayLike, post: ArrayLike) -> np.ndarray:
    """post - pre as a float array, after checking the pairs are complete."""
    before = np.asarray(pre, dtype=float)
    after = np.asarray(post, dtype=float)
    if before.ndim != 1 or after.ndim != 1:
        raise ValueError("pre and post must be 1-D")
    if before.size != after.size:
        raise ValueError(f"pre and post must pair up, got {before.size} and {after.size} values")
    if before.size == 0:
        raise ValueError("no pairs to analyse")
    if not (np.isfinite(before).all() and np.isfinite(after).all()):
        raise ValueError(
            "pre and post contain missing or infinite values; drop incomplete pairs first (see complete_pairs)"
        )
    return after - before
