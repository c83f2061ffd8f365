"""The rows behind a figure are child-level data: no browser or proxy may keep a copy."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_rows_behind_a_figure_and_their_download_are_sent_with_no_store(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + f"?month=2020-01&run={run.pk}"
    for suffix in ("", "&format=csv", "&format=xlsx"):
        response = client.get(url + suffix)
        assert response.status_code == 200, suffix
        assert "no-store" in response["Cache-Control"], suffix
