"""The gate of `make test` and pre-commit: what it promises that no tool checks by itself."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "evaluation"
# `# type: ignore[code]  # reason`: mypy (ignore-without-code) wants the code; the reason is for the next reader.
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")

# The command of each pre-commit hook and the dev dependency that installs it.
HOOK_COMMANDS = {
    "nbstripout": "nbstripout",
    "ruff": "ruff",
    "mypy": "mypy",
    "lint-imports": "import-linter",
    "detect-secrets-hook": "detect-secrets",
    "check-added-large-files": "pre-commit-hooks",
    "end-of-file-fixer": "pre-commit-hooks",
    "trailing-whitespace-fixer": "pre-commit-hooks",
}


def _ignores() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if match := IGNORE.search(line):
                found.append((path.relative_to(PACKAGE).as_posix(), number, match["codes"] or "", match["rest"]))
    return found


def test_every_type_ignore_names_its_error_code_and_says_why():
    no_code = [f"{path}:{line}" for path, line, codes, _ in _ignores() if not codes]
    no_reason = [f"{path}:{line}" for path, line, _, rest in _ignores() if not rest.strip().lstrip("#").strip()]
    assert not no_code, f"type: ignore without an error code: {no_code}"
    assert not no_reason, f"type: ignore without a reason after it (`# type: ignore[code]  # why`): {no_reason}"


def test_the_ignore_pattern_tells_a_reason_from_none():
    assert IGNORE.search("x = f()  # type: ignore[arg-type]  # pandas-stubs: Series[Any]")["rest"].strip()
    assert not IGNORE.search("x = f()  # type: ignore[arg-type]")["rest"].strip()
    assert IGNORE.search("x = f()  # type: ignore")["codes"] is None


def test_every_pre_commit_hook_runs_a_command_the_dev_dependencies_install_in_the_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    installed = {re.match(r"[A-Za-z0-9_.-]+", requirement)[0].lower() for requirement in dev}
    assert all(repo["repo"] == "local" for repo in config["repos"]), "a remote hook downloads at commit time"
    assert {"ruff-check", "ruff-format", "mypy", "import-contracts"} <= {hook["id"] for hook in hooks}
    for hook in hooks:
        assert hook["entry"].startswith(".venv/bin/"), hook["id"]
        command = hook["entry"].split()[0].removeprefix(".venv/bin/")
        assert HOOK_COMMANDS.get(command) in installed, f"{hook['id']}: no dev dependency installs {command}"


def test_make_lint_runs_the_whole_static_gate_and_make_test_runs_it_first():
    makefile = (ROOT / "Makefile").read_text()
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)[1]
    for command in ("ruff check .", "ruff format --check .", "mypy", "lint-imports"):
        assert command in lint, command
    test = re.search(r"^test:(.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert test[1].split("##")[0].split()[0] == "lint"
    assert "--doctest-modules" in test[2] and "src/evaluation" in test[2]
