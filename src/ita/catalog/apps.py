from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ita.catalog"
    verbose_name = "กรอบการประเมิน"
