"""The live page's widgets, kept to a handful of models: a header (``HTML``), perhaps a drop-down, the body in
two ``Output`` widgets (up to the first chart, then the rest, sent once the page has connected), and a
download panel that makes a chart's PNG and SVG when a reader asks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..downloads import download_link, figure_image
from .markup import CSS
from .outputs import PREVIEW_MIME, preview_markup, previewable, split_after_first_chart, to_outputs
from .parts import Chart, ChartImages, Part, esc

if TYPE_CHECKING:
    import ipywidgets

log = logging.getLogger(__name__)
# Seconds between the page asking for the body's state and the rest of the body being sent (see Body).
DEFER_SECONDS = 1.0
STALLED_TEXT = (
    "The live dashboard could not be drawn in this browser. The published version shows the same "
    "figures: open the dashboards' home page."
)


def running_in_voila() -> bool:
    """True in a kernel started by Voila (which sets these variables), where the page loads widget states."""
    return any(name in os.environ for name in ("VOILA_KERNEL_ID", "VOILA_APP_PORT", "VOILA_PREHEAT"))


_registered_with: list[Any] = []  # the kernel ipywidgets' comm targets were registered with (per process)


def load_ipywidgets() -> Any:
    """ipywidgets, with its comm targets registered in this process's kernel: imported before the kernel started
    (the zygote preloads it, :data:`evaluation.dashboards.reader_kernels.DASHBOARD_PRELOAD`), it found no kernel to
    register with, and the page could not fetch its widgets' state."""
    import ipywidgets
    from IPython import get_ipython

    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is not None and kernel not in _registered_with:
        ipywidgets.register_comm_target()
        _registered_with[:] = [kernel]
    return ipywidgets


def html_widget(markup: str) -> ipywidgets.HTML:
    return load_ipywidgets().HTML(markup)


def page_header(title: str, lead: str) -> ipywidgets.HTML:
    return html_widget(f'{CSS}<div class="wb-page"><h1>{esc(title)}</h1><p class="wb-lead">{esc(lead)}</p></div>')


def _deferred_output_class() -> type:
    """``DeferredOutput``: an ``Output`` that sends held outputs shortly after the page asks for its state.

    The browser fetches every widget's state before drawing and then draws every chart in one go, so a page
    with seven charts shows none until all seven are drawn. Holding back everything after the first chart
    until the page has connected lets the first chart appear first (see benchmarks/dashboards.py).
    """
    import threading

    w = load_ipywidgets()

    class DeferredOutput(w.Output):  # type: ignore[name-defined]  # w is imported inside the function
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._held: tuple[dict[str, Any], ...] | None = None
            self._scheduled = False
            self._lock = threading.Lock()

        def hold(self, outputs: tuple[dict[str, Any], ...] | None) -> None:
            with self._lock:
                self._held, self._scheduled = outputs, False

        def release(self) -> None:
            with self._lock:
                held, self._held = self._held, None
            if held is not None:
                self.outputs = held

        def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
            # The page asks for every widget's full state when it connects (ipywidgets' request_states).
            state = super().get_state(key=key, drop_defaults=drop_defaults)
            if key is None and hasattr(self, "_lock"):  # not while the widget is being constructed
                with self._lock:
                    start, self._scheduled = self._held is not None and not self._scheduled, True
                if start:
                    timer = threading.Timer(DEFER_SECONDS, self.release)
                    timer.daemon = True
                    timer.start()
            return state

    return DeferredOutput


def _page_root_class() -> type:
    """``PageRoot``: the ``VBox`` of a page, whose display also carries the page's first view as static HTML
    (:data:`PREVIEW_MIME`, see :func:`preview_markup`) when it is shown by Voila and the view has a chart.

    The live page (widgets) is drawn only once the kernel is connected and every widget's state has been
    fetched; the preview, rendered on the server with the notebook, shows the first chart before that.
    """
    w = load_ipywidgets()

    class PageRoot(w.VBox):  # type: ignore[name-defined]  # w is imported inside the function
        def __init__(
            self, children: Sequence[Any], *, header: str, body: Body, choice: Callable[[], str] = lambda: ""
        ) -> None:
            super().__init__(children)
            self.add_class("wb-root")
            self._header, self._body, self._choice = header, body, choice

        def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
            bundle = dict(super()._repr_mimebundle_(**kwargs))
            # Shown only where the widgets cannot be drawn: words for the reader, not the widget's repr.
            bundle["text/plain"] = STALLED_TEXT
            first = self._body.output.outputs
            if running_in_voila() and previewable(first):
                bundle[PREVIEW_MIME] = preview_markup(self._header, first, choice=self._choice())
            return bundle

    return PageRoot


def page_root(
    children: Sequence[Any], *, header: ipywidgets.HTML, body: Body, choice: Callable[[], str] = lambda: ""
) -> ipywidgets.VBox:
    """The root of a page (class ``wb-root``); ``choice()`` says what its selector shows, for the preview."""
    return _page_root_class()(children, header=header.value, body=body, choice=choice)


class Body:
    """The body of a page (two ``Output`` widgets: up to the first chart, then the rest) and its download
    panel for charts."""

    def __init__(self) -> None:
        w = load_ipywidgets()
        self.output = w.Output()
        self.output.add_class("wb-body")
        self.later = _deferred_output_class()()
        self.later.add_class("wb-body-rest")
        self.charts: list[ChartImages] = []
        self.choice = w.Dropdown(
            description="Chart",
            options=[],
            style={"description_width": "initial"},
            layout=w.Layout(width="min(100%, 44em)"),
        )
        self.button = w.Button(
            description="Make PNG and SVG",
            layout=w.Layout(width="auto"),
            tooltip="Make PNG and SVG files of the chart chosen",
        )
        self.button.add_class("wb-image-button")
        self.links = w.HTML("")
        self.links.add_class("wb-downloads")
        self.button.on_click(lambda _: self.make_images())
        self.panel = w.VBox(
            [
                w.HTML(
                    '<div class="wb-page"><h2>Download charts for a board paper</h2><p class="wb-note">Choose a '
                    "chart and make its PNG (for documents) and SVG (for print) files. Each table above has its own "
                    "CSV and Excel links.</p></div>"
                ),
                w.HBox([self.choice, self.button]),
                self.links,
            ]
        )
        self.panel.add_class("wb-panel")

    def show(self, parts: Sequence[Part], *, defer: bool = False) -> None:
        """Replace the body with ``parts`` (and the panel's list with their charts).

        ``defer``: send what follows the first chart only once the page has connected (a page's first
        view in Voila); otherwise everything at once (a reader's later choices).
        """
        self.show_outputs(to_outputs(parts), [p for p in parts if isinstance(p, Chart)], defer=defer)

    def show_outputs(
        self, outputs: Sequence[dict[str, Any]], charts: Sequence[ChartImages], *, defer: bool = False
    ) -> None:
        """Like :meth:`show`, for parts already turned into outputs (:func:`to_outputs`), e.g. a body prepared
        when the site was published (:mod:`evaluation.dashboards.prepared`)."""
        first, rest = split_after_first_chart(outputs)
        self.output.outputs = first
        if defer and rest:
            self.later.outputs = ()
            self.later.hold(rest)
        else:
            self.later.hold(None)
            self.later.outputs = rest
        self.charts = list(charts)
        self.choice.options = [(c.title, i) for i, c in enumerate(self.charts)]
        self.choice.index = 0 if self.charts else None  # ipywidgets clears the choice when the options change
        self.links.value = ""
        self.panel.layout.display = None if self.charts else "none"

    def make_images(self) -> None:
        """PNG and SVG links for the chart chosen (the first image of a kernel takes a few seconds)."""
        if not self.charts:
            return
        chart = self.charts[int(self.choice.value or 0)]
        self.button.disabled = True
        self.links.value = '<p role="status">Making the images (the first takes a few seconds)...</p>'
        try:
            png = figure_image(chart.figure, "png", alt_text=chart.alt_text)
            svg = figure_image(chart.figure, "svg", alt_text=chart.alt_text)
            self.links.value = (
                f'<p role="status">{esc(chart.title)}: '
                f"{download_link(png, f'{chart.file_stem}.png', 'Chart as PNG', kind='png')}"
                f"{download_link(svg, f'{chart.file_stem}.svg', 'Chart as SVG', kind='svg')}</p>"
            )
        except Exception as error:  # a failed image must not break the page
            log.exception("image export failed")
            self.links.value = f'<p role="alert">The images could not be made: {esc(error)}</p>'
        finally:
            self.button.disabled = False

    def widgets(self) -> list[Any]:
        return [self.output, self.later, self.panel]
