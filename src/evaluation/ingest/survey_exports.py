"""What a survey export looks like, and the mapping file that says what its columns are.

Each survey tool writes its own export (:data:`FORMATS`: Qualtrics CSV, Microsoft Forms Excel, tidy CSV). An
export is read with its mapping file, a YAML document the evaluator edits that says which export column is
which instrument item, which columns hold free text, and how to treat duplicate, incomplete and unknown
respondents (the rules: :mod:`~evaluation.ingest.survey_rules`)::

    survey: leadership-survey
    format: qualtrics          # qualtrics | msforms | tidy
    cohort: C1                 # or cohort_column: <column>; --cohort overrides
    wave: baseline             # or wave_column: <column>; --wave overrides
    roster: true               # respondents must be on the cohort's roster
    rules:
      duplicates: keep-latest  # or reject (default)
      incomplete: exclude      # exclude (default) | keep | reject
      unknown_respondents: reject  # reject (default) | exclude
    items:                     # export column -> instrument item_id
      Q1_1: conf_tools
    free_text:                 # export column -> question name (kept apart, never published)
      Q9: most_valuable
    ignore: [Q10]              # export columns deliberately not read

Every column of an export must be accounted for (an item, free text, ignored, or the tool's own metadata),
and every problem names the file, row, column or mapping key at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..schemas.core import Problem, ValidationError
from .readers import Sheet, read_csv, read_xlsx
from .structure import qualtrics_header_problems
from .survey_rules import RULE_CHOICES

SurveyFormat = Literal["qualtrics", "msforms", "tidy"]


@dataclass(frozen=True)
class ExportFormat:
    """What a survey tool's export looks like."""

    header_rows: int
    respondent: str
    submitted: str
    finished: str | None
    metadata: frozenset[str]  # columns the tool always writes; never stored


FORMATS: dict[str, ExportFormat] = {
    # Qualtrics "Export data > CSV": row 1 column ids, row 2 question text, row 3 ImportId JSON.
    "qualtrics": ExportFormat(
        3,
        "RecipientEmail",
        "RecordedDate",
        "Finished",
        frozenset(
            {
                "StartDate",
                "EndDate",
                "Status",
                "IPAddress",
                "Progress",
                "Duration (in seconds)",
                "Finished",
                "RecordedDate",
                "ResponseId",
                "RecipientLastName",
                "RecipientFirstName",
                "RecipientEmail",
                "ExternalReference",
                "LocationLatitude",
                "LocationLongitude",
                "DistributionChannel",
                "UserLanguage",
            }
        ),
    ),
    # Microsoft Forms "Open results in Excel": one header row, questions headed by their text.
    "msforms": ExportFormat(
        1,
        "Email",
        "Completion time",
        None,
        frozenset(
            {
                "ID",
                "Start time",
                "Completion time",
                "Email",
                "Name",
                "Last modified time",
            }
        ),
    ),
    "tidy": ExportFormat(
        1,
        "respondent",
        "submitted_at",
        None,
        frozenset(
            {
                "respondent",
                "submitted_at",
                "cohort_id",
                "wave",
                "authority_code",
                "item_id",
                "value",
            }
        ),
    ),
}
_MAPPING_KEYS = {
    "survey",
    "format",
    "cohort",
    "cohort_column",
    "wave",
    "wave_column",
    "authority_column",
    "roster",
    "rules",
    "items",
    "free_text",
    "ignore",
    "sheet",
}


@dataclass(frozen=True)
class SurveyMapping:
    """A validated mapping file."""

    source: str
    survey: str
    format: SurveyFormat
    items: dict[str, str]
    free_text: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    cohort: str | None = None
    cohort_column: str | None = None
    wave: str | None = None
    wave_column: str | None = None
    authority_column: str | None = None
    roster: bool = False
    rules: dict[str, str] = field(default_factory=dict)

    def rule(self, name: str) -> str:
        return self.rules.get(name, RULE_CHOICES[name][0])


def load_mapping(path: Path) -> SurveyMapping:
    """Read and check a mapping file; every problem names the key at fault."""
    import yaml

    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as error:
        raise ValidationError([Problem(name, None, None, None, f"cannot be read as YAML: {error}")]) from None
    if not isinstance(doc, dict):
        raise ValidationError([Problem(name, None, None, None, "must be a YAML mapping (key: value)")])
    problems = [
        Problem(name, None, k, None, "unknown key (allowed: " + ", ".join(sorted(_MAPPING_KEYS)) + ")")
        for k in doc
        if k not in _MAPPING_KEYS
    ]
    fmt = doc.get("format")
    if fmt not in FORMATS:
        problems.append(Problem(name, None, "format", str(fmt), "must be one of: " + ", ".join(FORMATS)))
    if not isinstance(doc.get("survey"), str) or not doc["survey"].strip():
        problems.append(Problem(name, None, "survey", None, "a survey name is required"))
    items = doc.get("items") if fmt != "tidy" else {}
    if fmt != "tidy" and (not isinstance(items, dict) or not items):
        problems.append(Problem(name, None, "items", None, "must map export columns to instrument item ids"))
    problems += _mapping_target_problems(name, text, items if isinstance(items, dict) else {}, doc)
    rules = doc.get("rules") or {}
    for rule, value in rules.items():
        if rule not in RULE_CHOICES:
            problems.append(Problem(name, None, f"rules.{rule}", None, "unknown rule"))
        elif value not in RULE_CHOICES[rule]:
            problems.append(
                Problem(name, None, f"rules.{rule}", str(value), "must be one of: " + ", ".join(RULE_CHOICES[rule]))
            )
    if problems:
        raise ValidationError(problems)
    return SurveyMapping(
        source=name,
        survey=doc["survey"].strip(),
        format=doc["format"],
        items={str(k): str(v) for k, v in (items or {}).items()},
        free_text={str(k): str(v) for k, v in (doc.get("free_text") or {}).items()},
        ignore=tuple(str(c) for c in doc.get("ignore") or ()),
        cohort=doc.get("cohort"),
        cohort_column=doc.get("cohort_column"),
        wave=doc.get("wave"),
        wave_column=doc.get("wave_column"),
        authority_column=doc.get("authority_column"),
        roster=bool(doc.get("roster", False)),
        rules=dict(rules),
    )


def _key_line(text: str, section: str, key: str) -> int | None:
    """The line of ``key`` under ``section:`` in a mapping file, so a message points at the line to edit."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(rf"^{re.escape(section)}\s*:", line)]
    for i in range(starts[0] + 1 if starts else 0, len(lines)):
        if re.match(rf"^\s+['\"]?{re.escape(key)}['\"]?\s*:", lines[i]):
            return i + 1
    return None


def _mapping_target_problems(name: str, text: str, items: dict, doc: dict) -> list[Problem]:
    """Two export columns sent to one item (duplicate answers, another item silently empty), or one column
    given two roles (an item and free text, or read and ignored)."""
    problems = []
    first_column: dict[str, str] = {}
    for column, item in items.items():
        if str(item) in first_column:
            problems.append(
                Problem(
                    name,
                    _key_line(text, "items", str(column)),
                    f"items.{column}",
                    str(item),
                    f"item is also mapped from column {first_column[str(item)]}: "
                    "each item comes from exactly one column",
                )
            )
        first_column.setdefault(str(item), str(column))
    given = doc.get("free_text")
    free_text: dict = given if isinstance(given, dict) else {}
    ignored = {str(c) for c in doc.get("ignore") or () if isinstance(doc.get("ignore"), list)}
    # A column in two roles is named under the first of them, once for each later role it is also listed under.
    roles = (("items", [str(c) for c in items]), ("free_text", [str(c) for c in free_text]), ("ignore", ignored))
    for position, (role, columns) in enumerate(roles):
        for column in columns:
            for later, names in roles[position + 1 :]:
                if column in names:
                    problems.append(
                        Problem(
                            name,
                            _key_line(text, role, column),
                            f"{role}.{column}",
                            None,
                            f"the column is also listed under {later}: give each column one role",
                        )
                    )
    return problems


def read_export(path: Path, mapping: SurveyMapping) -> tuple[Sheet, str]:
    """The sheet holding the export and the label used for it in messages."""
    fmt = FORMATS[mapping.format]
    if path.suffix.lower() == ".csv":
        sheet, file = read_csv(path, fmt.header_rows), path.name
    elif path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValidationError([Problem(path.name, None, None, None, "a survey export must be .csv or .xlsx")])
    else:
        sheets = read_xlsx(path, fmt.header_rows)
        sheet, file = sheets[0], f"{path.name} [{sheets[0].name}]"
        if sheet.frame.empty:
            others = [s.name for s in sheets[1:] if not s.frame.empty]
            hint = f"; the data is on sheet '{others[0]}': move it to the first sheet" if others else ""
            raise ValidationError([Problem(file, None, None, None, f"the first sheet has no data{hint}")])
    if mapping.format == "qualtrics":
        problems = qualtrics_header_problems(sheet.header_block, file)
        if problems:
            raise ValidationError(problems)
    return sheet, file


def column_problems(
    present_columns: list[str], mapping: SurveyMapping, instrument_items: set[str], file: str
) -> list[Problem]:
    """Columns the export must have, columns nobody said what to do with, and mapped items not in the instrument."""
    fmt = FORMATS[mapping.format]
    present = set(present_columns)
    required = {fmt.respondent, fmt.submitted} | ({fmt.finished} if fmt.finished else set())
    required |= {c for c in (mapping.cohort_column, mapping.wave_column, mapping.authority_column) if c}
    if mapping.format == "tidy":
        required |= {"item_id", "value"}
    required |= set(mapping.items) | set(mapping.free_text)
    problems = []
    for column in sorted(required - present):
        named = f" (named in {mapping.source})" if column in mapping.items or column in mapping.free_text else ""
        problems.append(Problem(file, 1, column, None, f"required column is missing from the export{named}"))
    accounted = fmt.metadata | set(mapping.items) | set(mapping.free_text) | set(mapping.ignore) | required
    for column in present_columns:
        if column not in accounted:
            problems.append(
                Problem(
                    file,
                    1,
                    column,
                    None,
                    f"column is not in the mapping file {mapping.source} (add it under items, free_text or ignore)",
                )
            )
    for column, item in mapping.items.items():
        if item not in instrument_items:
            problems.append(Problem(mapping.source, None, f"items.{column}", item, "item not in the instrument"))
    return problems
