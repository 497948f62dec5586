"""Bias-corrected and accelerated (BCa) bootstrap confidence intervals."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri

from ..notes import AnalysisNote

__all__ = ["BootstrapInterval", "IntervalNote", "bca_interval"]


class IntervalNote(AnalysisNote, RuntimeWarning):
    """An interval that could not be computed in full: a plain-English note for a report's reader
    (:class:`~evaluation.notes.AnalysisNote`), and still a ``RuntimeWarning`` for callers that silence
    numerical warnings where NaN bounds say enough."""


@dataclass(frozen=True)
class BootstrapInterval:
    """A BCa bootstrap confidence interval and the quantities behind it.

    Attributes
    ----------
    estimate : float
        The statistic computed on the original data.
    conf_low, conf_high : float
        Interval bounds (NaN when the interval is undefined, see
        :func:`bca_interval`).
    standard_error : float
        Standard deviation of the bootstrap replicates.
    bias_correction : float
        :math:`\\hat z_0`, the normal quantile of the share of replicates below
        the estimate.
    acceleration : float
        :math:`\\hat a`, the jackknife estimate of the skewness of the statistic.
    n_resamples : int
        Number of bootstrap replicates the interval is based on: those drawn,
        less any on which the statistic was NaN or infinite.
    """

    estimate: float
    conf_low: float
    conf_high: float
    standard_error: float
    bias_correction: float
    acceleration: float
    n_resamples: int


def bca_interval(
    statistic: Callable[..., ArrayLike],
    *samples: ArrayLike,
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
    about: str = "the statistic",
) -> BootstrapInterval:
    """Two-sided BCa bootstrap confidence interval for a one-sample or paired statistic.

    Observations (rows) are resampled with replacement; with several samples
    the same rows are drawn from each, so pairs stay together.

    The interval is the pair of bootstrap percentiles
    :math:`\\hat\\theta^*_{(\\alpha_1)}, \\hat\\theta^*_{(\\alpha_2)}` with

    .. math::

        \\alpha_{1,2} = \\Phi\\left(\\hat z_0 + \\frac{\\hat z_0 + z_{\\alpha/2,\\,1-\\alpha/2}}
                         {1 - \\hat a(\\hat z_0 + z_{\\alpha/2,\\,1-\\alpha/2})}\\right),
        \\qquad
        \\hat z_0 = \\Phi^{-1}\\left(\\frac{\\#\\{\\hat\\theta^*_b < \\hat\\theta\\}
                    + \\tfrac12\\#\\{\\hat\\theta^*_b = \\hat\\theta\\}}{B}\\right),

    .. math::

        \\hat a = \\frac{\\sum_i (\\hat\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^3}
                  {6\\left[\\sum_i (\\hat\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^2\\right]^{3/2}},

    where :math:`\\hat\\theta_{(i)}` is the statistic with observation *i* left
    out and :math:`\\hat\\theta_{(\\cdot)}` their mean. Replicates equal to the
    estimate count one half in :math:`\\hat z_0` (as ``scipy.stats.bootstrap``),
    which matters for discrete statistics such as rank correlations.
    Percentiles are linearly interpolated (``numpy.quantile``).

    Parameters
    ----------
    statistic : callable
        ``statistic(*samples)`` returning a scalar. If it accepts an ``axis``
        keyword it is called once on 2-D arrays (resamples x observations)
        with ``axis=-1`` and must return one value per row; otherwise it is
        called in a Python loop, once per resample.
    *samples : array_like
        One or more 1-D samples of equal length *n* (paired observations).
    confidence_level : float
        Two-sided coverage, in (0, 1).
    n_resamples : int
        Number of bootstrap resamples *B*.
    seed : int
        Seed for :func:`numpy.random.default_rng`; the same seed gives the
        same interval.
    about : str
        What the statistic is, in words (e.g. "the rank-biserial
        correlation"), for the notes a report's reader gets.

    Returns
    -------
    BootstrapInterval

    Raises
    ------
    ValueError
        If there are fewer than 2 observations, the samples differ in length
        or are not 1-D, or the statistic does not return one value per
        resample.

    Notes
    -----
    Undefined and degenerate cases:

    * If every replicate equals the estimate (e.g. every difference is the
      same), the bootstrap distribution is a point mass: both bounds are the
      estimate, the standard error is 0 and the bias correction and
      acceleration are NaN.
    * Bootstrap replicates that are NaN or infinite (e.g. a standardised
      effect size on a resample with zero variance) are left out with an
      :class:`IntervalNote`, as R's ``boot.ci`` does (Canty & Ripley, package
      ``boot``); the interval is then conditional on the statistic being
      defined.
    * If the estimate or a jackknife value is NaN or infinite, fewer than 2
      replicates are finite, or the estimate lies outside the bootstrap
      distribution (:math:`\\hat z_0 = \\pm\\infty`), the BCa interval is
      undefined: every field but the estimate is NaN (``n_resamples`` 0),
      with an :class:`IntervalNote` saying why in plain English.
    * If all jackknife values are equal the acceleration is set to 0: the
      jackknife shows no skewness to correct.

    References
    ----------
    Efron, B. (1987). Better bootstrap confidence intervals. *Journal of the
    American Statistical Association*, 82(397), 171-185.

    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*,
    ch. 14. Chapman & Hall.

    Examples
    --------
    >>> import numpy as np
    >>> from evaluation.statistics.bootstrap import bca_interval
    >>> change = np.array([0.4, 1.1, -0.2, 0.9, 0.6, 1.5, 0.3, 0.8])
    >>> ci = bca_interval(np.mean, change, seed=1)
    >>> bool(ci.conf_low < change.mean() < ci.conf_high)
    True
    """
    arrays = [np.asarray(sample, dtype=float) for sample in samples]
    if not arrays:
        raise ValueError("bca_interval needs at least one sample")
    if any(array.ndim != 1 for array in arrays):
        raise ValueError("samples must be 1-D arrays")
    n = arrays[0].size
    if any(array.size != n for array in arrays):
        raise ValueError(f"paired samples must have equal lengths, got {[a.size for a in arrays]}")
    if n < 2:
        raise ValueError(f"a bootstrap interval needs at least 2 observations, got {n}")
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be positive, got {n_resamples}")

    evaluate_rows = _row_evaluator(statistic)
    estimate = float(evaluate_rows([array[np.newaxis, :] for array in arrays])[0])

    rng = np.random.default_rng(seed)
    resample_rows = rng.integers(0, n, size=(n_resamples, n))
    replicates = evaluate_rows([array[resample_rows] for array in arrays])
    # Row i of leave_one_out lists every index except i: 0..i-1, i+1..n-1.
    columns = np.arange(n - 1)
    leave_one_out = columns + (columns >= np.arange(n)[:, np.newaxis])
    jackknife = evaluate_rows([array[leave_one_out] for array in arrays])
    if replicates.shape != (n_resamples,) or jackknife.shape != (n,):
        raise ValueError("statistic must return one value per resample")

    if not np.isfinite(estimate) or not np.isfinite(jackknife).all():
        return _undefined(
            estimate,
            about,
            "leaving out one observation at a time made it incalculable (the jackknife step of the method)",
        )
    finite = np.isfinite(replicates)
    if not finite.all():
        # Resamples on which the statistic is undefined (e.g. zero variance)
        # are left out, as R's boot.ci does; the interval is then conditional
        # on the statistic being defined.
        left_out = int(n_resamples - finite.sum())
        warnings.warn(
            f"The interval of {about} rests on {n_resamples - left_out:,} of {n_resamples:,} resamples of the "
            f"data: in the other {left_out:,} it could not be computed (for example, every resampled value was "
            "the same), so they were left out. This is standard practice; the interval describes the "
            "resamples in which the figure exists",
            IntervalNote,
            stacklevel=2,
        )
        replicates = replicates[finite]
    if replicates.size < 2:
        return _undefined(estimate, about, "fewer than 2 resamples of the data gave a value")
    standard_error = float(np.std(replicates, ddof=1))
    if np.all(replicates == estimate):
        return BootstrapInterval(estimate, estimate, estimate, 0.0, np.nan, np.nan, replicates.size)
    share_below = (
        np.count_nonzero(replicates < estimate) + 0.5 * np.count_nonzero(replicates == estimate)
    ) / replicates.size
    if share_below in (0.0, 1.0):
        return _undefined(
            estimate,
            about,
            "the figure from the data lies outside the range of the figures from "
            "its resamples (the bootstrap distribution)",
        )
    bias_correction = float(ndtri(share_below))

    deviations = jackknife.mean() - jackknife
    spread = np.sum(deviations**2)
    acceleration = float(np.sum(deviations**3) / (6 * spread**1.5)) if spread > 0 else 0.0

    normal_quantiles = ndtri(np.array([(1 - confidence_level) / 2, (1 + confidence_level) / 2]))
    shifted = bias_correction + normal_quantiles
    levels = ndtr(bias_correction + shifted / (1 - acceleration * shifted))
    conf_low, conf_high = np.quantile(replicates, levels)
    return BootstrapInterval(
        estimate=estimate,
        conf_low=float(conf_low),
        conf_high=float(conf_high),
        standard_error=standard_error,
        bias_correction=bias_correction,
        acceleration=acceleration,
        n_resamples=replicates.size,
    )


def _undefined(estimate: float, about: str, reason: str) -> BootstrapInterval:
    """Warn, in plain English, that the BCa interval does not exist and return NaN bounds."""
    warnings.warn(
        f"No interval could be given for {about}: {reason}. The figure itself is shown; "
        "read it without a measure of its uncertainty",
        IntervalNote,
        stacklevel=3,
    )
    return BootstrapInterval(estimate, np.nan, np.nan, np.nan, np.nan, np.nan, 0)


def _row_evaluator(
    statistic: Callable[..., ArrayLike],
) -> Callable[[list[np.ndarray]], np.ndarray]:
    """Wrap ``statistic`` to map 2-D arrays (one resample per row) to one value per row."""
    try:
        vectorized = "axis" in inspect.signature(statistic).parameters
    except (TypeError, ValueError):  # some builtins and ufuncs have no signature
        vectorized = False
    if vectorized:
        return lambda rows: np.asarray(statistic(*rows, axis=-1), dtype=float).reshape(-1)
    return lambda rows: np.array([statistic(*row) for row in zip(*rows, strict=True)], dtype=float)
