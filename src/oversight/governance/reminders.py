"""What each person owns and what needs their attention; the daily reminder e-mails.

"Due soon", "overdue" and "not updated" are counted from the programme's current reporting
period (``plans.periods.current_period``), as every page is: a programme whose current period
is January 2020 reminds about what was due at the end of January 2020. A programme with no
current period set reminds as at today (reminders run daily by cron).

The thresholds are settings (``OVERSIGHT_REMIND_DUE_DAYS`` 14, ``OVERSIGHT_REMIND_STALE_WEEKS``
6, ``OVERSIGHT_REMIND_ESCALATE_DAYS`` 28) and can be given per run. One e-mail per owner and per
programme manager a day: the ``ReminderLog`` refuses a second one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone

from oversight.plans.models import DONE_STATUSES, Action, Programme
from oversight.plans.periods import current_period

from .models import ActionArising, ReminderLog


@dataclass(frozen=True)
class Thresholds:
    due_days: int = 14
    stale_weeks: int = 6
    escalate_days: int = 28
    pack_days: int = 5  # remind the programme manager of a pack to approve within this many days

    @classmethod
    def from_settings(cls, **overrides) -> Thresholds:
        values = {"due_days": getattr(settings, "OVERSIGHT_REMIND_DUE_DAYS", 14),
                  "stale_weeks": getattr(settings, "OVERSIGHT_REMIND_STALE_WEEKS", 6),
                  "escalate_days": getattr(settings, "OVERSIGHT_REMIND_ESCALATE_DAYS", 28),
                  "pack_days": getattr(settings, "OVERSIGHT_REMIND_PACK_DAYS", 5)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**{k: int(v) for k, v in values.items()})


def reference_day(programme, today: dt.date | None = None) -> dt.date:
    """The as-at of the programme's current period, or today when none is set."""
    if programme.current_as_at:
        return current_period(programme).as_at
    return today or timezone.localdate()


@dataclass
class Item:
    """One thing a person owns, with why it needs attention."""

    kind: str  # "action" | "arising"
    ref: str
    title: str
    programme: str
    due: dt.date | None
    last_update: dt.date | None
    url: str
    overdue: bool = False
    due_soon: bool = False
    stale: bool = False
    escalate: bool = False
    days_overdue: int = 0

    def as_dict(self) -> dict:
        return {"kind": self.kind, "ref": self.ref, "title": self.title, "programme": self.programme,
                "due": self.due and self.due.isoformat(),
                "last_update": self.last_update and self.last_update.isoformat(), "url": self.url,
                "overdue": self.overdue, "due_soon": self.due_soon, "stale": self.stale, "escalate": self.escalate,
                "days_overdue": self.days_overdue}


@dataclass
class Attention:
    """Everything one person owns in one programme, sorted into the page's sections."""

    programme: Programme
    as_at: dt.date
    items: list[Item] = field(default_factory=list)

    @property
    def overdue(self) -> list[Item]:
        return [i for i in self.items if i.overdue]

    @property
    def due_soon(self) -> list[Item]:
        return [i for i in self.items if i.due_soon]

    @property
    def stale(self) -> list[Item]:
        return [i for i in self.items if i.stale]

    @property
    def needs_attention(self) -> list[Item]:
        return [i for i in self.items if i.overdue or i.due_soon or i.stale]

    def as_dict(self) -> dict:
        return {"programme": self.programme.slug, "programme_name": self.programme.name,
                "as_at": self.as_at.isoformat(),
                "overdue": [i.as_dict() for i in self.overdue], "due_soon": [i.as_dict() for i in self.due_soon],
                "not_updated": [i.as_dict() for i in self.stale], "all": [i.as_dict() for i in self.items]}


def _classify(item: Item, as_at: dt.date, t: Thresholds) -> Item:
    if item.due and item.due < as_at:
        item.overdue, item.days_overdue = True, (as_at - item.due).days
    elif item.due and item.due <= as_at + dt.timedelta(days=t.due_days):
        item.due_soon = True
    stale_before = as_at - dt.timedelta(weeks=t.stale_weeks)
    item.stale = item.last_update is None or item.last_update < stale_before
    long_stale = item.last_update is not None and item.last_update < stale_before - dt.timedelta(days=t.escalate_days)
    item.escalate = item.days_overdue > t.escalate_days or long_stale
    return item


def open_actions(programme, *, user=None, person=None):
    qs = (Action.objects.filter(recommendation__theme__programme=programme).exclude(status__in=DONE_STATUSES)
          .annotate(last_note=Max("notes__date"))
          .select_related("recommendation__theme__programme")
          .prefetch_related(Prefetch("owners")).order_by("due", "ref", "id"))
    if user is not None:
        qs = qs.filter(owners__user=user)
    if person is not None:
        qs = qs.filter(owners=person)
    return qs.distinct()


def attention_for(programme, *, user=None, person=None, thresholds: Thresholds | None = None,
                  today: dt.date | None = None) -> Attention:
    """Open plan actions and open actions arising owned by ``user`` (or ``person``) in ``programme``."""
    t = thresholds or Thresholds.from_settings()
    as_at = reference_day(programme, today)
    out = Attention(programme, as_at)
    for a in open_actions(programme, user=user, person=person):
        out.items.append(_classify(Item("action", a.ref, a.title, programme.slug, a.due,
                                        a.last_note, a.get_absolute_url()), as_at, t))
    arising = ActionArising.objects.filter(meeting__board__programme=programme, status="open",
                                           plan_action=None).select_related("meeting__board__programme")
    if user is not None:
        arising = arising.filter(owner__user=user)
    elif person is not None:
        arising = arising.filter(owner=person)
    else:
        arising = arising.none()
    for x in arising:
        out.items.append(_classify(Item("arising", "", x.text, programme.slug, x.due, x.meeting.date,
                                        x.meeting.get_absolute_url()), as_at, t))
    return out


def my_attention(user, thresholds: Thresholds | None = None) -> list[Attention]:
    """Per programme, everything the signed-in person owns (programmes where they own nothing are left out)."""
    progs = Programme.objects.filter(people__user=user).distinct()
    return [a for a in (attention_for(p, user=user, thresholds=thresholds) for p in progs) if a.items]


# ------------------------------------------------------------------------------ e-mail
@dataclass
class Summary:
    sent: int = 0
    escalations: int = 0
    already: int = 0
    no_address: int = 0
    owners_with_nothing_due: int = 0
    packs: int = 0
    recipients: list[str] = field(default_factory=list)

    def line(self, day: dt.date) -> str:
        line = (f"remind {day.isoformat()}: {self.sent} reminder(s) sent, {self.escalations} escalation(s) sent, "
                f"{self.already} already sent today, {self.no_address} owner(s) without an e-mail address")
        return line + (f", {self.packs} board pack reminder(s) sent" if self.packs else "")


def _link(path: str) -> str:
    """An e-mail needs the whole address (``OVERSIGHT_BASE_URL`` + the page's path)."""
    return getattr(settings, "OVERSIGHT_BASE_URL", "").rstrip("/") + path


def _lines(items: list[Item], heading: str) -> list[str]:
    if not items:
        return []
    out = [heading]
    for i in items:
        bits = [f"  - {i.ref + ' ' if i.ref else ''}{i.title[:120]}"]
        if i.due:
            bits.append(f"due {i.due:%d/%m/%Y}")
        bits.append(f"last updated {i.last_update:%d/%m/%Y}" if i.last_update else "no update recorded")
        out.append(", ".join(bits))
        out.append(f"    Update it: {_link(i.url)}")
    return out + [""]


def _body(att: list[Attention], who: str, t: Thresholds) -> str:
    lines = [f"Dear {who},", ""]
    for a in att:
        lines += [f"{a.programme.name} (as at {a.as_at:%d %B %Y}):", ""]
        lines += _lines(a.overdue, "Overdue:")
        lines += _lines(a.due_soon, f"Due in the next {t.due_days} days:")
        lines += _lines([i for i in a.stale if not i.overdue and not i.due_soon],
                        f"Not updated for {t.stale_weeks} weeks or more:")
    lines += ["Please add a progress note to each from the links above, or from your \"My actions\" page.", "",
              "Oversight"]
    return "\n".join(lines)


def _send_once(kind: str, recipient: str, day: dt.date, subject: str, body: str, refs: list[str],
               summary: Summary) -> bool:
    """Log first (unique per kind, recipient and day), then send: a second run the same day sends nothing."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, recipient=recipient, day=day, actions=refs)
    except IntegrityError:
        summary.already += 1
        return False
    send_mail(subject, body, getattr(settings, "DEFAULT_FROM_EMAIL", None), [recipient])
    summary.recipients.append(recipient)
    return True


def _manager_addresses(programme) -> list[str]:
    pm = programme.programme_manager
    if pm is not None and pm.user_id and pm.user.email:
        return [pm.user.email]
    users = get_user_model().objects.filter(groups__name="Programme manager", is_active=True).exclude(email="")
    return sorted({u.email for u in users})


def send_reminders(*, programmes=None, thresholds: Thresholds | None = None, today: dt.date | None = None,
                   dry_run: bool = False) -> Summary:
    """One e-mail to each owner with what needs attention; escalations to each programme's manager."""
    t = thresholds or Thresholds.from_settings()
    day = today or timezone.localdate()
    summary = Summary()
    by_owner: dict[str, tuple[str, list[Attention]]] = {}
    escalate: dict[str, dict[tuple, tuple[Programme, Item, list[str]]]] = {}
    for prog in programmes if programmes is not None else Programme.objects.all():
        seen_people = set()
        for person in prog.people.select_related("user"):
            att = attention_for(prog, person=person, thresholds=t, today=today)
            if not att.items:
                continue
            needs = att.needs_attention
            if not needs:
                summary.owners_with_nothing_due += 1
                continue
            user = person.user
            email = user.email if user is not None else ""
            if not email:
                summary.no_address += 1
            elif email not in seen_people:
                seen_people.add(email)
                name = (user.get_full_name() or person.name) if user else person.name
                entry = by_owner.setdefault(email, (name, []))
                entry[1].append(Attention(prog, att.as_at, needs))
            for item in needs:
                if item.escalate:
                    for pm in _manager_addresses(prog):
                        rows = escalate.setdefault(pm, {})
                        key = (prog.pk, item.url)
                        owners = rows[key][2] if key in rows else []
                        rows[key] = (prog, item, [*owners, person.role or person.name])
    if dry_run:
        summary.sent, summary.escalations = len(by_owner), len(escalate)
        _pack_reminders(programmes if programmes is not None else Programme.objects.all(), t, today, day, True,
                        summary)
        return summary
    for email, (name, att) in sorted(by_owner.items()):
        refs = [i.ref or i.title[:40] for a in att for i in a.items]
        n = sum(len(a.items) for a in att)
        if _send_once(ReminderLog.Kind.OWNER, email, day, f"Oversight: {n} action(s) need your attention",
                      _body(att, name, t), refs, summary):
            summary.sent += 1
    for email, by_item in sorted(escalate.items()):
        rows = list(by_item.values())
        body = ["The following actions have been overdue, or not updated, for longer than "
                f"{t.escalate_days} days beyond the reminder:", ""]
        for prog, item, owners in rows:
            why = (f"overdue by {item.days_overdue} days" if item.overdue else
                   f"last updated {item.last_update:%d/%m/%Y}")
            body.append(f"  - {prog.name}: {item.ref + ' ' if item.ref else ''}{item.title[:120]} "
                        f"(owner: {', '.join(owners)}; {why})")
            body.append(f"    {_link(item.url)}")
        if _send_once(ReminderLog.Kind.ESCALATION, email, day,
                      f"Oversight: {len(rows)} action(s) escalated to the programme manager", "\n".join(body),
                      [i.ref or i.title[:40] for _, i, _ in rows], summary):
            summary.escalations += 1
    _pack_reminders(programmes if programmes is not None else Programme.objects.all(), t, today, day, dry_run,
                    summary)
    return summary


def _pack_reminders(programmes, t: Thresholds, today: dt.date | None, day: dt.date, dry_run: bool,
                    summary: Summary) -> None:
    """One e-mail a day to each programme manager listing packs to approve within ``t.pack_days`` or late.

    Counted as at the programme's current period, as the other reminders are; only meetings after
    that day (a pack for a meeting already held is history, not a reminder).
    """
    from .reporting import packs_to_approve

    by_manager: dict[str, list[tuple[Programme, dict]]] = {}
    for prog in programmes:
        rows = packs_to_approve(prog, reference_day(prog, today), t.pack_days)
        if not rows:
            continue
        for email in _manager_addresses(prog):
            by_manager.setdefault(email, []).extend((prog, r) for r in rows)
    if dry_run:
        summary.packs = len(by_manager)
        return
    for email, rows in sorted(by_manager.items()):
        body = ["Board packs that must be approved soon, or should have been:", ""]
        for prog, r in rows:
            when = (f"approve by {r['approve_by_long']} ({r['days_to_approval']} days)" if r["days_to_approval"] >= 0
                    else f"was to be approved by {r['approve_by_long']}")
            body.append(f"  - {prog.name}: {r['meeting']['label']} ({', '.join(r['report_titles'])}): {when}; "
                        f"publish by {r['publish_by_long']}; now: {r['state_label'].lower()}")
            body.append(f"    {_link(r['pack']['url'] if r['pack'] else r['meeting']['url'])}")
        body += ["", "The reporting calendar shows every pack due:"]
        body += [f"  {_link(reverse('governance:calendar', args=[slug]))}" for slug in
                 dict.fromkeys(prog.slug for prog, _ in rows)]
        body += ["", "Oversight"]
        if _send_once(ReminderLog.Kind.PACK, email, day, f"Oversight: {len(rows)} board pack(s) to approve",
                      "\n".join(body), [r["meeting"]["label"] for _, r in rows], summary):
            summary.packs += 1


__all__ = ["Attention", "Item", "Summary", "Thresholds", "attention_for", "my_attention",
           "send_reminders"]
