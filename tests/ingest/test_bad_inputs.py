"""The bad-input corpus: every file refused with its file, row and column named; the store untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.schemas.core import ValidationError
from evaluation.store import Store
from support import BAD_INPUTS, FIXTURES, TEST_KEY

CASES = yaml.safe_load((BAD_INPUTS / "cases.yml").read_text())


def _fingerprint(store: Store) -> dict[str, str]:
    """SHA-256 of every file in the store's folder (database and raw area)."""
    return {
        str(p.relative_to(store.path.parent)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.path.parent.rglob("*"))
        if p.is_file()
    }


def test_the_corpus_is_large_and_every_file_has_a_case():
    files = {
        str(p.relative_to(BAD_INPUTS))
        for p in BAD_INPUTS.rglob("*")
        if p.is_file() and p.name != "cases.yml" and not p.name.startswith("valid_")
    }
    assert len(CASES) >= 25
    assert files == {case["file"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_is_refused_with_its_location_and_the_store_is_unchanged(case: dict, base_store: Store):
    path = BAD_INPUTS / case["file"]
    mapping = FIXTURES / case["mapping"] if "mapping" in case else None
    before = _fingerprint(base_store)

    with pytest.raises(ValidationError) as refused:
        run_ingest([IngestJob(path, mapping, "T1", "endpoint")], base_store, TEST_KEY)

    expect = case["expect"]
    matching = [
        p
        for p in refused.value.problems
        if expect["rule"] in p.rule
        and p.file.startswith(expect.get("file", path.name))
        and p.row == expect.get("row", p.row)
        and p.column == expect.get("column", p.column)
    ]
    assert matching, "\n".join(map(str, refused.value.problems))
    assert _fingerprint(base_store) == before


def test_every_problem_is_reported_not_only_the_first(base_store: Store, tmp_path: Path):
    rows = (FIXTURES / "base" / "participants.csv").read_text().splitlines()
    bad = tmp_path / "participants.csv"
    # Two different faults on two rows, and a third in another column.
    bad.write_text(
        "\n".join(
            [
                rows[0],
                rows[1].replace("Director", "Boss", 1),
                rows[2].replace("2024-01-05", "soon").replace(",T1,", ",T9,"),
            ]
        )
        + "\n"
    )
    with pytest.raises(ValidationError) as refused:
        run_ingest([IngestJob(bad)], base_store, TEST_KEY)
    located = {(p.row, p.column) for p in refused.value.problems}
    assert {(2, "grade"), (3, "enrolled_on")} <= located


def test_a_refused_command_writes_none_of_its_good_files(base_store: Store):
    before = _fingerprint(base_store)
    good = IngestJob(FIXTURES / "qualtrics_valid.csv", FIXTURES / "qualtrics.yml", "T1", "endpoint")
    bad = IngestJob(BAD_INPUTS / "value_out_of_range.csv", FIXTURES / "qualtrics.yml", "T1", "baseline")
    with pytest.raises(ValidationError):
        run_ingest([good, bad], base_store, TEST_KEY)
    assert _fingerprint(base_store) == before


def test_a_failure_inside_the_write_transaction_rolls_back(base_store: Store, monkeypatch: pytest.MonkeyPatch):
    import duckdb

    before = _fingerprint(base_store)
    job = IngestJob(FIXTURES / "qualtrics_valid.csv", FIXTURES / "qualtrics.yml", "T1", "endpoint")
    register = duckdb.DuckDBPyConnection.register
    inserts: list[str] = []

    def fail_on_second_insert(self, name, frame):
        # Responses are inserted first; failing on the free text leaves the transaction half done.
        inserts.append(name)
        if inserts.count("incoming") == 2:
            raise duckdb.IOException("simulated failure half-way through the transaction")
        return register(self, name, frame)

    monkeypatch.setattr(duckdb.DuckDBPyConnection, "register", fail_on_second_insert)
    with pytest.raises(duckdb.IOException):
        run_ingest([job], base_store, TEST_KEY)
    assert _fingerprint(base_store) == before
