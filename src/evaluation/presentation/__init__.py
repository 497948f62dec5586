"""The presentation layer: how every report shows numbers, tables and findings.

One set of number rules (:mod:`.numbers`), tables without index and with symbols explained (:mod:`.tables`),
findings as Markdown with a summary and notes on the analysis (:mod:`.findings`)::

    from evaluation import presentation as show
    findings = show.Findings(question="...", design="...")
    findings.key("Confidence", "...", evidence="...")      # shown here, listed in the summary
    show.table(frame, [show.Column("group", "Rating"), show.Column("estimate", "Mean (1 to 5)", "score")],
               caption="Ratings at the end of the programme")
    findings.summary()   # last cells, tagged "summary" (the report shows it first)
    findings.notes()     # tagged "notes"
"""

from .findings import Findings, KeyFinding, Markdown, declare_population, people, title
from .numbers import (
    MISSING,
    SUPPRESSED,
    count,
    date,
    interval,
    money,
    number,
    p_phrase,
    p_value,
    percent,
    score,
    yes_no,
)
from .tables import Column, Table, table

__all__ = [
    "MISSING",
    "SUPPRESSED",
    "Column",
    "Findings",
    "KeyFinding",
    "Markdown",
    "Table",
    "count",
    "date",
    "declare_population",
    "interval",
    "money",
    "number",
    "p_phrase",
    "p_value",
    "people",
    "percent",
    "score",
    "table",
    "title",
    "yes_no",
]
