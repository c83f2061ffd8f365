"""What the browser tests ask of the app itself: make their data, and read back what a journey changed.

The browser tests never touch the app's database from the test process. Each step here runs
*inside the app under test*:

* against the installed wheel (``OVERSIGHT_E2E_VENV``, as CI runs them) this file is run by the
  wheel environment's own Python as a small helper process (``python appside.py``), reading one
  JSON request a line on stdin and answering one JSON line on stdout; it imports ``oversight``
  from that install (and refuses to start otherwise), with the server's settings and database;
* against pytest-django's live server (a developer's ``pytest -m e2e``) the same functions are
  called in the test process, whose database the live server shares.

Each function takes and returns plain JSON data, so both ways give the tests the same answers.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

PASSWORD = "correct horse battery staple"


def _person(username: str, roles: list[str]) -> None:
    from django.contrib.auth.models import User

    from oversight.plans.memberships import grant

    user = User.objects.create_user(username, password=PASSWORD)
    for role in roles:
        grant(user, role)  # council-wide: every programme


def people(users: dict[str, list[str]]) -> None:
    """The roles, and a person (password ``PASSWORD``) holding each of the named roles council-wide."""
    from oversight.accounts.roles import ensure_roles

    ensure_roles()
    for username, roles in users.items():
        _person(username, roles)


def demo(users: dict[str, list[str]], risks: bool = False, annex_a: bool = False) -> dict:
    """The demo programme of seed 001 (with its risks, with the demo Annex A data) and its people.

    Returns the actions' page addresses by reference and the stored datasets' ids.
    """
    from oversight.plans.demo import build_demo_programme
    from oversight.plans.models import Action

    people(users)
    programme = build_demo_programme()
    if risks:
        from oversight.risks.demo import load_demo_risks

        load_demo_risks(programme)
    if annex_a:
        from oversight.performance.demo import load_demo_data

        load_demo_data()
    actions = Action.objects.filter(recommendation__theme__programme=programme)
    return {"actions": {a.ref: a.get_absolute_url() for a in actions}, "datasets": datasets()}


def action(ref: str) -> dict:
    """An action of the demo programme: its status and its dated notes, oldest first."""
    from oversight.plans.models import Action

    found = Action.objects.get(ref=ref, recommendation__theme__programme__slug="demo")
    return {"url": found.get_absolute_url(), "status": found.status,
            "notes": [{"date": n.date.isoformat(), "text": n.text} for n in found.notes.order_by("date", "pk")]}


def datasets() -> list[dict]:
    from oversight.datasets.models import Dataset

    return [{"dataset_id": d.dataset_id, "as_at": d.as_at.isoformat(), "status": d.status,
             "withdrawn_by": d.withdrawn_by.username if d.withdrawn_by else None}
            for d in Dataset.objects.select_related("withdrawn_by").order_by("pk")]


def load_jobs() -> list[str]:
    """The upload jobs' states, oldest first."""
    from oversight.datasets.models import LoadJob

    return list(LoadJob.objects.order_by("created_at").values_list("state", flat=True))


def live_dataset() -> str | None:
    """The dataset whose figures the scorecard shows (the latest indicator run's), if any."""
    from oversight.performance.services import latest_run

    run = latest_run()
    return run.dataset.dataset_id if run else None


def child_data_access() -> list[str]:
    """Who has opened child-level records, one entry per access."""
    from oversight.accounts.models import ChildDataAccess

    return list(ChildDataAccess.objects.order_by("pk").values_list("user__username", flat=True))


def every_page() -> dict:
    """One of everything a URL can point at, and the pages to open: ``[who, URL name, path, status]``.

    The pages come from the URL configuration *of the app under test* (the walk and sample
    arguments of ``oversight.accounts.url_samples``, as the access matrix uses), so a page added
    tomorrow is checked too. Each is opened by someone its rule (``oversight.accounts.access``)
    lets in: nobody for the public pages, else the programme manager, else the team manager. Form
    targets (POST only) and the admin's own pages are left out; the product's 403 and 404 pages
    are added. ``users`` maps who to a username (``None``: not signed in).
    """
    from oversight.accounts.access import ANONYMOUS, RULES, expected_status
    from oversight.accounts.url_samples import MissingSample, build_world, sample_path, url_patterns

    pm, tm = "Programme manager", "Team manager"
    with tempfile.TemporaryDirectory() as scratch:
        world = build_world(Path(scratch), PASSWORD)
    objects = world["objects"]

    def who_opens(rule) -> str | None:
        if rule.post_only:
            return None
        return next((who for who in (ANONYMOUS, pm, tm) if expected_status(rule, who) == 200), None)

    pages, missing, unruled = [], [], []
    for url in url_patterns():
        if url.is_admin:
            continue
        if url.name not in RULES:  # the access matrix fails such a URL; say so here too
            unruled.append(url.name)
            continue
        who = who_opens(RULES[url.name])
        if who is None:
            continue
        try:
            pages.append([who, url.name, sample_path(url, objects), 200])
        except MissingSample as exc:
            missing.append(str(exc))
    rows = next(u for u in url_patterns() if u.name == "datasets:rows")
    pages += [[ANONYMOUS, "sso_refused", "/accounts/sso-refused/", 403],
              [pm, "error 404", "/plan/no-such-programme/", 404],
              [pm, "error 403", sample_path(rows, objects), 403]]
    users = {who: (world["users"][who].username if world["users"].get(who) else None) for who in (ANONYMOUS, pm, tm)}
    return {"pages": pages, "users": users, "missing_samples": missing, "without_rule": unruled}


# ----------------------------------------------------------------------------- the helper process
FUNCTIONS = {f.__name__: f for f in (people, demo, action, datasets, load_jobs, live_dataset, child_data_access,
                                     every_page)}


def serve(repo: Path) -> None:
    """Answer requests (``{"fn": name, "kwargs": {...}}``, one a line) until stdin closes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    import django

    import oversight

    where = Path(oversight.__file__).resolve()
    if where.is_relative_to(repo / "src") or not where.is_relative_to(Path(sys.prefix).resolve()):
        raise SystemExit(f"appside: oversight imported from {where}, not from this environment's install")
    django.setup()
    from django.db import connections

    answer = sys.stdout
    sys.stdout = sys.stderr  # what the app prints goes to the log, not into the answers
    answer.write(json.dumps({"ready": str(where.parent)}) + "\n")
    answer.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"ok": FUNCTIONS[request["fn"]](**request.get("kwargs", {}))}
        except Exception:  # noqa: BLE001 - the test shows the app's traceback
            reply = {"error": traceback.format_exc()}
        finally:
            connections.close_all()  # no connection held while the test resets the database
        answer.write(json.dumps(reply) + "\n")
        answer.flush()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        serve(Path(__file__).resolve().parents[2])
