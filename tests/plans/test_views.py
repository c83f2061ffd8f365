"""The plan pages as officers and board members use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.plans.demo import build_demo_programme
from oversight.plans.models import Action, ProgressNote, RagRating, Status, quarter_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(roles):
    return build_demo_programme()


def test_every_plan_page_asks_an_anonymous_visitor_to_sign_in(client, demo):
    action = Action.objects.first()
    for url in [reverse("plans:home"), reverse("plans:programme", args=["demo"]),
                reverse("plans:tracker", args=["demo"]), reverse("plans:tracker_json", args=["demo"]),
                action.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_overview_counts_actions_by_theme_status_and_latest_rag(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    data = client.get(reverse("plans:programme_json", args=["demo"]), {"as_at": "2020-01-31"}).json()
    workforce = next(t for t in data["themes"] if t["title"] == "A sufficient and skilled workforce")
    # 3.1.1 red (latest Q4), 3.1.2 amber, 3.1.3 red; 3.1.3 due Dec 2019 and not started -> overdue
    assert workforce["actions"] == 3
    assert workforce["by_rag"] == {"red": 2, "amber": 1, "green": 0, "none": 0}
    assert workforce["overdue"] == 1
    assert data["totals"]["actions"] == Action.objects.count()
    page = client.get(reverse("plans:programme", args=["demo"]))
    assert b"A sufficient and skilled workforce" in page.content


def test_the_tracker_splits_outstanding_from_completed_as_at_a_date(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    data = client.get(reverse("plans:tracker_json", args=["demo"]), {"as_at": "2017-09-01"}).json()

    def refs(blocks):
        return {a["ref"] for b in blocks for r in b["recommendations"] for a in r["actions"]}

    # 2.3 completed 31/03/2017 and 16.4 completed 31/08/2017 are done by 1 Sept 2017;
    # 1.3.1 was completed in December 2019, so at 1 Sept 2017 it is still outstanding.
    assert {"2.3", "16.4"} <= refs(data["completed"])
    assert "1.3.1" in refs(data["outstanding"])
    assert not refs(data["completed"]) & refs(data["outstanding"])
    # a day names its reporting period: the demo reports monthly, so 1 Sept 2017 is "as at 30 Sept 2017"
    page = client.get(reverse("plans:tracker", args=["demo"]), {"as_at": "2017-09-01"})
    assert "Actions completed as at 30th September 2017" in page.content.decode()


def test_the_tracker_filters_by_owner_status_rag_and_overdue(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    url = reverse("plans:tracker_json", args=["demo"])

    def refs(params):
        data = client.get(url, {"as_at": "2020-01-31", **params}).json()
        return {a["ref"] for part in ("outstanding", "completed") for b in data[part]
                for r in b["recommendations"] for a in r["actions"]}

    wf = demo.people.get(initials="WF")
    assert refs({"owner": wf.pk}) == {"3.1.1", "3.1.2", "3.1.3"}
    assert refs({"status": "review"}) == {"1.7", "2.1"}
    assert refs({"rag": "red", "owner": wf.pk}) == {"3.1.1", "3.1.3"}
    assert "3.1.3" in refs({"overdue": "1"})
    assert "3.1.2" not in refs({"overdue": "1"})  # due September 2020


def test_changing_status_without_a_note_is_refused_and_nothing_changes(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="3.1.3")
    response = client.post(reverse("plans:action_edit", args=["demo", action.pk]), {
        "version": action.version, "status": "in_progress", "rag": "", "when_text": action.when_text,
        "success_measure": action.success_measure, "note_date": "2020-02-03", "note": "",
    })
    assert response.status_code == 200
    assert "Add a dated progress note" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_a_status_change_with_a_note_is_saved_with_the_note_and_the_quarter_rag(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="3.1.3")
    notes_before = action.notes.count()
    response = client.post(reverse("plans:action_edit", args=["demo", action.pk]), {
        "version": action.version, "status": "completed", "rag": "green", "when_text": "Dec 2019",
        "success_measure": "Policies approved", "note_date": "2020-02-03", "note": "Policies approved by SLT.",
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.COMPLETED
    assert action.completed_on == dt.date(2020, 2, 3)
    note = action.notes.order_by("-id").first()
    assert action.notes.count() == notes_before + 1
    assert (note.status_from, note.status_to, note.rag) == ("not_started", "completed", "green")
    # the RAG is for the reporting quarter of the note's date: February 2020 is 2019/20 Q4
    assert quarter_of(dt.date(2020, 2, 3)) == (2019, 4)
    assert RagRating.objects.get(action=action, year=2019, quarter=4).rag == "green"
    assert action.history.count() >= 2


def test_a_second_editor_with_a_stale_page_cannot_overwrite_the_first(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="3.1.2")
    stale_version = action.version
    url = reverse("plans:action_edit", args=["demo", action.pk])
    first = {"version": stale_version, "status": "in_progress", "rag": "amber", "when_text": "October 2020",
             "success_measure": "first editor", "note_date": "2020-02-03", "note": ""}
    assert client.post(url, first).status_code == 302
    second = dict(first, when_text="December 2020", success_measure="second editor")
    response = client.post(url, second)
    assert response.status_code == 200
    assert "Someone else updated this action" in response.content.decode()
    action.refresh_from_db()
    assert action.success_measure == "first editor"


def test_notes_accumulate_and_are_never_overwritten(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="2.1")
    url = reverse("plans:note_add", args=["demo", action.pk])
    client.post(url, {"date": "2020-02-01", "text": "First update"})
    client.post(url, {"date": "2020-02-08", "text": "Second update"})
    texts = list(ProgressNote.objects.filter(action=action).values_list("text", flat=True))
    assert texts[-2:] == ["First update", "Second update"]
    assert len(texts) == 4  # the two imported notes are still there


def test_an_action_owner_updates_their_own_action_but_not_anothers(client, demo, owen_action_owner):
    mine = Action.objects.get(ref="3.1.2")
    mine.owners.first().__class__.objects.filter(pk=mine.owners.first().pk).update(user=owen_action_owner)
    theirs = Action.objects.get(ref="1.6")
    client.force_login(owen_action_owner)
    assert client.get(reverse("plans:action_edit", args=["demo", mine.pk])).status_code == 200
    assert client.get(reverse("plans:action_edit", args=["demo", theirs.pk])).status_code == 403


def test_a_board_member_reads_but_cannot_update_or_add_notes(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    action = Action.objects.get(ref="2.1")
    page = client.get(action.get_absolute_url())
    assert page.status_code == 200
    assert b"Update status, RAG and progress" not in page.content
    assert client.get(reverse("plans:action_edit", args=["demo", action.pk])).status_code == 403
    response = client.post(reverse("plans:note_add", args=["demo", action.pk]), {"date": "2020-02-01", "text": "x"})
    assert response.status_code == 403
