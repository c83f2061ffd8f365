"""The LIIA sample workbook (invented data, MIT): every oddity in its README is handled or reported."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from oversight.engine.annex_a import read_annex_a

# The project's shared/ folder sits beside the repository (as in CI); OVERSIGHT_LIIA_SAMPLE overrides.
SAMPLE = Path(os.environ.get("OVERSIGHT_LIIA_SAMPLE") or Path(__file__).resolve().parents[3] / "shared" / "fixtures"
              / "annex-a-liia-sample" / "Annex_A_2024_Jan.xlsx")
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="LIIA sample workbook not available")


@pytest.fixture(scope="module")
def result():
    return read_annex_a(SAMPLE, date(2021, 3, 31))


def find(result, rule, sheet=None):
    return [p for p in result.problems if p.rule == rule and (sheet is None or p.sheet == sheet)]


def test_the_sample_loads_every_list(result):
    assert len(result.tables) == 11
    assert result.row_counts["cp"] == 7


def test_values_with_and_without_the_letter_prefix_are_both_read(result):
    assert result.tables["contacts"].column("gender").to_pylist()[:2] == ["Female", "Female"]
    assert result.tables["referrals"].column("referral_nfa").to_pylist()[0] == "No"
    assert result.tables["cla"].column("placement_provider").to_pylist()[0] == "PR4"


def test_fractional_ages_are_floored(result):
    assert result.tables["contacts"].column("age").to_pylist()[0] == 6


def test_header_variants_are_read_without_complaint(result):
    assert result.tables["referrals"].column("referral_date").null_count == 0  # 'Date of Referral'
    assert result.tables["cla"].column("uasc").null_count == 0  # '…(Y/N))' with a stray bracket
    assert not find(result, "column-unknown") and not find(result, "column-missing")


def test_non_breaking_spaces_in_names_are_normalised(result):
    assert result.tables["referrals"].column("allocated_worker").to_pylist()[0] == "Dustin Hazlett"


def test_na_cells_are_reported_as_excel_errors(result):
    found = find(result, "excel-error", "List 6")
    assert {(p.row, p.column) for p in found} == {(r, c) for r in range(2, 7)
                                                  for c in ("Allocated Team", "Allocated Worker")}


def test_codes_outside_the_picklists_are_reported(result):
    values = {(p.sheet, p.value) for p in find(result, "code-invalid")}
    assert ("List 6", "PSRMEM - Support with memory and cognition") in values
    assert ("List 4", "CS Assessment Updated") in values


def test_formula_cells_are_reported_instead_of_used_as_dates(result):
    found = find(result, "formula", "List 10")
    first = next(p for p in found if p.row == 2 and p.key == "adm_decision")
    assert first.value == "=H2+5 (shows 11/08/2009)"
    assert len(find(result, "formula", "List 11")) > 40
    assert result.tables["adoption"].column("adm_decision").null_count == 5


def test_other_real_problems_in_the_sample_are_reported(result):
    assert ("List 8", "nope") in {(p.sheet, p.value) for p in find(result, "postcode-invalid")}
    assert find(result, "blank-mandatory", "List 9")  # Allocated Personal Advisor left blank
    assert find(result, "date-before-birth", "List 8")  # looked after from 2010, born 2018
