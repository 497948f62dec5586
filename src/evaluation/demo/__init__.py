"""Synthetic demo data, written in the real export formats the workbench ingests.

:func:`write_demo` writes a leadership-programme workbook, its survey exports
(Qualtrics CSV at baseline and endpoint, Microsoft Forms Excel at follow-up)
with their mapping files, a LOTI workbook, a governance workbook (peer-challenge
follow-up and risk registers), a LOTI observation panel, a tidy LOTI member
survey, the ingest plan and a README stating every planted effect.

Nothing here describes a real person or a real result: every name, e-mail,
answer and figure is drawn from seeded random numbers, and the same seed writes
the same bytes (workbooks carry fixed timestamps). The README's true expected
changes come from running the same survey generator for 200,000 synthetic
people, so they cannot drift from the code that writes the exports.

One module per concept (ARCHITECTURE.md has the map); each draws from its own
seeded stream (:func:`~evaluation.demo.randomness.random_stream`), so changing
one part leaves the others' draws alone:

- ``roster``: the cohorts and the people on the programme;
- ``leadership_survey``, ``leadership_answers``: the survey's items and model, and every wave's answers;
- ``survey_exports``: the Qualtrics and Microsoft Forms exports and their mapping files;
- ``programme_workbook``: ``programme.xlsx``;
- ``loti_world``, ``loti_panel``, ``maturity_scores``, ``member_survey``, ``loti_workbook``: LOTI's members and
  projects, the indicator panel, maturity, the member survey and ``loti.xlsx``;
- ``peer_challenges``, ``risk_registers``, ``governance_workbook``: ``governance.xlsx``;
- ``writers``, ``readme`` (with the template ``README.md.in``), ``generate``: the files, the README and the
  entry point; ``randomness`` and ``dates``: the draws and calendar arithmetic they share.
"""

from .generate import DEFAULT_SEED, write_demo
from .survey_exports import QUALTRICS_EXTERNAL_REFERENCE
from .writers import FIXED_TIMESTAMP, SYNTHETIC_MARK

__all__ = ["DEFAULT_SEED", "FIXED_TIMESTAMP", "QUALTRICS_EXTERNAL_REFERENCE", "SYNTHETIC_MARK", "write_demo"]
