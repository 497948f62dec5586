"""Statistical disclosure control for results about small groups.

Programme boards see results for cohorts of about eight senior leaders who
know one another, so a small cell ("2 leaders in cohort B rated the course
poorly") can identify individuals. Before anything is published:

1. **Primary suppression (threshold rule).** A count in ``1..k-1`` is
   suppressed; so is every statistic (mean, percentage, change, CI) computed
   from fewer than ``k`` people. ``k = 5`` by default. UK guidance leaves the
   threshold to the producer; 5 is a common choice in UK official statistics
   and suits groups of eight, where with a lower threshold two or three leaders
   could identify one another's answers.
2. **Secondary (complementary) suppression.** When margins are published, a
   lone suppressed cell in a row or column equals the total minus the
   published cells. Every row or column (totals included) with exactly one
   suppressed cell therefore gets a second cell suppressed -- the smallest
   non-zero one, preferring a cell that also completes another such line --
   repeated until stable. Two suppressions per line are necessary but not
   sufficient (a suppressed cell joining two otherwise separate groups of
   suppressions can still be solved for), so the pattern is then audited
   exactly: a suppressed cell is *recoverable* when the published values
   determine it through the table's linear relations, and suppression
   continues until no cell is.
3. **Zeros** are published by default: a zero reveals nothing about an
   individual, and zeros are poor complements because they are often known
   (empty categories). Set ``suppress_zeros=True`` when "nobody in this group
   answered X" is itself sensitive (group disclosure).
4. **Associated statistics** of a suppressed cell or group (its percentage,
   mean, CI, p-value) are suppressed with it (:meth:`SuppressedTable.apply_to`,
   :func:`suppress_small_groups`). Published tables mark suppressed values
   ``[c]`` (confidential), the symbol of the GSS guidance on symbols in tables.

5. **Counts next to a published total (the complement rule).** A count of
   people ``n`` about a population whose total ``T`` is published elsewhere
   in the same output (a cohort's enrolled, the programme's participants,
   London's 33 authorities) gives its complement ``T - n`` away. Such a count
   is published only if ``n == 0`` or ``n >= k`` and (``T - n == 0`` or
   ``T - n >= k``) (:func:`count_publishable`); otherwise it is shown ``[c]``.
   The statistics of the group (its mean, interval) stay published when the
   group itself has at least ``k`` people and the values its size could take
   (``k .. T - 1`` with a complement under ``k``) are at least two; its size
   is then given in words as "``k`` or more" (:func:`people_text`), which pins
   neither the group nor its complement (:func:`protect_people_counts`).
   With cohorts of about eight and ``k = 5``, almost any split of a cohort has
   a part under 5, so most counts of a cohort's subgroups are suppressed.

The audit protects against exact recovery from totals. It does not compute
protection intervals (how narrowly bounds pin a value), nor complementary
suppression between a published all-cohorts estimate and per-cohort ones:
publish the overall estimate only when at most zero or at least two cohorts
are suppressed.

The rules live in three modules: :mod:`.suppression` (rules 1 to 4 and the audit of a pattern),
:mod:`.complement` (rule 5, counts and shares beside a published total) and :mod:`.risks` (finding what a
table about to be released would disclose). Import the names from this package.

References
----------
Government Statistical Service (2014). *Disclosure control guidance for tables
produced from administrative sources*. ONS / GSS.
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley. (Tabular
data: threshold rule, secondary cell suppression, auditing a pattern.)
Analysis Function (GSS). *Symbols in tables, definitions and help*.
Office for National Statistics (2020). *Disclosure control guidance for
tables produced from surveys* / GSS *Statistical disclosure control: linked
tables and differencing* (secondary suppression protects a cell against
subtraction from totals published in any linked output, not only its own
table).
"""

from .complement import (
    count_publishable,
    people_text,
    protect_counts,
    protect_people_counts,
    protect_shares,
    share_publishable,
)
from .risks import assert_no_disclosure_risks, find_disclosure_risks
from .suppression import (
    DEFAULT_THRESHOLD,
    STATISTIC_COLUMNS,
    SUPPRESSED_SYMBOL,
    TOTAL,
    SuppressedTable,
    recoverable_cells,
    suppress_counts,
    suppress_small_groups,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "STATISTIC_COLUMNS",
    "SUPPRESSED_SYMBOL",
    "TOTAL",
    "SuppressedTable",
    "assert_no_disclosure_risks",
    "count_publishable",
    "find_disclosure_risks",
    "people_text",
    "protect_counts",
    "protect_people_counts",
    "protect_shares",
    "recoverable_cells",
    "share_publishable",
    "suppress_counts",
    "suppress_small_groups",
]
