"""Published runs, as the dashboards read them: by analysis name, run id, table name and figure name.

Nothing here computes a statistic. A page asks for a run (``load_run``), then
for its results, tables and figures by name; anything that is not there
raises :class:`ResultsMissing`, whose message says what is missing and what to
run, so a page can show it instead of a traceback.

Suppression is carried through as published: a table cell ``[c]`` (or an empty
count in a table's people column) and a results row with ``suppressed`` true
are *suppressed*, and :func:`format_value` and :meth:`PublishedTable.cells`
say so; they are never turned into zeros.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config
from ..presentation import numbers
from ..run_folder import (
    FAILED_DIR,
    FIGURES_INDEX,
    PROVENANCE_JSON,
    REPORT_HTML,
    RESULTS_CSV,
    RESULTS_PARQUET,
    TABLES_INDEX,
)

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

# The GSS symbol for a confidential (suppressed) value; evaluation.statistics.disclosure.SUPPRESSED_SYMBOL.
SUPPRESSED_SYMBOL = "[c]"
SUPPRESSED_TEXT = "suppressed"
SUPPRESSED_NOTE = (
    "[c] = suppressed: the group has fewer people than the disclosure threshold ({k}), so the value is not published."
)
HASH_WIDTH = 12


class ResultsMissing(LookupError):
    """Results a page needs have not been published; the message is meant for the page's readers."""

    def __init__(self, message: str, *, analysis: str = "", run_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.analysis = analysis
        self.run_id = run_id


def reports_root(reports: str | Path | None = None) -> Path:
    """The reports folder: the argument, else ``$WORKBENCH_REPORTS``, else ``reports/``."""
    return config.reports_dir(reports)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- Provenance -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """When and from what a run was made (the parts of ``provenance.json`` a reader needs)."""

    analysis: str
    run_id: str
    status: str
    started_at: str
    finished_at: str
    git_commit: str | None
    parameters: dict[str, Any]
    inputs: dict[str, str]  # description of each input read -> sha256 of its content
    notebook: str = ""
    error: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Provenance:
        fingerprint = record.get("fingerprint") or {}
        return cls(
            analysis=str(record.get("analysis", "")),
            run_id=str(record.get("run_id", "")),
            status=str(record.get("status", "unknown")),
            started_at=str(record.get("started_at", "")),
            finished_at=str(record.get("finished_at", "")),
            git_commit=record.get("git_commit"),
            parameters=dict(record.get("parameters") or {}),
            inputs=dict(fingerprint.get("inputs") or {}),
            notebook=str(record.get("notebook", "")),
            error=dict(record.get("error") or {}),
        )

    @classmethod
    def read(cls, run_dir: Path) -> Provenance:
        return cls.from_dict(_read_json(run_dir / PROVENANCE_JSON))

    @property
    def finished(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.finished_at)
        except ValueError:
            return None

    @property
    def finished_text(self) -> str:
        """``26 November 2026, 12:06 UTC`` (or the raw text if it is not a date)."""
        when = self.finished
        return (self.finished_at or "unknown") if when is None else time_text(when)

    @property
    def commit_text(self) -> str:
        """Shortened commit, saying when the working copy had uncommitted changes."""
        if not self.git_commit:
            return "unknown commit"
        commit, dirty = self.git_commit.removesuffix("-dirty"), self.git_commit.endswith("-dirty")
        return f"{commit[:HASH_WIDTH]}" + (" (with uncommitted changes)" if dirty else "")

    def inputs_short(self, width: int = HASH_WIDTH) -> list[tuple[str, str]]:
        """Each input (table and filter) with its content hash shortened to ``width`` characters."""
        return [(name, digest[:width]) for name, digest in sorted(self.inputs.items())]

    def summary(self) -> str:
        """One plain-text line: when, from which commit, from which inputs."""
        inputs = "; ".join(f"{name} [{digest}]" for name, digest in self.inputs_short())
        return (
            f"Last run {self.finished_text} ({self.status}) from commit {self.commit_text}. "
            f"Inputs: {inputs or 'none recorded'}."
        )


def time_text(when: dt.datetime) -> str:
    """``26 November 2026, 12:06 UTC``: how pages say when something happened."""
    when = when.astimezone(dt.UTC) if when.tzinfo else when
    return f"{when.day} {when:%B %Y, %H:%M} UTC"


# --- Finding runs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunInfo:
    """A published run: where it is and its provenance."""

    analysis: str
    run_id: str
    path: Path
    provenance: Provenance

    @property
    def label(self) -> str:
        """What a selector shows: the value of the run's ``for_each`` parameter(s), else the run id."""
        values = [
            str(v)
            for k, v in sorted(self.provenance.parameters.items())
            if re.search(rf"(^|_){re.escape(k)}-{re.escape(str(v))}($|_|~)", self.run_id)
        ]
        label = ", ".join(values) or self.run_id
        return label + (" (non-default parameters)" if "~" in self.run_id else "")

    @property
    def default_parameters(self) -> bool:
        """False for a run made with ``-p`` overrides (its id carries ``~hash``)."""
        return "~" not in self.run_id


def _is_public_name(name: str) -> bool:
    return not name.startswith((".", "_"))


def list_runs(analysis: str, reports: str | Path | None = None, *, include_overrides: bool = False) -> list[RunInfo]:
    """Every published (successful) run of ``analysis``, in run-id order; empty if there is none."""
    folder = reports_root(reports) / analysis
    runs = []
    if folder.is_dir():
        for path in sorted(folder.iterdir(), key=lambda p: _natural_key(p.name)):
            if path.is_dir() and _is_public_name(path.name) and (path / PROVENANCE_JSON).exists():
                provenance = Provenance.read(path)
                if provenance.status == "success":
                    runs.append(RunInfo(analysis, path.name, path, provenance))
    return [r for r in runs if include_overrides or r.default_parameters] or runs


def list_analyses(reports: str | Path | None = None) -> list[str]:
    """Analyses with at least one published run."""
    root = reports_root(reports)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _is_public_name(p.name) and list_runs(p.name, root))


def _natural_key(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def failed_run(analysis: str, run_id: str | None = None, reports: str | Path | None = None) -> Provenance | None:
    """The provenance of the last failed attempt of a run (or of any run of ``analysis``), if one failed."""
    folder = reports_root(reports) / FAILED_DIR / analysis
    candidates = [folder / run_id] if run_id else sorted(folder.glob("*")) if folder.is_dir() else []
    found = [Provenance.read(c) for c in candidates if (c / PROVENANCE_JSON).exists()]
    return max(found, key=lambda p: p.finished_at) if found else None


def _missing_run_message(analysis: str, run_id: str | None, reports: Path) -> str:
    what = f"'{analysis}'" + (f" run '{run_id}'" if run_id else "")
    failure = failed_run(analysis, run_id, reports)
    if failure is not None:
        error = failure.error
        where = f" at cell {error['cell']}" if error.get("cell") is not None else ""
        return (
            f"No published results for {what}: its last run ({failure.run_id}, {failure.finished_text}) "
            f"failed{where} with {error.get('exception', 'an error')}: {error.get('message', '')}. "
            f"The dashboards show published results only; fix the analysis and run "
            f"`workbench run --select {analysis}`."
        )
    available = [r.run_id for r in list_runs(analysis, reports)]
    if run_id and available:
        return f"No published results for {what}. Published runs of '{analysis}': {', '.join(available)}."
    return (
        f"No published results for {what} yet: the analysis has not been run here. "
        f"Run `workbench run --select {analysis}` to publish them."
    )


def load_run(analysis: str, run_id: str | None = None, reports: str | Path | None = None) -> PublishedRun:
    """A published run; without ``run_id``, the most recently finished run of ``analysis``.

    Raises :class:`ResultsMissing` (with a message for readers) if there is none.
    """
    root = reports_root(reports)
    runs = list_runs(analysis, root)
    if run_id is not None:
        runs = [r for r in runs if r.run_id == run_id]
    if not runs:
        raise ResultsMissing(_missing_run_message(analysis, run_id, root), analysis=analysis, run_id=run_id or "")
    latest = max(runs, key=lambda r: r.provenance.finished_at)
    return PublishedRun(latest)


def load_runs(analysis: str, reports: str | Path | None = None, *, required: bool = False) -> list[PublishedRun]:
    """Every published run of ``analysis`` (run-id order); empty if none, or :class:`ResultsMissing` if
    ``required``."""
    runs = [PublishedRun(info) for info in list_runs(analysis, reports)]
    if required and not runs:
        root = reports_root(reports)
        raise ResultsMissing(_missing_run_message(analysis, None, root), analysis=analysis)
    return runs


# --- Values and cells ---------------------------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    """True for None, NaN and empty text."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(value != value)  # NaN-like scalars (numpy, pandas)
    except (TypeError, ValueError):
        return False


def to_number(value: Any) -> float | None:
    """A published value as a number; None for text, missing and suppressed values."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if is_missing(value) else float(value)
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def format_value(value: Any, *, suppressed: bool = False, decimals: int = 2, unit: str = "") -> str:
    """A value as the pages show it; suppressed values read ``[c] suppressed``, never ``0``.

    ``unit`` "GBP" gives ``£1,234``, "%" gives ``12.5%``; whole numbers have no decimals.
    """
    if suppressed or (isinstance(value, str) and value.strip() == SUPPRESSED_SYMBOL):
        return f"{SUPPRESSED_SYMBOL} {SUPPRESSED_TEXT}"
    if is_missing(value):
        return "not available"
    number = to_number(value)
    if number is None:
        return str(value)
    if unit.upper() in ("GBP", "£"):
        sign, number = ("-" if number < 0 else ""), abs(number)
        return f"{sign}£{number:,.0f}" if number >= 100 else f"{sign}£{number:,.2f}"
    text = f"{number:,.0f}" if float(number).is_integer() and abs(number) < 1e15 else f"{number:,.{decimals}f}"
    return text + ("%" if unit == "%" else "")


@dataclass(frozen=True)
class Cell:
    """One table cell as shown: text, and whether it is suppressed or a number (for alignment)."""

    text: str
    suppressed: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class PublishedTable:
    """A published table (``tables/<name>.csv``), kept as published: ``[c]`` stays ``[c]``."""

    name: str
    title: str
    frame: pd.DataFrame  # every cell as published text
    people_column: str | None = None
    threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD

    def people_columns(self) -> list[str]:
        """Columns that count people: the declared ``people_column`` and columns named like a count of people."""
        return [c for c in self.frame.columns if c == self.people_column or _counts_people(str(c))]

    def small_counts(self) -> pd.DataFrame:
        """True where a people count between 1 and ``threshold - 1`` was published (a disclosure risk).

        The analyses should never publish one; the dashboards suppress any that slip
        through, in the page and in the downloads, and say so.
        """
        numbers, people = self.numbers(), set(self.people_columns())
        return self._mask(
            {
                c: ((numbers[c] > 0) & (numbers[c] < self.threshold)).fillna(False).astype(bool)
                if c in people
                else None
                for c in self.frame.columns
            }
        )

    def _mask(self, columns: Mapping[Any, Any]) -> pd.DataFrame:
        """A boolean frame shaped like ``frame`` (a column given as None is all False)."""
        import pandas as pd

        index = self.frame.index
        return pd.DataFrame(
            {
                c: (pd.Series(False, index=index) if v is None else pd.Series(v, index=index)).astype(bool)
                for c, v in columns.items()
            },
            index=index,
            columns=list(columns),
        )

    def _text_mask(self, test: Any) -> pd.DataFrame:
        return self._mask(
            {c: test(self.frame[c].astype(str).str.strip()).to_numpy(dtype=bool) for c in self.frame.columns}
        )

    def suppressed(self) -> pd.DataFrame:
        """True where a cell is suppressed: ``[c]``, empty in a row whose people count is suppressed, or a
        people count below the threshold (see :meth:`small_counts`)."""
        return self._suppressed

    @cached_property
    def _suppressed(self) -> pd.DataFrame:  # a table is read many times while a page is drawn: computed once
        marked = self._text_mask(lambda column: column == SUPPRESSED_SYMBOL)
        if self.people_column and self.people_column in self.frame:
            people = self.frame[self.people_column].astype(str).str.strip()
            hidden_rows = ((people == "") | (people == SUPPRESSED_SYMBOL)).to_numpy(dtype=bool)
            marked = marked | self._text_mask(lambda column: (column == "") & hidden_rows)
        return marked | self.small_counts()

    def as_shown(self) -> pd.DataFrame:
        """The table as the page shows it: every suppressed cell ``[c]`` (what the downloads contain)."""
        return self.frame.mask(self.suppressed(), SUPPRESSED_SYMBOL)

    def numbers(self) -> pd.DataFrame:
        """Numeric view: numbers where the cell holds one, NaN elsewhere (suppressed cells included)."""
        return self._numbers

    @cached_property
    def _numbers(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                c: pd.to_numeric(self.frame[c].astype(str).str.replace(",", ""), errors="coerce")
                for c in self.frame.columns
            },
            index=self.frame.index,
            columns=list(self.frame.columns),
        )

    def numeric_columns(self) -> list[str]:
        """Columns whose every non-empty, non-suppressed cell is a number."""
        return list(self._numeric_columns)

    @cached_property
    def _numeric_columns(self) -> list[str]:
        out = []
        numbers = self.numbers()
        for column in self.frame:
            shown = self.frame[column].astype(str).str.strip()
            kept = (shown != "") & (shown != SUPPRESSED_SYMBOL)
            if kept.any() and numbers.loc[kept, column].notna().all():
                out.append(column)
        return out

    def cells(self) -> list[list[Cell]]:
        """The rows as formatted cells, suppressed ones marked."""
        suppressed, numeric = self.suppressed().to_numpy(), set(self.numeric_columns())
        values = self.frame.to_numpy()
        rows = []
        for i in range(len(self.frame)):
            row = []
            for j, column in enumerate(self.frame.columns):
                raw = values[i, j]
                hidden = bool(suppressed[i, j])
                if hidden:
                    row.append(Cell(f"{SUPPRESSED_SYMBOL} {SUPPRESSED_TEXT}", suppressed=True, numeric=True))
                elif column in numeric and raw.strip() != "":
                    row.append(Cell(format_published_number(raw, column), numeric=True))
                elif raw.strip() in ("True", "False"):  # how pandas writes a yes/no column
                    row.append(Cell(numbers.yes_no(raw.strip() == "True")))
                else:
                    row.append(Cell(raw if raw.strip() != "" else "", numeric=column in numeric))
            rows.append(row)
        return rows

    def where(self, column: str, value: str) -> PublishedTable:
        """The rows whose ``column`` equals ``value`` (as text)."""
        kept = self.frame[self.frame[column].astype(str) == str(value)].reset_index(drop=True)
        return replace(self, frame=kept)

    def retitled(self, title: str, name: str | None = None) -> PublishedTable:
        return replace(self, title=title, name=name or self.name)

    @property
    def has_suppressed(self) -> bool:
        return bool(self.suppressed().to_numpy().any())


def format_published_number(raw: str, column: str = "") -> str:
    """A published number as shown: whole numbers with thousands separators; others rounded to two
    decimals (three for rates, proportions and p-values), never to more decimals than were published."""
    number = to_number(raw)
    if number is None:
        return raw
    text = raw.strip().lower()
    if "e" not in text and "." not in text and number.is_integer():
        return f"{int(number):,}"
    wanted = 3 if any(word in column.lower() for word in ("rate", "proportion", "share", "p_value")) else 2
    if "p_value" in column.lower() and 0 <= number < 0.001:
        return "<0.001"
    published = len(text.split(".", 1)[1]) if "." in text and "e" not in text else wanted
    return f"{number:,.{min(published, wanted)}f}"


# Column names (lower case, spaces for underscores) that count people, in any published table.
PEOPLE_COUNT_WORDS = (
    "n",
    "people",
    "participants",
    "respondents",
    "completed",
    "completers",
    "withdrawn",
    "active",
    "enrolled",
    "paired",
    "missing baseline",
    "missing endpoint",
    "missing both",
    "missing follow-up",
    "attended",
    "responses",
    "count of people",
)


def _counts_people(column: str) -> bool:
    name = column.strip().lower().replace("_", " ")
    return name in PEOPLE_COUNT_WORDS or name.startswith(("n ", "number of people", "people "))


def _marked(frame: pd.DataFrame) -> pd.DataFrame:
    """A table whose rows carry a ``suppressed`` flag (a protected rate) as shown: ``[c]`` in each flagged row's
    empty cells, the flag column dropped."""
    if "suppressed" not in frame:
        return frame
    flagged = frame["suppressed"].str.strip().str.lower().isin(("true", "1", "yes"))
    shown = frame.drop(columns="suppressed")
    empty = shown.apply(lambda column: column.str.strip() == "")
    return shown.mask(empty.apply(lambda column: column & flagged), SUPPRESSED_SYMBOL)


def read_table_csv(path: Path) -> pd.DataFrame:
    """A published CSV with every cell as text (so ``[c]`` and empty cells survive as published).

    Pages read the same tables many times (every authority page reads every project's tables), so parsed
    tables are kept while the file is unchanged (same size and modification time); each caller gets a copy.
    """
    status = path.stat()
    return _parsed_table_csv(str(path), status.st_mtime_ns, status.st_size).copy()


@lru_cache(maxsize=512)
def _parsed_table_csv(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    import pandas as pd

    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:  # a table published with no columns
        return pd.DataFrame()


# --- Figures ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedFigure:
    """A published plotly figure with its title and text alternative."""

    name: str
    title: str
    alt_text: str
    path: Path

    def figure(self) -> go.Figure:
        """The plotly figure, with the shared Analysis Function template applied."""
        import plotly.io as pio

        from ..charts import template

        figure = pio.from_json(self.path.read_text(encoding="utf-8"), skip_invalid=True)
        figure.update_layout(template=template())
        return figure


# --- A published run ----------------------------------------------------------------------------------------------


class PublishedRun:
    """One run's published output, read lazily."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info

    def __repr__(self) -> str:
        return f"PublishedRun({self.info.analysis!r}, {self.info.run_id!r})"

    @property
    def analysis(self) -> str:
        return self.info.analysis

    @property
    def run_id(self) -> str:
        return self.info.run_id

    @property
    def path(self) -> Path:
        return self.info.path

    @property
    def provenance(self) -> Provenance:
        return self.info.provenance

    @property
    def report_html(self) -> Path | None:
        path = self.path / REPORT_HTML
        return path if path.exists() else None

    def _missing(self, what: str) -> ResultsMissing:
        return ResultsMissing(
            f"The run '{self.analysis}/{self.run_id}' ({self.provenance.finished_text}) did not publish {what}.",
            analysis=self.analysis,
            run_id=self.run_id,
        )

    @cached_property
    def results(self) -> pd.DataFrame:
        """The tidy results table (``results.parquet``, else ``results.csv``)."""
        import pandas as pd

        if (self.path / RESULTS_PARQUET).exists():
            frame = pd.read_parquet(self.path / RESULTS_PARQUET)
        elif (self.path / RESULTS_CSV).exists():
            frame = pd.read_csv(self.path / RESULTS_CSV)
        else:
            raise self._missing("results (results.parquet or results.csv)")
        if "suppressed" not in frame:
            frame["suppressed"] = False
        frame["suppressed"] = frame["suppressed"].map(lambda v: str(v).strip().lower() in ("true", "1", "yes"))
        return frame

    def estimates(self, term: str | None = None, group: str | None = None) -> pd.DataFrame:
        """Results rows for ``term`` (and ``group``; a group ending in ``*`` matches by prefix)."""
        frame = self.results
        if term is not None:
            frame = frame[frame["term"] == term]
        if group is not None:
            groups = frame["group"].astype(str)
            frame = frame[groups.str.startswith(group[:-1]) if group.endswith("*") else groups == group]
        return frame.reset_index(drop=True)

    @cached_property
    def tables_index(self) -> dict[str, dict[str, Any]]:
        path = self.path / TABLES_INDEX
        return _read_json(path) if path.exists() else {}

    @cached_property
    def figures_index(self) -> dict[str, dict[str, Any]]:
        path = self.path / FIGURES_INDEX
        return _read_json(path) if path.exists() else {}

    def has_table(self, name: str) -> bool:
        return name in self.tables_index and (self.path / "tables" / f"{name}.csv").exists()

    def has_figure(self, name: str) -> bool:
        return name in self.figures_index and (self.path / "figures" / f"{name}.json").exists()

    def table(self, name: str) -> PublishedTable:
        """A published table by name; :class:`ResultsMissing` if the run did not publish it."""
        if not self.has_table(name):
            raise self._missing(f"the table '{name}'")
        entry = self.tables_index[name]
        return PublishedTable(
            name,
            str(entry.get("title") or name),
            _marked(read_table_csv(self.path / "tables" / f"{name}.csv")),
            entry.get("people_column"),
            self.threshold,
        )

    @property
    def threshold(self) -> int:
        """The run's disclosure threshold (its ``disclosure_threshold`` parameter, else the default)."""
        value = to_number(self.provenance.parameters.get("disclosure_threshold"))
        return int(value) if value else config.DEFAULT_DISCLOSURE_THRESHOLD

    def tables(self) -> Iterator[PublishedTable]:
        """Every published table, in the index's order."""
        for name in self.tables_index:
            if self.has_table(name):
                yield self.table(name)

    def figure(self, name: str) -> PublishedFigure:
        """A published figure by name; :class:`ResultsMissing` if the run did not publish it."""
        if not self.has_figure(name):
            raise self._missing(f"the figure '{name}'")
        entry = self.figures_index[name]
        return PublishedFigure(
            name,
            str(entry.get("title") or name),
            str(entry.get("alt_text") or ""),
            self.path / "figures" / f"{name}.json",
        )

    def figures(self) -> Iterator[PublishedFigure]:
        for name in self.figures_index:
            if self.has_figure(name):
                yield self.figure(name)


# --- Estimates in words -------------------------------------------------------------------------------------------


def describe_estimate(
    row: Mapping[str, Any],
    *,
    signed: bool = False,
    unit: str = "",
    decimals: int = 2,
    people: bool = True,
    threshold: int = config.DEFAULT_DISCLOSURE_THRESHOLD,
) -> str:
    """``+1.25 (95% interval 0.63 to 1.87; 5 people)``, or ``[c] suppressed`` for a suppressed estimate.

    ``unit``: "" (``decimals`` places, a sign if ``signed``), "count", "proportion" (as a percentage) or "GBP".
    With ``people`` (``n`` counts people), the count is added and an estimate about 1 to ``threshold - 1``
    people reads suppressed even if the run did not suppress it.
    """
    estimate, n = row.get("estimate"), to_number(row.get("n"))
    small = people and unit != "count" and n is not None and 0 < n < threshold  # about too few people
    if bool(row.get("suppressed")) or small:
        return f"{SUPPRESSED_SYMBOL} {SUPPRESSED_TEXT}"
    if is_missing(estimate):
        return "not available"
    number = float(estimate)

    def show(value: float) -> str:
        if unit == "GBP":
            return format_value(value, unit="GBP")
        if unit == "count":
            return f"{value:,.0f}"
        if unit == "proportion":
            return f"{100 * value:.1f}%" if abs(value) <= 1 else f"{value:.1f}%"
        return f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"

    extras = []
    low, high = row.get("conf_low"), row.get("conf_high")
    if not is_missing(low) and not is_missing(high):
        extras.append(f"95% interval {show(float(low)).lstrip('+')} to {show(float(high)).lstrip('+')}")
    if people and unit != "count" and n:
        extras.append(f"{int(n)} people")
    return show(number) + (f" ({'; '.join(extras)})" if extras else "")
