"""The Data area: upload Annex A workbooks, list datasets, read data-quality reports and rows.

Everyone signed in may see the catalogue and the report's counts, rules and locations; cell
values in the report and the child-level rows need ``accounts.view_child_data``, and every such
view is logged by ``log_child_data_access``.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from oversight.accounts.audit import can_see_child_data, log_child_data_access
from oversight.engine.annex_a import AnnexARefused, ReportData, get_schema, open_dataset, write_xlsx
from oversight.engine.annex_a.model import problems_from_table

from .forms import ReportFilterForm, UploadForm
from .models import Dataset, Upload
from .services import load_dataset

REPORT_PAGE = 200
ROWS_PAGE = 100


def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = Dataset.objects.select_related("uploaded_by")
    return render(request, "datasets/list.html", {
        "nav": "data", "datasets": datasets, "can_upload": request.user.has_perm("datasets.add_dataset"),
    })


def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("datasets.add_dataset"):
        raise PermissionDenied("You do not have permission to upload data.")
    refusal = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            f = form.cleaned_data["file"]
            name = Path(f.name).name or "upload.xlsx"
            with tempfile.TemporaryDirectory(prefix="oversight-upload-") as tmp:
                path = Path(tmp) / name  # keep the user's file name: refusal messages name it
                with path.open("wb") as out:
                    for chunk in f.chunks():
                        out.write(chunk)
                try:
                    ds = load_dataset(path, form.cleaned_data["as_at"], user=request.user,
                                      strict=form.cleaned_data["strict"], source_name=name, via="web")
                except AnnexARefused as exc:
                    refusal = str(exc)
                else:
                    if ds.already_existed:
                        messages.info(request, f"This file was already loaded for {ds.as_at:%d/%m/%Y}; nothing new "
                                               "was stored.")
                    else:
                        messages.success(request, f"Stored {ds.source_name}: {ds.errors} errors, "
                                                  f"{ds.warnings} warnings.")
                    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
                        # The progress script navigates itself, so the flash message is shown on
                        # that page rather than consumed by the script's own request.
                        return HttpResponse(status=204, headers={"X-Location": ds.get_absolute_url()})
                    return redirect(ds)
    else:
        form = UploadForm()
    return render(request, "datasets/upload.html", {"nav": "data", "form": form, "refusal": refusal},
                  status=422 if refusal else 200)


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
    return render(request, "datasets/detail.html", {
        "nav": "data", "dataset": ds, "lists": lists, "can_see_rows": can_see_child_data(request.user),
        "uploads": ds.uploads.select_related("user")[:20],
    })


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
    titles = _titles(ds)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "datasets/report.html", {
        "nav": "data", "dataset": ds, "form": form, "problems": rows, "page": page, "total": table.num_rows,
        "show_values": show_values, "titles": titles, "query": query.urlencode(),
    })


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
