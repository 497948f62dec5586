"""A report's findings as its reader sees them: formatted Markdown, a summary, and notes on the analysis.

A notebook makes one :class:`Findings` at the top (the question and what the design can show), displays each
finding where it is discussed (:meth:`Findings.key` for those that go into the summary), and ends with the
summary (a cell tagged ``summary``, which the report shows first) and the notes (a cell tagged ``notes``).
While it exists, warnings of the analysis become notes instead of stderr blocks.
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..notes import AnalysisNote
from ..statistics.disclosure import DEFAULT_THRESHOLD, people_text
from . import numbers

# Library warnings about deprecated calls concern maintainers, not readers: they pass through to stderr,
# where the runner records them (and keeps them out of the report).
_FOR_MAINTAINERS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
# A machine path (two or more folders deep) in a library's message; "26/2000" is not one.
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}[\\/]?")


def _file_name(path: re.Match[str]) -> str:
    return re.split(r"[\\/]", path.group(0).rstrip("\\/"))[-1]


class Markdown:
    """Markdown shown as formatted text in the notebook and the report (``IPython.display.Markdown`` without
    IPython, so the package does not need it)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:  # what a plain-text front end shows: the text, not an object
        return self.text


# The population totals of the run this kernel executes (one run per kernel), declared through
# :meth:`evaluation.run.contract.Run.population`: a count in a sentence about one of them is written only as
# far as it and its complement pass the disclosure threshold.
_POPULATIONS: dict[str, tuple[int, int]] = {}


def title(text: str) -> Markdown:
    """The report's title when it depends on the run (the project a run is about).

    Display it in a code cell tagged ``title``: the report puts it in place of the
    first Markdown cell's ``#`` heading (:mod:`evaluation.report.document`).

    Examples
    --------
    >>> title("LOTI project evaluation: Cyber security (P03)")
    # LOTI project evaluation: Cyber security (P03)
    """
    return Markdown(f"# {' '.join(text.split())}")


def declare_population(label: str, total: int, threshold: int = DEFAULT_THRESHOLD) -> None:
    """Make ``total`` people the population ``label`` that :func:`people` checks counts against."""
    _POPULATIONS[label] = (total, threshold)


def people(count: float | None, population: str) -> str:
    """A count of people in a sentence, as far as disclosure control allows, marked for the run's audit.

    The number when it and its complement in the declared population pass the threshold, "5 or more" when
    the group is large enough but its complement is not (or its count was suppressed with its statistics
    published), ``[c]`` under the threshold (:func:`~evaluation.statistics.disclosure.people_text`). Without
    a declared population only the threshold applies; the run's audit refuses a label it does not know.

    Examples
    --------
    >>> people(6, "respondents")
    '<span data-people="respondents">6</span>'
    >>> declare_population("cohort C9", 8)
    >>> people(5, "cohort C9"), people(3, "cohort C9")
    ('<span data-people="cohort C9">5 or more</span>', '<span data-people="cohort C9">[c]</span>')
    """
    total, threshold = _POPULATIONS.get(population, (None, DEFAULT_THRESHOLD))
    text = people_text(None if numbers.is_missing(count) else count, threshold, total=total)
    return f'<span data-people="{html.escape(population, quote=True)}">{text}</span>'


@dataclass(frozen=True)
class KeyFinding:
    """A finding for the summary: a heading, the finding with its interval, and the strength of its evidence."""

    heading: str
    text: str
    evidence: str


@dataclass
class Findings:
    """The findings of one report, collected as the notebook runs.

    ``question`` is what the report answers; ``design`` says what the design can and cannot show (for example
    "a before-and-after comparison of one cohort without a comparison group: it shows change, not its cause").

    Examples
    --------
    >>> findings = Findings("Did confidence rise?", "Before and after, one cohort, no comparison group.")
    >>> findings.key("Confidence", "Up 0.80 points (95% interval 0.40 to 1.20).", "Before-and-after only.").text
    '**Confidence.** Up 0.80 points (95% interval 0.40 to 1.20).'
    >>> print(findings.summary().text.splitlines()[0])
    ## Summary
    >>> findings.close()
    """

    question: str
    design: str
    key_findings: list[KeyFinding] = field(default_factory=list)
    notes_: list[str] = field(default_factory=list)
    _previous: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._previous = warnings.showwarning
        warnings.showwarning = self._warned

    def close(self) -> None:
        """Give warnings back to the previous handler (a notebook never needs to: its kernel ends)."""
        warnings.showwarning = self._previous

    def _warned(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, _FOR_MAINTAINERS):
            self._previous(message, category, filename, lineno, file, line)
        elif issubclass(category, AnalysisNote):
            self.note(str(message))
        else:
            self.note(f"A calculation reported: {_PATH.sub(_file_name, str(message)).strip()}.")

    def note(self, text: str) -> None:
        """Add a note for "Notes on the analysis" (once, however often it is raised)."""
        text = text.strip()
        if text and text not in self.notes_:
            self.notes_.append(text)

    def finding(self, text: str) -> Markdown:
        """A finding shown where it is discussed (not in the summary)."""
        return Markdown(text)

    def key(self, heading: str, text: str, evidence: str) -> Markdown:
        """A key finding: shown here and listed in the summary with the strength of its evidence."""
        self.key_findings.append(KeyFinding(heading, text, evidence))
        return Markdown(f"**{heading}.** {text}")

    def summary(self) -> Markdown:
        """The summary: the question, each key finding with its evidence, and what the design can show.

        Display it in the notebook's last cells, tagged ``summary``: the report shows it first.
        """
        lines = ["## Summary", "", f"**The question.** {self.question}", "", "**Key findings**", ""]
        lines += [f"- **{f.heading}.** {f.text} *Strength of evidence:* {f.evidence}" for f in self.key_findings]
        if not self.key_findings:
            lines.append("- No finding could be reported from these data (see the sections below).")
        lines += ["", f"**What this evaluation can and cannot show.** {self.design}"]
        if self.notes_:
            lines += [
                "",
                f"See *Notes on the analysis* for {numbers.count(len(self.notes_))} point(s) on how the "
                "figures were computed.",
            ]
        return Markdown("\n".join(lines))

    def notes(self) -> Markdown:
        """The section "Notes on the analysis": what the analysis met that a reader should know.

        Display it in a cell tagged ``notes``.
        """
        lines = ["## Notes on the analysis", ""]
        lines += [f"- {note}" for note in self.notes_] or ["- Nothing unusual was met in computing these figures."]
        return Markdown("\n".join(lines))
