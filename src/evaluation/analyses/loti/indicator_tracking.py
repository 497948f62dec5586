"""A LOTI project's indicators against baseline and target, with a RAG status, by level, authority and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ...impact.indicators import track_indicators
from ...presentation import numbers
from ...schemas.loti import DIRECTION_WORDS, LEVELS
from ...tidy import NAN, Estimate

#: Every status an indicator can get, in reading order. "No baseline", "No target" and "Invalid
#: definition" are not RAG ratings: they mark indicators that cannot be tracked until fixed.
STATUSES: tuple[str, ...] = ("Green", "Amber", "Red", "No data", "No baseline", "No target", "Invalid definition")
STATUS_COLOURS = {
    "Green": "#28A197",
    "Amber": "#F46A25",
    "Red": "#801650",
    "No data": "#BFBFBF",
    "No baseline": "#3D3D3D",
    "No target": "#3D3D3D",
    "Invalid definition": "#3D3D3D",
}


@dataclass(frozen=True)
class IndicatorTracking:
    """Indicators of one or more projects against baseline and target, with their warnings.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per indicator: definition, participating authorities observed, the latest
        mean of participants (``latest_mean`` at ``latest_period``, with the lowest and highest
        authority, ``latest_lowest`` and ``latest_highest``), ``progress``,
        ``expected_progress``, ``status`` (one of :data:`STATUSES`), counts of authorities by RAG
        (``authorities_green`` ...) and ``warning`` (empty when there is none); ``direction`` in words
        (``"higher is better"``), as readers of the published table read it.
    by_authority : pandas.DataFrame
        :func:`~evaluation.impact.indicators.track_indicators` rows of every trackable indicator:
        each participating authority's latest value, progress and status (``direction`` in words).
    over_time : pandas.DataFrame
        Per trackable indicator and period: mean of the participating authorities observed
        (``authorities``; ``lowest`` and ``highest`` value), ``progress``, ``expected_progress``
        and ``status``.
    warnings : pandas.DataFrame
        ``indicator_id``, ``issue`` and ``message``: every indicator that cannot be tracked or has
        no data. Never silently dropped: show it in every report.
    """

    summary: pd.DataFrame
    by_authority: pd.DataFrame
    over_time: pd.DataFrame
    warnings: pd.DataFrame

    def level_counts(self) -> pd.DataFrame:
        """Number of indicators by level (rows) and status (columns, :data:`STATUSES` order), with totals."""
        table = pd.crosstab(self.summary["level"], self.summary["status"])
        table = table.reindex(
            index=[lv for lv in LEVELS if lv in table.index] + [lv for lv in table.index if lv not in LEVELS],
            columns=[s for s in STATUSES if s in table.columns],
        )
        table["Total"] = table.sum(axis=1)
        table.index.name, table.columns.name = "level", None
        return table.reset_index()


def _tracking_spec(indicator: pd.Series) -> pd.DataFrame:
    """One store indicator in the layout of :func:`~evaluation.impact.indicators.track_indicators`."""
    return pd.DataFrame(
        {
            "project": [indicator["project_id"]],
            "indicator": [indicator["indicator_id"]],
            "level": [indicator["level"]],
            "unit": [indicator["unit"]],
            "direction": [indicator["direction"]],
            "baseline": [indicator["baseline"]],
            "target": [indicator["target"]],
            "baseline_period": pd.to_datetime(pd.Series([indicator.get("baseline_period")])),
            "target_period": pd.to_datetime(pd.Series([indicator.get("target_period")])),
        }
    )


def _participant_observations(
    observations: pd.DataFrame, project_authorities: pd.DataFrame, indicator_id: str, project_id: str
) -> pd.DataFrame:
    """Observations of an indicator in authorities taking part in its project (``track_indicators`` layout)."""
    participants = set(project_authorities.loc[project_authorities["project_id"] == project_id, "authority_code"])
    mine = observations[
        (observations["indicator_id"] == indicator_id) & observations["authority_code"].isin(participants)
    ]
    return pd.DataFrame(
        {
            "indicator": mine["indicator_id"].astype(object),
            "authority": mine["authority_code"],
            "period": pd.to_datetime(mine["period"]),
            "value": mine["value"].astype(float),
        }
    )


def track_project_indicators(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    project_authorities: pd.DataFrame,
    *,
    as_of: str | dt.date | None = None,
    green_threshold: float = 0.9,
    amber_threshold: float = 0.5,
) -> IndicatorTracking:
    """Track every indicator of the given projects in the authorities taking part in them.

    Each indicator is judged on the authorities that take part in its project (from
    ``project_authorities``), by :func:`~evaluation.impact.indicators.track_indicators`:

    .. math:: \\text{progress} = \\frac{\\text{current} - \\text{baseline}}{\\text{target} - \\text{baseline}}

    per authority (latest value) and for the mean of the participants observed in each period
    (the status of the latest period is the indicator's status). RAG: Green when on track
    (progress at least ``green_threshold`` x the share of the baseline-to-target period elapsed,
    or target met), Amber from ``amber_threshold`` x, Red below or when moving the wrong way.

    An indicator that cannot be tracked is **never dropped**: it keeps a row with status
    "No baseline", "No target" or "Invalid definition" and a warning; one with no observations
    gets "No data" and a warning.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The ``indicators`` table (store layout: ``direction`` as ``higher_is_better``).
    observations : pandas.DataFrame
        The ``observations`` table (``indicator_id, authority_code, period, value``).
    project_authorities : pandas.DataFrame
        The ``project_authorities`` table: who takes part in which project.
    as_of : date, optional
        Ignore observations after this date.
    green_threshold, amber_threshold : float
        As in :func:`~evaluation.impact.indicators.rag_status`.

    Returns
    -------
    IndicatorTracking

    References
    ----------
    HM Treasury (2020) *Magenta Book*, ch. 3 (monitoring and contribution analysis).

    Examples
    --------
    >>> indicators = pd.DataFrame({"indicator_id": ["I1"], "project_id": ["P1"], "name": ["x"],
    ...     "level": ["organisation"], "unit": ["%"], "direction": ["higher_is_better"],
    ...     "baseline": [float("nan")], "baseline_period": [pd.NaT], "target": [80.0],
    ...     "target_period": [pd.NaT]})
    >>> tracked = track_project_indicators(indicators, pd.DataFrame(columns=["indicator_id",
    ...     "authority_code", "period", "value"]), pd.DataFrame(columns=["project_id", "authority_code"]))
    >>> tracked.summary["status"].tolist(), tracked.warnings["issue"].tolist()
    (['No baseline'], ['no baseline', 'no observations'])
    """
    summaries, by_authority, over_time, warnings = [], [], [], []
    as_of_date = pd.Timestamp(as_of) if as_of is not None else None
    for _, indicator in indicators.sort_values("indicator_id").iterrows():
        code, name = indicator["indicator_id"], indicator["name"]
        label = f"{code} ({name})"
        observed = _participant_observations(observations, project_authorities, code, indicator["project_id"])
        if as_of_date is not None:
            observed = observed[observed["period"] <= as_of_date]
        row = {
            column: indicator.get(column)
            for column in (
                "indicator_id",
                "project_id",
                "name",
                "level",
                "unit",
                "direction",
                "baseline",
                "target",
                "target_period",
            )
        }
        row.update(
            participants_observed=int(observed["authority"].nunique()),
            latest_period=pd.NaT,
            latest_mean=NAN,
            latest_lowest=NAN,
            latest_highest=NAN,
            progress=NAN,
            expected_progress=NAN,
            **{f"authorities_{s.lower()}": 0 for s in ("Green", "Amber", "Red")},
        )
        problem = _definition_problem(indicator)
        notes = []
        if problem is not None:
            issue, status, message = problem
            warnings.append({"indicator_id": code, "issue": issue, "message": f"{label} {message}"})
            notes.append(f"{label} {message}")
            row["status"] = status
        if observed.empty:
            message = (
                "has no observations for the authorities taking part: nothing can be reported on it "
                "until data are collected."
            )
            warnings.append({"indicator_id": code, "issue": "no observations", "message": f"{label} {message}"})
            notes.append(f"{label} {message}")
            row.setdefault("status", "No data")
        if problem is None and not observed.empty:
            spec = _tracking_spec(indicator)
            try:
                per_authority = track_indicators(
                    spec, observed, green_threshold=green_threshold, amber_threshold=amber_threshold
                )
            except ValueError as error:  # a definition track_indicators rejects and _definition_problem missed
                warnings.append(
                    {
                        "indicator_id": code,
                        "issue": "invalid definition",
                        "message": f"{label} cannot be tracked: {error}",
                    }
                )
                notes.append(f"{label} cannot be tracked: {error}")
                row["status"] = "Invalid definition"
            else:
                by_authority.append(
                    per_authority.rename(columns={"project": "project_id", "indicator": "indicator_id"}).replace(
                        {"direction": DIRECTION_WORDS}
                    )
                )
                series = _mean_status_by_period(spec, observed, green_threshold, amber_threshold)
                over_time.append(series)
                latest = series.iloc[-1]
                counts = per_authority["status"].value_counts()
                row.update(
                    latest_period=latest["period"],
                    latest_mean=latest["mean"],
                    latest_lowest=latest["lowest"],
                    latest_highest=latest["highest"],
                    progress=latest["progress"],
                    expected_progress=latest["expected_progress"],
                    status=latest["status"],
                    **{f"authorities_{s.lower()}": int(counts.get(s, 0)) for s in ("Green", "Amber", "Red")},
                )
        row["warning"] = " ".join(notes)
        summaries.append(row)
    summary = pd.DataFrame(summaries)
    if summary.empty:
        summary = pd.DataFrame(columns=["indicator_id", "project_id", "name", "level", "status", "warning"])
    else:  # the store's spelling (higher_is_better) in words, as readers of the published table read it
        summary["direction"] = summary["direction"].replace(DIRECTION_WORDS)
    return IndicatorTracking(
        summary=summary,
        by_authority=pd.concat(by_authority, ignore_index=True) if by_authority else pd.DataFrame(),
        over_time=pd.concat(over_time, ignore_index=True)
        if over_time
        else pd.DataFrame(
            columns=[
                "indicator_id",
                "period",
                "mean",
                "authorities",
                "lowest",
                "highest",
                "progress",
                "expected_progress",
                "status",
            ]
        ),
        warnings=pd.DataFrame(warnings, columns=["indicator_id", "issue", "message"]),
    )


def _definition_problem(indicator: pd.Series) -> tuple[str, str, str] | None:
    """(issue, status, message) when an indicator's baseline or target make tracking impossible."""
    if pd.isna(indicator.get("baseline")):
        return (
            "no baseline",
            "No baseline",
            "has NO BASELINE: progress towards its target and a RAG status cannot be computed. "
            "Record the baseline value and the period it refers to.",
        )
    if pd.isna(indicator.get("target")):
        return (
            "no target",
            "No target",
            "has NO TARGET: progress and a RAG status cannot be computed. Record the target and its date.",
        )
    gain = float(indicator["target"]) - float(indicator["baseline"])
    direction = str(indicator.get("direction"))
    lower = direction == "lower_is_better"
    if gain == 0 or (lower and gain > 0) or (not lower and gain < 0):
        return (
            "invalid definition",
            "Invalid definition",
            f"has a target ({indicator['target']:g}) that is not better than its baseline "
            f"({indicator['baseline']:g}) in its direction ({DIRECTION_WORDS.get(direction, '?')}): "
            "correct the definition before tracking.",
        )
    return None


def _mean_status_by_period(
    spec: pd.DataFrame, observed: pd.DataFrame, green_threshold: float, amber_threshold: float
) -> pd.DataFrame:
    """Status of the participants' mean in every period.

    Each period's mean is passed to ``track_indicators`` as its own pseudo-authority (labelled by
    the period), so every period gets the progress and status rule of the per-authority tracking.
    """
    means = observed.groupby("period", sort=True)["value"].agg(["mean", "size", "min", "max"]).reset_index()
    pseudo = pd.DataFrame(
        {
            "indicator": spec["indicator"].iloc[0],
            "authority": means["period"].dt.strftime("%Y-%m-%d"),
            "period": means["period"],
            "value": means["mean"],
        }
    )
    tracked = track_indicators(spec, pseudo, green_threshold=green_threshold, amber_threshold=amber_threshold)
    tracked = tracked.sort_values("period").reset_index(drop=True)
    return pd.DataFrame(
        {
            "indicator_id": tracked["indicator"],
            "period": tracked["period"],
            "mean": tracked["current"],
            "authorities": means.set_index("period")["size"].reindex(tracked["period"]).to_numpy(),
            "lowest": means.set_index("period")["min"].reindex(tracked["period"]).to_numpy(),
            "highest": means.set_index("period")["max"].reindex(tracked["period"]).to_numpy(),
            "progress": tracked["progress"],
            "expected_progress": tracked["expected_progress"],
            "status": tracked["status"],
        }
    )


def yearly_status(over_time: pd.DataFrame) -> pd.DataFrame:
    """The last period of each calendar year from :attr:`IndicatorTracking.over_time` (a readable status history)."""
    if over_time.empty:
        return over_time
    frame = over_time.assign(year=pd.to_datetime(over_time["period"]).dt.year)
    last = frame.sort_values("period").groupby(["indicator_id", "year"], sort=True).tail(1)
    return last.sort_values(["indicator_id", "period"]).reset_index(drop=True)


def tracking_estimates(tracking: IndicatorTracking) -> list[Estimate]:
    """Tidy rows of the indicator summary: term ``progress_to_target`` per indicator (NaN when untrackable).

    ``conf_low``/``conf_high`` hold the lowest and highest progress among participating authorities
    (a range across the population of participants, not a confidence interval); ``method`` gives the
    status and any warning, so a results table never hides an untrackable indicator.
    """
    rows = []
    for _, row in tracking.summary.iterrows():
        lowest, highest = NAN, NAN
        if pd.notna(row.get("latest_mean")) and pd.notna(row.get("baseline")) and pd.notna(row.get("target")):
            span = float(row["target"]) - float(row["baseline"])
            ends = sorted(
                ((row["latest_lowest"] - row["baseline"]) / span, (row["latest_highest"] - row["baseline"]) / span)
            )
            lowest, highest = float(ends[0]), float(ends[1])
        method = (
            f"status {row['status']}; progress of the participants' mean from baseline to target; interval = "
            "range across participating authorities" + (f"; WARNING: {row['warning']}" if row["warning"] else "")
        )
        rows.append(
            Estimate(
                "progress_to_target",
                float(row["progress"]) if pd.notna(row["progress"]) else NAN,
                conf_low=lowest,
                conf_high=highest,
                n=int(row["participants_observed"]),
                method=method,
                group=str(row["indicator_id"]),
            )
        )
    return rows


def describe_indicator(row: pd.Series) -> str:
    """One sentence on an indicator's latest value, progress, range across authorities and status (or its warning).

    Examples
    --------
    >>> row = pd.Series({"indicator_id": "IND03", "name": "Sites connected", "unit": "%", "status": "Amber",
    ...     "participants_observed": 20, "latest_mean": 65.992, "latest_period": "2025-12-01", "latest_lowest": 54.78,
    ...     "latest_highest": 72.2, "progress": 0.668, "baseline": 37.8, "target": 80.0, "expected_progress": 1.0})
    >>> describe_indicator(row)[:93]
    'IND03 (Sites connected): the mean of 20 participating authorities was 65.99% in December 2025'
    """
    label = f"{row['indicator_id']} ({row['name']})"
    if row["status"] in ("No baseline", "No target", "Invalid definition", "No data"):
        return f"{row['status']}: {row['warning']}"
    unit = unit_phrase(row["unit"]).replace("percentage points", "%")
    unit = unit if unit == "%" else f" {unit}"
    return (
        f"{label}: the mean of {numbers.count(row['participants_observed'])} participating authorities was "
        f"{numbers.score(row['latest_mean'])}{unit} in {pd.Timestamp(row['latest_period']):%B %Y} (authorities "
        f"ranged from {numbers.score(row['latest_lowest'])} to {numbers.score(row['latest_highest'])}), "
        f"{numbers.percent(row['progress'])} of the way from the baseline {numbers.number(row['baseline'])} to the "
        f"target {numbers.number(row['target'])} against {numbers.percent(row['expected_progress'])} expected by "
        f"then: {row['status']}."
    )


def event_time_label(term: str, per: str = "month") -> str:
    """A readable label for an event-time term: ``"e=-2"`` -> ``"2 months before"``, ``"e=0"`` -> ``"month joined"``.

    Examples
    --------
    >>> [event_time_label(t) for t in ("e=-1", "e=0", "e=3", "e>=12", "e<=-6")]
    ['1 month before', 'month joined', '3 months after', '12+ months after', '6+ months before']
    """
    prefix, _, number = term.partition("=")
    value = int(number)
    plus = "+" if prefix.endswith(("<", ">")) else ""
    if value == 0:
        return f"{per} joined"
    unit = per if abs(value) == 1 and not plus else f"{per}s"
    return f"{abs(value)}{plus} {unit} {'before' if value < 0 else 'after'}"


def unit_phrase(unit: str) -> str:
    """How an amount of ``unit`` reads in a sentence: "%" changes are percentage points."""
    unit = (unit or "").strip()
    return "percentage points" if unit == "%" else f"({unit})" if " per " in f" {unit} " else unit
