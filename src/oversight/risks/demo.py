"""The demo programme's registers: seed 001's eight risks, four concerns and four developments.

Texts are the highlight report's own, with people shown by role (the demo's ``Person`` records,
keyed by the initials in ``plans.demo.ROLES``), never by the names in the paper, and the place
name left out as the plan demo does. Probabilities, impacts and "by when" words are exactly
the seed's; a score is never written here: it is probability × impact.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from oversight.plans.models import Action, Person, Programme
from oversight.plans.when import parse_due

from .models import Concern, Development, Risk, RiskAssessment
from .services import raised_date

RAISED = "January 2020"

# ref, description, mitigation, probability, impact, [action refs], [indicator ids]
RISKS = [
    ("1", "If the service response is inadequate, then children may come to significant harm.",
     "Robust monitoring and oversight of casework. Effective performance management and quality assurance "
     "framework, and robust governance. Staff development to ensure correct skills level.", 4, 5,
     ["2.6.1", "2.6.2", "4.1.1"], ["cp_visit_10wd_pct", "assessments_45wd_pct"]),
    ("2", "If skilled and experienced staff leave the organisation as a result of rapid change activity, then "
          "there may be capacity issues within the service.",
     "Ensure that staff are supported through change. Provide effective workforce development opportunities. "
     "Recruitment and retention strategy put in place.", 4, 4, ["3.1.1", "3.1.2"], []),
    ("3", "If new staff cannot be recruited, then there may be capacity issues within the service.",
     "Recruitment and retention strategy: ensure pay and benefits are competitive and robust approach to "
     "recruitment advertising targeted in the right areas.", 4, 4, ["3.1.1"], []),
    ("4", "If there is low level compliance with the model of social work and statutory requirements, then "
          "children may come to significant harm.",
     "A training programme has been put in place for all staff to ensure there is a clear understanding of the "
     "model of social work, and statutory requirements.", 3, 5, ["2.6.1"],
     ["cp_review_timely_pct", "cla_review_timely_pct"]),
    ("5", "If the pace of progress in implementing the improvement plan is not fast enough to meet the "
          "requirements for 'good' by April 2021, then Ofsted may subject the service to additional measures.",
     "Ensure sufficient resourcing of improvement plan. Rigorous and systematic monitoring of improvement plan; "
     "performance management and quality assurance framework", 5, 5, ["1.1.1", "1.1.3"], []),
    ("6", "If the quality of the data is poor, then it may result in inaccurate performance monitoring and "
          "analysis.",
     "Data cleansing of existing data; Implementation of robust use of child level data by team managers; data "
     "quality reports; action by managers to ensure that data entered into case management system is accurate",
     3, 4, ["1.1.4", "4.2.1"], ["assessments_open_over_45wd"]),
    ("7", "If the council's political leadership are not fully engaged or aware of their roles and "
          "responsibilities in relation to children's services, then there may be a lack of appropriate scrutiny "
          "and accountability.",
     "A training seminar will be organised for all members to increase their knowledge around the potential "
     "social care journey of the child.", 3, 4, ["1.1.2"], []),
    ("8", "If partners are not fully engaged or aware of their roles and responsibilities in relation to the "
          "improvement activities, then some improvement actions may not be achieved.",
     "Senior leadership from key partners are members of the Children's Services Improvement Board to ensure they "
     "are involved in the strategic development and oversight of their agency's involvement.", 3, 4, [], []),
]
#: Every risk in seed 001 is owned by the senior responsible officer: the DCS in the demo.
RISK_OWNER = "DCS"

# ref, description, owner initials, owner as written (roles, when more than one), by when
CONCERNS = [
    ("1", "Recruitment & Retention - Progress to establish a permanent workforce is slow but the impact of this is "
          "being reduced due to the stability of the present agency staff working within the service. Staff vacancy "
          "rates remain high - particularly within the SATs team (78%) but also the SAFS team which has a vacancy "
          "rate of 43%. The recruitment and retention campaign is underway with a revised social work offer being "
          "finalised in early February 2020. The establishment of a Learning academy will bring with it the "
          "benefits of a 3 year social work development model to support both recruitment and retention.",
     "WF", "", "Ongoing"),
    ("2", "Quality Assurance - this is an area that we have received on going challenge from the regulators. "
          "Previously, all aspects of the quality assurance framework has not given the assurance that practice is "
          "improving or children have been safeguarded. We have revised the framework and implemented a schedule "
          "of dip sampling and audit activity which is focused on impact and outcomes for children. While quality "
          "assurance has a scrutiny role, it also has a supportive and educative function; by describing what good "
          "practice looks like, identifying areas for improvement and responding with appropriate action to raise "
          "standards.",
     "HOS-QA", "", "Quarterly Reporting on QA activity"),
    ("3", "Exploitation - The council has not previously responded to those children at risk of exploitation in a "
          "coordinated and robust manner. As such this has been heavily criticised by the regulators, not only in "
          "the inspection reports but also the on going monitoring visits. We have undertaken to review all the "
          "processes and establish clear expectation in response to those children at risk of exploitation. We "
          "have also undertaken training in order that professionals can identify children at risk of "
          "exploitation, this is resulting in a better coordinated approach but their is much more to be done in "
          "this area.",
     "HOS-SASF", "", "6 weekly reporting to the Improvement Board on progress."),
    ("4", "Sufficiency - We continue to have too many children in care, too many placed over 20 miles from home "
          "and use a high number of residential placements including a number for very young children (under the "
          "age of 11). In order to mitigate this situation, since the implementation of the revised Improvement "
          "Plan in October 2019, we have focused on this area. We have implemented a new sufficiency strategy. "
          "There are 5 workstreams established to support the implementation of the strategy, which are led by the "
          "Heads of Service, and coordinated by the independent improvement adviser. A sufficiency Board has been "
          "set chaired by the DCS, which reports into the Transformation Board. The Sufficiency Board meets at "
          "regular intervals to oversee the direction of the five sub- Edge of Care, Fostering, Residential and "
          "Care Leavers, Permanence, Learning Academy. To be successful we will need whole system sign up to the "
          "goals and political support as it is likely there will be some 'invest to save' demands. The imminent "
          "service redesign will support this work (and vice versa) and the SPB and other similar partnership "
          "boards will need to be engaged and supportive.",
     "IA", "", "Cabinet Reports - March 2020"),
]

DEVELOPMENTS = [
    ("1", "Social Work Model - we are currently considering replacing Signs of Safety as the preferred social work "
          "model with a revised relationship based model. We have been very conscious that this change needs to be "
          "fully understood by the workforce and partners and that they need to be fully engaged in the "
          "development process. We are also acutely aware that the social care workforce have vocalised the need "
          "to reconsider the social work model and are responding directly to this request. However, we "
          "acknowledge the amount of training and scrutiny the workforce is under as part of the improvement "
          "journey so it is therefore critical to avoid 'training overload'. In order to address these issues we "
          "have adopted a managed approach to maximise the probability of a successful transition to the new "
          "model.",
     "DCS", "Director of Children's Services / Independent Improvement Adviser", "September 2020"),
    ("2", "Permanence - we acknowledge that as a authority we have not always responded to achieving permanence "
          "for our looked after children as swiftly as we should. We need to provide more targeted support and "
          "manager interventions to ensure more of our looked after children have the stability and security that "
          "is offered by legal permanence. We are acutely aware that our next monitoring visit will be focussed on "
          "this area - as such this is a priority for this service to establish mechanisms to performance manage "
          "these arrangements.",
     "HOS-CLA", "", "Ongoing"),
    ("3", "Early Help - Early help will be a particular area of focus in the medium term. There is a significant "
          "piece of work being undertaken by PeopleToo which will shape our early help offer. Early intervention is "
          "a key theme, our cohort of Looked after Children are older which makes provision of service more "
          "complex. The outcomes for this age range are also less positive. There will be a focus on earlier "
          "intervention, and while there is an understandable desire to keep children at home if at all possible, "
          "this cannot be at all cost as such we need to ensure that aligned to the Early Help is a robust Edge of "
          "Care Service.",
     "HOS-MASH", "Head of Service MASH / Single Assessment / Director of Children's Services",
     "New model to be implemented by September 2020"),
    ("4", "Looked After Children and Care Leavers - There will need to be a particular focus on the areas of the "
          "service which is rated as Requires Improvement as the improvement plan develops.",
     "DCS", "", "April 2021"),
]


@transaction.atomic
def load_demo_risks(programme: Programme) -> str:
    """Seed 001's registers for the demo programme (replacing any it has); returns a line for the console."""
    programme.risks.all().delete()
    programme.concerns.all().delete()
    programme.developments.all().delete()
    people = {p.initials: p for p in Person.objects.filter(programme=programme)}
    actions = {a.ref: a for a in Action.objects.filter(recommendation__theme__programme=programme)}
    raised_on = raised_date(RAISED)  # 1 January 2020
    assessed_on = dt.date(2020, 1, 27)  # the date of the report (seed 001: 27/01/20)
    for ref, description, mitigation, probability, impact, action_refs, indicators in RISKS:
        risk = Risk.objects.create(
            programme=programme, ref=ref, kind="risk", description=description, mitigation=mitigation,
            raised_on=raised_on, raised_text=RAISED, owner=people.get(RISK_OWNER), probability=probability,
            impact=impact, indicators=indicators,
        )
        risk.actions.set([actions[r] for r in action_refs if r in actions])
        RiskAssessment.objects.create(risk=risk, assessed_on=assessed_on, probability=probability, impact=impact,
                                      note="Scored for the highlight report to the Improvement Board",
                                      by_name=people[RISK_OWNER].role if RISK_OWNER in people else "")
    for model, rows in ((Concern, CONCERNS), (Development, DEVELOPMENTS)):
        for order, (ref, description, initials, owner_text, by_when) in enumerate(rows, start=1):
            model.objects.create(programme=programme, ref=ref, description=description, owner=people.get(initials),
                                 owner_text=owner_text, by_when_text=by_when, by_when=parse_due(by_when),
                                 order=order)
    return (f"Risks and issues: {len(RISKS)} risks, {len(CONCERNS)} key areas of concern, "
            f"{len(DEVELOPMENTS)} medium-term developments (seed 001).")
