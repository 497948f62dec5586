"""The authority x period panel of one LOTI indicator, with when each authority joined the project.

The input of every impact estimate (:mod:`.project_impact`) and of the trend charts (:mod:`.figures`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...tidy import NAN


def indicator_panel(
    observations: pd.DataFrame, project_authorities: pd.DataFrame, indicator_id: str, project_id: str
) -> pd.DataFrame:
    """Authority x period panel of one indicator, with when each authority joined the project.

    Periods are numbered ``t = 1..T`` in date order (event time counts observed periods). An
    authority's first treated period is the observed period containing its ``joined_on`` date
    (the last period starting on or before it); an authority that joined before the first
    observed period is treated throughout (``first_treated = 1``), one that joined after the last
    period, or never, has ``first_treated`` missing.

    Parameters
    ----------
    observations : pandas.DataFrame
        ``indicator_id, authority_code, period, value`` (the store's ``observations``).
    project_authorities : pandas.DataFrame
        ``project_id, authority_code, joined_on``.
    indicator_id, project_id : str
        The indicator and the project whose participants are "treated".

    Returns
    -------
    pandas.DataFrame
        One row per authority and period observed, sorted, with columns ``authority_code``,
        ``period`` (date), ``t`` (int), ``value``, ``participant`` (bool), ``joined_on``,
        ``first_treated`` (float ``t``, NaN if never) and ``treated`` (0/1).

    Examples
    --------
    >>> obs = pd.DataFrame({"indicator_id": "I", "authority_code": ["A", "A", "B", "B"],
    ...     "period": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2), "value": [1.0, 3.0, 1.0, 1.5]})
    >>> pa = pd.DataFrame({"project_id": ["P"], "authority_code": ["A"], "joined_on": pd.to_datetime(["2024-02-01"])})
    >>> indicator_panel(obs, pa, "I", "P")[["authority_code", "t", "first_treated", "treated"]].values.tolist()
    [['A', 1, 2.0, 0], ['A', 2, 2.0, 1], ['B', 1, nan, 0], ['B', 2, nan, 0]]
    """
    mine = observations[(observations["indicator_id"] == indicator_id) & observations["value"].notna()]
    if mine.empty:
        raise ValueError(f"indicator {indicator_id!r} has no observations")
    data = pd.DataFrame(
        {
            "authority_code": mine["authority_code"].astype(object),
            "period": pd.to_datetime(mine["period"]),
            "value": mine["value"].astype(float),
        }
    )
    if data.duplicated(["authority_code", "period"]).any():
        raise ValueError(f"indicator {indicator_id!r} has more than one observation for an authority and period")
    periods = np.sort(data["period"].unique())
    data["t"] = np.searchsorted(periods, data["period"].to_numpy()) + 1
    joined = (
        project_authorities[project_authorities["project_id"] == project_id]
        .groupby("authority_code")["joined_on"]
        .min()
    )
    data["participant"] = data["authority_code"].isin(joined.index)
    data["joined_on"] = pd.to_datetime(data["authority_code"].map(joined))
    spacing = pd.Timedelta(np.median(np.diff(periods))) if len(periods) > 1 else pd.Timedelta(days=31)
    first = {}
    for code, date in joined.items():
        if pd.isna(date) or pd.Timestamp(date) >= pd.Timestamp(periods[-1]) + spacing:
            first[code] = NAN  # never, or after the observation window: not treated in the panel
        else:
            position = int(np.searchsorted(periods, np.datetime64(pd.Timestamp(date)), side="right"))
            first[code] = float(max(position, 1))
    data["first_treated"] = data["authority_code"].map(first).astype(float)
    data["treated"] = (data["t"] >= data["first_treated"]).astype(int)  # NaN compares False
    data = data.sort_values(["authority_code", "t"], kind="stable").reset_index(drop=True)
    return data[["authority_code", "period", "t", "value", "participant", "joined_on", "first_treated", "treated"]]


def period_unit(panel: pd.DataFrame) -> str:
    """ "month", "quarter", "year" or "period": the spacing of the panel's periods, for sentences."""
    periods = np.sort(pd.to_datetime(panel["period"]).unique())
    if len(periods) < 2:
        return "period"
    days = pd.Timedelta(np.median(np.diff(periods))).days
    return (
        "month" if 27 <= days <= 31 else "quarter" if 88 <= days <= 93 else "year" if 360 <= days <= 366 else "period"
    )
