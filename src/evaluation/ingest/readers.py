"""Read the files evaluators receive into string-typed frames.

CSV in UTF-8 (with or without BOM), UTF-16 (with BOM, as Excel's "Unicode
text" writes it) and Windows-1252 (Excel's "CSV" on a UK Windows machine);
XLSX through openpyxl. Every cell is read as text so that validation, not the
reader, decides what a value means; the frame index is the row number the user
sees in a spreadsheet (the first header row is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..schemas.core import Problem, ValidationError
from .structure import (
    cell_problems,
    header_control_problems,
    header_end,
    locate_csv_damage,
    locate_offset,
    needs_locating,
)

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    """One table read from a file: its name (the sheet, or the file stem) and cells as text."""

    name: str
    frame: pd.DataFrame
    header_rows: int = 1
    # Every header row as read (the first holds the column names): a tool's header block is checked whole.
    header_block: list[list[str]] = field(default_factory=list)


def detect_encoding(head: bytes, path: Path) -> str:
    """Choose the text encoding of a CSV from its first bytes.

    A BOM decides; NUL bytes without one mean UTF-16 without a BOM, which
    cannot be read reliably and is refused. Otherwise UTF-8 is tried first
    and Windows-1252 is the fallback (decided when the whole file is read).
    """
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    if head.startswith(UTF16_BOMS):
        return "utf-16"
    if head.startswith(ZIP_MAGIC):
        raise ValidationError(
            [Problem(path.name, None, None, None, "this is an Excel (zip) file with a .csv name; save it as .xlsx")]
        )
    # A NUL in every other byte is UTF-16; a few NULs are damage, located cell by cell once the file is read.
    if head and head.count(b"\x00") * 4 >= len(head):
        raise ValidationError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    None,
                    "contains NUL bytes: UTF-16 without a byte-order mark? Save as 'CSV UTF-8'",
                )
            ]
        )
    return "utf-8"


def _to_utf8(data: bytes, path: Path) -> bytes:
    """Bytes as UTF-8 without a BOM: a BOM says UTF-8 or UTF-16; no BOM is taken as UTF-8 for now.

    Whether BOM-less bytes really are UTF-8 is decided by the CSV reader, which
    validates every string; :func:`_from_cp1252` is the fallback.
    """
    encoding = detect_encoding(data[:4096], path)
    if encoding == "utf-8-sig":
        # The BOM promises UTF-8, so there is no Windows-1252 fallback: a bad byte is refused where it is.
        body = data[len(UTF8_BOM) :]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                [
                    locate_offset(
                        body,
                        error.start,
                        path.name,
                        "is not UTF-8 although the file starts with a UTF-8 byte-order mark; save as 'CSV UTF-8'",
                    )
                ]
            ) from None
        return body
    if encoding == "utf-16":
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                [Problem(path.name, None, None, None, f"cannot be decoded as UTF-16: {error.reason}")]
            ) from None
    return data


def _from_cp1252(data: bytes, path: Path) -> bytes:
    """Windows-1252 bytes (Excel's "CSV" on a UK machine) as UTF-8."""
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            [
                Problem(
                    path.name,
                    line,
                    None,
                    repr(data[error.start : error.start + 1]),
                    "is neither UTF-8 nor Windows-1252 text; save as 'CSV UTF-8'",
                )
            ]
        ) from None


def read_csv(path: Path, header_rows: int = 1, data: bytes | None = None) -> Sheet:
    """Read a CSV file with ``header_rows`` header lines (the first holds the column names).

    ``data`` may pass the file's bytes when the caller has already read them.
    Blank lines are skipped; quoted values may contain line breaks (free text).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    original = path.read_bytes() if data is None else data
    raw = _to_utf8(original, path)
    try:
        first_line = _first_line(raw).decode("utf-8")
    except UnicodeDecodeError:
        raw = _from_cp1252(original, path)
        first_line = _first_line(raw).decode("utf-8")
    if not first_line.strip().strip(","):
        raise ValidationError([Problem(path.name, None, None, None, "the file is empty")])
    # Excel's "Unicode text" is tab-separated; some European locales write semicolons.
    delimiter = max((",", "\t", ";"), key=first_line.count)
    header = [h.strip() for h in next(csv.reader([first_line], delimiter=delimiter))]
    problems = _header_cell_problems(header, path.name) + header_control_problems(header, path.name)
    if problems:
        raise ValidationError(problems)

    def located_damage(utf8: bytes) -> list[Problem]:
        return locate_csv_damage(utf8.decode("utf-8", errors="replace"), delimiter, header, path.name)

    if needs_locating(raw):
        problems = located_damage(raw)
        if problems:
            raise ValidationError(problems)
    bad_rows: list[Problem] = []

    def on_invalid_row(row: pacsv.InvalidRow) -> str:
        try:
            shown = (row.text or "")[:60]
        except UnicodeDecodeError:  # the row is also badly encoded
            shown = None
        bad_rows.append(
            Problem(
                path.name,
                row.number,
                None,
                shown,
                f"has {row.actual_columns} cells but the header has {row.expected_columns} "
                "(truncated or badly quoted line?)",
            )
        )
        return "skip"

    def parse(raw: bytes) -> pa.Table:
        # Arrow's skip_rows counts lines, not records: a header cell with a line break in it (a multi-line
        # question) would shift every row. The data starts where the header records end.
        body = memoryview(raw)[header_end(raw, header_rows) :]
        if re.search(rb"\S", body) is None:  # stops at the first data byte
            raise ValidationError([Problem(path.name, None, None, None, "the file has a header but no data rows")])
        return pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=header),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid_row
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )

    try:
        try:
            table = parse(raw)
        except pa.ArrowInvalid as error:
            if "UTF8" not in str(error) or raw is not original:
                raise
            bad_rows.clear()
            raw = _from_cp1252(original, path)
            table = parse(raw)
    except pa.ArrowInvalid as error:
        # Arrow counts columns from zero and rarely knows the row: find the damaged records ourselves.
        raise ValidationError(
            located_damage(raw) or [Problem(path.name, None, None, None, f"cannot be parsed as CSV: {error}")]
        ) from None
    if bad_rows:
        raise ValidationError(located_damage(raw) or bad_rows)
    if table.num_rows == 0:
        raise ValidationError([Problem(path.name, None, None, None, "the file has a header but no data rows")])
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    # Row numbers as a spreadsheet shows them: the header rows come first.
    frame.index = pd.RangeIndex(header_rows + 1, header_rows + 1 + len(frame))
    problems = cell_problems(frame, path.name)
    if problems:
        raise ValidationError(problems)
    return Sheet(path.stem, frame, header_rows, _header_block(raw, delimiter, header_rows))


def _header_block(data: bytes, delimiter: str, header_rows: int) -> list[list[str]]:
    """The first ``header_rows`` records (only the start of the file is decoded)."""
    text = data[: header_end(data, header_rows)].decode("utf-8", errors="replace")
    records = (r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r)
    return [[c.strip() for c in r] for r in itertools.islice(records, header_rows)]


def _first_line(data: bytes) -> bytes:
    # Sliced, not split: splitting copies the whole file. A lone carriage return ends a line too.
    ends = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
    return data[: min(ends)] if ends else data


def _header_cell_problems(header: list[str], file: str) -> list[Problem]:
    problems = [Problem(file, 1, f"#{i + 1}", "", "empty column heading") for i, h in enumerate(header) if not h]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(Problem(file, 1, name, name, "column heading appears twice"))
        seen.add(name)
    return problems


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, header_rows: int = 1) -> list[Sheet]:
    """Read every sheet of a workbook (empty ones as empty frames); formulas are kept as text (``=...``)."""
    import openpyxl

    try:
        # data_only=False: a formula cell reads as its formula, so injection is caught.
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged zip
        raise ValidationError(
            [Problem(path.name, None, None, None, f"cannot be opened as an Excel workbook ({type(error).__name__})")]
        ) from None
    sheets = []
    try:
        for worksheet in book.worksheets:
            rows = [[_cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            if not rows:
                # Kept so that a caller can say "sheet 1 is empty; the data is on sheet 2".
                sheets.append(Sheet(worksheet.title, pd.DataFrame(dtype="string"), header_rows))
                continue
            width = max(len(r) for r in rows)
            header = [h.strip() for h in rows[0] + [""] * (width - len(rows[0]))]
            while header and not header[-1]:
                header.pop()
            problems = _header_cell_problems(header, f"{path.name} [{worksheet.title}]")
            if problems:
                raise ValidationError(problems)
            body = [
                (i + 1, (r + [""] * width)[: len(header)])
                for i, r in enumerate(rows)
                if i >= header_rows and any(c.strip() for c in r)
            ]
            frame = pd.DataFrame([c for _, c in body], columns=header, index=[n for n, _ in body], dtype="string")
            problems = cell_problems(frame, f"{path.name} [{worksheet.title}]")
            if problems:
                raise ValidationError(problems)
            sheets.append(
                Sheet(worksheet.title, frame, header_rows, [[c.strip() for c in r] for r in rows[:header_rows]])
            )
    finally:
        book.close()
    return sheets


def read_tables(path: Path, header_rows: int = 1) -> list[Sheet]:
    """Read a CSV (one table) or an XLSX workbook (one table per sheet)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise ValidationError([Problem(str(path), None, None, None, "file not found")])
    if suffix == ".csv":
        return [read_csv(path, header_rows)]
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, header_rows)
    raise ValidationError(
        [Problem(path.name, None, None, None, f"unsupported file type '{suffix}' (use .csv or .xlsx)")]
    )
