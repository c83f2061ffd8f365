"""Plan templates: statutory plans with the same shape as the improvement plan but their own column
names and sections (seed 000's youth justice plan: outcomes plan, service plan, risk register,
budget tables). A template is data; a plan made from it keeps its rows in the template's layout
and is imported and exported (Excel, JSON) in that layout, one sheet per section.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionLayout:
    key: str
    title: str
    sheet: str  # Excel allows 31 characters for a sheet name
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    sections: tuple[SectionLayout, ...]

    def section(self, key: str) -> SectionLayout | None:
        return next((s for s in self.sections if s.key == key), None)


LAYOUTS: dict[str, Layout] = {
    "youth_justice": Layout("youth_justice", "Youth justice plan", (
        SectionLayout("outcomes", "Youth Justice Outcomes Plan", "Outcomes Plan",
                      ("Outcome", "Risk", "Plan", "Who", "By When")),
        SectionLayout("service", "Service Plan", "Service Plan",
                      ("Area for Improvement", "Action", "Success Criteria", "Responsible", "Deadline")),
        SectionLayout("risks", "Risk Register", "Risk Register", ("Risk", "Mitigation")),
        SectionLayout("budget", "Table 1: Partner contributions to the youth offending partnership pooled budget",
                      "Table 1 Partner contributions",
                      ("Agency", "Staffing costs (£)", "Payments in kind – revenue (£)", "Other delegated funds (£)",
                       "Total (£)")),
        SectionLayout("grant", "Youth Justice Grant Spending", "Grant spending", ("Item", "Amount")),
    )),
    "improvement_tracker": Layout("improvement_tracker", "Improvement action tracker (seed 000's columns)", (
        SectionLayout("actions", "Improvement Action Tracker", "Tracker",
                      ("NOS", "What?", "Who?", "How?", "When?", "Success measures", "Current Status", "Outcome")),
    )),
}

LAYOUT_CHOICES = [(k, v.name) for k, v in LAYOUTS.items()]

#: Seed 000's Annual Youth Justice Plan 2017/18 (appendix 1 of the 9 October 2017 agenda pack), as printed.
YOUTH_JUSTICE_2017 = {'budget': [['Local authority*', '214, 143', 'n/a', '13, 257', ''],
            ['Police Service', 'n/a', 'n/a', '', ''],
            ['National Probation Service', '17, 557', '4, 709', '292', ''],
            ['Health Service', '15, 394', 'n/a', '953', ''],
            ['Police and crime commissioner**', '61, 296', 'n/a', '3, 795', ''],
            ['Welsh Government', 'n/a', 'n/a', 'n/a', ''],
            ['YJB Youth Justice Grant (YRO Unpaid Work Order is included in this grant)',
             'n/a',
             '177, 713',
             '11, 002',
             ''],
            ['Other- Joint Commissioning', '66, 919', 'n/a', '4143', ''],
            ['Total', '540 173', '33, 442', '', '573 615']],
 'grant': [['YOT Manager 0.4 FTE', '£27, 141'],
           ['Practice Managers 1.8 FTE', '£99, 407'],
           ['1.5 Youth Justice Workers', '£58, 959'],
           ['£3208 towards £11, 000 software costs', '£3208'],
           ['Total Grant', '£188, 715']],
 'outcomes': [['First Time Entrants',
               'Rate of First Time Entrants per population is higher than the national average. Risk of this '
               'pattern continuing. No ongoing performance management',
               'Measure effectiveness of Early Help in respect of preventing offending. Utilise data from '
               'Supporting (Troubled) Families to identify and target work with partners Benchmark against '
               'statistical neighbours',
               'YOT Manager, YOT Practice Manager, and Performance Manager',
               'Data by January 2018 Further planning by March 2018'],
              ['Re-Offending',
               'Service to maintain low re-offending rate. No current data',
               'Identify positive practice in relation to reducing re-offending. Use of re-offending toolkit '
               'Training for Performance Manager Collaborative work with Devon and Plymouth Youth Offending Teams.',
               'YOT Manager and Performance Manager',
               'Data by January 2018 Further planning by March 2018'],
              ['Use of custody',
               'Service to maintain low numbers of young people in custody',
               'Continued use of qualitative information to inform service development via post-custody reviews '
               'Continued links with partners to offer viable alternatives to custody Analysis of risk of custody '
               'cases to identify best practice',
               'YOT Practice Managers',
               'Ongoing Ongoing']],
 'risks': [['Reduction in the amount of time allocated to the YOT Manager Role',
            'Two experienced practice managers are in post and able to ensure quality of work within the Youth '
            'Offending Team. Provides opportunities for closer integration with early help. Provides clarity on '
            'YOT pooled budget.'],
           ['Ensuring a local offer alongside the Joint Management Board',
            'Provision of occasional Local Boards Production and review of individual Youth Justice Plans'],
           ['Limited Performance Management Capacity- have not been able to adopt the re-offending toolkit.',
            'Ongoing training and development for Performance Manager and Business Support Staff. Working with '
            "local YOT's to share resources and implement the Re-Offending Toolkit."],
           ['Unpredicted increase in Intensive Support and Surveillance creating budget pressure.',
            'Potential to change working patterns across the weekend in line with Local Authority contract '
            'changes.\n'
            'Closer links with Early Help may provide resources.\n'
            'Closer links with Torbay Youth Trust may develop opportunities.'],
           ['No remand budget',
            "Remand budget absorbed into LAC placements budget. Work with Placements team and Children's Social "
            'Care to reduce the need for remand where possible.']],
 'service': [['Increase in Child to Parent Violence',
              'Staff trained in accredited interventions in relation to Child to Parent Violence',
              'Reduction in repeat Child to Parent violence for known young people.',
              'YOT Practice Managers',
              'April 2018'],
             ['',
              'Child to Parent Violence to be integrated into Torbay local strategy',
              'Reduction in Child to Parent violence in First Time Entrants cohort',
              'YOT Practice Managers and Domestic Abuse Coordinator',
              'April 2018'],
             ['Improve governance and viability of YOT through Joint Board. Improve overall practice and make '
              'efficiencies in sharing resources.',
              'Develop joint YOT Board with Plymouth and Devon',
              'Functioning YOT Board',
              'YOT Manager',
              'April 2018'],
             ['Ensure that all actions from National Standards Audit result in sustained improvement in relation '
              'to work in the Courts.',
              'Maintain practice changes in relation to Court processes and recording',
              'Re-run National Standards Audit',
              'YOT Practice Manager',
              'April 2018'],
             ['Develop Feedback tool to replace ViewPoint survey',
              'Use best practice tools to ensure young people influence service development.',
              '50% of Young People known to YOT providing feedback',
              'YOT Practice Manager',
              'April 2018'],
             ['Ensure that there is an effective Quality Assurance process following Asset Plus implementation '
              'support ending',
              'Develop QA process and policy',
              'Ongoing good quality assessments, plans and interventions with young people',
              'YOT Manager',
              'April 2018'],
             ["Understand Young People in the Youth Justice System's needs in relation to ASD",
              'Produce Health Needs Assessment for Young Offenders',
              'Measurable indicators for improving the health of the YOT cohort',
              'Public Health and Clinical Commissioning Group',
              'April 2018'],
             ['Develop Youth Justice response to Violence with Injury and Violence without Injury',
              'Engage with Devon and Cornwall police on developing a strategy',
              'Reduction in "violence" crimes',
              'Devon and Cornwall Police Torbay Youth offending Team',
              'April 2018']]}
