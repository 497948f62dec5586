"""Checks of what a reader sees in an executed notebook and its report.html (tests/test_report_text.py).

Each check returns a list of problems (empty when the run reads cleanly), so a test can report them all at once.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from evaluation import presentation as show

#: Text that must never reach a reader: machine paths, tracebacks, raw missing/boolean values, scientific notation.
FORBIDDEN = {
    "absolute path": re.compile(r"/work/|/home/|/tmp/|site-packages"),
    "traceback": re.compile(r"Traceback"),
    "NaN": re.compile(r"\bNaN\b|\bnan\b"),
    "NaT": re.compile(r"\bNaT\b"),
    "True/False": re.compile(r"\bTrue\b|\bFalse\b"),
    "scientific notation": re.compile(r"\d[eE][-+]0\d"),
}


class _VisibleText(HTMLParser):
    """The text of an HTML page outside <script> and <style>, and whether it has a pandas DataFrame table."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.dataframe_tables = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "table" and "dataframe" in (dict(attrs).get("class") or "").split():
            self.dataframe_tables += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> tuple[str, int]:
    """(visible text, number of ``class="dataframe"`` tables) of a page."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts), parser.dataframe_tables


def forbidden_text(text: str) -> list[str]:
    """What of :data:`FORBIDDEN` the text contains, each with a little context."""
    problems = []
    for what, pattern in FORBIDDEN.items():
        for match in list(pattern.finditer(text))[:3]:
            context = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
            problems.append(f"{what}: ...{context}...")
    return problems


def notebook_problems(path: Path) -> list[str]:
    """Problems of an executed notebook: stderr or error outputs, plain-text-only DataFrames, forbidden text in
    displayed output, and a missing ``summary``/``notes`` cell (the last two code cells, tagged)."""
    notebook = json.loads(path.read_text())
    problems = []
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for index, cell in enumerate(code):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
                what = "stderr" if kind == "stream" else "error"
                text = str(output.get("text", output.get("ename")))
                problems.append(f"code cell {index}: {what} output {text[:200]}")
            if kind == "stream" and output.get("name") == "stdout":
                problems.append(f"code cell {index}: printed output {''.join(output.get('text', ''))[:200]!r}")
            data = output.get("data", {})
            if (
                "text/plain" in data
                and set(data) <= {"text/plain"}
                and re.search(r"^\s*\d+\s", "".join(data["text/plain"]), re.MULTILINE)
                and "dataframe" not in "".join(data.get("text/html", ""))
            ):
                problems.append(
                    f"code cell {index}: a plain-text table with an index: {''.join(data['text/plain'])[:120]!r}"
                )
            if "text/html" in data and 'class="dataframe"' in "".join(data["text/html"]):
                problems.append(f'code cell {index}: a raw DataFrame (class="dataframe")')
            shown = "".join(data.get("text/markdown", "")) + visible_text("".join(data.get("text/html", "")))[0]
            problems += [f"code cell {index}: {p}" for p in forbidden_text(shown)]
    tags = [cell.get("metadata", {}).get("tags", []) for cell in code[-2:]]
    if len(tags) < 2 or "summary" not in tags[0] or "notes" not in tags[1]:
        problems.append(f"the last two code cells are not tagged summary and notes: {tags}")
    return problems


def report_problems(path: Path) -> list[str]:
    """Problems of a report.html: forbidden visible text and raw DataFrame tables."""
    text, dataframes = visible_text(path.read_text())
    problems = forbidden_text(text)
    if dataframes:
        problems.append(f'{dataframes} raw DataFrame table(s) (class="dataframe")')
    return problems


# ----------------------------------------------------------------------------------------------
# For unit tests of report sections (functions that publish through a run and return what to display)
# ----------------------------------------------------------------------------------------------


class RecordingRun:
    """Stands in for the runner's ``Run``: reads from ``tables`` and records what is published, in order."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None) -> None:
        self.tables = tables or {}
        self.published: list[tuple[str, str]] = []

    def read(self, name: str) -> pd.DataFrame:
        return self.tables[name].copy()

    def publish_table(self, name: str, frame: pd.DataFrame, **_: object) -> None:
        self.published.append(("table", name))

    def publish_results(self, estimates: object, **_: object) -> None:
        self.published.append(("results", ""))

    def publish_figure(self, name: str, figure: object, *, alt_text: str) -> None:
        assert alt_text.strip(), f"figure {name} has no text alternative"
        self.published.append(("figure", name))


def section_text(items: list[object]) -> str:
    """The Markdown and table HTML a report section displays, as one string (figures left out)."""
    return "\n".join(getattr(item, "text", "") or getattr(item, "_repr_html_", lambda: "")() for item in items)


def quiet_findings() -> show.Findings:
    """A report's findings that leave warnings to pytest (a notebook's kernel would hand them to the report)."""
    findings = show.Findings("question", "design")
    findings.close()
    return findings
