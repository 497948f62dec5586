"""The risk registers, as a section of the programme overview (``leadership``) and of the LOTI portfolio
(``loti``).

What it reads: ``programme_risks`` (one run per register, ``register-<name>``): figures ``heat_map_<register>``
and ``movement_<register>``; tables ``risks``, ``risk_movements``, ``rag_disagreements``.
"""

from __future__ import annotations

from ..data import load_run
from ..widgets import Part, provenance_html
from .scaffold import Reports
from .sections import Section, rag_markup, run_sections
from .sources import RISKS_ANALYSIS


def risk_register_section(register: str, reports: Reports = None) -> list[Part]:
    """A risk register: heat map of the latest review, each risk's movement, and RAG ratings to check."""
    run = load_run(RISKS_ANALYSIS, f"register-{register}", reports)
    sections = (
        Section(
            "Where the risks stand",
            figures=(f"heat_map_{register}",),
            tables=("risks",),
            note="Score = probability x impact (each 1 to 4): Green up to 4, Amber up to 8, Red above.",
            table_markup=rag_markup,
        ),
        Section(
            "How each risk moved between reviews",
            figures=(f"movement_{register}",),
            tables=("risk_movements",),
            table_markup=rag_markup,
        ),
        Section(
            "RAG ratings that disagree with the score",
            tables=("rag_disagreements",),
            note="The rating the register reports against the one its score gives.",
            table_markup=rag_markup,
        ),
    )
    return [provenance_html(run), *run_sections(run, sections, rest_markup=rag_markup)]
