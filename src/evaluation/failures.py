"""A bad environment met with one line: what is wrong and what to do, a non-zero exit, never a traceback.

Evaluators run the workbench on laptops and shared drives: the store may be
missing, damaged or a folder, the reports path a file, a folder read-only, a
disk full. Each command checks the paths it is given before it starts, and
:func:`one_line_errors` turns the operating system's and DuckDB's failures
into a sentence naming the path. The failing write is rolled back by the
store and runner themselves, so the sentence can say nothing was changed.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .locks import LockBusy, holder


class EnvironmentProblem(Exception):
    """Something about the paths or the machine, not the input, stops a command; the message says what to do."""


def check_store(path: Path, *, must_exist: bool) -> None:
    """The store path names a file (or nothing yet), inside a folder; raises :class:`EnvironmentProblem`."""
    if path.is_dir():
        raise EnvironmentProblem(
            f"the store path {path} is a folder, not a store file; give the file, "
            f"for example --store {path / 'workbench.duckdb'}"
        )
    if path.parent.exists() and not path.parent.is_dir():
        raise EnvironmentProblem(f"the store's folder {path.parent} is a file; move it or give another --store")
    if must_exist and not path.exists():
        raise EnvironmentProblem(f"there is no store at {path}; run `workbench ingest` first, or give --store")


def check_reports(path: Path) -> None:
    """The reports path names a folder (or nothing yet); raises :class:`EnvironmentProblem`."""
    if path.exists() and not path.is_dir():
        raise EnvironmentProblem(
            f"the reports path {path} is a file, not a folder; move it or give another --reports folder"
        )


def describe_os_error(error: OSError) -> str:
    """The one line for an operating-system failure."""
    where = error.filename or "a file"
    if error.errno == errno.ENOSPC:
        return f"no space left on the disk holding {where}; free some space and run again (nothing was changed)"
    if error.errno == errno.EROFS:
        return f"{where} is on a read-only file system; give a writable location (nothing was changed)"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied for {where}; give a location you may write to (nothing was changed)"
    return f"{error.strerror or error} ({where}); nothing was changed"


def describe_duckdb_error(error: Exception, store: Path) -> str:
    """The one line for a DuckDB failure on the store file."""
    text = str(error)
    if "Could not set lock" in text:
        return (
            f"the store at {store} is in use by {holder(store.with_name(store.name + '.lock'))}; "
            "wait for it to finish and run again"
        )
    if "No space left" in text:
        return f"no space left on the disk holding {store}; free some space and run again (nothing was changed)"
    if "Read-only file system" in text or "Permission denied" in text:
        reason = "read-only file system" if "Read-only" in text else "permission denied"
        return f"cannot write the store at {store} ({reason}); give a writable --store (nothing was changed)"
    return (
        f"the store at {store} cannot be read (damaged, or not a workbench store: {text.splitlines()[0][:120]}); "
        "restore it from a backup, or move it aside and ingest the files again"
    )


@contextmanager
def one_line_errors(store: Path | None = None) -> Iterator[None]:
    """Turn environment failures inside the block into :class:`EnvironmentProblem` with one line."""
    import duckdb

    try:
        yield
    except LockBusy as error:
        raise EnvironmentProblem(str(error)) from None
    except OSError as error:
        raise EnvironmentProblem(describe_os_error(error)) from None
    except duckdb.Error as error:
        raise EnvironmentProblem(describe_duckdb_error(error, store or Path("the store"))) from None
