"""Nothing lost: a backup restores into an empty install with the same plan, people and files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from oversight.ops.backup import read_manifest, restore_backup, write_backup
from oversight.plans.demo import build_demo_programme
from oversight.plans.exporters import export_json
from oversight.plans.memberships import grant
from oversight.plans.models import Action, Programme

OV = shutil.which("oversight")


@pytest.fixture
def demo(roles, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    (settings.DATA_DIR / "datasets" / "abc").mkdir(parents=True)
    (settings.DATA_DIR / "datasets" / "abc" / "list1.parquet").write_bytes(b"PAR1 not really parquet PAR1")
    programme = build_demo_programme()
    priya = User.objects.create_user("priya", password="correct horse battery staple")
    grant(priya, "Programme manager")
    return programme


def test_a_backup_names_what_it_holds(demo, tmp_path):
    manifest = write_backup(tmp_path / "backup.zip")
    assert manifest["counts"]["plans.action"] == Action.objects.count()
    assert manifest["files"] == 1
    with zipfile.ZipFile(tmp_path / "backup.zip") as zf:
        assert "files/datasets/abc/list1.parquet" in zf.namelist()
    assert read_manifest(tmp_path / "backup.zip")["format"] == "oversight-backup"


def test_restoring_over_a_wiped_install_gives_back_the_same_plan_users_and_files(demo, settings, tmp_path):
    before = export_json(Programme.objects.get(slug="demo"))
    write_backup(tmp_path / "backup.zip")
    shutil.rmtree(settings.DATA_DIR)
    restore_backup(tmp_path / "backup.zip", force=True)
    assert export_json(Programme.objects.get(slug="demo")) == before
    priya = User.objects.get(username="priya")
    assert priya.check_password("correct horse battery staple")
    assert list(priya.memberships.values_list("role__name", flat=True)) == ["Programme manager"]
    assert priya.has_perm("plans.change_action")
    assert (settings.DATA_DIR / "datasets" / "abc" / "list1.parquet").read_bytes().startswith(b"PAR1")


def test_a_restore_refuses_an_install_that_already_holds_a_plan(demo, tmp_path):
    write_backup(tmp_path / "backup.zip")
    with pytest.raises(CommandError, match="already has users or programmes"):
        call_command("restore", str(tmp_path / "backup.zip"))


def test_a_file_that_is_not_a_backup_is_refused_in_one_line(db, tmp_path):
    (tmp_path / "junk.zip").write_bytes(os.urandom(500))
    with pytest.raises(CommandError, match="not an Oversight backup"):
        call_command("restore", str(tmp_path / "junk.zip"))


@pytest.mark.skipif(OV is None, reason="needs the installed oversight command")
def test_a_backup_restores_into_an_empty_install_in_another_folder(tmp_path):
    """The whole path as an administrator runs it: two installs, two folders, two databases."""
    def run(home, *args):
        env = {**os.environ, "OVERSIGHT_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}"}
        return subprocess.run([OV, *args], capture_output=True, text=True, env=env, timeout=600)

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert run(first, "demo", "--no-serve", "--skip-data").returncode == 0
    assert run(first, "backup", str(tmp_path / "b.zip")).returncode == 0
    restored = run(second, "restore", str(tmp_path / "b.zip"))
    assert restored.returncode == 0, restored.stderr
    for home in (first, second):
        assert run(home, "plan", "export", "--programme", "demo", "--format", "json",
                   "-o", str(home / "plan.json")).returncode == 0
    assert json.loads((first / "plan.json").read_text()) == json.loads((second / "plan.json").read_text())
