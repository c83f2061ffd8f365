"""The audit log: every child-level view, download and export, read by administrators, changed by nobody."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.audit import ROWS_HEADER, log_command
from oversight.accounts.models import AuditEvent, AuditLogIsAppendOnly, ChildDataAccess
from oversight.datasets.models import WorklistTeam
from oversight.datasets.services import load_dataset
from oversight.engine.annex_a.testing import AS_AT, default_lists, write_workbook
from oversight.ops.backup import restore_backup, write_backup
from oversight.plans.demo import build_demo_programme

pytestmark = pytest.mark.django_db
CARE = "Children in Care"
OV = shutil.which("oversight")


def _event(**kw) -> AuditEvent:
    values = {"actor": "tara", "kind": AuditEvent.Kind.CHILD_VIEW, "what": "indicator rows: cpp_open 2020-01"} | kw
    return AuditEvent.objects.create(**values)


@pytest.fixture
def dataset(tmp_path, priya_programme_manager):
    lists = default_lists()
    lists[8][0].update(allocated_team=CARE, allocated_worker="Cat Worker", placement_postcode="nope")
    return load_dataset(write_workbook(tmp_path / "jan.xlsx", lists), AS_AT, user=priya_programme_manager)


@pytest.fixture
def tara(tara_team_manager):
    WorklistTeam.objects.create(user=tara_team_manager, team=CARE)
    return tara_team_manager


# ---------------------------------------------------------------------------------------------- downloads
def test_tara_downloading_her_worklist_as_csv_writes_one_download_event_with_its_rows(client, dataset, tara):
    client.force_login(tara)
    response = client.get(reverse("datasets:worklist_csv", args=[dataset.dataset_id]), REMOTE_ADDR="10.1.2.3")
    records = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    download = AuditEvent.objects.get(kind=AuditEvent.Kind.DOWNLOAD)
    assert (download.user, download.actor, download.format, download.ip_address) == (tara, "tara", "csv", "10.1.2.3")
    assert download.rows_shown == len(records) - 1 == 1
    assert download.what.startswith(f"worklist-{dataset.dataset_id}") and download.path.endswith("worklist.csv")
    assert ChildDataAccess.objects.count() == 1  # and the child-level view, as before


def test_ada_downloading_the_audit_log_as_csv_is_itself_logged_with_its_rows(client, ada_administrator):
    for n in range(3):
        _event(what=f"rows {n}")
    client.force_login(ada_administrator)
    response = client.get(reverse("audit:log_csv"))
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["When", "Who", "Operating-system account", "Kind", "What"] and len(rows) == 4
    download = AuditEvent.objects.get(kind=AuditEvent.Kind.DOWNLOAD)
    assert (download.actor, download.rows_shown, download.what) == ("ada", 3, "audit log CSV (all events)")


def test_a_view_can_say_how_many_rows_a_file_holds_and_the_header_never_leaves_the_server(rf, priya_programme_manager):
    from django.http import HttpResponse

    from oversight.accounts.audit import AuditMiddleware

    def view(request):
        response = HttpResponse(b"a,b\n1,2\n", content_type="text/csv")
        response[ROWS_HEADER] = "1"
        return response

    request = rf.get("/somewhere/new.csv")
    request.user = priya_programme_manager
    response = AuditMiddleware(view)(request)
    assert ROWS_HEADER not in response
    event = AuditEvent.objects.get()
    assert (event.kind, event.rows_shown, event.format, event.what) == ("download", 1, "csv", "/somewhere/new.csv")


def test_a_page_that_is_not_a_file_writes_nothing(client, ada_administrator):
    client.force_login(ada_administrator)
    assert client.get(reverse("audit:log")).status_code == 200
    assert client.get(reverse("audit:log_json")).status_code == 200
    assert not AuditEvent.objects.exists()


# ---------------------------------------------------------------------------------------------- the page
def test_bob_the_board_member_cannot_open_the_audit_log_in_any_form(client, bob_board_member):
    _event()
    client.force_login(bob_board_member)
    for name in ("audit:log", "audit:log_json", "audit:log_csv"):
        assert client.get(reverse(name)).status_code == 403
    assert AuditEvent.objects.count() == 1  # a refused download is not a download


def test_tara_the_team_manager_sees_child_rows_but_not_the_audit_log(client, tara_team_manager):
    client.force_login(tara_team_manager)
    assert client.get(reverse("audit:log")).status_code == 403


def test_ada_the_administrator_reads_the_log_newest_first(client, ada_administrator):
    _event(what="older")
    _event(what="newer", rows_shown=12, reason="supervision of Team 2")
    client.force_login(ada_administrator)
    page = client.get(reverse("audit:log")).content.decode()
    assert "Audit log" in page and page.index("newer") < page.index("older")
    assert "supervision of Team 2" in page and "2 entries" in page
    assert 'href="/audit/"' in page  # the nav links the page for those who may read it


def test_the_filters_narrow_the_log_by_person_kind_dates_text_and_programme(client, ada_administrator):
    old = _event(actor="tara", what="indicator rows: cpp_open 2020-01", programme="demo")
    _event(actor="anil", what="worklist (csv)", kind=AuditEvent.Kind.DOWNLOAD, programme="other")
    _event(actor=AuditEvent.COMMAND_LINE, os_user="oversight", what="plan export demo (xlsx)",
           kind=AuditEvent.Kind.EXPORT, programme="demo")
    # the first event happened last year: written at that time, as the log cannot be changed afterwards
    with connection.cursor() as cur:
        cur.execute("INSERT INTO accounts_auditevent (actor, os_user, at, kind, what, path, format, programme, "
                    "reason) VALUES ('tara', '', %s, 'child-view', 'last year rows', '', '', 'demo', '')",
                    [timezone.now() - dt.timedelta(days=400)])
    client.force_login(ada_administrator)

    def whats(**query) -> list[str]:
        data = client.get(reverse("audit:log_json"), query).json()
        return sorted(e["what"] for e in data["events"])

    assert len(whats()) == 4
    assert whats(person="tara") == ["indicator rows: cpp_open 2020-01", "last year rows"]
    assert whats(kind="download") == ["worklist (csv)"]
    assert whats(kind="export") == ["plan export demo (xlsx)"]
    assert whats(text="CPP_OPEN") == ["indicator rows: cpp_open 2020-01"]
    assert whats(in_programme="other") == ["worklist (csv)"]
    today = timezone.localdate()
    assert "last year rows" not in whats(date_from=(today - dt.timedelta(days=30)).isoformat())
    assert whats(date_to=(today - dt.timedelta(days=300)).isoformat()) == ["last year rows"]
    assert whats(person="tara", date_from=today.isoformat(), date_to=today.isoformat()) == [old.what]
    exported = client.get(reverse("audit:log_csv"), {"kind": "export"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(exported)))) == 2 and "command line (oversight)" in exported


def test_an_administrator_of_one_programme_reads_only_that_programmes_entries(client, roles):
    from oversight.plans.memberships import grant
    from oversight.plans.models import Programme

    demo = build_demo_programme()
    Programme.objects.create(slug="other", name="Another programme")
    alex = User.objects.create_user("alex", password="correct horse battery staple")
    grant(alex, "Administrator", demo)
    _event(what="demo rows", programme="demo")
    _event(what="other rows", programme="other")
    _event(what="data page rows", programme="")
    client.force_login(alex)
    data = client.get(reverse("audit:log_json")).json()
    assert [e["what"] for e in data["events"]] == ["demo rows"]
    assert "other rows" not in client.get(reverse("audit:log_csv")).content.decode("utf-8-sig")


def test_the_log_comes_in_pages_of_fifty(client, ada_administrator):
    AuditEvent.objects.bulk_create([AuditEvent(actor="tara", kind="child-view", what=f"rows {n}") for n in range(60)])
    client.force_login(ada_administrator)
    first = client.get(reverse("audit:log_json")).json()
    second = client.get(reverse("audit:log_json"), {"page": 2}).json()
    assert (first["total"], first["pages"], len(first["events"]), len(second["events"])) == (60, 2, 50, 10)
    assert "Next page" in client.get(reverse("audit:log")).content.decode()


def test_a_start_date_after_the_end_date_is_explained_not_ignored(client, ada_administrator):
    _event()
    client.force_login(ada_administrator)
    response = client.get(reverse("audit:log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "The end date must be the same as or after the start date." in response.content.decode()


# ---------------------------------------------------------------------------------------------- nobody edits it
def test_an_event_cannot_be_changed_or_deleted_by_any_code_path():
    event = _event(rows_shown=3)
    event.rows_shown = 300
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(rows_shown=0)
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        ChildDataAccess.objects.all().delete()
    assert AuditEvent.objects.get().rows_shown == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_database_itself_refuses_to_change_or_delete_an_event():
    _event()
    for sql in ("UPDATE accounts_auditevent SET what = 'tampered'", "DELETE FROM accounts_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.get().what == "indicator rows: cpp_open 2020-01"


def test_the_admin_shows_the_log_but_offers_no_add_change_or_delete(client):
    root = User.objects.create_superuser("root", password="correct horse battery staple")
    event = _event()
    client.force_login(root)
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    page = client.get(reverse("admin:accounts_auditevent_change", args=[event.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == 1


# ---------------------------------------------------------------------------------------------- why, if asked
def test_with_reasons_asked_tara_says_why_before_the_rows_and_the_reason_is_logged(client, dataset, tara, settings):
    settings.OVERSIGHT_ASK_REASON_FOR_CHILD_DATA = True
    client.force_login(tara)
    url = reverse("datasets:worklist", args=[dataset.dataset_id])
    first = client.get(url)
    assert first.status_code == 302 and first["Location"].startswith(reverse("audit:reason"))
    assert not AuditEvent.objects.exists()
    form = client.get(first["Location"])
    assert "Why do you need to see these records?" in form.content.decode()
    short = client.post(reverse("audit:reason"), {"reason": "no", "next": url})
    assert short.status_code == 200 and not AuditEvent.objects.exists()
    given = client.post(reverse("audit:reason"), {"reason": "Checking Team 2's records before supervision",
                                                  "next": url})
    assert given.status_code == 302 and given["Location"] == url
    assert client.get(url).status_code == 200
    assert ChildDataAccess.objects.get().reason == "Checking Team 2's records before supervision"


def test_with_reasons_asked_the_json_twin_answers_403_with_the_form_to_fill(client, dataset, tara, settings):
    settings.OVERSIGHT_ASK_REASON_FOR_CHILD_DATA = True
    client.force_login(tara)
    response = client.get(reverse("datasets:worklist_json", args=[dataset.dataset_id]))
    assert response.status_code == 403 and response.json()["reason_form"].startswith("/audit/reason/")


def test_the_reason_form_never_sends_anyone_to_another_site(client, tara_team_manager):
    client.force_login(tara_team_manager)
    response = client.post(reverse("audit:reason"), {"reason": "Looking at cases", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:home")


def test_reasons_are_not_asked_unless_the_install_asks(client, dataset, tara):
    client.force_login(tara)
    assert client.get(reverse("datasets:worklist", args=[dataset.dataset_id])).status_code == 200
    assert ChildDataAccess.objects.get().reason == ""


def test_bob_cannot_give_a_reason_to_see_child_level_data(client, bob_board_member):
    client.force_login(bob_board_member)
    assert client.get(reverse("audit:reason")).status_code == 403
    assert client.post(reverse("audit:reason"), {"reason": "curious about it", "next": "/"}).status_code == 403


# ---------------------------------------------------------------------------------------------- command line
def test_a_plan_export_at_the_command_line_is_logged_as_the_command_line_and_the_os_account(roles, tmp_path):
    build_demo_programme()
    out = tmp_path / "plan.xlsx"
    call_command("plan", "export", "--programme", "demo", "--format", "xlsx", "-o", str(out))
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.user, event.programme, event.format) == (
        "export", "command line", None, "demo", "xlsx")
    assert event.os_user and event.who == f"command line ({event.os_user})" and event.path == str(out)


def test_a_report_written_at_the_command_line_is_logged(roles, tmp_path):
    build_demo_programme()
    call_command("report", "risks", "--programme", "demo", "--format", "json", "-o", str(tmp_path / "r.json"))
    event = AuditEvent.objects.get()
    assert event.kind == "export" and event.what.startswith("report risks demo") and event.format == "json"


def test_log_command_names_the_operating_system_account():
    event = log_command("scorecard export", fmt="csv", rows=12)
    assert event is not None and event.os_user and event.rows_shown == 12


# ---------------------------------------------------------------------------------------------- nothing lost
def test_a_backup_holds_the_audit_log_and_a_restore_puts_it_back(roles, settings, tmp_path, tara_team_manager):
    settings.DATA_DIR = tmp_path / "data"
    build_demo_programme()
    _event(user=tara_team_manager, what="indicator rows: cpp_open 2020-01", rows_shown=7, reason="supervision",
           ip_address="10.0.0.7")
    log_command("plan export demo (json)", fmt="json", programme="demo")
    before = [(e.at, e.actor, e.kind, e.what, e.rows_shown, e.reason, e.ip_address, e.user_id)
              for e in AuditEvent.objects.order_by("pk")]
    manifest = write_backup(tmp_path / "backup.zip")
    assert manifest["counts"]["accounts.auditevent"] == 2
    restore_backup(tmp_path / "backup.zip", force=True)
    after = [(e.at, e.actor, e.kind, e.what, e.rows_shown, e.reason, e.ip_address, e.user_id)
             for e in AuditEvent.objects.order_by("pk")]
    assert after == before


@pytest.mark.skipif(OV is None, reason="needs the installed oversight command")
def test_the_backup_command_is_logged_and_the_restored_install_keeps_it(tmp_path):
    def run(home, *args):
        env = {**os.environ, "OVERSIGHT_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}"}
        return subprocess.run([OV, *args], capture_output=True, text=True, env=env, timeout=600)

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for home, *args in [(first, "demo", "--no-serve", "--skip-data"),
                        (first, "plan", "export", "--programme", "demo", "--format", "json", "-o",
                         str(tmp_path / "p.json")),
                        (first, "backup", str(tmp_path / "b.zip")), (second, "restore", str(tmp_path / "b.zip"))]:
        done = run(home, *args)
        assert done.returncode == 0, f"oversight {' '.join(args)}: {done.stderr[-2000:]}"
    script = ("import json; from oversight.accounts.models import AuditEvent as E; "
              "print(json.dumps([[e.kind, e.actor, e.what[:11]] for e in E.objects.order_by('pk')]))")
    events = json.loads(run(second, "shell", "-c", script).stdout.strip().splitlines()[-1])
    assert [e[:2] for e in events] == [["export", "command line"], ["restore", "command line"]]
    assert events[0][2] == "plan export"
