"""The improvement action tracker (seed 000): outstanding actions, then "Actions completed as at <date>".

Columns as the tracker has them: No, What?, Who?, How?, When?, Success measure, Current status,
Outcome (the dated progress notes up to the as-at), and a RAG per quarter. An action counts as
completed when it was completed on or before the as-at; one completed later is still
outstanding at that date.
"""

from __future__ import annotations

from oversight.plans.models import Programme
from oversight.plans.periods import Period
from oversight.plans.queries import actions_of
from oversight.reports.builders import common as c
from oversight.reports.data import Cell, Column, MetaItem, Section, Table, TrackerReport, TrackerRow


def build(programme: Programme, period: Period, *, for_publication: bool = False) -> TrackerReport:
    as_at = period.as_at
    quarters = c.quarters_to(period)
    outstanding: list[TrackerRow] = []
    completed: list[TrackerRow] = []
    for a in actions_of(programme):
        rec = a.recommendation
        rags = c.rags_by_quarter(a)
        status = c.status_at(a, as_at)
        notes = c.notes_to(a, as_at)
        row = TrackerRow(
            number=a.ref, theme=rec.theme.title, recommendation=f"{rec.ref} {rec.text}".strip(), what=a.title,
            who=c.people_names(a.owners.all()), how="\n".join(f"• {s.text}" for s in a.steps.all()),
            when=a.when_text or c.uk_date(a.due), success_measure=a.success_measure, status=status,
            status_label=c.STATUS_LABELS.get(status, status),
            outcome="\n".join(f"{c.uk_date(n.date)}: {n.text}" for n in notes),
            rags=tuple(rags.get(q, "") for q in quarters), overdue=a.is_overdue(as_at),
            completed=c.done_at(a, as_at))
        (completed if row.completed else outstanding).append(row)
    done_title = f"Actions completed as at {c.long_date(as_at)}"
    qcols = c.quarter_columns(quarters)
    return TrackerReport(
        name="tracker", title="Improvement action tracker", subtitle=f"{programme.name} — {period.label}",
        programme=programme.name, programme_slug=programme.slug, as_at=as_at, period_label=period.label,
        meta=(*c.meta_common(programme, period), MetaItem("Outstanding", str(len(outstanding))),
              MetaItem("Completed", str(len(completed)))),
        sections=(
            Section("outstanding", "Outstanding actions", (table(outstanding, "outstanding", "Outstanding actions",
                                                                 qcols, "No outstanding actions."),)),
            Section("completed", done_title, (table(completed, "completed", done_title, qcols,
                                                    "No actions completed by this date."),)),
        ),
        landscape=True, for_publication=for_publication, notice=c.publication_notice(for_publication),
        quarter_labels=tuple(f"Q{q}" for _y, q in quarters), outstanding=tuple(outstanding),
        completed=tuple(completed))


def table(rows: list[TrackerRow], key: str, caption: str, qcols: list[Column], empty: str) -> Table:
    cols = (Column("no", "No", width=0.5), Column("what", "What?", width=2.5), Column("who", "Who?", width=1.2),
            Column("how", "How?", width=2.5), Column("when", "When?", width=0.9),
            Column("success", "Success measure", width=2), Column("status", "Current status", width=1),
            Column("outcome", "Outcome", width=3.5), *qcols)
    return Table(key, caption, cols, tuple(
        (Cell(r.number), Cell(r.what), Cell(r.who), Cell(r.how),
         Cell(r.when + (" (overdue)" if r.overdue else ""), rag="red" if r.overdue else ""),
         Cell(r.success_measure), Cell(r.status_label), Cell(r.outcome), *(c.rag_cell(g) for g in r.rags))
        for r in rows), empty_text=empty)

