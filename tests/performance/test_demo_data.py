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
