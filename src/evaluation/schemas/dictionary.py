"""Render the data dictionary (docs/data-dictionary.md) from the schemas."""

from __future__ import annotations

from . import TABLES, WORKBOOK_TABLES

INTRO = """# Data dictionary

Generated from `src/evaluation/schemas` by `workbench dictionary`; a test fails if this file and the
schemas disagree. Every table lives in the DuckDB store. Types: text, integer, number (decimal),
date (`YYYY-MM-DD` or `DD/MM/YYYY`), datetime, boolean (`TRUE/FALSE`, `Yes/No`).

How tables arrive:
- Workbook tables ({workbook}) come from an Excel workbook with one sheet per table (the sheet is named
  after the table) or one CSV per table (the file is named `<table>.csv`).
- `responses` and `free_text` come from survey exports (Qualtrics CSV, Microsoft Forms Excel, tidy CSV)
  read with a mapping file; see `src/evaluation/ingest/survey_exports.py` for its format and
  `src/evaluation/ingest/survey_rules.py` for the rules.
- `authorities` ships with the workbench (the 33 London local authorities).

Rules that apply to every input:
- A cell that a spreadsheet would run as a formula (starting `=`, `+`, `@`, or `-` not followed by a
  number) is refused (CSV injection).
- People are pseudonymised on ingest: an `email` column becomes `participant_id` (`P-` and 12 hex digits
  of HMAC-SHA256 with a secret key) and any `name` column is dropped. No name or e-mail is stored.
- Survey rules: a duplicate submission in one wave is refused, or with `duplicates: keep-latest` the
  latest is kept and the others logged in `exclusions`; an unfinished Qualtrics response is logged in
  `exclusions` and left out (`incomplete: exclude`, the default), kept, or refused; a respondent not on the
  cohort roster is refused (default) or logged and left out (`unknown_respondents: exclude`).
- A file already ingested (same SHA-256) is skipped. A row whose key is already stored with different
  values, or a survey wave already stored from another export, is refused unless `--replace` is given.
"""


def render_dictionary() -> str:
    """The whole data dictionary as Markdown."""
    parts = [INTRO.format(workbook=", ".join(f"`{t}`" for t in WORKBOOK_TABLES))]
    for schema in TABLES.values():
        parts.append(f"\n## `{schema.name}`\n\n{schema.description}\n")
        parts.append(f"Key: {', '.join(f'`{k}`' for k in schema.primary_key)}.")
        for fk in schema.foreign_keys:
            parts.append(f" `{', '.join(fk.columns)}` must exist in `{fk.table}.{', '.join(fk.ref_columns)}`.")
        if schema.identity is not None:
            parts.append(f" Input files give `{schema.identity.source}` instead of `{schema.identity.target}`.")
        parts.append("\n\n| column | type | rules | meaning |\n|---|---|---|---|\n")
        for column in schema.columns:
            parts.append(f"| `{column.name}` | {column.kind} | {column.rules_text()} | {column.description} |\n")
        for rule in schema.row_rules:
            parts.append(f"\nRow rule: refused when {rule.description}.\n")
    return "".join(parts)
