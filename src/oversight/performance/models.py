"""Indicator aggregates, targets, benchmarks and commentary (no child-level rows here)."""
