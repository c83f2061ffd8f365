"""The indicator catalogue and its runner: Annex A Parquet tables in, monthly figures out."""

from .catalogue import Catalogue, CatalogueError, Indicator, load_catalogue
from .engines import DEFAULT_ENGINE, ENGINES
from .results import IndicatorResult, Point, RunResult
from .runner import ChildRows, IndicatorRunError, child_rows, compute, flatten, months_for, run_catalogue

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Catalogue", "CatalogueError", "ChildRows", "Indicator", "IndicatorResult",
           "IndicatorRunError", "Point", "RunResult", "child_rows", "compute", "flatten", "load_catalogue",
           "months_for", "run_catalogue"]
