"""The audit log page for administrators (filters, pages, a JSON twin, a CSV download) and the reason form.

Read-only by construction: there is no form that changes an event, only filters. The page, its
JSON twin and its CSV are built from one context object (:func:`log_context`), and the CSV, being
a download, is itself written to the log by the audit middleware.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from oversight.engine.safe_cells import safe_row

from .audit import CHILD_DATA_PERMISSION, LOG_PERMISSION, mark_download, remember_reason, safe_next
from .models import AuditEvent

PAGE_SIZE = 50
CSV_HEADERS = ["When", "Who", "Operating-system account", "Kind", "What", "Programme", "Format", "Rows",
               "Reason", "Address", "Path"]


class AuditFilterForm(forms.Form):
    """Every filter is optional; an empty form shows the whole log, newest first."""

    person = forms.ChoiceField(label="Person", required=False)
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Any kind"), *AuditEvent.Kind.choices])
    date_from = forms.DateField(label="From (date)", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label="To (date)", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label="What (contains)", required=False, max_length=100,
                           widget=forms.TextInput(attrs={"type": "search"}))
    # not "programme": that query key names the programme a page is about (accounts.scope), and this
    # page is about the whole install
    in_programme = forms.ChoiceField(label="Programme", required=False)

    def __init__(self, *args, events=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.events = AuditEvent.objects.all() if events is None else events
        actors = self.events.order_by("actor").values_list("actor", flat=True).distinct()
        self.fields["person"].choices = [("", "Anyone"), *[(a, a) for a in actors if a]]
        self.fields["in_programme"].choices = [("", "Any programme"), *_programmes(self.events)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data


def _programmes(events) -> list[tuple[str, str]]:
    from oversight.plans.models import Programme  # plans sits above accounts: imported when asked

    logged = set(events.exclude(programme="").values_list("programme", flat=True).distinct())
    named = dict(Programme.objects.filter(slug__in=logged).values_list("slug", "name"))
    return sorted(((slug, named.get(slug, slug)) for slug in logged), key=lambda kv: kv[1].lower())


def readable_events(user):
    """The events this reader may see: every one if they read the log in every programme, else their programmes'.

    Roles are per programme: an administrator of one programme reads the entries of that programme
    only; entries tied to no programme (the Data pages, the command line) need the permission in
    every programme (a council-wide administrator).
    """
    from oversight.plans.models import Programme

    events = AuditEvent.objects.all()
    if user.is_superuser:
        return events
    programmes = list(Programme.objects.only("pk", "slug"))
    mine = [p.slug for p in programmes if user.has_perm(LOG_PERMISSION, p)]
    if len(mine) == len(programmes):
        return events
    return events.filter(programme__in=mine)


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm(LOG_PERMISSION):
        raise PermissionDenied("The audit log is for administrators.")


def filtered_events(form: AuditFilterForm):
    events = form.events.select_related("user")
    if not form.is_valid():
        return events.none() if form.is_bound and form.errors else events
    d = form.cleaned_data
    if d.get("person"):
        events = events.filter(actor=d["person"])
    if d.get("kind"):
        events = events.filter(kind=d["kind"])
    if d.get("date_from"):
        events = events.filter(at__date__gte=d["date_from"])
    if d.get("date_to"):
        events = events.filter(at__date__lte=d["date_to"])
    if d.get("text"):
        events = events.filter(what__icontains=d["text"])
    if d.get("in_programme"):
        events = events.filter(programme=d["in_programme"])
    return events


def event_dict(e: AuditEvent) -> dict:
    return {
        "id": e.pk, "at": e.at.isoformat(), "who": e.who, "user": e.actor, "os_user": e.os_user,
        "kind": e.kind, "kind_label": e.get_kind_display(), "what": e.what, "programme": e.programme,
        "format": e.format, "rows": e.rows_shown, "reason": e.reason, "address": e.ip_address, "path": e.path,
    }


def log_context(request: HttpRequest) -> dict:
    """The one context the page, its JSON twin and the CSV are made from."""
    form = AuditFilterForm(request.GET or None, events=readable_events(request.user))
    events = filtered_events(form)
    paginator = Paginator(events, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = {k: v for k, v in query.items() if v and k in form.fields}
    return {
        "nav": "audit", "form": form, "page": page, "events": list(page.object_list),
        "total": paginator.count, "pages": paginator.num_pages, "query": query.urlencode(),
        "filters": filters, "filtered": bool(filters),
        "previous_page": page.previous_page_number() if page.has_previous() else None,
        "next_page": page.next_page_number() if page.has_next() else None,
    }


@never_cache
@require_GET
def audit_log(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """Who saw child-level rows, downloaded a file or exported data: newest first, filtered, never edited."""
    _require(request)
    ctx = log_context(request)
    if fmt == "json":
        return JsonResponse({
            "filters": ctx["filters"], "total": ctx["total"], "page": ctx["page"].number, "pages": ctx["pages"],
            "errors": ctx["form"].errors.get_json_data() if ctx["form"].is_bound else {},
            "events": [event_dict(e) for e in ctx["events"]],
        })
    if fmt == "csv":
        return _csv(ctx)
    return render(request, "accounts/audit_log.html", ctx)


def _csv(ctx: dict) -> HttpResponse:
    events = filtered_events(ctx["form"]).iterator()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row(CSV_HEADERS))
    count = 0
    for e in events:
        d = event_dict(e)
        writer.writerow(safe_row([d["at"], d["who"], d["os_user"], d["kind_label"], d["what"], d["programme"],
                                  d["format"], d["rows"], d["reason"], d["address"], d["path"]]))
        count += 1
    response = HttpResponse(buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    described = ", ".join(f"{k}={v}" for k, v in sorted(ctx["filters"].items()))
    return mark_download(response, rows=count,
                         what=f"audit log CSV ({described})" if described else "audit log CSV (all events)")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see these records?", min_length=5, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: \"checking the plans of children in Team 2 before supervision\". "
                  "It is written to the audit log with your name.")
    next = forms.CharField(widget=forms.HiddenInput, required=False)


@never_cache
@require_http_methods(["GET", "POST"])
def reason(request: HttpRequest) -> HttpResponse:
    """The short form an install that asks why shows before child-level rows; the reason is logged with each view."""
    if not request.user.has_perm(CHILD_DATA_PERMISSION):
        raise PermissionDenied("You do not have permission to see child-level data.")
    target = safe_next(request, request.POST.get("next") if request.method == "POST" else request.GET.get("next"))
    form = ReasonForm(request.POST or None, initial={"next": target})
    if request.method == "POST" and form.is_valid():
        remember_reason(request, urlsplit(target).path, " ".join(form.cleaned_data["reason"].split()))
        return HttpResponseRedirect(target)
    return render(request, "accounts/audit_reason.html", {"form": form, "next": target})
