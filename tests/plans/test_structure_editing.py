"""The programme manager edits the plan's structure in the app; the admin cannot bypass the app's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from oversight.plans.demo import build_demo_programme
from oversight.plans.models import Action, Person, Recommendation, Source, Step, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(roles):
    return build_demo_programme()


def test_priya_adds_a_theme_a_recommendation_with_its_source_an_action_and_a_step(client, demo,
                                                                                 priya_programme_manager):
    client.force_login(priya_programme_manager)
    assert client.post(reverse("plans:theme_add", args=["demo"]), {
        "version": 0, "title": "Partnership working", "overview": "Partners share the plan."}).status_code == 302
    theme = Theme.objects.get(programme=demo, title="Partnership working")
    assert theme.order == 5
    assert client.post(reverse("plans:recommendation_add", args=["demo", theme.pk]), {
        "version": 0, "ref": "5.1", "text": "Partners attend every strategy discussion",
        "source_label": "Ofsted monitoring visit Mar 2020", "source_kind": "monitoring_visit",
        "source_date": "2020-03-12"}).status_code == 302
    rec = Recommendation.objects.get(theme=theme, ref="5.1")
    assert (rec.source.label, rec.source.kind, rec.source.date) == (
        "Ofsted monitoring visit Mar 2020", "monitoring_visit", dt.date(2020, 3, 12))
    wf, dd = demo.people.get(initials="WF"), demo.people.get(initials="DD")
    assert client.post(reverse("plans:plan_action_add", args=["demo", rec.pk]), {
        "version": 0, "ref": "5.1.1", "title": "Agree a partnership protocol", "owners": [wf.pk, dd.pk],
        "when_text": "By end April 2020", "success_measure": "Protocol signed", "service_area": "All"}
    ).status_code == 302
    action = Action.objects.get(ref="5.1.1")
    assert set(action.owners.values_list("initials", flat=True)) == {"WF", "DD"}
    assert action.due == dt.date(2020, 4, 30)
    assert client.post(reverse("plans:step_add", args=["demo", action.pk]), {
        "version": 0, "text": "Draft the protocol", "when_text": "March 2020", "status": ""}).status_code == 302
    assert Step.objects.get(action=action).due == dt.date(2020, 3, 31)
    assert action.history.first().history_user == priya_programme_manager


def test_a_recommendation_without_text_is_refused_with_an_error_summary(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    theme = Theme.objects.get(programme=demo, order=1)
    response = client.post(reverse("plans:recommendation_add", args=["demo", theme.pk]), {"version": 0, "text": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_text"' in page


def test_editing_an_action_keeps_its_history_and_a_stale_save_is_refused(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="3.1.3")
    url = reverse("plans:plan_action_edit", args=["demo", action.pk])
    loaded = action.version
    form = {"version": loaded, "ref": "3.1.3", "title": "Update and publish workforce policies",
            "owners": [p.pk for p in action.owners.all()], "when_text": "April 2020",
            "success_measure": "Policies approved", "service_area": "Workforce"}
    assert client.post(url, form).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.due, action.status) == ("Update and publish workforce policies",
                                                         dt.date(2020, 4, 30), "not_started")
    stale = client.post(url, dict(form, title="Someone else's title"))
    assert "Someone else saved this" in stale.content.decode()
    action.refresh_from_db()
    assert action.title == "Update and publish workforce policies"
    page = client.get(action.get_absolute_url()).content.decode()
    assert "title: “Update workforce policies” → “Update and publish workforce policies”" in page


def test_themes_are_reordered_and_a_move_from_a_stale_page_is_refused(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    second = Theme.objects.get(programme=demo, order=2)
    url = reverse("plans:move", args=["demo", "theme", second.pk])
    assert client.post(url, {"direction": "up", "version": second.version}).status_code == 302
    titles = list(demo.themes.order_by("order").values_list("title", flat=True))
    assert titles[:2] == ["A robust model of social work practice", "Leadership, management and governance"]
    client.post(url, {"direction": "down", "version": second.version})  # the version it had before the move
    assert list(demo.themes.order_by("order").values_list("title", flat=True)) == titles
    assert Theme.history.filter(id=second.pk, history_change_reason="reordered").exists()


def test_people_are_added_with_name_role_and_initials_and_names_stay_unique(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    url = reverse("plans:person_add", args=["demo"])
    assert client.post(url, {"version": 0, "name": "Head of Early Help", "role": "Head of Service Early Help",
                             "initials": "HOS-EH"}).status_code == 302
    assert Person.objects.get(programme=demo, initials="HOS-EH").role == "Head of Service Early Help"
    again = client.post(url, {"version": 0, "name": "head of early help", "role": "", "initials": ""})
    assert "There is already someone with this name" in again.content.decode()


def test_bob_the_board_member_cannot_edit_the_plans_structure(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    theme = Theme.objects.get(programme=demo, order=1)
    rec = theme.recommendations.first()
    action = rec.actions.first()
    for url in [reverse("plans:plan_edit", args=["demo"]), reverse("plans:theme_add", args=["demo"]),
                reverse("plans:theme_edit", args=["demo", theme.pk]),
                reverse("plans:recommendation_edit", args=["demo", rec.pk]),
                reverse("plans:plan_action_edit", args=["demo", action.pk]),
                reverse("plans:step_add", args=["demo", action.pk]), reverse("plans:person_add", args=["demo"]),
                reverse("plans:status_edit", args=["demo"]), reverse("plans:budget_add", args=["demo"])]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("plans:theme_edit", args=["demo", theme.pk]),
                           {"version": theme.version, "title": "Renamed"})
    assert response.status_code == 403
    assert client.post(reverse("plans:move", args=["demo", "theme", theme.pk]),
                       {"direction": "down", "version": theme.version}).status_code == 403
    theme.refresh_from_db()
    assert theme.title == "Leadership, management and governance" and theme.order == 1


def test_owen_the_action_owner_updates_progress_but_not_the_plans_structure(client, demo, owen_action_owner):
    action = Action.objects.get(ref="3.1.2")
    action.owners.update(user=owen_action_owner)
    client.force_login(owen_action_owner)
    assert client.get(reverse("plans:action_edit", args=["demo", action.pk])).status_code == 200
    assert client.get(reverse("plans:plan_action_edit", args=["demo", action.pk])).status_code == 403
    assert client.post(reverse("plans:plan_action_edit", args=["demo", action.pk]), {
        "version": action.version, "title": "Mine now"}).status_code == 403
    assert "Change what, who, when" not in client.get(action.get_absolute_url()).content.decode()


def test_the_admin_is_read_only_for_a_staff_programme_manager(client, demo, priya_programme_manager):
    priya_programme_manager.is_staff = True
    priya_programme_manager.save()
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="3.1.3")
    url = reverse("admin:plans_action_change", args=[action.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # shown, not editable
    response = client.post(url, {"title": "Changed in the admin", "status": "completed"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert (action.title, action.status) == ("Update workforce policies", "not_started")
    assert client.get(reverse("admin:plans_theme_add")).status_code == 403


def test_in_the_admin_even_a_superuser_cannot_set_a_status_without_its_dated_note(client, demo):
    admin_user = User.objects.create_superuser("root", password="correct horse battery staple")
    client.force_login(admin_user)
    action = Action.objects.get(ref="3.1.3")
    page = client.get(reverse("admin:plans_action_change", args=[action.pk])).content.decode()
    assert 'name="title"' in page
    assert 'name="status"' not in page and 'name="completed_on"' not in page
    source = Source.objects.filter(programme=demo).first()
    assert client.get(reverse("admin:plans_source_change", args=[source.pk])).status_code == 200


def test_every_editing_page_opens_for_the_programme_manager(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    theme = Theme.objects.get(programme=demo, order=1)
    rec = theme.recommendations.first()
    action = Action.objects.get(ref="1.1.3")
    step = action.steps.first()
    person = demo.people.first()
    line = demo.budget_lines.first()
    for url in [reverse("plans:plan_edit", args=["demo"]), reverse("plans:theme_add", args=["demo"]),
                reverse("plans:theme_edit", args=["demo", theme.pk]), reverse("plans:theme", args=["demo", theme.pk]),
                reverse("plans:theme_json", args=["demo", theme.pk]),
                reverse("plans:recommendation_add", args=["demo", theme.pk]),
                reverse("plans:recommendation_edit", args=["demo", rec.pk]),
                reverse("plans:plan_action_add", args=["demo", rec.pk]),
                reverse("plans:plan_action_edit", args=["demo", action.pk]),
                reverse("plans:step_add", args=["demo", action.pk]), reverse("plans:step_edit", args=["demo", step.pk]),
                reverse("plans:people", args=["demo"]), reverse("plans:person_add", args=["demo"]),
                reverse("plans:person_edit", args=["demo", person.pk]), reverse("plans:settings", args=["demo"]),
                reverse("plans:status_edit", args=["demo"]), reverse("plans:overview_edit", args=["demo", theme.pk]),
                reverse("plans:budget_add", args=["demo"]), reverse("plans:budget_edit", args=["demo", line.pk]),
                action.get_absolute_url(), reverse("plans:action_edit", args=["demo", action.pk])]:
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"period": "2019-11-30"}).status_code == 200, url
