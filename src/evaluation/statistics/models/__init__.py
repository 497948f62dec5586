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

The models live in four modules: :mod:`.fits` (:class:`ModelFit` and what both models share),
:mod:`.mixed` (the mixed model of waves and cohorts, its contrasts and Satterthwaite degrees of freedom),
:mod:`.ordinal` (the ordinal item model) and :mod:`.multiple_testing` (adjusting p-values). Import the names
from this package.
"""

from .fits import (
    ModelFit,
)
from .mixed import (
    mixed_model_change,
    satterthwaite_df,
    wave_change_by_cohort,
)
from .multiple_testing import (
    adjust_p_values,
)
from .ordinal import (
    ordinal_item_model,
)

__all__ = [
    "ModelFit",
    "adjust_p_values",
    "mixed_model_change",
    "ordinal_item_model",
    "satterthwaite_df",
    "wave_change_by_cohort",
]
