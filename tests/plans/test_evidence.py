"""The plan shows the measured evidence next to the RAG an officer typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.performance.models import EvidenceLink, IndicatorRun, IndicatorValue, Target
from oversight.plans.demo import build_demo_programme
from oversight.plans.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(roles):
    return build_demo_programme()


@pytest.fixture
def january_run(db):
    """assessments_45wd_pct for Aug 2019 – Jan 2020; January: 30 of 40 within 45 working days = 75.0%."""
    run = IndicatorRun.objects.create(as_at=dt.date(2020, 1, 31))
    for month, (n, d) in zip(["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"],
                             [(30, 36), (31, 38), (33, 40), (29, 37), (28, 36), (30, 40)], strict=True):
        IndicatorValue.objects.create(run=run, indicator="assessments_45wd_pct",
                                      month=dt.date.fromisoformat(f"{month}-01"),
                                      numerator=n, denominator=d, value=round(100 * n / d, 1))
    # higher is better: below 80 is red, 80–90 amber, 90 or more green
    Target.objects.create(indicator="assessments_45wd_pct", minimum=80.0, upper=90.0)
    return run


def _tracker_action(client, ref):
    data = client.get(reverse("plans:tracker_json", args=["demo"]), {"as_at": "2020-01-31"}).json()
    return next(a for part in ("outstanding", "completed") for b in data[part] for r in b["recommendations"]
                for a in r["actions"] if a["ref"] == ref)


def test_a_green_action_whose_linked_figure_is_below_target_is_flagged(client, demo, january_run,
                                                                        bob_board_member):
    action = Action.objects.get(ref="1.1.3")  # typed green for 2019/20 Q4
    EvidenceLink.objects.create(action=action, indicator="assessments_45wd_pct")
    client.force_login(bob_board_member)
    shown = _tracker_action(client, "1.1.3")
    assert shown["rag"] == "green"
    assert shown["evidence"] == [{"indicator": "assessments_45wd_pct", "value": 75.0, "month": "2020-01",
                                  "rag": "red"}]
    assert shown["evidence_conflict"] == "Rated green, but the linked figures are not all on target."
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Check this RAG" in page and "75.0%" in page


def test_an_amber_action_with_evidence_is_not_flagged(client, demo, january_run, bob_board_member):
    action = Action.objects.get(ref="1.1.1")  # typed amber
    EvidenceLink.objects.create(action=action, indicator="assessments_45wd_pct")
    client.force_login(bob_board_member)
    assert _tracker_action(client, "1.1.1")["evidence_conflict"] is None


def test_a_programme_manager_links_an_indicator_and_a_board_member_cannot(client, demo, priya_programme_manager,
                                                                           bob_board_member):
    action = Action.objects.get(ref="1.7")
    url = reverse("plans:evidence_add", args=["demo", action.pk])
    client.force_login(bob_board_member)
    assert client.post(url, {"indicator": "assessments_nfa_pct"}).status_code == 403
    client.force_login(priya_programme_manager)
    assert client.post(url, {"indicator": "not_an_indicator"}).status_code == 302
    assert not EvidenceLink.objects.exists()
    assert client.post(url, {"indicator": "assessments_nfa_pct", "note": "step-down rate"}).status_code == 302
    link = EvidenceLink.objects.get()
    assert (link.action, link.indicator, link.created_by) == (action, "assessments_nfa_pct", priya_programme_manager)
