"""A report's HTML page: title and introduction, the summary, contents, the sections, and a provenance footer.

One self-contained file: the stylesheet and (when the report has charts) plotly.js are inlined, nothing is
loaded from the network. No code, no prompts. The layout follows the Government Analysis Function's guidance
for publications (a sans-serif font at a readable size, lines of about 70 characters, headings that say
what a section shows, tables with header rows and right-aligned numbers) and prints on A4 without
splitting a chart or a table across pages (``report.css``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import mistune

from ..chart_json import BASIC_BUNDLE_TRACE_TYPES, PLOTLY_MIME, script_json
from .document import INTERNAL, NOTES_TAG, Block, Output, ReportDocument, Withheld, read_document

MARKING = "OFFICIAL-SENSITIVE"
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"\bid\s*=\s*[\"']([^\"']+)[\"']")
_SCOPED_STYLE = re.compile(r"<style scoped>.*?</style>", re.DOTALL)  # pandas' DataFrame styling


@dataclass(frozen=True)
class RunStamp:
    """Where a report comes from: the run, when it started, and the commit of the code that ran it."""

    analysis: str
    run_id: str
    started_at: str  # ISO 8601, UTC
    git_commit: str | None = None

    @property
    def key(self) -> str:
        return f"{self.analysis}/{self.run_id}"

    @property
    def when(self) -> str:
        """``7 December 2026 at 16:10 UTC`` (a UK date)."""
        moment = dt.datetime.fromisoformat(self.started_at).astimezone(dt.UTC)
        return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"

    def line(self) -> str:
        commit = f", code at git commit {self.git_commit[:10]}" if self.git_commit else ", code not under git"
        return f"Run {self.key}, {self.when}{commit}. Produced by the evaluation workbench."


@dataclass(frozen=True)
class RenderedReport:
    """What rendering a report found out, for the PDF and the run's provenance."""

    title: str
    audience: str
    withheld: tuple[Withheld, ...]
    stamp: RunStamp

    @property
    def marking(self) -> str:
        return MARKING if self.audience == INTERNAL else ""


class _Anchors:
    """Unique ``id`` values for headings, and the ``##`` headings in document order for the contents."""

    def __init__(self) -> None:
        self.taken: set[str] = {"contents", "main"}
        self.sections: list[tuple[str, str]] = []

    def anchor(self, level: int, text: str, given: str | None = None) -> str:
        plain = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        if given is None:
            base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "section"
            given, number = base, 1
            while given in self.taken:
                number += 1
                given = f"{base}-{number}"
        self.taken.add(given)
        if level == 2:
            self.sections.append((given, plain))
        return given

    def mark(self, markup: str) -> str:
        """``markup`` with an ``id`` on every heading that has none (headings in HTML outputs)."""

        def add(match: re.Match[str]) -> str:
            level, attributes, text = int(match.group(1)), match.group(2) or "", match.group(3)
            found = _ID.search(attributes)
            anchor = self.anchor(level, text, found.group(1) if found else None)
            attributes = attributes if found else f' id="{anchor}"{attributes}'
            return f"<h{level}{attributes}>{text}</h{level}>"

        return _HEADING.sub(add, markup)


class _Renderer(mistune.HTMLRenderer):
    def __init__(self, anchors: _Anchors) -> None:
        super().__init__(escape=False)
        self.anchors = anchors

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        return f'<h{level} id="{self.anchors.anchor(level, text)}">{text}</h{level}>\n'


def _markdown(anchors: _Anchors) -> mistune.Markdown:
    return mistune.create_markdown(renderer=_Renderer(anchors), plugins=["table", "strikethrough", "footnotes"])


def _figure(spec: dict[str, Any], number: int) -> str:
    layout = dict(spec.get("layout", {}))
    layout.pop("width", None)  # the chart takes the page's width, on screen and on paper
    title = layout.get("title", {})
    label = title.get("text") if isinstance(title, dict) else title
    label = re.sub(r"<[^>]+>", " ", str(label)).strip() if label else "Chart"
    chart_id = f"report-chart-{number}"
    return (
        f'<figure class="report-figure"><div class="report-chart" id="{chart_id}" role="img" '
        f'aria-label="{html.escape(label)}" data-spec="{chart_id}-spec"></div>'
        f'<script type="application/json" id="{chart_id}-spec">'
        f"{script_json({'data': spec.get('data', []), 'layout': layout})}</script></figure>"
    )


def _output(output: Output, anchors: _Anchors, markdown: mistune.Markdown, charts: list[int]) -> str:
    if output.mime == PLOTLY_MIME:
        charts.append(len(charts) + 1)
        return _figure(output.content, len(charts))
    if output.mime == "text/markdown":
        return f'<div class="report-output">{markdown(output.content)}</div>'
    if output.mime == "text/html":
        markup = anchors.mark(_SCOPED_STYLE.sub("", output.content))
        if "<table" in markup:  # a wide table scrolls on a narrow screen, and can be reached by keyboard
            return (
                f'<div class="report-output report-table" role="region" aria-label="Table" tabindex="0">{markup}</div>'
            )
        return f'<div class="report-output">{markup}</div>'
    if output.mime == "image/svg+xml":
        return f'<div class="report-output" role="img" aria-label="Chart">{output.content}</div>'
    if output.mime == "image/png":
        return (
            f'<div class="report-output"><img alt="Chart" src="data:image/png;base64,{output.content.strip()}"></div>'
        )
    return f'<p class="report-output report-text">{html.escape(output.content.rstrip())}</p>'


def _block(block: Block, anchors: _Anchors, markdown: mistune.Markdown, charts: list[int]) -> str:
    if block.kind == "markdown":
        inner = markdown(block.markdown)
    else:
        inner = "".join(_output(o, anchors, markdown, charts) for o in block.outputs)
    css = "report-block report-notes" if NOTES_TAG in block.tags else "report-block"
    return f'<div class="{css}">{inner}</div>'


def _contents(sections: list[tuple[str, str]]) -> str:
    if not sections:
        return ""
    items = "".join(f'<li><a href="#{anchor}">{html.escape(text)}</a></li>' for anchor, text in sections)
    return (
        f'<nav class="report-contents" aria-labelledby="contents"><h2 id="contents">Contents</h2>'
        f"<ul>{items}</ul></nav>"
    )  # a list without numbers: headings often carry their own


@cache
def asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _plotly_js(basic: bool) -> str:
    """plotly.js as the published site serves it: the basic bundle (scatter, bar, pie; a quarter of the size,
    so a page opens and prints sooner) when every chart can use it, else the full bundle plotly ships."""
    if basic:
        return (
            files("evaluation.dashboards")
            / "share"
            / "voila"
            / "templates"
            / "workbench"
            / "static"
            / "plotly-basic.min.js"
        ).read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _trace_types(document: ReportDocument) -> set[str]:
    return {
        str(trace.get("type", "scatter"))
        for block in document.blocks()
        for output in block.outputs
        if output.mime == PLOTLY_MIME
        for trace in output.content.get("data", [])
    }


def report_html(document: ReportDocument, stamp: RunStamp) -> str:
    """The page of ``document`` as one self-contained HTML string."""
    anchors = _Anchors()
    charts: list[int] = []  # chart numbers, appended as figures are drawn
    markdown = _markdown(anchors)
    title = (
        _block(document.title_block, anchors, markdown, charts)
        if document.title_block
        else f"<h1>{html.escape(document.title)}</h1>"
    )
    summary = "".join(_block(b, anchors, markdown, charts) for b in document.summary)
    anchors.sections.clear()  # the contents list the sections that follow them (not the title, not the summary)
    body = "".join(_block(b, anchors, markdown, charts) for b in document.body)
    marking = f'<p class="report-marking">{MARKING}</p>' if document.audience == INTERNAL else ""
    plotly = f"<script>{_plotly_js(_trace_types(document) <= BASIC_BUNDLE_TRACE_TYPES)}</script>" if charts else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(document.title)}</title>\n<style>{asset('report.css')}</style>\n{plotly}\n</head>\n"
        f'<body>\n<header class="report-header">{marking}</header>\n<main id="main">\n'
        f'<div class="report-title">{title}</div>\n'
        + (f'<section class="report-summary" aria-label="Summary">{summary}</section>\n' if summary else "")
        + f"{_contents(anchors.sections)}\n{body}\n</main>\n"
        f'<footer class="report-footer"><p class="report-provenance">{html.escape(stamp.line())}</p>{marking}'
        "</footer>\n"
        f"<script>{asset('charts.js')}</script>\n</body>\n</html>\n"
    )


def render_html(executed: Path, target: Path, stamp: RunStamp) -> RenderedReport:
    """Write the report of the executed notebook ``executed`` to ``target``; what it found out."""
    from ..run_folder import write_atomically

    document = read_document(executed)
    write_atomically(target, report_html(document, stamp).encode("utf-8"))
    return RenderedReport(document.title, document.audience, tuple(document.withheld), stamp)
