"""The store: one embedded DuckDB file holding every validated table.

Writes happen only through :meth:`Store.write`, in one transaction, after the
input has been validated in full; a failure rolls back and leaves the file as
it was. Raw input files are kept, untouched, in a content-addressed folder
beside the database (``raw/<sha256>.<ext>``). Readers open the file read-only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
                rows = con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL '
                                   f'ORDER BY 1').fetchall()
                values[source] = tuple(str(r[0]) for r in rows)
        return values

    def logged_sha256(self) -> set[str]:
        """Hashes of every file already ingested."""
        if not self.exists():
            return set()
        with self.connect() as con:
            return {row[0] for row in con.execute("SELECT sha256 FROM ingestion_log").fetchall()}

    def write(self, batch: WriteBatch) -> None:
        """Apply a batch in one transaction; on any failure the store and raw area are unchanged."""
        import duckdb

        created = not self.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staged = self._stage_raw_files(batch.raw_files)
        con = duckdb.connect(str(self.path))
        try:
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
            for entry in batch.log:
                names = ", ".join(entry)
                marks = ", ".join("?" for _ in entry)
                con.execute(f"INSERT INTO ingestion_log ({names}) VALUES ({marks})", list(entry.values()))
            con.commit()
        except BaseException:
            con.rollback()
            con.close()
            for temp, _ in staged:
                temp.unlink(missing_ok=True)
            if created:
                self.path.unlink(missing_ok=True)
            raise
        con.execute("CHECKPOINT")
        con.close()
        for temp, final in staged:
            temp.replace(final)

    def _stage_raw_files(self, raw_files: list[tuple[Path, str]]) -> list[tuple[Path, Path]]:
        # Raw exports hold names and e-mails as received: only the owner may read them.
        self.raw_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.raw_dir.chmod(0o700)
        staged = []
        for source, sha in raw_files:
            final = self.raw_dir / f"{sha}{source.suffix.lower()}"
            if final.exists():
                continue
            temp = final.with_name(final.name + ".partial")
            shutil.copyfile(source, temp)
            temp.chmod(0o600)
            staged.append((temp, final))
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
