"""Adoption: children with a decision to place for adoption, and the adopters (Lists 10–11).

Built backwards from the event that puts a child in List 10 — an adoption order, a decision
to place, or a decision no longer to place — so the A1 clock (entered care → placed) and the
A2 clock (placement order → match) come out near England's averages. Adopters share the
family identifier with the children matched with them; prospective adopters at every stage
make up the rest of List 11.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from oversight.engine.synth.base import (
    SGO_REASON,
    YEAR,
    D,
    _mix,
    _u,
)
from oversight.engine.synth.care import CareJourneys
from oversight.engine.synth.model import (
    Adopter,
    Adoption,
    Child,
    Placement,
    Story,
)
from oversight.engine.synth.people import (
    ADOPTER_ETHNICITY,
    ETHNICITY,
    GENDER,
    Weighted,
)


class AdoptionJourneys(CareJourneys):
    """Builders for Lists 10 and 11 (and the care those children are in)."""

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

    @staticmethod
    def _older(child: Child, days: int) -> dt.date:
        assert child.dob is not None  # adoption children are always born
        return child.dob - D(days=days)

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
        stories: list[Story] = []
        first: Child | None = None
        for _ in range(siblings):
            child = self._adoption_child(rng, entered)
            if first is None:
                first = child
            else:  # an older brother or sister, adopted together
                child.dob = self._older(child, _u(rng, 365, 3 * 365))
                child.ethnicity = first.ethnicity
            stories.append(self._adoption_story(rng, dataclasses.replace(adoption), child, ceased=True))
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
        stories: list[Story] = []
        for i in range(siblings):
            child = self._adoption_child(rng, entered)
            if i:
                child.dob = self._older(child, _u(rng, 365, 3 * 365))
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
        if reason == "RD3":  # older children wait longest for adopters
            child.dob = self._older(child, _u(rng, 2 * 365, 4 * 365))
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

