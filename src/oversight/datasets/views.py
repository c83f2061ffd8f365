"""The Data area: upload Annex A workbooks, list datasets, read data-quality reports and rows.

Everyone signed in may see the catalogue and the report's counts, rules and locations; cell
values in the report and the child-level rows need ``accounts.view_child_data``, and every such
view is logged by ``log_child_data_access``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from oversight.accounts.audit import can_see_child_data, log_child_data_access
from oversight.config import uploads as uploads_guard
from oversight.engine.annex_a import ReportData, get_schema, open_dataset, write_xlsx
from oversight.engine.annex_a.model import problems_from_table
from oversight.engine.annex_a.report import redact
from oversight.engine.safe_cells import safe_row

from . import services
from .compare import compare
from .forms import PublishForm, ReportFilterForm, UploadForm, WithdrawForm
from .models import Dataset, LoadJob, Upload
from .tasks import queue_upload, run_figures

REPORT_PAGE = 200
ROWS_PAGE = 100


def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = Dataset.objects.select_related("uploaded_by")
    return render(request, "datasets/list.html", {
        "nav": "data", "datasets": datasets, "can_upload": request.user.has_perm("datasets.add_dataset"),
    })


@csrf_exempt  # checked below, after the body is read: an interrupted upload is still logged
def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("datasets.add_dataset"):
        raise PermissionDenied("You do not have permission to upload data.")
    refusal = None
    status = 422
    if request.method == "POST" and (broken := uploads_guard.check_upload_body(request)):
        status, refusal = broken
        Upload.objects.create(user=request.user, source_name=_upload_name(request), as_at=timezone.localdate(),
                              outcome=Upload.Outcome.REFUSED, message=refusal[:500], via="web")
        return render(request, "datasets/upload.html", {"nav": "data", "form": UploadForm(), "refusal": refusal},
                      status=status)
    if request.method == "POST" and (rejected := uploads_guard.csrf_rejection(request)):
        return rejected
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid() and form.cleaned_data["file"].size > uploads_guard.max_upload_bytes():
            refusal = uploads_guard.upload_too_big_message(form.cleaned_data["file"].size)
            status = 413
            Upload.objects.create(user=request.user, source_name=_upload_name(request),
                                  as_at=form.cleaned_data["as_at"], outcome=Upload.Outcome.REFUSED,
                                  message=refusal[:500], via="web")
        elif form.is_valid():
            f = form.cleaned_data["file"]
            name = Path(f.name).name or "upload.xlsx"
            job = queue_upload(f, name=name, as_at=form.cleaned_data["as_at"], strict=form.cleaned_data["strict"],
                               user=request.user)
            if request.headers.get("X-Requested-With") == "XMLHttpRequest":
                # The upload script navigates itself to the progress page.
                return HttpResponse(status=204, headers={"X-Location": job.get_absolute_url()})
            return redirect(job)
    else:
        form = UploadForm()
    return render(request, "datasets/upload.html", {"nav": "data", "form": form, "refusal": refusal},
                  status=status if refusal else 200)


def _upload_name(request: HttpRequest) -> str:
    f = request.FILES.get("file") if hasattr(request, "_files") else None
    name = f.name if f is not None else getattr(request, "upload_refused_name", None)
    return (Path(name).name if name else "(file not received)")[:255]


def _dataset(dataset_id: str) -> tuple[Dataset, dict]:
    ds = get_object_or_404(Dataset, dataset_id=dataset_id)
    try:
        info = open_dataset(ds.folder)
    except FileNotFoundError:
        raise Http404("The stored files of this dataset are missing.") from None
    return ds, info


def _titles(ds: Dataset) -> dict[str, str]:
    return {s.table: f"List {s.number}: {s.title}" for s in get_schema(ds.schema_version).lists}


def detail(request: HttpRequest, dataset_id: str) -> HttpResponse:
    ds, info = _dataset(dataset_id)
    titles = _titles(ds)
    by_list = ds.quality.get("by_list", {})
    lists = [
        {"table": t, "title": titles.get(t, t), "rows": n, "sheet": info.manifest["tables"].get(t, {}).get("sheet"),
         "errors": by_list.get(t, {}).get("error", 0), "warnings": by_list.get(t, {}).get("warning", 0),
         "rows_with_errors": ds.quality.get("rows_with_errors", {}).get(t, 0)}
        for t, n in ds.row_counts.items()
    ]
    context = detail_context(request, ds, lists)
    if request.path.endswith(".json"):
        return JsonResponse(detail_json(context))
    return render(request, "datasets/detail.html", context)


def detail_context(request: HttpRequest, ds: Dataset, lists: list[dict]) -> dict:
    """Everything the dataset page shows, and its JSON twin: lists, lifecycle, preview against live."""
    can_publish = request.user.has_perm("datasets.publish_dataset")
    return {
        "nav": "data", "dataset": ds, "lists": lists, "can_see_rows": can_see_child_data(request.user),
        "uploads": ds.uploads.select_related("user")[:20],
        "events": ds.events.select_related("by"),
        "comparison": compare(ds) if ds.figures == Dataset.Figures.READY else None,
        "can_publish": can_publish,
        "publish_form": PublishForm(needs_confirmation=ds.as_at_mismatch) if can_publish else None,
        "withdraw_form": WithdrawForm() if can_publish else None,
        "can_retry": can_publish and ds.figures == Dataset.Figures.FAILED,
    }


def detail_json(context: dict) -> dict:
    ds: Dataset = context["dataset"]
    comparison = context["comparison"]
    return {
        "id": ds.dataset_id, "source_name": ds.source_name, "as_at": ds.as_at.isoformat(),
        "council": {"la_code": ds.la_code, "name": ds.la_name} if ds.la_code else None,
        "status": ds.status, "figures": ds.figures, "figures_error": ds.figures_error,
        "latest_event": ds.latest_event.isoformat() if ds.latest_event else None,
        "as_at_gap_days": ds.as_at_gap_days, "as_at_mismatch": ds.as_at_mismatch,
        "extract_dates": ds.extract_dates, "errors": ds.errors, "warnings": ds.warnings, "rows": ds.row_counts,
        "lists": [{k: v for k, v in row.items()} for row in context["lists"]],
        "history": [{"action": e.action, "by": str(e.by or "command line"), "at": e.at.isoformat(),
                     "reason": e.reason} for e in context["events"]],
        "comparison": None if comparison is None else {
            "month": comparison.month, "live_source": comparison.live_source,
            "differences": comparison.differences, "indicators": [r.as_dict() for r in comparison.rows]},
    }


def _filtered_problems(info, form: ReportFilterForm) -> pa.Table:
    table = pq.read_table(info.problems_path)
    if not form.is_valid():
        return table
    for field in ("table", "column", "rule", "severity"):
        value = form.cleaned_data.get(field)
        if value:
            table = table.filter(pc.equal(table[field], value))
    return table


def _report_form(request: HttpRequest, ds: Dataset) -> ReportFilterForm:
    titles = _titles(ds)
    by_column = ds.quality.get("by_column", [])
    columns = sorted({c["column"] for c in by_column if c["column"]})
    rules = sorted(ds.quality.get("by_rule", {}))
    lists = [(t, titles.get(t, t)) for t in ds.row_counts]
    return ReportFilterForm(request.GET or None, lists=lists, columns=columns, rules=rules)


@never_cache  # child-level values: never kept by a browser or proxy cache
def report(request: HttpRequest, dataset_id: str) -> HttpResponse:
    ds, info = _dataset(dataset_id)
    form = _report_form(request, ds)
    table = _filtered_problems(info, form)
    paginator = Paginator(range(table.num_rows), REPORT_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = problems_from_table(table.slice(page.start_index() - 1, len(page.object_list))) if table.num_rows else []
    show_values = can_see_child_data(request.user)
    if show_values and rows:
        log_child_data_access(request, f"data-quality report values: dataset {ds.dataset_id}", len(rows))
    elif not show_values:
        rows = [redact(p) for p in rows]  # the place and the rule; "expected" may quote another cell
    titles = _titles(ds)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "datasets/report.html", {
        "nav": "data", "dataset": ds, "form": form, "problems": rows, "page": page, "total": table.num_rows,
        "show_values": show_values, "titles": titles, "query": query.urlencode(),
    })


@never_cache  # child-level values: never kept by a browser or proxy cache
def report_xlsx(request: HttpRequest, dataset_id: str) -> HttpResponse:
    ds, info = _dataset(dataset_id)
    form = _report_form(request, ds)
    table = _filtered_problems(info, form)
    problems = problems_from_table(table)
    show_values = can_see_child_data(request.user)
    if show_values:
        log_child_data_access(request, f"data-quality report download: dataset {ds.dataset_id}", len(problems))
    data = ReportData.from_manifest(info.manifest, problems)
    buf = io.BytesIO()
    write_xlsx(data, buf, include_values=show_values)
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="data-quality-{ds.dataset_id}.xlsx"'
    return response


@never_cache  # child-level values: never kept by a browser or proxy cache
def rows(request: HttpRequest, dataset_id: str, table: str) -> HttpResponse:
    ds, info = _dataset(dataset_id)
    if table not in info.tables:
        raise Http404("No such list in this dataset.")
    if not can_see_child_data(request.user):
        log_child_data_access(request, f"rows: dataset {ds.dataset_id} {table}")  # raises PermissionDenied
    pf = pq.ParquetFile(info.tables[table])
    total = pf.metadata.num_rows
    paginator = Paginator(range(total), ROWS_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    data = pf.read().slice(page.start_index() - 1, len(page.object_list)) if total else None
    shown = data.num_rows if data is not None else 0
    log_child_data_access(request, f"rows: dataset {ds.dataset_id} {table} page {page.number}", shown)
    spec = get_schema(ds.schema_version).list(table)
    headers = [c.header for c in spec.columns]
    records = []
    if data is not None:
        for rec in data.to_pylist():
            records.append({"row": rec["_row"], "invalid": set(rec["_invalid"] or []),
                            "cells": [(c.key, rec.get(c.key)) for c in spec.columns]})
    return render(request, "datasets/rows.html", {
        "nav": "data", "dataset": ds, "spec": spec, "headers": headers, "records": records, "page": page,
        "total": total, "table": table,
    })


def uploads(request: HttpRequest) -> HttpResponse:
    log = Upload.objects.select_related("user", "dataset")[:500]
    return render(request, "datasets/uploads.html", {"nav": "data", "uploads": log})


# ----------------------------------------------------------------------------- background jobs
def _job(request: HttpRequest, job_id) -> LoadJob:
    job = get_object_or_404(LoadJob, pk=job_id)
    if job.user_id != request.user.pk and not request.user.has_perm("datasets.add_dataset"):
        raise PermissionDenied("This upload is someone else's.")
    return job


def job_context(job: LoadJob) -> dict:
    """The progress of an upload: what the page shows and the script polls (one context, two forms)."""
    percent = {LoadJob.State.QUEUED: 0}.get(job.state)
    if percent is None:
        stages = ["Starting", "Reading the workbook", "Checking every value", "Writing the lists to Parquet",
                  "Computing the figures", "Done"]
        percent = 100 if job.finished else int(100 * stages.index(job.stage) / (len(stages) - 1)) \
            if job.stage in stages else 5
    return {
        "id": str(job.pk), "source_name": job.source_name, "as_at": job.as_at.isoformat(), "state": job.state,
        "state_label": job.get_state_display(), "stage": job.stage, "current_list": job.current_list,
        "lists_read": job.lists_read, "lists_total": job.lists_total, "rows_read": job.rows_read,
        "checks_run": job.checks_run, "message": job.message, "finished": job.finished, "percent": percent,
        "next": job.dataset.get_absolute_url() if job.dataset and job.state == LoadJob.State.DONE else None,
    }


def job(request: HttpRequest, job_id) -> HttpResponse:
    j = _job(request, job_id)
    context = job_context(j)
    if request.path.endswith(".json"):
        return JsonResponse(context)
    if context["next"]:  # done: the dataset's page says what was stored
        messages.info(request, j.message)
        return redirect(context["next"])
    return render(request, "datasets/job.html", {"nav": "data", "job": j, "progress": context,
                                                 "poll_url": reverse("datasets:job_json", args=[j.pk])})


# ----------------------------------------------------------------------------- lifecycle
def _lifecycle_user(request: HttpRequest):
    if not request.user.has_perm("datasets.publish_dataset"):
        raise PermissionDenied("Only a programme manager can publish, withdraw or retry a dataset.")
    return request.user


@require_POST
def publish(request: HttpRequest, dataset_id: str) -> HttpResponse:
    user = _lifecycle_user(request)
    ds = get_object_or_404(Dataset, dataset_id=dataset_id)
    form = PublishForm(request.POST, needs_confirmation=ds.as_at_mismatch)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(ds)
    try:
        services.publish(ds, user, confirm_as_at=form.cleaned_data.get("confirm_as_at", False))
    except services.LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Published: the scorecard now shows {ds.source_name} as at {ds.as_at:%d/%m/%Y}.")
    return redirect(ds)


@require_POST
def withdraw(request: HttpRequest, dataset_id: str) -> HttpResponse:
    user = _lifecycle_user(request)
    ds = get_object_or_404(Dataset, dataset_id=dataset_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the dataset is withdrawn.")
        return redirect(ds)
    try:
        _ds, restored = services.withdraw(ds, user, reason=form.cleaned_data["reason"])
    except services.LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        back = (f" The figures of {restored.source_name} are live again." if restored
                else " The scorecard shows the latest other published dataset.")
        messages.success(request, f"Withdrawn.{back}")
    return redirect(ds)


@require_POST
def retry(request: HttpRequest, dataset_id: str) -> HttpResponse:
    user = _lifecycle_user(request)
    ds = get_object_or_404(Dataset, dataset_id=dataset_id)
    if ds.figures == Dataset.Figures.READY:
        messages.info(request, "The figures of this dataset are already computed.")
        return redirect(ds)
    Dataset.objects.filter(pk=ds.pk).update(figures=Dataset.Figures.PENDING, figures_error="")
    run_figures.enqueue(ds.pk, user.pk)
    messages.info(request, "The figures are being computed again; this page shows the outcome when they are done.")
    return redirect(ds)


# ----------------------------------------------------------------------------- data quality by team
def teams(request: HttpRequest, dataset_id: str) -> HttpResponse:
    """Counts per team and rule, and how they moved since the previous upload (counts only: no child data)."""
    ds = get_object_or_404(Dataset, dataset_id=dataset_id)
    rows, prev = services.team_rule_table(ds)
    totals: dict[str, int] = {}
    for r in rows:
        totals[r.team] = totals.get(r.team, 0) + r.count
    if request.path.endswith(".json"):
        return JsonResponse({"dataset": ds.dataset_id, "previous": prev.dataset_id if prev else None,
                             "rows": [r.__dict__ for r in rows], "totals": totals})
    my_teams = services.teams_of(request.user)
    return render(request, "datasets/teams.html", {
        "nav": "data", "dataset": ds, "rows": rows, "previous": prev, "totals": sorted(totals.items()),
        "can_worklist": _may_read_worklists(request.user) and bool(my_teams),
    })


def _may_read_worklists(user) -> bool:
    return user.has_perm("datasets.view_team_worklist") and can_see_child_data(user)


def _worklist(request: HttpRequest, dataset_id: str) -> tuple[Dataset, str, list[str], list]:
    if not _may_read_worklists(request.user):
        raise PermissionDenied("The worklist is for team managers with permission to see child-level data.")
    ds = get_object_or_404(Dataset, dataset_id=dataset_id)
    mine = services.teams_of(request.user)
    team = request.GET.get("team") or (mine[0] if mine else "")
    if team not in mine:
        raise PermissionDenied("This worklist is for the managers of that team.")
    items = services.worklist(ds, [team])
    return ds, team, mine, items


@never_cache  # child-level values: never kept by a browser or proxy cache
def worklist(request: HttpRequest, dataset_id: str, fmt: str = "html") -> HttpResponse:
    """A team manager's records to correct in the case system, logged like every child-level view."""
    ds, team, mine, items = _worklist(request, dataset_id)
    log_child_data_access(request, f"data-quality worklist ({fmt}): dataset {ds.dataset_id} team {team}"[:200],
                          len(items))
    filename = f"worklist-{ds.dataset_id}-{slug(team)}"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(safe_row(services.WORKLIST_HEADERS))
        for item in items:
            writer.writerow(safe_row(item.cells()))
        response = HttpResponse(buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(_worklist_xlsx(ds, team, items),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    elif fmt == "json":
        response = JsonResponse({"dataset": ds.dataset_id, "team": team,
                                 "headers": services.WORKLIST_HEADERS, "rows": [i.cells() for i in items]})
    else:
        response = render(request, "datasets/worklist.html", {
            "nav": "data", "dataset": ds, "team": team, "teams": mine, "items": items})
    response["Cache-Control"] = "no-store"
    return response


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:60] or "team"


def _worklist_xlsx(ds: Dataset, team: str, items: list) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Worklist")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, safe_row([f"Records to correct: {team}, {ds.source_name} as at {ds.as_at:%d/%m/%Y}"]),
                    bold)
    sheet.write_row(2, 0, safe_row(services.WORKLIST_HEADERS), bold)
    for n, item in enumerate(items, start=3):
        sheet.write_row(n, 0, safe_row(item.cells()))
    sheet.autofilter(2, 0, 2 + len(items), len(services.WORKLIST_HEADERS) - 1)
    sheet.freeze_panes(3, 0)
    book.close()
    return buf.getvalue()
