"""Survey exports (Qualtrics CSV, Microsoft Forms Excel, tidy CSV) to long responses.

An export is read with its mapping file, a YAML document the evaluator edits
that says which export column is which instrument item, which columns hold
free text, and how to treat duplicate, incomplete and unknown respondents::

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

Rules (documented in docs/data-dictionary.md): a respondent who submitted twice in
one wave keeps the latest submission and the earlier ones are logged as
excluded (``keep-latest``) or the file is refused (``reject``); an unfinished
Qualtrics response (``Finished`` false) is logged and left out unless the
mapping says ``keep``; a respondent not on the cohort's roster is refused, or
logged and left out (``exclude``); a Qualtrics preview or test response (``DistributionChannel``
``preview``/``test``, ``Status`` ``Survey Preview``/``Survey Test``) is logged and left out before any
other rule. Nothing is dropped without a log entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schemas import cells
from ..schemas.core import Column, Problem, ValidationError
from ..schemas.programme import PSEUDONYM, WAVES
from ..schemas.validation import coerce_text, text_problems
from .pseudonymise import pseudonyms
from .readers import Sheet, read_csv, read_xlsx
from .structure import qualtrics_header_problems

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
# Lower-cased cell values by which Qualtrics marks responses that are not a respondent's (see _marked_test_rows).
TEST_RESPONSE_MARKERS = {
    "DistributionChannel": ("preview", "test"),
    "Status": ("survey preview", "survey test", "1", "2"),
}
RULE_CHOICES = {
    "duplicates": ("reject", "keep-latest"),
    "incomplete": ("exclude", "keep", "reject"),
    "unknown_respondents": ("reject", "exclude"),
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
_LABEL_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*=\s*(.+?)\s*$")


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
        format=fmt,
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
    free_text = doc.get("free_text") if isinstance(doc.get("free_text"), dict) else {}
    ignored = {str(c) for c in doc.get("ignore") or () if isinstance(doc.get("ignore"), list)}
    for column in map(str, items):
        for section, names in (("free_text", {str(c) for c in free_text}), ("ignore", ignored)):
            if column in names:
                problems.append(
                    Problem(
                        name,
                        _key_line(text, "items", column),
                        f"items.{column}",
                        None,
                        f"the column is also listed under {section}: give each column one role",
                    )
                )
    for column in map(str, free_text):
        if column in ignored:
            problems.append(
                Problem(
                    name,
                    _key_line(text, "free_text", column),
                    f"free_text.{column}",
                    None,
                    "the column is also listed under ignore: give each column one role",
                )
            )
    return problems


def parse_labels(labels: str) -> dict[str, float]:
    """``"1=Strongly disagree; 2=Disagree"`` -> ``{"strongly disagree": 1.0, "disagree": 2.0}``."""
    mapping: dict[str, float] = {}
    for part in labels.split(";"):
        if not part.strip():
            continue
        match = _LABEL_PAIR.match(part)
        if match is None:
            raise ValueError(f"'{part.strip()}' is not of the form '<number>=<label>'")
        mapping[_normal_label(match.group(2))] = float(match.group(1))
    return mapping


def _normal_label(label: str) -> str:
    # The same normalisation as answers_to_values applies to answers: spaces collapsed, lower case.
    return " ".join(label.split()).lower()


@dataclass
class SurveyContext:
    """The stored tables a survey is checked against."""

    instrument: pd.DataFrame
    cohorts: pd.DataFrame
    participants: pd.DataFrame
    authorities: pd.DataFrame


@dataclass
class SurveyBatch:
    """A parsed survey file, ready to store (the rows as Arrow tables, as the store takes them)."""

    responses: pa.Table
    free_text: pa.Table
    exclusions: pd.DataFrame
    batches: list[tuple[str | None, str]]  # (cohort, wave) pairs the file holds


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


def parse_survey(
    path: Path,
    mapping: SurveyMapping,
    context: SurveyContext,
    key: bytes,
    *,
    cohort: str | None = None,
    wave: str | None = None,
    source_sha256: str = "",
    now: dt.datetime | None = None,
) -> SurveyBatch:
    """Validate a survey export completely and turn it into long responses.

    Raises :class:`ValidationError` with every problem found; returns only
    when the whole file is acceptable. Works column-at-a-time on the distinct
    values of each column (:class:`~evaluation.schemas.cells.Text`): a
    million-answer export takes well under a second.
    """
    now = now or dt.datetime.now()
    fmt = FORMATS[mapping.format]
    sheet, file = read_export(path, mapping)
    raw = {name: cells.Text.of(cells.arrow(sheet.frame[name])) for name in sheet.frame.columns}
    problems = _column_problems(list(raw), mapping, fmt, context, file)
    if problems:
        raise ValidationError(problems)
    rows = sheet.frame.index.to_numpy()
    exclusions: list[tuple[int, str | None, str]] = []
    marked = _marked_test_rows(raw) if mapping.format == "qualtrics" else {}
    if marked:
        # Excluded before any other rule: a preview has no respondent, no roster entry, often no answers.
        exclusions += [(int(rows[i]), None, reason) for i, reason in marked.items()]
        kept = np.ones(len(rows), dtype=bool)
        kept[list(marked)] = False
        raw = {name: text.take(kept) for name, text in raw.items()}
        rows = rows[kept]
    for name, text in raw.items():
        problems += text_problems(
            text.flags(cells.formula_mask(text.values)),
            text,
            rows,
            file,
            name,
            "looks like a spreadsheet formula; remove the leading = + - @",
        )
    count = len(rows)
    withheld = "(e-mail withheld)"

    identity = raw[fmt.respondent]
    problems += text_problems(identity.missing, withheld, rows, file, fmt.respondent, "a respondent is required")
    if mapping.format == "tidy":
        # A tidy file may carry pseudonyms already; anything else is treated as an identity and hashed.
        is_pseudonym = pc.match_substring_regex(identity.values, f"^(?:{PSEUDONYM})$")
        respondent = identity.mapped(pc.if_else(is_pseudonym, identity.values, pseudonyms(identity.values, key)))
    else:
        not_email = cells.mask(pc.invert(pc.match_substring(identity.values, "@")))
        problems += text_problems(
            identity.flags(not_email), identity, rows, file, fmt.respondent, "not an e-mail address"
        )
        respondent = identity.mapped(pseudonyms(identity.values, key))
    submitted, found = coerce_text(
        raw[fmt.submitted],
        Column("submitted_at", "datetime", "", not_future=True),
        rows,
        file,
        now,
        header=fmt.submitted,
    )
    problems += found
    cohort_column = mapping.cohort_column or ("cohort_id" if "cohort_id" in raw else "cohort")
    wave_column = mapping.wave_column or "wave"
    cohorts = _per_row(raw, cohort or mapping.cohort, cohort_column, count)
    waves = _per_row(raw, wave or mapping.wave, wave_column, count)
    problems += text_problems(
        waves.missing, waves, rows, file, wave_column, "no wave: give wave in the mapping, a wave column, or --wave"
    )
    problems += text_problems(
        waves.flags(cells.mismatching(waves.values, "|".join(WAVES) + r"|\d{4}")),
        waves,
        rows,
        file,
        wave_column,
        "not a wave (" + ", ".join(WAVES) + ", or a year YYYY)",
    )
    known_cohorts = tuple(context.cohorts["cohort_id"].astype(str))
    problems += text_problems(
        cohorts.flags(cells.outside(cohorts.values, known_cohorts)),
        cohorts,
        rows,
        file,
        cohort_column,
        "cohort not in table 'cohorts'",
    )
    if mapping.roster:
        problems += text_problems(
            cohorts.missing,
            cohorts,
            rows,
            file,
            cohort_column,
            "no cohort: give cohort in the mapping, a cohort column, or --cohort",
        )
    authority = _authority_codes(raw, mapping, context.authorities, rows, file, problems)

    keep = np.ones(count, dtype=bool)
    if fmt.finished is not None:
        finished, found = coerce_text(raw[fmt.finished], Column("Finished", "boolean", ""), rows, file, now)
        problems += found
        incomplete = (~pd.array(finished, dtype="boolean")).fillna(False).to_numpy(dtype=bool)
        rule = mapping.rule("incomplete")
        if rule == "reject":
            problems += text_problems(
                incomplete,
                raw[fmt.finished],
                rows,
                file,
                fmt.finished,
                "incomplete response (rules.incomplete: reject)",
            )
        elif rule == "exclude":
            exclusions += [
                (rows[i], respondent.cell(i), "incomplete response (Finished = false)")
                for i in np.flatnonzero(incomplete)
            ]
            keep &= ~incomplete
    if mapping.roster:
        roster = tuple(context.participants["cohort_id"].astype(str) + "/" + context.participants["participant_id"])
        unknown = cells.outside(pc.binary_join_element_wise(cohorts.array(), respondent.array(), "/"), roster)
        if mapping.rule("unknown_respondents") == "reject":
            problems += text_problems(
                unknown,
                withheld,
                rows,
                file,
                fmt.respondent,
                "respondent is not on the roster of this cohort (rules.unknown_respondents: reject)",
            )
        else:
            exclusions += [
                (rows[i], respondent.cell(i), "not on the cohort roster") for i in np.flatnonzero(unknown & keep)
            ]
            keep &= ~unknown

    per_answer = [raw["item_id"]] if mapping.format == "tidy" else []
    duplicated = _duplicates([respondent, cohorts, waves, *per_answer], submitted, keep)
    if duplicated:
        if mapping.rule("duplicates") == "reject":
            problems += [
                Problem(
                    file,
                    int(rows[i]),
                    fmt.respondent,
                    withheld,
                    f"duplicate submission by the same respondent in this wave (also row {rows[j]}; "
                    "rules.duplicates: reject)",
                )
                for i, j in duplicated
            ]
        else:
            exclusions += [
                (rows[i], respondent.cell(i), f"duplicate submission, superseded by row {rows[j]}")
                for i, j in duplicated
            ]
            keep[[i for i, _ in duplicated]] = False

    if mapping.format == "tidy":
        answers = _Answers(np.arange(count), ("value",), np.zeros(count, np.int64), raw["item_id"], raw["value"])
    else:
        answers = _melt(raw, mapping.items, count)
    answers = answers.filter(keep[answers.position] & ~answers.text.missing)
    values, found = answers_to_values(answers, context.instrument, file, rows)
    problems += found
    if problems:
        raise ValidationError(problems)

    responses = pa.table(
        {
            "survey": pa.repeat(pa.scalar(mapping.survey), len(values)),
            "respondent": respondent.take(answers.position).encoded(),
            "cohort_id": cohorts.take(answers.position).encoded(),
            "authority_code": authority.take(answers.position).encoded(),
            "wave": waves.take(answers.position).encoded(),
            "item_id": answers.item.encoded(),
            "value": pa.array(values),
            "submitted_at": pa.array(submitted[answers.position]),
            "source_sha256": pa.repeat(pa.scalar(source_sha256), len(values)),
        }
    )
    text = _melt(raw, mapping.free_text, count)
    text = text.filter(keep[text.position] & ~text.text.missing)
    free_text = pa.table(
        {
            "survey": pa.repeat(pa.scalar(mapping.survey), len(text.position)),
            "respondent": respondent.take(text.position).encoded(),
            "cohort_id": cohorts.take(text.position).encoded(),
            "wave": waves.take(text.position).encoded(),
            "question": text.item.encoded(),
            "answer": text.text.encoded(),
            "source_sha256": pa.repeat(pa.scalar(source_sha256), len(text.position)),
        }
    )
    excluded = pd.DataFrame(exclusions, columns=["source_row", "respondent", "reason"])
    excluded.insert(0, "source_file", path.name)
    excluded.insert(0, "source_sha256", source_sha256)
    width = len(waves.values) + 1
    kept = pd.unique(cohorts.codes[keep].astype(np.int64) * width + waves.codes[keep])
    batches = sorted(
        ((cohorts.value(int(p) // width), str(waves.value(int(p) % width))) for p in kept),
        key=lambda b: (b[0] or "", b[1]),
    )
    return SurveyBatch(responses, free_text, excluded, batches)


def _marked_test_rows(raw: dict[str, cells.Text]) -> dict[int, str]:
    """Row positions Qualtrics marks as a preview or test response, with the marker as the reason.

    Qualtrics writes ``DistributionChannel`` ``preview`` or ``test`` and ``Status``
    ``Survey Preview`` / ``Survey Test`` (``1`` / ``2`` in numeric exports); a
    preview usually has no RecipientEmail, so it must be recognised by these.
    """
    marked: dict[int, str] = {}
    for column, markers in TEST_RESPONSE_MARKERS.items():
        if column not in raw:
            continue
        text = raw[column]
        is_marker = np.asarray(pc.is_in(pc.utf8_lower(text.values), value_set=pa.array(markers)).fill_null(False))
        for i in np.flatnonzero(text.flags(is_marker)):
            marked.setdefault(int(i), f"Qualtrics preview or test response ({column} = {text.cell(int(i))})")
    return dict(sorted(marked.items()))


@dataclass(frozen=True)
class _Answers:
    """Answers in long form: the row position in the export, its column, the item and the text given."""

    position: np.ndarray
    columns: tuple[str, ...]  # the export columns answers come from
    column: np.ndarray  # per answer, which of ``columns``
    item: cells.Text
    text: cells.Text

    def filter(self, keep: np.ndarray) -> _Answers:
        return _Answers(
            self.position[keep], self.columns, self.column[keep], self.item.take(keep), self.text.take(keep)
        )


def _column_problems(
    present_columns: list[str], mapping: SurveyMapping, fmt: ExportFormat, context: SurveyContext, file: str
) -> list[Problem]:
    """Columns the export must have, and columns nobody said what to do with."""
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
    known_items = set(context.instrument["item_id"].astype(str))
    for column, item in mapping.items.items():
        if item not in known_items:
            problems.append(Problem(mapping.source, None, f"items.{column}", item, "item not in the instrument"))
    return problems


def _per_row(raw: dict[str, cells.Text], fixed: str | None, column: str, count: int) -> cells.Text:
    """A per-row value given once (mapping or command line) or read from a column."""
    if fixed is not None:
        return cells.Text.constant(str(fixed), count)
    if column in raw:
        return raw[column]
    return cells.Text.constant(None, count)


def _authority_codes(
    raw: dict[str, cells.Text],
    mapping: SurveyMapping,
    authorities: pd.DataFrame,
    rows: np.ndarray,
    file: str,
    problems: list[Problem],
) -> cells.Text:
    """GSS codes from a column holding codes or names; unknown ones are problems."""
    column = mapping.authority_column or ("authority_code" if "authority_code" in raw else None)
    if column is None:
        return cells.Text.constant(None, len(rows))
    by_name = {n.casefold(): c for c, n in zip(authorities["gss_code"], authorities["name"], strict=True)}
    by_name.update({c.casefold(): c for c in authorities["gss_code"]})
    given = raw[column]
    codes = pa.array([by_name.get(v.casefold()) for v in given.values.to_pylist()], pa.string())
    problems += text_problems(
        given.flags(cells.mask(pc.is_null(codes))),
        given,
        rows,
        file,
        column,
        "not one of the 33 London local authorities (name or GSS code)",
    )
    return given.mapped(codes)


def _melt(raw: dict[str, cells.Text], columns: dict[str, str], count: int) -> _Answers:
    """Wide question columns to long answers that remember their file row and column."""
    names = list(columns)
    return _Answers(
        np.tile(np.arange(count), len(names)),
        tuple(names),
        np.repeat(np.arange(len(names)), count),
        cells.Text.concat([cells.Text.constant(columns[c], count) for c in names]),
        cells.Text.concat([raw[c] for c in names]),
    )


def _duplicates(keys: list[cells.Text], submitted: np.ndarray, keep: np.ndarray) -> list[tuple[int, int]]:
    """(position, superseding position) for every earlier submission with the same keys, among kept rows.

    The latest submission (by submission time, then file order) supersedes the others.
    """
    positions = np.flatnonzero(keep)
    combined = np.zeros(positions.size, dtype=np.int64)
    for key in keys:  # missing cells share one code, as equal keys
        combined = combined * (len(key.values) + 1) + key.codes[positions].astype(np.int64)
    if not pd.Series(combined).duplicated().any():  # the usual case, decided by one hash pass
        return []
    order = np.lexsort((positions, submitted[positions].astype("int64"), combined))
    ordered_keys, ordered_positions = combined[order], positions[order]
    # Sorted by key, then time: the last row of each key is the one kept.
    last_of_key = np.append(ordered_keys[1:] != ordered_keys[:-1], True)
    last_rows = np.flatnonzero(last_of_key)
    # Groups are contiguous, so a row's group ends at the first group end at or after it.
    superseding = ordered_positions[last_rows[np.searchsorted(last_rows, np.arange(order.size))]]
    return sorted(
        (int(p), int(s)) for p, s, last in zip(ordered_positions, superseding, last_of_key, strict=True) if not last
    )


def answers_to_values(
    answers: _Answers, instrument: pd.DataFrame, file: str, rows: np.ndarray
) -> tuple[np.ndarray, list[Problem]]:
    """Numeric values for answers given as scale numbers or as the instrument's labels.

    A label is matched ignoring case and repeated spaces. A number must lie
    within the item's scale. Unknown items, unknown labels and out-of-range
    numbers are problems located at the answer's file row and column. Each
    distinct item and answer text is looked at once.
    """
    item_ids = pa.array(instrument["item_id"].astype(str).tolist(), pa.string())
    index = answers.item.spread(
        pc.fill_null(pc.index_in(answers.item.values, value_set=item_ids), -1).to_numpy(zero_copy_only=False), -1
    )
    unknown = index < 0
    numbers, not_numbers = cells.to_number(answers.text.values)
    values = answers.text.spread(numbers, np.nan)
    is_label = answers.text.flags(not_numbers) & ~unknown
    if is_label.any():
        lookup = {
            f"{item}\x1f{label}": value
            for item, labels in zip(instrument["item_id"], instrument["labels"], strict=True)
            for label, value in parse_labels(str(labels)).items()
        }
        # Each distinct (item, answer) pair given as words is looked up once.
        pairs = (
            answers.item.codes[is_label].astype(np.int64) * (len(answers.text.values) + 1)
            + answers.text.codes[is_label]
        )
        distinct, where = np.unique(pairs, return_inverse=True)
        items = pc.take(answers.item.values, pa.array(distinct // (len(answers.text.values) + 1)))
        spoken = pc.utf8_lower(
            pc.replace_substring_regex(
                pc.take(answers.text.values, pa.array(distinct % (len(answers.text.values) + 1))), r"\s+", " "
            )
        )
        found = pc.index_in(
            pc.binary_join_element_wise(items, spoken, "\x1f"), value_set=pa.array(list(lookup), pa.string())
        )
        label_values = np.asarray(pc.fill_null(pc.take(pa.array(list(lookup.values()), pa.float64()), found), np.nan))
        values[is_label] = label_values[where]
    low = np.append(instrument["scale_min"].astype(float).to_numpy(), np.nan)[index]
    high = np.append(instrument["scale_max"].astype(float).to_numpy(), np.nan)[index]
    out_of_range = ~is_label & ~unknown & ((values < low) | (values > high))
    bad_label = is_label & np.isnan(values)
    problems: list[Problem] = []
    labels = dict(zip(instrument["item_id"], instrument["labels"], strict=True))
    for i in np.flatnonzero(unknown | bad_label | out_of_range):
        item = answers.item.cell(i)
        where = (file, int(rows[answers.position[i]]), answers.columns[answers.column[i]], answers.text.cell(i))
        if unknown[i]:
            problems.append(Problem(*where, f"item {item} is not in the instrument"))
        elif bad_label[i]:
            problems.append(Problem(*where, f"not a label of item {item} ({labels[item]})"))
        else:
            problems.append(Problem(*where, f"outside the scale of item {item} ({low[i]:g} to {high[i]:g})"))
    return values, problems
