"""Run orchestration: parameterised notebooks executed by papermill, in parallel, incrementally.

One module per concern, as in papermill itself: ``manifest`` (what to run),
``parameters`` (typed, checked parameters), ``contract`` (what a notebook reads
and publishes), ``provenance`` (hashes and the skip decision), ``execute`` (one
run in a worker), ``notebook_kernels`` (its kernels, forked from a process that
has imported the analysis stack, by :mod:`evaluation.kernels`, which also ends
every process with the run), ``audit`` (the disclosure audit of a finished run
folder), ``scheduler`` (the graph and the executors) and ``display`` (progress
and summary). The names of the files a run folder holds are
:mod:`evaluation.run_folder`'s, shared with the readers.
"""
