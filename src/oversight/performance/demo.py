"""Demo performance data: a synthetic Annex A workbook, stored and computed, with targets.

Called by ``oversight demo``. The workbook comes from our own generator (never real
children); the as-at date is seed 001's report month so the scorecard lines up with the
highlight report. Targets and benchmarks are illustrative values, labelled as such; the two
benchmark rows quoted from seed 001 name it as their source.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

from oversight.datasets.services import load_dataset
from oversight.engine.synth import generate_annex_a

from .models import Benchmark, EvidenceLink, Target
from .services import compute_and_store

DEMO_AS_AT = dt.date(2020, 1, 31)
DEMO_SEED = 2020
DEMO_SCALE = 0.5

# indicator: (minimum, upper) — see engine/indicators/rag.py for how polarity reads them
DEMO_TARGETS = {
    "assessments_45wd_pct": (80.0, 90.0),
    "icpc_15wd_pct": (75.0, 85.0),
    "rereferrals_12m_pct": (20.0, 25.0),
    "cpp_repeat_pct": (18.0, 23.0),
    "cla_3plus_placements_pct": (10.0, 12.0),
    "cla_long_term_stability_pct": (65.0, 70.0),
    "cp_visit_10wd_pct": (85.0, 95.0),
    "cla_review_timely_pct": (85.0, 95.0),
    "care_leavers_in_touch_pct": (85.0, 95.0),
    "care_leavers_eet_pct": (50.0, 60.0),
}
SEED_001 = "Improvement board highlight report, January 2020 (seed 001)"
ILLUSTRATIVE = "Illustrative demo value, not an official statistic"
# indicator: [(level, area, value, source)]
DEMO_BENCHMARKS = {
    "cla_3plus_placements_pct": [("national", "England", 10.0, SEED_001),
                                 ("regional", "South West", 12.4, SEED_001)],
    "cla_long_term_stability_pct": [("national", "England", 70.0, SEED_001),
                                    ("regional", "South West", 66.9, SEED_001)],
    "assessments_45wd_pct": [("national", "England", 83.0, ILLUSTRATIVE)],
    "icpc_15wd_pct": [("national", "England", 78.0, ILLUSTRATIVE)],
    "rereferrals_12m_pct": [("national", "England", 22.5, ILLUSTRATIVE)],
    "cpp_repeat_pct": [("national", "England", 21.0, ILLUSTRATIVE)],
}


# action ref in the demo programme → indicators that evidence its success measure
DEMO_EVIDENCE = {
    "1.6": ["s47_to_icpc_pct", "icpc_to_cpp_pct"],
    "1.7": ["assessments_nfa_pct"],
    "2.1": ["referrals_nfa_pct"],
    "2.6.1": ["assessments_45wd_pct", "assessments_child_seen_pct"],
    "1.3.1": ["cla_3plus_placements_pct", "cla_placed_out_pct"],
    "2.7.1": ["cla_long_term_stability_pct"],
    "4.2.1": ["cp_visit_10wd_pct", "cla_visit_6wk_pct"],
}


def link_demo_evidence(programme_slug: str = "demo") -> int:
    from oversight.plans.models import Action

    made = 0
    for ref, indicators in DEMO_EVIDENCE.items():
        action = Action.objects.filter(recommendation__theme__programme__slug=programme_slug, ref=ref).first()
        for indicator in indicators if action else []:
            made += EvidenceLink.objects.get_or_create(action=action, indicator=indicator)[1]
    return made


def load_demo_data(user=None) -> str:
    """Generate, store and compute the demo dataset; returns a line saying what was done."""
    out = Path(settings.DATA_DIR) / "demo" / f"annex-a-demo-{DEMO_AS_AT:%Y-%m-%d}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists():
        generate_annex_a(out, DEMO_AS_AT, seed=DEMO_SEED, scale=DEMO_SCALE, messy=True)
    dataset = load_dataset(out, DEMO_AS_AT, user=user, via="demo")
    # A newly stored dataset is computed by the dataset_stored signal; an old one already was.
    run = dataset.indicator_runs.order_by("-pk").first() or compute_and_store(dataset)
    for indicator, (minimum, upper) in DEMO_TARGETS.items():
        Target.objects.update_or_create(indicator=indicator, due=None,
                                        defaults={"minimum": minimum, "upper": upper, "note": ILLUSTRATIVE})
    for indicator, rows in DEMO_BENCHMARKS.items():
        for level, area, value, source in rows:
            Benchmark.objects.update_or_create(
                indicator=indicator, time_period="201819", level=level, area_code="", area_name=area,
                defaults={"year": 2019, "value": value, "source": source},
            )
    link_demo_evidence()
    return (f"Demo Annex A data: {out.name} as at {DEMO_AS_AT:%d %B %Y} — {dataset.errors} value problems "
            f"reported, {run.values.count()} indicator figures stored.")
