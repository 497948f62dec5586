"""What the LOTI portfolio report shows: its findings, tables and charts, section by section.

As in :mod:`.project_sections` (the project report), each ``*_section`` function adds the section's findings to the
report's :class:`~evaluation.presentation.Findings`, publishes its charts where it makes them, and returns what
the notebook displays, in order (``display(*section)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from ... import presentation as show
from ...charts import bar_chart, interval_chart
from ...presentation import numbers
from .figures import co_participation_heatmap, rag_level_chart, thousands_bar_chart, tile_map
from .indicator_tracking import IndicatorTracking
from .portfolio import describe_rating
from .programme_value import CORE_FUNDING, ProgrammeValue
from .project_impact import ImpactOptions, ImpactResult, project_impacts
from .project_sections import Chart, level_alt_text, publish_charts
from .value import benefits_supported_by_evidence
from .value_sentences import describe_monte_carlo, simulated_npsv_range

if TYPE_CHECKING:
    from ...economics.monte_carlo import MonteCarloResult
    from ...tidy import Estimate

PORTFOLIO_QUESTION = (
    "Who takes part in LOTI and with whom, what outcomes have its projects achieved, is the "
    "programme value for money against its core funding, and what do members think of it?"
)

#: What the portfolio evaluation's design can and cannot show (the report's summary repeats it).
PORTFOLIO_DESIGN = (
    "A description of participation and collaboration across London's 33 authorities (complete records, no "
    "sampling); indicator monitoring of every project, which shows whether outcomes moved, not whether the projects "
    "moved them; causal estimates only for indicators whose data permit a difference-in-differences comparison with "
    "authorities not taking part (at best level 3 of 5 on the Maryland Scientific Methods Scale); a value-for-money "
    "appraisal from the costs and benefits projects recorded (a point value with a simulated range); and a "
    "self-reported member survey of the authorities that answered, whose views may not be those of all members."
)


def portfolio_overview(projects: pd.DataFrame, membership: pd.DataFrame, authorities: pd.DataFrame) -> show.Markdown:
    """One sentence: how many projects and member authorities the data hold.

    Examples
    --------
    >>> portfolio_overview(pd.DataFrame({"project_id": ["P1", "P2"]}), pd.DataFrame({"authority_code": ["A", "A"]}),
    ...                    pd.DataFrame({"gss_code": ["A", "B", "C"]})).text
    'The data hold 2 projects and 1 member authority of the 3 London authorities.'
    """
    members = membership["authority_code"].nunique()
    return show.Markdown(
        f"The data hold {numbers.count(len(projects))} projects and {numbers.count(members)} member "
        f"{'authority' if members == 1 else 'authorities'} of the {numbers.count(len(authorities))} "
        "London authorities."
    )


def participation_section(
    run: Any,
    findings: show.Findings,
    participation: pd.DataFrame,
    counts: Sequence[Estimate],
    project_authorities: pd.DataFrame,
) -> list[Any]:
    """Members and projects: the key finding, the tile map and project sizes (published), the table by authority."""
    members, in_a_project, spread = counts
    shown: list[Any] = [
        findings.key(
            "Participation",
            f"{numbers.count(members.estimate)} of {numbers.count(members.n)} London authorities are "
            f"members; a member takes part in {numbers.number(spread.estimate, digits=1)} projects on average (range "
            f"{numbers.count(spread.conf_low)} to {numbers.count(spread.conf_high)}), and "
            f"{numbers.count(in_a_project.estimate)} authorities take part in at least one project.",
            "Complete membership and project records for all 33 authorities: a description, not an estimate.",
        )
    ]
    status = participation["member"].map({True: "member", False: "not a member"})
    size = project_authorities.groupby("project_id")["authority_code"].nunique().rename("authorities").reset_index()
    sizes = bar_chart(
        size,
        x="project_id",
        y="authorities",
        title="Authorities taking part in each project",
        x_title="Project",
        y_title="Authorities",
    )
    sizes.update_traces(hovertemplate="%{x}: %{y} authorities<extra></extra>")
    shown += publish_charts(
        run,
        [
            Chart(
                "participation_map",
                tile_map(
                    participation.assign(status=status),
                    value="projects",
                    hover="status",
                    title="Projects each authority takes part in",
                    colour_title="Projects",
                ),
                "Tile map of London's 33 authorities shaded by the number of LOTI projects each takes part in: "
                + "; ".join(f"{r.name}: {r.projects}" for r in participation.itertuples()),
            ),
            Chart(
                "project_size",
                sizes,
                "Authorities taking part in each project: "
                + "; ".join(f"{r.project_id}: {r.authorities}" for r in size.itertuples()),
            ),
        ],
    )
    shown.append(
        show.table(
            participation,
            [
                show.Column("name", "Authority"),
                show.Column("inner_outer", "Inner or Outer London"),
                show.Column("member", "Member", "yes_no"),
                show.Column("joined_on", "First joined", "date"),
                show.Column("projects", "Projects taken part in", "count"),
                show.Column("leads", "Projects led", "count"),
            ],
            caption="Membership and projects by authority",
            source="LOTI membership and project records",
        )
    )
    return shown


def named_partners(partners: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """:func:`collaboration_summary`'s partners with the authority's name, most connected first."""
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    return partners.assign(name=partners["authority_code"].map(names)).sort_values("partners", ascending=False)


def collaboration_section(
    run: Any,
    findings: show.Findings,
    matrix: pd.DataFrame,
    partners: pd.DataFrame,
    network: Sequence[Estimate],
    authorities: pd.DataFrame,
) -> list[Any]:
    """Who works with whom: the key finding, the heatmap (published) and the ten most connected authorities."""
    rows = {e.term: e for e in network}
    pairs = rows["collaborating_pairs"]
    sentence = (
        f"{numbers.count(pairs.estimate)} of {numbers.count(pairs.n)} pairs of authorities share at least "
        f"one project (network density "
        f"{numbers.percent(rows['network_density'].estimate)}); an authority works with "
        f"{numbers.number(rows['mean_partners'].estimate, digits=1)} others on average, and "
        f"{numbers.count(rows['pairs_sharing_3_or_more'].estimate)} pairs share three or more projects."
    )
    shown: list[Any] = [
        findings.key(
            "Collaboration",
            sentence,
            "Complete project records: a description of who works with whom, not of how well they work together.",
        )
    ]
    top = partners.head(5)
    shown += publish_charts(
        run,
        [
            Chart(
                "co_participation",
                co_participation_heatmap(matrix, authorities, title="Projects shared by each pair of authorities"),
                "Heatmap of the number of projects each pair of London authorities shares. "
                + sentence
                + " Most connected: "
                + "; ".join(f"{r.name} ({r.partners} partners)" for r in top.itertuples()),
            )
        ],
    )
    shown.append(
        show.table(
            partners.head(10),
            [
                show.Column("name", "Authority"),
                show.Column("partners", "Partner authorities", "count"),
                show.Column("shared_projects", "Projects shared with partners (sum over partners)", "count"),
            ],
            caption="The ten most connected authorities",
            source="LOTI project records",
        )
    )
    return shown


def outcomes_section(
    run: Any, findings: show.Findings, tracking: IndicatorTracking, level_counts: pd.DataFrame
) -> list[Any]:
    """All indicators by status: warnings, the key finding, the chart (published) and the counts by level."""
    summary = tracking.summary
    tracked = summary["status"].isin(["Green", "Amber", "Red"])
    statuses = ", ".join(f"{numbers.count((summary['status'] == s).sum())} {s}" for s in ("Green", "Amber", "Red"))
    shown: list[Any] = [findings.finding(f"**Warning.** {message}") for message in tracking.warnings["message"]]
    shown.append(
        findings.key(
            "Outcomes",
            f"Of {numbers.count(len(summary))} indicators, {numbers.count(tracked.sum())} can be tracked with "
            f"data: {statuses}; {numbers.count(tracking.warnings['indicator_id'].nunique())} carry a warning (no data, "
            "no baseline or no target).",
            "Monitoring data from the participating authorities: it shows whether outcomes moved, not whether the "
            "projects moved them.",
        )
    )
    shown += publish_charts(
        run,
        [
            Chart(
                "status_by_level",
                rag_level_chart(level_counts, title="All LOTI indicators by level and status"),
                level_alt_text(level_counts),
            )
        ],
    )
    shown.append(
        show.table(
            level_counts,
            [show.Column("level", "Level")]
            + [
                show.Column(c, c if c != "Total" else "All indicators", "count")
                for c in level_counts.columns
                if c != "level"
            ],
            caption="Indicators by level and status",
            source="LOTI indicator observations",
        )
    )
    return shown


def portfolio_impacts(
    projects: pd.DataFrame,
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    project_authorities: pd.DataFrame,
    **options: Unpack[ImpactOptions],
) -> dict[str, ImpactResult]:
    """:func:`project_impacts` of every project, by indicator (without the panels)."""
    impacts: dict[str, ImpactResult] = {}
    for project_id in projects["project_id"]:
        found = project_impacts(indicators, observations, project_authorities, project_id, **options)
        impacts.update({code: result for code, (_, result) in found.items()})
    return impacts


def causal_estimates(impacts: dict[str, ImpactResult]) -> list[Estimate]:
    """The context and causal rows of every indicator's impact result, to publish."""
    return [e for result in impacts.values() for e in result.context + result.causal]


def causal_section(findings: show.Findings, causal: pd.DataFrame) -> list[Any]:
    """One finding per indicator analysed, a key finding on what can be said causally, and the table."""
    shown: list[Any] = [
        findings.finding(f"**{row['indicator_id']}.** {row['finding']}") for _, row in causal.iterrows()
    ]
    permitted = causal[causal["permitted"].astype(bool)]
    detail = "; ".join(
        f"{row['indicator_id']} ({row['indicator'].lower()}): {numbers.score(row['att'])} "
        f"({numbers.interval(row['conf_low'], row['conf_high'])})"
        for _, row in permitted.iterrows()
    )
    shown.append(
        findings.key(
            "Impact",
            f"A causal estimate is permitted for {numbers.count(len(permitted))} of "
            f"{numbers.count(len(causal))} indicators with data" + (f": {detail}." if detail else "."),
            "Difference-in-differences against authorities not taking part, Maryland Scientific Methods Scale "
            "level 3 of 5 at best, resting on parallel trends; for the other indicators no causal claim is made.",
        )
    )
    shown.append(
        show.table(
            causal,
            [
                show.Column("indicator_id", "Indicator"),
                show.Column("indicator", "Name"),
                show.Column("permitted", "Causal estimate permitted", "yes_no"),
                show.Column("att", "Effect of taking part", "score"),
                show.Column("conf_low", "95% interval, low", "score"),
                show.Column("conf_high", "95% interval, high", "score"),
                show.Column("sms_level", "Maryland SMS level (1 to 5)", "count"),
            ],
            caption="Causal findings by indicator (effects in the indicator's unit)",
            source="LOTI indicator observations",
        )
    )
    return shown


def unsupported_projects(
    projects: pd.DataFrame, indicators: pd.DataFrame, impacts: dict[str, ImpactResult]
) -> list[str]:
    """Projects whose benefits the impact evidence does not support (:func:`benefits_supported_by_evidence`)."""
    unsupported = []
    for project_id in projects["project_id"]:
        codes = set(indicators.loc[indicators["project_id"] == project_id, "indicator_id"])
        supported, _ = benefits_supported_by_evidence([r for code, r in impacts.items() if code in codes])
        if supported is False:
            unsupported.append(project_id)
    return unsupported


def programme_value_section(
    run: Any,
    findings: show.Findings,
    programme: ProgrammeValue,
    simulation: MonteCarloResult,
    funding: pd.DataFrame,
    by_year: pd.DataFrame,
    *,
    base_year: int,
    unsupported: Sequence[str],
) -> list[Any]:
    """The programme's value for money: warnings, findings (a key one), the chart (published) and two tables."""
    values = {e.term: e.estimate for e in programme.estimates}
    first, last = int(funding["year"].min()), int(funding["year"].max())
    for warning in programme.appraisal.warnings:
        findings.note(warning)
    shown: list[Any] = [
        findings.finding(
            f"Over {first} to {last} LOTI's core funding totals {numbers.money(funding['amount'].sum())} (nominal), a "
            f"present value of {numbers.money(values['programme_pv_core_funding'])} in {base_year} prices."
        )
    ]
    shown.append(
        findings.key(
            "Value for money",
            f"Across the programme the NPSV is {numbers.money(values['programme_npsv'])} and the BCR "
            f"{numbers.score(values['programme_bcr'])} (central case): each £1 of core funding and project costs "
            "returns "
            f"{numbers.money(values['programme_bcr'], pence=True)}; net of their own costs, projects return "
            f"{numbers.money(values['programme_net_value_per_pound_of_core_funding'], pence=True)} per £1 of core "
            f"funding. Simulated, {simulated_npsv_range(simulation)}.",
            "Costs and benefits as projects recorded them, in real prices and discounted (Green Book); counting core "
            "funding and project costs both is conservative; the range reflects the stated uncertainty of the figures, "
            "not sampling error.",
        )
    )
    shown.append(findings.finding(describe_monte_carlo(simulation)))
    if unsupported:
        shown.append(
            findings.finding(
                f"Without the benefits of {', '.join(unsupported)}, which the impact evidence does not support, "
                "the NPSV "
                f"is {numbers.money(values['programme_npsv_evidence_adjusted'])} and the BCR "
                f"{numbers.score(values['programme_bcr_evidence_adjusted'])}."
            )
        )
    figure, alt_text = thousands_bar_chart(
        programme.by_project,
        x="project",
        pounds="npsv",
        title="Net present social value by project and core funding",
        x_title="Project",
        y_title=f"NPSV (£ thousand, {base_year} prices)",
        alt_intro="NPSV by project, and the core funding as a cost: ",
    )
    shown += publish_charts(run, [Chart("npsv_by_project", figure, alt_text)])
    sources = [c for c in by_year.columns if c != "year"]
    shown.append(
        show.table(
            by_year.assign(year=by_year["year"].astype(str)),
            [show.Column("year", "Year")]
            + [show.Column(c, f"{'Member fees (boroughs)' if c == 'Boroughs' else c} (£)", "money") for c in sources],
            caption="Core funding by year (£, nominal)",
            source="LOTI membership; GLA and London Councils contributions",
        )
    )
    shown.append(
        show.table(
            programme.by_project,
            [
                show.Column("project", "Project"),
                show.Column("pv_benefits", "Present value of benefits (£)", "money"),
                show.Column("pv_costs", "Present value of costs (£)", "money"),
                show.Column("npsv", "NPSV (£)", "money"),
                show.Column("bcr", "Benefit-cost ratio", "score"),
            ],
            caption=f"Present values by project and of the core funding ({base_year} prices)",
            notes=[f"{CORE_FUNDING}: the member fees and the GLA's and London Councils' contributions, as a cost."],
            source="LOTI project costs and benefits; core funding",
        )
    )
    return shown


def survey_section(
    run: Any, findings: show.Findings, survey: pd.DataFrame, *, confidence_level: float = 0.95
) -> list[Any]:
    """Member survey: one finding per theme for all members (a key one), the chart (published) and the table."""
    everyone = survey[survey["group"].str.endswith("All members")]
    sentences = [describe_rating(row, confidence_level=confidence_level) for _, row in everyone.iterrows()]
    agreement = survey[survey["scale"] == "1-5"].assign(label=lambda f: f["group"])
    shown: list[Any] = [findings.finding(sentence) for sentence in sentences]
    overall = everyone[everyone["scale"] == "1-5"]
    if len(overall):
        shown.append(
            findings.key(
                "Member survey",
                "Mean agreement of all respondents by theme (1 = strongly disagree, 5 = strongly agree): "
                + "; ".join(
                    f"{row['group'].split(':')[0]} {numbers.score(row['estimate'])} "
                    f"({numbers.interval(row['conf_low'], row['conf_high'], confidence_level=confidence_level)})"
                    for _, row in overall.iterrows()
                )
                + ".",
                "Self-reported views of the members who answered, one survey wave, no comparison: views, not outcomes.",
            )
        )
    figure = interval_chart(
        agreement,
        label="label",
        reference=None,
        title="Member survey: mean agreement by theme",
        x_title="Mean score (1 = strongly disagree, 5 = strongly agree)",
    )
    figure.update_yaxes(automargin=True)
    shown += publish_charts(
        run,
        [
            Chart(
                "member_survey",
                figure,
                "Mean member survey scores with 95% intervals: "
                + "; ".join(
                    f"{r['group']}: {r['estimate']:.2f}"
                    if r["estimate"] == r["estimate"]
                    else f"{r['group']}: suppressed"
                    for r in agreement.to_dict("records")
                ),
            )
        ],
    )
    shown.append(
        show.table(
            survey,
            [
                show.Column("group", "Theme and group"),
                show.Column("scale", "Scale"),
                show.Column("estimate", "Mean score", "score"),
                show.Column("conf_low", "95% interval, low", "score"),
                show.Column("conf_high", "95% interval, high", "score"),
                show.Column("n", "Respondents", "count"),
            ],
            caption="Member survey: mean score by theme, all members and Inner and Outer London",
            source="LOTI member survey",
        )
    )
    return shown
