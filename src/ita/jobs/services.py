"""Registering job kinds, starting jobs, and running them with progress."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ita.jobs.models import Job, JobStatus

Progress = Callable[[int, int, str], None]
JobFunction = Callable[..., dict[str, Any] | None]

_KINDS: dict[str, JobFunction] = {}
log = logging.getLogger(__name__)
# Write progress to the database at most this often (rows done), so a job of 10,000 small
# steps does not cost 10,000 writes; the last step is always written.
PROGRESS_EVERY = 25


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register a function as a job kind: ``fn(job, progress, **params) -> result dict``."""

    def register(fn: JobFunction) -> JobFunction:
        _KINDS[name] = fn
        return fn

    return register


def kinds() -> dict[str, JobFunction]:
    return dict(_KINDS)


def start(kind: str, *, user: Any = None, agency: Any = None, **params: Any) -> Job:
    """Record a job and queue it for a worker (run at once when huey is in immediate mode)."""
    if kind not in _KINDS:
        raise LookupError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        params=params,
        agency=agency,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    from huey.contrib.djhuey import HUEY

    from ita.jobs.tasks import run_job

    if HUEY.immediate:
        run(job.pk)  # in-process (tests, debugging): the job row is visible to this transaction
    else:
        transaction.on_commit(lambda: run_job(job.pk))  # a worker must see the committed row
    return job


def run(job_id: int) -> None:
    """Run a queued job: mark it running, call its kind, keep its progress, result or error."""
    job = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int, message: str = "") -> None:
        # Kept on the object too, so a job function that saves the job writes them, not zeros.
        job.done, job.total, job.message = done, total, message
        if done % PROGRESS_EVERY and done != total:
            return
        Job.objects.filter(pk=job.pk).update(done=done, total=total, message=message)

    try:
        result = _KINDS[job.kind](job, progress, **job.params) or {}
    except Exception as exc:  # a failed job must say why, whatever it was
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=f"ทำงานไม่สำเร็จ / failed: {exc}",
        )
        return
    job.refresh_from_db(fields=["done", "total", "message", "result_file"])
    job.status, job.finished_at, job.result = JobStatus.DONE, timezone.now(), result
    job.save(update_fields=["status", "finished_at", "result"])
