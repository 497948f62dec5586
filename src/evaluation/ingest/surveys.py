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
logged and left out (``exclude``). Nothing is dropped without a log entry.
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
from ..schemas.validation import coerce_column, formula_cells, located_problems, normalise_cells
from .pseudonymise import pseudonymise
from .readers import Sheet, read_csv, read_xlsx

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
    "qualtrics": ExportFormat(3, "RecipientEmail", "RecordedDate", "Finished", frozenset({
        "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
        "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
        "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
    })),
    # Microsoft Forms "Open results in Excel": one header row, questions headed by their text.
    "msforms": ExportFormat(1, "Email", "Completion time", None, frozenset({
        "ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
    })),
    "tidy": ExportFormat(1, "respondent", "submitted_at", None, frozenset({
        "respondent", "submitted_at", "cohort_id", "wave", "authority_code", "item_id", "value",
    })),
}
RULE_CHOICES = {
    "duplicates": ("reject", "keep-latest"),
    "incomplete": ("exclude", "keep", "reject"),
    "unknown_respondents": ("reject", "exclude"),
}
_MAPPING_KEYS = {"survey", "format", "cohort", "cohort_column", "wave", "wave_column", "authority_column",
                 "roster", "rules", "items", "free_text", "ignore", "sheet"}
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
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValidationError([Problem(name, None, None, None, f"cannot be read as YAML: {error}")]) from None
    if not isinstance(doc, dict):
        raise ValidationError([Problem(name, None, None, None, "must be a YAML mapping (key: value)")])
    problems = [Problem(name, None, k, None, "unknown key (allowed: " + ", ".join(sorted(_MAPPING_KEYS)) + ")")
                for k in doc if k not in _MAPPING_KEYS]
    fmt = doc.get("format")
    if fmt not in FORMATS:
        problems.append(Problem(name, None, "format", str(fmt), "must be one of: " + ", ".join(FORMATS)))
    if not isinstance(doc.get("survey"), str) or not doc["survey"].strip():
        problems.append(Problem(name, None, "survey", None, "a survey name is required"))
    items = doc.get("items") if fmt != "tidy" else {}
    if fmt != "tidy" and (not isinstance(items, dict) or not items):
        problems.append(Problem(name, None, "items", None, "must map export columns to instrument item ids"))
    rules = doc.get("rules") or {}
    for rule, value in rules.items():
        if rule not in RULE_CHOICES:
            problems.append(Problem(name, None, f"rules.{rule}", None, "unknown rule"))
        elif value not in RULE_CHOICES[rule]:
            problems.append(Problem(name, None, f"rules.{rule}", str(value),
                                    "must be one of: " + ", ".join(RULE_CHOICES[rule])))
    if problems:
        raise ValidationError(problems)
    return SurveyMapping(
        source=name, survey=doc["survey"].strip(), format=fmt,
        items={str(k): str(v) for k, v in (items or {}).items()},
        free_text={str(k): str(v) for k, v in (doc.get("free_text") or {}).items()},
        ignore=tuple(str(c) for c in doc.get("ignore") or ()),
        cohort=doc.get("cohort"), cohort_column=doc.get("cohort_column"),
        wave=doc.get("wave"), wave_column=doc.get("wave_column"),
        authority_column=doc.get("authority_column"), roster=bool(doc.get("roster", False)), rules=dict(rules),
    )


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
        return read_csv(path, fmt.header_rows), path.name
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValidationError([Problem(path.name, None, None, None, "a survey export must be .csv or .xlsx")])
    sheets = read_xlsx(path, fmt.header_rows)
    first = sheets[0]
    if first.frame.empty:
        others = [s.name for s in sheets[1:] if not s.frame.empty]
        hint = f"; the data is on sheet '{others[0]}': move it to the first sheet" if others else ""
        raise ValidationError([Problem(f"{path.name} [{first.name}]", None, None, None,
                                       f"the first sheet has no data{hint}")])
    return first, f"{path.name} [{first.name}]"


def parse_survey(
    path: Path, mapping: SurveyMapping, context: SurveyContext, key: bytes, *,
    cohort: str | None = None, wave: str | None = None, source_sha256: str = "", now: dt.datetime | None = None,
) -> SurveyBatch:
    """Validate a survey export completely and turn it into long responses.

    Raises :class:`ValidationError` with every problem found; returns only
    when the whole file is acceptable. Works column-at-a-time on Arrow arrays:
    a million-answer export takes about a second.
    """
    now = now or dt.datetime.now()
    fmt = FORMATS[mapping.format]
    sheet, file = read_export(path, mapping)
    raw = normalise_cells(sheet.frame)
    problems = _column_problems(raw, mapping, fmt, context, file)
    if problems:
        raise ValidationError(problems)
    for name in raw.columns:
        problems += located_problems(formula_cells(raw[name]), raw[name], file, name,
                                     "looks like a spreadsheet formula; remove the leading = + - @")
    rows = raw.index.to_numpy()
    withheld = pd.Series("(e-mail withheld)", index=raw.index)

    identity = raw[fmt.respondent]
    problems += located_problems(identity.isna(), withheld, file, fmt.respondent, "a respondent is required")
    if mapping.format == "tidy":
        # A tidy file may carry pseudonyms already; anything else is treated as an identity and hashed.
        given = cells.arrow(identity)
        is_pseudonym = pc.match_substring_regex(given, f"^(?:{PSEUDONYM})$")
        hashed = cells.arrow(pseudonymise(identity, key))
        respondent = cells.series(pc.if_else(is_pseudonym, given, hashed), raw.index)
    else:
        not_email = identity.notna().to_numpy() & ~identity.str.contains("@", regex=False).fillna(False).to_numpy()
        problems += located_problems(not_email, identity, file, fmt.respondent, "not an e-mail address")
        respondent = pseudonymise(identity, key)
    submitted, found = coerce_column(raw[fmt.submitted], Column("submitted_at", "datetime", "", not_future=True),
                                     file, now, header=fmt.submitted)
    problems += found
    cohort_column = mapping.cohort_column or ("cohort_id" if "cohort_id" in raw else "cohort")
    wave_column = mapping.wave_column or "wave"
    cohorts = _per_row(raw, cohort or mapping.cohort, cohort_column)
    waves = _per_row(raw, wave or mapping.wave, wave_column)
    problems += located_problems(waves.isna(), waves, file, wave_column,
                                 "no wave: give wave in the mapping, a wave column, or --wave")
    problems += located_problems(cells.mismatching(cells.arrow(waves), "|".join(WAVES) + r"|\d{4}"), waves, file,
                                 wave_column, "not a wave (" + ", ".join(WAVES) + ", or a year YYYY)")
    known_cohorts = tuple(context.cohorts["cohort_id"].astype(str))
    problems += located_problems(cells.outside(cells.arrow(cohorts), known_cohorts), cohorts, file, cohort_column,
                                 "cohort not in table 'cohorts'")
    if mapping.roster:
        problems += located_problems(cohorts.isna(), cohorts, file, cohort_column,
                                     "no cohort: give cohort in the mapping, a cohort column, or --cohort")
    authority = _authority_codes(raw, mapping, context.authorities, file, problems)

    keep = np.ones(len(raw), dtype=bool)
    exclusions: list[tuple[int, str, str]] = []
    if fmt.finished is not None:
        finished, found = coerce_column(raw[fmt.finished], Column("Finished", "boolean", ""), file, now)
        problems += found
        incomplete = finished.eq(False).fillna(False).to_numpy(dtype=bool)
        rule = mapping.rule("incomplete")
        if rule == "reject":
            problems += located_problems(incomplete, raw[fmt.finished], file, fmt.finished,
                                         "incomplete response (rules.incomplete: reject)")
        elif rule == "exclude":
            exclusions += [(rows[i], respondent.iat[i], "incomplete response (Finished = false)")
                           for i in np.flatnonzero(incomplete)]
            keep &= ~incomplete
    if mapping.roster:
        roster = tuple(context.participants["cohort_id"].astype(str) + "/" + context.participants["participant_id"])
        enrolled = pc.binary_join_element_wise(cells.arrow(cohorts), cells.arrow(respondent), "/")
        unknown = cells.outside(enrolled, roster)
        if mapping.rule("unknown_respondents") == "reject":
            problems += located_problems(unknown, withheld, file, fmt.respondent,
                                         "respondent is not on the roster of this cohort "
                                         "(rules.unknown_respondents: reject)")
        else:
            exclusions += [(rows[i], respondent.iat[i], "not on the cohort roster")
                           for i in np.flatnonzero(unknown & keep)]
            keep &= ~unknown

    per_answer = [raw["item_id"]] if mapping.format == "tidy" else []
    duplicated = _duplicates([respondent, cohorts, waves, *per_answer], submitted.to_numpy(), keep)
    if duplicated:
        if mapping.rule("duplicates") == "reject":
            problems += [Problem(file, int(rows[i]), fmt.respondent, "(e-mail withheld)",
                                 f"duplicate submission by the same respondent in this wave (also row {rows[j]}; "
                                 "rules.duplicates: reject)") for i, j in duplicated]
        else:
            exclusions += [(rows[i], respondent.iat[i], f"duplicate submission, superseded by row {rows[j]}")
                           for i, j in duplicated]
            keep[[i for i, _ in duplicated]] = False

    if mapping.format == "tidy":
        answers = _Answers(np.arange(len(raw)), pa.repeat(pa.scalar("value"), len(raw)),
                           cells.arrow(raw["item_id"]), cells.arrow(raw["value"]))
    else:
        answers = _melt(raw, mapping.items)
    answers = answers.filter(keep[answers.position] & cells.mask(pc.is_valid(answers.text)))
    values, found = answers_to_values(answers, context.instrument, file, rows)
    problems += found
    if problems:
        raise ValidationError(problems)

    def at(column: pd.Series, positions: np.ndarray) -> pa.ChunkedArray:
        if np.array_equal(positions, np.arange(len(column))):
            return cells.arrow(column)  # every row, in order (a tidy file): no copy needed
        return pc.take(cells.arrow(column), pa.array(positions))

    responses = pa.table({
        "survey": pa.repeat(pa.scalar(mapping.survey), len(values)),
        "respondent": at(respondent, answers.position),
        "cohort_id": at(cohorts, answers.position),
        "authority_code": at(authority, answers.position),
        "wave": at(waves, answers.position),
        "item_id": answers.item,
        "value": pa.array(values),
        "submitted_at": pa.array(submitted.to_numpy()[answers.position]),
        "source_sha256": pa.repeat(pa.scalar(source_sha256), len(values)),
    })
    text = _melt(raw, mapping.free_text)
    text = text.filter(keep[text.position] & cells.mask(pc.is_valid(text.text)))
    free_text = pa.table({
        "survey": pa.repeat(pa.scalar(mapping.survey), len(text.position)),
        "respondent": at(respondent, text.position),
        "cohort_id": at(cohorts, text.position),
        "wave": at(waves, text.position),
        "question": text.item,
        "answer": text.text,
        "source_sha256": pa.repeat(pa.scalar(source_sha256), len(text.position)),
    })
    excluded = pd.DataFrame(exclusions, columns=["source_row", "respondent", "reason"])
    excluded.insert(0, "source_file", path.name)
    excluded.insert(0, "source_sha256", source_sha256)
    kept = pd.DataFrame({"cohort": cohorts[keep], "wave": waves[keep]}).drop_duplicates()
    batches = sorted(((None if pd.isna(c) else str(c), str(w)) for c, w in kept.itertuples(index=False)),
                     key=lambda b: (b[0] or "", b[1]))
    return SurveyBatch(responses, free_text, excluded, batches)


@dataclass(frozen=True)
class _Answers:
    """Answers in long form: the row position in the export, its column, the item and the text given."""

    position: np.ndarray
    column: pa.ChunkedArray | pa.Array
    item: pa.ChunkedArray | pa.Array
    text: pa.ChunkedArray | pa.Array

    def filter(self, keep: np.ndarray) -> _Answers:
        selection = pa.array(keep)
        return _Answers(self.position[keep], pc.filter(self.column, selection), pc.filter(self.item, selection),
                        pc.filter(self.text, selection))


def _column_problems(raw: pd.DataFrame, mapping: SurveyMapping, fmt: ExportFormat, context: SurveyContext,
                     file: str) -> list[Problem]:
    """Columns the export must have, and columns nobody said what to do with."""
    present = set(raw.columns)
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
    for column in raw.columns:
        if column not in accounted:
            problems.append(Problem(file, 1, column, None,
                                    f"column is not in the mapping file {mapping.source} "
                                    "(add it under items, free_text or ignore)"))
    known_items = set(context.instrument["item_id"].astype(str))
    for column, item in mapping.items.items():
        if item not in known_items:
            problems.append(Problem(mapping.source, None, f"items.{column}", item, "item not in the instrument"))
    return problems


def _per_row(raw: pd.DataFrame, fixed: str | None, column: str) -> pd.Series:
    """A per-row value given once (mapping or command line) or read from a column."""
    if fixed is not None:
        return cells.series(pa.repeat(pa.scalar(str(fixed)), len(raw)), raw.index)
    if column in raw:
        return raw[column]
    return cells.series(pa.nulls(len(raw), pa.string()), raw.index)


def _authority_codes(raw: pd.DataFrame, mapping: SurveyMapping, authorities: pd.DataFrame, file: str,
                     problems: list[Problem]) -> pd.Series:
    """GSS codes from a column holding codes or names; unknown ones are problems."""
    column = mapping.authority_column or ("authority_code" if "authority_code" in raw else None)
    if column is None:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    by_name = {n.casefold(): c for c, n in zip(authorities["gss_code"], authorities["name"], strict=True)}
    by_name.update({c.casefold(): c for c in authorities["gss_code"]})
    codes = raw[column].str.casefold().map(by_name).astype("string")
    problems += located_problems(raw[column].notna() & codes.isna(), raw[column], file, column,
                         "not one of the 33 London local authorities (name or GSS code)")
    return codes


def _melt(raw: pd.DataFrame, columns: dict[str, str]) -> _Answers:
    """Wide question columns to long answers that remember their file row and column."""
    n = len(raw)
    names = list(columns)
    return _Answers(
        np.tile(np.arange(n), len(names)),
        pa.array(np.repeat(names, n).tolist(), pa.string()),
        pa.array(np.repeat([columns[c] for c in names], n).tolist(), pa.string()),
        pa.chunked_array([chunk for c in names for chunk in cells.arrow(raw[c]).chunks], pa.string()),
    )


def _duplicates(keys: list[pd.Series], submitted: np.ndarray, keep: np.ndarray) -> list[tuple[int, int]]:
    """(position, superseding position) for every earlier submission with the same keys, among kept rows.

    The latest submission (by submission time, then file order) supersedes the others.
    """
    positions = np.flatnonzero(keep)
    combined = np.zeros(positions.size, dtype=np.int64)
    for key in keys:
        codes = cells.codes(cells.arrow(key))[positions] + 1  # -1 (null) becomes 0
        combined = combined * (int(codes.max(initial=0)) + 1) + codes
    if not pd.Series(combined).duplicated().any():  # the usual case, decided by one hash pass
        return []
    order = np.lexsort((positions, submitted[positions].astype("int64"), combined))
    ordered_keys, ordered_positions = combined[order], positions[order]
    # Sorted by key, then time: the last row of each key is the one kept.
    last_of_key = np.append(ordered_keys[1:] != ordered_keys[:-1], True)
    last_rows = np.flatnonzero(last_of_key)
    # Groups are contiguous, so a row's group ends at the first group end at or after it.
    superseding = ordered_positions[last_rows[np.searchsorted(last_rows, np.arange(order.size))]]
    return sorted((int(p), int(s)) for p, s, last in zip(ordered_positions, superseding, last_of_key, strict=True)
                  if not last)


def answers_to_values(answers: _Answers, instrument: pd.DataFrame, file: str, rows: np.ndarray
                      ) -> tuple[np.ndarray, list[Problem]]:
    """Numeric values for answers given as scale numbers or as the instrument's labels.

    A label is matched ignoring case and repeated spaces. A number must lie
    within the item's scale. Unknown items, unknown labels and out-of-range
    numbers are problems located at the answer's file row and column.
    """
    item_ids = pa.array(instrument["item_id"].astype(str).tolist(), pa.string())
    index = pc.index_in(answers.item, value_set=item_ids)
    unknown = cells.mask(pc.is_null(index))
    values, not_number = cells.to_number(answers.text)
    is_label = not_number & ~unknown
    if is_label.any():
        lookup = {f"{item}\x1f{label}": value for item, labels in zip(instrument["item_id"], instrument["labels"],
                                                                    strict=True)
                  for label, value in parse_labels(str(labels)).items()}
        selection = pa.array(is_label)
        spoken = pc.utf8_lower(pc.replace_substring_regex(pc.filter(answers.text, selection), r"\s+", " "))
        keys = pc.binary_join_element_wise(pc.filter(answers.item, selection), spoken, "\x1f")
        found = pc.index_in(keys, value_set=pa.array(list(lookup), pa.string()))
        values[is_label] = np.asarray(pc.fill_null(pc.take(pa.array(list(lookup.values()), pa.float64()), found),
                                                   np.nan))
    low = np.asarray(pc.fill_null(pc.take(pa.array(instrument["scale_min"].astype(float)), index), np.nan))
    high = np.asarray(pc.fill_null(pc.take(pa.array(instrument["scale_max"].astype(float)), index), np.nan))
    out_of_range = ~is_label & ~unknown & ((values < low) | (values > high))
    bad_label = is_label & np.isnan(values)
    problems: list[Problem] = []
    if unknown.any() or bad_label.any() or out_of_range.any():
        labels = dict(zip(instrument["item_id"], instrument["labels"], strict=True))
        columns, items, texts = (a.to_pylist() for a in (answers.column, answers.item, answers.text))
        for i in np.flatnonzero(unknown | bad_label | out_of_range):
            where = (file, int(rows[answers.position[i]]), columns[i], texts[i])
            if unknown[i]:
                problems.append(Problem(*where, f"item {items[i]} is not in the instrument"))
            elif bad_label[i]:
                problems.append(Problem(*where, f"not a label of item {items[i]} ({labels[items[i]]})"))
            else:
                problems.append(Problem(*where, f"outside the scale of item {items[i]} ({low[i]:g} to {high[i]:g})"))
    return values, problems
