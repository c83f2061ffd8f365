"""Local measures and scorecard groups travel in the programme JSON and come back exactly."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import call_command

from oversight.performance.models import LocalMeasure, ScorecardEntry, ScorecardGroup
from oversight.plans.exporters import export_json
from oversight.plans.importers import import_plan
from oversight.plans.importers.draft import DraftProgramme, DraftTheme, PlanImportError
from oversight.plans.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    from oversight.plans.importers import build_programme

    prog = build_programme(DraftProgramme(slug="torbay", name="Torbay", themes=[
        DraftTheme("Leadership, management and governance"), DraftTheme("A sufficient and skilled workforce")]))
    vacancies = LocalMeasure.objects.create(programme=prog, code="qsw-vacancies", ref="1.2.1",
                                            name="% Vacancies (QSW roles only)", unit="percent", polarity="lower",
                                            period_type="snapshot", source="HR")
    vacancies.values.create(month="2019-10-01", value=34.5)
    vacancies.values.create(month="2019-11-01", numerator=38, denominator=100)
    missing = LocalMeasure.objects.create(programme=prog, code="lac-missing", name="Number of LAC who went missing",
                                          unit="count", polarity="lower", period_type="ytd")
    for month, v in (("2019-08-01", 7), ("2019-09-01", 5)):
        missing.values.create(month=month, value=v)
    g1 = ScorecardGroup.objects.create(programme=prog, title="Services for children at risk of … missing", order=1,
                                       theme=prog.themes.get(title="Leadership, management and governance"))
    ScorecardEntry.objects.create(group=g1, indicator="local-lac-missing", order=1)
    ScorecardEntry.objects.create(group=g1, indicator="cla_missing_pct", order=2)
    g2 = ScorecardGroup.objects.create(programme=prog, title="Workforce Strategy", order=2,
                                       theme=prog.themes.get(title="A sufficient and skilled workforce"))
    ScorecardEntry.objects.create(group=g2, indicator="local-qsw-vacancies", order=1)
    return prog


def test_the_export_carries_local_measures_with_their_values_and_the_scorecard_groups(plan):
    data = export_json(plan)
    vac = {m["code"]: m for m in data["local_measures"]}["qsw-vacancies"]
    assert vac["ref"] == "1.2.1" and vac["unit"] == "percent" and vac["polarity"] == "lower"
    assert vac["period_type"] == "snapshot" and vac["source"] == "HR" and vac["group"] == "Workforce Strategy"
    assert vac["values"] == [{"month": "2019-10", "numerator": None, "denominator": None, "value": 34.5},
                             {"month": "2019-11", "numerator": 38, "denominator": 100, "value": 38.0}]
    assert data["scorecard_groups"][0] == {
        "title": "Services for children at risk of … missing", "order": 1,
        "theme": "Leadership, management and governance", "entries": ["local-lac-missing", "cla_missing_pct"]}


def test_a_json_export_imported_into_an_empty_database_gives_back_the_same_measures_and_groups(plan, tmp_path):
    first = export_json(plan)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(first))
    Programme.objects.all().delete()
    assert not LocalMeasure.objects.exists() and not ScorecardGroup.objects.exists()
    call_command("plan", "import", str(path), "--programme", "torbay", stdout=io.StringIO(), stderr=io.StringIO())
    again = export_json(Programme.objects.get(slug="torbay"))
    assert again["local_measures"] == first["local_measures"]
    assert again["scorecard_groups"] == first["scorecard_groups"]


def _bad(first: dict, change) -> dict:
    data = copy.deepcopy(first)
    change(data)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["local_measures"][0]["values"][0].update(denominator=-2),
     "plan.json: local_measures[0].values[0].denominator: expected a whole number ≥ 0, found -2"),
    (lambda d: d["local_measures"][1].update(unit="furlongs"),
     "plan.json: local_measures[1].unit: expected one of percent, count, days, number, found 'furlongs'"),
    (lambda d: d["local_measures"][1]["values"][0].update(month="Oct 2019"),
     "plan.json: local_measures[1].values[0].month: expected a month as YYYY-MM, found 'Oct 2019'"),
    (lambda d: d["local_measures"][1]["values"][1].update(numerator=101),
     "plan.json: local_measures[1].values[1].numerator: the numerator (101) cannot exceed the denominator (100)"),
    (lambda d: d["scorecard_groups"][1]["entries"].append("local-nothing"),
     "plan.json: scorecard_groups[1].entries[1]: expected a catalogue indicator id or the id of a local measure"),
    (lambda d: d["scorecard_groups"][0].update(theme="No such theme"),
     "plan.json: scorecard_groups[0].theme: expected the title of one of the programme's themes"),
])
def test_a_bad_value_is_refused_with_its_path_and_nothing_is_written(plan, tmp_path, change, message):
    first = export_json(plan)
    Programme.objects.all().delete()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_bad(first, change)))
    with pytest.raises(PlanImportError) as e:
        import_plan(path, "torbay")
    assert message in str(e.value)
    assert not Programme.objects.exists() and not LocalMeasure.objects.exists()
