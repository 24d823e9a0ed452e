"""A job's progress page (polled with htmx) and its result file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ita.agencies.access import access_to
from ita.jobs.models import Job
from ita.middleware import HtmxHttpRequest


def _job_for_user(request: HttpRequest, job_id: int) -> Job:
    """Return a job the user may see: their own, one of an agency they see, or any (system)."""
    job = Job.objects.filter(pk=job_id).select_related("agency").first()
    user = request.user
    if job is None or not user.is_authenticated:
        raise Http404("no such job")
    allowed = (
        user.is_superuser
        or job.created_by_id == user.pk
        or (job.agency is not None and access_to(user, job.agency) is not None)
    )
    if not allowed:
        raise Http404("no such job")
    return job


@login_required
def job(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    current = _job_for_user(request, job_id)
    template = "jobs/_progress.html" if request.htmx else "jobs/job.html"
    return render(request, template, {"job": current})


@login_required
def job_file(request: HttpRequest, job_id: int) -> FileResponse:
    current = _job_for_user(request, job_id)
    if not current.result_file:
        raise Http404("no result file")
    name = (current.result_file.name or "result").rsplit("/", 1)[-1]
    return FileResponse(current.result_file.open("rb"), as_attachment=True, filename=name)
