"""A dataset is published on purpose: preview, publish, supersede, withdraw, as-at sanity, retry, files on disk."""

from __future__ import annotations

import shutil
import stat
from datetime import date

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from oversight.datasets import services
from oversight.datasets.models import Dataset, DatasetEvent, Upload
from oversight.datasets.services import LifecycleError, load_dataset, publish, withdraw
from oversight.engine.annex_a import open_dataset
from oversight.engine.annex_a.testing import AS_AT, default_lists, write_workbook
from oversight.performance.models import IndicatorValue
from oversight.performance.services import latest_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(priya_programme_manager) -> User:
    """The programme manager: uploads, publishes and withdraws."""
    priya_programme_manager.user_permissions.add(Permission.objects.get(codename="publish_dataset"))
    return User.objects.get(pk=priya_programme_manager.pk)


def _workbook(tmp_path, name: str, **changes):
    """The clean test workbook, with List 8's first child changed (e.g. more placements)."""
    lists = default_lists()
    lists[8][0].update(changes)
    return write_workbook(tmp_path / name, lists)


def _cla_3plus(ds: Dataset) -> float | None:
    run = ds.indicator_runs.get()
    return IndicatorValue.objects.get(run=run, indicator="cla_3plus_placements_pct", breakdown="overall",
                                      month=ds.as_at.replace(day=1)).value


# ------------------------------------------------------------------------------ preview and publish
def test_a_loaded_dataset_is_a_preview_whose_figures_are_computed_but_not_live(tmp_path, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    assert (ds.status, ds.figures) == ("preview", "ready")
    assert ds.indicator_runs.count() == 1
    assert latest_run() is None  # the scorecard reads only published datasets
    assert [e.action for e in ds.events.all()] == ["stored", "preview"]


def test_a_programme_manager_publishes_a_preview_and_the_scorecard_reads_it(tmp_path, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    publish(ds, priya)
    ds.refresh_from_db()
    assert (ds.status, ds.published_by) == ("published", priya)
    assert latest_run().dataset == ds
    assert ds.events.last().action == "published"


def test_only_a_holder_of_the_publish_permission_may_publish_or_withdraw(client, tmp_path, priya,
                                                                        amira_team_manager, bob_board_member):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    for user in (amira_team_manager, bob_board_member):
        with pytest.raises(LifecycleError, match="Only a programme manager"):
            publish(ds, user)
        client.force_login(user)
        assert client.post(reverse("datasets:publish", args=[ds.dataset_id])).status_code == 403
        assert "Publish this dataset" not in client.get(ds.get_absolute_url()).content.decode()
    publish(ds, priya)
    client.force_login(bob_board_member)
    assert client.post(reverse("datasets:withdraw", args=[ds.dataset_id]), {"reason": "no"}).status_code == 403
    ds.refresh_from_db()
    assert ds.status == "published"


def test_the_role_of_programme_manager_carries_the_publish_permission(roles):
    assert roles["Programme manager"].permissions.filter(codename="publish_dataset").exists()
    assert not roles["Board member"].permissions.filter(codename="publish_dataset").exists()
    assert roles["Team manager"].permissions.filter(codename="view_team_worklist").exists()


def test_the_dataset_page_shows_the_preview_beside_the_live_figures_with_differences_highlighted(
        client, tmp_path, priya):
    live = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    publish(live, priya)
    # the same month again, but the child in care has had 3 placements: 3+ placements goes 0 % → 100 %
    preview = load_dataset(_workbook(tmp_path, "jan-v2.xlsx", placements_last_12m=3), AS_AT, user=priya)
    assert (_cla_3plus(live), _cla_3plus(preview)) == (0.0, 100.0)
    client.force_login(priya)
    page = client.get(preview.get_absolute_url()).content.decode()
    assert "Preview: these figures beside the live ones" in page
    assert "jan.xlsx, as at 31 January 2024" in page
    doc = client.get(reverse("datasets:detail_json", args=[preview.dataset_id])).json()
    row = next(r for r in doc["comparison"]["indicators"] if r["indicator"] == "cla_3plus_placements_pct")
    assert (row["live"], row["preview"], row["differs"], row["difference"]) == (0.0, 100.0, True, "+100.0%")
    assert doc["comparison"]["differences"] >= 1
    assert 'class="tag tag-amber">changed</strong> +100.0%' in page


def test_publishing_a_second_dataset_for_the_same_as_at_supersedes_the_first(tmp_path, priya):
    first = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    publish(first, priya)
    second = load_dataset(_workbook(tmp_path, "jan-v2.xlsx", placements_last_12m=3), AS_AT, user=priya)
    publish(second, priya)
    first.refresh_from_db()
    assert (first.status, first.superseded_by) == ("superseded", second)
    assert latest_run().dataset == second


def test_withdrawing_says_who_when_and_why_and_the_previous_datasets_figures_return(client, tmp_path, priya):
    first = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    publish(first, priya)
    second = load_dataset(_workbook(tmp_path, "jan-v2.xlsx", placements_last_12m=3), AS_AT, user=priya)
    publish(second, priya)
    client.force_login(priya)
    response = client.post(reverse("datasets:withdraw", args=[second.dataset_id]),
                           {"reason": "February's file stored as January"}, follow=True)
    assert "jan.xlsx are live again" in response.content.decode()
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.withdrawn_by, second.withdrawn_reason) == (
        "withdrawn", priya, "February's file stored as January")
    assert second.withdrawn_at is not None
    assert first.status == "published"
    assert latest_run().dataset == first
    assert _cla_3plus(latest_run().dataset) == 0.0  # January's figure is back
    assert list(first.events.values_list("action", flat=True)) == ["stored", "preview", "published", "superseded",
                                                                  "restored"]
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Withdrawn by priya_programme_manager" in page and "February&#x27;s file stored as January" in page


def test_withdrawing_the_only_dataset_of_a_month_brings_back_the_latest_earlier_month(tmp_path, priya):
    december = load_dataset(_workbook(tmp_path, "dec.xlsx"), date(2023, 12, 31), user=priya)
    publish(december, priya, confirm_as_at=True)
    january = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    publish(january, priya)
    assert latest_run().dataset == january
    _ds, restored = withdraw(january, priya, reason="wrong council's extract")
    assert restored is None
    assert latest_run().dataset == december


def test_a_withdrawal_needs_a_reason_and_a_published_dataset(tmp_path, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    with pytest.raises(LifecycleError, match="Only a published dataset"):
        withdraw(ds, priya, reason="because")
    publish(ds, priya)
    with pytest.raises(LifecycleError, match="Say why"):
        withdraw(ds, priya, reason="  ")


# ------------------------------------------------------------------------------ as-at sanity
def test_the_latest_event_date_is_read_from_the_lists_and_a_close_as_at_needs_no_confirmation(tmp_path, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    assert ds.latest_event == date(2024, 1, 10)  # the latest date two cells share (visits, contacts)
    assert ds.as_at_gap_days == 21 and not ds.as_at_mismatch
    assert ds.extract_dates == {} or set(ds.extract_dates) <= {"created", "modified"}


def test_an_as_at_more_than_a_month_from_the_data_is_shown_prominently_and_needs_a_confirmation(
        client, tmp_path, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), date(2024, 3, 31), user=priya)  # stored as March
    assert ds.as_at_mismatch and ds.as_at_gap_days == 81
    client.force_login(priya)
    page = client.get(ds.get_absolute_url()).content.decode()
    assert 'id="as-at-mismatch"' in page and 'role="alert"' in page
    assert "I have checked the as-at date" in page
    response = client.post(reverse("datasets:publish", args=[ds.dataset_id]), follow=True)
    assert "Confirm the as-at date before publishing" in response.content.decode()
    ds.refresh_from_db()
    assert ds.status == "preview"
    with pytest.raises(LifecycleError, match="81 days from the latest event"):
        publish(ds, priya)
    client.post(reverse("datasets:publish", args=[ds.dataset_id]), {"confirm_as_at": "on"})
    ds.refresh_from_db()
    assert (ds.status, ds.as_at_confirmed_by) == ("published", priya)
    assert "As-at date confirmed" in ds.events.get(action="published").reason


# ------------------------------------------------------------------------------ files on disk
def test_a_stored_dataset_path_is_relative_to_the_data_folder_so_a_restore_elsewhere_works(
        tmp_path, settings, data_dir, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    assert ds.path == f"datasets/{ds.dataset_id}"
    moved = tmp_path / "restored-elsewhere"
    shutil.copytree(data_dir, moved)
    shutil.rmtree(data_dir)
    settings.DATA_DIR = moved
    ds.refresh_from_db()
    assert open_dataset(ds.folder).tables["cla"].exists()


def test_the_parquet_files_are_readable_only_by_the_services_own_user(tmp_path, data_dir, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    assert stat.S_IMODE(ds.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "datasets").stat().st_mode) == 0o700
    modes = {stat.S_IMODE(f.stat().st_mode) for f in ds.folder.iterdir()}
    assert modes == {0o600}


# ------------------------------------------------------------------------------ failed figures and retry
def test_a_failed_indicator_run_marks_the_dataset_figures_failed_with_the_reason_and_it_cannot_be_published(
        client, tmp_path, settings, priya):
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_days": 15}  # a misspelt council setting
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    assert (ds.status, ds.figures) == ("stored", "failed")
    assert "unknown setting(s) icpc_limit_days" in ds.figures_error
    assert ds.events.last().action == "figures_failed"
    with pytest.raises(LifecycleError, match="no figures yet"):
        publish(ds, priya)
    client.force_login(priya)
    page = client.get(ds.get_absolute_url()).content.decode()
    assert "Figures failed" in page and "Retry the figures" in page
    assert f"oversight annex-a retry {ds.dataset_id}" in page


def test_the_retry_button_computes_the_figures_again_once_the_cause_is_fixed(client, tmp_path, settings, priya):
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_days": 15}
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_wd": 15}
    client.force_login(priya)
    client.post(reverse("datasets:retry", args=[ds.dataset_id]))
    ds.refresh_from_db()
    assert (ds.status, ds.figures, ds.figures_error) == ("preview", "ready", "")
    assert ds.indicator_runs.count() == 1


def test_a_re_upload_of_the_same_file_repairs_a_dataset_whose_figures_failed(tmp_path, settings, priya):
    path = _workbook(tmp_path, "jan.xlsx")
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_days": 15}
    ds = load_dataset(path, AS_AT, user=priya)
    settings.OVERSIGHT_INDICATOR_SETTINGS = {}
    again = load_dataset(path, AS_AT, user=priya)
    assert again.pk == ds.pk and again.already_existed
    assert (again.status, again.figures) == ("preview", "ready")
    assert Upload.objects.filter(outcome="already").count() == 1


def test_nobody_but_a_programme_manager_may_retry(client, tmp_path, settings, priya, amira_team_manager):
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_days": 15}
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    client.force_login(amira_team_manager)
    assert client.post(reverse("datasets:retry", args=[ds.dataset_id])).status_code == 403


def test_the_history_of_a_dataset_is_kept_in_order(tmp_path, priya):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    publish(ds, priya)
    withdraw(ds, priya, reason="test")
    publish(ds, priya)
    actions = list(DatasetEvent.objects.filter(dataset=ds).values_list("action", flat=True))
    assert actions == ["stored", "preview", "published", "withdrawn", "published"]
    ds.refresh_from_db()
    assert (ds.status, ds.withdrawn_reason) == ("published", "")


def test_the_list_of_datasets_shows_each_status(client, tmp_path, priya, bob_board_member):
    ds = load_dataset(_workbook(tmp_path, "jan.xlsx"), AS_AT, user=priya)
    client.force_login(bob_board_member)
    assert '<strong class="tag tag-amber">Preview</strong>' in client.get(reverse("datasets:list")).content.decode()
    publish(ds, priya)
    assert '<strong class="tag tag-green">Published</strong>' in client.get(
        reverse("datasets:list")).content.decode()
    assert services.relative_to_data(ds.folder) == ds.path
