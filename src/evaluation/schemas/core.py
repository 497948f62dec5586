"""A small declarative schema language and the vectorised checks behind it.

Why not pandera? Every problem must name the *file row* an evaluator sees in
Excel (header rows included) and the column as it is headed in the export, and
a million-row survey must be validated in a fraction of a second. The rules
here are the same kind pandera states (types, allowed values, ranges, keys,
cross-table references) but they are evaluated column-at-a-time on
string-typed input and report every failing cell, not the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

ColumnKind = Literal["text", "integer", "number", "date", "datetime", "boolean"]

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})

# A cell a spreadsheet would evaluate: "=HYPERLINK(...)", "+cmd", "@SUM(...)",
# "-2+3". A plain negative number ("-2", "-0.5") is not a formula.
_FORMULA = re.compile(r"^[=+@\t\r]|^-(?!\d+(?:\.\d+)?$)")


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


def formula_cells(values: pd.Series) -> pd.Series:
    """True where a text cell would run as a spreadsheet formula (CSV injection)."""
    return values.str.contains(_FORMULA, na=False)


def located_problems(mask: pd.Series, raw: pd.Series, file: str, column: str, rule: str) -> list[Problem]:
    # The frame index is the row number in the user's file.
    hits = raw[mask.to_numpy(dtype=bool, na_value=False)]
    return [Problem(file, int(r), column, str(v), rule) for r, v in hits.items()]


def _parse_dates(raw: pd.Series, with_time: bool) -> pd.Series:
    """ISO 8601 first; then UK day-first forms as Excel writes them (never US month-first)."""
    parsed = pd.to_datetime(raw, format="ISO8601", errors="coerce")
    todo = parsed.isna() & raw.notna()
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(raw[todo], format=fmt, errors="coerce")
        todo = parsed.isna() & raw.notna()
    if not with_time:
        parsed = parsed.dt.normalize()
    return parsed


def coerce_column(
    raw: pd.Series, column: Column, file: str, now: dt.datetime, header: str | None = None
) -> tuple[pd.Series, list[Problem]]:
    """Convert a string column to its kind and check its rules.

    ``raw`` holds stripped strings with missing cells as NA. Returns the
    typed column and one problem per failing cell.
    """
    label = header or column.name
    found: list[Problem] = []
    missing = raw.isna()
    if not column.nullable and missing.any():
        found += located_problems(missing, raw.fillna(""), file, label, "a value is required")

    if column.kind == "text":
        typed = raw.astype("string")
    elif column.kind in ("integer", "number"):
        typed = pd.to_numeric(raw, errors="coerce")
        bad = typed.isna() & ~missing
        found += located_problems(bad, raw, file, label, f"not a {'whole ' if column.kind == 'integer' else ''}number")
        if column.kind == "integer":
            fractional = typed.notna() & (typed % 1 != 0)
            found += located_problems(fractional, raw, file, label, "not a whole number")
            typed = typed.where(~fractional).astype("Int64")
        else:
            typed = typed.astype("float64")
    elif column.kind in ("date", "datetime"):
        typed = _parse_dates(raw, with_time=column.kind == "datetime")
        bad = typed.isna() & ~missing
        found += located_problems(bad, raw, file, label, "not a date (use YYYY-MM-DD or DD/MM/YYYY)")
        if column.not_future:
            future = typed > pd.Timestamp(now)
            found += located_problems(future, raw, file, label, "date is in the future")
    elif column.kind == "boolean":
        lowered = raw.str.lower()
        is_true, is_false = lowered.isin(TRUE_WORDS), lowered.isin(FALSE_WORDS)
        bad = ~(is_true | is_false) & ~missing
        found += located_problems(bad, raw, file, label, "not true/false (use TRUE/FALSE or Yes/No)")
        typed = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        typed[is_true] = True
        typed[is_false] = False
    else:  # pragma: no cover - ColumnKind is closed
        raise AssertionError(column.kind)

    if column.allowed is not None:
        outside = ~missing & ~raw.isin(column.allowed)
        found += located_problems(outside, raw, file, label, "not one of: " + ", ".join(column.allowed))
    if column.pattern is not None:
        mismatch = ~missing & ~raw.str.fullmatch(column.pattern, na=False)
        found += located_problems(mismatch, raw, file, label, f"does not match the pattern {column.pattern}")
    if column.minimum is not None:
        found += located_problems(typed < column.minimum, raw, file, label, f"below the minimum {column.minimum:g}")
    if column.maximum is not None:
        found += located_problems(typed > column.maximum, raw, file, label, f"above the maximum {column.maximum:g}")
    return typed, found


def normalise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip surrounding whitespace and turn empty cells into NA, keeping strings."""
    out = {}
    for name in frame.columns:
        col = frame[name].astype("string").str.strip()
        out[name] = col.mask(col == "")
    return pd.DataFrame(out, index=frame.index)


def header_problems(
    present: Iterable[str], expected: Iterable[str], file: str, optional: Iterable[str] = ()
) -> list[Problem]:
    """Missing and unexpected columns, with a guess when a column looks renamed."""
    present, expected, optional = list(present), list(expected), set(optional)
    found = []
    unexpected = [c for c in present if c not in expected]
    for name in expected:
        if name in present or name in optional:
            continue
        guess = difflib.get_close_matches(name, unexpected, n=1)
        hint = f" (renamed to '{guess[0]}'?)" if guess else ""
        found.append(Problem(file, 1, name, None, f"required column is missing{hint}"))
    for name in unexpected:
        found.append(Problem(file, 1, name, None,
                             "unexpected column (expected: " + ", ".join(expected) + ")"))
    return found


def validate_frame(
    raw: pd.DataFrame, schema: TableSchema, file: str, now: dt.datetime | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a string-typed frame against ``schema``; return the typed frame and problems.

    The frame's index must be the row numbers of the input file. Checks:
    headers, formula injection, each column's type and rules, row rules and
    duplicate primary keys. Foreign keys need the other tables: see
    :func:`foreign_key_problems`.
    """
    now = now or dt.datetime.now()
    found = header_problems(raw.columns, schema.column_names, file,
                            optional=[c.name for c in schema.columns if c.nullable])
    if any(p.rule.startswith("required column") or p.rule.startswith("unexpected") for p in found):
        return pd.DataFrame(), found
    raw = normalise_cells(raw)
    for name in raw.columns:
        found += located_problems(formula_cells(raw[name]), raw[name], file, name,
                           "looks like a spreadsheet formula; remove the leading = + - @")
    typed = {}
    for column in schema.columns:
        values = raw[column.name] if column.name in raw else pd.Series(pd.NA, index=raw.index, dtype="string")
        typed[column.name], column_problems = coerce_column(values, column, file, now)
        found += column_problems
    frame = pd.DataFrame(typed, index=raw.index)
    if not found:
        for rule in schema.row_rules:
            broken = rule.check(frame).fillna(False)
            found += located_problems(broken, raw[rule.column].fillna(""), file, rule.column, rule.description)
        found += duplicate_key_problems(frame, schema.primary_key, file)
    return frame, found


def duplicate_key_problems(frame: pd.DataFrame, key: tuple[str, ...], file: str) -> list[Problem]:
    """One problem per row whose key repeats an earlier row's."""
    if not key or frame.empty:
        return []
    dup = frame.duplicated(list(key), keep="first")
    first_rows = frame.reset_index().groupby(list(key), dropna=False, sort=False)["index"].transform("first")
    first_rows.index = frame.index
    return [
        Problem(file, int(row), key[-1], " / ".join(str(frame.at[row, k]) for k in key),
                f"duplicate of row {int(first_rows[row])} (key: {', '.join(key)})")
        for row in frame.index[dup.to_numpy()]
    ]


def foreign_key_problems(
    frame: pd.DataFrame, schema: TableSchema, tables: dict[str, pd.DataFrame], file: str
) -> list[Problem]:
    """Rows whose references are not found in the referenced tables."""
    found: list[Problem] = []
    for fk in schema.foreign_keys:
        target = tables.get(fk.table)
        values = frame[list(fk.columns)]
        present = values.notna().all(axis=1)
        if target is None or target.empty:
            known = pd.Series(False, index=frame.index)
        else:
            ref = pd.MultiIndex.from_frame(target[list(fk.ref_columns)].astype("string"))
            known = pd.Series(
                pd.MultiIndex.from_frame(values.astype("string")).isin(ref), index=frame.index
            )
        missing = present & ~known
        if missing.any():
            shown = values.astype("string").fillna("").agg(" / ".join, axis=1)
            found += located_problems(missing, shown, file, fk.columns[-1],
                               f"not found in table '{fk.table}' ({', '.join(fk.ref_columns)})")
    return found


def empty_frame(schema: TableSchema) -> pd.DataFrame:
    """An empty typed frame with the schema's columns."""
    dtypes = {"text": "string", "integer": "Int64", "number": "float64",
              "date": "datetime64[ns]", "datetime": "datetime64[ns]", "boolean": "boolean"}
    return pd.DataFrame({c.name: pd.Series(dtype=dtypes[c.kind]) for c in schema.columns})


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
    "Column", "ColumnKind", "ForeignKey", "Identity", "Problem", "RowRule", "TableSchema",
    "ValidationError", "coerce_column", "duplicate_key_problems", "empty_frame",
    "foreign_key_problems", "formula_cells", "header_problems", "normalise_cells",
    "located_problems", "not_both", "ordered_after", "validate_frame",
]
