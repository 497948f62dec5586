"""Green Book value-for-money economics: prices, discounting and appraisal.

Modules (imported individually, so that importing the package costs nothing):

``deflate``
    Nominal to real prices with HM Treasury's GDP deflator shipped in
    ``evaluation/data/gdp_deflator.csv``.
``discounting``
    Social Time Preference Rate schedules, discount factors, present value,
    NPSV, BCR, optimism bias, switching values and break-even counts.
``counterfactual``
    Savings against what the same outcome would have cost otherwise
    (market day rates, bilateral agreements).
``monte_carlo``
    Seeded, vectorised Monte Carlo sensitivity analysis of NPSV and BCR.
``appraisal``
    Costs and benefits by bearer and cashability from a long table of flows,
    with the headline NPSV and BCR as tidy :class:`evaluation.tidy.Estimate` rows.

Reference: HM Treasury (2022) *The Green Book: Central Government Guidance on
Appraisal and Evaluation*.
"""
