"""Background jobs: long work (link checks, batches of documents, national scoring) with progress.

Owns ``Job`` (what runs, for whom, how far it got, its result), the registry of job kinds, the
huey task that runs them, and the page that shows a job's progress. A job kind is a function
``(job, progress, **params) -> dict`` registered with :func:`ita.jobs.services.job_kind`; it
reports progress with ``progress(done, total, message)``. Imports no other ``ita`` app except
``agencies`` (access); apps register their kinds here, not the other way round.
"""
