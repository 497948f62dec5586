"""The demo generator is deterministic, marks its files synthetic, and data/demo is what it writes."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from evaluation.demo import QUALTRICS_EXTERNAL_REFERENCE, SYNTHETIC_MARK, write_demo
from evaluation.demo.readme import fill_template, readme_template, template_fields
from evaluation.demo.writers import export_header, save_workbook
from evaluation.schemas import TABLES

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "demo"


def file_contents(root: Path) -> dict[str, object]:
    """Every file under ``root``: a workbook as its title and cell values per sheet, any other file as bytes.

    Workbooks are compared by content because zip bytes may differ between openpyxl versions.
    """
    contents: dict[str, object] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            contents[name] = (
                book.properties.title,
                {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets},
            )
            book.close()
        else:
            contents[name] = path.read_bytes()
    return contents


def differing_files(first: dict[str, object], second: dict[str, object]) -> list[str]:
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    return out, write_demo(out)


def test_write_demo_returns_every_file_it_writes(generated):
    out, paths = generated
    assert sorted(paths) == sorted(p for p in out.rglob("*") if p.is_file())


def test_same_seed_writes_identical_files(generated, tmp_path):
    out, _ = generated
    write_demo(tmp_path)
    assert differing_files(file_contents(out), file_contents(tmp_path)) == []


def test_committed_demo_data_equals_a_fresh_generation(generated):
    stale = differing_files(file_contents(COMMITTED), file_contents(generated[0]))
    assert stale == [], "data/demo is out of date: rerun evaluation.demo.write_demo(Path('data/demo'))"


def test_every_file_says_it_is_synthetic(generated):
    out, paths = generated
    for path in paths:
        if path.suffix == ".xlsx":
            assert openpyxl.load_workbook(path, read_only=True).properties.title == SYNTHETIC_MARK, path.name
        elif path.suffix in (".yml", ".md"):
            assert SYNTHETIC_MARK in path.read_text(encoding="utf-8").splitlines()[0], path.name
    for path in sorted((out / "leadership").glob("*_qualtrics.csv")):
        text = path.read_bytes().decode("cp1252" if "c1_endpoint" in path.name else "utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))[2:]  # after question texts and ImportIds
        assert rows and {row["ExternalReference"] for row in rows} == {QUALTRICS_EXTERNAL_REFERENCE}, path.name


def test_readme_template_is_shipped_and_asks_for_computed_and_fixed_values():
    fields = template_fields(readme_template())
    assert {"changes", "panel", "dropouts", "PERSON_SD", "latest_red"} <= fields


def test_readme_template_refuses_a_placeholder_without_a_value_and_a_value_without_a_place():
    template = "{seed} people; effect {panel.att:.2f} in {dropouts[C1]}"
    assert template_fields(template) == {"seed", "panel", "dropouts"}
    with pytest.raises(ValueError, match=r"placeholders without a value \['seed'\]"):
        fill_template(template, {"panel": object(), "dropouts": {}})
    with pytest.raises(ValueError, match=r"values without a placeholder \['unused'\]"):
        fill_template("{seed}", {"seed": 1, "unused": 2})
    assert fill_template("{seed:,} and {dropouts[C1]}", {"seed": 20241, "dropouts": {"C1": 2}}) == "20,241 and 2"


def test_a_row_that_does_not_fit_its_header_is_refused_before_the_workbook_is_written(tmp_path):
    path = tmp_path / "programme.xlsx"
    sheets = {"cohorts": (export_header("cohorts"), [("C1", "Cohort 1")])}
    with pytest.raises(ValueError, match=r"programme.xlsx, sheet cohorts, row 2: 2 values for 6 columns"):
        save_workbook(sheets, path, "Too few columns.")
    assert not path.exists()


def test_an_export_heads_a_pseudonymised_table_with_the_identity_it_is_made_from():
    assert export_header("attendance") == ("cohort_id", "session", "session_date", "email", "name", "attended")
    assert export_header("cohorts") == TABLES["cohorts"].column_names
