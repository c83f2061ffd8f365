"""End to end with the real job worker: upload → progress → preview → publish → withdraw, in a browser."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.engine.synth import generate_annex_a

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found]


@pytest.fixture
def job_worker(app, settings):
    """The database queue and its worker loop in a thread, as `oversight serve` runs them.

    The installed app's server is `oversight serve` itself; the live server needs one started here.
    """
    if app.installed:
        yield None
        return
    from oversight.datasets.worker import start_worker_thread

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = start_worker_thread(interval=0.2)
    yield worker
    worker.running = False


def test_a_programme_manager_uploads_previews_publishes_and_withdraws_a_dataset(page, app, tmp_path, job_worker,
                                                                                screenshot):
    app.call("people", users={"priya": ["Programme manager"]})
    workbook = tmp_path / "annex-a-january.xlsx"
    generate_annex_a(workbook, dt.date(2020, 1, 31), seed=9, scale=0.2, messy=True)

    page.goto(f"{app.url}/accounts/login/")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    # upload: the browser is sent to the job's progress page, which follows the worker
    page.goto(f"{app.url}/data/upload/")
    page.get_by_label("Annex A workbook").set_input_files(str(workbook))
    page.get_by_label("As-at date").fill("2020-01-31")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/data/jobs/**", timeout=30_000)
    assert page.get_by_role("heading", name="Checking annex-a-january.xlsx").is_visible()
    page.wait_for_url("**/data/2020-01-31*/", timeout=120_000)  # progress.js opens the dataset when done
    assert app.call("load_jobs") == ["done"]

    # preview: figures beside the live ones (none yet), not on the scorecard
    assert page.get_by_text("Preview", exact=True).first.is_visible()
    assert page.get_by_role("heading", name="Preview: these figures beside the live ones").is_visible()
    assert app.call("live_dataset") is None
    screenshot(page, "dataset-preview")
    assert violations(page) == []

    page.get_by_role("button", name="Publish this dataset").click()
    page.wait_for_load_state()
    assert page.get_by_text("Published: the scorecard now shows").is_visible()
    [ds] = app.call("datasets")
    assert ds["status"] == "published" and app.call("live_dataset") == ds["dataset_id"]

    page.get_by_label("Why is this dataset withdrawn?").fill("Stored with the wrong as-at date")
    page.get_by_role("button", name="Withdraw this dataset").click()
    page.wait_for_load_state()
    assert page.get_by_text("Withdrawn.").first.is_visible()
    assert page.locator("#history").get_by_text("Stored with the wrong as-at date").is_visible()
    screenshot(page, "dataset-withdrawn")
    [ds] = app.call("datasets")
    assert ds["status"] == "withdrawn" and ds["withdrawn_by"] == "priya"
    assert app.call("live_dataset") is None

    page.goto(f"{app.url}/data/{ds['dataset_id']}/teams/")
    assert page.get_by_role("heading", name="Data quality by team").is_visible()
    assert violations(page) == []
