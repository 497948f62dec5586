"""Dashboards: Voila pages that show what ``workbench run`` published, and nothing else.

The pages read the run contract (``reports/<analysis>/<run-id>/``: results,
tables, figures, provenance) and never recompute a statistic. The modules:

- :mod:`evaluation.dashboards.data` finds and reads published runs; a missing
  run or table raises :class:`~evaluation.dashboards.data.ResultsMissing`
  with a message for readers, never a traceback;
- :mod:`evaluation.dashboards.downloads` turns a figure into PNG or SVG and a
  table into CSV or an accessible XLSX, as download links;
- :mod:`evaluation.dashboards.widgets` builds the ipywidgets pieces (provenance
  line, figure with its text alternative, table with suppressed cells marked);
- :mod:`evaluation.dashboards.maps` draws the tile map of London's 33 authorities;
- :mod:`evaluation.dashboards.pages` assembles the five pages in ``dashboards/``, one module each;
- :mod:`evaluation.dashboards.site` publishes every page in every state as static HTML, and
  :mod:`evaluation.dashboards.prepared` keeps each body it built for the live pages to load;
- :mod:`evaluation.dashboards.app` is the Voila application of ``workbench serve`` (the site at ``/``);
- :mod:`evaluation.dashboards.serve` builds the Voila command line, and
  :mod:`evaluation.dashboards.reader_kernels` keeps Voila's culler away from preheated kernels.

Kept import-light: the notebooks import :mod:`pages`, which imports plotly and
ipywidgets only when a page is built.
"""

import logging as _logging
import os as _os

BUILD_LOG_ENV = "WORKBENCH_DASHBOARD_LOG"


def _configure_logging() -> None:
    """Errors go to ``$WORKBENCH_DASHBOARD_LOG`` if set, else nowhere: never to the kernel's stderr,
    which Voila would show on the page (tracebacks with paths and code)."""
    log = _logging.getLogger(__name__)
    log.propagate = False
    if not log.handlers:
        target = _os.environ.get(BUILD_LOG_ENV)
        handler: _logging.Handler = _logging.FileHandler(target) if target else _logging.NullHandler()
        handler.setFormatter(_logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)


_configure_logging()
