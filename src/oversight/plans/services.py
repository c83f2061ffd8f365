"""Changing the plan: the rules every update follows, whichever page or command makes it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
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
                  success_measure: str, note_text: str, note_date: dt.date,
                  quarter: tuple[int, int] | None = None) -> ProgressNote | None:
    """Apply an officer's update: fields, a dated note, the quarter's RAG. All or nothing.

    The version check is a conditional UPDATE so two simultaneous saves cannot both win.
    """
    bumped = Action.objects.filter(pk=action.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit()
    action.refresh_from_db()
    old_status = action.status
    # The RAG belongs to a financial quarter: the one chosen (the reporting period's, by default),
    # else the quarter of the note's date.
    year, quarter = quarter or quarter_of(note_date)
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


def _versioned_save(obj, *, version: int | None, user, fields: dict, reason: str = "") -> None:
    """Save ``fields`` on ``obj`` unless someone saved it since ``version`` was read.

    The conditional UPDATE of the version is the lock: of two simultaneous saves from the same
    version, exactly one bumps it and the other raises ``StaleEdit`` with nothing written.
    The history (simple_history) records who made the change and what it was.
    """
    model = type(obj)
    if version is not None:
        bumped = model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1)
        if not bumped:
            raise StaleEdit()
        obj.refresh_from_db()
    for name, value in fields.items():
        setattr(obj, name, value)
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    obj.save()


@transaction.atomic
def save_versioned(obj, *, version: int | None, user, fields: dict, reason: str = ""):
    """Create (``obj.pk`` is None) or update ``obj`` with the version check; returns ``obj``."""
    if obj.pk is None:
        for name, value in fields.items():
            setattr(obj, name, value)
        if user is not None and getattr(user, "is_authenticated", False):
            obj._history_user = user
        obj.save()
        return obj
    _versioned_save(obj, version=version, user=user, fields=fields, reason=reason)
    return obj


def can_manage(user, model_name: str, action: str = "change") -> bool:
    """Programme managers edit the plan's structure and status in the app (``plans.<action>_<model>``)."""
    return bool(user.is_authenticated and user.has_perm(f"plans.{action}_{model_name}"))


@transaction.atomic
def save_period_record(model, lookup: dict, *, version: int, user, fields: dict):
    """Write the record for one reporting period (a status report, a theme overview).

    ``version`` is the version of the period's own record when the form was loaded, or 0 when
    the period had none yet (the form then showed the previous period's text to start from).
    Any mismatch — someone created or changed the period's record meanwhile — is refused.
    """
    existing = model.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        if version:
            raise StaleEdit()
        obj = model(**lookup)
        try:
            with transaction.atomic():
                return save_versioned(obj, version=None, user=user, fields=fields)
        except IntegrityError:
            raise StaleEdit() from None
    if not version:
        raise StaleEdit()
    return save_versioned(existing, version=version, user=user, fields=fields)


@transaction.atomic
def save_budget_line(programme, period_end: dt.date, line, *, version: int, user, fields: dict):
    """Add (``line`` None) or change a budget line for the period ``period_end``.

    A line shown from an earlier period (nobody has written this period's budget yet) is
    carried forward: the earlier period's lines are copied to this period first, so last
    month's figures stay as the board saw them, then the copy is changed.
    """
    from .models import BudgetLine

    if line is None:
        order = max(programme.budget_lines.filter(period_end=period_end).values_list("order", flat=True),
                    default=0) + 1
        return save_versioned(BudgetLine(programme=programme, period_end=period_end, order=order),
                              version=None, user=user, fields=fields)
    if line.period_end != period_end:
        if BudgetLine.objects.filter(pk=line.pk, version=version).count() != 1:
            raise StaleEdit()
        if programme.budget_lines.filter(period_end=period_end).exists():
            raise StaleEdit()  # someone started this period's budget meanwhile
        copy_of = None
        for old in programme.budget_lines.filter(period_end=line.period_end).order_by("order", "id"):
            new = BudgetLine.objects.create(
                programme=programme, period_end=period_end, order=old.order, name=old.name, budget=old.budget,
                actual=old.actual, forecast=old.forecast, comments=old.comments, author=old.author)
            if old.pk == line.pk:
                copy_of = new
        return save_versioned(copy_of, version=copy_of.version, user=user, fields=fields)
    return save_versioned(line, version=version, user=user, fields=fields)
