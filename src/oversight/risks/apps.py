"""Risks and issues, key areas of concern and medium-term developments (seed 001)."""
from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "oversight.risks"
    verbose_name = "Risks, concerns and developments"

    def ready(self) -> None:
        # The registers travel in the programme JSON under their own keys; the plan app owns the
        # hook and never imports this app. Loaded after the plan (and after local measures, whose
        # ids a risk's indicators may name).
        from oversight.plans import exchange

        from . import exchange as ours

        exchange.register(exchange.Section("risk_bands", ours.export_bands, ours.load_bands, order=70))
        exchange.register(exchange.Section("concerns", ours.export_concerns, ours.load_concerns, order=72))
        exchange.register(exchange.Section("developments", ours.export_developments, ours.load_developments,
                                           order=74))
        exchange.register(exchange.Section("risks", ours.export_risks, ours.load_risks, order=80))
