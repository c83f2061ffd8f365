"""Pools of councils' Annex A data (issue 12). No models: a pool is a folder of Parquet."""
from django.apps import AppConfig


class PoolsConfig(AppConfig):
    name = "oversight.pools"
    verbose_name = "Pools of councils"
