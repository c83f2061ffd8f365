from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "oversight.datasets"
    verbose_name = "Data"
