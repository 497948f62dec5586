"""pyproject.toml is the single source of dependencies; environment.yml must list the same set."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names.
CONDA_NAMES = {"kaleido": "python-kaleido"}


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def test_environment_yml_lists_the_pyproject_dependencies_with_the_same_specs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])
    wanted = {CONDA_NAMES.get(name, name): spec for name, spec in wanted.items()}

    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    listed = dict(_split(d) for d in conda if not d.startswith(("python=", "pip")))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))

    assert listed == wanted
    assert "-e ." in pip_section, "the pip section must install the workbench itself"


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python=3.11" in environment["dependencies"]
