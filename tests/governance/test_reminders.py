"""My actions and the daily reminders, counted from the programme's current period (31 January 2020)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from oversight.governance.models import ReminderLog
from oversight.plans.models import Action, Person, ProgressNote, Recommendation, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def owens_actions(plan, owen_action_owner, priya_programme_manager):
    """Five actions owned by the head of early help (Owen), seen as at 31 January 2020."""
    owen_action_owner.email = "owen@example.org"
    owen_action_owner.save()
    priya_programme_manager.email = "priya@example.org"
    priya_programme_manager.save()
    plan.people.filter(initials="PM").update(user=priya_programme_manager)
    owen = Person.objects.create(programme=plan, name="Head of Early Help", role="Head of Early Help",
                                 user=owen_action_owner)
    theme = Theme.objects.create(programme=plan, order=9, title="Early help")
    rec = Recommendation.objects.create(theme=theme, ref="9.1", text="Early help is timely")
    made = {}
    for ref, due, status, note in [
        ("9.1.1", dt.date(2019, 12, 1), "in_progress", dt.date(2020, 1, 20)),   # overdue 61 days: escalated
        ("9.1.2", dt.date(2020, 2, 10), "in_progress", dt.date(2020, 1, 25)),   # due within 14 days
        ("9.1.3", dt.date(2020, 6, 30), "in_progress", dt.date(2019, 11, 1)),   # not updated since November
        ("9.1.4", dt.date(2020, 6, 30), "in_progress", dt.date(2020, 1, 28)),   # nothing to say
        ("9.1.5", dt.date(2019, 10, 1), "completed", dt.date(2019, 10, 1)),     # done: never reminded
    ]:
        a = Action.objects.create(recommendation=rec, ref=ref, title=f"Action {ref}", due=due, status=status)
        a.owners.add(owen)
        ProgressNote.objects.create(action=a, date=note, text="Update")
        made[ref] = a
    return made


def test_owens_page_lists_overdue_due_soon_and_not_updated_with_links_to_update_each(client, owens_actions,
                                                                                    owen_action_owner):
    client.force_login(owen_action_owner)
    data = client.get(reverse("governance:my_actions_json")).json()
    (prog,) = data["programmes"]
    assert prog["as_at"] == "2020-01-31"
    assert [(i["ref"], i["days_overdue"]) for i in prog["overdue"]] == [("9.1.1", 61)]
    assert [i["ref"] for i in prog["due_soon"]] == ["9.1.2"]
    assert [i["ref"] for i in prog["not_updated"]] == ["9.1.3"]
    assert sorted(i["ref"] for i in prog["all"]) == ["9.1.1", "9.1.2", "9.1.3", "9.1.4"]
    page = client.get(reverse("governance:my_actions")).content.decode()
    assert owens_actions["9.1.1"].get_absolute_url() in page and "61 days overdue" in page


def test_the_number_of_weeks_without_an_update_is_chosen_on_the_page(client, owens_actions, owen_action_owner):
    client.force_login(owen_action_owner)
    data = client.get(reverse("governance:my_actions_json") + "?weeks=1").json()
    assert sorted(i["ref"] for i in data["programmes"][0]["not_updated"]) == ["9.1.1", "9.1.3"]  # 9.1.2: 25 Jan


def test_someone_who_owns_nothing_sees_an_empty_page(client, plan, bob_board_member):
    client.force_login(bob_board_member)
    assert client.get(reverse("governance:my_actions_json")).json()["programmes"] == []
    assert "You own no open actions" in client.get(reverse("governance:my_actions")).content.decode()


def test_remind_sends_owen_one_email_escalates_to_priya_and_never_twice_in_a_day(owens_actions):
    out = io.StringIO()
    call_command("remind", "--date", "2020-02-01", stdout=out)
    # The demo plan's eight other owners (roles with no sign-in) are counted; their overdue actions escalate.
    assert out.getvalue().strip() == ("remind 2020-02-01: 1 reminder(s) sent, 1 escalation(s) sent, "
                                      "0 already sent today, 8 owner(s) without an e-mail address")
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"owen@example.org", "priya@example.org"}
    body = by_to["owen@example.org"].body
    assert "Overdue:" in body and "9.1.1 Action 9.1.1" in body and "Due in the next 14 days:" in body
    assert "9.1.3" in body and "9.1.4" not in body and "9.1.5" not in body
    assert owens_actions["9.1.1"].get_absolute_url() in body
    assert "9.1.1" in by_to["priya@example.org"].body and "overdue by 61 days" in by_to["priya@example.org"].body
    again = io.StringIO()
    call_command("remind", "--date", "2020-02-01", stdout=again)
    assert "0 reminder(s) sent, 0 escalation(s) sent, 2 already sent today" in again.getvalue()
    assert len(mail.outbox) == 2 and ReminderLog.objects.count() == 2
    call_command("remind", "--date", "2020-02-02", stdout=io.StringIO())
    assert len(mail.outbox) == 4


def test_escalation_waits_for_the_configured_time(owens_actions):
    out = io.StringIO()
    call_command("remind", "--date", "2020-02-01", "--escalate-days", "90", stdout=out)
    assert "1 reminder(s) sent" in out.getvalue()
    assert "9.1.1" not in next(m for m in mail.outbox if m.to == ["priya@example.org"]).body


def test_an_owner_without_an_email_address_is_counted_not_failed(owens_actions, owen_action_owner):
    owen_action_owner.email = ""
    owen_action_owner.save()
    out = io.StringIO()
    call_command("remind", "--date", "2020-02-01", stdout=out)
    assert "0 reminder(s) sent, 1 escalation(s) sent, 0 already sent today, 9 owner(s) without" in out.getvalue()


def test_remind_on_an_empty_database_exits_cleanly(db):
    out = io.StringIO()
    call_command("remind", stdout=out)
    assert "0 reminder(s) sent" in out.getvalue()
