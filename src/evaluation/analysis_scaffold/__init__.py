"""``workbench new NAME``: a new analysis that runs, publishes and passes its tests as generated.

It writes, from the repository's root:

- ``notebooks/NAME.ipynb``: title and introduction, the ``parameters`` cell (typed, with
  ``disclosure_threshold`` and ``audience``), the run contract, sections with a key finding, a table and a
  figure through :mod:`evaluation.presentation`, and the cells tagged ``summary`` and ``notes``
  (docs/reports.md);
- its entry at the end of ``notebooks/manifest.yml``, the file's comments and order kept
  (:mod:`.manifest_entry`);
- ``src/evaluation/analyses/NAME/``: a package with the typed, documented functions the notebook calls;
- ``tests/analyses/test_NAME.py``: their tests.

A NAME that is not a lower-case Python identifier, or that any of these already uses, is refused before
anything is written; a write that fails removes what was written. The templates: :mod:`.templates`.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import templates
from .manifest_entry import ManifestEntryError, add_analysis

NAME_RULE = re.compile(r"[a-z][a-z0-9_]*")
MAX_NAME = 40  # the name appears in generated lines that must stay under ruff's 120 characters
MAX_TITLE = 80


class ScaffoldError(ValueError):
    """``workbench new`` cannot write the analysis; the message says why. Nothing was written."""


@dataclass(frozen=True)
class NewAnalysis:
    """Where the files of a new analysis go, from the repository's root."""

    root: Path
    name: str

    @property
    def manifest(self) -> Path:
        return self.root / "notebooks" / "manifest.yml"

    @property
    def notebook(self) -> Path:
        return self.root / "notebooks" / f"{self.name}.ipynb"

    @property
    def package(self) -> Path:
        return self.root / "src" / "evaluation" / "analyses" / self.name

    @property
    def test(self) -> Path:
        return self.root / "tests" / "analyses" / f"test_{self.name}.py"


def check_name(name: str) -> None:
    """Refuse a name that cannot be a module, a notebook and a manifest entry at once.

    Examples
    --------
    >>> check_name("attendance_trends")
    >>> check_name("2024-review")
    Traceback (most recent call last):
    ...
    evaluation.analysis_scaffold.ScaffoldError: '2024-review' is not a lower-case Python identifier (a letter, then \
letters, digits or underscores, e.g. attendance_trends): it names the package, the notebook and the manifest entry
    """
    if not NAME_RULE.fullmatch(name) or keyword.iskeyword(name):
        raise ScaffoldError(
            f"{name!r} is not a lower-case Python identifier (a letter, then letters, digits or underscores, "
            "e.g. attendance_trends): it names the package, the notebook and the manifest entry"
        )
    if len(name) > MAX_NAME:
        raise ScaffoldError(f"{name!r} is longer than {MAX_NAME} characters")


def default_title(name: str) -> str:
    """``attendance_trends`` -> ``Attendance trends``."""
    return name.replace("_", " ").strip().capitalize()


def _check_title(title: str) -> None:
    if not title.strip() or len(title) > MAX_TITLE or not title.isprintable() or any(c in title for c in '"\\`'):
        raise ScaffoldError(
            f"title {title!r}: one line of at most {MAX_TITLE} characters, without double quotes, backslashes "
            "or backticks"
        )


def _fill(text: str, name: str, title: str) -> str:
    return (
        text.replace("ANALYSIS_TITLE_YAML", json.dumps(title, ensure_ascii=False))
        .replace("ANALYSIS_NAME", name)
        .replace("ANALYSIS_TITLE", title)
    )


def notebook_text(name: str, title: str) -> str:
    """The notebook as Jupyter writes it (nbformat 4.5, one-space indents, sorted keys), without outputs; the
    cell ids follow their position, so the same name and title always give the same file."""
    cells: list[dict[str, Any]] = []
    for position, (kind, tags, source) in enumerate(templates.NOTEBOOK_CELLS, start=1):
        lines = _fill(source, name, title).splitlines(keepends=True)
        cell: dict[str, Any] = {"cell_type": kind, "id": f"{name}-{position}", "metadata": {}, "source": lines}
        if tags:
            cell["metadata"]["tags"] = list(tags)
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def planned_files(root: Path, name: str, title: str) -> dict[Path, str]:
    """Every file ``workbench new`` writes, with its text (the manifest last), checked: raises
    :class:`ScaffoldError` when the name is refused or taken, or the root is not the repository's."""
    check_name(name)
    _check_title(title)
    new = NewAnalysis(root, name)
    for needed in (new.manifest, new.package.parent, new.test.parent):
        if not needed.exists():
            raise ScaffoldError(f"{needed} not found: run `workbench new` from the repository's root")
    taken = [
        path
        for path in (new.package, new.package.with_suffix(".py"), new.notebook, new.test)
        if path.exists() or path.is_symlink()
    ]
    if taken:
        raise ScaffoldError(f"{name!r} is taken: {', '.join(map(str, taken))} already exist(s)")
    entry = [(depth, _fill(line, name, title)) for depth, line in templates.MANIFEST_ENTRY]
    try:
        manifest = add_analysis(new.manifest.read_text(encoding="utf-8"), name, entry)
    except ManifestEntryError as error:
        raise ScaffoldError(f"{new.manifest}: {error}") from None
    return {
        **{new.package / file: _fill(text, name, title) for file, text in templates.PACKAGE.items()},
        new.test: _fill(templates.TEST, name, title),
        new.notebook: notebook_text(name, title),
        new.manifest: manifest,
    }


def new_analysis(root: Path, name: str, title: str | None = None) -> list[Path]:
    """Write the analysis ``name`` under ``root`` (see the module's notes); returns the files written.

    Raises :class:`ScaffoldError` (nothing written) when the name is refused or taken. Should a write fail
    (a full disk), the files already written are removed and the manifest is left as it was.
    """
    files = planned_files(root, name, title or default_title(name))
    new = NewAnalysis(root, name)
    written: list[Path] = []
    try:
        new.package.mkdir()
        for path, text in files.items():
            if path == new.manifest:
                staged = path.with_name(f".{path.name}.new")
                staged.write_text(text, encoding="utf-8")
                staged.replace(path)  # the manifest changes last, at once
            else:
                with path.open("x", encoding="utf-8") as file:
                    written.append(path)
                    file.write(text)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if new.package.exists() and not any(new.package.iterdir()):
            new.package.rmdir()
        new.manifest.with_name(f".{new.manifest.name}.new").unlink(missing_ok=True)
        raise
    return list(files)


def command_new(root: Path, name: str, title: str | None = None) -> int:
    """``workbench new``: write the analysis, say what was written and what to do next; the exit code."""
    try:
        written = new_analysis(root, name, title)
    except ScaffoldError as error:
        print(f"error: {error}; nothing was written", file=sys.stderr)
        return 2
    print(f"Wrote the analysis {name!r}:")
    print("\n".join(f"  {path.relative_to(root)}" for path in written))
    print(
        f"Next: .venv/bin/python -m pytest tests/analyses/test_{name}.py, then workbench run --select {name}; "
        "edit the notebook and the package into your analysis (docs/developing.md)."
    )
    return 0
