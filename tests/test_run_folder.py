"""The layout of a reports folder (evaluation.run_folder): what the runner writes is what the readers find."""

from __future__ import annotations

from pathlib import Path

from evaluation.run_folder import (
    FAILED_DIR,
    figure_json,
    is_published_name,
    retired_folder,
    staging_folder,
    table_csv,
    unfinished_folders,
    write_atomically,
)


def test_staging_and_retired_folders_are_hidden_unique_siblings(tmp_path: Path) -> None:
    final = tmp_path / "cohort_evaluation" / "cohort-T1"
    made = [staging_folder(final), staging_folder(final), retired_folder(final)]
    assert len(set(made)) == 3
    assert all(p.parent == final.parent and not is_published_name(p.name) for p in made)
    assert made[0].name.startswith(".cohort-T1.staging-") and made[2].name.startswith(".cohort-T1.retired-")


def test_unfinished_folders_are_exactly_the_staging_and_retired_ones(tmp_path: Path) -> None:
    published = [tmp_path / "overall" / "all", tmp_path / FAILED_DIR / "overall" / "all"]
    unfinished = [
        staging_folder(published[0]),
        retired_folder(published[0]),
        staging_folder(published[1]),
        retired_folder(published[1]),
    ]
    for folder in published + unfinished:
        folder.mkdir(parents=True)
    assert sorted(unfinished_folders(tmp_path)) == sorted(unfinished)


def test_tables_and_figures_sit_under_their_folders(tmp_path: Path) -> None:
    assert table_csv(tmp_path, "completion") == tmp_path / "tables" / "completion.csv"
    assert figure_json(tmp_path, "change") == tmp_path / "figures" / "change.json"


def test_write_atomically_replaces_whole_files_and_leaves_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "tables" / "index.json"
    write_atomically(target, b"{}")
    write_atomically(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert [p.name for p in target.parent.iterdir()] == ["index.json"]
