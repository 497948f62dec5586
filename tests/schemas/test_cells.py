"""Text columns held as distinct values and codes: the cells they give back are the cells read, trimmed."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from evaluation.schemas.cells import Text, trimmed


def test_text_trims_cells_and_makes_empty_ones_missing_like_trimmed():
    read = pa.chunked_array([[" a", "b", None, "  ", "a "], ["b", "", "c"]])
    text = Text.of(read)
    assert text.array().to_pylist() == trimmed(read).to_pylist() == ["a", "b", None, None, "a", "b", None, "c"]
    assert sorted(text.values.to_pylist()) == ["a", "b", "c"]  # each distinct value once
    assert text.missing.tolist() == [False, False, True, True, False, False, True, False]
    assert text.encoded().cast(pa.string()).to_pylist() == text.array().to_pylist()


def test_results_per_distinct_value_are_spread_to_every_cell():
    text = Text.of(pa.array(["x", "y", None, "x"]))
    is_x = np.array([v == "x" for v in text.values.to_pylist()])
    assert text.flags(is_x).tolist() == [True, False, False, True]
    assert text.spread(np.where(is_x, 1.0, 2.0), np.nan).tolist()[:2] == [1.0, 2.0]
    assert np.isnan(text.spread(np.where(is_x, 1.0, 2.0), np.nan)[2])


def test_mapping_values_merges_those_that_become_equal():
    text = Text.of(pa.array(["Bob@x", "bob@x", "carol@x", None]))
    lowered = text.mapped(pa.array([v.lower() for v in text.values.to_pylist()]))
    assert len(lowered.values) == 2
    assert lowered.codes[0] == lowered.codes[1] != lowered.codes[2]
    assert lowered.array().to_pylist() == ["bob@x", "bob@x", "carol@x", None]


def test_columns_concatenate_and_constants_fill_every_cell():
    joined = Text.concat([Text.of(pa.array(["a", None])), Text.constant("a", 2), Text.constant(None, 1)])
    assert joined.array().to_pylist() == ["a", None, "a", "a", None]
    assert joined.values.to_pylist() == ["a"]
    assert joined.take(np.array([2, 4])).array().to_pylist() == ["a", None]
