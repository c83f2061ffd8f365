"""Reading Annex A workbooks and CSV folders as councils really export them; refusing broken files."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from openpyxl import Workbook

from oversight.engine.annex_a import AnnexARefused, read_annex_a
from oversight.engine.annex_a.testing import AS_AT, default_lists, row, write_csv_folder, write_workbook


def rules(result) -> set[str]:
    return {p.rule for p in result.problems}


def test_a_clean_workbook_loads_every_list_with_no_problem(tmp_path):
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx"), AS_AT)
    assert result.problems == []
    assert result.row_counts == {"contacts": 1, "early_help": 1, "referrals": 1, "assessments": 1, "s47": 1,
                                 "cin": 2, "cp": 1, "cla": 1, "care_leavers": 1, "adoption": 1, "adopters": 1}
    assert result.schema_version == "2024"
    assert len(result.sha256) == 64


def test_stored_columns_have_the_contract_types_and_canonical_codes(tmp_path):
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx"), AS_AT)
    cla = result.tables["cla"]
    assert cla.schema.field("cla_start").type == pa.date32()
    assert cla.schema.field("placements_last_12m").type == pa.int64()
    assert cla.schema.field("_row").type == pa.int64()
    assert cla.schema.field("_invalid").type == pa.list_(pa.string())
    first = cla.to_pylist()[0]
    assert (first["placement_type"], first["placement_provider"], first["legal_status"]) == ("U6", "PR1", "C2")
    assert (first["gender"], first["ethnicity"], first["placement_location"]) == ("Male", "APKN", "In")
    assert first["_row"] == 2 and first["_invalid"] == []


def test_sheet_names_may_have_a_suffix_and_any_case(tmp_path):
    lists = default_lists([1, 3])
    path = write_workbook(tmp_path / "a.xlsx", lists, sheet_names={1: "LIST 1 - Contacts", 3: "list_3"})
    result = read_annex_a(path, AS_AT)
    assert result.sheets == {"contacts": "LIST 1 - Contacts", "referrals": "list_3"}
    assert result.row_counts == {"contacts": 1, "referrals": 1}


def test_headers_are_matched_whatever_their_case_spacing_punctuation_or_known_variant(tmp_path):
    lists = default_lists([1, 8])
    headers = {
        1: {"contact_date": "DATE OF  CONTACT", "age": "Age", "child_id": "Child\u00a0Unique ID"},
        8: {"uasc": "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))"},
    }
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", lists, headers=headers), AS_AT)
    assert result.tables["contacts"].column("contact_date").to_pylist() == [date(2023, 10, 2)]
    assert result.tables["cla"].column("uasc").to_pylist() == ["No"]
    assert {p.rule for p in result.problems} == {"list-missing"}


def test_a_misspelt_header_close_to_the_published_one_is_read_with_a_warning(tmp_path):
    lists = default_lists([3])
    path = write_workbook(tmp_path / "a.xlsx", lists,
                          headers={3: {"referrals_last_12m": "Number of Referals in Last 12 Months"}})
    result = read_annex_a(path, AS_AT)
    (p,) = [p for p in result.problems if p.rule == "header-variant"]
    assert (p.sheet, p.row, p.column, p.severity) == ("List 3", 1, "Number of Referals in Last 12 Months", "warning")
    assert result.tables["referrals"].column("referrals_last_12m").to_pylist() == [1]


def test_an_unknown_extra_column_is_ignored_with_a_warning(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", default_lists([1]), extra_columns={1: ["Locality"]})
    result = read_annex_a(path, AS_AT)
    (p,) = [p for p in result.problems if p.rule == "column-unknown"]
    assert p.column == "Locality"
    assert "Locality" not in result.tables["contacts"].column_names


def test_a_repeated_header_uses_the_first_column_and_warns(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", default_lists([1]), extra_columns={1: ["Contact Source"]})
    result = read_annex_a(path, AS_AT)
    assert "column-duplicate" in rules(result)
    assert result.tables["contacts"].column("contact_source").to_pylist() == ["6"]


def test_a_missing_optional_column_is_read_as_blank_with_a_warning(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", default_lists([1]), drop_columns={1: ["age"]})
    result = read_annex_a(path, AS_AT)
    (p,) = [p for p in result.problems if p.rule == "column-missing"]
    assert p.key == "age"
    assert result.tables["contacts"].column("age").to_pylist() == [None]


def test_title_rows_above_the_header_are_tolerated_and_rows_keep_their_excel_numbers(tmp_path):
    lists = {1: [row(1), row(1, child_id="C9", contact_source="nonsense")]}
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", lists, title_rows=2), AS_AT)
    assert result.tables["contacts"].column("_row").to_pylist() == [4, 5]
    (p,) = [p for p in result.problems if p.rule == "code-invalid"]
    assert p.row == 5


def test_blank_rows_are_skipped_but_later_rows_keep_their_excel_numbers(tmp_path):
    blank = dict.fromkeys(row(1))
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", {1: [row(1), blank, row(1, child_id="C2")]}), AS_AT)
    assert result.tables["contacts"].column("_row").to_pylist() == [2, 4]


def test_dates_are_read_from_date_cells_uk_text_iso_text_and_excel_serial_numbers(tmp_path):
    values = [date(2023, 10, 2), "02/10/2023", "2/10/2023", "2023-10-02", "2023-10-02T00:00:00", 45201, "45201"]
    lists = {1: [row(1, child_id=f"C{i}", contact_date=v) for i, v in enumerate(values)]}
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT)
    assert result.tables["contacts"].column("contact_date").to_pylist() == [date(2023, 10, 2)] * len(values)
    assert not [p for p in result.problems if p.rule.startswith("date")]


def test_fractional_ages_are_floored(tmp_path):
    lists = {1: [row(1, age=6.138261464750171), row(1, child_id="C2", age="8.9")]}
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT)
    assert result.tables["contacts"].column("age").to_pylist() == [6, 8]


def test_numeric_ids_are_stored_as_text_without_a_decimal_point(tmp_path):
    lists = {1: [row(1, child_id=9212044)], 11: [row(11, adopter_id=7105179.0, family_id=14159183.0)]}
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT)
    assert result.tables["contacts"].column("child_id").to_pylist() == ["9212044"]
    assert result.tables["adopters"].column("family_id").to_pylist() == ["14159183"]


def test_free_text_is_trimmed_and_non_breaking_spaces_normalised(tmp_path):
    lists = {3: [row(3, allocated_worker=" Mathilde\u00a0Cutsforth ")]}
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT)
    assert result.tables["referrals"].column("allocated_worker").to_pylist() == ["Mathilde Cutsforth"]


def test_the_2026_template_is_recognised_by_its_sex_column(tmp_path):
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx", default_lists([1, 10]), version="2026"), AS_AT)
    assert result.schema_version == "2026"
    assert "sex" in result.tables["contacts"].column_names
    assert result.tables["adoption"].column("sex").to_pylist() == ["Female"]


def test_a_folder_of_csv_files_loads_with_line_numbers_as_row_numbers(tmp_path):
    folder = write_csv_folder(tmp_path / "csv", {1: [row(1), row(1, child_id="C2", contact_date="31/02/2023")]})
    result = read_annex_a(folder, AS_AT)
    assert result.tables["contacts"].column("contact_date").to_pylist() == [date(2023, 10, 2), None]
    (p,) = [p for p in result.problems if p.rule == "date-unparseable"]
    assert (p.sheet, p.row, p.value) == ("List 1.csv", 3, "31/02/2023")


def test_csv_files_may_be_named_by_table_and_saved_from_excel_in_windows_1252(tmp_path):
    lists = {3: [row(3, allocated_worker="Zoë Brontë")]}
    folder = write_csv_folder(tmp_path / "csv", lists, file_names={3: "referrals.csv"}, encoding="cp1252")
    result = read_annex_a(folder, AS_AT)
    assert result.tables["referrals"].column("allocated_worker").to_pylist() == ["Zoë Brontë"]


def test_a_clean_csv_folder_gives_the_same_tables_as_the_workbook(tmp_path):
    from_xlsx = read_annex_a(write_workbook(tmp_path / "a.xlsx"), AS_AT)
    from_csv = read_annex_a(write_csv_folder(tmp_path / "csv"), AS_AT)
    assert from_csv.problems == []
    for name, table in from_xlsx.tables.items():
        assert from_csv.tables[name].drop_columns(["_row"]).equals(table.drop_columns(["_row"])), name


# ---- refusals ---------------------------------------------------------------------------------


def refusal(path) -> str:
    with pytest.raises(AnnexARefused) as exc:
        read_annex_a(path, AS_AT)
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_a_file_that_is_not_a_workbook_is_refused_with_one_line(tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"this is not a spreadsheet" * 50)
    assert refusal(path).startswith("junk.xlsx: not a readable Excel workbook")


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refusal(path) == "empty.xlsx: the file is empty"


def test_a_missing_file_is_refused(tmp_path):
    assert "no such file" in refusal(tmp_path / "nope.xlsx")


def test_a_workbook_without_list_sheets_is_refused_naming_its_sheets(tmp_path):
    wb = Workbook()
    wb.active.title = "Summary"
    wb.save(tmp_path / "a.xlsx")
    assert "no sheet named 'List 1'" in refusal(tmp_path / "a.xlsx")
    assert "Summary" in refusal(tmp_path / "a.xlsx")


def test_a_list_without_a_required_column_is_refused_naming_sheet_and_column(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", default_lists([1, 7]), drop_columns={7: ["cpp_start"]})
    message = refusal(path)
    assert message == ("a.xlsx: sheet 'List 7' (List 7 Child protection) has no column "
                       "'Child Protection Plan Start Date' (header row 1)")


def test_two_sheets_for_the_same_list_are_refused(tmp_path):
    wb = Workbook()
    wb.active.title = "List 1"
    wb.create_sheet("List 1 (old)")
    wb.save(tmp_path / "a.xlsx")
    assert "both 'List 1' and 'List 1 (old)' look like List 1" in refusal(tmp_path / "a.xlsx")


def test_a_sheet_with_no_recognisable_header_is_refused(tmp_path):
    wb = Workbook()
    wb.active.title = "List 1"
    wb.active.append(["something", "else"])
    wb.active.append([1, 2])
    wb.save(tmp_path / "a.xlsx")
    assert "sheet 'List 1' has no List 1 header row" in refusal(tmp_path / "a.xlsx")


def test_a_workbook_with_headers_but_no_rows_is_refused(tmp_path):
    assert refusal(write_workbook(tmp_path / "a.xlsx", {1: [], 3: []})) == "a.xlsx: no data rows in any list"


def test_a_single_csv_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "List 1.csv"
    path.write_text("Child Unique ID\nC1\n")
    assert "give the folder of CSV files" in refusal(path)


def test_a_csv_folder_with_no_list_files_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    assert "no sheet named 'List 1'" in refusal(tmp_path)


def test_an_empty_list_sheet_is_a_warning_not_a_refusal(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", default_lists([1]))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.create_sheet("List 2")
    wb.save(path)
    result = read_annex_a(path, AS_AT)
    (p,) = [p for p in result.problems if p.rule == "list-empty"]
    assert (p.list_number, p.sheet, p.severity) == (2, "List 2", "warning")
    assert "early_help" not in result.tables
