"""The store: one embedded DuckDB file holding every validated table.

Writes happen only through :meth:`Store.write`, in one transaction, after the
input has been validated in full; a failure rolls back and leaves the file as
it was. Raw input files are kept, untouched, in a content-addressed folder
beside the database (``raw/<sha256>.<ext>``). Readers open the file read-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .reference import london_authorities
from .schemas import TABLES

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

    from .schemas.core import Problem

INGESTION_LOG_DDL = """
CREATE TABLE IF NOT EXISTS ingestion_log (
    source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, tables VARCHAR, batch VARCHAR,
    rows_accepted BIGINT, rows_excluded BIGINT, ingested_at TIMESTAMP, command VARCHAR, replaced_sha256 VARCHAR
)"""
EXCLUSIONS_DDL = """
CREATE TABLE IF NOT EXISTS exclusions (
    source_sha256 VARCHAR, source_file VARCHAR, source_row BIGINT, respondent VARCHAR, reason VARCHAR
)"""


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class WriteBatch:
    """Everything one ingest command writes, applied in a single transaction."""

    # Rows of a table to delete first: those matching every column of a frame of keys.
    deletes: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    inserts: list[tuple[str, pd.DataFrame | pa.Table]] = field(default_factory=list)
    log: list[dict[str, object]] = field(default_factory=list)
    exclusions: list[pd.DataFrame] = field(default_factory=list)
    raw_files: list[tuple[Path, str]] = field(default_factory=list)  # source path, sha256


class Store:
    """An embedded DuckDB database file and its raw-file area."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.raw_dir = self.path.parent / "raw"
        self._shared: duckdb.DuckDBPyConnection | None = None

    def exists(self) -> bool:
        return self.path.exists()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection (an empty in-memory database with the authorities if no store exists)."""
        import duckdb

        if self._shared is not None:
            yield self._shared
            return
        if self.exists():
            con = duckdb.connect(str(self.path), read_only=True)
        else:
            con = duckdb.connect(":memory:")
            _create_tables(con)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Serve every read inside the block from one read-only connection (opening one costs ~20 ms).

        Close the block before :meth:`write`: DuckDB refuses a read-write
        connection while this process holds a read-only one to the same file.
        """
        with self.connect() as con:
            self._shared = con
            try:
                yield
            finally:
                self._shared = None

    def read_table(self, name: str, where: str = "", params: list[object] | None = None) -> pd.DataFrame:
        """A table (optionally filtered by a SQL ``WHERE`` clause with ``?`` parameters) as a DataFrame."""
        if name not in TABLES and name not in ("ingestion_log", "exclusions"):
            raise KeyError(f"no table '{name}' in the store (tables: {', '.join(TABLES)})")
        with self.connect() as con:
            sql = f'SELECT * FROM "{name}"' + (f" WHERE {where}" if where else "")
            return con.execute(sql, params or []).df()

    def content_sha256(self, name: str, where: str = "", params: list[object] | None = None) -> str:
        """SHA-256 of a table's rows (order-independent), as an analysis reads them."""
        return self.content_sha256_many([(name, where, params or [])])[0]

    def content_sha256_many(self, reads: list[tuple[str, str, list[object]]]) -> list[str]:
        """:meth:`content_sha256` of several reads over one connection."""
        hashes = []
        with self.connect() as con:
            for name, where, params in reads:
                if name not in TABLES:
                    raise KeyError(f"no table '{name}' in the store")
                inner = f'SELECT * FROM "{name}"' + (f" WHERE {where}" if where else "")
                sql = f"SELECT string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR) FROM ({inner}) t"
                text = con.execute(sql, list(params)).fetchall()[0][0] or ""
                hashes.append(hashlib.sha256(text.encode()).hexdigest())
        return hashes

    def distinct_values(self, sources: list[str]) -> dict[str, tuple[str, ...]]:
        """Sorted distinct values of ``table.column`` sources (for one run per cohort, project, ...)."""
        values = {}
        with self.connect() as con:
            for source in sources:
                table, _, column = source.partition(".")
                if table not in TABLES or column not in TABLES[table].column_names:
                    raise KeyError(f"no column '{source}' in the store")
                rows = con.execute(
                    f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL ORDER BY 1'
                ).fetchall()
                values[source] = tuple(str(r[0]) for r in rows)
        return values

    def logged_sha256(self) -> set[str]:
        """Hashes of every file already ingested."""
        if not self.exists():
            return set()
        with self.connect() as con:
            return {row[0] for row in con.execute("SELECT sha256 FROM ingestion_log").fetchall()}

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def writing(self, *, wait: float = 0.0) -> Iterator[list[str]]:
        """Hold the store's writer lock; first finish or clean up what an interrupted writer left.

        Yields the repairs made (sentences for the user). Raises
        :class:`~evaluation.locks.LockBusy` if another writer holds the lock
        after ``wait`` seconds.
        """
        from .locks import exclusive

        with exclusive(self.lock_path, f"the store at {self.path}", wait=wait):
            yield self.recover()

    def recover(self) -> list[str]:
        """Remove what an ingest killed part-way left behind; call only while holding the writer lock.

        Every write archives the raw copies before its transaction commits and
        creates a new store under a temporary name, so a killed ingest can leave
        only: ``raw/*.partial`` copies, raw copies of files that never committed,
        a ``*.creating-*`` database, or (from versions before this order) a store
        file without tables. Each is removed and said.
        """
        repairs = []
        for leftover in sorted(self.path.parent.glob(f"{self.path.name}.creating-*")):
            leftover.unlink(missing_ok=True)
            repairs.append(f"removed {leftover.name}, a store whose creation was interrupted")
        if self.exists() and self.path.is_file() and not self._has_tables():
            self.path.unlink()
            self.path.with_name(self.path.name + ".wal").unlink(missing_ok=True)
            repairs.append(f"removed {self.path.name}: an empty store left by an interrupted first ingest")
        journal = self.path.with_name(self.path.name + ".wal")
        if journal.exists() and self.exists():
            import duckdb

            con = duckdb.connect(str(self.path))  # replays the committed transactions the journal holds
            con.execute("CHECKPOINT")
            con.close()
            repairs.append(
                f"applied {journal.name}: the journal of a write that committed but was interrupted "
                "before it was written into the store file"
            )
        if self.raw_dir.is_dir():
            logged = self.logged_sha256()
            for leftover in sorted(self.raw_dir.iterdir()):
                if leftover.name.endswith(".partial") or leftover.name.split(".")[0] not in logged:
                    leftover.unlink()
                    repairs.append(f"removed raw/{leftover.name}, the raw copy of an ingest that never committed")
        return repairs

    def _has_tables(self) -> bool:
        import duckdb

        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return bool(con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()[0][0])
        finally:
            con.close()

    def raw_archive_problems(self) -> list[Problem]:
        """Logged files whose raw copy is missing, and raw copies no log entry explains."""
        from .schemas.core import Problem

        archived = {p.name.split(".")[0]: p.name for p in self.raw_dir.iterdir()} if self.raw_dir.is_dir() else {}
        problems = []
        log = self.read_table("ingestion_log") if self.exists() else None
        for entry in [] if log is None else log.itertuples():
            sha256, source = str(entry.sha256), str(entry.source_file)  # text columns of the log
            if sha256 not in archived:
                problems.append(
                    Problem(
                        f"raw/{sha256[:12]}...",
                        None,
                        None,
                        source,
                        f"the raw copy of {source} (ingested {entry.ingested_at}) is "
                        "missing; ingest the same file again to restore it",
                    )
                )
        logged = set() if log is None else set(log["sha256"])
        for sha, name in archived.items():
            if sha not in logged:
                problems.append(
                    Problem(
                        f"raw/{name}",
                        None,
                        None,
                        None,
                        "a raw copy that no ingest logged; run `workbench ingest` or `workbench validate` to remove it",
                    )
                )
        return problems

    def restore_raw(self, source: Path, sha: str) -> bool:
        """Archive ``source`` (already logged under ``sha``) if its raw copy is missing; whether it was."""
        if any(self.raw_dir.glob(f"{sha}.*")):
            return False
        for temp, final in self._stage_raw_files([(source, sha)]):
            temp.replace(final)
        return True

    def write(self, batch: WriteBatch) -> None:
        """Apply a batch in one transaction; on any failure the store and raw area are unchanged.

        The order makes a crash at any instant recoverable (:meth:`recover`):
        the raw copies are archived first (each written aside and renamed), then
        the transaction commits; a new store is built under a temporary name and
        renamed into place only once complete. So a committed ingest always has
        its raw copies, and a store file always has its tables.
        """
        import duckdb

        from .faults import fault_point

        created = not self.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        target = self.path.with_name(f"{self.path.name}.creating-{os.getpid()}") if created else self.path
        staged = self._stage_raw_files(batch.raw_files)
        fault_point("archiving")
        for temp, final in staged:
            temp.replace(final)
        fault_point("archived")
        con = None
        try:
            con = duckdb.connect(str(target))
            con.begin()
            _create_tables(con)
            for table, keys in batch.deletes:
                con.register("doomed", keys)
                match = " AND ".join(f'd."{c}" IS NOT DISTINCT FROM "{table}"."{c}"' for c in keys.columns)
                con.execute(f'DELETE FROM "{table}" WHERE EXISTS (SELECT 1 FROM doomed d WHERE {match})')
                con.unregister("doomed")
            for table, frame in batch.inserts:
                con.register("incoming", _arrow_table(frame))
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
                con.unregister("incoming")
            for frame in batch.exclusions:
                con.register("incoming", frame)
                con.execute("INSERT INTO exclusions BY NAME SELECT * FROM incoming")
                con.unregister("incoming")
            fault_point("inserting")
            for entry in batch.log:
                names = ", ".join(entry)
                marks = ", ".join("?" for _ in entry)
                con.execute(f"INSERT INTO ingestion_log ({names}) VALUES ({marks})", list(entry.values()))
            con.commit()
        except BaseException:
            if con is not None:
                with contextlib.suppress(duckdb.Error):  # a full disk can fail the rollback too
                    con.rollback()
                con.close()
            for _, final in staged:
                final.unlink(missing_ok=True)
            if created:
                target.unlink(missing_ok=True)
                target.with_name(target.name + ".wal").unlink(missing_ok=True)
            raise
        fault_point("committing")
        con.execute("CHECKPOINT")
        con.close()
        if created:
            target.replace(self.path)

    def _stage_raw_files(self, raw_files: list[tuple[Path, str]]) -> list[tuple[Path, Path]]:
        # Raw exports hold names and e-mails as received: only the owner may read them.
        self.raw_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.raw_dir.chmod(0o700)
        staged: list[tuple[Path, Path]] = []
        try:
            for source, sha in raw_files:
                final = self.raw_dir / f"{sha}{source.suffix.lower()}"
                if final.exists():
                    continue
                temp = final.with_name(final.name + ".partial")
                staged.append((temp, final))
                shutil.copyfile(source, temp)
                temp.chmod(0o600)
                with temp.open("rb") as handle:  # on disk before the log says it is there
                    os.fsync(handle.fileno())
        except BaseException:  # a full disk, say: no half-written copy stays
            for temp, _ in staged:
                temp.unlink(missing_ok=True)
            raise
        return staged


def _arrow_table(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """The rows as an Arrow table in one chunk per column: DuckDB scans that fastest (many small chunks,
    as a CSV reader gives them, cost it about half as much again per string column)."""
    import pyarrow as pa

    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    return table.combine_chunks()


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for schema in TABLES.values():
        con.execute(schema.duckdb_ddl())
    con.execute(INGESTION_LOG_DDL)
    con.execute(EXCLUSIONS_DDL)
    if con.execute("SELECT count(*) FROM authorities").fetchall()[0][0] == 0:
        con.register("reference_authorities", london_authorities())
        con.execute("INSERT INTO authorities BY NAME SELECT * FROM reference_authorities")
        con.unregister("reference_authorities")


def now() -> dt.datetime:
    """The time stamped on log entries (UTC, second resolution)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
