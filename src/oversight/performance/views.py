"""Scorecard, indicator front sheets, downloads and the child-level rows behind a number.

Everyone who can sign in sees aggregates. Figures by worker need
``performance.view_worker_breakdown`` (or the child-data permission, which managers have);
the rows behind a number need ``accounts.view_child_data`` and every view or download of
them is logged through ``log_child_data_access`` before anything is shown.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from oversight.accounts.audit import can_see_child_data, log_child_data_access
from oversight.engine.indicators import CatalogueError, child_rows, load_catalogue
from oversight.engine.indicators.rag import RAG_LABELS
from oversight.engine.indicators.spc import ASSURANCE_LABELS, RULE_LABELS, VARIATION_LABELS

from . import services, svg
from .exports import table_response
from .models import Benchmark, Commentary, IndicatorRun, IndicatorValue, Target

ROWS_ON_PAGE = 500
PARTS = {"denominator": "all rows counted (denominator)", "numerator": "rows meeting the measure (numerator)",
         "excluded": "rows left out for invalid values"}


def month_label(month: str) -> str:
    """ "2019-08" -> "Aug 19", as in the seed highlight report."""
    return dt.date.fromisoformat(f"{month}-01").strftime("%b %y")


def can_see_workers(user) -> bool:
    return user.has_perm("performance.view_worker_breakdown") or can_see_child_data(user)


def _run(request: HttpRequest) -> IndicatorRun | None:
    run_id = request.GET.get("run")
    if run_id:
        try:
            return IndicatorRun.objects.get(pk=int(run_id))
        except (ValueError, IndicatorRun.DoesNotExist):
            raise Http404("No such indicator run.") from None
    return services.latest_run()


def _indicator(indicator_id: str):
    try:
        return services.configured_catalogue()[indicator_id]
    except CatalogueError:
        raise Http404("No such indicator.") from None


# ----------------------------------------------------------------------------- scorecard
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    run = _run(request)
    groups = services.scorecard(run) if run else []
    for g in groups:
        for row in g.rows:
            row.sparkline = svg.sparkline(row.values, f"Six month trend of {row.indicator.name}")
            row.rag_label = RAG_LABELS[row.rag]
            row.variation_label = VARIATION_LABELS[row.spc.variation]
            row.assurance_label = ASSURANCE_LABELS[row.spc.assurance]
    months = services.run_months(run) if run else []
    return render(request, "performance/scorecard.html", {
        "nav": "performance", "run": run, "groups": groups, "months": [month_label(m) for m in months],
        "runs": IndicatorRun.objects.all()[:24],
    })


@require_GET
def scorecard_json(request: HttpRequest) -> JsonResponse:
    run = _run(request)
    if run is None:
        return JsonResponse({"as_at": None, "themes": []})
    return JsonResponse(services.scorecard_json(run), json_dumps_params={"ensure_ascii": False})


def _scorecard_table(run: IndicatorRun) -> tuple[list[str], list[list]]:
    months = services.run_months(run)
    header = (["theme", "indicator", "name", "unit", "polarity", "period_type"] + months
              + ["current", "target_min", "target_upper", "target_due", "rag", "direction", "spc_variation",
                 "spc_assurance", "national", "regional", "stat_neighbours", "rows_excluded"])
    rows = []
    for g in services.scorecard(run):
        for r in g.rows:
            t = r.target
            rows.append([g.name, r.indicator.id, r.indicator.name, r.indicator.unit, r.indicator.polarity,
                         r.indicator.period_type, *r.values, r.current["value"],
                         t.minimum if t else None, t.upper if t else None,
                         t.due.isoformat() if t and t.due else None, r.rag, r.direction.judgement,
                         r.spc.variation, r.spc.assurance,
                         *[(r.benchmarks[lvl].value if lvl in r.benchmarks else None)
                           for lvl in (Benchmark.NATIONAL, Benchmark.REGIONAL, Benchmark.STAT_NEIGHBOURS)],
                         r.data_quality.get("rows_excluded")])
    return header, rows


@require_GET
def scorecard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    run = _run(request)
    if run is None:
        raise Http404("No indicators have been computed yet.")
    header, rows = _scorecard_table(run)
    return table_response(fmt, f"scorecard-{run.as_at:%Y-%m-%d}", [("Scorecard", header, rows)])


# --------------------------------------------------------------------------- front sheet
class CommentaryForm(forms.Form):
    month = forms.ChoiceField(label="Month")
    text = forms.CharField(label="Commentary", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, months: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m, month_label(m)) for m in reversed(months)]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["minimum", "upper", "due", "label", "note"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"minimum": "Minimum", "upper": "Upper tolerance", "due": "To be reached by (blank: standing)",
                  "label": "Label, e.g. By Jul 2013"}

    def clean(self):
        data = super().clean()
        if data.get("minimum") is None and data.get("upper") is None:
            raise forms.ValidationError("Give a minimum, an upper figure, or both.")
        return data


@require_GET
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    ind = _indicator(indicator_id)
    run = _run(request)
    ctx: dict = {"nav": "performance", "ind": ind, "run": run, "theme": load_catalogue().themes.get(ind.theme),
                 "can_see_rows": can_see_child_data(request.user) and bool(run and run.dataset_id),
                 "can_see_workers": can_see_workers(request.user)}
    if run is not None:
        months = services.run_months(run)
        history = services.overall_history(run, [ind.id]).get(ind.id, {})
        targets = services.targets_by_indicator([ind.id]).get(ind.id, [])
        row = services.build_row(ind, run, months, history, targets,
                                 services.latest_benchmarks([ind.id]).get(ind.id, {}))
        hist_months = [p["month"] for p in row.history]
        threshold = row.target.threshold(ind.polarity) if row.target else None
        ctx.update({
            "row": row, "months": months, "month_labels": [month_label(m) for m in months],
            "rag_label": RAG_LABELS[row.rag], "variation_label": VARIATION_LABELS[row.spc.variation],
            "assurance_label": ASSURANCE_LABELS[row.spc.assurance],
            "chart": svg.spc_chart(hist_months, row.spc, f"{ind.name}: monthly values with SPC limits",
                                   threshold, ind.polarity),
            "chart_rows": [{"month": month_label(p["month"]), "raw_month": p["month"], "point": p,
                            "shown": row.show(p["value"]),
                            "signal": "; ".join(f"{RULE_LABELS[r]} ({s.side})" for r in s.rules)}
                           for p, s in zip(row.history, row.spc.points, strict=True)],
            "targets": Target.objects.filter(indicator=ind.id),
            "benchmarks": Benchmark.objects.filter(indicator=ind.id),
            "data_quality": run.data_quality.get(ind.id, {}),
            "commentary": services.commentary_for(ind.id),
            "form": CommentaryForm(months=months),
            "can_comment": request.user.has_perm("performance.add_commentary"),
            "can_set_target": request.user.has_perm("performance.add_target"),
            "target_form": TargetForm(),
        })
        for kind in ("team", "worker"):
            if kind == "worker" and not ctx["can_see_workers"]:
                continue
            kmonths, table = services.breakdown_table(run, ind.id, kind)
            ctx[f"{kind}_months"] = [(m, month_label(m)) for m in kmonths]
            ctx[f"{kind}_rows"] = [(k, [(p, row.show(p["value"])) for p in pts]) for k, pts in table.items()]
    return render(request, "performance/indicator.html", ctx)


@require_GET
def indicator_download(request: HttpRequest, indicator_id: str, fmt: str) -> HttpResponse:
    ind = _indicator(indicator_id)
    run = _run(request)
    if run is None:
        raise Http404("No indicators have been computed yet.")
    kinds = [IndicatorValue.OVERALL, IndicatorValue.TEAM]
    if can_see_workers(request.user):
        kinds.append(IndicatorValue.WORKER)
    header = ["indicator", "breakdown", "breakdown_value", "month", "numerator", "denominator", "value"]
    sheets = []
    for kind in kinds:
        qs = IndicatorValue.objects.filter(run=run, indicator=ind.id, breakdown=kind)
        rows = [[ind.id, v.breakdown, v.breakdown_value, f"{v.month:%Y-%m}", v.numerator, v.denominator, v.value]
                for v in qs]
        sheets.append((dict(IndicatorValue.BREAKDOWNS)[kind], header, rows))
    if fmt == "csv":  # one table in CSV: all breakdowns one after another
        sheets = [("All", header, [r for _t, _h, rows in sheets for r in rows])]
    return table_response(fmt, f"{ind.id}-{run.as_at:%Y-%m-%d}", sheets)


@require_POST
def commentary_add(request: HttpRequest, indicator_id: str) -> HttpResponse:
    ind = _indicator(indicator_id)
    if not request.user.has_perm("performance.add_commentary"):
        raise PermissionDenied("You do not have permission to add commentary.")
    run = _run(request)
    months = services.run_months(run) if run else []
    form = CommentaryForm(request.POST, months=months)
    url = reverse("performance:indicator", args=[ind.id]) + (f"?run={run.pk}" if run else "")
    if form.is_valid():
        Commentary.objects.create(indicator=ind.id, month=services.month_date(form.cleaned_data["month"]),
                                  text=form.cleaned_data["text"], author=request.user)
        messages.success(request, "Commentary added.")
    else:
        messages.error(request, "Commentary not added: choose a month and write some text.")
    return redirect(url)


@require_POST
def target_add(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """Add (or replace, for the same date) a target band; every change is kept in its history."""
    ind = _indicator(indicator_id)
    if not request.user.has_perm("performance.add_target"):
        raise PermissionDenied("You do not have permission to set targets.")
    form = TargetForm(request.POST)
    run = _run(request)
    url = reverse("performance:indicator", args=[ind.id]) + (f"?run={run.pk}" if run else "")
    if not form.is_valid():
        problems = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Target not set: {problems}")
        return redirect(url)
    data = form.cleaned_data
    Target.objects.update_or_create(indicator=ind.id, due=data["due"],
                                    defaults={k: data[k] for k in ("minimum", "upper", "label", "note")})
    messages.success(request, "Target set.")
    return redirect(url)


# -------------------------------------------------------------------------- child rows
@require_GET
def indicator_rows(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The child-level rows behind one figure, read from the dataset's Parquet. Logged."""
    ind = _indicator(indicator_id)
    if not can_see_child_data(request.user):
        raise PermissionDenied("You do not have permission to see child-level data.")
    run = _run(request)
    if run is None or run.dataset_id is None:
        raise Http404("These figures were not computed from a stored dataset, so there are no rows to show.")
    part = request.GET.get("part", "denominator")
    if part not in PARTS or (part == "numerator" and ind.unit == "count"):
        raise Http404("Unknown part.")
    months = services.run_months(run)
    month = request.GET.get("month") or months[-1]
    if month not in months:
        raise Http404("That month is not in this run.")
    team = request.GET.get("team") or None
    worker = request.GET.get("worker") or None
    if worker and not can_see_workers(request.user):
        raise PermissionDenied("You do not have permission to see figures by worker.")
    fmt = request.GET.get("format", "html")
    tables, as_at = services.dataset_tables(run.dataset)
    found = child_rows(tables, as_at, ind.id, month, part, team=team, worker=worker,
                       calendar=services.configured_calendar(), catalogue=services.configured_catalogue())
    what = f"indicator rows: {ind.id} {month} {part}" + (f" team {team}" if team else "") + (
        f" worker {worker}" if worker else "") + (f" ({fmt})" if fmt != "html" else "")
    if fmt not in ("html", "csv", "xlsx"):
        raise Http404("Unknown format.")
    shown = found.rows if fmt != "html" else found.rows[:ROWS_ON_PAGE]
    log_child_data_access(request, what, rows_shown=len(shown))
    shown = [[v.isoformat() if isinstance(v, dt.date) else (", ".join(v) if isinstance(v, list) else v)
              for v in r] for r in shown]
    if fmt != "html":
        return table_response(fmt, f"{ind.id}-{month}-{part}-rows", [("Rows", found.columns, shown)])
    return render(request, "performance/rows.html", {
        "nav": "performance", "ind": ind, "run": run, "month": month, "month_label": month_label(month),
        "part": part, "part_label": PARTS[part], "team": team, "worker": worker, "columns": found.columns,
        "rows": shown, "total": len(found.rows), "truncated": len(found.rows) > len(shown),
    })
