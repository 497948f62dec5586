"""The governance reports as their readers see them: risk registers and peer-challenge follow-up.

Questions, designs, findings (formatted by :mod:`evaluation.presentation.numbers`) and tables in words for
``notebooks/programme_risks.ipynb`` and ``notebooks/peer_challenge_followup.ipynb``; the analysis itself is
in :mod:`.challenges` and :mod:`.risks`. Counts here are of risks and actions, not of people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import presentation as show
from ...presentation import numbers
from ...schemas.governance import ACTION_STATUSES, FOLLOW_UP_STATUSES, RAG
from . import challenges, risks

if TYPE_CHECKING:
    from ...run.contract import Run

# ---------------------------------------------------------------------------
# Programme risks

RISKS_QUESTION = (
    "Where do the programme's risks stand at the review reported, does the RAG rating the register "
    "reports match the one its own probability and impact scores give, and how have risks moved "
    "between reviews?"
)

RISKS_DESIGN = (
    "A check of the risk register against its own scores, not an independent assessment of the risks: "
    "probability and impact are the risk owners' judgements (1 to 4 each), and the computed RAG follows "
    "the stated bands, which HM Treasury's Orange Book leaves to each organisation. Counts are of every "
    "risk on the register (no sample, so no interval)."
)


def read_risk_register(run: Run, register: str) -> pd.DataFrame:
    """The risk register ``register`` (or every register for ``"all"``); refuses an empty one."""
    if register == challenges.ALL:
        frame = run.read("risk_register")
    else:
        frame = run.read("risk_register", "register = ?", [register])
    if frame.empty:
        raise ValueError(f"no risks on register {register!r}")
    return frame


def review_dates(scored: pd.DataFrame, review: str) -> dict[str, pd.Timestamp]:
    """The review reported for each register in ``scored`` (:func:`risks.resolve_review`)."""
    return {
        name: risks.resolve_review(scored[scored["register"] == name], review)
        for name in sorted(scored["register"].unique())
    }


def at_review(scored: pd.DataFrame, reviews: dict[str, pd.Timestamp]) -> pd.DataFrame:
    """The rows of each register at its review reported."""
    return scored[scored["review_date"] == scored["register"].map(reviews)]


def bands_sentence(reviews: dict[str, pd.Timestamp], green_max: int, amber_max: int) -> str:
    """Which registers and reviews the report covers, and the RAG bands.

    Examples
    --------
    >>> bands_sentence({"loti": pd.Timestamp("2024-06-30")}, 4, 8)
    'Register loti at its review of 30 June 2024. RAG bands: Green 1 to 4, Amber 5 to 8, Red 9 to 16.'
    """
    covered = "; ".join(f"{name} at its review of {numbers.date(day)}" for name, day in reviews.items())
    return (
        f"Register{'s' if len(reviews) > 1 else ''} {covered}. RAG bands: Green 1 to {green_max}, Amber "
        f"{green_max + 1} to {amber_max}, Red {amber_max + 1} to 16."
    )


def rag_finding(latest: pd.DataFrame) -> str:
    """How many risks are Red, Amber and Green (computed) at the review reported.

    Examples
    --------
    >>> rag_finding(pd.DataFrame({"rag_computed": ["Red", "Amber", "Amber", "Green"]}))
    '4 risks at the review reported: 1 Red, 2 Amber, 1 Green (computed from probability x impact).'
    """
    counts = latest["rag_computed"].value_counts()
    return (
        f"{numbers.count(len(latest))} risks at the review reported: "
        + ", ".join(f"{numbers.count(counts.get(rag, 0))} {rag}" for rag in RAG)
        + " (computed from probability x impact)."
    )


def disagreement_finding(disagreements: pd.DataFrame, scored: pd.DataFrame) -> str:
    """How often the reported RAG was not the computed one, and in which direction.

    Examples
    --------
    >>> scored = pd.DataFrame({"rag_check": ["agrees", "reported better", "not reported"]})
    >>> print(disagreement_finding(scored.iloc[[1]], scored))  # doctest: +NORMALIZE_WHITESPACE
    1 of 3 risk scorings across all reviews reported a RAG different from the computed one (1 reported better
    than the score supports); 1 had no reported RAG.
    """
    better = int((disagreements["rag_check"] == "reported better").sum())
    missing = int((scored["rag_check"] == "not reported").sum())
    return (
        f"{numbers.count(len(disagreements))} of {numbers.count(len(scored))} risk scorings across all reviews "
        f"reported a RAG different from the computed one ({numbers.count(better)} reported better than the score "
        f"supports); {numbers.count(missing)} had no reported RAG."
    )


def risks_table(latest: pd.DataFrame, *, caption: str, source: str = "", review: bool = False) -> show.Table:
    """Risks (the register's rows, scored) as a report table; ``review`` adds the review date."""
    return show.table(
        latest.assign(rag_check=latest["rag_check"].str.capitalize()),
        [
            show.Column("risk_id", "Risk"),
            show.Column("register", "Register"),
            *([show.Column("review_date", "Review", "date")] if review else []),
            show.Column("title", "Description"),
            show.Column("owner_role", "Owner"),
            show.Column("probability", "Probability (1 to 4)", "count"),
            show.Column("impact", "Impact (1 to 4)", "count"),
            show.Column("score", "Score (1 to 16)", "count"),
            show.Column("rag_computed", "RAG computed"),
            show.Column("rag_reported", "RAG reported"),
            show.Column("rag_check", "Reported against computed"),
        ],
        caption=caption,
        source=source,
    )


def publish_heat_maps(
    run: Run, scored: pd.DataFrame, reviews: dict[str, pd.Timestamp], *, green_max: int, amber_max: int
) -> list[Any]:
    """Publish each register's heat map (figure and table) at its review; returns the figures."""
    figures = []
    for name, day in reviews.items():
        counts = risks.heat_map_counts(scored[scored["register"] == name], day)
        figure, alt = risks.heat_map_figure(
            counts, title=f"Risk register '{name}', {numbers.date(day)}", green_max=green_max, amber_max=amber_max
        )
        run.publish_figure(f"heat_map_{name}", figure, alt_text=alt)
        run.publish_table(
            f"heat_map_{name}",
            counts.reset_index(),
            title=f"Risks by probability and impact: {name}",
            people_column=None,
        )
        figures.append(figure)
    return figures


def publish_slope_charts(
    run: Run, scored: pd.DataFrame, registers: list[str], *, green_max: int, amber_max: int
) -> list[Any]:
    """Publish each register's chart of risk movements; returns the figures."""
    figures = []
    for name in registers:
        figure, alt = risks.slope_chart(scored, name, green_max=green_max, amber_max=amber_max)
        run.publish_figure(f"movement_{name}", figure, alt_text=alt)
        figures.append(figure)
    return figures


def movements_finding(last_moves: pd.DataFrame) -> str:
    """How the risks moved at the review reported.

    Examples
    --------
    >>> movements_finding(pd.DataFrame({"movement": ["Up", "Same", "Same", "New"]}))
    'At the review reported: 1 risk up, 0 down, 2 unchanged, 1 new and 0 closed.'
    """
    counts = last_moves["movement"].value_counts()
    up = int(counts.get("Up", 0))
    return (
        f"At the review reported: {numbers.count(up)} risk{'s' if up != 1 else ''} up, "
        f"{numbers.count(counts.get('Down', 0))} down, {numbers.count(counts.get('Same', 0))} unchanged, "
        f"{numbers.count(counts.get('New', 0))} new and {numbers.count(counts.get('Closed', 0))} closed."
    )


def movements_table(moves: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """Risk movements (:func:`risks.risk_movements`) as a report table."""
    return show.table(
        moves,
        [
            show.Column("risk_id", "Risk"),
            show.Column("register", "Register"),
            show.Column("title", "Description"),
            show.Column("from_review", "From review", "date"),
            show.Column("to_review", "To review", "date"),
            show.Column("score_from", "Score before", "count"),
            show.Column("score_to", "Score after", "count"),
            show.Column("change", "Change in score", "count"),
            show.Column("rag_from", "RAG before"),
            show.Column("rag_to", "RAG after"),
            show.Column("movement", "Movement"),
        ],
        caption=caption,
        source=source,
        notes=("A new risk has no score before, a closed one no score after.",),
    )


# ---------------------------------------------------------------------------
# Peer-challenge follow-up

CHALLENGE_QUESTION = (
    "How far have the actions agreed after each peer challenge been carried out, which are "
    "overdue, and did the follow-up reviews judge the actions the trackers called complete to "
    "have been achieved?"
)

CHALLENGE_DESIGN = (
    "A monitoring report, not an impact evaluation: it counts every agreed action (no sample, so no "
    "interval). Action status is what each authority recorded in its own tracker (self-reported); "
    "the follow-up judgement is the peers' independent view, available only for challenges whose "
    "follow-up review has been held. It shows whether actions were carried out, not whether they "
    "improved services."
)


def read_challenges(run: Run, challenge: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Peer challenges, recommendations and actions of ``challenge`` (or of every challenge for ``"all"``)."""
    if challenge == challenges.ALL:
        return run.read("peer_challenges"), run.read("recommendations"), run.read("actions")
    return (
        run.read("peer_challenges", "challenge_id = ?", [challenge]),
        run.read("recommendations", "challenge_id = ?", [challenge]),
        run.read(
            "actions",
            "recommendation_id IN (SELECT recommendation_id FROM recommendations WHERE challenge_id = ?)",
            [challenge],
        ),
    )


def challenges_sentence(summary: pd.DataFrame, tracker: pd.DataFrame, day: pd.Timestamp) -> str:
    """How many challenges, actions and follow-ups the report covers."""
    held = int(summary["follow_up_held"].sum())
    return (
        f"{numbers.count(len(summary))} peer challenge{'s' if len(summary) != 1 else ''}, "
        f"{numbers.count(len(tracker))} actions, as at {numbers.date(day)}; {numbers.count(held)} follow-up "
        f"review{'s' if held != 1 else ''} held."
    )


def challenges_table(summary: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """The challenge summary (:func:`challenges.challenge_summary`) as a report table."""
    return show.table(
        summary,
        [
            show.Column("challenge_id", "Peer challenge"),
            show.Column("authority" if "authority" in summary else "authority_code", "Authority"),
            show.Column("review_date", "Review", "date"),
            show.Column("follow_up_date", "Follow-up", "date"),
            show.Column("follow_up_held", "Follow-up held", "yes_no"),
            show.Column("recommendations", "Recommendations", "count"),
            show.Column("actions", "Actions", "count"),
            show.Column("complete", "Complete", "count"),
            show.Column("overdue", "Overdue", "count"),
            show.Column("judged", "Judged at follow-up", "count"),
            show.Column("achieved", "Judged achieved", "count"),
        ],
        caption=caption,
        source=source,
    )


def progress_finding(progress: pd.DataFrame, day: pd.Timestamp) -> tuple[str, str]:
    """The key finding on progress (text, strength of evidence) from the ``All lines`` row of
    :func:`challenges.progress_by_line`."""
    total = progress[progress["line_of_enquiry"] == "All lines"].iloc[0]
    text = (
        f"{numbers.count(total['Complete'])} of {numbers.count(total['actions'])} agreed actions were complete "
        f"on {numbers.date(day)} ({numbers.percent(total['percent_complete'] / 100)} of those not dropped); "
        f"{numbers.count(total['overdue'])} were overdue."
    )
    evidence = (
        "A full count of every action, but the status is each authority's own record in its tracker (self-reported)."
    )
    return text, evidence


def progress_table(progress: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """Actions by status and line of enquiry (:func:`challenges.progress_by_line`) as a report table."""
    return show.table(
        progress.assign(percent_complete=progress["percent_complete"] / 100),
        [
            show.Column("line_of_enquiry", "Line of enquiry"),
            show.Column("recommendations", "Recommendations", "count"),
            show.Column("actions", "Actions", "count"),
            *(show.Column(status, status, "count") for status in ACTION_STATUSES),
            show.Column("overdue", "Overdue", "count"),
            show.Column("percent_complete", "Complete (% of actions not dropped)", "percent"),
        ],
        caption=caption,
        source=source,
    )


def overdue_finding(overdue: pd.DataFrame, day: pd.Timestamp) -> str:
    """How many actions are overdue and the longest delay."""
    if overdue.empty:
        return f"No action was overdue on {numbers.date(day)}."
    return (
        f"{numbers.count(len(overdue))} action{'s' if len(overdue) != 1 else ''} overdue on "
        f"{numbers.date(day)}; the longest by {numbers.count(overdue['days_overdue'].max())} days."
    )


def overdue_table(overdue: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """Overdue actions (:func:`challenges.overdue_actions`) as a report table."""
    return show.table(
        overdue,
        [
            show.Column("action_id", "Action"),
            show.Column("authority" if "authority" in overdue else "authority_code", "Authority"),
            show.Column("line_of_enquiry", "Line of enquiry"),
            show.Column("owner_role", "Owner"),
            show.Column("due_date", "Due", "date"),
            show.Column("status", "Status"),
            show.Column("days_overdue", "Days overdue", "count"),
        ],
        caption=caption,
        source=source,
    )


def follow_up_finding(crosstab: pd.DataFrame) -> tuple[str, str]:
    """The key finding on the follow-up reviews (text, strength of evidence): how often an action the tracker
    called complete was judged achieved."""
    complete = crosstab[crosstab["status"] == "Complete"].iloc[0]
    judged = sum(int(complete[s]) for s in challenges.JUDGED)
    achieved = int(complete["Achieved"])
    share = numbers.percent(achieved / judged) if judged else numbers.MISSING
    text = (
        f"Of {numbers.count(judged)} actions the trackers called complete and the peers judged at follow-up, "
        f"{numbers.count(achieved)} ({share}) were judged achieved."
    )
    evidence = (
        "The peers' judgement at the follow-up review is independent of the tracker; only challenges whose "
        "follow-up has been held count."
    )
    return text, evidence


def follow_up_section(
    run: Run, tracker: pd.DataFrame, day: pd.Timestamp, findings: show.Findings, *, source: str = ""
) -> list[Any]:
    """Publish what the follow-up reviews found (table, chart, cross-tabulation), if any was held by ``day``.

    Returns what to display: the key finding (added to ``findings``), the chart and the two tables; or a
    sentence saying that no follow-up had been held.
    """
    follow_up = challenges.follow_up_by_line(tracker, day)
    if not follow_up[list(challenges.JUDGED)].to_numpy().sum():
        return [findings.finding(f"No follow-up review had been held by {numbers.date(day)}.")]
    run.publish_table(
        "follow_up_by_line", follow_up, title="Actions judged at the follow-up review", people_column=None
    )
    figure, alt = challenges.follow_up_chart(follow_up[follow_up["line_of_enquiry"] != "All lines"])
    run.publish_figure("follow_up_by_line", figure, alt_text=alt)
    crosstab = challenges.tracker_against_follow_up(tracker, day)
    run.publish_table(
        "tracker_against_follow_up",
        crosstab,
        title="Tracked status against the follow-up judgement",
        people_column=None,
    )
    by_line = show.table(
        follow_up.assign(percent_achieved=follow_up["percent_achieved"] / 100),
        [
            show.Column("line_of_enquiry", "Line of enquiry"),
            show.Column("actions", "Actions", "count"),
            *(show.Column(status, status, "count") for status in FOLLOW_UP_STATUSES),
            show.Column("percent_achieved", "Achieved (% of judged)", "percent"),
        ],
        caption="Actions judged at the follow-up review",
        source=source,
    )
    against = show.table(
        crosstab,
        [
            show.Column("status", "Status in the tracker"),
            *(show.Column(s, f"{s} (actions)", "count") for s in FOLLOW_UP_STATUSES),
        ],
        caption="Tracked status against the follow-up judgement",
        source=source,
    )
    return [findings.key("Follow-up reviews", *follow_up_finding(crosstab)), figure, by_line, against]


def tracker_warnings_display(warnings_table: pd.DataFrame, *, source: str = "") -> show.Table | show.Markdown:
    """Tracker inconsistencies as a report table, or a sentence when there are none."""
    if warnings_table.empty:
        return show.Markdown("No inconsistencies found.")
    return show.table(
        warnings_table,
        [
            show.Column("challenge_id", "Peer challenge"),
            show.Column("action_id", "Action"),
            show.Column("issue", "Issue"),
        ],
        caption="Tracker inconsistencies",
        source=source,
    )
