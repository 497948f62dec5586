"""Tables for reports: no index, headers in words with units, numbers by one set of rules, symbols explained.

Following the Government Analysis Function's guidance on tables: a caption that says what the table shows,
column headers in words with their units, numbers right-aligned, the first column as row headers (for
screen readers), ``[c]`` and the missing-value dash explained in a note under the table, and long text
wrapped rather than cut.

References
----------
Government Analysis Function (2021). *Accessibility: tables*; *Releasing statistics in spreadsheets*.
https://analysisfunction.civilservice.gov.uk/policy-store/
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from . import numbers

if TYPE_CHECKING:
    import pandas as pd

Kind = Literal["text", "score", "change", "percent", "money", "count", "number", "p", "date", "yes_no"]
NUMERIC_KINDS = frozenset({"score", "change", "percent", "money", "count", "number", "p"})

_FORMATS: dict[str, Callable[[Any], str]] = {
    "score": numbers.score,
    "change": lambda v: numbers.score(v, signed=True),
    "percent": numbers.percent,
    "money": numbers.money,
    "count": numbers.count,
    "number": numbers.number,
    "p": numbers.p_value,
    "date": numbers.date,
    "yes_no": numbers.yes_no,
}


@dataclass(frozen=True)
class Column:
    """A column of a report table: the frame's column, its header in words (with units), and its kind.

    ``kind`` picks the number rule (:mod:`evaluation.presentation.numbers`): ``score`` (2 d.p.),
    ``change`` (signed, 2 d.p.), ``percent`` (a proportion shown as %), ``money`` (£), ``count``,
    ``number``, ``p`` (p-value), ``date``, ``yes_no`` or ``text``.
    """

    name: str
    header: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A table as a report shows it; displays as HTML in a notebook and in the report rendered from it."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    notes: tuple[str, ...] = field(default=())

    def _repr_html_(self) -> str:
        def cell(text: str, numeric: bool, tag: str, scope: str = "") -> str:
            attributes = (f' scope="{scope}"' if scope else "") + (' class="wb-num"' if numeric else "")
            return f"<{tag}{attributes}>{html.escape(text)}</{tag}>"

        head = "".join(cell(h, n, "th", "col") for h, n in zip(self.headers, self.numeric, strict=True))
        body = "".join(
            "<tr>"
            + "".join(
                cell(text, n, "th" if i == 0 else "td", "row" if i == 0 else "")
                for i, (text, n) in enumerate(zip(row, self.numeric, strict=True))
            )
            + "</tr>"
            for row in self.rows
        )
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes)
        return (
            f'<div class="wb-table"><table><caption>{html.escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            + (f'<ul class="wb-table-notes">{notes}</ul>' if notes else "")
            + "</div>"
        )

    def __repr__(self) -> str:
        return f"Table: {self.caption} ({len(self.rows)} rows)"


def _shown(value: Any, kind: Kind, suppressed: bool) -> str:
    if isinstance(value, str) and value.strip() == numbers.SUPPRESSED:
        return numbers.SUPPRESSED
    if numbers.is_missing(value):
        return numbers.SUPPRESSED if suppressed else numbers.MISSING
    if kind == "text":
        return str(value)
    if isinstance(value, str) and kind in NUMERIC_KINDS:
        value = float(value.replace(",", ""))
    return _FORMATS[kind](value)


def table(
    frame: pd.DataFrame, columns: Sequence[Column], *, caption: str, source: str = "", notes: Sequence[str] = ()
) -> Table:
    """``frame`` as a report table with ``columns`` (others are left out), in the frame's row order.

    A missing value in a row flagged ``suppressed`` (the tidy frames of
    :func:`~evaluation.statistics.disclosure.suppress_small_groups`) or a ``[c]`` cell shows ``[c]``; any
    other missing value shows a dash. The symbols used are explained under the table, then ``notes``, then
    ``source``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"group": ["quality", "relevance"], "estimate": [4.1234, float("nan")],
    ...                       "suppressed": [False, True]})
    >>> t = table(frame, [Column("group", "Rating"), Column("estimate", "Mean (1 to 5)", "score")],
    ...           caption="Ratings at the end")
    >>> t.rows
    (('quality', '4.12'), ('relevance', '[c]'))
    >>> t.notes[0].startswith("[c] Suppressed")
    True
    """
    missing = [c.name for c in columns if c.name not in frame.columns]
    if missing:
        raise KeyError(f"table '{caption}': no column(s) {missing} in the frame (it has {list(frame.columns)})")
    flags = frame["suppressed"].fillna(False).astype(bool).tolist() if "suppressed" in frame else [False] * len(frame)
    rows = tuple(
        tuple(_shown(record[c.name], c.kind, flag) for c in columns)
        for record, flag in zip(frame.to_dict("records"), flags, strict=True)
    )
    used = {text for row in rows for text in row}
    symbols = [
        note
        for symbol, note in ((numbers.SUPPRESSED, numbers.SUPPRESSED_NOTE), (numbers.MISSING, numbers.MISSING_NOTE))
        if symbol in used
    ]
    return Table(
        caption,
        tuple(c.header for c in columns),
        rows,
        tuple(c.kind in NUMERIC_KINDS for c in columns),
        tuple(symbols) + tuple(notes) + ((f"Source: {source}",) if source else ()),
    )
