"""The committee cover report (seed 004): the pack's narrative fields around the attached reports.

The narrative (meeting, date, wards, title, key decision, contacts, 1 proposal and
introduction, 2 reason, 3 recommendations, equality impact assessment, background documents)
belongs to the board pack and is edited while the pack is a draft; without a pack the report
shows the headings with "To be written" so officers see what is missing.
"""

from __future__ import annotations

from typing import Any

from oversight.plans.models import Programme
from oversight.plans.periods import Period
from oversight.reports.builders import TITLES
from oversight.reports.builders import common as c
from oversight.reports.data import Cell, Column, CommitteeReport, MetaItem, Paragraph, Section, Table

TO_WRITE = "To be written."
APPENDIX_REPORTS = ("highlight", "tracker", "report-card", "risks")


def numbered(text: str, number: int, empty: str = TO_WRITE) -> tuple[Paragraph, ...]:
    """Paragraphs numbered as the template numbers them (1.1, 1.2 …) unless the officer numbered them."""
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not parts:
        return (Paragraph(empty, "empty"),)
    out = []
    for i, p in enumerate(parts, start=1):
        out.append(Paragraph(p if p.startswith(f"{number}.") else f"{number}.{i} {p}"))
    return tuple(out)


def latest_pack(programme: Programme, period: Period) -> Any:
    from oversight.reports.models import BoardPack

    return BoardPack.objects.filter(programme=programme, period_end=period.as_at).order_by("-version").first()


def build(programme: Programme, period: Period, *, for_publication: bool = False, pack: Any = None) -> CommitteeReport:
    if pack is None:
        pack = latest_pack(programme, period)

    def f(name: str, default: str = "") -> str:
        value = getattr(pack, name, "") if pack is not None else ""
        return str(value or default)

    key = {"yes": "Yes", "no": "No"}.get(f("key_decision"), "")
    meeting_date = c.long_date(pack.meeting_date) if pack is not None and pack.meeting_date else ""
    title = f("report_title", f"{programme.name}: progress report {period.label}")
    appendices = tuple(f"Appendix {i}: {TITLES[n]} as at {c.long_date(period.as_at)}"
                       for i, n in enumerate(APPENDIX_REPORTS, start=1))
    appendices += (f"Appendix {len(appendices) + 1}: Equality impact assessment",)
    details = Table("details", "Report details", (Column("label", ""), Column("value", "")), tuple(
        (Cell(label), Cell(value)) for label, value in (
            ("Meeting", f("meeting")), ("Date", meeting_date), ("Wards affected", f("wards_affected", "All")),
            ("Report title", title), ("Is the decision a key decision?", key),
            ("When does the decision need to be implemented?", f("decision_implemented")),
            ("Executive lead contact details", f("executive_lead")),
            ("Supporting officer contact details", f("supporting_officer")))), key_value=True)
    sections = (
        Section("details", "Report details", (details,)),
        Section("proposal", "1. Proposal and introduction", numbered(f("proposal"), 1)),
        Section("reason", "2. Reason for proposal", numbered(f("reason"), 2)),
        Section("recommendations", "3. Recommendation(s) / proposed decision", numbered(f("recommendations"), 3)),
        Section("appendices", "Appendices", tuple(Paragraph(a) for a in appendices)),
        Section("equality", f"Appendix {len(appendices)}: Equality impact assessment",
                tuple(Paragraph(p.strip()) for p in f("equality_impact").split("\n\n") if p.strip())
                or (Paragraph(TO_WRITE, "empty"),)),
        Section("background", "Background documents",
                tuple(Paragraph(p.strip()) for p in f("background_documents").split("\n") if p.strip())
                or (Paragraph("None.", "empty"),)),
    )
    meta: tuple[MetaItem, ...] = (MetaItem("Meeting", f("meeting")), MetaItem("Date", meeting_date),
                                  MetaItem("Report title", title))
    if pack is not None:
        meta += (MetaItem("Board pack", f"Version {pack.version} ({pack.get_state_display()})"),)
    return CommitteeReport(
        name="committee", title="Committee cover report", subtitle=title, programme=programme.name,
        programme_slug=programme.slug, as_at=period.as_at, period_label=period.label, meta=meta,
        sections=sections, landscape=False, for_publication=for_publication,
        notice=c.publication_notice(for_publication), meeting=f("meeting"), meeting_date=meeting_date,
        wards_affected=f("wards_affected", "All"), report_title=title, key_decision=key,
        implemented_when=f("decision_implemented"), executive_lead=f("executive_lead"),
        supporting_officer=f("supporting_officer"), proposal=f("proposal"), reason=f("reason"),
        recommendations=f("recommendations"), appendices=appendices, equality_impact=f("equality_impact"),
        background_documents=f("background_documents"))
