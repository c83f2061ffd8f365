from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "oversight.risks"
    verbose_name = "Risks, concerns and developments"
