"""Tested statistics for small-cohort programme evaluation.

Each module covers one family of methods (scale scoring and reliability,
paired pre/post comparisons, bootstrap intervals, ...). Import the module you
need, e.g. ``from evaluation.statistics import paired``; nothing is imported
here so that ``import evaluation`` stays cheap.
"""
