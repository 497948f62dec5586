"""Every command meets a bad environment with one line (what is wrong, what to do), exit code 2, no traceback,
and changes nothing: a damaged, missing or mistyped store, a reports path that is a file, a read-only folder,
a full disk.

Read-only folders and a full disk are made in a private mount namespace (`unshare -rm`: a read-only bind
mount, a tiny tmpfs), because the tests may run as root, for whom permissions do not stop writes.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.ingest.pseudonymise import KEY_ENV
from evaluation.store import Store
from support import FIXTURES, ROOT, TEST_KEY

WORKBENCH = Path(sys.executable).parent / "workbench"
SURVEY = [
    "--demo",
    str(FIXTURES / "qualtrics_valid.csv"),
    "--mapping",
    str(FIXTURES / "qualtrics.yml"),
    "--cohort",
    "T1",
    "--wave",
    "endpoint",
]
MANIFEST = ["--manifest", str(FIXTURES / "runner" / "manifest.yml")]


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.rglob("*"))
    }


def _one_line(result: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with exit code 2 and a single line on stderr holding ``words``."""
    message = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert message.startswith("error: ") and "\n" not in message, message
    for word in words:
        assert word in message, message
    return message


def _workbench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(WORKBENCH), *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def _namespace_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(
    not _namespace_works(),
    reason="`unshare -rm` (a private mount namespace) is not available here, and "
    "permissions alone cannot make a folder read-only for root",
)


def _in_namespace(setup: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``workbench ARGS`` after the shell commands ``setup``, in a private mount namespace."""
    command = " ".join(shlex.quote(a) for a in [str(WORKBENCH), *args])
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{setup} && exec {command}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_a_damaged_store_file(base_store: Store, tmp_path: Path):
    base_store.path.write_bytes(b"this is not a database" * 100)
    before = _fingerprint(base_store.path.parent)
    for args in (["ingest", *SURVEY], ["validate"], ["run", *MANIFEST, "--reports", str(tmp_path / "reports")]):
        _one_line(
            _workbench(*args, "--store", str(base_store.path)),
            f"the store at {base_store.path} cannot be read",
            "restore it from a backup",
        )
    assert _fingerprint(base_store.path.parent) == before
    assert not (tmp_path / "reports").exists()


def test_a_missing_store(tmp_path: Path):
    missing = tmp_path / "store" / "workbench.duckdb"
    for args in (["validate"], ["run", *MANIFEST, "--reports", str(tmp_path / "reports")]):
        _one_line(
            _workbench(*args, "--store", str(missing)),
            f"there is no store at {missing}",
            "run `workbench ingest` first",
        )
    assert sorted(tmp_path.iterdir()) == []


def test_a_store_path_that_is_a_folder(tmp_path: Path):
    folder = tmp_path / "store"
    folder.mkdir()
    for args in (["ingest", *SURVEY], ["validate"], ["run", *MANIFEST]):
        _one_line(
            _workbench(*args, "--store", str(folder)),
            f"the store path {folder} is a folder",
            f"--store {folder / 'workbench.duckdb'}",
        )
    assert list(folder.iterdir()) == []


def test_a_reports_path_that_is_a_file(base_store: Store, tmp_path: Path):
    reports = tmp_path / "reports"
    reports.write_text("not a folder")
    _one_line(
        _workbench("run", *MANIFEST, "--store", str(base_store.path), "--reports", str(reports)),
        f"the reports path {reports} is a file",
    )
    assert reports.read_text() == "not a folder"


@needs_namespace
def test_a_read_only_store_folder(base_store: Store):
    folder = base_store.path.parent
    before = _fingerprint(folder)
    read_only = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    _one_line(
        _in_namespace(read_only, "ingest", *SURVEY, "--store", str(base_store.path)),
        "read-only file system",
        "nothing was changed",
    )
    _one_line(_in_namespace(read_only, "validate", "--store", str(base_store.path)), "read-only file system")
    assert _fingerprint(folder) == before


@needs_namespace
def test_a_read_only_reports_folder(base_store: Store, tmp_path: Path):
    reports = tmp_path / "reports"
    reports.mkdir()
    read_only = f"mount --bind {reports} {reports} && mount -o remount,bind,ro {reports}"
    _one_line(
        _in_namespace(read_only, "run", *MANIFEST, "--store", str(base_store.path), "--reports", str(reports)),
        "read-only file system",
        str(reports),
    )
    assert list(reports.iterdir()) == []


@needs_namespace
def test_a_full_disk(base_store: Store, tmp_path: Path):
    """The store on a tmpfs with room for the store but not for the new export's raw copy and rows."""
    disk = tmp_path / "disk"
    disk.mkdir()
    size = sum(-(-p.stat().st_size // 4096) * 4096 for p in base_store.path.parent.rglob("*") if p.is_file())
    size += 64 * 1024
    copy = f"mount -t tmpfs -o size={size} tmpfs {disk} && cp -a {base_store.path.parent}/. {disk}/"
    export = tmp_path / "export.csv"  # a valid export larger than the room left: 4 answers of 30,000 characters
    header, respondents = (FIXTURES / "qualtrics_valid.csv").read_bytes().split(b"\n")[:3], []
    for line in (FIXTURES / "qualtrics_valid.csv").read_bytes().split(b"\n")[3:-1]:
        line = line.rstrip(b"\r")
        answered = line[: line.rindex(b',"')] if line.endswith(b'"') else line.rsplit(b",", 1)[0]
        respondents.append(answered + b"," + b"y" * 30_000 + b"\r")
    export.write_bytes(b"\n".join(header + respondents) + b"\n")
    fingerprint = f"sha256sum $(find {disk} -type f | sort) | sed 's|{disk}||'"
    args = ["ingest", str(export), *SURVEY[2:], "--store", str(disk / "workbench.duckdb")]
    command = " ".join(shlex.quote(a) for a in [str(WORKBENCH), *args])
    result = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            f'{copy} && {fingerprint} && echo ---- && {{ {command}; echo "exit $?"; }} && echo ---- && {fingerprint}',
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, KEY_ENV: TEST_KEY.decode()},
    )  # the base store's key
    assert result.stdout.count("----\n") == 2, (result.stdout, result.stderr)
    before, outcome, after = result.stdout.split("----\n")
    assert "exit 2" in outcome, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr and "\n" not in message, message
    assert message.startswith("error: no space left on the disk holding") and "nothing was changed" in message
    assert before == after and os.path.basename(str(base_store.path)) in before
