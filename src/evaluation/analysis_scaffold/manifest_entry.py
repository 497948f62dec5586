"""An analysis added to ``notebooks/manifest.yml`` as text, so the file keeps its comments, order and layout.

The runner only reads the manifest (:func:`evaluation.run.manifest.load_manifest`, with PyYAML, which keeps
no comments), so writing it back through PyYAML would lose every comment. The entry is inserted as lines at
the end of the ``analyses:`` mapping, indented as the file indents it, and the result is parsed again: it
must hold exactly the analyses it held before, in the same order, and the new one last.
"""

from __future__ import annotations

import re
from typing import Any

_TOP_LEVEL_ANALYSES = re.compile(r"^analyses:[ \t]*(#.*)?$")


class ManifestEntryError(ValueError):
    """The manifest cannot take the entry as text; the message says why and what to add by hand."""


def _indent_unit(lines: list[str], start: int) -> str:
    """The indentation of the first analysis under ``analyses:`` (two spaces in the committed manifest)."""
    for line in lines[start + 1 :]:
        if line.strip() and not line.lstrip().startswith("#"):
            unit = line[: len(line) - len(line.lstrip())]
            if unit and unit.strip(" ") == "":
                return unit
            break
    raise ManifestEntryError("the analyses under 'analyses:' are not indented with spaces")


def add_analysis(text: str, name: str, entry: list[tuple[int, str]]) -> str:
    """``text`` (a manifest) with the analysis ``name`` appended to its ``analyses:`` mapping.

    ``entry`` holds the lines under the analysis's name as ``(depth, text)``: depth 1 for its keys, 2 for the
    items of a list. Raises :class:`ManifestEntryError` when the manifest has no block ``analyses:``, already
    names ``name``, or would not read back as the same analyses plus the new one.

    Examples
    --------
    >>> manifest = "# comment kept\\nanalyses:\\n  first:\\n    notebook: first.ipynb  # why\\n"
    >>> print(add_analysis(manifest, "second", [(1, "notebook: second.ipynb")]), end="")
    # comment kept
    analyses:
      first:
        notebook: first.ipynb  # why
      second:
        notebook: second.ipynb
    """
    import yaml

    before = yaml.safe_load(text) or {}
    analyses = before.get("analyses") if isinstance(before, dict) else None
    if not isinstance(analyses, dict):
        raise ManifestEntryError("the manifest has no mapping 'analyses:'")
    if name in analyses:
        raise ManifestEntryError(f"the manifest already has an analysis {name!r}")
    lines = text.splitlines(keepends=True)
    starts = [number for number, line in enumerate(lines) if _TOP_LEVEL_ANALYSES.match(line.rstrip("\n"))]
    if len(starts) != 1:
        raise ManifestEntryError("expected one block 'analyses:' at the start of a line, the analyses under it")
    unit = _indent_unit(lines, starts[0])
    end = starts[0] + 1
    for number in range(starts[0] + 1, len(lines)):  # the block ends where an unindented key begins
        line = lines[number]
        if line.strip() and line[0] not in " \t#":
            break
        if line.strip() and line[0] in " \t":
            end = number + 1  # after its last indented line: comments and blank lines that follow stay put
    new_lines = [f"{unit}{name}:\n", *(f"{unit * (depth + 1)}{line}\n" for depth, line in entry)]
    head = lines[:end]
    if head and not head[-1].endswith("\n"):
        head[-1] += "\n"
    result = "".join([*head, *new_lines, *lines[end:]])
    try:
        after = yaml.safe_load(result)
    except yaml.YAMLError:
        after = None
    _check_read_back(before, after, name)
    return result


def _check_read_back(before: dict[str, Any], after: Any, name: str) -> None:
    old = before["analyses"]
    new = after.get("analyses") if isinstance(after, dict) else None
    if (
        not isinstance(new, dict)
        or list(new) != [*old, name]
        or any(new[key] != value for key, value in old.items())
        or {k: v for k, v in after.items() if k != "analyses"} != {k: v for k, v in before.items() if k != "analyses"}
    ):
        raise ManifestEntryError(f"adding {name!r} as text would change what the manifest holds")
