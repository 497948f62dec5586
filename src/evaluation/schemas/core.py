"""A small declarative schema language: tables, columns, keys and rules (checked in ``validation``).

Why not pandera? Every problem must name the *file row* an evaluator sees in
Excel (header rows included) and the column as it is headed in the export, and
a million-row survey must be validated in a fraction of a second. The rules
here are the same kind pandera states (types, allowed values, ranges, keys,
cross-table references) but they are evaluated column-at-a-time on
string-typed input and report every failing cell, not the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

ColumnKind = Literal["text", "integer", "number", "date", "datetime", "boolean"]


@dataclass(frozen=True)
class Problem:
    """One reason an input cannot be accepted, located in the file the user holds."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f" {self.value!r}:"
        return f"{where}:{shown} {self.rule}"


class ValidationError(Exception):
    """Raised when an input has problems; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found:\n" + "\n".join(map(str, problems[:20])))


@dataclass(frozen=True)
class Column:
    """One column of a table: its type and the rules its values obey."""

    name: str
    kind: ColumnKind
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    not_future: bool = False

    def rules_text(self) -> str:
        """The column's rules in words, for the data dictionary."""
        parts = ["optional" if self.nullable else "required"]
        if self.allowed:
            parts.append("one of: " + ", ".join(f"`{a}`" for a in self.allowed))
        if self.minimum is not None:
            parts.append(f">= {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        if self.pattern:
            parts.append(f"matches `{self.pattern}`")
        if self.not_future:
            parts.append("not in the future")
        return "; ".join(parts)


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``columns`` must exist as ``ref_columns`` of table ``table``."""

    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class RowRule:
    """A rule relating several columns of the same row.

    ``check`` receives the typed frame and returns a boolean Series that is
    True where the row *breaks* the rule.
    """

    description: str
    column: str
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Identity:
    """Columns holding who a person is, replaced on ingest by a pseudonym.

    ``source`` is hashed into ``target``; ``source`` and ``drop`` never reach the store.
    """

    source: str
    target: str
    drop: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    """A stored table: its columns, key and cross-table rules."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_rules: tuple[RowRule, ...] = ()
    identity: Identity | None = None
    extra_columns: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def input_columns(self) -> tuple[str, ...]:
        """Columns expected in an input file (identity columns instead of the pseudonym)."""
        names = list(self.column_names)
        if self.identity is not None:
            names[names.index(self.identity.target)] = self.identity.source
        return tuple(names)

    def duckdb_ddl(self) -> str:
        """``CREATE TABLE`` statement for this table."""
        cols = [f'"{c.name}" {_DUCKDB_TYPES[c.kind]}' for c in self.columns]
        cols += [f'"{c}" VARCHAR' for c in self.extra_columns]
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" ({", ".join(cols)})'


_DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


def ordered_after(later: str, earlier: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Row check: ``later`` must not be before ``earlier`` where both are given."""

    def check(frame: pd.DataFrame) -> pd.Series:
        return frame[later].notna() & frame[earlier].notna() & (frame[later] < frame[earlier])

    return check


def not_both(first: str, second: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Row check: ``first`` and ``second`` must not both be given."""

    def check(frame: pd.DataFrame) -> pd.Series:
        return frame[first].notna() & frame[second].notna()

    return check


__all__ = [
    "Column",
    "ColumnKind",
    "ForeignKey",
    "Identity",
    "Problem",
    "RowRule",
    "TableSchema",
    "ValidationError",
    "not_both",
    "ordered_after",
]
