"""The workbench's data model: every stored table and its rules.

``TABLES`` maps a table name to its schema. ``docs/data-dictionary.md`` is
generated from it (``workbench dictionary``) and a test keeps the two in step.
"""

from __future__ import annotations

from . import governance, loti, programme
from .core import Problem, TableSchema, ValidationError

TABLES: dict[str, TableSchema] = {
    schema.name: schema
    for schema in (
        programme.COHORTS,
        programme.PARTICIPANTS,
        programme.INSTRUMENT,
        programme.RESPONSES,
        programme.FREE_TEXT,
        programme.ATTENDANCE,
        programme.APPLICATIONS,
        programme.CONTENT,
        programme.PROGRAMME_COSTS,
        loti.AUTHORITIES,
        loti.MEMBERSHIP,
        loti.PROJECTS,
        loti.PROJECT_AUTHORITIES,
        loti.INDICATORS,
        loti.OBSERVATIONS,
        loti.COSTS_BENEFITS,
        loti.MATURITY_ASSESSMENTS,
        governance.PEER_CHALLENGES,
        governance.RECOMMENDATIONS,
        governance.ACTIONS,
        governance.RISK_REGISTER,
    )
}

# Tables an evaluator loads from a programme, LOTI or governance workbook (one sheet or CSV each).
# Responses and free text come only from survey exports; authorities ship with the workbench.
WORKBOOK_TABLES: tuple[str, ...] = tuple(
    name for name in TABLES if name not in {"responses", "free_text", "authorities"}
)

__all__ = ["TABLES", "WORKBOOK_TABLES", "Problem", "TableSchema", "ValidationError"]
