"""Leadership programme across all cohorts: change, cohort differences, attrition, equality, value for money.

:mod:`evaluation.analyses.cohort` evaluates one cohort of about eight leaders.
This module pools every cohort to answer the roll-out question: did leaders'
confidence, competence and application of new approaches change, did the
change differ between cohorts, who dropped out, were outcomes equal across
protected characteristics (Public Sector Equality Duty), what did it cost per
participant and per unit of change, and how many cohorts a further evaluation
would need to detect a given change.

Conventions follow :mod:`evaluation.statistics`: changes are later wave minus
earlier wave (positive = scores rose), every estimate is a tidy
:class:`~evaluation.tidy.Estimate`, and ``n`` is the **smallest group of
people behind an estimate**, which is what disclosure control checks. Functions
that return publishable tables take the disclosure threshold ``k`` and apply
primary and secondary suppression themselves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from ..charts import CATEGORICAL, REFERENCE_LINE, template
from ..economics.counterfactual import day_rate_saving
from ..statistics.disclosure import (
    DEFAULT_THRESHOLD,
    STATISTIC_COLUMNS,
    TOTAL,
    SuppressedTable,
    assert_no_disclosure_risks,
    suppress_counts,
    suppress_small_groups,
)
from ..statistics.models import ModelFit, adjust_p_values, mixed_model_change, ordinal_item_model, wave_change_by_cohort
from ..statistics.paired import complete_pairs, paired_mean_change
from ..statistics.power import cohorts_needed, paired_minimum_detectable_change, paired_power, paired_sample_size
from ..statistics.two_sample import (
    hodges_lehmann_two_sample,
    permutation_f_test,
    proportion_estimate,
    two_sample_permutation_test,
    welch_difference,
)
from ..tidy import Estimate, to_frame
from .cohort import OUTCOMES, RATINGS, construct_scores, item_matrix

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "ALL_COHORTS",
    "CHARACTERISTICS",
    "NOT_KNOWN",
    "WAVE_ORDER",
    "ChangeModels",
    "ProgrammeChange",
    "applications_summary",
    "attendance_by_session",
    "change_across_cohorts",
    "change_by_group",
    "change_sd",
    "characteristic_groups",
    "cohort_change_permutation_test",
    "cohort_interaction_test",
    "completion_by_group",
    "completion_rate",
    "completion_table",
    "checked",
    "checked_counts",
    "suppress",
    "describe_test",
    "content_summary",
    "cost_summary",
    "day_rate_comparison",
    "describe_cohort_difference",
    "describe_interval",
    "interval_alt_text",
    "describe_model_change",
    "dropout_baseline_difference",
    "equality_analysis",
    "evidence_table",
    "fit_change_models",
    "item_models",
    "model_changes",
    "paired_completion_rate",
    "programme_scores",
    "ratings_by_cohort",
    "rollout_chart",
    "rollout_plan",
    "rollout_sentence",
    "row_estimate",
    "rollout_requirements",
    "survey_coverage",
    "value_for_money",
]

WAVE_ORDER: tuple[str, ...] = ("baseline", "midpoint", "endpoint", "follow-up")
CHARACTERISTICS: tuple[str, ...] = ("sex", "ethnic_group", "disability", "age_band")
NOT_KNOWN = "Not known"
ALL_COHORTS = "all cohorts"
NOT_REPORTED = "not reported: groups too small"


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------

def programme_scores(responses: pd.DataFrame, instrument: pd.DataFrame,
                     constructs: tuple[str, ...] = OUTCOMES + RATINGS, min_answered: float = 0.5) -> pd.DataFrame:
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
    by_cohort = mixed_model_change(mine, "score", "wave", "cohort_id", "participant", wave_order=order,
                                   alpha=alpha)
    return ChangeModels(construct, pooled, by_cohort)


def model_changes(models: ChangeModels, from_wave: str, to_wave: str, *, alpha: float = 0.05) -> list[Estimate]:
    """Model-estimated mean change between two waves: all cohorts (pooled model), then each cohort.

    Each change is a linear contrast :math:`L^\\top\\hat\\beta` of the fixed effects with a Wald z interval
    (:func:`evaluation.statistics.models.wave_change_by_cohort`).

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
    """Wald test that every cohort changed by the same amount between two waves (wave x cohort interaction).

    With :math:`\\hat\\theta_c = L_c^\\top\\hat\\beta` the change of cohort :math:`c` and :math:`D` the matrix
    of contrasts :math:`L_c - L_1` for every cohort but the first,

    .. math:: W = (D\\hat\\beta)^\\top (D \\hat V D^\\top)^{-1} (D\\hat\\beta) \\sim \\chi^2_{C-1}

    under :math:`H_0: \\theta_1 = \\dots = \\theta_C`. From baseline this is the joint test of the
    ``wave[to]:cohort[c]`` interaction terms.

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
        ``statistic`` is :math:`W`, ``p_value`` from :math:`\\chi^2_{C-1}` (the degrees of freedom are in
        ``method``); ``n`` is the smallest cohort's number of participants at either wave. NaN with fewer than
        two cohorts observed at both waves.

    Notes
    -----
    The chi-square reference ignores the uncertainty in the variance components, so with cohorts of about
    eight the test is somewhat liberal (rejects too often); :func:`cohort_change_permutation_test` is the
    small-sample check.

    References
    ----------
    Searle, S. R. (1971). *Linear Models*, ch. 5. Wiley. Fitzmaurice, G. M., Laird, N. M. & Ware, J. H. (2011).
    *Applied Longitudinal Analysis* (2nd ed.), ch. 5. Wiley.
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
    method_base = "Wald chi-square test of equal change in every cohort (linear mixed model, REML)"
    if len(rows) < 2:
        return Estimate("wave_x_cohort_wald", math.nan, n=min(sizes, default=0), method=method_base)
    weights = np.vstack(rows)
    changes = weights @ beta
    contrasts = weights[1:] - weights[0]
    difference = contrasts @ beta
    variance = contrasts @ covariance @ contrasts.T
    statistic = float(difference @ np.linalg.solve(variance, difference))
    df = contrasts.shape[0]
    return Estimate("wave_x_cohort_wald", float(changes.max() - changes.min()), statistic=statistic,
                    p_value=float(stats.chi2.sf(statistic, df)), n=min(sizes),
                    method=f"{method_base}, df={df}")


def cohort_change_permutation_test(scores: pd.DataFrame, construct: str, from_wave: str, to_wave: str, *,
                                   resamples: int = 9999, seed: int = 0) -> Estimate:
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
    pairs = complete_pairs(scores[scores["construct"] == construct], baseline=from_wave, endpoint=to_wave)
    cohort_of = scores.drop_duplicates("participant").set_index("participant")["cohort_id"]
    cohorts = cohort_of.reindex(list(pairs.participants)).to_numpy()
    changes = pairs.post - pairs.pre
    means = pd.Series(changes).groupby(cohorts).mean()
    sizes = pd.Series(cohorts).value_counts()
    method = "permutation test (one-way F on within-person changes, cohort labels shuffled)"
    if len(means) < 2:
        return Estimate("cohort_change_permutation", math.nan, n=int(sizes.min()) if len(sizes) else 0,
                        method=method)
    f, p = permutation_f_test(changes, cohorts, resamples=resamples, seed=seed)
    return Estimate("cohort_change_permutation", float(means.max() - means.min()), statistic=f, p_value=p,
                    n=int(sizes.min()), method=method)


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


def change_across_cohorts(scores: pd.DataFrame, from_wave: str, to_wave: str, *,
                          constructs: tuple[str, ...] = OUTCOMES, k: int = DEFAULT_THRESHOLD, alpha: float = 0.05,
                          resamples: int = 9999, seed: int = 0) -> ProgrammeChange:
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
        test_rows.append(cohort_change_permutation_test(scores, c, from_wave, to_wave, resamples=resamples,
                                                        seed=seed).with_context(group=c))
    tests = suppress_small_groups(to_frame(test_rows), k)
    return ProgrammeChange(changes, tests, fits)


# ---------------------------------------------------------------------------
# Single items: ordinal models
# ---------------------------------------------------------------------------

def item_models(responses: pd.DataFrame, instrument: pd.DataFrame, from_wave: str, to_wave: str, *,
                constructs: tuple[str, ...] = OUTCOMES, alpha: float = 0.05) -> pd.DataFrame:
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
                rows.append(Estimate(item, math.nan, n=people, method="proportional odds: not estimable",
                                     group=construct))
                continue
            fit = ordinal_item_model(long, "value", "wave", "cohort_id", item_levels=list(range(low, high + 1)),
                                     wave_order=[from_wave, to_wave], exponentiate=True, alpha=alpha)
            wave_term = next(e for e in fit.estimates if e.term == f"wave[{to_wave}]")
            rows.append(replace(wave_term, term=item, group=construct, n=people,
                                method=f"{wave_term.method}; {len(fit.data)} responses, cohort adjusted"))
    frame = to_frame(rows)
    frame["p_value_holm"] = adjust_p_values(frame["p_value"].to_numpy(), "holm")
    frame["p_value_bh"] = adjust_p_values(frame["p_value"].to_numpy(), "fdr_bh")
    return frame


# ---------------------------------------------------------------------------
# Ratings
# ---------------------------------------------------------------------------

def ratings_by_cohort(scores: pd.DataFrame, *, wave: str = "endpoint", ratings: tuple[str, ...] = RATINGS,
                      k: int = DEFAULT_THRESHOLD, confidence_level: float = 0.95) -> pd.DataFrame:
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
                rows.append(Estimate("mean_rating", float(values.mean()) if n else math.nan, n=n,
                                     method="mean with t interval", group=f"{construct}: {label}"))
                continue
            mean, se = float(values.mean()), float(values.std(ddof=1) / np.sqrt(n))
            half = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1)) * se
            rows.append(Estimate("mean_rating", mean, std_error=se, conf_low=mean - half, conf_high=mean + half,
                                 n=n, method="mean with t interval", group=f"{construct}: {label}"))
    frame = to_frame(rows)
    return _suppress_with_complement(frame, k, frame["group"].str.split(": ").str[0],
                                     frame["group"].str.endswith(ALL_COHORTS))


# ---------------------------------------------------------------------------
# Attrition and attendance
# ---------------------------------------------------------------------------

def _status(participants: pd.DataFrame) -> pd.Series:
    status = np.select([participants["completed_on"].notna(), participants["withdrawn_on"].notna()],
                       ["completed", "withdrawn"], default="active")
    return pd.Series(status, index=participants.index, name="status")


def completion_table(participants: pd.DataFrame, by: str = "cohort_id", *, k: int = DEFAULT_THRESHOLD
                     ) -> SuppressedTable:
    """Completed, withdrawn and still active by group, with primary and secondary suppression.

    Parameters
    ----------
    participants : pandas.DataFrame
        The roster (all cohorts).
    by : str
        Grouping column, e.g. ``cohort_id``, ``grade`` or a protected characteristic (grouped as in
        :func:`characteristic_groups`).
    k : int
        Disclosure threshold.

    Returns
    -------
    SuppressedTable
        Publish ``.formatted()`` (``[c]`` in suppressed cells); ``.published`` is the numeric form to audit with
        :func:`evaluation.statistics.disclosure.assert_no_disclosure_risks`.
    """
    if by in CHARACTERISTICS:
        groups = pd.Series(characteristic_groups(participants, by).to_numpy(), index=participants.index, name=by)
    else:
        groups = participants[by].fillna(NOT_KNOWN)
    table = pd.crosstab(groups, _status(participants)).reindex(columns=["completed", "withdrawn", "active"],
                                                               fill_value=0)
    table.index.name = by
    table.columns.name = None
    return suppress_counts(table, k=k)


def completion_rate(participants: pd.DataFrame, *, confidence_level: float = 0.95) -> list[Estimate]:
    """Share of enrolled leaders who completed, and who withdrew, with Clopper-Pearson intervals.

    Parameters
    ----------
    participants : pandas.DataFrame
        The roster.
    confidence_level : float
        Two-sided coverage.

    Returns
    -------
    list of Estimate
        ``completion_rate`` and ``dropout_rate`` (share withdrawn); ``n`` is the smaller of the two counts
        behind each (see :func:`proportion_estimate`).
    """
    status = _status(participants)
    enrolled = len(status)
    return [proportion_estimate(int((status == "completed").sum()), enrolled, term="completion_rate",
                                confidence_level=confidence_level).with_context(group=ALL_COHORTS),
            proportion_estimate(int((status == "withdrawn").sum()), enrolled, term="dropout_rate",
                                confidence_level=confidence_level).with_context(group=ALL_COHORTS)]


def survey_coverage(scores: pd.DataFrame, participants: pd.DataFrame, *, construct: str = "confidence",
                    k: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """How many enrolled leaders have a score at each wave, and how many do not, suppressed.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    participants : pandas.DataFrame
        The roster.
    construct : str
        Construct whose score counts as answering.
    k : int
        Disclosure threshold.

    Returns
    -------
    SuppressedTable
        Rows are waves, columns ``answered`` and ``did not answer``.
    """
    mine = scores[(scores["construct"] == construct) & scores["score"].notna()]
    enrolled = participants["participant_id"].nunique()
    waves = _wave_order(mine["wave"])
    answered = mine.groupby("wave")["participant"].nunique().reindex(waves, fill_value=0)
    table = pd.DataFrame({"answered": answered, "did not answer": enrolled - answered})
    table.index.name = "wave"
    return suppress_counts(table, k=k)


def attendance_by_session(attendance: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Attendance per session, all cohorts together.

    Parameters
    ----------
    attendance : pandas.DataFrame
        Register, one row per participant and session.
    participants : pandas.DataFrame
        The roster (for withdrawal dates).

    Returns
    -------
    pandas.DataFrame
        ``session``, ``n`` (people on the register), ``attendance_rate`` (share of them attending),
        ``still_enrolled`` (not withdrawn before the session date) and ``attendance_rate_still_enrolled``.
    """
    withdrawn = participants.set_index("participant_id")["withdrawn_on"]
    register = attendance.assign(withdrawn_on=attendance["participant_id"].map(withdrawn))
    register["still_enrolled"] = register["withdrawn_on"].isna() | (
        pd.to_datetime(register["withdrawn_on"]) >= pd.to_datetime(register["session_date"]))
    register["attended"] = register["attended"].astype(bool)
    rows = []
    for session, group in register.groupby("session", sort=True):
        enrolled = group[group["still_enrolled"]]
        rows.append({"session": int(session), "n": len(group), "attendance_rate": group["attended"].mean(),
                     "still_enrolled": len(enrolled),
                     "attendance_rate_still_enrolled": enrolled["attended"].mean() if len(enrolled) else np.nan})
    return pd.DataFrame(rows)


def dropout_baseline_difference(scores: pd.DataFrame, participants: pd.DataFrame, construct: str, *,
                                wave: str = "baseline", confidence_level: float = 0.95, resamples: int = 9999,
                                seed: int = 0) -> list[Estimate]:
    """Did leaders who withdrew differ at baseline from those who completed? Small-sample comparison.

    Two views of drop-outs minus completers on the construct's score at ``wave``:

    * **Hodges-Lehmann shift** (median of all drop-out minus completer differences) with its exact
      distribution-free interval (:func:`hodges_lehmann_two_sample`) and the p-value of the Mann-Whitney
      test from the exact permutation distribution of mid-ranks (valid with ties);
    * **difference in means** with Welch's interval and the exact permutation p-value of the mean difference.

    If drop-outs differed (e.g. the least confident left), completers' change would overstate the change of
    everyone who enrolled.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    participants : pandas.DataFrame
        The roster; drop-outs have ``withdrawn_on``, completers ``completed_on``.
    construct : str
        Construct compared.
    wave : str
        Wave compared (baseline: before anyone withdrew).
    confidence_level : float
        Two-sided coverage.
    resamples, seed : int
        Used only when there are too many splits to enumerate.

    Returns
    -------
    list of Estimate
        ``hodges_lehmann_shift`` and ``mean_difference``; ``n`` is the smaller group, ``group`` names the
        construct.
    """
    status = _status(participants).set_axis(participants["participant_id"])
    mine = scores[(scores["construct"] == construct) & (scores["wave"] == wave) & scores["score"].notna()]
    who = mine["participant"].map(status)
    dropouts = mine.loc[who == "withdrawn", "score"].to_numpy()
    completers = mine.loc[who == "completed", "score"].to_numpy()
    group = f"{construct} ({wave}): drop-outs minus completers"
    if dropouts.size == 0 or completers.size == 0:
        return [Estimate("hodges_lehmann_shift", math.nan, n=0, group=group, method="no one to compare"),
                Estimate("mean_difference", math.nan, n=0, group=group, method="no one to compare")]
    shift = hodges_lehmann_two_sample(dropouts, completers, confidence_level=confidence_level)
    _, p_rank, exact_rank = two_sample_permutation_test(dropouts, completers, ranks=True, resamples=resamples,
                                                        seed=seed)
    mean = welch_difference(dropouts, completers, confidence_level=confidence_level)
    _, p_mean, exact_mean = two_sample_permutation_test(dropouts, completers, resamples=resamples, seed=seed)
    kind = {True: "exact", False: "Monte Carlo"}
    return [replace(shift, p_value=p_rank, group=group,
                    method=f"{shift.method}; Mann-Whitney {kind[exact_rank]} permutation p"),
            replace(mean, p_value=p_mean, group=group,
                    method=f"{mean.method}; {kind[exact_mean]} permutation p")]


# ---------------------------------------------------------------------------
# Equality analysis (Public Sector Equality Duty)
# ---------------------------------------------------------------------------

def characteristic_groups(participants: pd.DataFrame, characteristic: str) -> pd.Series:
    """Each participant's group on a protected characteristic; blank and "Prefer not to say" become "Not known".

    "Not known" is kept as a group of its own: leaving it out would let its size and outcomes be worked out
    from the published totals.
    """
    values = participants[characteristic].astype("object")
    values = values.where(values.notna() & (values != "Prefer not to say"), NOT_KNOWN)
    return pd.Series(values.to_numpy(), index=participants["participant_id"].to_numpy(), name=characteristic)


def _group_comparison(values: np.ndarray, labels: np.ndarray, *, confidence_level: float, resamples: int,
                      seed: int, term: str) -> Estimate:
    """Difference between two groups (Welch CI, exact permutation p) or an F permutation test for more."""
    groups = list(pd.unique(pd.Series(labels)))
    sizes = pd.Series(labels).value_counts()
    if len(groups) < 2:
        return Estimate(term, math.nan, n=int(sizes.min()) if len(sizes) else 0, method="one group only")
    if len(groups) == 2:
        first, second = sorted(groups, key=str)
        x, y = values[labels == first], values[labels == second]
        difference = welch_difference(x, y, confidence_level=confidence_level)
        _, p, exact = two_sample_permutation_test(x, y, resamples=resamples, seed=seed)
        kind = "exact" if exact else "Monte Carlo"
        return replace(difference, term=term, p_value=p,
                       method=f"{first} minus {second}: {difference.method}; {kind} permutation p")
    f, p = permutation_f_test(values, labels, resamples=resamples, seed=seed)
    means = pd.Series(values).groupby(labels).mean()
    return Estimate(term, float(means.max() - means.min()), statistic=f, p_value=p, n=int(sizes.min()),
                    method="range of group means; permutation F test")


def change_by_group(scores: pd.DataFrame, participants: pd.DataFrame, characteristic: str, construct: str,
                    from_wave: str, to_wave: str, *, groups: Sequence[str] | None = None,
                    confidence_level: float = 0.95, resamples: int = 9999, seed: int = 0) -> list[Estimate]:
    """Mean within-person change in each group of a characteristic, and a test of a difference between groups.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    participants : pandas.DataFrame
        The roster with the characteristic.
    characteristic : str
        Column, e.g. ``sex``.
    construct : str
        Construct.
    from_wave, to_wave : str
        Waves compared.
    groups : sequence of str, optional
        Restrict to these groups (for analysis only: publishing a subset can disclose the rest).
    confidence_level : float
        Two-sided coverage.
    resamples, seed : int
        Permutations.

    Returns
    -------
    list of Estimate
        One ``mean_change`` per group (paired t interval; ``group="<characteristic>: <group>"``), then
        ``difference_between_groups``: with two groups their difference (alphabetical first minus second, Welch
        interval, exact permutation p), with more the range of group means and a permutation F test.
    """
    pairs = complete_pairs(scores[scores["construct"] == construct], baseline=from_wave, endpoint=to_wave)
    labels = characteristic_groups(participants, characteristic).reindex(list(pairs.participants)).fillna(NOT_KNOWN)
    labels = labels.to_numpy()
    changes = pairs.post - pairs.pre
    keep = np.isin(labels, list(groups)) if groups is not None else np.ones(labels.size, dtype=bool)
    labels, changes, pre, post = labels[keep], changes[keep], pairs.pre[keep], pairs.post[keep]
    rows = []
    for label in sorted(pd.unique(pd.Series(labels)), key=str):
        member = labels == label
        rows.append(paired_mean_change(pre[member], post[member], confidence_level=confidence_level)
                    .with_context(group=f"{characteristic}: {label}"))
    rows.append(_group_comparison(changes, labels, confidence_level=confidence_level, resamples=resamples,
                                  seed=seed, term="difference_between_groups")
                .with_context(group=f"{characteristic}: all groups"))
    return rows


def completion_by_group(participants: pd.DataFrame, characteristic: str, *, confidence_level: float = 0.95,
                        resamples: int = 9999, seed: int = 0) -> list[Estimate]:
    """Completion rate in each group of a characteristic (Clopper-Pearson) and a permutation test of a difference.

    Returns
    -------
    list of Estimate
        ``completion_rate`` per group (``n`` is the group size; the caller applies the threshold to every
        group), then ``difference_between_groups`` (see :func:`change_by_group`).
    """
    labels = characteristic_groups(participants, characteristic).to_numpy()
    completed = participants["completed_on"].notna().to_numpy().astype(float)
    rows = []
    for label in sorted(pd.unique(pd.Series(labels)), key=str):
        member = labels == label
        estimate = proportion_estimate(int(completed[member].sum()), int(member.sum()), term="completion_rate",
                                       confidence_level=confidence_level)
        rows.append(replace(estimate, n=int(member.sum()), group=f"{characteristic}: {label}"))
    rows.append(_group_comparison(completed, labels, confidence_level=confidence_level, resamples=resamples,
                                  seed=seed, term="difference_between_groups")
                .with_context(group=f"{characteristic}: all groups"))
    return rows


def equality_analysis(participants: pd.DataFrame, scores: pd.DataFrame, from_wave: str, to_wave: str, *,
                      characteristics: tuple[str, ...] = CHARACTERISTICS, constructs: tuple[str, ...] = OUTCOMES,
                      k: int = DEFAULT_THRESHOLD, confidence_level: float = 0.95, resamples: int = 9999,
                      seed: int = 0) -> pd.DataFrame:
    """Outcomes by protected characteristic, reported only where every group has at least ``k`` people.

    For each characteristic (sex, ethnic group, disability, age band) and outcome (completion; change in each
    construct between the waves) the groups are formed with "Not known" as a group of its own
    (:func:`characteristic_groups`). If **any** group, counted among the people the outcome is computed on, has
    fewer than ``k`` people, nothing is published for that characteristic and outcome but one row saying
    ``"not reported: groups too small"``: publishing the larger groups would, with the overall figure, reveal
    the small one. A completion rate also reveals how many in its group did not complete, so for completion
    every group's completers and non-completers must each be 0 or at least ``k``. Group sizes of a suppressed
    characteristic are not shown either.

    Parameters
    ----------
    participants : pandas.DataFrame
        The roster with the characteristics.
    scores : pandas.DataFrame
        From :func:`programme_scores`.
    from_wave, to_wave : str
        Waves of the change outcomes.
    characteristics, constructs : tuple of str
        What to analyse.
    k : int
        Disclosure threshold.
    confidence_level : float
        Two-sided coverage.
    resamples, seed : int
        Permutations of the group tests.

    Returns
    -------
    pandas.DataFrame
        Tidy columns plus ``characteristic``, ``outcome``, ``note`` (empty, or the not-reported reason) and
        ``p_value_holm``: the group-difference p-values Holm-adjusted across every comparison reported. Many
        comparisons are made (characteristics x outcomes), so some will be "significant" by chance alone; read
        the adjusted p-values.
    """
    frames = []
    for characteristic in characteristics:
        outcomes: list[tuple[str, list[Estimate]]] = [
            ("completion", completion_by_group(participants, characteristic, confidence_level=confidence_level,
                                               resamples=resamples, seed=seed))]
        for construct in constructs:
            outcomes.append((f"change in {construct} ({from_wave} to {to_wave})",
                             change_by_group(scores, participants, characteristic, construct, from_wave, to_wave,
                                             confidence_level=confidence_level, resamples=resamples, seed=seed)))
        # A completion rate gives away both counts of its group, so each must be 0 or at least k as well.
        labels = characteristic_groups(participants, characteristic).to_numpy()
        completed = participants["completed_on"].notna().to_numpy()
        cells = pd.crosstab(labels, completed).to_numpy()
        small_cell = bool(((cells > 0) & (cells < k)).any())
        for outcome, rows in outcomes:
            group_rows = [r for r in rows if not r.group.endswith(": all groups")]
            if min(r.n for r in group_rows) < k or (outcome == "completion" and small_cell):
                frame = to_frame([Estimate("not_reported", math.nan, n=0, group=f"{characteristic}: all groups",
                                           method=f"at least one group has fewer than {k} people")])
                frame["n"] = pd.array([pd.NA], dtype="Int64")
                frame["note"] = NOT_REPORTED
            else:
                frame = to_frame(rows)
                frame["n"] = frame["n"].astype("Int64")
                frame["note"] = ""
            frame.insert(0, "outcome", outcome)
            frame.insert(0, "characteristic", characteristic)
            frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    tests = (table["term"] == "difference_between_groups").to_numpy()
    table["p_value_holm"] = np.nan
    table.loc[tests, "p_value_holm"] = adjust_p_values(table.loc[tests, "p_value"].to_numpy(), "holm")
    return table


# ---------------------------------------------------------------------------
# Applications and open content
# ---------------------------------------------------------------------------

def applications_summary(applications: pd.DataFrame, participants: pd.DataFrame, *,
                         confidence_level: float = 0.95) -> list[Estimate]:
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
    share = proportion_estimate(int((counts > 0).sum()), n, term="share_reporting_application",
                                confidence_level=confidence_level).with_context(group=ALL_COHORTS)
    mean = float(counts.mean())
    if n < 2:
        return [share, Estimate("applications_per_completer", mean, n=n, group=ALL_COHORTS)]
    se = float(counts.std(ddof=1) / np.sqrt(n))
    half = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1)) * se
    return [share, Estimate("applications_per_completer", mean, std_error=se, conf_low=max(0.0, mean - half),
                            conf_high=mean + half, n=n,
                            method="mean with t interval truncated at 0 (completers, zeros included)",
                            group=ALL_COHORTS)]


def evidence_table(applications: pd.DataFrame, participants: pd.DataFrame, *, k: int = DEFAULT_THRESHOLD
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
    columns = ["resource_id", "cohort_id", "title", "resource_type", "licence", "published_on", "views",
               "downloads", "reusing_organisations"]
    table = content[columns].sort_values("resource_id").reset_index(drop=True)
    table["cohort_id"] = table["cohort_id"].fillna("programme")
    total = {c: "" for c in columns}
    total.update({"resource_id": "Total", "title": f"{len(table)} resources",
                  **{c: int(table[c].sum()) for c in ("views", "downloads", "reusing_organisations")}})
    return pd.concat([table.astype({"published_on": str}), pd.DataFrame([total])], ignore_index=True)


# ---------------------------------------------------------------------------
# Value for money
# ---------------------------------------------------------------------------

def cost_summary(costs: pd.DataFrame) -> pd.DataFrame:
    """Cost by item (GBP, stated price base), with a total row. Not about people."""
    years = sorted(costs["price_base_year"].dropna().unique())
    if len(years) > 1:
        raise ValueError(f"costs are in several price bases {years}; deflate them first (economics.deflate)")
    table = costs.groupby("cost_item", sort=True)["amount_gbp"].sum().rename("amount_gbp").reset_index()
    table = pd.concat([table, pd.DataFrame([{"cost_item": "Total", "amount_gbp": table["amount_gbp"].sum()}])],
                      ignore_index=True)
    table["price_base_year"] = int(years[0]) if years else pd.NA
    return table


def day_rate_comparison(costs: pd.DataFrame) -> list[Estimate]:
    """Facilitation bought by the day against the market day rate (the counterfactual).

    .. math:: S = \\sum_i d_i\\,(r_{\\text{market},i} - r_{\\text{actual},i})

    via :func:`evaluation.economics.counterfactual.day_rate_saving`, over cost lines with days and both rates.

    Returns
    -------
    list of Estimate
        ``days``, ``cost_at_actual_rate``, ``cost_at_market_rate``, ``day_rate_saving`` (GBP) and
        ``saving_share`` (saving / market cost). ``n`` is 0: not about people.
    """
    lines = costs.dropna(subset=["days", "day_rate_gbp", "market_day_rate_gbp"])
    days = lines["days"].to_numpy(dtype=float)
    actual = float((days * lines["day_rate_gbp"].to_numpy(dtype=float)).sum())
    market = float((days * lines["market_day_rate_gbp"].to_numpy(dtype=float)).sum())
    saving = float(np.sum(day_rate_saving(days, lines["day_rate_gbp"].to_numpy(dtype=float),
                                          lines["market_day_rate_gbp"].to_numpy(dtype=float))))
    method = "day rate paid against market day rate (counterfactual), GBP"
    return [Estimate("days", float(days.sum()), method="days bought", group="facilitation"),
            Estimate("cost_at_actual_rate", actual, method=method, group="facilitation"),
            Estimate("cost_at_market_rate", market, method=method, group="facilitation"),
            Estimate("day_rate_saving", saving, method=method, group="facilitation"),
            Estimate("saving_share", saving / market if market else math.nan, method="saving / market cost",
                     group="facilitation")]


def value_for_money(costs: pd.DataFrame, participants: pd.DataFrame, change: Estimate) -> list[Estimate]:
    """Cost per participant, per completer and per point of change gained.

    .. math::

        \\frac{C}{N_\\text{enrolled}}, \\qquad \\frac{C}{N_\\text{completed}}, \\qquad
        \\frac{C / N_\\text{completed}}{\\bar\\Delta}

    The last is the cost of one scale point of gain for one completer; its interval is
    :math:`[C/(N\\Delta_{high}), C/(N\\Delta_{low})]` from the change's interval (a monotone transformation),
    unbounded (NaN) when the change's interval reaches zero.

    Parameters
    ----------
    costs : pandas.DataFrame
        ``programme_costs`` (one price base).
    participants : pandas.DataFrame
        The roster.
    change : Estimate
        The mean change per completer with its interval, e.g. the pooled mixed-model confidence change.

    Returns
    -------
    list of Estimate
        ``total_cost``, ``cost_per_participant``, ``cost_per_completer`` and ``cost_per_point_gained`` (GBP).
        ``n`` of the per-completer figures is the smaller of completers and non-completers (with the enrolled
        count published, cost per completer reveals both).

    References
    ----------
    HM Treasury (2020). *Magenta Book*, ch. 3 (value for money); HM Treasury (2022). *The Green Book*
    (cost-effectiveness analysis).
    """
    total = float(costs["amount_gbp"].sum())
    enrolled = len(participants)
    completed = int(participants["completed_on"].notna().sum())
    smallest = min(completed, enrolled - completed)
    year = ", ".join(str(int(y)) for y in sorted(costs["price_base_year"].dropna().unique()))
    prices = f"GBP, {year} prices"
    rows = [Estimate("total_cost", total, method=prices, group=ALL_COHORTS),
            Estimate("cost_per_participant", total / enrolled if enrolled else math.nan, n=enrolled,
                     method=f"{prices}; total cost / enrolled", group=ALL_COHORTS),
            Estimate("cost_per_completer", total / completed if completed else math.nan, n=smallest,
                     method=f"{prices}; total cost / completers", group=ALL_COHORTS)]
    per_completer = total / completed if completed else math.nan
    gain = change.estimate
    low = per_completer / change.conf_high if change.conf_high > 0 else math.nan
    high = per_completer / change.conf_low if change.conf_low > 0 else math.nan
    rows.append(Estimate("cost_per_point_gained", per_completer / gain if gain > 0 else math.nan, conf_low=low,
                         conf_high=high, n=min(smallest, change.n),
                         method=f"{prices}; cost per completer / mean change ({change.group or change.term})",
                         group=ALL_COHORTS))
    return rows


# ---------------------------------------------------------------------------
# Roll-out planning (power)
# ---------------------------------------------------------------------------

def change_sd(scores: pd.DataFrame, construct: str, from_wave: str, to_wave: str, *,
              confidence_level: float = 0.95) -> Estimate:
    """Standard deviation of the within-person changes, with its chi-square interval.

    .. math:: \\left[s\\sqrt{\\frac{n-1}{\\chi^2_{n-1,\\,1-\\alpha/2}}},\\ s\\sqrt{\\frac{n-1}{\\chi^2_{n-1,\\,
              \\alpha/2}}}\\right]

    (exact for normal changes). The SD of the changes, not of the scores, drives the power of a paired design.

    Returns
    -------
    Estimate
        ``term="sd_change"``, ``group=construct``, ``n`` = complete pairs.
    """
    pairs = complete_pairs(scores[scores["construct"] == construct], baseline=from_wave, endpoint=to_wave)
    changes = pairs.post - pairs.pre
    n = changes.size
    if n < 2:
        return Estimate("sd_change", math.nan, n=n, group=construct, method="sample SD of changes")
    s = float(changes.std(ddof=1))
    alpha = 1 - confidence_level
    low = s * math.sqrt((n - 1) / stats.chi2.ppf(1 - alpha / 2, n - 1))
    high = s * math.sqrt((n - 1) / stats.chi2.ppf(alpha / 2, n - 1))
    return Estimate("sd_change", s, conf_low=low, conf_high=high, n=n, group=construct,
                    method="sample SD of within-person changes, chi-square CI")


def paired_completion_rate(scores: pd.DataFrame, participants: pd.DataFrame, construct: str, from_wave: str,
                           to_wave: str, *, confidence_level: float = 0.95) -> Estimate:
    """Share of enrolled leaders with a score at both waves (drop-out and non-response together).

    This is the completion rate a roll-out should plan on: only complete pairs enter a paired analysis.
    Clopper-Pearson interval; ``n`` as in :func:`proportion_estimate`.
    """
    pairs = complete_pairs(scores[scores["construct"] == construct], baseline=from_wave, endpoint=to_wave)
    enrolled = participants["participant_id"].nunique()
    return proportion_estimate(pairs.n, enrolled, term="paired_completion_rate",
                               confidence_level=confidence_level).with_context(group=construct)


def rollout_requirements(sd: Estimate, completion: Estimate, *, target_change: float = 0.5, alpha: float = 0.05,
                         power: float = 0.8, cohort_size: int = 8) -> list[Estimate]:
    """What a roll-out evaluation needs to detect ``target_change`` with the given power.

    From the observed SD of changes :math:`s_d` (:func:`change_sd`) and the share of enrolled leaders who give
    both waves :math:`r` (:func:`paired_completion_rate`), using the paired t-test's noncentral-t power
    (:mod:`evaluation.statistics.power`):

    * ``pairs_needed``: complete pairs :math:`n` for power :math:`1-\\beta` at :math:`d_z = \\Delta/s_d`;
      its interval uses the ends of the SD's interval (more pairs if the SD is larger);
    * ``cohorts_needed``: :math:`\\lceil n / (\\text{cohort size}\\times r)\\rceil`;
    * ``mdc_one_cohort_all_complete``: minimum detectable change with ``cohort_size`` pairs;
    * ``mdc_one_cohort_expected``: with :math:`\\lfloor \\text{cohort size}\\times r\\rfloor` pairs;
    * ``power_one_cohort``: power of one cohort (expected pairs) for ``target_change``.

    Returns
    -------
    list of Estimate
        ``group`` is the construct; ``n`` is the number of pairs the SD came from. A missing (suppressed) SD
        gives only a NaN ``pairs_needed``; a missing completion rate leaves out the per-cohort rows.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.), ch. 2. Bloom, H. S.
    (1995). Minimum detectable effects. *Evaluation Review*, 19(5), 547-556.
    """
    construct = sd.group
    method = f"paired t-test power (noncentral t), alpha={alpha}, power={power}, target change {target_change}"
    if not sd.estimate > 0:  # missing (suppressed) or no spread
        return [Estimate("pairs_needed", math.nan, n=sd.n, group=construct, method=method)]

    def pairs_for(spread: float) -> float:
        ok = spread > 0 and np.isfinite(spread)
        return float(paired_sample_size(target_change, spread, alpha=alpha, power=power)) if ok else math.nan

    needed, needed_low, needed_high = pairs_for(sd.estimate), pairs_for(sd.conf_low), pairs_for(sd.conf_high)
    rows = [
        Estimate("pairs_needed", needed, conf_low=needed_low, conf_high=needed_high, n=sd.n, group=construct,
                 method=f"{method}; interval from the SD's interval"),
        Estimate("mdc_one_cohort_all_complete",
                 paired_minimum_detectable_change(cohort_size, sd.estimate, alpha=alpha, power=power), n=sd.n,
                 group=construct, method=f"{method}; {cohort_size} pairs"),
    ]
    rate = completion.estimate
    if not 0 < rate <= 1:  # missing (suppressed): no per-cohort figures
        return rows

    def cohorts_for(pairs: float) -> float:
        return float(cohorts_needed(int(pairs), cohort_size, rate)) if pairs == pairs else math.nan

    rows.insert(1, Estimate("cohorts_needed", cohorts_for(needed), conf_low=cohorts_for(needed_low),
                            conf_high=cohorts_for(needed_high), n=sd.n, group=construct,
                            method=f"{method}; cohorts of {cohort_size} at the observed completion rate; "
                                   "interval from the SD's interval"))
    expected = math.floor(cohort_size * rate + 1e-9)
    if expected >= 2:
        rows += [Estimate("mdc_one_cohort_expected",
                          paired_minimum_detectable_change(expected, sd.estimate, alpha=alpha, power=power),
                          n=sd.n, group=construct, method=f"{method}; {expected} expected pairs"),
                 Estimate("power_one_cohort", paired_power(expected, target_change, sd.estimate, alpha=alpha),
                          n=sd.n, group=construct, method=f"{method}; {expected} expected pairs")]
    return rows


def rollout_plan(sd_by_construct: dict[str, float], completion_rate: float, *, target_change: float = 0.5,
                 alpha: float = 0.05, power: float = 0.8, cohort_size: int = 8, max_cohorts: int = 8
                 ) -> pd.DataFrame:
    """Minimum detectable change and power by number of cohorts evaluated together.

    For :math:`N = 1..` ``max_cohorts`` cohorts, expected pairs
    :math:`n_N = \\lfloor N \\times \\text{cohort size} \\times r \\rfloor`, the minimum detectable change
    :math:`\\text{MDC}_N = d_z(n_N)\\,s_d` and the power for ``target_change``.

    Returns
    -------
    pandas.DataFrame
        ``construct, cohorts, enrolled, expected_pairs, minimum_detectable_change, power_for_target``. Planning
        figures, not about people.
    """
    rows = []
    for construct, sd in sd_by_construct.items():
        for cohorts in range(1, max_cohorts + 1):
            pairs = math.floor(cohorts * cohort_size * completion_rate + 1e-9)
            usable = pairs >= 2 and sd > 0
            rows.append({"construct": construct, "cohorts": cohorts, "enrolled": cohorts * cohort_size,
                         "expected_pairs": pairs,
                         "minimum_detectable_change": paired_minimum_detectable_change(pairs, sd, alpha, power)
                         if usable else math.nan,
                         "power_for_target": paired_power(pairs, target_change, sd, alpha) if usable else math.nan})
    return pd.DataFrame(rows)


def describe_interval(estimate: Estimate, what: str, *, unit: str = "", digits: int = 2,
                      confidence_level: float = 0.95, percent: bool = False) -> str:
    """One plain phrase: ``what``, the estimate and its interval, or that it is not reported.

    ``percent`` shows a proportion as a whole percentage; otherwise ``unit`` is prefixed (e.g. "£").

    Examples
    --------
    >>> describe_interval(Estimate("x", 2083.3, conf_low=1900, conf_high=2300), "Cost per participant", unit="£",
    ...                   digits=0)
    'Cost per participant: £2,083 (95% interval £1,900 to £2,300)'
    """
    if estimate.estimate != estimate.estimate:
        return f"{what}: not reported (too few people, or not estimable)"

    def fmt(value: float) -> str:
        return f"{100 * value:.0f}%" if percent else f"{unit}{value:,.{digits}f}"

    interval = ""
    if estimate.conf_low == estimate.conf_low and estimate.conf_high == estimate.conf_high:
        interval = f" ({round(100 * confidence_level)}% interval {fmt(estimate.conf_low)} to {fmt(estimate.conf_high)})"
    return f"{what}: {fmt(estimate.estimate)}{interval}"


def rollout_chart(plan: pd.DataFrame, target_change: float) -> go.Figure:
    """Minimum detectable change against the number of cohorts evaluated, one line per construct.

    Parameters
    ----------
    plan : pandas.DataFrame
        From :func:`rollout_plan`.
    target_change : float
        Drawn as a horizontal reference line.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for colour, (construct, rows) in zip(CATEGORICAL, plan.groupby("construct", sort=False), strict=False):
        figure.add_trace(go.Scatter(x=rows["cohorts"], y=rows["minimum_detectable_change"], mode="lines+markers",
                                    name=construct, line={"color": colour, "width": 3},
                                    hovertemplate="%{x} cohorts: %{y:.2f}<extra>" + construct + "</extra>"))
    figure.add_hline(y=target_change, line={"color": REFERENCE_LINE, "dash": "dot"},
                     annotation_text=f"target change {target_change:g}", annotation_position="top right")
    figure.update_layout(template=template(), title="Smallest change a roll-out evaluation could detect",
                         xaxis_title="Cohorts evaluated together", yaxis_title="Minimum detectable change (points)",
                         xaxis={"dtick": 1})
    return figure


def describe_test(estimate: pd.Series | Estimate, question: str, *, alpha: float = 0.05) -> str:
    """One plain sentence on a hypothesis test: the question, the p-value and what it means.

    Examples
    --------
    >>> describe_test(Estimate("t", 0.2, p_value=0.003, n=5), "Did the change differ between cohorts")
    'Did the change differ between cohorts? p = 0.003: a difference at the 5% level.'
    """
    p = estimate.p_value
    if p != p:
        return f"{question}? Not tested or not reported (too few people)."
    level = f"{100 * alpha:g}%"
    if p < alpha:
        return f"{question}? p = {p:.2g}: a difference at the {level} level."
    return (f"{question}? p = {p:.2f}: no evidence of a difference at the {level} level (which is not evidence "
            "of no difference: small groups can miss real differences).")


def checked(frame: pd.DataFrame, k: int = DEFAULT_THRESHOLD, *, n_col: str = "n") -> pd.DataFrame:
    """``frame`` unchanged, after :func:`~evaluation.statistics.disclosure.assert_no_disclosure_risks` passes.

    Checks the tidy statistic columns and any ``p_value_*`` columns of rows about fewer than ``k`` people.
    """
    extra = tuple(c for c in frame.columns if c.startswith("p_value_"))
    assert_no_disclosure_risks(frame, k, n_col=n_col, value_cols=STATISTIC_COLUMNS + extra)
    return frame


def checked_counts(table: SuppressedTable, k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The publishable form of a suppressed count table (``[c]`` in suppressed cells, index as a column),
    after its numeric form passes the disclosure audit (small counts, cells recoverable from the totals)."""
    assert_no_disclosure_risks(table.published, k, total_label=TOTAL)
    return table.formatted().reset_index()


def row_estimate(frame: pd.DataFrame, term: str, group: str) -> Estimate:
    """The one row of a (suppressed) tidy frame with ``term`` and ``group``, as an :class:`Estimate`.

    Sentences and derived figures should be built from the suppressed frame, never from the raw estimates, so a
    suppressed value cannot leak into text. A suppressed ``n`` becomes 0.
    """
    rows = frame[(frame["term"] == term) & (frame["group"] == group)]
    if len(rows) != 1:
        raise KeyError(f"expected one row with term {term!r} and group {group!r}, found {len(rows)}")
    row = rows.iloc[0]
    numbers = {c: float(row[c]) if pd.notna(row[c]) else math.nan for c in STATISTIC_COLUMNS}
    text = {c: str(row[c]) if c in row and pd.notna(row[c]) else "" for c in ("method", "group", "analysis")}
    return Estimate(term=term, n=int(row["n"]) if pd.notna(row["n"]) else 0, **numbers, **text)


def describe_model_change(estimate: Estimate, construct: str, from_wave: str, to_wave: str, *,
                          confidence_level: float = 0.95) -> str:
    """One plain sentence on a mixed-model change between two waves and whether its interval excludes zero."""
    if estimate.estimate != estimate.estimate:
        return f"{construct.capitalize()}: not reported (too few leaders surveyed at both waves)."
    direction = "rose" if estimate.estimate > 0 else "fell" if estimate.estimate < 0 else "did not change"
    level = f"{round(100 * confidence_level)}%"
    verdict = ("the interval excludes no change" if estimate.conf_low > 0 or estimate.conf_high < 0
               else "the interval includes no change, so the data cannot rule out no change")
    return (f"{construct.capitalize()} {direction} by {abs(estimate.estimate):.2f} points on the 1-5 scale from "
            f"{from_wave} to {to_wave} ({level} interval {estimate.conf_low:+.2f} to {estimate.conf_high:+.2f}; "
            f"at least {estimate.n} leaders surveyed at each wave): {verdict}.")


def suppress(frame: pd.DataFrame, k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """:func:`~evaluation.statistics.disclosure.suppress_small_groups` for rows about people only.

    Rows with ``n == 0`` are figures about no group of people (total cost, day-rate saving) and are kept as
    they are; ``suppress_small_groups`` alone would blank them because 0 < k.
    """
    about_people = frame["n"].fillna(0).to_numpy() != 0
    out = suppress_small_groups(frame, k)
    kept = ~about_people
    present = [c for c in STATISTIC_COLUMNS if c in frame.columns]
    out.loc[kept, present] = frame.loc[kept, present]
    out.loc[kept, "n"] = 0
    out.loc[kept, "suppressed"] = False
    return out


def rollout_sentence(planning: pd.DataFrame, construct: str, rate: Estimate, *, target_change: float, power: float,
                     cohort_size: int) -> str:
    """One plain sentence on what a roll-out evaluation of ``construct`` needs, from the (suppressed) planning
    rows of :func:`rollout_requirements`; figures that were not reported are said to be so."""
    rows = planning[planning["group"] == construct].set_index("term")
    if "pairs_needed" not in rows.index or pd.isna(rows.loc["pairs_needed", "estimate"]):
        return f"Roll-out planning for {construct}: not reported (too few leaders with both surveys)."
    needed = rows.loc["pairs_needed"]
    text = (f"To detect a {target_change:g}-point change in {construct} with {power:.0%} power a roll-out evaluation "
            f"needs {needed['estimate']:.0f} leaders with both surveys (range {needed['conf_low']:.0f} to "
            f"{needed['conf_high']:.0f} over the interval of the spread of changes)")
    if "cohorts_needed" in rows.index and rate.estimate == rate.estimate:
        text += (f", about {rows.loc['cohorts_needed', 'estimate']:.0f} cohorts of {cohort_size} at the observed "
                 f"{rate.estimate:.0%} of enrolled leaders giving both surveys")
    mdc = rows.loc["mdc_one_cohort_all_complete", "estimate"]
    return text + f"; one cohort of {cohort_size} who all complete can detect {mdc:.2f} points."


def describe_cohort_difference(tests: pd.DataFrame, construct: str, *, alpha: float = 0.05) -> str:
    """Plain sentences on whether a construct's change differed between cohorts, from the (suppressed) tests of
    :func:`change_across_cohorts`: the Wald test, then the permutation check."""
    wald = row_estimate(tests, "wave_x_cohort_wald", construct)
    permutation = row_estimate(tests, "cohort_change_permutation", construct)
    question = f"Did the change in {construct} differ between cohorts"
    if wald.estimate == wald.estimate:
        question += f" (largest minus smallest cohort change {wald.estimate:.2f} points, mixed-model Wald test)"
    text = describe_test(wald, question, alpha=alpha)
    if permutation.p_value == permutation.p_value:
        text += f" Permutation check on leaders with both surveys: p = {permutation.p_value:.2f}."
    return text


def interval_alt_text(frame: pd.DataFrame, intro: str, *, label: str = "label", signed: bool = True) -> str:
    """Text alternative of an interval chart: ``intro``, then each label's estimate and interval (or
    "suppressed"), so a screen-reader user gets every number the chart shows."""
    sign = "+" if signed else ""

    def one(row: pd.Series) -> str:
        if pd.isna(row["estimate"]):
            return f"{row[label]} suppressed"
        return (f"{row[label]} {row['estimate']:{sign}.2f} "
                f"({row['conf_low']:{sign}.2f} to {row['conf_high']:{sign}.2f})")

    return f"{intro}: " + "; ".join(one(row) for _, row in frame.iterrows())
