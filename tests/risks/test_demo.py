"""The demo carries seed 001's registers: eight risks with the seed's scores, four concerns, four developments."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.plans.demo import ROLES
from oversight.risks.models import Concern, Development, Risk

pytestmark = pytest.mark.django_db

#: Seed 001 "Issues / Risks": ref → (probability, impact, risk score).
SEED_001_RISKS = {"1": (4, 5, 20), "2": (4, 4, 16), "3": (4, 4, 16), "4": (3, 5, 15), "5": (5, 5, 25),
                  "6": (3, 4, 12), "7": (3, 4, 12), "8": (3, 4, 12)}
#: Names printed in seed 001 that the demo must never show.
REAL_NAMES = ["Nancy", "Meehan", "Chittenden", "Cilla", "Whitmore", "Brian Mason", "Steve Hart", "Woszczyk",
              "McCann"]


def test_the_demo_has_seed_001s_eight_risks_with_their_scores(demo):
    risks = {r.ref: (r.probability, r.impact, r.score) for r in Risk.objects.filter(programme=demo)}
    assert risks == SEED_001_RISKS
    assert [SEED_001_RISKS[str(n)][2] for n in range(1, 9)] == [20, 16, 16, 15, 25, 12, 12, 12]
    for r in Risk.objects.filter(programme=demo):
        assert r.raised_text == "January 2020" and r.raised_on == dt.date(2020, 1, 1)
        assert r.owner.initials == "DCS" and r.owner_label == ROLES["DCS"]
        assert r.assessments.count() == 1


def test_the_demo_links_risks_to_indicators_and_plan_actions(demo):
    first = Risk.objects.get(programme=demo, ref="1")
    assert "cp_visit_10wd_pct" in first.indicators
    assert {a.ref for a in first.actions.all()} >= {"2.6.1"}
    assert Risk.objects.get(programme=demo, ref="6").actions.filter(ref="4.2.1").exists()


def test_the_demo_has_four_concerns_and_four_developments_owned_by_role(demo):
    concerns = list(Concern.objects.filter(programme=demo))
    developments = list(Development.objects.filter(programme=demo))
    assert [c.by_when_text for c in concerns] == ["Ongoing", "Quarterly Reporting on QA activity",
                                                  "6 weekly reporting to the Improvement Board on progress.",
                                                  "Cabinet Reports - March 2020"]
    assert [d.by_when_text for d in developments] == ["September 2020", "Ongoing",
                                                      "New model to be implemented by September 2020", "April 2021"]
    assert concerns[0].owner.initials == "WF"
    assert concerns[3].by_when == dt.date(2020, 3, 31)
    assert concerns[0].no_date_read
    assert developments[3].by_when == dt.date(2021, 4, 30)
    for item in [*concerns, *developments, *Risk.objects.filter(programme=demo)]:
        text = f"{item.description} {item.owner_label}"
        assert not any(name in text for name in REAL_NAMES), item
