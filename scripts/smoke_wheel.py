"""The installed product, tested as a deployment installs it: build the wheel, install it in a fresh
environment, serve it, browse it — and (``--e2e``) run the browser tests against it.

The package is the product: a deployment installs the wheel, not the source tree, so templates
and static files left out of the package would break every page there and nowhere else. This
script builds the wheel from a copy of the tree (so a stale ``build/`` folder cannot leak old
files into it), installs it into a new virtualenv, checks that the environment imports
``oversight`` from that install (never from ``src/``), prepares the demo, starts
``oversight serve`` (waitress, debug off), signs in as the demo programme manager and requires
every main page and a static file to answer 200.

With ``--e2e`` it then runs ``pytest -m e2e`` with ``OVERSIGHT_E2E_VENV`` pointing at that
environment: the browser tests (axe-core on every page, the keyboard-only journey, the
upload/publish/report journeys) then run against servers started from the installed wheel, each
test's data made by the installed code (``tests/e2e/conftest.py``). CI runs this instead of the
browser tests against the source tree, not as well as them. Arguments after ``--`` go to pytest.

    python scripts/smoke_wheel.py                 # the smoke test only
    python scripts/smoke_wheel.py --e2e           # and the browser tests against the install
    python scripts/smoke_wheel.py --e2e --keep /tmp/ov-wheel -- -k keyboard
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/plan/demo/", "/plan/demo/tracker/", "/plan/demo/tracker.json", "/performance/", "/data/",
         "/accessibility/", "/static/css/oversight.css"]
#: What the wheel is built from: the project's own files, without caches or an old build folder.
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "src"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(venv: Path, home: Path) -> dict[str, str]:
    """The environment a deployment's process has: the install's own bin first, nothing of the tree's."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "OVERSIGHT_DEBUG", "OVERSIGHT_DATA_DIR", "OVERSIGHT_TASKS_BACKEND",
                        "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTHONPATH", "PYTHONHOME"}}
    env.update({"OVERSIGHT_HOME": str(home), "VIRTUAL_ENV": str(venv),
                "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"})
    return env


def installed_from(venv: Path, cwd: Path) -> dict:
    """Where the environment's ``oversight`` is imported from, and how pip installed it (PEP 610)."""
    code = ("import json, oversight, importlib.metadata as m; "
            "print(json.dumps({'file': oversight.__file__, "
            "'direct_url': json.loads(m.distribution('oversight').read_text('direct_url.json') or '{}')}))")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True,
                         env=clean_env(venv, cwd), cwd=cwd).stdout
    return json.loads(out)


def check_installed(venv: Path, cwd: Path) -> str:
    """Fail unless the environment imports ``oversight`` from its own site-packages, installed from a wheel."""
    found = installed_from(venv, cwd)
    where = Path(found["file"]).resolve()
    if not where.is_relative_to(venv.resolve()) or where.is_relative_to(ROOT / "src"):
        raise SystemExit(f"{venv} imports oversight from {where}, not from its own install of the wheel")
    if "dir_info" in found["direct_url"]:  # an editable or source-folder install, not the wheel
        raise SystemExit(f"{venv} has oversight installed from a folder ({found['direct_url']}), not a wheel")
    return str(where.parent)


def build_and_install(work: Path) -> tuple[Path, Path]:
    """Build the wheel from a copy of the tree and install it (and its dependencies) into a new virtualenv."""
    t0 = time.monotonic()
    tree = work / "tree"
    tree.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build"))
        elif source.exists():
            shutil.copy2(source, tree / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(tree)],
                   check=True)
    wheel = next((work / "dist").glob("oversight-*.whl"))
    t1 = time.monotonic()
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # Installed the way a deployment installs it: the wheel and its dependencies, nothing from the tree.
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True, cwd=work)
    print(f"  built {wheel.name} in {t1 - t0:.0f} s, installed it in a fresh environment in "
          f"{time.monotonic() - t1:.0f} s")
    return wheel, venv


def smoke(venv: Path, work: Path) -> list[str]:
    """The demo, served by the installed ``oversight serve``: sign in, every main page answers 200."""
    home = work / "smoke-home"
    env = {**clean_env(venv, home), "OVERSIGHT_DEMO_PASSWORD": "smoke-test-password-1"}
    ov = str(venv / "bin" / "oversight")
    subprocess.run([ov, "demo", "--no-serve", "--skip-data"], check=True, env=env, cwd=work,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([ov, "serve", f"127.0.0.1:{port}"], env=env, cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(120):
            try:
                login = opener.open(f"{base}/accounts/login/", timeout=5).read().decode()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"the server stopped:\n{server.stdout.read() if server.stdout else ''}") from None
                time.sleep(0.5)
        else:
            raise SystemExit("the server did not start")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        data = urllib.parse.urlencode({"username": "demo", "password": "smoke-test-password-1",
                                       "csrfmiddlewaretoken": token}).encode()
        req = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"})
        opener.open(req, timeout=30)
        failures = []
        for page in PAGES:
            try:
                status = opener.open(f"{base}{page}", timeout=30).status
            except urllib.error.HTTPError as exc:
                status = exc.code
            print(f"  {status} {page}")
            if status != 200:
                failures.append(page)
        return failures
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e2e", action="store_true", help="then run the browser tests against the install")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build and install in this (new or empty) folder and leave it there")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        if any(args.keep.iterdir()):
            parser.error(f"{args.keep} is not empty")
        work = args.keep.resolve()
    else:
        work = Path(tempfile.mkdtemp(prefix="oversight-wheel-"))
    try:
        wheel, venv = build_and_install(work)
        package = check_installed(venv, work)
        print(f"  the environment imports oversight from {package}")
        t0 = time.monotonic()
        failures = smoke(venv, work)
        if failures:
            print(f"smoke test of the installed wheel FAILED on {failures}", file=sys.stderr)
            return 1
        print(f"smoke test of the installed wheel passed ({wheel.name}, {time.monotonic() - t0:.0f} s)")
        if not args.e2e:
            return 0
        print("==> the browser tests against the installed wheel")
        t0 = time.monotonic()
        env = {**os.environ, "OVERSIGHT_E2E_VENV": str(venv)}
        code = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "e2e",
                               "tests/e2e", *pytest_args], cwd=ROOT, env=env).returncode
        print(f"  browser tests against the installed wheel: {'passed' if code == 0 else 'FAILED'} in "
              f"{time.monotonic() - t0:.0f} s")
        return code
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
