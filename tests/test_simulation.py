"""The data-generating processes of the coverage study reproduce the truths the demo generator documents."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.simulation import (
    LikertDesign,
    StaggeredDesign,
    likert_truth,
    simulate_likert_cohorts,
    simulate_staggered_panel,
    true_event_time_effects,
)
from support import TRUE_CHANGE


def test_likert_truth_matches_the_demo_generators_planted_change():
    """data/demo/README.md: confidence (items 2.8, 2.6, 2.9, 2.7; latent shift 1.0) changes by 0.973 (MC s.e. 0.001),
    computed by evaluation.demo's own generator for 200,000 people."""
    truth = likert_truth(LikertDesign(shift=1.0), n_people=400_000, seed=3)
    assert truth.change == pytest.approx(TRUE_CHANGE["confidence"], abs=0.004)


def test_likert_cohorts_have_drop_out_and_ratings_at_the_endpoint_only():
    data = simulate_likert_cohorts(
        LikertDesign(cohort_sizes=(5, 9), dropouts=2, non_response=0.0), np.random.default_rng(1)
    )
    assert data.groupby("cohort")["participant"].nunique().to_dict() == {"C1": 5, "C2": 9}
    answered = data.dropna(subset=["score"]).groupby("wave")["participant"].nunique()
    assert answered.to_dict() == {"baseline": 14, "endpoint": 10, "follow-up": 10}
    assert data.loc[data["wave"] != "endpoint", "rating"].isna().all()
    assert data["score"].dropna().between(1, 5).all()


def test_staggered_panel_plants_the_stated_effects_and_pre_trend():
    design = StaggeredDesign(pre_trend=0.5, noise_sd=1e-9, period_sd=0.0, unit_sd=0.0)
    panel = simulate_staggered_panel(design, np.random.default_rng(2))
    assert panel["authority_code"].nunique() == 33 and panel["t"].max() == 36
    early = panel[panel["first_treated"] == 12].groupby("t")[["tau", "value"]].mean()
    assert early.loc[12, "tau"] == pytest.approx(2.0) and early.loc[14, "tau"] == pytest.approx(3.0)  # 2 + 0.5 e
    never = panel[panel["first_treated"].isna()].groupby("t")["value"].mean()
    # before joining the joiners drift 0.5 a period relative to the never-treated
    gap = early["value"] - never
    assert gap.loc[11] - gap.loc[10] == pytest.approx(0.5, abs=1e-6)
    effects = true_event_time_effects(panel)
    assert effects.loc[0] == pytest.approx(2.0)
    assert effects.loc[8] == pytest.approx(2 + (0.5 * 8 + 0.3 * 8 + 0.1 * 8) / 3)
