"""Progress of project indicators against baseline and target, with a RAG status.

Each project is tracked on indicators at three levels (GLA Economics'
framing of LOTI evaluations): **organisation** (e.g. staff hours saved),
**community** (e.g. residents reached) and **economic** (e.g. contracts
awarded to London SMEs). An indicator has a baseline, a target and a
direction (whether higher or lower values are better); observations report
its value by authority and period.

Progress is the share of the baseline-to-target distance covered,

.. math:: \\text{progress} = \\frac{\\text{current} - \\text{baseline}}{\\text{target} - \\text{baseline}}

which is direction-neutral once the target is checked to lie on the better
side of the baseline: 0 at baseline, 1 at target, negative when the indicator
has moved the wrong way, above 1 when the target is beaten.

Tracking shows whether outcomes moved, not that the project moved them: it is
the descriptive basis of a contribution analysis, not an impact estimate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from ..schemas.loti import DIRECTIONS, LEVELS

INDICATOR_COLUMNS: tuple[str, ...] = (
    "project",
    "indicator",
    "level",
    "unit",
    "direction",
    "baseline",
    "target",
)
OBSERVATION_COLUMNS: tuple[str, ...] = ("indicator", "authority", "period", "value")


def rag_status(
    progress: float,
    expected_progress: float = 1.0,
    *,
    green_threshold: float = 0.9,
    amber_threshold: float = 0.5,
) -> str:
    """Red/amber/green status of an indicator from its progress.

    The rule, in order:

    1. ``"No data"`` if progress is missing (no observation yet).
    2. ``"Red"`` if progress < 0: the indicator has moved the wrong way from
       its baseline, however early it is.
    3. ``"Green"`` if the target is met (progress >= 1), or progress is at
       least ``green_threshold`` x expected progress (on track).
    4. ``"Amber"`` if progress is at least ``amber_threshold`` x expected
       progress.
    5. ``"Red"`` otherwise.

    Expected progress is the share of the baseline-to-target period that has
    elapsed (a straight-line trajectory); at 0 (nothing expected yet) any
    non-negative progress is Green.

    Parameters
    ----------
    progress : float
        :math:`(\\text{current} - \\text{baseline}) / (\\text{target} - \\text{baseline})`.
    expected_progress : float
        Progress expected by now, in [0, 1]; 1 judges against the whole target.
    green_threshold, amber_threshold : float
        Shares of expected progress needed for Green and Amber,
        ``0 <= amber_threshold <= green_threshold``.

    Returns
    -------
    str
        ``"Green"``, ``"Amber"``, ``"Red"`` or ``"No data"``.

    Examples
    --------
    Halfway through the period, 40% of the way to target is 80% of the
    expected progress:

    >>> rag_status(0.4, expected_progress=0.5)
    'Amber'
    >>> rag_status(0.4, expected_progress=0.5, green_threshold=0.8)
    'Green'
    >>> rag_status(-0.1, expected_progress=0.1)
    'Red'
    """
    if not 0 <= amber_threshold <= green_threshold:
        raise ValueError("thresholds must satisfy 0 <= amber_threshold <= green_threshold")
    if not 0 <= expected_progress <= 1:
        raise ValueError("expected_progress must be in [0, 1]")
    if progress is None or math.isnan(progress):
        return "No data"
    if progress < 0:
        return "Red"
    if progress >= 1 or progress >= green_threshold * expected_progress:
        return "Green"
    if progress >= amber_threshold * expected_progress:
        return "Amber"
    return "Red"


def track_indicators(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    *,
    as_of: object = None,
    green_threshold: float = 0.9,
    amber_threshold: float = 0.5,
) -> pd.DataFrame:
    """Latest value, progress and RAG status of each indicator in each authority.

    For each indicator and authority the latest observation (up to
    ``as_of``) is compared with the indicator's baseline and target:

    .. math::
        \\text{progress} = \\frac{\\text{current} - \\text{baseline}}{\\text{target} - \\text{baseline}},
        \\qquad
        \\text{expected} = \\operatorname{clip}\\left(
            \\frac{\\text{period} - \\text{baseline period}}{\\text{target period} - \\text{baseline period}},
            0, 1\\right)

    and the status follows :func:`rag_status`. When an indicator has no
    baseline or target period, expected progress is 1: it is judged against
    its whole target.

    Parameters
    ----------
    indicators : pandas.DataFrame
        One row per indicator with columns ``project``, ``indicator``
        (unique name), ``level`` (one of :data:`LEVELS`), ``unit`` (unit of
        measurement, e.g. ``"%"``), ``direction`` (one of :data:`DIRECTIONS`:
        ``"higher_is_better"`` or ``"lower_is_better"``, as the store spells
        it), ``baseline``, ``target`` and optionally
        ``baseline_period`` and ``target_period``.
    observations : pandas.DataFrame
        Columns ``indicator``, ``authority`` (e.g. GSS code), ``period`` and
        ``value``; rows with a missing value are ignored.
    as_of : scalar, optional
        Ignore observations after this period.
    green_threshold, amber_threshold : float
        Passed to :func:`rag_status`.

    Periods must all be numbers, or all dates (``datetime64`` or
    ``pandas.Period``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator and authority observed (an indicator never
        observed gets one row with missing authority and status
        ``"No data"``), with the indicator columns and ``authority``,
        ``current``, ``period``, ``progress``, ``expected_progress`` and
        ``status``.

    Raises
    ------
    ValueError
        Naming the indicator(s) concerned, when a baseline or target is
        missing, the target is not better than the baseline in the stated
        direction, a level or direction is not recognised, an indicator is
        listed twice, or an observation refers to an unknown indicator.

    References
    ----------
    HM Treasury (2020) *Magenta Book*, ch. 3 (theory of change and
    contribution analysis). Mayne, J. (2012) Contribution analysis: coming of
    age? *Evaluation* 18(3), 270-280.

    Examples
    --------
    >>> import pandas as pd
    >>> indicators = pd.DataFrame({
    ...     "project": ["Housing data pilot"], "indicator": ["days to resolve repair"],
    ...     "level": ["community"], "unit": ["days"], "direction": ["lower_is_better"],
    ...     "baseline": [40.0], "target": [20.0],
    ...     "baseline_period": [0], "target_period": [12]})
    >>> observations = pd.DataFrame({
    ...     "indicator": ["days to resolve repair"] * 2, "authority": ["E09000012"] * 2,
    ...     "period": [3, 6], "value": [37.0, 32.0]})
    >>> track_indicators(indicators, observations)[["progress", "expected_progress", "status"]]
       progress  expected_progress status
    0       0.4                0.5  Amber
    """
    _require_columns(indicators, INDICATOR_COLUMNS, "indicators")
    _require_columns(observations, OBSERVATION_COLUMNS, "observations")
    spec = indicators.copy()
    for column in ("baseline_period", "target_period"):
        if column not in spec.columns:
            spec[column] = np.nan
    _check_indicators(spec)

    unknown = sorted(set(observations["indicator"]) - set(spec["indicator"]))
    if unknown:
        raise ValueError(f"observations refer to indicators not in the indicator table: {unknown}")
    observed = observations.loc[observations["value"].notna(), list(OBSERVATION_COLUMNS)]

    period_number = _period_numbers(
        {
            "period": observed["period"],
            "baseline_period": spec["baseline_period"],
            "target_period": spec["target_period"],
            "as_of": pd.Series([as_of]),
        }
    )
    observed = observed.assign(_period_number=period_number["period"])
    spec = spec.assign(
        _baseline_number=period_number["baseline_period"],
        _target_number=period_number["target_period"],
    )
    if as_of is not None:
        observed = observed[observed["_period_number"] <= period_number["as_of"].iloc[0]]
    bad_window = spec["_target_number"] <= spec["_baseline_number"]
    if bad_window.any():
        raise ValueError(f"target_period is not after baseline_period for {list(spec.loc[bad_window, 'indicator'])}")

    latest = (
        observed.sort_values("_period_number", kind="stable")
        .groupby(["indicator", "authority"], sort=True)
        .tail(1)
        .rename(columns={"value": "current"})
    )
    table = spec.merge(latest, on="indicator", how="left")
    table["progress"] = (table["current"] - table["baseline"]) / (table["target"] - table["baseline"])
    elapsed = (table["_period_number"] - table["_baseline_number"]) / (
        table["_target_number"] - table["_baseline_number"]
    )
    # No periods given: judge against the whole target.
    table["expected_progress"] = elapsed.clip(0.0, 1.0).fillna(1.0)
    table["status"] = [
        rag_status(
            progress,
            expected,
            green_threshold=green_threshold,
            amber_threshold=amber_threshold,
        )
        for progress, expected in zip(table["progress"], table["expected_progress"], strict=True)
    ]
    columns = [
        *INDICATOR_COLUMNS,
        "baseline_period",
        "target_period",
        "authority",
        "current",
        "period",
        "progress",
        "expected_progress",
        "status",
    ]
    return table[columns].reset_index(drop=True)


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise KeyError(f"{name} has no column(s) {absent}")


def _check_indicators(spec: pd.DataFrame) -> None:
    """Raise ValueError naming every indicator whose definition cannot be tracked."""

    def names(mask: pd.Series) -> list[str]:
        return list(spec.loc[mask, "indicator"])

    duplicated = spec["indicator"].duplicated(keep=False)
    if duplicated.any():
        raise ValueError(f"indicators listed more than once: {sorted(set(names(duplicated)))}")
    for column in ("baseline", "target"):
        missing = spec[column].isna()
        if missing.any():
            raise ValueError(
                f"no {column} for indicator(s) {names(missing)}: progress cannot be measured "
                f"without one; record it before tracking"
            )
    bad_level = ~spec["level"].isin(LEVELS)
    if bad_level.any():
        raise ValueError(f"level must be one of {LEVELS}; not so for {names(bad_level)}")
    bad_direction = ~spec["direction"].isin(DIRECTIONS)
    if bad_direction.any():
        raise ValueError(f"direction must be one of {DIRECTIONS}; not so for {names(bad_direction)}")
    gain = spec["target"] - spec["baseline"]
    lower_is_better = spec["direction"] == "lower_is_better"
    wrong_side = (gain == 0) | (lower_is_better & (gain > 0)) | (~lower_is_better & (gain < 0))
    if wrong_side.any():
        raise ValueError(f"target is not better than baseline in the stated direction for {names(wrong_side)}")


def _period_numbers(columns: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """Periods as numbers on one scale: numbers as they are, dates as days since 1970."""
    converted, kinds = {}, set()
    for name, values in columns.items():
        if isinstance(values.dtype, pd.PeriodDtype):
            values = values.dt.to_timestamp()
        if is_datetime64_any_dtype(values):
            converted[name] = (values - pd.Timestamp(0)) / pd.Timedelta(days=1)
            kind = "date"
        elif is_numeric_dtype(values) or values.isna().all():
            converted[name] = values.astype(float)
            kind = "number"
        else:
            raise TypeError(f"{name} must hold numbers, datetime64 or pandas.Period values, not {values.dtype}")
        if values.notna().any():
            kinds.add(kind)
    if len(kinds) > 1:
        raise TypeError("periods mix numbers and dates; use one kind throughout")
    return converted
