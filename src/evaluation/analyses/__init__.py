"""The analyses behind each notebook: data preparation and the published tables, as tested functions.

Notebooks stay thin (narrative, parameters, calls, figures); everything that
computes lives here or in :mod:`evaluation.statistics`, :mod:`evaluation.impact`
and :mod:`evaluation.economics`.
"""
