"""Paired change of a cohort's scale scores between two survey waves, and who the pairs leave out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...statistics.disclosure import TOTAL
from ...statistics.paired import (
    CompletePairs,
    cohens_dz,
    complete_pairs,
    hodges_lehmann,
    paired_mean_change,
    rank_biserial,
    wilcoxon_signed_rank,
)
from ...tidy import Estimate

WAVE_PAIRS: dict[str, tuple[str, str]] = {
    "baseline-endpoint": ("baseline", "endpoint"),
    "baseline-follow-up": ("baseline", "follow-up"),
    "endpoint-follow-up": ("endpoint", "follow-up"),
}


@dataclass(frozen=True)
class PairedChange:
    """Every paired statistic of one construct between two waves, and who could not be paired."""

    construct: str
    pairs: CompletePairs
    estimates: list[Estimate]


def construct_pairs(scores: pd.DataFrame, construct: str, from_wave: str, to_wave: str) -> CompletePairs:
    """The participants with a ``construct`` score at both waves, paired (:func:`complete_pairs` of the long
    scores of :func:`construct_scores`), and how many each wave misses."""
    return complete_pairs(scores[scores["construct"] == construct], baseline=from_wave, endpoint=to_wave)


def paired_change(
    scores: pd.DataFrame,
    construct: str,
    from_wave: str,
    to_wave: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> PairedChange:
    """Mean change (t), exact Wilcoxon, Hodges-Lehmann, d_z and rank-biserial for participants with both waves."""
    pairs = construct_pairs(scores, construct, from_wave, to_wave)
    pre, post = pairs.pre, pairs.post
    estimates = [
        paired_mean_change(pre, post, confidence_level=confidence_level),
        wilcoxon_signed_rank(pre, post),
        hodges_lehmann(pre, post, confidence_level=confidence_level),
        cohens_dz(pre, post, confidence_level=confidence_level),
        rank_biserial(pre, post, confidence_level=confidence_level, n_resamples=resamples, seed=seed),
    ]
    group = f"{construct}: {from_wave} to {to_wave}"
    return PairedChange(construct, pairs, [e.with_context(group=group) for e in estimates])


def paired_changes(
    scores: pd.DataFrame,
    constructs: tuple[str, ...],
    from_wave: str,
    to_wave: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> list[PairedChange]:
    """:func:`paired_change` of each construct, in order."""
    return [
        paired_change(scores, c, from_wave, to_wave, confidence_level=confidence_level, resamples=resamples, seed=seed)
        for c in constructs
    ]


def change_estimates(changes: list[PairedChange]) -> list[Estimate]:
    """Every estimate of :func:`paired_changes`, one list (construct by construct)."""
    return [estimate for change in changes for estimate in change.estimates]


def mean_changes(change_table: pd.DataFrame) -> pd.DataFrame:
    """The ``mean_change`` rows of a (suppressed) paired-change frame, labelled by construct."""
    means = change_table[change_table["term"] == "mean_change"]
    return means.assign(label=means["group"].str.split(":").str[0])


def exclusions_table(changes: list[PairedChange]) -> pd.DataFrame:
    """How many participants each paired analysis covers and why the others are excluded."""
    return pd.DataFrame(
        [
            {
                "construct": c.construct,
                "paired": c.pairs.n,
                "missing baseline": c.pairs.missing_baseline,
                "missing endpoint": c.pairs.missing_endpoint,
                "missing both": c.pairs.missing_both,
            }
            for c in changes
        ]
    )


def without_total_row(table: pd.DataFrame, label_column: str = "construct") -> pd.DataFrame:
    """A published count table without its ``Total`` row, for tables whose rows count the same people.

    Every scale of the paired analysis is answered by the same participants, so a total across scales is no
    count of anyone, and it gives each scale's suppressed count back (15 with both surveys over three scales is
    5 each).
    """
    return table[table[label_column] != TOTAL].reset_index(drop=True)
