"""The demo's files, written so that the same rows give the same bytes.

Workbooks carry a fixed timestamp and are marked synthetic in their document
properties; CSV files have the line ends Excel and Qualtrics write; YAML files
open with a comment line saying the data are synthetic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml

from ..schemas import TABLES

SYNTHETIC_MARK = "SYNTHETIC DEMO DATA"
# Workbooks and their zip entries carry this time instead of "now", so a rerun writes identical bytes.
FIXED_TIMESTAMP = dt.datetime(2025, 12, 31, 12, 0, 0)

# The rows of a sheet or CSV table, and a table: its header and its rows.
Rows = Sequence[Sequence[object]]
Table = tuple[Sequence[str], Rows]


def export_header(table: str) -> tuple[str, ...]:
    """The columns of a stored table as an export heads them (the schema is the one list of a table's columns).

    Where the store keeps a pseudonym (``participant_id``), an export has what
    it is made from (``email``) followed by the columns dropped on ingest
    (``name``).
    """
    schema = TABLES[table]
    names = list(schema.column_names)
    if schema.identity is not None:
        at = names.index(schema.identity.target)
        names[at : at + 1] = [schema.identity.source, *schema.identity.drop]
    return tuple(names)


def schema_sheets(rows: Mapping[str, Rows]) -> dict[str, Table]:
    """Each table's rows under its export header, on a sheet named as the table."""
    return {table: (export_header(table), table_rows) for table, table_rows in rows.items()}


def save_workbook(sheets: dict[str, Table], path: Path, description: str) -> Path:
    """Write one sheet per table, marked synthetic in the workbook properties, with fixed timestamps.

    The mark goes into the properties, not a sheet, because the workbench
    refuses sheets that are not tables. openpyxl's ``save`` stamps "now" into
    the properties and the zip entries; writing through ``ExcelWriter`` and
    re-zipping with a fixed time keeps the bytes identical from run to run.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet every new workbook starts with
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for number, row in enumerate(rows, start=2):
            if len(row) != len(header):
                # A schema that gained or lost a column must not leave a sheet with shifted cells.
                raise ValueError(
                    f"{path.name}, sheet {name}, row {number}: {len(row)} values for {len(header)} columns"
                )
            sheet.append(row)
    book.properties.title = SYNTHETIC_MARK
    book.properties.subject = "Synthetic data for the evaluation workbench demo"
    book.properties.description = f"{SYNTHETIC_MARK}: {description} Every person and figure is made up."
    book.properties.keywords = "synthetic; demo"
    book.properties.creator = "evaluation.demo"
    book.properties.created = book.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    fixed_time = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(
                zipfile.ZipInfo(entry.filename, date_time=fixed_time),
                source.read(entry),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return path


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    encoding: str = "utf-8",
    header_rows: Sequence[Sequence[str]] = (),
) -> Path:
    """A CSV with ``\\r\\n`` line ends (as Excel and Qualtrics write them) in the given encoding."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(header_rows)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_yaml(path: Path, document: dict[str, object], comment: str) -> Path:
    """A YAML file opening with a comment line (which says the data are synthetic)."""
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=200)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")
    return path
