"""Publishing the site: every dashboard state whose fingerprint changed rendered again into a copy of the site
(unchanged files hard-linked), then swapped in with two renames, so a reader never sees a half-written site.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..data import reports_root
from ..fingerprints import SITE_DIR, SITE_FORMAT, runs_fingerprint
from ..pages import DASHBOARD_PAGES
from ..prepared import PREPARED_DIR, prepared_path
from .images import ImageMaker
from .layout import (
    STATE_JSON,
    PageState,
    page_states,
    site_folder,
    state_fingerprint,
    write_file,
)
from .render import dashboard_links, redirect_page, render_landing, render_page, write_assets

log = logging.getLogger(__name__)


@dataclass
class SiteSummary:
    """What one publish did."""

    folder: Path
    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    images: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        return (
            f"Published site {self.folder}: {len(self.rendered)} page(s) rendered, {len(self.unchanged)} "
            f"unchanged, {len(self.removed)} removed, {self.images} image(s) made in {self.seconds:.1f} s."
        )


def _read_state(folder: Path) -> dict[str, str]:
    try:
        recorded = json.loads((folder / STATE_JSON).read_text(encoding="utf-8"))
        return dict(recorded.get("pages", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (copies where links are not possible)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def _remove_page(page: Path) -> None:
    """A page that is no longer published, with its downloads (and not the pages of states under it)."""
    folder = page.parent
    if not folder.is_dir():
        return
    if any(child.is_dir() for child in folder.iterdir()):  # a dashboard's folder that now holds its states
        for child in folder.iterdir():
            if child.is_file():
                child.unlink()
    else:
        shutil.rmtree(folder)


def _swap_in(staging: Path, folder: Path) -> None:
    retired = folder.with_name(f"{folder.name}.retired-{os.getpid()}")
    if folder.exists():
        os.replace(folder, retired)
    os.replace(staging, folder)
    shutil.rmtree(retired, ignore_errors=True)


def publish_site(
    reports: str | Path | None = None,
    *,
    images: bool = True,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SiteSummary:
    """Render every dashboard state whose fingerprint changed into ``reports/_site`` (see the module docstring).

    ``images``: make each chart's PNG and SVG (kaleido, ~0.2 s each); ``force``: render every page.
    Raises :class:`SiteError` (the previous site left as it was) if an image cannot be made.
    """
    started = time.perf_counter()
    root = reports_root(reports)
    folder = site_folder(root)
    summary = SiteSummary(folder)
    for leftover in root.glob(f"{SITE_DIR}.*-*"):  # an interrupted publish's staging or retired copy
        shutil.rmtree(leftover, ignore_errors=True)
    previous = {} if force else _read_state(folder)
    staging = folder.with_name(f"{SITE_DIR}.staging-{os.getpid()}")
    if folder.is_dir() and not force:
        _link_tree(folder, staging)
    else:
        staging.mkdir(parents=True)
    maker = ImageMaker() if images else None
    try:
        write_assets(staging)
        states = page_states(root)
        fingerprints = _render_changed(staging, states, root, previous, summary, maker, progress)
        live_bodies = {prepared_path(s.dashboard.name, s.value) for s in states}
        for path in sorted(set(previous) - set(fingerprints)):
            _remove_page(staging / path)
            summary.removed.append(path)
        for body in (staging / PREPARED_DIR).rglob("*.json"):
            if str(body.relative_to(staging)) not in live_bodies:
                body.unlink()
        write_file(staging / "index.html", render_landing(states, root).encode("utf-8"))
        for dashboard, path in dashboard_links(states):
            if path != f"{dashboard.name}/index.html":  # a dashboard with states: its folder leads to the first
                write_file(
                    staging / dashboard.name / "index.html", redirect_page(path.split("/", 1)[1], dashboard.title)
                )
        if maker is not None:
            summary.images = maker.finish()
        write_file(staging / STATE_JSON, json.dumps({"format": SITE_FORMAT, "pages": fingerprints}, indent=1).encode())
        _swap_in(staging, folder)
    except BaseException:
        if maker is not None:
            maker.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.seconds = time.perf_counter() - started
    log.info(summary.describe())
    return summary


def _render_changed(
    staging: Path,
    states: Sequence[PageState],
    reports: Path,
    previous: dict[str, str],
    summary: SiteSummary,
    maker: ImageMaker | None,
    progress: Callable[[str], None] | None,
) -> dict[str, str]:
    """Render into ``staging`` every state whose fingerprint differs from ``previous``; every fingerprint."""
    runs = {name: runs_fingerprint(dashboard, reports) for name, dashboard in DASHBOARD_PAGES.items()}
    fingerprints: dict[str, str] = {}
    for state in states:
        fingerprint = state_fingerprint(state, runs[state.dashboard.name], states, maker is not None)
        fingerprints[state.path] = fingerprint
        if previous.get(state.path) == fingerprint and (staging / state.path).exists():
            summary.unchanged.append(state.path)
            continue
        if progress:
            progress(f"rendering {state.path}")
        page, files = render_page(state, states, reports, images=maker is not None)
        page_folder = staging / state.folder
        if page_folder.exists():  # the previous version's downloads go with it
            for old in page_folder.iterdir():
                if old.is_file():
                    old.unlink()
        for name, data in files.files.items():
            write_file(page_folder / name, data)
        if maker is not None:
            maker.check()
            for stem, chart in files.images:
                maker.submit(page_folder / stem, chart)
        write_file(page_folder / "index.html", page.encode("utf-8"))
        write_file(staging / prepared_path(state.dashboard.name, state.value), files.live_body)
        summary.rendered.append(state.path)
    return fingerprints
