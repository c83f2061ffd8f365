"""Governance around the plan: boards and meetings, inspections and visits, work programme, projects,
self-assessment, reminders."""
from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "oversight.governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        # Boards, meetings, visits, the work programme, projects and self-assessments travel in the
        # programme JSON under their own keys; the plan app owns the hook and never imports this
        # app. Loaded after the plan (and the other apps' sections), boards before meetings.
        from oversight.plans import exchange

        from .exchange import SECTIONS

        for key, export, load, order in SECTIONS:
            exchange.register(exchange.Section(key, export, load, order=order))
