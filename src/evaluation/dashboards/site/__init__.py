"""The published site: every dashboard in every state, as static pages a board can open together.

A dashboard page's content is a function of (dashboard, selector value, published results) and nothing else,
so :func:`publish_site` renders each state once, from the same page bodies the live Voila pages show
(:data:`evaluation.dashboards.pages.DASHBOARD_PAGES`), into ``reports/_site/``:

- ``index.html``: the landing page (the five dashboards by title, what each answers, when its data were last run);
- ``<dashboard>/<state>/index.html``: one page per state (each cohort, project, authority), with links to the
  other states in place of the drop-down, and every download (CSV, Excel, PNG, SVG) as a file beside it;
- ``assets/``: the stylesheet, the script that draws the charts and plotly.js itself (nothing from a CDN).
- ``_live/``: each state's body as the live page shows it, for readers' kernels to load
  (:mod:`evaluation.dashboards.prepared`).

Links are relative, so the folder works from any static host and from a copy on a shared drive. A state is
re-rendered only when its fingerprint changes: the SHA-256 of the provenance of every run its dashboard reads
and of the code and templates that draw it (the same content hashing as the runner's skip decision). The new
site is assembled beside the old one (unchanged files hard-linked) and swapped in with two renames, so a
reader never sees a half-written site.

The modules: :mod:`.layout` (what the site holds and where: its pages, one per dashboard state, and their
fingerprints), :mod:`.render` (a state's page, the landing page and the assets, as HTML and files),
:mod:`.images` (each chart's PNG and SVG, drawn while the pages are rendered) and :mod:`.publish` (only
changed pages redone, in a copy swapped in whole).
"""

from __future__ import annotations

from ..fingerprints import SITE_DIR, code_fingerprint, runs_fingerprint, state_slug
from .images import ImageMaker
from .layout import STATE_JSON, PageState, SiteError, page_states, site_folder, static_page_path
from .publish import SiteSummary, publish_site
from .render import render_landing, render_page

__all__ = [
    "SITE_DIR",
    "STATE_JSON",
    "ImageMaker",
    "PageState",
    "SiteError",
    "SiteSummary",
    "code_fingerprint",
    "page_states",
    "publish_site",
    "render_landing",
    "render_page",
    "runs_fingerprint",
    "site_folder",
    "state_slug",
    "static_page_path",
]
