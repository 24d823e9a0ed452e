from django.apps import AppConfig


class ThaiConfig(AppConfig):
    name = "ita.thai"
    verbose_name = "Thai conventions"
