"""Governance in the programme JSON: ``boards``, ``meetings``, ``visits`` (with ``findings[]`` and
``judgements[]``), ``work_programme``, ``projects``, ``self_assessments`` and ``reporting_calendar``
(each board's reports and working days ahead).

Each loader reads and checks every item first (a bad value raises ``PlanImportError`` naming
its path, ``visits[0].judgements[1].grade: expected one of …``) and only then writes; the plan
import runs all sections in one transaction, so a bad value anywhere refuses the whole file.
References to the plan travel by what people read: a person by name, a theme by title, a plan
action by ref and title, a recommendation by theme, ref and text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.plans.importers.draft import PlanImportError
from oversight.plans.models import Action, Person, Recommendation, Source, SourceKind

from . import models as m


# ------------------------------------------------------------------------------ reading values
class Reader:
    """Typed reads of one section's items, each failure naming the file and the value's path."""

    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, path: str, msg: str):
        raise PlanImportError(f"{self.filename}: {path}: {msg}")

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "expected an object")
        return value

    def items(self, d: dict, key: str, path: str) -> list:
        value = d.get(key) or []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "expected a list")
        return value

    def text(self, d: dict, key: str, path: str, *, required: bool = False, max_len: int = 10_000) -> str:
        value = d.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"expected text, found {value!r}"[:200])
        value = value.strip()
        if required and not value:
            self.fail(f"{path}.{key}", "is required")
        if len(value) > max_len:
            self.fail(f"{path}.{key}", f"longer than {max_len} characters")
        return value

    def date(self, d: dict, key: str, path: str, *, required: bool = False) -> dt.date | None:
        value = d.get(key)
        if value in (None, ""):
            if required:
                self.fail(f"{path}.{key}", "a date (YYYY-MM-DD) is required")
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{path}.{key}", f"expected a date YYYY-MM-DD, found {value!r}"[:200])

    def whole(self, d: dict, key: str, path: str, *, low: int = 0, high: int = 10_000, default: int = 0) -> int:
        value = d.get(key, default)
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{path}.{key}", f"expected a whole number {low}–{high}, found {value!r}"[:200])
        return value

    def flag(self, d: dict, key: str, path: str, default: bool = False) -> bool:
        value = d.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"expected true or false, found {value!r}"[:200])
        return value

    def choice(self, d: dict, key: str, path: str, choices, *, blank: bool = False) -> str:
        value = d.get(key) or ""
        if blank and value == "":
            return ""
        if value not in choices:
            self.fail(f"{path}.{key}", f"expected one of {', '.join(choices)}, found {value!r}"[:300])
        return value

    def lines(self, d: dict, key: str, path: str) -> list[str]:
        value = d.get(key) or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.fail(f"{path}.{key}", "expected a list of texts")
        return [x.strip() for x in value]


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _action_ref(a: Action) -> dict:
    return {"ref": a.ref, "title": a.title}


def _find_action(programme, ref: dict, r: Reader, path: str) -> Action:
    ref = r.obj(ref, path)
    qs = Action.objects.filter(recommendation__theme__programme=programme, ref=r.text(ref, "ref", path))
    action = qs.filter(title=r.text(ref, "title", path)).first() or (qs.first() if qs.count() == 1 else None)
    if action is None:
        r.fail(path, f"no plan action {ref.get('ref')!r} in this programme")
    return action


def _person(programme, name: str) -> Person | None:
    if not name:
        return None
    person = Person.objects.filter(programme=programme, name=name).first()
    return person or Person.objects.create(programme=programme, name=name, role=name)


# ------------------------------------------------------------------------------ boards
def export_boards(programme) -> list:
    return [{"name": b.name, "kind": b.kind, "cadence": b.cadence, "quorum": b.quorum, "purpose": b.purpose,
             "members": [{"role": x.role, "person": x.person.name if x.person_id else None, "chair": x.is_chair,
                          "voting": x.voting} for x in b.members.select_related("person")]}
            for b in m.Board.objects.filter(programme=programme)]


def load_boards(programme, items: list, filename: str) -> None:
    r, rows, names = Reader(filename), [], set()
    for i, raw in enumerate(items):
        p = f"boards[{i}]"
        b = r.obj(raw, p)
        name = r.text(b, "name", p, required=True, max_len=200)
        if name in names:
            r.fail(f"{p}.name", f"{name!r} appears twice")
        names.add(name)
        members = []
        for j, mem in enumerate(r.items(b, "members", p)):
            q = f"{p}.members[{j}]"
            mem = r.obj(mem, q)
            members.append((r.text(mem, "role", q, required=True, max_len=200), r.text(mem, "person", q, max_len=200),
                            r.flag(mem, "chair", q), r.flag(mem, "voting", q, True)))
        rows.append((dict(name=name, kind=r.choice(b, "kind", p, m.BoardKind.values),
                          cadence=r.text(b, "cadence", p, max_len=100), quorum=r.whole(b, "quorum", p, high=500),
                          purpose=r.text(b, "purpose", p)), members))
    m.Board.objects.filter(programme=programme).delete()
    for fields, members in rows:
        board = m.Board.objects.create(programme=programme, **fields)
        for order, (role, person, chair, voting) in enumerate(members, start=1):
            m.BoardMember.objects.create(board=board, order=order, role=role, person=_person(programme, person),
                                         is_chair=chair, voting=voting)


# ------------------------------------------------------------------------------ meetings
def export_meetings(programme) -> list:
    out = []
    for mt in m.Meeting.objects.filter(board__programme=programme).select_related("board").order_by("date", "id"):
        out.append({
            "board": mt.board.name, "date": _d(mt.date), "location": mt.location,
            "minutes_approved": mt.minutes_approved, "notes": mt.notes,
            "agenda": [{"number": a.number, "title": a.title, "presenter": a.presenter} for a in mt.agenda.all()],
            "papers": [{"title": x.title, "issued_on": _d(x.issued_on), "reference": x.reference}
                       for x in mt.papers.all()],
            "attendance": [{"role": a.role, "status": a.status} for a in mt.attendance.all()],
            "decisions": [d.text for d in mt.decisions.all()],
            "actions_arising": [{"text": x.text, "owner": x.owner.name if x.owner_id else None,
                                 "owner_text": x.owner_text, "due": _d(x.due), "status": x.status,
                                 "plan_action": _action_ref(x.plan_action) if x.plan_action_id else None}
                                for x in mt.actions_arising.select_related("owner", "plan_action")],
        })
    return out


def load_meetings(programme, items: list, filename: str) -> None:
    r, rows = Reader(filename), []
    boards = {b.name: b for b in m.Board.objects.filter(programme=programme)}
    for i, raw in enumerate(items):
        p = f"meetings[{i}]"
        mt = r.obj(raw, p)
        board_name = r.text(mt, "board", p, required=True)
        if board_name not in boards:
            r.fail(f"{p}.board", f"no board {board_name!r} in boards[]")
        agenda = [(r.text(a, "number", f"{p}.agenda[{j}]", max_len=20),
                   r.text(a, "title", f"{p}.agenda[{j}]", required=True, max_len=300),
                   r.text(a, "presenter", f"{p}.agenda[{j}]", max_len=200))
                  for j, a in enumerate(r.obj(x, f"{p}.agenda[{k}]") for k, x in enumerate(r.items(mt, "agenda", p)))]
        papers = [(r.text(a, "title", f"{p}.papers[{j}]", required=True, max_len=300),
                   r.date(a, "issued_on", f"{p}.papers[{j}]"), r.text(a, "reference", f"{p}.papers[{j}]", max_len=300))
                  for j, a in enumerate(r.obj(x, f"{p}.papers[{k}]") for k, x in enumerate(r.items(mt, "papers", p)))]
        attendance = [(r.text(a, "role", f"{p}.attendance[{j}]", required=True, max_len=200),
                       r.choice(a, "status", f"{p}.attendance[{j}]", m.Attendance.Status.values))
                      for j, a in enumerate(r.obj(x, f"{p}.attendance[{k}]")
                                            for k, x in enumerate(r.items(mt, "attendance", p)))]
        decisions = []
        for j, d in enumerate(r.items(mt, "decisions", p)):
            if not isinstance(d, str) or not d.strip():
                r.fail(f"{p}.decisions[{j}]", "expected the text of a decision")
            decisions.append(d.strip())
        arising = []
        for j, x in enumerate(r.items(mt, "actions_arising", p)):
            q = f"{p}.actions_arising[{j}]"
            x = r.obj(x, q)
            arising.append(dict(
                text=r.text(x, "text", q, required=True), owner=r.text(x, "owner", q, max_len=200),
                owner_text=r.text(x, "owner_text", q, max_len=200), due=r.date(x, "due", q),
                status=r.choice(x, "status", q, m.ActionArising.Status.values),
                plan_action=_find_action(programme, x["plan_action"], r, f"{q}.plan_action")
                if x.get("plan_action") else None))
        rows.append((boards[board_name], dict(date=r.date(mt, "date", p, required=True),
                                              location=r.text(mt, "location", p, max_len=200),
                                              minutes_approved=r.flag(mt, "minutes_approved", p),
                                              notes=r.text(mt, "notes", p)),
                     agenda, papers, attendance, decisions, arising))
    seen = set()
    for i, (board, fields, *_rest) in enumerate(rows):
        if (board.pk, fields["date"]) in seen:
            r.fail(f"meetings[{i}].date", f"{board.name} has two meetings on {fields['date']}")
        seen.add((board.pk, fields["date"]))
    m.Meeting.objects.filter(board__programme=programme).delete()
    for board, fields, agenda, papers, attendance, decisions, arising in rows:
        mt = m.Meeting.objects.create(board=board, **fields)
        members = {x.role: x for x in board.members.all()}
        m.AgendaItem.objects.bulk_create([m.AgendaItem(meeting=mt, order=o, number=n, title=t, presenter=pr)
                                          for o, (n, t, pr) in enumerate(agenda, start=1)])
        m.Paper.objects.bulk_create([m.Paper(meeting=mt, order=o, title=t, issued_on=d, reference=ref)
                                     for o, (t, d, ref) in enumerate(papers, start=1)])
        m.Attendance.objects.bulk_create([m.Attendance(meeting=mt, role=role, status=s, member=members.get(role))
                                          for role, s in attendance])
        m.Decision.objects.bulk_create([m.Decision(meeting=mt, order=o, text=t)
                                        for o, t in enumerate(decisions, start=1)])
        for o, x in enumerate(arising, start=1):
            owner = _person(programme, x.pop("owner"))
            m.ActionArising.objects.create(meeting=mt, order=o, owner=owner, **x)


# ------------------------------------------------------------------------------ visits
def export_visits(programme) -> list:
    out = []
    for v in m.Visit.objects.filter(programme=programme).select_related("source"):
        out.append({
            "kind": v.kind, "title": v.title, "start": _d(v.start), "end": _d(v.end), "letter_on": _d(v.letter_on),
            "conclusion": v.conclusion or None, "summary": v.summary, "focus_areas": list(v.focus_areas or []),
            "source": v.source.label if v.source_id else None,
            "findings": [{"kind": f.kind, "text": f.text,
                          "recommendation": ({"theme": f.recommendation.theme.title, "ref": f.recommendation.ref,
                                              "text": f.recommendation.text} if f.recommendation_id else None)}
                         for f in v.findings.select_related("recommendation__theme")],
            "judgements": [{"area": j.area, "grade": j.grade} for j in v.judgements.all()],
        })
    return out


def load_visits(programme, items: list, filename: str) -> None:
    r, rows = Reader(filename), []
    for i, raw in enumerate(items):
        p = f"visits[{i}]"
        v = r.obj(raw, p)
        findings = []
        for j, f in enumerate(r.items(v, "findings", p)):
            q = f"{p}.findings[{j}]"
            f = r.obj(f, q)
            rec = None
            if f.get("recommendation"):
                ref = r.obj(f["recommendation"], f"{q}.recommendation")
                rec = Recommendation.objects.filter(
                    theme__programme=programme, theme__title=r.text(ref, "theme", f"{q}.recommendation"),
                    ref=r.text(ref, "ref", f"{q}.recommendation"), text=r.text(ref, "text", f"{q}.recommendation"),
                ).first()
                if rec is None:
                    r.fail(f"{q}.recommendation", "no such recommendation in the plan")
            findings.append((r.choice(f, "kind", q, m.Finding.Kind.values), r.text(f, "text", q, required=True), rec))
        judgements, areas = [], set()
        for j, jd in enumerate(r.items(v, "judgements", p)):
            q = f"{p}.judgements[{j}]"
            jd = r.obj(jd, q)
            area = r.choice(jd, "area", q, m.JudgementArea.values)
            if area in areas:
                r.fail(f"{q}.area", f"{area!r} is judged twice at one visit")
            areas.add(area)
            judgements.append((area, r.choice(jd, "grade", q, m.Grade.values)))
        rows.append((dict(kind=r.choice(v, "kind", p, m.VisitKind.values),
                          title=r.text(v, "title", p, required=True, max_len=300),
                          start=r.date(v, "start", p, required=True), end=r.date(v, "end", p),
                          letter_on=r.date(v, "letter_on", p),
                          conclusion=r.choice(v, "conclusion", p, m.Conclusion.values, blank=True),
                          summary=r.text(v, "summary", p), focus_areas=r.lines(v, "focus_areas", p)),
                     r.text(v, "source", p, max_len=200), findings, judgements))
    m.Visit.objects.filter(programme=programme).delete()
    for fields, source_label, findings, judgements in rows:
        source = None
        if source_label:
            source, _ = Source.objects.get_or_create(
                programme=programme, label=source_label,
                defaults={"kind": m.SOURCE_KIND.get(fields["kind"], SourceKind.INSPECTION),
                          "date": fields["letter_on"] or fields["start"]})
        visit = m.Visit.objects.create(programme=programme, source=source, **fields)
        m.Finding.objects.bulk_create([m.Finding(visit=visit, order=o, kind=k, text=t, recommendation=rec)
                                       for o, (k, t, rec) in enumerate(findings, start=1)])
        m.Judgement.objects.bulk_create([m.Judgement(visit=visit, area=a, grade=g) for a, g in judgements])


# ------------------------------------------------------------------------------ work programme
def export_work_programme(programme) -> list:
    return [{"title": w.title, "version": w.version_text, "start_month": _d(w.start_month), "months": w.months,
             "notes": w.notes,
             "tasks": [{"description": t.description, "lead": t.lead, "cells": dict(sorted(t.cells.items())),
                        "meeting": ({"board": t.meeting.board.name, "date": _d(t.meeting.date)}
                                    if t.meeting_id else None),
                        "visit": ({"title": t.visit.title, "start": _d(t.visit.start)} if t.visit_id else None)}
                       for t in w.tasks.select_related("meeting__board", "visit")]}
            for w in m.WorkProgramme.objects.filter(programme=programme)]


def load_work_programme(programme, items: list, filename: str) -> None:
    r, rows = Reader(filename), []
    for i, raw in enumerate(items):
        p = f"work_programme[{i}]"
        w = r.obj(raw, p)
        start = r.date(w, "start_month", p, required=True)
        months = r.whole(w, "months", p, low=1, high=60, default=5)
        wp = m.WorkProgramme(start_month=start.replace(day=1), months=months)
        keys = {f"{x:%Y-%m}" for x in wp.month_list()}
        tasks = []
        for j, t in enumerate(r.items(w, "tasks", p)):
            q = f"{p}.tasks[{j}]"
            t = r.obj(t, q)
            cells = t.get("cells") or {}
            if not isinstance(cells, dict):
                r.fail(f"{q}.cells", "expected an object of month → kind")
            for k, kind in cells.items():
                if k not in keys:
                    r.fail(f"{q}.cells.{k}", f"not one of the work programme's months ({', '.join(sorted(keys))})")
                if kind not in m.CellKind.values:
                    r.fail(f"{q}.cells.{k}", f"expected one of {', '.join(m.CellKind.values)}, found {kind!r}")
            meeting = visit = None
            if t.get("meeting"):
                md = r.obj(t["meeting"], f"{q}.meeting")
                meeting = m.Meeting.objects.filter(board__programme=programme, board__name=md.get("board"),
                                                   date=r.date(md, "date", f"{q}.meeting", required=True)).first()
                if meeting is None:
                    r.fail(f"{q}.meeting", "no such meeting in meetings[]")
            if t.get("visit"):
                vd = r.obj(t["visit"], f"{q}.visit")
                visit = m.Visit.objects.filter(programme=programme, title=vd.get("title"),
                                               start=r.date(vd, "start", f"{q}.visit", required=True)).first()
                if visit is None:
                    r.fail(f"{q}.visit", "no such visit in visits[]")
            tasks.append(dict(description=r.text(t, "description", q, required=True, max_len=500),
                              lead=r.text(t, "lead", q, max_len=100), cells=cells, meeting=meeting, visit=visit))
        rows.append((dict(title=r.text(w, "title", p, required=True, max_len=300),
                          version_text=r.text(w, "version", p, max_len=100), start_month=start.replace(day=1),
                          months=months, notes=r.text(w, "notes", p)), tasks))
    m.WorkProgramme.objects.filter(programme=programme).delete()
    for fields, tasks in rows:
        wp = m.WorkProgramme.objects.create(programme=programme, **fields)
        m.WorkTask.objects.bulk_create([m.WorkTask(work_programme=wp, order=o, **t)
                                        for o, t in enumerate(tasks, start=1)])


# ------------------------------------------------------------------------------ projects
def export_projects(programme) -> list:
    out = []
    for p in m.Project.objects.filter(programme=programme).select_related("parent", "merged_into"):
        out.append({
            "number": p.number, "title": p.title, "parent": p.parent.number if p.parent_id else None,
            "lead": p.lead, "state": p.state, "state_on": _d(p.state_on), "state_reason": p.state_reason,
            "merged_into": p.merged_into.number if p.merged_into_id else None,
            "actions": [_action_ref(a) for a in p.actions.order_by("recommendation__theme__order",
                                                                    "recommendation__order", "order", "id")],
            "history": [{"state": c.state, "on": _d(c.on), "reason": c.reason,
                         "merged_into": c.merged_into.number if c.merged_into_id else None}
                        for c in p.state_changes.select_related("merged_into")],
        })
    return out


def load_projects(programme, items: list, filename: str) -> None:
    r, rows, numbers = Reader(filename), [], []
    for i, raw in enumerate(items):
        p = f"projects[{i}]"
        d = r.obj(raw, p)
        numbers.append(r.text(d, "number", p, required=True, max_len=20))
    if len(set(numbers)) != len(numbers):
        dup = next(n for n in numbers if numbers.count(n) > 1)
        r.fail("projects", f"number {dup!r} appears twice")
    known = set(numbers)
    for i, raw in enumerate(items):
        p = f"projects[{i}]"
        for key in ("parent", "merged_into"):
            if raw.get(key) and raw[key] not in known:
                r.fail(f"{p}.{key}", f"no project {raw[key]!r} in projects[]")
        history = []
        for j, h in enumerate(r.items(raw, "history", p)):
            q = f"{p}.history[{j}]"
            h = r.obj(h, q)
            if h.get("merged_into") and h["merged_into"] not in known:
                r.fail(f"{q}.merged_into", f"no project {h['merged_into']!r} in projects[]")
            history.append((r.choice(h, "state", q, m.ProjectState.values), r.date(h, "on", q),
                            r.text(h, "reason", q), h.get("merged_into")))
        state = r.choice(raw, "state", p, m.ProjectState.values)
        if state == m.ProjectState.MERGED and not raw.get("merged_into"):
            r.fail(f"{p}.merged_into", "a merged project must say which one it was merged into")
        actions = [_find_action(programme, a, r, f"{p}.actions[{j}]") for j, a in enumerate(r.items(raw, "actions", p))]
        rows.append((dict(number=numbers[i], title=r.text(raw, "title", p, required=True, max_len=300),
                          lead=r.text(raw, "lead", p, max_len=200), state=state,
                          state_on=r.date(raw, "state_on", p), state_reason=r.text(raw, "state_reason", p)),
                     raw.get("parent"), raw.get("merged_into"), actions, history))
    m.Project.objects.filter(programme=programme).delete()
    made = {}
    for order, (fields, _parent, _merged, _actions, _history) in enumerate(rows, start=1):
        made[fields["number"]] = m.Project.objects.create(programme=programme, order=order, **fields)
    for fields, parent, merged, actions, history in rows:
        proj = made[fields["number"]]
        proj.parent, proj.merged_into = made.get(parent), made.get(merged)
        proj.save(update_fields=["parent", "merged_into"])
        proj.actions.set(actions)
        m.ProjectStateChange.objects.bulk_create([m.ProjectStateChange(project=proj, state=s, on=on, reason=why,
                                                                       merged_into=made.get(into))
                                                  for s, on, why, into in history])


# ------------------------------------------------------------------------------ self-assessment
def export_self_assessments(programme) -> list:
    out = []
    for fw in m.Framework.objects.filter(programme=programme):
        items = list(fw.items.prefetch_related("descriptors"))
        out.append({
            "framework": fw.name, "levels": list(fw.levels), "description": fw.description,
            "items": [{"code": it.code, "title": it.title, "description": it.description,
                       "descriptors": [{"row": d.row, "level": d.level, "text": d.text} for d in it.descriptors.all()]}
                      for it in items],
            "assessments": [{"date": _d(a.assessed_on), "title": a.title,
                             "entries": [{"item": e.item.code, "level": e.level, "evidence": e.evidence,
                                          "next_steps": e.next_steps, "when": e.when_text, "success": e.success}
                                         for e in a.entries.select_related("item")]}
                            for a in fw.assessments.all()],
        })
    return out


def load_self_assessments(programme, items: list, filename: str) -> None:
    r, rows, names = Reader(filename), [], set()
    for i, raw in enumerate(items):
        p = f"self_assessments[{i}]"
        f = r.obj(raw, p)
        name = r.text(f, "framework", p, required=True, max_len=200)
        if name in names:
            r.fail(f"{p}.framework", f"{name!r} appears twice")
        names.add(name)
        levels = r.lines(f, "levels", p)
        if len(levels) != 5:
            r.fail(f"{p}.levels", f"expected the names of 5 levels, found {len(levels)}")
        fitems, codes = [], set()
        for j, it in enumerate(r.items(f, "items", p)):
            q = f"{p}.items[{j}]"
            it = r.obj(it, q)
            code = r.text(it, "code", q, required=True, max_len=20)
            if code in codes:
                r.fail(f"{q}.code", f"{code!r} appears twice")
            codes.add(code)
            descs = [(r.whole(d, "row", f"{q}.descriptors[{k}]", low=1, high=1000, default=1),
                      r.whole(d, "level", f"{q}.descriptors[{k}]", low=1, high=5),
                      r.text(d, "text", f"{q}.descriptors[{k}]", required=True))
                     for k, d in enumerate(r.obj(x, f"{q}.descriptors[{n}]")
                                           for n, x in enumerate(r.items(it, "descriptors", q)))]
            fitems.append((code, r.text(it, "title", q, required=True, max_len=300), r.text(it, "description", q),
                           descs))
        assessments = []
        for j, a in enumerate(r.items(f, "assessments", p)):
            q = f"{p}.assessments[{j}]"
            a = r.obj(a, q)
            entries = []
            for k, e in enumerate(r.items(a, "entries", q)):
                s = f"{q}.entries[{k}]"
                e = r.obj(e, s)
                code = r.text(e, "item", s, required=True)
                if code not in codes:
                    r.fail(f"{s}.item", f"no item {code!r} in this framework")
                entries.append((code, r.whole(e, "level", s, low=1, high=5), r.text(e, "evidence", s),
                                r.text(e, "next_steps", s), r.text(e, "when", s, max_len=200), r.text(e, "success", s)))
            assessments.append((r.date(a, "date", q, required=True), r.text(a, "title", q, max_len=200), entries))
        rows.append((name, levels, r.text(f, "description", p), fitems, assessments))
    m.Framework.objects.filter(programme=programme).delete()
    for name, levels, description, fitems, assessments in rows:
        fw = m.Framework.objects.create(programme=programme, name=name, levels=levels, description=description)
        by_code = {}
        for order, (code, title, desc, descs) in enumerate(fitems, start=1):
            item = m.FrameworkItem.objects.create(framework=fw, order=order, code=code, title=title, description=desc)
            by_code[code] = item
            m.Descriptor.objects.bulk_create([m.Descriptor(item=item, row=row, level=lv, text=t)
                                              for row, lv, t in descs])
        for day, title, entries in assessments:
            a = m.Assessment.objects.create(framework=fw, assessed_on=day, title=title)
            m.AssessmentEntry.objects.bulk_create([
                m.AssessmentEntry(assessment=a, item=by_code[c], level=lv, evidence=ev, next_steps=ns, when_text=w,
                                  success=su) for c, lv, ev, ns, w, su in entries])


# ------------------------------------------------------------------------------ statutory plans
def export_statutory_plans(programme) -> list:
    from .layouts import LAYOUTS

    out = []
    for plan in m.StatutoryPlan.objects.filter(programme=programme):
        rows: dict[str, list] = {}
        for r in plan.rows.all():
            rows.setdefault(r.section, []).append(list(r.cells))
        out.append({"layout": plan.layout, "title": plan.title, "period": plan.period_text,
                    "approved_on": _d(plan.approved_on),
                    "sections": {s.key: rows.get(s.key, []) for s in LAYOUTS[plan.layout].sections}})
    return out


def load_statutory_plans(programme, items: list, filename: str) -> None:
    from .layouts import LAYOUTS

    r, rows = Reader(filename), []
    for i, raw in enumerate(items):
        p = f"statutory_plans[{i}]"
        d = r.obj(raw, p)
        layout = LAYOUTS[r.choice(d, "layout", p, list(LAYOUTS))]
        sections = r.obj(d.get("sections") or {}, f"{p}.sections")
        for key, body in sections.items():
            s = layout.section(key)
            if s is None:
                r.fail(f"{p}.sections.{key}", f"not a section of the {layout.name}")
            if not isinstance(body, list):
                r.fail(f"{p}.sections.{key}", "expected a list of rows")
            for j, row in enumerate(body):
                if not isinstance(row, list) or len(row) != len(s.columns) or not all(isinstance(c, str) for c in row):
                    r.fail(f"{p}.sections.{key}[{j}]", f"expected {len(s.columns)} texts ({', '.join(s.columns)})")
        rows.append((dict(layout=layout.key, title=r.text(d, "title", p, required=True, max_len=300),
                          period_text=r.text(d, "period", p, max_len=50), approved_on=r.date(d, "approved_on", p)),
                     sections))
    m.StatutoryPlan.objects.filter(programme=programme).delete()
    for fields, sections in rows:
        plan = m.StatutoryPlan.objects.create(programme=programme, **fields)
        m.StatutoryPlanRow.objects.bulk_create([m.StatutoryPlanRow(plan=plan, section=k, order=o, cells=row)
                                                for k, body in sections.items()
                                                for o, row in enumerate(body, start=1)])


# ------------------------------------------------------------------------------ reporting calendar
def export_reporting_calendar(programme) -> list:
    """Each board's own calendar settings (boards on their kind's defaults are left out).

    Which pack went to which meeting does not travel: board packs are not part of the programme JSON.
    """
    return [{"board": x.board.name, "reports": list(x.reports), "publish_clear_days": x.publish_clear_days,
             "approve_days_before": x.approve_days_before}
            for x in m.ReportingRule.objects.filter(board__programme=programme).select_related("board")
            .order_by("board__name")]


def load_reporting_calendar(programme, items: list, filename: str) -> None:
    from oversight.reports.builders import NAMES

    r, rows, seen = Reader(filename), [], set()
    boards = {b.name: b for b in m.Board.objects.filter(programme=programme)}
    for i, raw in enumerate(items):
        p = f"reporting_calendar[{i}]"
        x = r.obj(raw, p)
        name = r.text(x, "board", p, required=True, max_len=200)
        if name not in boards:
            r.fail(f"{p}.board", f"no board {name!r} in boards[]")
        if name in seen:
            r.fail(f"{p}.board", f"{name!r} appears twice")
        seen.add(name)
        reports = r.lines(x, "reports", p)
        for j, n in enumerate(reports):
            if n not in NAMES:
                r.fail(f"{p}.reports[{j}]", f"expected one of {', '.join(NAMES)}, found {n!r}"[:300])
        rows.append((boards[name], reports, r.whole(x, "publish_clear_days", p, high=60, default=5),
                     r.whole(x, "approve_days_before", p, high=60, default=2)))
    m.ReportingRule.objects.filter(board__programme=programme).delete()
    for b, reports, clear, approve in rows:
        m.ReportingRule.objects.create(board=b, reports=reports, publish_clear_days=clear,
                                       approve_days_before=approve)


SECTIONS = [
    ("boards", export_boards, load_boards, 110),
    ("visits", export_visits, load_visits, 112),
    ("meetings", export_meetings, load_meetings, 114),
    ("reporting_calendar", export_reporting_calendar, load_reporting_calendar, 115),
    ("work_programme", export_work_programme, load_work_programme, 116),
    ("projects", export_projects, load_projects, 118),
    ("self_assessments", export_self_assessments, load_self_assessments, 120),
    ("statutory_plans", export_statutory_plans, load_statutory_plans, 122),
]
