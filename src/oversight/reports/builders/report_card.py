"""The report card (seed 003): measures grouped "how much did we do / how well did we do it / is anyone better off".

Each row: ref (T1, T2 … in card order), description, project interface (the plan theme or
scorecard group it sits in), statistical-neighbour and national averages, last year's outturn,
the monthly values, numerator / denominator of the latest month, direction of travel, the
target in force (with its date) and the latest commentary. Counts go under "how much", outcome
measures (stability, re-referral, repeat, adoption, leaving care …) under "better off", and the
rest (timeliness and quality) under "how well".
"""

from __future__ import annotations

import dataclasses

from oversight.plans.models import Programme
from oversight.plans.periods import Period, financial_quarter
from oversight.reports.builders import common as c
from oversight.reports.data import CardGroup, CardRow, Cell, Column, MetaItem, Paragraph, ReportCard, Section, Table

QUESTIONS = ("How much did we do?", "How well did we do it?", "Is anyone better off?")
OUTCOME_WORDS = ("stability", "re-referral", "rereferral", "repeat", "adopt", "leaving care", "care leaver",
                 "education", "employment", "return", "ceased", "permanence", "outcome", "suitable")


def question_of(row) -> str:
    ind = row.indicator
    if ind.unit in ("count", "number"):
        return QUESTIONS[0]
    name = f"{ind.name} {ind.theme}".lower()
    if any(w in name for w in OUTCOME_WORDS):
        return QUESTIONS[2]
    return QUESTIONS[1]


def build(programme: Programme, period: Period, *, for_publication: bool = False) -> ReportCard:
    card = c.load_scorecard(programme, period)
    months = card.months[-6:]
    by_q: dict[str, list[CardRow]] = {q: [] for q in QUESTIONS}
    number = 0
    year, _q = financial_quarter(period.as_at)
    outturn_label = c.financial_year_label(year - 1)
    for g in card.groups:
        for row in g.rows:
            number += 1
            points = {p["month"]: p for p in row.points}
            _label, out_point = c.outturn_point(row, period)
            nat, reg = c.benchmark_cells(row)
            cur = row.current
            t = row.target
            target = ""
            if t is not None:
                lo, up = row.target_texts
                band = " – ".join(x for x in (lo, up) if x)
                when = t.label or (f"by {t.due:%b %Y}" if t.due else "")
                target = f"{band} {when}".strip()
            suppressed = for_publication and c.figure_cell(row, cur, True).suppressed
            num = Cell("") if cur.get("numerator") is None else Cell(
                f"{cur['numerator']:,}", value=cur["numerator"], number_format="#,##0", kind="count")
            den = Cell("") if cur.get("denominator") is None else Cell(
                f"{cur['denominator']:,}", value=cur["denominator"], number_format="#,##0", kind="count")
            if for_publication:
                from oversight.reports import suppression

                if suppressed or suppression.is_small(cur.get("numerator")):
                    num = Cell(suppression.MARKER, suppressed=True, kind="count") if num.text else num
                if suppressed or suppression.is_small(cur.get("denominator")):
                    den = Cell(suppression.MARKER, suppressed=True, kind="count") if den.text else den
            comment = row.comment.text if getattr(row, "comment", None) else ""
            by_q[question_of(row)].append(CardRow(
                ref=str(getattr(row.indicator, "ref", "") or f"T{number}"), indicator=row.indicator.id,
                description=row.indicator.name, interface=g.name, sn_average=reg, national_average=nat,
                outturn=c.figure_cell(row, out_point, for_publication) if out_point else Cell(""),
                months=tuple(dataclasses.replace(c.figure_cell(row, points.get(m), for_publication),
                                                 rag=c.row_rag(row) if m == months[-1] else "")
                             for m in months),
                numerator=num, denominator=den,
                dot=(row.direction.symbol + (f" {row.direction.judgement}" if row.direction.arrow else "")).strip(),
                targets=target, rag=c.row_rag(row), commentary=comment))
    groups = tuple(CardGroup(q, tuple(rows)) for q, rows in by_q.items())
    labels = tuple(c.month_label(m) for m in months)
    sections: tuple[Section, ...]
    if not any(g.rows for g in groups):
        sections = (Section("measures", "Report card", (Paragraph(c.NO_MEASURES, "empty"),)),)
    else:
        sections = tuple(Section(f"group-{i}", g.question, (table(g, f"group-{i}", labels, outturn_label),))
                         for i, g in enumerate(groups, start=1) if g.rows)
    return ReportCard(
        name="report-card", title="Report card", subtitle=f"{programme.name} — {period.label}",
        programme=programme.name, programme_slug=programme.slug, as_at=period.as_at, period_label=period.label,
        meta=(*c.meta_common(programme, period), MetaItem("Measures", str(number))), sections=sections,
        landscape=True, for_publication=for_publication, notice=c.publication_notice(for_publication),
        month_labels=labels, groups=groups)


def table(g: CardGroup, key: str, labels: tuple[str, ...], outturn_label: str) -> Table:
    cols = (Column("ref", "Ref", width=0.4), Column("description", "Description", width=2.5),
            Column("interface", "Project interface", width=1.2),
            Column("sn", "SN average", numeric=True, width=0.7), Column("national", "National average",
                                                                       numeric=True, width=0.7),
            Column("outturn", f"Outturn {outturn_label}", numeric=True, width=0.7),
            *(Column(f"m{i}", label, group="Monthly", numeric=True, width=0.6) for i, label in enumerate(labels)),
            Column("numerator", "Numerator", numeric=True, width=0.7),
            Column("denominator", "Denominator", numeric=True, width=0.7),
            Column("dot", "DOT", width=0.7), Column("targets", "Targets", width=1.1),
            Column("commentary", "Commentary", width=2.5))
    rows = tuple((Cell(r.ref), Cell(r.description), Cell(r.interface), r.sn_average, r.national_average, r.outturn,
                  *r.months, *(Cell("") for _ in range(len(labels) - len(r.months))), r.numerator, r.denominator,
                  Cell(r.dot), Cell(r.targets), Cell(r.commentary)) for r in g.rows)
    return Table(key, g.question, cols, rows, empty_text=c.NO_MEASURES)
