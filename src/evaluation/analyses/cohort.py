"""Leadership cohorts: scale scores, paired change, ratings, completion and applications.

The programme's measures of success: (1) change in self-reported confidence
and competence (and application); (2) evidence that new approaches were
applied at work; (3) participants' ratings of quality, relevance,
effectiveness and applicability; (4) open content reused by others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from scipy import stats

from .. import presentation as show
from ..coverage import coverage_note, quoted_coverage
from ..presentation import numbers, people
from ..statistics.disclosure import DEFAULT_THRESHOLD, TOTAL, protect_shares, share_publishable, suppress_counts
from ..statistics.paired import (
    CompletePairs,
    cohens_dz,
    complete_pairs,
    hodges_lehmann,
    paired_mean_change,
    rank_biserial,
    wilcoxon_signed_rank,
)
from ..statistics.scales import cronbach_alpha, mcdonald_omega, reverse_code, scale_scores
from ..tidy import Estimate

OUTCOMES = ("confidence", "competence", "application")
#: Largest number of raters for which a mean rating counts as one cohort's (cohorts have 5-9 people).
COHORT_RATERS = 9
RATINGS = ("quality", "relevance", "effectiveness", "applicability")
WAVE_PAIRS: dict[str, tuple[str, str]] = {
    "baseline-endpoint": ("baseline", "endpoint"),
    "baseline-follow-up": ("baseline", "follow-up"),
    "endpoint-follow-up": ("endpoint", "follow-up"),
}


def item_matrix(responses: pd.DataFrame, instrument: pd.DataFrame, construct: str) -> pd.DataFrame:
    """Respondents x items of one construct (one row per respondent and wave), reverse-coded items turned round."""
    items = instrument[instrument["construct"] == construct]
    if items.empty:
        raise ValueError(f"no instrument items measure '{construct}'")
    mine = responses[responses["item_id"].isin(items["item_id"])]
    wide = mine.pivot_table(index=["respondent", "wave"], columns="item_id", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(items["item_id"]))
    reversed_items = [i for i in items.loc[items["reverse_coded"].astype(bool), "item_id"] if i in wide]
    if reversed_items:
        low, high = int(items["scale_min"].min()), int(items["scale_max"].max())
        wide = reverse_code(wide, reversed_items, scale_min=low, scale_max=high)
    return wide


def construct_scores(
    responses: pd.DataFrame, instrument: pd.DataFrame, constructs: tuple[str, ...] = OUTCOMES, min_answered: float = 0.5
) -> pd.DataFrame:
    """Long scale scores: ``participant, wave, construct, score`` (half rule for missing items)."""
    frames = []
    for construct in constructs:
        wide = item_matrix(responses, instrument, construct)
        score = scale_scores(wide, min_answered=min_answered)
        frames.append(
            pd.DataFrame(
                {
                    "participant": score.index.get_level_values("respondent"),
                    "wave": score.index.get_level_values("wave"),
                    "construct": construct,
                    "score": score.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def reliability(responses: pd.DataFrame, instrument: pd.DataFrame, construct: str, wave: str) -> list[Estimate]:
    """Cronbach's alpha (with Feldt CI) and McDonald's omega of a construct's items at one wave."""
    wide = item_matrix(responses, instrument, construct)
    at_wave = wide.xs(wave, level="wave") if wave in wide.index.get_level_values("wave") else wide.iloc[0:0]
    group = f"{construct} ({wave})"
    return [cronbach_alpha(at_wave).with_context(group=group), mcdonald_omega(at_wave).with_context(group=group)]


@dataclass(frozen=True)
class PairedChange:
    """Every paired statistic of one construct between two waves, and who could not be paired."""

    construct: str
    pairs: CompletePairs
    estimates: list[Estimate]


def paired_change(
    scores: pd.DataFrame,
    construct: str,
    from_wave: str,
    to_wave: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> PairedChange:
    """Mean change (t), exact Wilcoxon, Hodges-Lehmann, d_z and rank-biserial for participants with both waves."""
    mine = scores[scores["construct"] == construct]
    pairs = complete_pairs(mine, baseline=from_wave, endpoint=to_wave)
    pre, post = pairs.pre, pairs.post
    estimates = [
        paired_mean_change(pre, post, confidence_level=confidence_level),
        wilcoxon_signed_rank(pre, post),
        hodges_lehmann(pre, post, confidence_level=confidence_level),
        cohens_dz(pre, post, confidence_level=confidence_level),
        rank_biserial(pre, post, confidence_level=confidence_level, n_resamples=resamples, seed=seed),
    ]
    group = f"{construct}: {from_wave} to {to_wave}"
    return PairedChange(construct, pairs, [e.with_context(group=group) for e in estimates])


def paired_changes(
    scores: pd.DataFrame,
    constructs: tuple[str, ...],
    from_wave: str,
    to_wave: str,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> list[PairedChange]:
    """:func:`paired_change` of each construct, in order."""
    return [
        paired_change(scores, c, from_wave, to_wave, confidence_level=confidence_level, resamples=resamples, seed=seed)
        for c in constructs
    ]


def change_estimates(changes: list[PairedChange]) -> list[Estimate]:
    """Every estimate of :func:`paired_changes`, one list (construct by construct)."""
    return [estimate for change in changes for estimate in change.estimates]


def multi_item_reliability(
    responses: pd.DataFrame, instrument: pd.DataFrame, wave: str, constructs: tuple[str, ...] = OUTCOMES
) -> list[Estimate]:
    """:func:`reliability` of each construct measured by 3 or more items (alpha needs 3+ items)."""
    return [
        estimate
        for c in constructs
        if (instrument["construct"] == c).sum() >= 3
        for estimate in reliability(responses, instrument, c, wave)
    ]


def mean_changes(change_table: pd.DataFrame) -> pd.DataFrame:
    """The ``mean_change`` rows of a (suppressed) paired-change frame, labelled by construct."""
    means = change_table[change_table["term"] == "mean_change"]
    return means.assign(label=means["group"].str.split(":").str[0])


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


def exclusions_table(changes: list[PairedChange]) -> pd.DataFrame:
    """How many participants each paired analysis covers and why the others are excluded."""
    return pd.DataFrame(
        [
            {
                "construct": c.construct,
                "paired": c.pairs.n,
                "missing baseline": c.pairs.missing_baseline,
                "missing endpoint": c.pairs.missing_endpoint,
                "missing both": c.pairs.missing_both,
            }
            for c in changes
        ]
    )


def without_total_row(table: pd.DataFrame, label_column: str = "construct") -> pd.DataFrame:
    """A published count table without its ``Total`` row, for tables whose rows count the same people.

    Every scale of the paired analysis is answered by the same participants, so a total across scales is no
    count of anyone, and it gives each scale's suppressed count back (15 with both surveys over three scales is
    5 each).
    """
    return table[table[label_column] != TOTAL].reset_index(drop=True)


def rating_estimates(scores: pd.DataFrame, wave: str = "endpoint", confidence_level: float = 0.95) -> list[Estimate]:
    """Mean rating (1-5) of each programme-quality construct at a wave, with a t interval."""
    out = []
    for construct, group in scores[scores["wave"] == wave].groupby("construct", sort=False):
        values = group["score"].dropna().to_numpy()
        n = values.size
        mean = float(values.mean()) if n else np.nan
        se = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
        half = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1) * se) if n > 1 else np.nan
        # With a cohort's handful of raters near the ceiling the t interval falls short: say by how much.
        note = coverage_note("rating_cohort") if n <= COHORT_RATERS else ""
        out.append(
            Estimate(
                f"mean_rating_{construct}",
                mean,
                std_error=se,
                conf_low=mean - half,
                conf_high=mean + half,
                n=n,
                method="mean with t interval" + note,
                group=f"{construct} ({wave})",
            )
        )
    return out


def completion_counts(participants: pd.DataFrame, by: str = "cohort_id", k: int = 5) -> pd.DataFrame:
    """Enrolled, completed, withdrawn and still active by group, with small cells suppressed (``[c]``)."""
    status = np.select(
        [participants["completed_on"].notna(), participants["withdrawn_on"].notna()],
        ["completed", "withdrawn"],
        default="active",
    )
    table = pd.crosstab(participants[by], pd.Series(status, index=participants.index, name="status"))
    table = table.reindex(columns=["completed", "withdrawn", "active"], fill_value=0)
    return suppress_counts(table, k=k).formatted().reset_index()


def attendance_rate(attendance: pd.DataFrame, k: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Share of enrolled participants attending each session (``n`` = people on the register), protected.

    A session's rate beside its register gives the number absent back (62% of
    8: 3 absent), so a rate whose attending or absent count is under ``k`` is
    suppressed (:func:`~evaluation.statistics.disclosure.protect_shares`;
    ``suppressed`` marks it). :func:`attendance_summary` gives the cohort's
    attendance over all sessions.
    """
    grouped = attendance.groupby("session")["attended"]
    rates = pd.DataFrame(
        {"session": grouped.mean().index, "attendance_rate": grouped.mean().to_numpy(), "n": grouped.size().to_numpy()}
    )
    protected = protect_shares(rates, {"attendance_rate": "n"}, k)
    return protected.assign(suppressed=protected["attendance_rate"].isna() & rates["attendance_rate"].notna())


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


def applications_by_type(applications: pd.DataFrame, participants: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """People reporting each kind of application at work, with small counts suppressed."""
    mine = applications[applications["participant_id"].isin(participants["participant_id"])]
    people = mine.groupby("application_type")["participant_id"].nunique().rename("people")
    table = people.to_frame()
    return suppress_counts(table, k=k).formatted().reset_index()


def describe_interval(
    estimate: Estimate, what: str, *, shown: Callable[[float], str] = numbers.score, confidence_level: float = 0.95
) -> str:
    """One plain phrase: ``what``, the estimate and its interval, or that it is not reported.

    ``shown`` formats the estimate and both ends by the report's number rules
    (:mod:`evaluation.presentation.numbers`: ``score`` for scale points, ``percent`` for a proportion,
    ``money`` for pounds). When the coverage study measured this kind of interval short of 93% (a note in
    ``method``, :func:`evaluation.coverage.coverage_note`), the measured coverage is given beside it.

    Examples
    --------
    >>> describe_interval(Estimate("x", 2083.3, conf_low=1900, conf_high=2300), "Cost per participant",
    ...                   shown=numbers.money)
    'Cost per participant: £2,083 (95% interval £1,900 to £2,300)'
    >>> describe_interval(Estimate("r", 0.25, conf_low=0.1, conf_high=0.5), "Drop-out", shown=numbers.percent)
    'Drop-out: 25% (95% interval 10% to 50%)'
    >>> describe_interval(Estimate("x", float("nan")), "Mean rating")
    'Mean rating: not reported (too few people, or not estimable)'
    """
    if numbers.is_missing(estimate.estimate):
        return f"{what}: not reported (too few people, or not estimable)"
    interval = numbers.interval(estimate.conf_low, estimate.conf_high, shown, confidence_level=confidence_level)
    interval = f" ({interval}{quoted_coverage(estimate.method)})" if interval else ""
    return f"{what}: {shown(estimate.estimate)}{interval}"


def describe_change(
    estimate: Estimate,
    construct: str,
    scale: str = "1-5 scale",
    *,
    population: str,
    period: str = "",
    counted: str = "{n} participants with both surveys",
    missing: str = "too few participants with both surveys",
    confidence_level: float = 0.95,
) -> str:
    """One plain-English sentence for a change, its interval and whether the interval excludes no change.

    ``population`` names whom the count is about (e.g. "cohort C1"), for the run's disclosure audit;
    ``period`` (e.g. "from baseline to endpoint") follows the scale; ``counted`` says who the estimate is
    about (``{n}`` is replaced by ``estimate.n``, marked with :func:`evaluation.presentation.people`);
    ``missing`` says why an unreported change is missing. Numbers follow the report's rules (2 d.p.).

    Examples
    --------
    >>> up = Estimate("mean_change", 0.42, conf_low=0.1, conf_high=0.74, n=8)
    >>> print(describe_change(up, "confidence", population="cohort C1"))  # doctest: +NORMALIZE_WHITESPACE
    Confidence rose by 0.42 points on the 1-5 scale (95% interval +0.10 to +0.74;
    <span data-people="cohort C1">8</span> participants with both surveys): the interval excludes no change.
    """
    if numbers.is_missing(estimate.estimate):
        return f"{construct.capitalize()}: not reported ({missing})."
    direction = "rose" if estimate.estimate > 0 else "fell" if estimate.estimate < 0 else "did not change"
    interval = (
        numbers.interval(
            estimate.conf_low,
            estimate.conf_high,
            partial(numbers.score, signed=True),
            confidence_level=confidence_level,
        )
        or "no interval could be computed"
    )
    # "No change", not "no effect": a before-and-after comparison without a control group shows change only.
    verdict = (
        "without an interval the data cannot say whether it differs from no change"
        if numbers.is_missing(estimate.conf_low) or numbers.is_missing(estimate.conf_high)
        else "the interval excludes no change"
        if estimate.conf_low > 0 or estimate.conf_high < 0
        else "the interval includes no change, so the data cannot rule out no change"
    )
    during = f" {period}" if period else ""
    return (
        f"{construct.capitalize()} {direction} by {numbers.score(abs(estimate.estimate))} points on the "
        f"{scale}{during} ({interval}; {counted.format(n=people(estimate.n or None, population))}): {verdict}."
    )


# ---------------------------------------------------------------------------
# The cohort report: its question, design, findings and tables as a reader sees them.

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


def change_evidence(estimate: Estimate, population: str) -> str:
    """The strength of evidence of a before-and-after change, for the summary.

    Examples
    --------
    >>> change_evidence(Estimate("mean_change", 0.5, conf_low=0.1, conf_high=0.9, n=6), "cohort C1")[:52]
    'Moderate for a change among these participants (the '
    """
    if numbers.is_missing(estimate.estimate):
        return "None: too few people answered both surveys to report a change."
    if numbers.is_missing(estimate.conf_low) or numbers.is_missing(estimate.conf_high):
        strength = "Weak: no interval could be computed"
    elif estimate.conf_low > 0 or estimate.conf_high < 0:
        strength = "Moderate for a change among these participants (the interval excludes no change)"
    else:
        strength = "Weak: the interval includes no change"
    return (
        f"{strength}; {people(estimate.n or None, population)} people, self-reported, before and after without a "
        "comparison group, so not evidence that the programme caused the change."
    )


def ratings_finding(ratings: pd.DataFrame, population: str, *, confidence_level: float = 0.95) -> tuple[str, str]:
    """The key finding on ratings (text, strength of evidence) from the suppressed rating rows of
    :func:`rating_estimates`: each rating with its interval, labelled by a ``label`` column if there is one
    (else by the construct)."""
    # The measured coverage is the same for each rating: given once, after the ratings.
    labels = ratings["label"] if "label" in ratings else ratings["group"].str.split(" (", regex=False).str[0]
    parts = [
        describe_interval(
            Estimate(row.term, row.estimate, conf_low=row.conf_low, conf_high=row.conf_high),
            str(label),
            confidence_level=confidence_level,
        )
        for row, label in zip(ratings.itertuples(), labels, strict=True)
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
