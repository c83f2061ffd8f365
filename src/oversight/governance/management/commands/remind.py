"""``oversight remind``: e-mail each owner what is overdue, due soon or not updated (run daily by cron).

Sends through Django's mail framework (the console backend unless ``EMAIL_*`` settings choose
SMTP), escalates long-overdue or long-stale actions to the programme manager, and never sends
the same reminder twice in a day. Exits 0 with a one-line summary.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from oversight.plans.models import Programme

from ...reminders import Thresholds, send_reminders


class Command(BaseCommand):
    help = "Send each action owner one reminder e-mail; escalate long-overdue actions to the programme manager."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--programme", help="Only this programme (slug); default: every programme.")
        parser.add_argument("--due-days", type=int, help="Remind of actions due within this many days (14).")
        parser.add_argument("--stale-weeks", type=int, help="Remind of actions not updated for this many weeks (6).")
        parser.add_argument("--escalate-days", type=int,
                            help="Escalate when overdue or stale for this many days more (28).")
        parser.add_argument("--pack-days", type=int,
                            help="Remind the programme manager of a board pack to approve within this many days (5).")
        parser.add_argument("--date", help="The day the reminders are for (YYYY-MM-DD; default today).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send nothing.")

    def handle(self, *args, programme=None, due_days=None, stale_weeks=None, escalate_days=None, pack_days=None,
               date=None, dry_run=False, **options) -> None:
        progs = Programme.objects.all()
        if programme:
            progs = progs.filter(slug=programme)
            if not progs.exists():
                raise CommandError(f"no programme {programme!r}")
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date: expected YYYY-MM-DD, found {date!r}") from None
        t = Thresholds.from_settings(due_days=due_days, stale_weeks=stale_weeks, escalate_days=escalate_days,
                                     pack_days=pack_days)
        summary = send_reminders(programmes=list(progs), thresholds=t, today=today, dry_run=dry_run)
        from django.utils import timezone

        line = summary.line(today or timezone.localdate())
        self.stdout.write(("(dry run) " if dry_run else "") + line)
