"""Impact evaluation of programmes adopted by London local authorities.

A project (for example a LOTI data-sharing pilot) is adopted by some of the 33
London authorities, often at different times, and tracked on indicators at
organisation, community and economic level. The modules answer, in order:

- :mod:`~evaluation.impact.evidence`: which claim the design supports (Maryland
  Scientific Methods Scale) and whether a causal estimate may be reported at all;
- :mod:`~evaluation.impact.did`: two-way fixed effects difference-in-differences,
  event study, and inference that stays honest with 33 clusters (wild cluster
  bootstrap, randomisation inference);
- :mod:`~evaluation.impact.staggered`: Callaway & Sant'Anna (2021) group-time
  effects, robust to staggered adoption with effects that vary over time;
- :mod:`~evaluation.impact.indicators`: progress against baseline and target,
  with a red/amber/green status, for when a causal estimate cannot be reported.

Panels are long data frames with one row per authority and period. Periods are
numbers (for example months numbered 1..T); event time counts observed periods,
and an adoption period must be one of them (or missing: never adopted).
"""
