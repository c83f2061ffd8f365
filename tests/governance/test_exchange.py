"""Governance travels in the programme JSON and comes back whole into an empty database; bad values are refused."""

from __future__ import annotations

import copy
import json

import pytest

from oversight.governance.models import Board, Finding, Meeting, Project, Visit
from oversight.plans.exporters import export_json
from oversight.plans.importers import import_plan
from oversight.plans.importers.draft import PlanImportError
from oversight.plans.models import Programme

pytestmark = pytest.mark.django_db
KEYS = ("boards", "meetings", "visits", "work_programme", "projects", "self_assessments", "statutory_plans")


def test_the_export_carries_every_part_under_the_agreed_keys(demo):
    data = export_json(demo)
    assert all(isinstance(data[k], list) and data[k] for k in KEYS)
    mv3 = next(v for v in data["visits"] if v["title"] == "Third monitoring visit")
    assert mv3["conclusion"] == "slow" and len(mv3["findings"]) == 8 and mv3["judgements"] == []
    sif = next(v for v in data["visits"] if v["kind"] == "sif")
    assert sif["judgements"] == [{"area": "overall", "grade": "inadequate"}]
    assert data["work_programme"][0]["tasks"][18] == {
        "description": "Ofsted monitoring visit", "lead": "", "cells": {"2017-11": "milestone"}, "meeting": None,
        "visit": {"title": "Fourth monitoring visit", "start": "2017-10-31"}}
    merged = next(p for p in data["projects"] if p["number"] == "5.2")
    assert (merged["state"], merged["merged_into"], merged["parent"]) == ("merged", "3.4", "5")


def test_export_then_import_into_an_empty_database_gives_the_same_governance(demo, tmp_path):
    first = export_json(Programme.objects.get(pk=demo.pk))
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    Programme.objects.all().delete()
    assert not Board.objects.exists() and not Visit.objects.exists()
    import_plan(path, "demo")
    again = export_json(Programme.objects.get(slug="demo"))
    for key in KEYS:
        assert again[key] == first[key], key
    arising = Meeting.objects.get(board__name="Children's Improvement Board", date="2020-01-09").actions_arising
    assert arising.exclude(plan_action=None).get().plan_action.recommendation.source.label == (
        "Children's Improvement Board, 9 January 2020")
    assert Finding.objects.exclude(recommendation=None).count() == 7


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["visits"][3]["judgements"].append({"area": "overall", "grade": "brilliant"}),
     "visits[3].judgements[0].grade: expected one of outstanding, good, requires_improvement, inadequate"),
    (lambda d: d["meetings"][0].update(board="No such board"), "meetings[0].board: no board 'No such board'"),
    (lambda d: d["projects"][1].update(state="merged", merged_into=None), "projects[1].merged_into: a merged"),
    (lambda d: d["work_programme"][0]["tasks"][0]["cells"].update({"2019-01": "project"}),
     "work_programme[0].tasks[0].cells.2019-01: not one of the work programme's months"),
    (lambda d: d["self_assessments"][0]["assessments"][0]["entries"][0].update(level=7),
     "self_assessments[0].assessments[0].entries[0].level: expected a whole number 1–5, found 7"),
    (lambda d: d["boards"][0].update(quorum="four"), "boards[0].quorum: expected a whole number"),
])
def test_a_bad_value_refuses_the_whole_file_naming_where_it_is(demo, tmp_path, mutate, message):
    data = copy.deepcopy(export_json(demo))
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanImportError) as e:
        import_plan(path, "copy")
    assert message in str(e.value) and str(e.value).startswith("bad.json: ")
    assert not Programme.objects.filter(slug="copy").exists()
    assert Project.objects.filter(programme=demo).count() == 37
