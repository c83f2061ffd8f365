"""The highlight report (seed 001), section by section, read from the database in a fixed number of queries.

Seed 001 order: header (SRO, programme manager, date of report, overall status), overall
progress narrative, budget, key areas of concern, medium-term developments, issues / risks, the
RAG guidance, then per theme the overview narrative and RAG, the KPI tables as the programme
groups them, and "progress in delivering key improvement plan actions". When an issued pack
exists, "Changed since version N" follows the risks.
"""

from __future__ import annotations

import dataclasses

from oversight.plans import readmodel
from oversight.plans.models import Programme
from oversight.plans.periods import Period
from oversight.plans.queries import rag_quarters
from oversight.reports.builders import common as c
from oversight.reports.data import (
    Cell,
    ChangeItem,
    Column,
    HighlightReport,
    KpiGroup,
    LogItem,
    MetaItem,
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
    # The plan's parts are the programme overview's and the theme pages' own read model.
    plan = readmodel.load(programme)
    view = readmodel.overview(programme, period)
    risks = c.load_risks(programme, period)
    card = c.load_scorecard(programme, period, for_publication)
    quarters = rag_quarters(period.quarter)
    header = view.header
    narrative = view.narrative
    budget = view.budget_rows

    concerns = tuple(LogItem(str(x.ref), x.description, c.owner_of(x), x.by_when_text, x.status)
                     for x in risks.concerns)
    developments = tuple(LogItem(str(x.ref), x.description, c.owner_of(x), x.by_when_text, x.status)
                         for x in risks.developments)
    risk_rows = tuple(c.risk_row(r, risks) for r in risks.open)

    # ---- themes: the plan's sections, with the KPI groups the scorecard places under each theme
    groups_by_theme: dict[int | None, list[KpiGroup]] = {}
    for g, kg in card.kpi_groups():
        if kg.rows:
            groups_by_theme.setdefault(g.theme_id if card.custom_groups else None, []).append(kg)
    theme_ids = [t.pk for t in plan.themes]
    theme_sections = [dataclasses.replace(ts, kpi_groups=tuple(groups_by_theme.get(tid, [])))
                      for ts, tid in zip(readmodel.theme_sections(plan, view, period), theme_ids, strict=True)]
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
