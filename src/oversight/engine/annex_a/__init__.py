"""Annex A: schema, loading, validation and storage of Ofsted's child-level lists (no Django).

Typical use::

    result = read_annex_a(Path("annex_a.xlsx"), as_at=date(2024, 1, 31))
    info = write_dataset(result, data_dir / "datasets")
"""

from oversight.engine.annex_a import validate as _validate  # noqa: F401 - import DuckDB now, not mid-load
from oversight.engine.annex_a.loader import read_annex_a
from oversight.engine.annex_a.model import AnnexARefused, LoadResult, Problem, summarise
from oversight.engine.annex_a.report import ReportData, render_json, render_text, write_xlsx
from oversight.engine.annex_a.schema import (
    DEFAULT_VERSION,
    SCHEMAS,
    Code,
    Column,
    ListSpec,
    SchemaVersion,
    get_schema,
)
from oversight.engine.annex_a.store import DatasetInfo, dataset_id, open_dataset, write_dataset

__all__ = [
    "DEFAULT_VERSION",
    "SCHEMAS",
    "AnnexARefused",
    "Code",
    "Column",
    "DatasetInfo",
    "ListSpec",
    "LoadResult",
    "Problem",
    "ReportData",
    "SchemaVersion",
    "dataset_id",
    "get_schema",
    "open_dataset",
    "read_annex_a",
    "render_json",
    "render_text",
    "summarise",
    "write_dataset",
    "write_xlsx",
]
