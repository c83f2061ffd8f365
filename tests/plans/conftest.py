"""Builders for plan files: small Excel and Word plans made in the test's own folder.

The rows are the councils' published plan texts (seed 000's Improvement Action Tracker, actions
1.3, 1.6, 1.7 and 2.1; seed 002's action plan, recommendations 2.1–2.3, 2.5 and 2.7 with its KEY),
laid out as the officers laid them out: a title row, repeated headers and page furniture where a
page broke, continuation rows, and the "Actions Completed As At" part. No child data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TRACKER_HEADER = ["NOS", "What?", "Who?", "How?", "When?", "Success measures", "Current Status",
                  "Outcome – (report for Q1, Q2, Q3, Q4)"]
FURNITURE = "Torbay Children's Services: Improvement Action Tracker"


def _row(*cells: str) -> list[str]:
    return list(cells) + [""] * (8 - len(cells))


TRACKER_ROWS: list[list[str]] = [
    _row(FURNITURE),
    TRACKER_HEADER,
    _row("1", "CHILDREN IN NEED OF HELP OF PROTECTION"),
    _row("1", "Ensure that assessments are timely, proportionate and effectively identify the risks and needs "
              "and protective factors, leading to appropriate and measurable plans"),
    _row("1.6", "Consistent application of CP thresholds and CP process", "Head of Service MASH/ SA",
         "• Performance reporting to capture Heads of Service oversight\n"
         "• Head of Service oversight of Sec 47 going to ICPC",
         "Sept - Nov 2017",
         "Evidence from performance reporting and case file audits will indicate correct threshold.",
         "ONGOING",
         "HoS automatically notified on all section 47s completed including those potentially returning to a "
         "Plan for a second time. 9.12.16."),
    _row("", "", "Head of Service SASF",
         "• Ensure that core groups are developing child protection plans. (OFSTED DEC 2016)\n"
         "• Training to IROs on what is expected and what they should be challenging.\n"
         "• Review of all CP that has ended at 3 mths (in last 6 mths)",
         "From Jan 2017 and ongoing\nBy end Sept 17",
         "To be evidenced in case file auditing; picked up by IROs in DRPs and by Lead IRO/HOS in IRO "
         "effectiveness audits.",
         "PART COMPLETED",
         "Audit activity has revealed some inconsistency around the function of core groups and this has been "
         "addressed in the service concerned. (9.2.2017)"),
    _row("1.7", "Reduce number of single assessments that result in no further intervention",
         "Head of Service MASH/ SA\nHead of Service SASF",
         "• Within Performance Management implement measure to track proportion of assessment stepped down.",
         "By end Sept 17", "2 % target reduction from current baseline", "REVIEW", ""),
    _row("2", "Ensure that timely decisions are made on contacts and referrals and that initial visits to "
              "children are prompt"),
    _row("2.1", "All contacts/referrals to be screened within 24 hours.", "Head of Service MASH/ SA",
         "• Performance reporting to specify distribution of working days from contact to referral outcome.",
         "Phase 2", "Correct intervention at appropriate", "REVIEW",
         "The 2nd phase of performance data showing service and team manager's"),
    _row("Page 53"),
    _row(FURNITURE),
    TRACKER_HEADER,
    _row("Page 54", "", "", "• Performance reporting to specify 24hrs and 48hrs", "Phase 3",
         "threshold will be applied.", "",
         "views will be launched on 13/12/12. 9.12.16\n"
         "In February 2017, over 80% of contacts had a decision within 24 hours. (31 March 2017)\n"
         "To maintain target of 85% in 24 hrs but to ensure appropriate % decision – audit of MASH"),
    _row(FURNITURE),
    _row("Actions Completed As At 1st September 2017"),
    TRACKER_HEADER,
    _row("Page 76 1.3", "Child's record identifies risk, needs and protective factors",
         "Head of Service MASH/ SA\nHead of Service SASF",
         "• Performance reporting to specify working days from strategy meeting outcome to conclusion of S47.",
         "Phase 1 completed",
         "Target – 95% all CP investigations completed within timescales.",
         "COMPLETED",
         "Phase 2 of performance monitoring launching 13/12/16. 9.12.16 This is a measure where we are "
         "consistency above 90% - this continues to be monitored at monthly performance meetings. "
         "(31 March 2017)"),
    _row("1.6 Page 79", "Consistent application of CP thresholds and CP process",
         "Head of Service MASH/ SA\nHead of Service SASF",
         "• Heads of Service to comply with management oversight appendix to Scheme of Delegation in relation "
         "to S47 authorisation.",
         "Dec 2016", "This should be evidenced in case file audits.", "COMPLETED",
         "The number on plans has risen significantly since July 2017."),
    _row("", "", "",
         "• Further child Protection training to be facilitated for all Team Managers and Chairs / IROs.",
         "Mar2017", "All staff are clear about thresholds.", "ONGOING",
         "Further CP Training to be facilitated with Improvement Partner."),
    _row("", "Ensure that timely decisions are made on contacts and referrals and that initial visits to "
             "children are prompt"),
    _row("Page 80 2.1", "All contacts/referrals to be screened within 24 hours.", "Head of Service MASH/ SA",
         "• MASH operational procedures to be written and implemented within the MASH.", "Oct 15",
         "Circulated to staff, understood and implemented.", "COMPLETED", ""),
]

ACTION_PLAN_HEADER = ["Rec No", "Recommendation", "Service Area", "Action", "Progress/Outcome/Measure",
                      "Time Scale", "Resources (additional revenue in bold)", "Lead Person"]
#: Seed 002 repeats its header on each page with the "Rec No" cell left blank.
ACTION_PLAN_HEADER_AGAIN = [""] + ACTION_PLAN_HEADER[1:]

ACTION_PLAN_ROWS: list[list[str]] = [
    _row("CSCI Inspection of Children's Services – Improvement Action Plan"),
    _row("Recommendations – National Priorities and Strategic Objectives"),
    ACTION_PLAN_HEADER,
    ["2.1", "Senior Managers and Councillors should ensure that there is sufficient planning and development "
            "capacity to ensure operational managers are not diverted from key operational tasks.", "All",
     "• Recruit to Policy and Planning Co-ordinator and Project Officer role within new Children's Services "
     "structure.\n"
     "• Change Fund Grant to be used to enhance planning and development capacity by buying in sessional work.\n"
     "• Expansion of Child Protection Unit to develop safeguarding strategies using Safeguarding Grant.",
     "• Policy and Service Development Co-ordinator in post by May 2005.\n"
     "• Organisation and Policy Services Section set up within Children's Services.\n"
     "• Expansion of Child Protection Unit to deliver Safeguarding developments.",
     "June 2005\nApril 2005\nMay 2005", "• Change Fund Grant £41k.", "TC MD"],
    ["2.2", "Senior Managers and Councillors should ensure that joint commissioning is properly developed with "
            "the necessary capacity and expertise to support it.", "All",
     "• Review of commissioning arrangements within Children's Services Directorate and with PCT.\n"
     "• Develop and implement joint commissioning strategy in partnership with PCT for all complex and "
     "independent sector placements.\n"
     "• Finance and Resources task group to be set up to pull together information required for pooled "
     "resources (including budgets) and joint commissioning.",
     "• CFC Finance and Resources Task Group set up and Action Plan being developed.",
     "April 2005\nJuly 2005\nJuly 2005", "• Officer time", "VC/SG/ MR"],
    ["2.3", "Senior Managers should conclude the work started on the consultation and completion of a detailed "
            "children's services integration plan by September 2005.", "All",
     "• Implement Integration Project Plan to create Children's Services by April 2005.\n"
     "• Implement Change for Children Project Plan.",
     "• Initial Project Plan implemented – Children's Services Directorate functional from 1st April 2005",
     "1 st phase completed May 2005", "• See Integration Project Plan", "TS See Various Task Group Leads"],
    ["2.5", "The Area Child Protection Committee/Local Children's Safeguarding Board should develop a clear "
            "sense of purpose and direction over joint accountability.", "ACPC",
     "• ACPC Workshop – moving to local Safeguarding Children's Board in Torbay – 19th April 2005.\n"
     "• Agree formal structure for LSCB to fit into the wider integrated Children's Trust Board.\n"
     "• Identify objectives/issues which may be better met regionally rather than locally.\n"
     "• Consider strengths and weaknesses of existing ACPC to ensure LSCB is fully effective.\n"
     "• Develop and implement LSCB Action Plan",
     "• Workshop completed.", "Completed",
     "• Various using Safeguarding Children's Grant", "VC/JE"],
    ["", "", "", "", "", "Completed", "", "MD"],
    ["", "", "", "", "", "June 2005", "", "VC"],
    ["", "", "", "", "", "June 2005", "", "VC"],
    ["", "", "", "", "", "April2006", "", "MD"],
    _row("Effectiveness of Service Delivery and Outcomes"),
    ACTION_PLAN_HEADER_AGAIN,
    ["2.7", "Senior Managers should consider extending the capacity of the Family Group Conference Service as a "
            "means of diverting more children from care.", "Children in Need",
     "• Review of current service provided.\n"
     "• Expand Family Group Conferencing Project to all children within Children in Need and Permanency "
     "Planning Service.",
     "• Initial review of service undertaken by Project Manager.", "March 2005\nSept 2005", "• £62k", "VC"],
]

#: Cells of ACTION_PLAN_ROWS whose text is bold: resources that are additional revenue.
ACTION_PLAN_BOLD = {(3, 6), (13, 6)}

KEY_ROWS = [
    ["KT", "Keith Thompson", "Acting Special Needs Services Manager"],
    ["LB", "Lindy Brown", "Operations Manager Children in Need"],
    ["MD", "Margaret Dennison", "Director of Social Inclusion"],
    ["MR", "Matt Redwood", "Assistant Director Resources"],
    ["NB", "Nikki Bedwell", "Finance Manager"],
    ["SG", "Siobhan Grady", "Associate Director of Public Health"],
    ["TC", "Terry Connolly", "Director of Learning and Resources"],
    ["TS", "Tony Smith", "Chief Executive Designate Children's Services"],
    ["VC", "Vincent Clark", "Assistant Director Children's Services"],
]


def write_xlsx(path: Path, rows: list[list[str]], *, sheet: str = "Tracker", key: list[list[str]] | None = None,
               bold: set[tuple[int, int]] | frozenset = frozenset(), title: str | None = None) -> Path:
    """An Excel plan: optional title row, the rows as given, an optional "Key" sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    offset = 0
    if title:
        ws.append([title])
        offset = 1
    for r in rows:
        ws.append(r)
    for ri, ci in bold:
        ws.cell(row=ri + 1 + offset, column=ci + 1).font = Font(bold=True)
    if key is not None:
        ks = wb.create_sheet("Key")
        ks.append(["Initials", "Name", "Role"])
        for r in key:
            ks.append(r)
    wb.save(path)
    return path


def _fill_cell(cell, text: str, bold: bool, word_bullets: bool) -> None:
    lines = text.split("\n") if text else [""]
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if word_bullets and line.startswith("• "):
            p.style = "List Bullet"
            line = line[2:]
        run = p.add_run(line)
        if bold:
            run.bold = True


def write_docx(path: Path, blocks: list, *, key: list[list[str]] | None = None, word_bullets: bool = True,
               bold: set[tuple[int, int]] | frozenset = frozenset(), merge_single: bool = True) -> Path:
    """A Word plan. ``blocks`` are paragraphs (str) and tables (lists of rows), in order.

    Rows with a single filled cell are written as one merged cell across the row, as Word
    users do for headings; bullets become Word list paragraphs; ``bold`` marks (row, col)
    of the whole stream of table rows, counted across tables.
    """
    from docx import Document

    doc = Document()
    counter = 0
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
            continue
        ncols = max(len(r) for r in block)
        table = doc.add_table(rows=len(block), cols=ncols)
        table.style = "Table Grid"
        for ri, row in enumerate(block):
            filled = [i for i, t in enumerate(row) if t]
            cells = table.rows[ri].cells
            if merge_single and len(filled) == 1:
                start = filled[0]
                cells[start].merge(cells[ncols - 1])
                _fill_cell(table.rows[ri].cells[start], row[start], False, word_bullets)
            else:
                for ci, text in enumerate(row):
                    _fill_cell(cells[ci], text, (counter + ri, ci) in bold, word_bullets)
        counter += len(block)
    if key is not None:
        doc.add_paragraph("KEY:")
        table = doc.add_table(rows=len(key), cols=3)
        for ri, row in enumerate(key):
            for ci, text in enumerate(row):
                table.rows[ri].cells[ci].text = text
    doc.save(str(path))
    return path


def split_at(rows: list[list[str]], *indices: int) -> list[list[list[str]]]:
    """The rows cut into several tables, as a Word document breaks a long plan across pages."""
    cuts = [0, *indices, len(rows)]
    return [rows[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


@pytest.fixture
def tracker_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "tracker.xlsx", TRACKER_ROWS)


@pytest.fixture
def tracker_docx(tmp_path: Path) -> Path:
    # The tracker broken into three Word tables at its page breaks, with furniture between them.
    first, second, third = split_at(TRACKER_ROWS[1:], 9, 13)
    return write_docx(tmp_path / "tracker.docx", [FURNITURE, first, "Page 53", second, third])


@pytest.fixture
def action_plan_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "action-plan.xlsx", ACTION_PLAN_ROWS, sheet="Action plan", key=KEY_ROWS,
                      bold=ACTION_PLAN_BOLD)


@pytest.fixture
def action_plan_docx(tmp_path: Path) -> Path:
    return write_docx(tmp_path / "action-plan.docx", [ACTION_PLAN_ROWS], key=KEY_ROWS, bold=ACTION_PLAN_BOLD)


class PlanFiles:
    """The builders and seed rows, handed to tests as the ``plan_files`` fixture."""

    TRACKER_HEADER = TRACKER_HEADER
    TRACKER_ROWS = TRACKER_ROWS
    FURNITURE = FURNITURE
    ACTION_PLAN_HEADER = ACTION_PLAN_HEADER
    ACTION_PLAN_ROWS = ACTION_PLAN_ROWS
    ACTION_PLAN_BOLD = ACTION_PLAN_BOLD
    KEY_ROWS = KEY_ROWS
    row = staticmethod(_row)
    write_xlsx = staticmethod(write_xlsx)
    write_docx = staticmethod(write_docx)
    split_at = staticmethod(split_at)


@pytest.fixture
def plan_files() -> type[PlanFiles]:
    return PlanFiles
