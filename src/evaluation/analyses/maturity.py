"""Borough digital maturity: an index, its sensitivity to weights, change between rounds, comparison with London.

Authorities self-assess their digital maturity in rounds, scoring each of the nine domains of
:data:`~evaluation.schemas.loti.MATURITY_DOMAINS` from 1 (lowest) to 5 (table ``maturity_assessments``). This
module holds every step of ``notebooks/maturity_assessment.ipynb``:

- **The maturity index** (:func:`maturity_index`) of an authority in a round is the weighted mean of its nine
  domain scores, so it stays on the 1-5 scale. Weights are equal by default (the OECD/JRC *Handbook on
  Constructing Composite Indicators*, 2008, recommends equal weights when there is no agreed reason to prefer
  one domain) or stated by the evaluator (:func:`parse_weights`). An authority with a domain missing in a
  round has no index for that round: its index is not silently computed from fewer domains.
- **Sensitivity of rankings to the weights** (:func:`weight_sensitivity`): weights are drawn many times from a
  Dirichlet distribution centred on the chosen weights (concentration 1 with equal weights: every weighting
  of the nine domains equally likely), each authority's rank is recomputed under every draw, and the report
  gives each authority's range of ranks and the Spearman correlation of each redrawn ranking with the
  chosen one. Wide ranges mean the ranking says more about the weights than about the authorities.
- **Change between rounds** (:func:`authority_change`, :func:`london_change`): for one authority, the change
  of its index with a BCa bootstrap interval over domains (how consistent the change is across domains);
  for London, the mean change over authorities with a paired t interval and a BCa bootstrap interval over
  authorities, and the change of each domain.
- **Comparison with London** (:func:`london_comparison`): an authority's score in each domain and its index
  against the London median, the middle half of London (25th to 75th percentile) and the London mean with
  a BCa bootstrap interval. This is the default view: no league table of named authorities is produced
  unless the notebook's ``league_table`` parameter is set (:func:`league_table`).

Figures follow the Analysis Function's guidance: dot plots (domain scores against London) rather than
radar charts, whose areas depend on the order of the axes and are hard to read accurately.

Self-assessment limits every result: authorities may score themselves differently, and the scale is
ordinal, so a mean of scores treats the steps between levels as equal. Intervals describe variation across
domains or across authorities, not the error of self-assessment itself. Plain-English methods:
``docs/maturity-and-governance.md``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from ..charts import CATEGORICAL, CONTEXT, FOCUS, template
from ..schemas.loti import GSS_LONDON, MATURITY_DOMAINS
from ..statistics.bootstrap import bca_interval
from ..statistics.paired import paired_mean_change
from ..tidy import NAN, Estimate

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "ALL",
    "INDEX",
    "WeightSensitivity",
    "assessment_rounds",
    "authority_change",
    "change_by_membership",
    "change_dumbbell_chart",
    "check_authority",
    "comparison_dot_plot",
    "comparison_estimates",
    "domain_change_table",
    "index_by_round",
    "league_table",
    "london_change",
    "london_comparison",
    "london_dot_plot",
    "london_summary",
    "maturity_index",
    "parse_weights",
    "rank_range_chart",
    "resolve_round",
    "score_table",
    "summary_estimates",
    "weight_sensitivity",
]

ALL = "all"
#: The label of the index in tables that list domains and the index together.
INDEX = "Maturity index"
_GREY = "#505A5F"


# ----------------------------------------------------------------------------------------------
# Rounds, scores and the index
# ----------------------------------------------------------------------------------------------


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
    assessments: pd.DataFrame, assessed_on: pd.Timestamp, domains: Sequence[str] = MATURITY_DOMAINS
) -> pd.DataFrame:
    """Scores of one round, one row per authority (``authority_code`` index) and one column per domain.

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


def _bca(statistic, *samples: np.ndarray, confidence_level: float, resamples: int, seed: int):
    """BCa interval, with its warnings about degenerate resamples silenced (NaN bounds say enough)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return bca_interval(statistic, *samples, confidence_level=confidence_level, n_resamples=resamples, seed=seed)


# ----------------------------------------------------------------------------------------------
# Sensitivity of the ranking to the weights
# ----------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------
# Comparison with London
# ----------------------------------------------------------------------------------------------


def _position(value: float, q1: float, q3: float) -> str:
    if np.isnan(value):
        return "not scored"
    if value > q3:
        return "above the middle half of London"
    if value < q1:
        return "below the middle half of London"
    return "within the middle half of London"


def london_summary(
    scores: pd.DataFrame,
    weights: pd.Series,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> pd.DataFrame:
    """London in one round: per domain and for the index, mean (BCa interval), median, quartiles, authorities.

    Columns ``measure`` (a domain or :data:`INDEX`), ``london_mean``, ``mean_low``, ``mean_high``,
    ``london_median``, ``london_q1``, ``london_q3`` and ``authorities`` (how many scored it). The interval
    treats London's authorities as a sample of how authorities like them score, so it shows how precisely
    the mean is known given the spread between authorities.
    """
    columns = {**{d: scores[d] for d in scores.columns}, INDEX: maturity_index(scores, weights)}
    rows = []
    for measure, values in columns.items():
        x = values.dropna().to_numpy(dtype=float)
        if x.size >= 2:
            ci = _bca(np.mean, x, confidence_level=confidence_level, resamples=resamples, seed=seed)
            low, high = ci.conf_low, ci.conf_high
        else:
            low = high = NAN
        rows.append(
            {
                "measure": measure,
                "london_mean": float(x.mean()) if x.size else NAN,
                "mean_low": low,
                "mean_high": high,
                "london_median": float(np.median(x)) if x.size else NAN,
                "london_q1": float(np.quantile(x, 0.25)) if x.size else NAN,
                "london_q3": float(np.quantile(x, 0.75)) if x.size else NAN,
                "authorities": int(x.size),
            }
        )
    return pd.DataFrame(rows)


def summary_estimates(summary: pd.DataFrame, round_label: str, confidence_level: float = 0.95) -> list[Estimate]:
    """Tidy rows of :func:`london_summary`: London's mean of each domain and of the index in one round."""
    return [
        Estimate(
            "london_mean",
            float(r.london_mean),
            conf_low=float(r.mean_low),
            conf_high=float(r.mean_high),
            n=int(r.authorities),
            group=f"{r.measure}: {round_label}",
            method=f"mean over authorities; {confidence_level:.0%} BCa bootstrap over authorities",
        )
        for r in summary.itertuples()
    ]


def london_comparison(
    scores: pd.DataFrame,
    weights: pd.Series,
    authority: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> pd.DataFrame:
    """One authority against London in one round, per domain and for the index.

    London is every authority assessed in the round, this one included. Adds to :func:`london_summary`
    the ``authority_code``, the authority's ``score``, ``difference`` from the London mean with its
    interval (``difference_low``, ``difference_high``: the score minus the London mean's interval) and
    ``position`` relative to the middle half of London (25th to 75th percentile).
    """
    if authority not in scores.index:
        raise ValueError(f"authority {authority!r} has no assessment in this round")
    summary = london_summary(scores, weights, confidence_level=confidence_level, resamples=resamples, seed=seed)
    own = {**scores.loc[authority].to_dict(), INDEX: float(maturity_index(scores.loc[[authority]], weights).iloc[0])}
    summary.insert(0, "authority_code", authority)
    summary.insert(2, "score", summary["measure"].map(own).astype(float))
    summary["difference"] = summary["score"] - summary["london_mean"]
    summary["difference_low"] = summary["score"] - summary["mean_high"]
    summary["difference_high"] = summary["score"] - summary["mean_low"]
    summary["position"] = [
        _position(v, q1, q3)
        for v, q1, q3 in zip(summary["score"], summary["london_q1"], summary["london_q3"], strict=True)
    ]
    return summary


def comparison_estimates(comparison: pd.DataFrame, confidence_level: float = 0.95) -> list[Estimate]:
    """Tidy rows of :func:`london_comparison`: the authority's difference from the London mean, per measure."""
    return [
        Estimate(
            "difference_from_london_mean",
            float(r.difference),
            conf_low=float(r.difference_low),
            conf_high=float(r.difference_high),
            n=int(r.authorities),
            group=f"{r.authority_code}: {r.measure}",
            method=f"score minus London mean; {confidence_level:.0%} BCa bootstrap interval of the mean "
            "over authorities",
        )
        for r in comparison.itertuples()
    ]


def league_table(sensitivity: WeightSensitivity, authorities: pd.DataFrame) -> pd.DataFrame:
    """Named authorities by index with their range of ranks. Publish only when ``league_table`` is set.

    A league table invites reading small differences as real: the range of ranks over redrawn weights
    is part of the table so that readers can see how uncertain each position is.
    """
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    table = sensitivity.ranks.copy()
    table.insert(1, "authority", table["authority_code"].map(names))
    return table


# ----------------------------------------------------------------------------------------------
# Change between rounds
# ----------------------------------------------------------------------------------------------


def domain_change_table(
    assessments: pd.DataFrame,
    from_round: pd.Timestamp,
    to_round: pd.Timestamp,
    domains: Sequence[str] = MATURITY_DOMAINS,
) -> pd.DataFrame:
    """Long table of every authority's domain scores in two rounds and their change.

    Columns ``authority_code``, ``domain``, ``score_from``, ``score_to``, ``change``; only authority-domain
    pairs scored in both rounds.
    """
    before = score_table(assessments, from_round, domains).stack().rename("score_from")
    after = score_table(assessments, to_round, domains).stack().rename("score_to")
    both = pd.concat([before, after], axis=1, join="inner").dropna()
    both.index.names = ["authority_code", "domain"]
    both = both.reset_index()
    both["change"] = both["score_to"] - both["score_from"]
    return both


def _weighted_mean(changes: np.ndarray, weights: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sum(changes * weights, axis=axis) / np.sum(weights, axis=axis)


def authority_change(
    assessments: pd.DataFrame,
    weights: pd.Series,
    authority: str,
    from_round: pd.Timestamp,
    to_round: pd.Timestamp,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> Estimate:
    """Change of one authority's index between two rounds, with a BCa bootstrap interval over domains.

    The estimate is the weighted mean of the domain changes (equal to the change of the index when every
    domain is scored in both rounds). Domains are resampled with their weights, so the interval says how
    consistent the change is across domains; it does not include the error of self-assessment.
    """
    table = domain_change_table(assessments, from_round, to_round, weights.index)
    mine = table[table["authority_code"] == authority]
    if mine.empty:
        raise ValueError(f"authority {authority!r} was not assessed in both rounds")
    changes = mine["change"].to_numpy(dtype=float)
    w = weights.reindex(mine["domain"]).to_numpy(dtype=float)
    estimate = float(_weighted_mean(changes, w))
    method = f"weighted mean of domain changes; {confidence_level:.0%} BCa bootstrap over domains"
    group = f"{authority}: {pd.Timestamp(from_round).date()} to {pd.Timestamp(to_round).date()}"
    if changes.size < 2:
        return Estimate("index_change", estimate, n=int(changes.size), method=method, group=group)
    ci = _bca(_weighted_mean, changes, w, confidence_level=confidence_level, resamples=resamples, seed=seed)
    return Estimate(
        "index_change",
        estimate,
        std_error=ci.standard_error,
        conf_low=ci.conf_low,
        conf_high=ci.conf_high,
        n=int(changes.size),
        method=method,
        group=group,
    )


def london_change(
    assessments: pd.DataFrame,
    weights: pd.Series,
    from_round: pd.Timestamp,
    to_round: pd.Timestamp,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> list[Estimate]:
    """London's change between two rounds: the index (paired t and BCa bootstrap) and each domain (paired t).

    Only authorities with a complete index in both rounds enter the index change; each domain uses the
    authorities that scored it in both rounds. ``n`` is the number of authorities.
    """
    label = f"{pd.Timestamp(from_round).date()} to {pd.Timestamp(to_round).date()}"
    before = maturity_index(score_table(assessments, from_round, weights.index), weights).dropna()
    after = maturity_index(score_table(assessments, to_round, weights.index), weights).dropna()
    both = before.index.intersection(after.index)
    out = []
    if len(both) >= 1:
        t = paired_mean_change(before[both].to_numpy(), after[both].to_numpy(), confidence_level=confidence_level)
        out.append(
            Estimate(
                "index_change",
                t.estimate,
                std_error=t.std_error,
                statistic=t.statistic,
                p_value=t.p_value,
                conf_low=t.conf_low,
                conf_high=t.conf_high,
                n=t.n,
                method="mean over authorities; paired t-test",
                group=f"London: {label}",
            )
        )
    if len(both) >= 2:
        diff = (after[both] - before[both]).to_numpy()
        ci = _bca(np.mean, diff, confidence_level=confidence_level, resamples=resamples, seed=seed)
        out.append(
            Estimate(
                "index_change",
                ci.estimate,
                std_error=ci.standard_error,
                conf_low=ci.conf_low,
                conf_high=ci.conf_high,
                n=int(diff.size),
                method=f"mean over authorities; {confidence_level:.0%} BCa bootstrap over authorities",
                group=f"London: {label}",
            )
        )
    table = domain_change_table(assessments, from_round, to_round, weights.index)
    for domain in weights.index:
        part = table[table["domain"] == domain]
        if part.empty:
            continue
        t = paired_mean_change(
            part["score_from"].to_numpy(), part["score_to"].to_numpy(), confidence_level=confidence_level
        )
        out.append(
            Estimate(
                "domain_change",
                t.estimate,
                std_error=t.std_error,
                statistic=t.statistic,
                p_value=t.p_value,
                conf_low=t.conf_low,
                conf_high=t.conf_high,
                n=t.n,
                method="mean over authorities; paired t-test",
                group=f"{domain}: {label}",
            )
        )
    return out


def _member_on(membership: pd.DataFrame, day: pd.Timestamp) -> set[str]:
    joined = pd.to_datetime(membership["joined_on"]) <= day
    left = pd.to_datetime(membership["left_on"])
    staying = left.isna() | (left > day)
    return set(membership.loc[joined & staying, "authority_code"])


def change_by_membership(
    assessments: pd.DataFrame, membership: pd.DataFrame, weights: pd.Series, *, confidence_level: float = 0.95
) -> pd.DataFrame:
    """Index change between consecutive rounds for LOTI members and non-members at the start of each interval.

    Descriptive only: authorities chose to join, so a difference between the groups is not an effect of
    membership. Columns ``interval``, ``group`` (``LOTI members``, ``Non-members``, ``Difference``),
    ``estimate`` (mean change, or members minus non-members), ``conf_low``, ``conf_high`` (t interval;
    Welch for the difference) and ``n`` (authorities; both groups' sizes for the difference as the smaller).
    """
    indices = index_by_round(assessments, weights)
    rounds = assessment_rounds(assessments)
    rows = []
    for start, end in zip(rounds[:-1], rounds[1:], strict=True):
        label = f"{pd.Timestamp(start).date()} to {pd.Timestamp(end).date()}"
        wide = (
            indices[indices["assessed_on"].isin([start, end])]
            .pivot(index="authority_code", columns="assessed_on", values="index")
            .dropna()
        )
        change = wide[end] - wide[start]
        members = _member_on(membership, pd.Timestamp(start))
        groups = {
            "LOTI members": change[change.index.isin(members)],
            "Non-members": change[~change.index.isin(members)],
        }
        for name, values in groups.items():
            x = values.to_numpy(dtype=float)
            mean = float(x.mean()) if x.size else NAN
            if x.size >= 2:
                se = float(x.std(ddof=1) / np.sqrt(x.size))
                margin = float(stats.t.ppf((1 + confidence_level) / 2, x.size - 1)) * se
            else:
                margin = NAN
            rows.append(
                {
                    "interval": label,
                    "group": name,
                    "estimate": mean,
                    "conf_low": mean - margin,
                    "conf_high": mean + margin,
                    "n": int(x.size),
                }
            )
        a, b = (g.to_numpy(dtype=float) for g in groups.values())
        if a.size >= 2 and b.size >= 2:
            welch = stats.ttest_ind(a, b, equal_var=False)
            ci = welch.confidence_interval(confidence_level)
            low, high, p = float(ci.low), float(ci.high), float(welch.pvalue)
        else:
            low = high = p = NAN
        rows.append(
            {
                "interval": label,
                "group": "Difference (members minus non-members)",
                "estimate": float(a.mean() - b.mean()) if a.size and b.size else NAN,
                "conf_low": low,
                "conf_high": high,
                "n": int(min(a.size, b.size)),
                "p_value": p,
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------


def comparison_dot_plot(comparison: pd.DataFrame, name: str, round_label: str) -> tuple[go.Figure, str]:
    """Dot plot: the authority's score in each domain (and index) against the London median and middle half.

    Returns the figure and its text alternative.
    """
    import plotly.graph_objects as go

    order = list(comparison["measure"])
    figure = go.Figure()
    for row in comparison.itertuples():
        figure.add_trace(
            go.Scatter(
                x=[row.london_q1, row.london_q3],
                y=[row.measure, row.measure],
                mode="lines",
                line={"color": CONTEXT, "width": 8},
                showlegend=row.Index == 0,
                name="London middle half (25th to 75th percentile)",
                hoverinfo="skip",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=comparison["london_median"],
            y=comparison["measure"],
            mode="markers",
            marker={"symbol": "line-ns", "size": 16, "line": {"width": 3, "color": _GREY}},
            name="London median",
            hovertemplate="%{y}: London median %{x:.1f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=comparison["score"],
            y=comparison["measure"],
            mode="markers",
            marker={"size": 12, "color": FOCUS},
            name=name,
            hovertemplate="%{y}: " + name.replace("%", "%%") + " %{x:.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        template=template(),
        title=f"{name}: digital maturity against London, {round_label}",
        xaxis={"title": "Score (1 = lowest, 5 = highest)", "range": [0.8, 5.2], "dtick": 1},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": None, "automargin": True},
        height=200 + 38 * len(order),
    )
    parts = [
        f"{r.measure}: {r.score:.2f} against a London median of {r.london_median:.2f} ({r.position})"
        if r.score == r.score
        else f"{r.measure}: not scored"
        for r in comparison.itertuples()
    ]
    alt = (
        f"Dot plot of {name}'s digital maturity self-assessment in {round_label}, by domain, against the London "
        "median and the middle half of London authorities. " + "; ".join(parts) + "."
    )
    return figure, alt


def change_dumbbell_chart(table: pd.DataFrame, name: str, from_label: str, to_label: str) -> tuple[go.Figure, str]:
    """One authority's domain scores in two rounds, joined by a line (a dumbbell chart)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for i, row in enumerate(table.itertuples()):
        figure.add_trace(
            go.Scatter(
                x=[row.score_from, row.score_to],
                y=[row.domain, row.domain],
                mode="lines",
                line={"color": CONTEXT, "width": 3},
                showlegend=False,
                hoverinfo="skip",
                name=f"line {i}",
            )
        )
    # A ring for the earlier round and a smaller dot for the later one: an unchanged domain shows both.
    figure.add_trace(
        go.Scatter(
            x=table["score_from"],
            y=table["domain"],
            mode="markers",
            name=from_label,
            marker={"size": 15, "color": "rgba(0,0,0,0)", "line": {"color": FOCUS, "width": 2}},
            hovertemplate=f"%{{y}}, {from_label}: %{{x:.2f}}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=table["score_to"],
            y=table["domain"],
            mode="markers",
            name=to_label,
            marker={"size": 9, "color": FOCUS},
            hovertemplate=f"%{{y}}, {to_label}: %{{x:.2f}}<extra></extra>",
        )
    )
    figure.update_layout(
        template=template(),
        title=f"{name}: domain scores, {from_label} and {to_label}",
        xaxis={"title": "Score (1 = lowest, 5 = highest)", "range": [0.8, 5.2], "dtick": 1},
        yaxis={
            "categoryorder": "array",
            "categoryarray": list(table["domain"])[::-1],
            "title": None,
            "automargin": True,
        },
        height=200 + 38 * len(table),
    )
    alt = (
        f"{name}'s self-assessed score in each domain in {from_label} and {to_label}: "
        + "; ".join(f"{r.domain} {r.score_from:g} to {r.score_to:g}" for r in table.itertuples())
        + "."
    )
    return figure, alt


def london_dot_plot(summaries: dict[str, pd.DataFrame], confidence_level: float = 0.95) -> tuple[go.Figure, str]:
    """London's mean score per domain (and index) in each round, with intervals: one marker per round."""
    import plotly.graph_objects as go

    figure = go.Figure()
    symbols = ("circle", "diamond", "square", "triangle-up", "x", "star")
    parts = []
    order: list[str] = []
    for i, (label, summary) in enumerate(summaries.items()):
        order = list(summary["measure"])
        figure.add_trace(
            go.Scatter(
                x=summary["london_mean"],
                y=summary["measure"],
                mode="markers",
                name=label,
                marker={"size": 11, "color": CATEGORICAL[i % len(CATEGORICAL)], "symbol": symbols[i % len(symbols)]},
                hovertemplate=f"%{{y}}, {label}: %{{x:.2f}}<extra></extra>",
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": summary["mean_high"] - summary["london_mean"],
                    "arrayminus": summary["london_mean"] - summary["mean_low"],
                    "thickness": 1.5,
                },
            )
        )
        parts.append(
            f"{label}: "
            + ", ".join(f"{m} {v:.2f}" for m, v in zip(summary["measure"], summary["london_mean"], strict=True))
        )
    figure.update_layout(
        template=template(),
        title="London: mean digital maturity by domain and round",
        xaxis={"title": f"Mean score (1 = lowest, 5 = highest), {confidence_level:.0%} interval", "range": [0.8, 5.2]},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": None, "automargin": True},
        scattermode="group",
        height=220 + 45 * len(order),
    )
    alt = "Mean self-assessed maturity of London authorities by domain, one marker per round. " + "; ".join(parts)
    return figure, alt + "."


def rank_range_chart(
    sensitivity: WeightSensitivity, *, highlight: str | None = None, names: dict[str, str] | None = None
) -> tuple[go.Figure, str]:
    """Each authority's rank under the chosen weights and its range over redrawn weights.

    Without ``names`` the authorities are not named (ordered by rank only), so the chart shows how
    uncertain ranks are without becoming a league table; ``highlight`` marks one authority.
    """
    import plotly.graph_objects as go

    ranks = sensitivity.ranks
    position = np.arange(1, len(ranks) + 1)
    colours = [FOCUS if c == highlight else (CONTEXT if highlight else FOCUS) for c in ranks["authority_code"]]
    hover = [names.get(c, c) for c in ranks["authority_code"]] if names else [f"authority {p}" for p in position]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=ranks["rank"],
            y=position,
            mode="markers",
            marker={"color": colours, "size": 9},
            text=hover,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": ranks["rank_high"] - ranks["rank"],
                "arrayminus": ranks["rank"] - ranks["rank_low"],
                "color": _GREY,
                "thickness": 1.5,
            },
            name="rank (range over redrawn weights)",
            hovertemplate="%{text}: rank %{x}<extra></extra>",
        )
    )
    yaxis = {"autorange": "reversed", "showgrid": False, "zeroline": False, "automargin": True}
    if names:
        yaxis |= {"tickmode": "array", "tickvals": position.tolist(), "ticktext": hover, "title": None}
    else:
        yaxis |= {"showticklabels": False, "title": "Authorities, ordered by rank (not named)"}
    figure.update_layout(
        template=template(),
        title=f"How much ranks depend on the weights: central {sensitivity.interval:.0%} of "
        f"{sensitivity.draws} weightings",
        xaxis={
            "title": "Rank (1 = most mature)",
            "range": [0.5, len(ranks) + 0.5],
            "tickvals": [1, *range(5, len(ranks) + 1, 5)],
        },
        yaxis=yaxis,
        showlegend=False,
        height=180 + 16 * len(ranks),
    )
    width = ranks["rank_high"] - ranks["rank_low"]
    alt = (
        f"Ranks of {len(ranks)} authorities by maturity index with the range of ranks over "
        f"{sensitivity.draws} redrawn weightings: ranges are {int(width.min())} to {int(width.max())} places "
        f"wide (median {width.median():g}); the median Spearman correlation with the chosen ranking is "
        f"{np.median(sensitivity.spearman):.2f}."
    )
    if highlight is not None and highlight in set(ranks["authority_code"]):
        row = ranks[ranks["authority_code"] == highlight].iloc[0]
        alt += (
            f" The highlighted authority is ranked {int(row['rank'])} (between {int(row['rank_low'])} and "
            f"{int(row['rank_high'])} under redrawn weights)."
        )
    return figure, alt
