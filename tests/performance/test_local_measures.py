"""Local measures: defined in the app, entered month by month, then treated as any catalogue indicator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.performance import services
from oversight.performance.local import as_indicator, check_value, computed_value, store_value
from oversight.performance.models import Benchmark, Commentary, EvidenceLink, LocalMeasure, LocalMeasureValue, Target
from oversight.plans.periods import Period

JAN_2020 = Period(dt.date(2020, 1, 31), is_current=True)


def test_seven_of_twenty_is_thirty_five_point_zero_percent():
    assert computed_value("percent", 7, 20, None) == 35.0


def test_a_percentage_rounds_half_up_to_one_place_as_the_catalogue_does():
    assert computed_value("percent", 1, 8, None) == 12.5
    assert computed_value("percent", 2, 3, None) == 66.7


def test_an_average_in_days_is_total_days_over_the_number():
    assert computed_value("days", 465, 5, None) == 93.0


def test_a_count_is_its_value_and_a_rate_with_no_parts_keeps_the_published_figure():
    assert computed_value("count", None, None, 28.0) == 28.0
    assert computed_value("percent", None, None, 34.5) == 34.5


def test_a_rate_needs_both_parts_and_a_numerator_cannot_exceed_its_denominator():
    assert check_value("percent", 7, None, None)[0][0] == "denominator"
    assert check_value("percent", 21, 20, None)[0][0] == "numerator"
    assert check_value("percent", None, None, 120.0) == [("value", "a percentage lies between 0 and 100")]
    assert check_value("count", None, None, 2.5) == [("value", "a count is a whole number")]
    assert check_value("percent", 7, 20, 40.0)[0][0] == "value"  # disagrees with 7/20
    assert check_value("percent", 7, 20, None) == []


@pytest.mark.django_db
def test_a_stored_month_computes_its_value_from_numerator_and_denominator(rhi):
    v = store_value(rhi, dt.date(2020, 1, 15), 7, 20, None)
    assert (v.month, v.value) == (dt.date(2020, 1, 1), 35.0)
    v = store_value(rhi, dt.date(2020, 1, 1), 9, 20, 35.0)  # the typed value never wins over the parts
    assert LocalMeasureValue.objects.get(measure=rhi).value == 45.0
    assert v.history.count() == 2  # every change is kept


@pytest.mark.django_db
def test_a_local_measure_is_rated_against_its_target_as_a_catalogue_indicator_is(rhi):
    for month, n in (("2019-11", 12), ("2019-12", 15), ("2020-01", 19)):
        store_value(rhi, dt.date.fromisoformat(f"{month}-01"), n, 20, None)
    Target.objects.create(indicator="local-rhi-72h", minimum=80, upper=90)
    Benchmark.objects.create(indicator="local-rhi-72h", time_period="2019", year=2019, level="national",
                             area_name="England", value=71.0)
    [group] = services.programme_scorecard(rhi.programme, JAN_2020)
    [row] = group.rows
    assert group.name == "Local measures"
    assert row.indicator.id == "local-rhi-72h" and row.ref == "2.4.1"
    assert row.months == ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"]
    assert row.values == [None, None, None, 60.0, 75.0, 95.0]
    assert row.current == {"month": "2020-01", "numerator": 19, "denominator": 20, "value": 95.0}
    assert row.rag == "green"  # 95% against a band of 80–90, higher is better
    assert (row.direction.arrow, row.direction.judgement) == ("up", "improving")
    assert row.spc.points and row.benchmarks["national"].value == 71.0
    assert row.period_label == "Month"


@pytest.mark.django_db
def test_a_count_local_measure_shows_seed_001s_figures_with_january_blank(lac_missing):
    [group] = services.programme_scorecard(lac_missing.programme, JAN_2020)
    row = group.rows[0]
    assert row.cells == ["7", "5", "5", "9", "15", "–"]
    assert row.period_label == "YTD"
    assert row.direction.arrow == ""  # no January figure: no direction of travel


@pytest.mark.django_db
def test_the_local_measure_page_shows_figures_target_commentary_and_an_spc_chart(
        client, priya_programme_manager, rhi):
    for month, n in (("2019-12", 15), ("2020-01", 7)):
        store_value(rhi, dt.date.fromisoformat(f"{month}-01"), n, 20, None)
    Target.objects.create(indicator="local-rhi-72h", minimum=80, upper=90)
    Commentary.objects.create(indicator="local-rhi-72h", month=dt.date(2020, 1, 1), text="Two workers on leave.",
                              author=priya_programme_manager)
    client.force_login(priya_programme_manager)
    html = client.get(reverse("performance:indicator", args=["local-rhi-72h"])).content.decode()
    assert "2.4.1 Return home interviews within 72 hours (%)" in html
    assert "35.0%" in html and '<strong class="tag tag-red">Red</strong>' in html
    assert '<svg class="chart"' in html
    assert "Two workers on leave." in html
    assert "Local measure defined by the programme" in html
    assert "/rows/" not in html  # figures entered by hand have no child-level rows
    assert client.get(reverse("performance:indicator_download", kwargs={
        "indicator_id": "local-rhi-72h", "fmt": "csv"})).content.decode().splitlines()[-1] == \
        "local-rhi-72h,overall,,2020-01,7,20,35.0"


@pytest.mark.django_db
def test_a_target_and_commentary_can_be_set_on_a_local_measure_page(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    client.post(reverse("performance:target_add", args=["local-rhi-72h"]), {"minimum": "80", "upper": "90"})
    client.post(reverse("performance:commentary_add", args=["local-rhi-72h"]), {"month": "2020-01", "text": "Up."})
    assert Target.objects.get(indicator="local-rhi-72h").upper == 90
    assert Commentary.objects.get(indicator="local-rhi-72h").text == "Up."


@pytest.mark.django_db
def test_an_action_links_to_a_local_measure_as_evidence(programme, rhi):
    from oversight.performance.evidence import evidence_for_actions, indicator_choices
    from oversight.plans.models import Action, Recommendation

    rec = Recommendation.objects.create(theme=programme.themes.first(), ref="1.1", text="Missing children")
    action = Action.objects.create(recommendation=rec, ref="1.1.1", title="Return home interviews on time")
    store_value(rhi, dt.date(2020, 1, 1), 19, 20, None)
    Target.objects.create(indicator="local-rhi-72h", minimum=80, upper=90)
    EvidenceLink.objects.create(action=action, indicator="local-rhi-72h")
    assert ("local-rhi-72h", "2.4.1 Return home interviews within 72 hours (%) (local measure)") in indicator_choices()
    [item] = evidence_for_actions([action])[action.pk].items
    assert item.row.current["value"] == 95.0 and item.rag == "green"


@pytest.mark.django_db
def test_a_programme_manager_defines_a_measure_and_enters_a_month_on_the_form(client, priya_programme_manager,
                                                                              programme):
    client.force_login(priya_programme_manager)
    resp = client.post(reverse("performance:measure_add", args=["torbay"]), {
        "code": "supervisions", "ref": "1.1.5", "name": "% qualified social worker supervisions", "unit": "percent",
        "polarity": "higher", "period_type": "snapshot", "source": "Supervision records", "definition": ""})
    assert resp.status_code == 302
    measure = LocalMeasure.objects.get(code="supervisions")
    assert measure.indicator_id == "local-supervisions"
    url = reverse("performance:measure_values", args=["torbay", "supervisions"])
    page = client.get(url).content.decode()
    assert "Jan 20 numerator" in page and "Feb 19" in page  # twelve months to January 2020
    resp = client.post(url, {"version": measure.version, "2020-01-numerator": "7", "2020-01-denominator": "20",
                             "2020-01-value": ""})
    assert resp.status_code == 302
    assert measure.values.get().value == 35.0


@pytest.mark.django_db
def test_the_values_form_refuses_half_a_rate_and_writes_nothing(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    url = reverse("performance:measure_values", args=["torbay", "rhi-72h"])
    resp = client.post(url, {"version": rhi.version, "2019-12-numerator": "7", "2019-12-denominator": "20",
                             "2020-01-numerator": "7", "2020-01-denominator": ""})
    html = resp.content.decode()
    assert resp.status_code == 200 and "There is a problem" in html
    assert "Jan 20: a percent measure needs both a numerator and a denominator" in html
    assert not rhi.values.exists()


@pytest.mark.django_db
def test_a_board_member_can_read_local_measures_but_not_define_or_enter_them(client, bob_board_member, rhi):
    client.force_login(bob_board_member)
    assert client.get(reverse("performance:measures", args=["torbay"])).status_code == 200
    assert client.get(reverse("performance:measure_add", args=["torbay"])).status_code == 403
    resp = client.post(reverse("performance:measure_values", args=["torbay", "rhi-72h"]),
                       {"2020-01-numerator": "7", "2020-01-denominator": "20"})
    assert resp.status_code == 403 and not rhi.values.exists()


@pytest.mark.django_db
def test_two_measures_of_a_programme_cannot_share_a_code(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    resp = client.post(reverse("performance:measure_add", args=["torbay"]), {
        "code": "rhi-72h", "name": "Another", "unit": "count", "polarity": "none", "period_type": "month"})
    assert "already has a local measure with the code" in resp.content.decode()
    assert LocalMeasure.objects.count() == 1


def test_the_indicator_twin_of_a_local_measure_reads_polarity_the_engines_way():
    m = LocalMeasure(code="x", name="X", unit="percent", polarity="lower", period_type="rolling_12m")
    ind = as_indicator(m)
    assert (ind.id, ind.polarity, ind.unit, ind.period_type) == ("local-x", "low", "percent", "rolling_12m")


@pytest.mark.django_db
def test_figures_saved_from_a_page_loaded_before_someone_elses_save_are_refused(client, priya_programme_manager,
                                                                                 rhi):
    client.force_login(priya_programme_manager)
    url = reverse("performance:measure_values", args=["torbay", "rhi-72h"])
    loaded = rhi.version
    client.post(url, {"version": loaded, "2020-01-numerator": "7", "2020-01-denominator": "20"})
    resp = client.post(url, {"version": loaded, "2020-01-numerator": "9", "2020-01-denominator": "20"})
    html = resp.content.decode()
    assert "Someone else saved figures for this measure after you opened the page" in html
    assert rhi.values.get().value == 35.0  # the first save stands


@pytest.mark.django_db
def test_an_import_after_the_form_was_opened_makes_the_form_refuse(client, priya_programme_manager, rhi, tmp_path):
    from oversight.performance.local import import_values

    client.force_login(priya_programme_manager)
    loaded = rhi.version
    path = tmp_path / "m.csv"
    path.write_text("measure,month,numerator,denominator\nrhi-72h,2020-01,7,20\n")
    import_values(path, rhi.programme)
    client.post(reverse("performance:measure_values", args=["torbay", "rhi-72h"]),
                {"version": loaded, "2020-01-numerator": "1", "2020-01-denominator": "20"})
    assert rhi.values.get().value == 35.0


@pytest.mark.django_db
def test_a_definition_changed_by_someone_else_meanwhile_is_not_overwritten(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    url = reverse("performance:measure_edit", args=["torbay", "rhi-72h"])
    form = {"code": "rhi-72h", "ref": "2.4.1", "name": "RHI in 72 hours (%)", "unit": "percent",
            "polarity": "higher", "period_type": "month", "source": "Missing team", "version": rhi.version}
    assert client.post(url, form).status_code == 302
    resp = client.post(url, {**form, "name": "Another name"})
    assert "Someone else changed this measure" in resp.content.decode()
    rhi.refresh_from_db()
    assert rhi.name == "RHI in 72 hours (%)" and rhi.history.count() == 2


@pytest.mark.django_db
def test_the_local_measures_page_has_a_json_twin(client, bob_board_member, lac_missing):
    client.force_login(bob_board_member)
    data = client.get(reverse("performance:measures_json", args=["torbay"])).json()
    [m] = data["local_measures"]
    assert m["code"] == "lac-missing" and [v["value"] for v in m["values"]] == [7.0, 5.0, 5.0, 9.0, 15.0]
    page = client.get(reverse("performance:measures", args=["torbay"])).content.decode()
    assert "Number of LAC who went missing" in page
