from django.apps import AppConfig


class OitConfig(AppConfig):
    name = "ita.oit"
    verbose_name = "หลักฐาน OIT"

    def ready(self) -> None:
        from ita.oit import jobs, tasks  # noqa: F401 - registers the job kind and the schedule
