"""Vectorised conversions of text cells, on Arrow arrays.

Every input is read as text; these functions decide what the text means. They
run in Arrow's C++ kernels (RE2 regular expressions, ``strptime``), so a
million-cell column takes milliseconds, and they return masks of the cells
that fail so that the caller can name each one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TRUE_WORDS = ("true", "yes", "y", "1")
FALSE_WORDS = ("false", "no", "n", "0")
# Decimal numbers as people and spreadsheets write them; "1e3" too. Not "nan", "inf" or "1,000".
NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
# Date forms accepted, in order: ISO 8601 as exports write it, then UK day-first (never US month-first).
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)


def arrow(series: pd.Series) -> pa.ChunkedArray:
    """The Arrow string array behind a text column (zero-copy when it is Arrow-backed)."""
    array = pa.array(series.array)
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    return array.cast(pa.string()) if array.type != pa.string() else array


def series(array: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    """A pandas column over an Arrow array (zero-copy)."""
    return pd.Series(pd.arrays.ArrowExtensionArray(array), index=index, copy=False)


def codes(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Integer codes of the distinct values (nulls share one code), for grouping and duplicates."""
    distinct = pc.unique(array)
    return pc.fill_null(pc.index_in(array, value_set=distinct), -1).to_numpy(zero_copy_only=False)


def mask(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean Arrow result as a NumPy mask, nulls as False."""
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False).astype(bool, copy=True)


@dataclass(frozen=True)
class Text:
    """A text column as its distinct values and, per cell, which of them it holds.

    A survey column of a million cells holds a few thousand distinct values
    (respondents, dates) or a handful (items, answers), so every check and
    conversion runs once per distinct value and is spread back to the cells by
    ``codes`` (int32, as Arrow's dictionary indices). ``values`` are trimmed,
    non-empty and distinct; a code equal to ``len(values)`` marks a missing cell.
    """

    values: pa.Array
    codes: np.ndarray

    @classmethod
    def of(cls, array: pa.ChunkedArray | pa.Array) -> Text:
        """Cells as read, with surrounding whitespace removed and empty cells missing (as :func:`trimmed`)."""
        distinct = pc.unique(array).drop_null()
        codes = pc.fill_null(pc.index_in(array, value_set=distinct), len(distinct)).to_numpy(zero_copy_only=False)
        return cls(distinct, codes).mapped(pc.utf8_trim_whitespace(distinct))

    @classmethod
    def constant(cls, value: str | None, length: int) -> Text:
        """The same value (or nothing) in every cell."""
        values = pa.array([] if value is None else [value], pa.string())
        return cls(values, np.zeros(length, np.int32))

    @classmethod
    def concat(cls, parts: list[Text]) -> Text:
        """The cells of several columns, one after the other."""
        total = sum(len(p.values) for p in parts)
        offsets = np.cumsum([0] + [len(p.values) for p in parts])
        codes = [np.where(p.missing, total, p.codes + offset) for p, offset in zip(parts, offsets, strict=False)]
        return cls(
            pa.concat_arrays([p.values for p in parts]) if parts else pa.array([], pa.string()),
            np.concatenate(codes).astype(np.int32) if codes else np.zeros(0, np.int32),
        ).mapped(None)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def missing(self) -> np.ndarray:
        return self.codes == len(self.values)

    def mapped(self, new_values: pa.Array | None) -> Text:
        """Each distinct value replaced by ``new_values`` (aligned with ``values``; null or "" makes it missing)."""
        new_values = self.values if new_values is None else new_values
        cleaned = pc.if_else(pc.equal(new_values, ""), pa.scalar(None, pa.string()), new_values)
        encoded = pc.dictionary_encode(cleaned)
        distinct = encoded.dictionary
        remap = np.append(pc.fill_null(encoded.indices, len(distinct)).to_numpy(zero_copy_only=False), len(distinct))
        return Text(distinct, remap.astype(np.int32, copy=False)[self.codes])

    def spread(self, per_value: np.ndarray, when_missing: object) -> np.ndarray:
        """Per-cell results from results per distinct value."""
        return np.append(np.asarray(per_value), np.asarray([when_missing], dtype=np.asarray(per_value).dtype))[
            self.codes
        ]

    def flags(self, per_value: np.ndarray) -> np.ndarray:
        """A per-cell mask from a mask over the distinct values (missing cells are never flagged)."""
        return self.spread(np.asarray(per_value, bool), False)

    def take(self, selection: np.ndarray) -> Text:
        """The cells at ``selection`` (positions or a mask)."""
        return Text(self.values, self.codes[selection])

    def value(self, code: int) -> str | None:
        """The text of a code (None for missing)."""
        return None if code == len(self.values) else self.values[code].as_py()

    def cell(self, position: int) -> str | None:
        return self.value(int(self.codes[position]))

    def array(self) -> pa.Array:
        """The cells as an Arrow string array (missing cells null)."""
        return pc.take(self.values, pa.array(self.codes, mask=self.missing))

    def encoded(self) -> pa.DictionaryArray:
        """The cells as an Arrow dictionary array: no text copied; DuckDB stores it as it would the strings."""
        missing = self.missing
        indices = pa.array(self.codes, mask=missing) if missing.any() else pa.array(self.codes)
        return pa.DictionaryArray.from_arrays(indices, self.values)


def trimmed(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """Surrounding whitespace removed; empty cells become null."""
    stripped = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(stripped, ""), pa.scalar(None, pa.string()), stripped)


def formula_mask(array: pa.ChunkedArray) -> np.ndarray:
    """True where a spreadsheet would run the cell as a formula (CSV injection, OWASP).

    ``=``, ``+``, ``@``, tab or carriage return first; or ``-`` first when the
    cell is not simply a negative number.
    """
    first = pc.utf8_slice_codeunits(array, 0, 1)
    flagged = mask(pc.is_in(first, value_set=pa.array(["=", "+", "@", "\t", "\r", "-"], pa.string())))
    if flagged.any():
        # Only the few cells starting with a minus sign need the slower number test.
        candidates = np.flatnonzero(flagged)
        subset = pc.take(array, pa.array(candidates))
        negative_number = mask(pc.match_substring_regex(subset, NUMBER))
        flagged[candidates[negative_number]] = False
    return flagged


def to_number(array: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Float values (NaN where missing or bad) and the mask of cells that are not numbers."""
    is_number = pc.match_substring_regex(array, NUMBER)
    values = pc.cast(pc.if_else(is_number, array, pa.scalar(None, pa.string())), pa.float64())
    bad = pc.and_(pc.is_valid(array), pc.invert(is_number))
    return pc.fill_null(values, np.nan).to_numpy(zero_copy_only=False).astype("float64", copy=True), mask(bad)


def to_timestamp(array: pa.ChunkedArray) -> tuple[pd.Series, np.ndarray]:
    """Timestamps (NaT where missing or bad) and the mask of cells that are not dates."""
    parsed = pa.nulls(len(array), pa.timestamp("s"))
    todo = pc.is_valid(array)
    for fmt in DATE_FORMATS:
        if not pc.any(todo).as_py():
            break
        attempt = pc.strptime(
            pc.if_else(todo, array, pa.scalar(None, pa.string())), format=fmt, unit="s", error_is_null=True
        )
        parsed = pc.coalesce(parsed, attempt)
        todo = pc.and_(todo, pc.is_null(attempt))
    # Microseconds, as the store keeps them: nanoseconds would overflow on a mistyped year such as 3024.
    stamps = pd.Series(pc.cast(parsed, pa.timestamp("us")).to_pandas(), dtype="datetime64[us]")
    return stamps, mask(todo)


def to_boolean(array: pa.ChunkedArray) -> tuple[pd.Series, np.ndarray]:
    """Booleans (NA where missing or bad) and the mask of cells that are not true/false words."""
    lowered = pc.utf8_lower(array)
    is_true = pc.is_in(lowered, value_set=pa.array(TRUE_WORDS))
    is_false = pc.is_in(lowered, value_set=pa.array(FALSE_WORDS))
    values = pc.if_else(is_true, True, pc.if_else(is_false, False, pa.scalar(None, pa.bool_())))
    bad = pc.and_(pc.is_valid(array), pc.invert(pc.or_(is_true, is_false)))
    return pd.Series(values.to_pandas(), dtype="boolean"), mask(bad)


def outside(array: pa.ChunkedArray, allowed: tuple[str, ...]) -> np.ndarray:
    """Cells given but not among ``allowed``."""
    return mask(pc.and_(pc.is_valid(array), pc.invert(pc.is_in(array, value_set=pa.array(allowed, pa.string())))))


def mismatching(array: pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Cells given that do not match the whole of ``pattern`` (RE2 syntax)."""
    return mask(pc.and_(pc.is_valid(array), pc.invert(pc.match_substring_regex(array, f"^(?:{pattern})$"))))
