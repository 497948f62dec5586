"""Typed notebook parameters: parsing the parameters cell and refusing bad values before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.run.parameters import ParameterError, check_parameters, declared_parameters, parse_overrides
from support import FIXTURES

NOTEBOOK = FIXTURES / "runner" / "per_cohort.ipynb"


def test_declared_parameters_read_types_defaults_and_choices():
    declared = declared_parameters(NOTEBOOK)
    assert {n: (p.type_name, p.default) for n, p in declared.items()} == {
        "cohort": ("str", "T1"),
        "scale": ("float", 1.0),
        "label": ("Literal", "count"),
        "repeat": ("bool", False),
    }
    assert declared["label"].choices == ("count", "share")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"scale": "0.5"}, {"scale": 0.5}),
        ({"scale": 2}, {"scale": 2.0}),
        ({"label": "share"}, {"label": "share"}),
        ({"repeat": "true"}, {"repeat": True}),
        ({"cohort": "T2"}, {"cohort": "T2"}),
    ],
)
def test_good_values_are_converted_to_the_declared_type(values, expected):
    assert check_parameters(values, declared_parameters(NOTEBOOK), "per_cohort.ipynb") == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"scale": "abc"}, "per_cohort.ipynb: parameter 'scale': 'abc' is not a float"),
        ({"scale": "nan"}, "NaN is not allowed"),
        ({"label": "mean"}, "'mean' is not one of 'count', 'share'"),
        ({"repeat": "perhaps"}, "is not true or false"),
        ({"x": '__import__("os")'}, "unknown parameter 'x'"),
    ],
)
def test_bad_values_name_the_notebook_and_parameter(values, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_parameters(values, declared_parameters(NOTEBOOK), "per_cohort.ipynb")


def test_store_choices_restrict_values():
    with pytest.raises(ParameterError, match="'99' is not in the store"):
        check_parameters({"cohort": "99"}, declared_parameters(NOTEBOOK), "nb", {"cohort": ("T1", "T2")})


@pytest.mark.parametrize("pair", ['__import__("os")=1', "a b=1", "novalue", "=3"])
def test_override_names_must_be_plain_identifiers(pair):
    with pytest.raises(ParameterError, match="plain parameter name"):
        parse_overrides([pair])


def test_a_parameters_cell_with_code_is_refused(tmp_path: Path):
    notebook = json.loads(NOTEBOOK.read_text())
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = 'cohort: str = "T1"\nimport os'
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(notebook))
    with pytest.raises(ParameterError, match="bad.ipynb: line 2 of the parameters cell"):
        declared_parameters(bad)
