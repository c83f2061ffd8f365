"""The reporting calendar: which pack each board expects at each meeting, and by when.

A board's ``ReportingRule`` (or the defaults for its kind) names the reports it reads and how
far ahead; each meeting's publication and approval dates follow from its date in working days
(``deadlines``). The pack for a meeting is the ``reports.BoardPack`` linked to it
(``PackForMeeting``), else the newest pack whose ``meeting_date`` is the meeting's date; a
meeting without a pack whose papers are recorded as issued counts as issued (packs made before
the system, or outside it).

"Late" is judged as at the reporting period's as-at, as every page is: a pack not yet approved
once its approval date has passed, or approved but not issued once its publication date has
passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight.engine.calendar import WorkingDayCalendar
from oversight.reports.builders import NAMES, TITLES
from oversight.reports.models import BoardPack

from .deadlines import DEFAULT_APPROVAL_DAYS, STATUTORY_CLEAR_DAYS, due_dates
from .models import DEFAULT_REPORTS, Board, Meeting, PackForMeeting, ReportingRule

#: How far the page looks back and ahead of the period's as-at (``?all=1`` shows every meeting).
RECENT_DAYS = 62
UPCOMING_DAYS = 92

STATUS_LABELS = {
    "not_started": "Not started", "draft": "Draft", "submitted": "Submitted for approval",
    "approved": "Approved", "issued": "Issued", "late": "Late",
}
#: The tag colour only repeats the words next to it.
STATUS_TAGS = {"not_started": "grey", "draft": "grey", "submitted": "amber", "approved": "green",
               "issued": "green", "late": "red"}


@dataclass(frozen=True)
class Settings:
    """A board's rule in force (its own, or the defaults for its kind)."""

    reports: tuple[str, ...]
    publish_clear_days: int
    approve_days_before: int
    own: bool  # False: the defaults for the board's kind

    @property
    def report_titles(self) -> list[str]:
        return [TITLES.get(n, n) for n in self.reports]


def settings_for(board: Board) -> Settings:
    try:
        rule = board.reporting_rule
    except ReportingRule.DoesNotExist:
        rule = None
    if rule is None:
        return Settings(tuple(DEFAULT_REPORTS.get(board.kind, ["highlight"])), STATUTORY_CLEAR_DAYS,
                        DEFAULT_APPROVAL_DAYS, own=False)
    reports = tuple(n for n in rule.reports if n in NAMES) or tuple(DEFAULT_REPORTS.get(board.kind, ["highlight"]))
    return Settings(reports, rule.publish_clear_days, rule.approve_days_before, own=True)


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _long(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _packs_by_date(programme) -> dict[dt.date, BoardPack]:
    out: dict[dt.date, BoardPack] = {}
    for p in BoardPack.objects.filter(programme=programme).exclude(meeting_date=None).order_by("version"):
        out[p.meeting_date] = p  # the newest version wins
    return out


def meeting_row(meeting: Meeting, settings: Settings, as_at: dt.date, *, pack: BoardPack | None,
                linked: bool, cal: WorkingDayCalendar | None = None) -> dict:
    """One row of the calendar: the pack due, its dates, and where it stands as at ``as_at``."""
    approve_by, publish_by = due_dates(meeting.date, settings.publish_clear_days, settings.approve_days_before, cal)
    paper_day = None
    if pack is not None:
        state = pack.state
        issued_on = pack.issued_at.date() if pack.issued_at else None
    else:
        days = [p.issued_on for p in meeting.papers.all() if p.issued_on and p.issued_on <= as_at]
        paper_day = min(days) if days else None
        state = "issued" if paper_day else "not_started"
        issued_on = paper_day
    late = ((state in ("not_started", "draft", "submitted") and approve_by < as_at)
            or (state == "approved" and publish_by < as_at))
    status = "late" if late else state
    label = STATUS_LABELS[state]
    why = ""
    if late and state == "approved":
        why = f"approved but not issued by {_long(publish_by)}"
    elif late:
        why = f"{label.lower()}; it was to be approved by {_long(approve_by)}"
    return {
        "meeting": {"id": meeting.pk, "date": _d(meeting.date), "long_date": _long(meeting.date),
                    "label": meeting.label, "url": meeting.get_absolute_url(), "held": meeting.date <= as_at},
        "board": {"id": meeting.board_id, "name": meeting.board.name},
        "reports": list(settings.reports), "report_titles": settings.report_titles,
        "approve_by": _d(approve_by), "approve_by_long": _long(approve_by),
        "publish_by": _d(publish_by), "publish_by_long": _long(publish_by),
        "days_to_approval": (approve_by - as_at).days,
        "pack": ({"id": pack.pk, "version": pack.version, "title": pack.title, "state": pack.state,
                  "url": pack.get_absolute_url(), "linked": linked} if pack is not None else None),
        "paper_issued_on": _d(paper_day),
        "paper_issued_on_long": _long(paper_day) if paper_day else None,
        "issued_on": _d(issued_on), "issued_on_long": _long(issued_on) if issued_on else None,
        "issued_late": bool(issued_on and issued_on > publish_by),
        "state": state, "state_label": label,
        "status": status, "status_label": STATUS_LABELS[status] + (f": {why}" if why else ""),
        "tag": STATUS_TAGS[status], "late": late,
    }


def rows_for(programme, meetings, as_at: dt.date, cal: WorkingDayCalendar | None = None) -> list[dict]:
    meetings = list(meetings)
    links = {x.meeting_id: x.pack for x in PackForMeeting.objects.filter(meeting__in=meetings).select_related(
        "pack__programme")}
    by_date = _packs_by_date(programme)
    settings: dict[int, Settings] = {}
    out = []
    for mt in meetings:
        if mt.board_id not in settings:
            settings[mt.board_id] = settings_for(mt.board)
        pack = links.get(mt.pk)
        linked = pack is not None
        if pack is None:
            pack = by_date.get(mt.date)
        out.append(meeting_row(mt, settings[mt.board_id], as_at, pack=pack, linked=linked, cal=cal))
    return out


def _meetings(programme):
    return (Meeting.objects.filter(board__programme=programme).select_related("board__reporting_rule")
            .prefetch_related("papers").order_by("date", "board__name"))


def calendar_data(programme, period, *, everything: bool = False) -> dict:
    """The calendar page's data: recent and upcoming meetings around the period, and each board's rule."""
    as_at = period.as_at
    meetings = _meetings(programme)
    window = None
    if not everything:
        start, end = as_at - dt.timedelta(days=RECENT_DAYS), as_at + dt.timedelta(days=UPCOMING_DAYS)
        meetings = meetings.filter(date__gte=start, date__lte=end)
        window = {"from": _d(start), "to": _d(end)}
    rows = rows_for(programme, meetings, as_at)
    boards = []
    for b in Board.objects.filter(programme=programme).select_related("reporting_rule"):
        s = settings_for(b)
        boards.append({"id": b.pk, "name": b.name, "kind_label": b.get_kind_display(), "reports": list(s.reports),
                       "report_titles": s.report_titles, "publish_clear_days": s.publish_clear_days,
                       "approve_days_before": s.approve_days_before, "own_rule": s.own})
    upcoming = [r for r in rows if not r["meeting"]["held"]]
    return {
        "programme": programme.slug, "period": period.label, "as_at": _d(as_at), "window": window,
        "calendar": WorkingDayCalendar.default().describe(),
        "recent": [r for r in rows if r["meeting"]["held"]], "upcoming": upcoming,
        "next_due": next_due(rows),
        "late": sum(1 for r in rows if r["late"]),
        "boards": boards,
    }


def next_due(rows: list[dict]) -> dict | None:
    """The first meeting after the as-at whose pack is not yet issued (the one to work on)."""
    return next((r for r in rows if not r["meeting"]["held"] and r["state"] != "issued"), None)


def next_pack_due(programme, as_at: dt.date) -> dict | None:
    """For the governance home and "My actions": the next pack to get approved and issued."""
    meetings = _meetings(programme).filter(date__gt=as_at)[:20]
    return next_due(rows_for(programme, meetings, as_at))


def packs_to_approve(programme, as_at: dt.date, within_days: int) -> list[dict]:
    """Meetings still to come whose pack is not approved and must be, within ``within_days`` or already."""
    rows = rows_for(programme, _meetings(programme).filter(date__gt=as_at), as_at)
    return [r for r in rows if r["state"] in ("not_started", "draft", "submitted")
            and r["days_to_approval"] <= within_days]


def without_unissued_pack(row: dict | None) -> dict | None:
    """A calendar row for someone who may read only issued packs (a board member): a pack not yet
    issued keeps its version and state (what the calendar is for) but not its title or address."""
    if row is None or row["pack"] is None or row["pack"]["state"] == "issued":
        return row
    return {**row, "pack": {k: v for k, v in row["pack"].items() if k not in ("title", "url")}}


def without_unissued_packs(data: dict) -> dict:
    return {**data, "recent": [without_unissued_pack(r) for r in data["recent"]],
            "upcoming": [without_unissued_pack(r) for r in data["upcoming"]],
            "next_due": without_unissued_pack(data["next_due"])}
