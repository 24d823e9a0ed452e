from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ita.surveys"
    verbose_name = "แบบสำรวจตนเอง"

    def ready(self) -> None:
        from ita.surveys import tasks  # noqa: F401 - registers the nightly mixing with huey
