"""The Data area: who may upload, who may see what, and that every child-level view is logged."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from oversight.accounts.models import ChildDataAccess
from oversight.datasets.models import Dataset, LoadJob, Upload
from oversight.datasets.services import load_dataset
from oversight.engine.annex_a.testing import AS_AT, default_lists, write_workbook

from .conftest import DATABASE_QUEUE

pytestmark = pytest.mark.django_db


def _upload_file(path, name="annex_a.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def messy_dataset(tmp_path, priya_programme_manager) -> Dataset:
    lists = default_lists()
    lists[6][0]["allocated_team"] = "#N/A"
    lists[8][0]["placement_postcode"] = "nope"
    path = write_workbook(tmp_path / "messy.xlsx", lists)
    return load_dataset(path, AS_AT, user=priya_programme_manager, via="web")


def test_the_data_pages_need_a_signed_in_user(client, messy_dataset):
    for url in [reverse("datasets:list"), messy_dataset.get_absolute_url(),
                reverse("datasets:report", args=[messy_dataset.dataset_id])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_any_signed_in_user_sees_the_list_of_datasets_with_uploader_and_quality(client, bob_board_member,
                                                                             messy_dataset):
    client.force_login(bob_board_member)
    page = client.get(reverse("datasets:list")).content.decode()
    assert "messy.xlsx" in page
    assert "priya_programme_manager" in page
    assert "2 errors" in page
    assert "<caption>" in page and 'scope="col"' in page
    assert "Upload an Annex A workbook" not in page  # bob may not upload


def test_a_user_without_permission_cannot_open_the_upload_page_or_post_a_file(client, bob_board_member, workbook):
    client.force_login(bob_board_member)
    assert client.get(reverse("datasets:upload")).status_code == 403
    response = client.post(reverse("datasets:upload"), {"file": _upload_file(workbook), "as_at": "2024-01-31"})
    assert response.status_code == 403
    assert not Dataset.objects.exists()


def test_the_upload_page_has_labelled_fields_and_a_progress_bar_driven_by_a_static_script(client,
                                                                                       priya_programme_manager):
    client.force_login(priya_programme_manager)
    page = client.get(reverse("datasets:upload")).content.decode()
    assert '<label for="id_file">' in page and '<label for="id_as_at">' in page
    assert "<progress" in page
    assert "datasets/upload.js" in page
    assert "<script>" not in page  # CSP: no inline script


def test_an_uploader_stores_a_workbook_through_a_job_whose_page_leads_to_the_dataset(client, priya_programme_manager,
                                                                                     workbook):
    client.force_login(priya_programme_manager)
    response = client.post(reverse("datasets:upload"), {"file": _upload_file(workbook), "as_at": "2024-01-31"})
    job = LoadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    ds = Dataset.objects.get()
    assert job.state == "done" and job.dataset == ds
    assert client.get(job.get_absolute_url())["Location"] == ds.get_absolute_url()  # done: on to the dataset
    assert not any((ds.folder.parent.parent / "incoming").iterdir())  # the waiting file is gone
    assert (ds.source_name, ds.as_at, ds.uploaded_by) == ("annex_a.xlsx", AS_AT, priya_programme_manager)
    assert ds.row_counts["cin"] == 2
    assert (ds.folder / "cp.parquet").exists()


def test_uploading_the_same_file_again_says_it_was_already_loaded(client, priya_programme_manager, workbook):
    client.force_login(priya_programme_manager)
    client.post(reverse("datasets:upload"), {"file": _upload_file(workbook), "as_at": "2024-01-31"})
    response = client.post(reverse("datasets:upload"), {"file": _upload_file(workbook), "as_at": "2024-01-31"},
                           follow=True)
    assert "already loaded" in response.content.decode()  # on the dataset page the finished job leads to
    assert Dataset.objects.count() == 1
    assert Upload.objects.filter(outcome="already").count() == 1


def test_a_refused_file_shows_the_reason_in_an_error_summary(client, priya_programme_manager, tmp_path):
    client.force_login(priya_programme_manager)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook" * 100)
    response = client.post(reverse("datasets:upload"), {"file": _upload_file(junk, "junk.xlsx"),
                                                        "as_at": "2024-01-31"}, follow=True)
    assert LoadJob.objects.get().state == "refused"
    page = response.content.decode()
    assert 'class="error-summary"' in page and "junk.xlsx: not a readable Excel workbook" in page
    assert Upload.objects.get().outcome == "refused"


def test_strict_upload_refuses_a_file_with_any_problem(client, priya_programme_manager, tmp_path):
    client.force_login(priya_programme_manager)
    lists = default_lists()
    lists[8][0]["placement_postcode"] = "nope"
    path = write_workbook(tmp_path / "m.xlsx", lists)
    response = client.post(reverse("datasets:upload"), {"file": _upload_file(path), "as_at": "2024-01-31",
                                                        "strict": "on"}, follow=True)
    assert 'class="error-summary"' in response.content.decode()
    assert "refused in strict mode" in response.content.decode()
    assert not Dataset.objects.exists()


def test_only_spreadsheets_are_accepted_by_the_form(client, priya_programme_manager):
    client.force_login(priya_programme_manager)
    response = client.post(reverse("datasets:upload"), {"file": SimpleUploadedFile("notes.txt", b"hello"),
                                                        "as_at": "2024-01-31"})
    assert "Choose an Excel workbook" in response.content.decode()


def test_the_report_shows_where_each_problem_is_but_hides_values_from_people_without_child_data_access(
        client, bob_board_member, messy_dataset):
    client.force_login(bob_board_member)
    page = client.get(reverse("datasets:report", args=[messy_dataset.dataset_id])).content.decode()
    assert "Allocated Team" in page and "excel-error" in page
    assert "nope" not in page and "Values found in cells are hidden" in page
    assert not ChildDataAccess.objects.exists()


def test_the_report_shows_values_to_people_with_child_data_access_and_logs_it(client, amira_team_manager,
                                                                             messy_dataset):
    client.force_login(amira_team_manager)
    page = client.get(reverse("datasets:report", args=[messy_dataset.dataset_id])).content.decode()
    assert "nope" in page
    log = ChildDataAccess.objects.get()
    assert log.user == amira_team_manager and messy_dataset.dataset_id in log.what


def test_the_report_can_be_filtered_by_list_column_and_rule(client, bob_board_member, messy_dataset):
    client.force_login(bob_board_member)
    url = reverse("datasets:report", args=[messy_dataset.dataset_id])
    page = client.get(url, {"table": "cla", "rule": "postcode-invalid"}).content.decode()
    assert "1 problem<" in page and "<td>Placement postcode</td>" in page and "<td>Allocated Team</td>" not in page
    page = client.get(url, {"column": "Allocated Team"}).content.decode()
    assert "<code>excel-error</code>" in page and "<code>postcode-invalid</code>" not in page


def test_the_report_downloads_as_excel_with_the_same_filters(client, bob_board_member, messy_dataset):
    client.force_login(bob_board_member)
    response = client.get(reverse("datasets:report_xlsx", args=[messy_dataset.dataset_id]), {"severity": "error"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(load_workbook(BytesIO(response.content))["Problems"].iter_rows(values_only=True))
    assert len(rows) == 3  # header + 2 errors
    assert {r[5] for r in rows[1:]} == {"(hidden)"}


def test_child_level_rows_are_refused_to_a_user_without_permission(client, bob_board_member, messy_dataset):
    client.force_login(bob_board_member)
    response = client.get(reverse("datasets:rows", args=[messy_dataset.dataset_id, "cla"]))
    assert response.status_code == 403
    assert not ChildDataAccess.objects.exists()
    page = client.get(messy_dataset.get_absolute_url()).content.decode()
    assert "View rows" not in page


def test_child_level_rows_are_shown_to_a_permitted_user_and_every_view_is_logged(client, amira_team_manager,
                                                                                 messy_dataset):
    client.force_login(amira_team_manager)
    response = client.get(reverse("datasets:rows", args=[messy_dataset.dataset_id, "cla"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "C2" in page and "invalid" in page  # the bad postcode is marked, not shown as a value
    log = ChildDataAccess.objects.get()
    assert (log.user, log.rows_shown) == (amira_team_manager, 1)
    assert "cla" in log.what
    client.get(reverse("datasets:rows", args=[messy_dataset.dataset_id, "cin"]))
    assert ChildDataAccess.objects.count() == 2


def test_an_unknown_list_or_dataset_is_not_found(client, amira_team_manager, messy_dataset):
    client.force_login(amira_team_manager)
    assert client.get(reverse("datasets:rows", args=[messy_dataset.dataset_id, "nothing"])).status_code == 404
    assert client.get(reverse("datasets:detail", args=["2024-01-31-0000"])).status_code == 404


def test_the_upload_log_shows_who_uploaded_what_and_when(client, bob_board_member, messy_dataset):
    client.force_login(bob_board_member)
    page = client.get(reverse("datasets:uploads")).content.decode()
    assert "messy.xlsx" in page and "priya_programme_manager" in page and "Stored" in page


def test_the_dataset_page_summarises_each_list(client, bob_board_member, messy_dataset):
    client.force_login(bob_board_member)
    page = client.get(messy_dataset.get_absolute_url()).content.decode()
    assert "List 8: Children in care" in page
    assert messy_dataset.sha256 in page


def test_the_upload_script_is_sent_to_the_progress_page_whose_json_twin_names_the_dataset(
        client, priya_programme_manager, workbook):
    client.force_login(priya_programme_manager)
    response = client.post(reverse("datasets:upload"), {"file": _upload_file(workbook), "as_at": "2024-01-31"},
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 204
    job = LoadJob.objects.get()
    assert response["X-Location"] == job.get_absolute_url()
    progress = client.get(reverse("datasets:job_json", args=[job.pk])).json()
    assert progress["next"] == Dataset.objects.get().get_absolute_url()
    assert progress["message"].startswith("Stored annex_a.xlsx")
    assert progress["rows_read"] == Dataset.objects.get().total_rows
    assert progress["lists_read"] == progress["lists_total"] > 0 and progress["checks_run"] > 0
    page = client.get(response["X-Location"], follow=True).content.decode()
    assert "Stored annex_a.xlsx" in page  # the finished job's message, on the dataset's page


def test_a_waiting_job_has_a_progress_page_polled_by_a_static_script(client, settings, priya_programme_manager,
                                                                    workbook):
    settings.TASKS = DATABASE_QUEUE  # nobody runs the queue in this test: the job waits
    client.force_login(priya_programme_manager)
    client.post(reverse("datasets:upload"), {"file": _upload_file(workbook), "as_at": "2024-01-31"})
    job = LoadJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "datasets/progress.js" in page and "<script>" not in page
    assert 'data-poll-url="/data/jobs/' in page and "<progress" in page
    for label in ("List being read", "Rows so far", "Checks run"):
        assert label in page
    progress = client.get(reverse("datasets:job_json", args=[job.pk])).json()
    assert (progress["state"], progress["percent"], progress["finished"], progress["next"]) == (
        "queued", 0, False, None)


def test_the_as_at_field_is_prefilled_in_the_format_a_date_input_understands(client, priya_programme_manager):
    client.force_login(priya_programme_manager)
    page = client.get(reverse("datasets:upload")).content.decode()
    assert 'type="date"' in page
    assert re.search(r'name="as_at" value="\d{4}-\d{2}-\d{2}"', page)
