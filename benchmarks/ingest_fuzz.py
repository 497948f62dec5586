"""Damaged-export fuzzing: many more examples of the property in tests/ingest/test_damaged_exports.py.

Run: ``.venv/bin/python benchmarks/ingest_fuzz.py [--examples 5000] [--seed 0]``

Each example damages one demo Qualtrics export (a cut at a random byte, bytes
inserted or deleted, a header row deleted or duplicated, two whole columns
swapped, another encoding; tests/ingest/damage.py) and reads it exactly as
``workbench ingest`` would, checking the rule written there. The script counts
the outcomes per kind of damage instead of stopping at the first violation, and
prints them as JSON with every violation found (each a reproducible failure of
the property test). A violation makes the exit code 1.

Measured 7 December 2026 (2 shared cores, load ~7), --examples 5000 --seed 1, 286 s, no violation:
  cut 1,114 (1,108 refused, 5 identical, 1 accepted at a record boundary with the original's rows);
  bytes deleted 1,439 (612 refused, 803 identical, 24 one respondent's cell changed);
  bytes inserted 1,076 (640 refused, 421 identical, 15 one respondent's cell changed);
  header row deleted 18 and duplicated 18 (all refused: every distinct case, 6 exports x 3 rows);
  columns swapped 1,305 (all identical); encodings 30 (24 identical, 6 UTF-16 without a BOM refused).
The first run of this script (1,500 examples, before the fixes) found 4 tracebacks (a lone carriage
return in the header line) and 1 unlocated refusal (Arrow's skip_rows counting lines, not records).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "ingest")]

from damage import EXPORTS, ROSTER, Damage, context, damaged_exports, judge, stored_rows  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from evaluation.ingest.pseudonymise import DEMO_KEY  # noqa: E402
from evaluation.ingest.service import run_ingest  # noqa: E402
from evaluation.store import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ingest-fuzz-"))
    store = Store(folder / "store" / "workbench.duckdb")
    run_ingest(ROSTER, store, DEMO_KEY, command="ingest fuzz")
    survey_context = context(store)
    originals = {job.path.name: stored_rows(job, job.path, survey_context) for job in EXPORTS}
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    violations: list[str] = []

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(damage=damaged_exports())
    def check(damage: Damage) -> None:
        try:
            outcome = judge(damage, folder, originals[damage.job.path.name], survey_context)
        except AssertionError as violation:
            outcome = "VIOLATION"
            violations.append(str(violation))
        except Exception as error:  # noqa: BLE001 - a traceback is the worst outcome; count and show it
            outcome = "TRACEBACK"
            violations.append(
                f"{damage.job.path.name}, {damage.kind} ({damage.detail}): {type(error).__name__}: {error}"
            )
        outcomes[damage.kind][outcome] += 1

    started = time.perf_counter()
    check()
    seconds = time.perf_counter() - started
    total = sum(sum(c.values()) for c in outcomes.values())
    print(
        json.dumps(
            {
                "examples": total,
                "seconds": round(seconds, 1),
                "seed": args.seed,
                "outcomes": {kind: dict(c) for kind, c in sorted(outcomes.items())},
                "violations": violations[:50],
                "violation_count": len(violations),
            },
            indent=1,
        )
    )
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
