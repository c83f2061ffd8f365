from django.apps import AppConfig


def _compute_new_dataset(sender, dataset, **kwargs) -> None:
    """Every newly stored dataset fills the scorecard at once: no separate step to forget."""
    from .services import compute_and_store

    compute_and_store(dataset)


class PerformanceConfig(AppConfig):
    name = "oversight.performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        from oversight.datasets.signals import dataset_stored

        dataset_stored.connect(_compute_new_dataset, dispatch_uid="oversight.performance.compute_new_dataset")
