"""Each validation rule, triggered by one small hand-made change to an otherwise clean workbook.

Errors null the cell and name its column in ``_invalid`` (the row is kept); warnings keep the value.
The default rows (``oversight.engine.annex_a.testing``) load with no problem at all, so every
assertion below is about exactly the change the test makes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oversight.engine.annex_a import read_annex_a
from oversight.engine.annex_a.testing import AS_AT, default_lists, row, write_workbook

DOC = Path(__file__).resolve().parents[2] / "docs" / "annex-a.md"


def load(tmp_path, lists, as_at=AS_AT):
    return read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), as_at)


def only(result, rule):
    found = [p for p in result.problems if p.rule == rule]
    others = sorted({p.rule for p in result.problems} - {rule, "list-missing"})
    assert found, f"no {rule}; found {others}"
    return found


def cell(result, table, key, index=0):
    rec = result.tables[table].to_pylist()[index]
    return rec[key], rec["_invalid"]


# ---- cell rules (errors: the value is nulled and named in _invalid) --------------------------


def test_text_that_is_not_a_date_is_reported_and_treated_as_missing(tmp_path):
    result = load(tmp_path, {1: [row(1, contact_date="next Tuesday")]})
    (p,) = only(result, "date-unparseable")
    assert (p.sheet, p.row, p.column, p.value, p.severity) == ("List 1", 2, "Date of Contact", "next Tuesday", "error")
    assert "dd/mm/yyyy" in p.expected
    assert cell(result, "contacts", "contact_date") == (None, ["contact_date"])
    assert result.tables["contacts"].num_rows == 1  # the row is kept


def test_an_impossible_calendar_date_is_unparseable(tmp_path):
    (p,) = only(load(tmp_path, {1: [row(1, contact_date="31/02/2023")]}), "date-unparseable")
    assert p.value == "31/02/2023"


def test_a_date_before_1900_is_implausible(tmp_path):
    result = load(tmp_path, {1: [row(1, date_of_birth="01/05/1015")]})
    (p,) = only(result, "date-implausible")
    assert p.value == "01/05/1015"
    assert cell(result, "contacts", "date_of_birth") == (None, ["date_of_birth"])


def test_a_date_after_the_as_at_date_is_in_the_future(tmp_path):
    result = load(tmp_path, {1: [row(1, contact_date=date(2024, 2, 1))]})
    (p,) = only(result, "date-future")
    assert (p.value, p.expected) == ("01/02/2024", "a date on or before the as-at date 31/01/2024")
    assert cell(result, "contacts", "contact_date") == (None, ["contact_date"])


def test_the_as_at_date_itself_is_not_in_the_future(tmp_path):
    result = load(tmp_path, {1: [row(1, contact_date=AS_AT)]})
    assert not [p for p in result.problems if p.rule != "list-missing"]


def test_a_date_long_before_birth_is_an_error(tmp_path):
    result = load(tmp_path, {3: [row(3, referral_date=date(2014, 1, 2))]})
    (p,) = only(result, "date-before-birth")
    assert (p.value, p.expected) == ("02/01/2014", "a date on or after the date of birth 01/05/2015")
    assert cell(result, "referrals", "referral_date") == (None, ["referral_date"])


def test_a_date_a_few_months_before_birth_is_a_pre_birth_warning_and_kept(tmp_path):
    lists = {7: [row(7, date_of_birth=date(2024, 1, 5), age=0, cpp_start=date(2023, 12, 1))]}
    result = load(tmp_path, lists)
    (p,) = only(result, "date-pre-birth")
    assert p.severity == "warning"
    assert cell(result, "cp", "cpp_start") == (date(2023, 12, 1), [])


def test_an_end_before_its_start_nulls_the_end(tmp_path):
    result = load(tmp_path, {7: [row(7, cpp_end=date(2023, 10, 1))]})
    (p,) = [p for p in only(result, "end-before-start") if p.key == "cpp_end"]
    assert p.expected == "a date on or after 'Child Protection Plan Start Date' (20/10/2023)"
    assert cell(result, "cp", "cpp_end") == (None, ["cpp_end"])
    assert cell(result, "cp", "cpp_start") == (date(2023, 10, 20), ["cpp_end"])


def test_a_code_outside_the_picklist_is_reported_with_what_was_expected(tmp_path):
    result = load(tmp_path, {6: [row(6, primary_need="PSRMEM - Support with memory and cognition")]})
    (p,) = only(result, "code-invalid")
    assert p.column == "Primary Need Code"
    assert p.expected.startswith("one of: N1, N2")
    assert cell(result, "cin", "primary_need") == (None, ["primary_need"])


def test_an_excel_error_cell_is_reported_as_such_not_as_a_blank(tmp_path):
    result = load(tmp_path, {6: [row(6, allocated_team="#N/A")]})
    (p,) = only(result, "excel-error")
    assert (p.column, p.value) == ("Allocated Team", "#N/A")
    assert not [p for p in result.problems if p.rule == "blank-mandatory"]
    assert cell(result, "cin", "allocated_team") == (None, ["allocated_team"])


def test_an_excel_error_typed_as_text_is_also_an_excel_error(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", {3: [row(3)]})
    from openpyxl import load_workbook

    wb = load_workbook(path)
    worker = wb["List 3"]["K2"]  # Allocated Worker, as the text '#N/A' rather than an error cell
    worker.value = "#N/A"
    worker.data_type = "s"
    wb.save(path)
    (p,) = only(read_annex_a(path, AS_AT), "excel-error")
    assert (p.column, p.value) == ("Allocated Worker", "#N/A")


def test_a_formula_instead_of_a_value_is_reported_and_treated_as_missing(tmp_path):
    result = load(tmp_path, {10: [row(10, placement_order="=I2+5")]})
    (p,) = only(result, "formula")
    assert (p.column, p.row) == ("Date of Placement Order", 2)
    assert p.value.startswith("=I2+5")
    assert cell(result, "adoption", "placement_order") == (None, ["placement_order"])


def test_a_blank_mandatory_cell_is_reported(tmp_path):
    result = load(tmp_path, {8: [row(8, placement_location=None)]})
    (p,) = only(result, "blank-mandatory")
    assert (p.column, p.value) == ("Placement Location", "(blank)")
    assert cell(result, "cla", "placement_location") == (None, ["placement_location"])


def test_a_blank_optional_cell_is_fine(tmp_path):
    result = load(tmp_path, {4: [row(4, assessment_authorised=None, requires_support=None)]})
    assert {p.rule for p in result.problems} == {"list-missing"}


@pytest.mark.parametrize(("value", "rule"), [("three", "int-unparseable"), (-1, "int-negative"),
                                              (2.5, "int-not-whole"), ("2.5", "int-not-whole"),
                                              (date(2023, 1, 1), "int-unparseable")])
def test_counts_must_be_whole_numbers_of_zero_or_more(tmp_path, value, rule):
    result = load(tmp_path, {3: [row(3, referrals_last_12m=value)]})
    (p,) = only(result, rule)
    assert p.column == "Number of Referrals in Last 12 Months"
    assert cell(result, "referrals", "referrals_last_12m") == (None, ["referrals_last_12m"])


def test_a_placement_postcode_that_is_not_a_postcode_is_an_error(tmp_path):
    result = load(tmp_path, {8: [row(8, placement_postcode="nope")]})
    (p,) = only(result, "postcode-invalid")
    assert p.value == "nope"
    assert cell(result, "cla", "placement_postcode") == (None, ["placement_postcode"])


def test_several_failed_cells_in_one_row_are_all_named_in_invalid_in_column_order(tmp_path):
    result = load(tmp_path, {8: [row(8, placement_postcode="nope", uasc="maybe", cla_start="soon")]})
    assert cell(result, "cla", "uasc")[1] == ["uasc", "cla_start", "placement_postcode"]


# ---- row and duplicate rules (warnings: values kept) ------------------------------------------


def test_an_exact_duplicate_row_is_reported_against_its_first_copy(tmp_path):
    result = load(tmp_path, {1: [row(1), row(1)]})
    (p,) = only(result, "duplicate-row")
    assert (p.row, p.expected, p.severity) == (3, "a row different from row 2", "warning")
    assert result.tables["contacts"].num_rows == 2


def test_a_child_listed_twice_in_the_children_in_care_list_is_a_duplicate_key(tmp_path):
    result = load(tmp_path, {8: [row(8), row(8, placement_start=date(2023, 1, 1))]})
    (p,) = only(result, "duplicate-key")
    assert (p.row, p.column, p.value) == (3, "Child Unique ID", "C2")


def test_a_placement_urn_in_an_odd_format_is_a_warning(tmp_path):
    result = load(tmp_path, {8: [row(8, placement_urn="URN 12")]})
    (p,) = only(result, "urn-format")
    assert p.severity == "warning"
    assert cell(result, "cla", "placement_urn") == ("URN 12", [])


def test_a_contact_before_the_six_month_window_is_a_warning(tmp_path):
    (p,) = only(load(tmp_path, {1: [row(1, contact_date=date(2023, 7, 30))]}), "outside-window")
    assert p.expected == "a contact on or after 31/07/2023 (6 months before the as-at date)"


def test_a_cp_plan_ended_before_the_window_is_a_warning(tmp_path):
    result = load(tmp_path, {7: [row(7, cpp_end=date(2023, 7, 1), cpp_start=date(2023, 1, 1),
                                   latest_review=date(2023, 3, 1))]})
    only(result, "outside-window")


def test_an_icpc_deemed_unnecessary_but_held_is_a_warning(tmp_path):
    only(load(tmp_path, {5: [row(5, icpc_not_required="a) Yes")]}), "icpc-not-required-but-held")


def test_an_icpc_outcome_without_an_icpc_date_is_a_warning(tmp_path):
    only(load(tmp_path, {5: [row(5, icpc_date=None)]}), "icpc-outcome-without-date")


def test_an_icpc_date_without_an_outcome_is_a_warning(tmp_path):
    only(load(tmp_path, {5: [row(5, icpc_cp_plan=None)]}), "icpc-date-without-outcome")


@pytest.mark.parametrize(("number", "changes", "key"), [
    (6, {"cin_closure": date(2024, 1, 2), "case_status": "e) Closed episode"}, "closure_reason"),
    (8, {"cla_end": date(2024, 1, 2)}, "reason_ceased"),
    (10, {"no_longer_placed_decision": date(2023, 11, 1)}, "no_longer_placed_reason"),
    (11, {"left_process": date(2023, 11, 1)}, "leaving_reason"),
])
def test_an_ending_without_its_reason_is_a_warning(tmp_path, number, changes, key):
    (p,) = only(load(tmp_path, {number: [row(number, **changes)]}), "closed-without-reason")
    assert p.key == key


@pytest.mark.parametrize(("number", "changes"), [
    (6, {"closure_reason": "RC8 - Case closed after assessment, no further action",
         "case_status": "e) Closed episode"}),
    (8, {"reason_ceased": "c) E2: Died"}),
])
def test_a_reason_without_its_end_date_is_a_warning(tmp_path, number, changes):
    only(load(tmp_path, {number: [row(number, **changes)]}), "reason-without-end")


def test_a_closed_episode_without_a_closure_date_is_a_case_status_mismatch(tmp_path):
    only(load(tmp_path, {6: [row(6, case_status="e) Closed episode")]}), "case-status-mismatch")


def test_a_return_interview_accepted_but_not_offered_is_a_warning(tmp_path):
    only(load(tmp_path, {8: [row(8, rhi_offered="b) No", rhi_accepted="a) Yes")]}),
         "return-interview-accepted-not-offered")


def test_an_adoption_order_without_a_date_placed_is_a_warning(tmp_path):
    only(load(tmp_path, {10: [row(10, placed_for_adoption=None)]}), "adopted-but-not-placed")


# ---- cross-list rules (warnings) --------------------------------------------------------------


def test_a_cp_plan_with_no_s47_enquiry_is_reported(tmp_path):
    lists = default_lists()
    lists[5] = [row(5, child_id="OTHER")]
    (p,) = only(load(tmp_path, lists), "cp-plan-without-s47")
    assert (p.sheet, p.column, p.value) == ("List 7", "Child Unique ID", "C1")
    assert p.expected == "an S47 enquiry in List 5 on or before the plan start 20/10/2023"


def test_an_s47_after_the_plan_started_does_not_count_for_the_plan(tmp_path):
    lists = default_lists()
    lists[5] = [row(5, s47_start=date(2023, 10, 25), icpc_date=date(2023, 11, 1))]
    only(load(tmp_path, lists), "cp-plan-without-s47")


def test_a_plan_started_before_the_window_needs_no_s47_in_the_lists(tmp_path):
    lists = default_lists()
    lists[7] = [row(7, cpp_start=date(2022, 1, 1))]
    lists[5] = [row(5, icpc_cp_plan="b) No")]
    assert "cp-plan-without-s47" not in {p.rule for p in load(tmp_path, lists).problems}


def test_an_icpc_that_made_a_plan_for_a_child_not_in_the_cp_list_is_reported(tmp_path):
    lists = default_lists()
    lists[7] = [row(7, child_id="C2", **{k: v for k, v in lists[6][1].items() if k in ("gender", "ethnicity",
                                                                                         "date_of_birth", "age")})]
    only(load(tmp_path, lists), "icpc-plan-not-in-cp-list")


def test_an_open_cp_plan_for_a_child_not_in_the_cin_list_is_reported(tmp_path):
    lists = default_lists()
    lists[6] = [lists[6][1]]
    only(load(tmp_path, lists), "cp-open-not-in-cin-list")


def test_a_looked_after_child_not_in_the_cin_list_is_reported(tmp_path):
    lists = default_lists()
    lists[6] = [lists[6][0]]
    only(load(tmp_path, lists), "cla-open-not-in-cin-list")


def test_a_cin_case_status_of_cp_plan_without_an_open_plan_is_reported(tmp_path):
    lists = default_lists()
    lists[7] = [row(7, cpp_end=date(2024, 1, 20))]
    only(load(tmp_path, lists), "cin-status-cp-not-in-cp-list")


def test_a_cin_case_status_of_looked_after_without_a_current_period_of_care_is_reported(tmp_path):
    lists = default_lists()
    lists[8] = [row(8, cla_end=date(2024, 1, 20), reason_ceased="h) E41: Residence order granted")]
    only(load(tmp_path, lists), "cin-status-cla-not-in-cla-list")


def test_a_referral_for_a_child_with_no_contact_is_reported(tmp_path):
    lists = default_lists()
    lists[1] = [row(1, child_id="C2", gender="a) Male", ethnicity="k) APKN", date_of_birth=date(2012, 3, 1))]
    only(load(tmp_path, lists), "referral-without-contact")


def test_an_assessment_for_a_child_in_neither_referrals_nor_cin_is_reported(tmp_path):
    lists = default_lists([1, 3, 4, 6])
    lists[4] = [row(4, child_id="C7")]
    (p,) = only(load(tmp_path, lists), "assessment-without-referral")
    assert p.value == "C7"


def test_an_s47_for_a_child_in_neither_referrals_nor_cin_is_reported(tmp_path):
    lists = default_lists([3, 5, 6])
    lists[5] = [row(5, child_id="C7")]
    only(load(tmp_path, lists), "s47-without-referral")


def test_a_former_relevant_care_leaver_still_looked_after_is_reported(tmp_path):
    lists = default_lists([8, 9])
    lists[9] = [row(9, child_id="C2", date_of_birth=date(2012, 3, 1), gender="a) Male", ethnicity="k) APKN")]
    only(load(tmp_path, lists), "care-leaver-still-looked-after")


def test_a_child_placed_for_adoption_but_not_adopted_and_not_looked_after_is_reported(tmp_path):
    lists = default_lists([8, 10])
    lists[10] = [row(10, adoption_order=None)]
    only(load(tmp_path, lists), "placed-for-adoption-not-looked-after")


def test_matched_adopters_and_children_need_each_others_family_identifier(tmp_path):
    lists = default_lists([10, 11])
    lists[11] = [row(11, family_id="F9")]
    result = load(tmp_path, lists)
    only(result, "adopter-family-not-in-adoption-list")
    only(result, "adoption-family-not-in-adopters-list")


@pytest.mark.parametrize(("key", "value", "rule"), [
    ("date_of_birth", date(2015, 5, 2), "inconsistent-date-of-birth"),
    ("gender", "a) Male", "inconsistent-gender"),
    ("ethnicity", "b) WIRI", "inconsistent-ethnicity"),
])
def test_a_child_recorded_differently_in_two_lists_is_reported_where_it_differs(tmp_path, key, value, rule):
    lists = default_lists([1, 3, 4])
    lists[4] = [row(4, **{key: value})]
    (p,) = only(load(tmp_path, lists), rule)
    assert (p.sheet, p.key) == ("List 4", key)


def test_a_missing_list_is_reported_as_a_warning(tmp_path):
    result = load(tmp_path, default_lists([1]))
    missing = [p.list_number for p in result.problems if p.rule == "list-missing"]
    assert missing == list(range(2, 12))
    assert {p.severity for p in result.problems} == {"warning"}


# ---- the documentation names every rule ------------------------------------------------------


def test_every_rule_the_loader_can_report_is_described_in_the_docs():
    from oversight.engine.annex_a.checks import CHECKS

    rules = {c.rule for c in CHECKS} | {
        "date-unparseable", "date-implausible", "date-future", "date-before-birth", "date-pre-birth",
        "end-before-start", "code-invalid", "excel-error", "formula", "blank-mandatory", "int-unparseable",
        "int-negative", "int-not-whole", "postcode-invalid", "duplicate-row", "duplicate-key",
        "inconsistent-date-of-birth", "inconsistent-gender", "inconsistent-sex", "inconsistent-ethnicity",
        "list-missing", "list-empty", "column-missing", "column-unknown", "column-duplicate", "header-variant",
    }
    text = DOC.read_text(encoding="utf-8")
    assert [r for r in sorted(rules) if f"`{r}`" not in text] == []
