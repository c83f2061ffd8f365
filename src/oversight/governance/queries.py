"""The read side of every governance page: plain data, built once, rendered as HTML and as JSON.

Each function returns a dict of JSON-ready values (dates as ISO strings, labels spelt out) that
the template and the ``.json`` twin both use, so no number is computed in a template.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from oversight.plans.models import Action, Recommendation

from .models import (
    ActionArising,
    Attendance,
    Board,
    CellKind,
    Conclusion,
    Finding,
    Framework,
    Grade,
    JudgementArea,
    Meeting,
    Project,
    Visit,
    WorkProgramme,
)
from .reporting import next_pack_due


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def action_state(action: Action, as_at: dt.date) -> dict:
    """An action's state as the trail and the reminders show it (as at the reporting period)."""
    return {"id": action.pk, "ref": action.ref, "title": action.title, "status": action.status,
            "status_label": action.get_status_display(), "due": _d(action.due),
            "done": action.is_done, "overdue": action.is_overdue(as_at), "url": action.get_absolute_url()}


# ------------------------------------------------------------------------------ boards and meetings
def quorum(meeting: Meeting) -> dict:
    """Present voting members against the board's quorum (``quorate`` None when no quorum is set)."""
    rows = list(meeting.attendance.all())
    present = sum(1 for a in rows if a.status == Attendance.Status.PRESENT and (a.member is None or a.member.voting))
    need = meeting.board.quorum
    return {"present": present, "apologies": sum(1 for a in rows if a.status == Attendance.Status.APOLOGIES),
            "required": need, "quorate": (present >= need) if need else None}


def meeting_data(meeting: Meeting, as_at: dt.date) -> dict:
    return {
        "id": meeting.pk, "board": meeting.board.name, "date": _d(meeting.date), "label": meeting.label,
        "location": meeting.location, "minutes_approved": meeting.minutes_approved, "notes": meeting.notes,
        "agenda": [{"id": a.pk, "number": a.number, "title": a.title, "presenter": a.presenter}
                   for a in meeting.agenda.all()],
        "papers": [{"id": p.pk, "title": p.title, "issued_on": _d(p.issued_on), "reference": p.reference}
                   for p in meeting.papers.all()],
        "attendance": [{"id": a.pk, "role": a.role, "status": a.status, "status_label": a.get_status_display()}
                       for a in meeting.attendance.select_related("member")],
        "quorum": quorum(meeting),
        "decisions": [{"id": d.pk, "text": d.text} for d in meeting.decisions.all()],
        "actions_arising": [arising_data(x, as_at) for x in meeting.actions_arising.select_related(
            "owner", "plan_action__recommendation__theme__programme")],
    }


def arising_data(item: ActionArising, as_at: dt.date) -> dict:
    return {"id": item.pk, "text": item.text, "owner": item.owner_label, "due": _d(item.due),
            "status": item.status, "overdue": bool(item.due and item.due < as_at and item.status == "open"),
            "plan_action": action_state(item.plan_action, as_at) if item.plan_action_id else None}


def board_data(board: Board, as_at: dt.date) -> dict:
    meetings = list(board.meetings.all())
    upcoming = [m for m in meetings if m.date > as_at]
    return {
        "id": board.pk, "name": board.name, "kind": board.kind, "kind_label": board.get_kind_display(),
        "cadence": board.cadence, "quorum": board.quorum, "purpose": board.purpose,
        "members": [{"id": m.pk, "role": m.role, "person": m.person.name if m.person_id else None,
                     "chair": m.is_chair, "voting": m.voting} for m in board.members.select_related("person")],
        "meetings": [{"id": m.pk, "date": _d(m.date), "label": m.label, "held": m.date <= as_at} for m in meetings],
        "next_meeting": _d(upcoming[0].date) if upcoming else None,
    }


# ------------------------------------------------------------------------------ visits
def judgement_history(programme) -> list[dict]:
    """Each judgement area with its grades over time, oldest first (areas are judged separately)."""
    areas: OrderedDict[str, list] = OrderedDict((a, []) for a in JudgementArea.values)
    visits = Visit.objects.filter(programme=programme).prefetch_related("judgements").order_by("start")
    for v in visits:
        for j in v.judgements.all():
            areas[j.area].append({"visit": v.title, "visit_id": v.pk, "date": _d(v.letter_on or v.start),
                                  "grade": j.grade, "grade_label": Grade(j.grade).label})
    return [{"area": a, "area_label": JudgementArea(a).label, "grades": g} for a, g in areas.items() if g]


def _findings_prefetch() -> Prefetch:
    """Findings with their recommendation, its theme and actions: one query per kind, not per visit."""
    return Prefetch("findings", queryset=Finding.objects.select_related("recommendation__theme").prefetch_related(
        Prefetch("recommendation__actions", queryset=Action.objects.select_related(
            "recommendation__theme__programme"))))


def _action_state(action: Action, as_at: dt.date, slug: str) -> dict:
    """``action_state`` with the programme's slug given, so no query per action for its URL."""
    return {"id": action.pk, "ref": action.ref, "title": action.title, "status": action.status,
            "status_label": action.get_status_display(), "due": _d(action.due),
            "done": action.is_done, "overdue": action.is_overdue(as_at),
            "url": reverse("plans:action", args=[slug, action.pk])}


def _recommendation(rec, as_at: dt.date, slug: str) -> dict:
    return {"id": rec.pk, "ref": rec.ref, "theme": rec.theme.title,
            "actions": [_action_state(a, as_at, slug) for a in rec.actions.all()]}


def visit_data(visit: Visit, as_at: dt.date) -> dict:
    """One visit as its page and the trail show it; reads prefetched findings when the caller has them."""
    if "findings" not in getattr(visit, "_prefetched_objects_cache", {}):
        prefetch_related_objects([visit], _findings_prefetch(), "judgements")
    slug = visit.programme.slug
    return {
        "id": visit.pk, "kind": visit.kind, "kind_label": visit.get_kind_display(), "title": visit.title,
        "start": _d(visit.start), "end": _d(visit.end), "letter_on": _d(visit.letter_on),
        "conclusion": visit.conclusion or None,
        "conclusion_label": Conclusion(visit.conclusion).label if visit.conclusion else None,
        "summary": visit.summary, "focus_areas": list(visit.focus_areas or []),
        "source": visit.source.label if visit.source_id else None,
        "findings": [{
            "id": f.pk, "kind": f.kind, "kind_label": f.get_kind_display(), "text": f.text,
            "recommendation": _recommendation(f.recommendation, as_at, slug) if f.recommendation_id else None,
        } for f in visit.findings.all()],
        "judgements": [{"area": j.area, "area_label": j.get_area_display(), "grade": j.grade,
                        "grade_label": j.get_grade_display()} for j in visit.judgements.all()],
    }


def trail(programme, as_at: dt.date) -> list[dict]:
    """Inspection → recommendations → actions and their state, for the programme page.

    A bounded number of queries whatever the number of visits (the programme page shows it on
    every load): visits, findings, judgements, actions, and the recommendations cited by source.
    """
    visits = list(Visit.objects.filter(programme=programme).select_related("source", "programme")
                  .prefetch_related(_findings_prefetch(), "judgements").order_by("-start"))
    cited: dict[int, list] = {}
    source_ids = {v.source_id for v in visits if v.source_id}
    if source_ids:  # recommendations the plan already cites a visit for (typed or imported)
        for rec in (Recommendation.objects.filter(source_id__in=source_ids).select_related("theme")
                    .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related(
                        "recommendation__theme__programme")))):
            cited.setdefault(rec.source_id, []).append(rec)
    out = []
    for v in visits:
        data = visit_data(v, as_at)
        recs = [f["recommendation"] for f in data["findings"] if f["recommendation"]]
        seen = {r["id"] for r in recs}
        recs += [_recommendation(rec, as_at, programme.slug) for rec in cited.get(v.source_id, [])
                 if rec.pk not in seen]
        data["recommendations"] = recs
        actions = [a for r in recs for a in r["actions"]]
        data["counts"] = {"findings": len(data["findings"]), "recommendations": len(recs), "actions": len(actions),
                          "done": sum(a["done"] for a in actions), "overdue": sum(a["overdue"] for a in actions)}
        out.append(data)
    return out


# ------------------------------------------------------------------------------ work programme
def month_key(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def work_programme_data(wp: WorkProgramme) -> dict:
    months = wp.month_list()
    labels = dict(CellKind.choices)
    return {
        "id": wp.pk, "title": wp.title, "version": wp.version_text, "notes": wp.notes,
        "months": [{"key": month_key(m), "label": f"{m:%b-%y}", "long": f"{m:%B %Y}"} for m in months],
        "tasks": [{
            "id": t.pk, "description": t.description, "lead": t.lead,
            "cells": [{"month": month_key(m), "kind": t.cells.get(month_key(m), ""),
                       "label": labels.get(t.cells.get(month_key(m), ""), "")} for m in months],
            "meeting": t.meeting.label if t.meeting_id else None,
            "visit": t.visit.title if t.visit_id else None,
        } for t in wp.tasks.select_related("meeting__board", "visit")],
    }


# ------------------------------------------------------------------------------ projects
def projects_data(programme) -> list[dict]:
    projects = (Project.objects.filter(programme=programme, parent=None)
                .prefetch_related("packages__state_changes", "packages__actions", "packages__merged_into",
                                  "state_changes", "actions"))

    def one(p: Project) -> dict:
        return {
            "id": p.pk, "number": p.number, "title": p.title, "lead": p.lead, "state": p.state,
            "state_label": p.get_state_display(), "state_on": _d(p.state_on), "state_reason": p.state_reason,
            "merged_into": str(p.merged_into) if p.merged_into_id else None,
            "history": [{"state": c.state, "state_label": c.get_state_display(), "on": _d(c.on), "reason": c.reason,
                         "merged_into": str(c.merged_into) if c.merged_into_id else None}
                        for c in p.state_changes.all()],
            "actions": [{"ref": a.ref, "title": a.title} for a in p.actions.all()],
        }

    return [{**one(p), "packages": [one(w) for w in p.packages.all()]} for p in projects]


# ------------------------------------------------------------------------------ self-assessment
def framework_data(fw: Framework) -> dict:
    items = list(fw.items.prefetch_related("descriptors"))
    assessments = list(fw.assessments.prefetch_related("entries"))
    levels = fw.levels or []
    by_assessment = [{e.item_id: e for e in a.entries.all()} for a in assessments]
    rows = []
    for it in items:
        entries = [m.get(it.pk) for m in by_assessment]
        chosen = [e.level if e else None for e in entries]
        latest = next((e for e in reversed(entries) if e), None)
        known = [c for c in chosen if c]
        movement = known[-1] - known[-2] if len(known) >= 2 else None
        grid: dict[int, list[str]] = {}
        for d in it.descriptors.all():
            grid.setdefault(d.row, [""] * len(levels))
            if 1 <= d.level <= len(levels):
                grid[d.row][d.level - 1] = d.text
        rows.append({
            "id": it.pk, "code": it.code, "title": it.title, "description": it.description,
            "descriptors": [grid[r] for r in sorted(grid)],
            "levels": [{"assessment": _d(a.assessed_on), "level": c, "level_name": fw.level_name(c)}
                       for a, c in zip(assessments, chosen, strict=True)],
            "latest": ({"level": latest.level, "level_name": fw.level_name(latest.level), "evidence": latest.evidence,
                        "next_steps": latest.next_steps, "when": latest.when_text, "success": latest.success}
                       if latest else None),
            "movement": movement,
            "movement_label": (None if movement is None else "no change" if movement == 0 else
                               f"up {movement} level{'s' if movement > 1 else ''}" if movement > 0 else
                               f"down {-movement} level{'s' if movement < -1 else ''}"),
        })
    return {"id": fw.pk, "name": fw.name, "levels": levels, "description": fw.description,
            "assessments": [{"id": a.pk, "date": _d(a.assessed_on), "title": str(a)} for a in assessments],
            "items": rows}


# ------------------------------------------------------------------------------ overview
def overview(programme, as_at: dt.date) -> dict:
    boards = list(Board.objects.filter(programme=programme).prefetch_related("members", "meetings"))
    return {
        "programme": programme.slug, "as_at": _d(as_at),
        "boards": [board_data(b, as_at) for b in boards],
        "visits": [{"id": v.pk, "title": v.title, "kind_label": v.get_kind_display(), "start": _d(v.start),
                    "conclusion_label": v.get_conclusion_display() if v.conclusion else None,
                    "findings": v.findings.count()}
                   for v in Visit.objects.filter(programme=programme).order_by("-start")],
        "judgement_history": judgement_history(programme),
        "work_programmes": [{"id": w.pk, "title": w.title, "version": w.version_text, "tasks": w.tasks.count()}
                            for w in WorkProgramme.objects.filter(programme=programme)],
        "projects": [{"id": p["id"], "number": p["number"], "title": p["title"], "state_label": p["state_label"],
                      "packages": len(p["packages"])} for p in projects_data(programme)],
        "frameworks": [{"id": f.pk, "name": f.name, "assessments": f.assessments.count()}
                       for f in Framework.objects.filter(programme=programme)],
        "statutory_plans": [{"id": p.pk, "title": p.title, "layout": p.layout, "period": p.period_text}
                            for p in programme.statutory_plans.all()],
        "next_pack_due": next_pack_due(programme, as_at),
    }
