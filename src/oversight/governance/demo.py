"""The demo's governance, filled from the seeds; people by role only, never by the names in the papers.

- Boards: the Children's Improvement Board (monthly, October 2019 – March 2020: the January
  2020 meeting approved seed 001's highlight report format) and seed 000's Policy Development
  and Decision Group (its 19 June 2017 meeting was inquorate; its 9 October 2017 agenda pack).
- Visits: the inspection that judged the service inadequate (January 2016), the monitoring
  visits of July and December 2016 (expected progress) and of July 2017 (slow progress: seed
  000's letter, its focus areas and findings turned into recommendations), the visit planned for
  31 October 2017, and the 2019 inspection and January 2020 monitoring visit the plan cites.
- The improvement partner's work programme Sept 2017 – Jan 2018 (seed 000, appendix 3).
- The reporting calendar: the board reads the highlight report, risk register and tracker, the decision
  group the committee report, papers out five clear working days ahead; the February 2020 board's pack
  is a draft linked to its meeting.
- Seed 003's seven projects and their work packages, each in its lifecycle state with the reason.
- Seed 000's High Impact Change Model with the council's self-assessment of September 2017.
- Seed 000's Annual Youth Justice Plan 2017/18 in its own layout (outcomes plan, service plan,
  risk register, budget tables), made from the youth justice plan template.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from oversight.plans.models import Recommendation, Source, Theme

from . import services
from .deadlines import publication_date
from .demo_hicm import ASSESSMENT, CHANGES, LEVELS
from .frameworks import ItemDraft, save_items
from .models import (
    ActionArising,
    AgendaItem,
    Assessment,
    AssessmentEntry,
    Attendance,
    Board,
    BoardMember,
    Decision,
    Finding,
    Framework,
    Judgement,
    Meeting,
    PackForMeeting,
    Paper,
    Project,
    ProjectState,
    ProjectStateChange,
    ReportingRule,
    StatutoryPlan,
    Visit,
    WorkProgramme,
    WorkTask,
)

D = dt.date


# ------------------------------------------------------------------------------ boards and meetings
CIB_MEMBERS = [
    # role, demo person initials (or None), chair
    ("Commissioner for Children's Services (chair)", None, True),
    ("Department for Education adviser", None, False),
    ("Director of Children's Services", "DCS", False),
    ("Lead Member for Children", None, False),
    ("Independent Improvement Adviser", "IA", False),
    ("Police representative", None, False),
    ("Health (clinical commissioning group) representative", None, False),
]
CIB_AGENDA = [
    ("1", "Apologies and minutes of the last meeting", "Chair"),
    ("2", "Highlight report", "Improvement Programme Manager"),
    ("3", "Performance scorecard", "Principal Performance Manager"),
    ("4", "Risks, concerns and developments", "Director of Children's Services"),
    ("5", "Any other business", "Chair"),
]
CIB_DATES = [D(2019, 10, 10), D(2019, 11, 14), D(2019, 12, 12), D(2020, 1, 9), D(2020, 2, 13), D(2020, 3, 12)]

PDDG_MEMBERS = [  # seed 000's seven members, by role
    ("Mayor", True), ("Chairman (councillor)", True), ("Vice-Chairman, Executive Lead for Adults and Children", True),
    ("Councillor A", True), ("Councillor B", True), ("Councillor C", True), ("Councillor D", True),
]


def _board_people(programme) -> dict[str, object]:
    return {p.initials: p for p in programme.people.all()}


def _cib(programme, people) -> Board:
    board = Board.objects.create(
        programme=programme, name="Children's Improvement Board", kind="improvement_board", cadence="Monthly",
        quorum=4, purpose="Oversees improvement activity: receives the highlight report, performance data and the "
                          "emerging impact on outcomes for children. Chaired by the Commissioner; members from the "
                          "Department for Education, the council, partner agencies and elected members.")
    members = {}
    for order, (role, initials, chair) in enumerate(CIB_MEMBERS, start=1):
        members[role] = BoardMember.objects.create(board=board, order=order, role=role,
                                                   person=people.get(initials) if initials else None, is_chair=chair)
    for day in CIB_DATES:
        mt = Meeting.objects.create(board=board, date=day, location="Town Hall", minutes_approved=day < D(2020, 1, 1))
        AgendaItem.objects.bulk_create([AgendaItem(meeting=mt, order=o, number=n, title=t, presenter=p)
                                        for o, (n, t, p) in enumerate(CIB_AGENDA, start=1)])
        if day <= D(2020, 1, 31):  # papers issued on the calendar's publication date, up to the demo's period
            Paper.objects.create(meeting=mt, order=1, title=f"Highlight report, {day:%B %Y}",
                                 issued_on=publication_date(day))
        if day <= D(2020, 1, 31):
            for role, member in members.items():
                status = "apologies" if (role.startswith("Police") and day.month == 12) else "present"
                Attendance.objects.create(meeting=mt, member=member, role=role, status=status)
    jan = Meeting.objects.get(board=board, date=D(2020, 1, 9))
    Decision.objects.create(meeting=jan, order=1, text="The 'Highlight Report' format detailing tracking of progress "
                            "over the last quarter and current performance against KPIs was approved; it will be "
                            "used for all meetings moving forwards (Cabinet, O&S, SLT/Transformation Board).")
    ActionArising.objects.create(
        meeting=jan, order=1, text="Report progress on the response to children at risk of exploitation to the "
                                   "board every six weeks", owner=people.get("HOS-SASF"),
        owner_text="Head of Service Safeguarding and Support", due=D(2020, 2, 13))
    ActionArising.objects.create(
        meeting=jan, order=2, text="Organise a member briefing on the Children's Services data set and performance "
                                   "information (16 March 2020)", owner=people.get("PPM"),
        owner_text="Principal Performance Manager", due=D(2020, 3, 16))
    return board


def _pddg(programme) -> Board:
    board = Board.objects.create(
        programme=programme, name="Policy Development and Decision Group (Joint Commissioning Team)",
        kind="decision_group", cadence="As convened", quorum=3,
        purpose="Makes recommendations to the Mayor; receives the six-monthly update on the improvement plan.")
    members = {role: BoardMember.objects.create(board=board, order=o, role=role, voting=voting,
                                                is_chair=role.startswith("Chairman"))
               for o, (role, voting) in enumerate(PDDG_MEMBERS, start=1)}

    def attend(mt, present):
        for role, member in members.items():
            Attendance.objects.create(meeting=mt, member=member, role=role,
                                      status="present" if role in present else "apologies")

    june19 = Meeting.objects.create(board=board, date=D(2017, 6, 19), location="Town Hall", minutes_approved=True)
    attend(june19, {"Councillor B", "Councillor C"})
    Decision.objects.create(meeting=june19, order=1, text="As apologies for absence had been received from the Mayor "
                            "and four councillors, the meeting was inquorate. The Mayor has three options: make the "
                            "decisions in private and publish his record of decisions; rearrange the meeting; or "
                            "defer the items to the next meeting on 24 July 2017.")
    ActionArising.objects.create(meeting=june19, order=1, text="Meet the Mayor to ascertain how he wishes to take "
                                 "forward the decisions from this meeting", owner_text="Clerk (Governance Support)",
                                 status="done")
    june28 = Meeting.objects.create(board=board, date=D(2017, 6, 28), location="Town Hall", minutes_approved=True)
    attend(june28, set(members))
    Decision.objects.create(meeting=june28, order=1, text="Resolved: that the Director of Adult Services be requested "
                            "to provide an update on the meeting with clinicians to the Health and Wellbeing Board on "
                            "6 July 2017 and to keep the group updated on progress in implementing the Autism Self "
                            "Assessment Framework.")
    Decision.objects.create(meeting=june28, order=2, text="Recommended to the Mayor: that the approach being adopted "
                            "in relation to the Better Care Fund be endorsed subject to future guidance from NHS "
                            "England.")
    ActionArising.objects.create(meeting=june28, order=1, text="Update the Health and Wellbeing Board on the meeting "
                                 "with clinicians (Autism Self Assessment Framework)",
                                 owner_text="Director of Adult Services", due=D(2017, 7, 6), status="done")
    july24 = Meeting.objects.create(board=board, date=D(2017, 7, 24), location="Town Hall", minutes_approved=True)
    attend(july24, set(members))
    Decision.objects.create(meeting=july24, order=1, text="Chairman and Vice-Chairman elected for the remainder of "
                            "the 2017/18 municipal year; minutes of 3 April, 18 May and 19 June 2017 signed as "
                            "correct.")
    oct9 = Meeting.objects.create(board=board, date=D(2017, 10, 9), location="Meadfoot Room, Town Hall")
    for o, (n, title, who) in enumerate([
        ("1", "Apologies", ""), ("2", "Disclosure of interests", ""),
        ("3", "Minutes of 19 June, 28 June and 24 July 2017", ""),
        ("4", "Annual Youth Justice Plan 2017/18 (for approval)", "Director of Children's Services"),
        ("5", "Children's Services Improvement Plan – six monthly update", "Director of Children's Services"),
        ("6", "CQC reviews of local authorities in respect of delayed transfers of care from hospital",
         "Director of Adult Services"),
    ], start=1):
        AgendaItem.objects.create(meeting=oct9, order=o, number=n, title=title, presenter=who)
    for o, title in enumerate(["Agenda pack", "Appendix 1: Ofsted Monitoring Letter August 24th",
                               "Appendix 2: Improvement Action Plan Version 21",
                               "Appendix 3: Hampshire County Council Revised Work Programme",
                               "Appendix 1: Youth Justice Plan 2017/18"], start=1):
        Paper.objects.create(meeting=oct9, order=o, title=title, issued_on=D(2017, 9, 29))
    return board


# ------------------------------------------------------------------------------ visits
MV3_FOCUS = [
    "the quality and timeliness of pathway plans for care leavers",
    "how effectively the local authority discharges its duty as a corporate parent to care leavers",
    "the extent to which care leavers receive clear and effective advice and guidance regarding their entitlements",
    "how well management oversight and supervision of staff in the care leavers' service are used to improve the "
    "quality of practice and decision-making",
    "the quality and use of performance management and monitoring to track and respond to care leavers' experiences",
    "the effectiveness of quality assurance arrangements in improving outcomes for care leavers.",
]
MV3_SUMMARY = ("The local authority is making slow progress from a low starting point to improve services for care "
               "leavers. Council-wide ownership and understanding of what it means to be a good corporate parent are "
               "improving, but remain weak.")
#: (kind, text, theme order the recommendation goes under or None)
MV3_FINDINGS = [
    ("strength", "Arrangements to ensure that care leavers are aware of their entitlements have been significantly "
                 "strengthened.", None),
    ("weakness", "The quality of management oversight in the care leavers' service is poor: not enough scrutiny of "
                 "the quality of work, inconsistent supervision, delays not routinely identified.", 1),
    ("weakness", "Senior managers have not provided guidance to staff that sets out the expected frequency of visits "
                 "to care leavers; visits have not always been sufficiently timely or purposeful.", 2),
    ("weakness", "Pathway plans are not yet routinely updated following significant events and do not routinely "
                 "contain timescales.", 2),
    ("weakness", "The number of audits completed in the care leavers' service is insufficient, and the audits are "
                 "not sufficiently challenging (four of six were over-optimistic).", 4),
    ("weakness", "Performance information on care leavers in suitable accommodation is inaccurate, and data on "
                 "visit frequency, placements out of area and accommodation stability is missing.", 4),
    ("weakness", "Access to public housing for care leavers is limited by a corporate failure to ensure enough "
                 "housing provision; support to care leavers with mental health needs is weak.", 1),
    ("weakness", "The revived corporate parenting board has not yet established links with the Children in Care "
                 "Council or care leavers.", 1),
]


def _visits(programme) -> dict[str, Visit]:
    def source(label):
        return Source.objects.filter(programme=programme, label=label).first()

    v = {}
    v["sif"] = Visit.objects.create(
        programme=programme, kind="sif", title="Ofsted inspection of services for children", start=D(2015, 11, 1),
        letter_on=D(2016, 1, 31), summary="Children's services were judged to be inadequate in January 2016, "
        "following an inspection undertaken in November 2015.", source=source("Ofsted inspection Jan 2016"))
    Judgement.objects.create(visit=v["sif"], area="overall", grade="inadequate")
    v["mv1"] = Visit.objects.create(
        programme=programme, kind="monitoring_visit", title="First monitoring visit", start=D(2016, 7, 25),
        end=D(2016, 7, 26), conclusion="expected",
        focus_areas=["the quality and timeliness of plans and decision making in the MASH and for children in need "
                     "of help or protection"])
    v["mv2"] = Visit.objects.create(
        programme=programme, kind="monitoring_visit", title="Second monitoring visit", start=D(2016, 12, 14),
        end=D(2016, 12, 15), conclusion="expected", focus_areas=list(v["mv1"].focus_areas))
    v["mv3"] = Visit.objects.create(
        programme=programme, kind="monitoring_visit", title="Third monitoring visit", start=D(2017, 7, 25),
        end=D(2017, 7, 26), letter_on=D(2017, 8, 24), conclusion="slow", summary=MV3_SUMMARY, focus_areas=MV3_FOCUS)
    themes = {t.order: t for t in Theme.objects.filter(programme=programme)}
    for order, (kind, text, theme_order) in enumerate(MV3_FINDINGS, start=1):
        finding = Finding.objects.create(visit=v["mv3"], order=order, kind=kind, text=text)
        theme = themes.get(theme_order) if theme_order else None
        if theme is not None:
            services.finding_to_recommendation(finding, theme, ref=_next_ref(theme))
    v["mv4"] = Visit.objects.create(
        programme=programme, kind="monitoring_visit", title="Fourth monitoring visit", start=D(2017, 10, 31),
        end=D(2017, 11, 1), summary="Scheduled; the improvement partner's work programme prepares for it.")
    v["ilacs"] = Visit.objects.create(
        programme=programme, kind="ilacs_full", title="Ofsted inspection (ILACS)", start=D(2019, 7, 1),
        source=source("Ofsted inspection Jul 2019"))
    v["mv2020"] = Visit.objects.create(
        programme=programme, kind="monitoring_visit", title="Ofsted monitoring visit (4th visit)",
        start=D(2020, 1, 14), source=source("Ofsted monitoring visit Jan 2020"),
        summary="The most recent monitoring visit (4th visit) continues to identify effective political and senior "
                "leadership, but also highlights the culture change within the workforce. Progress to establish a "
                "permanent workforce is slow.")
    return v


def _next_ref(theme: Theme) -> str:
    """The next free "theme.n" reference in the theme, as the plan numbers its objectives."""
    used = [r.ref for r in Recommendation.objects.filter(theme=theme)]
    n = max([int(r.split(".")[1]) for r in used if r.count(".") == 1 and r.split(".")[1].isdigit()
             and r.split(".")[0] == str(theme.order)] or [0]) + 1
    return f"{theme.order}.{n}"


# ------------------------------------------------------------------------------ work programme
WORK_TASKS = [
    ("Create a calendar of data products", "Torbay (TB)", {"2017-09": "project"}),
    ("Periodic testing of Annex A capability", "TB",
     {"2017-09": "ongoing", "2017-10": "ongoing", "2017-11": "ongoing", "2017-12": "ongoing", "2018-01": "ongoing"}),
    ("Set up and organise a folder of Hampshire advisory notes", "Hants (H)", {"2017-09": "project"}),
    ("Identify mentor schedule", "H/TB", {"2017-09": "project"}),
    ("Design a feedback process flow to Assistant Director", "H", {"2017-09": "project"}),
    ("Recruit PA and Care Leaver Team Manager / Head of Service", "TB", {"2017-09": "project"}),
    ("CIN / CP preparation visit (27th - 29th)", "H/IOW/TB", {"2017-10": "milestone"}),
    ("Ongoing - Remote dip sampling", "H", {"2017-09": "ongoing", "2017-10": "ongoing"}),
    ("Admin led review of case recording", "TB", {"2017-09": "ongoing", "2017-10": "ongoing"}),
    ("Deep dive of Children with Disabilities Team", "H/TB", {"2017-09": "project"}),
    ("Deep dive of Children Looked After", "H/TB", {"2017-09": "project"}),
    ("Analysis of Child Protection", "H", {"2017-09": "project"}),
    ("Analysis of Children Looked After", "H", {"2017-09": "project"}),
    ('Train The Trainer workshop "what does good look like"', "H/TB", {"2017-10": "project"}),
    ("Specific preparation session for team subject (subject to monitoring visit)", "H/TB", {"2017-10": "project"}),
    ("Senior team Ofsted preparation", "H/TB", {"2017-10": "project"}),
    ("Workforce development review", "H/TB", {"2017-10": "project"}),
    ("TPST children's trust / Commissioning 'children'", "TB", {"2017-10": "project"}),
    ("Ofsted monitoring visit", "", {"2017-11": "milestone"}),
    ("Coaching session - how to conduct yourself", "H/TB", {"2017-11": "project"}),
    ("1:1 coaching - Ofsted preparation - case management architecture", "H/TB", {"2017-11": "project"}),
    ("Peer Review / Ofsted 'dry run'", "H", {"2017-12": "project"}),
    ("1:1 coaching - Ofsted preparation", "H", {"2017-12": "project"}),
    ('Pre ofsted "wash up" and future planning', "H/TB", {"2017-12": "project"}),
    ("Ofsted", "", {"2018-01": "milestone"}),
]


def _work_programme(programme, visits, pddg: Board) -> WorkProgramme:
    wp = WorkProgramme.objects.create(
        programme=programme, title="Children's Services / Improvement Partner Work Programme Sept 17 - Jan 18",
        version_text="v1 - 1/9/17", start_month=D(2017, 9, 1), months=5,
        notes="T = Torbay\nH = Hampshire\nIOW = Isle of Wight")
    for order, (text, lead, cells) in enumerate(WORK_TASKS, start=1):
        WorkTask.objects.create(work_programme=wp, order=order, description=text, lead=lead, cells=cells,
                                visit=visits["mv4"] if text == "Ofsted monitoring visit" else None)
    return wp


# ------------------------------------------------------------------------------ projects (seed 003)
REPORT_DAY = D(2012, 7, 18)  # seed 003: the progress update to the Overview and Scrutiny Board
PROJECTS = [
    ("1", "Management development", [
        ("Performance management", "on_schedule", "A new performance management system is underway and on schedule."),
        ("Improved case supervision", "on_schedule", "The new reflective model is being implemented across social "
                                                     "care; formal training in September 2012."),
        ("Improving case management", "disbanded", "Significant actions were reviewed and reallocated to other "
                                                   "existing work packages; they will be carried out elsewhere in the "
                                                   "programme."),
    ]),
    ("2", "Remodelling social work structures", [
        ("Restructuring social work", "closed", "The new structure for community services is complete; closed down in "
                                                "light of sustained lower caseloads and better access to front line "
                                                "managers. Monitored through the CIB report card."),
        ("Adoption and fostering structural changes", "initiation", "A new work package is being created to deliver "
                                                                    "the structural changes in this service."),
        ("Recruitment and retention", "on_schedule", "A detailed proposal was approved by the council (25/5/12)."),
        ("Re-engineering of business processes and systems", "initiation", "The work package has been properly "
                                                                           "initiated; a first quick win has begun."),
    ]),
    ("3", "Improving assessment and case planning", [
        ("Children in need planning process, integrated assessments and improving chronologies", "deferred",
         "Initiation deferred subject to the development of an outline framework for CIN and early help."),
        ("Introduce practice standards manual", "on_schedule", "A core standards document has been written; "
                                                               "timescales will be extended after the peer review."),
        ("Commissioning of specialist assessments", "on_schedule", "A new process for commissioning high cost "
                                                                   "parenting assessments went live in May 2012."),
        ("Prevention from harm", "initiation", "A draft brief is being reviewed by senior managers in social care and "
                                               "health."),
    ]),
    ("4", "Integrating frontline practice", [
        ("Remodelling, including co-location", "on_schedule", "Co-location and workforce development are being split."),
        ("Multi-agency workforce development", "initiation", "Newly formed work package."),
        ("Integrated working, early help", "initiation", "Will start after the session introducing the outline "
                                                         "framework on CIN and early help."),
        ("Intensive family support services", "closing_down", "Will enter close down subject to the feedback from an "
                                                              "external review."),
        ("The child's journey", "closing_down", "Entering close down subject to more evaluation of its impact."),
        ("Improving infrastructure for receiving referrals", "on_schedule", "The safeguarding hub is fully "
                                                                            "operational."),
        ("Improving the response to domestic violence", "closed", "Taken forward by community safety."),
        ("Outcomes Star performance measurement", "initiation", "Piloting begins in July."),
    ]),
    ("5", "Improving the quality and management of child protection", [
        ("Developing local child protection policy and guidance", "initiation", "In the early stages."),
        ("Developing and implementing assessment tools", "merged", "A single standard risk assessment tool has been "
                                                                   "agreed and begun to be implemented."),
        ("Developing and implementing the quality assurance framework", "on_schedule", "The first phase is nearing "
                                                                                       "completion."),
        ("Review all existing child protection plans", "on_schedule", "Begun with the pilot of the new audit tool."),
        ("Review emergency duty service arrangements", "initiation", "Led by health as lead commissioner; a work "
                                                                     "package lead has been identified."),
    ]),
    ("6", "Development of governance", [
        ("Partnership responsibilities and raising awareness of safeguarding", "on_schedule",
         "Both underway and on schedule."),
        ("Commissioning for improved safeguarding standards", "initiation", "A brief is under development."),
    ]),
    ("7", "Involving the community and using knowledge and skills", [
        ("Creating the book", "disbanded", "There were no serious case review actions underpinning this work."),
        ("Childhood poverty including corporate responsibility", "on_schedule",
         "The strategy goes to council in July."),
        ("Developing social capital", "on_schedule", "Started; 7 programmes have been funded."),
        ("Community directory", "on_schedule", "On track and ahead of schedule."),
    ]),
]
MERGES = {"5.2": "3.4"}  # seed 003 §2.20: merged into Project 3 – Prevention from harm


def _projects(programme) -> None:
    order = 0
    made = {}
    for number, title, packages in PROJECTS:
        order += 1
        proj = Project.objects.create(programme=programme, order=order, number=number, title=title,
                                      state=ProjectState.ON_SCHEDULE, state_on=REPORT_DAY)
        ProjectStateChange.objects.create(project=proj, state=ProjectState.ON_SCHEDULE, on=REPORT_DAY)
        for n, (wp_title, state, reason) in enumerate(packages, start=1):
            order += 1
            made[f"{number}.{n}"] = Project.objects.create(programme=programme, parent=proj, order=order,
                                                           number=f"{number}.{n}", title=wp_title,
                                                           state=ProjectState.INITIATION)
            made[f"{number}.{n}"]._demo = (state, reason)
    for number, wp in made.items():
        state, reason = wp._demo
        services.set_project_state(wp, state, on=REPORT_DAY, reason=reason, merged_into=made.get(MERGES.get(number)))


# ------------------------------------------------------------------------------ self-assessment
def _hicm(programme) -> Framework:
    fw = Framework.objects.create(
        programme=programme, name="High Impact Change Model: managing transfers of care", levels=list(LEVELS),
        description="Eight changes that help local health and care systems reduce delayed transfers of care.")
    save_items(fw, [ItemDraft(code, title, desc, 0, [list(r) for r in rows]) for code, title, desc, rows in CHANGES])
    a = Assessment.objects.create(framework=fw, assessed_on=D(2017, 9, 4), title="Self-assessment for the CQC review")
    items = list(fw.items.all())
    for name, level, where, todo, when, success in ASSESSMENT:
        key = name.lower().replace("-", " ").replace("/", " ").split()[:2]
        item = next(i for i in items if i.title.lower().replace("-", " ").replace("/", " ").split()[:2] == key)
        AssessmentEntry.objects.create(assessment=a, item=item, level=level, evidence=where, next_steps=todo,
                                       when_text=when, success=success)
    return fw


def _reporting_calendar(programme, cib: Board, pddg: Board) -> None:
    """Seed 001's board reads the highlight report, risk register and tracker; seed 000's decision group
    the committee report (its 9 October 2017 papers went out on 29 September: five clear working days).
    The February 2020 board's pack is a draft linked to its meeting (approve by 3 February 2020)."""
    from oversight.reports.models import BoardPack

    ReportingRule.objects.create(board=cib, reports=["highlight", "risks", "tracker"], publish_clear_days=5,
                                 approve_days_before=2)
    ReportingRule.objects.create(board=pddg, reports=["committee"], publish_clear_days=5, approve_days_before=2)
    feb = Meeting.objects.get(board=cib, date=D(2020, 2, 13))
    pack = BoardPack.objects.filter(programme=programme, meeting_date=feb.date).order_by("-version").first()
    if pack is None:
        version = (BoardPack.objects.filter(programme=programme).order_by("-version")
                   .values_list("version", flat=True).first() or 0) + 1
        pack = BoardPack.objects.create(
            programme=programme, period_end=D(2020, 1, 31), version=version,
            title=f"{programme.name}: board pack January 2020", meeting=cib.name, meeting_date=feb.date,
            report_title=f"{programme.name}: progress report January 2020")
    PackForMeeting.objects.update_or_create(meeting=feb, defaults={"pack": pack})


@transaction.atomic
def load_demo_governance(programme) -> str:
    """(Re)load the demo's governance records; returns a line for the demo command to print."""
    for model in (Board, Visit, WorkProgramme, Project, Framework, StatutoryPlan):
        model.objects.filter(programme=programme).delete()
    people = _board_people(programme)
    cib = _cib(programme, people)
    pddg = _pddg(programme)
    visits = _visits(programme)
    # The January 2020 board's first action arising became a plan action under leadership and governance.
    theme = Theme.objects.filter(programme=programme).order_by("order").first()
    first = ActionArising.objects.filter(meeting__board=cib, meeting__date=D(2020, 1, 9)).order_by("order").first()
    if theme is not None and first is not None:
        services.arising_to_action(first, theme)
    _reporting_calendar(programme, cib, pddg)
    _work_programme(programme, visits, pddg)
    _projects(programme)
    fw = _hicm(programme)
    from .layouts import YOUTH_JUSTICE_2017
    from .statutory import create_from_template

    yjp = create_from_template(programme, "youth_justice", "Annual Youth Justice Plan", "2017/18", YOUTH_JUSTICE_2017)
    return (f"Governance loaded: {Board.objects.filter(programme=programme).count()} boards, "
            f"{Meeting.objects.filter(board__programme=programme).count()} meetings, "
            f"{len(visits)} inspections and visits, 1 work programme, "
            f"{Project.objects.filter(programme=programme).count()} projects and work packages, "
            f"framework \"{fw.name}\", {yjp.title} {yjp.period_text}.")
