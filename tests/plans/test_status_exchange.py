"""The programme JSON carries the reporting period, overall status, theme overviews and budget, exactly."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from oversight.plans.demo import build_demo_programme
from oversight.plans.exporters import export_json
from oversight.plans.importers.draft import PlanImportError
from oversight.plans.models import BudgetLine, Programme, StatusReport, ThemeOverview

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(roles):
    prog = build_demo_programme()
    line = prog.budget_lines.get()
    line.budget, line.actual, line.forecast = Decimal("100000"), Decimal("40000.50"), Decimal("112500")
    line.save()
    BudgetLine.objects.create(programme=prog, period_end=dt.date(2020, 1, 31), order=2, name="Learning Academy",
                              budget=Decimal("25000"), comments="Set-up costs")
    return prog


def _export_to(path, slug="demo") -> dict:
    call_command("plan", "export", "--programme", slug, "--format", "json", "-o", str(path), stdout=io.StringIO())
    return json.loads(path.read_text())


def _import(path, slug="demo") -> None:
    call_command("plan", "import", str(path), "--programme", slug, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_export_carries_the_period_status_overviews_and_budget(demo, tmp_path):
    data = _export_to(tmp_path / "plan.json")
    assert (data["programme"]["reporting_cycle"], data["programme"]["current_as_at"]) == ("monthly", "2020-01-31")
    assert data["status_reports"][0]["period"] == "2020-01-31"
    assert data["status_reports"][0]["rag"] == "red"
    assert data["status_reports"][0]["author"] == "Improvement Programme Manager"
    assert [(o["theme"], o["rag"]) for o in data["theme_overviews"]] == [
        ("Leadership, management and governance", "red"), ("A robust model of social work practice", "amber"),
        ("A sufficient and skilled workforce", "red"), ("Quality assurance and audit", "amber")]
    assert data["budget"][0] == {"period": "2020-01-31", "name": "Programme budget", "budget": "100000.00",
                                 "actual": "40000.50", "forecast": "112500.00", "variance": "12500.00",
                                 "comments": "To be updated"}


def test_a_json_export_imported_into_an_empty_database_restores_them_exactly(demo, tmp_path):
    first = _export_to(tmp_path / "plan.json")
    Programme.objects.all().delete()
    assert not StatusReport.objects.exists() and not ThemeOverview.objects.exists()
    _import(tmp_path / "plan.json")
    prog = Programme.objects.get(slug="demo")
    assert prog.current_as_at == dt.date(2020, 1, 31)
    assert export_json(prog) == first


def _bad(tmp_path, change) -> str:
    data = _export_to(tmp_path / "plan.json")
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    Programme.objects.all().delete()
    with pytest.raises((PlanImportError, CommandError)) as err:  # the command reports the importer's error
        _import(path)
    assert not Programme.objects.exists()  # nothing written: the plan and its sections are one transaction
    return str(err.value)


def test_an_unknown_period_is_refused_with_its_path(demo, tmp_path):
    def change(d):
        d["status_reports"][0]["period"] = "January 2020"
    assert "bad.json: status_reports[0].period: expected a reporting period" in _bad(tmp_path, change)


def test_a_purple_rag_is_refused_with_its_path(demo, tmp_path):
    def change(d):
        d["theme_overviews"][2]["rag"] = "purple"
    assert "theme_overviews[2].rag: expected red, amber, green or null, found 'purple'" in _bad(tmp_path, change)


def test_money_with_three_decimals_is_refused_with_its_path(demo, tmp_path):
    def change(d):
        d["budget"][0]["forecast"] = "112500.125"
    assert "budget[0].forecast: expected pounds and pence" in _bad(tmp_path, change)


def test_a_variance_that_disagrees_with_forecast_minus_budget_is_refused(demo, tmp_path):
    def change(d):
        d["budget"][0]["variance"] = "10000.00"
    message = _bad(tmp_path, change)
    assert "budget[0].variance: the variance is worked out as forecast − budget (12500.00)" in message


def test_an_overview_of_a_theme_the_plan_does_not_have_is_refused(demo, tmp_path):
    def change(d):
        d["theme_overviews"][0]["theme"] = "Theme five"
    assert "theme_overviews[0].theme: no theme of this plan is called 'Theme five'" in _bad(tmp_path, change)


def test_an_unknown_reporting_cycle_is_refused(demo, tmp_path):
    def change(d):
        d["programme"]["reporting_cycle"] = "fortnightly"
    assert "programme.reporting_cycle" in _bad(tmp_path, change)
