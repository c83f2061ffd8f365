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
from oversight.plans.periods import Period
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
    # The scorecard's printed cells (``performance.document``): the scorecard page shows the same.
    card = c.load_scorecard(programme, period, for_publication)
    by_q: dict[str, list[CardRow]] = {q: [] for q in QUESTIONS}
    number = 0
    outturn_label = card.outturn_label
    for g in card.groups:
        for line in g.lines:
            number += 1
            row, k = line.row, line.kpi
            cur = row.current
            num, den = line.numerator, line.denominator
            if for_publication:
                from oversight.reports import suppression

                suppressed = k.current.suppressed
                if suppressed or suppression.is_small(cur.get("numerator")):
                    num = Cell(suppression.MARKER, suppressed=True, kind="count") if num.text else num
                if suppressed or suppression.is_small(cur.get("denominator")):
                    den = Cell(suppression.MARKER, suppressed=True, kind="count") if den.text else den
            by_q[question_of(row)].append(CardRow(
                ref=k.ref or f"T{number}", indicator=k.indicator, description=k.name, interface=g.title,
                sn_average=k.regional, national_average=k.national, outturn=k.outturn,
                months=tuple(dataclasses.replace(m, rag=k.rag if i == len(k.months) - 1 else "")
                             for i, m in enumerate(k.months)),
                numerator=num, denominator=den, dot=line.dot_text, targets=line.target_text, rag=k.rag,
                commentary=line.comment))
    groups = tuple(CardGroup(q, tuple(rows)) for q, rows in by_q.items())
    labels = card.month_labels
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
