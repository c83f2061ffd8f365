"""The reporting calendar: which pack is due for which meeting, and by when it must be approved and published.

Worked examples: papers are published five clear working days before the meeting (Local Government
Act 1972 s.100B; neither the day of publication nor the day of the meeting counts, nor weekends or
bank holidays) and approved two working days before publication. The demo is as at 31 January 2020.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from oversight.engine.calendar import WorkingDayCalendar
from oversight.governance.deadlines import due_dates, publication_date, working_days_before
from oversight.governance.models import Board, Meeting, PackForMeeting, Paper, ReminderLog, ReportingRule
from oversight.plans.exporters import export_json
from oversight.plans.importers import import_plan
from oversight.plans.importers.draft import PlanImportError
from oversight.plans.models import Programme
from oversight.reports.models import BoardPack

D = dt.date


# ------------------------------------------------------------------------------ the arithmetic
def test_a_meeting_on_thursday_12_march_2020_needs_papers_published_by_4_march_and_approved_by_2_march():
    assert due_dates(D(2020, 3, 12)) == (D(2020, 3, 2), D(2020, 3, 4))


def test_seed_000s_decision_group_of_monday_9_october_2017_had_its_papers_out_on_friday_29_september():
    # 2, 3, 4, 5 and 6 October are the five clear days; the weekend before the meeting does not count.
    assert publication_date(D(2017, 10, 9)) == D(2017, 9, 29)


def test_christmas_and_new_year_do_not_count_so_the_9_january_2020_board_needs_approval_by_27_december():
    # Clear days 2, 3, 6, 7, 8 January (1 January is a bank holiday): publish by 31 December; approve
    # two working days before, skipping 28–29 December (weekend) and 25–26 (bank holidays): 27 December.
    assert due_dates(D(2020, 1, 9)) == (D(2019, 12, 27), D(2019, 12, 31))


def test_a_board_asking_for_ten_clear_days_and_approval_three_days_ahead_moves_both_dates():
    # 12 March 2020: clear days back to 27 February → publish Wednesday 26 February; approve 21 February.
    assert due_dates(D(2020, 3, 12), 10, 3) == (D(2020, 2, 21), D(2020, 2, 26))


def test_a_council_closure_day_is_not_a_working_day_either():
    cal = WorkingDayCalendar(extra_holidays=frozenset({D(2020, 3, 5)}))
    assert due_dates(D(2020, 3, 12), cal=cal) == (D(2020, 2, 28), D(2020, 3, 3))


def test_counting_back_from_a_sunday_starts_from_the_friday_before():
    assert working_days_before(D(2020, 3, 8), 0) == D(2020, 3, 6)
    assert working_days_before(D(2020, 3, 8), 1) == D(2020, 3, 5)


# ------------------------------------------------------------------------------ the page
def _calendar(client, user, **params):
    client.force_login(user)
    return client.get(reverse("governance:calendar_json", args=["demo"]), params).json()


@pytest.mark.django_db
def test_the_demo_calendar_as_at_january_2020_shows_the_february_draft_and_the_march_pack_not_started(
        client, demo, bob_board_member):
    data = _calendar(client, bob_board_member)
    assert data["period"] == "January 2020" and data["as_at"] == "2020-01-31"
    feb, mar = data["upcoming"]
    assert feb["meeting"]["label"] == "Children's Improvement Board, 13 February 2020"
    assert feb["report_titles"] == ["Highlight report", "Risk register", "Improvement action tracker"]
    assert (feb["approve_by"], feb["publish_by"]) == ("2020-02-03", "2020-02-05")
    assert feb["approve_by_long"] == "Monday 3 February 2020"
    assert (feb["state"], feb["status"], feb["late"]) == ("draft", "draft", False)
    assert feb["pack"]["linked"] and feb["pack"]["version"] == 1
    assert (mar["approve_by"], mar["publish_by"], mar["state"]) == ("2020-03-02", "2020-03-04", "not_started")
    assert data["next_due"]["meeting"]["date"] == "2020-02-13"


@pytest.mark.django_db
def test_past_meetings_whose_papers_were_recorded_as_issued_on_time_count_as_issued(client, demo, bob_board_member):
    recent = _calendar(client, bob_board_member)["recent"]
    assert [r["meeting"]["date"] for r in recent] == ["2019-12-12", "2020-01-09"]
    jan = recent[1]
    assert (jan["state"], jan["paper_issued_on"], jan["publish_by"], jan["issued_late"]) == (
        "issued", "2019-12-31", "2019-12-31", False)


@pytest.mark.django_db
def test_a_pack_not_approved_by_its_approval_date_is_late_in_words_as_well_as_colour(
        client, demo, bob_board_member):
    board = Board.objects.get(programme=demo, name="Children's Improvement Board")
    # Wednesday 5 February 2020: publish by Tuesday 28 January, approve by Friday 24 January.
    Meeting.objects.create(board=board, date=D(2020, 2, 5), location="Town Hall")
    data = _calendar(client, bob_board_member)
    extra = data["upcoming"][0]
    assert (extra["approve_by"], extra["publish_by"]) == ("2020-01-24", "2020-01-28")
    assert extra["status"] == "late" and extra["state"] == "not_started" and data["late"] == 1
    assert extra["status_label"] == "Late: not started; it was to be approved by Friday 24 January 2020"
    page = client.get(reverse("governance:calendar", args=["demo"])).content.decode()
    assert "Late: not started; it was to be approved by Friday 24 January 2020</strong>" in page
    assert '<th scope="col">Approve by</th>' in page


@pytest.mark.django_db
def test_an_earlier_period_judges_the_same_meetings_as_they_stood_then(client, demo, bob_board_member):
    data = _calendar(client, bob_board_member, period="2019-12-15")
    assert data["as_at"] == "2019-12-31"
    jan = next(r for r in data["upcoming"] if r["meeting"]["date"] == "2020-01-09")
    assert jan["state"] == "issued"  # published on 31 December, the as-at itself
    assert [r["meeting"]["date"] for r in data["recent"]] == ["2019-11-14", "2019-12-12"]


@pytest.mark.django_db
def test_a_pack_whose_meeting_date_is_the_meetings_date_counts_without_a_link(client, demo,
                                                                               priya_programme_manager):
    march = BoardPack.objects.create(programme=demo, period_end=D(2020, 2, 29), version=9, title="February pack",
                                     meeting_date=D(2020, 3, 12), state="approved")
    mar = _calendar(client, priya_programme_manager)["upcoming"][1]
    assert mar["pack"] == {"id": march.pk, "version": 9, "title": "February pack", "state": "approved",
                           "url": march.get_absolute_url(), "linked": False}
    assert mar["state_label"] == "Approved"


@pytest.mark.django_db
def test_a_board_member_sees_a_draft_packs_version_and_state_but_not_its_title_or_address(
        client, demo, bob_board_member):
    data = _calendar(client, bob_board_member)
    feb = data["upcoming"][0]
    assert feb["state"] == "draft" and feb["pack"]["version"] == 1
    assert "title" not in feb["pack"] and "url" not in feb["pack"] and "title" not in data["next_due"]["pack"]
    home = client.get(reverse("governance:home_json", args=["demo"])).json()
    assert "url" not in home["next_pack_due"]["pack"]
    page = client.get(reverse("governance:calendar", args=["demo"])).content.decode()
    assert "/packs/" not in page and "board pack January 2020" not in page


@pytest.mark.django_db
def test_the_programme_manager_links_a_pack_to_a_meeting_and_a_board_member_cannot(
        client, demo, priya_programme_manager, bob_board_member):
    pack = BoardPack.objects.create(programme=demo, period_end=D(2020, 2, 29), version=7, title="For March")
    march = Meeting.objects.get(board__programme=demo, date=D(2020, 3, 12))
    url = reverse("governance:calendar_link", args=["demo", march.pk])
    client.force_login(bob_board_member)
    assert client.post(url, {"pack": pack.pk}).status_code == 403
    assert not PackForMeeting.objects.filter(meeting=march).exists()
    client.force_login(priya_programme_manager)
    page = client.get(reverse("governance:calendar", args=["demo"])).content.decode()
    assert "Version 7: For March" in page  # the choice of packs, offered to her only
    assert client.post(url, {"pack": pack.pk}).status_code == 302
    mar = _calendar(client, priya_programme_manager)["upcoming"][1]
    assert mar["pack"]["version"] == 7 and mar["pack"]["linked"] and mar["state"] == "draft"
    client.post(url, {"pack": ""})
    assert not PackForMeeting.objects.filter(meeting=march).exists()


@pytest.mark.django_db
def test_a_pack_of_another_programme_cannot_be_linked(client, demo, priya_programme_manager):
    other = Programme.objects.create(slug="other", name="Other")
    pack = BoardPack.objects.create(programme=other, period_end=D(2020, 1, 31), version=1, title="Not ours")
    march = Meeting.objects.get(board__programme=demo, date=D(2020, 3, 12))
    client.force_login(priya_programme_manager)
    client.post(reverse("governance:calendar_link", args=["demo", march.pk]), {"pack": pack.pk})
    assert not PackForMeeting.objects.filter(meeting=march).exists()


@pytest.mark.django_db
def test_the_programme_manager_sets_what_a_board_expects_and_the_dates_follow(
        client, demo, priya_programme_manager, bob_board_member):
    board = Board.objects.get(programme=demo, name="Children's Improvement Board")
    url = reverse("governance:calendar_rule", args=["demo", board.pk])
    client.force_login(bob_board_member)
    assert client.get(url).status_code == 403
    client.force_login(priya_programme_manager)
    form = client.get(url).content.decode()
    assert "<legend>Reports the board expects at each meeting</legend>" in form
    assert 'value="tracker"' in form and "checked" in form
    assert client.post(url, {"reports": [], "publish_clear_days": 5, "approve_days_before": 2}).status_code == 200
    r = client.post(url, {"reports": ["highlight", "report-card"], "publish_clear_days": 10, "approve_days_before": 3})
    assert r.status_code == 302
    rule = ReportingRule.objects.get(board=board)
    assert (rule.reports, rule.publish_clear_days, rule.approve_days_before) == (["highlight", "report-card"], 10, 3)
    mar = _calendar(client, priya_programme_manager)["upcoming"][1]
    assert (mar["approve_by"], mar["publish_by"]) == ("2020-02-21", "2020-02-26")
    assert mar["report_titles"] == ["Highlight report", "Report card"]


@pytest.mark.django_db
def test_a_board_without_its_own_settings_gets_its_kinds_defaults(client, demo, bob_board_member):
    Board.objects.create(programme=demo, name="Cabinet", kind="cabinet")
    boards = {b["name"]: b for b in _calendar(client, bob_board_member)["boards"]}
    assert boards["Cabinet"]["report_titles"] == ["Committee cover report"] and not boards["Cabinet"]["own_rule"]
    assert (boards["Cabinet"]["publish_clear_days"], boards["Cabinet"]["approve_days_before"]) == (5, 2)


@pytest.mark.django_db
def test_the_governance_home_shows_the_next_pack_due(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    home = client.get(reverse("governance:home_json", args=["demo"])).json()
    assert home["next_pack_due"]["meeting"]["date"] == "2020-02-13"
    page = client.get(reverse("governance:home", args=["demo"])).content.decode()
    assert "Next pack due" in page and "Monday 3 February 2020" in page


@pytest.mark.django_db
def test_my_actions_shows_the_programme_manager_the_next_pack_due(client, demo, priya_programme_manager,
                                                                  bob_board_member):
    demo.people.filter(initials="PM").update(user=priya_programme_manager)
    client.force_login(priya_programme_manager)
    (due,) = client.get(reverse("governance:my_actions_json")).json()["packs_due"]
    assert (due["programme"], due["approve_by"]) == ("demo", "2020-02-03")
    assert "Board packs due" in client.get(reverse("governance:my_actions")).content.decode()
    client.force_login(bob_board_member)
    assert client.get(reverse("governance:my_actions_json")).json()["packs_due"] == []


# ------------------------------------------------------------------------------ reminders
@pytest.mark.django_db
def test_remind_tells_the_programme_manager_the_february_pack_must_be_approved_by_3_february_once_a_day(
        demo, priya_programme_manager):
    priya_programme_manager.email = "priya@example.org"
    priya_programme_manager.save()
    demo.people.filter(initials="PM").update(user=priya_programme_manager)
    out = io.StringIO()
    call_command("remind", "--programme", "demo", "--date", "2020-01-31", stdout=out)
    assert "1 board pack reminder(s) sent" in out.getvalue()
    (pack_mail,) = [m for m in mail.outbox if "board pack" in m.subject]
    assert pack_mail.to == ["priya@example.org"]
    assert "Children's Improvement Board, 13 February 2020" in pack_mail.body
    assert "approve by Monday 3 February 2020 (3 days)" in pack_mail.body and "now: draft" in pack_mail.body
    assert "12 March 2020" not in pack_mail.body  # due 2 March: more than 5 days away
    again = io.StringIO()
    call_command("remind", "--programme", "demo", "--date", "2020-01-31", stdout=again)
    assert "board pack reminder" not in again.getvalue()
    assert ReminderLog.objects.filter(kind="pack").count() == 1


@pytest.mark.django_db
def test_an_approved_pack_is_not_reminded_of(demo, priya_programme_manager):
    priya_programme_manager.email = "priya@example.org"
    priya_programme_manager.save()
    demo.people.filter(initials="PM").update(user=priya_programme_manager)
    BoardPack.objects.filter(programme=demo).update(state="approved")
    call_command("remind", "--programme", "demo", "--date", "2020-01-31", stdout=io.StringIO())
    assert not [m for m in mail.outbox if "board pack" in m.subject]


# ------------------------------------------------------------------------------ programme JSON
@pytest.mark.django_db
def test_the_calendar_settings_travel_in_the_programme_json_and_come_back_into_an_empty_database(demo, tmp_path):
    first = export_json(Programme.objects.get(pk=demo.pk))
    assert first["reporting_calendar"] == [
        {"board": "Children's Improvement Board", "reports": ["highlight", "risks", "tracker"],
         "publish_clear_days": 5, "approve_days_before": 2},
        {"board": "Policy Development and Decision Group (Joint Commissioning Team)", "reports": ["committee"],
         "publish_clear_days": 5, "approve_days_before": 2}]
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    Programme.objects.all().delete()
    assert not ReportingRule.objects.exists()
    import_plan(path, "demo")
    assert export_json(Programme.objects.get(slug="demo"))["reporting_calendar"] == first["reporting_calendar"]


@pytest.mark.django_db
@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["reporting_calendar"][0].update(reports=["minutes"]),
     "reporting_calendar[0].reports[0]: expected one of highlight, report-card, tracker, committee, risks"),
    (lambda d: d["reporting_calendar"][1].update(publish_clear_days=-1),
     "reporting_calendar[1].publish_clear_days: expected a whole number 0–60, found -1"),
    (lambda d: d["reporting_calendar"][0].update(board="Nobody"), "reporting_calendar[0].board: no board 'Nobody'"),
])
def test_a_bad_calendar_setting_refuses_the_whole_file(demo, tmp_path, mutate, message):
    data = copy.deepcopy(export_json(demo))
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanImportError) as e:
        import_plan(path, "copy")
    assert message in str(e.value) and str(e.value).startswith("bad.json: ")
    assert not Programme.objects.filter(slug="copy").exists()


@pytest.mark.django_db
def test_the_demo_papers_went_out_on_the_calendars_publication_date(demo):
    oct10 = Paper.objects.get(meeting__board__programme=demo, meeting__date=D(2019, 10, 10))
    assert oct10.issued_on == D(2019, 10, 2)  # Thursday 10 October: clear days 3, 4, 7, 8, 9 October
    assert not Paper.objects.filter(meeting__board__programme=demo, meeting__date__gt=D(2020, 1, 31)).exists()
