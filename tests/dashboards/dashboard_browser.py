"""Helpers for driving the dashboards in headless chromium (Playwright's sync API)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from evaluation.config import DEFAULT_DISCLOSURE_THRESHOLD
from evaluation.dashboards.data import PEOPLE_COUNT_WORDS
from evaluation.dashboards.serve import VoilaServer
from support import AXE_JS, ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
PARTICIPANT_ID = re.compile(r"P-[0-9a-f]{12}")
THRESHOLD = DEFAULT_DISCLOSURE_THRESHOLD  # what the demo runs publish with
# The authority whose own maturity run the tests publish (notebooks/manifest-drilldown.yml).
DRILLDOWN_AUTHORITY = "E09000007"  # Camden
_loads: dict[tuple[int, str], int] = {}


def open_dashboard(page: Any, server: VoilaServer, notebook: str, *, live: bool = True) -> None:
    """Navigate to a dashboard once its pool holds a preheated kernel, and (``live``) wait until the widgets
    have drawn the page (its static preview gone)."""
    key = (server.port, notebook)
    _loads[key] = _loads.get(key, 0) + 1
    server.wait_until_built(notebook, _loads[key], timeout=120)
    page.goto(server.url(notebook))
    if not live:
        return
    page.locator(".wb-root").first.wait_for(state="visible")
    page.locator(".wb-body").first.wait_for(state="visible")
    page.locator(".wb-end").first.wait_for(state="attached")  # the whole body has arrived


def wait_for_charts(page: Any, at_least: int = 1) -> None:
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {at_least}")


def choose(page: Any, label: str) -> None:
    """Pick ``label`` in the page's selector (an ipywidgets drop-down, a native <select>)."""
    page.locator(".wb-selector select").select_option(label=label)
    page.wait_for_timeout(300)  # the body is replaced in the kernel; tests then wait for the new content


def body_text(page: Any) -> str:
    """The page's text (the live page's widgets, or a published page's main part), with plotly's non-breaking
    spaces made ordinary."""
    root = page.locator(".wb-root, main").first
    return root.inner_text().replace("\xa0", " ")


# WCAG 2.2 AA and what it includes; axe-core's tags.
WCAG_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def accessibility_problems(page: Any) -> list[str]:
    """Serious or critical WCAG 2.2 AA violations that axe-core (npm, `make test` installs it) finds on the page."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: `make test` installs axe-core (npm)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(WCAG_AA_TAGS))
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; e.g. {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Any, name: str) -> Path:
    """A screenshot of the whole page under tests/artifacts/ (the viewport is grown to the page's height)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "Math.ceil((document.querySelector('.wb-root') || document.body).getBoundingClientRect().height)"
    )
    page.set_viewport_size({"width": 1280, "height": int(min(max(height + 120, 900), 16000))})
    page.wait_for_timeout(300)
    path = ARTIFACTS / f"dashboard_{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    return path


@cache
def roster() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names and e-mails of the demo roster (data/demo/programme.xlsx, sheet participants)."""
    from openpyxl import load_workbook

    book = load_workbook(ROOT / "data" / "demo" / "programme.xlsx", read_only=True)
    rows = list(book["participants"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    names = tuple(str(r[header.index("name")]) for r in rows[1:] if r[header.index("name")])
    emails = tuple(str(r[header.index("email")]).lower() for r in rows[1:] if r[header.index("email")])
    return names, emails


@cache
def free_text_answers(store: Path) -> tuple[str, ...]:
    """Free-text answers held in the store (long enough not to match ordinary words by chance); read once per
    store (the accessibility test checks 52 pages against them)."""
    from evaluation.store import Store

    answers = Store(store).read_table("free_text")["answer"].dropna().astype(str)
    return tuple(sorted({a.strip() for a in answers if len(a.strip()) >= 20}))


def disclosure_problems(page: Any, store: Path) -> list[str]:
    """Everything on the page that must not be there: identifiers, names, e-mails, free text, small groups."""
    html, text = page.content(), body_text(page)
    problems = [f"participant identifier {m}" for m in sorted(set(PARTICIPANT_ID.findall(html)))]
    names, emails = roster()
    lowered_html, lowered_text = html.lower(), text.lower()
    problems += [f"roster name {n!r}" for n in names if n.lower() in lowered_text or n.lower() in lowered_html]
    problems += [f"roster e-mail {e!r}" for e in emails if e in lowered_html]
    problems += [
        f"free-text answer {a[:40]!r}"
        for a in free_text_answers(store)
        if a.lower() in lowered_text or a.lower() in lowered_html
    ]
    problems += [f"{n} people mentioned" for n in re.findall(r"\b(\d+) people\b", text) if 0 < int(n) < THRESHOLD]
    problems += small_people_counts(page)
    return problems


def small_people_counts(page: Any) -> list[str]:
    """Cells of the page's tables that count people and hold 1 to THRESHOLD-1."""
    tables = page.evaluate("""() => Array.from(document.querySelectorAll('table.wb-table')).map(t => ({
        caption: t.caption ? t.caption.innerText : '',
        head: Array.from(t.querySelectorAll('thead th')).map(h => h.innerText.trim()),
        rows: Array.from(t.querySelectorAll('tbody tr')).map(r => Array.from(r.children).map(c => c.innerText.trim()))
    }))""")
    problems = []
    for table in tables:
        for i, header in enumerate(table["head"]):
            if header.lower() not in PEOPLE_COUNT_WORDS:
                continue
            for row in table["rows"]:
                if i < len(row) and re.fullmatch(r"\d+", row[i].replace(",", "")) and 0 < int(row[i]) < THRESHOLD:
                    problems.append(f"table {table['caption']!r}, column {header!r}: {row[i]} people")
    return problems
