"""Projects and work packages through their lifecycle (seed 003), the reason and date of each move kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.governance import services
from oversight.governance.models import Project
from oversight.plans.models import Action

pytestmark = pytest.mark.django_db


def test_seed_003s_assessment_tools_package_was_merged_into_prevention_from_harm(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    data = client.get(reverse("governance:projects_json", args=["demo"])).json()
    assert len(data["projects"]) == 7
    five = next(p for p in data["projects"] if p["number"] == "5")
    tools = next(w for w in five["packages"] if w["number"] == "5.2")
    assert (tools["state"], tools["merged_into"], tools["state_on"]) == (
        "merged", "3.4 Prevention from harm", "2012-07-18")
    states = {w["title"]: w["state"] for p in data["projects"] for w in p["packages"]}
    assert states["Creating the book"] == "disbanded"
    assert states["Children in need planning process, integrated assessments and improving chronologies"] == "deferred"
    assert states["The child's journey"] == "closing_down" and states["Restructuring social work"] == "closed"


def test_each_move_through_the_lifecycle_is_kept_with_its_date_and_reason(client, demo, priya_programme_manager):
    wp = Project.objects.get(programme=demo, number="4.4")
    client.force_login(priya_programme_manager)
    r = client.post(reverse("governance:project_state", args=["demo", wp.pk]),
                    {"state": "closed", "on": "2012-09-30", "reason": "External review positive; monitored by CIB"})
    assert r.status_code == 302
    wp.refresh_from_db()
    assert (wp.state, wp.state_on) == ("closed", dt.date(2012, 9, 30))
    assert [(c.state, c.on) for c in wp.state_changes.all()] == [
        ("closing_down", dt.date(2012, 7, 18)), ("closed", dt.date(2012, 9, 30))]


def test_merged_must_say_into_which_one(client, demo, priya_programme_manager):
    wp = Project.objects.get(programme=demo, number="7.2")
    client.force_login(priya_programme_manager)
    r = client.post(reverse("governance:project_state", args=["demo", wp.pk]),
                    {"state": "merged", "on": "2012-09-30", "reason": "Folded in"})
    assert r.status_code == 200 and "Say which project or work package" in r.content.decode()
    with pytest.raises(ValueError):
        services.set_project_state(wp, "merged", on=None, merged_into=wp)


def test_plan_actions_can_belong_to_a_project(client, demo, priya_programme_manager):
    action = Action.objects.filter(recommendation__theme__programme=demo).first()
    client.force_login(priya_programme_manager)
    proj = Project.objects.get(programme=demo, number="5.3")
    r = client.post(reverse("governance:edit", args=["demo", "project", proj.pk]), {
        "number": "5.3", "title": proj.title, "parent": proj.parent_id, "actions": [action.pk], "order": proj.order,
        "version": proj.version})
    assert r.status_code == 302
    assert list(action.projects.all()) == [proj]


def test_a_board_member_cannot_change_a_projects_state(client, demo, bob_board_member):
    wp = Project.objects.get(programme=demo, number="4.4")
    client.force_login(bob_board_member)
    assert client.get(reverse("governance:project_state", args=["demo", wp.pk])).status_code == 403
