from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "oversight.plans"
    verbose_name = "Improvement plan"

    def ready(self) -> None:
        # The programme's status, theme overviews and budget travel in the programme JSON as
        # sections of their own, through the same hook other apps use (loaded after the plan,
        # whose themes the overviews name).
        from . import exchange
        from . import exchange_status as ours

        exchange.register(exchange.Section("status_reports", ours.export_status_reports,
                                           ours.load_status_reports, order=10))
        exchange.register(exchange.Section("theme_overviews", ours.export_theme_overviews,
                                           ours.load_theme_overviews, order=12))
        exchange.register(exchange.Section("budget", ours.export_budget, ours.load_budget, order=14))
