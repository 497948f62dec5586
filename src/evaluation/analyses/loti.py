"""LOTI evaluation: logic models, indicators, impact, value for money and the whole portfolio.

The London Office of Technology and Innovation (LOTI) runs projects with its member authorities.
GLA Economics evaluates each project's effectiveness and outcomes at organisation, community and
economic level, and the value for money of the programme as a whole. This module holds every step
the two LOTI notebooks take, as tested functions:

- **project** (``notebooks/project_evaluation.ipynb``): the logic model (:func:`logic_model`);
  indicators against baseline and target with a RAG status (:func:`track_project_indicators`);
  impact on an authority x period panel (:func:`indicator_panel`, :func:`evaluate_impact`), which
  reports a causal estimate only when :func:`~evaluation.impact.evidence.causal_estimate_permitted`
  allows it and otherwise a contribution analysis with no causal claim; value for money
  (:func:`project_flows`, :func:`appraise_value_for_money`, :func:`simulate_value_for_money`);
- **portfolio** (``notebooks/portfolio_evaluation.ipynb``): participation of the 33 authorities on
  a London tile map (:func:`participation_table`, :func:`tile_map`), who works with whom
  (:func:`co_participation_matrix`, :func:`collaboration_summary`), outcomes by level, the value
  for money of the programme against its annual funding (:func:`core_funding_flows`,
  :func:`programme_value_for_money`) and the member survey (:func:`member_survey_summary`).

Framing: HM Treasury (2020) *Magenta Book* (theory of change, contribution analysis, strength of
evidence on the Maryland Scientific Methods Scale) and HM Treasury (2022) *Green Book* (real
prices, STPR discounting, NPSV and BCR, optimism bias, switching values, Monte Carlo). Methods and
limits in plain English: ``docs/loti-evaluation.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..economics.appraisal import FLOW_COLUMNS, appraise
from ..economics.deflate import financial_year_label
from ..economics.discounting import (
    Schedule,
    benefit_cost_ratio,
    break_even_count,
    optimism_bias_uplift,
    switching_values,
)
from ..economics.monte_carlo import MonteCarloResult, Triangular, simulate_appraisal
from ..impact.did import event_study, randomisation_inference_p, twfe_did, wild_cluster_bootstrap_p
from ..impact.evidence import CausalReportingDecision, SmsRating, causal_estimate_permitted, maryland_sms_level
from ..impact.indicators import track_indicators
from ..impact.staggered import callaway_santanna
from ..reference import london_tile_grid
from ..statistics.disclosure import suppress_small_groups
from ..tidy import NAN, Estimate, to_frame
from .cohort import construct_scores, rating_estimates

if TYPE_CHECKING:
    import plotly.graph_objects as go

ControlGroup = Literal["never_treated", "not_yet_treated"]

#: Logic-model columns of the ``projects`` table and their headings, in the order of a theory of change.
LOGIC_STAGES: tuple[tuple[str, str], ...] = (
    ("logic_inputs", "Inputs"),
    ("logic_activities", "Activities"),
    ("logic_outputs", "Outputs"),
    ("logic_outcomes", "Outcomes"),
    ("logic_impact", "Impact"),
    ("logic_assumptions", "Assumptions"),
)
#: Store spelling of an indicator's direction -> the spelling of :mod:`evaluation.impact.indicators`.
DIRECTIONS: dict[str, str] = {"higher_is_better": "higher is better", "lower_is_better": "lower is better"}
LEVELS: tuple[str, ...] = ("organisation", "community", "economic")
#: Every status an indicator can get, in reading order. "No baseline", "No target" and "Invalid
#: definition" are not RAG ratings: they mark indicators that cannot be tracked until fixed.
STATUSES: tuple[str, ...] = ("Green", "Amber", "Red", "No data", "No baseline", "No target", "Invalid definition")
#: Annual core funding of LOTI besides the member fees (GBP, nominal).
GLA_ANNUAL_GBP = 100_000.0
LONDON_COUNCILS_ANNUAL_GBP = 100_000.0
MEMBER_SURVEY = "loti-member-survey"
CORE_FUNDING = "LOTI core funding"
#: Term names of causal estimates; a project without a permitted causal design publishes none of them.
CAUSAL_TERMS: tuple[str, ...] = (
    "att_callaway_santanna", "att_twfe", "att_twfe_wild_bootstrap", "att_twfe_randomisation",
)
_STATUS_COLOURS = {
    "Green": "#28A197", "Amber": "#F46A25", "Red": "#801650", "No data": "#BFBFBF",
    "No baseline": "#3D3D3D", "No target": "#3D3D3D", "Invalid definition": "#3D3D3D",
}


# ----------------------------------------------------------------------------------------------
# (a) The project and its logic model
# ----------------------------------------------------------------------------------------------


def _one_project(projects: pd.DataFrame, project_id: str) -> pd.Series:
    rows = projects[projects["project_id"] == project_id]
    if rows.empty:
        raise ValueError(f"no project {project_id!r} in the projects table")
    return rows.iloc[0]


def logic_model(projects: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """The project's logic model (theory of change) as a small table.

    Parameters
    ----------
    projects : pandas.DataFrame
        The ``projects`` table (``project_id`` and the ``logic_*`` columns).
    project_id : str
        The project.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage`` (Inputs, Activities, Outputs, Outcomes, Impact, Assumptions) and
        ``description``; an empty description reads "(not recorded)".

    References
    ----------
    HM Treasury (2020) *Magenta Book*, ch. 2 (theories of change and logic models).

    Examples
    --------
    >>> projects = pd.DataFrame({"project_id": ["P1"], **{c: [h + " text"] for c, h in LOGIC_STAGES}})
    >>> logic_model(projects, "P1")["stage"].tolist()
    ['Inputs', 'Activities', 'Outputs', 'Outcomes', 'Impact', 'Assumptions']
    """
    project = _one_project(projects, project_id)
    return pd.DataFrame({
        "stage": [heading for _, heading in LOGIC_STAGES],
        "description": [
            str(project[column]) if column in project.index and pd.notna(project[column]) and str(project[column])
            else "(not recorded)"
            for column, _ in LOGIC_STAGES
        ],
    })


def project_summary(projects: pd.DataFrame, project_authorities: pd.DataFrame, authorities: pd.DataFrame,
                    project_id: str) -> pd.DataFrame:
    """Key facts of a project (title, workstream, lead, stage, dates, budget, participants) as ``field, value``."""
    project = _one_project(projects, project_id)
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    mine = project_authorities[project_authorities["project_id"] == project_id]

    def day(value: object) -> str:
        return pd.Timestamp(value).strftime("%d %B %Y") if pd.notna(value) else "(open)"

    joined = mine["joined_on"].dropna()
    joining = (f"{day(joined.min())} to {day(joined.max())}" if joined.nunique() > 1
               else day(joined.min()) if len(joined) else "(none)")
    facts = [
        ("Project", f"{project_id}: {project['title']}"),
        ("Workstream", project["workstream"]),
        ("Lead authority", names.get(project["lead_authority"], project["lead_authority"])),
        ("Stage", project["stage"]),
        ("Start", day(project["start_date"])),
        ("End", day(project.get("end_date"))),
        ("Budget (GBP, nominal)", f"£{float(project['budget_gbp']):,.0f}"),
        ("Participating authorities", str(mine["authority_code"].nunique())),
        ("Joined", joining),
    ]
    return pd.DataFrame(facts, columns=["field", "value"])


# ----------------------------------------------------------------------------------------------
# (b) Indicators against baseline and target
# ----------------------------------------------------------------------------------------------


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
        (``authorities_green`` ...) and ``warning`` (empty when there is none).
    by_authority : pandas.DataFrame
        :func:`~evaluation.impact.indicators.track_indicators` rows of every trackable indicator:
        each participating authority's latest value, progress and status.
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
        table = table.reindex(index=[lv for lv in LEVELS if lv in table.index] +
                              [lv for lv in table.index if lv not in LEVELS],
                              columns=[s for s in STATUSES if s in table.columns])
        table["Total"] = table.sum(axis=1)
        table.index.name, table.columns.name = "level", None
        return table.reset_index()


def _tracking_spec(indicator: pd.Series) -> pd.DataFrame:
    """One store indicator in the layout of :func:`~evaluation.impact.indicators.track_indicators`."""
    return pd.DataFrame({
        "project": [indicator["project_id"]], "indicator": [indicator["indicator_id"]],
        "level": [indicator["level"]], "unit": [indicator["unit"]],
        "direction": [DIRECTIONS.get(indicator["direction"], indicator["direction"])],
        "baseline": [indicator["baseline"]], "target": [indicator["target"]],
        "baseline_period": pd.to_datetime(pd.Series([indicator.get("baseline_period")])),
        "target_period": pd.to_datetime(pd.Series([indicator.get("target_period")])),
    })


def _participant_observations(observations: pd.DataFrame, project_authorities: pd.DataFrame,
                              indicator_id: str, project_id: str) -> pd.DataFrame:
    """Observations of an indicator in authorities taking part in its project (``track_indicators`` layout)."""
    participants = set(project_authorities.loc[project_authorities["project_id"] == project_id, "authority_code"])
    mine = observations[(observations["indicator_id"] == indicator_id)
                        & observations["authority_code"].isin(participants)]
    return pd.DataFrame({"indicator": mine["indicator_id"].astype(object), "authority": mine["authority_code"],
                         "period": pd.to_datetime(mine["period"]), "value": mine["value"].astype(float)})


def track_project_indicators(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    project_authorities: pd.DataFrame,
    *,
    as_of: object = None,
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
        row = {column: indicator.get(column) for column in (
            "indicator_id", "project_id", "name", "level", "unit", "direction", "baseline", "target",
            "target_period")}
        row.update(participants_observed=int(observed["authority"].nunique()), latest_period=pd.NaT,
                   latest_mean=NAN, latest_lowest=NAN, latest_highest=NAN, progress=NAN, expected_progress=NAN,
                   **{f"authorities_{s.lower()}": 0 for s in ("Green", "Amber", "Red")})
        problem = _definition_problem(indicator)
        notes = []
        if problem is not None:
            issue, status, message = problem
            warnings.append({"indicator_id": code, "issue": issue, "message": f"{label} {message}"})
            notes.append(f"{label} {message}")
            row["status"] = status
        if observed.empty:
            message = ("has no observations for the authorities taking part: nothing can be reported on it "
                       "until data are collected.")
            warnings.append({"indicator_id": code, "issue": "no observations", "message": f"{label} {message}"})
            notes.append(f"{label} {message}")
            row.setdefault("status", "No data")
        if problem is None and not observed.empty:
            spec = _tracking_spec(indicator)
            try:
                per_authority = track_indicators(spec, observed, green_threshold=green_threshold,
                                                 amber_threshold=amber_threshold)
            except ValueError as error:  # a definition track_indicators rejects and _definition_problem missed
                warnings.append({"indicator_id": code, "issue": "invalid definition",
                                 "message": f"{label} cannot be tracked: {error}"})
                notes.append(f"{label} cannot be tracked: {error}")
                row["status"] = "Invalid definition"
            else:
                by_authority.append(per_authority.rename(columns={"project": "project_id",
                                                                  "indicator": "indicator_id"}))
                series = _mean_status_by_period(spec, observed, green_threshold, amber_threshold)
                over_time.append(series)
                latest = series.iloc[-1]
                counts = per_authority["status"].value_counts()
                row.update(latest_period=latest["period"], latest_mean=latest["mean"], latest_lowest=latest["lowest"],
                           latest_highest=latest["highest"],
                           progress=latest["progress"], expected_progress=latest["expected_progress"],
                           status=latest["status"],
                           **{f"authorities_{s.lower()}": int(counts.get(s, 0)) for s in ("Green", "Amber", "Red")})
        row["warning"] = " ".join(notes)
        summaries.append(row)
    summary = pd.DataFrame(summaries)
    if summary.empty:
        summary = pd.DataFrame(columns=["indicator_id", "project_id", "name", "level", "status", "warning"])
    return IndicatorTracking(
        summary=summary,
        by_authority=pd.concat(by_authority, ignore_index=True) if by_authority else pd.DataFrame(),
        over_time=pd.concat(over_time, ignore_index=True) if over_time else pd.DataFrame(
            columns=["indicator_id", "period", "mean", "authorities", "lowest", "highest", "progress",
                     "expected_progress", "status"]),
        warnings=pd.DataFrame(warnings, columns=["indicator_id", "issue", "message"]),
    )


def _definition_problem(indicator: pd.Series) -> tuple[str, str, str] | None:
    """(issue, status, message) when an indicator's baseline or target make tracking impossible."""
    if pd.isna(indicator.get("baseline")):
        return ("no baseline", "No baseline",
                "has NO BASELINE: progress towards its target and a RAG status cannot be computed. "
                "Record the baseline value and the period it refers to.")
    if pd.isna(indicator.get("target")):
        return ("no target", "No target",
                "has NO TARGET: progress and a RAG status cannot be computed. Record the target and its date.")
    gain = float(indicator["target"]) - float(indicator["baseline"])
    lower = indicator.get("direction") == "lower_is_better"
    if gain == 0 or (lower and gain > 0) or (not lower and gain < 0):
        return ("invalid definition", "Invalid definition",
                f"has a target ({indicator['target']:g}) that is not better than its baseline "
                f"({indicator['baseline']:g}) in its direction ({DIRECTIONS.get(indicator.get('direction'), '?')}): "
                "correct the definition before tracking.")
    return None


def _mean_status_by_period(spec: pd.DataFrame, observed: pd.DataFrame, green_threshold: float,
                           amber_threshold: float) -> pd.DataFrame:
    """Status of the participants' mean in every period.

    Each period's mean is passed to ``track_indicators`` as its own pseudo-authority (labelled by
    the period), so every period gets the progress and status rule of the per-authority tracking.
    """
    means = observed.groupby("period", sort=True)["value"].agg(["mean", "size", "min", "max"]).reset_index()
    pseudo = pd.DataFrame({"indicator": spec["indicator"].iloc[0], "authority": means["period"].dt.strftime("%Y-%m-%d"),
                           "period": means["period"], "value": means["mean"]})
    tracked = track_indicators(spec, pseudo, green_threshold=green_threshold, amber_threshold=amber_threshold)
    tracked = tracked.sort_values("period").reset_index(drop=True)
    return pd.DataFrame({
        "indicator_id": tracked["indicator"], "period": tracked["period"], "mean": tracked["current"],
        "authorities": means.set_index("period")["size"].reindex(tracked["period"]).to_numpy(),
        "lowest": means.set_index("period")["min"].reindex(tracked["period"]).to_numpy(),
        "highest": means.set_index("period")["max"].reindex(tracked["period"]).to_numpy(),
        "progress": tracked["progress"], "expected_progress": tracked["expected_progress"],
        "status": tracked["status"],
    })


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
            ends = sorted(((row["latest_lowest"] - row["baseline"]) / span,
                           (row["latest_highest"] - row["baseline"]) / span))
            lowest, highest = float(ends[0]), float(ends[1])
        method = f"status {row['status']}; progress of the participants' mean from baseline to target; interval = " \
                 "range across participating authorities" + (f"; WARNING: {row['warning']}" if row["warning"] else "")
        rows.append(Estimate("progress_to_target", float(row["progress"]) if pd.notna(row["progress"]) else NAN,
                             conf_low=lowest, conf_high=highest, n=int(row["participants_observed"]), method=method,
                             group=str(row["indicator_id"])))
    return rows


def describe_indicator(row: pd.Series) -> str:
    """One sentence on an indicator's latest value, progress, range across authorities and status (or its warning)."""
    label = f"{row['indicator_id']} ({row['name']})"
    if row["status"] in ("No baseline", "No target", "Invalid definition", "No data"):
        return f"{row['status'].upper()}: {row['warning']}"
    unit = _unit_phrase(row["unit"]).replace("percentage points", "%")
    return (f"{label}: the mean of {row['participants_observed']} participating authorities was "
            f"{row['latest_mean']:.2f} {unit} in {pd.Timestamp(row['latest_period']):%B %Y} (authorities ranged from "
            f"{row['latest_lowest']:.2f} to {row['latest_highest']:.2f}), {row['progress']:.0%} of the way from the "
            f"baseline {row['baseline']:g} to the target {row['target']:g} against {row['expected_progress']:.0%} "
            f"expected by then: {row['status']}.")


def event_time_label(term: str, per: str = "month") -> str:
    """A readable label for an event-time term: ``"e=-2"`` -> ``"2 months before"``, ``"e=0"`` -> ``"month joined"``.

    Examples
    --------
    >>> [event_time_label(t) for t in ("e=-1", "e=0", "e=3", "e>=12", "e<=-6")]
    ['1 month before (reference)', 'month joined', '3 months after', '12+ months after', '6+ months before']
    """
    prefix, _, number = term.partition("=")
    value = int(number)
    plus = "+" if prefix.endswith(("<", ">")) else ""
    if value == 0:
        return f"{per} joined"
    unit = per if abs(value) == 1 and not plus else f"{per}s"
    text = f"{abs(value)}{plus} {unit} {'before' if value < 0 else 'after'}"
    return text + " (reference)" if value == -1 and not plus else text


# ----------------------------------------------------------------------------------------------
# (c) The authority x period panel and the impact evaluation
# ----------------------------------------------------------------------------------------------


def indicator_panel(observations: pd.DataFrame, project_authorities: pd.DataFrame, indicator_id: str,
                    project_id: str) -> pd.DataFrame:
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
    data = pd.DataFrame({"authority_code": mine["authority_code"].astype(object),
                         "period": pd.to_datetime(mine["period"]), "value": mine["value"].astype(float)})
    if data.duplicated(["authority_code", "period"]).any():
        raise ValueError(f"indicator {indicator_id!r} has more than one observation for an authority and period")
    periods = np.sort(data["period"].unique())
    data["t"] = np.searchsorted(periods, data["period"].to_numpy()) + 1
    joined = (project_authorities[project_authorities["project_id"] == project_id]
              .groupby("authority_code")["joined_on"].min())
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
    """"month", "quarter", "year" or "period": the spacing of the panel's periods, for sentences."""
    periods = np.sort(pd.to_datetime(panel["period"]).unique())
    if len(periods) < 2:
        return "period"
    days = pd.Timedelta(np.median(np.diff(periods))).days
    return "month" if 27 <= days <= 31 else "quarter" if 88 <= days <= 93 else "year" if 360 <= days <= 366 \
        else "period"


@dataclass(frozen=True)
class ImpactResult:
    """Impact of a project on one indicator: causal estimates only where the design permits them.

    Attributes
    ----------
    indicator_id, indicator_name, unit, direction : str
        The indicator (``direction`` in store spelling).
    decision : CausalReportingDecision
        Whether a causal estimate may be reported, and why (not).
    sms : SmsRating
        Strength of evidence on the Maryland Scientific Methods Scale.
    causal : list of Estimate
        Headline estimates, terms in :data:`CAUSAL_TERMS`; **empty** unless permitted.
    event_study, dynamic : list of Estimate
        TWFE event study with its pre-trend Wald test, and Callaway-Sant'Anna effects by event
        time; empty unless permitted.
    descriptive : list of Estimate
        Trend of participants and (with a comparison group) the naive post-period gap: never causal.
    context : list of Estimate
        ``causal_estimate_permitted`` (1/0) and ``sms_level`` rows, for the results table.
    narrative : str
        Plain-English findings, or the contribution analysis that makes no causal claim.
    warnings : list of str
    """

    indicator_id: str
    indicator_name: str
    unit: str
    direction: str
    decision: CausalReportingDecision
    sms: SmsRating
    causal: list[Estimate] = field(default_factory=list)
    event_study: list[Estimate] = field(default_factory=list)
    dynamic: list[Estimate] = field(default_factory=list)
    descriptive: list[Estimate] = field(default_factory=list)
    context: list[Estimate] = field(default_factory=list)
    narrative: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def headline(self) -> Estimate | None:
        """The heterogeneity-robust ATT (Callaway-Sant'Anna), or None when no causal estimate is permitted."""
        return next((e for e in self.causal if e.term == "att_callaway_santanna"), None)

    def estimates(self) -> list[Estimate]:
        """Every row to publish, labelled with the indicator."""
        return [*self.context, *self.causal, *self.event_study, *self.dynamic, *self.descriptive]


def _label(estimates: Iterable[Estimate], *, group: str, term: str | None = None) -> list[Estimate]:
    return [replace(e, group=group, **({"term": term} if term is not None else {})) for e in estimates]


def participant_trend(panel: pd.DataFrame, *, alpha: float = 0.05, after_joining: bool = True) -> Estimate:
    """Average change per period of participants' indicator (descriptive, never causal).

    OLS of the value on the period number with authority fixed effects, standard errors
    clustered by authority (CR1) and a t(G - 1) interval; with ``after_joining`` only periods
    from each authority's first treated period on.

    Returns
    -------
    Estimate
        Term ``trend_per_period`` (a ``descriptive`` label in ``method``).
    """
    data = panel[panel["participant"]]
    if after_joining:
        data = data[data["treated"] == 1]
    data = data.dropna(subset=["value"])
    within = data.groupby("authority_code")["t"].nunique()
    if data["authority_code"].nunique() < 2 or not (within > 1).any():  # no authority observed twice: no trend
        return Estimate("trend_per_period", NAN, n=len(data), method="descriptive trend: too few observations")
    exog = pd.concat([data["t"].astype(float).rename("t"),
                      pd.get_dummies(data["authority_code"], drop_first=True, dtype=float)], axis=1)
    exog.insert(0, "const", 1.0)
    groups = pd.factorize(data["authority_code"])[0]
    fit = sm.OLS(data["value"].to_numpy(float), exog).fit(method="qr", cov_type="cluster",  # QR: no SVD
                                                          cov_kwds={"groups": groups}, use_t=True)
    low, high = fit.conf_int(alpha=alpha).loc["t"]
    n_clusters = data["authority_code"].nunique()
    return Estimate("trend_per_period", float(fit.params["t"]), std_error=float(fit.bse["t"]),
                    statistic=float(fit.tvalues["t"]), p_value=float(fit.pvalues["t"]), conf_low=float(low),
                    conf_high=float(high), n=len(data),
                    method=(f"descriptive trend of participants "
                            f"({'after joining' if after_joining else 'all periods'}): OLS on period with "
                            f"authority fixed effects, CR1 SE clustered by authority ({n_clusters} clusters); "
                            "NOT a causal estimate"))


def naive_post_comparison(panel: pd.DataFrame, *, alpha: float = 0.05) -> Estimate | None:
    """Gap between participants after joining and never-participants in the same periods (descriptive).

    OLS of the value on a participant dummy with period fixed effects, over participants' treated
    authority-periods and never-treated authorities in those periods; CR1 errors by authority. It
    mixes any effect with pre-existing differences in level (selection), which is exactly what
    difference-in-differences removes: shown only to make that contrast visible. None without
    a never-treated comparison group.
    """
    treated = panel[panel["treated"] == 1]
    never = panel[panel["first_treated"].isna() & panel["t"].isin(treated["t"].unique())]
    if treated.empty or never["authority_code"].nunique() < 2:
        return None
    data = pd.concat([treated.assign(group=1.0), never.assign(group=0.0)], ignore_index=True)
    exog = pd.concat([data["group"], pd.get_dummies(data["t"], prefix="t", drop_first=True, dtype=float)], axis=1)
    exog.insert(0, "const", 1.0)
    groups = pd.factorize(data["authority_code"])[0]
    fit = sm.OLS(data["value"].to_numpy(float), exog).fit(method="qr", cov_type="cluster",  # QR: no SVD
                                                          cov_kwds={"groups": groups}, use_t=True)
    low, high = fit.conf_int(alpha=alpha).loc["group"]
    return Estimate("naive_post_comparison", float(fit.params["group"]), std_error=float(fit.bse["group"]),
                    statistic=float(fit.tvalues["group"]), p_value=float(fit.pvalues["group"]),
                    conf_low=float(low), conf_high=float(high), n=len(data),
                    method=("descriptive: participants after joining minus never-participants in the same periods, "
                            "period fixed effects, CR1 SE by authority; includes pre-existing differences, "
                            "NOT a causal estimate"))


def _balanced(panel: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The panel restricted to authorities observed in every period, and the authorities dropped."""
    n_periods = panel["t"].nunique()
    counts = panel.groupby("authority_code")["t"].nunique()
    dropped = sorted(counts.index[counts < n_periods])
    return panel[~panel["authority_code"].isin(dropped)], dropped


def evaluate_impact(
    panel: pd.DataFrame,
    *,
    indicator_id: str,
    indicator_name: str,
    unit: str = "",
    direction: str = "higher_is_better",
    control_group: ControlGroup = "never_treated",
    alpha: float = 0.05,
    leads: int = 6,
    lags: int = 12,
    bootstrap_reps: int = 999,
    permutations: int = 999,
    seed: int = 0,
    min_comparison_units: int = 5,
    min_pre_periods: int = 2,
    quasi_random_timing: bool = False,
    logic: pd.DataFrame | None = None,
) -> ImpactResult:
    """Impact of taking part in a project on one indicator, or a contribution analysis if not identified.

    1. :func:`~evaluation.impact.evidence.causal_estimate_permitted` decides from the panel
       whether every adoption cohort has enough comparison authorities and pre-periods.
    2. **If permitted**: Callaway & Sant'Anna ATT (headline, robust to staggered adoption with
       effects that change over time) and its event-time path; static TWFE DiD with CR1 errors
       clustered by authority, its restricted wild cluster bootstrap-t p-value (Rademacher, or
       Webb weights with fewer than 12 authorities) and a randomisation-inference p-value
       (both seeded); a TWFE event study with binned endpoints and a joint pre-trend Wald test;
       the Maryland SMS rating from the design actually used.
    3. **If not**: no causal estimate at all; the reason, a descriptive trend of participants (and
       the naive gap with non-participants where one exists), and a contribution-analysis narrative.

    Parameters
    ----------
    panel : pandas.DataFrame
        Output of :func:`indicator_panel`.
    indicator_id, indicator_name, unit, direction : str
        Describe the indicator (``direction`` as in the store: ``higher_is_better`` or ``lower_is_better``).
    control_group : {"never_treated", "not_yet_treated"}
        Comparison authorities for the permission check and Callaway-Sant'Anna.
    alpha : float
        Intervals have coverage ``1 - alpha``.
    leads, lags : int
        Event-time window (endpoints binned) of the event study and of the dynamic effects shown.
    bootstrap_reps, permutations : int
        Wild cluster bootstrap replicates and randomisation-inference permutations (0 skips that test).
    seed : int
        Seed of both resampling schemes.
    min_comparison_units, min_pre_periods : int
        Passed to :func:`~evaluation.impact.evidence.causal_estimate_permitted`.
    quasi_random_timing : bool
        Whether adoption timing is argued (elsewhere) to be as good as random: needed for SMS 4.
    logic : pandas.DataFrame, optional
        Output of :func:`logic_model`, quoted in the contribution analysis.

    Returns
    -------
    ImpactResult

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021) *Journal of Econometrics* 225(2), 200-230.
    Roodman, D. et al. (2019) Fast and wild. *Stata Journal* 19(1), 4-60. HM Treasury (2020)
    *Magenta Book*. Madaleno, M. & Waights, S., *Guide to scoring methods using the Maryland
    Scientific Methods Scale*, What Works Centre for Local Economic Growth.
    """
    args = ("value", "authority_code", "t")
    decision = causal_estimate_permitted(panel, "authority_code", "t", "first_treated", control_group=control_group,
                                         min_comparison_units=min_comparison_units, min_pre_periods=min_pre_periods)
    per = period_unit(panel)
    group = f"{indicator_id}"
    warnings: list[str] = []
    participants = panel.loc[panel["participant"], "authority_code"].nunique()
    comparison = panel.loc[panel["first_treated"].isna(), "authority_code"].nunique()
    context = [Estimate("causal_estimate_permitted", float(decision.permitted), n=panel["authority_code"].nunique(),
                        method=decision.reason, group=group)]
    trend = replace(participant_trend(panel, alpha=alpha), group=f"{indicator_id} descriptive (no causal claim)")
    naive = naive_post_comparison(panel, alpha=alpha)
    descriptive = [trend] + ([replace(naive, group=f"{indicator_id} descriptive (no causal claim)")] if naive else [])

    def contribution(decision: CausalReportingDecision) -> ImpactResult:
        """The result when no causal estimate may be reported."""
        before_after = bool((panel["participant"] & (panel["treated"] == 0)).any())
        sms = maryland_sms_level(comparison_group=False, before_and_after=before_after)
        rows = [replace(context[0], estimate=0.0, method=decision.reason), _sms_row(sms, group)]
        narrative = contribution_narrative(panel, decision=decision, trend=trend, indicator_name=indicator_name,
                                           unit=unit, logic=logic, per=per)
        return ImpactResult(indicator_id, indicator_name, unit, direction, decision, sms, descriptive=descriptive,
                            context=rows, narrative=narrative, warnings=warnings)

    if not decision.permitted:
        return contribution(decision)

    treated_authorities = panel.loc[panel["first_treated"].notna(), "authority_code"].nunique()
    cohorts = panel.loc[panel["first_treated"].notna(), "first_treated"].nunique()
    balanced, dropped = _balanced(panel)
    if dropped:
        warnings.append(f"{len(dropped)} authorities are not observed in every period and are left out of the "
                        f"Callaway-Sant'Anna estimates (which need a balanced panel): {', '.join(dropped)}.")
    try:
        cs = callaway_santanna(balanced, *args, "first_treated", control_group=control_group, alpha=alpha)
    except ValueError as error:  # e.g. balancing left a cohort without pre-periods or comparisons
        return contribution(CausalReportingDecision(
            False, f"a causal estimate should not be reported: the heterogeneity-robust estimator cannot be computed "
                   f"on the authorities observed in every period ({error}). Report a contribution analysis instead: "
                   "set out the theory of change, track indicators against baseline and target, and weigh other "
                   "explanations, without attributing the change to the project."))
    dynamic = [e for e in callaway_santanna(balanced, *args, "first_treated", control_group=control_group,
                                            base_period="universal", aggregation="dynamic", alpha=alpha)
               if -leads <= int(e.term.split("=")[1]) <= lags]
    twfe = twfe_did(panel, *args, "treated", alpha=alpha)
    weights = "webb" if panel["authority_code"].nunique() < 12 else "rademacher"
    wild = (wild_cluster_bootstrap_p(panel, *args, "treated", reps=bootstrap_reps, weights=weights, seed=seed)
            if bootstrap_reps > 0 else [])
    permuted = randomisation_inference_p(panel, *args, "first_treated", reps=permutations, seed=seed) \
        if permutations > 0 else []
    try:
        events = event_study(panel, *args, "first_treated", leads=leads, lags=lags, alpha=alpha)
    except ValueError as error:
        events = []
        warnings.append(f"event study not estimated ({error}); no pre-trend test.")
    wald = next((e for e in events if e.term == "pre_trend_wald"), None)
    sms = maryland_sms_level(comparison_group=True, before_and_after=True, quasi_random_variation=quasi_random_timing,
                             pre_trend_p_value=None if wald is None else wald.p_value,
                             staggered_adoption=cohorts > 1, heterogeneity_robust=True)
    context.append(_sms_row(sms, group))
    causal = [
        *_label(cs, group=group, term="att_callaway_santanna"),
        *_label(twfe, group=group, term="att_twfe"),
        *_label(wild, group=group, term="att_twfe_wild_bootstrap"),
        *_label(permuted, group=group, term="att_twfe_randomisation"),
    ]
    result = ImpactResult(
        indicator_id, indicator_name, unit, direction, decision, sms, causal=causal,
        event_study=_label(events, group=f"{indicator_id} event study (TWFE)"),
        dynamic=_label(dynamic, group=f"{indicator_id} effect by {per}s since joining (Callaway-Sant'Anna)"),
        descriptive=descriptive, context=context, warnings=warnings,
    )
    narrative = impact_narrative(result, participants=participants, treated=treated_authorities,
                                 comparison=comparison, cohorts=cohorts, control_group=control_group, alpha=alpha,
                                 per=per)
    return replace(result, narrative=narrative)


def project_impacts(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    project_authorities: pd.DataFrame,
    project_id: str,
    *,
    logic: pd.DataFrame | None = None,
    **options: object,
) -> dict[str, tuple[pd.DataFrame, ImpactResult]]:
    """:func:`evaluate_impact` for every indicator of a project that has observations.

    Returns ``{indicator_id: (panel, result)}`` in indicator order; indicators without
    observations are absent (their warnings come from :func:`track_project_indicators`).
    ``options`` are passed to :func:`evaluate_impact`.
    """
    mine = indicators[indicators["project_id"] == project_id].sort_values("indicator_id")
    observed = set(observations.loc[observations["value"].notna(), "indicator_id"])
    results = {}
    for _, indicator in mine.iterrows():
        code = indicator["indicator_id"]
        if code not in observed:
            continue
        panel = indicator_panel(observations, project_authorities, code, project_id)
        results[code] = (panel, evaluate_impact(panel, indicator_id=code, indicator_name=indicator["name"],
                                                unit=indicator["unit"], direction=indicator["direction"],
                                                logic=logic, **options))  # type: ignore[arg-type]
    return results


def causal_findings_table(impacts: dict[str, ImpactResult], projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator analysed: whether a causal estimate is permitted and, if so, the headline.

    ``impacts`` maps indicator ids to results (e.g. from :func:`project_impacts` of every project).
    Columns ``indicator_id``, ``indicator``, ``permitted``, ``att``, ``conf_low``, ``conf_high``,
    ``sms_level`` and ``finding`` (a sentence, or the reason no causal claim is made).
    """
    rows = []
    for code, result in impacts.items():
        head = result.headline
        finding = (describe_effect(head, indicator_name=result.indicator_name, unit=result.unit,
                                   direction=result.direction) if head is not None
                   else f"No causal claim: {result.decision.reason}")
        rows.append({"indicator_id": code, "indicator": result.indicator_name, "permitted": result.decision.permitted,
                     "att": head.estimate if head else NAN, "conf_low": head.conf_low if head else NAN,
                     "conf_high": head.conf_high if head else NAN,
                     "sms_level": result.sms.level if result.sms.level is not None else NAN, "finding": finding})
    return pd.DataFrame(rows, columns=["indicator_id", "indicator", "permitted", "att", "conf_low", "conf_high",
                                       "sms_level", "finding"])


def _twfe_verdict(twfe: Estimate, head: Estimate, gap: float, cohorts: int) -> str:
    """How the static TWFE estimate relates to the headline, as the end of a sentence."""
    if cohorts > 1 and abs(gap) > 0.05 * max(abs(head.estimate), 1e-9):
        return (f", {abs(gap):.2f} {'below' if gap < 0 else 'above'} the headline: with staggered adoption and effects "
                "that change over time TWFE also compares later adopters with earlier ones, whose outcomes are still "
                "moving, and can be biased, so the headline is preferred.")
    if twfe.conf_low <= head.conf_high and head.conf_low <= twfe.conf_high:
        return "; its interval overlaps the headline's, so the two agree within sampling error."
    return ("; it differs from the headline beyond sampling error: TWFE compares with the average of all periods "
            "before joining, Callaway-Sant'Anna with the period just before, so look for changes just before "
            "joining or trends that are not parallel.")


def _sms_row(sms: SmsRating, group: str) -> Estimate:
    return Estimate("sms_level", float(sms.level) if sms.level is not None else NAN,
                    method=f"Maryland SMS: {sms.description}; {sms.reason}", group=group)


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def _unit_phrase(unit: str) -> str:
    """How an amount of ``unit`` reads in a sentence: "%" changes are percentage points."""
    unit = (unit or "").strip()
    return "percentage points" if unit == "%" else f"({unit})" if " per " in f" {unit} " else unit


def _ci(estimate: Estimate, digits: int = 2, alpha: float = 0.05) -> str:
    return f"{1 - alpha:.0%} CI {estimate.conf_low:.{digits}f} to {estimate.conf_high:.{digits}f}"


def describe_effect(estimate: Estimate, *, indicator_name: str, unit: str, direction: str,
                    alpha: float = 0.05) -> str:
    """One sentence: the effect of taking part, its interval and what it means.

    Examples
    --------
    >>> e = Estimate("att", 6.5, conf_low=5.9, conf_high=7.1, n=33)
    >>> describe_effect(e, indicator_name="Sites connected", unit="%", direction="higher_is_better")[:61]
    'Taking part raised sites connected by 6.50 percentage points '
    """
    if estimate is None or not np.isfinite(estimate.estimate):
        return f"No effect on {indicator_name.lower()} could be estimated."
    moved = "raised" if estimate.estimate > 0 else "lowered" if estimate.estimate < 0 else "did not change"
    better = (estimate.estimate > 0) == (direction == "higher_is_better")
    excludes_zero = estimate.conf_low > 0 or estimate.conf_high < 0
    meaning = (f"the interval excludes zero, so the indicator {'improved' if better else 'worsened'} because of "
               "the project, if parallel trends hold" if excludes_zero else
               "the interval includes zero, so the data cannot distinguish the effect from no effect")
    return (f"Taking part {moved} {indicator_name.lower()} by {abs(estimate.estimate):.2f} {_unit_phrase(unit)} "
            f"on average ({_ci(estimate, alpha=alpha)}): {meaning}.")


def describe_trend(estimate: Estimate, *, indicator_name: str, unit: str, per: str = "month",
                   alpha: float = 0.05) -> str:
    """One sentence on a descriptive trend, saying plainly that it is not an effect."""
    if not np.isfinite(estimate.estimate):
        return f"There are too few observations to describe the trend of {indicator_name.lower()}."
    direction = "rose" if estimate.estimate > 0 else "fell"
    return (f"Among participants, {indicator_name.lower()} {direction} by {abs(estimate.estimate):.3f} "
            f"{_unit_phrase(unit)} a {per} on average ({_ci(estimate, 3, alpha)}): a description of what happened, "
            "not an effect of the project.")


def contribution_narrative(panel: pd.DataFrame, *, decision: CausalReportingDecision, trend: Estimate,
                           indicator_name: str, unit: str, logic: pd.DataFrame | None = None,
                           per: str = "month") -> str:
    """The contribution analysis reported when a causal estimate is not permitted (no causal claim).

    States why no causal estimate is reported, what participants' indicator did (descriptive),
    what the logic model expected and assumed, and which other explanations must be weighed.
    """
    participants = panel[panel["participant"]]
    lines = [f"NO CAUSAL CLAIM IS MADE for {indicator_name.lower()}. Reason: {decision.reason}"]
    if not participants.empty:
        by_period = participants.groupby("period")["value"].mean()
        first, last = by_period.index.min(), by_period.index.max()
        lines.append(
            f"What the data show: across the {participants['authority_code'].nunique()} participating authorities "
            f"observed, the mean was {by_period.loc[first]:.2f} {unit} in {first:%B %Y} and {by_period.loc[last]:.2f} "
            f"{unit} in {last:%B %Y}. {describe_trend(trend, indicator_name=indicator_name, unit=unit, per=per)}")
    if logic is not None:
        text = dict(zip(logic["stage"], logic["description"], strict=True))
        lines.append(f"The logic model expects: {text.get('Outcomes', '(not recorded)')} "
                     f"It assumes: {text.get('Assumptions', '(not recorded)')}")
    lines.append(
        "To judge the project's contribution, weigh this against other explanations (London-wide or national "
        "trends, other programmes, changes in how the indicator is recorded), test each step of the logic model "
        "with evidence from participants (interviews, case studies, documents), and plan a comparison group "
        "(authorities not yet taking part, observed before and after) for the next round.")
    return "\n\n".join(lines)


def impact_narrative(result: ImpactResult, *, participants: int, treated: int, comparison: int, cohorts: int,
                     control_group: str, alpha: float = 0.05, per: str = "month") -> str:
    """Plain-English findings of a permitted impact analysis, one sentence per finding."""
    head = result.headline
    twfe = next((e for e in result.causal if e.term == "att_twfe"), None)
    wild = next((e for e in result.causal if e.term == "att_twfe_wild_bootstrap"), None)
    permuted = next((e for e in result.causal if e.term == "att_twfe_randomisation"), None)
    wald = next((e for e in result.event_study if e.term == "pre_trend_wald"), None)
    controls = "never-treated" if control_group == "never_treated" else "not-yet-treated (and never-treated)"
    lines = [
        f"Design: {treated} participating authorities in {cohorts} adoption cohort(s) against {controls} "
        f"comparison authorities ({comparison} never take part), before and after joining "
        f"(difference-in-differences). {_sentence(result.decision.reason)}",
        "Headline (Callaway-Sant'Anna, robust to staggered adoption): "
        + describe_effect(head, indicator_name=result.indicator_name, unit=result.unit, direction=result.direction,
                          alpha=alpha),
    ]
    if twfe is not None:
        gap = twfe.estimate - head.estimate
        tests = [f"wild cluster bootstrap p = {wild.p_value:.3f}" if wild else "",
                 f"randomisation inference p = {permuted.p_value:.3f}" if permuted else ""]
        lines.append(
            f"The static two-way fixed effects estimate is {twfe.estimate:.2f} {_unit_phrase(result.unit)} "
            f"({'; '.join([_ci(twfe, alpha=alpha), *[t for t in tests if t]])})"
            + _twfe_verdict(twfe, head, gap, cohorts))
    if wald is not None:
        verdict = ("no evidence against parallel trends before joining (which does not prove them)"
                   if wald.p_value >= 0.10 else "evidence that trends differed before joining: treat the estimate "
                   "with caution")
        lines.append(f"Pre-trend test (event study, joint Wald): F = {wald.statistic:.2f}, p = {wald.p_value:.3f}: "
                     f"{verdict}.")
    naive = next((e for e in result.descriptive if e.term == "naive_post_comparison"), None)
    if naive is not None and np.isfinite(naive.estimate):
        lines.append(
            f"For contrast, simply comparing participants after joining with non-participants gives "
            f"{naive.estimate:+.2f} {_unit_phrase(result.unit)} ({_ci(naive, alpha=alpha)}); that gap includes "
            "differences that existed before the project and is not an effect.")
    level = "not scoreable" if result.sms.level is None else f"level {result.sms.level} of 5"
    lines.append(f"Strength of evidence: Maryland Scientific Methods Scale {level} ({result.sms.reason}).")
    return "\n\n".join(lines)


# ----------------------------------------------------------------------------------------------
# (d) Value for money
# ----------------------------------------------------------------------------------------------


def project_flows(costs_benefits: pd.DataFrame, project_id: str | None = None) -> pd.DataFrame:
    """The ``costs_benefits`` table in the flows layout of :mod:`evaluation.economics.appraisal`.

    Returns :data:`~evaluation.economics.appraisal.FLOW_COLUMNS` plus ``category``; one project's
    rows when ``project_id`` is given.
    """
    rows = costs_benefits if project_id is None else costs_benefits[costs_benefits["project_id"] == project_id]
    return pd.DataFrame({
        "project": rows["project_id"].astype(object), "year": rows["year"].astype(int),
        "type": rows["flow"].astype(object), "amount": rows["amount_gbp"].astype(float),
        "price_base_year": rows["price_base_year"].astype(int), "bearer": rows["bearer"].astype(object),
        "cashable": rows["cashable"].astype(bool), "category": rows["category"].astype(object),
    }).reset_index(drop=True)


@dataclass(frozen=True)
class ValueForMoney:
    """A Green Book appraisal of one project (or the programme).

    Attributes
    ----------
    label : str
        What was appraised.
    estimates : list of Estimate
        ``pv_benefits``, ``pv_costs``, ``npsv``, ``bcr``; with optimism bias, ``pv_costs_optimism_bias``,
        ``npsv_optimism_bias`` and ``bcr_optimism_bias``; ``switching_benefits_fall_percent`` and
        ``switching_costs_rise_percent``; with a per-incident value, ``break_even_incidents``.
    present_values : pandas.DataFrame
        PV of benefits and costs by bearer and cashability.
    flows : pandas.DataFrame
        Every flow in real prices with its discount factor and present value.
    warnings : list of str
        Price-base conversions and anything else a reader must see.
    price_base_year, discount_year : int
        Real prices of the appraisal and the year discounted to.
    optimism_bias_percent : float
    """

    label: str
    estimates: list[Estimate]
    present_values: pd.DataFrame
    flows: pd.DataFrame
    warnings: list[str]
    price_base_year: int
    discount_year: int
    optimism_bias_percent: float = 0.0

    def value(self, term: str) -> float:
        """The estimate of ``term`` (NaN if absent)."""
        return next((e.estimate for e in self.estimates if e.term == term), NAN)


def appraise_value_for_money(
    flows: pd.DataFrame,
    *,
    price_base_year: int | None,
    discount_year: int | None = None,
    schedule: Schedule = "standard",
    optimism_bias_percent: float = 0.0,
    value_per_incident: float | None = None,
    label: str | None = None,
) -> ValueForMoney:
    """Green Book appraisal of a flows table treated as one project.

    Every flow is re-expressed in real ``price_base_year`` prices with the GDP deflator, discounted
    at the STPR to ``discount_year`` (default: the first year with a flow, so an evaluation that
    looks back counts every flow; a flow before ``discount_year`` is an error, being sunk), and
    summarised as

    .. math:: NPSV = PV_B - PV_C, \\quad BCR = PV_B / PV_C

    with PVs split by bearer and cashability. Optimism bias uplifts PV costs by
    ``optimism_bias_percent`` (a sensitivity; outturn costs need none, forecasts do). Switching
    values give how far benefits must fall (or costs rise) for the NPSV to reach zero. With
    ``value_per_incident`` (in real base-year prices), the break-even count is the number of avoided
    incidents whose value covers PV costs.

    Parameters
    ----------
    flows : pandas.DataFrame
        Output of :func:`project_flows` (or any table with the flow columns).
    price_base_year : int or None
        Real price base. None keeps the flows' own single price base and raises a clear
        ``ValueError`` if they mix price bases.
    discount_year : int, optional
        Year 0 of discounting.
    schedule : {"standard", "health"}
        STPR schedule.
    optimism_bias_percent : float
        Uplift of costs, in percent (0 for none).
    value_per_incident : float, optional
        Value of one avoided incident, for the break-even count.
    label : str, optional
        Name of what is appraised (default: the flows' project).

    Returns
    -------
    ValueForMoney

    Raises
    ------
    ValueError
        Mixed price bases without ``price_base_year`` (naming them), or what
        :func:`~evaluation.economics.appraisal.appraise` raises (e.g. PV costs of zero).

    References
    ----------
    HM Treasury (2022) *The Green Book*, Annex A5 (optimism bias, switching values) and A6 (discounting).

    Examples
    --------
    >>> flows = pd.DataFrame({"project": "P", "year": [2023, 2024], "type": ["cost", "benefit"],
    ...     "amount": [100.0, 207.0], "price_base_year": 2023, "bearer": "GLA", "cashable": True})
    >>> vfm = appraise_value_for_money(flows, price_base_year=2023)
    >>> round(vfm.value("npsv"), 6), round(vfm.value("bcr"), 6)
    (100.0, 2.0)
    """
    if flows.empty:
        raise ValueError("no costs or benefits recorded: value for money cannot be appraised")
    label = label or ", ".join(sorted(map(str, flows["project"].unique())))
    bases = sorted(int(b) for b in flows["price_base_year"].unique())
    warnings = []
    if price_base_year is None and len(bases) > 1:
        raise ValueError(
            f"{label}: costs and benefits are in mixed price bases ({', '.join(map(financial_year_label, bases))}) "
            "and no price base year was given, so they cannot be added up: pass price_base_year to convert them "
            "to one year's real prices with the GDP deflator")
    real_base = bases[0] if price_base_year is None else int(price_base_year)
    converted = [b for b in bases if b != real_base]
    if converted:
        warnings.append(
            f"Amounts in {', '.join(map(financial_year_label, converted))} prices were converted to "
            f"{financial_year_label(real_base)} prices with the GDP deflator shipped with the workbench, whose values "
            "are approximate until refreshed (see evaluation/data/gdp_deflator.md).")
    year0 = int(flows["year"].min()) if discount_year is None else int(discount_year)
    single = flows.assign(source=flows["project"], project=label)
    result = appraise(single[list(FLOW_COLUMNS) + [c for c in single.columns if c not in FLOW_COLUMNS]],
                      base_year=year0, price_base_year=real_base, schedule=schedule)
    pv_b, pv_c = (next(e.estimate for e in result.estimates if e.term == t) for t in ("pv_benefits", "pv_costs"))
    method = result.estimates[0].method
    estimates = [replace(e, group=label) for e in result.estimates]
    if optimism_bias_percent > 0:
        pv_c_ob = float(optimism_bias_uplift(pv_c, optimism_bias_percent))
        ob = f"{method}; costs uplifted by {optimism_bias_percent:g}% optimism bias"
        estimates += [Estimate("pv_costs_optimism_bias", pv_c_ob, method=ob, group=label),
                      Estimate("npsv_optimism_bias", pv_b - pv_c_ob, method=ob, group=label),
                      Estimate("bcr_optimism_bias", float(benefit_cost_ratio(pv_b, pv_c_ob)), method=ob, group=label)]
    values = switching_values(pv_b, pv_c)
    estimates += [
        Estimate("switching_benefits_fall_percent", values.benefits_fall_percent, group=label,
                 method="fall in PV benefits (percent) that brings the NPSV to zero; negative: rise needed"),
        Estimate("switching_costs_rise_percent", values.costs_rise_percent, group=label,
                 method="rise in PV costs (percent) that brings the NPSV to zero; negative: fall needed"),
    ]
    if value_per_incident is not None and value_per_incident > 0:
        estimates.append(Estimate(
            "break_even_incidents", float(break_even_count(pv_c, value_per_incident)), group=label,
            method=(f"avoided incidents worth £{value_per_incident:,.0f} each "
                    f"({financial_year_label(real_base)} prices) needed to cover PV costs")))
    return ValueForMoney(label, estimates, result.present_values.drop(columns="project"), result.flows, warnings,
                         real_base, year0, optimism_bias_percent)


@dataclass(frozen=True)
class UncertaintyRanges:
    """Triangular ranges (low, most likely, high) of multipliers on central present values.

    Defaults are illustrative, to be replaced with project evidence: cashable benefits (budget
    lines that can be checked) -20% to +10%; non-cashable benefits (staff time and avoided work,
    valued by assumption, more often overstated than not) -50% to +20%; costs -10% to +10% around
    the central costs, which already carry any optimism-bias uplift (so overrun risk is not
    counted twice).
    """

    cashable_benefits: tuple[float, float, float] = (0.8, 1.0, 1.1)
    non_cashable_benefits: tuple[float, float, float] = (0.5, 1.0, 1.2)
    costs: tuple[float, float, float] = (0.9, 1.0, 1.1)

    def describe(self) -> str:
        def span(r: tuple[float, float, float]) -> str:
            return f"{100 * (r[0] - 1):+.0f}% to {100 * (r[2] - 1):+.0f}% (most likely {100 * (r[1] - 1):+.0f}%)"
        return (f"cashable benefits {span(self.cashable_benefits)}, non-cashable benefits "
                f"{span(self.non_cashable_benefits)}, costs {span(self.costs)}; triangular, independent")


def simulate_value_for_money(vfm: ValueForMoney, *, seed: int, n_draws: int = 10_000,
                             ranges: UncertaintyRanges = UncertaintyRanges(),
                             fixed_costs: Sequence[str] = ()) -> MonteCarloResult:
    """Monte Carlo distribution of NPSV and BCR: multipliers drawn on cashable and non-cashable benefits and costs.

    .. math::
        PV_B^{(k)} = m^{(k)}_{cb} PV_{cb} + m^{(k)}_{nb} PV_{nb}, \\qquad
        PV_C^{(k)} = m^{(k)}_{c} PV_C (1 + OB/100)

    with the multipliers drawn from ``ranges`` by one seeded generator; costs of the sources named
    in ``fixed_costs`` (e.g. :data:`CORE_FUNDING`, known fees) are held fixed. Summaries: mean and
    median with the 5th-95th percentiles (a 90% simulation interval, not a confidence interval),
    and the probability that the NPSV is positive.
    """
    flows = vfm.flows
    benefits = flows[flows["type"] == "benefit"]
    pv_cashable = float(benefits.loc[benefits["cashable"], "present_value"].sum())
    pv_non_cashable = float(benefits.loc[~benefits["cashable"], "present_value"].sum())
    costs = flows[flows["type"] == "cost"]
    held = costs["source"].isin(list(fixed_costs)) if "source" in costs else np.zeros(len(costs), dtype=bool)
    pv_costs = float(costs.loc[~held, "present_value"].sum()) * (1 + vfm.optimism_bias_percent / 100)
    pv_fixed = float(costs.loc[held, "present_value"].sum())

    def model(x: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        return (x["cashable_benefits"] * pv_cashable + x["non_cashable_benefits"] * pv_non_cashable,
                x["costs"] * pv_costs + pv_fixed)

    result = simulate_appraisal(model, {
        "cashable_benefits": Triangular(*ranges.cashable_benefits),
        "non_cashable_benefits": Triangular(*ranges.non_cashable_benefits),
        "costs": Triangular(*ranges.costs),
    }, seed=seed, n_draws=n_draws)
    note = f"; multipliers: {ranges.describe()}" + (f"; costs of {', '.join(fixed_costs)} held fixed" if fixed_costs
                                                    else "")
    return MonteCarloResult([replace(e, group=vfm.label, term=f"monte_carlo_{e.term}", method=e.method + note)
                             for e in result.estimates], result.draws)


def benefits_supported_by_evidence(impacts: Sequence[ImpactResult]) -> tuple[bool | None, str]:
    """Whether the impact evidence supports the benefits claimed in the appraisal.

    ``True`` when a permitted causal estimate shows an improvement (interval excluding zero on
    the better side), ``False`` when permitted estimates show no detectable effect or harm, and
    ``None`` when no causal estimate is permitted (benefits then rest on the business case and
    monitoring alone). The sentence says which and what to make of it.
    """
    tested = [r for r in impacts if r.headline is not None]
    if not tested:
        return None, ("No causal estimate is permitted for this project's indicators, so the benefits in the "
                      "appraisal rest on the business case and monitoring, not on evidence of impact.")
    findings, supported = [], []
    for r in tested:
        e = r.headline
        better_side = e.conf_low > 0 if r.direction == "higher_is_better" else e.conf_high < 0
        worse_side = e.conf_high < 0 if r.direction == "higher_is_better" else e.conf_low > 0
        supported.append(better_side)
        verdict = "improvement" if better_side else "harm" if worse_side else "no detectable effect"
        findings.append(f"{r.indicator_id}: {verdict}")
    if all(supported):
        return True, f"The impact evidence supports the outcome the benefits depend on ({'; '.join(findings)})."
    return False, ("The impact evidence does NOT support the benefits claimed (" + "; ".join(findings) + "): treat "
                   "benefits that depend on this outcome as unproven; the NPSV with those benefits set to zero is "
                   "reported as a sensitivity.")


def evidence_sensitivity(vfm: ValueForMoney, supported: bool | None) -> list[Estimate]:
    """When the impact evidence does not support the benefits (``supported is False``), the NPSV and BCR without them.

    Returns ``npsv_without_unsupported_benefits`` (= -PV costs) and ``bcr_without_unsupported_benefits`` (0), or
    nothing otherwise. A sensitivity, not a replacement for the central case: the outcome tested may
    not be the only route to the benefits claimed.
    """
    if supported is not False:
        return []
    pv_costs = vfm.value("pv_costs")
    method = "sensitivity: benefits that depend on an outcome the impact evidence does not support set to zero"
    return [Estimate("npsv_without_unsupported_benefits", -pv_costs, method=method, group=vfm.label),
            Estimate("bcr_without_unsupported_benefits", 0.0, method=method, group=vfm.label)]


def money(amount: float) -> str:
    """Pounds with thousands separators and the sign before the pound sign.

    Examples
    --------
    >>> money(-172294.7), money(1500)
    ('-£172,295', '£1,500')
    """
    return f"-£{-amount:,.0f}" if amount < 0 else f"£{amount:,.0f}"


def describe_appraisal(vfm: ValueForMoney) -> str:
    """One sentence on the central NPSV and BCR and what they mean (point values: see the Monte Carlo for a range)."""
    npsv, bcr = vfm.value("npsv"), vfm.value("bcr")
    meaning = (f"each £1 of cost returns £{bcr:.2f} of benefits in present value" if np.isfinite(bcr) else "")
    verdict = "benefits exceed costs" if npsv > 0 else "costs exceed benefits"
    return (f"{vfm.label}: NPSV {money(npsv)} and BCR {bcr:.2f} (central case, "
            f"{financial_year_label(vfm.price_base_year)} prices discounted to {vfm.discount_year}; a point value, "
            f"its range comes from the Monte Carlo below): {verdict}, and {meaning}.")


def describe_monte_carlo(result: MonteCarloResult) -> str:
    """One sentence on the simulated NPSV and BCR with their 90% simulation intervals."""
    rows = {e.term.removeprefix("monte_carlo_"): e for e in result.estimates}
    npsv, bcr, positive = rows["npsv"], rows["bcr"], rows["probability_npsv_positive"]
    return (f"Across {npsv.n:,} simulated draws the NPSV averages {money(npsv.estimate)} (90% simulation interval "
            f"{money(npsv.conf_low)} to {money(npsv.conf_high)}) and the BCR {bcr.estimate:.2f} ({bcr.conf_low:.2f} to "
            f"{bcr.conf_high:.2f}); the NPSV is positive in {positive.estimate:.0%} of draws, so "
            + ("the case for value for money survives the stated uncertainty." if positive.estimate >= 0.9 else
               "value for money is uncertain under the stated ranges." if positive.estimate >= 0.1 else
               "costs exceed benefits under almost every combination of the stated ranges."))


def describe_switching(vfm: ValueForMoney) -> str:
    """One sentence on switching values."""
    fall, rise = vfm.value("switching_benefits_fall_percent"), vfm.value("switching_costs_rise_percent")
    if vfm.value("npsv") >= 0:
        return (f"Benefits would have to be {fall:.0f}% lower, or costs {rise:.0f}% higher, than estimated before "
                "the NPSV fell to zero.")
    return (f"Benefits would have to be {-fall:.0f}% higher, or costs {-rise:.0f}% lower, than estimated for the "
            "NPSV to reach zero.")


def core_funding_flows(
    membership: pd.DataFrame,
    *,
    last_year: int,
    first_year: int | None = None,
    gla_annual: float = GLA_ANNUAL_GBP,
    london_councils_annual: float = LONDON_COUNCILS_ANNUAL_GBP,
) -> pd.DataFrame:
    """LOTI's annual core funding as cost flows: member fees, GLA and London Councils contributions.

    Each member pays ``annual_fee_gbp`` pro rata to the months of the calendar year it is a member
    (from the month it joins; to the month before it leaves). The GLA and London Councils pay their
    full annual contributions in every year from ``first_year`` (default: the year the first member
    joined) to ``last_year``. Amounts are nominal, so each flow's price base is its own year.

    Returns
    -------
    pandas.DataFrame
        Flow columns (``project`` = :data:`CORE_FUNDING`, ``type`` "cost", ``cashable`` True,
        ``bearer`` Boroughs, GLA or London Councils) plus ``category``; one row per year and bearer.

    Examples
    --------
    >>> members = pd.DataFrame({"authority_code": ["A"], "joined_on": pd.to_datetime(["2023-07-01"]),
    ...     "left_on": [pd.NaT], "annual_fee_gbp": [30_000.0]})
    >>> core_funding_flows(members, last_year=2024).groupby("bearer")["amount"].sum().to_dict()
    {'Boroughs': 45000.0, 'GLA': 200000.0, 'London Councils': 200000.0}
    """
    joined = pd.to_datetime(membership["joined_on"])
    start = int(joined.dt.year.min()) if first_year is None else int(first_year)
    if last_year < start:
        raise ValueError(f"last_year {last_year} is before the first funding year {start}")
    rows = []
    for year in range(start, last_year + 1):
        fees = 0.0
        for _, member in membership.iterrows():
            first_month = pd.Timestamp(member["joined_on"]).to_period("M")
            left = member.get("left_on")
            end_month = pd.Timestamp(left).to_period("M") if pd.notna(left) else pd.Period(f"{last_year + 1}-01", "M")
            months = sum(1 for m in range(1, 13) if first_month <= pd.Period(f"{year}-{m:02d}", "M") < end_month)
            fees += float(member["annual_fee_gbp"]) * months / 12
        rows += [(year, "Boroughs", fees, "Member authority fees"),
                 (year, "GLA", float(gla_annual), "GLA contribution"),
                 (year, "London Councils", float(london_councils_annual), "London Councils contribution")]
    frame = pd.DataFrame(rows, columns=["year", "bearer", "amount", "category"])
    frame = frame[frame["amount"] > 0]
    return pd.DataFrame({"project": CORE_FUNDING, "year": frame["year"], "type": "cost", "amount": frame["amount"],
                         "price_base_year": frame["year"], "bearer": frame["bearer"], "cashable": True,
                         "category": frame["category"]}).reset_index(drop=True)


@dataclass(frozen=True)
class ProgrammeValue:
    """Value for money of the whole programme against its core funding.

    Attributes
    ----------
    appraisal : ValueForMoney
        All projects' flows plus core funding, appraised together.
    by_project : pandas.DataFrame
        Each project's PV of benefits and costs, NPSV and BCR on the same basis, plus the core funding row.
    estimates : list of Estimate
        ``programme_*`` rows: PV of benefits, project costs, core funding, NPSV, BCR, the net value
        of projects per pound of core funding, and (when some benefits are unsupported by the impact
        evidence) the NPSV and BCR without them.
    """

    appraisal: ValueForMoney
    by_project: pd.DataFrame
    estimates: list[Estimate]


def programme_value_for_money(
    costs_benefits: pd.DataFrame,
    funding: pd.DataFrame,
    *,
    price_base_year: int,
    schedule: Schedule = "standard",
    unsupported_projects: Sequence[str] = (),
) -> ProgrammeValue:
    """Appraise every project and LOTI's core funding together, discounted to the programme's first year.

    Costs are the projects' recorded costs **plus** the core funding (member fees, GLA, London
    Councils). Counting both is conservative: where a project cost is paid out of the core funding
    it is counted twice, which understates the BCR. The net value of projects per pound of core
    funding, :math:`(PV_B - PV_{C,projects}) / PV_{core}`, says what the programme returns on the
    money that keeps LOTI running.

    Parameters
    ----------
    costs_benefits : pandas.DataFrame
        The ``costs_benefits`` table (all projects).
    funding : pandas.DataFrame
        Output of :func:`core_funding_flows`.
    price_base_year : int
        Real price base.
    schedule : {"standard", "health"}
    unsupported_projects : sequence of str
        Projects whose benefits the impact evidence does not support; a sensitivity drops their benefits.

    Returns
    -------
    ProgrammeValue
    """
    flows = pd.concat([project_flows(costs_benefits), funding], ignore_index=True)
    year0 = int(flows["year"].min())
    total = appraise_value_for_money(flows, price_base_year=price_base_year, discount_year=year0, schedule=schedule,
                                     label="LOTI programme")
    pv = total.flows.pivot_table(index="source", columns="type", values="present_value", aggfunc="sum",
                                fill_value=0.0).reindex(columns=["benefit", "cost"], fill_value=0.0)
    by_project = pd.DataFrame({"project": list(pv.index), "pv_benefits": pv["benefit"].to_numpy(),
                               "pv_costs": pv["cost"].to_numpy()})
    by_project["npsv"] = by_project["pv_benefits"] - by_project["pv_costs"]
    by_project["bcr"] = np.where(by_project["pv_costs"] > 0, by_project["pv_benefits"] /
                                 by_project["pv_costs"].where(by_project["pv_costs"] > 0), np.nan)
    pv_b = float(by_project["pv_benefits"].sum())
    pv_core = float(by_project.loc[by_project["project"] == CORE_FUNDING, "pv_costs"].sum())
    pv_projects = float(by_project.loc[by_project["project"] != CORE_FUNDING, "pv_costs"].sum())
    method = (f"{total.estimates[0].method}; costs = project costs + core funding (member fees, GLA, London "
              "Councils), conservative where project costs are paid from core funding")
    label = "LOTI programme"
    estimates = [
        Estimate("programme_pv_benefits", pv_b, method=method, group=label, n=len(flows)),
        Estimate("programme_pv_project_costs", pv_projects, method=method, group=label),
        Estimate("programme_pv_core_funding", pv_core, method=method, group=label),
        Estimate("programme_npsv", pv_b - pv_projects - pv_core, method=method, group=label),
        Estimate("programme_bcr", pv_b / (pv_projects + pv_core), method=method, group=label),
        Estimate("programme_net_value_per_pound_of_core_funding", (pv_b - pv_projects) / pv_core,
                 method="(PV benefits - PV project costs) / PV core funding", group=label),
    ]
    unsupported = [p for p in unsupported_projects if p in set(by_project["project"])]
    if unsupported:
        removed = float(by_project.loc[by_project["project"].isin(unsupported), "pv_benefits"].sum())
        note = f"{method}; benefits of {', '.join(unsupported)} removed (not supported by impact evidence)"
        estimates += [
            Estimate("programme_npsv_evidence_adjusted", pv_b - removed - pv_projects - pv_core, method=note,
                     group=label),
            Estimate("programme_bcr_evidence_adjusted", (pv_b - removed) / (pv_projects + pv_core), method=note,
                     group=label),
        ]
    return ProgrammeValue(total, by_project, estimates)


# ----------------------------------------------------------------------------------------------
# (e) The portfolio: participation, collaboration, outcomes, member survey
# ----------------------------------------------------------------------------------------------


def participation_table(authorities: pd.DataFrame, membership: pd.DataFrame, project_authorities: pd.DataFrame
                        ) -> pd.DataFrame:
    """One row per authority (all 33): membership, projects taken part in and led.

    Columns ``gss_code``, ``name``, ``inner_outer``, ``member`` (bool), ``joined_on`` (first
    joining), ``projects`` (count) and ``leads`` (projects it leads).
    """
    joined = membership.groupby("authority_code")["joined_on"].min()
    current = membership[membership["left_on"].isna()]["authority_code"] if "left_on" in membership else \
        membership["authority_code"]
    projects = project_authorities.groupby("authority_code")["project_id"].nunique()
    leads = project_authorities[project_authorities["role"] == "Lead"].groupby("authority_code")["project_id"].nunique()
    table = authorities[["gss_code", "name", "inner_outer"]].copy()
    table["member"] = table["gss_code"].isin(set(current))
    table["joined_on"] = table["gss_code"].map(joined)
    table["projects"] = table["gss_code"].map(projects).fillna(0).astype(int)
    table["leads"] = table["gss_code"].map(leads).fillna(0).astype(int)
    return table.sort_values("gss_code").reset_index(drop=True)


def participation_estimates(participation: pd.DataFrame) -> list[Estimate]:
    """Headline counts of participation: members, authorities in at least one project, projects per member."""
    members = participation[participation["member"]]
    n = len(participation)
    return [
        Estimate("member_authorities", float(len(members)), n=n, method="authorities that are LOTI members",
                 group="participation"),
        Estimate("authorities_in_a_project", float((participation["projects"] > 0).sum()), n=n,
                 method="authorities taking part in at least one project", group="participation"),
        Estimate("mean_projects_per_member", float(members["projects"].mean()) if len(members) else NAN,
                 conf_low=float(members["projects"].min()) if len(members) else NAN,
                 conf_high=float(members["projects"].max()) if len(members) else NAN, n=len(members),
                 method="mean projects per member authority; interval = range across members",
                 group="participation"),
    ]


def funding_table(funding: pd.DataFrame) -> pd.DataFrame:
    """Core funding by year (rows) and source (columns, nominal GBP), with a total column."""
    table = funding.pivot_table(index="year", columns="bearer", values="amount", aggfunc="sum", fill_value=0.0)
    table["Total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def co_participation_matrix(project_authorities: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Authorities x authorities: number of projects both take part in (diagonal: the authority's own count).

    Rows and columns are GSS codes, all 33 authorities, in code order.

    Examples
    --------
    >>> pa = pd.DataFrame({"project_id": ["P1", "P1", "P2", "P2", "P2"],
    ...                    "authority_code": ["A", "B", "A", "B", "C"]})
    >>> co_participation_matrix(pa, pd.DataFrame({"gss_code": ["A", "B", "C"]})).values.tolist()
    [[2, 2, 1], [2, 2, 1], [1, 1, 1]]
    """
    codes = sorted(authorities["gss_code"])
    incidence = (pd.crosstab(project_authorities["authority_code"], project_authorities["project_id"]) > 0)
    incidence = incidence.reindex(index=codes, fill_value=False).astype(int)
    matrix = incidence @ incidence.T
    matrix.index.name, matrix.columns.name = "authority_code", "partner_code"
    return matrix


def collaboration_summary(matrix: pd.DataFrame) -> tuple[pd.DataFrame, list[Estimate]]:
    """Network summary of a co-participation matrix.

    Returns
    -------
    (pandas.DataFrame, list of Estimate)
        Per authority: ``partners`` (distinct authorities it shares a project with) and
        ``shared_projects`` (sum over partners of projects shared); and the rows
        ``collaborating_pairs`` (pairs sharing at least one project), ``network_density`` (their
        share of all pairs), ``mean_partners`` and ``pairs_sharing_3_or_more``.
    """
    values = np.array(matrix, dtype=float)
    np.fill_diagonal(values, 0)
    n = len(values)
    upper = values[np.triu_indices(n, k=1)]
    pairs = int((upper > 0).sum())
    per = pd.DataFrame({"authority_code": matrix.index, "partners": (values > 0).sum(axis=1),
                        "shared_projects": values.sum(axis=1)})
    all_pairs = n * (n - 1) // 2
    rows = [
        Estimate("collaborating_pairs", float(pairs), n=all_pairs,
                 method="pairs of authorities taking part in at least one project together", group="collaboration"),
        Estimate("network_density", pairs / all_pairs if all_pairs else NAN, n=all_pairs,
                 method="collaborating pairs / all pairs of authorities", group="collaboration"),
        Estimate("mean_partners", float(per["partners"].mean()), n=n,
                 method="mean number of distinct authorities each authority shares a project with",
                 group="collaboration"),
        Estimate("pairs_sharing_3_or_more", float((upper >= 3).sum()), n=all_pairs,
                 method="pairs of authorities sharing three or more projects", group="collaboration"),
    ]
    return per, rows


def member_survey_scores(responses: pd.DataFrame, instrument: pd.DataFrame) -> pd.DataFrame:
    """Construct scores of the member survey, one per respondent and wave, with the authority and scale.

    Scored with :func:`evaluation.analyses.cohort.construct_scores` (mean of a construct's items,
    half rule for missing items). An item on a different scale from the rest of its construct
    (e.g. the 0-10 ``value_recommend`` beside the 1-5 ``value_money``) is scored as a construct of
    its own, named by the item, because averaging different scales is meaningless. When a
    construct's items are split evenly, the scale most used in the whole instrument keeps the name.

    Returns
    -------
    pandas.DataFrame
        ``participant`` (respondent), ``wave``, ``construct``, ``score``, ``authority_code`` and
        ``scale`` (e.g. ``"1-5"``).
    """
    items = instrument.copy()
    items["scale"] = [f"{low:g}-{high:g}" for low, high in zip(items["scale_min"], items["scale_max"], strict=True)]
    popularity = items["scale"].value_counts()
    for _construct, group in items.groupby("construct", sort=False):
        counts = group["scale"].value_counts()
        tied = counts.index[counts == counts.max()]
        usual = max(tied, key=lambda scale: popularity[scale])
        odd = group.index[group["scale"] != usual]
        items.loc[odd, "construct"] = items.loc[odd, "item_id"]
    constructs = tuple(dict.fromkeys(items["construct"]))
    scores = construct_scores(responses, items.drop(columns="scale"), constructs)
    where = responses.drop_duplicates("respondent").set_index("respondent")["authority_code"]
    scores["authority_code"] = scores["participant"].map(where)
    scores["scale"] = scores["construct"].map(items.drop_duplicates("construct").set_index("construct")["scale"])
    return scores


def member_survey_summary(scores: pd.DataFrame, authorities: pd.DataFrame, *, wave: str | None = None,
                          confidence_level: float = 0.95, k: int = 5) -> pd.DataFrame:
    """Mean score of each construct, overall and for Inner and Outer London, with small groups suppressed.

    Means and t intervals come from :func:`evaluation.analyses.cohort.rating_estimates`; rows
    about fewer than ``k`` respondents are blanked by
    :func:`evaluation.statistics.disclosure.suppress_small_groups`. (Per-authority results are not
    offered: with 2-4 respondents an authority's answers would identify them.)

    Returns
    -------
    pandas.DataFrame
        A tidy results frame (``group`` = "construct: All members" or "construct: Inner London")
        with ``scale`` (e.g. ``"1-5"``) and ``suppressed``.
    """
    wave = max(scores["wave"].unique()) if wave is None else wave
    rows = [replace(e, group=e.group.replace(f" ({wave})", ": All members")) for e in
            rating_estimates(scores, wave=wave, confidence_level=confidence_level)]
    area = dict(zip(authorities["gss_code"], authorities["inner_outer"], strict=True))
    located = scores.assign(area=scores["authority_code"].map(area))
    for name, part in located.groupby("area", sort=True):
        rows += [replace(e, group=e.group.replace(f" ({wave})", f": {name}")) for e in
                 rating_estimates(part, wave=wave, confidence_level=confidence_level)]
    frame = to_frame([replace(e, method=f"{e.method}; member survey wave {wave}") for e in rows])
    scales = scores.drop_duplicates("construct").set_index("construct")["scale"]
    frame["scale"] = [scales.get(group.split(":")[0], "") for group in frame["group"]]
    return suppress_small_groups(frame, k)


def describe_rating(row: pd.Series) -> str:
    """One sentence on a mean survey score and its interval (or why it is not shown)."""
    if pd.isna(row["estimate"]):
        return f"{row['group']}: not shown (fewer respondents than the disclosure threshold)."
    scale = row.get("scale") or "answer"
    return (f"{row['group']}: mean {row['estimate']:.2f} on the {scale} scale (95% CI {row['conf_low']:.2f} to "
            f"{row['conf_high']:.2f}, {int(row['n'])} respondents).")


# ----------------------------------------------------------------------------------------------
# Charts specific to LOTI (the Analysis Function template of evaluation.charts)
# ----------------------------------------------------------------------------------------------


def tile_map(frame: pd.DataFrame, *, value: str, title: str, colour_title: str, code: str = "gss_code",
             hover: str | None = None) -> go.Figure:
    """A London tile map: one square per authority on the squared grid, coloured by ``value``.

    Authorities missing from ``frame`` (or with a missing value) are grey. Each tile shows the
    authority's abbreviation and value; ``hover`` names a column of extra hover text.
    """
    import plotly.graph_objects as go

    from ..charts import CONTEXT, FOCUS, template

    grid = london_tile_grid().merge(frame, left_on="gss_code", right_on=code, how="left", suffixes=("", "_data"))
    n_rows, n_cols = int(grid["row"].max()), int(grid["col"].max())
    z = np.full((n_rows, n_cols), np.nan)
    present = np.full((n_rows, n_cols), np.nan)
    hovertext = np.full((n_rows, n_cols), "", dtype=object)
    for tile in grid.itertuples():
        r, c = tile.row - 1, tile.col - 1
        present[r, c] = 0.0
        v = getattr(tile, value)
        z[r, c] = float(v) if pd.notna(v) else np.nan
        extra = f"<br>{getattr(tile, hover)}" if hover else ""
        hovertext[r, c] = f"{tile.name}: {v if pd.notna(v) else 'no data'}{extra}"
    low, high = np.nanmin(z) if np.isfinite(z).any() else 0.0, np.nanmax(z) if np.isfinite(z).any() else 1.0
    figure = go.Figure([
        go.Heatmap(z=present, colorscale=[[0, CONTEXT], [1, CONTEXT]], showscale=False, xgap=4, ygap=4,
                   hoverinfo="skip"),
        go.Heatmap(z=z, colorscale=[[0, "#D6E6F4"], [0.5, "#2073BC"], [1, FOCUS]], zmin=low, zmax=high, xgap=4,
                   ygap=4, text=hovertext, hovertemplate="%{text}<extra></extra>",
                   colorbar={"title": {"text": colour_title}}),
    ])
    midpoint = (low + high) / 2
    for tile in grid.itertuples():
        v = getattr(tile, value)
        dark = pd.notna(v) and float(v) > midpoint
        label = f"{tile.abbreviation}<br>{v:g}" if pd.notna(v) and isinstance(v, int | float | np.number) \
            else tile.abbreviation
        figure.add_annotation(x=tile.col - 1, y=tile.row - 1, text=label, showarrow=False,
                              font={"color": "white" if dark else "#0B0C0C", "size": 12})
    figure.update_layout(template=template(), title=title, height=560, width=680,
                         xaxis={"visible": False, "showgrid": False},
                         yaxis={"visible": False, "showgrid": False, "autorange": "reversed", "scaleanchor": "x"})
    return figure


def co_participation_heatmap(matrix: pd.DataFrame, authorities: pd.DataFrame, *, title: str) -> go.Figure:
    """Heatmap of a co-participation matrix, authorities ordered Inner then Outer London, by name."""
    import plotly.graph_objects as go

    from ..charts import FOCUS, template

    order = authorities.sort_values(["inner_outer", "name"])
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    codes = [c for c in order["gss_code"] if c in matrix.index]
    values = np.array(matrix.loc[codes, codes], dtype=float)
    np.fill_diagonal(values, np.nan)
    labels = [names[c] for c in codes]
    figure = go.Figure(go.Heatmap(
        z=values, x=labels, y=labels, colorscale=[[0, "#FFFFFF"], [0.5, "#6BACE6"], [1, FOCUS]],
        hovertemplate="%{y} and %{x}: %{z} shared projects<extra></extra>",
        colorbar={"title": {"text": "Shared projects"}}))
    figure.update_layout(template=template(), title=title, height=900, width=960,
                         margin={"l": 180, "b": 180, "t": 60, "r": 20},
                         xaxis={"tickangle": -60, "showgrid": False, "automargin": True},
                         yaxis={"autorange": "reversed", "showgrid": False, "automargin": True})
    return figure


def rag_level_chart(level_counts: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal stacked bars: number of indicators by status at each level (labels, not colour alone)."""
    import plotly.graph_objects as go

    from ..charts import template

    figure = go.Figure()
    for status in STATUSES:
        if status in level_counts.columns:
            figure.add_trace(go.Bar(y=level_counts["level"], x=level_counts[status], name=status, orientation="h",
                                    marker_color=_STATUS_COLOURS[status], text=level_counts[status],
                                    texttemplate="%{text}", textposition="inside"))
    figure.update_layout(template=template(), title=title, barmode="stack", xaxis_title="Number of indicators",
                         yaxis={"title": None, "automargin": True}, legend={"traceorder": "normal", "y": -0.4},
                         height=260 + 60 * len(level_counts))
    return figure


def indicator_trend_chart(panel: pd.DataFrame, indicator: pd.Series, *, title: str) -> go.Figure:
    """Mean of participants and of other authorities each period, with baseline, target and joining dates marked."""
    import plotly.graph_objects as go

    from ..charts import CATEGORICAL, REFERENCE_LINE, template

    figure = go.Figure()
    groups = [("Participating authorities", panel["participant"], CATEGORICAL[0]),
              ("Other authorities", ~panel["participant"], CATEGORICAL[1])]
    for name, mask, colour in groups:
        if mask.any():
            series = panel[mask].groupby("period")["value"].mean()
            figure.add_trace(go.Scatter(x=series.index, y=series.to_numpy(), mode="lines", name=name,
                                        line={"color": colour, "width": 2}))
    joined = sorted(panel.loc[panel["participant"], "joined_on"].dropna().unique())
    for date in joined[:6]:
        figure.add_vline(x=pd.Timestamp(date), line={"color": "#BFBFBF", "dash": "dash"})
    if joined:
        figure.add_annotation(x=pd.Timestamp(joined[0]), y=1, yref="paper", text="joined", showarrow=False,
                              xanchor="left", font={"color": REFERENCE_LINE})
    if pd.notna(indicator.get("baseline")):
        figure.add_hline(y=float(indicator["baseline"]), line={"color": REFERENCE_LINE, "dash": "dot"},
                         annotation_text="baseline", annotation_position="top left")
    if pd.notna(indicator.get("target")):
        when = indicator.get("target_period")
        if pd.notna(when):
            figure.add_trace(go.Scatter(x=[when], y=[float(indicator["target"])], mode="markers+text", name="target",
                                        marker={"symbol": "diamond", "size": 12, "color": CATEGORICAL[2]},
                                        text=["target"], textposition="top center"))
        else:
            figure.add_hline(y=float(indicator["target"]), line={"color": CATEGORICAL[2], "dash": "dash"},
                             annotation_text="target")
    figure.update_layout(template=template(), title=title, xaxis_title="Period",
                         yaxis_title=f"{indicator['name']} ({indicator['unit']})")
    return figure


def alt_text_for_trend(panel: pd.DataFrame, indicator: pd.Series) -> str:
    """Text alternative of :func:`indicator_trend_chart`: first and last means of each group."""
    parts = []
    groups = (("participating authorities", panel["participant"]), ("other authorities", ~panel["participant"]))
    for name, mask in groups:
        if mask.any():
            series = panel[mask].groupby("period")["value"].mean()
            parts.append(f"{name} from {series.iloc[0]:.2f} in {series.index[0]:%B %Y} to {series.iloc[-1]:.2f} in "
                         f"{series.index[-1]:%B %Y}")
    baseline = f"baseline {indicator['baseline']:g}" if pd.notna(indicator.get("baseline")) else "no baseline"
    target = f"target {indicator['target']:g}" if pd.notna(indicator.get("target")) else "no target"
    return (f"Line chart of {indicator['name']} ({indicator['unit']}), mean by period: {'; '.join(parts)}; "
            f"{baseline}; {target}.")


def interval_rows(estimates: Iterable[Estimate], *, scale: float = 1.0) -> pd.DataFrame:
    """Tidy frame of estimates with a ``label`` column (the term), values divided by ``scale``, for interval charts."""
    frame = to_frame(estimates)
    for column in ("estimate", "conf_low", "conf_high"):
        frame[column] = frame[column] / scale
    frame["label"] = frame["term"].astype(object)
    return frame


def is_causal(term: str) -> bool:
    """Whether a result term is a causal estimate (see :data:`CAUSAL_TERMS`); event-time effects count too."""
    return term in CAUSAL_TERMS or term.startswith("e=") or term.startswith("e<=") or term.startswith("e>=")


