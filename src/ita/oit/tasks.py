"""The daily link check: a huey periodic task that starts one ``oit.check`` job per agency.

The time comes from ``settings.OIT_CHECK_SCHEDULE``, keyword arguments of huey's ``crontab``
read when the worker starts (huey reads crontabs in UTC): the default, minute 0 of hour 19,
is 02:00 in Thailand. The task runs in ``ita worker``.
"""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

DEFAULT_SCHEDULE = {"minute": "0", "hour": "19"}  # 02:00 in Thailand (UTC+7)


def schedule() -> dict[str, str]:
    return dict(getattr(settings, "OIT_CHECK_SCHEDULE", DEFAULT_SCHEDULE))


@db_periodic_task(crontab(**schedule()))  # type: ignore[untyped-decorator]
def daily_link_check() -> None:
    """Start the link checks of every agency that has evidence addresses."""
    from ita.oit.services import start_scheduled_checks

    start_scheduled_checks()
