"""Warnings meant for a report's reader.

A statistic that meets a condition the reader should know about (bootstrap
resamples that could not be computed, an interval that is undefined) warns with
:class:`AnalysisNote` and a plain-English message. A report collects these
warnings (:class:`evaluation.presentation.Report`) and lists them under "Notes on
the analysis", instead of the stderr block, with a machine path, that a plain
``RuntimeWarning`` would print.
"""

from __future__ import annotations


class AnalysisNote(UserWarning):
    """A warning whose message is a plain-English note for the report's reader."""
