"""Runner benchmark: (a) a papermill CLI loop, (b) ``workbench run --force --jobs 2 --no-pdf``, (c) ``workbench
run``, (d) ``workbench run --force --jobs 2`` (with the PDFs).

Run: ``.venv/bin/python benchmarks/run_suite.py [--repeats 3]``

All four run in the same script against the same store (the demo data,
ingested into a temporary folder) and the default manifest:
(a) calls the ``papermill`` command line once per run of the manifest, one
after another, with the same parameters and store; (b) is the workbench
re-running everything on two workers (it also writes the HTML reports, which
(a) does not); (c) is the workbench with nothing changed; (d) is (b) printing
every report's PDF as well, so d/b is what the PDFs cost a whole run. The
seconds each PDF took (from the runs' provenance.json, ``report.pdf_seconds``;
a worker's first includes starting chromium) are summarised too. Medians of the
repeats, and the ratios, are printed as JSON.

Measured 7 December 2026, 19:47-19:55 UTC, 2-core machine, nothing else running, ``--repeats 1``, 18 runs:
(a) 214.8 s, (b) 53.3 s, (c) 0.9 s, (d) 63.4 s: b/a = 0.25, d/b = 1.19 (the PDFs add 10 s to a whole run;
0.66 s a report at the median, 3.0 s at most: a worker's first, which starts chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from evaluation import config
from evaluation.run.contract import ANALYSIS_ENV, RUN_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def papermill_loop(store: Path, out: Path, env: dict[str, str]) -> float:
    """(a): the papermill CLI, once per run of the manifest, sequentially."""
    from evaluation.run.scheduler import plan_runs
    from evaluation.store import Store

    planned = plan_runs(ROOT / "notebooks" / "manifest.yml", Store(store), out / "plan", force=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    for p in planned:
        command = [
            str(BIN / "papermill"),
            str(p.spec.notebook),
            str(out / f"{p.spec.analysis}-{p.spec.run_id}.ipynb"),
            "--cwd",
            str(p.spec.notebook.parent),
            "--no-progress-bar",
        ]
        for name, value in p.spec.parameters.items():
            command += ["-p", name, str(value)]
        run_env = {
            **env,
            RUN_DIR_ENV: str(out / "contract" / p.spec.key),
            ANALYSIS_ENV: p.spec.analysis,
        }
        done = subprocess.run(command, env=run_env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"papermill failed for {p.spec.key}:\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, reports = folder / "store" / "workbench.duckdb", folder / "reports"
        env = {**os.environ, config.STORE_ENV: str(store), config.REPORTS_ENV: str(reports)}
        subprocess.run(
            [str(BIN / "workbench"), "ingest", "--demo", "--store", str(store), "data/demo/ingest.yml"],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        # --no-publish: the papermill loop renders no dashboard site, so neither does the runner it is compared with
        workbench = [str(BIN / "workbench"), "run", "--store", str(store), "--reports", str(reports), "--no-publish"]
        subprocess.run(
            workbench + ["--jobs", "2", "--no-pdf"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        from evaluation.run.scheduler import plan_runs
        from evaluation.store import Store

        runs = len(plan_runs(ROOT / "notebooks" / "manifest.yml", Store(store), reports))
        loop, forced, unchanged, with_pdf, pdf_seconds = [], [], [], [], []
        for repeat in range(args.repeats):
            loop.append(papermill_loop(store, folder / f"loop{repeat}", env))
            forced.append(timed(workbench + ["--force", "--jobs", "2", "--no-pdf"], env))
            unchanged.append(timed(workbench, env))
            with_pdf.append(timed(workbench + ["--force", "--jobs", "2"], env))
            pdf_seconds += [
                json.loads(p.read_text())["report"]["pdf_seconds"] for p in reports.glob("*/*/provenance.json")
            ]
        a, b, c, d = (np.median(x) for x in (loop, forced, unchanged, with_pdf))
        print(
            json.dumps(
                {
                    "runs_in_manifest": runs,
                    "repeats": args.repeats,
                    "cores": os.cpu_count(),
                    "a_papermill_cli_loop_s": round(a, 2),
                    "b_workbench_force_jobs2_s": round(b, 2),
                    "c_workbench_nothing_changed_s": round(c, 2),
                    "d_workbench_force_jobs2_with_pdf_s": round(d, 2),
                    "ratio_b_over_a": round(b / a, 3),
                    "ratio_d_over_b_pdf_cost": round(d / b, 3),
                    "pdf_seconds_per_report_median": round(float(np.median(pdf_seconds)), 2),
                    "pdf_seconds_per_report_max": round(float(np.max(pdf_seconds)), 2),
                    "targets": "b/a <= 0.4; c < 3 s; make run (ingest + d + site) < 180 s",
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
