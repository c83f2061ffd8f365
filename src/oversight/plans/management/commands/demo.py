"""``oversight demo``: prepare the database, load the demo, create logins and serve.

Everything a newcomer needs to be looking at the demo plan in a browser, in one command.
Running it again rebuilds the demo programme; logins are kept and their passwords reset.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.accounts.roles import ensure_roles
from oversight.plans.demo import build_demo_programme
from oversight.plans.models import Membership

DEMO_USERS = [
    # username, role in the demo programme, person initials in the demo programme, staff (admin site)?
    ("demo", "Programme manager", "PM", True),
    ("team.manager", "Team manager", "HOS-MASH", False),
    ("board.member", "Board member", None, False),
    ("inspector", "Inspector", None, False),  # access ends 90 days from today
]
DEMO_ADMINISTRATOR = "demo"  # also administrator of the demo programme: grants any role on People and roles


class Command(BaseCommand):
    help = "Prepare the database, load the demo programme and data, create demo logins, and serve."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything, then exit.")
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--skip-data", action="store_true", help="Do not generate synthetic Annex A data.")

    def handle(self, *args, no_serve: bool, addrport: str, skip_data: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        ensure_roles()
        programme = build_demo_programme()
        self.stdout.write(f"Demo programme loaded: {programme.name} ({programme.themes.count()} themes, "
                          f"{sum(t.recommendations.count() for t in programme.themes.all())} objectives).")
        from oversight.risks.demo import load_demo_risks  # lazy: plans never imports risks at module level

        self.stdout.write(load_demo_risks(programme))
        from oversight.performance.demo import load_demo_measures  # lazy, as above: seed 001's local measures

        self.stdout.write(load_demo_measures(programme))
        from oversight.governance.demo import load_demo_governance  # lazy, as above: boards, visits, projects

        self.stdout.write(load_demo_governance(programme))
        password = os.environ.get("OVERSIGHT_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        for username, group, initials, staff in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = staff
            user.email = user.email or f"{username}@example.org"  # `oversight remind` writes to the console
            user.save()
            user.groups.clear()  # roles are memberships of the programme, never global groups
            expires = timezone.localdate() + dt.timedelta(days=90) if group == "Inspector" else None
            Membership.objects.create(user=user, programme=programme, role=Group.objects.get(name=group),
                                      expires_on=expires, via=Membership.Via.COMMAND)
            if username == DEMO_ADMINISTRATOR:
                Membership.objects.create(user=user, programme=programme, role=Group.objects.get(name="Administrator"),
                                          via=Membership.Via.COMMAND)
            if initials:
                programme.people.filter(initials=initials).update(user=user)
        if not skip_data:
            self._load_demo_data()
        self.stdout.write(self.style.SUCCESS("\nOversight demo is ready."))
        self.stdout.write(f"  Open:      http://{addrport}/")
        self.stdout.write(f"  Sign in:   demo / {password}   (programme manager)")
        self.stdout.write(f"  Also:      team.manager / {password} (sees child-level data), "
                          f"board.member / {password} (read-only), inspector / {password} (read-only, for 90 days)")
        self.stdout.write("  Set OVERSIGHT_DEMO_PASSWORD to choose the password.")
        if not no_serve:
            call_command("serve", addrport)

    def _load_demo_data(self) -> None:
        """Synthetic Annex A data for the scorecard; hooked up by the performance part."""
        try:
            from oversight.performance.demo import load_demo_data
        except ImportError:
            return
        self.stdout.write(load_demo_data())
        from oversight.datasets.demo import assign_demo_worklists  # lazy: the team manager's worklist

        self.stdout.write(assign_demo_worklists())
