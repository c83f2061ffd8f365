"""Pools of several councils' data: the ``oversight pool`` and ``oversight councils`` commands and
the pool benchmarks shown on a council's scorecard (the engine side is ``engine/pools``)."""
