"""Changing the registers: the rules every change follows, whichever page, import or command makes it.

* A score is probability × impact (``Risk.save``); a change of probability or impact is a
  re-score, and every re-score adds a dated ``RiskAssessment`` saying who and why.
* Closing needs a date and a reason; reopening keeps them in the history.
* Every change is a conditional UPDATE on ``version`` (as ``plans.services.update_action``), so
  when two people edit the same row the second save is refused, never silently overwrites.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from oversight.plans.services import StaleEdit
from oversight.plans.when import parse_due

from .models import Concern, Development, Risk, RiskAssessment, RiskBands, Status

__all__ = ["StaleEdit", "close_risk", "create_risk", "rescore", "reopen_risk", "save_bands", "save_entry",
           "update_risk"]

#: Fields of a risk that the details form changes (probability and impact change by re-scoring).
DETAIL_FIELDS = ("ref", "kind", "description", "mitigation", "raised_on", "raised_text", "owner", "owner_text",
                 "review_on", "target_probability", "target_impact", "indicators")


def can_edit(user, what: str = "risk") -> bool:
    """Programme managers edit the registers; everyone signed in reads them."""
    return bool(user.is_authenticated and user.has_perm(f"risks.change_{what}"))


def _claim(model: type[models.Model], obj: Any, version: int) -> None:
    """Take the row at ``version`` or refuse: one conditional UPDATE, so two saves cannot both win."""
    if not model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1):
        raise StaleEdit()
    obj.refresh_from_db()


def raised_date(raised_text: str) -> dt.date | None:
    """The date read from the words: "January 2020" was raised in January, so the 1st of the month.

    (A "when" names a deadline and is read as the month's end; a date raised names a start.)
    """
    day = parse_due(raised_text)
    if day is None:
        return None
    names_a_day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\s+[a-z]", raised_text, re.I) or re.search(
        r"\d[./-]\d", raised_text)
    return day if names_a_day else day.replace(day=1)


@transaction.atomic
def create_risk(programme, *, user, probability: int, impact: int, actions: Iterable = (), note: str = "",
                assessed_on: dt.date | None = None, **fields) -> Risk:
    """Add a risk and its first assessment (dated the day it was raised, else ``assessed_on``)."""
    if not fields.get("raised_on") and fields.get("raised_text"):
        fields["raised_on"] = raised_date(fields["raised_text"])
    risk = Risk(programme=programme, probability=probability, impact=impact, **fields)
    risk._change_reason = "added"
    risk.save()
    risk.actions.set(list(actions))
    RiskAssessment.objects.create(risk=risk, assessed_on=assessed_on or risk.raised_on or timezone.localdate(),
                                  probability=probability, impact=impact, note=note or "First assessment",
                                  by=user if user and user.is_authenticated else None)
    return risk


@transaction.atomic
def update_risk(risk: Risk, *, user, version: int, actions: Iterable | None = None, **fields) -> Risk:
    """Change a risk's details (not its score: see ``rescore``)."""
    _claim(Risk, risk, version)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not a detail of a risk: {', '.join(sorted(unknown))}")
    if "raised_text" in fields and not fields.get("raised_on"):
        fields["raised_on"] = raised_date(fields["raised_text"])
    for name, value in fields.items():
        setattr(risk, name, value)
    risk._change_reason = "details changed"
    risk.save()
    if actions is not None:
        risk.actions.set(list(actions))
    return risk


@transaction.atomic
def rescore(risk: Risk, *, user, version: int, probability: int, impact: int, assessed_on: dt.date,
            note: str) -> RiskAssessment:
    """Score a risk again: a new dated assessment, and the register shows the new score."""
    _claim(Risk, risk, version)
    risk.probability, risk.impact = probability, impact
    risk._change_reason = (note or "re-scored")[:100]
    risk.save()
    return RiskAssessment.objects.create(risk=risk, assessed_on=assessed_on, probability=probability,
                                         impact=impact, note=note, by=user if user and user.is_authenticated else None)


@transaction.atomic
def close_risk(risk: Risk, *, user, version: int, closed_on: dt.date, reason: str) -> Risk:
    if not closed_on or not (reason or "").strip():
        raise ValueError("closing a risk needs a date and a reason")
    _claim(Risk, risk, version)
    risk.status, risk.closed_on, risk.closed_reason = Status.CLOSED, closed_on, reason.strip()
    risk._change_reason = f"closed: {reason.strip()}"[:100]
    risk.save()
    return risk


@transaction.atomic
def reopen_risk(risk: Risk, *, user, version: int, reason: str) -> Risk:
    """Open a closed risk again; the closing date and reason stay in its history."""
    _claim(Risk, risk, version)
    risk.status, risk.closed_on, risk.closed_reason = Status.OPEN, None, ""
    risk._change_reason = f"reopened: {reason.strip()}"[:100] if reason else "reopened"
    risk.save()
    return risk


@transaction.atomic
def save_entry(model: type[Concern] | type[Development], programme, *, user, version: int | None = None,
               entry: Concern | Development | None = None, **fields) -> Concern | Development:
    """Add (``entry`` None) or change a concern or development; the date is read from "by when"."""
    if "by_when_text" in fields and "by_when" not in fields:
        fields["by_when"] = parse_due(fields["by_when_text"])
    if entry is None:
        if "order" not in fields:
            last = model.objects.filter(programme=programme).order_by("-order").first()
            fields["order"] = (last.order if last else 0) + 1
        entry = model(programme=programme, **fields)
        entry._change_reason = "added"
        entry.save()
        return entry
    _claim(model, entry, version if version is not None else -1)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry._change_reason = "changed"
    entry.save()
    return entry


def save_bands(programme, *, red_from: int, amber_from: int) -> RiskBands:
    if not 2 <= amber_from < red_from <= 25:
        raise ValueError("amber must start below red, and both within 2–25")
    bands, _ = RiskBands.objects.update_or_create(programme=programme,
                                                  defaults={"red_from": red_from, "amber_from": amber_from})
    programme.risk_bands = bands
    return bands
