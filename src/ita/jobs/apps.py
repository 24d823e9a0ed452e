from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ita.jobs"
    verbose_name = "งานเบื้องหลัง"

    def ready(self) -> None:
        from ita.jobs import tasks  # noqa: F401 - registers the huey task
