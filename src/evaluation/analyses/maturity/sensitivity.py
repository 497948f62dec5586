"""Sensitivity of authorities' rankings to the weights of the maturity index.

Weights are drawn many times from a Dirichlet distribution centred on the chosen weights (concentration 1 with
equal weights: every weighting of the nine domains equally likely), each authority's rank is recomputed under
every draw, and the report gives each authority's range of ranks and the Spearman correlation of each redrawn
ranking with the chosen one. Wide ranges mean the ranking says more about the weights than about the
authorities. A league table of named authorities (:func:`league_table`) carries those ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ...tidy import Estimate


def _ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = highest value, ties share the best rank (competition ranking), along axis 0."""
    return stats.rankdata(-values, method="min", axis=0)


@dataclass(frozen=True)
class WeightSensitivity:
    """How authorities' ranks move when the weights are redrawn.

    Attributes
    ----------
    ranks : pandas.DataFrame
        One row per authority with a complete round: ``authority_code``, ``index`` and ``rank`` under the
        chosen weights (1 = most mature), ``rank_median``, ``rank_low`` and ``rank_high`` (the central
        ``interval`` share of ranks over the draws) and ``share_same_quarter`` (share of draws in which the
        authority stays in the same quarter of the ranking).
    spearman : numpy.ndarray
        Spearman correlation of each draw's index with the chosen weights' index.
    weights : numpy.ndarray
        The drawn weights (draws x domains).
    """

    ranks: pd.DataFrame
    spearman: np.ndarray
    weights: np.ndarray
    draws: int
    concentration: float
    interval: float
    seed: int

    def estimates(self) -> list[Estimate]:
        """Tidy summaries: the Spearman correlation and the spread of ranks over the redrawn weights."""
        low, high = (1 - self.interval) / 2, (1 + self.interval) / 2
        spread = self.ranks["rank_high"] - self.ranks["rank_low"]
        method = (
            f"{self.draws} Dirichlet weight draws (concentration {self.concentration:g}, seed {self.seed}); "
            f"median and central {self.interval:.0%} of draws"
        )
        n = len(self.ranks)
        return [
            Estimate(
                "spearman_with_chosen_weights",
                float(np.median(self.spearman)),
                conf_low=float(np.quantile(self.spearman, low)),
                conf_high=float(np.quantile(self.spearman, high)),
                n=n,
                method=method,
                group="London",
            ),
            Estimate("rank_range_median_width", float(spread.median()), n=n, method=method, group="London"),
            Estimate("rank_range_max_width", float(spread.max()), n=n, method=method, group="London"),
            Estimate(
                "share_same_quarter_median",
                float(self.ranks["share_same_quarter"].median()),
                n=n,
                method=method,
                group="London",
            ),
        ]


def weight_sensitivity(
    scores: pd.DataFrame,
    weights: pd.Series,
    *,
    draws: int = 1000,
    concentration: float = 1.0,
    interval: float = 0.9,
    seed: int = 20241,
) -> WeightSensitivity:
    r"""Recompute every authority's rank under weights drawn around the chosen ones.

    Weights are drawn from :math:`\mathrm{Dirichlet}(c D \bar w)`, where :math:`\bar w` are the chosen
    weights (summing to 1), :math:`D` the number of domains and :math:`c` the ``concentration``: their mean
    is the chosen weights; with equal weights and :math:`c = 1` every weighting is equally likely, and a
    larger :math:`c` keeps draws closer to the chosen weights. A domain with weight 0 stays at 0.

    Authorities with a domain missing are left out. Ranks use competition ranking (ties share the best
    rank); Spearman correlations use average ranks for ties, as :func:`scipy.stats.spearmanr`.
    """
    if draws < 1:
        raise ValueError(f"draws must be positive, got {draws}")
    if concentration <= 0:
        raise ValueError(f"concentration must be positive, got {concentration}")
    complete = scores.dropna()
    if len(complete) < 2:
        raise ValueError("ranking needs at least 2 authorities with every domain scored")
    base = weights.reindex(complete.columns).to_numpy(dtype=float)
    base = base / base.sum()
    active = base > 0
    rng = np.random.default_rng(seed)
    drawn = np.zeros((draws, base.size))
    drawn[:, active] = rng.dirichlet(concentration * active.sum() * base[active], size=draws)
    values = complete.to_numpy(dtype=float)
    chosen_index = values @ base
    indices = values @ drawn.T  # authorities x draws
    ranks = _ranks(indices)
    chosen_rank = _ranks(chosen_index)
    average_ranks = stats.rankdata(indices, axis=0)
    chosen_average = stats.rankdata(chosen_index)
    centred = average_ranks - average_ranks.mean(axis=0)
    reference = chosen_average - chosen_average.mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        spearman = (reference @ centred) / np.sqrt((reference**2).sum() * (centred**2).sum(axis=0))
    n = len(complete)
    quarter = np.ceil(4 * ranks / n)
    chosen_quarter = np.ceil(4 * chosen_rank / n)
    low, high = (1 - interval) / 2, (1 + interval) / 2
    table = pd.DataFrame(
        {
            "authority_code": complete.index.to_numpy(),
            "index": chosen_index,
            "rank": chosen_rank.astype(int),
            "rank_median": np.median(ranks, axis=1),
            "rank_low": np.quantile(ranks, low, axis=1, method="inverted_cdf").astype(int),
            "rank_high": np.quantile(ranks, high, axis=1, method="inverted_cdf").astype(int),
            "share_same_quarter": (quarter == chosen_quarter[:, None]).mean(axis=1),
        }
    ).sort_values(["rank", "authority_code"], ignore_index=True)
    return WeightSensitivity(table, spearman, drawn, draws, concentration, interval, seed)


def league_table(sensitivity: WeightSensitivity, authorities: pd.DataFrame) -> pd.DataFrame:
    """Named authorities by index with their range of ranks. Publish only when ``league_table`` is set.

    A league table invites reading small differences as real: the range of ranks over redrawn weights
    is part of the table so that readers can see how uncertain each position is.
    """
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    table = sensitivity.ranks.copy()
    table.insert(1, "authority", table["authority_code"].map(names))
    return table
