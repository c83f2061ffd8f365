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
    if dataset.status != dataset.Status.PUBLISHED:  # the demo's figures are live, as after a publish
        from oversight.datasets.services import compute_figures, publish

        publish(compute_figures(dataset, user=user) if dataset.figures != dataset.Figures.READY else dataset,
                user=None, confirm_as_at=True)
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


# ------------------------------------------------------------------------------ seed 001's own measures
# (code, ref, name, unit, polarity, period_type, source, {month: value})
AUG, SEP, OCT, NOV, DEC, JAN = "2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"
SEED_001_LOCAL = "Local case-management report, as in seed 001"
DEMO_LOCAL_MEASURES = [
    ("qsw-supervisions", "", "% qualified social worker supervisions", "percent", "higher", "snapshot",
     "Supervision records (collation being developed)", {}),
    ("missing-children", "", "Number of missing children during period", "count", "lower", "ytd", SEED_001_LOCAL,
     {AUG: 28, SEP: 17, OCT: 31, NOV: 30, DEC: 35}),
    ("lac-missing", "", "Number of LAC who went missing from care during the year", "count", "lower", "ytd",
     SEED_001_LOCAL, {AUG: 7, SEP: 5, OCT: 5, NOV: 9, DEC: 15}),
    ("exploitation-assessments", "", "Number of exploitation/vulnerability assessments", "count", "none", "ytd",
     SEED_001_LOCAL, {AUG: 0, SEP: 4, OCT: 24, NOV: 8, DEC: 18}),
    ("exploitation-high-risk", "", "Number of exploitation/vulnerability assessments graded as 'High Risk'",
     "count", "none", "ytd", SEED_001_LOCAL, {AUG: 0, SEP: 0, OCT: 1, NOV: 1, DEC: 2}),
    ("rhi-72h", "", "Number of Return Home Interviews in 72hrs", "count", "higher", "ytd", SEED_001_LOCAL,
     {AUG: 11, SEP: 7, OCT: 14, NOV: 18, DEC: 15}),
    ("management-oversight-8wk", "", "% cases with Management Oversight recorded in past 8 weeks", "percent",
     "higher", "snapshot", SEED_001_LOCAL, {AUG: 70.8, SEP: 74.7, OCT: 72.3, NOV: 78.8, DEC: 73.3, JAN: 64.0}),
    ("dprs-raised", "", "Number of DPRs raised", "count", "none", "ytd", "IRO service records",
     {AUG: 6, SEP: 2, OCT: 2, NOV: 15, DEC: 5, JAN: 14}),
    ("pre-proceedings-days", "", "Average length of pre-proceedings (calendar days)", "days", "lower", "snapshot",
     "Legal tracker", {AUG: 55, SEP: 81, OCT: 105, NOV: 113, DEC: 93}),
    ("care-proceedings-length", "", "Average length of care proceedings (provisional subject to further validation)",
     "number", "lower", "snapshot", "Legal tracker", {AUG: 67, SEP: 88, OCT: 86, NOV: 80, DEC: 77}),
    ("qsw-vacancies", "1.2.1", "% Vacancies (QSW roles only - % of estab not filled by perm staff)", "percent",
     "lower", "snapshot", "HR establishment report", {OCT: 34.5, NOV: 38.0}),
    ("turnover", "1.2.2", "% Turnover (in year collation and calculation needs to be developed)", "percent",
     "lower", "snapshot", "HR establishment report", {}),
    ("agency-staff", "1.2.3", "% Agency Staff (FTE of QSW estab roles only)", "percent", "lower", "snapshot",
     "HR establishment report", {OCT: 46.2, NOV: 52.0}),
]
# Seed 001's "National" benchmarks for the workforce measures (DfE children's social work workforce).
DEMO_LOCAL_BENCHMARKS = {"qsw-vacancies": 16.5, "turnover": 15.2, "agency-staff": 15.4}
DEMO_LOCAL_TARGETS = {"qsw-vacancies": (20.0, 25.0), "agency-staff": (20.0, 30.0), "rhi-72h": (12.0, 15.0)}

# (group title as seed 001 heads it, plan theme by its position (1–4), indicator ids)
DEMO_GROUPS = [
    ("Placement Stability", 1, ["cla_3plus_placements_pct", "cla_long_term_stability_pct", "cla_placed_out_pct"]),
    ("Management oversight and supervision", 1, ["local-qsw-supervisions"]),
    ("Services for children at risk of involvement in gangs, youth violence, missing, CSE, radicalisation", 1,
     ["local-missing-children", "local-lac-missing", "local-exploitation-assessments",
      "local-exploitation-high-risk", "local-rhi-72h", "cla_missing_pct"]),
    ("Improving quality of assessments and plans", 2,
     ["local-management-oversight-8wk", "assessments_45wd_pct", "cla_review_timely_pct", "cp_visit_10wd_pct"]),
    ("Child Protection Process", 2, ["icpc_15wd_pct", "icpc_to_cpp_pct"]),
    ("IROs and CP chairs sufficiently challenge plans", 2,
     ["cp_review_timely_pct", "cla_review_timely_pct", "local-dprs-raised"]),
    ("Public Law Outline", 2, ["local-pre-proceedings-days", "local-care-proceedings-length"]),
    ("Child permanence and adoption decisions", 2, ["cla_ceased", "adoption_a1_days", "adoption_a2_days"]),
    ("Workforce Strategy", 3, ["local-qsw-vacancies", "local-turnover", "local-agency-staff"]),
]


def load_demo_measures(programme) -> str:
    """Seed 001's local measures with its figures, and its scorecard grouping under the plan's themes.

    Safe to run again: the programme's measures and groups are rebuilt; targets and
    benchmarks (keyed by indicator id) are updated in place.
    """
    from .models import LocalMeasure, ScorecardEntry, ScorecardGroup

    programme.local_measures.all().delete()
    programme.scorecard_groups.all().delete()
    for code, ref, name, unit, polarity, period_type, source, values in DEMO_LOCAL_MEASURES:
        m = LocalMeasure.objects.create(programme=programme, code=code, ref=ref, name=name, unit=unit,
                                        polarity=polarity, period_type=period_type, source=source)
        for month, value in values.items():
            m.values.create(month=dt.date.fromisoformat(f"{month}-01"), value=float(value))
    for code, value in DEMO_LOCAL_BENCHMARKS.items():
        Benchmark.objects.update_or_create(
            indicator=f"local-{code}", time_period="2019", level="national", area_code="", area_name="England",
            defaults={"year": 2019, "value": value, "source": SEED_001})
    for code, (minimum, upper) in DEMO_LOCAL_TARGETS.items():
        Target.objects.update_or_create(indicator=f"local-{code}", due=None,
                                        defaults={"minimum": minimum, "upper": upper, "note": ILLUSTRATIVE})
    themes = list(programme.themes.order_by("order", "id"))
    for order, (title, theme_no, ids) in enumerate(DEMO_GROUPS, start=1):
        group = ScorecardGroup.objects.create(programme=programme, title=title, order=order,
                                              theme=themes[theme_no - 1] if len(themes) >= theme_no else None)
        ScorecardEntry.objects.bulk_create([ScorecardEntry(group=group, indicator=i, order=n)
                                            for n, i in enumerate(ids, start=1)])
    workforce = programme.themes.filter(recommendations__actions__ref="3.1.1").first()
    if workforce is not None:
        from oversight.plans.models import Action

        action = Action.objects.get(recommendation__theme=workforce, ref="3.1.1")
        for code in ("qsw-vacancies", "agency-staff"):
            EvidenceLink.objects.get_or_create(action=action, indicator=f"local-{code}")
    return (f"Demo local measures: {len(DEMO_LOCAL_MEASURES)} with seed 001's figures; scorecard in "
            f"{len(DEMO_GROUPS)} groups as seed 001 arranges it.")
