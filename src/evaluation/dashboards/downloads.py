"""What a board paper needs from a page: each chart as PNG or SVG, each table as CSV or an accessible XLSX.

Files are made on demand in the kernel and handed to the browser as ``data:``
links (``<a download=...>``), so nothing is written on the server. Static
images use kaleido, pointed at Debian's chromium (``config.CHROMIUM``); its browser is started
once per kernel (:func:`start_image_server`, ~2 s), after which an image
takes well under a second.

The XLSX follows the Analysis Function's guidance on releasing statistics in
spreadsheets: the title in cell A1, notes (source, when it was run, what
``[c]`` means) in the rows under it, one header row marked up as an Excel
table, numbers stored as numbers, ``[c]`` kept as text, column widths set to
fit, panes frozen under the header, and no merged cells, blank rows inside
the table or colour-only meaning.
"""

from __future__ import annotations

import atexit
import base64
import html
import io
import os
import re
import threading
import warnings
from typing import TYPE_CHECKING, Literal

from ..config import CHROMIUM
from ..presentation import numbers
from .data import SUPPRESSED_NOTE, SUPPRESSED_SYMBOL, Provenance, PublishedTable, to_number

if TYPE_CHECKING:
    import plotly.graph_objects as go

ImageFormat = Literal["png", "svg"]
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv;charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGE_WIDTH, IMAGE_HEIGHT, PNG_SCALE = 1000, 550, 2
HEADER_FILL, HEADER_FONT_COLOUR = "12436D", "FFFFFF"
MAX_COLUMN_WIDTH = 60

_server_lock = threading.Lock()
_server_started = False


def use_debian_chromium() -> None:
    """Point kaleido (choreographer) at Debian's chromium; it would otherwise search PATH, or download a browser."""
    if CHROMIUM.exists():
        os.environ.setdefault("BROWSER_PATH", str(CHROMIUM))


def start_image_server() -> None:
    """Start kaleido's persistent browser once per process (later images then take ~0.2-0.4 s)."""
    global _server_started
    with _server_lock:
        if _server_started:
            return
        import kaleido

        use_debian_chromium()
        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(stop_image_server)
        _server_started = True


def stop_image_server() -> None:
    """Stop kaleido's browser (registered to run when the kernel exits)."""
    global _server_started
    with _server_lock:
        if not _server_started:
            return
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _server_started = False


def image_options(
    figure: go.Figure, fmt: ImageFormat, *, width: int = IMAGE_WIDTH, height: int | None = None
) -> dict[str, object]:
    """kaleido's options for one image of ``figure``: its size, and PNGs at twice the pixels."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}")
    return {
        "format": fmt,
        "width": width,
        "height": height or int(figure.layout.height or IMAGE_HEIGHT),
        "scale": PNG_SCALE if fmt == "png" else 1,
    }


def described_image(data: bytes, figure: go.Figure, fmt: ImageFormat, alt_text: str) -> bytes:
    """An image as kaleido made it; an SVG with the chart's title and text alternative (``<title>``/``<desc>``)."""
    if fmt == "svg" and alt_text:
        return _describe_svg(data, str(figure.layout.title.text or ""), alt_text)
    return data


def figure_image(
    figure: go.Figure, fmt: ImageFormat, *, alt_text: str = "", width: int = IMAGE_WIDTH, height: int | None = None
) -> bytes:
    """The figure as PNG or SVG (an SVG carries the title and text alternative as ``<title>``/``<desc>``)."""
    options = image_options(figure, fmt, width=width, height=height)
    start_image_server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts ignored when using a server": expected with the sync server
        data = figure.to_image(**options)
    return described_image(data, figure, fmt, alt_text)


def _describe_svg(svg: bytes, title: str, description: str) -> bytes:
    """Insert ``<title>`` and ``<desc>`` (and ``role="img"``) after the root element's opening tag."""
    text = svg.decode("utf-8")
    match = re.search(r"<svg\b[^>]*>", text)
    if match is None:
        return svg
    opening = match.group(0)
    if "role=" not in opening:
        opening = opening[:-1] + ' role="img">'
    inserted = f"<title>{html.escape(_plain(title) or description)}</title><desc>{html.escape(description)}</desc>"
    return (text[: match.start()] + opening + inserted + text[match.end() :]).encode("utf-8")


def _plain(text: str) -> str:
    """Text without plotly's HTML tags."""
    return re.sub(r"<[^>]+>", " ", text).strip()


def table_csv(table: PublishedTable) -> bytes:
    """The table as shown (``[c]`` for every suppressed cell), UTF-8 with a byte-order mark so Excel reads
    ``£`` correctly."""
    return table.as_shown().to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def table_xlsx(table: PublishedTable, *, provenance: Provenance | None = None, source: str = "") -> bytes:
    """An accessible workbook of one table (see the module docstring for what makes it accessible)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    book = Workbook()
    sheet = book.worksheets[0]  # the one sheet of a new workbook (``active`` is typed as optional)
    sheet.title = _sheet_name(table.name)
    book.properties.title = table.title
    book.properties.creator = "London evaluation workbench"

    notes = [table.title]
    if source:
        notes.append(f"Source: {source}.")
    if provenance is not None:
        notes.append(provenance.summary())
    notes.append(
        SUPPRESSED_NOTE.format(k=table.threshold) if table.has_suppressed else "This table has no suppressed values."
    )
    for row, note in enumerate(notes, start=1):
        sheet.cell(row=row, column=1, value=note)
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = len(notes) + 1

    columns = [str(c) for c in table.frame.columns]
    for col, name in enumerate(columns, start=1):
        header = sheet.cell(row=header_row, column=col, value=name)
        header.font = Font(bold=True, color=HEADER_FONT_COLOUR)
        header.fill = PatternFill("solid", fgColor=HEADER_FILL)
        header.alignment = Alignment(wrap_text=True, vertical="top")
    numeric = set(table.numeric_columns())
    suppressed = table.suppressed()
    for i in range(len(table.frame)):
        for col, name in enumerate(columns, start=1):
            raw = str(table.frame.iloc[i, col - 1])
            cell = sheet.cell(row=header_row + 1 + i, column=col)
            if bool(suppressed.iloc[i, col - 1]):
                cell.value = SUPPRESSED_SYMBOL
                cell.alignment = Alignment(horizontal="right")
            elif name in numeric and raw.strip() != "":
                number = to_number(raw)
                cell.value = int(number) if number is not None and number.is_integer() else number
            elif raw != "":
                cell.value = raw
                cell.data_type = "s"  # text stays text: openpyxl would store "=..." as a formula

    last_row = header_row + max(len(table.frame), 1)
    if columns:
        ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
        excel_table = Table(displayName=_table_name(table.name), ref=ref)
        excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
        sheet.add_table(excel_table)
        sheet.freeze_panes = f"A{header_row + 1}"  # the rows below the header scroll
    for col, name in enumerate(columns, start=1):
        values = [name] + [str(v) for v in table.frame.iloc[:, col - 1]]
        width = min(max(len(v) for v in values) + 2, MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(col)].width = max(width, 10)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Table"
    return cleaned[:31]


def _table_name(name: str) -> str:
    """An Excel table name: a letter or underscore first, then letters, digits, underscores."""
    cleaned = re.sub(r"\W", "_", name)
    if not re.match(r"[A-Za-z_]", cleaned):
        cleaned = f"t_{cleaned}"
    return cleaned[:200]


def slug(*parts: str) -> str:
    """A safe file-name stem from run and item names."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join(p for p in parts if p)).strip("-") or "download"


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def size_text(data: bytes) -> str:
    """A download's size as a link shows it: ``12 KB``, or ``512 bytes``."""
    return f"{numbers.count(len(data) / 1024)} KB" if len(data) >= 1024 else f"{len(data)} bytes"


def download_link(data: bytes, filename: str, label: str, *, kind: str) -> str:
    """An ``<a download>`` link carrying the file as a data URI (``kind`` is png, svg, csv or xlsx)."""
    size = size_text(data)
    return (
        f'<a class="wb-download" download="{html.escape(filename)}" href="{data_uri(data, MIME[kind])}" '
        f'data-kind="{kind}">{html.escape(label)} <span class="wb-size">({kind.upper()}, {size})</span></a>'
    )
