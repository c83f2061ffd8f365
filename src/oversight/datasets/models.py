"""Annex A uploads: one immutable Parquet dataset per upload, with its data-quality summary."""
