"""The `oversight` command: hyphenated words reach Django commands; users never see tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

OV = shutil.which("oversight")
pytestmark = pytest.mark.skipif(OV is None, reason="the oversight command is installed by pip install -e .")


def run(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "OVERSIGHT_HOME": str(tmp_path)}
    return subprocess.run([OV, *args], capture_output=True, text=True, env=env, timeout=300)


def test_any_django_command_runs_through_oversight(tmp_path):
    result = run("migrate", "--plan", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "plans.0001_initial" in result.stdout


def test_an_unknown_command_says_so_without_a_traceback(tmp_path):
    result = run("no-such-thing", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Unknown command" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_demo_without_serving_prepares_everything_and_says_where_to_sign_in(tmp_path):
    result = run("demo", "--no-serve", "--skip-data", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8000/" in result.stdout
    assert "Sign in:   demo / " in result.stdout
    again = run("demo", "--no-serve", "--skip-data", tmp_path=tmp_path)  # idempotent
    assert again.returncode == 0, again.stderr
