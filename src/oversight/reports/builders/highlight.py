"""The highlight report (seed 001), section by section, read from the database in a fixed number of queries.

Seed 001 order: header (SRO, programme manager, date of report, overall status), overall
progress narrative, budget, key areas of concern, medium-term developments, issues / risks, the
RAG guidance, then per theme the overview narrative and RAG, the KPI tables as the programme
groups them, and "progress in delivering key improvement plan actions". When an issued pack
exists, "Changed since version N" follows the risks.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from oversight.plans.models import Programme, Recommendation, Theme
from oversight.plans.periods import Period, financial_quarter
from oversight.plans.queries import actions_of
from oversight.plans.status import budget_for, budget_totals, status_for, theme_overviews_for
from oversight.reports.builders import common as c
from oversight.reports.data import (
    BudgetRow,
    Cell,
    ChangeItem,
    Column,
    HighlightHeader,
    HighlightReport,
    KeyAction,
    KpiGroup,
    KpiRow,
    LogItem,
    MetaItem,
    ObjectiveRow,
    Paragraph,
    Section,
    Table,
    ThemeSection,
)

NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def theme_heading(number: int, title: str) -> str:
    word = NUMBER_WORDS[number - 1] if 0 < number <= len(NUMBER_WORDS) else str(number)
    return f"Theme {word}: {title}"


def paragraphs(text: str, empty: str = "") -> tuple[Paragraph, ...]:
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not parts:
        return (Paragraph(empty, "empty"),) if empty else ()
    return tuple(Paragraph(p) for p in parts)


def build(programme: Programme, period: Period, *, for_publication: bool = False,
          compare: bool = True) -> HighlightReport:
    as_at = period.as_at
    status = status_for(programme, period)
    overviews = theme_overviews_for(programme, period)
    lines = budget_for(programme, period)
    risks = c.load_risks(programme, period)
    card = c.load_scorecard(programme, period)
    people = {p.pk: p for p in programme.people.all()}
    themes = list(Theme.objects.filter(programme=programme).order_by("order", "id"))
    recs = list(Recommendation.objects.filter(theme__programme=programme).order_by("theme", "order", "id"))
    actions = list(actions_of(programme))
    quarters = c.quarters_to(period)

    # ---- header
    sro = people.get(programme.sro_id) if programme.sro_id else None
    pm = people.get(programme.programme_manager_id) if programme.programme_manager_id else None
    rag = status.rag if status else ""
    carried = (f"As reported for {status.period_end:%B %Y}" if status and status.period_end < period.start
               else "")
    header = HighlightHeader(
        sro=sro.name if sro else "", programme_manager=pm.name if pm else "",
        date_of_report=c.short_date(status.updated_at.date() if status and status.updated_at else as_at),
        overall_status=rag, overall_status_label=c.rag_label(rag) or "Not rated", status_from=carried)
    narrative = status.narrative if status else ""

    # ---- budget
    budget = tuple(BudgetRow(b.name, c.money(b.budget), c.money(b.actual), c.money(b.forecast),
                             c.money(b.variance), b.comments) for b in lines)
    totals = budget_totals(lines)
    if totals is not None:
        budget += (BudgetRow("Total", c.money(totals.budget), c.money(totals.actual), c.money(totals.forecast),
                             c.money(totals.variance), ""),)

    concerns = tuple(LogItem(str(x.ref), x.description, c.owner_of(x), x.by_when_text, x.status)
                     for x in risks.concerns)
    developments = tuple(LogItem(str(x.ref), x.description, c.owner_of(x), x.by_when_text, x.status)
                         for x in risks.developments)
    risk_rows = tuple(c.risk_row(r, risks) for r in risks.open)

    # ---- themes: KPI groups and objectives
    groups_by_theme: dict[int | None, list[KpiGroup]] = {}
    for g in card.groups:
        theme = getattr(g, "theme", None)
        theme_id = getattr(g, "theme_id", None) or getattr(theme, "pk", None)
        kg = kpi_group(g, card.months, period, for_publication)
        if kg.rows:
            groups_by_theme.setdefault(theme_id if card.programme_groups else None, []).append(kg)
    acts_by_rec: dict[int, list[Any]] = {}
    for a in actions:
        acts_by_rec.setdefault(a.recommendation_id, []).append(a)
    theme_sections = []
    for number, t in enumerate(themes, start=1):
        ov = overviews.get(t.pk)
        objectives = []
        for r in recs:
            if r.theme_id != t.pk:
                continue
            acts = acts_by_rec.get(r.pk, [])
            latest = sorted((n for a in acts for n in c.notes_to(a, as_at)), key=lambda n: (n.date, n.pk))
            objectives.append(ObjectiveRow(
                objective=r.text,
                actions=tuple(KeyAction(a.ref, a.title, c.status_at(a, as_at),
                                        tuple(c.rags_by_quarter(a).get(q, "") for q in quarters)) for a in acts),
                narrative=latest[-1].text if latest else ""))
        theme_sections.append(ThemeSection(
            number=number, title=t.title, overview=ov.narrative if ov else t.overview,
            overview_rag=ov.rag if ov else "",
            overview_from=(f"As reported for {ov.period_end:%B %Y}" if ov and ov.period_end < period.start else ""),
            kpi_groups=tuple(groups_by_theme.get(t.pk, [])), quarter_labels=tuple(f"Q{q}" for _y, q in quarters),
            objectives=tuple(objectives)))
    loose_groups = tuple(groups_by_theme.get(None, []))

    report = HighlightReport(
        name="highlight", title="Highlight report", subtitle=f"{programme.name} — {period.label}",
        programme=programme.name, programme_slug=programme.slug, as_at=as_at, period_label=period.label,
        meta=(MetaItem("Senior Responsible Officer", header.sro), MetaItem("Programme Manager",
                                                                           header.programme_manager),
              MetaItem("Date of Report", header.date_of_report),
              MetaItem("Overall Status", header.overall_status_label, header.overall_status)),
        sections=(), landscape=True, for_publication=for_publication,
        notice=c.publication_notice(for_publication),
        header=header, narrative=narrative, budget=budget, concerns=concerns, developments=developments,
        risks=risk_rows, rag_guidance=c.RAG_GUIDANCE, themes=tuple(theme_sections),
    )
    changes: list[ChangeItem] = []
    since = ""
    if compare:
        from oversight.reports.packs import changes_for_highlight

        changes, since = changes_for_highlight(programme, period, report)
    report = dataclasses.replace(report, changes=tuple(changes), changes_since=since)
    return dataclasses.replace(report, sections=sections_of(report, quarters, loose_groups, risks.available))


# --------------------------------------------------------------------------- KPI tables
def kpi_group(g: Any, months: list[str], period: Period, for_publication: bool) -> KpiGroup:
    six = months[-6:]
    rows = []
    outturn_label = c.financial_year_label(financial_quarter(period.as_at)[0] - 1)
    for row in g.rows:
        points = {p["month"]: p for p in row.points}
        label, out_point = c.outturn_point(row, period)
        outturn_label = label
        t_min, t_up = row.target_texts
        nat, reg = c.benchmark_cells(row)
        target = row.target
        rows.append(KpiRow(
            ref=str(getattr(row.indicator, "ref", "") or ""), indicator=row.indicator.id, name=row.indicator.name,
            period_type=c.period_type_label(row.indicator.period_type),
            outturn=c.figure_cell(row, out_point, for_publication) if out_point else Cell(""),
            current=dataclasses.replace(c.figure_cell(row, row.current, for_publication), rag=c.row_rag(row)),
            months=tuple(c.figure_cell(row, points.get(m), for_publication) for m in six),
            target_min=Cell(t_min, value=target.minimum if target else None, number_format="0.0"),
            target_upper=Cell(t_up, value=target.upper if target else None, number_format="0.0"),
            dot=row.direction.symbol, dot_judgement=row.direction.judgement if row.direction.arrow else "",
            national=nat, regional=reg, rag=c.row_rag(row)))
    return KpiGroup(title=g.name, month_labels=tuple(c.month_label(m) for m in six), outturn_label=outturn_label,
                    rows=tuple(rows))


def kpi_table(g: KpiGroup, key: str) -> Table:
    cols = [Column("ref", "Ref", width=0.5), Column("name", "Performance measure", width=3),
            Column("outturn", g.outturn_label, numeric=True, width=0.8),
            Column("current", "Current", numeric=True, width=0.8), Column("period", "Period", width=0.8)]
    cols += [Column(f"m{i}", label, group="Six month trend", numeric=True, width=0.7)
             for i, label in enumerate(g.month_labels)]
    cols += [Column("min", "Min", group="Target", numeric=True, width=0.6),
             Column("upper", "Upper", group="Target", numeric=True, width=0.6),
             Column("dot", "Trend", width=0.5),
             Column("national", "National", group="Benchmarking", numeric=True, width=0.8),
             Column("regional", "Regional / stat neigh.", group="Benchmarking", numeric=True, width=1.0),
             Column("rag", "RAG", width=0.6)]
    rows = tuple(
        (Cell(r.ref), Cell(r.name), r.outturn, r.current, Cell(r.period_type), *r.months, r.target_min,
         r.target_upper, Cell(r.dot + (f" {r.dot_judgement}" if r.dot_judgement else "")), r.national, r.regional,
         c.rag_cell(r.rag)) for r in g.rows)
    return Table(key, g.title, tuple(cols), rows, empty_text=c.NO_MEASURES)


def objectives_table(t: ThemeSection, key: str, quarter_cols: list[Column]) -> Table:
    cols = (Column("objective", "Objective", width=2.5), Column("actions", "Key actions", width=3),
            *quarter_cols, Column("narrative", "Progress narrative", width=4))
    rows: list[tuple[Cell, ...]] = []
    for o in t.objectives:
        if not o.actions:
            rows.append((Cell(o.objective), Cell(""), *(Cell("") for _ in quarter_cols), Cell(o.narrative)))
        for i, a in enumerate(o.actions):
            rows.append((Cell(o.objective if i == 0 else ""), Cell(f"{a.ref} {a.title}".strip()),
                         *(c.rag_cell(r) for r in a.rags), Cell(o.narrative if i == 0 else "")))
    return Table(key, "Progress in delivering key improvement plan actions", cols, tuple(rows),
                 empty_text="No objectives recorded for this theme.")


def log_table(items: tuple[LogItem, ...], key: str, caption: str, what: str, empty: str) -> Table:
    cols = (Column("ref", "Ref", width=0.4), Column("description", what, width=6), Column("owner", "Owner", width=1.5),
            Column("by_when", "By when", width=1.5))
    return Table(key, caption, cols, tuple((Cell(i.ref), Cell(i.description), Cell(i.owner), Cell(i.by_when))
                                           for i in items), empty_text=empty)


def sections_of(r: HighlightReport, quarters: list[tuple[int, int]], loose: tuple[KpiGroup, ...],
                risks_available: bool) -> tuple[Section, ...]:
    h = r.header
    assert h is not None
    head = Table("header", "Programme status", (Column("label", ""), Column("value", "")), (
        (Cell("Senior Responsible Officer"), Cell(h.sro)),
        (Cell("Programme Manager"), Cell(h.programme_manager)),
        (Cell("Date of Report"), Cell(h.date_of_report)),
        (Cell("Overall Status"), c.rag_cell(h.overall_status, "Not rated")),
    ), key_value=True)
    head_blocks: tuple = (head,) + ((Paragraph(h.status_from, "note"),) if h.status_from else ())
    budget = Table("budget", "Progress against budget", (
        Column("name", "Progress against", width=2), Column("budget", "Budget", numeric=True),
        Column("actual", "Actual spend", numeric=True), Column("forecast", "Forecast spend", numeric=True),
        Column("variance", "Variance", numeric=True), Column("comments", "Comments", width=3)),
        tuple((Cell(b.name), b.budget, b.actual, b.forecast, b.variance, Cell(b.comments)) for b in r.budget),
        empty_text="No budget recorded for this period.")
    guidance = Table("rag-guidance", "Guidance for RAG status", (
        Column("status", "Status", width=0.8), Column("overall", "Overall ratings", width=4),
        Column("individual", "Individual action ratings", width=4)),
        tuple((Cell(s, rag=s.lower()), Cell(o), Cell(i)) for s, o, i in r.rag_guidance))
    sections = [
        Section("status", "Programme status", head_blocks, rag=h.overall_status),
        Section("narrative", "Overall progress narrative",
                paragraphs(r.narrative, "No overall progress narrative recorded for this period.")),
        Section("budget", "Progress against budget", (budget,)),
        Section("concerns", "Key areas of concern", (log_table(
            r.concerns, "concerns", "Key areas of concern", "Description of concern",
            "No areas of concern recorded for this period."),)),
        Section("developments", "Medium term developments", (log_table(
            r.developments, "developments", "Medium term developments", "Description of development",
            "No medium term developments recorded for this period."),)),
        Section("risks", "Issues / risks", (c.risk_table(r.risks),)),
    ]
    if r.changes_since:
        sections.append(changes_section(r))
    sections.append(Section("rag-guidance", "Guidance for RAG status", (guidance,)))
    qcols = c.quarter_columns(quarters)
    for t in r.themes:
        key = f"theme-{t.number}"
        blocks: list = list(paragraphs(t.overview, "No overview recorded for this period."))
        if t.overview_from:
            blocks.append(Paragraph(t.overview_from, "note"))
        blocks.append(Table(f"{key}-rag", "Overview RAG rating", (Column("label", ""), Column("value", "")),
                            ((Cell("Overview RAG rating"), c.rag_cell(t.overview_rag, "Not rated")),), key_value=True))
        subs = [Section(f"{key}-kpi-{i}", g.title, (kpi_table(g, f"{key}-kpi-{i}"),))
                for i, g in enumerate(t.kpi_groups, start=1)]
        subs.append(Section(f"{key}-actions", "Progress in delivering key improvement plan actions",
                            (objectives_table(t, f"{key}-actions", qcols),)))
        sections.append(Section(key, theme_heading(t.number, t.title), tuple(blocks), tuple(subs),
                                rag=t.overview_rag))
    if loose:
        sections.append(Section("measures", "Performance measures", (), tuple(
            Section(f"measures-{i}", g.title, (kpi_table(g, f"measures-{i}"),)) for i, g in enumerate(loose, 1))))
    elif not any(t.kpi_groups for t in r.themes):
        sections.append(Section("measures", "Performance measures", (Paragraph(c.NO_MEASURES, "empty"),)))
    return tuple(sections)


def changes_section(r: HighlightReport) -> Section:
    kinds = {"action": "Action", "risk": "Risk", "measure": "Measure", "recommendation": "Recommendation"}
    table = Table("changes", f"Changed since {r.changes_since}", (
        Column("kind", "What", width=1), Column("ref", "Ref", width=0.6), Column("text", "Change", width=6)),
        tuple((Cell(kinds.get(ch.kind, ch.kind)), Cell(ch.ref), Cell(ch.text)) for ch in r.changes),
        empty_text=f"Nothing has changed since {r.changes_since}.")
    return Section("changes", f"Changed since {r.changes_since}", (table,))
