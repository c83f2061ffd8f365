from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "oversight.performance"
    verbose_name = "Performance"
