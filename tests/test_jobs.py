"""Background jobs: progress, results, failures, and who may see them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from ita.jobs import services
from ita.jobs.models import Job, JobStatus
from tests.conftest import World


@services.job_kind("test.count")
def count(job: Job, progress: services.Progress, *, upto: int) -> dict[str, Any]:
    for n in range(1, upto + 1):
        progress(n, upto, f"row {n}")
    job.result_file.save("count.txt", ContentFile(f"{upto}".encode()), save=True)
    return {"counted": upto}


@services.job_kind("test.fail")
def fail(job: Job, progress: services.Progress) -> dict[str, Any]:
    raise RuntimeError("the disk is full")


def test_a_job_runs_reports_progress_and_keeps_its_result(world: World) -> None:
    job = services.start("test.count", user=world.users["bob"], agency=world.a, upto=60)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.message) == (60, 60, "row 60")
    assert job.result == {"counted": 60}
    assert job.result_file.read() == b"60"


def test_a_failing_job_says_why(world: World) -> None:
    job = services.start("test.fail", user=world.users["bob"])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "the disk is full" in job.message


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(LookupError):
        services.start("no.such.kind")


def test_the_progress_page_is_for_the_agency_and_polls_until_done(world: World) -> None:
    job = services.start("test.count", user=world.users["bob"], agency=world.a, upto=3)
    page = world.client("carol").get(reverse("job", kwargs={"job_id": job.pk})).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' not in page  # finished: no polling
    assert (
        world.client("carol").get(reverse("job-file", kwargs={"job_id": job.pk})).status_code == 200
    )
    for outsider in ("dave", "sam"):
        assert (
            world.client(outsider).get(reverse("job", kwargs={"job_id": job.pk})).status_code == 404
        )
        assert (
            world.client(outsider).get(reverse("job-file", kwargs={"job_id": job.pk})).status_code
            == 404
        )


def test_a_running_job_page_polls(world: World) -> None:
    job = Job.objects.create(
        kind="test.count", agency=world.a, status=JobStatus.RUNNING, done=5, total=10
    )
    page = world.client("bob").get(reverse("job", kwargs={"job_id": job.pk})).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="50"' in page
