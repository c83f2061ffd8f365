"""Report pages, their ``.json`` twins, downloads and board packs.

A report page, its JSON and every download are printed from one builder call, so the figures on
screen, in the JSON and in the Word file cannot differ.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oversight.plans.context import period_context
from oversight.plans.models import Programme

from . import packs
from .builders import NAMES, TITLES, build
from .data import to_json
from .models import BoardPack, PackState
from .render import html

DESCRIPTIONS = {
    "highlight": "Overall status, budget, concerns, developments, risks and each theme's measures and actions "
                 "(the board's monthly highlight report).",
    "report-card": "Measures grouped how much did we do, how well did we do it, is anyone better off.",
    "tracker": "Outstanding actions, then those completed as at the period, with notes and quarterly RAGs.",
    "committee": "The committee cover report with the pack's narrative and appendices.",
    "risks": "The risk register with the probability × impact heat map.",
}


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme.objects.select_related("sro", "programme_manager"), slug=slug)


def _publication(request: HttpRequest) -> bool:
    return request.GET.get("publication") in {"1", "on", "true"}


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    resp = HttpResponse(content, content_type=packs.CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _live(request: HttpRequest, prog: Programme) -> None:
    """Refuse live reports to those who read issued packs only (board members, councillors, inspectors)."""
    if not packs.can_read_live(request.user, prog):
        raise PermissionDenied("Live reports are for those who prepare the board pack; read the issued packs.")


def report_list(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """The live reports and the Board pack button (for those who prepare packs), and the packs each person may read.

    A board member sees only the issued packs, each with its stored files: no link here leads to a
    page they would be refused.
    """
    prog = _programme(slug)
    ctx = period_context(request, prog)
    period = ctx["period"]
    user = request.user
    live = packs.can_read_live(user, prog)
    formats = packs.available_formats() if live else []
    reports = [{"name": n, "title": TITLES[n], "description": DESCRIPTIONS[n]} for n in NAMES] if live else []
    pack_list = [p for p in BoardPack.objects.filter(programme=prog).order_by("-version")
                 if packs.can_read(user, p)]
    if fmt == "json":
        return JsonResponse({
            "programme": prog.slug, "period": {"as_at": period.key, "label": period.label},
            "live_reports": live, "reports": reports, "formats": formats,
            "packs": [{"version": p.version, "title": p.title, "state": p.state,
                       "period_end": p.period_end.isoformat()} for p in pack_list]})
    latest_issued = next((p for p in pack_list if p.is_issued), None)
    return render(request, "reports/list.html", {
        **ctx, "nav": "reports", "programme": prog, "reports": reports, "formats": formats, "packs": pack_list,
        "can_manage": packs.can_manage(user), "live": live, "latest_issued": latest_issued})


def report_page(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    if name not in NAMES:
        raise Http404
    prog = _programme(slug)
    _live(request, prog)
    ctx = period_context(request, prog)
    report = build(name, prog, ctx["period"], for_publication=_publication(request))
    return render(request, "reports/report.html", {
        **ctx, "nav": "reports", "programme": prog, "report": report, "body": html.body(report),
        "formats": packs.available_formats(), "name": name, "publication": report.for_publication})


def report_download(request: HttpRequest, slug: str, name: str, fmt: str) -> HttpResponse:
    if name not in NAMES or fmt not in (*packs.FORMATS, "json"):
        raise Http404
    prog = _programme(slug)
    _live(request, prog)
    period = period_context(request, prog)["period"]
    report = build(name, prog, period, for_publication=_publication(request))
    if fmt == "json":
        return JsonResponse(to_json(report), json_dumps_params={"ensure_ascii": False})
    try:
        content = packs.render(report, fmt)
    except ImportError as exc:
        raise Http404(f"The {fmt} renderer is not installed") from exc
    return _attachment(content, fmt, packs.filename(prog, period, name, fmt))


def board_pack_zip(request: HttpRequest, slug: str) -> HttpResponse:
    """The "Board pack" button: every report in every format, one zip."""
    prog = _programme(slug)
    _live(request, prog)
    period = period_context(request, prog)["period"]
    return _attachment(packs.pack_zip(prog, period), "zip", f"{prog.slug}-board-pack-{period.as_at:%Y-%m}.zip")


# --------------------------------------------------------------------------- packs
class NarrativeForm(forms.ModelForm):
    class Meta:
        model = BoardPack
        fields = ["title", *BoardPack.NARRATIVE_FIELDS]
        widgets = {"meeting_date": forms.DateInput(attrs={"type": "date"})}


def _pack(slug: str, version: int, user) -> BoardPack:
    pack = get_object_or_404(BoardPack.objects.select_related("programme", "programme__sro"),
                             programme__slug=slug, version=version)
    if not packs.can_read(user, pack):
        raise PermissionDenied
    return pack


@require_POST
def pack_new(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    if not packs.can_manage(request.user):
        raise PermissionDenied
    period = period_context(request, prog)["period"]
    try:
        pack = packs.create_pack(prog, period, request.user)
    except packs.PackError as exc:
        messages.error(request, str(exc))
        return redirect("reports:list", prog.slug)
    messages.success(request, f"Board pack version {pack.version} started.")
    return redirect(pack)


def pack_page(request: HttpRequest, slug: str, version: int, fmt: str = "html") -> HttpResponse:
    pack = _pack(slug, version, request.user)
    changes, since = packs.changes_since(pack)
    events = list(pack.events.select_related("by"))
    files = list(pack.files.defer("content"))
    if fmt == "json":
        return JsonResponse({
            "programme": pack.programme.slug, "version": pack.version, "title": pack.title, "state": pack.state,
            "period_end": pack.period_end.isoformat(), "comment": pack.comment,
            "narrative": {f: (str(getattr(pack, f)) if getattr(pack, f) is not None else None)
                          for f in BoardPack.NARRATIVE_FIELDS},
            "events": [{"action": e.action, "by": e.by.get_username() if e.by else None, "at": e.at.isoformat(),
                        "comment": e.comment} for e in events],
            "files": [{"name": f.name, "format": f.format, "filename": f.filename, "sha256": f.sha256,
                       "size": f.size} for f in files],
            "changed_since": since or None,
            "changes": [{"kind": c.kind, "ref": c.ref, "text": c.text} for c in changes],
        })
    user = request.user
    can_manage = packs.can_manage(user)
    return render(request, "reports/pack.html", {
        "nav": "reports", "programme": pack.programme, "pack": pack, "changes": changes, "since": since,
        "events": events, "files": files, "can_manage": can_manage,
        "can_approve": packs.can_approve(user, pack.programme),
        "form": NarrativeForm(instance=pack) if can_manage and pack.state == PackState.DRAFT else None,
        "period": packs.period_of(pack), "names": NAMES, "titles": TITLES})


@require_POST
def pack_edit(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    pack = _pack(slug, version, request.user)
    if not packs.can_manage(request.user) or pack.state != PackState.DRAFT:
        raise PermissionDenied
    form = NarrativeForm(request.POST, instance=BoardPack.objects.get(pk=pack.pk))
    if form.is_valid():
        packs.edit_narrative(pack, request.user, **{f: form.cleaned_data[f] for f in form.fields})
        messages.success(request, "Narrative saved.")
    else:
        messages.error(request, "The narrative was not saved: " + "; ".join(
            f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect(pack)


TRANSITIONS = {"submit": packs.submit, "approve": packs.approve, "issue": packs.issue}


@require_POST
def pack_transition(request: HttpRequest, slug: str, version: int, action: str) -> HttpResponse:
    pack = _pack(slug, version, request.user)
    if not (packs.can_manage(request.user) or packs.can_approve(request.user, pack.programme)):
        raise PermissionDenied("Only the programme manager or the SRO can move a board pack on.")
    try:
        if action == "request-changes":
            packs.request_changes(pack, request.user, request.POST.get("comment", ""))
        elif action in TRANSITIONS:
            TRANSITIONS[action](pack, request.user)
        else:
            raise Http404
    except packs.PackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Version {pack.version}: {pack.get_state_display().lower()}.")
    return redirect(pack)


def pack_file(request: HttpRequest, slug: str, version: int, pk: int) -> HttpResponse:
    pack = _pack(slug, version, request.user)
    f = get_object_or_404(pack.files, pk=pk)
    return _attachment(bytes(f.content), f.format, f.filename)


def pack_zip_download(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    pack = _pack(slug, version, request.user)
    if not pack.is_issued:
        raise Http404("Only an issued pack has stored files; use the Board pack button for a draft.")
    return _attachment(packs.issued_zip(pack), "zip", f"{pack.programme.slug}-board-pack-v{pack.version}.zip")
