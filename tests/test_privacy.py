"""No name, e-mail or free-text answer of the demo participants reaches the store or anything published."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evaluation.statistics.disclosure import DEFAULT_THRESHOLD, find_disclosure_risks
from evaluation.store import Store
from support import ROOT

pytestmark = pytest.mark.slow


def _demo_identities() -> set[str]:
    """Every participant name and e-mail in the demo programme workbook (roster and registers)."""
    book = openpyxl.load_workbook(ROOT / "data" / "demo" / "programme.xlsx", read_only=True)
    found: set[str] = set()
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h) for h in rows[0]]
        if "email" not in header:  # sheets about people carry an e-mail column (cohort names are not people)
            continue
        for column in ("email", "name"):
            if column in header:
                found |= {str(r[header.index(column)]).strip() for r in rows[1:] if r[header.index(column)]}
    return found


def test_the_demo_roster_has_names_and_emails_to_look_for():
    identities = _demo_identities()
    assert sum("@" in i for i in identities) >= 20 and sum("@" not in i for i in identities) >= 20


def test_no_name_or_email_in_the_store_or_any_written_file(demo_run: tuple[Store, Path]):
    store, reports = demo_run
    patterns = [re.compile(re.escape(i).encode(), re.IGNORECASE) for i in _demo_identities()]
    # Raw exports are kept as received in the store's raw archive (permissions 0700), by design: everything
    # else the workbench writes -- the database and every report, table, figure and index -- is checked.
    written = [store.path] + [p for p in reports.rglob("*") if p.is_file()]
    assert len(written) > 20
    leaks = [
        (p.name, pattern.pattern.decode()) for p in written for pattern in patterns if pattern.search(p.read_bytes())
    ]
    assert not leaks


def test_free_text_answers_are_never_published(demo_run: tuple[Store, Path]):
    store, reports = demo_run
    answers = [a for a in store.read_table("free_text")["answer"] if len(a) > 20]
    assert answers
    published = [p for p in reports.rglob("*") if p.is_file() and p.suffix in (".csv", ".json", ".parquet")]
    leaks = [(p.name, a[:30]) for p in published for a in answers if a.encode() in p.read_bytes()]
    assert not leaks


def test_the_raw_archive_is_private(demo_run: tuple[Store, Path]):
    store, _ = demo_run
    assert store.raw_dir.stat().st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in store.raw_dir.iterdir())


def _published(reports: Path) -> list[Path]:
    """What dashboards and board papers read: results, tables and figures (not the evaluator's own report)."""
    return [
        p
        for p in reports.rglob("*")
        if p.is_file()
        and not p.is_relative_to(reports / "_failed")
        and ("tables" in p.parts or "figures" in p.parts or p.name.startswith("results."))
    ]


def test_no_participant_identifier_is_published(demo_run: tuple[Store, Path]):
    _, reports = demo_run
    published = _published(reports)
    assert len(published) > 50
    pseudonym = re.compile(rb"P-[0-9a-f]{12}")
    assert not [p.relative_to(reports) for p in published if pseudonym.search(p.read_bytes())]


def test_no_published_result_or_table_shows_a_group_under_the_threshold(demo_run: tuple[Store, Path]):
    _, reports = demo_run
    results = sorted(reports.glob("*/*/results.csv"))
    assert len(results) >= 10
    for path in results:
        risks = find_disclosure_risks(pd.read_csv(path), DEFAULT_THRESHOLD)
        assert risks.empty, f"{path.relative_to(reports)}:\n{risks}"
    for path in sorted(reports.glob("*/*/tables/*.csv")):
        people = json.loads((path.parent / "index.json").read_text())[path.stem]["people_column"]
        if people is None:
            continue
        counts = pd.to_numeric(pd.read_csv(path)[people], errors="coerce")
        assert not ((counts > 0) & (counts < DEFAULT_THRESHOLD)).any(), path.relative_to(reports)
