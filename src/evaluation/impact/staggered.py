"""Difference-in-differences robust to staggered adoption (Callaway & Sant'Anna, 2021).

When authorities join a project at different times and its effect changes
with time since joining, two-way fixed effects compares late adopters with
early adopters whose outcomes are still moving because of the project, and
its estimate can be far from any average effect (Goodman-Bacon, 2021).
Callaway & Sant'Anna instead estimate one clean 2x2 comparison per adoption
cohort *g* and period *t*, using only comparison authorities that are not
(yet) treated, and then average those with explicit weights.

Assumptions (all untestable in full; document why they are credible):

- **Staggered adoption**: once an authority joins it stays in.
- **Parallel trends** without covariates: had they not joined, each cohort's
  average outcome would have changed like the comparison group's
  (never-treated, or not-yet-treated authorities).
- **No anticipation**: outcomes do not respond before the adoption period.
- **Balanced panel**: every authority is observed in every period.

Authorities already treated in the first observed period have no pre-period
and are dropped, as in the R package ``did``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

# Shared panel checks, so both modules read adoption timing identically.
from evaluation.impact.did import _adoption_positions, _prepare_panel
from evaluation.tidy import NAN, Estimate


def callaway_santanna(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    control_group: Literal["never_treated", "not_yet_treated"] = "never_treated",
    base_period: Literal["varying", "universal"] = "varying",
    aggregation: Literal["simple", "dynamic", "group_time"] = "simple",
    fixed_cohorts: bool = False,
    alpha: float = 0.05,
    bootstrap_reps: int = 0,
    seed: int = 0,
    event_window: tuple[int, int] | None = None,
) -> list[Estimate]:
    """Group-time average treatment effects on the treated and their aggregations.

    For adoption cohort *g* (authorities first treated in period *g*) and
    period *t*, with base period *b* (``g - 1`` for :math:`t \\ge g`):

    .. math::
        ATT(g, t) = E[Y_t - Y_b \\mid G = g] - E[Y_t - Y_b \\mid C]

    where *C* is the comparison group: never-treated authorities, or with
    ``control_group="not_yet_treated"`` also those first treated after
    :math:`\\max(t, b)`. Before adoption (:math:`t < g`) the cells are
    placebo tests of parallel trends: with ``base_period="varying"`` (the R
    ``did`` default) *b* = *t* - 1, so each is a one-period change; with
    ``"universal"`` *b* = *g* - 1 throughout, as in a TWFE event study.

    Aggregations weight cells by cohort size :math:`P(G = g)`:

    - ``"simple"``: :math:`\\theta = \\sum_{g} \\sum_{t \\ge g} w_{g,t} ATT(g,t)`,
      :math:`w_{g,t} \\propto P(G=g)`: the average effect over all treated
      authority-periods;
    - ``"dynamic"``: :math:`\\theta(e) = \\sum_g w_g^e ATT(g, g+e)` for each
      event time *e* (negative *e*: pre-trend placebos);
    - ``"group_time"``: every :math:`ATT(g,t)`.

    Standard errors come from the influence function, authority by authority
    (so clustered by authority): :math:`\\operatorname{se} = \\sqrt{\\sum_i \\psi_i^2} / N`.
    By default, as in R ``did``, authorities are treated as sampled, so the
    cohort sizes behind the weights are random and their estimation error is
    included. London's 33 authorities are the whole population, though: with
    ``fixed_cohorts=True`` the adoption schedule is held fixed and that term
    is dropped, which can shrink standard errors a lot when effects differ
    between cohorts.

    With ``bootstrap_reps > 0`` a multiplier bootstrap (Rademacher weights on
    the influence functions) gives the standard errors instead, and the
    confidence intervals become a **uniform band** over all rows returned,
    which is the right way to read a whole event-study plot at once.
    p-values are normal approximations.

    Parameters
    ----------
    panel : pandas.DataFrame
        Balanced long panel, one row per authority and period.
    outcome, unit, time : str
        Outcome, authority and numeric period columns.
    first_treated : str
        Period in which the authority first takes part, constant within the
        authority; missing for authorities that never take part.
    control_group : {"never_treated", "not_yet_treated"}
        Comparison authorities. Not-yet-treated uses more data but needs
        parallel trends between cohorts too, and no anticipation by later
        adopters.
    base_period : {"varying", "universal"}
        Base period of the pre-adoption placebo cells (post-adoption cells
        always use ``g - 1``).
    aggregation : {"simple", "dynamic", "group_time"}
        Which effects to return.
    fixed_cohorts : bool
        Condition on the cohort sizes (no sampling error in the weights).
    alpha : float
        Confidence intervals (or bands) have coverage ``1 - alpha``.
    bootstrap_reps : int
        Multiplier-bootstrap replicates; 0 for analytical standard errors.
    seed : int
        Seed of the bootstrap's random generator.
    event_window : (int, int), optional
        With ``aggregation="dynamic"``, return only event times in ``[first, last]`` (e.g. the
        window a chart shows), so that a uniform band covers exactly those.

    Returns
    -------
    list of Estimate
        Terms ``"att"`` (simple), ``"e=-2"``, ``"e=0"``, ... (dynamic; with a
        universal base, ``"e=-1"`` is the reference, estimate 0 and NaN
        standard error) or ``"ATT(g=7,t=9)"`` (group-time, in the panel's
        period values). ``n`` counts the authorities (treated and comparison)
        behind each row.

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021) Difference-in-differences with
    multiple time periods. *Journal of Econometrics* 225(2), 200-230.
    Goodman-Bacon, A. (2021) Difference-in-differences with variation in
    treatment timing. *Journal of Econometrics* 225(2), 254-277.

    Examples
    --------
    Two authorities join in period 2 (changes 4 and 3), two never join
    (changes 1 and 2): ATT = 3.5 - 1.5.

    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "la": list("AABBCCDD"), "period": [1, 2] * 4,
    ...     "y": [10.0, 14.0, 11.0, 14.0, 10.0, 11.0, 12.0, 14.0],
    ...     "first": [2, 2, 2, 2, None, None, None, None]})
    >>> callaway_santanna(panel, "y", "la", "period", "first")[0].estimate
    2.0
    """
    if bootstrap_reps < 0:
        raise ValueError("bootstrap_reps must be >= 0")
    rows, cohort, dropped = _estimate_rows(
        panel, outcome, unit, time, first_treated, control_group, base_period, aggregation, fixed_cohorts
    )
    if event_window is not None and aggregation == "dynamic":
        rows = [row for row in rows if event_window[0] <= row.event_time <= event_window[1]]
        if not rows:
            raise ValueError(f"no event time in {event_window} can be estimated")
    n_units = len(cohort)
    influence = np.column_stack([row.influence for row in rows])
    estimates = np.array([row.estimate for row in rows])
    if bootstrap_reps:
        rng = np.random.default_rng(seed)
        draws = rng.choice([-1.0, 1.0], size=(bootstrap_reps, n_units))
        replicates = draws @ influence / n_units
        # did's robust scale: interquartile range over that of the normal
        q25, q75 = np.quantile(replicates, [0.25, 0.75], axis=0)
        std_errors = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
        sup_t = np.max(np.abs(replicates) / std_errors, axis=1)
        critical = float(np.quantile(sup_t, 1 - alpha))
        inference = (
            f"multiplier bootstrap SE ({bootstrap_reps} replicates, seed {seed}), "
            f"uniform {1 - alpha:.0%} band over {len(rows)} rows"
        )
    else:
        std_errors = np.sqrt(np.sum(influence**2, axis=0)) / n_units
        critical = float(stats.norm.ppf(1 - alpha / 2))
        inference = "SE from the influence function (clustered by authority), normal inference"
    if fixed_cohorts:
        inference += ", cohort sizes held fixed"
    if dropped:
        inference += f"; {dropped} authorities treated from the first period dropped"
    method = (
        f"Callaway-Sant'Anna DiD, {control_group.replace('_', '-')} controls, "
        f"{base_period} base period, {aggregation.replace('_', '-')} aggregation; {inference}"
    )

    results = []
    for row, estimate, std_error in zip(rows, estimates, std_errors, strict=True):
        statistic = estimate / std_error
        results.append(
            Estimate(
                term=row.term,
                estimate=float(estimate),
                std_error=float(std_error),
                statistic=float(statistic),
                p_value=float(2 * stats.norm.sf(abs(statistic))),
                conf_low=float(estimate - critical * std_error),
                conf_high=float(estimate + critical * std_error),
                n=row.n_units,
                method=method,
            )
        )
    if aggregation == "dynamic" and base_period == "universal":
        position = sum(row.event_time < -1 for row in rows)
        results.insert(position, Estimate(term="e=-1", estimate=0.0, method=f"{method} (reference period)"))
    return results


def pre_trend_wald(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    control_group: Literal["never_treated", "not_yet_treated"] = "never_treated",
    leads: int | None = None,
    alpha: float = 0.05,
) -> list[Estimate]:
    """Joint test of Callaway-Sant'Anna pre-adoption effects: the heterogeneity-robust pre-trend test.

    The placebo effects :math:`\\theta(e)`, :math:`e = -L, \\dots, -1`, are the ``"dynamic"``
    aggregation of :func:`callaway_santanna` with a **varying** base period (the convention of R
    ``did`` and Python ``csdid``): each pre-adoption cell
    :math:`ATT(g, t) = E[Y_t - Y_{t-1} \\mid G = g] - E[Y_t - Y_{t-1} \\mid C]`, :math:`t < g`, is
    a one-period placebo difference-in-differences, untouched by any effect after adoption (the
    leads of a two-way fixed effects event study are not: they absorb effects that differ between
    cohorts and grow with time; Sun & Abraham, 2021). Cohort sizes are held fixed: under the null
    every placebo is zero, so the weights' sampling error carries no information.

    The covariance comes from the stacked influence functions :math:`\\psi_i` of the *q* leads,
    split by adoption group *k* (each cohort, and the never-treated) and made unbiased
    (:math:`n_k / (n_k - 1)`, as Welch's variance of a mean):

    .. math::
        \\hat V = \\sum_k \\hat V_k, \\quad
        \\hat V_k = \\frac{n_k}{n_k - 1} \\frac{1}{N^2} \\sum_{i \\in k} \\psi_i \\psi_i^\\top, \\quad
        T^2 = \\hat\\theta^\\top \\hat V^{-1} \\hat\\theta, \\quad
        F = \\frac{\\nu - q + 1}{q \\nu} T^2 \\sim F(q, \\nu - q + 1)

    with the degrees of freedom of Krishnamoorthy & Yu (2004) for the multivariate Behrens-Fisher
    problem, here summed over the adoption groups:

    .. math::
        \\nu = \\frac{q + q^2}{\\sum_k \\frac{1}{n_k - 1}
               \\left\\{\\operatorname{tr}[(\\hat V_k \\hat V^{-1})^2]
               + [\\operatorname{tr}(\\hat V_k \\hat V^{-1})]^2\\right\\}}

    (Welch-Satterthwaite when *q* = 1). With a handful of adopters per cohort the covariance of
    the treated authorities rests on a few of them, and the large-sample :math:`\\chi^2_q`
    reference (R ``did``'s pre-test) rejects far too often; the F reference keeps the false
    rejection rate near the nominal level (``benchmarks/coverage.py`` measures it). Failing to
    reject does not prove parallel trends: such tests have low power (Roth, 2022).

    Parameters
    ----------
    panel, outcome, unit, time, first_treated
        As for :func:`callaway_santanna` (a balanced panel).
    control_group : {"never_treated", "not_yet_treated"}
        Comparison authorities.
    leads : int, optional
        Test event times ``-leads .. -1`` (those that can be estimated); default all.
    alpha : float
        Pointwise intervals of the leads have coverage ``1 - alpha``.

    Returns
    -------
    list of Estimate
        The leads (terms ``"e=-3"``, ..., ``"e=-1"``, from :func:`callaway_santanna` with fixed
        cohorts and a varying base period), then ``"pre_trend_wald"``: statistic *F*, its p-value,
        ``n`` the authorities used; ``method`` gives :math:`T^2`, *q* and :math:`\\nu`.

    Raises
    ------
    ValueError
        When no lead can be estimated, a cohort has a single authority (its variance cannot be
        estimated), or the authorities are too few for *q* leads (:math:`\\nu \\le q - 1`).

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021) *Journal of Econometrics* 225(2), 200-230.
    Krishnamoorthy, K. & Yu, J. (2004) Modified Nel and Van der Merwe test for the multivariate
    Behrens-Fisher problem. *Statistics & Probability Letters* 66(2), 161-169. Roth, J. (2022)
    Pretest with caution. *AER: Insights* 4(3), 305-322. Sun, L. & Abraham, S. (2021)
    *Journal of Econometrics* 225(2), 175-199.

    Examples
    --------
    One lead is Welch's t-test of the change just before joining, adopters against the rest:

    >>> import pandas as pd
    >>> panel = pd.DataFrame({"la": list("AAABBBCCCDDDEEE"), "t": [1, 2, 3] * 5,
    ...     "y": [1.0, 2.0, 5.0, 2.0, 2.5, 6.0, 0.0, 1.0, 1.0, 3.0, 3.5, 4.0, 1.0, 3.0, 3.0],
    ...     "first": [3] * 6 + [None] * 9})
    >>> wald = pre_trend_wald(panel, "y", "la", "t", "first")[-1]
    >>> round(wald.statistic, 4), round(wald.p_value, 4)  # t^2 and p of Welch's test
    (0.6757, 0.4733)
    """
    if leads is not None and leads < 1:
        raise ValueError("leads must be >= 1")
    rows, cohort, _ = _estimate_rows(
        panel, outcome, unit, time, first_treated, control_group, "varying", "dynamic", True
    )
    window = -np.inf if leads is None else -leads
    pre = [row for row in rows if window <= row.event_time < 0]
    if not pre:
        raise ValueError("no pre-adoption effect can be estimated: each cohort needs two periods before joining")
    terms = {row.term for row in pre}
    lead_rows = [
        e
        for e in callaway_santanna(
            panel,
            outcome,
            unit,
            time,
            first_treated,
            control_group=control_group,
            aggregation="dynamic",
            fixed_cohorts=True,
            alpha=alpha,
        )
        if e.term in terms
    ]
    theta = np.array([row.estimate for row in pre])
    influence = np.column_stack([row.influence for row in pre])
    statistic, q, nu = _behrens_fisher_wald(theta, influence, cohort)
    if not nu > q - 1:
        raise ValueError(
            f"{len(cohort)} authorities cannot support a joint test of {q} pre-adoption effects "
            f"(degrees of freedom {nu:.1f}); test fewer leads"
        )
    f_value = statistic * (nu - q + 1) / (q * nu)
    method = (
        f"joint test that the {len(pre)} Callaway-Sant'Anna pre-adoption effects "
        f"(e={pre[0].event_time} to e=-1; varying base period, {control_group.replace('_', '-')} controls, "
        f"cohort sizes fixed) are 0: T2 = {statistic:.3f} from the stacked influence functions "
        f"(clustered by authority, unbiased by adoption group), F({q}, {nu - q + 1:.1f}) with "
        "Krishnamoorthy-Yu degrees of freedom"
    )
    return [
        *lead_rows,
        Estimate(
            term="pre_trend_wald",
            estimate=NAN,
            statistic=float(f_value),
            p_value=float(stats.f.sf(f_value, q, nu - q + 1)),
            n=len(cohort),
            method=method,
        ),
    ]


def _behrens_fisher_wald(theta: np.ndarray, influence: np.ndarray, cohort: np.ndarray) -> tuple[float, int, float]:
    """:math:`T^2`, the rank *q* of its covariance and the Krishnamoorthy-Yu degrees of freedom (see above)."""
    n_units = len(cohort)
    groups = np.where(np.isnan(cohort), -1.0, cohort)
    parts = []
    for label in np.unique(groups):
        members = influence[groups == label]
        size = len(members)
        if size < 2:
            raise ValueError("an adoption cohort of one authority leaves its variance unestimable: no pre-trend test")
        parts.append((members.T @ members / n_units**2 * size / (size - 1), size))
    covariance = sum(part for part, _ in parts)
    inverse = np.linalg.pinv(covariance, hermitian=True)
    q = int(np.linalg.matrix_rank(covariance))
    shares = [(part @ inverse, size) for part, size in parts]
    denominator = sum((np.trace(share @ share) + np.trace(share) ** 2) / (size - 1) for share, size in shares)
    return float(theta @ inverse @ theta), q, float((q + q * q) / denominator)


def _estimate_rows(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control_group: str,
    base_period: str,
    aggregation: str,
    fixed_cohorts: bool,
) -> tuple[list[_Row], np.ndarray, int]:
    """Estimated rows, the adoption position of each authority used (NaN: never) and the number dropped."""
    if control_group not in ("never_treated", "not_yet_treated"):
        raise ValueError("control_group must be 'never_treated' or 'not_yet_treated'")
    if base_period not in ("varying", "universal"):
        raise ValueError("base_period must be 'varying' or 'universal'")
    if aggregation not in ("simple", "dynamic", "group_time"):
        raise ValueError("aggregation must be 'simple', 'dynamic' or 'group_time'")

    data = _prepare_panel(panel, outcome, unit, time, first_treated)
    periods, adoption = _adoption_positions(data, unit, time, first_treated)
    wide = data.pivot(index=unit, columns=time, values=outcome).reindex(index=adoption.index, columns=periods)
    incomplete = wide.index[wide.isna().any(axis=1)]
    if len(incomplete):
        raise ValueError(
            f"a balanced panel is required; {len(incomplete)} authorities miss periods, e.g. {list(incomplete[:3])}"
        )
    has_pre_period = (adoption != 0).to_numpy()  # NaN (never treated) != 0 is True
    outcomes = wide.to_numpy(dtype=float)[has_pre_period]
    cohort = adoption.to_numpy()[has_pre_period]
    cells = _group_time_cells(outcomes, cohort, control_group, base_period)
    if not cells:
        raise ValueError("no cohort has both a pre-adoption period and a comparison group")

    rows = _aggregate(cells, aggregation, periods, fixed_cohorts)
    return rows, cohort, int((~has_pre_period).sum())


@dataclass(frozen=True)
class _Cell:
    """One ATT(g, t); ``influence``, ``treated`` and ``used`` run over the N authorities."""

    cohort: int
    period: int
    att: float
    influence: np.ndarray
    treated: np.ndarray
    used: np.ndarray


@dataclass(frozen=True)
class _Row:
    """One effect to return, with its influence function."""

    term: str
    estimate: float
    influence: np.ndarray
    n_units: int
    event_time: int = 0


def _group_time_cells(outcomes: np.ndarray, cohort: np.ndarray, control_group: str, base_period: str) -> list[_Cell]:
    """Every estimable ATT(g, t); periods and cohorts are positions 0..T-1."""
    n_units, n_periods = outcomes.shape
    never = np.isnan(cohort)
    cells = []
    for g in np.unique(cohort[~never]).astype(int):
        treated = cohort == g
        for t in range(n_periods):
            base = g - 1 if t >= g or base_period == "universal" else t - 1
            if base < 0 or base == t:
                continue
            control = never.copy()
            if control_group == "not_yet_treated":
                control |= (cohort > max(t, base)) & ~treated
            if not control.any():
                continue
            change = outcomes[:, t] - outcomes[:, base]
            treated_mean, control_mean = change[treated].mean(), change[control].mean()
            # Influence function of a difference of two means, scaled so that
            # ATT_hat - ATT ~ mean(psi): psi_i = 1[i in g](dY_i - mean_g) / p_g - same for C.
            influence = n_units * (
                treated * (change - treated_mean) / treated.sum() - control * (change - control_mean) / control.sum()
            )
            cells.append(_Cell(g, t, treated_mean - control_mean, influence, treated, treated | control))
    return cells


def _aggregate(cells: list[_Cell], aggregation: str, periods: np.ndarray, fixed_cohorts: bool) -> list[_Row]:
    """Cohort-size weighted averages of cells with their influence functions."""
    if aggregation == "group_time":
        return [
            _Row(
                f"ATT(g={periods[c.cohort]:g},t={periods[c.period]:g})",
                c.att,
                c.influence,
                int(c.used.sum()),
            )
            for c in cells
        ]
    if aggregation == "simple":
        post = [c for c in cells if c.period >= c.cohort]
        if not post:
            raise ValueError("no post-adoption cell has a comparison group")
        return [_weighted_average("att", post, fixed_cohorts)]
    rows = []
    for e in sorted({c.period - c.cohort for c in cells}):
        selected = [c for c in cells if c.period - c.cohort == e]
        rows.append(_weighted_average(f"e={e}", selected, fixed_cohorts, event_time=e))
    return rows


def _weighted_average(term: str, cells: list[_Cell], fixed_cohorts: bool, event_time: int = 0) -> _Row:
    """Average of cells weighted by cohort share, with its influence function.

    The weights :math:`w_k = p_k / \\sum_j p_j` use estimated cohort shares
    :math:`p_k`; unless cohorts are fixed, the weights' own influence function
    (``did``'s ``wif``) is added so the standard error reflects that the
    cohort mix is itself estimated.
    """
    membership = np.column_stack([c.treated for c in cells]).astype(float)  # 1[G_i = g_k]
    shares = membership.mean(axis=0)
    total = shares.sum()
    weights = shares / total
    atts = np.array([c.att for c in cells])
    influence = np.column_stack([c.influence for c in cells]) @ weights
    if not fixed_cohorts:
        deviation = membership - shares
        weight_influence = deviation / total - np.outer(deviation.sum(axis=1), shares) / total**2
        influence = influence + weight_influence @ atts
    used = np.any(np.column_stack([c.used for c in cells]), axis=1)
    return _Row(term, float(weights @ atts), influence, int(used.sum()), event_time)
