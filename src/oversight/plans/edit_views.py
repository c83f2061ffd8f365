"""The programme manager's editing pages: status, overviews, budget, settings and the plan's structure.

Every page here is a GOV.UK-style form with an error summary. Every save goes through
``services.save_versioned`` (or its period-aware siblings): the change is kept in the model's
history with who made it, and a save from a page loaded before someone else's save is refused
with a message — nothing is overwritten. Permissions are the model permissions of the
"Programme manager" role (``accounts/roles.py``); everyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import periods, status
from .context import period_context
from .forms import (
    BudgetLineForm,
    PersonForm,
    PlanActionForm,
    ProgrammeSettingsForm,
    RecommendationForm,
    StatusReportForm,
    StepForm,
    ThemeForm,
    ThemeOverviewForm,
)
from .models import (
    RAG_GUIDANCE,
    Action,
    BudgetLine,
    Person,
    Programme,
    Rag,
    Recommendation,
    Source,
    SourceKind,
    StatusReport,
    Step,
    Theme,
    ThemeOverview,
)
from .services import StaleEdit, can_manage, save_budget_line, save_period_record, save_versioned
from .templatetags.plans_periods import keep_period
from .when import parse_due

STALE = ("Someone else saved this while you were editing it. Your changes were not saved; the page now "
         "shows their version. Review it and make your change again.")


def _require(request: HttpRequest, model_name: str, action: str = "change") -> None:
    if not can_manage(request.user, model_name, action):
        raise PermissionDenied("Only the programme manager can change this.")


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def _in(obj_programme_id: int, prog: Programme) -> None:
    if obj_programme_id != prog.pk:
        raise Http404


def _form_page(request, ctx: dict, *, title: str, form, cancel: str, intro: str = "", history=None,
               submit: str = "Save", status_code: int = 200, extra: dict | None = None) -> HttpResponse:
    return render(request, "plans/edit_form.html", {
        **ctx, "nav": "plan", "title": title, "form": form, "cancel": cancel, "intro": intro,
        "changes": history, "submit": submit, **(extra or {}),
    }, status=status_code)


def _stale(form_class, initial: dict, **kwargs):
    """The form again, showing what is saved now, with the refusal at the top of its error summary."""
    form = form_class(initial=initial, **kwargs)
    form.cleaned_data, form._errors = {}, ErrorDict()
    form.add_error(None, STALE)
    return form


def _back(url: str, ctx: dict) -> str:
    return keep_period(url, ctx["period_query"])


# -- overall status, theme overviews, budget ------------------------------------------------------

def status_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Overall status (RAG) and progress narrative for the period chosen."""
    prog = _programme(slug)
    _require(request, "statusreport")
    ctx = period_context(request, prog)
    period = ctx["period"]
    own = prog.status_reports.filter(period_end=period.as_at).first()
    shown = own or status.status_for(prog, period)
    back = _back(prog.get_absolute_url(), ctx)
    if request.method == "POST":
        form = StatusReportForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                save_period_record(StatusReport, {"programme": prog, "period_end": period.as_at},
                                   version=d["version"], user=request.user,
                                   fields={"rag": d["rag"], "narrative": d["narrative"], "author": request.user})
            except StaleEdit:
                form = _stale(StatusReportForm, initial=_status_initial(prog, period))
            else:
                messages.success(request, f"Overall status for {period.label} saved.")
                return redirect(back)
    else:
        form = StatusReportForm(initial=_status_initial(prog, period))
    intro = (f"The board reads this as the overall status as at {period.as_at:%-d %B %Y}." +
             (f" No report has been written for {period.label} yet: the form starts from the one for "
              f"{shown.period_end:%B %Y}." if shown and not own else ""))
    return _form_page(request, ctx, title=f"Overall status: {period.label}", form=form, cancel=back, intro=intro,
                      history=status.history_of(StatusReport.history.filter(programme_id=prog.pk), 20),
                      extra={"guidance": [(Rag(k).label, v["overall"]) for k, v in RAG_GUIDANCE.items()]})


def _status_initial(prog: Programme, period: periods.Period) -> dict:
    own = prog.status_reports.filter(period_end=period.as_at).first()
    shown = own or status.status_for(prog, period)
    return {"version": own.version if own else 0, "rag": shown.rag if shown else "",
            "narrative": shown.narrative if shown else ""}


def overview_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A theme's overview narrative and RAG for the period chosen."""
    prog = _programme(slug)
    theme = get_object_or_404(Theme, pk=pk)
    _in(theme.programme_id, prog)
    _require(request, "themeoverview")
    ctx = period_context(request, prog)
    period = ctx["period"]
    back = _back(reverse("plans:theme", args=[prog.slug, theme.pk]), ctx)

    def initial() -> dict:
        own = theme.overviews.filter(period_end=period.as_at).first()
        shown = own or status.theme_overviews_for(prog, period).get(theme.pk)
        return {"version": own.version if own else 0, "rag": shown.rag if shown else "",
                "narrative": shown.narrative if shown else ""}

    if request.method == "POST":
        form = ThemeOverviewForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                save_period_record(ThemeOverview, {"theme": theme, "period_end": period.as_at},
                                   version=d["version"], user=request.user,
                                   fields={"rag": d["rag"], "narrative": d["narrative"], "author": request.user})
            except StaleEdit:
                form = _stale(ThemeOverviewForm, initial=initial())
            else:
                messages.success(request, f"Overview of {theme.title} for {period.label} saved.")
                return redirect(back)
    else:
        form = ThemeOverviewForm(initial=initial())
    return _form_page(request, ctx, title=f"Overview: {theme.title}, {period.label}", form=form, cancel=back,
                      history=status.history_of(ThemeOverview.history.filter(theme_id=theme.pk), 20),
                      extra={"guidance": [(Rag(k).label, v["overall"]) for k, v in RAG_GUIDANCE.items()]})


def budget_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a budget line for the period, or change one; the variance is computed, never typed."""
    prog = _programme(slug)
    _require(request, "budgetline", "change" if pk else "add")
    ctx = period_context(request, prog)
    period = ctx["period"]
    line = None
    if pk is not None:
        line = get_object_or_404(BudgetLine, pk=pk)
        _in(line.programme_id, prog)
    back = _back(prog.get_absolute_url(), ctx) + "#budget"

    def initial() -> dict:
        if line is None:
            return {"version": 0, "name": "Programme budget"}
        fresh = BudgetLine.objects.get(pk=line.pk)
        return {"version": fresh.version, "name": fresh.name, "budget": fresh.budget, "actual": fresh.actual,
                "forecast": fresh.forecast, "comments": fresh.comments}

    if request.method == "POST":
        form = BudgetLineForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            fields = {k: d[k] for k in ("name", "budget", "actual", "forecast", "comments")}
            fields["author"] = request.user
            try:
                save_budget_line(prog, period.as_at, line, version=d["version"], user=request.user, fields=fields)
            except StaleEdit:
                form = _stale(BudgetLineForm, initial=initial())
            else:
                messages.success(request, f"Budget line “{d['name']}” for {period.label} saved.")
                return redirect(back)
    else:
        form = BudgetLineForm(initial=initial())
    intro = "Variance is worked out as forecast spend minus budget; it is not typed."
    if line is not None and line.period_end != period.as_at:
        intro += (f" This line was last written for {line.period_end:%B %Y}: saving carries that period's "
                  f"lines forward to {period.label} and changes the copy.")
    return _form_page(request, ctx, title=f"{'Change' if line else 'Add'} a budget line: {period.label}",
                      form=form, cancel=back, intro=intro,
                      history=status.history_of(line.history.all(), 20) if line else None)


def settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's reporting cycle and current reporting period."""
    prog = _programme(slug)
    _require(request, "programme")
    ctx = period_context(request, prog)
    back = prog.get_absolute_url()

    def initial() -> dict:
        fresh = Programme.objects.get(pk=prog.pk)
        return {"version": fresh.version, "reporting_cycle": fresh.reporting_cycle,
                "current_as_at": fresh.current_as_at}

    if request.method == "POST":
        form = ProgrammeSettingsForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            as_at = periods.period_end(d["current_as_at"], d["reporting_cycle"]) if d["current_as_at"] else None
            try:
                save_versioned(prog, version=d["version"], user=request.user,
                               fields={"reporting_cycle": d["reporting_cycle"], "current_as_at": as_at},
                               reason="reporting period")
            except StaleEdit:
                form = _stale(ProgrammeSettingsForm, initial=initial())
            else:
                current = periods.current_period(prog)
                messages.success(request, f"The current reporting period is now {current.label}.")
                return redirect(back)
    else:
        form = ProgrammeSettingsForm(initial=initial())
    return _form_page(request, ctx, title="Reporting periods", form=form, cancel=back,
                      intro="Pages, counts, overdue flags and new RAG ratings default to the current period.",
                      history=status.history_of(prog.history.all(), 20))


# -- the plan's structure -------------------------------------------------------------------------

def _next_order(qs) -> int:
    return max(qs.values_list("order", flat=True), default=0) + 1


def theme_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    prog = _programme(slug)
    _require(request, "theme", "change" if pk else "add")
    ctx = period_context(request, prog)
    theme = None
    if pk is not None:
        theme = get_object_or_404(Theme, pk=pk)
        _in(theme.programme_id, prog)
    back = _back(reverse("plans:theme", args=[prog.slug, theme.pk]) if theme else reverse("plans:plan_edit",
                                                                                      args=[prog.slug]), ctx)

    def initial():
        if theme is None:
            return {"version": 0}
        t = Theme.objects.get(pk=theme.pk)
        return {"version": t.version, "title": t.title, "overview": t.overview}

    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            fields = {"title": d["title"], "overview": d["overview"]}
            obj = theme or Theme(programme=prog, order=_next_order(prog.themes.all()))
            try:
                save_versioned(obj, version=d["version"], user=request.user, fields=fields)
            except StaleEdit:
                form = _stale(ThemeForm, initial=initial())
            else:
                messages.success(request, f"Theme “{obj.title}” saved.")
                return redirect(_back(reverse("plans:theme", args=[prog.slug, obj.pk]), ctx))
    else:
        form = ThemeForm(initial=initial())
    return _form_page(request, ctx, title="Change the theme" if theme else "Add a theme", form=form, cancel=back,
                      history=status.history_of(theme.history.all(), 20) if theme else None)


def _save_source(prog: Programme, d: dict) -> Source | None:
    label = (d.get("source_label") or "").strip()
    if not label:
        return None
    source, _ = Source.objects.get_or_create(
        programme=prog, label=label,
        defaults={"kind": d.get("source_kind") or SourceKind.INSPECTION, "date": d.get("source_date")})
    changed = False
    if d.get("source_kind") and source.kind != d["source_kind"]:
        source.kind, changed = d["source_kind"], True
    if d.get("source_date") and source.date != d["source_date"]:
        source.date, changed = d["source_date"], True
    if changed:
        source.save()
    return source


def recommendation_edit(request: HttpRequest, slug: str, pk: int | None = None,
                        theme_pk: int | None = None) -> HttpResponse:
    prog = _programme(slug)
    _require(request, "recommendation", "change" if pk else "add")
    ctx = period_context(request, prog)
    rec = None
    if pk is not None:
        rec = get_object_or_404(Recommendation.objects.select_related("theme", "source"), pk=pk)
        theme = rec.theme
    else:
        theme = get_object_or_404(Theme, pk=theme_pk)
    _in(theme.programme_id, prog)
    back = _back(reverse("plans:theme", args=[prog.slug, theme.pk]), ctx)

    def initial():
        if rec is None:
            return {"version": 0, "source_kind": SourceKind.INSPECTION}
        r = Recommendation.objects.select_related("source").get(pk=rec.pk)
        return {"version": r.version, "ref": r.ref, "text": r.text,
                "source_label": r.source.label if r.source else "",
                "source_kind": r.source.kind if r.source else SourceKind.INSPECTION,
                "source_date": r.source.date if r.source else None}

    if request.method == "POST":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            obj = rec or Recommendation(theme=theme, order=_next_order(theme.recommendations.all()))
            try:
                with transaction.atomic():
                    source = _save_source(prog, d)
                    save_versioned(obj, version=d["version"], user=request.user,
                                   fields={"ref": d["ref"], "text": d["text"], "source": source})
            except StaleEdit:
                form = _stale(RecommendationForm, initial=initial())
            else:
                messages.success(request, f"Recommendation {obj.ref} saved.".replace("  ", " "))
                return redirect(back)
    else:
        form = RecommendationForm(initial=initial())
    return _form_page(request, ctx, title=("Change the recommendation" if rec else f"Add a recommendation to "
                                                                                   f"{theme.title}"),
                      form=form, cancel=back, history=status.history_of(rec.history.all(), 20) if rec else None,
                      extra={"sources": prog.sources.all()})


def plan_action_edit(request: HttpRequest, slug: str, pk: int | None = None, rec_pk: int | None = None) -> HttpResponse:
    """An action's place in the plan: what, who, when, success measure, service area.

    Its status and RAG are changed on the update page, where a dated note is required.
    """
    prog = _programme(slug)
    _require(request, "action", "change" if pk else "add")
    ctx = period_context(request, prog)
    action = None
    if pk is not None:
        action = get_object_or_404(Action.objects.select_related("recommendation__theme"), pk=pk)
        rec = action.recommendation
    else:
        rec = get_object_or_404(Recommendation.objects.select_related("theme"), pk=rec_pk)
    _in(rec.theme.programme_id, prog)
    back = _back(action.get_absolute_url() if action else reverse("plans:theme", args=[prog.slug, rec.theme_id]),
                 ctx)

    def initial():
        if action is None:
            return {"version": 0}
        a = Action.objects.get(pk=action.pk)
        return {"version": a.version, "ref": a.ref, "title": a.title, "owners": list(a.owners.all()),
                "when_text": a.when_text, "success_measure": a.success_measure, "service_area": a.service_area}

    if request.method == "POST":
        form = PlanActionForm(request.POST, programme=prog)
        if form.is_valid():
            d = form.cleaned_data
            obj = action or Action(recommendation=rec, order=_next_order(rec.actions.all()))
            fields = {"ref": d["ref"], "title": d["title"], "when_text": d["when_text"],
                      "due": parse_due(d["when_text"]), "success_measure": d["success_measure"],
                      "service_area": d["service_area"]}
            owners = list(d["owners"])
            old = sorted(p.name for p in obj.owners.all()) if obj.pk else []
            new = sorted(p.name for p in owners)
            try:
                with transaction.atomic():
                    save_versioned(obj, version=d["version"], user=request.user, fields=fields,
                                   reason=f"owners: {', '.join(new)}" if old != new else "plan edited")
                    obj.owners.set(owners)
            except StaleEdit:
                form = _stale(PlanActionForm, initial=initial(), programme=prog)
            else:
                messages.success(request, f"Action {obj.ref} saved.".replace("  ", " "))
                return redirect(_back(obj.get_absolute_url(), ctx))
    else:
        form = PlanActionForm(initial=initial(), programme=prog)
    title = "Change the action" if action else f"Add an action to {rec.ref or rec.text[:40]}"
    return _form_page(request, ctx, title=title,
                      form=form, cancel=back,
                      intro="Who? lists the programme's people; add someone on the people page first.",
                      history=status.history_of(action.history.all(), 20) if action else None,
                      extra={"people_url": reverse("plans:people", args=[prog.slug])})


def step_edit(request: HttpRequest, slug: str, pk: int | None = None, action_pk: int | None = None) -> HttpResponse:
    prog = _programme(slug)
    _require(request, "step", "change" if pk else "add")
    ctx = period_context(request, prog)
    step = None
    if pk is not None:
        step = get_object_or_404(Step.objects.select_related("action__recommendation__theme"), pk=pk)
        action = step.action
    else:
        action = get_object_or_404(Action.objects.select_related("recommendation__theme"), pk=action_pk)
    _in(action.recommendation.theme.programme_id, prog)
    back = _back(action.get_absolute_url(), ctx)

    def initial():
        if step is None:
            return {"version": 0}
        s = Step.objects.get(pk=step.pk)
        return {"version": s.version, "text": s.text, "when_text": s.when_text, "status": s.status}

    if request.method == "POST":
        form = StepForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            obj = step or Step(action=action, order=_next_order(action.steps.all()))
            try:
                save_versioned(obj, version=d["version"], user=request.user,
                               fields={"text": d["text"], "when_text": d["when_text"],
                                       "due": parse_due(d["when_text"]), "status": d["status"]})
            except StaleEdit:
                form = _stale(StepForm, initial=initial())
            else:
                messages.success(request, "Step saved.")
                return redirect(back)
    else:
        form = StepForm(initial=initial())
    return _form_page(request, ctx, title="Change the step" if step else f"Add a step to action {action.ref}",
                      form=form, cancel=back, history=status.history_of(step.history.all(), 20) if step else None)


def people(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's people (owners are chosen from them), by name, role and initials."""
    prog = _programme(slug)
    ctx = period_context(request, prog)
    return render(request, "plans/people.html", {
        **ctx, "nav": "plan", "programme": prog, "people": prog.people.order_by("name"),
        "can_edit": can_manage(request.user, "person"),
        "can_add": can_manage(request.user, "person", "add"),
    })


def person_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    prog = _programme(slug)
    _require(request, "person", "change" if pk else "add")
    ctx = period_context(request, prog)
    person = None
    if pk is not None:
        person = get_object_or_404(Person, pk=pk)
        _in(person.programme_id, prog)
    back = _back(reverse("plans:people", args=[prog.slug]), ctx)

    def initial():
        if person is None:
            return {"version": 0}
        p = Person.objects.get(pk=person.pk)
        return {"version": p.version, "name": p.name, "role": p.role, "initials": p.initials}

    if request.method == "POST":
        form = PersonForm(request.POST, programme=prog, instance=person)
        if form.is_valid():
            d = form.cleaned_data
            obj = person or Person(programme=prog)
            try:
                save_versioned(obj, version=d["version"], user=request.user,
                               fields={"name": d["name"], "role": d["role"], "initials": d["initials"]})
            except StaleEdit:
                form = _stale(PersonForm, initial=initial(), programme=prog, instance=person)
            else:
                messages.success(request, f"{obj.name} saved.")
                return redirect(back)
    else:
        form = PersonForm(initial=initial(), programme=prog, instance=person)
    return _form_page(request, ctx, title=f"Change {person.name}" if person else "Add a person", form=form,
                      cancel=back, history=status.history_of(person.history.all(), 20) if person else None)


def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's structure on one page: themes, recommendations, actions and steps, with move buttons."""
    prog = _programme(slug)
    _require(request, "theme")
    ctx = period_context(request, prog)
    themes = (prog.themes.order_by("order", "id")
              .prefetch_related("recommendations__source", "recommendations__actions__steps"))
    return render(request, "plans/plan_edit.html", {**ctx, "nav": "plan", "programme": prog, "themes": themes})


MOVABLE = {"theme": Theme, "recommendation": Recommendation, "action": Action, "step": Step}


def _siblings(obj):
    if isinstance(obj, Theme):
        return obj.programme.themes.all(), obj.programme_id
    if isinstance(obj, Recommendation):
        return obj.theme.recommendations.all(), obj.theme.programme_id
    if isinstance(obj, Action):
        return obj.recommendation.actions.all(), obj.recommendation.theme.programme_id
    return obj.action.steps.all(), obj.action.recommendation.theme.programme_id


@require_POST
def move(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Move a theme, recommendation, action or step one place up or down among its siblings."""
    prog = _programme(slug)
    model = MOVABLE.get(kind)
    if model is None:
        raise Http404
    _require(request, kind)
    obj = get_object_or_404(model, pk=pk)
    siblings, programme_id = _siblings(obj)
    _in(programme_id, prog)
    back = request.POST.get("next") or reverse("plans:plan_edit", args=[prog.slug])
    if not back.startswith("/"):
        back = reverse("plans:plan_edit", args=[prog.slug])
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    direction = request.POST.get("direction")
    with transaction.atomic():
        ordered = list(siblings.select_for_update().order_by("order", "id"))
        index = next(i for i, s in enumerate(ordered) if s.pk == obj.pk)
        if ordered[index].version != version:
            messages.error(request, STALE)
            return redirect(back)
        other = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= other < len(ordered):
            return redirect(back)
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            if item.order != position:
                model.objects.filter(pk=item.pk).update(version=F("version") + 1)
                item.refresh_from_db(fields=["version"])
                item.order = position
                item._history_user = request.user
                item._change_reason = "reordered"
                item.save()
    messages.success(request, f"Moved {direction}.")
    return redirect(back)
