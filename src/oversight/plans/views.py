"""Pages of the improvement plan. Each page has a ``.json`` twin built from the same context."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import queries, readmodel, status
from .context import period_context
from .forms import ActionUpdateForm, NoteForm
from .models import RAG_GUIDANCE, Action, BudgetLine, Programme, Rag, Status, StatusReport, Theme, ThemeOverview
from .services import StaleEdit, add_note, can_manage, can_update, update_action
from .templatetags.plans_periods import keep_period


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def home(request: HttpRequest) -> HttpResponse:
    from .memberships import programmes_for  # the programmes the person holds a live role in

    programmes = list(programmes_for(request.user))
    if len(programmes) == 1:
        return redirect(programmes[0])
    return render(request, "plans/home.html", {"nav": "plan", "programmes": programmes})


def programme(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """The programme as at a reporting period: status, theme overviews, budget and action counts.

    Page and ``.json`` twin print one :class:`readmodel.ProgrammeOverview` — the object whose header,
    budget and theme RAGs the highlight report prints too.
    """
    prog = get_object_or_404(Programme, slug=slug)
    ctx = period_context(request, prog)
    period = ctx["period"]
    view = readmodel.overview(prog, period)
    if fmt == "json":
        return JsonResponse(_overview_json(prog, view))
    user = request.user
    return render(request, "plans/programme.html", {
        **ctx, "nav": "plan", "programme": prog, "view": view, "totals": view.totals,
        "report_is_older": bool(view.status and view.status.period_end != period.as_at),
        "budget_is_older": bool(view.budget_from and view.budget_from != period.as_at),
        "status_history": status.history_of(StatusReport.history.filter(programme_id=prog.pk), 20),
        "budget_history": status.history_of(BudgetLine.history.filter(programme_id=prog.pk), 20),
        "can_edit_status": can_manage(user, "statusreport"),
        "can_edit_budget": can_manage(user, "budgetline"),
        "can_edit_plan": can_manage(user, "theme"),
        "can_edit_settings": can_manage(user, "programme"),
        "rag_guidance": [(Rag(k).label, v) for k, v in RAG_GUIDANCE.items()],
    })


MONEY_COLUMNS = ("budget", "actual", "forecast", "variance")


def _cell_json(cell) -> dict:
    return {"text": cell.text, "value": cell.value, "rag": cell.rag or None}


def _overview_json(prog: Programme, view: readmodel.ProgrammeOverview) -> dict:
    """The programme page's twin: the keys it always had, plus the printed words (``header``, ``shown``)."""
    period = view.period
    st = view.status
    h = view.header
    return {
        "programme": {"slug": prog.slug, "name": prog.name, "reporting_cycle": prog.reporting_cycle},
        "period": {"as_at": period.key, "label": period.label, "current": period.is_current},
        "as_at": period.as_at.isoformat(), "totals": view.totals,
        "status": None if st is None else {
            "period": st.period_end.isoformat(), "rag": h.overall_status or None, "narrative": view.narrative,
            "author": st.author, "updated": st.updated_at.isoformat() if st.updated_at else None},
        "header": {"sro": h.sro, "programme_manager": h.programme_manager, "date_of_report": h.date_of_report,
                   "overall_status": h.overall_status or None, "overall_status_label": h.overall_status_label,
                   "status_from": h.status_from},
        "budget": [{"period": b.period_end.isoformat() if b.period_end else None, "name": b.row.name,
                    **b.raw, "comments": b.row.comments} for b in view.budget],
        # as printed on the page and in the highlight report ("£112,500"), the total last when there is one
        "budget_shown": [{"name": b.name, **{k: _cell_json(getattr(b, k)) for k in MONEY_COLUMNS}}
                         for b in view.budget_rows],
        "no_date_read": [{"id": a.id, "ref": a.ref, "title": a.title, "when_text": a.when_text}
                         for a in view.no_date_read],
        "themes": [{"id": t.id, "title": t.title, "actions": t.total, "done": t.done,
                    "overdue": t.overdue, "no_date_read": t.no_date,
                    "by_status": {v: n for v, _label, n in t.by_status}, "by_rag": t.by_rag,
                    "overview": ({"period": t.overview_period.isoformat(), "rag": t.overview_rag or None,
                                  "narrative": t.overview, "rag_label": t.overview_rag_label}
                                 if t.overview_period else None)}
                   for t in view.themes],
    }


def _get_theme(slug: str, pk: int) -> Theme:
    theme = get_object_or_404(Theme.objects.select_related("programme"), pk=pk)
    if theme.programme.slug != slug:
        raise Http404
    return theme


def theme_detail(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    """A theme as seed 001 lays it out: overview narrative and RAG, then objectives, key actions, RAG per quarter."""
    theme = _get_theme(slug, pk)
    prog = theme.programme
    ctx = period_context(request, prog)
    period = ctx["period"]
    overview = status.theme_overviews_for(prog, period).get(theme.pk)
    quarters = queries.rag_quarters(period.quarter)
    objectives = queries.theme_objectives(theme, quarters, period.as_at)
    if fmt == "json":
        return JsonResponse({
            "programme": prog.slug, "theme": {"id": theme.pk, "title": theme.title},
            "period": {"as_at": period.key, "label": period.label, "current": period.is_current},
            "overview": ({"period": overview.period_end.isoformat(), "rag": overview.rag or None,
                          "narrative": overview.narrative, "author": _user_name(overview.author)}
                         if overview else None),
            "quarters": [queries.quarter_label(y, q) for y, q in quarters],
            "objectives": [{"ref": o.recommendation.ref, "text": o.recommendation.text,
                            "actions": [{"id": r.action.pk, "ref": r.action.ref, "title": r.action.title,
                                         "rags": [x or None for x in r.rags], "overdue": r.overdue}
                                        for r in o.rows]} for o in objectives],
        })
    return render(request, "plans/theme.html", {
        **ctx, "nav": "plan", "programme": prog, "theme": theme, "overview": overview,
        "overview_is_older": bool(overview and overview.period_end != period.as_at),
        "quarters": [(queries.quarter_label(y, q, short=True), queries.quarter_label(y, q)) for y, q in quarters],
        "objectives": objectives,
        "overview_history": status.history_of(ThemeOverview.history.filter(theme_id=theme.pk), 20),
        "theme_history": status.history_of(theme.history.all(), 20),
        "can_edit_overview": can_manage(request.user, "themeoverview"),
        "can_edit_plan": can_manage(request.user, "theme"),
        "rag_guidance": [(Rag(k).label, v) for k, v in RAG_GUIDANCE.items()],
    })


def _attach_evidence(actions: list[Action]) -> None:
    """Give each action its linked indicators' figures (``action.evidence``), in one pass."""
    found = readmodel.evidence_for(actions)
    for a in actions:
        a.evidence = found.get(a.pk)


def _evidence_json(ev) -> list[dict]:
    if not ev:
        return []
    return [{"indicator": e.link.indicator, "value": e.row.current["value"] if e.row else None,
             "month": e.row.current["month"] if e.row else None, "rag": e.rag or None} for e in ev.items]


def _action_json(a: Action, today: dt.date) -> dict:
    ev = getattr(a, "evidence", None)
    return {
        "id": a.pk, "ref": a.ref, "title": a.title, "owners": [p.name for p in a.owners.all()],
        "when_text": a.when_text, "due": a.due.isoformat() if a.due else None, "status": a.status,
        "rag": queries.latest_rag(a, today) or None, "overdue": a.is_overdue(today), "no_date_read": a.no_date_read,
        "completed_on": a.completed_on.isoformat() if a.completed_on else None,
        "evidence": _evidence_json(ev), "evidence_conflict": (ev.conflict if ev else "") or None,
    }


def _row_json(r, ev) -> dict:
    """A tracker row: the keys the JSON always had, plus the tracker report's printed columns."""
    return {
        "id": r.action_id, "ref": r.number, "title": r.what, "owners": list(r.owners), "when_text": r.when_text,
        "due": r.due.isoformat() if r.due else None, "status": r.status, "rag": r.rag or None,
        "overdue": r.overdue, "no_date_read": r.no_date_read,
        "completed_on": r.completed_on.isoformat() if r.completed_on else None,
        "evidence": _evidence_json(ev), "evidence_conflict": (ev.conflict if ev else "") or None,
        "who": r.who, "how": r.how, "when": r.when, "success_measure": r.success_measure,
        "status_label": r.status_label, "outcome": r.outcome, "rags": [g or None for g in r.rags],
        "rag_quarter": r.rag_quarter or None,
    }


def tracker(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """The action tracker: the tracker report's rows (filtered on screen), with the evidence behind each RAG."""
    prog = get_object_or_404(Programme, slug=slug)
    ctx = period_context(request, prog)
    period = ctx["period"]
    as_at = period.as_at
    filters = queries.TrackerFilters.from_query(request.GET)
    data = readmodel.load(prog)
    report = readmodel.tracker_report(prog, period, data=data)
    outstanding = readmodel.filter_rows(report.outstanding, filters)
    completed = readmodel.filter_rows(report.completed, filters)
    shown = {r.action_id for r in (*outstanding, *completed)}
    evidence = readmodel.evidence_for([a for a in data.actions if a.pk in shown])
    if fmt == "json":
        def blocks(rows):
            return [{"theme": b.theme, "recommendations": [
                {"ref": rb.ref, "text": rb.text, "actions": [_row_json(r, evidence.get(r.action_id))
                                                             for r in rb.rows]}
                for rb in b.recommendations]} for b in readmodel.group_rows(rows)]
        return JsonResponse({"programme": prog.slug, "as_at": as_at.isoformat(), "period": period.label,
                             "title": report.title, "completed_title": report.sections[1].title,
                             "quarters": list(report.quarter_labels),
                             "quarter_periods": [queries.quarter_label(y, q)
                                                 for y, q in queries.rag_quarters(period.quarter)],
                             "n_outstanding": len(outstanding), "n_completed": len(completed),
                             "outstanding": blocks(outstanding), "completed": blocks(completed)})
    return render(request, "plans/tracker.html", {
        **ctx, "nav": "plan", "programme": prog, "as_at": as_at, "filters": filters, "report": report,
        "outstanding": readmodel.group_rows(outstanding, evidence),
        "completed": readmodel.group_rows(completed, evidence),
        "n_outstanding": len(outstanding), "n_completed": len(completed), "evidence": evidence,
        "completed_title": report.sections[1].title,
        "owners": queries.owner_choices(prog), "statuses": Status.choices, "rags": Rag.choices,
    })


def _get_action(slug: str, pk: int) -> Action:
    action = get_object_or_404(Action.objects.select_related("recommendation__theme__programme"), pk=pk)
    if action.recommendation.theme.programme.slug != slug:
        raise Http404
    return action


def action_detail(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    action = _get_action(slug, pk)
    prog = action.recommendation.theme.programme
    ctx = period_context(request, prog)
    today = ctx["as_at"]
    _attach_evidence([action])
    notes = list(action.notes.select_related("author").order_by("-date", "-created_at"))
    if fmt == "json":
        data = _action_json(action, today)
        data["steps"] = [{"text": s.text, "when_text": s.when_text, "status": s.status} for s in action.steps.all()]
        data["notes"] = [{"date": n.date.isoformat(), "text": n.text, "author": n.written_by} for n in notes]
        return JsonResponse(data)
    changes = status.history_of(action.history.all(), 50)
    quarters = queries.rag_quarters(ctx["period"].quarter)
    ratings = list(action.rag_ratings.all())
    return render(request, "plans/action.html", {
        **ctx, "nav": "plan", "programme": prog, "action": action,
        "quarter_cols": [(queries.quarter_label(y, q), rag)
                         for (y, q), rag in zip(quarters, queries.rags_by_quarter(action, quarters), strict=True)],
        "can_edit_plan": can_manage(request.user, "action"),
        "notes": notes, "changes": changes, "can_update": can_update(request.user, action),
        "rags": ratings, "overdue": action.is_overdue(today),
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
    prog = action.recommendation.theme.programme
    ctx = period_context(request, prog)
    if request.method == "POST":
        form = ActionUpdateForm(request.POST, action=action, period_quarter=ctx["period"].quarter)
        if form.is_valid():
            d = form.cleaned_data
            try:
                update_action(action, user=request.user, version=d["version"], status=d["status"], rag=d["rag"],
                              when_text=d["when_text"], success_measure=d["success_measure"],
                              note_text=d["note"], note_date=d["note_date"], quarter=d["quarter"])
            except StaleEdit:
                form.add_error(None, "Someone else updated this action while you were editing it. Your "
                                     "changes were not saved.")
            else:
                messages.success(request, f"Action {action.ref} updated.")
                return redirect(keep_period(action.get_absolute_url(), ctx["period_query"]))
    else:
        year, quarter = ctx["period"].quarter
        rating = action.rag_ratings.filter(year=year, quarter=quarter).first()
        form = ActionUpdateForm(action=action, period_quarter=ctx["period"].quarter, initial={
            "version": action.version, "status": action.status, "rag": rating.rag if rating else "",
            "when_text": action.when_text, "success_measure": action.success_measure,
        })
    return render(request, "plans/action_edit.html", {
        **ctx, "nav": "plan", "programme": prog, "action": action, "form": form,
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
