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

Disclosure control across a run's outputs (docs/methodology.md)::

    run = current_run(disclosure_threshold, audience=audience)  # audience: "public" | "internal"
    enrolled = run.population("cohort", len(participants))    # a total the run publishes
    f"{show.people(5, 'cohort')} participants with both surveys"  # '<span data-people="cohort">5 or more</span>'

A public run is audited once finished (:mod:`evaluation.run.audit`): every
people count it publishes, in any output, must pass the threshold and the
complement rule against its declared population. An internal run publishes
every figure, is not audited and is written only under ``internal-reports/``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config
from ..run_folder import (
    AUDIENCE_MARK,
    DISCLOSURE_JSON,
    FIGURES_INDEX,
    READS_JSON,
    RESULTS_CSV,
    RESULTS_PARQUET,
    SCRATCH_DIR,
    TABLES_INDEX,
    figure_json,
    table_csv,
    write_atomically,
)
from ..store import Store
from ..tidy import TIDY_COLUMNS, Estimate, to_frame

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

RUN_DIR_ENV = "WORKBENCH_RUN_DIR"
ANALYSIS_ENV = "WORKBENCH_ANALYSIS"
# Renders figures in the notebook and keeps them in the HTML report (nbconvert keeps the "notebook" form).
PLOTLY_RENDERER = "plotly_mimetype+notebook"


PUBLIC, INTERNAL = "public", "internal"
AUDIENCES = (PUBLIC, INTERNAL)
# Internal runs go here by default: the dashboards and the published site read only reports/.
DEFAULT_INTERNAL_REPORTS = Path("internal-reports")
# The ``population`` of result rows whose ``n`` is not a number of people of a population (publish_results).
NOT_PEOPLE = "(not people)"


class DisclosureError(ValueError):
    """A table about people has a group smaller than the disclosure threshold."""


class AudienceError(ValueError):
    """A run would write into a reports folder of the other audience (internal figures into the public site)."""


def check_audience(audience: str) -> str:
    """``audience`` if it is ``"public"`` or ``"internal"``; otherwise a ValueError naming the choices."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {', '.join(map(repr, AUDIENCES))}")
    return audience


def claim_reports_folder(reports: Path, audience: str, *, mark: bool = True) -> None:
    """Mark ``reports`` as holding runs for ``audience``, or refuse if it holds the other audience's.

    A folder marked by an earlier run (``.audience``) keeps its audience. An
    unmarked folder is refused to internal runs when it is named like the
    public default (``reports``) and to public runs when it is named like the
    internal one (``internal-reports``); otherwise it is marked now (unless
    ``mark`` is false: a check that writes nothing).
    """
    check_audience(audience)
    marked = reports / AUDIENCE_MARK
    held = marked.read_text().strip() if marked.exists() else None
    if held is None:
        name = reports.resolve().name
        if audience == INTERNAL and name == config.DEFAULT_REPORTS.name:
            held = PUBLIC
        elif audience == PUBLIC and name == DEFAULT_INTERNAL_REPORTS.name:
            held = INTERNAL
    if held is not None and held != audience:
        raise AudienceError(
            f"{reports} holds {held} reports; an {audience} run may not write there "
            f"(internal runs go to {DEFAULT_INTERNAL_REPORTS}/, public ones to "
            f"{config.DEFAULT_REPORTS}/)"
        )
    if held is None and mark:
        write_atomically(marked, f"{audience}\n".encode())


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes that are identical for identical numbers (fixed float format and line endings)."""
    return frame.to_csv(index=False, float_format="%.10g", lineterminator="\n").encode("utf-8")


@dataclass
class Run:
    """A run's view of the store and its output folder."""

    analysis: str
    output_dir: Path
    store: Store
    disclosure_threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD  # effective: 1 for an internal run
    reads: list[dict[str, Any]] = field(default_factory=list)
    results: list[pd.DataFrame] = field(default_factory=list)
    audience: str = PUBLIC
    populations: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._write_disclosure()

    def population(self, label: str, total: int) -> int:
        """Declare a population total the run publishes (a cohort's enrolled, 33 authorities); returns ``total``.

        Counts in sentences about it (:func:`evaluation.presentation.people`) are
        then written as far as the complement rule allows. The audit checks every
        people count marked with ``label`` or published in a table declared with ``population=label`` against this
        total: ``n`` and ``total - n`` must both be 0 or at least the threshold.
        The first population declared is the run's own: results' ``n`` and
        tables without a named population are checked against it.
        """
        if not label or any(c in label for c in '"<>&'):
            raise ValueError(f"population label {label!r}: use plain text without quotes or < > &")
        if int(total) != total or total < 0:
            raise ValueError(f"population {label!r}: total {total!r} is not a whole number of people")
        if label in self.populations and self.populations[label] != int(total):
            raise ValueError(f"population {label!r} declared twice: {self.populations[label]} and {total}")
        self.populations[label] = int(total)
        from ..presentation import declare_population  # imports pandas: not when the runner plans

        declare_population(label, int(total), self.disclosure_threshold)
        self._write_disclosure()
        return int(total)

    def declare_populations(self, totals: Mapping[str, int]) -> None:
        """:meth:`population` for each label and total (e.g. every cohort of a programme)."""
        for label, total in totals.items():
            self.population(label, total)

    def _write_disclosure(self) -> None:
        record = {"audience": self.audience, "threshold": self.disclosure_threshold, "populations": self.populations}
        write_atomically(self.output_dir / DISCLOSURE_JSON, json.dumps(record, indent=1, sort_keys=True).encode())

    def read(self, table: str, where: str = "", params: Sequence[Any] = ()) -> pd.DataFrame:
        """A table from the store (``where`` is SQL with ``?`` placeholders); the read is recorded and hashed."""
        frame = self.store.read_table(table, where, list(params))
        self.reads.append(
            {
                "table": table,
                "where": where,
                "params": [str(p) for p in params],
                "sha256": self.store.content_sha256(table, where, list(params)),
                "rows": len(frame),
            }
        )
        write_atomically(self.output_dir / READS_JSON, json.dumps(self.reads, indent=1).encode())
        return frame

    def protect(self, estimates: Iterable[Estimate] | pd.DataFrame, population: str | None = None) -> pd.DataFrame:
        """Tidy estimates with disclosure control at the run's threshold, ``n`` checked against a population.

        Groups under the threshold lose their statistics; an ``n`` whose
        complement in the population's total is under the threshold is
        suppressed, the statistics kept
        (:func:`~evaluation.statistics.disclosure.protect_people_counts`).
        ``population`` names a declared population (default: the first
        declared; none declared: the threshold rule only); a frame with a
        ``population`` column is protected row by row against the population each
        row names (a programme's rows about one cohort against that cohort). Build
        sentences and charts from the returned frame, so nothing suppressed
        reaches them.
        """
        import pandas as pd

        from ..statistics.disclosure import protect_people_counts

        frame = estimates.copy() if isinstance(estimates, pd.DataFrame) else to_frame(estimates)
        # n = 0: a figure about no group of people (a total cost, a day rate), published as it is (the
        # threshold rule would blank it because 0 < k), as evaluation.analyses.programme.reporting.suppress does.
        nobody = pd.to_numeric(frame["n"], errors="coerce").astype(float).eq(0).to_numpy()
        people = frame[~nobody]
        if population is None and "population" in frame.columns:
            # a row without a population is about the run's own (the first declared)
            labels = people["population"].where(people["population"].notna(), next(iter(self.populations), None))
            unknown = set(labels) - set(self.populations)
            if unknown:
                raise KeyError(
                    f"population(s) {sorted(map(str, unknown))} not declared; declared: "
                    f"{', '.join(self.populations) or 'none'}"
                )
            parts = [
                protect_people_counts(part, self.populations[label], self.disclosure_threshold)
                for label, part in people.groupby(labels, sort=False)
            ]
        else:
            if population is not None and population not in self.populations:
                raise KeyError(
                    f"population {population!r} is not declared; declared: {', '.join(self.populations) or 'none'}"
                )
            label = population or next(iter(self.populations), None)
            total = self.populations[label] if label is not None else None
            parts = [protect_people_counts(people, total, self.disclosure_threshold)]
        if nobody.any():
            parts.append(frame[nobody].assign(suppressed=False))
        protected = pd.concat(parts).loc[frame.index]
        return protected.assign(suppressed=protected["suppressed"].astype(bool))

    def publish_results(
        self, estimates: Iterable[Estimate] | pd.DataFrame, *, population: str | None = None, counts_people: bool = True
    ) -> pd.DataFrame:
        """Add tidy estimates to the run's results table (``analysis`` is filled in); returns all so far.

        The estimates are protected first (:meth:`protect`, against ``population``
        or the run's first declared population), so ``results.csv`` never holds
        an ``n`` that the audit would refuse. ``counts_people=False`` for rows
        whose ``n`` is not a group of the population (a sample size a roll-out
        would need, a number of projects): no complement is checked for them.
        """
        import pandas as pd

        frame = estimates.copy() if isinstance(estimates, pd.DataFrame) else to_frame(estimates)
        missing = [c for c in TIDY_COLUMNS if c not in frame]
        if missing:
            raise ValueError(f"results lack the tidy columns {missing}")
        if not counts_people:
            frame["population"] = NOT_PEOPLE
        elif population is not None or self.populations:
            frame = self.protect(frame, population)
        if counts_people and population is not None:  # the audit checks these rows against this population
            frame["population"] = population
        frame["analysis"] = self.analysis
        self.results.append(frame[list(TIDY_COLUMNS) + [c for c in frame if c not in TIDY_COLUMNS]])
        combined = pd.concat(self.results, ignore_index=True)
        write_atomically(self.output_dir / RESULTS_CSV, frame_to_csv(combined))
        combined.to_parquet(self.output_dir / RESULTS_PARQUET, index=False)
        return combined

    def publish_table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        title: str = "",
        people_column: str | None = "n",
        population: str | None = None,
        shares: Mapping[str, str] | None = None,
    ) -> Path:
        """Publish a table for the dashboards; refuses any group of fewer people than the threshold.

        ``people_column`` counts people per row (None for tables not about
        people, e.g. costs). Suppressed rows must carry NaN, not a small count.
        ``population`` names the declared population (:meth:`population`) the
        rows' people belong to; the audit checks each count's complement
        against its total (default: the run's first population). ``shares``
        maps each column holding a share of people to the column of its base
        (``{"attendance_rate": "n"}``): a share that gives back a count or
        complement under the threshold is refused
        (:func:`~evaluation.statistics.disclosure.protect_shares` them first),
        and the audit checks them again.
        """
        from ..statistics.disclosure import share_publishable

        if population is not None and population not in self.populations:
            raise KeyError(f"table '{name}': population {population!r} is not declared")
        if people_column is not None:
            counts = frame[people_column]
            small = counts.notna() & (counts > 0) & (counts < self.disclosure_threshold)
            if small.any():
                raise DisclosureError(
                    f"table '{name}': {int(small.sum())} row(s) with fewer than "
                    f"{self.disclosure_threshold} people; suppress them first"
                )
        for share, base in (shares or {}).items():
            for row, (value, of) in enumerate(zip(frame[share], frame[base], strict=True), start=1):
                if not share_publishable(value, of, self.disclosure_threshold):
                    raise DisclosureError(
                        f"table '{name}', row {row}, column '{share}': {value:.4g} of {of:g} people gives back a "
                        f"count or complement under {self.disclosure_threshold}; protect_shares it first"
                    )
        path = table_csv(self.output_dir, name)
        write_atomically(path, frame_to_csv(frame))
        entry: dict[str, Any] = {"title": title or name, "people_column": people_column, "population": population}
        if shares:
            entry["shares"] = dict(shares)
        self._index(TABLES_INDEX, name, entry)
        return path

    def publish_figure(self, name: str, figure: go.Figure, *, alt_text: str) -> Path:
        """Publish a plotly figure (JSON) with its text alternative, for the dashboards."""
        if not alt_text.strip():
            raise ValueError(f"figure '{name}': a text alternative is required")
        path = figure_json(self.output_dir, name)
        write_atomically(path, figure.to_json(pretty=False, engine="json").encode())
        title = figure.layout.title.text or name
        self._index(FIGURES_INDEX, name, {"title": title, "alt_text": alt_text})
        return path

    def _index(self, relative: str, name: str, entry: dict[str, Any]) -> None:
        path = self.output_dir / relative
        index = json.loads(path.read_text()) if path.exists() else {}
        index[name] = entry
        write_atomically(path, json.dumps(index, indent=1, sort_keys=True).encode())


def current_run(
    disclosure_threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD,
    analysis: str = "interactive",
    audience: str = PUBLIC,
) -> Run:
    """The run this kernel belongs to (set by the runner), or a scratch run for interactive use.

    ``audience`` is the notebook's ``audience`` parameter: ``"public"`` (the
    default) suppresses at ``disclosure_threshold``; ``"internal"`` shows every
    figure (``run.disclosure_threshold`` is then 1) and refuses to write into a
    public reports folder. Interactive internal runs write to
    ``internal-reports/_scratch/``.
    """
    import plotly.io as pio

    check_audience(audience)
    if disclosure_threshold < 1:
        raise ValueError(f"disclosure_threshold must be at least 1, not {disclosure_threshold}")
    pio.renderers.default = PLOTLY_RENDERER
    run_dir = os.environ.get(RUN_DIR_ENV)
    if run_dir is None:
        reports = config.reports_dir() if audience == PUBLIC else DEFAULT_INTERNAL_REPORTS
        output = reports / SCRATCH_DIR / analysis
    else:
        reports = Path(os.environ.get(config.REPORTS_ENV) or Path(run_dir).parent.parent)
        output = Path(run_dir)
        analysis = os.environ.get(ANALYSIS_ENV, analysis)
    claim_reports_folder(reports, audience)
    output.mkdir(parents=True, exist_ok=True)
    threshold = disclosure_threshold if audience == PUBLIC else 1
    return Run(analysis, output, Store(config.store_path()), threshold, audience=audience)
