"""Peer challenges and their follow-up: every challenge on the LOTI portfolio page, one authority's on its page.

What it reads: ``peer_challenge_followup_all`` (run ``all``): figures ``status_by_line``,
``follow_up_by_line``; tables ``progress_by_line``, ``overdue_actions``, ``follow_up_by_line``,
``tracker_against_follow_up``, ``challenges`` (authority, challenge_id).
"""

from __future__ import annotations

from dataclasses import replace

from ..data import load_run
from ..downloads import slug as file_slug
from ..widgets import Part, message, provenance_html, table_block
from .loti_tables import rows_for
from .scaffold import Reports
from .sections import Section, run_sections
from .sources import PEER_CHALLENGE_ANALYSIS

PEER_CHALLENGE_SECTIONS = (
    Section(
        "Progress of the actions, by line of enquiry",
        figures=("status_by_line",),
        tables=("progress_by_line", "overdue_actions"),
    ),
    Section(
        "Status at the follow-up review",
        figures=("follow_up_by_line",),
        tables=("follow_up_by_line", "tracker_against_follow_up", "challenges"),
    ),
)


def peer_challenges_section(reports: Reports = None) -> list[Part]:
    """Every peer challenge: progress by line of enquiry, overdue actions, status at follow-up."""
    run = load_run(PEER_CHALLENGE_ANALYSIS, "all", reports)
    return [provenance_html(run), *run_sections(run, PEER_CHALLENGE_SECTIONS)]


def peer_challenge_parts(code: str, name: str, reports: Reports = None) -> list[Part]:
    """The authority's peer challenges and their overdue actions, from the all-challenges follow-up run."""
    run = load_run(PEER_CHALLENGE_ANALYSIS, "all", reports)
    challenges = rows_for(run.table("challenges"), code, name) if run.has_table("challenges") else None
    if challenges is None:
        return [provenance_html(run), message(f"No peer challenge of {name} is recorded.")]
    parts: list[Part] = [
        provenance_html(run),
        table_block(challenges, run=run, file_stem=file_slug(run.analysis, run.run_id, "challenges", code)),
    ]
    if run.has_table("overdue_actions"):
        overdue = run.table("overdue_actions")
        ids = set(challenges.frame["challenge_id"])
        mine = replace(overdue, frame=overdue.frame[overdue.frame["challenge_id"].isin(ids)].reset_index(drop=True))
        parts.append(
            table_block(
                mine.retitled(f"{overdue.title}: {name}"),
                run=run,
                file_stem=file_slug(run.analysis, run.run_id, "overdue_actions", code),
            )
            if not mine.frame.empty
            else message(f"No action from a peer challenge of {name} is overdue.")
        )
    return parts
