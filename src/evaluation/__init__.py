"""Evaluation workbench for London public-sector programmes.

Kept free of heavy imports: every notebook kernel imports this package, so
anything imported here is paid on every run.
"""

__version__ = "0.1.0"
