from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "ita.measures"
    verbose_name = "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
