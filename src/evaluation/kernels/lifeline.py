"""The processes of a run end when the run does, however the main ``workbench run`` process dies.

A run's processes form a chain: main process -> multiprocessing's forkserver
-> pool workers -> each worker's kernel zygote -> kernels (in their own
sessions). When the main process is killed (``kill -9``, the OOM killer) none
of them is told: the workers are children of the forkserver and block on
their task queue, so they, their zygotes and their kernels lived on and kept
publishing. Two mechanisms close the chain:

- :func:`watch_parent`: a thread in each worker waits on a pidfd of the main
  process and ends the worker the instant it exits; the worker's zygote then
  reads end-of-file on its request pipe and exits.
- :func:`die_with_parent`: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` in each kernel,
  so it is killed the instant its zygote exits (ipykernel's own parent poller
  would take up to a second).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import threading

PR_SET_PDEATHSIG = 1
_watched: set[int] = set()


def die_with_parent() -> None:
    """Have the kernel send SIGKILL to this process when its parent exits (Linux; elsewhere nothing).

    Call it in the child right after ``fork`` from a single-threaded parent:
    the signal follows the parent *thread* that forked.
    """
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def watch_parent(pid: int) -> None:
    """End this process as soon as process ``pid`` exits (once per process; a daemon thread waits)."""
    if pid in _watched or pid == os.getpid():
        return
    _watched.add(pid)
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (old kernel) or already gone
        if not _alive(pid):
            os._exit(1)
        threading.Thread(target=_poll, args=(pid,), daemon=True, name="workbench-lifeline").start()
        return
    threading.Thread(target=_wait, args=(handle,), daemon=True, name="workbench-lifeline").start()


def _wait(handle: int) -> None:
    select.select([handle], [], [])  # readable once the process has exited
    os._exit(1)


def _poll(pid: int) -> None:
    while _alive(pid):
        threading.Event().wait(0.5)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
