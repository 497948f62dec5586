"""The linear mixed model of a scale score over waves and cohorts (random intercept per participant), the
change each cohort made, and small-sample (Satterthwaite) degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLM

from evaluation.tidy import Estimate

from .fits import ModelFit, _fit_recording_warnings, _method, _ordered_levels, _treatment_dummies

# statsmodels' warning (MixedLM.fit) when the Hessian at the estimate is not negative definite.
HESSIAN_NOT_DEFINITE = "The Hessian matrix at the estimated parameter values is not positive definite"


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
    Two cohorts of six, complete and balanced: the fixed effects reproduce the cell means, so the change in
    each cohort is its mean change (cohort A: 0.6, 0.5, 0.3, 0.6, 0.4, 0.5; cohort B: 0.1, -0.1, 0.2, 0.3, 0,
    0.1).

    >>> df = pd.DataFrame({
    ...     "participant": [f"p{i}" for i in range(12)] * 2,
    ...     "cohort": (["A"] * 6 + ["B"] * 6) * 2,
    ...     "wave": ["baseline"] * 12 + ["endpoint"] * 12,
    ...     "score": [3.0, 3.4, 2.8, 3.6, 3.1, 2.9, 3.5, 3.3, 3.9, 3.0, 3.2, 3.7,
    ...               3.6, 3.9, 3.1, 4.2, 3.5, 3.4, 3.6, 3.2, 4.1, 3.3, 3.2, 3.8]})
    >>> fit = mixed_model_change(df, "score", "wave", "cohort", "participant",
    ...                          wave_order=["baseline", "endpoint"])
    >>> [row.term for row in fit.estimates]
    ['Intercept', 'wave[endpoint]', 'cohort[B]', 'wave[endpoint]:cohort[B]', 'var(participant)', 'var(residual)']
    >>> [(row.group, round(row.estimate, 3)) for row in wave_change_by_cohort(fit, "baseline", "endpoint")]
    [('A', 0.483), ('B', 0.1)]
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
    One cohort of six at two waves: the contrast is the paired t-test (same estimate, t and p as
    ``scipy.stats.ttest_rel``, whose p is 0.0250 with 5 df).

    >>> df = pd.DataFrame({"participant": list(range(6)) * 2, "wave": ["baseline"] * 6 + ["follow-up"] * 6,
    ...                    "score": [3, 4, 3, 5, 4, 3, 4, 4, 4, 5, 5, 4]})
    >>> change = wave_change_by_cohort(mixed_model_change(df, "score", "wave", None, "participant"),
    ...                                "baseline", "follow-up")[0]
    >>> change.term, round(change.estimate, 3), round(change.p_value, 4), change.n
    ('follow-up - baseline', 0.667, 0.025, 6)
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

    With one cohort at two waves, complete, the df of the change is that of the paired t-test, :math:`n - 1`:

    >>> df = pd.DataFrame({"participant": list(range(6)) * 2, "wave": ["baseline"] * 6 + ["follow-up"] * 6,
    ...                    "score": [3, 4, 3, 5, 4, 3, 4, 4, 4, 5, 5, 4]})
    >>> fit = mixed_model_change(df, "score", "wave", None, "participant")
    >>> round(float(satterthwaite_df(fit.result, [0.0, 1.0])), 3)
    5.0
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
