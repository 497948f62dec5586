"""Replace names and e-mail addresses by keyed-hash pseudonyms on ingest.

The pseudonym is ``P-`` and the first 12 hex digits of HMAC-SHA256(key,
lower-cased trimmed e-mail). A keyed hash, unlike a plain hash, cannot be
reversed by hashing a list of staff e-mails without the key (ICO guidance on
pseudonymisation, 2022). The same e-mail gives the same pseudonym in every file,
so a roster links to its surveys without the e-mail ever being stored.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KEY_ENV = "WORKBENCH_PSEUDONYM_KEY"
KEY_FILE_ENV = "WORKBENCH_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path.home() / ".config" / "workbench" / "pseudonym.key"
# Published on purpose: it protects nobody and is only accepted with --demo, for synthetic data.
DEMO_KEY = b"workbench synthetic demo data - not a secret"
MIN_KEY_BYTES = 16
# What a message about a bad cell shows instead of the e-mail address in it.
WITHHELD = "(e-mail withheld)"


class MissingKeyError(RuntimeError):
    """No pseudonymisation key is configured."""


def load_key(demo: bool = False, project_root: Path | None = None) -> bytes:
    """The HMAC key: ``$WORKBENCH_PSEUDONYM_KEY``, else the key file, else (demo only) the demo key.

    The key file is ``$WORKBENCH_PSEUDONYM_KEY_FILE`` or
    ``~/.config/workbench/pseudonym.key``; it must lie outside the project so it
    is never committed.
    """
    if demo:
        return DEMO_KEY
    if value := os.environ.get(KEY_ENV):
        key = value.encode()
    else:
        key_file = Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)
        if not key_file.exists():
            raise MissingKeyError(
                f"No pseudonymisation key: set {KEY_ENV}, or put a key in {key_file} (or point {KEY_FILE_ENV} "
                "at one) outside the repository. Generate one with: "
                "python -c 'import secrets; print(secrets.token_hex(32))'. Use --demo only for the demo data."
            )
        root = (project_root or Path.cwd()).resolve()
        if key_file.resolve().is_relative_to(root):
            raise MissingKeyError(f"The key file {key_file} is inside the project folder {root}; move it out.")
        key = key_file.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise MissingKeyError(f"The pseudonymisation key is too short ({len(key)} bytes; at least {MIN_KEY_BYTES}).")
    return key


def _keyed_hash(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod="sha256")


def _pseudonym_from(keyed: hmac.HMAC, identity: str) -> str:
    # A copy of the keyed state: the key is not set up again for every identity (twice as fast in bulk).
    digest = keyed.copy()
    digest.update(identity.strip().lower().encode("utf-8"))
    return "P-" + digest.hexdigest()[:12]


def pseudonym(identity: str, key: bytes) -> str:
    """The pseudonym of one identity (an e-mail address)."""
    return _pseudonym_from(_keyed_hash(key), identity)


def pseudonyms(identities: pa.Array, key: bytes) -> pa.Array:
    """The pseudonym of each identity in an array without nulls (pass distinct values: one HMAC each)."""
    keyed = _keyed_hash(key)
    return pa.array([_pseudonym_from(keyed, v) for v in identities.to_pylist()], pa.string())


def pseudonymise(identities: pd.Series, key: bytes) -> pd.Series:
    """Pseudonyms for a column of identities (Arrow-backed text); hashes each distinct value once."""
    from ..schemas import cells

    array = cells.arrow(identities)
    distinct = pc.unique(array).drop_null()
    return cells.series(pc.take(pseudonyms(distinct, key), pc.index_in(array, value_set=distinct)), identities.index)
