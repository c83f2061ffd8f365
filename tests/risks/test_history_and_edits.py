"""Every re-score is kept with its date and who; a stale edit is refused; closing needs a date and a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.plans.models import Programme
from oversight.plans.periods import Period
from oversight.risks import services
from oversight.risks.models import Concern, Risk
from oversight.risks.queries import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    return Programme.objects.create(slug="p", name="Programme")


@pytest.fixture
def risk(programme, priya_programme_manager) -> Risk:
    return services.create_risk(programme, user=priya_programme_manager, ref="1", kind="risk",
                                description="If the service response is inadequate, then children may come to "
                                            "significant harm.", raised_text="January 2020",
                                probability=4, impact=5)


def test_adding_a_risk_starts_its_score_history(risk, priya_programme_manager):
    (first,) = risk.assessments.all()
    assert (first.assessed_on, first.probability, first.impact, first.score) == (dt.date(2020, 1, 1), 4, 5, 20)
    assert first.by == priya_programme_manager


def test_re_scoring_adds_a_dated_assessment_with_who_and_why(risk, priya_programme_manager):
    services.rescore(risk, user=priya_programme_manager, version=risk.version, probability=3, impact=5,
                     assessed_on=dt.date(2020, 3, 31), note="Caseload audit shows oversight improving")
    risk.refresh_from_db()
    assert risk.score == 15
    history = [(a.assessed_on, a.score, a.note, a.assessed_by) for a in risk.assessments.all()]
    assert history == [(dt.date(2020, 1, 1), 20, "First assessment", "priya"),
                       (dt.date(2020, 3, 31), 15, "Caseload audit shows oversight improving", "priya")]
    assert risk.history.count() == 2


def test_the_register_for_an_earlier_period_shows_the_score_in_force_then(risk, priya_programme_manager):
    services.rescore(risk, user=priya_programme_manager, version=risk.version, probability=3, impact=5,
                     assessed_on=dt.date(2020, 3, 31), note="Better")
    (january,) = register(risk.programme, Period(dt.date(2020, 1, 31)))
    (march,) = register(risk.programme, Period(dt.date(2020, 3, 31)))
    assert (january.score, march.score) == (20, 15)
    assert register(risk.programme, Period(dt.date(2019, 12, 31))) == []  # raised in January 2020


def test_a_stale_edit_is_refused_not_overwritten(risk, priya_programme_manager):
    loaded = risk.version
    services.update_risk(risk, user=priya_programme_manager, version=loaded, mitigation="Weekly oversight")
    with pytest.raises(services.StaleEdit):
        services.update_risk(Risk.objects.get(pk=risk.pk), user=priya_programme_manager, version=loaded,
                             mitigation="Something older")
    with pytest.raises(services.StaleEdit):
        services.rescore(Risk.objects.get(pk=risk.pk), user=priya_programme_manager, version=loaded,
                         probability=1, impact=1, assessed_on=dt.date(2020, 2, 1), note="late")
    risk.refresh_from_db()
    assert risk.mitigation == "Weekly oversight"
    assert risk.score == 20
    assert risk.assessments.count() == 1


def test_a_stale_edit_of_a_concern_is_refused(programme, priya_programme_manager):
    concern = services.save_entry(Concern, programme, user=priya_programme_manager, ref="1",
                                  description="Recruitment & Retention", by_when_text="Cabinet Reports - March 2020")
    assert concern.by_when == dt.date(2020, 3, 31)
    services.save_entry(Concern, programme, user=priya_programme_manager, entry=concern, version=1,
                        by_when_text="Ongoing")
    concern.refresh_from_db()
    assert concern.by_when is None and concern.no_date_read
    with pytest.raises(services.StaleEdit):
        services.save_entry(Concern, programme, user=priya_programme_manager, entry=concern, version=1,
                            description="older")
    assert concern.history.count() == 2


def test_closing_needs_a_date_and_a_reason(risk, priya_programme_manager):
    with pytest.raises(ValueError):
        services.close_risk(risk, user=priya_programme_manager, version=risk.version, closed_on=dt.date(2020, 6, 30),
                            reason="  ")
    services.close_risk(risk, user=priya_programme_manager, version=risk.version, closed_on=dt.date(2020, 6, 30),
                        reason="Permanent workforce in place")
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on, risk.closed_reason) == ("closed", dt.date(2020, 6, 30),
                                                                 "Permanent workforce in place")
    # Open in May, closed by July.
    assert [r.ref for r in register(risk.programme, Period(dt.date(2020, 5, 31)))] == ["1"]
    assert register(risk.programme, Period(dt.date(2020, 7, 31))) == []
