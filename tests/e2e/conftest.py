"""A real browser (Debian's chromium driven by Playwright) against the app, installed or from the tree.

Two ways to run the same tests, chosen by the environment:

* ``OVERSIGHT_E2E_VENV=/path/to/venv`` (CI, through ``scripts/smoke_wheel.py --e2e``): the app
  is the wheel installed in that fresh environment. One ``oversight serve`` (waitress, debug
  off, the job worker in its thread — as a council laptop runs it) is started from it for the
  session, with its own ``OVERSIGHT_HOME``; before each test its database is put back to the
  freshly migrated one and its data folder emptied, as pytest-django does for the live server.
  Test data is made, and results read back, by the wheel's own code in a helper process
  (``appside.py``); the test process never reads or writes the app's data (it only copies the
  migrated database file back between tests). The environment must
  import ``oversight`` from its own install of a wheel, not from ``src/`` (checked first).
* otherwise (a developer's ``pytest -m e2e``): pytest-django's live server from the source tree,
  with the same ``appside`` functions called in the test process.

Tests ask for ``app`` (``app.url``, ``app.call("demo", users=...)``) and never for ``live_server``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("OVERSIGHT_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
APPSIDE = Path(__file__).with_name("appside.py")
WHEEL_VENV = os.environ.get("OVERSIGHT_E2E_VENV", "")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class App:
    """The app under test: its address, and ``call(fn, **kwargs)`` to run an ``appside`` function inside it."""

    url: str
    installed: bool  # the wheel (True) or the source tree's live server (False)
    _call: Any = field(repr=False)

    def call(self, fn: str, **kwargs) -> Any:
        return self._call(fn, kwargs)


# ------------------------------------------------------------------------------ the installed wheel
class Helper:
    """``appside.py`` run by the wheel environment's Python: one JSON request and answer a line."""

    def __init__(self, venv: Path, env: dict[str, str], home: Path, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen([str(venv / "bin" / "python"), str(APPSIDE)], env=env, cwd=home, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log.open("w"))
        self.where = self._read()["ready"]

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the app-side helper stopped:\n{self.log.read_text()[-4000:]}")
        return json.loads(line)

    def __call__(self, fn: str, kwargs: dict) -> Any:
        self.proc.stdin.write(json.dumps({"fn": fn, "kwargs": kwargs}) + "\n")
        self.proc.stdin.flush()
        reply = self._read()
        if "error" in reply:
            raise AssertionError(f"appside.{fn}({kwargs}) failed inside the installed app:\n{reply['error']}")
        return reply["ok"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@dataclass
class WheelServer:
    url: str
    home: Path
    database: Path
    template: Path
    log: Path
    process: subprocess.Popen
    helper: Helper

    def reset(self) -> None:
        """The database as freshly migrated, the data folder empty: each test starts from nothing."""
        _copy_database(self.template, self.database)
        shutil.rmtree(self.home / "data", ignore_errors=True)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: safe while the server has the target open (it sees the new content)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="session")
def wheel_server(tmp_path_factory):
    venv = Path(WHEEL_VENV).resolve()
    smoke_wheel = _load("oversight_smoke_wheel", REPO / "scripts" / "smoke_wheel.py")
    home = tmp_path_factory.mktemp("wheel-home")
    # Fail unless this environment imports oversight from its own install of the wheel; the server and
    # the helper below are that environment's programs, run with the same environment and folder.
    try:
        package = smoke_wheel.check_installed(venv, home)
    except SystemExit as exc:
        pytest.fail(str(exc))
    env = smoke_wheel.clean_env(venv, home)
    port = _free_port()
    log = home.parent / "server.log"
    # A new install: `oversight serve` sets up its embedded database itself, as on a council laptop.
    process = subprocess.Popen([str(venv / "bin" / "oversight"), "serve", f"127.0.0.1:{port}"], env=env, cwd=home,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"`oversight serve` from {venv} did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    if cmdline.exists():  # the process serving is the environment's own Python running its own `oversight`
        argv = cmdline.read_bytes().split(b"\0")
        assert [Path(a.decode()).parent.resolve() for a in argv[:2]] == [venv / "bin"] * 2, argv
    database = home / "oversight.sqlite3"
    template = home.parent / "migrated.sqlite3"
    _copy_database(database, template)  # freshly migrated, nobody in it: what each test starts from
    helper = Helper(venv, env, home, home.parent / "appside.log")
    assert helper.where == package, (helper.where, package)
    print(f"\nbrowser tests against the installed wheel: {url}, oversight from {package}")
    server = WheelServer(url, home, database, template, log, process, helper)
    yield server
    helper.close()
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def app(request):
    if WHEEL_VENV:
        server = request.getfixturevalue("wheel_server")
        server.reset()
        yield App(server.url, True, server.helper)
        if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
            print(f"--- the server's log ({server.log}), last lines:\n{server.log_tail()}")
        return
    # The source tree: pytest-django's live server and the test database it shares with this process
    # (the django_db mark is added at collection, below).
    live_server = request.getfixturevalue("live_server")
    settings = request.getfixturevalue("settings")
    settings.DATA_DIR = request.getfixturevalue("tmp_path") / "data"
    settings.TASKS = IMMEDIATE  # uploads run inside the request; the lifecycle test starts a worker
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside Playwright's event loop
    appside = _load("oversight_e2e_appside", APPSIDE)

    def call(fn: str, kwargs: dict) -> Any:
        return json.loads(json.dumps(getattr(appside, fn)(**kwargs)))

    yield App(live_server.url, False, call)


def pytest_collection_modifyitems(items):
    """Against the source tree each test gets pytest-django's test database, emptied after it; against the
    installed wheel the test process has no database at all (it would only cost a migration)."""
    if WHEEL_VENV:
        return
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


# ------------------------------------------------------------------------------ the browser
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    # Playwright's sync API runs an event loop; Django must allow sync DB calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page PNG under test-artifacts/ so a person can look at what the test saw."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
