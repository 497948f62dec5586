"""Survey exports (Qualtrics CSV, Microsoft Forms Excel, tidy CSV) to long responses: :func:`parse_survey`.

An export is read as its mapping file says (:mod:`~evaluation.ingest.survey_exports`), every cell is
checked (respondent, submission time, cohort, wave, authority, answers on the instrument's scales), the
rules decide which responses are kept (:mod:`~evaluation.ingest.survey_rules`), and the answers become one
row per respondent and item; free-text answers are kept apart. Respondents' e-mail addresses are replaced
by their pseudonyms (:mod:`~evaluation.ingest.pseudonymise`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schemas import cells
from ..schemas.core import Column, Problem, ValidationError
from ..schemas.programme import PSEUDONYM, WAVES
from ..schemas.validation import coerce_text, text_problems
from .pseudonymise import WITHHELD, pseudonyms
from .survey_exports import FORMATS, SurveyMapping, column_problems, read_export
from .survey_rules import Exclusion, Screening, marked_test_responses

_LABEL_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*=\s*(.+?)\s*$")


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
    problems = column_problems(list(raw), mapping, set(context.instrument["item_id"].astype(str)), file)
    if problems:
        raise ValidationError(problems)
    rows = sheet.frame.index.to_numpy()
    exclusions: list[Exclusion] = []
    marked = marked_test_responses(raw) if mapping.format == "qualtrics" else {}
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

    identity = raw[fmt.respondent]
    problems += text_problems(identity.missing, WITHHELD, rows, file, fmt.respondent, "a respondent is required")
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

    screening = Screening(file, rows, respondent, fmt.respondent, problems, exclusions)
    if fmt.finished is not None:
        screening.incomplete(raw[fmt.finished], fmt.finished, mapping.rule("incomplete"), now)
    if mapping.roster:
        screening.roster(cohorts, context.participants, mapping.rule("unknown_respondents"))
    per_answer = [raw["item_id"]] if mapping.format == "tidy" else []
    screening.duplicates([cohorts, waves, *per_answer], submitted, mapping.rule("duplicates"))
    keep = screening.keep

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
    written = _melt(raw, mapping.free_text, count)
    written = written.filter(keep[written.position] & ~written.text.missing)
    free_text = pa.table(
        {
            "survey": pa.repeat(pa.scalar(mapping.survey), len(written.position)),
            "respondent": respondent.take(written.position).encoded(),
            "cohort_id": cohorts.take(written.position).encoded(),
            "wave": waves.take(written.position).encoded(),
            "question": written.item.encoded(),
            "answer": written.text.encoded(),
            "source_sha256": pa.repeat(pa.scalar(source_sha256), len(written.position)),
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
        item = answers.item.cell(int(i))
        row, column, given = (
            int(rows[answers.position[i]]),
            answers.columns[answers.column[i]],
            answers.text.cell(int(i)),
        )
        if unknown[i]:
            problems.append(Problem(file, row, column, given, f"item {item} is not in the instrument"))
        elif bad_label[i]:
            problems.append(Problem(file, row, column, given, f"not a label of item {item} ({labels[item]})"))
        else:
            problems.append(
                Problem(file, row, column, given, f"outside the scale of item {item} ({low[i]:g} to {high[i]:g})")
            )
    return values, problems
