"""Live page bodies prepared when the site is published, so a reader's kernel loads its page instead of building it.

A page body is a function of (dashboard, selector value, published results, drawing code), and
:func:`evaluation.dashboards.site.publish_site` builds every body of every dashboard anyway. With each page it
writes the body as the live page shows it (the notebook outputs of :func:`~evaluation.dashboards.widgets.
to_outputs`: markup with the tables' downloads, and each chart's plotly figure) to
``reports/_site/_live/<dashboard>/<state>.json``, stamped with :func:`body_key`. A live page (and each later
choice in its drop-down) loads that file when its stamp equals the key of the results and code it would build
from, and builds the body itself otherwise (not published yet, a run newer than the site, other code): never a
body of other results.

Why: building a body reads the published tables and makes every table's CSV and XLSX (~0.5-1 s of CPU for the
cohort page); a board opening a dashboard together had each reader beyond the preheated kernels wait for that
on two shared cores. Loading the prepared body takes milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .data import reports_root
from .fingerprints import SITE_DIR, ReadsRuns, code_fingerprint, runs_fingerprint, state_slug
from .widgets import Chart, Part, to_outputs

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger(__name__)

PREPARED_DIR = "_live"  # inside the site folder
PREPARED_FORMAT = 1  # bump when the file's layout changes


@dataclass
class PreparedChart:
    """A chart of a prepared body, for the download panel: the figure is read from its JSON only when a reader
    asks for its images."""

    title: str
    alt_text: str
    file_stem: str
    figure_json: str = field(repr=False)

    @functools.cached_property
    def figure(self) -> go.Figure:
        import plotly.io

        return plotly.io.from_json(self.figure_json)


@dataclass
class PreparedBody:
    outputs: tuple[dict[str, Any], ...]
    charts: list[PreparedChart]


def body_key(dashboard: ReadsRuns, value: str | None, reports: str | Path | None = None) -> str:
    """SHA-256 of what a body is built from: the drawing code, the provenance of every run the dashboard reads,
    and the selector value."""
    return hashlib.sha256(
        json.dumps([PREPARED_FORMAT, code_fingerprint(), runs_fingerprint(dashboard, reports), value]).encode()
    ).hexdigest()


def prepared_path(dashboard: str, value: str | None) -> str:
    """Where a state's prepared body is, relative to the site folder."""
    return f"{PREPARED_DIR}/{dashboard}/{'_page' if value is None else state_slug(value)}.json"


def prepared_json(parts: Sequence[Part], key: str) -> bytes:
    """The file of a prepared body: its key, its outputs, and its charts (for the download panel)."""
    charts = [
        {"title": p.title, "alt_text": p.alt_text, "file_stem": p.file_stem, "figure": p.figure.to_json()}
        for p in parts
        if isinstance(p, Chart)
    ]
    return json.dumps({"key": key, "outputs": to_outputs(parts), "charts": charts}).encode("utf-8")


def load_prepared(dashboard: ReadsRuns, value: str | None, reports: str | Path | None = None) -> PreparedBody | None:
    """The prepared body of a state, if the site holds one built from the same results and code; else None."""
    root = reports_root(reports)
    path = root / SITE_DIR / prepared_path(dashboard.name, value)
    try:
        recorded = json.loads(path.read_bytes())
        if recorded.get("key") != body_key(dashboard, value, root):
            return None  # built from other results or code
        charts = [PreparedChart(c["title"], c["alt_text"], c["file_stem"], c["figure"]) for c in recorded["charts"]]
        return PreparedBody(tuple(recorded["outputs"]), charts)
    except FileNotFoundError:
        return None
    except Exception as error:  # noqa: BLE001 - a damaged file: the body is built instead, and the log says why
        log.warning(
            "prepared body %s unusable (%s: %s): building the page instead", path.name, type(error).__name__, error
        )
        return None
