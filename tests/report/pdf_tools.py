"""Reading PDFs with poppler-utils (pdftotext, pdftoppm, pdffonts, pdfinfo), as a reader's tools see them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def page_image(pdf: Path, page: int, target: Path, *, dpi: int = 60) -> Path:
    """Page ``page`` as a PNG (``target`` without its suffix is pdftoppm's prefix)."""
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
    )
    return target.with_suffix(".png")


def pixels_near(image: Path, colour: str, tolerance: int = 40) -> int:
    """How many pixels of ``image`` are within ``tolerance`` (per channel) of ``colour`` (#RRGGBB)."""
    wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    rgb = Image.open(image).convert("RGB")
    return sum(
        1
        for pixel in rgb.get_flattened_data()
        if all(abs(p - w) <= tolerance for p, w in zip(pixel, wanted, strict=True))
    )


def ink_fraction(image: Path) -> float:
    """The share of a page image's pixels that are not white."""
    grey = Image.open(image).convert("L")
    return sum(1 for value in grey.get_flattened_data() if value < 240) / (grey.width * grey.height)


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """Each font of the PDF and whether it is embedded (pdffonts' ``emb`` column)."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name, then type words, encoding, then emb sub uni object-number generation
        rows.append((parts[0], parts[-5] == "yes"))
    return rows
