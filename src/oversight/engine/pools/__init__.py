"""Pools of several councils' Annex A datasets: pseudonymisation before pooling, benchmarks.

Only the building blocks are here so far (``pseudonymise``, ``benchmarks``); see
docs/indicators.md, "Engines", and issue 12 for what a pool is.
"""
