from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "oversight.reports"
    verbose_name = "Reports and board packs"
