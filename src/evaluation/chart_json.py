"""Plotly charts as JSON in the workbench's HTML pages, shared by the reports and the dashboards.

A chart travels as its plotly JSON: in a notebook's outputs under :data:`PLOTLY_MIME`, and in a page inside a
``<script>`` element (:func:`script_json`) that plotly.js draws. A page whose charts' traces are all of
:data:`BASIC_BUNDLE_TRACE_TYPES` loads plotly.js's basic bundle instead of the full one. A leaf below
:mod:`evaluation.report` and :mod:`evaluation.dashboards`, so neither imports the other for these.
"""

from __future__ import annotations

import json
from typing import Any

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# The trace types of plotly.js's basic bundle (a quarter of the full one's size, so a page opens sooner): the
# bundle the reports inline and the site's pages and the live pages' first view load when their charts need
# nothing else.
BASIC_BUNDLE_TRACE_TYPES = frozenset({"scatter", "bar", "pie"})


def script_json(value: Any) -> str:
    r"""JSON that is safe inside a ``<script>`` element (no ``</script>``, no HTML comment openers).

    ``<``, ``>`` and ``&`` are written as JSON's ``\u`` escapes, which read back as the same characters.

    >>> print(script_json({"title": "A & B </script><!--"}))
    {"title": "A \u0026 B \u003c/script\u003e\u003c!--"}
    >>> json.loads(script_json({"title": "A & B </script>"}))["title"]
    'A & B </script>'
    """
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
