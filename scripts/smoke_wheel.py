"""Smoke test of the installed product: build the wheel, install it in a fresh environment, serve, browse.

The package is the product: a deployment installs the wheel, not the source tree, so templates
and static files left out of the package would break every page there and nowhere else. This
script installs the wheel into a new virtualenv, prepares the demo, starts ``oversight serve``
(waitress, debug off) and signs in as the demo programme manager, and requires every main page
and a static file to answer 200.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/plan/demo/", "/plan/demo/tracker/", "/plan/demo/tracker.json", "/performance/", "/data/",
         "/accessibility/", "/static/css/oversight.css"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="oversight-wheel-"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
                   check=True)
    wheel = next((work / "dist").glob("oversight-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    py = work / "venv" / "bin" / "python"
    # Installed the way a deployment installs it: the wheel and its dependencies, nothing from the tree.
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    ov = work / "venv" / "bin" / "oversight"
    env = {**os.environ, "OVERSIGHT_HOME": str(work / "home"), "OVERSIGHT_DEMO_PASSWORD": "smoke-test-password-1",
           "PYTHONPATH": ""}
    env.pop("DATABASE_URL", None)
    env.pop("OVERSIGHT_DEBUG", None)
    where = subprocess.run([str(py), "-c", "import oversight, sys; sys.stdout.write(oversight.__file__)"],
                           capture_output=True, text=True, env=env, cwd=work, check=True).stdout
    assert str(ROOT / "src") not in where, f"the smoke test imported the source tree, not the wheel: {where}"
    subprocess.run([str(ov), "demo", "--no-serve", "--skip-data"], check=True, env=env, cwd=work,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([str(ov), "serve", f"127.0.0.1:{port}"], env=env, cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(60):
            try:
                login = opener.open(f"{base}/accounts/login/", timeout=5).read().decode()
                break
            except OSError:
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
        if failures:
            print(f"smoke test of the installed wheel FAILED on {failures}", file=sys.stderr)
            return 1
        print(f"smoke test of the installed wheel passed ({wheel.name})")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
