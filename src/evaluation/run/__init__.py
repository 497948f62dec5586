"""Run orchestration: parameterised notebooks executed by papermill, in parallel, incrementally.

One module per concern, as in papermill itself: ``manifest`` (what to run),
``parameters`` (typed, checked parameters), ``contract`` (what a notebook
publishes), ``provenance`` (hashes and the skip decision), ``execute`` (one run
in a worker) and ``scheduler`` (the graph, executors, progress and summary).
"""
