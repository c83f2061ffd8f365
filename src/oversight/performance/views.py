"""Scorecard, indicator front sheets, downloads, the rows behind a number, team surgeries, local measures.

Everyone who can sign in sees aggregates. Figures by worker need
``performance.view_worker_breakdown`` (or the child-data permission, which managers have);
the rows behind a number need ``accounts.view_child_data`` and every view or download of
them is logged through ``log_child_data_access`` before anything is shown.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from oversight.accounts.audit import can_see_child_data, log_child_data_access
from oversight.engine.indicators import CatalogueError, child_rows, load_catalogue
from oversight.engine.indicators.rag import RAG_LABELS
from oversight.engine.indicators.spc import ASSURANCE_LABELS, RULE_LABELS, VARIATION_LABELS
from oversight.plans import periods
from oversight.plans.context import period_context
from oversight.plans.periods import Period

from . import document, services, svg
from .exports import scorecard_xlsx_response, table_response
from .local import StaleMeasure, claim, store_value
from .models import (
    Benchmark,
    Commentary,
    IndicatorRun,
    IndicatorValue,
    LocalMeasure,
    ScorecardEntry,
    ScorecardGroup,
    Target,
)

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
        # Preview figures (a dataset not yet published) are for those who decide on publishing;
        # everyone else sees live figures only.
        runs = IndicatorRun.objects.all() if request.user.has_perm("datasets.publish_dataset") \
            else services.live_runs()
        try:
            return runs.get(pk=int(run_id))
        except (ValueError, IndicatorRun.DoesNotExist):
            raise Http404("No such indicator run.") from None
    return services.latest_run()


# ----------------------------------------------------------------------------- programme and period
def _programme(request: HttpRequest):
    """The programme a performance page is for: ``?programme=<slug>``, else the first one (or None)."""
    from oversight.plans.models import Programme

    slug = request.GET.get("programme")
    if slug:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise Http404("No such programme.")
        return programme
    # no ?programme=: the first the person holds a role in, and permissions are answered for it from here on
    from oversight.accounts.scope import narrow_to
    from oversight.plans.memberships import programmes_for

    return narrow_to(programmes_for(request.user).order_by("pk").first())


def _period(request: HttpRequest, programme) -> Period:
    """The reporting period shown: ``?period=`` (or ``?as_at=``, or an explicit ``?run=``'s date),
    else the programme's current period; with no current period set, the latest data's month."""
    explicit = periods.parse_day(request.GET.get(periods.PARAM)) or periods.parse_day(request.GET.get("as_at"))
    cycle = (programme.reporting_cycle if programme else "") or periods.MONTHLY
    if explicit is None and request.GET.get("run"):
        explicit = _run(request).as_at
    if programme is not None and (explicit is not None or programme.current_as_at):
        if explicit is None:
            return periods.current_period(programme)
        end = periods.period_end(explicit, cycle)
        return Period(end, cycle, is_current=bool(programme.current_as_at)
                      and end == periods.current_period(programme).as_at)
    if explicit is None:
        latest = services.latest_run()
        day = latest.as_at if latest else dt.date.today()
        return Period(periods.period_end(day, cycle), cycle, is_current=True)
    return Period(periods.period_end(explicit, cycle), cycle, is_current=False)


def _where(request: HttpRequest) -> dict:
    """Programme, period and the context every performance page shares (picker, kept query)."""
    programme = _programme(request)
    period = _period(request, programme)
    keep = {}
    if request.GET.get("programme") and programme is not None:
        keep["programme"] = programme.slug
    if not period.is_current:
        keep[periods.PARAM] = period.key
    ctx: dict = {"nav": "performance", "programme": programme, "period": period, "keep": urlencode(keep),
                 "months_raw": services.period_months(period.as_at)}
    if programme is not None:
        ctx.update(period_context(request, programme, period))
    ctx["period_query"] = ctx["keep"]  # links keep the programme as well as the period
    return ctx


def _indicator(indicator_id: str, programme=None):
    """(Indicator, LocalMeasure or None) for a catalogue id or ``local-<code>``; 404 otherwise."""
    try:
        return services.indicator_for(indicator_id, programme)
    except CatalogueError:
        raise Http404("No such indicator.") from None


def _back(url: str, keep: str) -> str:
    return f"{url}?{keep}" if keep else url


# ----------------------------------------------------------------------------- scorecard
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    """The programme's scorecard: the printed cells of ``performance.document`` (the highlight report's
    KPI tables and the report card print the same objects), with a sparkline beside each row."""
    ctx = _where(request)
    programme, period = ctx["programme"], ctx["period"]
    doc = document.build(programme, period)
    sparklines = {line.indicator: svg.sparkline(line.row.values, f"Six month trend of {line.kpi.name}")
                  for g in doc.groups for line in g.lines}
    ctx.update({
        "run": doc.run, "doc": doc, "groups": [(g, [(line, sparklines[line.indicator]) for line in g.lines])
                                               for g in doc.groups],
        "months": list(doc.month_labels), "custom_groups": doc.custom_groups,
        "can_arrange": bool(programme) and request.user.has_perm("performance.change_scorecardgroup"),
        "can_define": bool(programme) and request.user.has_perm("performance.add_localmeasure"),
    })
    return render(request, "performance/scorecard.html", ctx)


@require_GET
def scorecard_json(request: HttpRequest) -> JsonResponse:
    """The page's twin: the same document as JSON (the figures, and ``shown``: the printed words)."""
    programme = _programme(request)
    period = _period(request, programme)
    return JsonResponse(document.as_json(document.build(programme, period)),
                        json_dumps_params={"ensure_ascii": False})


def _scorecard_table(groups, months: list[str]) -> tuple[list[str], list[list]]:
    header = (["theme", "indicator", "name", "unit", "polarity", "period_type"] + months
              + ["current", "target_min", "target_upper", "target_due", "rag", "direction", "spc_variation",
                 "spc_assurance", "national", "regional", "stat_neighbours", "rows_excluded", "ref"])
    rows = []
    for g in groups:
        for r in g.rows:
            t = r.target
            rows.append([g.name, r.indicator.id, r.indicator.name, r.indicator.unit, r.indicator.polarity,
                         r.indicator.period_type, *r.values, r.current["value"],
                         t.minimum if t else None, t.upper if t else None,
                         t.due.isoformat() if t and t.due else None, r.rag, r.direction.judgement,
                         r.spc.variation, r.spc.assurance,
                         *[(r.benchmarks[lvl].value if lvl in r.benchmarks else None)
                           for lvl in (Benchmark.NATIONAL, Benchmark.REGIONAL, Benchmark.STAT_NEIGHBOURS)],
                         r.data_quality.get("rows_excluded"), r.ref])
    return header, rows


@require_GET
def scorecard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    programme = _programme(request)
    period = _period(request, programme)
    groups = services.programme_scorecard(programme, period)
    if not groups:
        raise Http404("No indicators have been computed yet.")
    months = services.period_months(period.as_at)
    filename = f"scorecard-{period.as_at:%Y-%m-%d}"
    if fmt == "xlsx":  # for people: names, "Jan 20", coloured RAG; the CSV stays a plain data dump
        return scorecard_xlsx_response(groups, months, filename, as_at=period.as_at)
    header, rows = _scorecard_table(groups, months)
    return table_response(fmt, filename, [("Scorecard", header, rows)])


# --------------------------------------------------------------------------- front sheet
class CommentaryForm(forms.Form):
    month = forms.ChoiceField(label="Month")
    text = forms.CharField(label="Commentary", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, months: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m, month_label(m)) for m in reversed(months)]


class TargetForm(forms.ModelForm):
    """A target band, checked against the measure's polarity and unit before it can be saved.

    The checks live in ``Target.clean`` (a minimum or an upper figure; a band that agrees with
    polarity and unit), so the admin refuses exactly what this form refuses.
    """

    class Meta:
        model = Target
        fields = ["minimum", "upper", "due", "label", "note"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"minimum": "Minimum", "upper": "Upper tolerance", "due": "To be reached by (blank: standing)",
                  "label": "Label, e.g. By Jul 2013"}

    def __init__(self, *args, indicator=None, **kwargs):
        if indicator is not None:
            kwargs.setdefault("instance", Target(indicator=indicator.id))
        super().__init__(*args, **kwargs)


@require_GET
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    ctx = _where(request)
    programme, period = ctx["programme"], ctx["period"]
    ind, measure = _indicator(indicator_id, programme)
    run = None if measure else services.run_for(period.as_at)
    months = ctx["months_raw"]
    ctx.update({"ind": ind, "measure": measure, "run": run,
                "theme": "Local measure" if measure else load_catalogue().themes.get(ind.theme),
                "can_see_rows": can_see_child_data(request.user) and bool(run and run.dataset_id),
                "can_see_workers": can_see_workers(request.user),
                "can_enter_values": bool(measure) and request.user.has_perm("performance.add_localmeasurevalue")})
    if run is not None or measure is not None:
        if measure is not None:
            history = services.programme_history(None, [ind.id], {ind.id: (measure, ind)}).get(ind.id, {})
        else:
            history = services.overall_history(run, [ind.id]).get(ind.id, {})
        targets = services.targets_by_indicator([ind.id]).get(ind.id, [])
        row = services.build_row(ind, run, months, history, targets,
                                 services.latest_benchmarks([ind.id]).get(ind.id, {}))
        row.ref = measure.ref if measure else ""
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
            "data_quality": run.data_quality.get(ind.id, {}) if run else {},
            "commentary": services.commentary_for(ind.id),
            "form": CommentaryForm(months=months),
            "can_comment": request.user.has_perm("performance.add_commentary"),
            "can_set_target": request.user.has_perm("performance.add_target"),
            "target_form": TargetForm(indicator=ind),
        })
        for kind in ("team", "worker") if run is not None else ():
            if kind == "worker" and not ctx["can_see_workers"]:
                continue
            kmonths, table = services.breakdown_table(run, ind.id, kind)
            ctx[f"{kind}_months"] = [(m, month_label(m)) for m in kmonths]
            ctx[f"{kind}_rows"] = [(k, [(p, row.show(p["value"])) for p in pts]) for k, pts in table.items()]
    return render(request, "performance/indicator.html", ctx)


@require_GET
def indicator_download(request: HttpRequest, indicator_id: str, fmt: str) -> HttpResponse:
    programme = _programme(request)
    period = _period(request, programme)
    ind, measure = _indicator(indicator_id, programme)
    header = ["indicator", "breakdown", "breakdown_value", "month", "numerator", "denominator", "value"]
    if measure is not None:
        rows = [[ind.id, "overall", "", f"{v.month:%Y-%m}", v.numerator, v.denominator, v.value]
                for v in measure.values.all()]
        return table_response(fmt, f"{ind.id}-{period.as_at:%Y-%m-%d}", [("Overall", header, rows)])
    run = services.run_for(period.as_at) if not request.GET.get("run") else _run(request)
    if run is None:
        raise Http404("No indicators have been computed yet.")
    kinds = [IndicatorValue.OVERALL, IndicatorValue.TEAM]
    if can_see_workers(request.user):
        kinds.append(IndicatorValue.WORKER)
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
    ctx = _where(request)
    ind, _measure = _indicator(indicator_id, ctx["programme"])
    if not request.user.has_perm("performance.add_commentary"):
        raise PermissionDenied("You do not have permission to add commentary.")
    form = CommentaryForm(request.POST, months=ctx["months_raw"])
    url = _back(reverse("performance:indicator", args=[ind.id]), ctx["keep"])
    if form.is_valid():
        Commentary.objects.create(indicator=ind.id, month=services.month_date(form.cleaned_data["month"]),
                                  text=form.cleaned_data["text"], author=request.user)
        messages.success(request, "Commentary added.")
    else:
        messages.error(request, "Commentary not added: choose a month and write some text.")
    return redirect(url)


@require_POST
def target_add(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """Add (or replace, for the same date) a target band; every change is kept in its history.

    A band that contradicts the measure's polarity or unit is refused with the reason, and the
    target in force stays as it was.
    """
    ctx = _where(request)
    ind, _measure = _indicator(indicator_id, ctx["programme"])
    if not request.user.has_perm("performance.add_target"):
        raise PermissionDenied("You do not have permission to set targets.")
    form = TargetForm(request.POST, indicator=ind)
    url = _back(reverse("performance:indicator", args=[ind.id]), ctx["keep"])
    if not form.is_valid():
        problems = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Target not set: {problems} The target in force is unchanged.")
        return redirect(url)
    data = form.cleaned_data
    Target.objects.update_or_create(indicator=ind.id, due=data["due"],
                                    defaults={k: data[k] for k in ("minimum", "upper", "label", "note")})
    messages.success(request, "Target set.")
    return redirect(url)


# -------------------------------------------------------------------------- child rows
def _rows_not_meeting_first(ind, rows: list, columns: list[str], met: set) -> tuple[list[str], list]:
    """Mark each row as meeting the measure or not and put those that do not first.

    For a percentage, "meets" is being in the numerator where higher is better and being out of
    it where lower is better (3+ placements is the bad case); for days, the longest waits come
    first where lower is better. Counts have nothing to meet, so their order is kept.
    """
    if ind.unit == "percent":
        good_in_numerator = ind.polarity != "low"
        marked = [[*r, "Yes" if (r[0] in met) == good_in_numerator else "No"] for r in rows]
        if ind.polarity in ("high", "low"):
            marked.sort(key=lambda r: r[-1] == "Yes")  # stable: workbook order within each part
        return [*columns, "meets_measure"], marked
    if ind.unit == "days" and "days" in columns and ind.polarity in ("high", "low"):
        i = columns.index("days")
        known = [r for r in rows if r[i] is not None]
        unknown = [r for r in rows if r[i] is None]
        known.sort(key=lambda r: r[i], reverse=ind.polarity == "low")
        return columns, known + unknown
    return columns, rows


@require_GET
@never_cache  # child-level rows (page, CSV, XLSX): never kept by a browser or proxy cache
def indicator_rows(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The child-level rows behind one figure, read from the dataset's Parquet. Logged.

    Rows that do not meet the measure come first (the ones a surgery discusses), with
    filters by team and worker.
    """
    ctx = _where(request)
    ind, measure = _indicator(indicator_id, ctx["programme"])
    if not can_see_child_data(request.user):
        raise PermissionDenied("You do not have permission to see child-level data.")
    if measure is not None:
        raise Http404("A local measure is entered as figures, so there are no rows behind it.")
    run = _run(request) if request.GET.get("run") else services.run_for(ctx["period"].as_at)
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
    if fmt not in ("html", "csv", "xlsx"):
        raise Http404("Unknown format.")
    tables, as_at = services.dataset_tables(run.dataset)
    kwargs = {"team": team, "worker": worker, "calendar": services.configured_calendar(),
              "catalogue": services.configured_catalogue()}
    found = child_rows(tables, as_at, ind.id, month, part, **kwargs)
    columns, all_rows = list(found.columns), list(found.rows)
    if part == "denominator" and ind.unit == "percent" and columns and columns[0] == "row":
        met = {r[0] for r in child_rows(tables, as_at, ind.id, month, "numerator", **kwargs).rows}
        columns, all_rows = _rows_not_meeting_first(ind, all_rows, columns, met)
    elif part == "denominator":
        columns, all_rows = _rows_not_meeting_first(ind, all_rows, columns, set())
    what = f"indicator rows: {ind.id} {month} {part}" + (f" team {team}" if team else "") + (
        f" worker {worker}" if worker else "") + (f" ({fmt})" if fmt != "html" else "")
    shown = all_rows if fmt != "html" else all_rows[:ROWS_ON_PAGE]
    log_child_data_access(request, what, rows_shown=len(shown))
    shown = [[v.isoformat() if isinstance(v, dt.date) else (", ".join(v) if isinstance(v, list) else v)
              for v in r] for r in shown]
    if fmt != "html":
        return table_response(fmt, f"{ind.id}-{month}-{part}-rows", [("Rows", columns, shown)])
    not_met = sum(1 for r in all_rows if columns[-1] == "meets_measure" and r[-1] == "No")
    ctx.update({
        "ind": ind, "run": run, "month": month, "month_label": month_label(month), "run_months":
        [(m, month_label(m)) for m in months], "part": part, "part_label": PARTS[part], "team": team,
        "worker": worker, "columns": columns, "rows": shown, "total": len(all_rows), "not_met": not_met,
        "marks": columns[-1] == "meets_measure",
        "truncated": len(all_rows) > len(shown),
        "teams": services.breakdown_names(run, IndicatorValue.TEAM, ind.id),
        "workers": (services.team_workers(run, team) if team else
                    services.breakdown_names(run, IndicatorValue.WORKER, ind.id))
        if can_see_workers(request.user) else [],
    })
    return render(request, "performance/rows.html", ctx)


# -------------------------------------------------------------------------- team performance surgery
@require_GET
def team(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """One page for a team's monthly performance surgery: every measure against target, by month.

    Without ``?team=`` it lists the teams. ``?worker=`` (a worker of that team) needs the
    worker-breakdown permission; a board member gets 403.
    """
    ctx = _where(request)
    programme, period = ctx["programme"], ctx["period"]
    name = request.GET.get("team") or ""
    worker = request.GET.get("worker") or None
    workers_ok = can_see_workers(request.user)
    if worker and not workers_ok:
        raise PermissionDenied("You do not have permission to see figures by worker.")
    run = services.run_for(period.as_at)
    teams = services.breakdown_names(run, IndicatorValue.TEAM) if run else []
    if name and name not in teams:
        raise Http404("No figures for that team in this period.")
    result = services.surgery(programme, period, name, worker, with_workers=workers_ok) if name else None
    if fmt == "json":
        return JsonResponse({"period": {"as_at": period.key, "label": period.label},
                             "run": run.pk if run else None, "teams": teams,
                             "surgery": result.as_dict() if result else None},
                            json_dumps_params={"ensure_ascii": False})
    if result is not None:
        for _title, rows in result.groups:
            for sr in rows:
                sr.rag_label = RAG_LABELS[sr.row.rag]
                for c in sr.cells:
                    c["rag_label"] = RAG_LABELS[c["rag"]]
    ctx.update({"run": run, "teams": teams, "team": name, "worker": worker, "surgery": result,
                "months": [month_label(m) for m in ctx["months_raw"]], "can_see_workers": workers_ok,
                "can_see_rows": can_see_child_data(request.user) and bool(run and run.dataset_id)})
    return render(request, "performance/team.html", ctx)


# -------------------------------------------------------------------------- local measures
def _programme_for_edit(slug: str, request: HttpRequest, perm: str):
    from oversight.plans.models import Programme

    programme = get_object_or_404(Programme, slug=slug)
    if not request.user.has_perm(perm):
        raise PermissionDenied("You do not have permission to change the programme's measures.")
    return programme


class LocalMeasureForm(forms.ModelForm):
    class Meta:
        model = LocalMeasure
        fields = ["code", "ref", "name", "unit", "polarity", "period_type", "source", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}
        labels = {"code": "Code", "ref": "Reference", "name": "Performance measure", "period_type": "Period",
                  "source": "Source of the figures"}
        help_texts = {"code": 'Lower-case letters, digits and hyphens; the measure\'s id is "local-" and this code. '
                              "It cannot be changed later, because targets and commentary are kept under it.",
                      "ref": 'As the board report numbers it, e.g. "1.2.1" (optional).'}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["version"].initial = self.instance.version
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip().lower()
        if self.instance.pk:
            return self.instance.code
        if LocalMeasure.objects.filter(programme=self.programme, code=code).exists():
            raise forms.ValidationError(f"The programme already has a local measure with the code {code!r}.")
        return code


@require_GET
def measures(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    from oversight.plans.models import Programme

    programme = get_object_or_404(Programme, slug=slug)
    if fmt == "json":  # the same shape as the programme JSON's local_measures section
        from .transfer import export_local_measures, export_scorecard_groups

        return JsonResponse({"programme": programme.slug, "local_measures": export_local_measures(programme),
                             "scorecard_groups": export_scorecard_groups(programme)},
                            json_dumps_params={"ensure_ascii": False})
    ctx = _where(request)
    ctx["programme"] = programme
    items = list(programme.local_measures.prefetch_related("values"))
    ctx.update({"measures": [(m, m.values.count(), (list(m.values.all()) or [None])[-1]) for m in items],
                "can_define": request.user.has_perm("performance.add_localmeasure"),
                "can_enter": request.user.has_perm("performance.add_localmeasurevalue")})
    return render(request, "performance/measures.html", ctx)


def measure_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    perm = "performance.change_localmeasure" if code else "performance.add_localmeasure"
    programme = _programme_for_edit(slug, request, perm)
    instance = get_object_or_404(LocalMeasure, programme=programme, code=code) if code else LocalMeasure(
        programme=programme)
    form = LocalMeasureForm(request.POST or None, instance=instance, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if instance.pk:
                    claim(instance, form.cleaned_data.get("version"))
                measure = form.save()
        except StaleMeasure:
            form.add_error(None, "Someone else changed this measure after you opened the page, so nothing was "
                                 "saved. Open it again to see their change.")
        except IntegrityError:  # the same code made by someone else a moment ago
            form.add_error("code", "The programme already has a local measure with this code.")
        else:
            messages.success(request, f"Local measure {measure.name!r} saved; its id is {measure.indicator_id}.")
            return redirect(reverse("performance:measure_values", args=[programme.slug, measure.code]))
    title = f"Change {instance.name}" if code else "Define a local measure"
    return render(request, "performance/measure_form.html", {
        "nav": "performance", "programme": programme, "form": form, "title": title, "measure": instance if code
        else None})


class ValuesForm(forms.Form):
    """A grid of months: numerator and denominator (a rate) or a value (a count), checked together."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, measure: LocalMeasure, months: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.measure, self.months = measure, months
        self.fields["version"].initial = measure.version
        self.parts = ["value"] if measure.unit == LocalMeasure.COUNT else ["numerator", "denominator", "value"]
        existing = {f"{v.month:%Y-%m}": v for v in measure.values.all()}
        for m in months:
            v = existing.get(m)
            for part in self.parts:
                whole = part != "value" or measure.unit == LocalMeasure.COUNT
                field = (forms.IntegerField(min_value=0, required=False) if whole
                         else forms.FloatField(min_value=0, required=False))
                field.label = f"{month_label(m)} {part}"
                if v is not None:
                    field.initial = (int(v.value) if v.value is not None and whole else v.value) \
                        if part == "value" else getattr(v, part)
                self.fields[f"{m}-{part}"] = field

    def rows(self):
        return [(m, month_label(m), [self[f"{m}-{p}"] for p in self.parts]) for m in self.months]

    def clean(self):
        data = super().clean()
        from .local import check_value

        for m in self.months:
            got = {p: data.get(f"{m}-{p}") for p in ("numerator", "denominator", "value")}
            if self.measure.unit == LocalMeasure.COUNT:
                got["value"] = None if got["value"] is None else float(got["value"])
            for part, message in check_value(self.measure.unit, got["numerator"], got["denominator"], got["value"]):
                name = f"{m}-{part}" if f"{m}-{part}" in self.fields else f"{m}-value"
                self.add_error(name, f"{month_label(m)}: {message}")
        return data


def measure_values(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Enter a measure's monthly figures: the twelve months up to the period, all saved together."""
    from oversight.plans.models import Programme

    programme = get_object_or_404(Programme, slug=slug)
    measure = get_object_or_404(LocalMeasure, programme=programme, code=code)
    ctx = _where(request)
    ctx["programme"] = programme
    from oversight.engine.indicators import months_for

    months = [p.month for p in months_for(ctx["period"].as_at, 12)]
    can_enter = request.user.has_perm("performance.add_localmeasurevalue")
    if not can_enter:  # the figures themselves are on the measure's page for everyone
        raise PermissionDenied("You do not have permission to enter figures.")
    form = ValuesForm(request.POST or None, measure=measure, months=months)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim(measure, form.cleaned_data["version"])
                for m in months:
                    if not any(f"{m}-{p}" in form.changed_data for p in form.parts):
                        continue
                    got = {p: form.cleaned_data.get(f"{m}-{p}") for p in ("numerator", "denominator", "value")}
                    store_value(measure, services.month_date(m), got["numerator"], got["denominator"],
                                None if got["value"] is None else float(got["value"]), user=request.user)
        except StaleMeasure:
            measure.refresh_from_db()
            form = ValuesForm(measure=measure, months=months)  # their figures, to enter the changes again
            form.stale = True
        else:
            messages.success(request, f"Figures for {measure.name} saved.")
            return redirect(_back(reverse("performance:measure_values", args=[slug, code]), ctx["keep"]))
    ctx.update({"measure": measure, "form": form, "can_enter": can_enter,
                "indicator_url": _back(reverse("performance:indicator", args=[measure.indicator_id]),
                                       urlencode({"programme": slug}))})
    return render(request, "performance/measure_values.html", ctx)


class ValuesFileForm(forms.Form):
    file = forms.FileField(label="CSV or Excel file (.csv, .xlsx)")


def measures_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Import monthly figures from CSV/XLSX: the whole file is checked first; one bad cell, nothing written."""
    import tempfile
    from pathlib import Path

    from .local import LocalImportError, import_values

    programme = _programme_for_edit(slug, request, "performance.add_localmeasurevalue")
    form = ValuesFileForm(request.POST or None, request.FILES or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            problem = f"{upload.name}: expected a .csv or .xlsx file"
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{suffix}"
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                try:
                    n = import_values(path, programme, user=request.user, filename=upload.name)
                except LocalImportError as e:
                    problem = str(e)
                else:
                    messages.success(request, f"{n} monthly figure{'s' if n != 1 else ''} imported from "
                                              f"{upload.name}.")
                    return redirect(reverse("performance:measures", args=[slug]))
    return render(request, "performance/measures_import.html", {
        "nav": "performance", "programme": programme, "form": form, "problem": problem,
        "codes": list(programme.local_measures.values_list("code", "unit"))})


# -------------------------------------------------------------------------- the programme's scorecard groups
def _indicator_choices(programme) -> list[tuple[str, str]]:
    local = [(m.indicator_id, f"{m.ref} {m.name} (local)".strip()) for m in programme.local_measures.all()]
    return local + [(i.id, i.name) for i in services.configured_catalogue()]


def scorecard_groups(request: HttpRequest, slug: str) -> HttpResponse:
    """Arrange the scorecard: groups in order, each with catalogue and local measures in order.

    One page, one POST per change (``action``): add, rename or delete a group; add, move or
    remove a measure; or start from the Annex A grouping.
    """
    programme = _programme_for_edit(slug, request, "performance.change_scorecardgroup")
    choices = _indicator_choices(programme)
    names = dict(choices)
    themes = list(programme.themes.all())
    if request.method == "POST":
        error = _arrange(programme, request.POST, names, {t.pk: t for t in themes})
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Scorecard layout saved.")
        return redirect(reverse("performance:scorecard_groups", args=[slug]))
    groups = [(g, [(e, names.get(e.indicator, f"{e.indicator} (no longer defined)")) for e in g.entries.all()])
              for g in programme.scorecard_groups.select_related("theme").prefetch_related("entries")]
    return render(request, "performance/scorecard_groups.html", {
        "nav": "performance", "programme": programme, "groups": groups, "choices": choices, "themes": themes,
        "scorecard_url": _back(reverse("performance:scorecard"), urlencode({"programme": slug}))})


@transaction.atomic
def _arrange(programme, post, names: dict[str, str], themes: dict) -> str:
    """Apply one change to the layout; returns an error sentence, or '' when done."""
    action = post.get("action", "")
    group = None
    if post.get("group"):
        group = ScorecardGroup.objects.filter(programme=programme, pk=post.get("group")).first()
        if group is None:
            return "That group no longer exists; nothing was changed."

    def theme_of() -> tuple[bool, object]:
        raw = post.get("theme") or ""
        if not raw:
            return True, None
        t = themes.get(int(raw)) if raw.isdigit() else None
        return t is not None, t

    if action == "start_default":
        if programme.scorecard_groups.exists():
            return "The scorecard already has its own groups; delete them first to start again."
        cat = services.configured_catalogue()
        layout = services._layout(None, cat, services.local_indicators(programme))
        for order, (_key, title, members, _th) in enumerate(layout, start=1):
            g = ScorecardGroup.objects.create(programme=programme, title=title, order=order)
            ScorecardEntry.objects.bulk_create([ScorecardEntry(group=g, indicator=i, order=n)
                                                for n, i in enumerate(members, start=1)])
        return ""
    if action == "add_group":
        title = (post.get("title") or "").strip()
        if not title:
            return "Give the group a title."
        ok, theme = theme_of()
        if not ok:
            return "Choose one of the programme's themes (or none)."
        last = programme.scorecard_groups.order_by("-order").first()
        ScorecardGroup.objects.create(programme=programme, title=title[:300], theme=theme,
                                      order=(last.order + 1) if last else 1)
        return ""
    if group is None:
        return "Choose a group."
    if action == "change_group":
        title = (post.get("title") or "").strip()
        ok, theme = theme_of()
        if not title or not ok:
            return "A group needs a title, and its theme must be one of the programme's themes (or none)."
        group.title, group.theme = title[:300], theme
        group.save()
        return ""
    if action == "delete_group":
        group.delete()
        return ""
    if action in ("group_up", "group_down"):
        _move(list(programme.scorecard_groups.order_by("order", "id")), group, action == "group_up")
        return ""
    if action == "add_entry":
        iid = post.get("indicator") or ""
        if iid not in names:
            return "Choose a measure from the list."
        if group.entries.filter(indicator=iid).exists():
            return f"{names[iid]} is already in {group.title}."
        last = group.entries.order_by("-order").first()
        ScorecardEntry.objects.create(group=group, indicator=iid, order=(last.order + 1) if last else 1)
        return ""
    entry = group.entries.filter(pk=post.get("entry") or 0).first()
    if entry is None:
        return "That measure is no longer in the group; nothing was changed."
    if action == "remove_entry":
        entry.delete()
        return ""
    if action in ("entry_up", "entry_down"):
        _move(list(group.entries.order_by("order", "id")), entry, action == "entry_up")
        return ""
    return "Unknown change."


def _move(items: list, item, up: bool) -> None:
    """Swap ``item`` with its neighbour and renumber 1…n, so orders stay unique and gap-free."""
    i = next(n for n, x in enumerate(items) if x.pk == item.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for n, x in enumerate(items, start=1):
        if x.order != n:
            x.order = n
            x.save(update_fields=["order"])
