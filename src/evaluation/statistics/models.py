"""Regression models for repeated Likert surveys, and multiple-testing adjustment.

A leadership cohort answers the same survey at several waves (baseline,
endpoint, follow-up). :func:`mixed_model_change` models a scale score over
waves and cohorts with a random intercept per participant, so participants who
miss a wave still contribute; :func:`wave_change_by_cohort` turns the fitted
coefficients into the change each cohort made. :func:`ordinal_item_model`
models a single Likert item as ordered categories rather than as a number.

Both models return a :class:`ModelFit`: the tidy :class:`~evaluation.tidy.Estimate`
rows plus every warning raised while fitting, so a non-converged or boundary fit
is reported with the estimates instead of being lost in a notebook log.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.regression.mixed_linear_model import MixedLM
from statsmodels.stats.multitest import multipletests

from evaluation.tidy import Estimate

__all__ = [
    "ModelFit",
    "adjust_p_values",
    "mixed_model_change",
    "ordinal_item_model",
    "satterthwaite_df",
    "wave_change_by_cohort",
]

# statsmodels' warning (MixedLM.fit) when the Hessian at the estimate is not negative definite.
HESSIAN_NOT_DEFINITE = "The Hessian matrix at the estimated parameter values is not positive definite"


@dataclass(frozen=True)
class ModelFit:
    """A fitted model: its tidy estimates and how the fit went.

    Attributes
    ----------
    estimates : list of Estimate
        The published rows (coefficients, and variance components for mixed models).
    result : statsmodels results
        The underlying statsmodels results object, for diagnostics.
    data : pandas.DataFrame
        The complete cases analysed, with columns renamed to their roles
        (``score``/``item``, ``wave``, ``cohort``, ``participant``) and waves and
        cohorts as ordered categoricals whose first level is the reference.
    warnings : tuple of str
        Every warning raised while fitting (``"Category: message"``). They are also
        re-issued, so they show in notebooks.
    converged : bool
        Whether the optimiser reported convergence.
    """

    estimates: list[Estimate]
    result: Any
    data: pd.DataFrame
    warnings: tuple[str, ...]
    converged: bool


def mixed_model_change(
    long_df: pd.DataFrame,
    score: str,
    wave: str,
    cohort: str | None,
    participant: str,
    *,
    wave_order: Sequence[Hashable] | None = None,
    alpha: float = 0.05,
) -> ModelFit:
    """Linear mixed model of a score over survey waves and cohorts.

    Fits, by restricted maximum likelihood (REML),

    .. math::

        y_{ij} = \\mu + \\alpha_{w(j)} + \\gamma_{c(i)} + (\\alpha\\gamma)_{w(j)c(i)}
                 + u_i + \\varepsilon_{ij},
        \\quad u_i \\sim N(0, \\sigma_u^2),\\ \\varepsilon_{ij} \\sim N(0, \\sigma^2)

    for participant :math:`i` at wave :math:`j`: ``score ~ C(wave) * C(cohort)``
    with a random intercept per participant, treatment-coded with the first wave
    and the first cohort as references.

    Parameters
    ----------
    long_df : pandas.DataFrame
        One row per participant per wave.
    score, wave, cohort, participant : str
        Column names. ``cohort=None`` fits ``score ~ C(wave)`` (a single cohort).
    wave_order : sequence, optional
        Waves in time order; the first is the reference. Defaults to the column's
        categorical order, else sorted values.
    alpha : float
        Two-sided level of the confidence intervals.

    Returns
    -------
    ModelFit
        Estimates with terms ``Intercept``, ``wave[w]``, ``cohort[c]``,
        ``wave[w]:cohort[c]`` (Wald t statistic, p-value and CI with Satterthwaite
        degrees of freedom, :func:`satterthwaite_df`) followed by
        ``var(participant)`` and ``var(residual)`` (point estimates only). ``n`` is
        the number of participants.

    Notes
    -----
    Rows with a missing value in any of the four columns are dropped; a
    participant observed at only some waves still contributes. An interaction
    with no observations (e.g. a cohort not yet at follow-up) is left out of the
    design and a note is added to ``warnings``.

    Tests and intervals use the t distribution with Satterthwaite degrees of
    freedom, as R's lmerTest does: the normal reference that statsmodels and
    lme4 report ignores the uncertainty in the variance components and gives
    intervals that are too narrow with cohorts of about eight
    (``benchmarks/coverage.py`` measures both). If the degrees of freedom
    cannot be computed (a singular information matrix) the normal reference is
    used and ``method`` says so.

    For a balanced design with complete data the REML estimates equal the
    repeated-measures ANOVA ones: fixed effects reproduce the cell means and
    :math:`\\hat\\sigma^2` is the subject-by-wave mean square.

    References
    ----------
    Bates, D., Mächler, M., Bolker, B. & Walker, S. (2015). Fitting linear
    mixed-effects models using lme4. *Journal of Statistical Software*, 67(1).

    Examples
    --------
    >>> fit = mixed_model_change(df, "score", "wave", "cohort", "participant",
    ...                          wave_order=["baseline", "endpoint", "follow-up"],
    ...                          )  # doctest: +SKIP
    >>> to_frame(fit.estimates)  # doctest: +SKIP
    >>> wave_change_by_cohort(fit, "baseline", "endpoint")  # doctest: +SKIP
    """
    roles = {score: "score", wave: "wave", participant: "participant"}
    if cohort is not None:
        roles[cohort] = "cohort"
    data = long_df[list(roles)].rename(columns=roles).dropna().reset_index(drop=True)
    data["wave"] = _ordered_levels(data["wave"], wave_order)
    if cohort is not None:
        data["cohort"] = _ordered_levels(data["cohort"], None)

    design = _wave_cohort_design(data)
    empty = [column for column in design if not design[column].any()]
    design = design.drop(columns=empty)
    model = MixedLM(data["score"].astype(float), design, groups=data["participant"])
    result, fit_warnings = _fit_recording_warnings(lambda: model.fit(reml=True))
    fit_warnings += tuple(f"no observations for {term}: interaction not estimated" for term in empty)

    # statsmodels retries a failed optimisation with L-BFGS and may then report convergence at a point where
    # the Hessian is not negative definite; it says so only in a warning. Standard errors and Wald intervals
    # are not valid there, so such a fit counts as not converged.
    converged = bool(result.converged) and not any(HESSIAN_NOT_DEFINITE in w for w in fit_warnings)
    n_participants = data["participant"].nunique()
    columns = list(design.columns)
    df, reference = _small_sample_df(result, np.eye(len(columns)))
    description = f"linear mixed model (REML), random intercept per participant; {reference}"
    method = _method(description, converged)
    estimates = [
        _t_estimate(
            term,
            float(result.fe_params[term]),
            float(result.bse[term]),
            dof,
            alpha,
            n_participants,
            description,
            converged,
        )
        for term, dof in zip(columns, df, strict=True)
    ]
    estimates += [
        Estimate(term="var(participant)", estimate=float(result.cov_re.iloc[0, 0]), n=n_participants, method=method),
        Estimate(term="var(residual)", estimate=float(result.scale), n=n_participants, method=method),
    ]
    return ModelFit(estimates, result, data, fit_warnings, converged)


def wave_change_by_cohort(
    fit: ModelFit, from_wave: Hashable, to_wave: Hashable, *, alpha: float = 0.05
) -> list[Estimate]:
    """Model-estimated mean change between two waves, for each cohort.

    The change in cohort :math:`c` is the linear combination
    :math:`\\hat\\theta_c = (x_{c,\\mathrm{to}} - x_{c,\\mathrm{from}})^\\top \\hat\\beta = L^\\top\\hat\\beta`
    of the fixed effects, with
    :math:`\\mathrm{SE}(\\hat\\theta_c) = \\sqrt{L^\\top \\widehat{\\mathrm{Cov}}(\\hat\\beta) L}`,
    a Wald statistic :math:`t = \\hat\\theta_c / \\mathrm{SE}` and CI
    :math:`\\hat\\theta_c \\pm t_{\\nu, 1-\\alpha/2}\\,\\mathrm{SE}`, with :math:`\\nu` the
    Satterthwaite degrees of freedom of the contrast (:func:`satterthwaite_df`).

    Parameters
    ----------
    fit : ModelFit
        Result of :func:`mixed_model_change`.
    from_wave, to_wave : hashable
        Wave labels, e.g. ``"baseline"`` and ``"endpoint"``.
    alpha : float
        Two-sided level of the confidence intervals.

    Returns
    -------
    list of Estimate
        One row per cohort (``group`` is the cohort; ``""`` for a single-cohort
        fit), term ``"<to_wave> - <from_wave>"``. ``n`` is the smaller of the
        numbers of the cohort's participants observed at the two waves: the
        smallest group behind the estimate, which is what disclosure control
        checks. A cohort not observed at both waves gets NaN estimates and n = 0.

    References
    ----------
    Searle, S. R. (1971). *Linear Models*, ch. 5 (estimable functions). Wiley.

    Examples
    --------
    >>> wave_change_by_cohort(fit, "baseline", "follow-up")  # doctest: +SKIP
    """
    data = fit.data
    for label in (from_wave, to_wave):
        if label not in data["wave"].cat.categories:
            raise ValueError(f"wave {label!r} is not in the data (waves: {list(data['wave'].cat.categories)})")

    result = fit.result
    columns = list(result.model.exog_names)
    coefficients = result.fe_params[columns].to_numpy()
    covariance = result.cov_params().loc[columns, columns].to_numpy()
    term = f"{to_wave} - {from_wave}"

    cohorts = data["cohort"].cat.categories if "cohort" in data else [None]
    contrasts: dict[str, tuple[np.ndarray, int]] = {}
    for cohort in cohorts:
        rows = data if cohort is None else data[data["cohort"] == cohort]
        group = "" if cohort is None else str(cohort)
        n = min(rows.loc[rows["wave"] == label, "participant"].nunique() for label in (from_wave, to_wave))
        cells = pd.DataFrame({"wave": [to_wave, from_wave]})
        cells["wave"] = cells["wave"].astype(data["wave"].dtype)
        if cohort is not None:
            cells["cohort"] = pd.Series([cohort, cohort]).astype(data["cohort"].dtype)
        design = _wave_cohort_design(cells).reindex(columns=columns, fill_value=0.0)
        contrasts[group] = (design.iloc[0].to_numpy() - design.iloc[1].to_numpy(), n)
    observed = [group for group, (_, n) in contrasts.items() if n > 0]
    matrix = np.array([contrasts[g][0] for g in observed]).reshape(len(observed), len(columns))
    df, reference = _small_sample_df(result, matrix)
    degrees = dict(zip(observed, df, strict=True))
    description = f"linear mixed model (REML) contrast of fixed effects; {reference}"
    method = _method(description, fit.converged)
    estimates = []
    for group, (weights, n) in contrasts.items():
        if n == 0:
            estimates.append(Estimate(term=term, estimate=math.nan, n=0, method=method, group=group))
            continue
        std_error = float(np.sqrt(weights @ covariance @ weights))
        estimates.append(
            replace(
                _t_estimate(
                    term, float(weights @ coefficients), std_error, degrees[group], alpha, n, description, fit.converged
                ),
                group=group,
            )
        )
    return estimates


def satterthwaite_df(result: Any, weights: Sequence[float] | np.ndarray) -> float | np.ndarray:
    """Satterthwaite degrees of freedom of a contrast of the fixed effects of a REML mixed model.

    For a contrast :math:`L^\\top\\hat\\beta` with variance :math:`v(\\theta) = L^\\top C(\\theta) L`,
    :math:`C(\\theta) = (\\sum_i X_i^\\top V_i(\\theta)^{-1} X_i)^{-1}`,
    :math:`V_i = Z_i G Z_i^\\top + \\sigma^2 I`,

    .. math:: \\nu = \\frac{2\\, v(\\hat\\theta)^2}{\\nabla v^\\top A\\, \\nabla v}

    where :math:`\\theta` holds the random-effects covariance :math:`G` (its lower triangle) and
    :math:`\\sigma^2`, and :math:`A` is the inverse of the negative Hessian of the REML
    log-likelihood at :math:`\\hat\\theta` (the asymptotic covariance of :math:`\\hat\\theta`). The
    gradient and Hessian are taken by central differences, as R ``lmerTest`` does. A variance
    estimated at zero (a boundary fit) is held fixed, as it carries no information on its sampling
    variance. ``t = L^\\top\\hat\\beta / \\sqrt{v}`` is then referred to :math:`t_\\nu`.

    Parameters
    ----------
    result : statsmodels MixedLMResults
        A REML fit with random effects given by ``exog_re`` (no variance components).
    weights : array_like
        The contrast *L*, one weight per fixed effect (``result.model.exog_names`` order), or a
        matrix with one contrast per row.

    Returns
    -------
    float or numpy.ndarray
        :math:`\\nu` (one per row of a matrix of contrasts).

    References
    ----------
    Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance components.
    *Biometrics Bulletin*, 2(6), 110-114. Kuznetsova, A., Brockhoff, P. B. & Christensen, R. H. B.
    (2017). lmerTest package: tests in linear mixed effects models. *Journal of Statistical
    Software*, 82(13).

    Examples
    --------
    lmerTest reports 161 df for the Days slope of ``lmer(Reaction ~ Days + (1 | Subject),
    sleepstudy)`` and 17 with ``(Days | Subject)`` (``tests/statistics/test_models.py``).

    >>> satterthwaite_df(fit.result, [0.0, 1.0])  # doctest: +SKIP
    161.0...
    """
    model = result.model
    if model.k_vc:
        raise ValueError(
            "Satterthwaite degrees of freedom need random effects given by exog_re, not variance components"
        )
    contrasts = np.asarray(weights, dtype=float)
    matrix = np.atleast_2d(contrasts)
    blocks = [
        (np.asarray(x, float), np.asarray(z, float), np.asarray(y, float))
        for x, z, y in zip(model.exog_li, model.exog_re_li, model.endog_li, strict=True)
    ]
    k_re = model.k_re
    rows, cols = np.tril_indices(k_re)
    scale = float(result.scale)
    g_hat = np.asarray(result.cov_re, dtype=float)
    theta_hat = np.append(g_hat[rows, cols], scale)
    # Variances at (numerically) zero, and covariances involving them, are held fixed.
    at_boundary = np.diag(g_hat) <= 1e-8 * scale
    free = np.append(~(at_boundary[rows] | at_boundary[cols]), True)

    def unpack(theta_free: np.ndarray) -> tuple[np.ndarray, float]:
        theta = theta_hat.copy()
        theta[free] = theta_free
        g = np.zeros((k_re, k_re))
        g[rows, cols] = theta[:-1]
        g[cols, rows] = theta[:-1]
        return g, float(theta[-1])

    def information(
        theta_free: np.ndarray,
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]]]:
        g, sigma2 = unpack(theta_free)
        inverses = [np.linalg.inv(z @ g @ z.T + sigma2 * np.eye(len(y))) for x, z, y in blocks]
        xtvx = sum(x.T @ v @ x for (x, _, _), v in zip(blocks, inverses, strict=True))
        return xtvx, [(v, b) for v, b in zip(inverses, blocks, strict=True)]

    def contrast_variances(theta_free: np.ndarray) -> np.ndarray:
        xtvx, _ = information(theta_free)
        return np.einsum("cp,pc->c", matrix, np.linalg.solve(xtvx, matrix.T))

    def reml_loglik(theta_free: np.ndarray) -> float:
        xtvx, parts = information(theta_free)
        xtvy = sum(x.T @ v @ y for v, (x, _, y) in parts)
        beta = np.linalg.solve(xtvx, xtvy)
        total = np.linalg.slogdet(xtvx)[1]
        for v, (x, _, y) in parts:
            residual = y - x @ beta
            total += -np.linalg.slogdet(v)[1] + residual @ v @ residual
        return -0.5 * float(total)

    point = theta_hat[free]
    steps = 1e-4 * np.maximum(np.abs(point), 1e-3 * scale)
    shifts = np.eye(len(point)) * steps
    variances = [contrast_variances(point + shift) - contrast_variances(point - shift) for shift in shifts]
    gradient = np.array(variances) / (2 * steps[:, None])  # parameters x contrasts
    hessian = np.empty((len(point), len(point)))
    for j in range(len(point)):
        for k in range(j, len(point)):
            a, b = shifts[j], shifts[k]
            value = (
                reml_loglik(point + a + b)
                - reml_loglik(point + a - b)
                - reml_loglik(point - a + b)
                + reml_loglik(point - a - b)
            ) / (4 * steps[j] * steps[k])
            hessian[j, k] = hessian[k, j] = value
    covariance = np.linalg.inv(-hessian)
    df = 2 * contrast_variances(point) ** 2 / np.einsum("pc,pq,qc->c", gradient, covariance, gradient)
    return float(df[0]) if contrasts.ndim == 1 else df


def ordinal_item_model(
    df: pd.DataFrame,
    item: str,
    wave: str,
    cohort: str | None = None,
    *,
    item_levels: Sequence[Hashable] | None = None,
    wave_order: Sequence[Hashable] | None = None,
    covariates: Sequence[str] = (),
    exponentiate: bool = False,
    alpha: float = 0.05,
) -> ModelFit:
    """Proportional-odds (ordered logit) model of one Likert item.

    .. math::

        \\operatorname{logit} P(Y \\le k \\mid x) = \\theta_k - x^\\top\\beta,
        \\quad k = 1, \\dots, K-1

    so a positive :math:`\\beta` moves responses towards higher categories, with
    odds ratio :math:`e^{\\beta}` for answering above any given category (the sign
    convention of R's ``MASS::polr``). :math:`x` holds treatment-coded waves
    (first wave as reference), cohorts if given, and numeric covariates.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per response.
    item : str
        Column with the item's responses.
    wave : str
        Column with the survey wave.
    cohort : str, optional
        Column with the cohort, added as a main effect.
    item_levels : sequence, optional
        Response categories from lowest to highest (needed for text labels such
        as "Strongly disagree"). Defaults to the column's categorical order,
        else sorted values. Categories nobody chose are dropped: their
        thresholds cannot be estimated.
    wave_order : sequence, optional
        Waves in time order; the first is the reference.
    covariates : sequence of str
        Numeric columns entered linearly (e.g. years in post).
    exponentiate : bool
        If True, ``estimate`` and the CI are odds ratios; ``std_error`` and
        ``statistic`` stay on the log-odds scale. If False, all are log-odds.
        The ``method`` text states which.
    alpha : float
        Two-sided level of the Wald confidence intervals.

    Returns
    -------
    ModelFit
        Estimates for the predictors only (``wave[w]``, ``cohort[c]`` and the
        covariate names); the thresholds :math:`\\theta_k` are in ``result``.
        ``n`` is the number of responses analysed.

    Notes
    -----
    Responses are treated as independent. When the same people answer at each
    wave the standard errors are too small; use the wave coefficients
    descriptively, or model participants with :func:`mixed_model_change` on a
    scale score.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *Journal of the
    Royal Statistical Society B*, 42(2), 109-142.

    Examples
    --------
    >>> fit = ordinal_item_model(df, "q3", "wave", item_levels=[1, 2, 3, 4, 5],
    ...                          wave_order=["baseline", "endpoint"],
    ...                          exponentiate=True)  # doctest: +SKIP
    >>> fit.estimates[0].term  # doctest: +SKIP
    'wave[endpoint]'
    """
    roles = {item: "item", wave: "wave", **{name: name for name in covariates}}
    if cohort is not None:
        roles[cohort] = "cohort"
    data = df[list(roles)].rename(columns=roles).dropna().reset_index(drop=True)
    data["item"] = _ordered_levels(data["item"], item_levels)
    data["wave"] = _ordered_levels(data["wave"], wave_order)
    if cohort is not None:
        data["cohort"] = _ordered_levels(data["cohort"], None)

    parts = [_treatment_dummies(data["wave"], "wave")]
    if cohort is not None:
        parts.append(_treatment_dummies(data["cohort"], "cohort"))
    parts.append(data[list(covariates)].astype(float))
    design = pd.concat(parts, axis=1)

    model = OrderedModel(data["item"], design, distr="logit")
    result, fit_warnings = _fit_recording_warnings(lambda: model.fit(method="bfgs", maxiter=1000, disp=False))
    converged = bool(result.mle_retvals["converged"])
    scale = "odds ratio (std_error and statistic on log-odds scale)" if exponentiate else "log-odds"
    method = _method(f"proportional-odds logistic regression, {scale}; Wald z CI", converged)
    transform = math.exp if exponentiate else float
    conf_int = result.conf_int(alpha=alpha)
    estimates = [
        Estimate(
            term=term,
            estimate=transform(result.params[term]),
            std_error=float(result.bse[term]),
            statistic=float(result.tvalues[term]),
            p_value=float(result.pvalues[term]),
            conf_low=transform(conf_int.loc[term, 0]),
            conf_high=transform(conf_int.loc[term, 1]),
            n=len(data),
            method=method,
        )
        for term in design.columns
    ]
    return ModelFit(estimates, result, data, fit_warnings, converged)


def adjust_p_values(
    p_values: Sequence[float] | np.ndarray | pd.Series,
    method: Literal["holm", "fdr_bh"] = "holm",
) -> np.ndarray:
    """Adjust p-values for multiple testing; NaN p-values stay NaN.

    Holm (1979) controls the family-wise error rate: with the :math:`m` p-values
    sorted, :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min\\{1, (m - j + 1) p_{(j)}\\}`.
    Benjamini-Hochberg (1995) controls the false discovery rate:
    :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min\\{1, m\\,p_{(j)} / j\\}`.

    Parameters
    ----------
    p_values : array_like
        Unadjusted p-values in [0, 1]; NaN marks a test that was not run (e.g.
        a suppressed group).
    method : {"holm", "fdr_bh"}
        Adjustment, passed to :func:`statsmodels.stats.multitest.multipletests`.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order. NaNs are excluded from :math:`m`,
        so a suppressed test neither counts nor is counted against.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65-70.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate.
    *Journal of the Royal Statistical Society B*, 57(1), 289-300.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03, 0.005], method="holm")
    array([0.03, 0.06, 0.06, 0.02])
    """
    if method not in ("holm", "fdr_bh"):
        raise ValueError(f"method must be 'holm' or 'fdr_bh', not {method!r}")
    p = np.asarray(p_values, dtype=float)
    observed = ~np.isnan(p)
    if np.any((p[observed] < 0) | (p[observed] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    adjusted = np.full_like(p, np.nan)
    if observed.any():
        adjusted[observed] = multipletests(p[observed], method=method)[1]
    return adjusted


def _small_sample_df(result: Any, contrasts: np.ndarray) -> tuple[np.ndarray, str]:
    """Satterthwaite degrees of freedom of each row of ``contrasts`` and the reference it gives, in words.

    Falls back to the normal reference (infinite degrees of freedom), saying so, when the REML
    information matrix cannot be inverted (e.g. a fit on the boundary of every variance).
    """
    if len(contrasts) == 0:
        return np.array([]), "Wald t CI, Satterthwaite df"
    try:
        df = np.atleast_1d(np.asarray(satterthwaite_df(result, contrasts), dtype=float))
    except np.linalg.LinAlgError:
        df = np.full(len(contrasts), np.nan)
    if np.all(np.isfinite(df) & (df > 0)):
        return df, "Wald t CI, Satterthwaite df"
    return np.full(len(contrasts), np.inf), "Wald z CI (Satterthwaite df could not be computed)"


def _t_estimate(
    term: str, estimate: float, std_error: float, df: float, alpha: float, n: int, description: str, converged: bool
) -> Estimate:
    """A Wald t row: t = estimate / SE referred to t(df) (the normal when df is infinite)."""
    statistic = estimate / std_error
    critical = float(stats.t.ppf(1 - alpha / 2, df))
    note = f"; df = {df:.1f}" if np.isfinite(df) else ""
    return Estimate(
        term=term,
        estimate=estimate,
        std_error=std_error,
        statistic=statistic,
        p_value=float(2 * stats.t.sf(abs(statistic), df)),
        conf_low=estimate - critical * std_error,
        conf_high=estimate + critical * std_error,
        n=n,
        method=_method(description + note, converged),
    )


def _ordered_levels(values: pd.Series, order: Sequence[Hashable] | None) -> pd.Series:
    """``values`` as an ordered categorical holding only the levels that occur.

    ``order`` defaults to the existing categorical order, else sorted values.
    Levels without observations are dropped because no parameter can be
    estimated for them.
    """
    if order is None:
        is_categorical = isinstance(values.dtype, pd.CategoricalDtype)
        order = list(values.cat.categories) if is_categorical else sorted(values.unique())
    unknown = set(values.unique()) - set(order)
    if unknown:
        raise ValueError(
            f"values {sorted(map(str, unknown))} of {values.name!r} are missing from the given level order"
        )
    present = set(values.unique())
    levels = [level for level in order if level in present]
    return pd.Series(pd.Categorical(values, categories=levels, ordered=True), index=values.index, name=values.name)


def _treatment_dummies(values: pd.Series, name: str) -> pd.DataFrame:
    """Indicator columns ``name[level]`` for every level but the first (the reference)."""
    levels = values.cat.categories
    return pd.DataFrame(
        {f"{name}[{level}]": (values == level).astype(float) for level in levels[1:]},
        index=values.index,
    )


def _wave_cohort_design(data: pd.DataFrame) -> pd.DataFrame:
    """Fixed-effects design of ``C(wave) * C(cohort)`` (or ``C(wave)`` without cohort)."""
    waves = _treatment_dummies(data["wave"], "wave")
    parts = [pd.DataFrame({"Intercept": 1.0}, index=data.index), waves]
    if "cohort" in data:
        cohorts = _treatment_dummies(data["cohort"], "cohort")
        interactions = pd.DataFrame(
            {f"{w}:{c}": waves[w] * cohorts[c] for w in waves for c in cohorts},
            index=data.index,
        )
        parts += [cohorts, interactions]
    return pd.concat(parts, axis=1)


def _fit_recording_warnings(fit: Callable[[], Any]) -> tuple[Any, tuple[str, ...]]:
    """Run ``fit`` and return its result with the warnings it raised.

    statsmodels reports non-convergence and boundary estimates only as
    warnings, which notebooks easily scroll past. They are returned so they
    travel with the estimates, and re-issued so they still show.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit()
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return result, tuple(f"{w.category.__name__}: {w.message}" for w in caught)


def _method(description: str, converged: bool) -> str:
    """The ``method`` text of an estimate, flagging a fit that did not converge."""
    return description if converged else f"{description}; DID NOT CONVERGE"
