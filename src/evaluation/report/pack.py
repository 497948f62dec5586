"""A board pack: the PDFs of chosen published runs joined behind a contents page, numbered across the pack.

The pack's pages keep each report's own header and footer ("Page N of M" of the report); the pack
adds its own number at the top right of every page ("Board pack page N of M") and a contents page
listing each report's title, run, date and first page. The contents and the pack's numbers are
printed by chromium in one document (the contents, then blank pages), whose pages are laid over the
reports' pages; pypdf joins them and adds a bookmark per report.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import html
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..run_folder import PROVENANCE_JSON, REPORT_PDF
from .document import INTERNAL, PUBLIC
from .html import MARKING, RunStamp, asset
from .pdf import PdfPrinter, band

# The programme overview, the LOTI portfolio, then every project report (in run order).
DEFAULT_PACK = ("programme_evaluation/all", "portfolio_evaluation/all", "project_evaluation/*")
PACK_TITLE = "Board pack"


class PackError(ValueError):
    """A board pack cannot be made; the message names the run and says why."""


@dataclass(frozen=True)
class PackEntry:
    """One report in the pack."""

    stamp: RunStamp
    title: str
    audience: str
    pdf: Path
    pages: int


@dataclass(frozen=True)
class BoardPack:
    """What was written: the file, its entries with their first page, and the page count."""

    path: Path
    entries: tuple[tuple[PackEntry, int], ...]  # each report and the pack page it starts on
    contents_pages: int
    pages: int

    @property
    def marking(self) -> str:
        return MARKING if any(e.audience == INTERNAL for e, _ in self.entries) else ""


def _published(reports: Path) -> list[str]:
    return sorted(
        f"{p.parent.parent.name}/{p.parent.name}"
        for p in reports.glob(f"*/*/{PROVENANCE_JSON}")
        if not p.parent.name.startswith(".") and not p.parent.parent.name.startswith(("_", "."))
    )


def choose_runs(reports: Path, patterns: Sequence[str]) -> list[str]:
    """The published runs ``patterns`` name (``analysis/run-id``, globs allowed), in order, each once."""
    published, chosen = _published(reports), []
    for pattern in patterns:
        if "/" not in pattern:
            raise PackError(
                f"{pattern!r}: name a run as analysis/run-id, as in {reports}/ (e.g. programme_evaluation/all)"
            )
        matches = [k for k in published if fnmatch.fnmatchcase(k, pattern)]
        if not matches:
            analysis = pattern.split("/")[0]
            siblings = [k for k in published if k.split("/")[0] == analysis]
            known = (
                f"published runs of {analysis}: {', '.join(siblings)}"
                if siblings
                else f"no run of {analysis} is published there"
            )
            raise PackError(f"run {pattern} is not published in {reports}/ ({known})")
        chosen += [k for k in matches if k not in chosen]
    return chosen


def _entry(reports: Path, key: str) -> PackEntry:
    from pypdf import PdfReader

    folder = reports / key
    pdf = folder / REPORT_PDF
    if not pdf.exists():
        raise PackError(
            f"run {key} has no {REPORT_PDF} in {folder} (it was run without PDFs, or before them): "
            f"`workbench run --select {key} --force` prints it"
        )
    record = json.loads((folder / PROVENANCE_JSON).read_text())
    report = record.get("report", {})
    pages = len(PdfReader(pdf).pages)
    audience = report.get("audience") or record.get("parameters", {}).get("audience", PUBLIC)
    stamp = RunStamp(record["analysis"], record["run_id"], record["started_at"], record.get("git_commit"))
    return PackEntry(stamp, report.get("title") or key, audience, pdf, pages)


def _frame_html(title: str, entries: Sequence[tuple[PackEntry, int]], pages: int, blank: int, marking: str) -> str:
    """The contents, then ``blank`` empty pages: printed with the pack's numbers, then laid over the reports."""
    rows = "".join(
        f"<tr><td>{html.escape(e.title)}</td><td>{html.escape(e.stamp.key)}<br>"
        f'<span class="pack-when">{html.escape(e.stamp.when)}</span></td>'
        f'<td class="wb-num">{first}</td></tr>'
        for e, first in entries
    )
    made = dt.datetime.now(dt.UTC)
    marking_html = f'<p class="report-marking">{marking}</p>' if marking else ""
    blanks = '<div class="pack-blank"></div>' * blank
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{asset('report.css')}\n.pack-blank {{ break-before: page; height: 1px; }}\n"
        ".pack-when { color: #505a5f; font-size: 0.9em; } table { width: 100%; }</style></head><body><main>"
        f"{marking_html}<h1>{html.escape(title)}</h1><p>{len(entries)} reports, {pages} pages, put together on "
        f"{made.day} {made:%B %Y}. Each report keeps its own page numbers at the foot of its pages; the "
        "pack's page numbers are at the top right.</p><table><caption>Contents</caption><thead><tr>"
        '<th scope="col">Report</th><th scope="col">Run</th><th scope="col" class="wb-num">Page</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></main>{blanks}</body></html>"
    )


def _print_frame(
    printer: PdfPrinter, folder: Path, title: str, entries: Sequence[PackEntry], contents: int, marking: str
) -> tuple[Path, int]:
    """Print the contents and the numbered blank pages, given ``contents`` pages of contents; the file and the
    number of contents pages it actually took."""
    from pypdf import PdfReader

    firsts, page = [], contents + 1
    for entry in entries:
        firsts.append((entry, page))
        page += entry.pages
    total = page - 1
    source, target = folder / "frame.html", folder / "frame.pdf"
    source.write_text(_frame_html(title, firsts, total, total - contents, marking), encoding="utf-8")
    header = band(
        "", marking, f'{html.escape(title)} page <span class="pageNumber"></span> of <span class="totalPages"></span>'
    )
    printer.print_page(source, target, header=header, background=False)
    return target, len(PdfReader(target).pages) - (total - contents)


def build_board_pack(
    reports: Path, runs: Sequence[str], out: Path, *, title: str = PACK_TITLE, printer: PdfPrinter | None = None
) -> BoardPack:
    """Join the PDFs of the published ``runs`` (``analysis/run-id``, globs allowed) into ``out``.

    Raises :class:`PackError` naming the run when a run or its PDF is missing; ``out`` is then untouched.
    """
    from pypdf import PdfReader, PdfWriter

    entries = [_entry(reports, key) for key in choose_runs(reports, runs)]
    if not entries:
        raise PackError("no run chosen for the board pack")
    marking = MARKING if any(e.audience == INTERNAL for e in entries) else ""
    own_printer = printer is None
    printer = printer or PdfPrinter()
    try:
        with tempfile.TemporaryDirectory(prefix="board-pack-") as scratch:
            contents = 1
            for _ in range(5):  # a long contents list takes more pages than first assumed: print it again
                frame, taken = _print_frame(printer, Path(scratch), title, entries, contents, marking)
                if taken == contents:
                    break
                contents = taken
            else:
                raise PackError(f"the contents of {len(entries)} reports did not settle on a page count")
            overlay = PdfReader(frame)
            writer = PdfWriter()
            for page in overlay.pages[:contents]:
                writer.add_page(page)
            placed, at = [], contents
            for entry in entries:
                placed.append((entry, at + 1))
                writer.add_outline_item(title=entry.title, page_number=at)
                for page in PdfReader(entry.pdf).pages:
                    writer.add_page(page).merge_page(overlay.pages[at])  # the pack's number over the page
                    at += 1
            writer.add_metadata({"/Title": title, "/Creator": "evaluation workbench (workbench board-pack)"})
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_name(f".{out.name}.partial")
            with partial.open("wb") as stream:
                writer.write(stream)
            os.replace(partial, out)
    finally:
        if own_printer:
            printer.close()
    return BoardPack(out, tuple(placed), contents, at)
