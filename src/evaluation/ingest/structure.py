"""Structural checks of an export, made before any cell is read as a value.

A damaged export usually still parses: a file cut off inside a quoted answer
parses as one long last answer, a Qualtrics export without its ImportId row
parses with its first respondent taken as a header row, a stray NUL byte is
stored as text. Each check here refuses such a file with the spreadsheet row
(1-based, as Excel shows it) and the column heading the user sees, so nothing
is stored from a file whose shape is not the shape its tool writes.

The checks that run on every file are cheap (a byte search, a quote count,
one Arrow pass per column); the slow, exact location of a damaged line
(Python's ``csv`` module, cell by cell) runs only once a cheap check failed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schemas.core import Problem

# Excel's own limit on the characters of one cell: a longer cell cannot be an answer a person typed.
EXCEL_CELL_LIMIT = 32_767
# C0 control characters and DEL, except tab, line feed and carriage return (allowed inside quoted answers).
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL = re.compile(CONTROL_CHARACTERS)
# Qualtrics' third header row: {"ImportId":"QID1_1"} (dates also carry a time zone).
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')
CUT_OFF = "truncated or badly quoted line?"


def column_label(header: Sequence[str], index: int) -> str:
    """The heading the user sees for a 0-based cell position (cells past the last heading have none)."""
    return header[index] if index < len(header) else f"#{index + 1} (past the last heading)"


def cell_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Control characters (NUL included) and cells longer than Excel allows, located by row and heading."""
    problems = []
    for name in frame.columns:
        values = pa.array(frame[name], type=pa.string(), from_pandas=True)
        if len(values) == 0:
            continue
        control = np.asarray(pc.fill_null(pc.match_substring_regex(values, CONTROL_CHARACTERS), False))
        too_long = np.asarray(pc.fill_null(pc.greater(pc.utf8_length(values), EXCEL_CELL_LIMIT), False))
        for i in np.flatnonzero(control):
            text = values[int(i)].as_py()
            found = _CONTROL.search(text)
            char = found.group() if found else ""
            problems.append(
                Problem(
                    file,
                    int(frame.index[int(i)]),
                    str(name),
                    f"{ord(char):#04x} at character {found.start() + 1 if found else 0}",
                    "contains a control character (a damaged file?); remove it and export again",
                )
            )
        for i in np.flatnonzero(too_long):
            length = len(values[int(i)].as_py())
            problems.append(
                Problem(
                    file,
                    int(frame.index[int(i)]),
                    str(name),
                    f"{length:,} characters",
                    f"the cell is longer than Excel's limit of {EXCEL_CELL_LIMIT:,} characters",
                )
            )
    return problems


def header_control_problems(header: Sequence[str], file: str) -> list[Problem]:
    """Control characters in the heading row itself."""
    return [
        Problem(file, 1, f"#{i + 1}", repr(h), "the column heading contains a control character")
        for i, h in enumerate(header)
        if _CONTROL.search(h)
    ]


def header_end(data: bytes, records: int) -> int:
    """Byte offset just after the first ``records`` non-blank CSV records (quoted line breaks stay inside).

    Only the header block is scanned, byte by byte: a few kilobytes at most.
    """
    quoted, seen, position, blank = False, 0, 0, True
    while seen < records and position < len(data):
        byte = data[position]
        position += 1
        if byte == 0x22:  # "
            quoted, blank = not quoted, False
        elif byte in (0x0A, 0x0D) and not quoted:
            if byte == 0x0D and data[position : position + 1] == b"\n":
                position += 1
            seen += 0 if blank else 1
            blank = True
        else:
            blank = False
    return position


def needs_locating(data: bytes) -> bool:
    """Whether the cheap signs of a damaged CSV show: no line break at the end, or an unclosed quote.

    Every quote of a well-formed CSV is one of a pair (``"`` around a cell,
    ``""`` inside it), so an odd count means an unclosed quoted cell.
    """
    return not data.rstrip(b" \t").endswith((b"\n", b"\r")) or data.count(b'"') % 2 == 1


def locate_csv_damage(text: str, delimiter: str, header: Sequence[str], file: str) -> list[Problem]:
    """Every damaged record of a CSV text, by spreadsheet row: wrong cell counts, an unclosed quote, a cut end.

    Rows are counted as the reader of :mod:`~evaluation.ingest.readers` counts
    them: one per record (a quoted answer may span lines), blank lines skipped.
    """
    problems: list[Problem] = []
    width = len(header)
    row = 0
    consumed_lines = 0
    reader = csv.reader(io.StringIO(text.replace("\x00", "\x01"), newline=""), delimiter=delimiter, strict=True)
    last: list[str] = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # Python's reader fails only at the end of the text, inside an unclosed quoted cell.
            start = _line_offset(text, consumed_lines)
            column = _open_quote_cell(text[start:], delimiter)
            problems.append(
                Problem(
                    file,
                    row + 1,
                    column_label(header, column),
                    None,
                    f"a quoted cell is never closed: the file is cut off inside it or a quote is missing ({CUT_OFF})",
                )
            )
            return problems
        consumed_lines = reader.line_num
        if not record:
            continue
        row += 1
        last = record
        if len(record) != width:
            at = min(len(record), width)
            problems.append(
                Problem(
                    file,
                    row,
                    column_label(header, at),
                    record[at - 1][:60] if at else None,
                    f"has {len(record)} cells but the header has {width} ({CUT_OFF})",
                )
            )
    if row and not text.rstrip(" \t").endswith(("\n", "\r")) and len(last) == width:
        problems.append(
            Problem(
                file,
                row,
                column_label(header, width - 1),
                last[-1][:60],
                "the last row does not end with a line break: the file may be cut off; "
                "if it is complete, end it with a line break",
            )
        )
    return problems


def locate_offset(data: bytes, offset: int, file: str, rule: str) -> Problem:
    """A problem at a byte offset of a CSV (a byte that cannot be decoded), placed at its row and column."""
    before = data[:offset].decode("utf-8", errors="replace")
    first_line = before.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    try:
        records = [r for r in csv.reader(io.StringIO(before + "\x01", newline=""), delimiter=delimiter) if r]
    except csv.Error:  # the bad byte sits inside a quoted cell that the cut leaves open
        records = [r for r in csv.reader(io.StringIO(before + '\x01"', newline=""), delimiter=delimiter) if r]
    header = records[0] if records else []
    cells = records[-1] if records else [""]
    return Problem(
        file, max(len(records), 1), column_label(header, len(cells) - 1), repr(data[offset : offset + 1]), rule
    )


def _line_offset(text: str, lines: int) -> int:
    """Character offset where physical line ``lines + 1`` starts."""
    offset = 0
    for _ in range(lines):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _open_quote_cell(record: str, delimiter: str) -> int:
    """0-based cell position in which a record's unclosed quote opened."""
    cell, quoted = 0, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            cell += 1
        elif char in "\r\n" and not quoted:
            cell = 0
    return cell


def qualtrics_header_problems(block: Sequence[Sequence[str]], file: str) -> list[Problem]:
    """The three rows Qualtrics writes: column ids, question text, ImportId markers.

    A row deleted by hand shifts a respondent into the header (where it would
    vanish unlogged) or a header row into the data; either way the block no
    longer has this shape.
    """
    how = "export the file again from Qualtrics (Data & Analysis > Export data > CSV)"
    if len(block) < 3:
        return [
            Problem(
                file,
                len(block) + 1,
                None,
                None,
                f"a Qualtrics export starts with three header rows; this file has {len(block)}; {how}",
            )
        ]
    ids, questions, import_ids = block[:3]
    if list(questions) == list(ids):
        return [
            Problem(
                file,
                2,
                column_label(ids, 0),
                questions[0][:60] if questions else None,
                f"row 2 repeats the column ids where Qualtrics writes the question text "
                f"(a header row duplicated?); {how}",
            )
        ]
    marker = next((i for i, c in enumerate(questions) if _IMPORT_ID.match(c)), None)
    if marker is not None:
        return [
            Problem(
                file,
                2,
                column_label(ids, marker),
                questions[marker][:60],
                "row 2 holds ImportId markers where Qualtrics writes the question text: "
                f"the question-text row is missing; {how}",
            )
        ]
    for i, cell in enumerate(import_ids):
        if not _IMPORT_ID.match(cell):
            return [
                Problem(
                    file,
                    3,
                    column_label(ids, i),
                    cell[:60],
                    'row 3 should hold Qualtrics\' ImportId markers ({"ImportId": ...}): the ImportId '
                    f"row is missing or damaged, so a respondent would be read as a header; {how}",
                )
            ]
    return []
