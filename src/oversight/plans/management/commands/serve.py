"""``oversight serve [ADDR:PORT]``: serve the app for one laptop (Django's server, no reloader)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Oversight on ADDR:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        self.stdout.write(f"Oversight is at http://{addrport}/ (press Ctrl+C to stop)")
        call_command("runserver", addrport, use_reloader=False)
