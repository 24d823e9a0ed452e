"""The nightly mixing of survey responses: a huey periodic task, run by ``ita worker``.

At 02:30 in Thailand (huey reads crontabs in UTC) every campaign's rows are released when they
can be, rekeyed when older than the retry window, and written again in random order; then the
tables are vacuumed (see :func:`ita.surveys.services.mix` and docs/security.md).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

SCHEDULE = {"minute": "30", "hour": "19"}  # 02:30 in Thailand (UTC+7)


@db_periodic_task(crontab(**SCHEDULE))  # type: ignore[untyped-decorator]
def nightly_mix() -> None:
    """Erase the arrival order of the day's survey responses."""
    from ita.surveys.services import mix

    mix()
