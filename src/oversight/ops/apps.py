from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "oversight.ops"
    verbose_name = "Operations"
