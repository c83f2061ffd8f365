"""WCAG 2.2 AA is a legal duty for councils' software: axe-core finds no violations on our pages.

axe-core (bundled by axe-playwright-python) runs inside Debian's chromium on each page as a
signed-in officer sees it, with the demo plan and demo Annex A data loaded.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from oversight.accounts.roles import ensure_roles
from oversight.datasets.models import Dataset
from oversight.performance.demo import load_demo_data
from oversight.plans.demo import build_demo_programme
from oversight.plans.models import Action

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found]


def test_every_main_page_has_no_wcag_violations(page, live_server, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    ensure_roles()
    build_demo_programme()
    load_demo_data()
    user = User.objects.create_user("tara", password=PASSWORD)
    user.groups.set([Group.objects.get(name="Team manager"), Group.objects.get(name="Programme manager")])
    action = Action.objects.get(ref="1.6")
    dataset = Dataset.objects.get()

    page.goto(f"{live_server.url}/accounts/login/")
    problems = {"login": violations(page)}
    page.get_by_label("Username").fill("tara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/plan/demo/")
    for path in ["/plan/demo/", "/plan/demo/tracker/?as_at=2020-01-31", action.get_absolute_url(),
                 f"{action.get_absolute_url()}edit/", "/performance/", "/performance/indicators/cpp_open/",
                 "/data/", "/data/upload/", f"/data/{dataset.dataset_id}/",
                 f"/data/{dataset.dataset_id}/report/", f"/data/{dataset.dataset_id}/rows/cp/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        problems[path] = violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
