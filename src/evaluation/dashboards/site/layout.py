"""What the published site holds and where: its folder, its pages (one per dashboard state) and each page's
fingerprint, which decides whether a publish renders it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..data import reports_root
from ..fingerprints import (
    SITE_DIR,
    code_fingerprint,
    state_slug,
)
from ..pages import DASHBOARD_PAGES, Dashboard

ASSETS_DIR = "assets"
STATE_JSON = "site.json"  # the fingerprint of every page state, for the next publish
IMAGE_FORMATS = ("png", "svg")


class SiteError(RuntimeError):
    """The site could not be published; the previous site is left as it was."""


@dataclass(frozen=True)
class PageState:
    """One page of the site: a dashboard with one selector value (``None`` for a page without a selector)."""

    dashboard: Dashboard
    value: str | None
    label: str = ""

    @property
    def folder(self) -> str:
        """Path of the page's folder inside the site (``cohort/cohort-C1``, ``programme_overview``)."""
        return self.dashboard.name if self.value is None else f"{self.dashboard.name}/{state_slug(self.value)}"

    @property
    def path(self) -> str:
        return f"{self.folder}/index.html"


def site_folder(reports: str | Path | None = None) -> Path:
    return reports_root(reports) / SITE_DIR


def page_states(reports: str | Path | None = None) -> list[PageState]:
    """Every state of every dashboard that the published results allow, in the landing page's order."""
    states: list[PageState] = []
    for dashboard in DASHBOARD_PAGES.values():
        options = dashboard.options(reports) if dashboard.selector else []
        states += [PageState(dashboard, value, label) for label, value in options] or [PageState(dashboard, None)]
    return states


def state_fingerprint(state: PageState, runs: str, states: Sequence[PageState], images: bool) -> str:
    """The fingerprint of one page: its code, the runs it reads, its value, the states it links to, and whether
    its charts have image files."""
    siblings = [(s.value, s.label) for s in states if s.dashboard is state.dashboard]
    names = [(s.dashboard.name, s.dashboard.title) for s in states]
    return hashlib.sha256(
        json.dumps([code_fingerprint(), runs, state.value, siblings, names, images]).encode()
    ).hexdigest()


def write_file(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a hard-linked old copy is never changed in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def static_page_path(dashboard: str) -> str:
    """Where a dashboard starts on the site (relative to its root): its page, or the page of its first state."""
    return f"{dashboard}/index.html"
