"""Boards, meetings, quorum and actions arising as the programme manager and the board use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.governance import services
from oversight.governance.models import ActionArising, Board, Meeting
from oversight.governance.queries import quorum
from oversight.plans.models import Action, Theme

pytestmark = pytest.mark.django_db


def test_seed_000s_decision_group_of_19_june_2017_with_two_of_seven_present_was_inquorate(demo):
    june19 = Meeting.objects.get(board__programme=demo, date=dt.date(2017, 6, 19))
    q = quorum(june19)
    assert (q["present"], q["apologies"], q["required"], q["quorate"]) == (2, 5, 3, False)
    june28 = Meeting.objects.get(board__programme=demo, date=dt.date(2017, 6, 28))
    assert quorum(june28)["quorate"] is True


def test_a_board_member_reads_the_board_and_the_meeting_and_their_json_twins_but_cannot_change_them(
        client, demo, bob_board_member):
    client.force_login(bob_board_member)
    board = Board.objects.get(programme=demo, name="Children's Improvement Board")
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Commissioner for Children&#x27;s Services (chair)" in page and "Monthly" in page
    assert "Add a meeting" not in page
    data = client.get(reverse("governance:board_json", args=["demo", board.pk])).json()
    assert data["cadence"] == "Monthly" and len(data["members"]) == 7
    assert [m["date"] for m in data["meetings"]][-1] == "2020-03-12"
    jan = Meeting.objects.get(board=board, date=dt.date(2020, 1, 9))
    meeting = client.get(reverse("governance:meeting_json", args=["demo", jan.pk])).json()
    assert meeting["label"] == "Children's Improvement Board, 9 January 2020"
    assert meeting["quorum"] == {"present": 7, "apologies": 0, "required": 4, "quorate": True}
    assert "Highlight Report" in meeting["decisions"][0]["text"]
    assert client.get(reverse("governance:add_to", args=["demo", "meeting", board.pk])).status_code == 403
    assert client.post(reverse("governance:edit", args=["demo", "board", board.pk]),
                       {"name": "Renamed"}).status_code == 403


def test_priya_adds_a_board_a_meeting_and_an_action_arising(client, plan, priya_programme_manager):
    client.force_login(priya_programme_manager)
    r = client.post(reverse("governance:add", args=["demo", "board"]),
                    {"name": "Improvement board", "kind": "improvement_board", "cadence": "Monthly", "quorum": 3})
    assert r.status_code == 302
    board = Board.objects.get(programme=plan, name="Improvement board")
    r = client.post(reverse("governance:add_to", args=["demo", "meeting", board.pk]), {"date": "2020-03-12"})
    assert r.status_code == 302
    meeting = Meeting.objects.get(board=board)
    assert meeting.label == "Improvement board, 12 March 2020"
    owner = plan.people.get(initials="HOS-CLA")
    r = client.post(reverse("governance:add_to", args=["demo", "arising", meeting.pk]),
                    {"text": "Bring the care leavers' accommodation audit to the April board", "owner": owner.pk,
                     "due": "2020-04-09", "status": "open", "order": 1})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ActionArising.objects.get(meeting=meeting).owner == owner


def test_an_action_arising_becomes_a_plan_action_whose_source_is_improvement_board_12_march_2020(
        client, plan, priya_programme_manager):
    board = Board.objects.create(programme=plan, name="Improvement board", quorum=3)
    meeting = Meeting.objects.create(board=board, date=dt.date(2020, 3, 12))
    owner = plan.people.get(initials="HOS-CLA")
    item = ActionArising.objects.create(meeting=meeting, text="Audit care leavers' accommodation", owner=owner,
                                        due=dt.date(2020, 4, 30))
    theme = Theme.objects.get(programme=plan, order=2)
    client.force_login(priya_programme_manager)
    r = client.post(reverse("governance:arising_to_plan", args=["demo", item.pk]), {"theme": theme.pk})
    assert r.status_code == 302
    item.refresh_from_db()
    action = item.plan_action
    assert action.title == "Audit care leavers' accommodation" and action.due == dt.date(2020, 4, 30)
    assert action.recommendation.source.label == "Improvement board, 12 March 2020"
    assert action.recommendation.theme == theme and list(action.owners.all()) == [owner]
    # A second press does not make a second action.
    client.post(reverse("governance:arising_to_plan", args=["demo", item.pk]), {"theme": theme.pk})
    assert Action.objects.filter(title="Audit care leavers' accommodation").count() == 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page


def test_an_action_owner_cannot_turn_an_action_arising_into_a_plan_action(client, demo, owen_action_owner):
    item = ActionArising.objects.filter(meeting__board__programme=demo, plan_action=None).first()
    client.force_login(owen_action_owner)
    theme = Theme.objects.filter(programme=demo).first()
    assert client.post(reverse("governance:arising_to_plan", args=["demo", item.pk]),
                       {"theme": theme.pk}).status_code == 403


def test_a_change_saved_from_a_stale_form_is_refused_and_nothing_is_overwritten(client, plan, priya_programme_manager):
    board = Board.objects.create(programme=plan, name="Improvement board", cadence="Monthly")
    client.force_login(priya_programme_manager)
    url = reverse("governance:edit", args=["demo", "board", board.pk])
    first = {"name": "Improvement board", "kind": "improvement_board", "cadence": "Six-weekly", "quorum": 3,
             "version": 1}
    assert client.post(url, first).status_code == 302
    stale = dict(first, cadence="Quarterly")
    r = client.post(url, stale)
    assert r.status_code == 200 and "Someone else changed this" in r.content.decode()
    board.refresh_from_db()
    assert (board.cadence, board.version) == ("Six-weekly", 2)


def test_finding_and_arising_conversions_refuse_a_theme_of_another_programme(plan):
    from oversight.plans.models import Programme
    other = Programme.objects.create(slug="other", name="Other")
    theme = Theme.objects.create(programme=other, title="Elsewhere")
    board = Board.objects.create(programme=plan, name="Improvement board")
    item = ActionArising.objects.create(meeting=Meeting.objects.create(board=board, date=dt.date(2020, 3, 12)),
                                        text="x")
    with pytest.raises(ValueError):
        services.arising_to_action(item, theme)
