"""The demo's performance data: synthetic, stored, computed and ready for the scorecard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.datasets.models import Dataset
from oversight.performance.demo import DEMO_AS_AT, load_demo_data
from oversight.performance.models import IndicatorRun, Target

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_dataset_computes_the_scorecard_and_sets_targets(settings, tmp_path, bob_board_member,
                                                                           client):
    settings.DATA_DIR = tmp_path
    message = load_demo_data()
    dataset = Dataset.objects.get()
    assert dataset.as_at == DEMO_AS_AT
    assert "indicator figures stored" in message
    run = IndicatorRun.objects.get()
    assert run.values.filter(indicator="contacts").exists()
    assert Target.objects.filter(indicator="assessments_45wd_pct").exists()
    # running it again recognises the same file instead of storing a second copy
    load_demo_data()
    assert Dataset.objects.count() == 1
    assert IndicatorRun.objects.count() == 1
    client.force_login(bob_board_member)
    page = client.get(reverse("performance:scorecard"))
    assert page.status_code == 200
    assert "Assessments completed within 45 working days" in page.content.decode() or \
        "45 working days" in page.content.decode()


def test_the_demo_carries_seed_001s_local_measures_and_its_scorecard_grouping():
    from oversight.performance import services
    from oversight.performance.demo import load_demo_measures
    from oversight.plans.demo import build_demo_programme
    from oversight.plans.periods import current_period

    programme = build_demo_programme()
    load_demo_measures(programme)
    load_demo_measures(programme)  # again: rebuilt, not doubled
    groups = services.programme_scorecard(programme, current_period(programme))
    assert [g.name for g in groups][:3] == [
        "Placement Stability", "Management oversight and supervision",
        "Services for children at risk of involvement in gangs, youth violence, missing, CSE, radicalisation"]
    assert groups[0].theme_title == "Leadership, management and governance"
    rows = {r.indicator.name: r for g in groups for r in g.rows}
    assert rows["Number of missing children during period"].cells == ["28", "17", "31", "30", "35", "–"]
    assert rows["Number of LAC who went missing from care during the year"].cells == ["7", "5", "5", "9", "15", "–"]
    assert rows["Number of exploitation/vulnerability assessments"].cells == ["0", "4", "24", "8", "18", "–"]
    assert rows["Number of exploitation/vulnerability assessments graded as 'High Risk'"].cells[:5] == [
        "0", "0", "1", "1", "2"]
    assert rows["Number of Return Home Interviews in 72hrs"].cells[:5] == ["11", "7", "14", "18", "15"]
    vacancies = rows["% Vacancies (QSW roles only - % of estab not filled by perm staff)"]
    assert vacancies.ref == "1.2.1" and vacancies.cells == ["–", "–", "34.5%", "38.0%", "–", "–"]
    assert vacancies.benchmarks["national"].value == 16.5
    assert rows["% Agency Staff (FTE of QSW estab roles only)"].cells[2:4] == ["46.2%", "52.0%"]
    assert set(rows["% qualified social worker supervisions"].cells) == {"–"}
    workforce = next(g for g in groups if g.name == "Workforce Strategy")
    assert workforce.theme_title == "A sufficient and skilled workforce"
    assert [r.ref for r in workforce.rows] == ["1.2.1", "1.2.2", "1.2.3"]
