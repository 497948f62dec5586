"""Scale scores and their reliability from item-level survey responses.

Item responses come as a wide DataFrame, one row per respondent and one
numeric column per item, with NaN for unanswered items. Reverse-worded items
should be reverse coded (:func:`reverse_code`) before anything else.

Reliability statistics (:func:`cronbach_alpha`, :func:`mcdonald_omega`,
:func:`corrected_item_total`) use listwise deletion: only respondents who
answered every item count, and ``n`` reports how many that was. Invalid input
(too few items, non-numeric or out-of-range responses) raises ``ValueError``;
too few respondents for a statistic to exist gives NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from evaluation.tidy import Estimate

__all__ = [
    "corrected_item_total",
    "cronbach_alpha",
    "mcdonald_omega",
    "reverse_code",
    "scale_scores",
]


def reverse_code(responses: pd.DataFrame, items: Sequence[str], *, scale_min: float, scale_max: float) -> pd.DataFrame:
    """Reverse code negatively worded items: ``scale_min + scale_max - x``.

    On a 1-5 scale 1 becomes 5, 2 becomes 4 and 3 stays 3. Missing responses
    stay missing.

    Parameters
    ----------
    responses : pandas.DataFrame
        Respondents x items.
    items : sequence of str
        Columns to reverse.
    scale_min, scale_max : float
        The lowest and highest possible responses.

    Returns
    -------
    pandas.DataFrame
        A copy of ``responses`` with ``items`` reversed.

    Raises
    ------
    ValueError
        If an item is not a column, or a response lies outside
        ``[scale_min, scale_max]`` (often a sign of the wrong scale or of an
        item reversed twice).

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.scales import reverse_code
    >>> answers = pd.DataFrame({"q1": [1, 4, 5], "q2": [5, 2, None]})
    >>> reverse_code(answers, ["q2"], scale_min=1, scale_max=5)["q2"].tolist()
    [1.0, 4.0, nan]
    """
    if not scale_min < scale_max:
        raise ValueError(f"scale_min ({scale_min}) must be below scale_max ({scale_max})")
    absent = [item for item in items if item not in responses.columns]
    if absent:
        raise ValueError(f"items {absent} are not columns of the responses")
    values = _numeric(responses[list(items)])
    out_of_range = values.lt(scale_min) | values.gt(scale_max)
    if out_of_range.to_numpy().any():
        offending = list(values.columns[out_of_range.any()])
        raise ValueError(f"items {offending} have responses outside [{scale_min}, {scale_max}]")
    reversed_responses = responses.copy()
    reversed_responses[list(items)] = scale_min + scale_max - values
    return reversed_responses


def scale_scores(responses: pd.DataFrame, *, min_answered: float = 0.5) -> pd.Series:
    """Scale score per respondent: the mean of the items answered, if enough were.

    Missing-item rule: a respondent who answered at least ``min_answered``
    of the items (default one half, the "half rule" of the SF-36 scoring
    manual; Ware et al., 1993) scores the mean of the items they answered,
    which equals imputing each missing item by their own mean over the
    answered items (person-mean imputation). Below that threshold the score
    is missing, because a mean of few items is too unreliable (Newman, 2014).
    The comparison is inclusive: 2 of 4 items meets the half rule, 1 of 3 does
    not.

    Parameters
    ----------
    responses : pandas.DataFrame
        Respondents x items, already reverse coded.
    min_answered : float
        Smallest share of items answered for a score, in (0, 1]; 1 scores
        complete responses only.

    Returns
    -------
    pandas.Series
        Named ``"score"``, indexed like ``responses``; NaN below the threshold.

    References
    ----------
    Ware, J. E., Snow, K. K., Kosinski, M., & Gandek, B. (1993). *SF-36
    Health Survey: Manual and Interpretation Guide*. The Health Institute,
    New England Medical Center.

    Newman, D. A. (2014). Missing data: five practical guidelines.
    *Organizational Research Methods*, 17(4), 372-411.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.scales import scale_scores
    >>> answers = pd.DataFrame({"q1": [4, 2, None], "q2": [5, None, None],
    ...                         "q3": [3, 3, 4], "q4": [4, None, None]})
    >>> scale_scores(answers).tolist()
    [4.0, 2.5, nan]
    """
    if not 0 < min_answered <= 1:
        raise ValueError(f"min_answered must be in (0, 1], got {min_answered}")
    values = _numeric(responses)
    if values.shape[1] == 0:
        raise ValueError("responses have no item columns")
    share_answered = values.notna().sum(axis=1) / values.shape[1]
    return values.mean(axis=1).where(share_answered >= min_answered).rename("score")


def cronbach_alpha(responses: pd.DataFrame, *, confidence_level: float = 0.95) -> Estimate:
    """Cronbach's alpha with Feldt's F-based confidence interval.

    .. math::

        \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_{j} s_j^2}{s_T^2}\\right)

    for *k* items with variances :math:`s_j^2` and total-score variance
    :math:`s_T^2`. Feldt's interval uses that
    :math:`(1-\\alpha)/(1-\\hat\\alpha)` follows an *F* distribution with
    :math:`n-1` and :math:`(n-1)(k-1)` degrees of freedom:

    .. math::

        \\left[1 - (1-\\hat\\alpha) F_{1-\\gamma/2},\\; 1 - (1-\\hat\\alpha) F_{\\gamma/2}\\right],
        \\quad \\gamma = 1 - \\text{confidence level},

    as ``pingouin.cronbach_alpha``. Alpha equals ICC(3,k) from a
    respondents x items ANOVA (Hoyt, 1941).

    Parameters
    ----------
    responses : pandas.DataFrame
        Respondents x items, already reverse coded. Respondents with any
        missing item are dropped (listwise deletion).
    confidence_level : float
        Two-sided coverage of the interval.

    Returns
    -------
    Estimate
        ``term="cronbach_alpha"``, ``n`` respondents used. All NaN with
        fewer than 2 complete respondents or when every respondent has the
        same total (:math:`s_T^2 = 0`). A constant item is allowed; it adds
        no variance and lowers alpha.

    Raises
    ------
    ValueError
        With fewer than 2 items.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika*, 16(3), 297-334.

    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical
    inference for coefficient alpha. *Applied Psychological Measurement*,
    11(1), 93-103.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.scales import cronbach_alpha
    >>> answers = pd.DataFrame({"q1": [4, 3, 4, 2, 3, 3, 5, 2], "q2": [4, 2, 5, 3, 3, 3, 5, 2],
    ...                         "q3": [5, 3, 4, 1, 4, 2, 3, 3], "q4": [3, 3, 4, 2, 5, 2, 4, 1]})
    >>> result = cronbach_alpha(answers)
    >>> [round(v, 3) for v in (result.estimate, result.conf_low, result.conf_high)]
    [0.834, 0.508, 0.963]
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    items = _complete_items(responses, minimum_items=2)
    n, k = items.shape
    method = "Cronbach's alpha, Feldt F-based CI, listwise deletion"
    total_variance = items.sum(axis=1).var(ddof=1) if n >= 2 else 0.0
    if total_variance == 0:
        return Estimate("cronbach_alpha", np.nan, n=n, method=method)
    alpha = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total_variance)
    tail = (1 - confidence_level) / 2
    degrees_of_freedom = (n - 1, (n - 1) * (k - 1))
    return Estimate(
        "cronbach_alpha",
        float(alpha),
        conf_low=float(1 - (1 - alpha) * stats.f.isf(tail, *degrees_of_freedom)),
        conf_high=float(1 - (1 - alpha) * stats.f.ppf(tail, *degrees_of_freedom)),
        n=n,
        method=method,
    )


def mcdonald_omega(responses: pd.DataFrame) -> Estimate:
    """McDonald's omega total from a one-factor model fitted by minimum residuals.

    A single common factor is fitted to the item correlation matrix *R* by
    minres, i.e. unweighted least squares on the off-diagonal elements
    (Harman & Jones, 1966; the default of R's ``psych::omega``):

    .. math:: \\min_{\\lambda \\in [-1, 1]^k} \\sum_{i<j} (r_{ij} - \\lambda_i\\lambda_j)^2 ,

    with uniquenesses :math:`\\psi_j = 1 - \\lambda_j^2`. Unlike maximum
    likelihood this needs no inverse of *R*, so it works when a small cohort
    has fewer respondents than items. Omega total is the share of the
    variance of the unit-weighted raw total score that the factor explains,
    with loadings and uniquenesses rescaled by the item standard deviations
    :math:`s_j`:

    .. math::

        \\omega_t = \\frac{\\left(\\sum_j s_j\\lambda_j\\right)^2}
                         {\\left(\\sum_j s_j\\lambda_j\\right)^2 + \\sum_j s_j^2\\psi_j}.

    Constant items are left out of the fit: they add nothing to the total
    score's variance, so omega is unchanged by them. Items loading
    negatively (not reverse coded) lower omega.

    Parameters
    ----------
    responses : pandas.DataFrame
        Respondents x items, already reverse coded. Respondents with any
        missing item are dropped (listwise deletion).

    Returns
    -------
    Estimate
        ``term="mcdonald_omega"``, ``n`` respondents used, no interval. NaN
        with fewer than 3 complete respondents (correlations from 2 are
        always +/-1) or fewer than 3 non-constant items (a one-factor model
        needs 3 to be identified).

    Raises
    ------
    ValueError
        With fewer than 3 items.

    References
    ----------
    McDonald, R. P. (1999). *Test Theory: A Unified Treatment*, ch. 6.
    Erlbaum.

    Harman, H. H., & Jones, W. H. (1966). Factor analysis by minimizing
    residuals (minres). *Psychometrika*, 31(3), 351-368.

    Flora, D. B. (2020). Your coefficient alpha is probably wrong, but which
    coefficient omega is right? *Advances in Methods and Practices in
    Psychological Science*, 3(4), 484-501.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.scales import mcdonald_omega
    >>> answers = pd.DataFrame({"q1": [4, 3, 4, 2, 3, 3, 5, 2], "q2": [4, 2, 5, 3, 3, 3, 5, 2],
    ...                         "q3": [5, 3, 4, 1, 4, 2, 3, 3], "q4": [3, 3, 4, 2, 5, 2, 4, 1]})
    >>> round(mcdonald_omega(answers).estimate, 3)
    0.838
    """
    items = _complete_items(responses, minimum_items=3)
    n = items.shape[0]
    method = "McDonald's omega total, one-factor minres fit, listwise deletion"
    if n < 3:
        return Estimate("mcdonald_omega", np.nan, n=n, method=method)
    spreads = items.std(axis=0, ddof=1)
    varying = spreads > 0
    if varying.sum() < 3:
        return Estimate("mcdonald_omega", np.nan, n=n, method=method)
    loadings = _one_factor_minres(np.corrcoef(items[:, varying], rowvar=False))
    common = np.sum(spreads[varying] * loadings) ** 2
    unique = np.sum(spreads[varying] ** 2 * (1 - loadings**2))
    return Estimate("mcdonald_omega", float(common / (common + unique)), n=n, method=method)


def corrected_item_total(responses: pd.DataFrame) -> pd.Series:
    """Corrected item-total correlations: each item against the sum of the others.

    .. math:: r_{j,\\,T-j} = \\operatorname{corr}\\left(x_j, \\sum_{l \\ne j} x_l\\right)

    Leaving the item out of the total removes the inflation from correlating
    an item with itself (Nunnally & Bernstein, 1994); R's ``psych::alpha``
    reports it as ``r.drop``. Low or negative values flag items that do not
    fit the scale or still need reverse coding.

    Parameters
    ----------
    responses : pandas.DataFrame
        Respondents x items, already reverse coded. Respondents with any
        missing item are dropped (listwise deletion).

    Returns
    -------
    pandas.Series
        One correlation per item, indexed by item, named
        ``"corrected_item_total"``. NaN for a constant item, or when the
        other items' total is constant or fewer than 2 respondents remain.

    Raises
    ------
    ValueError
        With fewer than 2 items.

    References
    ----------
    Nunnally, J. C., & Bernstein, I. H. (1994). *Psychometric Theory* (3rd
    ed.), ch. 8. McGraw-Hill.

    Examples
    --------
    >>> import pandas as pd
    >>> from evaluation.statistics.scales import corrected_item_total
    >>> answers = pd.DataFrame({"q1": [4, 3, 4, 2, 3, 3, 5, 2], "q2": [4, 2, 5, 3, 3, 3, 5, 2],
    ...                         "q3": [5, 3, 4, 1, 4, 2, 3, 3], "q4": [3, 3, 4, 2, 5, 2, 4, 1]})
    >>> corrected_item_total(answers).round(3).tolist()
    [0.822, 0.672, 0.529, 0.674]
    """
    items = _complete_items(responses, minimum_items=2)
    centred = items - items.mean(axis=0)
    rest = centred.sum(axis=1, keepdims=True) - centred
    covariance = np.sum(centred * rest, axis=0)
    scale = np.sqrt(np.sum(centred**2, axis=0) * np.sum(rest**2, axis=0))
    correlations = np.divide(covariance, scale, out=np.full(items.shape[1], np.nan), where=scale > 0)
    return pd.Series(correlations, index=responses.columns, name="corrected_item_total")


def _one_factor_minres(correlations: np.ndarray) -> np.ndarray:
    """Loadings of one common factor fitted to a correlation matrix by minres (ULS).

    Bounded to [-1, 1] so that uniquenesses stay non-negative (no Heywood
    cases); started from the first principal component.
    """
    rows, columns = np.triu_indices(correlations.shape[0], 1)
    pairs = np.arange(rows.size)

    def residuals(loadings: np.ndarray) -> np.ndarray:
        return correlations[rows, columns] - loadings[rows] * loadings[columns]

    def jacobian(loadings: np.ndarray) -> np.ndarray:
        derivatives = np.zeros((rows.size, loadings.size))
        derivatives[pairs, rows] = -loadings[columns]
        derivatives[pairs, columns] = -loadings[rows]
        return derivatives

    eigenvalues, eigenvectors = np.linalg.eigh(correlations)
    start = np.clip(eigenvectors[:, -1] * np.sqrt(eigenvalues[-1]), -0.99, 0.99)
    fit = optimize.least_squares(residuals, start, jac=jacobian, bounds=(-1, 1), xtol=1e-12, ftol=1e-12, gtol=1e-12)
    return fit.x


def _numeric(responses: pd.DataFrame) -> pd.DataFrame:
    """Responses as float64 columns (missing as NaN), rejecting non-numeric items."""
    if not isinstance(responses, pd.DataFrame):
        raise ValueError("responses must be a DataFrame of respondents x items")
    text_items = [
        column
        for column, values in responses.items()
        if values.notna().any()  # an item nobody answered has no type to check
        and (not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values))
    ]
    if text_items:
        raise ValueError(f"items {text_items} are not numeric; code responses as numbers first")
    return responses.astype("float64")


def _complete_items(responses: pd.DataFrame, *, minimum_items: int) -> np.ndarray:
    """Respondents who answered every item (listwise deletion), as an n x k array."""
    values = _numeric(responses)
    if values.shape[1] < minimum_items:
        raise ValueError(f"need at least {minimum_items} items, got {values.shape[1]}")
    return values.dropna().to_numpy()
