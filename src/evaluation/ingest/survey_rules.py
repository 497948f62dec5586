"""Which survey responses are kept: the test-response, incomplete, roster and duplicate rules.

Rules (documented in docs/data-dictionary.md; the mapping file's ``rules`` choose among
:data:`RULE_CHOICES`, the first being the default):

* a Qualtrics preview or test response (``DistributionChannel`` ``preview``/``test``, ``Status``
  ``Survey Preview``/``Survey Test``) is logged and left out before any other rule (:func:`marked_test_responses`);
* an unfinished Qualtrics response (``Finished`` false) is logged and left out unless the mapping says
  ``keep``, or refuses the file (``reject``);
* a respondent not on the cohort's roster refuses the file, or is logged and left out (``exclude``);
* a respondent who submitted twice in one wave refuses the file (``reject``), or keeps the latest
  submission, the earlier ones logged as excluded (``keep-latest``).

Nothing is dropped without a log entry (an :data:`Exclusion`); a refusal is a problem naming the file, row
and column. :class:`Screening` applies the last three to the rows of one export, in that order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schemas import cells
from ..schemas.core import Column, Problem
from ..schemas.validation import coerce_text, text_problems
from .pseudonymise import WITHHELD

RULE_CHOICES = {
    "duplicates": ("reject", "keep-latest"),
    "incomplete": ("exclude", "keep", "reject"),
    "unknown_respondents": ("reject", "exclude"),
}
# Lower-cased cell values by which Qualtrics marks responses that are not a respondent's (see marked_test_responses).
TEST_RESPONSE_MARKERS = {
    "DistributionChannel": ("preview", "test"),
    "Status": ("survey preview", "survey test", "1", "2"),
}
# A response left out, as the ingestion log records it: (spreadsheet row, respondent pseudonym, reason).
Exclusion = tuple[int, str | None, str]


def marked_test_responses(raw: dict[str, cells.Text]) -> dict[int, str]:
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


@dataclass
class Screening:
    """The rows of one export as the rules see them: which are kept, and what the rules found.

    The rules add refusals to ``problems`` and logged exclusions to ``exclusions`` (the caller's lists, in the
    order the rules run) and clear ``keep`` for the rows they leave out.
    """

    file: str
    rows: np.ndarray  # the spreadsheet row of each position
    respondent: cells.Text  # the respondent's pseudonym at each position
    respondent_column: str
    problems: list[Problem]
    exclusions: list[Exclusion]
    keep: np.ndarray = field(init=False)  # every row at first

    def __post_init__(self) -> None:
        self.keep = np.ones(len(self.rows), dtype=bool)

    def incomplete(self, finished: cells.Text, column: str, rule: str, now: dt.datetime) -> None:
        """Responses whose ``Finished`` cell is false: refused, left out (logged) or kept, as ``rule`` says."""
        flags, found = coerce_text(finished, Column("Finished", "boolean", ""), self.rows, self.file, now)
        self.problems += found
        incomplete = (~pd.array(flags, dtype="boolean")).fillna(False).to_numpy(dtype=bool)
        if rule == "reject":
            self.problems += text_problems(
                incomplete, finished, self.rows, self.file, column, "incomplete response (rules.incomplete: reject)"
            )
        elif rule == "exclude":
            self.exclusions += [
                (self.rows[i], self.respondent.cell(int(i)), "incomplete response (Finished = false)")
                for i in np.flatnonzero(incomplete)
            ]
            self.keep &= ~incomplete

    def roster(self, cohorts: cells.Text, participants: pd.DataFrame, rule: str) -> None:
        """Respondents not on their cohort's roster (table ``participants``): refused, or left out (logged)."""
        roster = tuple(participants["cohort_id"].astype(str) + "/" + participants["participant_id"])
        unknown = cells.outside(pc.binary_join_element_wise(cohorts.array(), self.respondent.array(), "/"), roster)
        if rule == "reject":
            self.problems += text_problems(
                unknown,
                WITHHELD,
                self.rows,
                self.file,
                self.respondent_column,
                "respondent is not on the roster of this cohort (rules.unknown_respondents: reject)",
            )
        else:
            self.exclusions += [
                (self.rows[i], self.respondent.cell(int(i)), "not on the cohort roster")
                for i in np.flatnonzero(unknown & self.keep)
            ]
            self.keep &= ~unknown

    def duplicates(self, keys: list[cells.Text], submitted: np.ndarray, rule: str) -> None:
        """Kept submissions sharing ``keys`` (respondent, cohort, wave...): refused, or all but the latest left out."""
        duplicated = superseded_submissions([self.respondent, *keys], submitted, self.keep)
        if not duplicated:
            return
        if rule == "reject":
            self.problems += [
                Problem(
                    self.file,
                    int(self.rows[i]),
                    self.respondent_column,
                    WITHHELD,
                    f"duplicate submission by the same respondent in this wave (also row {self.rows[j]}; "
                    "rules.duplicates: reject)",
                )
                for i, j in duplicated
            ]
        else:
            self.exclusions += [
                (self.rows[i], self.respondent.cell(i), f"duplicate submission, superseded by row {self.rows[j]}")
                for i, j in duplicated
            ]
            self.keep[[i for i, _ in duplicated]] = False


def superseded_submissions(keys: list[cells.Text], submitted: np.ndarray, keep: np.ndarray) -> list[tuple[int, int]]:
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
