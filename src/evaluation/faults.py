"""A test hook for crash consistency: die at a named step, as ``kill -9`` or the OOM killer would.

The fault-injection tests (tests/ingest/test_crash_consistency.py) set
``WORKBENCH_TEST_KILL_AT`` to one phase name and run a real ``workbench``
command in a subprocess; when the command reaches that phase it sends itself
``SIGKILL``, so no ``finally`` clause, ``atexit`` handler or destructor runs.
Phases: ``validating``, ``archiving`` (raw copy written, not yet renamed),
``archived`` (raw copy in place, transaction not begun), ``inserting`` (rows
inserted, not committed), ``committing`` (committed, not checkpointed; for a
new store, not yet renamed into place). ``WORKBENCH_TEST_STALL_AT`` instead
pauses there for ``WORKBENCH_TEST_STALL_SECONDS`` (default 3), so that a test
can start a second command while the first holds the lock. Unset, each costs
a dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import time

KILL_AT_ENV = "WORKBENCH_TEST_KILL_AT"
STALL_AT_ENV = "WORKBENCH_TEST_STALL_AT"
STALL_SECONDS_ENV = "WORKBENCH_TEST_STALL_SECONDS"
PHASES = ("validating", "archiving", "archived", "inserting", "committing")


def fault_point(phase: str) -> None:
    """Die here, at once (or pause), if the test hook names ``phase``."""
    if os.environ.get(KILL_AT_ENV) == phase:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(STALL_AT_ENV) == phase:
        time.sleep(float(os.environ.get(STALL_SECONDS_ENV, "3")))
