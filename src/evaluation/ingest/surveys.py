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

import pandas as pd

from ..schemas.core import (
    Column,
    Problem,
    ValidationError,
    coerce_column,
    formula_cells,
    located_problems,
    normalise_cells,
)
from ..schemas.programme import PSEUDONYM, WAVES
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
    return " ".join(label.split()).casefold()


@dataclass
class SurveyContext:
    """The stored tables a survey is checked against."""

    instrument: pd.DataFrame
    cohorts: pd.DataFrame
    participants: pd.DataFrame
    authorities: pd.DataFrame


@dataclass
class SurveyBatch:
    """A parsed survey file, ready to store."""

    responses: pd.DataFrame
    free_text: pd.DataFrame
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
    when the whole file is acceptable.
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

    identity = raw[fmt.respondent]
    problems += located_problems(identity.isna(), identity.fillna(""), file, fmt.respondent, "a respondent is required")
    problems += located_problems(identity.notna() & ~identity.str.contains("@", regex=False, na=False)
                         & (mapping.format != "tidy"), identity, file, fmt.respondent, "not an e-mail address")
    if mapping.format == "tidy":
        # A tidy file may carry pseudonyms already; anything else is treated as an identity and hashed.
        is_pseudonym = identity.str.fullmatch(PSEUDONYM, na=False)
        respondent = pseudonymise(identity.where(~is_pseudonym), key).where(~is_pseudonym, identity)
    else:
        respondent = pseudonymise(identity, key)
    submitted, found = coerce_column(raw[fmt.submitted], Column("submitted_at", "datetime", "", not_future=True),
                                     file, now, header=fmt.submitted)
    problems += found
    cohorts = _per_row(raw, cohort or mapping.cohort, mapping.cohort_column or ("cohort_id" if "cohort_id" in raw
                                                                               else None))
    waves = _per_row(raw, wave or mapping.wave, mapping.wave_column or ("wave" if "wave" in raw else None))
    problems += located_problems(waves.isna(), waves.fillna(""), file, mapping.wave_column or "wave",
                         "no wave: give wave in the mapping, a wave column, or --wave")
    bad_wave = waves.notna() & ~(waves.isin(WAVES) | waves.str.fullmatch(r"\d{4}", na=False))
    problems += located_problems(bad_wave, waves, file, mapping.wave_column or "wave",
                         "not a wave (" + ", ".join(WAVES) + ", or a year YYYY)")
    known_cohorts = set(context.cohorts["cohort_id"].astype(str))
    problems += located_problems(cohorts.notna() & ~cohorts.isin(known_cohorts), cohorts, file,
                         mapping.cohort_column or "cohort", "cohort not in table 'cohorts'")
    if mapping.roster:
        problems += located_problems(cohorts.isna(), cohorts.fillna(""), file, mapping.cohort_column or "cohort",
                             "no cohort: give cohort in the mapping, a cohort column, or --cohort")
    authority = _authority_codes(raw, mapping, context.authorities, file, problems)

    keep = pd.Series(True, index=raw.index)
    exclusions: list[tuple[int, str | None, str]] = []
    if fmt.finished is not None:
        finished, found = coerce_column(raw[fmt.finished], Column("Finished", "boolean", ""), file, now)
        problems += found
        incomplete = finished.eq(False).fillna(False)
        rule = mapping.rule("incomplete")
        if rule == "reject":
            problems += located_problems(incomplete, raw[fmt.finished], file, fmt.finished,
                                 "incomplete response (rules.incomplete: reject)")
        elif rule == "exclude":
            exclusions += [(r, respondent[r], "incomplete response (Finished = false)") for r in raw.index[incomplete]]
            keep &= ~incomplete
    if mapping.roster:
        roster = pd.MultiIndex.from_frame(context.participants[["cohort_id", "participant_id"]].astype(str))
        on_roster = pd.Series(pd.MultiIndex.from_arrays([cohorts.fillna(""), respondent.fillna("")]).isin(roster),
                              index=raw.index)
        unknown = ~on_roster & respondent.notna() & cohorts.notna()
        if mapping.rule("unknown_respondents") == "reject":
            problems += located_problems(unknown, identity.map(lambda _: "(e-mail withheld)"), file, fmt.respondent,
                                 "respondent is not on the roster of this cohort (rules.unknown_respondents: reject)")
        else:
            exclusions += [(r, respondent[r], "not on the cohort roster") for r in raw.index[unknown & keep]]
            keep &= ~unknown

    if mapping.format == "tidy":
        long = pd.DataFrame({"_row": raw.index, "_column": "value", "item_id": raw["item_id"],
                             "raw": raw["value"]}, index=raw.index)
        unit = ["item_id"]
    else:
        long = _melt(raw, mapping.items)
        unit = []
    person = pd.DataFrame({"respondent": respondent, "cohort_id": cohorts, "wave": waves,
                           "submitted_at": submitted}, index=raw.index)
    duplicated = _duplicates(person[keep], unit_columns=raw.loc[keep, unit] if unit else None)
    if duplicated:
        if mapping.rule("duplicates") == "reject":
            problems += [Problem(file, row, fmt.respondent, "(e-mail withheld)",
                                 f"duplicate submission by the same respondent in this wave (also row {later}; "
                                 "rules.duplicates: reject)") for row, later in duplicated]
        else:
            exclusions += [(row, respondent[row], f"duplicate submission, superseded by row {later}")
                           for row, later in duplicated]
            keep[[row for row, _ in duplicated]] = False

    long = long[long["_row"].map(keep).to_numpy(dtype=bool) & long["raw"].notna().to_numpy()]
    values, found = answers_to_values(long, context.instrument, file)
    problems += found
    if problems:
        raise ValidationError(problems)

    rows = long["_row"].to_numpy()
    responses = pd.DataFrame({
        "survey": mapping.survey,
        "respondent": respondent.loc[rows].to_numpy(),
        "cohort_id": cohorts.loc[rows].to_numpy(),
        "authority_code": authority.loc[rows].to_numpy(),
        "wave": waves.loc[rows].to_numpy(),
        "item_id": long["item_id"].to_numpy(),
        "value": values.to_numpy(),
        "submitted_at": submitted.loc[rows].to_numpy(),
        "source_sha256": source_sha256,
    })
    text = _melt(raw[keep], mapping.free_text).dropna(subset=["raw"])
    free_text = pd.DataFrame({
        "survey": mapping.survey,
        "respondent": respondent.loc[text["_row"]].to_numpy(),
        "cohort_id": cohorts.loc[text["_row"]].to_numpy(),
        "wave": waves.loc[text["_row"]].to_numpy(),
        "question": text["item_id"].to_numpy(),
        "answer": text["raw"].to_numpy(),
        "source_sha256": source_sha256,
    })
    excluded = pd.DataFrame(exclusions, columns=["source_row", "respondent", "reason"])
    excluded.insert(0, "source_file", path.name)
    excluded.insert(0, "source_sha256", source_sha256)
    batches = sorted(set(zip(cohorts[keep].tolist(), waves[keep].tolist(), strict=True)),
                     key=lambda b: (str(b[0]), str(b[1])))
    return SurveyBatch(responses, free_text, excluded, [(None if pd.isna(c) else c, w) for c, w in batches])


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


def _per_row(raw: pd.DataFrame, fixed: str | None, column: str | None) -> pd.Series:
    if fixed is not None:
        return pd.Series(str(fixed), index=raw.index, dtype="string")
    if column is not None and column in raw:
        return raw[column]
    return pd.Series(pd.NA, index=raw.index, dtype="string")


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


def _melt(raw: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Wide question columns to long rows that remember their file row and column."""
    parts = [pd.DataFrame({"_row": raw.index, "_column": column, "item_id": item, "raw": raw[column].to_numpy()})
             for column, item in columns.items()]
    if not parts:
        return pd.DataFrame(columns=["_row", "_column", "item_id", "raw"])
    return pd.concat(parts, ignore_index=True)


def _duplicates(person: pd.DataFrame, unit_columns: pd.DataFrame | None) -> list[tuple[int, int]]:
    """(row, superseding row) for every earlier submission by the same respondent in the same wave."""
    frame = person[["respondent", "cohort_id", "wave", "submitted_at"]].copy()
    keys = ["respondent", "cohort_id", "wave"]
    if unit_columns is not None:  # tidy files have one row per item
        frame = frame.join(unit_columns)
        keys += list(unit_columns.columns)
    frame["_row"] = frame.index
    ordered = frame.sort_values(["submitted_at", "_row"], kind="stable")
    dup = ordered.duplicated(keys, keep="last")
    if not dup.any():
        return []
    latest = ordered.groupby(keys, dropna=False, sort=False)["_row"].transform("last")
    return sorted((int(r), int(latest[r])) for r in ordered.index[dup.to_numpy()])


def answers_to_values(long: pd.DataFrame, instrument: pd.DataFrame, file: str) -> tuple[pd.Series, list[Problem]]:
    """Numeric values for answers given as scale numbers or as the instrument's labels.

    A label is matched ignoring case and repeated spaces. A number must lie
    within the item's scale. Unknown items, unknown labels and out-of-range
    numbers are problems located at the answer's file row and column.
    """
    items = instrument.set_index("item_id")
    item = long["item_id"].astype("string")
    text = long["raw"].astype("string")
    problems: list[Problem] = []
    unknown_item = ~item.isin(items.index)
    problems += [Problem(file, int(r), c, i, "item not in the instrument")
                 for r, c, i in zip(long["_row"][unknown_item], long["_column"][unknown_item],
                                    item[unknown_item], strict=True)]
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    is_label = values.isna() & ~unknown_item
    if is_label.any():
        lookup = {(i, label): v for i, labels in items["labels"].items() for label, v in parse_labels(labels).items()}
        keys = zip(item[is_label], text[is_label].map(_normal_label), strict=True)
        values[is_label] = [lookup.get(k, float("nan")) for k in keys]
        bad_label = is_label & values.isna()
        for r, c, i, v in zip(long["_row"][bad_label], long["_column"][bad_label], item[bad_label],
                              text[bad_label], strict=True):
            allowed = "; ".join(items.at[i, "labels"].split(";")).strip()
            problems.append(Problem(file, int(r), c, v, f"not a label of item {i} ({allowed})"))
    low = item.map(items["scale_min"].astype("float64")).astype("float64")
    high = item.map(items["scale_max"].astype("float64")).astype("float64")
    out_of_range = ~is_label & ~unknown_item & ((values < low) | (values > high))
    problems += [Problem(file, int(r), c, v, f"outside the scale of item {i} ({lo:g} to {hi:g})")
                 for r, c, i, v, lo, hi in zip(long["_row"][out_of_range], long["_column"][out_of_range],
                                               item[out_of_range], text[out_of_range], low[out_of_range],
                                               high[out_of_range], strict=True)]
    return values, problems
