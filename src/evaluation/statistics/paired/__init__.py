"""Paired (pre/post) comparisons for small cohorts.

Every function takes the baseline scores ``pre`` and the later scores ``post``
of the same participants, in the same order, and works on the changes
``d = post - pre``: positive estimates mean scores went up. Use
:func:`complete_pairs` to build ``pre`` and ``post`` from survey waves.

Input errors (unequal lengths, missing or non-finite values, no pairs) raise
``ValueError``. Too few pairs for a quantity to exist (e.g. a standard
deviation from one pair) is not an error: that field is NaN, and ``n`` says
how many pairs were used.

The functions live in three modules: :mod:`.pairs` (matching the waves of the same participants),
:mod:`.change` (the change and its tests: mean change, Wilcoxon signed-rank, Hodges-Lehmann) and
:mod:`.effect_sizes` (Cohen's d_z and the rank-biserial correlation). Import the names from this package.
"""

from .change import (
    hodges_lehmann,
    paired_mean_change,
    wilcoxon_signed_rank,
)
from .effect_sizes import (
    cohens_dz,
    rank_biserial,
)
from .pairs import (
    CompletePairs,
    complete_pairs,
)

__all__ = [
    "CompletePairs",
    "cohens_dz",
    "complete_pairs",
    "hodges_lehmann",
    "paired_mean_change",
    "rank_biserial",
    "wilcoxon_signed_rank",
]
