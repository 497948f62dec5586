"""Ingest benchmark: a 1,000,000-row survey (50,000 respondents x 20 items), against a bare pyarrow read.

Run: ``.venv/bin/python benchmarks/ingest.py [--respondents 50000] [--repeats 3]``

Both measurements run in fresh child processes, alternated, in the same script
run, so the ratio compares like with like on a shared, noisy machine. The
ingest is the real one (read, validate every cell, pseudonymise, write to
DuckDB, copy the raw file); each repeat starts from an empty store holding only
the instrument. Peak memory is the child's maximum resident set size. Imports
happen before the clock starts on both sides (pyarrow.csv for the bare read;
the ingest's modules and yaml for the ingest).

A second baseline, ``bare_duckdb_insert_s``, inserts the same million rows,
already typed, into a fresh store's responses table in one transaction: the
floor under any ingest that stores them. ``floor_ratio`` is (bare read + bare
insert) / bare read, the best ratio an ingest that reads and stores could reach.

Measured 2026 (2 shared cores, other helpers running notebooks; medians):
  load ~3.4, --repeats 3: read 0.100 s, insert 0.339 s, ingest 1.714 s, ratio 17.2, floor_ratio 4.4, peak 513 MB
  load ~1,   --repeats 5: read 0.148 s, insert 0.593 s, ingest 1.953 s, ratio 13.2, floor_ratio 5.0, peak 478 MB
  2 December 2026 18:43, quiet machine (load ~1), --repeats 5: read 0.130 s, insert 0.476 s, ingest 1.922 s,
  ratio 14.8, floor_ratio 4.7, peak 480 MB
The 3x target is out of reach by construction: storing the rows alone costs
3.4-4x the bare read. (The same insert into an in-memory DuckDB takes 0.16 s
against 0.41 s into the file, min of 3; DuckDB's write of the file is the floor,
whatever the ingest does before it.) In one process (min of 5, quiet): CSV read with the
reader's checks 0.17 s (bare 0.11), distinct-value encoding of the 4 columns
0.18 s, 50,000 pseudonyms 0.13 s, file SHA-256 0.05 s, raw-file copy 0.05 s,
duplicates 0.04 s, everything else under 0.1 s; the store write itself equals
the bare insert (0.42 s vs 0.39 s min).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

ITEMS = 20
LABELS = "1=Strongly disagree; 2=Disagree; 3=Neither agree nor disagree; 4=Agree; 5=Strongly agree"


def write_inputs(folder: Path, respondents: int) -> tuple[Path, Path, Path]:
    """A tidy survey CSV, its mapping and an instrument CSV."""
    rng = np.random.default_rng(1)
    instrument = folder / "instrument.csv"
    rows = [f"item_{i:02d},benchmark,confidence,Item {i},1,5,FALSE,{LABELS}" for i in range(ITEMS)]
    instrument.write_text(
        "item_id,survey,construct,wording,scale_min,scale_max,reverse_coded,labels\n" + "\n".join(rows) + "\n"
    )
    mapping = folder / "mapping.yml"
    mapping.write_text("survey: benchmark\nformat: tidy\nwave: baseline\n")
    people = np.repeat(np.arange(respondents), ITEMS)
    items = np.tile(np.arange(ITEMS), respondents)
    values = rng.integers(1, 6, size=people.size)
    seconds = rng.integers(0, 86_400 * 300, size=respondents)[people]
    stamps = (np.datetime64("2024-01-01T00:00:00") + seconds.astype("timedelta64[s]")).astype(str)
    survey = folder / "survey.csv"
    with survey.open("w") as handle:
        handle.write("respondent,item_id,value,submitted_at\n")
        for start in range(0, people.size, 200_000):
            chunk = slice(start, start + 200_000)
            lines = [
                f"person{p}@example.org,item_{i:02d},{v},{s.replace('T', ' ')}"
                for p, i, v, s in zip(people[chunk], items[chunk], values[chunk], stamps[chunk], strict=True)
            ]
            handle.write("\n".join(lines) + "\n")
    return survey, mapping, instrument


BARE_READ = """
import time, pyarrow.csv
start = time.perf_counter()
table = pyarrow.csv.read_csv({survey!r})
print(time.perf_counter() - start)
"""

# The floor under any ingest that stores the rows: the same million rows, already typed, inserted into a
# fresh store's responses table in one transaction, as a bare script would (read and conversion not timed).
BARE_INSERT = """
import time, duckdb, pyarrow as pa, pyarrow.compute as pc, pyarrow.csv
from evaluation.schemas import TABLES
read = pyarrow.csv.read_csv({survey!r}, convert_options=pyarrow.csv.ConvertOptions(
    column_types={{"value": pa.float64(), "submitted_at": pa.timestamp("us")}}))
n = read.num_rows
rows = pa.table({{
    "survey": pa.repeat(pa.scalar("benchmark"), n), "respondent": read["respondent"],
    "cohort_id": pa.nulls(n, pa.string()), "authority_code": pa.nulls(n, pa.string()),
    "wave": pa.repeat(pa.scalar("baseline"), n), "item_id": read["item_id"], "value": read["value"],
    "submitted_at": read["submitted_at"], "source_sha256": pa.repeat(pa.scalar("0" * 64), n),
}}).combine_chunks()
con = duckdb.connect({store!r})
con.execute(TABLES["responses"].duckdb_ddl())
start = time.perf_counter()
con.begin()
con.register("incoming", rows)
con.execute("INSERT INTO responses BY NAME SELECT * FROM incoming")
con.commit()
con.execute("CHECKPOINT")
con.close()
print(time.perf_counter() - start)
"""

INGEST = """
import time
from pathlib import Path
import yaml  # imported before the clock, as pyarrow.csv is for the bare read
from evaluation.ingest.service import IngestJob, run_ingest
from evaluation.store import Store
store = Store(Path({store!r}))
run_ingest([IngestJob(Path({instrument!r}))], store, b"benchmark-key-0123456789")
start = time.perf_counter()
outcome, = run_ingest([IngestJob(Path({survey!r}), Path({mapping!r}))], store, b"benchmark-key-0123456789")
print(time.perf_counter() - start)
assert outcome.rows["responses"] == {rows}, outcome.rows
"""


def timed_child(code: str) -> tuple[float, float]:
    """Run code in a fresh interpreter; return (seconds it printed, its peak RSS in MB)."""
    runner = textwrap.dedent("""
        import resource, subprocess, sys
        child = subprocess.run([sys.executable, "-c", sys.argv[1]], capture_output=True, text=True)
        if child.returncode: sys.exit(child.stderr)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(child.stdout.strip().splitlines()[-1], peak_kb / 1024)
    """)
    out = subprocess.run([sys.executable, "-c", runner, code], capture_output=True, text=True, check=True)
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        survey, mapping, instrument = write_inputs(folder, args.respondents)
        rows = args.respondents * ITEMS
        bare, insert, ingest, peaks = [], [], [], []
        for repeat in range(args.repeats):
            bare.append(timed_child(BARE_READ.format(survey=str(survey)))[0])
            insert.append(
                timed_child(BARE_INSERT.format(survey=str(survey), store=str(folder / f"bare{repeat}.duckdb")))[0]
            )
            store = folder / f"store{repeat}" / "workbench.duckdb"
            seconds, peak = timed_child(
                INGEST.format(
                    store=str(store), instrument=str(instrument), survey=str(survey), mapping=str(mapping), rows=rows
                )
            )
            ingest.append(seconds)
            peaks.append(peak)
        result = {
            "rows": rows,
            "file_mb": round(survey.stat().st_size / 1e6, 1),
            "bare_pyarrow_read_s": round(np.median(bare), 3),
            "bare_duckdb_insert_s": round(np.median(insert), 3),
            "ingest_s": round(np.median(ingest), 3),
            "ratio": round(np.median(ingest) / np.median(bare), 2),
            "floor_ratio": round((np.median(bare) + np.median(insert)) / np.median(bare), 2),
            "ingest_peak_rss_mb": round(max(peaks)),
            "target": "ratio <= 3, peak < 2048 MB",
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
