"""Annex A: schema, loading, validation and storage of Ofsted's child-level lists (no Django)."""

from oversight.engine.annex_a.schema import (
    DEFAULT_VERSION,
    SCHEMAS,
    Code,
    Column,
    ListSpec,
    SchemaVersion,
    get_schema,
)

__all__ = ["DEFAULT_VERSION", "SCHEMAS", "Code", "Column", "ListSpec", "SchemaVersion", "get_schema"]
