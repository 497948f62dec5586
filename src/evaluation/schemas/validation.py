"""Checking string-typed input frames against the schemas, every failing cell reported.

Column-at-a-time and vectorised (see :mod:`evaluation.schemas.cells`), so a
million-row survey is validated in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

from . import cells
from .core import Column, Problem, TableSchema


def formula_cells(values: pd.Series) -> np.ndarray:
    """True where a text cell would run as a spreadsheet formula (CSV injection)."""
    return cells.formula_mask(cells.arrow(values))


def located_problems(mask: pd.Series | np.ndarray, raw: pd.Series, file: str, column: str, rule: str) -> list[Problem]:
    """One problem per cell where ``mask`` is true; the frame index is the row number in the user's file."""
    flags = mask.to_numpy(dtype=bool, na_value=False) if isinstance(mask, pd.Series) else np.asarray(mask, bool)
    if not flags.any():
        return []
    hits = raw[flags]
    return [
        Problem(file, int(r), column, "" if pd.isna(v) else str(v), rule) for r, v in zip(hits.index, hits, strict=True)
    ]


def text_problems(
    flags: np.ndarray, text: cells.Text | str, rows: np.ndarray, file: str, column: str, rule: str
) -> list[Problem]:
    """One problem per flagged cell of a :class:`~cells.Text` column, showing the cell (or a fixed text)."""
    return [
        Problem(file, int(rows[i]), column, text if isinstance(text, str) else text.cell(int(i)) or "", rule)
        for i in np.flatnonzero(flags)
    ]


def coerce_text(
    text: cells.Text, column: Column, rows: np.ndarray, file: str, now: dt.datetime, header: str | None = None
) -> tuple[np.ndarray, list[Problem]]:
    """:func:`coerce_column` run once per distinct value; typed cells and every failing cell's problem.

    The problems are those :func:`coerce_column` reports for the cells
    themselves, rule by rule in the same order, each in file order.
    """
    distinct = pd.Series(pd.arrays.ArrowExtensionArray(pa.concat_arrays([text.values, pa.nulls(1, pa.string())])))
    typed, found = coerce_column(distinct, column, file, now, header)
    by_rule: dict[tuple[str | None, str], list[int]] = {}
    for problem in found:
        by_rule.setdefault((problem.column, problem.rule), []).append(int(problem.row or 0))
    problems = []
    for (label, rule), codes in by_rule.items():
        problems += text_problems(np.isin(text.codes, codes), text, rows, file, label or column.name, rule)
    return typed.to_numpy()[text.codes], problems


def coerce_column(
    raw: pd.Series, column: Column, file: str, now: dt.datetime, header: str | None = None
) -> tuple[pd.Series, list[Problem]]:
    """Convert a text column to its kind and check its rules.

    ``raw`` holds trimmed text with missing cells as NA (see
    :func:`normalise_cells`). Returns the typed column and one problem per
    failing cell.
    """
    label = header or column.name
    found: list[Problem] = []
    text = cells.arrow(raw)
    missing = raw.isna().to_numpy()
    if not column.nullable:
        found += located_problems(missing, raw, file, label, "a value is required")

    if column.kind == "text":
        typed = raw
    elif column.kind in ("integer", "number"):
        values, bad = cells.to_number(text)
        found += located_problems(bad, raw, file, label, f"not a {'whole ' if column.kind == 'integer' else ''}number")
        typed = pd.Series(values, index=raw.index)
        if column.kind == "integer":
            fractional = np.isfinite(values) & (values % 1 != 0)
            found += located_problems(fractional, raw, file, label, "not a whole number")
            typed = typed.where(~fractional).astype("Int64")
    elif column.kind in ("date", "datetime"):
        typed, bad = cells.to_timestamp(text)
        typed.index = raw.index
        if column.kind == "date":
            typed = typed.dt.normalize()
        found += located_problems(bad, raw, file, label, "not a date (use YYYY-MM-DD or DD/MM/YYYY)")
        if column.not_future:
            found += located_problems(typed > pd.Timestamp(now), raw, file, label, "date is in the future")
    elif column.kind == "boolean":
        typed, bad = cells.to_boolean(text)
        typed.index = raw.index
        found += located_problems(bad, raw, file, label, "not true/false (use TRUE/FALSE or Yes/No)")
    else:  # pragma: no cover - ColumnKind is closed
        raise AssertionError(column.kind)

    if column.allowed is not None:
        found += located_problems(
            cells.outside(text, column.allowed), raw, file, label, "not one of: " + ", ".join(column.allowed)
        )
    if column.pattern is not None:
        found += located_problems(
            cells.mismatching(text, column.pattern), raw, file, label, f"does not match the pattern {column.pattern}"
        )
    if column.minimum is not None:
        found += located_problems(typed < column.minimum, raw, file, label, f"below the minimum {column.minimum:g}")
    if column.maximum is not None:
        found += located_problems(typed > column.maximum, raw, file, label, f"above the maximum {column.maximum:g}")
    return typed, found


def normalise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip surrounding whitespace and turn empty cells into NA, as Arrow-backed text."""
    return pd.DataFrame(
        {name: cells.series(cells.trimmed(cells.arrow(frame[name])), frame.index) for name in frame.columns},
        index=frame.index,
    )


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
        found.append(Problem(file, 1, name, None, "unexpected column (expected: " + ", ".join(expected) + ")"))
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
    found = header_problems(
        raw.columns, schema.column_names, file, optional=[c.name for c in schema.columns if c.nullable]
    )
    if any(p.rule.startswith("required column") or p.rule.startswith("unexpected") for p in found):
        return pd.DataFrame(), found
    raw = normalise_cells(raw)
    for name in raw.columns:
        found += located_problems(
            formula_cells(raw[name]),
            raw[name],
            file,
            name,
            "looks like a spreadsheet formula; remove the leading = + - @",
        )
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
        Problem(
            file,
            int(row),
            key[-1],
            " / ".join(str(frame.at[row, k]) for k in key),
            f"duplicate of row {int(first_rows[row])} (key: {', '.join(key)})",
        )
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
            known = pd.Series(pd.MultiIndex.from_frame(values.astype("string")).isin(ref), index=frame.index)
        missing = present & ~known
        if missing.any():
            shown = values.astype("string").fillna("").agg(" / ".join, axis=1)
            found += located_problems(
                missing, shown, file, fk.columns[-1], f"not found in table '{fk.table}' ({', '.join(fk.ref_columns)})"
            )
    return found
