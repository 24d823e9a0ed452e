from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "ita.supervision"
    verbose_name = "การกำกับดูแลหลายหน่วยงาน"

    def ready(self) -> None:
        from ita.supervision import jobs  # noqa: F401 - registers the job kinds
