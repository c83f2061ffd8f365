from django.apps import AppConfig


def _compute_new_dataset(sender, dataset, **kwargs) -> None:
    """Every newly stored dataset is computed at once, as a preview: its figures go live only when
    a programme manager publishes the dataset (``services.latest_run`` reads published ones).
    An exception here marks the dataset "figures failed" with the reason, and a retry sends again."""
    from .services import compute_and_store

    compute_and_store(dataset)


class PerformanceConfig(AppConfig):
    name = "oversight.performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        from oversight.datasets.signals import dataset_stored

        dataset_stored.connect(_compute_new_dataset, dispatch_uid="oversight.performance.compute_new_dataset")

        from .transfer import register

        register()  # local_measures and scorecard_groups in the programme JSON

        # The evidence behind an action's RAG, for the plan's tracker and action pages (plans'
        # hook: plans never imports performance).
        from oversight.plans.readmodel import register_evidence

        from .evidence import evidence_for_actions

        register_evidence(evidence_for_actions)
