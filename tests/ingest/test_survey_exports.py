"""Mapping files (evaluation.ingest.survey_exports): a column given two roles is refused at the line to edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.ingest.survey_exports import load_mapping
from evaluation.schemas.core import ValidationError

MAPPING = """\
survey: leadership-survey
format: qualtrics
wave: baseline
items:
  Q1_1: conf_lead_change
  Q1_2: conf_challenge_advice
free_text:
  Q1_2: hopes
  Q4: worries
ignore:
  - Q1_2
  - Q4
  - Q9
"""


def test_a_column_in_two_roles_is_named_under_its_first_role_once_for_each_other_role(tmp_path: Path):
    path = tmp_path / "two_roles.yml"
    path.write_text(MAPPING, encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        load_mapping(path)
    also = "the column is also listed under {}: give each column one role"
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in refused.value.problems] == [
        ("two_roles.yml", 6, "items.Q1_2", None, also.format("free_text")),
        ("two_roles.yml", 6, "items.Q1_2", None, also.format("ignore")),
        ("two_roles.yml", 8, "free_text.Q1_2", None, also.format("ignore")),
        ("two_roles.yml", 9, "free_text.Q4", None, also.format("ignore")),
    ]


def test_a_column_in_one_role_each_is_accepted(tmp_path: Path):
    path = tmp_path / "one_role.yml"
    path.write_text(MAPPING.replace("  Q1_2: hopes\n", "").replace("  - Q1_2\n  - Q4\n", ""), encoding="utf-8")
    mapping = load_mapping(path)
    assert (mapping.items, mapping.free_text, mapping.ignore) == (
        {"Q1_1": "conf_lead_change", "Q1_2": "conf_challenge_advice"},
        {"Q4": "worries"},
        ("Q9",),
    )
