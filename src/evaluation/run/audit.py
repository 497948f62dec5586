"""The disclosure audit of a finished run folder: every output checked together, before it is published.

Suppression applied table by table protects nothing if a sentence, the tidy
results' ``n`` column or a chart's hover text gives the suppressed number, or
its complement, away. This module reads what a run folder publishes:

* ``results.csv`` / ``results.parquet``: the ``n`` column (and the statistics of small groups);
* ``tables/*.csv`` with ``tables/index.json``: the ``people_column`` of each table, the shares
  of people it declares with their base (``shares``), and cells suppressed (``[c]``) in tables
  with ``Total`` margins;
* ``figures/*.json``: text, hover text and hover templates filled with each point's ``customdata``;
* ``report.html``: visible text, and the people counts marked
  ``<span data-people="LABEL">N</span>`` (:meth:`evaluation.run.contract.Run.people`);

and fails when

1. a people count is in ``1 .. k-1`` (the threshold rule);
2. a people count ``n`` and its complement ``T - n`` against the total ``T`` of
   its population break :func:`~evaluation.statistics.disclosure.count_publishable`
   (a share ``p`` of a base ``T`` published beside it counts as ``n = pT``:
   :func:`~evaluation.statistics.disclosure.share_publishable`).
   Populations are those the run declared (``disclosure.json``,
   :meth:`~evaluation.run.contract.Run.population`: spans name theirs, results and
   tables use the first unless a table names one), and, implicitly, each row of a
   published table with margins that has a suppressed cell: a result whose
   ``group`` starts with that row's label (``confidence: baseline to endpoint``
   for the row ``confidence``), or a count in a sentence that names the row's
   label, is checked against the row's published total;
3. a suppressed table cell is recoverable from the published margins
   (:func:`~evaluation.statistics.disclosure.recoverable_cells`);
4. the same quantity (a row and column of tables over the same dimension, i.e.
   the same first column; a result's group and term) is suppressed in one
   output and published in another.

Counts in free text are recognised as ``n = 3`` or ``3 participants`` (people,
respondents, leaders, members); anything else must be marked with a span. An
internal run is not audited: ``audit.json`` records that it was not.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config
from ..run_folder import (
    AUDIT_JSON,
    DISCLOSURE_JSON,
    FIGURES_DIR,
    FIGURES_INDEX,
    REPORT_HTML,
    RESULTS_CSV,
    RESULTS_PARQUET,
    TABLES_DIR,
    TABLES_INDEX,
    write_atomically,
)
from ..statistics.disclosure import (
    SUPPRESSED_SYMBOL,
    TOTAL,
    count_publishable,
    find_disclosure_risks,
    recoverable_cells,
    share_publishable,
)
from .contract import INTERNAL, NOT_PEOPLE, PUBLIC

PEOPLE_SPAN = re.compile(r'<span data-people="([^"]*)">(.*?)</span>', re.DOTALL)
# "n = 3", "n=3", "3 participants", "3 people": how the notebooks write counts of people in text.
PEOPLE_IN_TEXT = re.compile(
    r"\bn\s*=\s*(\d+)\b|\b(\d+)\s+(?:participants?|people|persons?|respondents?|leaders?|members?)\b", re.IGNORECASE
)
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


class DisclosureAuditError(ValueError):
    """A finished run publishes something that breaks disclosure control; the message names each place."""


@dataclass(frozen=True)
class Finding:
    """One place in a run's outputs that discloses: the file, the row, the column (or the sentence), why."""

    output: str
    row: str
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.output}, row {self.row}, column {self.column}: {self.reason} (published: {self.value})"


@dataclass(frozen=True)
class _Declaration:
    audience: str
    k: int
    populations: dict[str, int]

    @property
    def main(self) -> tuple[str, int] | None:
        return next(iter(self.populations.items()), None)


def read_declaration(folder: Path) -> _Declaration:
    """The run's audience, threshold and populations (``disclosure.json``; public at the default without it)."""
    path = folder / DISCLOSURE_JSON
    if not path.exists():
        return _Declaration(PUBLIC, config.DEFAULT_DISCLOSURE_THRESHOLD, {})
    record = json.loads(path.read_text())
    return _Declaration(record["audience"], int(record["threshold"]), dict(record.get("populations", {})))


def audit_run_folder(folder: Path) -> list[Finding]:
    """Everything in a run folder that breaks disclosure control at the run's threshold; empty when safe.

    See the module notes for what is read and the four rules checked.
    """
    declared = read_declaration(folder)
    tables = list(_tables(folder))
    implicit = {label: total for table in tables for label, total in table.row_totals.items()}
    findings: list[Finding] = []
    quantities: dict[tuple[str, ...], list[tuple[Finding, bool]]] = {}
    for output, frame in _results(folder):
        findings += _result_findings(output, frame, declared, implicit, quantities)
    for table in tables:
        findings += _table_findings(table, declared, quantities)
    for output, row, column, text in _figure_texts(folder):
        findings += _text_findings(output, row, column, text, declared, {})
    report = folder / REPORT_HTML
    if report.exists():
        findings += _report_findings(report.read_text(encoding="utf-8"), declared, implicit)
    for places in quantities.values():
        if any(suppressed for _, suppressed in places):
            findings += [place for place, suppressed in places if not suppressed]
    return findings


def audit_finished_run(folder: Path) -> dict[str, Any]:
    """The runner's check of a finished run before it is published: ``{}``, or the run's error.

    Writes ``audit.json`` into the run folder: the findings of a public run, or
    that an internal run was not audited (internal runs show every figure and
    are written only where nothing publishes from).
    """
    try:
        declared = read_declaration(folder)
        findings = [] if declared.audience == INTERNAL else audit_run_folder(folder)
    except Exception as error:  # an output the audit cannot read is not published unread
        return {
            "cell": None,
            "exception": DisclosureAuditError.__name__,
            "message": f"disclosure audit: the run's outputs could not be read ({type(error).__name__}: "
            f"{error}); the run was not published",
        }
    if declared.audience == INTERNAL:
        record: dict[str, Any] = {
            "audited": False,
            "audience": INTERNAL,
            "note": "internal run: every figure shown; not audited, not for publication",
        }
    else:
        record = {
            "audited": True,
            "audience": declared.audience,
            "threshold": declared.k,
            "findings": [asdict(f) for f in findings],
        }
    write_atomically(folder / AUDIT_JSON, json.dumps(record, indent=1).encode())
    if not findings:
        return {}
    shown = "\n".join(f"  {f}" for f in findings[:20])
    more = f"\n  ... and {len(findings) - 20} more (audit.json)" if len(findings) > 20 else ""
    return {
        "cell": None,
        "exception": DisclosureAuditError.__name__,
        "message": f"disclosure audit at k={declared.k}: {len(findings)} problem(s); the run was not "
        f"published:\n{shown}{more}",
    }


def assert_run_publishable(folder: Path) -> None:
    """Raise :class:`DisclosureAuditError` listing every finding of :func:`audit_run_folder`."""
    findings = audit_run_folder(folder)
    if findings:
        raise DisclosureAuditError(
            f"{folder}: {len(findings)} disclosure problem(s):\n" + "\n".join(f"  {f}" for f in findings)
        )


def _check_count(
    output: str, row: str, column: str, n: float, k: int, populations: dict[str, int]
) -> Iterator[Finding]:
    """Threshold rule, then the complement rule against each population that can contain the count."""
    if 1 <= n < k:
        yield Finding(output, row, column, f"{n:g}", f"a count of fewer than {k} people")
        return
    for label, total in populations.items():
        if n <= total and not count_publishable(n, total, k):
            yield Finding(
                output,
                row,
                column,
                f"{n:g}",
                f"its complement {total:g} - {n:g} = {total - n:g} of population '{label}' "
                f"(total {total:g} published) is under {k}",
            )
            return  # one finding per place: the first population it leaks against


def _results(folder: Path) -> Iterator[tuple[str, pd.DataFrame]]:
    if (folder / RESULTS_CSV).exists():
        yield RESULTS_CSV, pd.read_csv(folder / RESULTS_CSV)
    if (folder / RESULTS_PARQUET).exists():
        yield RESULTS_PARQUET, pd.read_parquet(folder / RESULTS_PARQUET)


def _leading_label(group: object) -> str:
    return re.split(r":| \(", str(group), maxsplit=1)[0].strip()


def _result_findings(
    output: str,
    frame: pd.DataFrame,
    declared: _Declaration,
    implicit: dict[str, int],
    quantities: dict[tuple[str, ...], list[tuple[Finding, bool]]],
) -> list[Finding]:
    if "n" not in frame.columns:
        return []
    findings = [
        Finding(output, str(row + 1), str(column), f"{value:g}", reason.replace("k", str(declared.k), 1))
        for row, column, value, reason in find_disclosure_risks(frame, declared.k).itertuples(index=False)
    ]
    sizes = pd.to_numeric(frame["n"], errors="coerce")
    for position, n in enumerate(sizes):
        group = str(frame["group"].iat[position]) if "group" in frame.columns else ""
        term = str(frame["term"].iat[position]) if "term" in frame.columns else ""
        place = Finding(
            output,
            str(position + 1),
            "n",
            "" if pd.isna(n) else f"{n:g}",
            f"n of {term!r} ({group}) is suppressed in another output",
        )
        quantities.setdefault(("result", group, term), []).append((place, bool(pd.isna(n))))
        if pd.isna(n) or n < declared.k:
            continue  # small ones are already found above
        populations = _own_population(frame, position, declared)
        label = _leading_label(group)
        if label in implicit:
            populations[f"{label} (table row total)"] = implicit[label]
        findings += _check_count(output, str(position + 1), "n", float(n), declared.k, populations)
    return findings


def _own_population(frame: pd.DataFrame, position: int, declared: _Declaration) -> dict[str, int]:
    named = frame["population"].iat[position] if "population" in frame.columns else None
    if named == NOT_PEOPLE:
        return {}
    if isinstance(named, str) and named in declared.populations:
        return {named: declared.populations[named]}
    return dict([declared.main]) if declared.main else {}


@dataclass
class _Table:
    output: str
    frame: pd.DataFrame  # as published, text
    people_column: str | None
    population: str | None
    row_totals: dict[str, int]
    shares: dict[str, str]


def _tables(folder: Path) -> Iterator[_Table]:
    index_path = folder / TABLES_INDEX
    index = json.loads(index_path.read_text()) if index_path.exists() else {}
    for path in sorted((folder / TABLES_DIR).glob("*.csv")):
        entry = index.get(path.stem, {})
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:  # an empty table publishes nothing
            continue
        yield _Table(
            f"tables/{path.name}",
            frame,
            entry.get("people_column", "n"),
            entry.get("population"),
            _row_totals(frame),
            dict(entry.get("shares", {})),
        )


def _with_margins(frame: pd.DataFrame) -> pd.DataFrame | None:
    """A published table with ``Total`` margins as numbers (NaN where ``[c]``), labelled by its first column."""
    if frame.empty or TOTAL not in set(frame.iloc[:, 0]):
        return None
    labelled = frame.set_index(frame.columns[0])
    return labelled.replace(SUPPRESSED_SYMBOL, float("nan")).apply(pd.to_numeric, errors="coerce")


def _row_totals(frame: pd.DataFrame) -> dict[str, int]:
    """Each row label of a two-way table with margins and a suppressed cell: its published total."""
    numbers = _with_margins(frame)
    if numbers is None or TOTAL not in numbers.columns:
        return {}
    suppressed = (frame.set_index(frame.columns[0]) == SUPPRESSED_SYMBOL).any(axis=1)
    return {
        str(label): int(total)
        for label, total in numbers[TOTAL].items()
        if label != TOTAL and suppressed.get(label, False) and pd.notna(total)
    }


def _table_findings(
    table: _Table, declared: _Declaration, quantities: dict[tuple[str, ...], list[tuple[Finding, bool]]]
) -> list[Finding]:
    findings: list[Finding] = []
    frame, k = table.frame, declared.k
    label_column = frame.columns[0]
    if table.people_column is not None and table.people_column in frame.columns:
        populations = (
            {table.population: declared.populations[table.population]}
            if table.population in declared.populations
            else dict([declared.main])
            if declared.main
            else {}
        )
        for position, value in enumerate(pd.to_numeric(frame[table.people_column], errors="coerce")):
            if pd.notna(value):
                findings += _check_count(
                    table.output,
                    f"{position + 1} ({frame[label_column].iat[position]})",
                    table.people_column,
                    float(value),
                    k,
                    populations,
                )
    for share, base in table.shares.items():
        values = pd.to_numeric(frame[share], errors="coerce")
        bases = pd.to_numeric(frame[base], errors="coerce")
        for position, (value, of) in enumerate(zip(values, bases, strict=True)):
            if not share_publishable(value, of, k):
                findings.append(
                    Finding(
                        table.output,
                        f"{position + 1} ({frame[label_column].iat[position]})",
                        share,
                        f"{value:g}",
                        f"a share of {of:g} people: it gives back a count "
                        f"of {round(value * of):g} whose count or complement is under {k}",
                    )
                )
    numbers = _with_margins(frame)
    if numbers is None:
        return findings
    has_suppressed = bool((frame == SUPPRESSED_SYMBOL).any().any())
    for label in numbers.index:
        for column in numbers.columns:
            suppressed = (
                frame.set_index(label_column).at[label, column] == SUPPRESSED_SYMBOL
                if numbers.index.is_unique
                else False
            )
            value = float("nan")
            if numbers.index.is_unique:  # pandas-stubs types .at as any scalar; _with_margins made them numbers
                value = float(numbers.at[label, column])  # type: ignore[arg-type]  # a number, see _with_margins
            place = Finding(
                table.output, str(label), str(column), f"{value:g}", "the same cell is suppressed in another output"
            )
            if TOTAL not in (label, column):  # every table has margins called Total: not one quantity
                key = ("cell", str(label_column), str(label), str(column))  # same dimension, row and column
                quantities.setdefault(key, []).append((place, bool(suppressed)))
            if has_suppressed and pd.notna(value) and 1 <= value < k and TOTAL not in (label, column):
                findings.append(
                    Finding(
                        table.output,
                        str(label),
                        str(column),
                        f"{value:g}",
                        f"a count of fewer than {k} people in a table with suppressed cells",
                    )
                )
    one_way = TOTAL not in numbers.columns
    if not has_suppressed or (one_way and numbers.shape[1] != 1):
        return findings
    for row, cell in recoverable_cells(numbers):
        findings.append(
            Finding(
                table.output,
                str(row),
                str(cell),
                SUPPRESSED_SYMBOL,
                "the suppressed cell can be recovered from the published margins",
            )
        )
    return findings


def _figure_texts(folder: Path) -> Iterator[tuple[str, str, str, str]]:
    """(output, trace/point, field, text) for every text a reader of each figure sees, hover included."""
    index_path = folder / FIGURES_INDEX
    for path in sorted((folder / FIGURES_DIR).glob("*.json")):
        if path.name == Path(FIGURES_INDEX).name:
            continue
        output = f"figures/{path.name}"
        figure = json.loads(path.read_text())
        for number, trace in enumerate(figure.get("data", [])):
            name = f"trace {number} ({trace.get('name', '')})"
            for field in ("text", "hovertext"):
                for point, text in enumerate(_as_list(trace.get(field))):
                    yield output, f"{name} point {point}", field, str(text)
            template = trace.get("hovertemplate")
            customdata = _as_list(trace.get("customdata"))
            points = max(len(_as_list(trace.get("x"))), len(_as_list(trace.get("y"))), len(customdata))
            for point in range(points if isinstance(template, str) else 0):
                yield output, f"{name} point {point}", "hovertemplate", _fill(template, trace, point)
            if not isinstance(template, str):
                for point, data in enumerate(customdata):
                    yield output, f"{name} point {point}", "customdata", json.dumps(data)
        for number, annotation in enumerate(figure.get("layout", {}).get("annotations", [])):
            yield output, f"annotation {number}", "text", str(annotation.get("text", ""))
    if index_path.exists():
        for name, entry in json.loads(index_path.read_text()).items():
            yield FIGURES_INDEX, name, "alt_text", str(entry.get("alt_text", ""))


def _as_list(value: Any) -> list[Any]:
    if value is None or isinstance(value, str | int | float):
        return [] if value is None else [value]
    if isinstance(value, dict) and "bdata" in value:  # plotly's typed-array encoding
        import base64

        import numpy as np

        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")  # "5, 2" in plotly's JSON
        if isinstance(shape, str):
            shape = tuple(int(size) for size in shape.split(","))
        return data.reshape(shape).tolist() if shape else data.tolist()
    return list(value)


def _fill(template: str, trace: dict[str, Any], point: int) -> str:
    """A hover template with ``%{x}``, ``%{y}``, ``%{text}``, ``%{customdata[i]}`` filled for one point."""

    def value(match: re.Match[str]) -> str:
        name, index = match.group(1), match.group(2)
        values = _as_list(trace.get(name))
        if point >= len(values):
            return ""
        item = values[point]
        if index is not None and isinstance(item, list | tuple):
            item = item[int(index)] if int(index) < len(item) else ""
        return str(item)

    return re.sub(r"%\{(\w+)(?:\[(\d+)\])?(?::[^}]*)?\}", value, template)


def _text_findings(
    output: str, row: str, column: str, text: str, declared: _Declaration, implicit: dict[str, int]
) -> list[Finding]:
    """Counts written in ``text``: against the run's population, and a table row's total if the text names it."""
    findings: list[Finding] = []
    named = {
        label: total for label, total in implicit.items() if re.search(rf"\b{re.escape(label)}\b", text, re.IGNORECASE)
    }
    populations = {
        **(dict([declared.main]) if declared.main else {}),
        **{f"{label} (table row total)": total for label, total in named.items()},
    }
    for match in PEOPLE_IN_TEXT.finditer(text):
        n = float(match.group(1) or match.group(2))
        findings += _check_count(output, row, column, n, declared.k, populations)
    return findings


def _report_findings(page: str, declared: _Declaration, implicit: dict[str, int]) -> list[Finding]:
    """Counts in the report's visible text: the marked spans against their population, then plain counts."""
    findings: list[Finding] = []
    visible = html.unescape(_HIDDEN.sub(" ", page))  # a printed span arrives escaped: read it unescaped
    for match in PEOPLE_SPAN.finditer(visible):
        label, shown = match.group(1), _TAG.sub("", match.group(2)).strip()
        sentence = _sentence(visible, match.start(), match.end())
        if label not in declared.populations:
            findings.append(
                Finding(
                    REPORT_HTML,
                    sentence,
                    f'data-people="{label}"',
                    shown,
                    f"population '{label}' is not declared (run.population)",
                )
            )
        elif re.fullmatch(r"\d+", shown):
            findings += _check_count(
                REPORT_HTML,
                sentence,
                f'data-people="{label}"',
                float(shown),
                declared.k,
                {label: declared.populations[label]},
            )
    unmarked = PEOPLE_SPAN.sub(" ", visible)
    for line in _TAG.sub(" ", unmarked).splitlines():
        if line.strip():
            findings += _text_findings(REPORT_HTML, repr(line.strip()[:120]), "text", line, declared, implicit)
    return findings


def _sentence(text: str, start: int, end: int) -> str:
    """The words around a span, without tags, to name the sentence in the message."""
    around = _TAG.sub(" ", text[max(0, start - 100) : end + 100])
    return repr(" ".join(around.split())[:200])
