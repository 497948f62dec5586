"""What every dashboard is made of: a :class:`Dashboard` (title, lead, selector, body), and the live page
around its body (header, perhaps a drop-down, the body, the download panel).

The live page (a notebook in ``dashboards/`` served by Voila) and the published site
(:mod:`evaluation.dashboards.site`) both build their content from ``Dashboard.body(value, reports)``, so the
two show the same figures and numbers for the same selection. Nothing here raises into a page: a body that
fails reads as a sentence (:func:`safe_children`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import BUILD_LOG_ENV
from ..data import ResultsMissing
from ..widgets import (
    Body,
    Part,
    esc,
    html_widget,
    load_ipywidgets,
    message,
    missing_message,
    page_header,
    page_root,
    running_in_voila,
)

if TYPE_CHECKING:
    import ipywidgets

log = logging.getLogger(__name__)
Reports = str | Path | None
PageFunction = TypeVar("PageFunction", bound=Callable[..., Any])
# Puts the body for a selector value (None for a page without one) into a page's Body; the bool: defer the rest.
BodyFill = Callable[[Body, "str | None", bool], None]

_body_sources: list[str] = []  # how the page being built got its body: "prepared" or "built" (for the log line)


def timed(function: PageFunction) -> PageFunction:
    """Log how long a page took to build.

    If :data:`BUILD_LOG_ENV` is set, each page appends "<time> <page> built in <s> s (pid <pid>)" to that file
    when it has been built: an operational log of build times, and how tests and benchmarks know a preheated
    kernel is ready.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        _body_sources.clear()
        page = function(*args, **kwargs)
        target = os.environ.get(BUILD_LOG_ENV)
        if target:
            source = ", ".join(_body_sources) or "none"
            line = (
                f"{dt.datetime.now(dt.UTC).isoformat(timespec='milliseconds')} {function.__name__} built in "
                f"{time.perf_counter() - started:.2f} s (pid {os.getpid()}; body {source})\n"
            )
            with open(target, "a", encoding="utf-8") as log_file:
                log_file.write(line)
        return page

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature mypy cannot see


def safe_children(build: Callable[[], list[Part]]) -> list[Part]:
    """``build()``, or a clear message (never a traceback) when results are missing or unreadable."""
    try:
        return build()
    except ResultsMissing as missing:
        return [missing_message(missing)]
    except Exception as error:  # the page must say what went wrong in words
        log.exception("dashboard section failed")
        return [
            message(
                f"This part of the page could not be shown ({type(error).__name__}: {error}). "
                f"The published results may be damaged; rerun the analysis.",
                kind="warning",
            )
        ]


def plain_page(title: str, lead: str, fill: BodyFill) -> ipywidgets.VBox:
    """A page without a selector: header, body, download panel."""
    body = Body()
    fill(body, None, running_in_voila())
    header = page_header(title, lead)
    return page_root([header, *body.widgets()], header=header, body=body)


def selector_page(
    title: str,
    lead: str,
    description: str,
    options: Sequence[tuple[str, str]],
    fill: BodyFill,
    *,
    value: str | None = None,
) -> ipywidgets.VBox:
    """A page with one drop-down; ``fill(body, value, defer)`` shows the body for the chosen value."""
    w = load_ipywidgets()
    if not options:
        return plain_page(title, lead, lambda body, _, defer: body.show([], defer=defer))
    dropdown = w.Dropdown(
        options=list(options),
        value=value if value is not None else options[0][1],
        description=description,
        style={"description_width": "initial"},
        layout=w.Layout(width="min(100%, 40em)"),
    )
    dropdown.add_class("wb-selector")
    announce = html_widget("")
    body = Body()
    labels = {v: k for k, v in options}

    def show(chosen: str, defer: bool = False) -> None:
        fill(body, chosen, defer)
        announce.value = f'<p class="wb-sr-only" aria-live="polite">Showing {esc(labels.get(chosen, chosen))}</p>'

    dropdown.observe(lambda change: show(change["new"]), names="value")
    show(dropdown.value, defer=running_in_voila())
    header = page_header(title, lead)
    return page_root(
        [header, dropdown, announce, *body.widgets()],
        header=header,
        body=body,
        choice=lambda: f"{esc(description)}: <strong>{esc(labels.get(dropdown.value, ''))}</strong>",
    )


def _no_options(reports: Reports) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class Dashboard:
    """One dashboard: what a board member is told of it, its selector, and its body for each selector value.

    The live page (a notebook in ``dashboards/`` served by Voila) and the published site
    (:mod:`evaluation.dashboards.site`) both build their content from ``body(value, reports)``, so the two
    show the same figures and numbers for the same selection.
    """

    name: str  # the notebook in dashboards/, and the page's folder on the published site
    title: str
    lead: str
    question: str  # what it answers, in a sentence, for the landing page
    reads: tuple[str, ...]  # the analyses whose published runs it shows
    body: Callable[[str | None, Reports], list[Part]]
    selector: str = ""  # the drop-down's label; empty for a page without one
    options: Callable[[Reports], list[tuple[str, str]]] = _no_options


def live_page(dashboard: Dashboard, reports: Reports = None, value: str | None = None) -> ipywidgets.VBox:
    """The dashboard as widgets: a drop-down of its options (if any), and its body for the value chosen."""
    options = dashboard.options(reports) if dashboard.selector else []
    if options:
        return selector_page(
            dashboard.title, dashboard.lead, dashboard.selector, options, body_fill(dashboard, reports), value=value
        )
    return plain_page(dashboard.title, dashboard.lead, body_fill(dashboard, reports))


def body_fill(dashboard: Dashboard, reports: Reports = None) -> BodyFill:
    """Shows the body for a value: the one prepared when the site was published if it was built from the same
    results and code (:mod:`evaluation.dashboards.prepared`: milliseconds), else built from the results."""
    from ..prepared import load_prepared

    def fill(body: Body, value: str | None, defer: bool) -> None:
        ready = load_prepared(dashboard, value, reports)
        if ready is not None:
            body.show_outputs(ready.outputs, ready.charts, defer=defer)
        else:
            body.show(safe_children(lambda: dashboard.body(value, reports)), defer=defer)
        _body_sources.append("built" if ready is None else "prepared")

    return fill
