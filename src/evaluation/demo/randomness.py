"""Seeded random streams and the draws every part of the demo makes from them."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np

Category = TypeVar("Category")


def random_stream(seed: int, component: str) -> np.random.Generator:
    """An independent random stream per component, so that changing one part leaves the others' draws alone."""
    return np.random.default_rng([seed, zlib.crc32(component.encode())])


def draw(rng: np.random.Generator, shares: Mapping[Category, float]) -> Category:
    """One key drawn with the given probabilities (keys may include None for a blank cell)."""
    keys = list(shares)
    return keys[int(rng.choice(len(keys), p=np.array(list(shares.values())) / sum(shares.values())))]


def pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    """One option drawn uniformly."""
    return options[int(rng.integers(len(options)))]
