"""Self-assessed digital maturity of all 33 authorities in three rounds, and the true expected gains."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from ..schemas.loti import MATURITY_DOMAINS
from .loti_world import LotiWorld
from .writers import Rows

MATURITY_ROUNDS = (dt.date(2021, 6, 30), dt.date(2023, 6, 30), dt.date(2025, 6, 30))
MATURITY_MEMBER_GAIN = 0.3
MATURITY_NON_MEMBER_GAIN = 0.1
MATURITY_NOISE_SD = 0.45
MATURITY_DOMAIN_OFFSETS = dict(zip(MATURITY_DOMAINS, (0.2, -0.1, 0.0, 0.3, 0.2, -0.4, -0.5, -0.2, 0.1), strict=True))


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Standard normal distribution function, elementwise."""
    cdf: np.ndarray = 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))
    return cdf


def expected_score(latent: np.ndarray, sd: float) -> np.ndarray:
    """E[clip(round(latent + N(0, sd)), 1, 5)], exactly, from the normal distribution function."""
    cuts = normal_cdf((np.array([1.5, 2.5, 3.5, 4.5])[:, None] - latent.ravel()[None, :]) / sd)
    probabilities = np.diff(np.vstack([np.zeros(latent.size), cuts, np.ones(latent.size)]), axis=0)
    expected: np.ndarray = (np.arange(1, 6)[:, None] * probabilities).sum(axis=0).reshape(latent.shape)
    return expected


def maturity_rows(world: LotiWorld, rng: np.random.Generator) -> tuple[Rows, list[tuple[str, float, float, int, int]]]:
    """Self-assessed maturity 1-5 for all 33 authorities, 9 domains, 3 rounds, and the true expected gains.

    Latent level = authority level + domain offset + gains so far; a round's
    gain is 0.3 if the authority was a member when the previous round was
    assessed, else 0.1. The score is the latent level plus noise, rounded and
    clipped to 1-5; the expected observed gain is computed exactly.
    """
    codes = [a.gss_code for a in world.authorities]
    level = rng.normal(2.4, 0.5, (len(codes), 1)) + np.array(list(MATURITY_DOMAIN_OFFSETS.values()))[None, :]
    latent = [level]
    member_at = []
    for previous in MATURITY_ROUNDS[:-1]:
        member = np.array([c in world.member_since and world.member_since[c] <= previous for c in codes])
        member_at.append(member)
        gain = np.where(member, MATURITY_MEMBER_GAIN, MATURITY_NON_MEMBER_GAIN)
        latent.append(latent[-1] + gain[:, None])
    rows = []
    for day, values in zip(MATURITY_ROUNDS, latent, strict=True):
        scores = np.clip(np.rint(values + rng.normal(0, MATURITY_NOISE_SD, values.shape)), 1, 5)
        rows += [
            (code, day, domain, int(scores[i, d]))
            for i, code in enumerate(codes)
            for d, domain in enumerate(MATURITY_DOMAINS)
        ]
    expected = [expected_score(values, MATURITY_NOISE_SD) for values in latent]
    gains = []
    for r, member in enumerate(member_at):
        change = (expected[r + 1] - expected[r]).mean(axis=1)
        gains.append(
            (
                f"{MATURITY_ROUNDS[r]:%Y-%m} to {MATURITY_ROUNDS[r + 1]:%Y-%m}",
                float(change[member].mean()),
                float(change[~member].mean()),
                int(member.sum()),
                int((~member).sum()),
            )
        )
    return rows, gains
