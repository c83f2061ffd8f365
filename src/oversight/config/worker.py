"""Imported once by the file-reading forkserver (see ``oversight.config.uploads``): sets Django up
there, so each reader process forked from it starts with the apps loaded instead of paying for
``django.setup()`` per file. Never raises: a forkserver that fails to preload still works."""

from __future__ import annotations

import contextlib
import os


def ensure_django() -> None:
    """Django set up in this process (a no-op when it already is)."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


if os.environ.get("DJANGO_SETTINGS_MODULE"):
    with contextlib.suppress(Exception):  # the child calls ensure_django again and reports it
        ensure_django()
