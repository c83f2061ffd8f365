"""Cut a story into Annex A rows, applying each list's reporting window.

Windows (research spec §1.2, as the D2I extract applies them):
- List 1 contacts and List 3 referrals: dated in the 6 months before the as-at date, [W0, R]
  (W0 = R − 6 calendar months, included, as the D2I extract and the loader's window check do);
- List 2 early help and List 4 assessments: open at any time in those 6 months (not finished
  before W0), so the first reported month has completions and overdue work too;
- List 5 S47s: started in the 6 months, or with their ICPC in them (so a plan that starts early
  in the window still has its S47 row);
- Lists 6–8: open at the as-at date, or closed in the 6 months;
- List 9: care leavers entitled at the as-at date;
- Lists 10–11: adoption events, or adopter activity, in the 12 months before, [Y0, R].

Rows are dicts keyed by the canonical column names of ``docs/annex-a-tables.md``; counts that
Annex A asks for ("in the last 12 months") are computed from the story, so they include the
row's own event (as ``INDICATORS.md`` assumes for re-referrals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from oversight.engine.synth.dates import add_months, age_on
from oversight.engine.synth.journeys import JourneyBuilder
from oversight.engine.synth.model import Story

Row = dict[str, object]


def _in(d: dt.date | None, lo: dt.date, hi: dt.date) -> bool:
    return d is not None and lo <= d <= hi


def _open_in(start: dt.date | None, end: dt.date | None, lo: dt.date, hi: dt.date) -> bool:
    return start is not None and start <= hi and (end is None or end >= lo)


def rows_for(story: Story, b: JourneyBuilder) -> Iterator[tuple[int, Row]]:
    """(list number, row) pairs for one story, lists in order, rows in date order."""
    R, W0, Y0 = b.R, b.W0, b.Y0
    child = story.child
    common: Row = {}
    if child is not None:
        common = {
            "child_id": child.child_id,
            "gender": child.gender,
            "ethnicity": child.ethnicity,
            "date_of_birth": child.dob,
            "age": age_on(child.dob, R) if child.dob else None,
        }

    for contact in sorted(story.contacts, key=lambda c: c.date):
        if _in(contact.date, W0, R):
            yield 1, {**common, "contact_date": contact.date, "contact_source": contact.source}

    for e in story.early_help:
        if _open_in(e.start, e.end, W0, R):
            yield 2, {**common, "eh_assessment_start": e.start, "eh_assessment_end": e.end,
                      "eh_organisation": e.organisation}

    referral_dates = sorted(r.date for r in story.referrals)
    for ref in sorted(story.referrals, key=lambda r: r.date):
        if _in(ref.date, W0, R):
            year_before = add_months(ref.date, -12)
            count = sum(1 for d in referral_dates if year_before < d <= ref.date)
            yield 3, {**common, "referral_date": ref.date, "referral_source": ref.source,
                      "referral_nfa": "Yes" if ref.nfa else "No", "referrals_last_12m": count,
                      "allocated_team": ref.team, "allocated_worker": ref.worker}

    disability = child.disability if child is not None else None
    for asmt in sorted(story.assessments, key=lambda a: a.start):
        if _open_in(asmt.start, asmt.authorised, W0, R):
            yield 4, {**common, "disability": disability, "assessment_start": asmt.start,
                      "child_seen": asmt.child_seen, "assessment_authorised": asmt.authorised,
                      "requires_support": asmt.requires_support, "allocated_team": asmt.team,
                      "allocated_worker": asmt.worker}

    for s in sorted(story.s47s, key=lambda s: s.start):
        # Started in the window, or its ICPC was: what the list itself can show (an S47 that began
        # before the window and ended without an ICPC cannot be told from a stale row).
        if s.start <= R and (s.start >= W0 or _in(s.icpc_date, W0, R)):
            year_before = add_months(s.start, -12)
            upto = s.icpc_date or s.start
            yield 5, {**common, "disability": disability, "s47_start": s.start,
                      "icpc_not_required": s.icpc_not_required, "icpc_date": s.icpc_date,
                      "icpc_cp_plan": s.icpc_cp_plan,
                      "s47_last_12m": sum(1 for o in story.s47s if year_before < o.start <= s.start),
                      "icpcs_last_12m": sum(1 for o in story.s47s
                                            if o.icpc_date and add_months(upto, -12) < o.icpc_date <= upto),
                      "allocated_team": s.team, "allocated_worker": s.worker}

    for ep in sorted(story.cin, key=lambda e: e.start):
        if _open_in(ep.start, ep.closure, W0, R):
            yield 6, {**common, "disability": disability, "cin_start": None if ep.start_blank else ep.start,
                      "primary_need": ep.primary_need, "last_seen": ep.last_seen, "cin_closure": ep.closure,
                      "closure_reason": ep.closure_reason, "case_status": ep.case_status,
                      "allocated_team": ep.team, "allocated_worker": ep.worker}

    for plan in sorted(story.cp, key=lambda p: p.start):
        if _open_in(plan.start, plan.end, W0, R):
            yield 7, {**common, "disability": disability, "cpp_start": plan.start,
                      "initial_category": plan.initial_category, "latest_category": plan.latest_category,
                      "last_visit": plan.last_visit, "seen_alone": plan.seen_alone,
                      "latest_review": plan.latest_review, "cpp_end": plan.end, "epo_last_6m": plan.epo_last_6m,
                      "previous_cpps": plan.previous_cpps, "allocated_team": plan.team,
                      "allocated_worker": plan.worker}

    for c in sorted(story.cla, key=lambda c: c.start):
        if child is not None and _open_in(c.start, c.end, W0, R):
            last = c.placements[-1]
            yield 8, {**common, "uasc": "Yes" if child.uasc else "No", "disability": disability,
                      "cla_start": c.start, "category_of_need": c.category_of_need,
                      "subsequent_period": c.subsequent_period, "legal_status_start": c.legal_status_start,
                      "legal_status": c.legal_status, "latest_review": c.latest_review,
                      "last_visit": c.last_visit, "permanence_plan": c.permanence_plan,
                      "last_iro_contact": c.last_iro_contact, "last_health_assessment": c.last_health_assessment,
                      "last_dental_check": c.last_dental_check, "placements_last_12m": c.placements_last_12m,
                      "cla_end": c.end, "reason_ceased": c.reason_ceased, "placement_start": last.start,
                      "placement_type": last.type, "placement_provider": last.provider,
                      "placement_postcode": last.postcode, "placement_urn": last.urn,
                      "placement_location": last.location, "placement_la": last.la,
                      "missing_last_12m": c.missing_last_12m, "absent_last_12m": c.absent_last_12m,
                      "rhi_offered": c.rhi_offered, "rhi_accepted": c.rhi_accepted,
                      "allocated_team": c.team, "allocated_worker": c.worker}

    cl = story.care_leaver
    if cl is not None:
        yield 9, {**common, "uasc": cl.uasc, "disability": disability, "allocated_team": cl.team,
                  "allocated_worker": cl.worker, "personal_advisor": cl.personal_advisor,
                  "eligibility": cl.eligibility, "pathway_review": cl.pathway_review, "in_touch": cl.in_touch,
                  "latest_contact": cl.latest_contact, "accommodation": cl.accommodation,
                  "accommodation_suitable": cl.accommodation_suitable, "activity": cl.activity}

    a = story.adoption
    if a is not None and child is not None and (
            _in(a.adoption_order, Y0, R) or _in(a.adm_decision, Y0, R) or _in(a.no_longer_placed_decision, Y0, R)):
        yield 10, {"child_id": child.child_id, "family_id": a.family_id, "gender": child.gender,
                   "ethnicity": child.ethnicity, "date_of_birth": child.dob,
                   "age": age_on(child.dob, R) if child.dob else None, "disability": disability,
                   "entered_care": a.entered_care, "adm_decision": a.adm_decision,
                   "placement_order": a.placement_order, "matched": a.matched,
                   "placed_for_adoption": a.placed_for_adoption, "adoption_order": a.adoption_order,
                   "no_longer_placed_decision": a.no_longer_placed_decision,
                   "no_longer_placed_reason": a.no_longer_placed_reason, "ffa_placement": a.ffa_placement}

    for adopter in story.adopters:
        if adopter.last_activity() >= Y0:
            yield 11, {"adopter_id": adopter.adopter_id, "family_id": adopter.family_id, "gender": adopter.gender,
                       "ethnicity": adopter.ethnicity, "disability": adopter.disability,
                       "fostering_for_adoption": adopter.fostering_for_adoption,
                       "enquiry_date": adopter.enquiry_date, "stage1_start": adopter.stage1_start,
                       "stage1_end": adopter.stage1_end, "stage2_start": adopter.stage2_start,
                       "stage2_end": adopter.stage2_end, "application_submitted": adopter.application_submitted,
                       "application_approved": adopter.application_approved, "matched": adopter.matched,
                       "placed": adopter.placed, "children_placed": adopter.children_placed,
                       "adoption_order": adopter.adoption_order, "left_process": adopter.left_process,
                       "leaving_reason": adopter.leaving_reason}
