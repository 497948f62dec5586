"""Published runs, as the dashboards read them: by analysis name, run id, table name and figure name.

Nothing here computes a statistic. A page asks for a run (``load_run``), then
for its results, tables and figures by name; anything that is not there
raises :class:`ResultsMissing`, whose message says what is missing and what to
run, so a page can show it instead of a traceback.

Suppression is carried through as published: a table cell ``[c]`` (or an empty
count in a table's people column) and a results row with ``suppressed`` true
are *suppressed*, and :func:`format_value` and :meth:`PublishedTable.cells`
say so; they are never turned into zeros.

The modules: :mod:`.published_runs` (finding and reading runs: provenance, results, figures),
:mod:`.published_tables` (a table as published, with its suppressed cells) and :mod:`.values` (values in
words, by the reports' number rules, :mod:`evaluation.presentation.numbers`).
"""

from __future__ import annotations

from .published_runs import (
    Provenance,
    PublishedFigure,
    PublishedRun,
    ResultsMissing,
    RunInfo,
    failed_run,
    list_analyses,
    list_runs,
    load_run,
    load_runs,
    reports_root,
    time_text,
)
from .published_tables import PEOPLE_COUNT_WORDS, Cell, PublishedTable
from .values import (
    NOT_AVAILABLE,
    SUPPRESSED_NOTE,
    SUPPRESSED_SYMBOL,
    SUPPRESSED_TEXT,
    SUPPRESSED_WORDS,
    describe_estimate,
    format_published_number,
    format_value,
    is_missing,
    to_number,
)

__all__ = [
    "NOT_AVAILABLE",
    "PEOPLE_COUNT_WORDS",
    "SUPPRESSED_NOTE",
    "SUPPRESSED_SYMBOL",
    "SUPPRESSED_TEXT",
    "SUPPRESSED_WORDS",
    "Cell",
    "Provenance",
    "PublishedFigure",
    "PublishedRun",
    "PublishedTable",
    "ResultsMissing",
    "RunInfo",
    "describe_estimate",
    "failed_run",
    "format_published_number",
    "format_value",
    "is_missing",
    "list_analyses",
    "list_runs",
    "load_run",
    "load_runs",
    "reports_root",
    "time_text",
    "to_number",
]
