"""The ``workbench`` command line. Each subcommand imports what it needs when it runs."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import config
from .dashboards.serve import MAX_LIVE_PAGES

if TYPE_CHECKING:
    from .run.scheduler import RunSummary
    from .store import Store

app = typer.Typer(
    help="Evaluation workbench: ingest survey exports and programme records, run the analyses, serve dashboards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    Path | None, typer.Option("--store", help="Store file (default: $WORKBENCH_STORE or data/store/workbench.duckdb).")
]
WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        help="If another command is writing, wait up to this long for it to finish (default: refuse at once).",
    ),
]


@contextmanager
def _one_line_on_failure(store: Path | None = None) -> Iterator[None]:
    """A bad environment (paths, permissions, full disk, a busy or damaged store) ends the command with one
    line on stderr and exit code 2, never a traceback."""
    from .failures import EnvironmentProblem, one_line_errors

    try:
        with one_line_errors(store):
            yield
    except EnvironmentProblem as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None


def _print_repairs(repairs: list[str]) -> None:
    for repair in repairs:
        typer.echo(f"repaired: {repair}", err=True)


def _fail_with_problems(problems: list, title: str) -> None:
    from rich.console import Console

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold red]{title}: {len(problems)} problem(s); nothing was written.[/]")
    for problem in problems:
        console.print(f"  {problem}", markup=False)
    raise typer.Exit(code=1)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder to write the demo exports into.")] = Path("data/demo"),
) -> None:
    """Write the synthetic demo exports (surveys, programme and LOTI workbooks) and their ingest plan."""
    from .demo import write_demo

    paths = write_demo(out)
    typer.echo(f"Wrote {len(paths)} synthetic demo files to {out}/ (plan: {out / 'ingest.yml'})")


def _jobs(files: list[Path], mapping: Path | None, cohort: str | None, wave: str | None) -> list:
    from .ingest import IngestJob, read_plan

    jobs = []
    for path in files:
        if path.suffix.lower() in (".yml", ".yaml"):
            jobs += read_plan(path)
        else:
            jobs.append(IngestJob(path, mapping, cohort, wave))
    return jobs


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Exports, workbooks, table CSVs, or a YAML ingest plan.")],
    mapping: Annotated[Path | None, typer.Option(help="Mapping file: makes the files survey exports.")] = None,
    cohort: Annotated[str | None, typer.Option(help="Cohort of a survey export (overrides the mapping).")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave of a survey export (overrides the mapping).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace rows and survey waves already stored.")] = False,
    demo_key: Annotated[bool, typer.Option("--demo", help="Use the published demo key (synthetic data only).")] = False,
    store: StoreOption = None,
    wait: WaitOption = 0.0,
) -> None:
    """Validate files completely and load them into the store in one transaction (all or nothing)."""
    from .ingest import MissingKeyError, load_key, run_ingest
    from .schemas.core import ValidationError
    from .store import Store

    try:
        key = load_key(demo=demo_key)
    except MissingKeyError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None
    from .failures import check_store

    target = Store(config.store_path(store))
    command = "workbench " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    repairs: list[str] = []
    with _one_line_on_failure(target.path):
        check_store(target.path, must_exist=False)
        try:
            outcomes = run_ingest(
                _jobs(files, mapping, cohort, wave),
                target,
                key,
                replace=replace,
                command=command,
                wait=wait,
                repairs=repairs,
            )
        except ValidationError as error:
            _print_repairs(repairs)
            _fail_with_problems(error.problems, "Ingest refused")
    _print_repairs(repairs)
    _print_outcomes(outcomes, target.path)


def _print_outcomes(outcomes: list, store_path: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Ingest into {store_path}")
    for heading in ("file", "sha256", "status", "rows", "excluded"):
        table.add_column(heading)
    for o in outcomes:
        rows = ", ".join(f"{t} {n}" for t, n in o.rows.items()) + (
            f" ({o.unchanged_rows} unchanged)" if o.unchanged_rows else ""
        )
        excluded = "" if o.exclusions is None else str(len(o.exclusions))
        table.add_row(o.path.name, o.sha256[:12], o.status, rows, excluded)
    console = Console(highlight=False)
    console.print(table)
    for o in outcomes:
        if o.exclusions is not None:
            for r in o.exclusions.itertuples():
                console.print(
                    f"  excluded: {o.path.name}, row {r.source_row}: {r.reason} ({r.respondent})", markup=False
                )


@app.command()
def validate(
    files: Annotated[list[Path] | None, typer.Argument(help="Files to check; none checks the whole store.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Mapping file: makes the files survey exports.")] = None,
    cohort: Annotated[str | None, typer.Option(help="Cohort of a survey export.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave of a survey export.")] = None,
    demo_key: Annotated[bool, typer.Option("--demo", help="Use the published demo key (synthetic data only).")] = False,
    store: StoreOption = None,
    wait: WaitOption = 0.0,
) -> None:
    """Run every ingest check without writing anything; with no files, check the store: cross-table rules, and
    the raw archive against the ingestion log (repairing what an interrupted ingest left, and saying so)."""
    from .failures import check_store
    from .ingest import MissingKeyError, load_key, run_ingest, validate_store
    from .schemas.core import ValidationError
    from .store import Store

    target = Store(config.store_path(store))
    if not files:
        with _one_line_on_failure(target.path):
            check_store(target.path, must_exist=False)
            # Under the writer lock: what an interrupted ingest left is repaired (and said) before the check.
            with target.writing(wait=wait) as repairs:
                _print_repairs(repairs)
                check_store(target.path, must_exist=True)
                problems = validate_store(target)
        if problems:
            _fail_with_problems(problems, "Store check failed")
        typer.echo(f"{target.path}: every cross-table rule holds; every ingested file has its raw copy.")
        return
    try:
        key = load_key(demo=demo_key)
        with _one_line_on_failure(target.path):
            check_store(target.path, must_exist=False)
            outcomes = run_ingest(_jobs(files, mapping, cohort, wave), target, key, write=False)
    except MissingKeyError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None
    except ValidationError as error:
        _fail_with_problems(error.problems, "Validation failed")
    for o in outcomes:
        typer.echo(f"{o.path.name}: {o.status}, no problems")


@app.command()
def dictionary(
    out: Annotated[Path, typer.Option(help="Where to write the data dictionary.")] = Path("docs/data-dictionary.md"),
) -> None:
    """Write the data dictionary (docs/data-dictionary.md) from the schemas."""
    from .schemas.dictionary import render_dictionary

    out.write_text(render_dictionary(), encoding="utf-8")
    typer.echo(f"Wrote {out}")


@app.command()
def run(
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", "-s", help="Analyses or runs to run (name, name/run-id, globs); their upstreams come too."
        ),
    ] = None,
    parameter: Annotated[
        list[str] | None, typer.Option("--parameter", "-p", help="Override a parameter: name=value (repeatable).")
    ] = None,
    jobs: Annotated[int | None, typer.Option(help="Runs in parallel (default: number of cores).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-run everything, up to date or not.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would run and why; run nothing.")] = False,
    timeout: Annotated[int | None, typer.Option(help="Seconds a notebook cell may take before the run fails.")] = None,
    executor: Annotated[str, typer.Option(help="local (process pool) or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.")] = None,
    manifest: Annotated[Path, typer.Option(help="The manifest of analyses.")] = Path("notebooks/manifest.yml"),
    reports: Annotated[
        Path | None, typer.Option(help="Reports folder (default: $WORKBENCH_REPORTS or reports/).")
    ] = None,
    store: StoreOption = None,
    wait: WaitOption = 0.0,
    publish_site: Annotated[
        bool,
        typer.Option("--publish/--no-publish", help="Then update the published site of dashboards (reports/_site)."),
    ] = True,
    audience: Annotated[
        str,
        typer.Option(
            help="public (suppressed, audited) or internal (every figure; written "
            "to internal-reports/, never published)."
        ),
    ] = "public",
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf/--no-pdf",
            help="Print each report as an A4 PDF (report.pdf beside report.html; chromium, about a second a report).",
        ),
    ] = True,
) -> None:
    """Run the analyses of the manifest with papermill: in parallel, skipping what is up to date."""
    import os

    from .failures import check_reports, check_store
    from .run.contract import DEFAULT_INTERNAL_REPORTS, INTERNAL, AudienceError, claim_reports_folder
    from .run.display import print_plan, print_summary, progress_display
    from .run.execute import REPORT_PDF_ENV
    from .run.scheduler import reports_lock, run_manifest
    from .store import Store

    if executor not in ("local", "dask") or audience not in ("public", INTERNAL):
        typer.echo("error: --executor must be local or dask, --audience public or internal", err=True)
        raise typer.Exit(code=2)
    target = Store(config.store_path(store))
    output = (reports or DEFAULT_INTERNAL_REPORTS) if audience == INTERNAL else config.reports_dir(reports)
    try:  # checked before anything runs; the folder is marked when the runs start
        claim_reports_folder(output, audience, mark=False)
    except AudienceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None
    publish_site = publish_site and audience != INTERNAL  # the published site shows public runs only
    with _one_line_on_failure(target.path):
        check_store(target.path, must_exist=True)
        check_reports(output)
        if dry_run:
            print_plan(_plan(manifest, target, output, select, parameter, force, audience))
            return
        os.environ[REPORT_PDF_ENV] = "1" if pdf else "0"  # read where each run's task is made
        # Planned under the run lock: a run that waited for another plans from the results it waited for.
        with reports_lock(output, wait=wait) as removed:
            _print_repairs(removed)
            planned = _plan(manifest, target, output, select, parameter, force, audience)
            with progress_display(planned) as on_event:
                summary = run_manifest(
                    manifest,
                    target,
                    output,
                    jobs=jobs,
                    timeout=timeout,
                    executor=executor,
                    scheduler=scheduler,
                    on_event=on_event,
                    planned=planned,
                )
            print_summary(summary)
            _print_withheld(summary)
            if publish_site:  # under the run lock: one publish at a time, from results no run is changing
                _publish(output)
    if summary.failures:
        raise typer.Exit(code=1)


def _print_withheld(summary: RunSummary) -> None:
    """Outputs a report left out (stderr, tracebacks, machine paths): said here, recorded in provenance.json."""
    for planned in summary.planned:
        outcome = planned.outcome
        if outcome is not None and outcome.withheld:
            typer.echo(
                f"note: {outcome.key}: {len(outcome.withheld)} output(s) kept out of the report (recorded in "
                f"{outcome.path}/provenance.json under report.withheld):",
                err=True,
            )
            for line in outcome.withheld:
                typer.echo(f"  {line}", err=True)


def _plan(
    manifest: Path,
    store: Store,
    reports: Path,
    select: list[str] | None,
    parameter: list[str] | None,
    force: bool,
    audience: str = "public",
) -> list:
    """The plan of ``workbench run``; a bad manifest, parameter or selection ends the command in one line."""
    from .run.manifest import ManifestError
    from .run.parameters import ParameterError, parse_overrides
    from .run.scheduler import plan_runs

    try:
        return plan_runs(
            manifest,
            store,
            reports,
            select=select or [],
            overrides=parse_overrides(parameter or []),
            force=force,
            audience=audience,
        )
    except (ManifestError, ParameterError, KeyError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None


def _publish(reports: Path, *, images: bool = True, force: bool = False) -> None:
    from .dashboards.site import SiteError, publish_site

    try:
        summary = publish_site(reports, images=images, force=force)
    except SiteError as error:
        typer.echo(f"error: the site was not published (the previous one is unchanged): {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(summary.describe())


@app.command()
def publish(
    reports: Annotated[
        Path | None, typer.Option(help="Reports folder (default: $WORKBENCH_REPORTS or reports/).")
    ] = None,
    images: Annotated[
        bool, typer.Option("--images/--no-images", help="Make each chart's PNG and SVG (about 0.3 s each).")
    ] = True,
    force: Annotated[bool, typer.Option("--force", help="Render every page, changed or not.")] = False,
    wait: WaitOption = 0.0,
) -> None:
    """Render every dashboard in every state into a static site (reports/_site); only changed pages are redone.

    `workbench run` does this after every run. The folder works from any static web server or from a copy on
    a shared drive (docs/deployment.md).
    """
    from .failures import check_reports
    from .run.scheduler import reports_lock

    output = config.reports_dir(reports)
    with _one_line_on_failure(None):
        check_reports(output)
        with reports_lock(output, wait=wait) as removed:  # never beside a run that is publishing results
            _print_repairs(removed)
            _publish(output, images=images, force=force)


@app.command("board-pack")
def board_pack(
    runs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Runs as analysis/run-id (globs allowed), in the "
            "pack's order. Default: programme_evaluation/all, "
            "portfolio_evaluation/all, project_evaluation/*."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The pack's PDF file.")] = Path("board-pack.pdf"),
    title: Annotated[
        str, typer.Option(help="The pack's title, on its contents page and every page's number.")
    ] = "Board pack",
    reports: Annotated[
        Path | None, typer.Option(help="Reports folder (default: $WORKBENCH_REPORTS or reports/).")
    ] = None,
) -> None:
    """Join published reports' PDFs into one board pack: a contents page, then each report, numbered across the
    pack (docs/reports.md)."""
    from .report.pack import DEFAULT_PACK, PackError, build_board_pack
    from .report.pdf import PdfError

    output = config.reports_dir(reports)
    try:
        pack = build_board_pack(output, runs or list(DEFAULT_PACK), out, title=title)
    except (PackError, PdfError) as error:
        typer.echo(f"error: no board pack was written: {error}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(
        f"Wrote {pack.path}: {len(pack.entries)} reports, {pack.pages} pages "
        f"({pack.contents_pages} of contents){', marked ' + pack.marking if pack.marking else ''}"
    )
    for entry, first in pack.entries:
        typer.echo(f"  page {first:>3}  {entry.stamp.key}: {entry.title} ({entry.pages} pages)")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8866,
    dashboards: Annotated[Path, typer.Option(help="Folder of dashboard notebooks.")] = Path("dashboards"),
    reports: Annotated[
        Path | None, typer.Option(help="Published results (default: $WORKBENCH_REPORTS or reports/).")
    ] = None,
    preheat: Annotated[bool, typer.Option(help="Keep kernels per dashboard ready (faster first page).")] = True,
    pool_size: Annotated[int, typer.Option(help="Preheated kernels per dashboard.")] = 1,
    max_live: Annotated[
        int, typer.Option(help="Readers served live at once; the next is sent to the published site.")
    ] = MAX_LIVE_PAGES,
) -> None:
    """Serve the published site at / and the live dashboards (Voila) on 127.0.0.1 (docs/deployment.md).

    The server replaces this process, so a supervisor's SIGTERM stops it and its kernels.
    """
    import os

    from .dashboards.serve import voila_command, voila_environment

    output = config.reports_dir(reports)
    try:
        command = voila_command(dashboards, port, preheat=preheat, pool_size=pool_size, max_live_pages=max_live)
    except (FileNotFoundError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"Dashboards at http://127.0.0.1:{port}/ (Ctrl-C to stop); results from {output}", err=True)
    sys.stdout.flush()
    os.execve(command[0], command, voila_environment(output))


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the analysis: a lower-case Python identifier.")],
    title: Annotated[str | None, typer.Option(help="Title of its report (default: from the name).")] = None,
) -> None:
    """Scaffold an analysis that runs as written: notebook, manifest entry, package and test (docs/developing.md)."""
    from .analysis_scaffold import command_new

    raise typer.Exit(command_new(Path.cwd(), name, title))


def main() -> None:  # pragma: no cover - console entry point
    app()
