"""The report page from synthetic executed notebooks: order, contents, marking, provenance, what is kept out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from synthetic_reports import STAMP, _code, display, notebook, stream, write_notebook

from evaluation.report import MARKING, read_document, render_html, report_html


def _page(content: dict) -> str:
    return report_html(read_document(content), STAMP)


def _text(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL))


def test_the_summary_comes_right_after_the_title_then_the_contents_then_the_sections_in_order():
    page = _page(notebook())
    positions = [
        page.index(marker)
        for marker in (
            "Synthetic cohort evaluation",
            "Did confidence rise?",
            'id="contents"',
            "Section 1: what changed",
            "Section 2: what changed",
            "Section 3: what changed",
            "Notes on the analysis",
        )
    ]
    assert positions == sorted(positions)
    assert page.count("Did confidence rise?") == 1, "the summary is moved, not copied"


def test_a_cell_tagged_title_names_the_report_in_place_of_the_first_heading():
    content = notebook()
    content["cells"].insert(
        2, _code([display("text/markdown", "# LOTI project evaluation: Cyber security (P03)")], tags=("title",))
    )
    document = read_document(content)
    page = report_html(document, STAMP)
    assert document.title == "LOTI project evaluation: Cyber security (P03)"
    assert "<title>LOTI project evaluation: Cyber security (P03)</title>" in page
    assert page.count("Cyber security (P03)") == 2, "in the page title and the heading, not again in the body"
    assert "Synthetic cohort evaluation" not in page
    assert "This report evaluates one synthetic cohort." in page, "the introduction stays"


def test_the_contents_link_every_section_heading_to_its_anchor():
    page = _page(notebook())
    contents = re.search(r'<nav class="report-contents".*?</nav>', page, re.DOTALL).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents)
    assert [text for _, text in links] == [
        "Section 1: what changed",
        "Section 2: what changed",
        "Section 3: what changed",
        "Notes on the analysis",
    ]
    for anchor, _ in links:
        assert page.count(f'id="{anchor}"') == 1, f"#{anchor} must point at exactly one heading"


def test_a_report_without_a_summary_still_has_its_title_and_contents():
    page = _page(notebook(summary=False))
    assert page.index("Synthetic cohort evaluation") < page.index('id="contents"') < page.index("Section 1")
    assert '<section class="report-summary"' not in page


def test_no_code_no_prompts_and_nothing_from_the_network():
    page = _page(notebook())
    assert "audience = 'public'" not in page and "x = 1" not in page
    assert "In [" not in page and "Out[" not in page
    assert not re.search(r"""<(script|link|img)\b[^>]*\b(src|href)=["']?(https?:)?//""", page), (
        "a report must open offline"
    )
    assert page.count("<script>") == 2, "plotly.js once in the head, and the script that draws the charts"
    assert 'id="report-chart-1"' in page and 'aria-label="Change in confidence"' in page


def test_internal_reports_carry_the_marking_at_the_top_and_the_bottom_public_ones_do_not():
    internal = _page(notebook(audience="internal"))
    header, footer = internal.index("<header"), internal.index("<footer")
    markings = [m.start() for m in re.finditer(MARKING, internal)]
    assert len(markings) == 2 and markings[0] > header and markings[0] < internal.index("<main")
    assert markings[1] > footer
    assert MARKING not in _page(notebook()) and MARKING not in _page(notebook(audience="public"))


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience='everyone'"):
        read_document(notebook(audience="everyone"))


def test_the_footer_carries_the_runs_provenance():
    footer = _text(_page(notebook()).split("<footer", 1)[1])
    assert "cohort_evaluation/cohort-T1" in footer and "7 December 2026 at 16:10 UTC" in footer
    assert "9a161c5abc" in footer


STRAY = {
    "stderr": stream(
        "stderr",
        "/work/wt13r/src/evaluation/statistics/paired.py:88: RuntimeWarning: 26 of 2000 "
        "bootstrap replicates were NaN\n  warnings.warn(message)\n",
    ),
    "traceback": {
        "output_type": "error",
        "ename": "ValueError",
        "evalue": "bad input",
        "traceback": ["Traceback (most recent call last)", "ValueError: bad input"],
    },
    "machine path": display("text/html", "<p>Read from /home/analyst/data/roster.csv</p>"),
    "network load": display("text/html", '<script src="https://cdn.example.org/lib.js"></script><p>x</p>'),
    "interactive widget": {
        "output_type": "display_data",
        "metadata": {},
        "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "1"}, "text/plain": "IntSlider(value=0)"},
    },
}


@pytest.mark.parametrize("kind", list(STRAY))
def test_stray_output_is_kept_out_of_the_report_and_recorded(kind: str, tmp_path: Path):
    executed = write_notebook(tmp_path / "run", notebook(stray=(STRAY[kind],)))
    rendered = render_html(executed, tmp_path / "run" / "report.html", STAMP)
    page = (tmp_path / "run" / "report.html").read_text()
    text = _text(page)
    assert "RuntimeWarning" not in text and "Traceback" not in text and "bad input" not in text
    assert "/home/" not in text and "/work/" not in text and "cdn.example.org" not in page
    assert "IntSlider" not in text
    assert "Cohort T1: 8 enrolled." in text, "the cell's other output stays"
    assert [(w.cell, w.kind) for w in rendered.withheld] == [(2, kind)]
    assert "/work/" not in rendered.withheld[0].excerpt and "/home/" not in rendered.withheld[0].excerpt, (
        "the record names no machine path either"
    )


def test_a_url_is_not_mistaken_for_a_machine_path():
    page = _page(notebook(stray=(display("text/markdown", "See https://data.london.gov.uk/dataset/loti/a/b."),)))
    assert "https://data.london.gov.uk/dataset/loti/a/b" in page


def test_the_notebooks_plotly_library_output_is_not_repeated():
    library = display("text/html", "<script>window.PlotlyConfig = {};</script><script>/** plotly.js v4 */</script>")
    document = read_document(notebook(stray=(library,)))
    assert not document.withheld
    assert all("window.PlotlyConfig" not in str(o.content) for b in document.blocks() for o in b.outputs)
