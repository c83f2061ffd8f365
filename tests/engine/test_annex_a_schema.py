"""The declarative Annex A schema: published column order, picklists, versions, and the table contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oversight.engine.annex_a import DEFAULT_VERSION, SCHEMAS, get_schema
from oversight.engine.annex_a.schema import match_code, normalise_header, picklist_lookup

DOCS = Path(__file__).resolve().parents[2] / "docs" / "annex-a-tables.md"


def _match(list_number: int, key: str, value: str) -> str | None:
    column = get_schema().list(list_number).column(key)
    return match_code(value, picklist_lookup(column), {c.code.upper(): c.code for c in column.codes})


def test_the_eleven_lists_have_the_published_number_of_columns():
    counts = [len(spec.columns) for spec in get_schema().lists]
    assert counts == [7, 8, 11, 12, 14, 14, 17, 34, 17, 16, 19]


def test_the_default_version_is_2024_and_2026_is_a_separate_version():
    assert DEFAULT_VERSION == "2024"
    assert set(SCHEMAS) == {"2024", "2026"}


def test_the_2026_template_renames_gender_to_sex_in_every_list_and_changes_nothing_else():
    old, new = get_schema("2024"), get_schema("2026")
    for a, b in zip(old.lists, new.lists, strict=True):
        assert [("sex" if k == "gender" else k) for k in a.keys] == list(b.keys)
        if "gender" in a.keys:
            assert b.column("sex").header == "Sex"
    assert old.list(1).column("gender").header == "Gender"  # the 2024 version is not edited


def test_an_unknown_version_names_the_known_ones():
    with pytest.raises(KeyError, match="2024, 2026"):
        get_schema("1999")


@pytest.mark.parametrize(("list_number", "key", "value", "code"), [
    (8, "placement_type", "f) U6: Foster placement - not FFA", "U6"),
    (8, "placement_type", "U6", "U6"),
    (8, "placement_provider", "e) PR4 - Private provision", "PR4"),  # the sample's dash instead of a colon
    (1, "contact_source", "q) 6: Police", "6"),
    (1, "ethnicity", "a) WBRI", "WBRI"),
    (1, "ethnicity", "WBRI", "WBRI"),
    (1, "gender", "Female", "Female"),
    (1, "gender", "b) Female", "Female"),
    (6, "primary_need", "N1 - Abuse or Neglect", "N1"),
    (6, "closure_reason", "RC1 - Adopted", "RC1"),
    (8, "legal_status", "E1: Placement order", "E1"),
    (9, "accommodation", "B: Parents/relatives", "B"),
    (9, "activity", "F1: Full time in higher education", "F1"),
    (9, "in_touch", "d) Refu", "Refu"),
    (3, "referral_nfa", "Y", "Yes"),
    (7, "initial_category", "Physical abuse", "Physical abuse"),
    (11, "leaving_reason", "1", "1"),
])
def test_picklist_values_are_matched_on_their_code_with_or_without_the_letter_prefix(list_number, key, value, code):
    assert _match(list_number, key, value) == code


@pytest.mark.parametrize(("list_number", "key", "value"), [
    (6, "primary_need", "PSRMEM - Support with memory and cognition"),
    (4, "requires_support", "CS Assessment Updated"),
    (1, "ethnicity", "UNKNOWN"),
    (8, "placement_type", "K3: Supported accommodation"),
])
def test_values_outside_the_picklist_do_not_match(list_number, key, value):
    assert _match(list_number, key, value) is None


def test_header_matching_ignores_case_spacing_and_punctuation():
    assert normalise_header("Date of Referral") == normalise_header("Date of referral")
    assert normalise_header("UASC within the Last 12 Months (Y/N))") == normalise_header(
        "UASC within the last 12 months (Y/N)")
    assert normalise_header("‘Missing’") == normalise_header("'Missing'")


def _contract() -> dict[str, list[str]]:
    """Table → columns, as written in docs/annex-a-tables.md."""
    text = DOCS.read_text(encoding="utf-8")
    common = ["child_id", "gender", "ethnicity", "date_of_birth", "age"]
    out = {}
    for line in text.splitlines():
        m = re.match(r"\| (\d+) [^|]+\| `(\w+)` \| (.+) \|$", line)
        if not m:
            continue
        cols = re.findall(r"`(\w+)`", m.group(3))
        table = m.group(2)
        out[table] = cols if int(m.group(1)) >= 10 else common + cols
    return out


def test_tables_and_columns_follow_the_stored_table_contract_exactly():
    contract = _contract()
    assert len(contract) == 11
    for spec in get_schema("2024").lists:
        assert list(spec.keys) == contract[spec.table], spec.table


def test_every_picklist_code_is_unique_within_its_column():
    for schema in SCHEMAS.values():
        for spec in schema.lists:
            for column in spec.columns:
                codes = [c.code.upper() for c in column.codes]
                assert len(codes) == len(set(codes)), (spec.table, column.key)
