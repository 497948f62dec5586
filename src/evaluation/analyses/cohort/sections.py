"""The cohort report: its question, design, findings and tables as a reader sees them.

Findings are built from the suppressed tidy frames of :mod:`.change` and :mod:`.scores`, never from the raw
estimates, so a suppressed value cannot leak into text.
"""

from __future__ import annotations

import pandas as pd

from ... import presentation as show
from ...coverage import quoted_coverage
from ...presentation import numbers, people
from ...statistics.disclosure import DEFAULT_THRESHOLD, share_publishable
from ...tidy import Estimate
from .sentences import change_evidence, describe_change, describe_interval

#: What a before-and-after comparison of one cohort can and cannot show (Magenta Book; Maryland SMS).
DESIGN = (
    "A before-and-after comparison of one cohort without a comparison group (level 2 of the Maryland "
    "Scientific Methods Scale). It shows how participants' answers changed, not that the programme caused the "
    "change: other things happening to the same people at the same time could explain it. Confidence, "
    "competence, ratings and applications at work are self-reported. With a cohort of about eight people the "
    "intervals are wide and only large changes can be told apart from no change; counts under the disclosure "
    "threshold are suppressed ([c])."
)


def question(cohort: str) -> str:
    """The question the cohort report answers."""
    return (
        f"Did the leaders of cohort {cohort} rate the programme well, did their self-reported confidence and "
        "competence with digital technology rise, did they apply new approaches at work, and was the "
        "programme's open content reused?"
    )


def scope_sentence(cohort: str, enrolled: int, from_wave: str, to_wave: str) -> str:
    """Who the report is about and which surveys it compares (the count marked for the disclosure audit).

    Examples
    --------
    >>> print(scope_sentence("C1", 8, "baseline", "endpoint"))  # doctest: +NORMALIZE_WHITESPACE
    Cohort C1: <span data-people="cohort C1">8</span> leaders enrolled; the report compares the baseline survey
    with the endpoint survey.
    """
    return (
        f"Cohort {cohort}: {people(enrolled, f'cohort {cohort}')} leaders enrolled; the report compares the "
        f"{from_wave} survey with the {to_wave} survey."
    )


def estimates_alt_text(intro: str, labels: list[str], estimates: list[float], *, signed: bool = False) -> str:
    """A chart's text alternative: ``intro``, then each label's estimate (2 d.p.) or "suppressed".

    Examples
    --------
    >>> estimates_alt_text("Mean change", ["confidence", "competence"], [0.5, float("nan")], signed=True)
    'Mean change: confidence: +0.50; competence: suppressed'
    """
    shown = [
        f"{label}: {numbers.score(value, signed=signed)}" if not numbers.is_missing(value) else f"{label}: suppressed"
        for label, value in zip(labels, estimates, strict=True)
    ]
    return f"{intro}: " + "; ".join(shown)


def change_finding(
    change_table: pd.DataFrame, construct: str, population: str, *, confidence_level: float = 0.95
) -> tuple[str, str]:
    """The key finding on one construct's mean change (sentence, strength of evidence), from the suppressed
    frame of :func:`paired_changes`."""
    row = change_table[(change_table["term"] == "mean_change") & change_table["group"].str.startswith(f"{construct}:")]
    if len(row) != 1:
        raise KeyError(f"expected one mean_change row for {construct!r}, found {len(row)}")
    record = row.iloc[0]
    estimate = Estimate(
        "mean_change",
        float(record["estimate"]),
        conf_low=float(record["conf_low"]),
        conf_high=float(record["conf_high"]),
        n=int(record["n"]) if pd.notna(record["n"]) else 0,
    )
    return (
        describe_change(estimate, construct, population=population, confidence_level=confidence_level),
        change_evidence(estimate, population),
    )


def ratings_finding(ratings: pd.DataFrame, population: str, *, confidence_level: float = 0.95) -> tuple[str, str]:
    """The key finding on ratings (text, strength of evidence) from the suppressed rating rows of
    :func:`rating_estimates`: each rating with its interval, labelled by a ``label`` column if there is one
    (else by the construct)."""
    # The measured coverage is the same for each rating: given once, after the ratings.
    labels = ratings["label"] if "label" in ratings else ratings["group"].str.split(" (", regex=False).str[0]
    parts = [
        describe_interval(
            Estimate(row["term"], row["estimate"], conf_low=row["conf_low"], conf_high=row["conf_high"]),
            str(label),
            confidence_level=confidence_level,
        )
        for row, label in zip(ratings.to_dict("records"), labels, strict=True)
    ]
    coverage = next((quoted_coverage(m) for m in ratings["method"] if isinstance(m, str) and quoted_coverage(m)), "")
    published = ratings.loc[ratings["estimate"].notna(), "n"]  # raters of the ratings that are reported
    raters = published.min() if published.notna().all() else None  # None: a count hidden, "5 or more"
    text = (
        "Mean ratings at the end of the programme (1 = strongly disagree, 5 = strongly agree): "
        + "; ".join(parts)
        + (f" ({coverage.removeprefix('; ')})" if coverage else "")
        + "."
    )
    shown = people(raters, population) if len(published) else numbers.SUPPRESSED
    evidence = (
        f"Participants' own ratings (raters per rating: {shown}); they show how the "
        "programme was received, not what it achieved. Near the top of a 5-point scale with so few raters "
        "the intervals are approximate."
    )
    return text, evidence


def attendance_summary(attendance: pd.DataFrame, k: int = DEFAULT_THRESHOLD) -> str:
    """One sentence on attendance over all sessions, as a share of the places (people times sessions).

    The share is given only if the places attended and missed both number at
    least ``k`` (:func:`~evaluation.statistics.disclosure.share_publishable`).

    Examples
    --------
    >>> register = pd.DataFrame({"session": [1] * 8 + [2] * 8, "attended": [True] * 11 + [False] * 5})
    >>> attendance_summary(register)
    'Over 2 sessions leaders attended 69% of the 16 places (people on the register times sessions).'
    """
    places, sessions = len(attendance), attendance["session"].nunique()
    if places == 0:
        return "No attendance was recorded."
    share = attendance["attended"].astype(bool).mean()
    if not share_publishable(share, places, k):
        return (
            f"Over {numbers.count(sessions)} sessions the share of the {numbers.count(places)} places "
            f"attended is not shown: the places attended or missed number fewer than {numbers.count(k)}."
        )
    return (
        f"Over {numbers.count(sessions)} sessions leaders attended {numbers.percent(share)} of the "
        f"{numbers.count(places)} places (people on the register times sessions)."
    )


#: Reliability measures in words.
RELIABILITY_TERMS = {"cronbach_alpha": "Cronbach's alpha", "mcdonald_omega": "McDonald's omega"}


def coverage_table(coverage: pd.DataFrame, *, source: str = "") -> show.Table:
    """The publishable table of :func:`exclusions_table` (counts, ``[c]`` where suppressed) as a report table."""
    return show.table(
        coverage,
        [
            show.Column("construct", "Scale"),
            show.Column("paired", "With both surveys (people)", "count"),
            show.Column("missing baseline", "Missing the earlier survey (people)", "count"),
            show.Column("missing endpoint", "Missing the later survey (people)", "count"),
            show.Column("missing both", "Missing both (people)", "count"),
            show.Column("Total", "Enrolled (people)", "count"),
        ],
        caption="Who the paired analysis covers",
        source=source,
    )


def reliability_table(reliability: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """Suppressed reliability rows of :func:`reliability` as a report table (measures in words)."""
    frame = reliability.assign(term=reliability["term"].map(RELIABILITY_TERMS).fillna(reliability["term"]))
    return show.table(
        frame,
        [
            show.Column("group", "Scale (survey)"),
            show.Column("term", "Measure"),
            show.Column("estimate", "Reliability (0 to 1)", "score"),
            show.Column("conf_low", "95% interval, lower", "score"),
            show.Column("conf_high", "95% interval, upper", "score"),
            show.Column("n", "Respondents (people)", "count"),
        ],
        caption=caption,
        source=source,
        notes=["0.70 or more is usually taken as acceptable. McDonald's omega has no interval here."],
    )


def applications_table(by_type: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """The publishable table of :func:`applications_by_type` as a report table."""
    return show.table(
        by_type,
        [
            show.Column("application_type", "Kind of application"),
            show.Column("people", "People reporting it (count)", "count"),
        ],
        caption=caption,
        source=source,
    )


def content_table(resources: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """The open-content table (:func:`~evaluation.analyses.programme.outcomes.content_summary`) as a report
    table, its dates the UK way (the total row has none)."""
    dates = [numbers.date(day) if isinstance(day, str) and day else "" for day in resources["published_on"]]
    return show.table(
        resources.assign(published_on=dates),
        [
            show.Column("title", "Resource"),
            show.Column("resource_type", "Type"),
            show.Column("licence", "Licence"),
            show.Column("published_on", "Published"),
            show.Column("views", "Page views (count)", "count"),
            show.Column("downloads", "Downloads (count)", "count"),
            show.Column("reusing_organisations", "Organisations known to reuse it (count)", "count"),
        ],
        caption=caption,
        source=source,
    )


def completion_display(
    completion: pd.DataFrame, *, caption: str, group_header: str = "Cohort", source: str = ""
) -> show.Table:
    """Publishable completion counts (:func:`completion_counts`, or the programme's ``completion_table``) as a
    report table; the first column holds the groups."""
    return show.table(
        completion,
        [
            show.Column(completion.columns[0], group_header),
            show.Column("completed", "Completed (people)", "count"),
            show.Column("withdrawn", "Withdrawn (people)", "count"),
            show.Column("active", "Still taking part (people)", "count"),
            show.Column("Total", "Enrolled (people)", "count"),
        ],
        caption=caption,
        source=source,
    )


def attendance_table(rates: pd.DataFrame, *, caption: str, source: str = "") -> show.Table:
    """Attendance by session (:func:`attendance_rate`) as a report table."""
    return show.table(
        rates,
        [
            show.Column("session", "Session"),
            show.Column("attendance_rate", "Attending (% of enrolled)", "percent"),
            show.Column("n", "On the register (people)", "count"),
        ],
        caption=caption,
        source=source,
    )


def rates_alt_text(rates: pd.DataFrame, intro: str, column: str = "attendance_rate") -> str:
    """A bar chart's text alternative: ``intro``, then each session's rate in ``column`` as a percentage
    (``[c]`` where it was suppressed).

    Examples
    --------
    >>> rates_alt_text(pd.DataFrame({"session": [1, 2], "attendance_rate": [0.875, None]}), "Attendance")
    'Attendance: session 1: 88%; session 2: [c] (not shown)'
    """
    return f"{intro}: " + "; ".join(
        f"session {session}: {numbers.SUPPRESSED + ' (not shown)' if pd.isna(rate) else numbers.percent(rate)}"
        for session, rate in zip(rates["session"], rates[column], strict=True)
    )


def content_finding(resources: pd.DataFrame, scope: str) -> str:
    """One sentence on the open content of ``scope`` (e.g. "Cohort C1") from :func:`content_summary`'s table
    (views, downloads and organisations are not people: no interval and no suppression).

    Examples
    --------
    >>> table = pd.DataFrame({"resource_id": ["R01", "Total"], "views": [2700, 2700], "downloads": [245, 245],
    ...                       "reusing_organisations": [1, 1]})
    >>> print(content_finding(table, "Cohort C1"))  # doctest: +NORMALIZE_WHITESPACE
    Cohort C1 published 1 open resource: 2,700 views, 245 downloads, 1 organisation known to reuse it
    (counts of all use, not a sample: no interval).
    """
    total = resources[resources["resource_id"] == "Total"].iloc[0]
    listed = int((resources["resource_id"] != "Total").sum())
    plural = "s" if listed != 1 else ""
    organisations = int(total["reusing_organisations"])
    return (
        f"{scope} published {numbers.count(listed)} open resource{plural}: {numbers.count(total['views'])} "
        f"views, {numbers.count(total['downloads'])} downloads, {numbers.count(organisations)} "
        f"organisation{'s' if organisations != 1 else ''} known to reuse {'them' if listed != 1 else 'it'} "
        "(counts of all use, not a sample: no interval)."
    )
