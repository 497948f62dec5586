"""Where a dashboard state lives on the published site, and what its content is drawn from, hashed.

A page's content is a function of (dashboard, selector value, published results, drawing code). The
fingerprints here decide whether a publish renders a page again (:mod:`evaluation.dashboards.site`) and
whether a live page may load the body prepared for it (:mod:`evaluation.dashboards.prepared`). Both read them
from here, below the pages and the site, so neither imports the other's machinery.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Protocol

from ..run_folder import FAILED_DIR, PROVENANCE_JSON
from .data import reports_root

PACKAGE = Path(__file__).resolve().parent  # evaluation/dashboards
SHARE = PACKAGE / "share"
TEMPLATES = SHARE / "site"
SITE_DIR = "_site"  # under the reports folder; "_" keeps it out of the analyses' listings
SITE_FORMAT = 2  # bump when the layout of the site changes: every page is re-rendered


class ReadsRuns(Protocol):
    """What the fingerprints need of a dashboard (:class:`evaluation.dashboards.pages.Dashboard`)."""

    @property
    def name(self) -> str: ...

    @property
    def reads(self) -> tuple[str, ...]: ...


def state_slug(value: str) -> str:
    """A folder name for a selector value: safe on every static host and file system."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-.") or "page"


@cache
def code_fingerprint() -> str:
    """SHA-256 of what draws a page: the dashboards package (its subpackages too), its templates, the shipped
    reference data, and the number rules, chart template and vocabularies it shares with the reports."""
    evaluation = PACKAGE.parent
    files = sorted(
        [
            *PACKAGE.rglob("*.py"),
            *TEMPLATES.glob("*"),
            *(evaluation / "data").glob("*"),
            evaluation / "charts.py",
            evaluation / "presentation" / "numbers.py",
            evaluation / "schemas" / "programme.py",
            evaluation / "schemas" / "loti.py",
        ]
    )
    digest = hashlib.sha256(str(SITE_FORMAT).encode())
    for path in files:
        digest.update(str(path.relative_to(evaluation)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _provenance_files(reports: Path, analysis: str) -> Iterator[Path]:
    for folder in (reports / analysis, reports / FAILED_DIR / analysis):
        if folder.is_dir():
            yield from sorted(folder.glob(f"*/{PROVENANCE_JSON}"))


def runs_fingerprint(dashboard: ReadsRuns, reports: str | Path | None = None) -> str:
    """SHA-256 of the provenance of every run (published or failed) of every analysis ``dashboard`` reads."""
    root = reports_root(reports)
    digest = hashlib.sha256()
    for analysis in sorted(set(dashboard.reads)):
        for path in _provenance_files(root, analysis):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
