"""Typed notebook parameters: declared in the ``parameters`` cell, checked before a kernel starts.

A notebook declares each parameter with a type annotation and a default::

    cohort: str = "C1"
    waves: Literal["baseline-endpoint", "baseline-follow-up"] = "baseline-endpoint"
    alpha: float = 0.05
    resamples: int = 2000

Supported types: ``str``, ``int``, ``float``, ``bool`` and ``Literal[...]`` of
strings or numbers. papermill injects parameter names verbatim into code, so
only declared names are ever passed on, and every value is converted to its
declared type (a value is never evaluated).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCALAR_TYPES = {"str": str, "int": int, "float": float, "bool": bool}
TRUE_TEXT = {"true", "yes", "1"}
FALSE_TEXT = {"false", "no", "0"}


class ParameterError(ValueError):
    """A parameter that cannot be passed to a notebook; the message names notebook and parameter."""


@dataclass(frozen=True)
class Parameter:
    """One declared parameter."""

    name: str
    type_name: str  # "str", "int", "float", "bool" or "Literal"
    default: Any
    choices: tuple[Any, ...] | None = None

    def convert(self, value: Any, notebook: str) -> Any:
        """``value`` (text from the command line, or a manifest value) as this parameter's type."""
        where = f"{notebook}: parameter '{self.name}'"
        if self.choices is not None:
            for choice in self.choices:
                if value == choice or (isinstance(value, str) and value == str(choice)):
                    return choice
            raise ParameterError(f"{where}: {value!r} is not one of {', '.join(map(repr, self.choices))}")
        if self.type_name == "bool":
            if isinstance(value, bool):
                return value
            if str(value).lower() in TRUE_TEXT | FALSE_TEXT:
                return str(value).lower() in TRUE_TEXT
            raise ParameterError(f"{where}: {value!r} is not true or false")
        kind = SCALAR_TYPES[self.type_name]
        if isinstance(value, bool) and kind is not bool:
            raise ParameterError(f"{where}: {value!r} is not a {self.type_name}")
        try:
            converted = kind(value)
        except (TypeError, ValueError):
            raise ParameterError(f"{where}: {value!r} is not a {self.type_name}") from None
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ParameterError(f"{where}: {value!r} is not a whole number")
        if kind is float and converted != converted:  # NaN
            raise ParameterError(f"{where}: NaN is not allowed")
        return converted


def _literal_choices(node: ast.expr) -> tuple[Any, ...] | None:
    """The values of ``Literal[...]``, or None for other annotations."""
    if isinstance(node, ast.Subscript) and getattr(node.value, "id", getattr(node.value, "attr", "")) == "Literal":
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return tuple(ast.literal_eval(e) for e in elements)
    return None


def parameters_cell(notebook: dict) -> str:
    """The source of the cell tagged ``parameters``."""
    for cell in notebook.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            return "".join(source) if isinstance(source, list) else source
    raise ParameterError("has no cell tagged 'parameters'")


def declared_parameters(path: Path) -> dict[str, Parameter]:
    """Parameters declared in a notebook's ``parameters`` cell.

    Raises :class:`ParameterError` naming the notebook when the cell is
    missing or a declaration is not ``name: type = literal``.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    try:
        tree = ast.parse(parameters_cell(notebook))
    except ParameterError as error:
        raise ParameterError(f"{path.name} {error}") from None
    declared: dict[str, Parameter] = {}
    for node in tree.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise ParameterError(f"{path.name}: line {node.lineno} of the parameters cell is not 'name: type = value'")
        name = node.target.id
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise ParameterError(f"{path.name}: parameter '{name}' has a default that is not a literal") from None
        choices = _literal_choices(node.annotation)
        type_name = "Literal" if choices is not None else getattr(node.annotation, "id", "")
        if choices is None and type_name not in SCALAR_TYPES:
            raise ParameterError(
                f"{path.name}: parameter '{name}' has unsupported type "
                f"'{ast.unparse(node.annotation)}' (use str, int, float, bool or Literal[...])"
            )
        declared[name] = Parameter(name, type_name, default, choices)
    return declared


def check_parameters(
    values: dict[str, Any],
    declared: dict[str, Parameter],
    notebook: str,
    store_choices: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """Typed values for ``values``; unknown names, wrong types and values outside choices are errors.

    ``store_choices`` restricts parameters to values found in the store (for
    example ``cohort`` to the stored cohort ids).
    """
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ParameterError(f"{notebook}: unknown parameter {name!r} (declared: {known})")
        converted = declared[name].convert(value, notebook)
        allowed = (store_choices or {}).get(name)
        if allowed is not None and converted not in allowed:
            raise ParameterError(
                f"{notebook}: parameter '{name}' = {converted!r} is not in the store "
                f"(known: {', '.join(allowed) or 'none'})"
            )
        checked[name] = converted
    return checked


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """``["alpha=0.1", "cohort=C2"]`` -> ``{"alpha": "0.1", "cohort": "C2"}``; names must be identifiers."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ParameterError(f"-p {pair!r}: expected name=value with a plain parameter name")
        overrides[name] = value
    return overrides
