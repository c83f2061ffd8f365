"""WCAG 2.2 AA is a legal duty for councils' software: axe-core finds no violations on our pages.

axe-core (bundled by axe-playwright-python) runs inside Debian's chromium on each page as a
signed-in officer sees it, with the demo plan and demo Annex A data loaded.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found]


def test_every_main_page_has_no_wcag_violations(page, app):
    made = app.call("demo", users={"tara": ["Team manager", "Programme manager"]}, annex_a=True)
    action = made["actions"]["1.6"]
    [dataset] = [d["dataset_id"] for d in made["datasets"]]

    page.goto(f"{app.url}/accounts/login/")
    problems = {"login": violations(page)}
    page.get_by_label("Username").fill("tara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/plan/demo/")
    for path in ["/plan/demo/", "/plan/demo/tracker/?as_at=2020-01-31", action, f"{action}edit/", "/performance/",
                 "/performance/indicators/cpp_open/", "/data/", "/data/upload/", f"/data/{dataset}/",
                 f"/data/{dataset}/report/", f"/data/{dataset}/rows/cp/"]:
        response = page.goto(f"{app.url}{path}")
        assert response.status == 200, path
        problems[path] = violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
