"""Reference data shipped with the workbench (``src/evaluation/data``): London's authorities and tile grid.

One loader per file, used by the store (which seeds ``authorities``), the
analyses and the dashboards alike. pandas is imported when a loader is called,
so importing this module costs nothing.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def london_authorities() -> pd.DataFrame:
    """The 33 London local authorities: ``gss_code, name, inner_outer`` (text)."""
    import pandas as pd

    with resources.files("evaluation.data").joinpath("london_authorities.csv").open("rb") as handle:
        return pd.read_csv(handle, dtype="string")


def london_tile_grid() -> pd.DataFrame:
    """The London squared tile grid: ``gss_code, name, abbreviation, row, col`` (row 1 north, col 1 west)."""
    import pandas as pd

    with resources.files("evaluation.data").joinpath("london_tile_grid.csv").open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#", dtype={"gss_code": str, "name": str, "abbreviation": str})
