from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "oversight.plans"
    verbose_name = "Improvement plan"
