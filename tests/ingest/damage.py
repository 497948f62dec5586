"""Valid demo exports damaged the way real ones get damaged, and the rule every damaged file must obey.

Shared by the property test (tests/ingest/test_damaged_exports.py, a bounded number of examples) and the
fuzz script (benchmarks/ingest_fuzz.py, many more). The rule: a damaged export is either refused with
problems that name the file and (unless the whole file is at fault) its row, or accepted with

- exactly the rows of the original, for damage that leaves every record intact (a header row deleted or
  duplicated, whole columns swapped, another encoding);
- for a cut: only if the cut fell at the end of a record, and then exactly the original rows of the
  respondents it kept;
- for bytes inserted or deleted inside the data: the same respondents, the same exclusions, and changes in
  the answers of one respondent at most (a byte removed from a date or a free-text answer leaves a valid,
  different cell that no check can tell from the truth).

Anything else, a traceback included, is a failure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from evaluation.ingest.pseudonymise import DEMO_KEY
from evaluation.ingest.service import IngestJob, read_plan
from evaluation.ingest.survey_exports import load_mapping
from evaluation.ingest.surveys import SurveyContext, parse_survey
from evaluation.schemas.core import ValidationError
from evaluation.store import Store
from support import ROOT

PLAN = [job for job in read_plan(ROOT / "data" / "demo" / "ingest.yml")]
EXPORTS = [job for job in PLAN if job.path.name.endswith("_qualtrics.csv")]
ROSTER = [job for job in PLAN if job.path.name == "programme.xlsx"]
CLOCK = dt.datetime(2030, 1, 1)
# Problems about the whole file, which have no row to name.
WHOLE_FILE = ("UTF-16", "the file is empty", "no data rows", "Excel (zip)", "cannot be decoded")
DAMAGE_BYTES = (b'"', b",", b"\n", b"\r\n", b"\r", b"\x00", b"\xff", b";", b"\t", b"\xe2\x80")


@dataclass(frozen=True)
class Damage:
    """One damaged export: which export, what was done, and the damaged bytes."""

    job: IngestJob
    kind: str  # cut, insert, delete, delete-header-row, duplicate-header-row, swap-columns, encoding
    detail: str
    data: bytes


def context(store: Store) -> SurveyContext:
    """The roster and instrument the demo exports are checked against."""
    return SurveyContext(
        store.read_table("instrument"),
        store.read_table("cohorts"),
        store.read_table("participants"),
        store.read_table("authorities"),
    )


def stored_rows(job: IngestJob, path: Path, survey_context: SurveyContext) -> dict[str, list[tuple]]:
    """What an ingest of ``path`` read as ``job`` would store: responses, free text and exclusions."""
    parsed = parse_survey(
        path,
        load_mapping(job.mapping),
        survey_context,
        DEMO_KEY,
        cohort=job.cohort,
        wave=job.wave,
        source_sha256="",
        now=CLOCK,
    )
    return {
        "responses": sorted(tuple(r.values()) for r in parsed.responses.to_pylist()),
        "free_text": sorted(tuple(r.values()) for r in parsed.free_text.to_pylist()),
        "exclusions": sorted(
            tuple(r) for r in parsed.exclusions[["source_row", "respondent", "reason"]].itertuples(index=False)
        ),
    }


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _text(data: bytes) -> tuple[str, str]:
    """The export's text and encoding (the demo writes UTF-8 with a BOM, and Windows-1252 as Excel does)."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def _swap_columns(data: bytes, first: int, second: int) -> bytes:
    text, encoding = _text(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        row[first], row[second] = row[second], row[first]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


@st.composite
def damaged_exports(draw: st.DrawFn) -> Damage:
    """A demo Qualtrics export with one kind of damage."""
    job = draw(st.sampled_from(EXPORTS))
    data = job.path.read_bytes()
    kind = draw(
        st.sampled_from(
            ["cut", "insert", "delete", "delete-header-row", "duplicate-header-row", "swap-columns", "encoding"]
        )
    )
    if kind == "cut":
        at = draw(st.integers(0, len(data) - 1))
        return Damage(job, kind, f"cut at byte {at}", data[:at])
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        payload = draw(st.one_of(st.sampled_from(DAMAGE_BYTES), st.binary(min_size=1, max_size=4)))
        return Damage(job, kind, f"{payload!r} inserted at byte {at}", data[:at] + payload + data[at:])
    if kind == "delete":
        at = draw(st.integers(0, len(data) - 1))
        count = draw(st.integers(1, 4))
        return Damage(job, kind, f"{data[at : at + count]!r} deleted at byte {at}", data[:at] + data[at + count :])
    if kind in ("delete-header-row", "duplicate-header-row"):
        lines = _lines(data)
        row = draw(st.integers(0, 2))
        kept = lines[:row] + ([lines[row]] if kind == "duplicate-header-row" else []) + lines[row:]
        if kind == "delete-header-row":
            kept = lines[:row] + lines[row + 1 :]
        return Damage(job, kind, f"header row {row + 1}", b"".join(kept))
    if kind == "swap-columns":
        width = len(next(csv.reader([_text(data)[0].splitlines()[0]])))
        first = draw(st.integers(0, width - 2))
        second = draw(st.integers(first + 1, width - 1))
        return Damage(job, kind, f"columns {first + 1} and {second + 1}", _swap_columns(data, first, second))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"]))
    return Damage(job, kind, encoding, _text(data)[0].encode(encoding, errors="replace"))


def judge(damage: Damage, folder: Path, original: dict[str, list[tuple]], survey_context: SurveyContext) -> str:
    """Ingest-check the damaged file; the outcome's name, or AssertionError if it breaks the rule."""
    path = folder / damage.job.path.name
    path.write_bytes(damage.data)
    where = f"{damage.job.path.name}, {damage.kind} ({damage.detail})"
    try:
        rows = stored_rows(damage.job, path, survey_context)
    except ValidationError as refused:
        for problem in refused.problems:
            assert problem.file.startswith((path.name, damage.job.mapping.name)), f"{where}: {problem}"
            assert problem.row is not None or any(w in problem.rule for w in WHOLE_FILE), f"{where}: {problem}"
        return "refused"
    if rows == original:
        return "identical"
    if damage.kind == "cut":
        assert damage.data.endswith((b"\n", b"\r")), f"{where}: a cut inside a record was accepted"
        for table in rows:
            assert set(rows[table]) <= set(original[table]), f"{where}: rows not in the original ({table})"
        return "accepted a cut at a record boundary (the original's rows, fewer respondents)"
    assert damage.kind in ("insert", "delete"), f"{where}: accepted with different rows"
    respondents = {r[1] for r in original["responses"]}
    assert {r[1] for r in rows["responses"]} == respondents, f"{where}: different respondents, no error"
    assert rows["exclusions"] == original["exclusions"], f"{where}: different exclusions, no error"
    changed = {r[1] for table in ("responses", "free_text") for r in set(rows[table]) ^ set(original[table])}
    assert len(changed) <= 1, f"{where}: the answers of {len(changed)} respondents changed"
    return "accepted with one respondent's cell changed"
