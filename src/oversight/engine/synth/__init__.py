"""Synthetic Annex A workbooks: the demo's data and the tests' data — never real children.

``generate_annex_a(out, as_at, seed, scale, messy=False)`` writes all eleven lists of a
council of about 35,000 children × ``scale``, with children's journeys linked across lists
(contact → referral → assessment → S47 → ICPC → CP plan; children in need; children in care
with placements, reviews, visits and health checks; care leavers; adoption with the adopters
who share the family identifier). Same seed and arguments → the same workbook, byte for byte.

Layout: ``streams.py`` decides how many children of each kind arrive when; the builders write
each child's story (``base.py`` shared steps and rate tables, ``journeys.py`` front door and
child protection, ``care.py`` children in care and care leavers, ``adoption.py`` adoption and
adopters; ``model.py`` the story's shape, ``people.py`` invented names, places and ids);
``rows.py`` cuts stories into list rows by reporting window; ``writer.py`` writes the XLSX;
``messy.py`` adds real-world untidiness and planted problems for ``--messy``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from oversight.engine.annex_a.schema import get_schema
from oversight.engine.synth.dates import WorkingDays, add_years
from oversight.engine.synth.journeys import JourneyBuilder
from oversight.engine.synth.messy import Messiness, Planted
from oversight.engine.synth.people import IdAllocator, WorkerPools
from oversight.engine.synth.rows import Row, rows_for
from oversight.engine.synth.streams import stories
from oversight.engine.synth.writer import SynthError, WorkbookWriter

MAX_SCALE = 100.0

__all__ = ["MAX_SCALE", "Planted", "SynthError", "generate_annex_a", "generate_rows"]


def generate_rows(as_at: dt.date, seed: int, scale: float) -> Iterator[tuple[int, Row]]:
    """Every (list number, row) of a synthetic Annex A, in writing order, without a file.

    Rows are dicts keyed by the canonical column names (``docs/annex-a-tables.md``) holding
    dates, integers, free text and canonical picklist codes.
    """
    _check(as_at, scale)
    wd = WorkingDays(add_years(as_at, -20), add_years(as_at, 2))
    pools = WorkerPools(random.Random(f"oversight-synth:{seed}:workers"), scale)
    builder = JourneyBuilder(as_at, wd, pools, random.Random(f"oversight-synth:{seed}:ids"))
    child_ids = IdAllocator(random.Random(f"oversight-synth:{seed}:child-ids"))
    for story in stories(builder, seed, scale):
        rows = list(rows_for(story, builder))
        if not rows:
            continue
        if story.child is not None:
            story.child.child_id = child_ids.next()
            for _, row in rows:
                if "child_id" in row:
                    row["child_id"] = story.child.child_id
        yield from rows


def generate_annex_a(out: Path, as_at: dt.date, seed: int, scale: float, messy: bool = False, *,
                     schema_version: str | None = None, planted: list[Planted] | None = None) -> dict[str, int]:
    """Write a synthetic Annex A workbook to ``out``; return the rows written per table.

    ``scale`` multiplies every volume (1 ≈ a council of 35,000 children). ``messy`` restyles
    the workbook like a real export and plants a handful of problems per list; pass a list as
    ``planted`` to receive where each planted problem is.
    """
    _check(as_at, scale)
    schema = get_schema(schema_version)
    messiness = None
    if messy:
        # A counting pass first, so planted problems can be spread over each list's real length.
        counts: dict[int, int] = {}
        for n, _ in generate_rows(as_at, seed, scale):
            counts[n] = counts.get(n, 0) + 1
        messiness = Messiness(seed, as_at, schema, counts)
    out = Path(out)
    if not out.parent.exists():
        raise SynthError(f"{out.parent}: no such folder")
    writer = WorkbookWriter(out, schema, as_at, messiness)
    try:
        for n, row in generate_rows(as_at, seed, scale):
            writer.add(n, row)
    finally:
        counts_written = writer.close()
    if planted is not None and messiness is not None:
        planted.extend(messiness.log)
    return counts_written


def _check(as_at: dt.date, scale: float) -> None:
    if not isinstance(as_at, dt.date):
        raise SynthError(f"as-at date must be a date, not {as_at!r}")
    if not 0 < scale <= MAX_SCALE:
        raise SynthError(f"scale must be more than 0 and at most {MAX_SCALE:g}, not {scale:g}")
    if as_at.year < 1990 or as_at > dt.date(2080, 1, 1):
        raise SynthError(f"as-at date {as_at.isoformat()} is outside 1990–2079")


