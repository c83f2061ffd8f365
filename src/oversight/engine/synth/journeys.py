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

import dataclasses
import datetime as dt
import random

from oversight.engine.synth.dates import add_months, add_years, age_on
from oversight.engine.synth.model import (
    S47,
    Adopter,
    Adoption,
    Assessment,
    CareLeaver,
    Child,
    CinEpisode,
    CLAPeriod,
    Contact,
    CPPlan,
    EarlyHelp,
    Placement,
    Referral,
    Story,
)
from oversight.engine.synth.people import (
    ADOPTER_ETHNICITY,
    CONTACT_SOURCE,
    COUNCIL,
    DISABILITY,
    EH_ORGANISATIONS,
    ETHNICITY,
    GENDER,
    HOME_AREA,
    NEIGHBOUR_AREAS,
    NEIGHBOURS,
    PERSONAL_ADVISORS,
    REFERRAL_SOURCE,
    UASC_ETHNICITY,
    IdAllocator,
    Weighted,
    WorkerPools,
    postcode,
)

D = dt.timedelta
YEAR = 365.25
MONTH = 30.44


def _u(rng: random.Random, lo: float, hi: float) -> int:
    return round(rng.uniform(lo, hi))


def _mix(rng: random.Random, table: tuple[tuple[float, float, float], ...]) -> int:
    """Draw from a mixture of uniform ranges: rows of (weight, low, high)."""
    r = rng.random() * sum(w for w, _, _ in table)
    for w, lo, hi in table:
        r -= w
        if r <= 0:
            return _u(rng, lo, hi)
    return _u(rng, table[-1][1], table[-1][2])


# Age bands (years) per cohort: where in childhood each kind of involvement falls.
FRONT_DOOR_AGE = Weighted.of({(0.0, 1.0): 9, (1.0, 5.0): 20, (5.0, 10.0): 27, (10.0, 16.0): 34, (16.0, 17.9): 10})
CP_AGE = Weighted.of({(0.0, 1.0): 13, (1.0, 5.0): 29, (5.0, 10.0): 28, (10.0, 16.0): 27, (16.0, 17.5): 3})
CLA_AGE = Weighted.of({(0.0, 1.0): 18, (1.0, 5.0): 14, (5.0, 10.0): 17, (10.0, 16.0): 38, (16.0, 17.8): 13})

# Assessment length in working days, per team: Team 2 is the one an improvement plan would target.
ASSESSMENT_WD = {
    "Assessment Team 1": ((2, 0, 0), (48, 3, 25), (28, 26, 40), (10, 41, 45), (9, 46, 60), (3, 61, 90)),
    "Assessment Team 2": ((1, 0, 0), (30, 5, 25), (32, 26, 40), (14, 41, 45), (16, 46, 60), (7, 61, 100)),
}
ICPC_WD = ((2, 2, 5), (76, 6, 15), (16, 16, 22), (6, 23, 35))
CP_MONTHS = ((33, 3, 6), (44, 6, 15), (16, 15, 24), (7, 24, 40))
CIN_PLAN_MONTHS = ((40, 2, 5), (40, 5, 12), (20, 12, 30))

ABUSE = Weighted.of({"Neglect": 48, "Emotional abuse": 38, "Physical abuse": 7, "Sexual abuse": 4,
                     "Multiple/not recommended": 3})
SEEN = Weighted.of({"Yes": 93, "No": 5, "Unknown": 2})
PRIMARY_NEED_FRONT_DOOR = Weighted.of({"N1": 45, "N2": 5, "N3": 6, "N4": 13, "N5": 20, "N6": 4, "N7": 1,
                                       "N8": 3, "N9": 2, "N0": 1})
PRIMARY_NEED_PROTECTION = Weighted.of({"N1": 78, "N3": 4, "N4": 6, "N5": 12})
CIN_CLOSURE = Weighted.of({"RC7": 84, "RC3": 3, "RC4": 2, "RC5": 6, "RC9": 5})
AGE18_REASON = Weighted.of({"E8": 35, "E5": 35, "E17": 20, "E6": 5, "E7": 5})
HOME_REASON = Weighted.of({"E4A": 85, "E4B": 10, "E13": 5})
SGO_REASON = Weighted.of({"E45": 12, "E46": 5, "E47": 60, "E48": 23})
IN_TOUCH = Weighted.of({"Yes": 88, "No": 4, "Refu": 2, "NREQ": 2.5, "Died": 0.3, "Rhom": 3.2})
ACCOMMODATION = Weighted.of({"D": 28, "U": 22, "E": 8, "Z": 10, "B": 10, "K": 5, "T": 5, "X": 2, "W": 1,
                             "V": 2, "S": 1, "Y": 3, "C": 3})
UNSUITABLE = {"S", "W", "X", "V", "R"}
ACTIVITY = Weighted.of({"F1": 6, "P1": 1, "F2": 15, "P2": 3, "F4": 4, "P4": 1, "F5": 18, "P5": 7,
                        "G4": 8, "G5": 26, "G6": 6})


QUOTAS = (
    "assessment_not_seen", "icpc_late", "cpp_repeat", "cp_review_late", "cp_visit_late", "cla_recent_move",
    "cla_three_placements", "cla_review_late", "cla_visit_late", "cla_health_late", "cla_dental_late",
    "cla_missing", "care_leaver_not_in_touch", "care_leaver_unsuitable", "care_leaver_neet", "care_leaver_eet",
)


class JourneyBuilder:
    """Builds stories for one workbook: knows the as-at date, the windows and the people."""

    def __init__(self, as_at: dt.date, wd, pools: WorkerPools, id_rng: random.Random) -> None:
        self.R = as_at
        self.W0 = add_months(as_at, -6)  # Lists 1–8 window: [W0, R]
        self.Y0 = add_months(as_at, -12)  # Lists 10–11 window: [Y0, R]
        self.M0 = add_months(as_at, -5).replace(day=1)  # first day of the six reported months
        self.wd = wd
        self.pools = pools
        self.family_ids = IdAllocator(id_rng, low=100_000, span=900_000, prefix="F")
        self.adopter_ids = IdAllocator(id_rng, low=100_000, span=900_000, prefix="AD")
        # Imperfections every council has at least one of. Rates alone leave a small workbook
        # (scale 0.1–0.2) with, say, every CP review on time by chance, and then an indicator
        # shows 100% every month; each is given once, to the first child it fits.
        self.owed = set(QUOTAS)

    def _owe(self, name: str) -> bool:
        if name in self.owed:
            self.owed.discard(name)
            return True
        return False

    # ------------------------------------------------------------------ small helpers
    def _due(self, d: dt.date | None) -> dt.date | None:
        """An event dated after the as-at date has not happened yet: blank."""
        return d if d is not None and d <= self.R else None

    def _child(self, rng: random.Random, on: dt.date, ages: Weighted, *, unborn_ok: bool = False,
               disability: Weighted = DISABILITY) -> Child:
        gender = GENDER.draw(rng)
        if unborn_ok and on > self.R - D(days=120) and rng.random() < 0.015:
            return Child("Not stated/recorded" if rng.random() < 0.7 else gender, ETHNICITY.draw(rng), None,
                         "Unknown")
        lo, hi = ages.draw(rng)
        dob = on - D(days=round(rng.uniform(lo, hi) * YEAR))
        return Child(gender, ETHNICITY.draw(rng), dob, disability.draw(rng))

    def _age_at(self, child: Child, on: dt.date) -> float:
        return 0.0 if child.dob is None else max(0.0, (on - child.dob).days / YEAR)

    def _pick(self, team: str, rng: random.Random) -> str:
        return self.pools.pick(team, rng)

    @staticmethod
    def _after_birth(story: Story, d: dt.date) -> dt.date:
        """``d``, or the date of birth if ``d`` is earlier: a born child's record starts at birth."""
        dob = story.child.dob if story.child is not None else None
        return d if dob is None or d >= dob else dob

    # ------------------------------------------------------------------ front door
    def _contact_before(self, story: Story, rng: random.Random, ref_date: dt.date, source: str) -> None:
        lag = rng.choices((0, 1, 2, 3, 5, 8), weights=(55, 15, 10, 8, 7, 5))[0]
        c_date = ref_date - D(days=lag)
        if ref_date >= self.W0 and c_date < self.W0:
            c_date = ref_date  # keep the contact in the same extract as its referral
        c_date = min(ref_date, self._after_birth(story, c_date))
        story.contacts.append(Contact(c_date, source if rng.random() < 0.85 else CONTACT_SOURCE.draw(rng)))
        if rng.random() < 0.08:  # an earlier worry that was not taken further at the time
            earlier = c_date - D(days=_u(rng, 7, 60))
            if self._after_birth(story, earlier) == earlier:
                story.contacts.append(Contact(earlier, CONTACT_SOURCE.draw(rng)))

    def _referral(self, story: Story, rng: random.Random, ref_date: dt.date, *, nfa: bool,
                  team: str) -> Referral:
        source = REFERRAL_SOURCE.draw(rng)
        self._contact_before(story, rng, ref_date, source)
        ref_team = "MASH" if nfa or rng.random() < 0.4 else team
        ref = Referral(ref_date, source, nfa, ref_team, self._pick(ref_team, rng))
        story.referrals.append(ref)
        return ref

    def _prior_referrals(self, story: Story, rng: random.Random, index_date: dt.date) -> None:
        """Earlier referrals of the same child: the re-referral history (~22% within 12 months)."""
        r = rng.random()
        gaps = []
        if r < 0.05:
            gaps = sorted([_u(rng, 20, 360), _u(rng, 20, 360)], reverse=True)
        elif r < 0.27:
            gaps = [_u(rng, 30, 364)]
        elif r < 0.39:
            gaps = [_u(rng, 370, 900)]
        for gap in gaps:
            d = index_date - D(days=gap)
            if self._after_birth(story, d) != d:
                continue  # no referrals before the child was born
            if rng.random() < 0.35:
                self._referral(story, rng, d, nfa=True, team="MASH")
            else:
                team = self._assessment_team(rng)
                self._referral(story, rng, d, nfa=False, team=team)
                a = self._assessment(story, rng, d, team, support="No")
                closure = a.authorised or d + D(days=40)
                if closure >= index_date:
                    closure = index_date - D(days=1)
                story.cin.append(CinEpisode(d, PRIMARY_NEED_FRONT_DOOR.draw(rng), closure, "RC8",
                                            team, a.worker))

    def _assessment_team(self, rng: random.Random) -> str:
        return "Assessment Team 1" if rng.random() < 0.5 else "Assessment Team 2"

    def _assessment(self, story: Story, rng: random.Random, after: dt.date, team: str, *,
                    support: str | None, start: dt.date | None = None) -> Assessment:
        if start is None:
            lag = _mix(rng, ((60, 0, 0), (30, 1, 3), (10, 4, 8)))
            start = self.wd.add(after, lag) if lag else after
        authorised = self._due(self.wd.add(start, _mix(rng, ASSESSMENT_WD[team])))
        if authorised is not None and support is not None and rng.random() < 0.01:
            support = "Unknown"
        seen = SEEN.draw(rng)
        if authorised is not None and authorised >= self.M0 and self._owe("assessment_not_seen"):
            seen = "No"
        a = Assessment(start, authorised, seen, support if authorised else None, team, self._pick(team, rng))
        if start <= self.R:
            story.assessments.append(a)
        return a

    def _s47(self, story: Story, rng: random.Random, start: dt.date, team: str, *, outcome: str,
             icpc_date: dt.date | None = None) -> S47:
        worker = self._pick(team, rng)
        if outcome == "none":
            concluded = self._due(self.wd.add(start, _u(rng, 3, 15)))
            s = S47(start, concluded, "Yes" if concluded else None, None, None, team, worker)
        else:
            if icpc_date is None:
                icpc_date = self.wd.add(start, _mix(rng, ICPC_WD))
            icpc = self._due(icpc_date)
            result = None if icpc is None else ("Yes" if outcome == "cp" else "No")
            s = S47(start, icpc, "No" if icpc else None, icpc, result, team, worker)
        story.s47s.append(s)
        return s

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
            ep.closure = self._due(a.authorised + D(days=_mix(rng, ((80, 0, 0), (20, 1, 5)))))
            ep.closure_reason = ("RC9" if rng.random() < 0.3 else "RC8") if ep.closure else None
            if ep.closure_reason == "RC9" and rng.random() < 0.6:
                self._early_help(story, rng, ep.closure + D(days=_u(rng, 1, 20)))
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
        if rng.random() < 0.75:  # a new referral, straight to a strategy discussion
            ref_date = self.wd.sub(s47_start, _mix(rng, ((60, 0, 0), (40, 1, 3))))
            self._prior_referrals(story, rng, ref_date)
            team = self._assessment_team(rng)
            self._referral(story, rng, ref_date, nfa=False, team=team)
            self._assessment(story, rng, ref_date, team, support="Yes", start=s47_start)
            ep = CinEpisode(ref_date, PRIMARY_NEED_PROTECTION.draw(rng), team=team,
                            worker=story.assessments[-1].worker if story.assessments else "")
            story.cin.append(ep)
            return ep, team
        ref_date = self._after_birth(story, s47_start - D(days=_u(rng, 30, 240)))  # already open
        team = self._assessment_team(rng)
        self._referral(story, rng, ref_date, nfa=False, team=team)
        a = self._assessment(story, rng, ref_date, team, support="Yes")
        if a.authorised is None or a.authorised > s47_start:
            a.authorised = self.wd.sub(s47_start, _u(rng, 1, 5))
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
        elif r < 0.90 or story.child.dob is None or self._age_at(story.child, plan.end) >= 17.5:
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
            reason = "RC6" if disabled and age_on(child.dob, closure) >= 17 else CIN_CLOSURE.draw(rng)
        ep = CinEpisode(key, need, closure, reason, team, self._pick(team, rng))
        story.cin.append(ep)
        if disabled and rng.random() < 0.18:
            sb_start = max(key, self.R - D(days=_u(rng, 60, 3 * 365)))
            self._cla(story, rng, sb_start, route="short_breaks", cin=ep)
        return [story]

    # ------------------------------------------------------------------ children in care
    def cla(self, rng: random.Random, key: dt.date) -> list[Story] | None:
        """A period of care starting on ``key`` (any time in the last 18 years)."""
        lo, hi = CLA_AGE.draw(rng)
        age = rng.uniform(lo, hi)
        route = self._cla_route(rng, age)
        if route == "uasc":
            age = rng.uniform(14.5, 17.8)
        dob = key - D(days=round(age * YEAR))
        end, reason = self._cla_end(rng, key, dob, route)
        if end is not None and end < self.W0:
            return None  # ended before the extract's window: not in any list
        gender = "Male" if route == "uasc" and rng.random() < 0.9 else GENDER.draw(rng)
        child = Child(gender, (UASC_ETHNICITY if route == "uasc" else ETHNICITY).draw(rng), dob,
                      "Yes" if route == "short_breaks" else DISABILITY.draw(rng),
                      uasc=route == "uasc")
        story = Story(child)
        ep = None
        if key >= self.W0 and route != "uasc" and rng.random() < 0.65:
            # New to the council: contact and referral days before coming into care.
            team = self._assessment_team(rng)
            ref_date = self._after_birth(story, key - D(days=_u(rng, 0, 6)))
            self._referral(story, rng, ref_date, nfa=False, team=team)
            self._assessment(story, rng, ref_date, team, support="Yes")
            if route in ("police", "proceedings") and rng.random() < 0.4:
                self._s47(story, rng, self.wd.next_on_or_after(ref_date), team, outcome="none")
            ep = CinEpisode(ref_date, "N1", team=team, worker=story.assessments[-1].worker
                            if story.assessments else self._pick(team, rng))
            story.cin.append(ep)
        elif key >= self.W0 and route == "uasc":
            story.contacts.append(Contact(key, "5C" if rng.random() < 0.5 else "6"))
            story.referrals.append(Referral(key, "5C", False, "MASH", self._pick("MASH", rng)))
        self._cla(story, rng, key, route=route, cin=ep, end=(end, reason))
        return [story]

    def _cla_route(self, rng: random.Random, age: float) -> str:
        if age >= 14.5 and rng.random() < 0.22:
            return "uasc"
        if age >= 12 and rng.random() < 0.04:
            return "remand"
        return Weighted.of({"proceedings": 70, "s20": 22, "police": 8}).draw(rng)

    def _cla_end(self, rng: random.Random, start: dt.date, dob: dt.date, route: str
                 ) -> tuple[dt.date | None, str | None]:
        """When and why a period of care ends (None: still looked after at the as-at date)."""
        age = (start - dob).days / YEAR
        days: int | None
        if route == "remand":
            days, reason = _u(rng, 14, 150), "E14" if rng.random() < 0.8 else "E9"
        elif route == "police" and rng.random() < 0.6:
            days, reason = _u(rng, 1, 10), HOME_REASON.draw(rng)
        elif route == "uasc":
            days, reason = (_u(rng, 30, 200), "E15") if rng.random() < 0.04 else (None, None)
        elif route == "short_breaks":
            days, reason = (_u(rng, 365, 4 * 365), "E8") if rng.random() < 0.3 else (None, None)
        else:
            r = rng.random()
            home = 0.65 if route == "s20" else (0.36 if age < 12 else 0.40)
            sgo = 0.0 if route == "s20" else (0.34 if age < 5 else 0.18 if age < 12 else 0.05)
            if r < home:
                days, reason = _mix(rng, ((45, 14, 120), (35, 120, 365), (20, 365, 900))), HOME_REASON.draw(rng)
            elif r < home + sgo:
                days, reason = _u(rng, 300, 1000), SGO_REASON.draw(rng)
            elif r < home + sgo + 0.04:
                days, reason = _u(rng, 30, 700), Weighted.of({"E3": 50, "E8": 40, "E16": 10}).draw(rng)
            else:
                days, reason = None, None  # looked after until 18
        end = start + D(days=days) if days is not None else None
        eighteen = add_years(dob, 18)
        if end is None or end >= eighteen:
            end, reason = eighteen, AGE18_REASON.draw(rng)
            if route == "uasc" and reason == "E7":
                reason = "E5"
        if end > self.R:
            return None, None
        return end, reason

    def _placement(self, rng: random.Random, start: dt.date, ptype: str) -> Placement:
        if ptype in ("U1", "U2", "U3"):
            provider = "PR1"
        elif ptype.startswith("U"):
            provider = Weighted.of({"PR1": 60, "PR4": 35, "PR5": 5}).draw(rng)
        elif ptype.startswith("A"):
            provider = Weighted.of({"PR1": 70, "PR5": 20, "PR2": 10}).draw(rng)
        elif ptype == "P1":
            provider = "PR0"
        elif ptype in ("R2", "R5"):
            provider = "PR3"
        elif ptype.startswith("T"):
            provider = "PR1"
        else:
            provider = Weighted.of({"PR4": 75, "PR1": 15, "PR5": 7, "PR3": 3}).draw(rng)
        out = {"PR0": 0.1, "PR1": 0.2, "PR2": 0.9, "PR3": 0.5, "PR5": 0.45}.get(provider, 0.55)
        if provider == "PR4" and not ptype.startswith("U"):
            out = 0.75
        if rng.random() < out:
            r = rng.random()
            if r < 0.015:
                la, area = "WAL", "Q"
            elif r < 0.02:
                la, area = "SCO", "J"
            else:
                i = rng.randrange(len(NEIGHBOURS))
                la, area = NEIGHBOURS[i], NEIGHBOUR_AREAS[i]
            location = "Out"
        else:
            la, area, location = COUNCIL, HOME_AREA, "In"
        if rng.random() < 0.01:
            la = "CON"  # confidential placement
        if ptype in ("K1", "K2", "H5", "R1", "S1"):
            urn = f"SC9{rng.randrange(10_000, 99_999)}"
        elif ptype.startswith(("U", "A")) and provider in ("PR4", "PR5"):
            urn = str(rng.randrange(9_000_000, 9_999_999))
        elif ptype.startswith("U") and rng.random() < 0.3:
            urn = "XXXXXXX"
        else:
            urn = None
        return Placement(start, ptype, provider, postcode(rng, area), urn, location, la)

    def _placement_type(self, rng: random.Random, age: float, route: str) -> str:
        if route == "remand":
            return Weighted.of({"R5": 30, "K1": 20, "U6": 30, "K2": 20}).draw(rng)
        if route == "short_breaks":
            return "K2" if rng.random() < 0.6 else "U6"
        if route == "uasc":
            return Weighted.of({"H5": 40, "P2": 10, "U6": 35, "K2": 5, "U4": 10}).draw(rng)
        if rng.random() < 0.01:
            return Weighted.of({"T0": 40, "T1": 20, "T3": 20, "T4": 20}).draw(rng)
        if age < 1:
            return Weighted.of({"U6": 62, "U3": 12, "U1": 3, "P1": 5, "R3": 13, "U5": 5}).draw(rng)
        if age < 5:
            return Weighted.of({"U6": 58, "U4": 6, "U3": 14, "U1": 7, "P1": 6, "K2": 1}).draw(rng)
        if age < 10:
            return Weighted.of({"U6": 50, "U4": 16, "U3": 12, "U1": 8, "P1": 5, "K2": 5, "S1": 2,
                                "Z1": 2}).draw(rng)
        if age < 16:
            return Weighted.of({"U6": 38, "U4": 18, "U3": 8, "U1": 6, "K2": 18, "K1": 1, "P1": 4, "S1": 3,
                                "Z1": 2, "R1": 2}).draw(rng)
        return Weighted.of({"U6": 24, "U4": 12, "U3": 5, "K2": 16, "H5": 18, "P2": 15, "P1": 4, "Z1": 3,
                            "P3": 1, "R5": 2}).draw(rng)

    def _cla(self, story: Story, rng: random.Random, start: dt.date, *, route: str,
             cin: CinEpisode | None = None, end: tuple[dt.date | None, str | None] | None = None,
             placements: list[Placement] | None = None) -> CLAPeriod:
        """A period of care with placements, reviews, visits, health checks and missing episodes."""
        child = story.child
        assert child is not None and child.dob is not None
        if end is None:
            end = self._cla_end(rng, start, child.dob, route)
        cla_end, reason = end
        stop = cla_end or self.R
        age0 = self._age_at(child, start)
        # Legal status: what the order is now, and since when.
        if route == "short_breaks":
            legal, legal_start = ("V4" if rng.random() < 0.6 else "V3"), start
        elif route in ("s20", "uasc"):
            legal, legal_start = "V2", start
            if route == "s20" and (stop - start).days > 300 and rng.random() < 0.3:
                legal, legal_start = "C2", start + D(days=_u(rng, 150, 300))
        elif route == "remand":
            legal, legal_start = "J1", start
        elif route == "police" and (stop - start).days <= 10:
            legal, legal_start = "L1", start
        elif route == "adoption":
            legal, legal_start = "C1", start  # the adoption builder moves it to E1 at the placement order
        else:
            legal, legal_start = "C1", start
            final = start + D(days=_u(rng, 180, 420))
            if final <= stop:
                legal, legal_start = "C2", final
        need = {"uasc": "N8", "remand": "N6", "short_breaks": "N2", "adoption": "N1"}.get(route)
        if need is None:
            need = (Weighted.of({"N1": 75, "N5": 15, "N4": 6, "N3": 4}) if route in ("proceedings", "police")
                    else Weighted.of({"N4": 25, "N5": 25, "N1": 25, "N3": 10, "N6": 10, "N2": 5})).draw(rng)
        # Placements: unsettled at first, then steadier; some children far less stable than most.
        if placements is None:
            placements = [self._placement(rng, start, self._placement_type(rng, age0, route))]
            unstable = 4.0 if rng.random() < 0.12 else 1.0
            t = start
            while True:
                elapsed = (t - start).days
                rate = (1.8 if elapsed < 180 else 0.2 if elapsed < 730 else 0.06) * unstable
                if route == "short_breaks":
                    rate = 0.05
                t = t + D(days=max(1, round(rng.expovariate(rate) * YEAR)))
                if t >= stop:
                    break
                age = self._age_at(child, t)
                placements.append(self._placement(rng, t, self._placement_type(rng, age, route)))
        if cla_end is None and route != "short_breaks":
            self._stability_quotas(rng, child, start, placements, route)
        year_ago = add_months(self.R, -12)
        count = 0
        for i, p in enumerate(placements):
            nxt = placements[i + 1].start if i + 1 < len(placements) else stop
            if p.start <= stop and nxt > year_ago:
                count += 1
        period = CLAPeriod(start, cla_end, reason, need, "Yes" if rng.random() < 0.04 else "No", legal,
                           legal_start, placements, max(1, count))
        self._cla_checks(period, rng, child, stop, quotas=cla_end is None and route != "short_breaks")
        period.permanence_plan = self._permanence(rng, age0, route, (stop - start).days)
        self._missing(period, rng, child, stop)
        age_now = self._age_at(child, stop)
        period.team = "Leaving Care Team" if age_now >= 16 and rng.random() < 0.25 else "Children in Care Team"
        period.worker = self._pick(period.team, rng)
        story.cla.append(period)
        # The child in need episode that runs alongside the care (List 6 shows them as looked after).
        if cin is None:
            cin_start = start - D(days=_u(rng, 0, 400)) if rng.random() < 0.6 else start
            cin = CinEpisode(min(start, self._after_birth(story, cin_start)), need)
            story.cin.append(cin)
        cin.primary_need = cin.primary_need or need
        if cla_end is not None:
            cin.team, cin.worker = period.team, period.worker
            rc = ("RC1" if reason in ("E11", "E12") else "RC4" if reason in ("E45", "E46", "E47", "E48")
                  else "RC5" if reason == "E3" else "RC2" if reason == "E2"
                  else "RC6" if reason == "E7" else "RC7")
            if reason in ("E4A", "E4B") and rng.random() < 0.4:
                cin.closure = self._due(cla_end + D(days=_u(rng, 60, 300)))
            else:
                cin.closure = self._due(cla_end + D(days=_u(rng, 0, 20)))
            cin.closure_reason = rc if cin.closure else None
        else:
            cin.closure, cin.closure_reason = None, None
        # Care leavers: eligible (16–17, still in care) and those who just left at 16+.
        if child.dob is not None:
            left_age = age_on(child.dob, cla_end) if cla_end else None
            in_care_since_14 = (stop - max(start, add_years(child.dob, 14))).days >= 91
            if cla_end is None and age_on(child.dob, self.R) >= 16 and in_care_since_14 and rng.random() < 0.3:
                story.care_leaver = self._care_leaver(rng, child, None, "Eligible child",
                                                      placement=placements[-1].type)
            elif cla_end is not None and left_age is not None and left_age >= 16 and in_care_since_14 \
                    and reason not in ("E11", "E12", "E2", "E3", "E15"):
                elig = "Former relevant child" if left_age >= 18 else "Relevant child"
                story.care_leaver = self._care_leaver(rng, child, cla_end, elig)
        return period

    def _stability_quotas(self, rng: random.Random, child: Child, start: dt.date, placements: list[Placement],
                          route: str) -> None:
        R = self.R
        if (self._age_at(child, R) < 15 and start <= add_months(R, -32) and placements[-1].start <= add_years(R, -2)
                and self._owe("cla_recent_move")):
            t = R - D(days=_u(rng, 60, 600))
            placements.append(self._placement(rng, t, self._placement_type(rng, self._age_at(child, t), route)))
        if placements[-1].start < R - D(days=330) and self._owe("cla_three_placements"):
            for t in sorted((R - D(days=_u(rng, 200, 320)), R - D(days=_u(rng, 20, 180)))):
                placements.append(self._placement(rng, t, self._placement_type(rng, self._age_at(child, t), route)))

    def _cla_checks(self, period: CLAPeriod, rng: random.Random, child: Child, stop: dt.date,
                    quotas: bool = False) -> None:
        """Reviews, visits, IRO contact, health and dental checks as at the as-at date (or the end)."""
        start = period.start
        latest = None
        due = self.wd.add(start, 20)  # first review within 20 working days
        n = 0
        while due <= stop:
            r = rng.random()
            held = due - D(days=_u(rng, 0, 12)) if r < 0.89 else due + D(days=_u(rng, 5, 50))
            if r < 0.98 and start <= held <= stop:
                latest = held
            due = add_months(due, 3 if n == 0 else 6)
            n += 1
        period.latest_review = latest
        if period.end is None:
            r = rng.random()
            gap = _u(rng, 0, 42) if r < 0.87 else _u(rng, 43, 100) if r < 0.98 else None
            period.last_visit = None if gap is None else max(start, self.R - D(days=gap))
        else:
            period.last_visit = max(start, stop - D(days=_u(rng, 0, 30)))
        if latest is not None and rng.random() < 0.96:
            period.last_iro_contact = min(stop, max(start, latest + D(days=_u(rng, -7, 14))))
        in_care = (stop - start).days
        age = self._age_at(child, stop)
        if in_care >= 365:
            r = rng.random()
            period.last_health_assessment = (stop - D(days=_u(rng, 0, 364)) if r < 0.88
                                             else stop - D(days=_u(rng, 366, 540)) if r < 0.97 else None)
            r = rng.random()
            period.last_dental_check = (None if age < 1.5 and r < 0.7
                                        else stop - D(days=_u(rng, 0, 364)) if r < 0.78
                                        else stop - D(days=_u(rng, 366, 700)) if r < 0.95 else None)
        else:
            iha = start + D(days=_u(rng, 10, 40))
            period.last_health_assessment = iha if iha <= stop and rng.random() < 0.93 else None
            dental = start + D(days=_u(rng, 20, 250))
            period.last_dental_check = dental if dental <= stop and age >= 1 and rng.random() < 0.7 else None
        # No check is recorded before a child is six months old.
        floor = child.dob + D(days=182) if child.dob else start
        if period.last_health_assessment and period.last_health_assessment < min(floor, start):
            period.last_health_assessment = None
        if period.last_dental_check and period.last_dental_check < floor:
            period.last_dental_check = None
        if not quotas:
            return
        R = self.R
        if start <= add_months(R, -10) and self._owe("cla_review_late"):
            period.latest_review = add_months(R, -6) - D(days=_u(rng, 5, 40))
            period.last_iro_contact = period.latest_review
        if self._owe("cla_visit_late"):
            period.last_visit = max(start, R - D(days=_u(rng, 50, 90)))
        if in_care >= 400 and self._owe("cla_health_late"):
            period.last_health_assessment = R - D(days=_u(rng, 380, 500))
        if in_care >= 400 and age >= 3 and self._owe("cla_dental_late"):
            period.last_dental_check = R - D(days=_u(rng, 380, 600))

    def _permanence(self, rng: random.Random, age: float, route: str, days_in_care: int) -> str | None:
        if days_in_care < 90 and rng.random() < 0.4:
            return None
        if rng.random() < 0.04:
            return None
        if route == "adoption":
            return "Adoption"
        if route == "uasc":
            return Weighted.of({"Supported living in the community": 55, "Long-term fostering": 40,
                                "other": 5}).draw(rng)
        if route == "short_breaks":
            return "Return to family"
        if age < 10:
            return Weighted.of({"Long-term fostering": 45, "SGO/CAO": 22, "Return to family": 25, "Adoption": 3,
                                "other": 5}).draw(rng)
        if age < 16:
            return Weighted.of({"Long-term fostering": 55, "Long-term residential placement": 10,
                                "Return to family": 22, "SGO/CAO": 6, "other": 7}).draw(rng)
        return Weighted.of({"Supported living in the community": 40, "Long-term fostering": 35,
                            "Return to family": 12, "Long-term residential placement": 6, "other": 7}).draw(rng)

    def _missing(self, period: CLAPeriod, rng: random.Random, child: Child, stop: dt.date) -> None:
        age = self._age_at(child, stop)
        residential = period.placements[-1].type in ("K1", "K2", "H5", "P2", "R1", "S1")
        p = 0.01 if age < 11 else 0.35 if residential else 0.10
        owed = period.end is None and age >= 12 and period.legal_status not in ("V3", "V4") and self._owe("cla_missing")
        if rng.random() < p or owed:
            period.missing_last_12m = min(40, 1 + int(rng.expovariate(1 / 3.0)))
            period.rhi_offered = Weighted.of({"Yes": 82, "No": 10, "Unknown": 3, "": 5}).draw(rng) or None
            if period.rhi_offered == "Yes":
                period.rhi_accepted = Weighted.of({"Yes": 55, "No": 40, "Unknown": 5}).draw(rng)
            elif period.rhi_offered == "No":
                period.rhi_accepted = "No" if rng.random() < 0.6 else None
        if rng.random() < (0.08 if age >= 11 else 0.01):
            period.absent_last_12m = _u(rng, 1, 6)

    def cla_leaving_at_18(self, rng: random.Random, key: dt.date) -> list[Story]:
        """A young person reaching 18 in care on ``key`` (they become a former relevant child)."""
        dob = add_years(key, -18)
        start = dob + D(days=round(rng.uniform(10.0, 17.5) * YEAR))
        route = "uasc" if rng.random() < 0.2 else Weighted.of({"proceedings": 75, "s20": 25}).draw(rng)
        if route == "uasc":
            start = dob + D(days=round(rng.uniform(15.0, 17.5) * YEAR))
        child = Child("Male" if route == "uasc" else GENDER.draw(rng),
                      (UASC_ETHNICITY if route == "uasc" else ETHNICITY).draw(rng), dob, DISABILITY.draw(rng),
                      uasc=route == "uasc")
        story = Story(child)
        self._cla(story, rng, start, route=route, end=(key, AGE18_REASON.draw(rng)))
        return [story]

    # ------------------------------------------------------------------ care leavers
    def _care_leaver(self, rng: random.Random, child: Child, left: dt.date | None, eligibility: str,
                     placement: str | None = None) -> CareLeaver:
        pa = self._pick(PERSONAL_ADVISORS, rng)
        age = age_on(child.dob, self.R) if child.dob else 18
        if eligibility in ("Eligible child", "Relevant child"):
            team, worker = "Leaving Care Team", self._pick("Leaving Care Team", rng)
        else:
            team, worker = "Leaving Care Team", pa if rng.random() < 0.5 else self._pick("Leaving Care Team", rng)
        r = rng.random()
        review = (self.R - D(days=_u(rng, 0, 182)) if r < 0.82 else self.R - D(days=_u(rng, 183, 400))
                  if r < 0.95 else None)
        in_touch = "Yes" if eligibility == "Eligible child" else IN_TOUCH.draw(rng)
        if in_touch == "NREQ" and age < 21:
            in_touch = "Yes"
        if eligibility != "Eligible child" and in_touch == "Yes" and self._owe("care_leaver_not_in_touch"):
            in_touch = "No"
        if in_touch == "Yes":
            contact = self.R - D(days=_mix(rng, ((85, 0, 56), (15, 57, 120))))
        elif in_touch in ("No", "Refu"):
            contact = self.R - D(days=_u(rng, 90, 400)) if rng.random() < 0.7 else None
        else:
            contact = None
        if left is not None:
            review = max(review, left) if review else review
            contact = max(contact, left) if contact else contact
        if eligibility == "Eligible child":
            # Still in care: the accommodation is the placement (foster care has no letter: Y, other).
            accommodation = ("C" if placement in ("K1", "K2", "R1", "S1") else "D" if placement in ("H5", "P2")
                             else "B" if placement == "P1" else "Y") if rng.random() < 0.9 else None
            suitable = None if accommodation is None else "Suitable" if rng.random() < 0.97 else "Unsuitable"
            activity = Weighted.of({"F2": 70, "P2": 8, "F4": 4, "G5": 14, "G4": 4}).draw(rng)
        elif in_touch in ("Yes", "NREQ"):
            accommodation = ACCOMMODATION.draw(rng)
            if accommodation == "Z" and age >= 21:
                accommodation = "U"
            suitable = "Unsuitable" if accommodation in UNSUITABLE else (
                "Suitable" if rng.random() < 0.95 else "Unsuitable")
            activity = ACTIVITY.draw(rng) if rng.random() < 0.97 else None
            if suitable == "Suitable" and self._owe("care_leaver_unsuitable"):
                accommodation, suitable = "W", "Unsuitable"
            if activity and activity.startswith(("F", "P")) and self._owe("care_leaver_neet"):
                activity = "G5"
            elif activity and activity.startswith("G") and self._owe("care_leaver_eet"):
                activity = "F5"
        elif in_touch in ("Died", "Rhom"):
            accommodation = "B" if in_touch == "Rhom" else None
            suitable = "Suitable" if in_touch == "Rhom" else None
            activity = None
        else:
            accommodation = "R" if rng.random() < 0.5 else None
            suitable = "Unsuitable" if accommodation else None
            activity = None
        uasc = ("Yes" if child.uasc else "No") if rng.random() < 0.97 else None
        return CareLeaver(eligibility, team, worker, pa, review, in_touch, contact, accommodation, suitable,
                          activity, uasc)

    def care_leaver(self, rng: random.Random, key: dt.date) -> list[Story] | None:
        """A young person who left care on ``key`` (before the window) and is still entitled."""
        uasc = rng.random() < 0.12
        left_age = 18.0 if rng.random() < 0.88 else rng.uniform(16.0, 17.9)
        dob = key - D(days=round(left_age * YEAR))
        age_now = age_on(dob, self.R)
        if age_now >= 25 or (age_now >= 21 and rng.random() > 0.35):
            return None
        if left_age < 18 and age_now >= 18:
            elig = "Former relevant child"
        elif left_age < 18:
            elig = "Relevant child"
        else:
            elig = "Former relevant child" if rng.random() < 0.96 else "Qualifying care leaver"
        child = Child("Male" if uasc and rng.random() < 0.9 else GENDER.draw(rng),
                      (UASC_ETHNICITY if uasc else ETHNICITY).draw(rng), dob, DISABILITY.draw(rng), uasc=uasc)
        story = Story(child)
        story.care_leaver = self._care_leaver(rng, child, key, elig)
        return [story]

    # ------------------------------------------------------------------ adoption
    def _adoptive_placements(self, rng: random.Random, entered: dt.date, ffa: dt.date | None,
                             placed: dt.date | None) -> list[Placement]:
        first = self._placement(rng, entered, "U6" if rng.random() < 0.9 else "U3")
        out = [first]
        if ffa is not None and ffa > entered:
            out.append(self._placement(rng, ffa, "U5"))
        elif ffa is None and rng.random() < 0.25:
            mid = entered + D(days=_u(rng, 30, 200))
            if placed is None or mid < placed:
                out.append(self._placement(rng, mid, "U6"))
        if placed is not None:
            out.append(self._placement(rng, placed, "A5" if ffa is not None else "A6"))
        return [p for p in out if p.start <= self.R]

    def _household(self, rng: random.Random, family_id: str, *, matched: dt.date | None,
                   placed: dt.date | None, order: dt.date | None, children: int, ffa: bool,
                   approved: dt.date | None = None) -> list[Adopter]:
        """One adoptive household (a couple or a single adopter) sharing the family identifier."""
        anchor = approved or (matched - D(days=_u(rng, 20, 250)) if matched else self.R)
        stage2_end = anchor
        stage2_start = stage2_end - D(days=_u(rng, 100, 140))
        stage1_end = stage2_start - D(days=_u(rng, 0, 30))
        stage1_start = stage1_end - D(days=_u(rng, 45, 70))
        enquiry = stage1_start - D(days=_u(rng, 7, 60))
        size = 2 if rng.random() < 0.72 else 1
        if size == 2:
            genders = Weighted.of({("Female", "Male"): 80, ("Female", "Female"): 11, ("Male", "Male"): 9}).draw(rng)
        else:
            genders = ("Female",) if rng.random() < 0.85 else ("Male",)
        people = []
        for g in genders:
            people.append(Adopter(
                self.adopter_ids.next(), family_id, g, ADOPTER_ETHNICITY.draw(rng),
                "Yes" if rng.random() < 0.04 else "No", "Yes" if ffa else "No", enquiry,
                stage1_start, stage1_end, stage2_start, stage2_end,
                stage2_start + D(days=_u(rng, 0, 7)), stage2_end, matched, placed,
                children if placed else None, order))
        return people

    def _adoption_child(self, rng: random.Random, entered: dt.date) -> Child:
        lo, hi = Weighted.of({(0.0, 0.06): 55, (0.06, 3.0): 30, (3.0, 5.0): 15}).draw(rng)
        dob = entered - D(days=round(rng.uniform(lo, hi) * YEAR))
        return Child(GENDER.draw(rng), ETHNICITY.draw(rng), dob,
                     Weighted.of({"No": 85, "Yes": 6, "Unknown": 9}).draw(rng))

    def _adoption_story(self, rng: random.Random, adoption: Adoption, child: Child, *, ceased: bool) -> Story:
        story = Story(child, adoption=adoption)
        placements = self._adoptive_placements(rng, adoption.entered_care, adoption.ffa_placement,
                                               adoption.placed_for_adoption)
        order = adoption.adoption_order
        end = (order, "E12" if rng.random() < 0.7 else "E11") if ceased and order else (None, None)
        if end[0] is not None and end[0] < self.W0:
            # Adopted before the 6-month window: no List 8 row, but still in List 10.
            return story
        period = self._cla(story, rng, adoption.entered_care, route="adoption", end=end, placements=placements)
        if adoption.placement_order is not None:
            period.legal_status, period.legal_status_start = "E1", adoption.placement_order
        period.permanence_plan = "Adoption"
        return story

    def adopted(self, rng: random.Random, key: dt.date) -> list[Story]:
        """A child adopted on ``key`` (in the 12 months), with the A1/A2 dates behind it."""
        order = key
        placed = order - D(days=_u(rng, 75, 330))
        matched = placed - D(days=_u(rng, 7, 42))
        ffa = rng.random() < 0.12
        if ffa:
            po_to_match = -_u(rng, 1, 60) if rng.random() < 0.5 else _u(rng, 20, 120)
        else:
            po_to_match = _mix(rng, ((6, -60, -1), (50, 30, 150), (32, 150, 300), (12, 300, 500)))
        po = matched - D(days=po_to_match)
        adm = po - D(days=_u(rng, 30, 200))
        entered = adm - D(days=_u(rng, 60, 250))
        if po_to_match < 0 and po > placed:
            po = placed - D(days=1)
        adoption = Adoption(None, entered, adm, po, matched, placed, order,
                            ffa_placement=entered + D(days=_u(rng, 5, 60)) if ffa else None)
        siblings = 2 if rng.random() < 0.12 else 1
        family = self.family_ids.next()
        adoption.family_id = family
        stories = []
        for i in range(siblings):
            child = self._adoption_child(rng, entered)
            if i:
                child.dob = child.dob - D(days=_u(rng, 365, 3 * 365))
                child.ethnicity = stories[0].child.ethnicity
            a = dataclasses.replace(adoption)
            stories.append(self._adoption_story(rng, a, child, ceased=True))
        stories[0].adopters = self._household(rng, family, matched=matched, placed=placed, order=order,
                                              children=siblings, ffa=ffa)
        return stories

    def adm_decision(self, rng: random.Random, key: dt.date) -> list[Story]:
        """A decision (``key``, in the 12 months) that a child should be placed for adoption."""
        adm = key
        entered = adm - D(days=_u(rng, 60, 300))
        po = self._due(adm + D(days=_u(rng, 30, 200)))
        matched = self._due(po + D(days=_mix(rng, ((60, 30, 150), (40, 150, 300))))) if po else None
        placed = self._due(matched + D(days=_u(rng, 7, 42))) if matched else None
        order = self._due(placed + D(days=_u(rng, 75, 330))) if placed else None
        siblings = 2 if rng.random() < 0.12 else 1
        family = self.family_ids.next() if (matched or siblings > 1) else None
        adoption = Adoption(family, entered, adm, po, matched, placed, order)
        stories = []
        for i in range(siblings):
            child = self._adoption_child(rng, entered)
            if i:
                child.dob = child.dob - D(days=_u(rng, 365, 3 * 365))
            stories.append(self._adoption_story(rng, dataclasses.replace(adoption), child, ceased=True))
        if matched and family:
            stories[0].adopters = self._household(rng, family, matched=matched, placed=placed, order=order,
                                                  children=siblings, ffa=False)
        return stories

    def adoption_reversed(self, rng: random.Random, key: dt.date) -> list[Story]:
        """A decision (``key``) that a child should no longer be placed for adoption."""
        reason = Weighted.of({"RD1": 25, "RD2": 20, "RD3": 35, "RD4": 20}).draw(rng)
        adm = key - D(days=_u(rng, 60, 400))
        entered = adm - D(days=_u(rng, 60, 300))
        po = None if reason == "RD2" else adm + D(days=_u(rng, 30, 150))
        if po is not None and po >= key:
            po = key - D(days=_u(rng, 5, 30))
        adoption = Adoption(None, entered, adm, po, no_longer_placed_decision=key, no_longer_placed_reason=reason)
        child = self._adoption_child(rng, entered)
        if reason == "RD3":
            child.dob = child.dob - D(days=_u(rng, 2 * 365, 4 * 365))
        story = Story(child, adoption=adoption)
        placements = self._adoptive_placements(rng, entered, None, None)
        period = self._cla(story, rng, entered, route="proceedings", placements=placements,
                           end=(None, None) if rng.random() < 0.8 else
                           (self._due(key + D(days=_u(rng, 30, 200))), SGO_REASON.draw(rng)))
        if period.end is None:
            period.reason_ceased = None
        period.permanence_plan = "Long-term fostering" if rng.random() < 0.7 else "SGO/CAO"
        return [story]

    def adopter_household(self, rng: random.Random, key: dt.date) -> list[Story] | None:
        """Prospective adopters enquiring on ``key``, at whatever stage they have reached."""
        family = self.family_ids.next()
        stage1_start = self._due(key + D(days=_u(rng, 7, 60))) if rng.random() < 0.7 else None
        stage1_end = self._due(stage1_start + D(days=_u(rng, 45, 70))) if stage1_start else None
        stage2_start = self._due(stage1_end + D(days=_u(rng, 0, 30))) if stage1_end and rng.random() < 0.85 else None
        stage2_end = self._due(stage2_start + D(days=_u(rng, 100, 140))) if stage2_start else None
        approved = stage2_end if stage2_end and rng.random() < 0.92 else None
        people = self._household(rng, family, matched=None, placed=None, order=None, children=0,
                                 ffa=rng.random() < 0.15, approved=approved or key)
        left = reason = None
        last = approved or stage2_start or stage1_end or stage1_start or key
        if approved is None and rng.random() < 0.35:
            left = self._due(last + D(days=_u(rng, 5, 90)))
            reason = Weighted.of({"1": 60, "2": 28, "3": 12}).draw(rng) if left else None
        for p in people:
            p.enquiry_date, p.stage1_start, p.stage1_end = key, stage1_start, stage1_end
            p.stage2_start, p.stage2_end = stage2_start, stage2_end
            p.application_submitted = (stage2_start + D(days=_u(rng, 0, 7))) if stage2_start else None
            p.application_submitted = self._due(p.application_submitted)
            p.application_approved = approved
            p.left_process, p.leaving_reason = left, reason
        if max(p.last_activity() for p in people) < self.Y0:
            return None
        story = Story(None)
        story.adopters = people
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
