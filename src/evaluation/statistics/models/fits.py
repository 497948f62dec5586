"""A fitted model as the workbench reports it (:class:`ModelFit`), and the steps both models share: ordered
levels, treatment dummies, warnings recorded while fitting, the method label.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evaluation.tidy import Estimate


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
