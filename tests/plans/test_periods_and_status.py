"""Reporting periods, overall status, theme overviews and budget, as seed 001 shows them for January 2020."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from oversight.plans import periods, status
from oversight.plans.demo import build_demo_programme
from oversight.plans.models import Action, BudgetLine, RagRating, StatusReport, Theme, ThemeOverview
from oversight.plans.queries import rag_quarters

pytestmark = pytest.mark.django_db

JANUARY = dt.date(2020, 1, 31)


@pytest.fixture
def demo(roles):
    return build_demo_programme()


def _refs(blocks) -> set[str]:
    return {a["ref"] for b in blocks for r in b["recommendations"] for a in r["actions"]}


# -- periods --------------------------------------------------------------------------------------

def test_a_page_with_no_period_shows_the_demos_january_2020_not_today(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    data = client.get(reverse("plans:programme_json", args=["demo"])).json()
    assert data["period"] == {"as_at": "2020-01-31", "label": "January 2020", "current": True}
    page = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "January 2020 (as at 31 January 2020), the current period" in page
    tracker = client.get(reverse("plans:tracker_json", args=["demo"])).json()
    assert tracker["as_at"] == "2020-01-31"


def test_overdue_is_counted_against_the_periods_as_at_not_today(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    url = reverse("plans:tracker_json", args=["demo"])
    # 3.1.1 is due "March 2020": not overdue as at January 2020, overdue as at April 2020.
    january = _refs(client.get(url, {"overdue": "1"}).json()["outstanding"])
    april = _refs(client.get(url, {"overdue": "1", "period": "2020-04-30"}).json()["outstanding"])
    assert "3.1.1" not in january and "3.1.1" in april
    assert "3.1.3" in january  # due Dec 2019, not started
    action = Action.objects.get(ref="3.1.1")
    assert not action.is_overdue(JANUARY) and action.is_overdue(dt.date(2020, 4, 30))
    counts = client.get(reverse("plans:programme_json", args=["demo"])).json()["totals"]
    later = client.get(reverse("plans:programme_json", args=["demo"]), {"period": "2020-04-30"}).json()["totals"]
    assert later["overdue"] > counts["overdue"]


def test_an_action_whose_when_gave_no_date_is_listed_as_no_date_read(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    action = Action.objects.get(ref="2.1")  # When? "Phase 2", status Review
    assert action.due is None and action.no_date_read
    data = client.get(reverse("plans:programme_json", args=["demo"])).json()
    listed = {a["ref"] for a in data["no_date_read"]}
    assert {"2.1", "1.1.3", "2.7.1"} <= listed
    assert data["totals"]["no_date"] == len(listed)
    page = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "Actions with no date read" in page
    detail = client.get(action.get_absolute_url()).content.decode()
    assert "No date read" in detail


def test_the_picker_keeps_the_chosen_period_in_the_pages_links(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    page = client.get(reverse("plans:programme", args=["demo"]), {"period": "2019-12-31"}).content.decode()
    assert '<option value="2019-12-31" selected>' in page
    assert "December 2019" in page
    assert f'href="{reverse("plans:tracker", args=["demo"])}?period=2019-12-31"' in page
    assert f'href="{reverse("plans:tracker", args=["demo"])}?period=2019-12-31&amp;overdue=1"' in page
    theme = Theme.objects.get(programme=demo, order=1)
    assert f'{reverse("plans:theme", args=["demo", theme.pk])}?period=2019-12-31' in page
    tracker = client.get(reverse("plans:tracker", args=["demo"]), {"period": "2019-12-31"}).content.decode()
    action = Action.objects.get(ref="3.1.1")
    assert f'{action.get_absolute_url()}?period=2019-12-31' in tracker
    # the current period's links stay clean, so a bookmark follows the programme's current period
    current = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "?period=" not in current.split('id="period-picker"')[1]


def test_the_history_offers_the_current_period_and_earlier_ones_never_later():
    class Prog:
        reporting_cycle, current_as_at, period_start = "monthly", JANUARY, dt.date(2019, 10, 1)

    offered = [p.as_at for p in periods.history(Prog())]
    assert offered == [JANUARY, dt.date(2019, 12, 31), dt.date(2019, 11, 30), dt.date(2019, 10, 31)]


def test_rag_columns_are_the_four_financial_quarters_up_to_the_periods():
    assert periods.financial_quarter(JANUARY) == (2019, 4)
    assert rag_quarters((2019, 4)) == [(2019, 1), (2019, 2), (2019, 3), (2019, 4)]
    # a report for December 2019 shows seed 001's Q4 Q1 Q2 Q3
    assert [q for _, q in rag_quarters(periods.financial_quarter(dt.date(2019, 12, 31)))] == [4, 1, 2, 3]


def test_a_new_rag_defaults_to_the_periods_financial_quarter(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    action = Action.objects.get(ref="3.1.2")
    url = reverse("plans:action_edit", args=["demo", action.pk])
    page = client.get(url).content.decode()
    assert '<option value="2019-Q4" selected>2019/20 Q4</option>' in page
    response = client.post(url, {"version": action.version, "status": action.status, "rag_quarter": "2019-Q4",
                                 "rag": "red", "when_text": action.when_text,
                                 "success_measure": action.success_measure, "note_date": "2026-11-30",
                                 "note": "Academy launch slipped."})
    assert response.status_code == 302
    assert RagRating.objects.get(action=action, year=2019, quarter=4).rag == "red"


def test_a_programme_manager_sets_the_reporting_cycle_and_current_period(client, demo, priya_programme_manager,
                                                                      bob_board_member):
    client.force_login(priya_programme_manager)
    url = reverse("plans:settings", args=["demo"])
    response = client.post(url, {"version": demo.version, "reporting_cycle": "monthly",
                                 "current_as_at": "2020-02-14"})
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.current_as_at == dt.date(2020, 2, 29)
    stale = client.post(url, {"version": 1, "reporting_cycle": "quarterly", "current_as_at": "2020-03-31"})
    assert "Someone else saved this" in stale.content.decode()
    demo.refresh_from_db()
    assert demo.reporting_cycle == "monthly"
    client.force_login(bob_board_member)
    assert client.get(url).status_code == 403


# -- status, overviews, budget --------------------------------------------------------------------

def test_the_demo_carries_seed_001s_status_overviews_and_budget_line(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    data = client.get(reverse("plans:programme_json", args=["demo"])).json()
    assert data["status"]["rag"] == "red" and data["status"]["period"] == "2020-01-31"
    assert data["status"]["narrative"].startswith("The improvement programme aims to bring our children's services")
    assert "Steve Hart" not in data["status"]["narrative"]
    assert [t["overview"]["rag"] for t in data["themes"]] == ["red", "amber", "red", "amber"]
    assert [t["title"] for t in data["themes"]] == [
        "Leadership, management and governance", "A robust model of social work practice",
        "A sufficient and skilled workforce", "Quality assurance and audit"]
    assert data["budget"] == [{"period": "2020-01-31", "name": "Programme budget", "budget": None, "actual": None,
                               "forecast": None, "variance": None, "comments": "To be updated"}]
    page = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "Overall progress narrative" in page and "To be updated" in page


def test_variance_is_forecast_minus_budget():
    line = BudgetLine(name="Programme budget", budget=Decimal("100000"), forecast=Decimal("112500"))
    assert line.variance == Decimal("12500")
    assert BudgetLine(budget=Decimal("100000")).variance is None


def test_a_budget_line_is_saved_with_its_computed_variance(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    line = demo.budget_lines.get()
    url = reverse("plans:budget_edit", args=["demo", line.pk])
    response = client.post(url, {"version": line.version, "name": "Programme budget", "budget": "100000",
                                 "actual": "40000.50", "forecast": "112500", "comments": "Agency costs."})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.budget, line.forecast, line.variance) == (Decimal("100000.00"), Decimal("112500.00"),
                                                           Decimal("12500.00"))
    data = client.get(reverse("plans:programme_json", args=["demo"])).json()
    assert data["budget"][0]["variance"] == "12500.00"
    bad = client.post(url, {"version": line.version, "name": "Programme budget", "budget": "100000.125"})
    assert "There is a problem" in bad.content.decode()


def test_a_later_period_shows_the_last_status_and_says_from_when(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    march = periods.Period(dt.date(2020, 3, 31))
    assert status.status_for(demo, march).period_end == JANUARY
    assert status.status_for(demo, periods.Period(dt.date(2019, 12, 31))) is None
    page = client.get(reverse("plans:programme", args=["demo"]), {"period": "2020-03-31"}).content.decode()
    assert "No report has been written for March 2020: this is the report for January 2020." in page


def test_the_overall_status_is_edited_with_history_and_a_stale_save_is_refused(client, demo,
                                                                             priya_programme_manager):
    client.force_login(priya_programme_manager)
    url = reverse("plans:status_edit", args=["demo"])
    report = StatusReport.objects.get(programme=demo, period_end=JANUARY)
    loaded = report.version
    first = client.post(url, {"version": loaded, "rag": "amber", "narrative": "Pace is improving."})
    assert first.status_code == 302
    second = client.post(url, {"version": loaded, "rag": "green", "narrative": "All good."})
    assert "Someone else saved this" in second.content.decode()
    report.refresh_from_db()
    assert (report.rag, report.narrative, report.author.username) == ("amber", "Pace is improving.", "priya")
    page = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "Overall status: change history" in page
    assert "rag: “red” → “amber”" in page
    assert report.history.first().history_user.username == "priya"


def test_a_new_periods_status_is_created_from_the_last_one(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    url = reverse("plans:status_edit", args=["demo"]) + "?period=2020-02-29"
    form = client.get(url).content.decode()
    assert "starts from the one for January 2020" in form
    assert client.post(url, {"version": 0, "rag": "red", "narrative": "February."}).status_code == 302
    assert StatusReport.objects.get(programme=demo, period_end=dt.date(2020, 2, 29)).narrative == "February."
    assert StatusReport.objects.get(programme=demo, period_end=JANUARY).narrative.startswith("The improvement")
    # a second editor who also started from January's report is refused: February now exists
    again = client.post(url, {"version": 0, "rag": "green", "narrative": "Mine."})
    assert "Someone else saved this" in again.content.decode()


def test_a_theme_overview_is_shown_and_edited_on_the_theme_page(client, demo, priya_programme_manager,
                                                                bob_board_member):
    theme = Theme.objects.get(programme=demo, order=3)
    client.force_login(bob_board_member)
    page = client.get(reverse("plans:theme", args=["demo", theme.pk])).content.decode()
    assert "Staff vacancy rates remain high" in page
    assert '<abbr title="2019/20 Q1">Q1</abbr>' in page
    assert client.get(reverse("plans:overview_edit", args=["demo", theme.pk])).status_code == 403
    client.force_login(priya_programme_manager)
    overview = ThemeOverview.objects.get(theme=theme, period_end=JANUARY)
    url = reverse("plans:overview_edit", args=["demo", theme.pk])
    assert client.post(url, {"version": overview.version, "rag": "amber", "narrative": "Better."}).status_code == 302
    stale = client.post(url, {"version": overview.version, "rag": "green", "narrative": "Best."})
    assert "Someone else saved this" in stale.content.decode()
    overview.refresh_from_db()
    assert (overview.rag, overview.narrative) == ("amber", "Better.")
    page = client.get(reverse("plans:theme", args=["demo", theme.pk])).content.decode()
    assert "Overview: change history" in page and "narrative:" in page
