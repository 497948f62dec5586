"""The monthly LOTI indicator panel (``loti/observations.csv``) and the effects planted in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .dates import add_months, months_between
from .loti_world import CONNECTIVITY_ADOPTION, PROJECTS, LotiWorld
from .writers import Rows

PANEL_START = dt.date(2019, 1, 1)
PANEL_MONTHS = 84  # 2019-01 to 2025-12
CONNECTIVITY_INITIAL_EFFECT = 4.0
CONNECTIVITY_MONTHLY_GROWTH = 0.25
CONNECTIVITY_GROWTH_MONTHS = 12
CYBER_SELECTION_GAP = 3.0  # participants' click rate is higher in every month, before and after joining
PIPELINE_IDEAS_START = 2.0
PIPELINE_IDEAS_MONTHLY_GROWTH = 0.05


def connectivity_effect(months_since_joining: np.ndarray) -> np.ndarray:
    """The planted effect: +4 from the joining month, growing 0.25 a month for 12 months, then flat at +7."""
    grown = CONNECTIVITY_INITIAL_EFFECT + CONNECTIVITY_MONTHLY_GROWTH * np.minimum(
        months_since_joining, CONNECTIVITY_GROWTH_MONTHS
    )
    return np.where(months_since_joining >= 0, grown, 0.0)


@dataclass(frozen=True)
class PanelFacts:
    """Values computed while drawing the panel that the README and the indicators table state."""

    connectivity_att: float  # mean planted effect over all treated authority-months in the panel
    connectivity_att_by_group: dict[dt.date, float]
    connectivity_baseline: float  # mean value in December 2019, before anybody joined
    connectivity_naive_twfe: float  # static two-way fixed-effects estimate on the written values (biased)
    cyber_baseline: float  # participants' mean click rate in March 2022, the month before joining


def observation_rows(world: LotiWorld, rng: np.random.Generator) -> tuple[Rows, PanelFacts]:
    """Monthly indicator values, 2019-01 to 2025-12.

    IND03 (connectivity, all 33): ``35 + a_i + 0.3 t + g_t + effect + e``.
    IND05 (cyber click rate, all 33): ``16 + a_i + 3 [participant] - 0.04 t + g_t + e``, no effect.
    IND01 (pipeline ideas, participants only, from joining): Poisson(2 + 0.05 m).
    """
    codes = [a.gss_code for a in world.authorities]
    periods = [add_months(PANEL_START, t) for t in range(PANEL_MONTHS)]
    t = np.arange(PANEL_MONTHS)
    rows: list[tuple[object, ...]] = []

    joined = dict(world.project_joins["P03"])
    joined_month = np.array([months_between(PANEL_START, joined[c]) if c in joined else 10**6 for c in codes])
    event_time = t[None, :] - joined_month[:, None]
    effect = connectivity_effect(event_time)
    connectivity = (
        35.0
        + rng.normal(0, 4.0, (len(codes), 1))
        + 0.3 * t
        + rng.normal(0, 0.5, PANEL_MONTHS)
        + effect
        + rng.normal(0, 1.5, (len(codes), PANEL_MONTHS))
    )
    treated = event_time >= 0
    groups = {
        day: float(effect[(joined_month == months_between(PANEL_START, day))[:, None] & treated].mean())
        for day, _ in CONNECTIVITY_ADOPTION
    }

    cyber_members = {code for code, _ in world.project_joins["P04"]}
    in_cyber = np.array([c in cyber_members for c in codes])
    cyber = (
        16.0
        + rng.normal(0, 2.0, (len(codes), 1))
        + CYBER_SELECTION_GAP * in_cyber[:, None]
        - 0.04 * t
        + rng.normal(0, 0.6, PANEL_MONTHS)
        + rng.normal(0, 1.2, (len(codes), PANEL_MONTHS))
    )

    for indicator, values in (("IND03", connectivity), ("IND05", cyber)):
        for i, code in enumerate(codes):
            rows += [(indicator, code, period, f"{values[i, k]:.2f}") for k, period in enumerate(periods)]
    pipeline_start = PROJECTS[0].joined_on
    pipeline_months = range(months_between(pipeline_start, periods[-1]) + 1)
    for code, _ in sorted(world.project_joins["P01"]):
        ideas = rng.poisson([PIPELINE_IDEAS_START + PIPELINE_IDEAS_MONTHLY_GROWTH * m for m in pipeline_months])
        rows += [
            ("IND01", code, add_months(pipeline_start, m), int(n)) for m, n in zip(pipeline_months, ideas, strict=True)
        ]
    december_2019 = months_between(PANEL_START, dt.date(2019, 12, 1))
    march_2022 = months_between(PANEL_START, dt.date(2022, 3, 1))
    facts = PanelFacts(
        float(effect[treated].mean()),
        groups,
        float(connectivity[:, december_2019].mean()),
        naive_twfe(np.round(connectivity, 2), treated.astype(float)),
        float(cyber[in_cyber, march_2022].mean()),
    )
    return rows, facts


def naive_twfe(values: np.ndarray, treated: np.ndarray) -> float:
    """Coefficient of a treated dummy in a regression with unit and period effects (balanced panel: demeaning)."""

    def demeaned(x: np.ndarray) -> np.ndarray:
        centred: np.ndarray = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()
        return centred

    return float((demeaned(treated) * demeaned(values)).sum() / (demeaned(treated) ** 2).sum())
