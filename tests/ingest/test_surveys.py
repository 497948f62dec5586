"""Survey exports that are valid, including unusual encodings, and the documented rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.ingest.pseudonymise import pseudonym
from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.ingest.surveys import parse_labels
from evaluation.schemas.core import ValidationError
from evaluation.store import Store
from support import BAD_INPUTS, FIXTURES, TEST_KEY

QUALTRICS = FIXTURES / "qualtrics.yml"
# The answers of tests/fixtures/qualtrics_valid.csv, by e-mail, as the instrument's numbers.
EXPECTED = {
    "ada.lovelace@example.org": {"conf_1": 4, "conf_2": 2, "comp_1": 4},
    "alan.turing@example.org": {"conf_1": 5, "conf_2": 1, "comp_1": 4},
    "katherine.johnson@example.org": {"conf_1": 3, "conf_2": 4, "comp_1": 3},
    "tim.berners-lee@example.org": {"conf_1": 4, "conf_2": 2, "comp_1": 5},
}


def _values(store: Store) -> dict[str, dict[str, float]]:
    frame = store.read_table("responses")
    return {r: dict(zip(g["item_id"], g["value"], strict=True)) for r, g in frame.groupby("respondent")}


def _expected_by_pseudonym() -> dict[str, dict[str, float]]:
    return {pseudonym(email, TEST_KEY): answers for email, answers in EXPECTED.items()}


@pytest.mark.parametrize(
    "name", ["valid_utf8_bom.csv", "valid_utf16_tab.csv", "valid_semicolon.csv", "valid_cp1252_pound.csv"]
)
def test_unusual_but_valid_exports_are_accepted_with_the_right_values(name: str, base_store: Store):
    (outcome,) = run_ingest([IngestJob(BAD_INPUTS / name, QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    assert outcome.status == "ingested"
    assert _values(base_store) == _expected_by_pseudonym()


def test_windows_1252_pound_sign_survives(base_store: Store):
    run_ingest([IngestJob(BAD_INPUTS / "valid_cp1252_pound.csv", QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    answers = set(base_store.read_table("free_text")["answer"])
    assert "Saved us \u00a3500 on licences" in answers


def test_microsoft_forms_export_maps_question_text_to_items(base_store: Store):
    run_ingest(
        [IngestJob(FIXTURES / "msforms_valid.xlsx", FIXTURES / "msforms.yml", "T1", "follow-up")], base_store, TEST_KEY
    )
    values = _values(base_store)
    assert values[pseudonym("ada.lovelace@example.org", TEST_KEY)] == {"conf_1": 4, "conf_2": 2, "comp_1": 4}
    assert set(base_store.read_table("responses")["wave"]) == {"follow-up"}
    submitted = base_store.read_table("responses")["submitted_at"].min()
    assert str(submitted) == "2024-09-01 09:05:00"


def test_no_name_or_email_is_stored_and_free_text_is_kept_apart(base_store: Store):
    run_ingest([IngestJob(FIXTURES / "qualtrics_valid.csv", QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    content = base_store.path.read_bytes()
    for secret in (b"lovelace", b"Lovelace", b"example.org", b"Turing", b"192.0.2."):
        assert secret not in content
    responses = base_store.read_table("responses")
    assert set(responses.columns) == {
        "survey",
        "respondent",
        "cohort_id",
        "authority_code",
        "wave",
        "item_id",
        "value",
        "submitted_at",
        "source_sha256",
    }
    assert "answer" not in responses


def test_reingesting_the_same_file_is_a_no_op_that_says_so(base_store: Store):
    job = IngestJob(FIXTURES / "qualtrics_valid.csv", QUALTRICS, "T1", "endpoint")
    run_ingest([job], base_store, TEST_KEY)
    before = base_store.path.read_bytes()
    (outcome,) = run_ingest([job], base_store, TEST_KEY)
    assert outcome.status == "already ingested"
    assert base_store.path.read_bytes() == before


def test_a_corrected_reexport_needs_replace_and_then_replaces(base_store: Store, tmp_path: Path):
    run_ingest([IngestJob(FIXTURES / "qualtrics_valid.csv", QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    corrected = tmp_path / "corrected.csv"
    text = (FIXTURES / "qualtrics_valid.csv").read_text()
    corrected.write_text(
        text.replace(
            "R_test3,Berners-Lee,Tim,tim.berners-lee@example.org,,51.5,-0.12,email,EN,Agree",
            "R_test3,Berners-Lee,Tim,tim.berners-lee@example.org,,51.5,-0.12,email,EN,Strongly agree",
        )
    )
    job = IngestJob(corrected, QUALTRICS, "T1", "endpoint")
    with pytest.raises(ValidationError, match="already in the store"):
        run_ingest([job], base_store, TEST_KEY)

    run_ingest([job], base_store, TEST_KEY, replace=True)
    values = _values(base_store)
    assert values[pseudonym("tim.berners-lee@example.org", TEST_KEY)]["conf_1"] == 5
    assert len(base_store.read_table("responses")) == 12
    log = base_store.read_table("ingestion_log")
    assert log["replaced_sha256"].notna().sum() == 1


def _with_rules(tmp_path: Path, **rules: str) -> Path:
    text = QUALTRICS.read_text()
    for rule, value in rules.items():
        text = text.replace(f"  {rule}: reject", f"  {rule}: {value}").replace(
            f"  {rule}: exclude", f"  {rule}: {value}"
        )
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(text)
    return mapping


def test_duplicate_submission_keep_latest_is_logged_not_silent(base_store: Store, tmp_path: Path):
    mapping = _with_rules(tmp_path, duplicates="keep-latest")
    (outcome,) = run_ingest(
        [IngestJob(BAD_INPUTS / "duplicate_submission.csv", mapping, "T1", "endpoint")], base_store, TEST_KEY
    )
    exclusions = base_store.read_table("exclusions")
    assert list(exclusions["source_row"]) == [4]
    assert "superseded by row 8" in exclusions["reason"].iloc[0]
    assert len(outcome.exclusions) == 1
    ada = base_store.read_table("responses", "respondent = ?", [pseudonym("ada.lovelace@example.org", TEST_KEY)])
    assert set(ada["submitted_at"].astype(str)) == {"2024-06-24 10:00:00"}


def test_unknown_respondent_exclude_rule_logs_them(base_store: Store, tmp_path: Path):
    mapping = _with_rules(tmp_path, unknown_respondents="exclude")
    run_ingest([IngestJob(BAD_INPUTS / "unknown_participant.csv", mapping, "T1", "endpoint")], base_store, TEST_KEY)
    exclusions = base_store.read_table("exclusions")
    assert list(exclusions["reason"]) == ["not on the cohort roster"]
    assert list(exclusions["source_row"]) == [8]


def test_incomplete_responses_are_excluded_and_logged_by_default(base_store: Store, tmp_path: Path):
    export = tmp_path / "incomplete.csv"
    lines = (FIXTURES / "qualtrics_valid.csv").read_text().splitlines()
    lines[4] = lines[4].replace(",100,600,True,", ",60,300,False,")
    export.write_text("\n".join(lines) + "\n")
    run_ingest([IngestJob(export, QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    assert base_store.read_table("responses")["respondent"].nunique() == 3
    assert list(base_store.read_table("exclusions")["source_row"]) == [5]


def test_roster_and_survey_in_one_command_are_checked_together(tmp_path: Path):
    store = Store(tmp_path / "s.duckdb")
    jobs = [IngestJob(FIXTURES / "base" / n) for n in ("cohorts.csv", "participants.csv", "instrument.csv")]
    jobs.append(IngestJob(FIXTURES / "qualtrics_valid.csv", QUALTRICS, "T1", "baseline"))
    outcomes = run_ingest(jobs, store, TEST_KEY)
    assert [o.status for o in outcomes] == ["ingested"] * 4
    log = store.read_table("ingestion_log")
    assert len(log) == 4 and log["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    raw = sorted(p.name for p in store.raw_dir.iterdir())
    assert raw == sorted(f"{o.sha256}.csv" for o in outcomes)


def test_changed_table_row_needs_replace(base_store: Store, tmp_path: Path):
    changed = tmp_path / "cohorts.csv"
    changed.write_text((FIXTURES / "base" / "cohorts.csv").read_text().replace("Test cohort one", "Cohort 1"))
    with pytest.raises(ValidationError, match="use --replace"):
        run_ingest([IngestJob(changed)], base_store, TEST_KEY)
    (outcome,) = run_ingest([IngestJob(changed)], base_store, TEST_KEY, replace=True)
    assert outcome.rows == {"cohorts": 1} and outcome.unchanged_rows == 1
    assert set(base_store.read_table("cohorts")["name"]) == {"Cohort 1", "Test cohort two"}


def test_parse_labels_reads_the_instrument_format():
    assert parse_labels("1=Strongly disagree; 2=Disagree;5= Strongly  agree") == {
        "strongly disagree": 1.0,
        "disagree": 2.0,
        "strongly agree": 5.0,
    }
    with pytest.raises(ValueError, match="not of the form"):
        parse_labels("Agree")


def test_bad_input_files_are_not_modified(base_store: Store):
    path = BAD_INPUTS / "value_out_of_range.csv"
    before = path.read_bytes()
    with pytest.raises(ValidationError):
        run_ingest([IngestJob(path, QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    assert path.read_bytes() == before


TIDY = """respondent,cohort_id,wave,item_id,value,submitted_at
ada.lovelace@example.org,T1,baseline,conf_1,4,2024-01-10 09:00:00
 ADA.Lovelace@example.org ,T1,baseline,conf_2, Agree ,2024-01-10 09:00:00
alan.turing@example.org,T1,baseline,conf_1,strongly   AGREE,10/01/2024 10:00
alan.turing@example.org,T1,baseline,conf_2,,2024-01-10T10:00:00
alan.turing@example.org,T1,baseline,conf_1,2,2024-01-11
P-0123456789ab,T2,baseline,comp_1,3.0,2024-07-11 08:00:00
P-0123456789ab,T2,baseline,comp_1,5,2024-07-11 07:00:00
"""


def _tidy(tmp_path: Path, body: str, rules: str = "") -> IngestJob:
    export, mapping = tmp_path / "tidy.csv", tmp_path / "tidy.yml"
    export.write_text(body)
    mapping.write_text("survey: test-survey\nformat: tidy\n" + rules)
    return IngestJob(export, mapping)


def test_tidy_export_trims_cells_reads_labels_and_keeps_the_latest_answer_per_item(base_store: Store, tmp_path: Path):
    (outcome,) = run_ingest([_tidy(tmp_path, TIDY, "rules:\n  duplicates: keep-latest\n")], base_store, TEST_KEY)
    ada, alan = pseudonym("ada.lovelace@example.org", TEST_KEY), pseudonym("alan.turing@example.org", TEST_KEY)
    # Same e-mail in another case with spaces: the same person; an empty answer is not stored;
    # a pseudonym given in the file is kept as it is; the later of two answers to one item wins.
    assert _values(base_store) == {
        ada: {"conf_1": 4, "conf_2": 4},
        alan: {"conf_1": 2},
        "P-0123456789ab": {"comp_1": 3},
    }
    assert sorted(outcome.exclusions["source_row"]) == [4, 8]
    assert "superseded by row 6" in outcome.exclusions.set_index("source_row").at[4, "reason"]
    assert outcome.batches == "test-survey T1/baseline; test-survey T2/baseline"


def test_tidy_export_reports_every_bad_cell_with_its_row_and_column(base_store: Store, tmp_path: Path):
    body = (
        "respondent,cohort_id,wave,item_id,value,submitted_at\n"
        "ada.lovelace@example.org,T9,baseline,conf_2,9,2024-01-10 09:00:00\n"
        ",T1,someday,conf_x,Agree,2024-01-10 09:00:00\n"
        "alan.turing@example.org,T1,baseline,conf_1,=1+1,3024-01-10\n"
        "alan.turing@example.org,T1,baseline,conf_2,Mostly,not a date\n"
    )
    with pytest.raises(ValidationError) as refused:
        run_ingest([_tidy(tmp_path, body)], base_store, TEST_KEY)
    located = {(p.row, p.column, p.rule.split(" (")[0]) for p in refused.value.problems}
    assert {
        (2, "cohort_id", "cohort not in table 'cohorts'"),
        (2, "value", "outside the scale of item conf_2"),
        (3, "respondent", "a respondent is required"),
        (3, "wave", "not a wave"),
        (3, "value", "item conf_x is not in the instrument"),
        (4, "value", "looks like a spreadsheet formula; remove the leading = + - @"),
        (4, "submitted_at", "date is in the future"),  # a mistyped year far ahead is reported, not a crash
        (5, "submitted_at", "not a date"),
        (5, "value", "not a label of item conf_2"),
    } <= located
    assert base_store.read_table("responses").empty


def test_qualtrics_previews_and_test_responses_are_excluded_by_their_marker(base_store: Store, tmp_path: Path):
    # As Qualtrics writes them: a preview has no recipient at all and answers nothing it need not.
    lines = (FIXTURES / "qualtrics_valid.csv").read_text().splitlines()
    preview = (
        "2024-06-19 09:00:00,2024-06-19 09:01:00,Survey Preview,,100,60,True,2024-06-19 09:01:01,R_prev,"
        ",,,,,,preview,EN,Agree,,,"
    )
    test_response = (
        "2024-06-19 10:00:00,2024-06-19 10:01:00,Survey Test,,100,60,True,2024-06-19 10:01:01,R_test,"
        ",,,,,,test,EN,Agree,Agree,9,"
    )
    export = tmp_path / "with_previews.csv"
    export.write_text("\n".join(lines[:4] + [preview] + lines[4:] + [test_response]) + "\n")

    (outcome,) = run_ingest([IngestJob(export, QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)

    assert outcome.status == "ingested"
    assert _values(base_store) == _expected_by_pseudonym()
    logged = base_store.read_table("exclusions").sort_values("source_row")
    assert list(logged["source_row"]) == [5, 9]
    assert list(logged["reason"]) == [
        "Qualtrics preview or test response (DistributionChannel = preview)",
        "Qualtrics preview or test response (DistributionChannel = test)",
    ]


def test_a_question_text_with_a_line_break_keeps_every_row(base_store: Store, tmp_path: Path):
    # Qualtrics writes multi-line question text inside quotes; the header block is three records, not lines.
    export = tmp_path / "multiline_question.csv"
    text = (FIXTURES / "qualtrics_valid.csv").read_text()
    export.write_text(text.replace("What was most valuable?", '"What was\r\nmost valuable?"'), newline="")
    run_ingest([IngestJob(export, QUALTRICS, "T1", "endpoint")], base_store, TEST_KEY)
    assert _values(base_store) == _expected_by_pseudonym()
