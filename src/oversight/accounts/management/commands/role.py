"""``oversight role``: grant, revoke and list people's roles per programme from the command line.

For whoever runs the server (and so already holds the database): the first administrator of a
new install, a council-wide role, or a bulk change. The same rules as the "People and roles"
page apply (``plans.memberships``: an inspector's access must end on a date, no grant already
expired), except the limits on who may grant what — at the command line nobody is asking.

    oversight role grant USER ROLE --programme SLUG [--expires YYYY-MM-DD]
    oversight role grant USER ROLE --all-programmes           # council-wide
    oversight role revoke USER ROLE --programme SLUG | --all-programmes
    oversight role list [--programme SLUG] [--user USER] [--json]

Exit codes: 0 done, 2 refused (no such user, role or programme; a rule broken).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from oversight.cli import as_at_date


class Command(BaseCommand):
    help = "Grant, revoke or list people's roles in programmes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="grant|revoke|list")
        for name, text in (("grant", "Give a person a role in a programme (again: set a new end date)."),
                           ("revoke", "Take a role away.")):
            p = sub.add_parser(name, help=text)
            p.add_argument("user", help="the account's username")
            p.add_argument("role", help='the role, e.g. "Programme manager" (quote it)')
            where = p.add_mutually_exclusive_group()
            where.add_argument("--programme", help="the programme's slug (default: the only programme)")
            where.add_argument("--all-programmes", action="store_true", help="council-wide: every programme")
            if name == "grant":
                p.add_argument("--expires", type=as_at_date, default=None,
                               help="the role grants nothing from this date (YYYY-MM-DD); required for inspectors")
        ls = sub.add_parser("list", help="List roles held, live and expired.")
        ls.add_argument("--programme", help="only this programme's (and council-wide) roles")
        ls.add_argument("--user", help="only this person's roles")
        ls.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **o) -> None:
        from oversight.plans import memberships

        try:
            getattr(self, f"_{o['subcommand']}")(o)
        except memberships.MembershipError as exc:
            raise CommandError(str(exc), returncode=2) from None

    @staticmethod
    def _programme(o):
        from oversight.plans.models import Programme

        if o.get("all_programmes"):
            return None
        if o.get("programme"):
            found = Programme.objects.filter(slug=o["programme"]).first()
            if found is None:
                slugs = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No programme {o['programme']!r} (programmes: {slugs}).", returncode=2)
            return found
        programmes = list(Programme.objects.all()[:2])
        if len(programmes) != 1:
            raise CommandError("Say which programme (--programme SLUG) or --all-programmes.", returncode=2)
        return programmes[0]

    def _grant(self, o) -> None:
        from oversight.plans import memberships
        from oversight.plans.models import Membership

        user = memberships.user_named(o["user"])
        programme = self._programme(o)
        m = memberships.grant(user, o["role"], programme, expires_on=o["expires"], via=Membership.Via.COMMAND)
        until = f" until {m.expires_on:%d/%m/%Y}" if m.expires_on else ""
        self.stdout.write(f"{user.get_username()} is {m.role.name} in {_where(m)}{until}.")

    def _revoke(self, o) -> None:
        from oversight.plans import memberships
        from oversight.plans.models import Membership

        user = memberships.user_named(o["user"])
        role = memberships.role_named(o["role"])
        programme = self._programme(o)
        m = Membership.objects.filter(user=user, role=role, programme=programme).first()
        if m is None:
            raise CommandError(f"{user.get_username()} does not hold {role.name} in "
                               f"{programme.name if programme else 'every programme'}.", returncode=2)
        memberships.revoke(m)
        self.stdout.write(f"{user.get_username()} is no longer {role.name} in {_where(m)}.")

    def _list(self, o) -> None:
        from oversight.plans import memberships
        from oversight.plans.models import Membership

        qs = Membership.objects.select_related("user", "role", "programme").order_by(
            "programme__slug", "user__username", "role__name")
        if o.get("programme"):
            programme = self._programme(o)
            qs = qs.filter(Q(programme=programme) | Q(programme__isnull=True))
        if o.get("user"):
            qs = qs.filter(user=memberships.user_named(o["user"]))
        today = timezone.localdate()
        rows = [{"username": m.user.get_username(), "role": m.role.name,
                 "programme": m.programme.slug if m.programme_id else None,
                 "expires_on": m.expires_on.isoformat() if m.expires_on else None,
                 "live": m.is_live(today), "via": m.via} for m in qs]
        if o["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("Nobody holds a role.")
            return
        for r in rows:
            where = r["programme"] or "every programme"
            end = f" until {r['expires_on']}" if r["expires_on"] else ""
            state = "" if r["live"] else "  (expired)"
            self.stdout.write(f"{r['username']:<30} {r['role']:<20} {where}{end}{state}")


def _where(m) -> str:
    return m.programme.name if m.programme_id else "every programme"
