"""The huey task that runs jobs (imported when the app is ready)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from ita.jobs import services


@db_task()  # type: ignore[untyped-decorator]
def run_job(job_id: int) -> None:
    services.run(job_id)
