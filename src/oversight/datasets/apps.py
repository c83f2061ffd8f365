from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "oversight.datasets"
    verbose_name = "Data"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the council check
