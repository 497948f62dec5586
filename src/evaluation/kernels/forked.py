"""Kernels forked from a process that has already imported what they will run.

Most of a new kernel's start is importing: pandas, statsmodels, scipy, plotly and the workbench's own modules.
A *zygote* is a process started once, which imports a given list of modules (its *preload*) and then, for
every kernel asked of it, forks a child that becomes the kernel (``IPKernelApp``, the code
``python -m ipykernel_launcher`` runs). The child starts with the imports done; copy-on-write also shares
their memory. Each user names its preload: the runner's notebooks (:mod:`evaluation.run.notebook_kernels`)
and the live dashboards' readers (:mod:`evaluation.dashboards.reader_kernels`).

Results do not change: a forked kernel runs the same code on the same data, provided nothing preloaded holds
state that the code reads (the notebooks seed their own random generators) and BLAS is limited to one thread
before numpy is imported, as in any workbench kernel (the zygote's environment has
:data:`evaluation.config.ONE_BLAS_THREAD`).

The pieces: :class:`Zygote` (the parent process and its line protocol), :class:`ForkedKernel` (what
jupyter_client sees instead of a ``Popen``), :class:`ForkedProvisioner` and :class:`ForkingMixin`
(jupyter_client's extension points: a kernel manager with the mixin and a ``preload`` starts its kernels
through a zygote that has imported it).
The zygote exits when the process that started it does (its stdin closes), and kernels exit when the zygote
does (a parent-death signal, and ipykernel's parent poller).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from jupyter_client.provisioning import LocalProvisioner

from .. import config
from .lifeline import die_with_parent


class ForkedKernel:
    """A kernel process forked by the zygote, with the part of ``subprocess.Popen`` jupyter_client uses.

    The zygote, not this process, is the kernel's parent and reaps it, so the exit status is
    not known here: :meth:`poll` returns ``-1`` once the process has gone.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]  # set by poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Zygote:
    """The pre-imported parent of kernels: one per process and list of modules to import (its preload),
    started on first use."""

    _instances: ClassVar[dict[tuple[str, ...], Zygote]] = {}

    def __init__(self, preload: Sequence[str]) -> None:
        env = {**os.environ, **config.ONE_BLAS_THREAD}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "evaluation.kernels.forked", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            bufsize=1,
        )

    @classmethod
    def for_this_process(cls, preload: Sequence[str]) -> Zygote:
        key = tuple(preload)
        instance = cls._instances.get(key)
        if instance is None or instance.process.poll() is not None:
            instance = cls._instances[key] = cls(key)
        return instance

    def fork_kernel(self, argv: list[str], env: dict[str, str], cwd: str | None) -> ForkedKernel:
        """A kernel started as ``python -m ipykernel_launcher <argv>`` would be, in ``cwd`` with ``env``."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError(f"the kernel zygote exited (status {self.process.wait()})")
        answer = json.loads(reply)
        if "error" in answer:
            raise RuntimeError(f"the kernel zygote could not fork a kernel: {answer['error']}")
        return ForkedKernel(int(answer["pid"]))


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through a zygote that has imported ``preload``."""

    def __init__(self, preload: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.preload = tuple(preload)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        # cmd is [python, -m, ipykernel_launcher, -f, connection-file]: the zygote runs the same app.
        module = cmd.index("-m") + 1 if "-m" in cmd else -1
        if module <= 0 or cmd[module] != "ipykernel_launcher":
            return await super().launch_kernel(cmd, **kwargs)  # some other kernel: launched as usual
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = kwargs.get("cwd")
        zygote = Zygote.for_this_process(self.preload)
        kernel = zygote.fork_kernel(cmd[module + 1 :], env, str(cwd) if cwd else None)
        # A ForkedKernel is the part of Popen that jupyter_client uses; LocalProvisioner declares a Popen.
        self.process = kernel  # type: ignore[assignment]  # duck-typed Popen, see ForkedKernel
        self.pid = self.pgid = kernel.pid  # the kernel leads its own session (see _serve)
        self.cwd = cwd
        return self.connection_info


class ForkingMixin:
    """For a jupyter_client kernel manager: its kernels forked from a zygote that has imported :attr:`preload`."""

    preload: ClassVar[tuple[str, ...]] = ()  # the modules, named by the kernel manager this is mixed into
    if TYPE_CHECKING:  # what the kernel manager this is mixed into provides
        kernel_id: Any
        kernel_spec: Any
        provisioner: Any

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:  # jupyter_client keeps one it finds here
            self.provisioner = ForkedProvisioner(
                self.preload, kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)  # type: ignore[misc]  # the manager mixed in has it


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: take the kernel's environment, folder and streams, then run the kernel app."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores it; a notebook's subprocesses need it
    die_with_parent()  # the kernel ends the instant the zygote does (lifeline.py)
    os.setsid()  # its own process group, as jupyter_client starts kernels: signals reach the kernel only
    os.environ.clear()
    # ipykernel exits when this parent (the zygote) has gone, as it does for the process that launched it.
    os.environ.update({**request["env"], "JPY_PARENT_PID": str(os.getppid())})
    if request["cwd"]:
        os.chdir(request["cwd"])
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # fd 1 is the zygote's reply pipe; kernel output travels over ZeroMQ
    sys.argv = [sys.executable, *request["argv"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=request["argv"])


def _serve(preload: Sequence[str]) -> None:
    """The zygote: import ``preload``, then fork a kernel per request line until stdin closes."""
    import importlib
    import traceback

    # Replies go to the process that started the zygote over the original stdout; anything else printed
    # goes to stderr.
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    for module in preload:
        importlib.import_module(module)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped by the system
    for line in sys.stdin:
        request = json.loads(line)
        try:
            pid = os.fork()
        except OSError as error:
            replies.write(json.dumps({"error": str(error)}) + "\n")
            continue
        if pid == 0:
            try:
                replies.close()
                _become_kernel(request)
            except SystemExit:
                pass
            except BaseException:  # noqa: BLE001 - shown on stderr; the caller sees a dead kernel
                traceback.print_exc()
            finally:
                os._exit(0)  # never back into the zygote's loop
        replies.write(json.dumps({"pid": pid}) + "\n")


if __name__ == "__main__":
    _serve(sys.argv[1:])
