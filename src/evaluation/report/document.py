"""What a report shows, read from an executed notebook: its title, summary, sections, and what is kept out.

The report's order is fixed by conventions the notebooks follow (docs/reports.md):
the first Markdown cell is the title and introduction (a code cell tagged ``title`` that
displays a Markdown ``#`` heading, e.g. naming the project a run is about, replaces its
heading); the cells tagged ``summary``
come right after it (they run last, because they need every finding); then the
rest in notebook order. Code is never shown, only outputs.

Outputs a reader must never see are *withheld*: a stderr stream, an error
(traceback), anything whose visible text holds a traceback or a path of the
machine that ran it, and HTML that would load something from the network. A
withheld output is not dropped silently: it is listed (:class:`Withheld`) so that
the run records it in its provenance and ``workbench run`` says so.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..chart_json import PLOTLY_MIME

SUMMARY_TAG = "summary"
TITLE_TAG = "title"
NOTES_TAG = "notes"
AUDIENCE_PARAMETER = "audience"
PUBLIC, INTERNAL = "public", "internal"
AUDIENCES = (PUBLIC, INTERNAL)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# An absolute path on the machine that ran the notebook: a POSIX path under a system or home root, a
# Windows drive path, or a file:// URL. A URL's path ("https://host/a/b") is not one: the look-behind
# refuses a slash preceded by a word character, a colon or another slash.
MACHINE_PATH = re.compile(
    r"(?<![\w.:/~-])/(?:home|root|tmp|work|usr|opt|var|srv|mnt|media|Users|private|Volumes|etc|data|scratch|nfs)"
    r"/[^\s\"'<>]*|\b[A-Za-z]:\\[^\s\"'<>]+|file://[^\s\"'<>]+"
)
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*File \"[^\"]+\", line \d+", re.MULTILINE)
# HTML that fetches something when the page opens: the report must be self-contained (and work offline).
NETWORK_LOAD = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*[\"']?"
    r"(?:https?:)?//",
    re.IGNORECASE,
)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Withheld:
    """An output kept out of the report: which cell, what kind, and its first line (machine paths redacted)."""

    cell: int | None  # the code cell's execution count, as the executed notebook shows it
    kind: str  # "stderr", "traceback", "machine path", "network load", "interactive widget"
    excerpt: str

    def describe(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "a cell that did not run"
        return f"{self.kind} in {where}: {self.excerpt}"

    def as_dict(self) -> dict[str, Any]:
        return {"cell": self.cell, "kind": self.kind, "excerpt": self.excerpt}


@dataclass(frozen=True)
class Output:
    """One output to show: its MIME type and content (a plotly figure as its JSON spec)."""

    mime: str
    content: Any


@dataclass
class Block:
    """A notebook cell as the report shows it: Markdown source, or the outputs of a code cell."""

    kind: str  # "markdown" or "outputs"
    markdown: str = ""
    outputs: list[Output] = field(default_factory=list)
    tags: tuple[str, ...] = ()


@dataclass
class ReportDocument:
    """An executed notebook in report order, with its audience and what was withheld."""

    title: str
    title_block: Block | None
    summary: list[Block]
    body: list[Block]
    audience: str
    withheld: list[Withheld]

    @property
    def has_figures(self) -> bool:
        return any(o.mime == PLOTLY_MIME for b in self.blocks() for o in b.outputs)

    def blocks(self) -> Iterator[Block]:
        yield from ([self.title_block] if self.title_block else [])
        yield from self.summary
        yield from self.body


def visible_text(markup: str) -> str:
    """The text a reader sees in an HTML fragment (scripts and styles removed, entities decoded)."""
    return html.unescape(_TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", markup)))


def redact_paths(text: str) -> str:
    """``text`` with every machine path replaced by ``<path>/`` and its last part (for the provenance record)."""
    return MACHINE_PATH.sub(lambda m: "<path>/" + re.split(r"[/\\]", m.group(0).rstrip("/\\"))[-1], text)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return redact_paths(lines[-1] if lines and lines[0].startswith("Traceback") else lines[0] if lines else "")[:200]


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _problem(text: str) -> str | None:
    """Why text must not reach a reader, or None."""
    if TRACEBACK.search(text):
        return "traceback"
    if MACHINE_PATH.search(text):
        return "machine path"
    return None


def _is_plotly_library(data: dict[str, Any]) -> bool:
    """plotly's notebook renderer's first output: plotly.js itself (the report embeds it once, in its head)."""
    markup = _text(data.get("text/html", ""))
    return PLOTLY_MIME not in data and "window.PlotlyConfig" in markup and "plotly.js" in markup


def _choose_output(output: dict[str, Any], cell: int | None) -> Output | Withheld | None:
    kind = output["output_type"]
    if kind == "error":
        return Withheld(cell, "traceback", _first_line(f"{output.get('ename')}: {output.get('evalue')}"))
    if kind == "stream":
        text = _text(output.get("text", ""))
        if output.get("name") == "stderr":
            return Withheld(cell, "stderr", _first_line(text))
        problem = _problem(text)
        return Withheld(cell, problem, _first_line(text)) if problem else Output("text/plain", text)
    data = output.get("data", {})
    if _is_plotly_library(data):
        return None
    if WIDGET_MIME in data:  # its text form ("HBox(children=...)") means nothing on paper
        return Withheld(cell, "interactive widget", _first_line(_text(data.get("text/plain", "widget"))))
    if PLOTLY_MIME in data:
        return Output(PLOTLY_MIME, data[PLOTLY_MIME])
    for mime in ("text/html", "text/markdown", "image/svg+xml", "image/png", "text/plain"):
        if mime not in data:
            continue
        content = _text(data[mime])
        if mime == "image/png":
            return Output(mime, content)
        if mime in ("text/html", "image/svg+xml") and (load := NETWORK_LOAD.search(content)):
            return Withheld(cell, "network load", _first_line(load.group(0)))
        text = visible_text(content) if mime in ("text/html", "image/svg+xml") else content
        problem = _problem(text)
        return Withheld(cell, problem, _first_line(text)) if problem else Output(mime, content)
    return None  # only MIME types a static page cannot show (widgets, JavaScript)


def read_document(executed: Path | dict[str, Any]) -> ReportDocument:
    """The executed notebook (a path or its JSON) in report order, with its audience and withheld outputs."""
    notebook = json.loads(Path(executed).read_text(encoding="utf-8")) if not isinstance(executed, dict) else executed
    parameters = notebook.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}
    audience = str(parameters.get(AUDIENCE_PARAMETER, PUBLIC))
    if audience not in AUDIENCES:
        raise ValueError(f"parameter {AUDIENCE_PARAMETER}={audience!r}: must be one of {', '.join(AUDIENCES)}")
    title_block: Block | None = None
    summary: list[Block] = []
    body: list[Block] = []
    withheld: list[Withheld] = []
    for cell in notebook.get("cells", []):
        tags = tuple(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "markdown":
            block = Block("markdown", markdown=_text(cell.get("source", "")), tags=tags)
            if title_block is None:
                title_block = block
                continue
        elif cell["cell_type"] == "code":
            block = Block("outputs", tags=tags)
            for output in cell.get("outputs", []):
                chosen = _choose_output(output, cell.get("execution_count"))
                if isinstance(chosen, Withheld):
                    withheld.append(chosen)
                elif chosen is not None:
                    block.outputs.append(chosen)
            if not block.outputs:
                continue
            if TITLE_TAG in tags:
                heading = _title(
                    Block(
                        "markdown",
                        markdown="\n".join(str(o.content) for o in block.outputs if o.mime == "text/markdown"),
                    ),
                    default="",
                )
                if heading:
                    title_block = _retitled(title_block, heading)
                    continue
        else:
            continue
        (summary if SUMMARY_TAG in tags else body).append(block)
    title = _title(title_block)
    return ReportDocument(title, title_block, summary, body, audience, withheld)


def _title(block: Block | None, default: str = "Report") -> str:
    """The text of the title cell's first ``#`` heading (Markdown emphasis removed)."""
    if block is not None:
        for line in block.markdown.splitlines():
            if re.match(r"#\s", line):
                return re.sub(r"[*_`]", "", line[1:]).strip()
    return default


def _retitled(block: Block | None, heading: str) -> Block:
    """The title cell with its first ``#`` heading replaced by ``heading`` (added if it had none)."""
    lines = block.markdown.splitlines() if block is not None else []
    first = next((i for i, line in enumerate(lines) if re.match(r"#\s", line)), None)
    if first is None:
        lines.insert(0, f"# {heading}")
    else:
        lines[first] = f"# {heading}"
    return Block("markdown", markdown="\n".join(lines), tags=block.tags if block is not None else ())
