"""Ingest: survey exports, programme and LOTI workbooks into the store, every cell checked, all or nothing.

The public names, used by ``workbench ingest`` and ``workbench validate`` (:mod:`evaluation.cli`):
:class:`IngestJob`, :func:`read_plan`, :func:`run_ingest`, :func:`validate_store` and
:class:`FileOutcome` (:mod:`.service`); :func:`load_key`, :class:`MissingKeyError` and
:data:`DEMO_KEY` (:mod:`.pseudonymise`).

Behind them, one module per concern, in the order a file goes through them:

- ``readers``: CSV (UTF-8, BOM, UTF-16, Windows-1252) and XLSX to text frames with spreadsheet row numbers;
- ``structure``: a file's shape, checked before any cell is read (Qualtrics header block, cut-off rows...);
- ``survey_exports``: what each survey tool's export looks like, and the mapping file that says what its
  columns are;
- ``survey_rules``: which responses are kept (test responses, incomplete, roster, duplicates);
- ``surveys``: a survey export to long responses (:func:`~.surveys.parse_survey`);
- ``tables``: workbook and per-table CSV ingestion;
- ``pseudonymise``: the keyed hash (HMAC-SHA256) that replaces e-mail addresses, and the key's loading rules;
- ``service``: every file checked against the store and the files before it, then one transaction.
"""

from .pseudonymise import DEMO_KEY, MissingKeyError, load_key
from .service import FileOutcome, IngestJob, read_plan, run_ingest, validate_store

__all__ = [
    "DEMO_KEY",
    "FileOutcome",
    "IngestJob",
    "MissingKeyError",
    "load_key",
    "read_plan",
    "run_ingest",
    "validate_store",
]
