"""``workbench ingest`` and ``workbench validate``: files in, one all-or-nothing write out.

Every file named in one command is validated in full, in order, each against
the store plus the files before it (so a roster and its surveys can arrive
together). Only when no file has a problem is anything written, in one
transaction. A file already ingested (same SHA-256) is skipped and said so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schemas import TABLES
from ..schemas.core import Problem, ValidationError
from ..schemas.validation import foreign_key_problems
from ..store import Store, WriteBatch, file_sha256, now
from .survey_exports import load_mapping
from .surveys import SurveyContext, parse_survey
from .tables import in_users_terms, parse_tables


@dataclass(frozen=True)
class IngestJob:
    """One input file and how to read it (a mapping file makes it a survey export)."""

    path: Path
    mapping: Path | None = None
    cohort: str | None = None
    wave: str | None = None


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: Path
    sha256: str
    status: str  # "ingested", "already ingested", "validated"
    rows: dict[str, int] = field(default_factory=dict)
    unchanged_rows: int = 0
    exclusions: pd.DataFrame | None = None
    batches: str = ""  # survey, cohort and wave of a survey export
    replaced: list[str] = field(default_factory=list)  # hashes of the exports it replaces


def read_plan(plan: Path) -> list[IngestJob]:
    """Jobs from a YAML plan: ``files: [{path, mapping?, cohort?, wave?}, ...]``, paths relative to the plan."""
    import yaml

    doc = yaml.safe_load(plan.read_text(encoding="utf-8")) or {}
    entries = doc.get("files")
    if not isinstance(entries, list) or not entries:
        raise ValidationError([Problem(plan.name, None, "files", None, "a plan lists its files under 'files:'")])
    jobs = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "path" not in entry:
            raise ValidationError([Problem(plan.name, None, f"files[{number}]", None, "each file needs a path")])
        jobs.append(
            IngestJob(
                plan.parent / entry["path"],
                plan.parent / entry["mapping"] if entry.get("mapping") else None,
                entry.get("cohort"),
                entry.get("wave"),
            )
        )
    return jobs


class _Overlay:
    """The store's tables as they will be after the pending files are written."""

    def __init__(self, store: Store):
        self.store = store
        self.tables: dict[str, pd.DataFrame] = {}

    def get(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            self.tables[name] = self.store.read_table(name)
        return self.tables[name]

    def add(self, name: str, frame: pd.DataFrame, replaced_keys: pd.DataFrame | None = None) -> None:
        current = self.get(name)
        if replaced_keys is not None and not replaced_keys.empty:
            key = list(TABLES[name].primary_key)
            current = current[~_key_index(current, key).isin(_key_index(replaced_keys, key))]
        self.tables[name] = pd.concat([current, frame.reset_index(drop=True)], ignore_index=True)


def _key_index(frame: pd.DataFrame, key: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[key].astype("string").fillna(""))


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as comparable text, whatever dtype the store or the reader gave them."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.strftime("%Y-%m-%d %H:%M:%S")
    return out.astype("string").fillna("")


def _table_changes(
    name: str, frame: pd.DataFrame, file: str, overlay: _Overlay, replace: bool
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Split incoming rows into new rows and replaced keys; changed rows need ``--replace``."""
    key = list(TABLES[name].primary_key)
    stored = overlay.get(name)
    if stored.empty:
        return frame, frame.iloc[0:0], []
    columns = list(TABLES[name].column_names)
    incoming_keys = _key_index(frame, key)
    in_store = incoming_keys.isin(_key_index(stored, key))
    if not in_store.any():
        return frame, frame.iloc[0:0], []
    stored_rows = _canonical(stored[columns]).set_index(key)
    overlapping = _canonical(frame[columns][in_store]).set_index(key, drop=False)
    same = (
        overlapping[[c for c in columns if c not in key]].to_numpy()
        == stored_rows.loc[overlapping.index, [c for c in columns if c not in key]].to_numpy()
    ).all(axis=1)
    changed_rows = frame.index[in_store][~same]
    unchanged_rows = frame.index[in_store][same]
    problems = []
    if len(changed_rows) and not replace:
        problems = [
            Problem(
                file,
                int(r),
                key[-1],
                " / ".join(str(frame.at[r, k]) for k in key),
                "a different row with this key is already in the store; use --replace to replace it",
            )
            for r in changed_rows
        ]
    new = frame.drop(index=unchanged_rows)
    return new, frame.loc[changed_rows, key], problems


def run_ingest(
    jobs: list[IngestJob],
    store: Store,
    key: bytes,
    *,
    replace: bool = False,
    write: bool = True,
    command: str = "",
    clock: dt.datetime | None = None,
    wait: float = 0.0,
    repairs: list[str] | None = None,
) -> list[FileOutcome]:
    """Validate every job; if all are acceptable and ``write`` is true, store them in one transaction.

    Writing holds the store's writer lock from the first read to the commit
    (waiting up to ``wait`` seconds for another writer), so what was validated
    is what is written; what an interrupted ingest left is cleaned up first and
    said in ``repairs``. Raises :class:`ValidationError` carrying the problems
    of every file, or :class:`~evaluation.locks.LockBusy`.
    """
    if not write:
        return _stage_all(jobs, store, key, replace, command, clock)[0]
    with store.writing(wait=wait) as repaired:
        if repairs is not None:
            repairs += repaired
        outcomes, batch = _stage_all(jobs, store, key, replace, command, clock)
        if batch.log:
            store.write(batch)
        for outcome in outcomes:
            if outcome.status == "validated":
                outcome.status = "ingested"
            elif store.restore_raw(outcome.path, outcome.sha256):
                # Logged by an ingest killed before this order of steps existed: the same bytes repair it.
                outcome.status = "already ingested; its missing raw copy restored"
                if repairs is not None:
                    repairs.append(
                        f"restored the missing raw copy of {outcome.path.name} from this file (same SHA-256)"
                    )
    return outcomes


def _stage_all(
    jobs: list[IngestJob], store: Store, key: bytes, replace: bool, command: str, clock: dt.datetime | None
) -> tuple[list[FileOutcome], WriteBatch]:
    """Validate every job against the store and the jobs before it; the batch that would store them all."""
    from ..faults import fault_point

    batch = WriteBatch()
    outcomes: list[FileOutcome] = []
    problems: list[Problem] = []
    stamp = clock or now()
    with store.reading():  # one connection for every read; closed before the write opens its own
        overlay = _Overlay(store)
        known = store.logged_sha256()
        fault_point("validating")
        for job in jobs:
            if not job.path.exists():
                problems.append(Problem(str(job.path), None, None, None, "file not found"))
                continue
            sha = file_sha256(job.path)
            if sha in known:
                outcomes.append(FileOutcome(job.path, sha, "already ingested"))
                continue
            known.add(sha)
            try:
                if job.mapping is None:
                    outcome = _stage_tables(job, sha, key, overlay, batch, replace, clock)
                else:
                    outcome = _stage_survey(job, sha, key, overlay, batch, replace, store, clock)
            except ValidationError as error:
                problems += error.problems
                continue
            outcomes.append(outcome)
            batch.raw_files.append((job.path, sha))
            batch.log.append(
                {
                    "source_file": job.path.name,
                    "sha256": sha,
                    "kind": "tables" if job.mapping is None else "survey",
                    "tables": ", ".join(outcome.rows),
                    "batch": outcome.batches or None,
                    "rows_accepted": sum(outcome.rows.values()),
                    "rows_excluded": 0 if outcome.exclusions is None else len(outcome.exclusions),
                    "ingested_at": stamp,
                    "command": command,
                    "replaced_sha256": ", ".join(outcome.replaced) or None,
                }
            )
            outcome.status = "validated"
    if problems:
        raise ValidationError(problems)
    return outcomes, batch


def _stage_tables(
    job: IngestJob, sha: str, key: bytes, overlay: _Overlay, batch: WriteBatch, replace: bool, clock: dt.datetime | None
) -> FileOutcome:
    parsed = parse_tables(job.path, key, clock)
    problems: list[Problem] = []
    outcome = FileOutcome(job.path, sha, "validated")
    for name, (frame, file) in parsed.items():
        # References may point at rows of this same file (tables are in dependency order).
        problems += in_users_terms(
            foreign_key_problems(
                frame, TABLES[name], {t: overlay.get(t) for t in {fk.table for fk in TABLES[name].foreign_keys}}, file
            ),
            TABLES[name],
        )
        new, replaced, found = _table_changes(name, frame, file, overlay, replace)
        problems += in_users_terms(found, TABLES[name])
        if problems:
            continue
        overlay.add(name, new, replaced)
        if not replaced.empty:
            batch.deletes.append((name, replaced.reset_index(drop=True)))
        if not new.empty:
            batch.inserts.append((name, new.reset_index(drop=True)))
        outcome.rows[name] = len(new)
        outcome.unchanged_rows += len(frame) - len(new)
    if problems:
        raise ValidationError(problems)
    return outcome


def _stage_survey(
    job: IngestJob,
    sha: str,
    key: bytes,
    overlay: _Overlay,
    batch: WriteBatch,
    replace: bool,
    store: Store,
    clock: dt.datetime | None,
) -> FileOutcome:
    assert job.mapping is not None  # _stage_all sends only jobs with a mapping file here
    mapping = load_mapping(job.mapping)
    context = SurveyContext(
        overlay.get("instrument"), overlay.get("cohorts"), overlay.get("participants"), overlay.get("authorities")
    )
    parsed = parse_survey(
        job.path, mapping, context, key, cohort=job.cohort, wave=job.wave, source_sha256=sha, now=clock
    )
    problems = []
    replaced: list[str] = []
    with store.connect() as con:
        for cohort, wave in parsed.batches:
            earlier = con.execute(
                "SELECT DISTINCT source_sha256 FROM responses WHERE survey = ? AND wave = ? "
                "AND cohort_id IS NOT DISTINCT FROM ?",
                [mapping.survey, wave, cohort],
            ).fetchall()
            pending = [
                t for t, rows in batch.inserts if t == "responses" and _holds_batch(rows, mapping.survey, cohort, wave)
            ]
            label = f"survey {mapping.survey}, cohort {cohort or '-'}, wave {wave}"
            if pending:
                problems.append(
                    Problem(job.path.name, None, None, None, f"{label} also comes from another file in this command")
                )
            elif earlier and not replace:
                problems.append(
                    Problem(
                        job.path.name,
                        None,
                        None,
                        None,
                        f"{label} is already in the store (from another file); "
                        "to replace it with this export, run again with --replace",
                    )
                )
            elif earlier:
                replaced += [r[0] for r in earlier]
                for table in ("responses", "free_text"):
                    batch.deletes.append((table, pd.DataFrame({"source_sha256": [r[0] for r in earlier]})))
    if problems:
        raise ValidationError(problems)
    batch.inserts += [("responses", parsed.responses), ("free_text", parsed.free_text)]
    if not parsed.exclusions.empty:
        batch.exclusions.append(parsed.exclusions)
    batches = "; ".join(f"{mapping.survey} {c or '-'}/{w}" for c, w in parsed.batches)
    return FileOutcome(
        job.path,
        sha,
        "validated",
        {"responses": len(parsed.responses), "free_text": len(parsed.free_text)},
        exclusions=parsed.exclusions,
        batches=batches,
        replaced=replaced,
    )


def _holds_batch(responses: pa.Table, survey: str, cohort: str | None, wave: str) -> bool:
    """Whether staged responses include the survey's cohort and wave."""
    same = pc.and_(
        pc.and_(pc.equal(responses["survey"], survey), pc.equal(responses["wave"], wave)),
        pc.equal(pc.fill_null(responses["cohort_id"], ""), cohort or ""),
    )
    return bool(pc.any(same).as_py())


def validate_store(store: Store) -> list[Problem]:
    """Cross-table rules over the whole store: every reference resolves; every logged file has its raw copy,
    every raw copy its log entry."""
    tables = {name: store.read_table(name) for name in TABLES}
    problems = store.raw_archive_problems()
    for name, schema in TABLES.items():
        problems += foreign_key_problems(tables[name], schema, tables, f"store table '{name}'")
    return problems
