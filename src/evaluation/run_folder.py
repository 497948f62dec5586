"""The layout of a reports folder and of the run folders in it: every file name, in one place.

The runner (:mod:`evaluation.run`) writes run folders; the dashboards, the
published site and the board pack (:mod:`evaluation.dashboards`,
:mod:`evaluation.report`) read them. This module is what they share, and it
imports nothing from the workbench, so a reader depends on the folder's
layout, not on the runner's machinery (ARCHITECTURE.md, the layers)::

    reports/
        index.parquet                      REPORTS_INDEX     one row per published or failed run
        .workbench-run.lock                RUN_LOCK          held by the one ``workbench run`` writing here
        .audience                          AUDIENCE_MARK     "public" or "internal": who the folder is for
        _failed/<analysis>/<run-id>/       FAILED_DIR        a failed run (the last good one stays published)
        _scratch/<analysis>/               SCRATCH_DIR       what an interactive session publishes
        <analysis>/<run-id>/               a published run:
            notebook.ipynb                 EXECUTED_NOTEBOOK the notebook as executed
            report.html, report.pdf        REPORT_HTML, REPORT_PDF
            results.csv, results.parquet   RESULTS_CSV, RESULTS_PARQUET (tidy rows)
            tables/<name>.csv              table_csv()       with TABLES_INDEX (titles, people columns)
            figures/<name>.json            figure_json()     with FIGURES_INDEX (titles, text alternatives)
            provenance.json                PROVENANCE_JSON   fingerprint, status, timings, reads
            disclosure.json                DISCLOSURE_JSON   audience, threshold, declared populations
            audit.json                     AUDIT_JSON        the disclosure audit's findings
            reads.json                     READS_JSON        every store read, hashed
        <analysis>/.<run-id>.staging-<hex>/   staging_folder()  a run being written
        <analysis>/.<run-id>.retired-<hex>/   retired_folder()  the folder it replaces, being removed

Names starting with ``_`` or ``.`` are never an analysis or a run
(:func:`is_published_name`). Every file is written whole or not at all
(:func:`write_atomically`).
"""

from __future__ import annotations

import uuid
from pathlib import Path

REPORTS_INDEX = "index.parquet"
RUN_LOCK = ".workbench-run.lock"
AUDIENCE_MARK = ".audience"
FAILED_DIR = "_failed"
SCRATCH_DIR = "_scratch"

EXECUTED_NOTEBOOK = "notebook.ipynb"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
RESULTS_CSV = "results.csv"
RESULTS_PARQUET = "results.parquet"
TABLES_DIR = "tables"
FIGURES_DIR = "figures"
TABLES_INDEX = f"{TABLES_DIR}/index.json"
FIGURES_INDEX = f"{FIGURES_DIR}/index.json"
PROVENANCE_JSON = "provenance.json"
DISCLOSURE_JSON = "disclosure.json"
AUDIT_JSON = "audit.json"
READS_JSON = "reads.json"

_STAGING, _RETIRED = "staging", "retired"


def table_csv(folder: Path, name: str) -> Path:
    """The published table ``name`` of the run folder ``folder``."""
    return folder / TABLES_DIR / f"{name}.csv"


def figure_json(folder: Path, name: str) -> Path:
    """The published figure ``name`` (plotly JSON) of the run folder ``folder``."""
    return folder / FIGURES_DIR / f"{name}.json"


def is_published_name(name: str) -> bool:
    """Whether a folder called ``name`` can be an analysis or a run (not ``_failed``, ``_site``, a staging copy...).

    >>> [is_published_name(n) for n in ("cohort_evaluation", "_failed", ".cohort-T1.staging-0a1b2c3d")]
    [True, False, False]
    """
    return not name.startswith((".", "_"))


def _hidden_sibling(folder: Path, kind: str) -> Path:
    return folder.with_name(f".{folder.name}.{kind}-{uuid.uuid4().hex[:8]}")


def staging_folder(final: Path) -> Path:
    """A new, unique folder beside ``final`` to write a run into before it is renamed to ``final``."""
    return _hidden_sibling(final, _STAGING)


def retired_folder(final: Path) -> Path:
    """A new, unique name beside ``final`` for the folder it held while a new one is renamed into place."""
    return _hidden_sibling(final, _RETIRED)


def unfinished_folders(reports: Path) -> list[Path]:
    """Staging and retired folders under ``reports``: what a run killed before it finished publishing left."""
    return [
        path
        for parent in ("*", f"{FAILED_DIR}/*")
        for kind in (_STAGING, _RETIRED)
        for path in sorted(reports.glob(f"{parent}/.*.{kind}-*"))
    ]


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a reader sees the old or the new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.partial")
    temp.write_bytes(data)
    temp.replace(path)
