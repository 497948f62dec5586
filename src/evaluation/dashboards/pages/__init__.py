"""The five dashboard pages, as ipywidgets; each notebook in ``dashboards/`` calls one of these.

Every page reads published runs only (:mod:`evaluation.dashboards.data`) and shows, for each run it uses,
when it was last run and from which inputs. A page is a list of *sections* (heading, the figures and tables
that belong there, by name, and sometimes a view built from published tables); then every other figure and
table the run published, under "Also published", so a new output appears without a change here. A section
whose names are not published says so; a page whose analysis has not run says what to run. Nothing raises
into the page.

One module per dashboard, each with its :class:`Dashboard` (title, lead, selector, body) and its page
function, and what it reads in its docstring:

- :mod:`.programme` (programme overview), :mod:`.cohort` (one cohort): the digital leadership programme;
- :mod:`.portfolio` (LOTI portfolio), :mod:`.project` (one project), :mod:`.authority` (one borough);
- sections shared by several of them: :mod:`.risks` (risk registers), :mod:`.peer_challenge`,
  :mod:`.maturity` (digital maturity over time), :mod:`.authority_map` (tile map of London);
- their parts: :mod:`.scaffold` (the :class:`Dashboard`, the live page around its body),
  :mod:`.sections` (a run's figures and tables in sections, headline figures), :mod:`.interval_charts`
  (estimates with intervals drawn from published numbers), :mod:`.loti_tables` (what the LOTI pages read alike),
  :mod:`.sources` (the analyses read, by name).

A new dashboard: a module with its ``Dashboard`` and page function, added to :data:`DASHBOARD_PAGES` and
:data:`DASHBOARDS` here, and a notebook in ``dashboards/`` that calls the page function.
"""

from __future__ import annotations

from .. import BUILD_LOG_ENV
from .authority import AUTHORITY, authority_page
from .cohort import COHORT, cohort_page
from .interval_charts import grouped_interval_chart, interval_alt_text
from .portfolio import PORTFOLIO, loti_portfolio
from .programme import PROGRAMME, programme_overview
from .project import PROJECT, project_page
from .scaffold import Dashboard, body_fill, live_page, safe_children, selector_page
from .sections import Section, headlines, rag_markup, run_sections

# The dashboards by name (the notebook in dashboards/ and the folder on the published site), in the order the
# landing page lists them.
DASHBOARD_PAGES: dict[str, Dashboard] = {d.name: d for d in (PROGRAMME, COHORT, PORTFOLIO, PROJECT, AUTHORITY)}
# Notebook in dashboards/ -> the page function it calls.
DASHBOARDS = {
    "programme_overview": "programme_overview",
    "cohort": "cohort_page",
    "loti_portfolio": "loti_portfolio",
    "project": "project_page",
    "authority": "authority_page",
}

__all__ = [
    "BUILD_LOG_ENV",
    "DASHBOARDS",
    "DASHBOARD_PAGES",
    "Dashboard",
    "Section",
    "authority_page",
    "body_fill",
    "cohort_page",
    "grouped_interval_chart",
    "headlines",
    "interval_alt_text",
    "live_page",
    "loti_portfolio",
    "programme_overview",
    "project_page",
    "rag_markup",
    "run_sections",
    "safe_children",
    "selector_page",
]
