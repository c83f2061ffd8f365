"""Pages of the governance cycle. Each page has a ``.json`` twin built from the same data dict.

Everyone signed in reads (board members included); only a programme manager
(``governance.change_*``) adds or changes records, turns a finding into a recommendation or an
action arising into a plan action, moves a project through its lifecycle or imports a framework.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oversight.plans.context import period_context
from oversight.plans.models import Programme

from . import queries, services
from .exports import work_programme_xlsx
from .forms import KINDS, ConvertForm, FrameworkImportForm, StateForm, form_for, month_cells, programme_of
from .frameworks import FrameworkImportError, import_framework
from .layouts import LAYOUT_CHOICES
from .models import ActionArising, Board, Finding, Framework, Meeting, Project, StatutoryPlan, Visit, WorkProgramme
from .reminders import Thresholds, my_attention

STALE = ("Someone else changed this while you were editing it. Your changes were not saved; the page now "
         "shows their version. Review it and make your change again.")


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def _check(obj, slug: str):
    if programme_of(obj).slug != slug:
        raise Http404
    return obj


def _require(request: HttpRequest, model: str = "meeting", action: str = "change") -> None:
    if not (request.user.is_authenticated and request.user.has_perm(f"governance.{action}_{model}")):
        raise PermissionDenied("Only the programme manager can change governance records.")


def _page(request, template: str, prog: Programme, data: dict, fmt: str, **extra) -> HttpResponse:
    """The HTML page and its JSON twin from the same ``data``."""
    if fmt == "json":
        return JsonResponse(data)
    ctx = period_context(request, prog)
    return render(request, template, {**ctx, "nav": "governance", "programme": prog, "data": data,
                                      "can_edit": services.can_edit(request.user), **extra})


# ------------------------------------------------------------------------------ pages
def home(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    from oversight.reports.packs import can_approve, can_manage

    from .reporting import without_unissued_pack

    prog = _programme(slug)
    as_at = period_context(request, prog)["period"].as_at
    data = queries.overview(prog, as_at)
    if not (can_manage(request.user) or can_approve(request.user, prog)):
        data["next_pack_due"] = without_unissued_pack(data["next_pack_due"])
    return _page(request, "governance/home.html", prog, data, fmt)


def board(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    obj = _check(get_object_or_404(Board, pk=pk), slug)
    as_at = period_context(request, obj.programme)["period"].as_at
    return _page(request, "governance/board.html", obj.programme, queries.board_data(obj, as_at), fmt, board=obj)


def meeting(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    obj = _check(get_object_or_404(Meeting.objects.select_related("board__programme"), pk=pk), slug)
    prog = obj.board.programme
    as_at = period_context(request, prog)["period"].as_at
    return _page(request, "governance/meeting.html", prog, queries.meeting_data(obj, as_at), fmt, meeting=obj,
                 convert_form=ConvertForm(programme=prog))


def visit(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    obj = _check(get_object_or_404(Visit, pk=pk), slug)
    as_at = period_context(request, obj.programme)["period"].as_at
    data = queries.visit_data(obj, as_at)
    data["judgement_history"] = queries.judgement_history(obj.programme)
    return _page(request, "governance/visit.html", obj.programme, data, fmt, visit=obj,
                 convert_form=ConvertForm(programme=obj.programme))


def work_programme(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    obj = _check(get_object_or_404(WorkProgramme, pk=pk), slug)
    if fmt == "xlsx":
        response = HttpResponse(work_programme_xlsx(obj), content_type="application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="work-programme-{obj.pk}.xlsx"'
        return response
    return _page(request, "governance/work_programme.html", obj.programme, queries.work_programme_data(obj), fmt,
                 wp=obj)


def projects(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    prog = _programme(slug)
    return _page(request, "governance/projects.html", prog, {"programme": prog.slug,
                                                             "projects": queries.projects_data(prog)}, fmt)


def framework(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    obj = _check(get_object_or_404(Framework, pk=pk), slug)
    return _page(request, "governance/framework.html", obj.programme, queries.framework_data(obj), fmt, fw=obj)


def my_actions(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """Everything the signed-in person owns: overdue, due soon, not updated for N weeks (``?weeks=``)."""
    try:
        weeks = int(request.GET.get("weeks", "")) if request.GET.get("weeks") else None
    except ValueError:
        weeks = None
    t = Thresholds.from_settings(stale_weeks=weeks if weeks and 0 < weeks < 520 else None)
    att = my_attention(request.user, t)
    data = {"user": request.user.get_username(), "due_days": t.due_days, "stale_weeks": t.stale_weeks,
            "programmes": [a.as_dict() for a in att], "packs_due": _packs_due(request.user)}
    if fmt == "json":
        return JsonResponse(data)
    return render(request, "governance/my_actions.html", {"nav": "my_actions", "data": data})


# ------------------------------------------------------------------------------ reporting calendar
def calendar(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """Which pack is due for which meeting, by when it must be approved and published, and its state.

    Around the page's reporting period (the programme's current one unless ``?period=``);
    ``?all=1`` lists every meeting.
    """
    from oversight.reports.packs import can_approve, can_manage

    from .reporting import calendar_data, without_unissued_packs

    prog = _programme(slug)
    period = period_context(request, prog)["period"]
    data = calendar_data(prog, period, everything=request.GET.get("all") == "1")
    if not (can_manage(request.user) or can_approve(request.user, prog)):
        data = without_unissued_packs(data)
    extra: dict = {"can_link": request.user.has_perm("governance.change_meeting"),
                   "can_rule": request.user.has_perm("governance.change_board"),
                   "show_all": request.GET.get("all") == "1"}
    if fmt != "json" and extra["can_link"]:
        from oversight.reports.models import BoardPack

        extra["packs"] = list(BoardPack.objects.filter(programme=prog).order_by("-version")
                              .values("id", "version", "title", "state"))
    return _page(request, "governance/calendar.html", prog, data, fmt, **extra)


def calendar_rule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A board's reporting calendar settings: the reports it reads, and how many working days ahead."""
    from .forms import ReportingRuleForm
    from .models import ReportingRule
    from .reporting import settings_for

    board_obj = _check(get_object_or_404(Board, pk=pk), slug)
    _require(request, "board", "change")
    current = settings_for(board_obj)
    back = reverse("governance:calendar", args=[slug])
    form = ReportingRuleForm(request.POST or None, initial={
        "reports": list(current.reports), "publish_clear_days": current.publish_clear_days,
        "approve_days_before": current.approve_days_before})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ReportingRule.objects.update_or_create(board=board_obj, defaults={
            "reports": d["reports"], "publish_clear_days": d["publish_clear_days"],
            "approve_days_before": d["approve_days_before"]})
        messages.success(request, f"The reporting calendar of {board_obj.name} was saved.")
        return redirect(back)
    return render(request, "governance/calendar_rule.html", {
        **period_context(request, board_obj.programme), "nav": "governance", "programme": board_obj.programme,
        "form": form, "title": f"Reporting calendar: {board_obj.name}", "cancel": back})


@require_POST
def calendar_link(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Say which board pack goes to a meeting (an empty choice removes the link)."""
    from oversight.reports.models import BoardPack

    from .models import PackForMeeting

    _require(request, "meeting", "change")
    mt = _check(get_object_or_404(Meeting.objects.select_related("board__programme"), pk=pk), slug)
    raw = request.POST.get("pack", "")
    back = reverse("governance:calendar", args=[slug]) + (f"?{request.POST['period_query']}"
                                                          if request.POST.get("period_query", "").startswith("period=")
                                                          else "")
    if not raw:
        PackForMeeting.objects.filter(meeting=mt).delete()
        messages.success(request, f"No pack is linked to {mt.label} now.")
        return redirect(back)
    try:
        pack = BoardPack.objects.get(pk=int(raw), programme=mt.board.programme)
    except (ValueError, BoardPack.DoesNotExist):
        messages.error(request, "Choose one of this programme's board packs.")
        return redirect(back)
    PackForMeeting.objects.update_or_create(meeting=mt, defaults={"pack": pack})
    messages.success(request, f"Version {pack.version} is the pack for {mt.label}.")
    return redirect(back)


def _packs_due(user) -> list[dict]:
    """For a programme manager: the next pack due in each programme they manage (as at its current period).

    "They manage" is the programme's named programme manager (``Programme.programme_manager``) being
    linked to this sign-in; the calendar itself is open to everyone signed in, so no permission is asked.
    """
    from oversight.plans.periods import current_period

    from .reporting import next_pack_due

    if not user.is_authenticated:
        return []
    out = []
    for prog in Programme.objects.filter(programme_manager__user=user).order_by("name"):
        due = next_pack_due(prog, current_period(prog).as_at)
        if due is not None:
            out.append({"programme": prog.slug, "programme_name": prog.name,
                        "calendar_url": reverse("governance:calendar", args=[prog.slug]), **due})
    return out


# ------------------------------------------------------------------------------ conversions
@require_POST
def finding_to_plan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _require(request, "finding")
    if not request.user.has_perm("plans.add_recommendation"):
        raise PermissionDenied
    finding = _check(get_object_or_404(Finding.objects.select_related("visit__programme"), pk=pk), slug)
    form = ConvertForm(request.POST, programme=finding.visit.programme)
    if form.is_valid():
        rec = services.finding_to_recommendation(finding, form.cleaned_data["theme"], ref=form.cleaned_data["ref"])
        messages.success(request, f"The finding is now recommendation {rec.ref or ''} of the plan, "
                                  f"its source \"{rec.source}\".")
    else:
        messages.error(request, "Choose the theme of the plan the recommendation goes under.")
    return redirect(finding.visit)


@require_POST
def arising_to_plan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _require(request, "actionarising")
    if not request.user.has_perm("plans.add_action"):
        raise PermissionDenied
    item = _check(get_object_or_404(ActionArising.objects.select_related("meeting__board__programme"), pk=pk), slug)
    form = ConvertForm(request.POST, programme=item.meeting.board.programme)
    if form.is_valid():
        action = services.arising_to_action(item, form.cleaned_data["theme"])
        messages.success(request, f"The action arising is now a plan action, its source "
                                  f"\"{action.recommendation.source}\".")
    else:
        messages.error(request, "Choose the theme of the plan the action goes under.")
    return redirect(item.meeting)


def project_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _check(get_object_or_404(Project, pk=pk), slug)
    _require(request, "project")
    if request.method == "POST":
        form = StateForm(request.POST, project=project)
        if form.is_valid():
            d = form.cleaned_data
            services.set_project_state(project, d["state"], on=d["on"], reason=d["reason"].strip(),
                                       merged_into=d["merged_into"])
            messages.success(request, f"{project} is now: {project.get_state_display().lower()}.")
            return redirect(project)
    else:
        form = StateForm(project=project, initial={"state": project.state})
    return _form(request, project.programme, form, f"Change the state of {project}", project.get_absolute_url(),
                 "Save the state")


def framework_import(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    _require(request, "framework", "add")
    errors: list[str] = []
    if request.method == "POST":
        form = FrameworkImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                try:
                    fw = import_framework(prog, path, form.cleaned_data["name"].strip())
                except FrameworkImportError as e:
                    errors = e.errors
                else:
                    messages.success(request, f"Framework \"{fw.name}\" imported: {fw.items.count()} changes.")
                    return redirect(fw)
    else:
        form = FrameworkImportForm()
    return render(request, "governance/framework_import.html", {
        **period_context(request, prog), "nav": "governance", "programme": prog, "form": form, "errors": errors})


# ------------------------------------------------------------------------------ plan templates
def statutory_plan(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    from .statutory import plan_data, plan_xlsx

    obj = _check(get_object_or_404(StatutoryPlan, pk=pk), slug)
    if fmt == "xlsx":
        response = HttpResponse(plan_xlsx(obj), content_type="application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{obj.layout}-{obj.pk}.xlsx"'
        return response
    return _page(request, "governance/statutory_plan.html", obj.programme, plan_data(obj), fmt, plan=obj,
                 can_edit=request.user.has_perm("governance.change_statutoryplan"))


def statutory_plan_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a plan from a template (its sections and column names), then fill it or import it."""
    from django import forms

    from .statutory import create_from_template

    prog = _programme(slug)
    _require(request, "statutoryplan", "add")

    class NewForm(forms.Form):
        layout = forms.ChoiceField(choices=LAYOUT_CHOICES, label="Template")
        title = forms.CharField(max_length=300)
        period_text = forms.CharField(max_length=50, required=False, label="Period (as written, e.g. 2017/18)")

    form = NewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = create_from_template(prog, form.cleaned_data["layout"], form.cleaned_data["title"].strip(),
                                    form.cleaned_data["period_text"].strip())
        messages.success(request, f"\"{plan.title}\" created from the template; import its workbook to fill it.")
        return redirect(plan)
    return _form(request, prog, form, "Create a plan from a template", reverse("governance:home", args=[slug]),
                 "Create")


def statutory_plan_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from .statutory import import_plan_xlsx

    obj = _check(get_object_or_404(StatutoryPlan, pk=pk), slug)
    _require(request, "statutoryplan", "change")
    errors: list[str] = []
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                n = import_plan_xlsx(obj, path)
            except FrameworkImportError as e:
                errors = e.errors
            else:
                messages.success(request, f"{n} rows imported into \"{obj.title}\".")
                return redirect(obj)
    elif request.method == "POST":
        errors = ["Choose a workbook (.xlsx) to import."]
    return render(request, "governance/statutory_import.html", {
        **period_context(request, obj.programme), "nav": "governance", "programme": obj.programme, "plan": obj,
        "errors": errors})


# ------------------------------------------------------------------------------ add and change any record
def _form(request, prog, form, title: str, cancel: str, submit: str) -> HttpResponse:
    return render(request, "plans/edit_form.html", {**period_context(request, prog), "nav": "governance",
                                                    "programme": prog, "form": form, "title": title,
                                                    "cancel": cancel, "submit": submit})


def _back(obj, kind: str, slug: str) -> str:
    spec = KINDS[kind]
    target = getattr(obj, spec.parent) if spec.parent else obj
    if isinstance(target, Project) or kind == "project":
        return reverse("governance:projects", args=[slug])
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    return reverse("governance:home", args=[slug])


def edit(request: HttpRequest, slug: str, kind: str, pk: int | None = None, parent: int | None = None):
    """Add (with the parent's id) or change any governance record; stale edits are refused."""
    if kind not in KINDS:
        raise Http404
    spec = KINDS[kind]
    model_name = spec.model._meta.model_name
    prog = _programme(slug)
    instance = parent_obj = None
    if pk is not None:
        _require(request, model_name, "change")
        instance = get_object_or_404(spec.model, pk=pk)
        _check(instance, slug)
    else:
        _require(request, model_name, "add")
        if spec.parent:
            parent_model = KINDS[spec.parent_kind].model
            parent_obj = _check(get_object_or_404(parent_model, pk=parent), slug)
    form = form_for(kind, prog, parent=parent_obj, instance=instance,
                    data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if instance is None:
            if spec.parent:
                setattr(obj, spec.parent, parent_obj)
            else:
                obj.programme = prog
        if kind == "task":
            obj.cells = month_cells(form)
        saved = _save(obj, form, instance)
        if saved:
            messages.success(request, f"The {spec.label} was saved.")
            return redirect(_back(obj, kind, slug))
        form.add_error(None, STALE)
    title = f"Change the {spec.label}" if instance else f"Add a {spec.label}"
    cancel = _back(instance, kind, slug) if instance else (
        parent_obj.get_absolute_url() if parent_obj is not None and hasattr(parent_obj, "get_absolute_url")
        else reverse("governance:home", args=[slug]))
    return _form(request, prog, form, title, cancel, "Save")


@transaction.atomic
def _save(obj, form, instance) -> bool:
    """Save; a versioned record changed since the form was loaded is refused (conditional UPDATE)."""
    if instance is not None and hasattr(instance, "version"):
        posted = form.cleaned_data.get("version")
        model = type(instance)
        if posted is None or not model.objects.filter(pk=instance.pk, version=posted).update(version=F("version") + 1):
            return False
        obj.version = posted + 1
    obj.save()
    form.save_m2m()
    return True
