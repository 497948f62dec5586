"""Ingest benchmark: a 1,000,000-row survey (50,000 respondents x 20 items), against a bare pyarrow read.

Run: ``.venv/bin/python benchmarks/ingest.py [--respondents 50000] [--repeats 3]``

Both measurements run in fresh child processes, alternated, in the same script
run, so the ratio compares like with like on a shared, noisy machine. The
ingest is the real one (read, validate every cell, pseudonymise, write to
DuckDB, copy the raw file); each repeat starts from an empty store holding only
the instrument. Peak memory is the child's maximum resident set size.
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
    instrument.write_text("item_id,survey,construct,wording,scale_min,scale_max,reverse_coded,labels\n"
                          + "\n".join(rows) + "\n")
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
            lines = [f"person{p}@example.org,item_{i:02d},{v},{s.replace('T', ' ')}"
                     for p, i, v, s in zip(people[chunk], items[chunk], values[chunk], stamps[chunk], strict=True)]
            handle.write("\n".join(lines) + "\n")
    return survey, mapping, instrument


BARE_READ = """
import time, pyarrow.csv
start = time.perf_counter()
table = pyarrow.csv.read_csv({survey!r})
print(time.perf_counter() - start)
"""

INGEST = """
import time
from pathlib import Path
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
        bare, ingest, peaks = [], [], []
        for repeat in range(args.repeats):
            bare.append(timed_child(BARE_READ.format(survey=str(survey)))[0])
            store = folder / f"store{repeat}" / "workbench.duckdb"
            seconds, peak = timed_child(INGEST.format(store=str(store), instrument=str(instrument),
                                                      survey=str(survey), mapping=str(mapping), rows=rows))
            ingest.append(seconds)
            peaks.append(peak)
        result = {
            "rows": rows, "file_mb": round(survey.stat().st_size / 1e6, 1),
            "bare_pyarrow_read_s": round(np.median(bare), 3),
            "ingest_s": round(np.median(ingest), 3),
            "ratio": round(np.median(ingest) / np.median(bare), 2),
            "ingest_peak_rss_mb": round(max(peaks)),
            "target": "ratio <= 3, peak < 2048 MB",
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
