"""Programme and LOTI tables from a workbook (one sheet per table) or one CSV per table."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from ..schemas import TABLES, WORKBOOK_TABLES
from ..schemas.core import Problem, TableSchema, ValidationError
from ..schemas.validation import header_problems, located_problems, validate_frame
from .pseudonymise import WITHHELD, pseudonymise
from .readers import Sheet, read_tables
from .surveys import parse_labels


def _pseudonymise_identity(
    sheet: Sheet, schema: TableSchema, key: bytes, file: str, problems: list[Problem]
) -> pd.DataFrame:
    """Replace the identity column (e-mail) by the pseudonym and drop names, before anything is kept."""
    identity = schema.identity
    frame = sheet.frame
    if identity is None:
        return frame
    if identity.source not in frame:
        problems += header_problems(
            frame.columns,
            schema.input_columns(),
            file,
            optional=[c.name for c in schema.columns if c.nullable] + list(identity.drop),
        )
        return frame.iloc[0:0]
    emails = frame[identity.source].str.strip().mask(lambda s: s == "")
    problems += located_problems(emails.isna(), emails.fillna(""), file, identity.source, "a value is required")
    problems += located_problems(
        emails.notna() & ~emails.str.contains("@", regex=False, na=False),
        emails,
        file,
        identity.source,
        "not an e-mail address",
    )
    out = frame.drop(columns=[identity.source, *[c for c in identity.drop if c in frame]])
    out.insert(0, identity.target, pseudonymise(emails, key))
    return out


def in_users_terms(problems: list[Problem], schema: TableSchema) -> list[Problem]:
    """Problems about the pseudonym column told as the user's file has it: the e-mail column, value withheld.

    The user never sees ``participant_id`` or a pseudonym; their file has ``email``.
    """
    identity = schema.identity
    if identity is None:
        return problems
    return [
        dataclasses.replace(p, column=identity.source, value=WITHHELD) if p.column == identity.target else p
        for p in problems
    ]


def _instrument_label_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for row, labels, low, high in zip(
        frame.index, frame["labels"], frame["scale_min"], frame["scale_max"], strict=True
    ):
        try:
            values = parse_labels(str(labels)).values()
        except ValueError as error:
            problems.append(Problem(file, int(row), "labels", str(labels), str(error)))
            continue
        outside = [v for v in values if not low <= v <= high]
        if outside:
            problems.append(
                Problem(
                    file, int(row), "labels", str(labels), f"label values {outside} outside the scale {low} to {high}"
                )
            )
    return problems


def parse_tables(path: Path, key: bytes, now: dt.datetime | None = None) -> dict[str, tuple[pd.DataFrame, str]]:
    """Validate every table in a workbook or CSV, one table per sheet (or per file, named after the table).

    Returns ``{table: (typed frame indexed by file row, label for messages)}`` in
    the order of :data:`TABLES`, so references inside one workbook resolve.
    Raises :class:`ValidationError` with every problem in every sheet.
    """
    now = now or dt.datetime.now()
    sheets = read_tables(path)
    problems: list[Problem] = []
    parsed: dict[str, tuple[pd.DataFrame, str]] = {}
    for sheet in sheets:
        file = path.name if path.suffix.lower() == ".csv" else f"{path.name} [{sheet.name}]"
        table = sheet.name.strip().lower()
        if table not in WORKBOOK_TABLES:
            if sheet.frame.empty and path.suffix.lower() != ".csv":
                continue
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    None,
                    f"'{sheet.name}' is not a table the workbench loads (tables: " + ", ".join(WORKBOOK_TABLES) + ")",
                )
            )
            continue
        if sheet.frame.empty:
            problems.append(Problem(file, None, None, None, "the sheet has no data rows"))
            continue
        schema = TABLES[table]
        frame = _pseudonymise_identity(sheet, schema, key, file, problems)
        if frame.empty:
            continue
        typed, found = validate_frame(frame, schema, file, now)
        found = in_users_terms(found, schema)
        problems += found
        if table == "instrument" and not found:
            problems += _instrument_label_problems(typed, file)
        parsed[table] = (typed, file)
    if problems:
        raise ValidationError(problems)
    return {name: parsed[name] for name in TABLES if name in parsed}
