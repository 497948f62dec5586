"""The ordinal (proportional-odds) model of a single Likert item over waves."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import pandas as pd
from statsmodels.miscmodels.ordinal_model import OrderedModel

from evaluation.tidy import Estimate

from .fits import ModelFit, _fit_recording_warnings, _method, _ordered_levels, _treatment_dummies


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
    Answers to one item that moved up the scale between two waves: the odds ratio of answering higher at the
    endpoint is above 1.

    >>> df = pd.DataFrame({"wave": ["baseline"] * 8 + ["endpoint"] * 8,
    ...                    "q3": [2, 3, 3, 2, 4, 3, 2, 3, 4, 4, 3, 5, 4, 3, 4, 5]})
    >>> fit = ordinal_item_model(df, "q3", "wave", item_levels=[1, 2, 3, 4, 5],
    ...                          wave_order=["baseline", "endpoint"], exponentiate=True)
    >>> fit.estimates[0].term, fit.estimates[0].estimate > 1, fit.estimates[0].n
    ('wave[endpoint]', True, 16)
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
