"""Children in care and care leavers: periods of care, placements, reviews, visits, health.

A period of care is built from its start: a route in (care proceedings, section 20, police
protection, unaccompanied asylum-seeking child, remand, short breaks), an end and its reason
(home, special guardianship, another LA, or the 18th birthday), then the placements within it
(unsettled at first, steadier later, a minority far less stable), and the as-at snapshot of
reviews, visits, IRO contact, health and dental checks and missing episodes. Leaving care at
16 or later makes a care leaver; still in care at 16–17 makes an eligible child.
"""

from __future__ import annotations

import datetime as dt
import random

from oversight.engine.synth.base import (
    ACCOMMODATION,
    ACTIVITY,
    AGE18_REASON,
    CLA_AGE,
    HOME_REASON,
    IN_TOUCH,
    SGO_REASON,
    UNSUITABLE,
    YEAR,
    BuilderBase,
    D,
    _mix,
    _u,
)
from oversight.engine.synth.dates import add_months, add_years, age_on
from oversight.engine.synth.model import (
    CareLeaver,
    Child,
    CinEpisode,
    CLAPeriod,
    Contact,
    Placement,
    Referral,
    Story,
)
from oversight.engine.synth.people import (
    COUNCIL,
    DISABILITY,
    ETHNICITY,
    GENDER,
    HOME_AREA,
    NEIGHBOUR_AREAS,
    NEIGHBOURS,
    PERSONAL_ADVISORS,
    UASC_ETHNICITY,
    Weighted,
    postcode,
)


class CareJourneys(BuilderBase):
    """Builders for Lists 8 and 9 (and the List 6 episode that runs alongside care)."""

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
        reason: str | None
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
        contact: dt.date | None
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

