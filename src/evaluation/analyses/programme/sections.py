"""The programme report as its reader sees it: the question, the design, findings and tables in words.

Every function here takes the frames the programme notebook has already suppressed and checked (so nothing
suppressed can reach a sentence) and returns either a sentence (or a bullet list of them) formatted by
:mod:`evaluation.presentation.numbers`, or a :class:`evaluation.presentation.Table`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from ... import presentation as show
from ...notes import AnalysisNote
from ...presentation import numbers, people
from ...tidy import Estimate

if TYPE_CHECKING:
    from ...run.contract import Run
from ...schemas.programme import OUTCOMES
from ..cohort import PairedChange, change_estimates, change_evidence, describe_change, describe_interval
from .change import ALL_COHORTS, ProgrammeChange
from .participation import completion_table
from .reporting import (
    checked_counts,
    describe_cohort_difference,
    describe_model_change,
    describe_test,
    row_estimate,
)
from .rollout import rollout_sentence

#: What the pooled before-and-after design can and cannot show (Magenta Book; Maryland SMS).
DESIGN = (
    "Before-and-after comparisons of every cohort's leaders, pooled, without a comparison group (level 2 of the "
    "Maryland Scientific Methods Scale). The report shows how leaders' answers changed and whether cohorts "
    "differed, not that the programme caused the change: without a counterfactual, other influences on the same "
    "leaders over the same months cannot be ruled out. Confidence, competence, ratings and most applications at "
    "work are self-reported. With a few dozen leaders the intervals are wide, only large differences between "
    "cohorts or groups could be detected, and counts under the disclosure threshold are suppressed ([c])."
)

QUESTION = (
    "Should the digital leadership programme be rolled out to more cohorts? Did leaders' self-reported confidence "
    "and competence rise, did they apply new approaches at work, how did they rate the programme, who dropped out, "
    "were outcomes equal across protected characteristics, and what did it cost?"
)

#: Tidy terms in words, for tables.
TERMS = {
    "mean_change": "Mean change (paired t-test)",
    "wilcoxon_signed_rank": "Wilcoxon signed-rank test",
    "hodges_lehmann": "Hodges-Lehmann median change",
    "cohens_dz": "Cohen's d_z (standardised change)",
    "rank_biserial": "Rank-biserial correlation",
    "mean_difference": "Mean difference (drop-outs minus completers)",
    "hodges_lehmann_shift": "Hodges-Lehmann shift (drop-outs minus completers)",
    "total_cost": "Total cost",
    "cost_per_participant": "Cost per enrolled leader",
    "cost_per_completer": "Cost per completer",
    "cost_per_point_gained": "Cost per point of confidence gained per completer",
    "days": "Facilitation days",
    "cost_at_actual_rate": "Cost at the programme's day rate",
    "cost_at_market_rate": "Cost at the market day rate",
    "day_rate_saving": "Saving against the market day rate",
    "saving_share": "Saving as a share of the market cost",
    "not_reported": "Not reported",
}

#: How each value-for-money term is shown (pounds unless listed).
_MONEY_SHOWN: dict[str, Callable[[float], str]] = {"days": numbers.number, "saving_share": numbers.percent}


def note_model_warnings(change: ProgrammeChange) -> None:
    """Each fitting warning of the mixed models as a plain-English :class:`AnalysisNote` (a report lists it
    under "Notes on the analysis")."""
    for warning in change.warnings:
        construct, _, message = warning.partition(": ")
        warnings.warn(
            f"The mixed model of {construct} reported a fitting problem ({message}); its estimates "
            "should be read with more caution than their intervals suggest",
            AnalysisNote,
            stacklevel=2,
        )


def pooled_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a tidy frame about all cohorts together, labelled by what precedes ": all cohorts"."""
    pooled = frame[frame["group"].str.endswith(ALL_COHORTS)]
    return pooled.assign(label=pooled["group"].str.split(": ").str[0])


def cohort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a tidy frame about single cohorts, labelled by their group."""
    by_cohort = frame[~frame["group"].str.endswith(ALL_COHORTS)]
    return by_cohort.assign(label=by_cohort["group"])


def pooled_paired_estimates(changes: list[PairedChange]) -> list[Estimate]:
    """The estimates of :func:`~evaluation.analyses.cohort.paired_changes` over all cohorts, their groups
    marked "(all cohorts)"."""
    return [e.with_context(group=f"{e.group} (all cohorts)") for e in change_estimates(changes)]


def publish_completion_tables(
    run: Run, participants: pd.DataFrame, tables: dict[str, tuple[str, str]], *, k: int
) -> dict[str, pd.DataFrame]:
    """Publish a disclosure-checked completion table (:func:`completion_table`) for each grouping column of
    ``tables`` (column -> (table name, title)); returns them by column."""
    published = {}
    for by, (name, title) in tables.items():
        published[by] = checked_counts(completion_table(participants, by, k=k), k)
        run.publish_table(name, published[by], title=title, people_column=None)
    return published


def scope_sentence(cohorts: pd.DataFrame, participants: pd.DataFrame, from_wave: str, to_wave: str) -> str:
    """Which cohorts and how many leaders the report covers (the count marked for the disclosure audit)."""
    names = ", ".join(cohorts["cohort_id"])
    return (
        f"{numbers.count(len(cohorts))} cohorts ({names}), {people(len(participants), ALL_COHORTS)} leaders "
        f"enrolled. The report compares the {from_wave} survey with the {to_wave} survey."
    )


def change_finding(
    changes: pd.DataFrame, construct: str, from_wave: str, to_wave: str, *, confidence_level: float = 0.95
) -> tuple[str, str]:
    """The key finding on a construct's mixed-model change across cohorts (sentence, strength of evidence)."""
    estimate = row_estimate(changes, "mixed_model_change", f"{construct}: {ALL_COHORTS}")
    return (
        describe_model_change(estimate, construct, from_wave, to_wave, confidence_level=confidence_level),
        change_evidence(estimate, ALL_COHORTS),
    )


def paired_findings(paired_table: pd.DataFrame, from_wave: str, to_wave: str, *, confidence_level: float = 0.95) -> str:
    """The paired (complete-case) change of each outcome, as a bullet list."""
    lines = [
        describe_change(
            row_estimate(paired_table, "mean_change", f"{c}: {from_wave} to {to_wave} (all cohorts)"),
            c,
            population=ALL_COHORTS,
            confidence_level=confidence_level,
        )
        for c in OUTCOMES
    ]
    return "\n".join(f"- {line}" for line in lines)


def estimates_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    group_header: str,
    estimate_header: str,
    source: str = "",
    notes: tuple[str, ...] = (),
) -> show.Table:
    """Tidy estimates (group, term, estimate, interval, p-value, people) as a report table, terms in words."""
    shown = frame.assign(
        term=frame["term"].map(TERMS).fillna(frame["term"]),
        value=frame["estimate"].fillna(frame["statistic"]) if "statistic" in frame else frame["estimate"],
    )
    return show.table(
        shown,
        [
            show.Column("group", group_header),
            show.Column("term", "Statistic"),
            show.Column("value", estimate_header, "number"),
            show.Column("conf_low", "95% interval, lower", "number"),
            show.Column("conf_high", "95% interval, upper", "number"),
            show.Column("p_value", "p-value", "p"),
            show.Column("n", "Smallest group (people)", "count"),
        ],
        caption=caption,
        source=source,
        notes=(
            "A test without an estimate shows its test statistic (for the Wilcoxon test, the signed-rank sum).",
            *notes,
        ),
    )


def coverage_table(coverage: pd.DataFrame, *, source: str = "") -> show.Table:
    """The survey-coverage counts (:func:`survey_coverage`, published form) as a report table."""
    return show.table(
        coverage,
        [
            show.Column("wave", "Survey"),
            show.Column("answered", "Answered (people)", "count"),
            show.Column("did not answer", "Did not answer (people)", "count"),
            show.Column("Total", "Enrolled (people)", "count"),
        ],
        caption="Enrolled leaders with a confidence score at each survey",
        source=source,
    )


def items_table(items: pd.DataFrame, instrument: pd.DataFrame, *, source: str = "") -> show.Table:
    """The item models (:func:`item_models`, suppressed) as a report table, each item by its wording."""
    wording = instrument.drop_duplicates("item_id").set_index("item_id")["wording"]
    frame = items.assign(item=items["term"].map(wording).fillna(items["term"]))
    return show.table(
        frame,
        [
            show.Column("group", "Scale"),
            show.Column("item", "Survey item"),
            show.Column("estimate", "Odds ratio of answering higher", "number"),
            show.Column("conf_low", "95% interval, lower", "number"),
            show.Column("conf_high", "95% interval, upper", "number"),
            show.Column("p_value", "p-value", "p"),
            show.Column("p_value_holm", "p-value, Holm-adjusted", "p"),
            show.Column("p_value_bh", "p-value, Benjamini-Hochberg", "p"),
            show.Column("n", "Smallest group (people)", "count"),
        ],
        caption="Change in each survey item (proportional-odds model, cohort adjusted)",
        source=source,
        notes=("An odds ratio above 1 means answers were higher at the later survey.",),
    )


def items_finding(items: pd.DataFrame, instrument: pd.DataFrame, *, alpha: float = 0.05) -> str:
    """How many survey items moved after Holm adjustment, and which (by their wording)."""
    wording = instrument.drop_duplicates("item_id").set_index("item_id")["wording"]
    moved = [f"“{wording.get(term, term).rstrip('.')}”" for term in items.loc[items["p_value_holm"] < alpha, "term"]]
    level = numbers.percent(alpha, digits=0 if float(100 * alpha).is_integer() else 1)
    return (
        f"{numbers.count(len(moved))} of {numbers.count(len(items))} survey items moved at the {level} level "
        "after Holm adjustment" + (f": {'; '.join(moved)}." if moved else ".")
    )


def cohort_difference_findings(tests: pd.DataFrame, *, alpha: float = 0.05) -> str:
    """Whether each outcome's change differed between cohorts, as a bullet list."""
    return "\n".join(f"- {describe_cohort_difference(tests, c, alpha=alpha)}" for c in OUTCOMES)


def dropout_finding(rates: pd.DataFrame, *, confidence_level: float = 0.95) -> tuple[str, str]:
    """The key finding on drop-out (text, strength of evidence), from the suppressed completion rates."""
    dropout = row_estimate(rates, "dropout_rate", ALL_COHORTS)
    text = (
        describe_interval(
            dropout,
            "Share of enrolled leaders who dropped out",
            shown=numbers.percent,
            confidence_level=confidence_level,
        )
        + "."
    )
    evidence = (
        "Strong as a count: it comes from the programme's own register of every leader enrolled; the "
        "interval treats these cohorts as a sample of the cohorts a roll-out would run."
    )
    return text, evidence


def dropout_findings(gaps: pd.DataFrame, *, alpha: float = 0.05, confidence_level: float = 0.95) -> str:
    """Whether drop-outs differed from completers at baseline, one bullet per outcome."""
    lines = []
    for c in OUTCOMES:
        shift = row_estimate(gaps, "hodges_lehmann_shift", f"{c} (baseline): drop-outs minus completers")
        shown = describe_interval(shift, "Hodges-Lehmann shift", confidence_level=confidence_level)
        lines.append(
            describe_test(shift, f"Did drop-outs differ from completers in baseline {c} ({shown})", alpha=alpha)
        )
    return "\n".join(f"- {line}" for line in lines)


def attendance_finding(sessions: pd.DataFrame) -> str:
    """The range of attendance a session among all enrolled and among those still enrolled, from the published
    (protected) rates of :func:`attendance_by_session`, saying how many sessions' rates are not shown."""
    parts = []
    for column, whom in (
        ("attendance_rate", "all enrolled leaders"),
        ("attendance_rate_still_enrolled", "leaders still enrolled"),
    ):
        shown, hidden = sessions[column].dropna(), int(sessions[column].isna().sum())
        gap = f" ({numbers.count(hidden)} of {numbers.count(len(sessions))} sessions not shown)" if hidden else ""
        if len(shown) > 1:
            parts.append(
                f"among {whom} it ranged from {numbers.percent(shown.min())} to "
                f"{numbers.percent(shown.max())} a session{gap}"
            )
        else:
            parts.append(
                f"among {whom} it was {numbers.percent(shown.iloc[0])} in the one session shown{gap}"
                if len(shown)
                else f"among {whom} no session's rate can be shown"
            )
    return (
        f"Attendance: {parts[0]}; {parts[1]}. A session's rate is not shown when the leaders attending or "
        "absent number fewer than the disclosure threshold."
    )


def equality_finding(equality: pd.DataFrame) -> str:
    """How many characteristic-outcome comparisons could be reported."""
    comparisons = equality.groupby(["characteristic", "outcome"]).ngroups
    reported = equality[equality["note"] == ""].groupby(["characteristic", "outcome"]).ngroups
    return (
        f"Equality: {numbers.count(reported)} of {numbers.count(comparisons)} characteristic-outcome "
        "comparisons could be reported; the rest have a group smaller than the disclosure threshold."
    )


def equality_table(equality: pd.DataFrame, *, source: str = "") -> show.Table | show.Markdown:
    """The equality analysis as a report table of the comparisons that could be reported, the others listed
    under it by characteristic; when none could be, that list alone (a table of dashes tells a reader nothing)."""
    reported = equality[equality["note"] == ""]
    hidden = equality.loc[equality["note"] != "", "characteristic"].str.replace("_", " ").unique()
    not_reported = (
        f"Not reported, because a group is smaller than the disclosure threshold: {', '.join(hidden)}."
        if len(hidden)
        else ""
    )
    if reported.empty:
        return show.Markdown(not_reported)
    frame = reported.assign(
        characteristic=reported["characteristic"].str.replace("_", " "),
        term=reported["term"].map(TERMS).fillna(reported["term"]),
    )
    return show.table(
        frame,
        [
            show.Column("characteristic", "Characteristic"),
            show.Column("outcome", "Outcome"),
            show.Column("group", "Group"),
            show.Column("term", "Statistic"),
            show.Column("estimate", "Estimate", "number"),
            show.Column("conf_low", "95% interval, lower", "number"),
            show.Column("conf_high", "95% interval, upper", "number"),
            show.Column("p_value", "p-value", "p"),
            show.Column("p_value_holm", "p-value, Holm-adjusted", "p"),
            show.Column("n", "Smallest group (people)", "count"),
        ],
        caption="Outcomes by protected characteristic",
        source=source,
        notes=(not_reported,) if not_reported else (),
    )


def value_findings(money: pd.DataFrame, *, confidence_level: float = 0.95) -> tuple[str, str, str]:
    """Value for money: the key finding (text, strength of evidence) on cost per point gained, and the other
    costs and the day-rate saving as a bullet list."""

    def phrase(term: str, group: str = ALL_COHORTS) -> str:
        return describe_interval(
            row_estimate(money, term, group), TERMS[term], shown=numbers.money, confidence_level=confidence_level
        )

    key = f"{phrase('cost_per_point_gained')}."
    saving = row_estimate(money, "day_rate_saving", "facilitation")
    share = row_estimate(money, "saving_share", "facilitation")
    others = [f"{phrase(term)}." for term in ("total_cost", "cost_per_participant", "cost_per_completer")]
    others.append(
        f"Buying facilitation below the market day rate saved {numbers.money(saving.estimate)} "
        f"({numbers.percent(share.estimate)} of the market cost of the same days)."
    )
    evidence = (
        "Costs are the programme's own records (strong); the gain per completer is the before-and-after "
        "change, not a change caused by the programme, and the leaders' own time is not costed."
    )
    return key, evidence, "\n".join(f"- {line}" for line in others)


def value_table(money: pd.DataFrame, *, source: str = "") -> show.Table:
    """Value-for-money estimates as a report table: pounds, days or a percentage by row."""

    def shown(term: str, value: float) -> str:
        return _MONEY_SHOWN.get(term, partial(numbers.money, pence=False))(value)

    frame = pd.DataFrame(
        {
            "item": money["term"].map(TERMS).fillna(money["term"]),
            "group": money["group"],
            **{
                c: [shown(t, v) for t, v in zip(money["term"], money[c], strict=True)]
                for c in ("estimate", "conf_low", "conf_high")
            },
        }
    )
    return show.table(
        frame,
        [
            show.Column("item", "Item"),
            show.Column("group", "Of"),
            show.Column("estimate", "Estimate (£, days or %)"),
            show.Column("conf_low", "95% interval, lower"),
            show.Column("conf_high", "95% interval, upper"),
        ],
        caption="Costs and value for money (stated price base)",
        source=source,
    )


def cost_table(costs: pd.DataFrame, *, source: str = "") -> show.Table:
    """Programme costs by item (:func:`cost_summary`) as a report table."""
    return show.table(
        costs,
        [
            show.Column("cost_item", "Cost item"),
            show.Column("amount_gbp", "Amount (£)", "money"),
            show.Column("price_base_year", "Price base (year)"),
        ],
        caption="Programme costs by item",
        source=source,
    )


def evidence_levels_table(by_evidence: pd.DataFrame, *, source: str = "") -> show.Table:
    """Leaders with an application at each level of evidence (:func:`evidence_table`, published form)."""
    return show.table(
        by_evidence,
        [show.Column("evidence_level", "Level of evidence"), show.Column("people", "Leaders (people)", "count")],
        caption="Leaders with an application at each level of evidence",
        source=source,
        notes=("A leader can have applications at several levels.",),
    )


def rollout_findings(
    planning: pd.DataFrame, rate: Estimate, *, target_change: float, power: float, cohort_size: int
) -> tuple[str, str, str]:
    """Roll-out planning: the key finding (text, strength of evidence) for the first outcome (confidence), and
    the other outcomes as a bullet list."""
    lines = [
        rollout_sentence(planning, c, rate, target_change=target_change, power=power, cohort_size=cohort_size)
        for c in OUTCOMES
    ]
    evidence = (
        "A planning estimate: it assumes a roll-out's leaders vary in their change as these did; the spread "
        "is estimated from few leaders, hence the range."
    )
    return lines[0], evidence, "\n".join(f"- {line}" for line in lines[1:])


def rollout_table(plan: pd.DataFrame, *, source: str = "") -> show.Table:
    """The roll-out plan (:func:`rollout_plan`) as a report table."""
    return show.table(
        plan,
        [
            show.Column("construct", "Scale"),
            show.Column("cohorts", "Cohorts evaluated", "count"),
            show.Column("enrolled", "Leaders enrolled", "count"),
            show.Column("expected_pairs", "Expected with both surveys", "count"),
            show.Column("minimum_detectable_change", "Minimum detectable change (points)", "score"),
            show.Column("power_for_target", "Power for the target change (%)", "percent"),
        ],
        caption="Minimum detectable change by number of cohorts",
        source=source,
    )


def rollout_alt_text(plan: pd.DataFrame, *, power: float, cohort_size: int) -> str:
    """The roll-out chart's text alternative: each construct's minimum detectable change by cohorts."""
    return (
        f"Minimum detectable change ({numbers.percent(power)} power) by number of cohorts of {cohort_size}: "
        + "; ".join(
            f"{c}: "
            + ", ".join(
                f"{n} cohorts {numbers.score(v)}"
                for n, v in zip(g["cohorts"], g["minimum_detectable_change"], strict=True)
            )
            for c, g in plan.groupby("construct", sort=False)
        )
    )


def content_alt_text(resources: pd.DataFrame) -> str:
    """The content-reuse chart's text alternative."""
    listed = resources[resources["resource_id"] != "Total"]
    return "Organisations known to reuse each resource: " + "; ".join(
        f"{r.title}: {r.reusing_organisations}" for r in listed.itertuples()
    )
