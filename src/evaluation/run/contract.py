"""What a notebook reads and publishes: the run contract.

Inside a notebook run by ``workbench run``::

    from evaluation.run.contract import current_run
    run = current_run()
    responses = run.read("responses", "cohort_id = ?", [cohort])
    run.publish_results(estimates)                   # tidy rows -> results.csv / results.parquet
    run.publish_table("completion", frame)           # checked against the disclosure threshold
    run.publish_figure("change", figure, alt_text="...")

The runner tells the kernel where to write through environment variables; in
an interactive session the same calls write to ``reports/_scratch/``. Every
read is hashed and recorded (``reads.json``) for the run's provenance.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config
from ..store import Store
from ..tidy import TIDY_COLUMNS, Estimate, to_frame

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

RUN_DIR_ENV = "WORKBENCH_RUN_DIR"
ANALYSIS_ENV = "WORKBENCH_ANALYSIS"
RESULTS_CSV = "results.csv"
RESULTS_PARQUET = "results.parquet"
READS_JSON = "reads.json"
FIGURES_INDEX = "figures/index.json"
TABLES_INDEX = "tables/index.json"
# Renders figures in the notebook and keeps them in the HTML report (nbconvert keeps the "notebook" form).
PLOTLY_RENDERER = "plotly_mimetype+notebook"


class DisclosureError(ValueError):
    """A table about people has a group smaller than the disclosure threshold."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a reader sees the old or the new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.partial")
    temp.write_bytes(data)
    temp.replace(path)


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes that are identical for identical numbers (fixed float format and line endings)."""
    return frame.to_csv(index=False, float_format="%.10g", lineterminator="\n").encode("utf-8")


@dataclass
class Run:
    """A run's view of the store and its output folder."""

    analysis: str
    output_dir: Path
    store: Store
    disclosure_threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD
    reads: list[dict[str, Any]] = field(default_factory=list)
    results: list[pd.DataFrame] = field(default_factory=list)

    def read(self, table: str, where: str = "", params: Sequence[Any] = ()) -> pd.DataFrame:
        """A table from the store (``where`` is SQL with ``?`` placeholders); the read is recorded and hashed."""
        frame = self.store.read_table(table, where, list(params))
        self.reads.append({"table": table, "where": where, "params": [str(p) for p in params],
                           "sha256": self.store.content_sha256(table, where, list(params)), "rows": len(frame)})
        write_atomically(self.output_dir / READS_JSON, json.dumps(self.reads, indent=1).encode())
        return frame

    def publish_results(self, estimates: Iterable[Estimate] | pd.DataFrame) -> pd.DataFrame:
        """Add tidy estimates to the run's results table (``analysis`` is filled in); returns all so far."""
        import pandas as pd

        frame = estimates.copy() if isinstance(estimates, pd.DataFrame) else to_frame(estimates)
        missing = [c for c in TIDY_COLUMNS if c not in frame]
        if missing:
            raise ValueError(f"results lack the tidy columns {missing}")
        frame["analysis"] = self.analysis
        self.results.append(frame[list(TIDY_COLUMNS) + [c for c in frame if c not in TIDY_COLUMNS]])
        combined = pd.concat(self.results, ignore_index=True)
        write_atomically(self.output_dir / RESULTS_CSV, frame_to_csv(combined))
        combined.to_parquet(self.output_dir / RESULTS_PARQUET, index=False)
        return combined

    def publish_table(self, name: str, frame: pd.DataFrame, *, title: str = "", people_column: str | None = "n"
                      ) -> Path:
        """Publish a table for the dashboards; refuses any group of fewer people than the threshold.

        ``people_column`` counts people per row (None for tables not about
        people, e.g. costs). Suppressed rows must carry NaN, not a small count.
        """
        if people_column is not None:
            counts = frame[people_column]
            small = counts.notna() & (counts > 0) & (counts < self.disclosure_threshold)
            if small.any():
                raise DisclosureError(f"table '{name}': {int(small.sum())} row(s) with fewer than "
                                      f"{self.disclosure_threshold} people; suppress them first")
        path = self.output_dir / "tables" / f"{name}.csv"
        write_atomically(path, frame_to_csv(frame))
        self._index(TABLES_INDEX, name, {"title": title or name, "people_column": people_column})
        return path

    def publish_figure(self, name: str, figure: go.Figure, *, alt_text: str) -> Path:
        """Publish a plotly figure (JSON) with its text alternative, for the dashboards."""
        if not alt_text.strip():
            raise ValueError(f"figure '{name}': a text alternative is required")
        path = self.output_dir / "figures" / f"{name}.json"
        write_atomically(path, figure.to_json(pretty=False, engine="json").encode())
        title = figure.layout.title.text or name
        self._index(FIGURES_INDEX, name, {"title": title, "alt_text": alt_text})
        return path

    def _index(self, relative: str, name: str, entry: dict[str, Any]) -> None:
        path = self.output_dir / relative
        index = json.loads(path.read_text()) if path.exists() else {}
        index[name] = entry
        write_atomically(path, json.dumps(index, indent=1, sort_keys=True).encode())


def current_run(disclosure_threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD, analysis: str = "interactive"
                ) -> Run:
    """The run this kernel belongs to (set by the runner), or a scratch run for interactive use."""
    import plotly.io as pio

    pio.renderers.default = PLOTLY_RENDERER
    run_dir = os.environ.get(RUN_DIR_ENV)
    if run_dir is None:
        output = config.reports_dir() / "_scratch" / analysis
    else:
        output = Path(run_dir)
        analysis = os.environ.get(ANALYSIS_ENV, analysis)
    output.mkdir(parents=True, exist_ok=True)
    return Run(analysis, output, Store(config.store_path()), disclosure_threshold)
