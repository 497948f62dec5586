"""Jupyter kernels forked from a process that has already imported what they will run, and the lifeline that
ends a chain of processes with the process at its head.

Below both of their users, which neither reaches into the other for them: the runner
(:mod:`evaluation.run.notebook_kernels`: the analysis stack, for a notebook's kernel) and the live dashboards
(:mod:`evaluation.dashboards.reader_kernels`: the pages, for a reader's kernel); each names what its zygote
imports. The modules: :mod:`.forked` (the zygote and jupyter_client's extension points) and :mod:`.lifeline`
(workers, zygotes and kernels end when the process they serve dies, however it dies).
"""
