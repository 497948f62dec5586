"""What the digital maturity report shows: its findings, tables and charts, section by section.

The report runs for London (``authority="all"``) or for one authority against London. :func:`prepare` reads
the run's inputs and resolves the parameters once (:class:`MaturitySetup`); each ``*_section`` function then
publishes what its section publishes, adds its findings to the report's
:class:`~evaluation.presentation.Findings` and returns what the notebook displays (``display(*section)``).
Numbers follow :mod:`evaluation.presentation.numbers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ... import presentation as show
from ...charts import interval_chart
from ...presentation import numbers
from ...tidy import to_frame
from . import sensitivity as rank_sensitivity  # a module: the notebook's league_table parameter is a flag
from .change import authority_change, change_by_membership, domain_change_table, london_change
from .figures import change_dumbbell_chart, comparison_dot_plot, london_dot_plot, rank_range_chart
from .london import comparison_estimates, london_comparison, london_summary, summary_estimates
from .scores import ALL, INDEX, assessment_rounds, check_authority, parse_weights, resolve_round, score_table

#: What the design can and cannot show (the report's summary repeats it).
MATURITY_DESIGN = (
    "Authorities' own assessments of their digital maturity, repeated in rounds: a before-and-after description "
    "without a comparison group, so it shows change, not its cause. Scores are self-reported and ordinal (a mean "
    "treats the steps between levels as equal), and authorities may score themselves differently, so small "
    "differences between authorities, and rankings, are not reliable. Intervals describe variation across "
    "authorities or domains, not the error of self-assessment. The comparison of LOTI members with other "
    "authorities is descriptive: authorities chose to join. With 33 authorities, numbers are small."
)


@dataclass(frozen=True)
class MaturitySetup:
    """The inputs of one maturity report and its resolved parameters."""

    authority: str
    name: str
    names: dict[str, str]
    assessments: pd.DataFrame
    authorities: pd.DataFrame
    membership: pd.DataFrame | None
    weights: pd.Series
    start: pd.Timestamp
    end: pd.Timestamp
    rounds: list[pd.Timestamp]
    scores: pd.DataFrame

    @property
    def london(self) -> bool:
        """Whether the report is about London as a whole (``authority="all"``)."""
        return self.authority == ALL


def month(day: pd.Timestamp) -> str:
    """A round as a reader names it: ``June 2023``.

    Examples
    --------
    >>> month(pd.Timestamp("2023-06-30"))
    'June 2023'
    """
    return f"{pd.Timestamp(day):%B %Y}"


def period_label(label: str) -> str:
    """``2021-06-30 to 2023-06-30`` (a published interval label) as UK dates: ``30 June 2021 to 30 June 2023``.

    Examples
    --------
    >>> period_label("2021-06-30 to 2023-06-30")
    '30 June 2021 to 30 June 2023'
    """
    return " to ".join(numbers.date(part) for part in label.split(" to "))


def prepare(run: Any, authority: str, weights: str, from_round: str, to_round: str) -> MaturitySetup:
    """Read the inputs (membership only for London) and resolve the authority, weights and rounds.

    Refuses an unknown authority, malformed weights, or a ``from_round`` not before ``to_round``.
    """
    assessments = run.read("maturity_assessments")
    authorities = run.read("authorities")
    check_authority(authority, authorities)
    membership = run.read("membership") if authority == ALL else None
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    start, end = resolve_round(assessments, from_round), resolve_round(assessments, to_round)
    if start >= end:
        raise ValueError(f"from_round ({start.date()}) must be before to_round ({end.date()})")
    return MaturitySetup(
        authority,
        "London" if authority == ALL else names[authority],
        names,
        assessments,
        authorities,
        membership,
        parse_weights(weights),
        start,
        end,
        assessment_rounds(assessments),
        score_table(assessments, end),
    )


def question(setup: MaturitySetup) -> str:
    """The question the report answers."""
    if setup.london:
        return (
            f"How digitally mature do London's authorities judge themselves, and how did that change from "
            f"{month(setup.start)} to {month(setup.end)}?"
        )
    return (
        f"How does {setup.name}'s self-assessed digital maturity compare with London's, and how did it change "
        f"from {month(setup.start)} to {month(setup.end)}?"
    )


def overview_section(run: Any, findings: show.Findings, setup: MaturitySetup) -> list[Any]:
    """The rounds compared and the weights of the domains (published)."""
    complete = int(setup.scores.notna().all(axis=1).sum())
    weight_table = setup.weights.rename("weight").rename_axis("domain").reset_index()
    run.publish_table("weights", weight_table, title="Weights of the domains in the maturity index", people_column=None)
    return [
        findings.finding(
            f"{setup.name}: {numbers.count(len(setup.rounds))} assessment rounds ("
            + ", ".join(month(r) for r in setup.rounds)
            + f"); this report compares {month(setup.start)} with "
            f"{month(setup.end)}. {numbers.count(complete)} authorities scored every domain in {month(setup.end)}."
        ),
        show.table(
            weight_table.assign(share=weight_table["weight"] / weight_table["weight"].sum()),
            [
                show.Column("domain", "Domain"),
                show.Column("weight", "Weight", "number"),
                show.Column("share", "Share of the index (%)", "percent"),
            ],
            caption="Weights of the domains in the maturity index",
        ),
    ]


def standing_section(
    run: Any,
    findings: show.Findings,
    setup: MaturitySetup,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> list[Any]:
    """London's level in each domain and round, or the authority against London (tables and chart published)."""
    summaries = {
        month(r): london_summary(
            score_table(setup.assessments, r),
            setup.weights,
            confidence_level=confidence_level,
            resamples=resamples,
            seed=seed,
        )
        for r in setup.rounds
    }
    if setup.london:
        by_round = pd.concat([s.assign(round=label) for label, s in summaries.items()], ignore_index=True)
        run.publish_table(
            "london_by_domain",
            by_round,
            title="London: mean, median and quartiles of each domain by round",
            people_column=None,
        )
        run.publish_results([e for label, s in summaries.items() for e in summary_estimates(s, label)])
        figure, alt = london_dot_plot(summaries, confidence_level)
        run.publish_figure("against_london", figure, alt_text=alt)
        latest = summaries[month(setup.end)].set_index("measure").to_dict("index")[INDEX]
        return [
            findings.finding(
                f"In {month(setup.end)} London's mean maturity index was {numbers.score(latest['london_mean'])} on the "
                f"1 to 5 scale ("
                + numbers.interval(latest["mean_low"], latest["mean_high"], confidence_level=confidence_level)
                + f"; median {numbers.score(latest['london_median'])})."
            ),
            figure,
            show.table(
                by_round,
                [
                    show.Column("round", "Round"),
                    show.Column("measure", "Domain"),
                    show.Column("london_mean", "Mean (1 to 5)", "score"),
                    show.Column("mean_low", f"{numbers.percent(confidence_level)} interval, low", "score"),
                    show.Column("mean_high", f"{numbers.percent(confidence_level)} interval, high", "score"),
                    show.Column("london_median", "Median", "score"),
                    show.Column("london_q1", "25th percentile", "score"),
                    show.Column("london_q3", "75th percentile", "score"),
                    show.Column("authorities", "Authorities scored", "count"),
                ],
                caption="London: mean, median and quartiles of each domain by round",
                source="Digital maturity self-assessments",
            ),
        ]
    comparison = london_comparison(
        setup.scores, setup.weights, setup.authority, confidence_level=confidence_level, resamples=resamples, seed=seed
    )
    run.publish_table(
        "comparison_with_london",
        comparison,
        title=f"{setup.name} against London, {month(setup.end)}",
        people_column=None,
    )
    run.publish_results(comparison_estimates(comparison, confidence_level))
    mine = setup.assessments[setup.assessments["authority_code"] == setup.authority].sort_values(
        ["assessed_on", "domain"]
    )
    run.publish_table(
        "maturity",
        mine[["authority_code", "assessed_on", "domain", "score"]],
        title=f"{setup.name}: self-assessed scores by domain and round",
        people_column=None,
    )
    figure, alt = comparison_dot_plot(comparison, setup.name, month(setup.end))
    run.publish_figure("against_london", figure, alt_text=alt)
    index = comparison.set_index("measure").to_dict("index")[INDEX]
    return [
        findings.key(
            f"{setup.name} against London",
            f"In {month(setup.end)} {setup.name}'s maturity index was {numbers.score(index['score'])}, "
            f"{numbers.score(index['difference'], signed=True)} points from the London mean "
            f"({_signed_interval(index['difference_low'], index['difference_high'], confidence_level)}), "
            f"{index['position']}.",
            "Self-assessed scores on an ordinal scale; the interval reflects how precisely London's mean is known, "
            "not the error of self-assessment.",
        ),
        figure,
        show.table(
            comparison,
            [
                show.Column("measure", "Domain"),
                show.Column("score", f"{setup.name} (1 to 5)", "score"),
                show.Column("london_median", "London median", "score"),
                show.Column("london_q1", "London 25th percentile", "score"),
                show.Column("london_q3", "London 75th percentile", "score"),
                show.Column("london_mean", "London mean", "score"),
                show.Column("difference", "Difference from the London mean", "change"),
                show.Column("position", "Position"),
            ],
            caption=f"{setup.name} against London, {month(setup.end)}",
            source="Digital maturity self-assessments",
        ),
    ]


def change_section(
    run: Any,
    findings: show.Findings,
    setup: MaturitySetup,
    *,
    confidence_level: float = 0.95,
    resamples: int = 2000,
    seed: int = 20241,
) -> list[Any]:
    """The change between the two rounds: London's (with intervals) or the authority's, against London's."""
    london_changes = london_change(
        setup.assessments,
        setup.weights,
        setup.start,
        setup.end,
        confidence_level=confidence_level,
        resamples=resamples,
        seed=seed,
    )
    london_t = next(e for e in london_changes if e.term == "index_change")
    between = f"from {month(setup.start)} to {month(setup.end)}"
    if setup.london:
        run.publish_results(london_changes)
        changes = to_frame(london_changes)
        changes = changes[(changes["term"] == "domain_change") | changes["method"].str.contains("t-test")]
        changes = changes.assign(
            label=[
                g.split(":")[0] if t == "domain_change" else INDEX
                for g, t in zip(changes["group"], changes["term"], strict=True)
            ]
        )
        level = numbers.percent(confidence_level)
        figure = interval_chart(
            changes,
            label="label",
            title=f"London: change {between}",
            x_title=f"Mean change in score (points on the 1-5 scale), {level} interval",
        )
        figure.update_yaxes(automargin=True)
        alt = (
            f"Mean change of London authorities' scores {between} with {level} intervals: "
            + "; ".join(
                f"{r.label} {r.estimate:+.2f} ({r.conf_low:+.2f} to {r.conf_high:+.2f})" for r in changes.itertuples()
            )
            + "."
        )
        run.publish_figure("change", figure, alt_text=alt)
        return [
            findings.key(
                "Change in London",
                f"London authorities' mean maturity index changed by {numbers.score(london_t.estimate, signed=True)} "
                f"points {between} ({_signed_interval(london_t.conf_low, london_t.conf_high, confidence_level)}, "
                f"{numbers.p_phrase(london_t.p_value)}; paired over {numbers.count(london_t.n)} authorities).",
                "Before and after, self-assessed, no comparison group: it shows change, not its cause.",
            ),
            figure,
            show.table(
                changes,
                [
                    show.Column("label", "Domain"),
                    show.Column("estimate", "Mean change (points)", "change"),
                    show.Column("conf_low", f"{level} interval, low", "change"),
                    show.Column("conf_high", f"{level} interval, high", "change"),
                    show.Column("p_value", "p-value", "p"),
                    show.Column("n", "Authorities", "count"),
                ],
                caption=f"London: mean change in score {between} (paired t-test)",
                source="Digital maturity self-assessments",
            ),
        ]
    change = authority_change(
        setup.assessments,
        setup.weights,
        setup.authority,
        setup.start,
        setup.end,
        confidence_level=confidence_level,
        resamples=resamples,
        seed=seed,
    )
    run.publish_results([change, *[e for e in london_changes if e.term == "index_change"]])
    table = domain_change_table(setup.assessments, setup.start, setup.end)
    table = table[table["authority_code"] == setup.authority]
    figure, alt = change_dumbbell_chart(table, setup.name, month(setup.start), month(setup.end))
    run.publish_figure("change", figure, alt_text=alt)
    return [
        findings.key(
            f"Change in {setup.name}",
            f"{setup.name}'s index changed by {numbers.score(change.estimate, signed=True)} points {between} "
            f"({_signed_interval(change.conf_low, change.conf_high, confidence_level)} over domains); London's mean "
            f"change was {numbers.score(london_t.estimate, signed=True)} "
            f"({_signed_interval(london_t.conf_low, london_t.conf_high, confidence_level)}).",
            "Before and after, self-assessed, no comparison group; the interval says how consistent the change was "
            "across domains, not how accurate the self-assessment is.",
        ),
        figure,
        show.table(
            table,
            [
                show.Column("domain", "Domain"),
                show.Column("score_from", month(setup.start), "number"),
                show.Column("score_to", month(setup.end), "number"),
                show.Column("change", "Change (points)", "change"),
            ],
            caption=f"{setup.name}: domain scores {between}",
            source="Digital maturity self-assessments",
        ),
    ]


def _signed_interval(low: float, high: float, confidence_level: float) -> str:
    return (
        numbers.interval(low, high, lambda v: numbers.score(v, signed=True), confidence_level=confidence_level)
        or "interval not available"
    )


def membership_section(
    run: Any, findings: show.Findings, setup: MaturitySetup, *, confidence_level: float = 0.95
) -> list[Any]:
    """London only: index change of LOTI members and of other authorities (descriptive), published."""
    if not setup.london:
        return [show.Markdown("*Shown in the London report (authority = all).*")]
    if setup.membership is None:  # prepare reads it whenever the report is London's
        raise ValueError("the London maturity report needs the LOTI membership table")
    by_membership = change_by_membership(
        setup.assessments, setup.membership, setup.weights, confidence_level=confidence_level
    )
    run.publish_table(
        "change_by_membership",
        by_membership,
        title="Index change by LOTI membership at the start of each interval (descriptive)",
        people_column=None,
    )
    shown: list[Any] = []
    intervals = list(by_membership["interval"].unique())
    for label, rows in by_membership.groupby("interval", sort=False):
        mean_change = rows.set_index("group")["estimate"].astype(float)
        difference = rows.to_dict("records")[-1]
        sentence = (
            f"From {period_label(str(label))}, LOTI members' index changed by "
            f"{numbers.score(mean_change['LOTI members'], signed=True)} points on average and other "
            f"authorities' by {numbers.score(mean_change['Non-members'], signed=True)}: a difference of "
            f"{numbers.score(difference['estimate'], signed=True)} "
            f"({_signed_interval(difference['conf_low'], difference['conf_high'], confidence_level)}, "
            f"{numbers.p_phrase(difference['p_value'])})."
        )
        shown.append(
            findings.key(
                "LOTI members and other authorities",
                sentence,
                "Descriptive: authorities chose to join, so the difference is not evidence that membership caused it.",
            )
            if label == intervals[-1]
            else findings.finding(sentence)
        )
    level = numbers.percent(confidence_level)
    shown.append(
        show.table(
            by_membership.assign(period=by_membership["interval"].map(period_label)),
            [
                show.Column("period", "Between rounds"),
                show.Column("group", "Group"),
                show.Column("estimate", "Mean change in the index (points)", "change"),
                show.Column("conf_low", f"{level} interval, low", "change"),
                show.Column("conf_high", f"{level} interval, high", "change"),
                show.Column("n", "Authorities", "count"),
                show.Column("p_value", "p-value (difference)", "p"),
            ],
            caption="Index change by LOTI membership at the start of each interval (descriptive)",
            notes=["The difference row's authorities are those of the smaller group; its interval is Welch's."],
            source="Digital maturity self-assessments; LOTI membership",
        )
    )
    return shown


def ranking_section(
    run: Any,
    findings: show.Findings,
    setup: MaturitySetup,
    *,
    draws: int = 1000,
    concentration: float = 1.0,
    seed: int = 20241,
    league_table: bool = False,
) -> list[Any]:
    """How far ranks depend on the weights: results, chart and (league table or the authority's ranks) published."""
    sensitivity = rank_sensitivity.weight_sensitivity(
        setup.scores, setup.weights, draws=draws, concentration=concentration, seed=seed
    )
    estimates = sensitivity.estimates()
    run.publish_results(estimates)
    named = setup.london and league_table
    figure, alt = rank_range_chart(
        sensitivity, highlight=None if setup.london else setup.authority, names=setup.names if named else None
    )
    run.publish_figure("rank_sensitivity", figure, alt_text=alt)
    spearman, median_width, max_width, same_quarter = estimates
    own = sensitivity.ranks[sensitivity.ranks["authority_code"] == setup.authority]
    position = (
        ""
        if own.empty
        else (
            f"{setup.name} is ranked {numbers.count(own['rank'].iloc[0])} of {numbers.count(len(sensitivity.ranks))} "
            f"(between {numbers.count(own['rank_low'].iloc[0])} and {numbers.count(own['rank_high'].iloc[0])} under "
            "redrawn weights). "
        )
    )
    shown: list[Any] = [
        findings.key(
            "Rankings",
            position + f"When the weights of the domains are redrawn {numbers.count(draws)} times, an "
            "authority's rank "
            f"moves over a range of {numbers.number(median_width.estimate)} places (median; up to "
            f"{numbers.number(max_width.estimate)}), and the median authority stays in the same quarter of the ranking "
            f"in {numbers.percent(same_quarter.estimate)} of weightings (rank correlation with the chosen weights "
            f"{numbers.score(spearman.estimate)}).",
            "A sensitivity analysis of a self-assessed index: it shows how much rankings depend on the weights, so "
            "small differences in rank should not be read as real.",
        ),
        figure,
    ]
    if named:
        ranking = rank_sensitivity.league_table(sensitivity, setup.authorities)
        run.publish_table(
            "league_table",
            ranking,
            title=f"Authorities by maturity index, {month(setup.end)}, with rank ranges",
            people_column=None,
        )
        return shown + [_rank_table(ranking, f"Authorities by maturity index, {month(setup.end)}, with rank ranges")]
    if setup.london:
        return shown
    run.publish_table(
        "rank_sensitivity",
        own,
        title=f"{setup.name}: rank by maturity index and its range over redrawn weights",
        people_column=None,
    )
    return shown + [
        _rank_table(
            own.assign(authority=setup.name), f"{setup.name}: rank by maturity index and its range over redrawn weights"
        )
    ]


def _rank_table(ranks: pd.DataFrame, caption: str) -> show.Table:
    return show.table(
        ranks,
        [
            show.Column("authority", "Authority"),
            show.Column("index", "Maturity index (1 to 5)", "score"),
            show.Column("rank", "Rank (1 = most mature)", "count"),
            show.Column("rank_low", "Rank range, from", "count"),
            show.Column("rank_high", "Rank range, to", "count"),
            show.Column("share_same_quarter", "Weightings keeping it in the same quarter (%)", "percent"),
        ],
        caption=caption,
        source="Digital maturity self-assessments",
    )
