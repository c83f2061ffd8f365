"""Pages of the improvement plan. Each page has a ``.json`` twin built from the same context."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import queries
from .forms import ActionUpdateForm, NoteForm, rag_for
from .models import RAG_GUIDANCE, Action, Programme, Rag, Status
from .services import StaleEdit, add_note, can_update, update_action


def _as_at(request: HttpRequest) -> dt.date:
    raw = request.GET.get("as_at", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def home(request: HttpRequest) -> HttpResponse:
    programmes = list(Programme.objects.all())
    if len(programmes) == 1:
        return redirect(programmes[0])
    return render(request, "plans/home.html", {"nav": "plan", "programmes": programmes})


def programme(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    prog = get_object_or_404(Programme, slug=slug)
    today = _as_at(request)
    summary = queries.programme_summary(prog, today)
    totals = {
        "actions": sum(s.total for s in summary),
        "done": sum(s.done for s in summary),
        "overdue": sum(s.overdue for s in summary),
        "red": sum(s.rag_counts["red"] for s in summary),
        "amber": sum(s.rag_counts["amber"] for s in summary),
        "green": sum(s.rag_counts["green"] for s in summary),
    }
    if fmt == "json":
        return JsonResponse({
            "programme": {"slug": prog.slug, "name": prog.name}, "as_at": today.isoformat(), "totals": totals,
            "themes": [{"title": s.theme.title, "actions": s.total, "done": s.done, "overdue": s.overdue,
                        "by_status": dict(s.by_status), "by_rag": s.rag_counts} for s in summary],
        })
    return render(request, "plans/programme.html", {
        "nav": "plan", "programme": prog, "summary": summary, "totals": totals, "as_at": today,
        "rag_guidance": [(Rag(k).label, v) for k, v in RAG_GUIDANCE.items()],
    })


def _attach_evidence(actions: list[Action]) -> None:
    """Give each action its linked indicators' figures (``action.evidence``), in one pass."""
    from oversight.performance.evidence import evidence_for_actions

    found = evidence_for_actions(actions)
    for a in actions:
        a.evidence = found.get(a.pk)


def _evidence_json(a: Action) -> list[dict]:
    ev = getattr(a, "evidence", None)
    if not ev:
        return []
    return [{"indicator": e.link.indicator, "value": e.row.current["value"] if e.row else None,
             "month": e.row.current["month"] if e.row else None, "rag": e.rag or None} for e in ev.items]


def _action_json(a: Action, today: dt.date) -> dict:
    ev = getattr(a, "evidence", None)
    return {
        "id": a.pk, "ref": a.ref, "title": a.title, "owners": [p.name for p in a.owners.all()],
        "when_text": a.when_text, "due": a.due.isoformat() if a.due else None, "status": a.status,
        "rag": queries.latest_rag(a) or None, "overdue": a.is_overdue(today),
        "completed_on": a.completed_on.isoformat() if a.completed_on else None,
        "evidence": _evidence_json(a), "evidence_conflict": (ev.conflict if ev else "") or None,
    }


def tracker(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    prog = get_object_or_404(Programme, slug=slug)
    as_at = _as_at(request)
    filters = queries.TrackerFilters.from_query(request.GET)
    outstanding, completed, n_out, n_done = queries.tracker(prog, as_at, filters)
    _attach_evidence([a for blocks in (outstanding, completed) for b in blocks for r in b.recommendations
                      for a in r.actions])
    if fmt == "json":
        def blocks(bs):
            return [{"theme": b.theme.title, "recommendations": [
                {"ref": r.recommendation.ref, "text": r.recommendation.text,
                 "actions": [_action_json(a, as_at) for a in r.actions]} for r in b.recommendations]} for b in bs]
        return JsonResponse({"programme": prog.slug, "as_at": as_at.isoformat(),
                             "outstanding": blocks(outstanding), "completed": blocks(completed)})
    return render(request, "plans/tracker.html", {
        "nav": "plan", "programme": prog, "as_at": as_at, "filters": filters,
        "outstanding": outstanding, "completed": completed, "n_outstanding": n_out, "n_completed": n_done,
        "owners": queries.owner_choices(prog), "statuses": Status.choices, "rags": Rag.choices,
    })


def _get_action(slug: str, pk: int) -> Action:
    action = get_object_or_404(Action.objects.select_related("recommendation__theme__programme"), pk=pk)
    if action.recommendation.theme.programme.slug != slug:
        raise Http404
    return action


def action_detail(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    action = _get_action(slug, pk)
    today = timezone.localdate()
    _attach_evidence([action])
    notes = list(action.notes.select_related("author").order_by("-date", "-created_at"))
    if fmt == "json":
        data = _action_json(action, today)
        data["steps"] = [{"text": s.text, "when_text": s.when_text, "status": s.status} for s in action.steps.all()]
        data["notes"] = [{"date": n.date.isoformat(), "text": n.text, "author": n.written_by} for n in notes]
        return JsonResponse(data)
    history = list(action.history.select_related("history_user").order_by("-history_date")[:50])
    changes = []
    for record in history:
        prev = record.prev_record
        if prev is None:
            changes.append({"when": record.history_date, "who": record.history_user, "what": "created"})
            continue
        delta = record.diff_against(prev, excluded_fields=["version"])
        if delta.changes:
            changes.append({"when": record.history_date, "who": record.history_user,
                            "what": "; ".join(f"{c.field}: “{c.old}” → “{c.new}”" for c in delta.changes)})
    return render(request, "plans/action.html", {
        "nav": "plan", "programme": action.recommendation.theme.programme, "action": action,
        "notes": notes, "changes": changes, "can_update": can_update(request.user, action),
        "rags": list(action.rag_ratings.all()), "overdue": action.is_overdue(today),
        "note_form": NoteForm(), "evidence": action.evidence,
        "can_link": request.user.has_perm("plans.change_action"), "indicator_choices": _indicator_choices(),
    })


def _indicator_choices() -> list[tuple[str, str]]:
    from oversight.performance.evidence import indicator_choices

    return indicator_choices()


@require_POST
def evidence_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Link an action's success measure to an indicator (programme managers)."""
    from oversight.performance.models import EvidenceLink

    action = _get_action(slug, pk)
    if not request.user.has_perm("plans.change_action"):
        raise PermissionDenied("Only the programme manager can link actions to indicators.")
    indicator = request.POST.get("indicator", "")
    if indicator not in dict(_indicator_choices()):
        messages.error(request, "Choose an indicator from the list.")
    else:
        EvidenceLink.objects.get_or_create(action=action, indicator=indicator,
                                           defaults={"created_by": request.user,
                                                     "note": request.POST.get("note", "")[:300]})
        messages.success(request, "Indicator linked as evidence.")
    return redirect(action)


def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    action = _get_action(slug, pk)
    if not can_update(request.user, action):
        raise PermissionDenied("Only the action's owners and the programme manager can update it.")
    if request.method == "POST":
        form = ActionUpdateForm(request.POST, action=action)
        if form.is_valid():
            d = form.cleaned_data
            try:
                update_action(action, user=request.user, version=d["version"], status=d["status"], rag=d["rag"],
                              when_text=d["when_text"], success_measure=d["success_measure"],
                              note_text=d["note"], note_date=d["note_date"])
            except StaleEdit:
                form.add_error(None, "Someone else updated this action while you were editing it. Your "
                                     "changes were not saved.")
            else:
                messages.success(request, f"Action {action.ref} updated.")
                return redirect(action)
    else:
        form = ActionUpdateForm(action=action, initial={
            "version": action.version, "status": action.status, "rag": rag_for(action, timezone.localdate()),
            "when_text": action.when_text, "success_measure": action.success_measure,
        })
    return render(request, "plans/action_edit.html", {
        "nav": "plan", "programme": action.recommendation.theme.programme, "action": action, "form": form,
        "rag_guidance": [(Rag(k).label, v) for k, v in RAG_GUIDANCE.items()],
    })


@require_POST
def note_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    action = _get_action(slug, pk)
    if not (can_update(request.user, action) or request.user.has_perm("plans.add_progressnote")
            and action.owners.filter(user=request.user).exists()):
        raise PermissionDenied("Only the action's owners and the programme manager can add notes.")
    form = NoteForm(request.POST)
    if form.is_valid():
        add_note(action, user=request.user, text=form.cleaned_data["text"], date=form.cleaned_data["date"])
        messages.success(request, "Progress note added.")
    else:
        messages.error(request, "The note was not added: it needs a date and some text.")
    return redirect(action)
