"""The rule that notebooks are thin: their code cells hold parameters, calls, displays and prose only.

Logic in a notebook cell is code no test runs. This module finds it: in every code cell, a function or class
definition, a lambda, a loop (``for``, ``while``, a comprehension or generator expression) or a conditional
(``if``, a conditional expression ``a if c else b``, ``match``, ``try``). Statements other than imports,
assignments and expressions (``with``, ``assert``, ``raise``, ``del``, ``global``, ...) are refused as well:
each is control flow or a check that belongs in a tested function.

``and`` / ``or`` count as conditionals: in a notebook cell (where ``if`` is refused) they can only choose a
value, as ``value_per_incident or None`` chooses None when the parameter is 0. The function called decides
what a parameter's values mean, and its tests say so.

IPython's magics (``%time``, ``!ls``) are turned into Python the way the kernel does before the cell is read.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

# What a code cell may hold, statement by statement.
ALLOWED_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)

# Expressions that are loops or conditionals, and what the message calls them.
REFUSED_EXPRESSIONS: dict[type[ast.AST], str] = {
    ast.Lambda: "a lambda",
    ast.ListComp: "a list comprehension (a loop)",
    ast.SetComp: "a set comprehension (a loop)",
    ast.DictComp: "a dict comprehension (a loop)",
    ast.GeneratorExp: "a generator expression (a loop)",
    ast.IfExp: "a conditional expression",
    ast.BoolOp: "a boolean operator choosing a value (a conditional)",
}

_STATEMENT_NAMES: dict[type[ast.AST], str] = {
    ast.FunctionDef: "a function definition",
    ast.AsyncFunctionDef: "a function definition",
    ast.ClassDef: "a class definition",
    ast.For: "a for loop",
    ast.AsyncFor: "a for loop",
    ast.While: "a while loop",
    ast.If: "an if statement",
    ast.Match: "a match statement (a conditional)",
    ast.Try: "a try statement (a conditional on failure)",
    ast.TryStar: "a try statement (a conditional on failure)",
}


def _statement_name(node: ast.stmt) -> str:
    if type(node) in _STATEMENT_NAMES:
        return _STATEMENT_NAMES[type(node)]
    keyword = {"Delete": "del", "ImportFrom": "import"}.get(type(node).__name__, type(node).__name__.lower())
    return f"{'an' if keyword[0] in 'aeiou' else 'a'} {keyword} statement"


@dataclass(frozen=True)
class LogicInCell:
    """One place where a notebook's code cell holds logic: the notebook, the cell (1 = the first cell, counting
    Markdown cells too), the line within the cell, what was found and the line's text."""

    notebook: Path
    cell: int
    line: int
    what: str
    code: str

    def __str__(self) -> str:
        return (
            f"{self.notebook}, cell {self.cell}, line {self.line}: {self.what}: {self.code.strip()} "
            "(move it into a tested function in src/evaluation and call that)"
        )


def cell_logic(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` for each piece of logic in one code cell's source, in order.

    A cell that is not valid Python is reported as such (line 0 when unknown).

    Examples
    --------
    >>> cell_logic("run = current_run(disclosure_threshold)\\nshow.table(frame, columns, caption='x')")
    []
    >>> cell_logic("rows = [f(x) for x in xs]\\nn = a or 0")
    [(1, 'a list comprehension (a loop)'), (2, 'a boolean operator choosing a value (a conditional)')]
    >>> cell_logic("for x in xs:\\n    print(x)")
    [(1, 'a for loop')]
    """
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError as error:
        return [(error.lineno or 0, f"not valid Python ({error.msg})")]
    found: list[tuple[int, str]] = []
    unvisited: list[ast.AST] = [tree]
    while unvisited:  # what lies inside a refused node is part of it: one report per piece of logic
        node = unvisited.pop()
        if isinstance(node, ast.stmt) and not isinstance(node, ALLOWED_STATEMENTS):
            found.append((node.lineno, _statement_name(node)))
        elif type(node) in REFUSED_EXPRESSIONS:
            found.append((getattr(node, "lineno", 0), REFUSED_EXPRESSIONS[type(node)]))
        else:
            unvisited.extend(ast.iter_child_nodes(node))
    return sorted(found)


def notebook_logic(notebook: Path) -> list[LogicInCell]:
    """Every piece of logic in the code cells of ``notebook`` (an ``.ipynb`` file); empty when it is thin."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = []
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = source.splitlines()
        for line, what in cell_logic(source):
            code = lines[line - 1] if 0 < line <= len(lines) else ""
            found.append(LogicInCell(notebook, number, line, what, code))
    return found
