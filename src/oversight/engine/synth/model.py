"""The story of one synthetic child: every event a council's system would hold about them.

A story is built first (dates that hang together: contact → referral → assessment → S47 → ICPC
→ CP plan → care…) and only then cut into the eleven Annex A lists by ``rows.py``, which applies
the reporting windows. Keeping the two apart is what makes the links hold by construction:
a CP plan's row and its S47 row come from the same ``CPPlan``/``S47`` pair, so they cannot
disagree, whichever list's window they fall in.

Picklist fields hold canonical codes (``docs/annex-a-tables.md``: ``Yes``, ``U6``, ``WBRI``…);
the writer turns them into the published text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Date = dt.date


@dataclass
class Child:
    gender: str
    ethnicity: str
    dob: Date | None  # None: unborn at the as-at date
    disability: str
    uasc: bool = False
    child_id: str = ""  # given when the story is written, so ids are dense and in writing order


@dataclass
class Contact:
    date: Date
    source: str


@dataclass
class Referral:
    date: Date
    source: str
    nfa: bool
    team: str
    worker: str


@dataclass
class Assessment:
    start: Date
    authorised: Date | None
    child_seen: str
    requires_support: str | None
    team: str
    worker: str


@dataclass
class S47:
    start: Date
    concluded: Date | None  # decision reached (ICPC held, or ICPC judged unnecessary); None = open
    icpc_not_required: str | None
    icpc_date: Date | None
    icpc_cp_plan: str | None
    team: str
    worker: str


@dataclass
class CinEpisode:
    start: Date
    primary_need: str
    closure: Date | None = None
    closure_reason: str | None = None
    team: str = ""
    worker: str = ""
    # Filled by ``finalise``: what the row shows at the as-at date (or at closure).
    case_status: str = ""
    last_seen: Date | None = None
    start_blank: bool = False  # a realistic gap: the CIN start date was never recorded


@dataclass
class CPPlan:
    start: Date
    end: Date | None
    initial_category: str
    latest_category: str
    last_visit: Date | None
    seen_alone: str | None
    latest_review: Date | None
    epo_last_6m: str
    previous_cpps: int
    team: str
    worker: str


@dataclass
class Placement:
    start: Date
    type: str
    provider: str
    postcode: str
    urn: str | None
    location: str
    la: str


@dataclass
class CLAPeriod:
    start: Date
    end: Date | None
    reason_ceased: str | None
    category_of_need: str
    subsequent_period: str
    legal_status: str
    legal_status_start: Date
    placements: list[Placement]
    placements_last_12m: int = 1
    latest_review: Date | None = None
    last_visit: Date | None = None
    permanence_plan: str | None = None
    last_iro_contact: Date | None = None
    last_health_assessment: Date | None = None
    last_dental_check: Date | None = None
    missing_last_12m: int = 0
    absent_last_12m: int = 0
    rhi_offered: str | None = None
    rhi_accepted: str | None = None
    team: str = ""
    worker: str = ""


@dataclass
class CareLeaver:
    eligibility: str
    team: str
    worker: str
    personal_advisor: str
    pathway_review: Date | None
    in_touch: str
    latest_contact: Date | None
    accommodation: str | None
    accommodation_suitable: str | None
    activity: str | None
    uasc: str | None


@dataclass
class EarlyHelp:
    start: Date
    end: Date | None
    organisation: str


@dataclass
class Adoption:
    family_id: str | None
    entered_care: Date
    adm_decision: Date
    placement_order: Date | None = None
    matched: Date | None = None
    placed_for_adoption: Date | None = None
    adoption_order: Date | None = None
    no_longer_placed_decision: Date | None = None
    no_longer_placed_reason: str | None = None
    ffa_placement: Date | None = None


@dataclass
class Adopter:
    adopter_id: str
    family_id: str | None
    gender: str
    ethnicity: str
    disability: str
    fostering_for_adoption: str
    enquiry_date: Date
    stage1_start: Date | None = None
    stage1_end: Date | None = None
    stage2_start: Date | None = None
    stage2_end: Date | None = None
    application_submitted: Date | None = None
    application_approved: Date | None = None
    matched: Date | None = None
    placed: Date | None = None
    children_placed: int | None = None
    adoption_order: Date | None = None
    left_process: Date | None = None
    leaving_reason: str | None = None

    def last_activity(self) -> Date:
        dates = [d for d in (self.enquiry_date, self.stage1_start, self.stage1_end, self.stage2_start,
                             self.stage2_end, self.application_submitted, self.application_approved,
                             self.matched, self.placed, self.adoption_order, self.left_process) if d]
        return max(dates)


@dataclass
class Story:
    child: Child | None  # None for a household of prospective adopters with no child yet
    contacts: list[Contact] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    s47s: list[S47] = field(default_factory=list)
    cin: list[CinEpisode] = field(default_factory=list)
    cp: list[CPPlan] = field(default_factory=list)
    cla: list[CLAPeriod] = field(default_factory=list)
    care_leaver: CareLeaver | None = None
    early_help: list[EarlyHelp] = field(default_factory=list)
    adoption: Adoption | None = None
    adopters: list[Adopter] = field(default_factory=list)
