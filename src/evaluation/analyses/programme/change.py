"""Change across cohorts: scale scores, mixed models of change, cohort differences, single items, ratings.

:mod:`evaluation.analyses.cohort` evaluates one cohort of about eight leaders. This module pools every
cohort to answer the first roll-out questions: did leaders' confidence, competence and application of new
approaches change, and did the change differ between cohorts? Changes are later wave minus earlier wave
(positive = scores rose): a linear mixed model of each scale score (all cohorts, and wave x cohort), a Wald
test and a permutation check of a cohort difference, proportional-odds models of the single items, and the
programme-quality ratings by cohort. Published tables get primary and secondary suppression here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from ...schemas.programme import OUTCOMES, RATINGS
from ...statistics.disclosure import DEFAULT_THRESHOLD, STATISTIC_COLUMNS, suppress_small_groups
from ...statistics.models import (
    ModelFit,
    adjust_p_values,
    mixed_model_change,
    ordinal_item_model,
    satterthwaite_df,
    wave_change_by_cohort,
)
from ...statistics.two_sample import permutation_f_test
from ...tidy import Estimate, to_frame
from ..cohort import construct_pairs, construct_scores, item_matrix

WAVE_ORDER: tuple[str, ...] = ("baseline", "midpoint", "endpoint", "follow-up")
ALL_COHORTS = "all cohorts"


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def programme_scores(
    responses: pd.DataFrame,
    instrument: pd.DataFrame,
    constructs: tuple[str, ...] = OUTCOMES + RATINGS,
    min_answered: float = 0.5,
) -> pd.DataFrame:
    """Scale scores of every cohort, long: ``participant, cohort_id, wave, construct, score``.

    Each score is the mean of the construct's items after reverse-coded items are turned round, with the half
    rule for missing items (:func:`evaluation.analyses.cohort.construct_scores`).

    Parameters
    ----------
    responses : pandas.DataFrame
        Stored ``responses`` of the leadership survey (all cohorts).
    instrument : pandas.DataFrame
        The survey's ``instrument`` rows.
    constructs : tuple of str
        Constructs to score.
    min_answered : float
        Share of a construct's items a respondent must answer to get a score.

    Returns
    -------
    pandas.DataFrame
        One row per participant, wave and construct.

    Raises
    ------
    ValueError
        If a respondent appears in more than one cohort (pseudonyms must be unique per person).
    """
    cohorts = responses[["respondent", "cohort_id"]].drop_duplicates()
    if cohorts["respondent"].duplicated().any():
        raise ValueError("a respondent answers in more than one cohort; scores cannot be assigned to a cohort")
    scores = construct_scores(responses, instrument, constructs, min_answered=min_answered)
    cohort_of = cohorts.set_index("respondent")["cohort_id"]
    scores.insert(1, "cohort_id", scores["participant"].map(cohort_of))
    return scores


def _wave_order(waves: pd.Series) -> list[str]:
    """Waves present, in the schema's time order (unknown labels, e.g. years, sorted after)."""
    present = set(waves.dropna().unique())
    return [w for w in WAVE_ORDER if w in present] + sorted(present - set(WAVE_ORDER))


# ---------------------------------------------------------------------------
# Change across cohorts: mixed models
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeModels:
    """The two mixed models of one construct.

    Attributes
    ----------
    construct : str
        The construct modelled.
    pooled : ModelFit
        ``score ~ C(wave)`` with a random intercept per participant: the programme's change, all cohorts
        together.
    by_cohort : ModelFit
        ``score ~ C(wave) * C(cohort)`` with a random intercept per participant: cohort-specific changes and
        the wave x cohort interaction.
    """

    construct: str
    pooled: ModelFit
    by_cohort: ModelFit

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings of both fits (non-convergence, boundary estimates)."""
        return self.pooled.warnings + self.by_cohort.warnings


def fit_change_models(scores: pd.DataFrame, construct: str, *, alpha: float = 0.05) -> ChangeModels:
    """Fit the pooled and the wave x cohort linear mixed models of one construct's score.

    By REML (:func:`evaluation.statistics.models.mixed_model_change`),

    .. math::

        \\text{pooled:}\\quad y_{ij} = \\mu + \\alpha_{w(j)} + u_i + \\varepsilon_{ij}, \\qquad
        \\text{by cohort:}\\quad y_{ij} = \\mu + \\alpha_{w(j)} + \\gamma_{c(i)} + (\\alpha\\gamma)_{w(j)c(i)}
        + u_i + \\varepsilon_{ij},

    with :math:`u_i \\sim N(0, \\sigma_u^2)` a random intercept per participant. Participants who miss a wave
    (non-response, drop-out) still contribute their other waves, which is valid if missingness depends only on
    observed scores (missing at random). In the pooled model the random intercept also absorbs differences in
    level between cohorts, so the wave effect is a within-person change.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    construct : str
        Construct to model.
    alpha : float
        Two-sided level of the Wald intervals.

    Returns
    -------
    ChangeModels

    References
    ----------
    Laird, N. M. & Ware, J. H. (1982). Random-effects models for longitudinal data. *Biometrics*, 38, 963-974.
    """
    mine = scores[(scores["construct"] == construct) & scores["score"].notna()]
    if mine.empty:
        raise ValueError(f"no scores for construct '{construct}'")
    order = _wave_order(mine["wave"])
    pooled = mixed_model_change(mine, "score", "wave", None, "participant", wave_order=order, alpha=alpha)
    by_cohort = mixed_model_change(mine, "score", "wave", "cohort_id", "participant", wave_order=order, alpha=alpha)
    return ChangeModels(construct, pooled, by_cohort)


def model_changes(models: ChangeModels, from_wave: str, to_wave: str, *, alpha: float = 0.05) -> list[Estimate]:
    """Model-estimated mean change between two waves: all cohorts (pooled model), then each cohort.

    Each change is a linear contrast :math:`L^\\top\\hat\\beta` of the fixed effects with a Wald t interval on
    Satterthwaite degrees of freedom (:func:`evaluation.statistics.models.wave_change_by_cohort`).

    Parameters
    ----------
    models : ChangeModels
        From :func:`fit_change_models`.
    from_wave, to_wave : str
        Waves compared.
    alpha : float
        Two-sided level of the intervals.

    Returns
    -------
    list of Estimate
        ``term="mixed_model_change"``, ``group="<construct>: all cohorts"`` then ``"<construct>: <cohort>"``.
        ``n`` is the smaller number of participants observed at the two waves.
    """
    pooled = wave_change_by_cohort(models.pooled, from_wave, to_wave, alpha=alpha)
    by_cohort = wave_change_by_cohort(models.by_cohort, from_wave, to_wave, alpha=alpha)
    out = [replace(e, term="mixed_model_change", group=f"{models.construct}: {ALL_COHORTS}") for e in pooled]
    out += [replace(e, term="mixed_model_change", group=f"{models.construct}: {e.group}") for e in by_cohort]
    return out


def _change_weights(names: Sequence[str], from_wave: str, to_wave: str, cohort: str | None) -> np.ndarray:
    """Weights L with L'beta = mean(to_wave) - mean(from_wave) in ``cohort`` (reference levels have no column)."""
    weights = np.zeros(len(names))
    index = {name: i for i, name in enumerate(names)}
    for wave, sign in ((to_wave, 1.0), (from_wave, -1.0)):
        for name in (f"wave[{wave}]", f"wave[{wave}]:cohort[{cohort}]"):
            if name in index:
                weights[index[name]] += sign
    return weights


def cohort_interaction_test(fit: ModelFit, from_wave: str, to_wave: str) -> Estimate:
    """Wald F test that every cohort changed by the same amount between two waves (wave x cohort interaction).

    With :math:`\\hat\\theta_c = L_c^\\top\\hat\\beta` the change of cohort :math:`c` and :math:`D` the matrix
    of the :math:`q = C - 1` contrasts :math:`L_c - L_1` for every cohort but the first,

    .. math:: F = (D\\hat\\beta)^\\top (D \\hat V D^\\top)^{-1} (D\\hat\\beta) / q \\sim F(q, \\nu)

    under :math:`H_0: \\theta_1 = \\dots = \\theta_C`. From baseline this is the joint test of the
    ``wave[to]:cohort[c]`` interaction terms. The denominator degrees of freedom are Satterthwaite's for a
    multi-degree-of-freedom test, as lmerTest computes them (Fai & Cornelius, 1996; Kuznetsova et al., 2017):
    with :math:`D \\hat V D^\\top = P \\Lambda P^\\top`, each orthogonal contrast (row of :math:`P^\\top D`) has
    Satterthwaite df :math:`\\nu_m` (:func:`~evaluation.statistics.models.satterthwaite_df`),
    :math:`E = \\sum_m \\nu_m / (\\nu_m - 2)` and :math:`\\nu = 2E / (E - q)`. With complete data and two
    waves this is the one-way ANOVA of the within-person changes on cohort.

    Parameters
    ----------
    fit : ModelFit
        The wave x cohort fit (:attr:`ChangeModels.by_cohort`).
    from_wave, to_wave : str
        Waves compared.

    Returns
    -------
    Estimate
        ``term="wave_x_cohort_wald"``; ``estimate`` is the range (largest minus smallest) of the cohort changes,
        ``statistic`` is *F*, ``p_value`` from :math:`F(q, \\nu)` (the degrees of freedom are in ``method``);
        ``n`` is the smallest cohort's number of participants at either wave. NaN with fewer than two cohorts
        observed at both waves.

    Notes
    -----
    The chi-square reference used before ignored the uncertainty in the variance components and rejected
    too often with cohorts of about eight (``benchmarks/coverage.py``);
    :func:`cohort_change_permutation_test` remains the distribution-free check.

    References
    ----------
    Searle, S. R. (1971). *Linear Models*, ch. 5. Wiley. Fitzmaurice, G. M., Laird, N. M. & Ware, J. H. (2011).
    *Applied Longitudinal Analysis* (2nd ed.), ch. 5. Wiley. Fai, A. H.-T. & Cornelius, P. L. (1996).
    Approximate F-tests of multiple degree of freedom hypotheses in generalized least squares analyses of
    unbalanced split-plot experiments. *Journal of Statistical Computation and Simulation*, 54(4), 363-378.
    """
    data, result = fit.data, fit.result
    if "cohort" not in data:
        raise ValueError("the fit has no cohort term; use the wave x cohort model")
    names = list(result.model.exog_names)
    beta = result.fe_params[names].to_numpy()
    covariance = result.cov_params().loc[names, names].to_numpy()
    rows, sizes, cohorts = [], [], []
    for cohort in data["cohort"].cat.categories:
        mine = data[data["cohort"] == cohort]
        n = min(mine.loc[mine["wave"] == w, "participant"].nunique() for w in (from_wave, to_wave))
        if n > 0:
            rows.append(_change_weights(names, from_wave, to_wave, cohort))
            sizes.append(n)
            cohorts.append(cohort)
    method_base = "Wald F test of equal change in every cohort (linear mixed model, REML)"
    if len(rows) < 2:
        return Estimate("wave_x_cohort_wald", math.nan, n=min(sizes, default=0), method=method_base)
    weights = np.vstack(rows)
    changes = weights @ beta
    contrasts = weights[1:] - weights[0]
    difference = contrasts @ beta
    variance = contrasts @ covariance @ contrasts.T
    q = contrasts.shape[0]
    statistic = float(difference @ np.linalg.solve(variance, difference)) / q
    _, vectors = np.linalg.eigh(variance)
    orthogonal_df = np.atleast_1d(satterthwaite_df(result, vectors.T @ contrasts))
    expected = float(np.sum(orthogonal_df[orthogonal_df > 2] / (orthogonal_df[orthogonal_df > 2] - 2)))
    denominator = 2 * expected / (expected - q) if expected > q else float(np.min(orthogonal_df))
    return Estimate(
        "wave_x_cohort_wald",
        float(changes.max() - changes.min()),
        statistic=statistic,
        p_value=float(stats.f.sf(statistic, q, denominator)),
        n=min(sizes),
        method=f"{method_base}, F({q}, {denominator:.1f}), Satterthwaite denominator df",
    )


def cohort_change_permutation_test(
    scores: pd.DataFrame, construct: str, from_wave: str, to_wave: str, *, resamples: int = 9999, seed: int = 0
) -> Estimate:
    """Permutation test that the mean within-person change is the same in every cohort.

    Uses participants with both waves: their changes :math:`d_i` are compared across cohorts with
    :func:`permutation_f_test`. Unlike :func:`cohort_interaction_test` it needs no normality or large-sample
    approximation, at the price of leaving out participants with one wave.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    construct : str
        Construct tested.
    from_wave, to_wave : str
        Waves compared.
    resamples, seed : int
        Permutations and their seed.

    Returns
    -------
    Estimate
        ``term="cohort_change_permutation"``; ``estimate`` is the range of the cohorts' mean changes,
        ``statistic`` the F statistic; ``n`` the smallest cohort's number of complete pairs.
    """
    pairs = construct_pairs(scores, construct, from_wave, to_wave)
    cohort_of = scores.drop_duplicates("participant").set_index("participant")["cohort_id"]
    cohorts = cohort_of.reindex(list(pairs.participants)).to_numpy()
    changes = pairs.post - pairs.pre
    means = pd.Series(changes).groupby(cohorts).mean()
    sizes = pd.Series(cohorts).value_counts()
    method = "permutation test (one-way F on within-person changes, cohort labels shuffled)"
    if len(means) < 2:
        return Estimate("cohort_change_permutation", math.nan, n=int(sizes.min()) if len(sizes) else 0, method=method)
    f, p = permutation_f_test(changes, cohorts, resamples=resamples, seed=seed)
    return Estimate(
        "cohort_change_permutation",
        float(means.max() - means.min()),
        statistic=f,
        p_value=p,
        n=int(sizes.min()),
        method=method,
    )


# ---------------------------------------------------------------------------
# Change across cohorts: one call for the notebook
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeChange:
    """Change in every construct across the cohorts, ready to publish.

    Attributes
    ----------
    changes : pandas.DataFrame
        Tidy mixed-model changes (all cohorts, then each cohort) after primary and secondary suppression.
    tests : pandas.DataFrame
        Tidy tests of a cohort difference (Wald and permutation) per construct, suppressed.
    models : dict of str to ChangeModels
        The fits, for diagnostics. Not for publication.
    """

    changes: pd.DataFrame
    tests: pd.DataFrame
    models: dict[str, ChangeModels]

    @property
    def warnings(self) -> list[str]:
        """Every fitting warning, prefixed by its construct."""
        return [f"{c}: {w}" for c, m in self.models.items() for w in m.warnings]


def _suppress_with_complement(frame: pd.DataFrame, k: int, blocks: pd.Series, total: pd.Series) -> pd.DataFrame:
    """Primary suppression, then secondary: in a block with a published total row, one suppressed group row
    gets the smallest remaining group row suppressed too (otherwise total and the others could give it away)."""
    out = suppress_small_groups(frame, k)
    for block in blocks.unique():
        rows = (blocks == block).to_numpy()
        groups = rows & ~total.to_numpy()
        suppressed = out["suppressed"].to_numpy() & groups
        total_published = (rows & total.to_numpy() & ~out["suppressed"].to_numpy()).any()
        if suppressed.sum() == 1 and total_published:
            candidates = out.loc[groups & ~suppressed, "n"].astype(float)
            if len(candidates):
                victim = candidates.idxmin()
                present = [c for c in STATISTIC_COLUMNS if c in out.columns]
                out.loc[victim, present] = np.nan
                out.loc[victim, "n"] = pd.NA
                out.loc[victim, "suppressed"] = True
    return out


def change_across_cohorts(
    scores: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    *,
    constructs: tuple[str, ...] = OUTCOMES,
    k: int = DEFAULT_THRESHOLD,
    alpha: float = 0.05,
    resamples: int = 9999,
    seed: int = 0,
) -> ProgrammeChange:
    """Mixed-model change of each construct (all cohorts and by cohort) and the tests of a cohort difference.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    from_wave, to_wave : str
        Waves compared.
    constructs : tuple of str
        Constructs analysed.
    k : int
        Disclosure threshold. A cohort change from fewer than ``k`` people is suppressed; if exactly one cohort
        of a construct is, the next smallest is suppressed too, because the all-cohorts change and the other
        cohorts' changes would otherwise narrow it down.
    alpha : float
        Two-sided level of the intervals.
    resamples, seed : int
        Permutations for :func:`cohort_change_permutation_test`.

    Returns
    -------
    ProgrammeChange
    """
    fits = {c: fit_change_models(scores, c, alpha=alpha) for c in constructs}
    change_rows = [e for c in constructs for e in model_changes(fits[c], from_wave, to_wave, alpha=alpha)]
    changes = to_frame(change_rows)
    construct_of = changes["group"].str.split(": ").str[0]
    changes = _suppress_with_complement(changes, k, construct_of, changes["group"].str.endswith(ALL_COHORTS))
    test_rows = []
    for c in constructs:
        test_rows.append(cohort_interaction_test(fits[c].by_cohort, from_wave, to_wave).with_context(group=c))
        test_rows.append(
            cohort_change_permutation_test(scores, c, from_wave, to_wave, resamples=resamples, seed=seed).with_context(
                group=c
            )
        )
    tests = suppress_small_groups(to_frame(test_rows), k)
    return ProgrammeChange(changes, tests, fits)


# ---------------------------------------------------------------------------
# Single items: ordinal models
# ---------------------------------------------------------------------------


def item_models(
    responses: pd.DataFrame,
    instrument: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    *,
    constructs: tuple[str, ...] = OUTCOMES,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Proportional-odds model of each Likert item between two waves, with Holm and BH adjustment across items.

    For each item, :func:`evaluation.statistics.models.ordinal_item_model` fits
    :math:`\\operatorname{logit} P(Y \\le j) = \\theta_j - \\beta\\,[\\text{wave} = \\text{to}] - \\gamma_c` with
    cohort as a main effect; reverse-coded items are turned round first, so an odds ratio above 1 always means
    more of the construct. The wave odds ratios' p-values are then adjusted across all the items: Holm (1979)
    controls the chance of any false positive, Benjamini-Hochberg (1995) the expected share of false
    positives.

    Parameters
    ----------
    responses, instrument : pandas.DataFrame
        Leadership survey responses (all cohorts) and instrument.
    from_wave, to_wave : str
        Waves compared (``from_wave`` is the reference).
    constructs : tuple of str
        Constructs whose items are modelled.
    alpha : float
        Two-sided level of the intervals.

    Returns
    -------
    pandas.DataFrame
        Tidy rows, one per item (``term`` = item id, ``group`` = construct), ``estimate`` and interval as odds
        ratios, plus ``p_value_holm`` and ``p_value_bh``. ``n`` is the smaller number of people answering the
        item at the two waves (the model's response count is in ``method``).

    Notes
    -----
    Answers from the same person at two waves are treated as independent, so standard errors are somewhat too
    small; the item models describe which items moved, the mixed model of the scale score is the main test.
    """
    cohort_of = responses[["respondent", "cohort_id"]].drop_duplicates().set_index("respondent")["cohort_id"]
    rows = []
    for construct in constructs:
        items = instrument[instrument["construct"] == construct]
        wide = item_matrix(responses, instrument, construct)
        low, high = int(items["scale_min"].min()), int(items["scale_max"].max())
        for item in items["item_id"]:
            long = wide[item].dropna().rename("value").reset_index()
            long = long[long["wave"].isin([from_wave, to_wave])]
            if (long["value"] == long["value"].round()).all():  # whole-number answers match the integer levels
                long["value"] = long["value"].round().astype(int)
            long["cohort_id"] = long["respondent"].map(cohort_of)
            people = min(long.loc[long["wave"] == w, "respondent"].nunique() for w in (from_wave, to_wave))
            if people == 0 or long["value"].nunique() < 2:
                rows.append(
                    Estimate(item, math.nan, n=people, method="proportional odds: not estimable", group=construct)
                )
                continue
            fit = ordinal_item_model(
                long,
                "value",
                "wave",
                "cohort_id",
                item_levels=list(range(low, high + 1)),
                wave_order=[from_wave, to_wave],
                exponentiate=True,
                alpha=alpha,
            )
            wave_term = next(e for e in fit.estimates if e.term == f"wave[{to_wave}]")
            rows.append(
                replace(
                    wave_term,
                    term=item,
                    group=construct,
                    n=people,
                    method=f"{wave_term.method}; {len(fit.data)} responses, cohort adjusted",
                )
            )
    frame = to_frame(rows)
    frame["p_value_holm"] = adjust_p_values(frame["p_value"].to_numpy(), "holm")
    frame["p_value_bh"] = adjust_p_values(frame["p_value"].to_numpy(), "fdr_bh")
    return frame


# ---------------------------------------------------------------------------
# Ratings
# ---------------------------------------------------------------------------


def ratings_by_cohort(
    scores: pd.DataFrame,
    *,
    wave: str = "endpoint",
    ratings: tuple[str, ...] = RATINGS,
    k: int = DEFAULT_THRESHOLD,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Mean rating of each programme-quality construct, all cohorts and by cohort, suppressed.

    Means with t intervals, :math:`\\bar x \\pm t_{n-1,1-\\alpha/2}\\,s/\\sqrt n`.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores` (with the rating constructs).
    wave : str
        Wave the ratings were asked at.
    ratings : tuple of str
        Rating constructs.
    k : int
        Disclosure threshold (primary and secondary suppression by construct).
    confidence_level : float
        Two-sided coverage.

    Returns
    -------
    pandas.DataFrame
        Tidy rows, ``term="mean_rating"``, ``group="<construct>: all cohorts"`` or ``"<construct>: <cohort>"``.
    """
    at_wave = scores[(scores["wave"] == wave) & scores["construct"].isin(ratings) & scores["score"].notna()]
    rows = []
    for construct in ratings:
        mine = at_wave[at_wave["construct"] == construct]
        parts = [(ALL_COHORTS, mine)] + [(str(c), g) for c, g in mine.groupby("cohort_id", sort=True)]
        for label, group in parts:
            values = group["score"].to_numpy()
            n = values.size
            if n < 2:
                rows.append(
                    Estimate(
                        "mean_rating",
                        float(values.mean()) if n else math.nan,
                        n=n,
                        method="mean with t interval",
                        group=f"{construct}: {label}",
                    )
                )
                continue
            mean, se = float(values.mean()), float(values.std(ddof=1) / np.sqrt(n))
            half = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1)) * se
            rows.append(
                Estimate(
                    "mean_rating",
                    mean,
                    std_error=se,
                    conf_low=mean - half,
                    conf_high=mean + half,
                    n=n,
                    method="mean with t interval",
                    group=f"{construct}: {label}",
                )
            )
    frame = to_frame(rows)
    return _suppress_with_complement(
        frame, k, frame["group"].str.split(": ").str[0], frame["group"].str.endswith(ALL_COHORTS)
    )
