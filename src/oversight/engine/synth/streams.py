"""Cohorts of children and when they arrive: the volumes of a council of ~35,000 children.

Each cohort is a Poisson stream of *key dates* (a contact, a CP plan start, a period of care…)
per calendar month, at a rate per month for scale 1, over the span of history it needs (a CP
plan open today may have started four years ago; a care leaver left care up to seven years
ago). Scale multiplies every rate. Low-volume flows that an indicator counts per month get a
floor of one in each of the six reported months, so even a tiny test workbook has, say, a
child coming into care every month; adoption cohorts get a floor over their 12-month window.

Rates at scale 1 (England per 10,000 children 0–17 × 3.5): referrals ≈ 160 a month, S47 ≈ 50,
ICPC ≈ 19, CP plans ≈ 150 open, CLA ≈ 245, care leavers ≈ 0.6 × CLA, contacts ≈ 1,700 a month.

Streams are merged by key date, so the workbook's rows come out roughly in the order children
became known; each stream has its own random generators, so one cohort's draws never shift
another's and the output is a pure function of the seed and arguments.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import heapq
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from oversight.engine.synth.dates import WorkingDays, add_months, add_years, month_starts
from oversight.engine.synth.journeys import JourneyBuilder
from oversight.engine.synth.model import Story
from oversight.engine.synth.people import poisson

Builder = Callable[[random.Random, dt.date], "list[Story] | None"]


@dataclass(frozen=True)
class Stream:
    name: str
    rate: float  # key dates per month at scale 1
    first: dt.date
    last: dt.date
    days: str  # "any", "weekday" (few at weekends) or "working" (working days only)
    build: Builder
    floor: int = 0  # at least this many in each of the six reported months
    window_min: int = 0  # at least this many over the six reported months
    min_total: int = 0  # at least this many over the whole span


def cohort_streams(b: JourneyBuilder) -> list[Stream]:
    """The cohorts that make up one council's Annex A, relative to the as-at date."""
    R, W0, Y0 = b.R, b.W0, b.Y0
    win = W0
    return [
        Stream("contacts", 1330, win, R, "weekday", b.contact_only),
        Stream("early_help", 55, add_months(W0, -6), R, "weekday", b.early_help),
        Stream("referral_nfa", 12.5, add_months(R, -30), R, "weekday", b.referral_nfa, window_min=2),
        Stream("referral_closed", 44, add_months(R, -30), R, "weekday",
               lambda rng, d: b.referral_assessed(rng, d, cin_plan=False)),
        Stream("referral_cin", 49, add_months(R, -36), R, "weekday",
               lambda rng, d: b.referral_assessed(rng, d, cin_plan=True)),
        Stream("s47", 31, add_months(R, -30), R, "weekday", b.referral_s47, floor=1),
        Stream("icpc_no_plan", 2.5, add_months(R, -36), R, "working", b.referral_icpc_no_plan, window_min=1),
        Stream("overdue_assessment", 1.5, add_months(R, -5).replace(day=1), R, "any", b.overdue_assessment,
               floor=1),
        Stream("cp_plan", 14.5, add_months(R, -48), R, "working", b.cp_plan, floor=1),
        Stream("cp_plan_long", 0.05, add_months(R, -42), add_months(R, -32), "working", b.cp_plan_long,
               min_total=1),
        Stream("cin_longterm", 2.5, add_years(R, -12), add_months(R, -30), "weekday", b.cin_longterm),
        Stream("cla", 5.3, add_years(R, -18), R, "any", b.cla, floor=1),
        Stream("cla_leaving_18", 1.2, win, R, "any", b.cla_leaving_at_18, floor=1),
        Stream("care_leavers", 2.5, add_years(R, -7), W0, "any", b.care_leaver),
        Stream("adopted", 0.8, Y0, R, "working", b.adopted, min_total=2),
        Stream("adm_decision", 0.9, Y0, R, "working", b.adm_decision, min_total=2),
        Stream("adoption_reversed", 0.2, Y0, R, "working", b.adoption_reversed, min_total=1),
        Stream("adopters", 2.5, add_months(Y0, -12), R, "weekday", b.adopter_household),
    ]


def _weights(days: list[dt.date], kind: str, wd: WorkingDays) -> list[float]:
    if kind == "any":
        return [1.0] * len(days)
    if kind == "working":
        return [1.0 if wd.is_working_day(d) else 0.0 for d in days]
    out = []
    for d in days:
        if d.weekday() == 5:
            out.append(0.15)
        elif d.weekday() == 6:
            out.append(0.1)
        else:
            out.append(1.0 if wd.is_working_day(d) else 0.2)
    return out


def arrivals(stream: Stream, index: int, seed: int, scale: float, as_at: dt.date,
             wd: WorkingDays) -> Iterator[tuple[dt.date, int, int]]:
    """Key dates of one stream in date order, as (date, stream index, sequence number)."""
    rng = random.Random(f"oversight-synth:{seed}:{stream.name}:arrivals")
    reported = set(month_starts(add_months(as_at, -5).replace(day=1), as_at))
    months = month_starts(stream.first, stream.last)
    counts = []
    for ms in months:
        lo = max(ms, stream.first)
        hi = min(ms.replace(day=_cal.monthrange(ms.year, ms.month)[1]), stream.last)
        share = ((hi - lo).days + 1) / _cal.monthrange(ms.year, ms.month)[1]
        n = poisson(rng, stream.rate * scale * share)
        if stream.floor and ms in reported:
            n = max(n, stream.floor)
        counts.append(n)
    in_window = [i for i, ms in enumerate(months) if ms in reported]
    while stream.window_min and in_window and sum(counts[i] for i in in_window) < stream.window_min:
        counts[rng.choice(in_window)] += 1
    while stream.min_total and sum(counts) < stream.min_total and counts:
        counts[rng.randrange(len(counts))] += 1
    seq = 0
    for ms, n in zip(months, counts, strict=True):
        if not n:
            continue
        lo = max(ms, stream.first)
        hi = min(ms.replace(day=_cal.monthrange(ms.year, ms.month)[1]), stream.last)
        days = [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]
        w = _weights(days, stream.days, wd)
        if not any(w):
            w = [1.0] * len(days)
        for d in sorted(rng.choices(days, weights=w, k=n)):
            yield d, index, seq
            seq += 1


def stories(builder: JourneyBuilder, seed: int, scale: float) -> Iterator[Story]:
    """Every story of the workbook, in key-date order across cohorts."""
    streams = cohort_streams(builder)
    merged = heapq.merge(*(arrivals(s, i, seed, scale, builder.R, builder.wd) for i, s in enumerate(streams)))
    build_rngs = [random.Random(f"oversight-synth:{seed}:{s.name}:build") for s in streams]
    for key, index, _seq in merged:
        rng = build_rngs[index]
        built = streams[index].build(rng, key)
        for story in built or ():
            builder.finalise(story, rng)
            yield story

