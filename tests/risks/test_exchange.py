"""The registers travel in the programme JSON and come back exactly; a bad value is refused by its path."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from oversight.plans.exporters import export_json
from oversight.plans.importers import import_plan
from oversight.plans.importers.draft import PlanImportError
from oversight.plans.models import Programme
from oversight.risks import services
from oversight.risks.models import Risk

pytestmark = pytest.mark.django_db

KEYS = ("risk_bands", "risks", "concerns", "developments")
RISK_KEYS = {"ref", "type", "description", "mitigation", "raised", "owner", "probability", "impact", "score",
             "status", "history", "indicators", "actions"}


def test_the_export_carries_each_risk_with_the_agreed_keys(demo):
    data = export_json(demo)
    first = data["risks"][0]
    assert set(first) >= RISK_KEYS
    assert (first["ref"], first["type"], first["probability"], first["impact"], first["score"]) == ("1", "risk", 4, 5,
                                                                                                     20)
    assert first["raised"] == "2020-01-01" and first["owner"] == "Director of Children's Services"
    assert first["history"] == [{"date": "2020-01-27", "probability": 4, "impact": 5, "score": 20,
                                 "note": "Scored for the highlight report to the Improvement Board",
                                 "by": "Director of Children's Services"}]
    assert "cp_visit_10wd_pct" in first["indicators"] and "2.6.1" in first["actions"]
    assert [c["ref"] for c in data["concerns"]] == ["1", "2", "3", "4"]
    assert len(data["developments"]) == 4


def test_export_import_into_an_empty_programme_and_export_again_gives_the_same_registers(demo, tmp_path):
    # Give the registers everything they can hold: a closed issue, custom bands, a target, a re-score.
    services.save_bands(demo, red_from=16, amber_from=9)
    risk = Risk.objects.get(programme=demo, ref="2")
    services.rescore(risk, user=None, version=risk.version, probability=3, impact=4,
                     assessed_on=dt.date(2020, 3, 31), note="Retention offer live")
    risk.refresh_from_db()
    services.update_risk(risk, user=None, version=risk.version, target_probability=2, target_impact=3,
                         review_on=dt.date(2020, 4, 30))
    issue = services.create_risk(demo, user=None, ref="9", kind="issue", description="Case management system "
                                 "outage", probability=2, impact=2, raised_on=dt.date(2020, 1, 6))
    services.close_risk(issue, user=None, version=issue.version, closed_on=dt.date(2020, 1, 20),
                        reason="Restored")
    first = export_json(Programme.objects.get(pk=demo.pk))
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    import_plan(path, "demo2")
    again = export_json(Programme.objects.get(slug="demo2"))
    for key in KEYS:
        assert again[key] == first[key], key
    assert Risk.objects.filter(programme__slug="demo2").count() == 9


@pytest.fixture
def exported(demo):
    return export_json(demo)


def _import_fails(tmp_path, data) -> str:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanImportError) as caught:
        import_plan(path, "demo2")
    assert not Programme.objects.filter(slug="demo2").exists()  # nothing written
    return str(caught.value)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["risks"][2].update(probability=7), "bad.json: risks[2].probability: expected a whole number 1–5, "
                                                    "found 7"),
    (lambda d: d["risks"][0].update(score=12), "risks[0].score: 12 is not probability × impact (4 × 5 = 20)"),
    (lambda d: d["risks"][1].update(owner="Nobody Known"), "risks[1].owner: no person named 'Nobody Known'"),
    (lambda d: d["risks"][0]["actions"].append("9.9.9"), "risks[0].actions[3]: no action with ref '9.9.9'"),
    (lambda d: d["risks"][3].update(raised="2020-13-01"), "risks[3].raised: expected a date as YYYY-MM-DD"),
    (lambda d: d["risks"][0].update(type="worry"), "risks[0].type: expected one of risk, issue, found 'worry'"),
    (lambda d: d["risks"][0].update(status="closed"), "risks[0].closed_on: a closed risk needs the date"),
    (lambda d: d["risks"][0]["history"][0].update(impact=0), "risks[0].history[0].impact: expected a whole number"),
    (lambda d: d["risks"][0]["indicators"].append("made_up"), "risks[0].indicators[2]: expected an indicator id"),
    (lambda d: d["concerns"][1].update(by_when="March 2020"), "concerns[1].by_when: expected a date as YYYY-MM-DD"),
    (lambda d: d["developments"][0].update(ref=""), "developments[0].ref: is missing"),
    (lambda d: d.update(risk_bands=[{"red_from": 8, "amber_from": 15}]), "risk_bands[0].amber_from: amber (15) "
                                                                         "must start below red (8)"),
])
def test_a_bad_value_is_refused_with_its_path_and_nothing_is_written(exported, tmp_path, change, message):
    data = copy.deepcopy(exported)
    data.setdefault("risk_bands", [])
    change(data)
    assert message in _import_fails(tmp_path, data)
