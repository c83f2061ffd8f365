"""Pages of the risk and issue register, key areas of concern and medium-term developments.

Every page reads as at the reporting period (``?period=``, default the programme's current
one) and has a ``.json`` twin built from the same context. Everyone signed in reads; only a
programme manager (``risks.change_*``) changes anything, and every change goes through
``services`` so that it keeps its history and a stale edit is refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from oversight.plans.context import period_context
from oversight.plans.models import Programme

from . import queries, services
from .forms import BandsForm, CloseForm, EntryForm, ReopenForm, RescoreForm, RiskForm
from .models import Concern, Development, Risk, Status, bands_for
from .services import StaleEdit
from .svg import heatmap_svg

STALE = ("Someone else changed this while you were editing it. Your changes were not saved; the page now "
         "shows their version. Review it and make your change again.")

ENTRY_KINDS = {
    "concerns": (Concern, "concern", "Key areas of concern", "key area of concern"),
    "developments": (Development, "development", "Medium-term developments", "medium-term development"),
}


def _period_context(request: HttpRequest, prog: Programme) -> dict:
    """The period shown and its picker (``plans.context``); ``keep`` is "?period=…" for this app's links."""
    ctx = period_context(request, prog)
    ctx["keep"] = f"?{ctx['period_query']}" if ctx["period_query"] else ""
    return ctx


def _require(request: HttpRequest, what: str) -> None:
    if not services.can_edit(request.user, what):
        raise PermissionDenied("Only the programme manager can change the registers.")


def _get_risk(slug: str, pk: int) -> Risk:
    risk = get_object_or_404(Risk.objects.select_related("programme", "owner"), pk=pk)
    if risk.programme.slug != slug:
        raise Http404
    return risk


# ------------------------------------------------------------------------------ register
def register(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    prog = get_object_or_404(Programme, slug=slug)
    ctx = _period_context(request, prog)
    page = queries.register_page(prog, ctx["period"], queries.RegisterFilters.from_query(request.GET))
    if fmt == "json":
        return JsonResponse({
            "programme": prog.slug, "period": ctx["period"].key, "period_label": ctx["period"].label,
            "bands": {"red_from": page.bands.red_from, "amber_from": page.bands.amber_from},
            "filters": page.filters.as_dict(),
            "open": [queries.risk_json(r, page.bands) for r in page.open],
            "closed": [queries.risk_json(r, page.bands) for r in page.closed],
            "by_band": page.by_band,
            "heatmap": {"rows": "impact 5 to 1", "columns": "probability 1 to 5", "counts": page.counts},
        })
    return render(request, "risks/register.html", {
        **ctx, "nav": "plan", "programme": prog, "page": page, "section": "risks",
        "heatmap_svg": heatmap_svg(page.counts, page.bands),
        "can_edit": services.can_edit(request.user, "risk"),
        "can_edit_bands": services.can_edit(request.user, "riskbands"),
        "kinds": Risk._meta.get_field("kind").choices, "statuses": Status.choices,
        "band_choices": [("red", "Red"), ("amber", "Amber"), ("green", "Green")],
    })


def risk_detail(request: HttpRequest, slug: str, pk: int, fmt: str = "html") -> HttpResponse:
    risk = _get_risk(slug, pk)
    prog = risk.programme
    ctx = _period_context(request, prog)
    bands = bands_for(prog)
    assessments = list(risk.assessments.select_related("by").order_by("assessed_on", "created_at", "id"))
    for a in assessments:
        a.band = bands.band(a.score)
    figures = queries.indicator_figures(risk, ctx["period"])
    actions = queries.linked_actions(risk, ctx["period"])
    if fmt == "json":
        data = queries.risk_json(risk, bands)
        data["history"] = [{"date": a.assessed_on.isoformat(), "probability": a.probability, "impact": a.impact,
                            "score": a.score, "band": a.band, "note": a.note, "by": a.assessed_by or None}
                           for a in assessments]
        data["indicators"] = [f.as_dict() for f in figures]
        data["actions"] = [{"ref": a.ref, "title": a.title, "status": a.status, "due": a.due and a.due.isoformat(),
                            "overdue": a.overdue_at_period} for a in actions]
        data["period"] = ctx["period"].key
        return JsonResponse(data)
    return render(request, "risks/risk.html", {
        **ctx, "nav": "plan", "programme": prog, "risk": risk, "section": "risks",
        "band": bands.band(risk.score), "target_band": bands.band(risk.target_score),
        "assessments": list(reversed(assessments)), "figures": figures, "actions": actions,
        "changes": queries.changes(risk), "can_edit": services.can_edit(request.user, "risk"),
    })


# ------------------------------------------------------------------------------ risk forms
def _form_page(request, template: str, prog, form, **extra) -> HttpResponse:
    return render(request, template, {"nav": "plan", "programme": prog, "form": form, "section": "risks", **extra})


def risk_add(request: HttpRequest, slug: str) -> HttpResponse:
    prog = get_object_or_404(Programme, slug=slug)
    _require(request, "risk")
    if request.method == "POST":
        form = RiskForm(request.POST, programme=prog)
        if form.is_valid():
            risk = services.create_risk(prog, user=request.user, probability=form.cleaned_data["probability"],
                                        impact=form.cleaned_data["impact"], actions=form.chosen_actions(),
                                        **form.details())
            messages.success(request, f"{risk.get_kind_display()} {risk.ref} added, scored {risk.score}.")
            return redirect(risk)
    else:
        last = max((r.ref for r in Risk.objects.filter(programme=prog)), key=queries.natural_key, default="0")
        form = RiskForm(programme=prog, initial={"ref": str(int(last) + 1) if last.isdigit() else "",
                                                 "kind": "risk"})
    return _form_page(request, "risks/risk_form.html", prog, form, title="Add a risk or issue", risk=None)


def risk_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    risk = _get_risk(slug, pk)
    _require(request, "risk")
    if request.method == "POST":
        form = RiskForm(request.POST, programme=risk.programme, scored=False, obj=risk)
        if form.is_valid():
            try:
                services.update_risk(risk, user=request.user, version=form.cleaned_data["version"],
                                     actions=form.chosen_actions(), **form.details())
            except StaleEdit:
                form.add_error(None, STALE)
            else:
                messages.success(request, f"{risk.get_kind_display()} {risk.ref} saved.")
                return redirect(risk)
    else:
        form = RiskForm(programme=risk.programme, scored=False, obj=risk, initial=RiskForm.initial_for(risk))
    return _form_page(request, "risks/risk_form.html", risk.programme, form,
                      title=f"Change {risk.get_kind_display().lower()} {risk.ref}", risk=risk)


def risk_rescore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    risk = _get_risk(slug, pk)
    _require(request, "risk")
    if request.method == "POST":
        form = RescoreForm(request.POST, obj=risk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                a = services.rescore(risk, user=request.user, version=d["version"], probability=d["probability"],
                                     impact=d["impact"], assessed_on=d["assessed_on"], note=d["note"].strip())
            except StaleEdit:
                form.add_error(None, STALE)
            else:
                messages.success(request, f"{risk.get_kind_display()} {risk.ref} re-scored: "
                                          f"{a.probability} × {a.impact} = {a.score}.")
                return redirect(risk)
    else:
        form = RescoreForm(obj=risk, initial={"version": risk.version, "probability": risk.probability,
                                              "impact": risk.impact})
    return _form_page(request, "risks/rescore.html", risk.programme, form, risk=risk,
                      band=bands_for(risk.programme).band(risk.score))


def risk_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Close an open risk (with a date and a reason) or reopen a closed one."""
    risk = _get_risk(slug, pk)
    _require(request, "risk")
    form_class = CloseForm if risk.is_open else ReopenForm
    if request.method == "POST":
        form = form_class(request.POST, obj=risk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if risk.is_open:
                    services.close_risk(risk, user=request.user, version=d["version"], closed_on=d["closed_on"],
                                        reason=d["closed_reason"])
                else:
                    services.reopen_risk(risk, user=request.user, version=d["version"], reason=d["reason"])
            except StaleEdit:
                form.add_error(None, STALE)
            else:
                messages.success(request, f"{risk.get_kind_display()} {risk.ref} "
                                          f"{'closed' if risk.status == Status.CLOSED else 'reopened'}.")
                return redirect(risk)
    else:
        form = form_class(obj=risk, initial={"version": risk.version})
    return _form_page(request, "risks/close.html", risk.programme, form, risk=risk)


def bands(request: HttpRequest, slug: str) -> HttpResponse:
    prog = get_object_or_404(Programme, slug=slug)
    _require(request, "riskbands")
    current = bands_for(prog)
    if request.method == "POST":
        form = BandsForm(request.POST)
        if form.is_valid():
            saved = services.save_bands(prog, red_from=form.cleaned_data["red_from"],
                                        amber_from=form.cleaned_data["amber_from"])
            messages.success(request, f"Score bands saved: {saved}.")
            return redirect("risks:register", prog.slug)
    else:
        form = BandsForm(initial={"red_from": current.red_from, "amber_from": current.amber_from})
    return _form_page(request, "risks/bands.html", prog, form, bands=current)


# ------------------------------------------------------------------------------ concerns and developments
def _kind(kind: str):
    if kind not in ENTRY_KINDS:
        raise Http404
    return ENTRY_KINDS[kind]


def entry_list(request: HttpRequest, slug: str, kind: str, fmt: str = "html") -> HttpResponse:
    model, perm, title, _ = _kind(kind)
    prog = get_object_or_404(Programme, slug=slug)
    ctx = _period_context(request, prog)
    items = queries.entries(model, prog, ctx["period"])
    for e in items:
        e.edit_url = reverse(f"risks:{kind}_edit", args=[prog.slug, e.pk])
    if fmt == "json":
        return JsonResponse({"programme": prog.slug, "period": ctx["period"].key, kind: [queries.entry_json(e)
                                                                                        for e in items]})
    return render(request, "risks/entries.html", {
        **ctx, "nav": "plan", "programme": prog, "items": items, "kind": kind, "title": title, "section": kind,
        "can_edit": services.can_edit(request.user, perm), "noun": ENTRY_KINDS[kind][3],
        "add_url": reverse(f"risks:{kind}_add", args=[prog.slug]),
        "json_url": reverse(f"risks:{kind}_json", args=[prog.slug]) + ctx["keep"],
    })


def entry_edit(request: HttpRequest, slug: str, kind: str, pk: int | None = None) -> HttpResponse:
    model, perm, title, noun = _kind(kind)
    prog = get_object_or_404(Programme, slug=slug)
    _require(request, perm)
    entry = None
    if pk is not None:
        entry = get_object_or_404(model, pk=pk, programme=prog)
    if request.method == "POST":
        form = EntryForm(request.POST, programme=prog, obj=entry)
        if form.is_valid():
            try:
                services.save_entry(model, prog, user=request.user, entry=entry,
                                    version=form.cleaned_data["version"], **form.values())
            except StaleEdit:
                form.add_error(None, STALE)
            else:
                messages.success(request, f"{noun.capitalize()} {form.cleaned_data['ref']} saved.")
                return redirect(reverse(f"risks:{kind}", args=[prog.slug]))
    elif entry is not None:
        form = EntryForm(programme=prog, obj=entry, initial=EntryForm.initial_for(entry))
    else:
        n = model.objects.filter(programme=prog).count()
        form = EntryForm(programme=prog, initial={"ref": str(n + 1), "status": Status.OPEN})
    return render(request, "risks/entry_form.html", {
        "nav": "plan", "programme": prog, "form": form, "kind": kind, "title": title, "noun": noun, "entry": entry,
        "section": kind, "changes": queries.changes(entry) if entry is not None else [],
        "list_url": reverse(f"risks:{kind}", args=[prog.slug]),
    })
