"""One writer at a time: an advisory lock file that says who holds it.

``workbench ingest`` locks the store and ``workbench run`` locks the reports
folder. The lock is ``flock`` on a file beside what it protects, so the
kernel releases it however the holder dies (``kill -9`` included); the file
holds the holder's pid, command and start time, so a second command can say
who it is waiting for. The holder removes the file when it finishes; a file
left by a killed holder is taken over by the next command, which removes it
in turn.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path


class LockBusy(Exception):
    """Another process holds the lock; the message says who, since when, and what to do."""


def holder(path: Path) -> str:
    """Who holds a lock, as a person reads it: "`workbench ingest` (pid 123, since 2026-12-07 13:00:00 UTC)"."""
    try:
        info = json.loads(path.read_text())
        return f"`{info['command']}` (pid {info['pid']}, since {info['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextlib.contextmanager
def exclusive(path: Path, what: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock file ``path`` for the block, waiting up to ``wait`` seconds for another holder.

    ``what`` describes the protected thing in the refusal ("the store at data/store/workbench.duckdb is
    being written by ..."). Raises :class:`LockBusy` if the lock is still held after ``wait`` seconds.
    A folder created for the lock is removed again if the block leaves it empty.
    """
    made_folder = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise LockBusy(
                    f"{what} is in use by {holder(path)}; wait for it to finish, or run again with "
                    "--wait SECONDS to queue behind it"
                ) from None
            time.sleep(0.1)
            continue
        # The previous holder removes the file as it releases it: lock the file that is on disk now.
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == os.fstat(descriptor).st_ino:
                break
        os.close(descriptor)
    try:
        since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        command = "workbench " + " ".join(sys.argv[1:2]) if Path(sys.argv[0]).name == "workbench" else sys.argv[0]
        os.ftruncate(descriptor, 0)
        os.write(descriptor, json.dumps({"pid": os.getpid(), "command": command, "since": since}).encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # before unlocking, so that a waiting process retries on a new file
        os.close(descriptor)
        if made_folder:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
