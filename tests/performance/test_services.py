"""Aggregates stored per indicator × month × breakdown, and the scorecard built around them."""

from __future__ import annotations

import datetime as dt

from oversight.performance import services
from oversight.performance.models import Benchmark, IndicatorValue, Target

JAN = dt.date(2020, 1, 1)


def test_computing_a_dataset_stores_overall_team_and_worker_figures_with_numerator_and_denominator(run):
    v = IndicatorValue.objects.get(run=run, indicator="assessments_45wd_pct", month=JAN, breakdown="overall")
    assert (v.numerator, v.denominator, v.value) == (2, 3, 66.7)
    team1 = IndicatorValue.objects.get(run=run, indicator="assessments_45wd_pct", month=JAN, breakdown="team",
                                       breakdown_value="Assessment Team 1")
    assert (team1.numerator, team1.denominator, team1.value) == (1, 2, 50.0)
    ann = IndicatorValue.objects.get(run=run, indicator="assessments_45wd_pct", month=JAN, breakdown="worker",
                                     breakdown_value="Ann Worker")
    assert ann.value == 50.0
    assert run.data_quality["assessments_45wd_pct"] == {"rows_excluded": 1}
    assert run.as_at == dt.date(2020, 1, 31)


def test_an_indicator_whose_list_is_missing_is_stored_as_unavailable_not_zero(run):
    v = IndicatorValue.objects.get(run=run, indicator="contacts", month=JAN, breakdown="overall")
    assert v.value is None
    assert "not in the dataset" in run.data_quality["contacts"]["unavailable"]


def test_the_scorecard_row_carries_target_rag_direction_spc_and_benchmarks(run):
    Target.objects.create(indicator="assessments_45wd_pct", minimum=60, upper=80)
    Benchmark.objects.create(indicator="assessments_45wd_pct", time_period="201819", year=2019,
                             level="national", area_name="England", value=83.1)
    row = next(r for g in services.scorecard(run) for r in g.rows if r.indicator.id == "assessments_45wd_pct")
    assert row.current["value"] == 66.7
    assert row.rag == "amber"
    assert (row.direction.arrow, row.direction.judgement) == ("up", "improving")  # 0.0% in Dec -> 66.7%
    assert row.benchmark_cells[0] == "83.1% (201819)"
    assert row.target_texts == ("60.0%", "80.0%")
    assert row.spc.variation == "insufficient_data"  # two known months only


def test_the_scorecard_groups_rows_by_theme_in_catalogue_order(run):
    groups = services.scorecard(run)
    assert [g.name for g in groups] == ["Front door", "Assessment", "Child protection process",
                                        "Children in care and placement stability", "Care leavers", "Adoption"]
    assert sum(len(g.rows) for g in groups) == 35


def test_a_dated_target_applies_until_its_date_then_the_next(run):
    Target.objects.create(indicator="assessments_45wd_pct", minimum=50, upper=60, due=dt.date(2019, 12, 31),
                          label="By Dec 2019")
    Target.objects.create(indicator="assessments_45wd_pct", minimum=70, upper=90, due=dt.date(2020, 7, 31),
                          label="By Jul 2020")
    row = next(r for g in services.scorecard(run) for r in g.rows if r.indicator.id == "assessments_45wd_pct")
    assert row.target.label == "By Jul 2020"
    assert row.rag == "red"


def test_extract_indicators_build_their_trend_from_earlier_runs(run, dataset):
    later = services.store_result({"as_at": "2020-02-29", "calendar": "", "settings": {}, "indicators": [
        {"id": "cla_missing_pct", "data_quality": {"rows_excluded": 0},
         "series": [{"month": "2020-02", "numerator": 1, "denominator": 4, "value": 25.0}]}]})
    earlier = services.store_result({"as_at": "2020-01-31", "calendar": "", "settings": {}, "indicators": [
        {"id": "cla_missing_pct", "data_quality": {"rows_excluded": 0},
         "series": [{"month": "2020-01", "numerator": 1, "denominator": 2, "value": 50.0}]}]})
    assert earlier.pk and later.pk
    row = next(r for g in services.scorecard(later) for r in g.rows if r.indicator.id == "cla_missing_pct")
    assert row.values[-2:] == [50.0, 25.0]


def test_target_changes_are_kept_in_history(db):
    t = Target.objects.create(indicator="cla_missing_pct", minimum=5, upper=10)
    t.upper = 8
    t.save()
    assert [h.upper for h in t.history.order_by("history_date")] == [10, 8]
