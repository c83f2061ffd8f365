"""Changing the plan: the rules every update follows, whichever page or command makes it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F

from .models import DONE_STATUSES, Action, ProgressNote, RagRating, Status, quarter_of
from .when import parse_due


class StaleEdit(Exception):
    """The action changed since the editor loaded it; saving would overwrite someone's work."""


def can_update(user, action: Action) -> bool:
    """Programme managers update any action; action owners only the ones they own."""
    if not user.is_authenticated:
        return False
    if user.has_perm("plans.change_action"):
        return True
    return user.has_perm("plans.update_own_action") and action.owners.filter(user=user).exists()


@transaction.atomic
def update_action(action: Action, *, user, version: int, status: str, rag: str, when_text: str,
                  success_measure: str, note_text: str, note_date: dt.date) -> ProgressNote | None:
    """Apply an officer's update: fields, a dated note, the quarter's RAG. All or nothing.

    The version check is a conditional UPDATE so two simultaneous saves cannot both win.
    """
    bumped = Action.objects.filter(pk=action.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit()
    action.refresh_from_db()
    old_status = action.status
    year, quarter = quarter_of(note_date)
    old_rating = RagRating.objects.filter(action=action, year=year, quarter=quarter).first()
    old_rag = old_rating.rag if old_rating else ""

    note = None
    if note_text.strip():
        note = ProgressNote.objects.create(
            action=action, date=note_date, text=note_text.strip(), author=user,
            status_from=old_status if status != old_status else "",
            status_to=status if status != old_status else "",
            rag=rag if rag != old_rag else "",
        )
    action.status = Status(status)
    if action.status in DONE_STATUSES and old_status not in DONE_STATUSES:
        action.completed_on = note_date
    elif action.status not in DONE_STATUSES:
        action.completed_on = None
    if when_text != action.when_text:
        action.when_text = when_text
        action.due = parse_due(when_text)
    action.success_measure = success_measure
    action._change_reason = note_text.strip()[:100] or "updated"
    action.save()
    if rag and rag != old_rag:
        RagRating.objects.update_or_create(
            action=action, year=year, quarter=quarter, defaults={"rag": rag, "note": note, "set_by": user},
        )
    elif not rag and old_rating:
        old_rating.delete()
    return note


def add_note(action: Action, *, user, text: str, date: dt.date) -> ProgressNote:
    return ProgressNote.objects.create(action=action, date=date, text=text.strip(), author=user)
