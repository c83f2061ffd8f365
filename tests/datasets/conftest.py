"""Named users at each permission edge of the Data area, and a private data folder per test."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from oversight.engine.annex_a.testing import write_workbook


def _user(username: str, *perms: str) -> User:
    """Permissions given to the user directly (council-wide); every one reads the programmes (has a role)."""
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    for dotted in ("plans.view_programme", *perms):
        app_label, codename = dotted.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh instance: no stale permission cache


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def immediate_jobs(settings):
    """Queued jobs run at once, inside the request (the library's own immediate backend).

    test_jobs.py runs the real database-backed worker instead.
    """
    settings.TASKS = IMMEDIATE


@pytest.fixture
def priya_programme_manager(db) -> User:
    """May upload; may not see child-level rows."""
    return _user("priya_programme_manager", "datasets.add_dataset", "datasets.view_dataset")


@pytest.fixture
def amira_team_manager(db) -> User:
    """May see child-level rows (every view logged); may not upload."""
    return _user("amira_team_manager", "accounts.view_child_data", "datasets.view_dataset")


@pytest.fixture
def bob_board_member(db) -> User:
    """Signed in, aggregates only."""
    return _user("bob_board_member")


@pytest.fixture
def workbook(tmp_path):
    return write_workbook(tmp_path / "annex_a.xlsx")
