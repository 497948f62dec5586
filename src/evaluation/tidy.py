"""The tidy result contract shared by every statistic and every analysis.

Each estimate an analysis publishes is one row with the columns of R's broom
(``term, estimate, std_error, statistic, p_value, conf_low, conf_high, n``)
plus ``analysis``, ``group`` and ``method``. Statistics functions return
:class:`Estimate` objects; notebooks collect them and the runner writes them
to ``results.csv`` / ``results.parquet``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported lazily: kernels import this package on every run
    import pandas as pd

#: The tidy columns that hold a statistic's numbers (floats, NaN where one does not apply): what describes a
#: group's answers, so disclosure control suppresses them together.
STATISTIC_COLUMNS: tuple[str, ...] = ("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high")

#: The columns of every tidy results table, in order.
TIDY_COLUMNS: tuple[str, ...] = ("analysis", "term", "group", *STATISTIC_COLUMNS, "n", "method")

NAN = math.nan


@dataclass(frozen=True)
class Estimate:
    """One published estimate (one row of a tidy results table).

    Fields that do not apply to a statistic are NaN (numbers) or "" (text),
    never omitted, so every results table has the same columns.
    """

    term: str
    estimate: float
    std_error: float = NAN
    statistic: float = NAN
    p_value: float = NAN
    conf_low: float = NAN
    conf_high: float = NAN
    n: int = 0
    method: str = ""
    group: str = ""
    analysis: str = ""

    def with_context(self, *, analysis: str | None = None, group: str | None = None) -> Estimate:
        """Return a copy labelled with the analysis and/or group it belongs to."""
        return replace(
            self,
            analysis=self.analysis if analysis is None else analysis,
            group=self.group if group is None else group,
        )


def to_frame(estimates: Iterable[Estimate]) -> pd.DataFrame:
    """Collect estimates into a tidy DataFrame with exactly :data:`TIDY_COLUMNS`."""
    import pandas as pd

    rows = [asdict(e) for e in estimates]
    frame = pd.DataFrame(rows, columns=list(TIDY_COLUMNS))
    return frame.astype(
        {
            "analysis": "string",
            "term": "string",
            "group": "string",
            "method": "string",
            "n": "int64",
            **dict.fromkeys(STATISTIC_COLUMNS, "float64"),
        }
    )
