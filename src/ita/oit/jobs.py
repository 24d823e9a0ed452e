"""The ``oit.check`` background job: check one agency's evidence links of one fiscal year."""

from __future__ import annotations

from typing import Any

from ita.agencies.models import Agency
from ita.jobs.models import Job
from ita.jobs.services import Progress, job_kind
from ita.oit import services
from ita.oit.checker import DEFAULT_PER_HOST, DEFAULT_TIMEOUT


@job_kind(services.CHECK_JOB)
def check_job(
    job: Job,
    progress: Progress,
    *,
    agency_id: int,
    fiscal_year: int,
    timeout: float = DEFAULT_TIMEOUT,
    per_host: int = DEFAULT_PER_HOST,
) -> dict[str, Any]:
    """Check the links, keep them as history, and return the run's summary as the job result."""
    agency = Agency.objects.get(pk=agency_id)
    run = services.check_links(
        agency, fiscal_year, progress=progress, job=job, timeout=timeout, per_host=per_host
    )
    return run.summary()
