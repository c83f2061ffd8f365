"""The demo programme: the 2020 themes and objectives of seed 001 and tracker actions of seed 000.

People appear by role, never by the names in the papers. Statuses, RAGs and notes are a
plausible, fixed picture so the demo and the screenshots are the same on every machine.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import (
    Action,
    BudgetLine,
    Person,
    Programme,
    ProgressNote,
    RagRating,
    Recommendation,
    Source,
    SourceKind,
    Status,
    StatusReport,
    Step,
    Theme,
    ThemeOverview,
)
from .when import parse_due

ROLES = {
    "DCS": "Director of Children's Services",
    "DD": "Deputy Director, Children's Services",
    "PM": "Improvement Programme Manager",
    "HOS-MASH": "Head of Service MASH / Single Assessment",
    "HOS-SASF": "Head of Service Safeguarding and Support",
    "HOS-CLA": "Head of Service Children in Care",
    "HOS-QA": "Head of Service Quality Assurance",
    "PPM": "Principal Performance Manager",
    "LADO": "Designated Officer (LADO)",
    "WF": "Workforce Development Manager",
    "IA": "Independent Improvement Adviser",
}

#: The demo's current reporting period: seed 001 is the highlight report for January 2020.
AS_AT = dt.date(2020, 1, 31)

#: Seed 001's "Overall progress narrative" (Overall Status: Red), as the officers wrote it.
OVERALL_NARRATIVE = """The improvement programme aims to bring our children's services to a 'good' standard within two \
years - by April 2021. This is an ambitious aim given the extent of failings identified by Ofsted in their inspection \
reports. We have set up a robust governance structure to ensure that this improvement agenda is owned corporately by \
the council and by the wider partnership. An improvement plan has been completed and submitted to the Department for \
Education, identifying 4 themes:
• Leadership, management and governance
• A robust model of social work practice
• A sufficient and skilled workforce
• Quality assurance and audit

Improvement activity at operational level is under way with an initial emphasis on getting the basics right to \
ensure a consistently good level of social work practice. Following the last 3 monitoring visits which identified the \
pace of change was not sufficient and services to children had not improved sufficiently leaving some children in \
situations of harm. The focus since October 2019 when the revised improvement plan was approved was focussed on the \
Single Assessment and SAFs teams. These teams primarily work with children who require statutory intervention at all \
levels. Alongside this the QA framework was reviewed and updated and those children who were subject to exploitation \
were considered a priority with a review of all the processes that underpin good practice. Work is also underway \
focused on the rest of the child's journey. The approach has involved ensuring that there is greater clarity in what \
'good' looks like, compliance with standards and rigorous use of child level data and audit to monitor practice. This \
has started to show results in some areas although reported performance has initially declined due to data cleansing \
activity. Whilst this progress is encouraging, there remain significant challenges in achieving a consistently \
'good' service.

Current issues are listed below. There is a particular concern in relation to workforce recruitment and retention \
and this area is highlighted as 'red' in the report. This will be a significant focus in the coming weeks as we work \
towards completion of our workforce strategy in March 2020.

We have reviewed all of the data relating to CLA and finalised a 'Sufficiency Strategy' which will now be the basis \
of 5 workstreams. These workstreams will focus on:
• Early Help
• Residential and Leaving Care
• Permanence
• Fostering
• Learning Academy"""

#: Seed 001's theme overviews (themes one and three as written; two and four from their progress narratives).
THEME_OVERVIEWS = [
    ("red", "The most recent monitoring visit (4th Visit) undertaken in January 2020 continues to identify effective "
            "political and senior leadership, but also highlights the culture change within the workforce. Progress "
            "to establish a permanent workforce is slow but the impact of this is being reduced due to the stability "
            "of the present agency staff working within Torbay. Sufficiency of emergency and unplanned placements "
            "remains an area of concern, and placement stability indicators are not showing any signs of "
            "improvement. As a result this theme has an overall rating of Red."),
    ("amber", "Compliance with timescales for completing assessments is improving, but we are not yet able to "
              "demonstrate consistently that assessments are qualitative; the recent monitoring visit found practice "
              "still too variable and plans not specific enough. The review of Early Help has been undertaken and a "
              "revised sufficiency strategy drafted. Activity is on track in most areas but outcomes have not yet "
              "been evidenced, so this theme is rated Amber."),
    ("red", "Progress to establish a permanent workforce is slow but the impact of this is being reduced due to the "
            "stability of the present agency staff working within Torbay. Staff vacancy rates remain high - "
            "particularly within the SATs team (78%) but also the SAFS team which has a vacancy rate of 43%. The "
            "recruitment and retention campaign is underway with a revised social work offer being finalised by the "
            "1st February. There is some progress in improving management oversight. We are carrying out dip "
            "sampling to test the quality of this oversight."),
    ("amber", "The quality assurance strategy has been updated, with an agreed schedule of dip sampling and full case "
              "file audits, all moderated. Performance reporting has been reviewed and performance surgeries have "
              "replaced the QPRM, and complaints are now tracked weekly. Ofsted noted a more positive response to "
              "audit, but the impact on practice is not yet evidenced, so this theme is rated Amber."),
]

S_INSPECTION = ("Ofsted inspection Jan 2016", SourceKind.INSPECTION, dt.date(2016, 1, 22))
S_MV_2016 = ("Ofsted monitoring visit Dec 2016", SourceKind.MONITORING_VISIT, dt.date(2016, 12, 9))
S_INSPECTION_2019 = ("Ofsted inspection Jul 2019", SourceKind.INSPECTION, dt.date(2019, 7, 5))
S_MV_2020 = ("Ofsted monitoring visit Jan 2020", SourceKind.MONITORING_VISIT, dt.date(2020, 1, 15))

# (title, overview, [(ref, objective, source, [action…])])
# action = (ref, what, owners, steps, when, success measure, status, [notes (date, text)], [rags by (fy, q)])
G, A, R = "green", "amber", "red"
THEMES = [
    ("Leadership, management and governance",
     "Political and senior leadership are effective, but the pace of change is not yet sufficient; placement "
     "sufficiency and stability remain areas of concern.",
     [("1.1", "Effective leadership and management culture improving and sustaining outcomes for children",
       S_INSPECTION_2019, [
           ("1.1.1", "Implement robust service plans", ["HOS-MASH", "HOS-CLA"], [], "Feb 2020",
            "Service plans agreed and in use by every team", Status.IN_PROGRESS,
            [(dt.date(2020, 1, 20), "Service plans are being written from the priorities in the improvement plan; "
                                    "due to be agreed by the end of February 2020.")], [((2019, 3), A), ((2019, 4), A)]),
           ("1.1.2", "Deliver members' briefing on the data set and performance information", ["PPM"], [],
            "16 March 2020", "Members briefed; feedback gathered", Status.NOT_STARTED, [], [((2019, 4), G)]),
           ("1.1.3", "Quarterly update reports to Cabinet and O&S Committee with performance data", ["PM"],
            ["Agree highlight report format with the Improvement Board", "Report quarterly to Cabinet", "Report quarterly to O&S"],
            "Quarterly from Jan 2020", "Reports received each quarter", Status.ONGOING,
            [(dt.date(2020, 1, 27), "Highlight report format approved by the Children's Improvement Board; it will be "
                                    "used for all meetings from now on.")], [((2019, 3), G), ((2019, 4), G)]),
           ("1.1.4", "Introduce a performance management system with immediate access to child-level data",
            ["PPM"], [], "Sept 2020", "Team managers use child-level reports in monthly surgeries",
            Status.IN_PROGRESS, [], [((2019, 4), A)]),
       ]),
      ("1.2", "Consistent responses to the management and reporting of allegations against professionals (LADO)",
       S_INSPECTION_2019, [
           ("1.2.1", "Prepare the LADO annual report and submit it to the appropriate boards", ["LADO"], [],
            "By end March 2020", "Annual report received by the boards", Status.IN_PROGRESS,
            [(dt.date(2019, 12, 12), "Peninsula LADO meetings began in December 2019."),
             (dt.date(2020, 1, 24), "The LADO annual report is being drafted.")], [((2019, 4), G)]),
       ]),
      ("1.3", "Sufficiency of emergency and unplanned placements", S_MV_2020, [
           ("1.3.1", "Develop a revised sufficiency strategy", ["HOS-CLA", "IA"],
            ["Review all CLA data", "Draft strategy", "Establish five workstreams"], "Dec 2019",
            "Strategy agreed; fewer children placed over 20 miles away", Status.COMPLETED,
            [(dt.date(2019, 12, 18), "Sufficiency strategy completed; five workstreams established.")],
            [((2019, 3), A), ((2019, 4), G)]),
       ]),
     ]),
    ("A robust model of social work practice",
     "Assessment timeliness is improving but quality is not yet consistent; the focus is the Single "
     "Assessment and Safeguarding and Family Support teams.",
     [("1", "Ensure that assessments are timely, proportionate and effectively identify the risks and needs and "
            "protective factors, leading to appropriate and measurable plans", S_INSPECTION, [
           ("1.6", "Consistent application of CP thresholds and CP process", ["HOS-MASH", "HOS-SASF"],
            ["Performance reporting to capture Heads of Service oversight", "Head of Service oversight of S47s going to ICPC",
             "Training to IROs on what is expected and what they should challenge"],
            "Sept - Nov 2017", "Evidence from performance reporting and case file audits shows the correct threshold; "
                               "section 47s that lead to an initial case conference – 39% target", Status.ONGOING,
            [(dt.date(2016, 12, 9), "HoS automatically notified on all section 47s completed, including those potentially "
                                    "returning to a plan for a second time."),
             (dt.date(2017, 2, 9), "Audit activity has revealed some inconsistency around the function of core groups; "
                                   "this has been addressed in the service concerned.")], [((2017, 1), A), ((2017, 2), A)]),
           ("1.7", "Reduce the number of single assessments that result in no further intervention",
            ["HOS-MASH", "HOS-SASF"], ["Implement a measure to track the proportion of assessments stepped down"],
            "By end Sept 17", "2% reduction from the current baseline", Status.REVIEW, [], [((2017, 2), R)]),
       ]),
      ("2", "Ensure that timely decisions are made on contacts and referrals and that initial visits to children "
            "are prompt", S_INSPECTION, [
           ("2.1", "All contacts and referrals to be screened within 24 hours", ["HOS-MASH"],
            ["Performance reporting to specify distribution of working days from contact to referral outcome",
             "Performance reporting to specify 24 hrs and 48 hrs"], "Phase 2",
            "Correct intervention at the appropriate threshold", Status.REVIEW,
            [(dt.date(2016, 12, 9), "The second phase of performance data showing service and team managers' views "
                                    "will be launched."),
             (dt.date(2017, 3, 31), "In February 2017, over 80% of contacts had a decision within 24 hours.")],
            [((2016, 4), A), ((2017, 1), G)]),
           ("2.2", "Children in need to be seen within 5 working days of referral outcome", ["HOS-MASH"],
            ["Performance data to show out-of-time assessments and working days until the child is seen",
             "Audit of CiN cases to consider the quality of planning"], "Phase 2 Mar 2017",
            "90% of referrals where the child was seen within 5 working days", Status.IN_PROGRESS,
            [(dt.date(2017, 3, 31), "In February 2017 performance improved to 72.9%; a particular team and individuals "
                                    "are being targeted.")], [((2016, 4), R), ((2017, 1), A)]),
           ("2.3", "Children in need of protection to be seen within 1 working day of S47 starting",
            ["HOS-MASH", "HOS-SASF"], ["Performance data to specify the distribution of working days until the child is seen"],
            "Mar 2017", "90% of children seen within 1 working day of the S47 starting", Status.COMPLETED,
            [(dt.date(2017, 3, 31), "Performance reporting reviewed and in use at performance meetings.")],
            [((2016, 4), A), ((2017, 1), G)]),
           ("2.4", "Consistent application of the Signs of Safety model by CP chairs", ["HOS-QA", "IA"],
            ["Observations of CP conferences"], "Sept 17", "Consistent delivery of CP conferences and planning",
            Status.ONGOING, [], [((2017, 2), A)]),
           ("2.5", "CiN work is robustly managed and confidence is high in its delivery", ["HOS-SASF", "DD"],
            ["Team manager to oversee CiN meetings", "Review of allocation of CiN", "CiN protocol"], "Sept 17 Oct 17",
            "Increase in partners' confidence in CiN to help children and families", Status.ONGOING, [], []),
       ]),
      ("2.6", "Improving quality of assessments and plans", S_MV_2020, [
           ("2.6.1", "Improve the quality of assessments to better include the voice of the child and the diverse "
                     "nature of families", ["HOS-MASH"], ["Practice workshops", "Monthly audit of assessments"],
            "By end June 2020", "Audits graded good or better rise each quarter", Status.IN_PROGRESS,
            [(dt.date(2020, 1, 21), "Compliance with timescales is improving, but assessments are not yet consistently "
                                    "qualitative; the monitoring visit confirmed this.")], [((2019, 3), R), ((2019, 4), R)]),
           ("2.6.2", "Improve recording of management oversight", ["HOS-SASF"], [], "March 2020",
            "Management oversight recorded on every file audited", Status.IN_PROGRESS, [], [((2019, 4), A)]),
       ]),
      ("2.7", "Ensure that permanency is considered for all children at the earliest opportunity", S_INSPECTION_2019, [
           ("2.7.1", "Timely matching for children in long-term fostering", ["HOS-CLA"], [], "From Jan 2020 and ongoing",
            "Long-term matches made within timescale", Status.ONGOING, [], [((2019, 4), A)]),
           ("2.7.2", "Review all cases currently in pre-proceedings (Public Law Outline)", ["HOS-SASF"], [], "Dec 2019",
            "Every pre-proceedings case reviewed and tracked", Status.COMPLETED,
            [(dt.date(2019, 12, 20), "All pre-proceedings work has been reviewed; legal tracking in place.")],
            [((2019, 3), G)]),
       ]),
     ]),
    ("A sufficient and skilled workforce",
     "Progress to establish a permanent workforce is slow; vacancy rates remain high in the assessment teams.",
     [("3.1", "Workforce strategy", S_MV_2020, [
           ("3.1.1", "Develop a workforce strategy with a training needs analysis and development plan", ["WF", "DD"],
            [], "March 2020", "Vacancy rate for qualified social workers below 20%", Status.IN_PROGRESS,
            [(dt.date(2020, 1, 22), "Recruitment campaign being designed with an external agency; retention offer "
                                    "goes live in early February.")], [((2019, 3), R), ((2019, 4), R)]),
           ("3.1.2", "Develop a Learning Academy", ["WF"], [], "September 2020",
            "Academy running a 3-year social work development programme", Status.IN_PROGRESS, [], [((2019, 4), A)]),
           ("3.1.3", "Update workforce policies", ["WF"], [], "Dec 2019", "Policies approved", Status.NOT_STARTED,
            [], [((2019, 4), R)]),
       ]),
     ]),
    ("Quality assurance and audit",
     "The QA framework has been revised, with dip sampling and audit focused on impact for children.",
     [("4.1", "Quality Assurance Framework", S_MV_2020, [
           ("4.1.1", "Implement the audit programme with thematic audits and dip sampling; train auditors and "
                     "moderators", ["HOS-QA"], ["Agree the schedule", "Train the pool of auditors", "Moderate every audit"],
            "Quarterly from Oct 2019", "Audit findings reported quarterly; moderation agrees grades", Status.ONGOING,
            [(dt.date(2020, 1, 17), "Schedule agreed; all audit activity is moderated.")], [((2019, 3), A), ((2019, 4), G)]),
       ]),
      ("4.2", "Ensure a consistent approach to the use of performance data", S_MV_2020, [
           ("4.2.1", "Review performance management and data reporting so that reports follow the child's journey",
            ["PPM"], [], "Nov 2019", "Performance surgeries use the new reports monthly", Status.COMPLETED_ONGOING,
            [(dt.date(2019, 11, 29), "The first updated report was completed in November 2019.")], [((2019, 3), G)]),
           ("16.4", "Refine and update case recording forms to reflect practice and information needs", ["PPM"],
            ["Develop and refine forms as specified by Ofsted recommendations", "Legal tracker", "Fostering service recording",
             "CLA review forms"], "Sept 2017", "Number of forms revised (and simplified) since April 2016",
            Status.COMPLETED,
            [(dt.date(2016, 12, 9), "Q3 – recording of non-CIN, additional case notes for PLO and case supervision."),
             (dt.date(2017, 8, 31), "All phase 2 forms live.")], [((2017, 1), G)]),
       ]),
     ]),
]


@transaction.atomic
def build_demo_programme(slug: str = "demo") -> Programme:
    """(Re)build the demo programme from scratch: idempotent, so ``oversight demo`` can run twice."""
    Programme.objects.filter(slug=slug).delete()
    prog = Programme.objects.create(
        slug=slug, name="Children's Services Improvement Programme (demo)",
        period_start=dt.date(2019, 10, 1), period_end=dt.date(2021, 4, 30),
        aim="Bring children's services to a 'good' standard by April 2021.",
        reporting_cycle="monthly", current_as_at=AS_AT,
    )
    people = {key: Person.objects.create(programme=prog, name=role, role=role, initials=key)
              for key, role in ROLES.items()}
    prog.sro, prog.programme_manager = people["DCS"], people["PM"]
    prog.save()
    sources: dict[str, Source] = {}
    for t_order, (title, overview, recs) in enumerate(THEMES, start=1):
        theme = Theme.objects.create(programme=prog, order=t_order, title=title, overview=overview)
        for r_order, (ref, text, (label, kind, date), actions) in enumerate(recs, start=1):
            if label not in sources:
                sources[label] = Source.objects.create(programme=prog, label=label, kind=kind, date=date)
            rec = Recommendation.objects.create(theme=theme, order=r_order, ref=ref, text=text, source=sources[label])
            for a_order, (aref, what, owners, steps, when, measure, status, notes, rags) in enumerate(actions, start=1):
                done_dates = [d for d, _ in notes]
                action = Action.objects.create(
                    recommendation=rec, order=a_order, ref=aref, title=what, when_text=when, due=parse_due(when),
                    success_measure=measure, status=status,
                    completed_on=max(done_dates) if status in {Status.COMPLETED, Status.COMPLETED_ONGOING} and done_dates else None,
                )
                action.owners.set([people[o] for o in owners])
                for s_order, step in enumerate(steps, start=1):
                    Step.objects.create(action=action, order=s_order, text=step)
                for date, note in notes:
                    ProgressNote.objects.create(action=action, date=date, text=note, author_name=ROLES[owners[0]])
                for (year, quarter), rag in rags:
                    RagRating.objects.create(action=action, year=year, quarter=quarter, rag=rag)
    load_demo_status(prog)
    return prog


def load_demo_status(prog: Programme) -> None:
    """Seed 001's overall status, theme overviews and budget line, as at 31 January 2020."""
    author = ROLES["PM"]
    StatusReport.objects.create(programme=prog, period_end=AS_AT, rag="red", narrative=OVERALL_NARRATIVE,
                                author_name=author)
    for theme in prog.themes.order_by("order"):
        rag, narrative = THEME_OVERVIEWS[theme.order - 1]
        ThemeOverview.objects.create(theme=theme, period_end=AS_AT, rag=rag, narrative=narrative,
                                     author_name=author)
    BudgetLine.objects.create(programme=prog, period_end=AS_AT, order=1, name="Programme budget",
                              comments="To be updated", author_name=author)
    # Seed 001's "Date of Report" is 27/01/20: the demo's records were last written then, not today.
    written = dt.datetime(2020, 1, 27, 9, 0, tzinfo=dt.UTC)
    for model, rows in ((StatusReport, prog.status_reports), (BudgetLine, prog.budget_lines),
                        (ThemeOverview, ThemeOverview.objects.filter(theme__programme=prog))):
        model.objects.filter(pk__in=rows.values("pk")).update(updated_at=written)
