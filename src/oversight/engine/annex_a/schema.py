"""Declarative schema of Ofsted's Annex A Lists 1–11.

Why declarative: the loader, the validator, the synthetic generator and the documentation all
read the same description, so a change in Ofsted's template (e.g. the 2026 ``Gender``→``Sex``
rename) is one new :class:`SchemaVersion`, never an edit scattered through code.

Column order, blank rules and picklists follow the research spec §1.3–1.4 (LIIA schema,
cross-checked against the LIIA sample workbook). Canonical table and column names follow
``docs/annex-a-tables.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

ColumnType = Literal["date", "int", "text", "code"]


@dataclass(frozen=True)
class Code:
    """One picklist entry: canonical ``code`` as stored, ``text`` as published in the template.

    ``aliases`` are other spellings councils' systems export for the same entry (e.g. ``Y``).
    """

    code: str
    text: str
    aliases: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Column:
    """One column of a list: canonical ``key``, published ``header`` and known header ``variants``."""

    key: str
    header: str
    type: ColumnType
    required: bool
    codes: tuple[Code, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListSpec:
    """One Annex A list: its number, stored table name, title and columns in published order."""

    number: int
    table: str
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"List {self.number} has no column {key!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@dataclass(frozen=True)
class SchemaVersion:
    """A whole Annex A template version."""

    version: str
    lists: tuple[ListSpec, ...]

    def list(self, number_or_table: int | str) -> ListSpec:
        for spec in self.lists:
            if number_or_table in (spec.number, spec.table):
                return spec
        raise KeyError(f"No list {number_or_table!r} in Annex A schema {self.version}")


# ---------------------------------------------------------------------------------------------
# Picklists (§1.3 and the per-list tables of §1.4)
# ---------------------------------------------------------------------------------------------


def _letters() -> list[str]:
    return [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["zz"]


def _plain(*texts: str, aliases: dict[str, tuple[str, ...]] | None = None) -> tuple[Code, ...]:
    """Picklist without embedded DfE codes: canonical value is the text after ``a) ``."""
    aliases = aliases or {}
    return tuple(
        Code(t, f"{letter}) {t}", aliases.get(t, ())) for letter, t in zip(_letters(), texts, strict=False)
    )


def _coded(pairs: list[tuple[str, str]], sep: str = ": ", lettered: bool = True) -> tuple[Code, ...]:
    """Picklist whose published text embeds a DfE code, e.g. ``f) U6: Foster placement - not FFA``."""
    out = []
    for letter, (code, desc) in zip(_letters(), pairs, strict=False):
        text = f"{code}{sep}{desc}"
        out.append(Code(code, f"{letter}) {text}" if lettered else text))
    return tuple(out)


YES_NO = _plain("Yes", "No", aliases={"Yes": ("Y",), "No": ("N",)})
YES_NO_UNKNOWN = _plain("Yes", "No", "Unknown", aliases={"Yes": ("Y",), "No": ("N",), "Unknown": ("U",)})

GENDER = _plain(
    "Male", "Female", "Not stated/recorded", "Neither",
    aliases={"Male": ("M",), "Female": ("F",), "Not stated/recorded": ("U", "Not stated", "Not recorded")},
)

ETHNICITY = (
    Code("WBRI", "a) WBRI"), Code("WIRI", "b) WIRI"), Code("WIRT", "c) WIRT"), Code("WOTH", "d) WOTH"),
    Code("WROM", "e) WROM"), Code("MWBC", "f) MWBC"), Code("MWBA", "g) MWBA"), Code("MWAS", "h) MWAS"),
    Code("MOTH", "i) MOTH"), Code("AIND", "j) AIND"), Code("APKN", "k) APKN"), Code("ABAN", "l) ABAN"),
    Code("AOTH", "m) AOTH"), Code("BCRB", "n) BCRB"), Code("BAFR", "o) BAFR"), Code("BOTH", "p) BOTH"),
    Code("CHNE", "q) CHNE"), Code("OOTH", "r) OOTH"), Code("REFU", "s) REFU"), Code("NOBT", "t) NOBT"),
)

SOURCE = (
    Code("1A", "a) 1A: Individual"), Code("1B", "b) 1B: Individual"), Code("1C", "c) 1C: Individual"),
    Code("1D", "d) 1D: Individual"), Code("2A", "e) 2A: Schools"), Code("2B", "f) 2B: Education services"),
    Code("3A", "g) 3A: Health services"), Code("3B", "h) 3B: Health services"),
    Code("3C", "i) 3C: Health services"), Code("3D", "j) 3D: Health services"),
    Code("3E", "k) 3E: Health services"), Code("3F", "l) 3F: Health services"), Code("4", "m) 4: Housing"),
    Code("5A", "n) 5A: LA services"), Code("5B", "o) 5B: LA services"), Code("5C", "p) 5C: LA services"),
    Code("5D", "p1) 5D: LA services"), Code("6", "q) 6: Police"), Code("7", "r) 7: Other legal agency"),
    Code("8", "s) 8: Other"), Code("9", "t) 9: Anonymous"), Code("10", "u) 10: Unknown"),
)

_NEEDS = [
    ("N1", "Abuse or neglect"), ("N2", "Child's disability"), ("N3", "Parental disability or illness"),
    ("N4", "Family in acute stress"), ("N5", "Family dysfunction"), ("N6", "Socially unacceptable behaviour"),
    ("N7", "Low income"), ("N8", "Absent parenting"), ("N9", "Cases other than children in need"),
    ("N0", "Not stated"),
]
PRIMARY_NEED = _coded(_NEEDS, sep=" - ", lettered=False)
CATEGORY_OF_NEED = _coded(_NEEDS[:8], sep=" - ", lettered=False)

CLOSURE_REASON = _coded([
    ("RC1", "Adopted"), ("RC2", "Died"), ("RC3", "Child arrangements order"),
    ("RC4", "Special guardianship order"), ("RC5", "Transferred to services of another local authority"),
    ("RC6", "Transferred to adult social care services"),
    ("RC7", "Services ceased for any other reason, including child no longer in need"),
    ("RC8", "Case closed after assessment, no further action"),
    ("RC9", "Case closed after assessment, referred to early help"),
], sep=" - ", lettered=False)

CASE_STATUS = _plain("Looked after child", "Child Protection plan", "Child in need plan", "Open assessment",
                     "Closed episode")

ABUSE_CATEGORY = _plain(
    "Neglect", "Physical abuse", "Sexual abuse", "Emotional abuse", "Multiple/not recommended",
    aliases={"Neglect": ("NEG",), "Physical abuse": ("PHY",), "Sexual abuse": ("SAB",),
             "Emotional abuse": ("EMO",), "Multiple/not recommended": ("MUL",)},
)

LEGAL_STATUS = _coded([
    ("E1", "Placement order"), ("C1", "ICO"), ("C2", "FCO"), ("D1", "Freeing order"),
    ("V2", "Single period under S20"), ("L1", "Police protection LA accommodation"), ("L2", "EPO"),
    ("L3", "Child assessment order LA accommodation"), ("J1", "Remanded to LA or youth detention"),
    ("J2", "LA accommodation under PACE"), ("J3", "Youth rehabilitation order"),
    ("V3", "Short term breaks, episodes recorded"), ("V4", "Short term breaks, agreements recorded"),
], lettered=False)

PERMANENCE_PLAN = _plain("Return to family", "Adoption", "SGO/CAO", "Supported living in the community",
                         "Long-term residential placement", "Long-term fostering", "other")

REASON_CEASED = _coded([
    ("E11", "Adopted - application unopposed"), ("E12", "Adopted - consent dispensed"), ("E2", "Died"),
    ("E3", "Care taken by another LA"), ("E4A", "Returned home to live with parents - part of planning"),
    ("E4B", "Returned home to live with parents - not part of planning"),
    ("E13", "Parents, relatives or other with no parental responsibility"),
    ("E41", "Residence order granted"),
    ("E45", "Special guardianship order - former foster carer relative or friend"),
    ("E46", "Special guardianship order - former foster carer other"),
    ("E47", "Special guardianship order - carer relative or friend"),
    ("E48", "Special guardianship order - other"), ("E5", "Moved into independent living - supported"),
    ("E6", "Moved into independent living - no support"),
    ("E7", "Transferred to residential care funded by adult social services"), ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"), ("E15", "Age assessment determined child was 18 or over"),
    ("E16", "Child moved abroad"), ("E8", "Care ceased for any other reason"), ("X1", "CodeError"),
    ("E17", "Aged 18+ and remained with current carers"),
])

PLACEMENT_TYPE = _coded([
    ("U1", "Foster placement - relatives - long term"), ("U2", "Foster placement - relatives - FFA"),
    ("U3", "Foster placement - relatives - not FFA"), ("U4", "Foster placement - long term"),
    ("U5", "Foster placement - FFA"), ("U6", "Foster placement - not FFA"),
    ("A3", "Placed for adoption - consent - with current foster carer"),
    ("A4", "Placed for adoption - consent - not with current foster carer"),
    ("A5", "Placed for adoption - placement order - with current foster carer"),
    ("A6", "Placed for adoption - placement order - not with current foster carer"),
    ("P1", "Placed with parents"), ("P2", "Independent living"), ("P3", "Residential employment"),
    ("H5", "Residential accommodation"), ("K1", "Secure Children's Homes"), ("K2", "Children's Homes"),
    ("R1", "Residential Care Home"), ("R2", "NHS/Health Trust"),
    ("R3", "Family Centre or Mother and Baby Unit"),
    ("R5", "Young Offender Institution"), ("S1", "Residential school"), ("Z1", "Other placements"),
    ("T0", "Temporary placement"), ("T1", "Temporary placement - hospital"),
    ("T2", "Temporary placement - holiday"), ("T3", "Temporary placement - carer holiday"),
    ("T4", "Temporary placement - seven days or less"),
])

PLACEMENT_PROVIDER = _coded([
    ("PR0", "Parents/Parental responsibility"), ("PR1", "Own provision"), ("PR2", "Other LA provision"),
    ("PR3", "Other public provision"), ("PR4", "Private provision"), ("PR5", "Voluntary/third sector"),
])

IN_OUT = _plain("In", "Out")
ELIGIBILITY = _plain("Relevant child", "Former relevant child", "Qualifying care leaver", "Eligible child")
IN_TOUCH = _plain("Yes", "No", "Died", "Refu", "NREQ", "Rhom", aliases={"Yes": ("Y",), "No": ("N",)})

ACCOMMODATION = _coded([
    ("B", "Parents/relatives"), ("C", "Community home/residential care"),
    ("D", "Semi-independent, transitional accommodation and self-contained accommodation"),
    ("E", "Supported lodgings"), ("G", "Abroad"), ("H", "Deported"),
    ("K", "Ordinary lodgings, without formal support"), ("R", "Residence not known"),
    ("S", "No fixed abode/homeless"), ("T", "Foyers and similar supported accommodation"),
    ("U", "Independent living"), ("V", "Emergency accommodation"), ("W", "Bed and breakfast"),
    ("X", "In custody"), ("Y", "Other accommodation"), ("Z", "With former foster carers"),
], lettered=False)

SUITABILITY = _plain("Suitable", "Unsuitable")

ACTIVITY = _coded([
    ("F1", "Full time in higher education"), ("P1", "Part time in higher education"),
    ("F2", "Full time in education other than higher"), ("P2", "Part time in education other than higher"),
    ("F3", "Full time in training or employment"), ("P3", "Part time in training or employment"),
    ("F4", "Full time apprenticeship"), ("P4", "Part time apprenticeship"),
    ("F5", "Full time training or employment (not apprenticeship)"),
    ("P5", "Part time training or employment (not apprenticeship)"),
    ("G4", "Not in education, employment or training - illness or disability"),
    ("G5", "Not in education, employment or training - other"),
    ("G6", "Not in education, employment or training - pregnancy or parenting"),
], lettered=False)

NO_LONGER_PLACED_REASON = _coded([
    ("RD1", "The child's needs changed subsequent to the decision"),
    ("RD2", "The Court did not make a placement order"),
    ("RD3", "Prospective adopters could not be found"), ("RD4", "Any other reason"),
], sep=" - ", lettered=False)

LEAVING_REASON = _coded([
    ("1", "Adopter withdrew from process"), ("2", "Process put on hold"), ("3", "Application refused"),
], sep=" - ", lettered=False)


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------


def _d(key: str, header: str, required: bool, *variants: str) -> Column:
    return Column(key, header, "date", required, (), variants)


def _i(key: str, header: str, required: bool, *variants: str) -> Column:
    return Column(key, header, "int", required, (), variants)


def _t(key: str, header: str, required: bool, *variants: str) -> Column:
    return Column(key, header, "text", required, (), variants)


def _c(key: str, header: str, required: bool, codes: tuple[Code, ...], *variants: str) -> Column:
    return Column(key, header, "code", required, codes, variants)


CHILD_ID = _t("child_id", "Child Unique ID", True, "Child ID", "Unique ID")
GENDER_COL = _c("gender", "Gender", True, GENDER)
ETHNICITY_COL = _c("ethnicity", "Ethnicity", True, ETHNICITY)
DOB = _d("date_of_birth", "Date of Birth", False, "DOB")
AGE = _i("age", "Age of Child (Years)", False, "Age", "Age of Child", "Age (Years)")
COMMON = (CHILD_ID, GENDER_COL, ETHNICITY_COL, DOB, AGE)

DISABILITY = _c("disability", "Does the Child have a Disability", True, YES_NO_UNKNOWN,
                "Does the Child have a Disability?", "Disability")
TEAM = _t("allocated_team", "Allocated Team", True)
WORKER = _t("allocated_worker", "Allocated Worker", True)

# Published headers too long to write inline.
_H = {
    "requires_support": "Was the child assessed as requiring LA children's social care support?",
    "icpc_not_required": "Was an Initial Child Protection Conference deemed unnecessary?",
    "icpc_cp_plan": "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "rhi_offered": "Was the child offered a Return Interview after their last missing episode (Y/N)?",
    "rhi_accepted": "Did the child accept a Return Interview after their last missing episode (Y/N)?",
    "uasc9": "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
    "no_longer_placed_decision": "Date of Decision that Child Should No Longer be Placed for Adoption",
    "ffa_placement": "Date the child was placed for fostering in FFA or concurrent planning placement",
    "epo_last_6m": (
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)"
    ),
    "subsequent_period": (
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)"
    ),
    "missing_last_12m": (
        "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months"
    ),
    "absent_last_12m": (
        "Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 months"
    ),
}

_LISTS_2024 = (
    ListSpec(1, "contacts", "Contacts", COMMON + (
        _d("contact_date", "Date of Contact", True, "Contact Date"),
        _c("contact_source", "Contact Source", True, SOURCE),
    )),
    ListSpec(2, "early_help", "Early help", COMMON + (
        _d("eh_assessment_start", "Assessment start date", True),
        _d("eh_assessment_end", "Assessment completion date", False),
        _t("eh_organisation", "Organisation completing assessment", True),
    )),
    ListSpec(3, "referrals", "Referrals", COMMON + (
        _d("referral_date", "Date of referral", True, "Referral Date"),
        _c("referral_source", "Referral Source", True, SOURCE),
        _c("referral_nfa", "Referral NFA?", True, YES_NO, "Referral NFA"),
        _i("referrals_last_12m", "Number of Referrals in Last 12 Months", True),
        TEAM, WORKER,
    )),
    ListSpec(4, "assessments", "Assessments", COMMON + (
        DISABILITY,
        _d("assessment_start", "Continuous Assessment Start Date", True),
        _c("child_seen", "Child Seen During Continuous Assessment", True, YES_NO_UNKNOWN),
        _d("assessment_authorised", "Continuous Assessment Date of Authorisation", False),
        _c("requires_support", _H["requires_support"], False,
           YES_NO_UNKNOWN),
        TEAM, WORKER,
    )),
    ListSpec(5, "s47", "Section 47 enquiries and ICPCs", COMMON + (
        DISABILITY,
        _d("s47_start", "Strategy discussion initiating Section 47 Enquiry Start Date", True),
        _c("icpc_not_required", _H["icpc_not_required"], False, YES_NO),
        _d("icpc_date", "Date of Initial Child Protection Conference", False),
        _c("icpc_cp_plan", _H["icpc_cp_plan"], False,
           YES_NO_UNKNOWN),
        _i("s47_last_12m", "Number of Section 47 Enquiries in the last 12 months", True),
        _i("icpcs_last_12m", "Number of ICPCs in the last 12 months", True),
        TEAM, WORKER,
    )),
    ListSpec(6, "cin", "Children in need", COMMON + (
        DISABILITY,
        _d("cin_start", "CIN Start Date", False),
        _c("primary_need", "Primary Need Code", True, PRIMARY_NEED, "Primary Need"),
        _d("last_seen", "Date Child Was Last Seen", False),
        _d("cin_closure", "CIN Closure Date", False),
        _c("closure_reason", "Reason for Closure", False, CLOSURE_REASON),
        _c("case_status", "Case Status", True, CASE_STATUS),
        TEAM, WORKER,
    )),
    ListSpec(7, "cp", "Child protection", COMMON + (
        DISABILITY,
        _d("cpp_start", "Child Protection Plan Start Date", True),
        _c("initial_category", "Initial Category of Abuse", True, ABUSE_CATEGORY),
        _c("latest_category", "Latest Category of Abuse", True, ABUSE_CATEGORY),
        _d("last_visit", "Date of the Last Statutory Visit", False),
        _c("seen_alone", "Was the Child Seen Alone?", False, YES_NO_UNKNOWN),
        _d("latest_review", "Date of latest review conference", False),
        _d("cpp_end", "Child Protection Plan End Date", False),
        _c("epo_last_6m", _H["epo_last_6m"], True, YES_NO),
        _i("previous_cpps", "Number of Previous Child Protection Plans", True),
        TEAM, WORKER,
    )),
    ListSpec(8, "cla", "Children in care", COMMON + (
        _c("uasc", "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)", True, YES_NO,
           "UASC"),
        DISABILITY,
        _d("cla_start", "Date Started to be Looked After", True),
        _c("category_of_need", "Child's Category of Need", True, CATEGORY_OF_NEED, "Category of Need"),
        _c("subsequent_period", _H["subsequent_period"], True, YES_NO),
        _d("legal_status_start", "Start date of current legal status", True),
        _c("legal_status", "Child's Legal Status", True, LEGAL_STATUS, "Legal Status"),
        _d("latest_review", "Date of Latest Statutory Review", False),
        _d("last_visit", "Date of Last Social Work Visit", False),
        _c("permanence_plan", "What is the permanence plan for this child?", False, PERMANENCE_PLAN,
           "Permanence Plan"),
        _d("last_iro_contact", "Date of Last IRO Visit / Contact to the Child", False),
        _d("last_health_assessment", "Date of Last Health Assessment", False),
        _d("last_dental_check", "Date of Last Dental Check", False),
        _i("placements_last_12m", "Number of Placements in the Last 12 months", True),
        _d("cla_end", "Date Ceased to be Looked After", False),
        _c("reason_ceased", "Reason Ceased to be Looked After", False, REASON_CEASED),
        _d("placement_start", "Start Date of Most Recent Placement", True),
        _c("placement_type", "Placement Type", True, PLACEMENT_TYPE),
        _c("placement_provider", "Placement Provider", True, PLACEMENT_PROVIDER),
        _t("placement_postcode", "Placement postcode", True),
        _t("placement_urn", "URN of Placement", False, "Placement URN"),
        _c("placement_location", "Placement Location", True, IN_OUT),
        _t("placement_la", "LA of Placement", True),
        _i("missing_last_12m", _H["missing_last_12m"], True),
        _i("absent_last_12m", _H["absent_last_12m"], True),
        _c("rhi_offered", _H["rhi_offered"], False,
           YES_NO_UNKNOWN),
        _c("rhi_accepted", _H["rhi_accepted"], False,
           YES_NO_UNKNOWN),
        TEAM, WORKER,
    )),
    ListSpec(9, "care_leavers", "Care leavers", COMMON + (
        _c("uasc", _H["uasc9"], False, YES_NO,
           "UASC"),
        DISABILITY,
        TEAM, WORKER,
        _t("personal_advisor", "Allocated Personal Advisor", True, "Personal Advisor"),
        _c("eligibility", "Eligibility Category", True, ELIGIBILITY),
        _d("pathway_review", "Latest Pathway Plan Review Date", False),
        _c("in_touch", "LA in Touch", True, IN_TOUCH),
        _d("latest_contact", "Latest Date of Contact", False),
        _c("accommodation", "Type of Accommodation", False, ACCOMMODATION),
        _c("accommodation_suitable", "Suitability of Accommodation", False, SUITABILITY),
        _c("activity", "Activity Status", False, ACTIVITY),
    )),
    ListSpec(10, "adoption", "Adoption", (
        CHILD_ID,
        _t("family_id", "Family identifier", False, "Family ID"),
        GENDER_COL, ETHNICITY_COL, DOB, AGE,
        DISABILITY,
        _d("entered_care", "Date the Child Entered Care", True),
        _d("adm_decision", "Date of Decision that Child Should be Placed for Adoption", True),
        _d("placement_order", "Date of Placement Order", False),
        _d("matched", "Date of Matching Child and Prospective Adopters", False),
        _d("placed_for_adoption", "Date Placed for Adoption", False),
        _d("adoption_order", "Date of Adoption Order", False),
        _d("no_longer_placed_decision", _H["no_longer_placed_decision"], False),
        _c("no_longer_placed_reason", "Reason Why Child No Longer Placed for Adoption", False,
           NO_LONGER_PLACED_REASON),
        _d("ffa_placement", _H["ffa_placement"], False),
    )),
    ListSpec(11, "adopters", "Adopters", (
        _t("adopter_id", "Individual adopter identifier", True, "Adopter ID", "Adopter identifier"),
        _t("family_id", "Family identifier", False, "Family ID"),
        GENDER_COL, ETHNICITY_COL,
        _c("disability", "Disability", True, YES_NO, "Does the adopter have a Disability"),
        _c("fostering_for_adoption", "Is the (prospective) adopter fostering for adoption?", True, YES_NO),
        _d("enquiry_date", "Date enquiry received", True),
        _d("stage1_start", "Date Stage 1 started", False),
        _d("stage1_end", "Date Stage 1 ended", False),
        _d("stage2_start", "Date Stage 2 started", False),
        _d("stage2_end", "Date Stage 2 ended", False),
        _d("application_submitted", "Date application submitted", False),
        _d("application_approved", "Date application approved", False),
        _d("matched", "Date adopter matched with child(ren)", False),
        _d("placed", "Date child/children placed with adopter(s)", False),
        _i("children_placed", "No. of children placed", False, "Number of children placed"),
        _d("adoption_order", "Date of Adoption Order", False),
        _d("left_process", "Date of leaving adoption process", False),
        _c("leaving_reason", "Reason for leaving adoption process", False, LEAVING_REASON),
    )),
)


def _to_sex(spec: ListSpec) -> ListSpec:
    """2026 revision: ``Gender`` becomes ``Sex`` (key ``sex``). The new value set was not seen, so the
    2024 values are kept, with the DfE return codes M/F/U accepted as aliases."""
    cols = tuple(
        replace(c, key="sex", header="Sex", variants=()) if c.key == "gender" else c for c in spec.columns
    )
    return replace(spec, columns=cols)


SCHEMAS: dict[str, SchemaVersion] = {
    "2024": SchemaVersion("2024", _LISTS_2024),
    "2026": SchemaVersion("2026", tuple(_to_sex(s) for s in _LISTS_2024)),
}
DEFAULT_VERSION = "2024"


def get_schema(version: str | None = None) -> SchemaVersion:
    """Return the named schema version (default: :data:`DEFAULT_VERSION`)."""
    key = version or DEFAULT_VERSION
    try:
        return SCHEMAS[key]
    except KeyError:
        known = ", ".join(sorted(SCHEMAS))
        raise KeyError(f"Unknown Annex A schema version {key!r}; known: {known}") from None


# ---------------------------------------------------------------------------------------------
# Tolerant matching helpers (shared by the loader and the validator)
# ---------------------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_header(text: str) -> str:
    """Header key used for tolerant matching: case, spacing and punctuation ignored.

    ``Date of Referral``, ``date of referral`` and ``…(Y/N))`` with a stray bracket all match.
    """
    return _NON_ALNUM.sub("", str(text).replace("\u00a0", " ").lower())


def header_keys(column: Column) -> tuple[str, ...]:
    """All normalised header spellings that identify ``column``."""
    return tuple(dict.fromkeys(normalise_header(h) for h in (column.header, *column.variants)))


_LETTER_PREFIX = re.compile(r"^\s*[a-z]{1,2}\d?\)\s*", re.IGNORECASE)
_CODE_TOKEN = re.compile(r"^([A-Za-z0-9]{1,6})\s*(?::|\s[-–]\s|[-–]\s)")


def _norm_value(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def picklist_lookup(column: Column) -> dict[str, str]:
    """Map of normalised spellings → canonical code for a picklist column.

    Spellings: the code, the published text, the text without its letter prefix, the description
    after an embedded code (when unique in the list) and known aliases.
    """
    lookup: dict[str, str] = {}
    desc_count: dict[str, int] = {}
    descs: dict[str, str] = {}
    for c in column.codes:
        for s in (c.code, c.text, _LETTER_PREFIX.sub("", c.text), *c.aliases):
            lookup.setdefault(_norm_value(s), c.code)
        rest = _LETTER_PREFIX.sub("", c.text)
        m = _CODE_TOKEN.match(rest)
        if m and m.group(1) == c.code:
            d = _norm_value(rest[m.end():])
            desc_count[d] = desc_count.get(d, 0) + 1
            descs[d] = c.code
    for d, n in desc_count.items():
        if n == 1:
            lookup.setdefault(d, descs[d])
    return lookup


def match_code(value: str, lookup: dict[str, str], codes_upper: dict[str, str]) -> str | None:
    """Canonical code for one picklist value, or None when it is not in the picklist.

    Matches on the embedded DfE code whether or not the ``a) `` prefix is present
    (``e) PR4 - Private provision`` → ``PR4``; ``N1 - Abuse or Neglect`` → ``N1``).
    """
    v = _norm_value(value)
    hit = lookup.get(v)
    if hit is not None:
        return hit
    stripped = _LETTER_PREFIX.sub("", value.replace("\u00a0", " ")).strip()
    hit = lookup.get(_norm_value(stripped))
    if hit is not None:
        return hit
    m = _CODE_TOKEN.match(stripped)
    if m:
        return codes_upper.get(m.group(1).upper())
    return None


def expected_text(column: Column, limit: int = 8) -> str:
    """Short human description of what a column expects (used in problem reports)."""
    if column.type == "date":
        return "a date (dd/mm/yyyy)"
    if column.type == "int":
        return "a whole number, 0 or more"
    if column.type == "text":
        return "text"
    codes = [c.code for c in column.codes]
    shown = ", ".join(codes[:limit]) + (f", … ({len(codes)} codes)" if len(codes) > limit else "")
    return f"one of: {shown}"
