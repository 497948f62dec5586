"""Difference-in-differences on a panel of authorities, with few-cluster inference.

A project is adopted by some of the 33 London authorities; the outcome of
adopters is compared, before and after adoption, with that of the others. All
estimators here assume **parallel trends** (without the project, adopters'
outcomes would have moved like the comparison authorities') and **no
anticipation** (outcomes do not respond before adoption).

Standard errors are clustered by authority because an authority's outcomes are
correlated over time (Bertrand, Duflo & Mullainathan, 2004). With only 33
clusters the cluster-robust t-test over-rejects, especially when few
authorities adopt, so two tests that hold up with few clusters are provided:
the restricted wild cluster bootstrap and randomisation inference.

Two-way fixed effects (TWFE) averages many 2x2 comparisons, some of which use
already-treated authorities as controls; when effects grow over time that
average is biased and can even take the wrong sign (Goodman-Bacon, 2021). Use
:func:`evaluation.impact.staggered.callaway_santanna` when adoption is staggered.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import scipy.linalg
import statsmodels.api as sm
from pandas.api.types import is_numeric_dtype
from statsmodels.regression.linear_model import RegressionResultsWrapper

from evaluation.tidy import NAN, Estimate

# Webb (2023) six-point weights: E[v] = 0, E[v^2] = 1, and with few clusters far
# more distinct bootstrap samples than the 2^G of Rademacher weights.
_WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


def twfe_did(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    *,
    alpha: float = 0.05,
) -> list[Estimate]:
    """Two-way fixed effects difference-in-differences with unit-clustered errors.

    .. math:: Y_{it} = \\alpha_i + \\lambda_t + \\beta D_{it} + \\varepsilon_{it}

    where :math:`\\alpha_i` and :math:`\\lambda_t` are authority and period
    fixed effects and :math:`D_{it} = 1` once authority *i* takes part.
    Standard errors are cluster-robust by authority (CR1: the usual
    :math:`\\frac{G}{G-1}\\frac{N-1}{N-K}` correction) and tests use a
    t distribution with :math:`G - 1` degrees of freedom.

    With two groups and two periods :math:`\\hat\\beta` is the 2x2 difference
    in differences of means. With staggered adoption and effects that change
    over time it is a weighted average that can be badly biased
    (Goodman-Bacon, 2021); prefer
    :func:`~evaluation.impact.staggered.callaway_santanna` then.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel, one row per authority and period. Rows with a missing
        outcome are dropped.
    outcome, unit, time : str
        Columns holding the outcome, the authority (cluster) and the period.
    treated : str
        Column with 1 where the authority takes part in that period, else 0.
    alpha : float
        Confidence intervals have coverage ``1 - alpha``.

    Returns
    -------
    list of Estimate
        One row, term ``"att"``; ``n`` is the number of authority-periods.

    References
    ----------
    Angrist, J. D. & Pischke, J.-S. (2009) *Mostly Harmless Econometrics*,
    ch. 5. Cameron, A. C. & Miller, D. L. (2015) A practitioner's guide to
    cluster-robust inference. *Journal of Human Resources* 50(2), 317-372.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "la": ["A", "A", "B", "B", "C", "C"], "period": [1, 2] * 3,
    ...     "y": [10.0, 14.0, 10.0, 11.0, 12.0, 13.5], "d": [0, 1, 0, 0, 0, 0]})
    >>> round(twfe_did(panel, "y", "la", "period", "d")[0].estimate, 2)
    2.75
    """
    data = _prepare_panel(panel, outcome, unit, time, treated)
    treatment = data[treated]
    if not treatment.isin([0, 1]).all():
        raise ValueError(f"column {treated!r} must be 0/1 (1 where the authority takes part)")
    fit = _fit_two_way_fixed_effects(data, outcome, unit, time, treatment.astype(float).to_frame())
    n_clusters = data[unit].nunique()
    method = f"TWFE DiD (unit and period fixed effects); {_cluster_note(n_clusters)}"
    return [_estimate_from_fit(fit, treated, "att", len(data), method, alpha)]


def event_study(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    leads: int = 4,
    lags: int = 4,
    reference: int = -1,
    alpha: float = 0.05,
) -> list[Estimate]:
    """Dynamic (event-study) TWFE regression with binned endpoints.

    .. math::
        Y_{it} = \\alpha_i + \\lambda_t
                 + \\sum_{e=-L,\\ e \\ne r}^{K} \\beta_e \\, 1[\\operatorname{clip}(t - G_i, -L, K) = e]
                 + \\varepsilon_{it}

    with event time :math:`t - G_i` counted in observed periods since
    adoption :math:`G_i`, ``L = leads``, ``K = lags`` and reference period
    ``r`` (its coefficient is normalised to 0). Authorities that never adopt
    have every dummy 0.

    The endpoints are **binned**: the ``e = -L`` dummy is 1 for every period
    ``L`` or more before adoption, and the ``e = K`` dummy for every period
    ``K`` or more after. Binning keeps distant periods in the regression
    instead of silently pooling them with the reference period, and with no
    never-treated authority it is what identifies the model (a full set of
    relative-period dummies is collinear with the fixed effects; Borusyak,
    Jaravel & Spiess, 2024). Read the binned coefficients as averages over
    their bins.

    Pre-period coefficients estimate differences in trend before adoption; a
    joint Wald test that they are all 0 is appended. Failing to reject does
    not prove parallel trends (such tests have low power; Roth, 2022). With
    staggered adoption and heterogeneous effects the coefficients mix effects
    across event times (Sun & Abraham, 2021): cross-check with
    :func:`~evaluation.impact.staggered.callaway_santanna`.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel, one row per authority and period.
    outcome, unit, time : str
        Outcome, authority (cluster) and numeric period columns.
    first_treated : str
        Period in which the authority first takes part, constant within the
        authority; missing for authorities that never take part.
    leads : int
        Number of pre-adoption event times shown, ``-leads .. -1`` (``>= 1``).
    lags : int
        Last post-adoption event time shown; event times ``0 .. lags``.
    reference : int
        Omitted (normalised) event time, between ``-leads`` and ``-1``.
    alpha : float
        Confidence intervals have coverage ``1 - alpha``.

    Returns
    -------
    list of Estimate
        One row per event time from ``-leads`` to ``lags`` (terms ``"e=-2"``,
        binned endpoints ``"e<=-4"`` and ``"e>=4"``; the reference row has
        estimate 0 and NaN standard error), then ``"pre_trend_wald"``: the
        F statistic and p-value of the joint test, F(q, G - 1). ``n`` is the
        number of authority-periods in the bin (all rows for the Wald test).

    References
    ----------
    Borusyak, K., Jaravel, X. & Spiess, J. (2024) Revisiting event-study
    designs. *Review of Economic Studies* 91(6), 3253-3285. Roth, J. (2022)
    Pretest with caution. *AER: Insights* 4(3), 305-322. Sun, L. & Abraham, S.
    (2021) Estimating dynamic treatment effects in event studies with
    heterogeneous treatment effects. *Journal of Econometrics* 225(2), 175-199.

    Examples
    --------
    Six authorities over eight months (two adopt in month 4, two in month 6, two never) and an effect of exactly 2
    from adoption on: the pre-period coefficients are 0, the post-period ones 2.

    >>> panel = pd.DataFrame({"gss_code": np.repeat(range(6), 8), "month": np.tile(range(8), 6)})
    >>> panel["first_month"] = panel["gss_code"].map({0: 4, 1: 4, 2: 6, 3: 6})  # 4 and 5 never take part
    >>> panel["live"] = (panel["month"] >= panel["first_month"]).astype(int)
    >>> panel["y"] = panel["gss_code"] + 0.5 * panel["month"] + 2.0 * panel["live"]
    >>> rows = event_study(panel, "y", "gss_code", "month", "first_month", leads=2, lags=1)
    >>> [(row.term, round(row.estimate, 6) + 0) for row in rows if row.term != "pre_trend_wald"]
    [('e<=-2', 0.0), ('e=-1', 0.0), ('e=0', 2.0), ('e>=1', 2.0)]
    """
    if leads < 1 or lags < 0:
        raise ValueError("leads must be >= 1 and lags >= 0")
    if not -leads <= reference <= -1:
        raise ValueError(f"reference must be a pre-adoption event time in [{-leads}, -1]")
    data = _prepare_panel(panel, outcome, unit, time, first_treated)
    periods, adoption = _adoption_positions(data, unit, time, first_treated)
    event_time = np.searchsorted(periods, data[time].to_numpy()) - data[unit].map(adoption)
    binned = event_time.clip(-leads, lags).to_numpy()  # NaN (never adopts) stays NaN

    labels = {e: _event_time_label(e, leads, lags) for e in range(-leads, lags + 1)}
    counts = {e: int(np.sum(binned == e)) for e in labels}
    empty = [labels[e] for e, count in counts.items() if count == 0]
    if empty:
        raise ValueError(f"no authority-period falls in event time(s) {empty}; reduce leads/lags")
    dummies = pd.DataFrame({labels[e]: (binned == e).astype(float) for e in labels if e != reference}, index=data.index)
    fit = _fit_two_way_fixed_effects(data, outcome, unit, time, dummies)

    n_clusters = data[unit].nunique()
    method = f"event study, TWFE with binned endpoints, reference e={reference}; {_cluster_note(n_clusters)}"
    estimates = [
        Estimate(term=labels[e], estimate=0.0, n=counts[e], method=f"{method} (reference period)")
        if e == reference
        else _estimate_from_fit(fit, labels[e], labels[e], counts[e], method, alpha)
        for e in labels
    ]
    pre_periods = [labels[e] for e in labels if e < 0 and e != reference]
    if pre_periods:
        restriction = np.zeros((len(pre_periods), len(fit.params)))
        for row, name in enumerate(pre_periods):
            restriction[row, fit.params.index.get_loc(name)] = 1.0
        wald = fit.wald_test(restriction, use_f=True, scalar=True)
        estimates.append(
            Estimate(
                term="pre_trend_wald",
                estimate=NAN,
                statistic=float(wald.statistic),
                p_value=float(wald.pvalue),
                n=len(data),
                method=(
                    f"joint Wald test that all {len(pre_periods)} pre-period coefficients are 0, "
                    f"F({len(pre_periods)}, {n_clusters - 1}), cluster-robust covariance"
                ),
            )
        )
    return estimates


def wild_cluster_bootstrap_p(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    *,
    null: float = 0.0,
    reps: int = 999,
    weights: Literal["rademacher", "webb"] = "rademacher",
    seed: int = 0,
) -> list[Estimate]:
    """Restricted wild cluster bootstrap-t (WCR) p-value for the TWFE DiD effect.

    The null :math:`H_0: \\beta = \\beta_0` is imposed: with restricted
    residuals :math:`\\tilde u` from the model fitted under the null, each
    replicate flips whole authorities,
    :math:`y^*_{it} = \\beta_0 D_{it} + \\tilde\\alpha_i + \\tilde\\lambda_t + v_i \\tilde u_{it}`,
    refits the TWFE regression and recomputes the cluster-robust t statistic.

    .. math::
        p = \\frac{1}{B} \\sum_{b=1}^{B} 1\\left[|t^*_b| \\ge |t|\\right],
        \\qquad t = \\frac{\\hat\\beta - \\beta_0}{\\operatorname{se}_{CR1}(\\hat\\beta)}

    Fixed effects are partialled out once (Frisch-Waugh-Lovell). Because
    :math:`\\hat\\beta^*` and each cluster's score are linear in the weights
    :math:`v`, all replicates reduce to two products with a :math:`B \\times G`
    weight matrix (the closed form of Roodman et al., 2019), so 999 replicates
    on 33 authorities x 120 months take milliseconds.

    Imposing the null and bootstrapping the t statistic are what make the test
    accurate with few clusters (Cameron, Gelbach & Miller, 2008). Rademacher
    weights (:math:`\\pm 1`) give only :math:`2^G` distinct samples; with
    fewer than about 12 authorities use Webb's six-point weights. The test
    stays unreliable when very few authorities are treated (MacKinnon & Webb,
    2017): then prefer :func:`randomisation_inference_p`.

    Parameters
    ----------
    panel, outcome, unit, time, treated
        As for :func:`twfe_did`.
    null : float
        Effect under the null hypothesis :math:`\\beta_0`.
    reps : int
        Bootstrap replicates *B*; 999 or 9999 give p-values without rounding
        ambiguity at the 5% level.
    weights : {"rademacher", "webb"}
        Distribution of the cluster weights :math:`v`.
    seed : int
        Seed of the random generator, so published p-values reproduce.

    Returns
    -------
    list of Estimate
        One row, term ``"att"``: the TWFE estimate, its CR1 standard error and
        t statistic (as :func:`twfe_did`) and the bootstrap p-value. No
        confidence interval (that needs inverting the test); NaN.

    References
    ----------
    Cameron, A. C., Gelbach, J. B. & Miller, D. L. (2008) Bootstrap-based
    improvements for inference with clustered errors. *Review of Economics
    and Statistics* 90(3), 414-427. Roodman, D., MacKinnon, J. G., Nielsen,
    M. Ø. & Webb, M. D. (2019) Fast and wild: bootstrap inference in Stata
    using boottest. *Stata Journal* 19(1), 4-60. Webb, M. D. (2023) Reworking
    wild bootstrap-based inference for clustered errors. *Canadian Journal of
    Economics* 56(3), 839-858.

    Examples
    --------
    An effect of 2 in four of six authorities, with noise of standard deviation 0.5:

    >>> panel = pd.DataFrame({"gss_code": np.repeat(range(6), 8), "month": np.tile(range(8), 6)})
    >>> panel["first_month"] = panel["gss_code"].map({0: 4, 1: 4, 2: 6, 3: 6})  # 4 and 5 never take part
    >>> panel["live"] = (panel["month"] >= panel["first_month"]).astype(int)
    >>> noise = np.random.default_rng(3).normal(0, 0.5, len(panel))
    >>> panel["y"] = panel["gss_code"] + 0.5 * panel["month"] + 2.0 * panel["live"] + noise
    >>> row = wild_cluster_bootstrap_p(panel, "y", "gss_code", "month", "live", reps=999, seed=1)[0]
    >>> row.term, round(row.estimate, 2), row.p_value < 0.05
    ('att', 1.73, True)
    """
    if reps < 1:
        raise ValueError("reps must be at least 1")
    if weights not in ("rademacher", "webb"):
        raise ValueError("weights must be 'rademacher' or 'webb'")
    data = _prepare_panel(panel, outcome, unit, time, treated)
    if not data[treated].isin([0, 1]).all():
        raise ValueError(f"column {treated!r} must be 0/1 (1 where the authority takes part)")
    y = data[outcome].to_numpy(dtype=float)
    x = data[treated].to_numpy(dtype=float)
    clusters, cluster_labels = pd.factorize(data[unit])
    n_obs, n_clusters = len(data), len(cluster_labels)
    basis = _fixed_effects_basis(clusters, pd.factorize(data[time])[0])
    in_cluster = np.zeros((n_clusters, n_obs))
    in_cluster[clusters, np.arange(n_obs)] = 1.0

    x_tilde = _residualise(basis, x)
    xx = x_tilde @ x_tilde
    if xx <= 1e-12 * n_obs:
        raise ValueError(f"{treated!r} does not vary once unit and period effects are removed")
    # Same CR1 correction as statsmodels, so t matches twfe_did; it cancels in p.
    n_params = basis.shape[1] + 1
    correction = n_clusters / (n_clusters - 1) * (n_obs - 1) / (n_obs - n_params)

    beta = x_tilde @ y / xx
    residuals = _residualise(basis, y) - beta * x_tilde
    scores = in_cluster @ (x_tilde * residuals)
    std_error = float(np.sqrt(correction * scores @ scores) / xx)
    t_stat = (beta - null) / std_error

    # Under the null: y* = beta0 x + FE + v_g * u_restricted. Then
    # beta* - beta0 = sum_h v_h s_h / x'x with s_h = x_h' u_h, and the bootstrap
    # residuals are M_[D,x](u .* v) = sum_h v_h M_[D,x] u^(h), where u^(h) is u
    # zeroed outside cluster h; so cluster g's score is sum_h v_h C[g, h].
    restricted = _residualise(basis, y - null * x)
    numerator = in_cluster @ (x_tilde * restricted)
    by_cluster = in_cluster.T * restricted[:, None]
    annihilated = _residualise(basis, by_cluster)
    annihilated -= np.outer(x_tilde, x_tilde @ annihilated) / xx
    score_matrix = in_cluster @ (x_tilde[:, None] * annihilated)

    rng = np.random.default_rng(seed)
    if weights == "rademacher":
        draws = rng.choice([-1.0, 1.0], size=(reps, n_clusters))
    else:
        draws = rng.choice(_WEBB_WEIGHTS, size=(reps, n_clusters))
    shift_star = draws @ numerator / xx  # beta* - beta0
    scores_star = draws @ score_matrix.T
    se_star = np.sqrt(correction * np.einsum("bg,bg->b", scores_star, scores_star)) / xx
    t_star = shift_star / se_star
    p_value = float(np.mean(np.abs(t_star) >= abs(t_stat)))

    return [
        Estimate(
            term="att",
            estimate=float(beta),
            std_error=std_error,
            statistic=float(t_stat),
            p_value=p_value,
            n=n_obs,
            method=(
                f"TWFE DiD, wild cluster bootstrap-t p-value (null imposed, H0: att = {null:g}), "
                f"{weights} weights, {reps} replicates, seed {seed}, {n_clusters} clusters"
            ),
        )
    ]


def randomisation_inference_p(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    reps: int = 999,
    seed: int = 0,
) -> list[Estimate]:
    """Randomisation-inference p-value for the TWFE DiD effect.

    The sharp null is that the project changed no authority's outcome. Under
    it the outcomes are fixed whatever the adoption schedule, so the TWFE
    estimate is recomputed after reassigning the authorities' adoption periods
    (never-adopters included) by random permutation:

    .. math::
        p = \\frac{1 + \\sum_{b=1}^{B} 1\\left[|\\hat\\beta_b| \\ge |\\hat\\beta|\\right]}{1 + B}

    The test is exact in finite samples whatever the number of clusters,
    provided the adoption schedule could equally have fallen on any
    authorities (timing exchangeable across authorities). That is a design
    assumption to argue, not a property of the data; with very unequal
    authorities, permuting within strata would be more credible.

    Parameters
    ----------
    panel, outcome, unit, time, first_treated
        As for :func:`event_study`; the effect estimated is the TWFE
        coefficient on ``1[t >= first_treated]``.
    reps : int
        Number of random permutations *B*.
    seed : int
        Seed of the random generator, so published p-values reproduce.

    Returns
    -------
    list of Estimate
        One row, term ``"att"``: the TWFE estimate and the permutation
        p-value; ``n`` is the number of authority-periods.

    References
    ----------
    Fisher, R. A. (1935) *The Design of Experiments*. MacKinnon, J. G. &
    Webb, M. D. (2020) Randomization inference for difference-in-differences
    with few treated clusters. *Journal of Econometrics* 218(2), 435-450.

    Examples
    --------
    An effect of 2 in four of six authorities, noise of s.d. 0.5 (six authorities: p can be as small as 1/90):

    >>> panel = pd.DataFrame({"gss_code": np.repeat(range(6), 8), "month": np.tile(range(8), 6)})
    >>> panel["first_month"] = panel["gss_code"].map({0: 4, 1: 4, 2: 6, 3: 6})  # 4 and 5 never take part
    >>> panel["live"] = (panel["month"] >= panel["first_month"]).astype(int)
    >>> noise = np.random.default_rng(3).normal(0, 0.5, len(panel))
    >>> panel["y"] = panel["gss_code"] + 0.5 * panel["month"] + 2.0 * panel["live"] + noise
    >>> randomisation_inference_p(panel, "y", "gss_code", "month", "first_month", reps=999, seed=7)[0].p_value < 0.05
    True
    """
    if reps < 1:
        raise ValueError("reps must be at least 1")
    data = _prepare_panel(panel, outcome, unit, time, first_treated)
    periods, adoption = _adoption_positions(data, unit, time, first_treated)
    y = data[outcome].to_numpy(dtype=float)
    position = np.searchsorted(periods, data[time].to_numpy())
    clusters = adoption.index.get_indexer(pd.Index(data[unit]))
    basis = _fixed_effects_basis(clusters, position)

    def twfe_coefficients(adoption_by_unit: np.ndarray) -> np.ndarray:
        """TWFE coefficient for each column (one adoption schedule) of ``adoption_by_unit``."""
        treated = (position[:, None] >= adoption_by_unit[clusters]).astype(float)  # NaN: never
        treated_tilde = _residualise(basis, treated)
        return (treated_tilde.T @ y) / np.einsum("nb,nb->b", treated_tilde, treated_tilde)

    observed = adoption.to_numpy()
    beta = float(twfe_coefficients(observed[:, None])[0])
    rng = np.random.default_rng(seed)
    schedules = rng.permuted(np.tile(observed[:, None], (1, reps)), axis=0)
    # Chunks bound memory to about n_obs x 256 floats on long panels.
    permuted = np.concatenate(
        [twfe_coefficients(chunk) for chunk in np.array_split(schedules, -(-reps // 256), axis=1)]
    )
    # A tolerance so that permutations reproducing the observed schedule count as ties.
    exceed = np.abs(permuted) >= abs(beta) - 1e-9 * max(1.0, abs(beta))
    p_value = (1 + int(exceed.sum())) / (1 + reps)
    return [
        Estimate(
            term="att",
            estimate=beta,
            p_value=p_value,
            n=len(data),
            method=(
                f"TWFE DiD, randomisation inference: adoption periods permuted across "
                f"{len(adoption)} authorities, {reps} permutations, seed {seed}"
            ),
        )
    ]


def _prepare_panel(panel: pd.DataFrame, outcome: str, unit: str, time: str, *others: str) -> pd.DataFrame:
    """Rows with an observed outcome, sorted by unit and period, checked for duplicates."""
    columns = list(dict.fromkeys([outcome, unit, time, *others]))
    absent = [c for c in columns if c not in panel.columns]
    if absent:
        raise KeyError(f"panel has no column(s) {absent}")
    data = panel.loc[panel[outcome].notna(), columns]
    if data[[unit, time]].isna().any().any():
        raise ValueError(f"{unit!r} and {time!r} must not be missing")
    if data.duplicated([unit, time]).any():
        raise ValueError(f"panel has more than one row for some ({unit}, {time}) pair")
    return data.sort_values([unit, time], kind="stable").reset_index(drop=True)


def _adoption_positions(data: pd.DataFrame, unit: str, time: str, first_treated: str) -> tuple[np.ndarray, pd.Series]:
    """The sorted periods and each unit's adoption as a position among them.

    Event time is counted in observed periods, so quarters numbered 4, 8, 12
    give event times -1, 0, 1. A unit adopting after the last period is
    untreated throughout and counts as never treated (NaN).
    """
    if not is_numeric_dtype(data[time]):
        raise TypeError(f"period column {time!r} must be numeric (e.g. months numbered 1..T)")
    if not is_numeric_dtype(data[first_treated]):
        raise TypeError(f"adoption column {first_treated!r} must be numeric, missing if never")
    periods = np.sort(data[time].unique())
    by_unit = data.groupby(unit, sort=True)[first_treated]
    if (by_unit.nunique(dropna=False) > 1).any():
        raise ValueError(f"{first_treated!r} must be constant within each {unit!r}")
    adoption = by_unit.first().astype(float)
    within = adoption.notna() & (adoption <= periods[-1])
    off_grid = within & ~adoption.isin(periods)
    if off_grid.any():
        raise ValueError(
            f"adoption periods {sorted(adoption[off_grid].unique())} are not among the observed periods of {time!r}"
        )
    positions = pd.Series(np.nan, index=adoption.index)
    positions[within] = np.searchsorted(periods, adoption[within].to_numpy())
    return periods, positions


def _fit_two_way_fixed_effects(
    data: pd.DataFrame, outcome: str, unit: str, time: str, regressors: pd.DataFrame
) -> RegressionResultsWrapper:
    """OLS of outcome on regressors plus unit and period dummies, clustered by unit.

    Dummies are spelled out (not partialled out) so the CR1 small-sample
    correction counts the fixed effects, as Stata's ``regress`` and
    statsmodels' formula interface do.
    """
    exog = pd.concat(
        [
            regressors,
            pd.get_dummies(data[unit], prefix=unit, prefix_sep="=", drop_first=True, dtype=float),
            pd.get_dummies(data[time], prefix=time, prefix_sep="=", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    exog.insert(0, "const", 1.0)
    if np.linalg.matrix_rank(exog.to_numpy()) < exog.shape[1]:
        raise ValueError(f"{list(regressors.columns)} are collinear with the unit and period fixed effects")
    groups = pd.factorize(data[unit])[0]
    model = sm.OLS(data[outcome].to_numpy(dtype=float), exog)
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


def _estimate_from_fit(
    fit: RegressionResultsWrapper, column: str, term: str, n: int, method: str, alpha: float
) -> Estimate:
    conf_low, conf_high = fit.conf_int(alpha=alpha).loc[column]
    return Estimate(
        term=term,
        estimate=float(fit.params[column]),
        std_error=float(fit.bse[column]),
        statistic=float(fit.tvalues[column]),
        p_value=float(fit.pvalues[column]),
        conf_low=float(conf_low),
        conf_high=float(conf_high),
        n=n,
        method=method,
    )


def _cluster_note(n_clusters: int) -> str:
    return f"CR1 SE clustered by unit ({n_clusters} clusters), t({n_clusters - 1}) inference"


def _event_time_label(event_time: int, leads: int, lags: int) -> str:
    if event_time == -leads:
        return f"e<={event_time}"
    if event_time == lags:
        return f"e>={event_time}"
    return f"e={event_time}"


def _fixed_effects_basis(unit_codes: np.ndarray, period_codes: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the space spanned by unit and period dummies.

    ``scipy.linalg.orth`` drops the one redundant dummy (and any more an
    unbalanced panel creates), so no reference category has to be chosen.
    """
    n_obs = len(unit_codes)
    dummies = np.zeros((n_obs, unit_codes.max() + 1 + period_codes.max() + 1))
    dummies[np.arange(n_obs), unit_codes] = 1.0
    dummies[np.arange(n_obs), unit_codes.max() + 1 + period_codes] = 1.0
    return scipy.linalg.orth(dummies)


def _residualise(basis: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Residuals of ``values`` (vector or columns) after projection on the fixed effects."""
    return values - basis @ (basis.T @ values)
