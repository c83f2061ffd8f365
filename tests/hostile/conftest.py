"""The hostile corpus (``corpus.py``), built once per test session in a temporary folder."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from oversight.accounts.roles import ensure_roles
from oversight.plans.memberships import grant

_spec = importlib.util.spec_from_file_location("hostile_corpus", Path(__file__).with_name("corpus.py"))
corpus_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_module)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """``corpus(builder_name_or_case)`` → the file, built the first time it is asked for."""
    root = tmp_path_factory.mktemp("hostile")
    built: dict[str, Path] = {}

    def get(case: str) -> Path:
        if case not in built:
            build = {**corpus_module.XLSX_CASES, **corpus_module.PLAN_CASES}.get(case) \
                or getattr(corpus_module, case)
            folder = root / f"case{len(built)}"
            folder.mkdir()
            built[case] = build(folder)
        return built[case]

    return get


@pytest.fixture(autouse=True)
def private_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = IMMEDIATE
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    return settings.DATA_DIR


@pytest.fixture
def priya_programme_manager(db) -> User:
    ensure_roles()
    user = User.objects.create_user(username="priya", password="correct horse battery staple")
    grant(user, "Programme manager")
    return User.objects.get(pk=user.pk)
