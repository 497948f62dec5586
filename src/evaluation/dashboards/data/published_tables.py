"""Published tables as the pages show them: every cell kept as published text, ``[c]`` kept as ``[c]``, and the
cells a reader must not see (a people count under the disclosure threshold that slipped through) suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import config
from ...presentation import numbers
from .values import SUPPRESSED_SYMBOL, SUPPRESSED_WORDS, format_published_number

if TYPE_CHECKING:
    import pandas as pd


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
        out: list[str] = []
        numbers = self.numbers()
        for column in self.frame.columns:
            shown = self.frame[column].astype(str).str.strip()
            kept = (shown != "") & (shown != SUPPRESSED_SYMBOL)
            if kept.any() and numbers[column][kept].notna().all():
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
                    row.append(Cell(SUPPRESSED_WORDS, suppressed=True, numeric=True))
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


def marked(frame: pd.DataFrame) -> pd.DataFrame:
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
