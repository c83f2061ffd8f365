"""Linked journeys through children's social care, built one child at a time.

Each *cohort* (``streams.py``) hands a builder here a key date — a contact, a referral, the
start of a CP plan, a period of care, an adoption order… — and the builder writes the child's
story around it, backwards and forwards: the contact before the referral, the S47 and ICPC
before the plan, the placements and reviews during care, the adopters who took the child home.
Dates after the as-at date are left blank (the event has not happened yet), so every open
episode at the extract date looks open.

The rates and shapes are realistic for an English council (DfE children in need and children
looked after statistics, rounded): about 82% of assessments within 45 working days, about 78%
of ICPCs within 15, 22% repeat CP plans, 10% of children in care with 3+ placements, mean A1
around 15 months. A few things go wrong on purpose, as they do in real councils: some
assessments run past 45 working days (more in one team than the other), some visits and
reviews are late, some optional fields are blank.
"""

from __future__ import annotations

import datetime as dt
import random

from oversight.engine.synth.adoption import AdoptionJourneys
from oversight.engine.synth.base import (
    ABUSE,
    CIN_CLOSURE,
    CIN_PLAN_MONTHS,
    CP_AGE,
    CP_MONTHS,
    FRONT_DOOR_AGE,
    ICPC_WD,
    MONTH,
    PRIMARY_NEED_FRONT_DOOR,
    PRIMARY_NEED_PROTECTION,
    YEAR,
    D,
    _mix,
    _u,
)
from oversight.engine.synth.dates import add_months, add_years, age_on
from oversight.engine.synth.model import (
    CinEpisode,
    Contact,
    CPPlan,
    EarlyHelp,
    Story,
)
from oversight.engine.synth.people import (
    CONTACT_SOURCE,
    DISABILITY,
    EH_ORGANISATIONS,
    Weighted,
)


class JourneyBuilder(AdoptionJourneys):
    """Builds stories for one workbook: the front door and child protection here; care and care
    leavers in ``care.py``; adoption in ``adoption.py``."""

    # ------------------------------------------------------------------ cohorts: front door
    def contact_only(self, rng: random.Random, key: dt.date) -> list[Story]:
        """Contacts that never became referrals (advice, signposting, early help)."""
        story = Story(self._child(rng, key, FRONT_DOOR_AGE, unborn_ok=True))
        story.contacts.append(Contact(key, CONTACT_SOURCE.draw(rng)))
        d = key
        for p in (0.18, 0.25):
            if rng.random() >= p:
                break
            d = d + D(days=_u(rng, 3, 120))
            if d > self.R:
                break
            story.contacts.append(Contact(d, CONTACT_SOURCE.draw(rng)))
        if rng.random() < 0.08:
            self._early_help(story, rng, key + D(days=_u(rng, 5, 30)))
        return [story]

    def early_help(self, rng: random.Random, key: dt.date) -> list[Story]:
        story = Story(self._child(rng, key, FRONT_DOOR_AGE))
        if key >= self.W0 and rng.random() < 0.4:
            c_date = max(self.W0, key - D(days=_u(rng, 1, 20)))
            story.contacts.append(Contact(min(key, self._after_birth(story, c_date)), CONTACT_SOURCE.draw(rng)))
        self._early_help(story, rng, key)
        return [story]

    def _early_help(self, story: Story, rng: random.Random, start: dt.date) -> None:
        if start > self.R:
            return
        end = None if rng.random() < 0.1 else self._due(start + D(days=_mix(rng, ((70, 10, 60), (30, 61, 150)))))
        story.early_help.append(EarlyHelp(start, end, EH_ORGANISATIONS.draw(rng)))

    def referral_nfa(self, rng: random.Random, key: dt.date) -> list[Story]:
        story = Story(self._child(rng, key, FRONT_DOOR_AGE, unborn_ok=True))
        self._prior_referrals(story, rng, key)
        self._referral(story, rng, key, nfa=True, team="MASH")
        if rng.random() < 0.2:
            self._early_help(story, rng, key + D(days=_u(rng, 3, 25)))
        return [story]

    def referral_assessed(self, rng: random.Random, key: dt.date, *, cin_plan: bool) -> list[Story]:
        """Referral → assessment → either closed (no support needed) or a child in need plan."""
        story = Story(self._child(rng, key, FRONT_DOOR_AGE, unborn_ok=True))
        self._prior_referrals(story, rng, key)
        team = self._assessment_team(rng)
        self._referral(story, rng, key, nfa=False, team=team)
        a = self._assessment(story, rng, key, team, support="Yes" if cin_plan else "No")
        ep = CinEpisode(key, PRIMARY_NEED_FRONT_DOOR.draw(rng), team=team, worker=a.worker)
        story.cin.append(ep)
        if a.authorised is None:
            return [story]
        if cin_plan:
            self._cin_plan_after(story, rng, ep, a.authorised)
        else:
            closure = self._due(a.authorised + D(days=_mix(rng, ((80, 0, 0), (20, 1, 5)))))
            ep.closure = closure
            ep.closure_reason = ("RC9" if rng.random() < 0.3 else "RC8") if closure else None
            if closure is not None and ep.closure_reason == "RC9" and rng.random() < 0.6:
                self._early_help(story, rng, closure + D(days=_u(rng, 1, 20)))
        return [story]

    def overdue_assessment(self, rng: random.Random, key: dt.date) -> list[Story]:
        """An assessment still open more than 45 working days on at the end of ``key``'s month."""
        month_end = min(self.R, add_months(key.replace(day=1), 1) - D(days=1))
        start = self.wd.sub(month_end, _u(rng, 47, 70))
        ref_date = start - D(days=_u(rng, 0, 3))
        story = Story(self._child(rng, ref_date, FRONT_DOOR_AGE))
        self._prior_referrals(story, rng, ref_date)
        team = "Assessment Team 2" if rng.random() < 0.7 else "Assessment Team 1"
        self._referral(story, rng, ref_date, nfa=False, team=team)
        a = self._assessment(story, rng, ref_date, team, support="Yes" if rng.random() < 0.5 else "No", start=start)
        a.authorised = self._due(month_end + D(days=_u(rng, 3, 40)))
        a.requires_support = a.requires_support if a.authorised else None
        ep = CinEpisode(ref_date, PRIMARY_NEED_FRONT_DOOR.draw(rng), team=team, worker=a.worker)
        story.cin.append(ep)
        if a.authorised is not None:
            if a.requires_support == "Yes":
                self._cin_plan_after(story, rng, ep, a.authorised)
            else:
                a.requires_support = "No"
                ep.closure, ep.closure_reason = a.authorised, "RC8"
        return [story]

    def _cin_plan_after(self, story: Story, rng: random.Random, ep: CinEpisode, start: dt.date) -> None:
        ep.team = "Safeguarding Team A" if rng.random() < 0.5 else "Safeguarding Team B"
        if rng.random() < 0.3:
            ep.team = story.assessments[-1].team if story.assessments else ep.team
        ep.worker = self._pick(ep.team, rng)
        ep.closure = self._due(start + D(days=round(_mix(rng, CIN_PLAN_MONTHS) * MONTH)))
        if ep.closure:
            ep.closure_reason = CIN_CLOSURE.draw(rng)
            if ep.closure_reason == "RC9":
                ep.closure_reason = "RC7"

    def referral_s47(self, rng: random.Random, key: dt.date) -> list[Story]:
        """An S47 enquiry that ended without an ICPC (key: the strategy discussion)."""
        story = Story(self._child(rng, key, CP_AGE, unborn_ok=True))
        ep, team = self._s47_prelude(story, rng, key)
        s = self._s47(story, rng, key, team, outcome="none")
        if s.concluded is None:
            return [story]
        already_open = ep.start < key - D(days=20)
        if already_open or rng.random() < 0.55:
            self._cin_plan_after(story, rng, ep, s.concluded)
        else:
            a = story.assessments[-1] if story.assessments else None
            done = a.authorised if a and a.authorised else s.concluded
            ep.closure = self._due(max(done, s.concluded) + D(days=_u(rng, 0, 5)))
            ep.closure_reason = "RC8" if ep.closure else None
            if a is not None and a.authorised is not None:
                a.requires_support = "No"
        return [story]

    def _s47_prelude(self, story: Story, rng: random.Random, s47_start: dt.date) -> tuple[CinEpisode, str]:
        """The referral (new, or months earlier for a child already open) before a strategy discussion."""
        earlier = self._after_birth(story, s47_start - D(days=_u(rng, 30, 240)))
        if rng.random() < 0.75 or earlier > s47_start - D(days=30):  # a new referral, straight to a strategy discussion
            ref_date = self.wd.sub(s47_start, _mix(rng, ((60, 0, 0), (40, 1, 3))))
            self._prior_referrals(story, rng, ref_date)
            team = self._assessment_team(rng)
            self._referral(story, rng, ref_date, nfa=False, team=team)
            self._assessment(story, rng, ref_date, team, support="Yes", start=s47_start)
            ep = CinEpisode(ref_date, PRIMARY_NEED_PROTECTION.draw(rng), team=team,
                            worker=story.assessments[-1].worker if story.assessments else "")
            story.cin.append(ep)
            return ep, team
        ref_date = earlier  # already open to a social worker
        team = self._assessment_team(rng)
        self._referral(story, rng, ref_date, nfa=False, team=team)
        a = self._assessment(story, rng, ref_date, team, support="Yes")
        if a.authorised is None or a.authorised > s47_start:
            a.authorised = max(a.start, self.wd.sub(s47_start, _u(rng, 1, 5)))
            a.requires_support = "Yes"
        ep = CinEpisode(ref_date, PRIMARY_NEED_PROTECTION.draw(rng))
        ep.team = "Safeguarding Team A" if rng.random() < 0.5 else "Safeguarding Team B"
        ep.worker = self._pick(ep.team, rng)
        story.cin.append(ep)
        return ep, ep.team

    def referral_icpc_no_plan(self, rng: random.Random, key: dt.date) -> list[Story]:
        """An ICPC (key) that decided a CP plan was not needed: support as a child in need."""
        story = Story(self._child(rng, key, CP_AGE))
        s47_start = self.wd.sub(key, _mix(rng, ICPC_WD))
        ep, team = self._s47_prelude(story, rng, s47_start)
        self._s47(story, rng, s47_start, team, outcome="icpc", icpc_date=key)
        self._cin_plan_after(story, rng, ep, key)
        return [story]

    def cp_plan_long(self, rng: random.Random, key: dt.date) -> list[Story]:
        """A plan that has lasted more than two years and is still open: every council has a few."""
        return self.cp_plan(rng, key, open_at_as_at=True)

    def cp_plan(self, rng: random.Random, key: dt.date, open_at_as_at: bool = False) -> list[Story]:
        """A CP plan starting at its ICPC (key), with the S47 and referral that led to it."""
        story = Story(self._child(rng, key, Weighted.of({(0.0, 5.0): 50, (5.0, 10.0): 50})
                                  if open_at_as_at else CP_AGE, unborn_ok=not open_at_as_at))
        late = key >= self.M0 and self._owe("icpc_late")
        s47_start = self.wd.sub(key, _u(rng, 17, 25) if late else _mix(rng, ICPC_WD))
        ep, team = self._s47_prelude(story, rng, s47_start)
        self._s47(story, rng, s47_start, team, outcome="cp", icpc_date=key)
        prior = rng.choices((0, 1, 2, 3), weights=(78, 17, 4, 1))[0]
        if key >= self.M0 and prior == 0 and self._owe("cpp_repeat"):
            prior = 1
        plan = self._cp(story, rng, key, prior, open_at_as_at)
        if plan.end is None:
            return [story]
        r = rng.random()
        if r < 0.62:  # stepped down to a child in need plan
            ep.team, ep.worker = plan.team, plan.worker
            ep.closure = self._due(plan.end + D(days=round(_mix(rng, ((60, 2, 6), (40, 6, 12))) * MONTH)))
            ep.closure_reason = CIN_CLOSURE.draw(rng) if ep.closure else None
            if ep.closure_reason == "RC9":
                ep.closure_reason = "RC7"
        elif r < 0.90 or story.child is None or story.child.dob is None or \
                self._age_at(story.child, plan.end) >= 17.5:
            ep.team, ep.worker = plan.team, plan.worker
            ep.closure = plan.end
            ep.closure_reason = Weighted.of({"RC7": 80, "RC4": 6, "RC3": 4, "RC5": 10}).draw(rng)
        else:  # the child came into care when the plan ended
            self._cla(story, rng, plan.end, route="proceedings", cin=ep)
        return [story]

    def _cp(self, story: Story, rng: random.Random, start: dt.date, prior: int, open_at_as_at: bool = False
            ) -> CPPlan:
        end = None if open_at_as_at else self._due(start + D(days=round(_mix(rng, CP_MONTHS) * MONTH)))
        ref = end or self.R
        team = "Safeguarding Team A" if rng.random() < 0.55 else "Safeguarding Team B"
        on_time = 0.86 if team == "Safeguarding Team A" else 0.72
        if end is None:
            r = rng.random()
            if r < on_time:
                last_visit = self.wd.sub(self.R, _u(rng, 0, 10))
            elif r < 0.985:
                last_visit = self.wd.sub(self.R, _u(rng, 11, 35))
            else:
                last_visit = None
        else:
            last_visit = end - D(days=_u(rng, 0, 14))
        if last_visit is not None and last_visit < start:
            last_visit = start
        # First review conference within 3 months of the ICPC, then at most every 6 months.
        latest_review = None
        due = add_months(start, 3)
        while due <= ref:
            r = rng.random()
            held = due - D(days=_u(rng, 0, 10)) if r < 0.87 else due + D(days=_u(rng, 10, 60))
            if r < 0.97 and held <= ref:
                latest_review = held
            due = add_months(due, 6)
        if end is None and start <= add_months(self.R, -10) and self._owe("cp_review_late"):
            latest_review = add_months(self.R, -6) - D(days=_u(rng, 5, 40))
        if end is None and self._owe("cp_visit_late"):
            last_visit = max(start, self.wd.sub(self.R, _u(rng, 12, 30)))
        initial = ABUSE.draw(rng)
        latest = initial if rng.random() < 0.85 else ABUSE.draw(rng)
        age = self._age_at(story.child, ref)
        seen = (Weighted.of({"No": 70, "Unknown": 20, "Yes": 10}) if age < 2
                else Weighted.of({"Yes": 80, "No": 14, "Unknown": 3, "": 3})).draw(rng) or None
        epo = "Yes" if rng.random() < (0.06 if start > self.W0 else 0.02) else "No"
        previous = prior + len(story.cp)
        plan = CPPlan(start, end, initial, latest, last_visit, seen, latest_review, epo, previous, team,
                      self._pick(team, rng))
        story.cp.append(plan)
        return plan

    def cin_longterm(self, rng: random.Random, key: dt.date) -> list[Story] | None:
        """Long-running child in need cases (mostly disabled children), some with short breaks."""
        closure = self._due(key + D(days=round(_mix(rng, ((50, 1, 3), (35, 3, 6), (15, 6, 12))) * YEAR)))
        if closure is not None and closure < self.W0:
            return None
        disabled = rng.random() < 0.7
        child = self._child(rng, key, Weighted.of({(0.0, 5.0): 40, (5.0, 10.0): 40, (10.0, 14.0): 20}),
                            disability=Weighted.of({"Yes": 1}) if disabled else DISABILITY)
        if child.dob and add_years(child.dob, 18) <= (closure or self.R):
            closure = self._due(add_years(child.dob, 18))
            if closure is not None and closure < self.W0:
                return None
        story = Story(child)
        team = "Safeguarding Team B"
        need = "N2" if disabled else Weighted.of({"N3": 30, "N4": 30, "N5": 30, "N1": 10}).draw(rng)
        reason = None
        if closure:
            reason = ("RC6" if disabled and child.dob and age_on(child.dob, closure) >= 17
                      else CIN_CLOSURE.draw(rng))
        ep = CinEpisode(key, need, closure, reason, team, self._pick(team, rng))
        story.cin.append(ep)
        if disabled and rng.random() < 0.18:
            sb_start = max(key, self.R - D(days=_u(rng, 60, 3 * 365)))
            self._cla(story, rng, sb_start, route="short_breaks", cin=ep)
        return [story]

    # ------------------------------------------------------------------ finishing
    def finalise(self, story: Story, rng: random.Random) -> None:
        """Work out what each CIN episode's row shows: status, team, worker, last seen."""
        child = story.child
        if child is not None and child.dob is not None:
            # Safety net: nothing is recorded before a born child's date of birth.
            firsts = [c.date for c in story.contacts] + [r.date for r in story.referrals] + \
                [e.start for e in story.cin] + [e.start for e in story.early_help] + \
                [a.start for a in story.assessments] + [s.start for s in story.s47s] + [p.start for p in story.cp]
            if firsts and min(firsts) < child.dob:
                child.dob = min(firsts)
        for ep in story.cin:
            end = ep.closure
            if end is not None:
                ep.case_status = "Closed episode"
                ep.last_seen = max(ep.start, end - D(days=_u(rng, 0, 20)))
                if not ep.team:
                    ep.team = "Children in Care Team" if story.cla else "Safeguarding Team A"
                    ep.worker = self._pick(ep.team, rng)
                continue
            cla = next((c for c in story.cla if c.end is None and c.start <= self.R), None)
            cp = next((p for p in story.cp if p.end is None and p.start <= self.R), None)
            if cla is not None:
                ep.case_status, ep.team, ep.worker = "Looked after child", cla.team, cla.worker
                ep.last_seen = cla.last_visit
            elif cp is not None:
                ep.case_status, ep.team, ep.worker = "Child Protection plan", cp.team, cp.worker
                ep.last_seen = cp.last_visit
            else:
                open_assessment = any(a.authorised is None for a in story.assessments) or not any(
                    a.start >= ep.start for a in story.assessments)
                ep.case_status = "Open assessment" if open_assessment and ep.start > self.R - D(days=200) \
                    else "Child in need plan"
                if ep.case_status == "Open assessment" and story.assessments:
                    ep.team, ep.worker = story.assessments[-1].team, story.assessments[-1].worker
                if not ep.team:
                    ep.team = "Safeguarding Team B"
                    ep.worker = self._pick(ep.team, rng)
                r = rng.random()
                ep.last_seen = (None if r < 0.05 else self.R - D(days=_u(rng, 0, 30)) if r < 0.82
                                else self.R - D(days=_u(rng, 31, 90)))
            if ep.last_seen is not None and ep.last_seen < ep.start:
                ep.last_seen = ep.start
        if child is not None and story.cin and rng.random() < 0.005:
            story.cin[-1].start_blank = True

