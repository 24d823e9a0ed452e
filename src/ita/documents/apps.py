from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ita.documents"
    verbose_name = "เอกสาร"
