"""The indicator catalogue and its runner: Annex A Parquet tables in, monthly figures out."""

from .catalogue import Catalogue, CatalogueError, Indicator, load_catalogue
from .runner import ChildRows, IndicatorRunError, child_rows, compute, flatten, months_for

__all__ = ["Catalogue", "CatalogueError", "ChildRows", "Indicator", "IndicatorRunError", "child_rows",
           "compute", "flatten", "load_catalogue", "months_for"]
