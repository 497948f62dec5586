"""The leadership survey's exports as the survey tools write them, and the mapping file of each wave.

Qualtrics: a CSV with choice text, three header rows (column ids, question
texts, ImportIds). Microsoft Forms: the "Open results in Excel" workbook, one
header row, questions headed by their text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .leadership_answers import SurveyResponse
from .leadership_survey import AGREEMENT, FREE_TEXT, LEADERSHIP_SURVEY, wave_items
from .roster import Participant
from .writers import save_workbook, write_csv

# (column id, question text, ImportId) as a Qualtrics "Export data > CSV" with choice text writes its first columns.
QUALTRICS_METADATA = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)
# Qualtrics ignores this field unless a panel sets it; the demo uses it to mark every row as synthetic.
QUALTRICS_EXTERNAL_REFERENCE = "SYNTHETIC-DEMO"
QUALTRICS_ENCODINGS = {("C1", "baseline"): "utf-8-sig", ("C1", "endpoint"): "cp1252"}
# The second header row gives an item's question as "stem - wording".
QUALTRICS_STEMS = {
    "confidence": "How far do you agree with each statement about leading digital change?",
    "competence": "How far do you agree with each statement about your skills?",
    "application": "Thinking about the last three months, how far do you agree with each statement?",
}
RATING_STEM = "How far do you agree with each statement about the programme?"
MSFORMS_METADATA = ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time")
SURVEY_RULES = {"duplicates": "keep-latest", "incomplete": "exclude"}


def qualtrics_time(moment: dt.datetime) -> str:
    """A time as Qualtrics writes it (``2024-01-17 09:30:00``)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_qualtrics_export(
    path: Path, wave: str, responses: Sequence[SurveyResponse], encoding: str, rng: np.random.Generator
) -> Path:
    """A Qualtrics CSV export with choice text: column ids, question texts and ImportIds, then one row each."""
    items = wave_items(wave)
    question = FREE_TEXT[wave]
    ids = [c[0] for c in QUALTRICS_METADATA] + [i.qualtrics_column for i in items] + [question.column]
    texts = (
        [c[1] for c in QUALTRICS_METADATA]
        + [f"{QUALTRICS_STEMS.get(item.construct, RATING_STEM)} - {item.wording}" for item in items]
        + [question.text]
    )
    import_ids = (
        [c[2] for c in QUALTRICS_METADATA]
        + [f'{{"ImportId":"QID{item.qualtrics_column[1:]}"}}' for item in items]
        + [f'{{"ImportId":"QID{question.column[1:]}_TEXT"}}']
    )
    rows = []
    for response in responses:
        person = response.person
        response_id = "R_" + "".join(
            rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"), 15)
        )
        rows.append(
            (
                qualtrics_time(response.started),
                qualtrics_time(response.ended),
                "IP Address",
                # Documentation-only addresses (RFC 5737): they can never belong to anybody.
                f"192.0.2.{int(rng.integers(1, 255))}",
                response.progress,
                int((response.ended - response.started).total_seconds()),
                str(response.finished),
                qualtrics_time(response.recorded),
                response_id,
                person.last_name,
                person.first_name,
                person.email,
                QUALTRICS_EXTERNAL_REFERENCE,
                f"{51.45 + rng.random() * 0.12:.4f}",
                f"{-0.25 + rng.random() * 0.2:.4f}",
                "email",
                "EN-GB",
                *[None if value is None else AGREEMENT[value - 1] for value in response.answers],
                response.free_text,
            )
        )
    return write_csv(path, ids, rows, encoding, header_rows=(texts, import_ids))


def msforms_email(person: Participant) -> str:
    """Microsoft 365 reports the sign-in address with capitals (First.Last@...); pseudonyms ignore case."""
    local, domain = person.email.split("@")
    return ".".join(part.capitalize() for part in local.split(".")) + "@" + domain


def write_msforms_export(path: Path, responses: Sequence[SurveyResponse]) -> Path:
    """A Microsoft Forms "Open results in Excel" workbook: one header row, questions headed by their text."""
    items = wave_items("follow-up")
    header = (*MSFORMS_METADATA, *(item.wording for item in items), FREE_TEXT["follow-up"].text)
    rows = [
        (
            number,
            r.started.replace(microsecond=0),
            r.recorded.replace(microsecond=0),
            msforms_email(r.person),
            r.person.name,
            None,
            *[None if v is None else AGREEMENT[v - 1] for v in r.answers],
            r.free_text,
        )
        for number, r in enumerate(responses, start=1)
    ]
    return save_workbook({"Sheet1": (header, rows)}, path, "Microsoft Forms follow-up survey export.")


def survey_mapping(wave: str, survey_format: str) -> dict[str, object]:
    """The mapping file of one wave's export: every question column named as an item or as free text."""
    items = wave_items(wave)
    question = FREE_TEXT[wave]
    if survey_format == "qualtrics":
        columns = {item.qualtrics_column: item.item_id for item in items}
        free_text = {question.column: question.name}
    else:
        columns = {item.wording: item.item_id for item in items}
        free_text = {question.text: question.name}
    return {
        "survey": LEADERSHIP_SURVEY,
        "format": survey_format,
        "wave": wave,
        "roster": True,
        "rules": dict(SURVEY_RULES),
        "items": columns,
        "free_text": free_text,
    }
