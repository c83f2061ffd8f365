"""Inspections and visits: findings become recommendations with their source; judgements per area over time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.governance.models import Finding, Judgement, Visit
from oversight.governance.queries import judgement_history, trail
from oversight.plans.models import Action, Recommendation, Theme

pytestmark = pytest.mark.django_db


def test_seed_000s_third_monitoring_visit_concluded_slow_progress_with_its_six_focus_areas(client, demo,
                                                                                          bob_board_member):
    visit = Visit.objects.get(programme=demo, title="Third monitoring visit")
    client.force_login(bob_board_member)
    data = client.get(reverse("governance:visit_json", args=["demo", visit.pk])).json()
    assert (data["kind"], data["start"], data["end"], data["letter_on"]) == (
        "monitoring_visit", "2017-07-25", "2017-07-26", "2017-08-24")
    assert data["conclusion_label"] == "Slow progress"
    assert len(data["focus_areas"]) == 6
    assert data["focus_areas"][0] == "the quality and timeliness of pathway plans for care leavers"
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Slow progress" in page and "Make it a recommendation" not in page


def test_the_demo_turns_the_letters_weaknesses_into_recommendations_whose_source_is_the_visit(demo):
    visit = Visit.objects.get(programme=demo, title="Third monitoring visit")
    recs = [f.recommendation for f in visit.findings.all() if f.recommendation_id]
    assert len(recs) == 7
    assert {r.source.label for r in recs} == {"Third monitoring visit July 2017"}
    assert visit.findings.get(kind="strength").recommendation is None


def test_priya_turns_a_finding_into_a_recommendation_and_the_programme_page_shows_the_trail_to_its_actions(
        client, plan, priya_programme_manager):
    visit = Visit.objects.create(programme=plan, kind="focused_visit", title="Focused visit",
                                 start="2019-11-05")
    visit.refresh_from_db()
    finding = Finding.objects.create(visit=visit, text="Management oversight of children in need is weak")
    theme = Theme.objects.get(programme=plan, order=1)
    client.force_login(priya_programme_manager)
    r = client.post(reverse("governance:finding_to_plan", args=["demo", finding.pk]), {"theme": theme.pk,
                                                                                      "ref": "1.9"})
    assert r.status_code == 302
    finding.refresh_from_db()
    rec = finding.recommendation
    assert (rec.ref, rec.text, rec.theme) == ("1.9", "Management oversight of children in need is weak", theme)
    assert (rec.source.label, rec.source.kind) == ("Focused visit November 2019", "focused_visit")
    Action.objects.create(recommendation=rec, ref="1.9.1", title="Weekly oversight", status="completed")
    Action.objects.create(recommendation=rec, ref="1.9.2", title="Audit", due="2019-12-31")
    t = trail(plan, plan.current_as_at)
    assert t[0]["counts"] == {"findings": 1, "recommendations": 1, "actions": 2, "done": 1, "overdue": 1}
    page = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "From inspection to action" in page and visit.get_absolute_url() in page


def test_a_trail_row_also_counts_plan_recommendations_already_citing_the_visit_as_their_source(demo):
    ilacs = Visit.objects.get(programme=demo, title="Ofsted inspection (ILACS)")
    row = next(v for v in trail(demo, demo.current_as_at) if v["id"] == ilacs.pk)
    cited = Recommendation.objects.filter(source__label="Ofsted inspection Jul 2019").count()
    assert cited > 0 and row["counts"]["recommendations"] == cited


def test_judgements_are_kept_per_area_with_their_history(plan):
    first = Visit.objects.create(programme=plan, kind="ilacs_full", title="ILACS 2019", start="2019-07-01")
    second = Visit.objects.create(programme=plan, kind="ilacs_full", title="ILACS 2026", start="2026-05-11")
    Judgement.objects.create(visit=first, area="overall", grade="inadequate")
    Judgement.objects.create(visit=first, area="care_leavers", grade="inadequate")
    # From April 2026 no overall grade: areas are judged separately.
    Judgement.objects.create(visit=second, area="care_leavers", grade="requires_improvement")
    Judgement.objects.create(visit=second, area="leaders", grade="good")
    history = {h["area"]: [g["grade"] for g in h["grades"]] for h in judgement_history(plan)}
    assert history == {"overall": ["inadequate"], "care_leavers": ["inadequate", "requires_improvement"],
                       "leaders": ["good"]}


def test_the_programme_manager_records_a_visit_with_focus_areas_typed_one_per_line(client, plan,
                                                                                 priya_programme_manager):
    client.force_login(priya_programme_manager)
    r = client.post(reverse("governance:add", args=["demo", "visit"]), {
        "kind": "monitoring_visit", "title": "Fifth monitoring visit", "start": "2020-06-02", "conclusion": "expected",
        "focus_areas": "Care leavers\n\nChildren in care \n"})
    assert r.status_code == 302
    assert Visit.objects.get(title="Fifth monitoring visit").focus_areas == ["Care leavers", "Children in care"]


def test_the_trail_on_the_programme_page_costs_the_same_queries_for_seven_visits_as_for_twenty(
        demo, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seven:
        trail(demo, demo.current_as_at)
    visits = list(Visit.objects.filter(programme=demo))
    assert len(visits) == 7
    theme = Theme.objects.get(programme=demo, order=1)
    for n in range(13):  # thirteen more visits, each with a finding that became a recommendation with an action
        visit = Visit.objects.create(programme=demo, kind="monitoring_visit", title=f"Visit {n}", start="2019-10-01")
        rec = Recommendation.objects.create(theme=theme, ref=f"9.{n}", text="Oversight")
        Action.objects.create(recommendation=rec, ref=f"9.{n}.1", title="Audit")
        Finding.objects.create(visit=visit, text="Oversight is weak", recommendation=rec)
    with django_assert_max_num_queries(len(seven.captured_queries)):
        rows = trail(demo, demo.current_as_at)
    assert len(rows) == 20 and sum(r["counts"]["actions"] for r in rows[:13]) >= 13
