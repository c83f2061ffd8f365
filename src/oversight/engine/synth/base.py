"""What every journey builder shares: the as-at date and windows, people, and the rate tables.

The tables are the realistic shapes the journeys draw from (age bands, assessment and ICPC
lengths in working days, plan lengths, outcome mixes), kept together so they can be read and
tuned in one place. ``BuilderBase`` holds the state one workbook's builders share.
"""

from __future__ import annotations

import datetime as dt
import random

from oversight.engine.synth.dates import add_months
from oversight.engine.synth.model import S47, Assessment, Child, CinEpisode, Contact, Referral, Story
from oversight.engine.synth.people import (
    CONTACT_SOURCE,
    DISABILITY,
    ETHNICITY,
    GENDER,
    REFERRAL_SOURCE,
    IdAllocator,
    Weighted,
    WorkerPools,
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



class BuilderBase:
    """The as-at date, the windows, the people and the one-off imperfections of one workbook.

    The cohort builders are mixed into one ``JourneyBuilder`` because journeys cross areas: a CP
    plan can end with the child coming into care, a child coming into care may have just been
    referred, an adopted child was looked after first.
    """

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

    def _age_at(self, child: Child | None, on: dt.date) -> float:
        if child is None or child.dob is None:
            return 0.0
        return max(0.0, (on - child.dob).days / YEAR)

    def _pick(self, team: str, rng: random.Random) -> str:
        return self.pools.pick(team, rng)

    @staticmethod
    def _after_birth(story: Story, d: dt.date) -> dt.date:
        """``d``, or the date of birth if ``d`` is earlier: a born child's record starts at birth."""
        dob = story.child.dob if story.child is not None else None
        return d if dob is None or d >= dob else dob

    # ------------------------------------------------------------------ front-door steps every area uses
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
