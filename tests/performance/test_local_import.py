"""Importing local measure figures from CSV or XLSX: all or nothing, errors by row and column."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.performance.local import LocalImportError, import_values
from oversight.performance.models import LocalMeasureValue

pytestmark = pytest.mark.django_db

GOOD = """measure,month,numerator,denominator,value
rhi-72h,2019-11,12,20,
rhi-72h,2019-12,15,20,
lac-missing,2019-12,,,15
"""


def test_a_csv_of_rates_and_counts_is_imported_with_values_computed(tmp_path, rhi, lac_missing):
    path = tmp_path / "measures.csv"
    path.write_text(GOOD)
    assert import_values(path, rhi.programme) == 3
    assert rhi.values.get(month=dt.date(2019, 12, 1)).value == 75.0
    assert lac_missing.values.get(month=dt.date(2019, 12, 1)).value == 15.0


def test_a_bad_denominator_is_named_by_row_and_column_and_nothing_is_written(tmp_path, rhi, lac_missing):
    path = tmp_path / "measures.csv"
    path.write_text(GOOD + "rhi-72h,2020-01,7,n/a,\n")
    before = LocalMeasureValue.objects.count()
    # rows 2-4 are good; the bad one is row 5
    with pytest.raises(LocalImportError) as e:
        import_values(path, rhi.programme)
    assert str(e.value) == "measures.csv: row 5, column 'denominator': expected a whole number ≥ 0, found 'n/a'"
    assert LocalMeasureValue.objects.count() == before


def test_the_issues_example_row_4_is_reported_as_row_4(tmp_path, rhi):
    path = tmp_path / "measures.csv"
    path.write_text("measure,month,numerator,denominator,value\nrhi-72h,2019-11,12,20,\nrhi-72h,2019-12,15,20,\n"
                    "rhi-72h,2020-01,7,n/a,\n")
    with pytest.raises(LocalImportError,
                       match=r"^measures\.csv: row 4, column 'denominator': expected a whole number ≥ 0, "
                             r"found 'n/a'$"):
        import_values(path, rhi.programme)
    assert not rhi.values.exists()


@pytest.mark.parametrize(("row", "message"), [
    ("nobody,2020-01,1,2,", "row 2, column 'measure': expected the code of one of the programme's local measures"),
    ("rhi-72h,January,1,2,", "row 2, column 'month': expected a month as YYYY-MM, found 'January'"),
    ("rhi-72h,2020-01,21,20,", "row 2, column 'numerator': the numerator (21) cannot exceed the denominator (20)"),
    ("rhi-72h,2020-01,-3,20,", "row 2, column 'numerator': expected a whole number ≥ 0, found '-3'"),
    ("rhi-72h,2020-01,,,lots", "row 2, column 'value': expected a number, found 'lots'"),
    ("lac-missing,2020-01,,,2.5", "row 2, column 'value': a count is a whole number"),
])
def test_each_kind_of_bad_cell_is_refused_with_its_place(tmp_path, rhi, lac_missing, row, message):
    path = tmp_path / "measures.csv"
    path.write_text(f"measure,month,numerator,denominator,value\n{row}\n")
    with pytest.raises(LocalImportError) as e:
        import_values(path, rhi.programme)
    assert message in str(e.value)
    assert LocalMeasureValue.objects.count() == 5  # lac_missing's five months only


def test_the_same_month_twice_is_refused(tmp_path, rhi):
    path = tmp_path / "measures.csv"
    path.write_text("measure,month,numerator,denominator\nrhi-72h,2020-01,1,2\nrhi-72h,2020-01,1,2\n")
    with pytest.raises(LocalImportError, match="row 3, column 'month': rhi-72h 2020-01 is already given on row 2"):
        import_values(path, rhi.programme)


def test_a_file_without_the_measure_column_is_refused_at_the_header(tmp_path, rhi):
    path = tmp_path / "measures.csv"
    path.write_text("month,value\n2020-01,3\n")
    with pytest.raises(LocalImportError, match=r"row 1: missing column\(s\) 'measure'"):
        import_values(path, rhi.programme)


def test_an_excel_file_is_read_the_same_way(tmp_path, rhi):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Measure", "Month", "Numerator", "Denominator", "Value"])
    ws.append(["rhi-72h", dt.date(2020, 1, 1), 7, 20, None])
    ws.append(["local-rhi-72h", "2019-12", 15, 20, None])
    path = tmp_path / "measures.xlsx"
    wb.save(path)
    assert import_values(path, rhi.programme) == 2
    assert [v.value for v in rhi.values.order_by("month")] == [75.0, 35.0]


def test_an_excel_file_with_a_bad_cell_names_its_row_and_column(tmp_path, rhi):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["measure", "month", "numerator", "denominator"])
    ws.append(["rhi-72h", "2019-12", 15, 20])
    ws.append(["rhi-72h", "2020-01", 7, "n/a"])
    path = tmp_path / "measures.xlsx"
    wb.save(path)
    with pytest.raises(LocalImportError, match="measures.xlsx: row 3, column 'denominator'"):
        import_values(path, rhi.programme)
    assert not rhi.values.exists()


def test_the_import_page_shows_the_error_and_writes_nothing(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    upload = SimpleUploadedFile("measures.csv", b"measure,month,numerator,denominator,value\n"
                                                b"rhi-72h,2019-12,15,20,\nrhi-72h,2019-11,12,20,\n"
                                                b"rhi-72h,2020-01,7,n/a,\n")
    resp = client.post(reverse("performance:measures_import", args=["torbay"]), {"file": upload})
    html = resp.content.decode()
    assert "There is a problem" in html
    assert "measures.csv: row 4, column &#x27;denominator&#x27;: expected a whole number ≥ 0, found &#x27;n/a&#x27;" \
        in html
    assert "Nothing was imported" in html
    assert not rhi.values.exists()


def test_the_import_page_imports_a_good_file(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    upload = SimpleUploadedFile("measures.csv", b"measure,month,numerator,denominator\nrhi-72h,2020-01,7,20\n")
    resp = client.post(reverse("performance:measures_import", args=["torbay"]), {"file": upload})
    assert resp.status_code == 302
    assert rhi.values.get().value == 35.0


def test_a_board_member_cannot_import(client, bob_board_member, rhi):
    client.force_login(bob_board_member)
    upload = SimpleUploadedFile("measures.csv", b"measure,month,numerator,denominator\nrhi-72h,2020-01,7,20\n")
    assert client.post(reverse("performance:measures_import", args=["torbay"]), {"file": upload}).status_code == 403
    assert not rhi.values.exists()


def test_a_file_over_the_shared_limits_is_refused_before_it_is_parsed(tmp_path, rhi):
    path = tmp_path / "measures.csv"
    path.write_text("measure,month,numerator,denominator," + ",".join(f"x{i}" for i in range(1200)) + "\n"
                    "rhi-72h,2020-01,7,20\n")
    with pytest.raises(LocalImportError, match=r"^measures\.csv: .*column"):
        import_values(path, rhi.programme)
    assert not rhi.values.exists()


def test_the_import_page_names_the_uploaded_file_when_it_is_over_a_limit(client, priya_programme_manager, rhi):
    client.force_login(priya_programme_manager)
    wide = ("measure,month,numerator,denominator," + ",".join(f"x{i}" for i in range(1200)) + "\n").encode()
    upload = SimpleUploadedFile("vacancies.csv", wide + b"rhi-72h,2020-01,7,20\n")
    html = client.post(reverse("performance:measures_import", args=["torbay"]), {"file": upload}).content.decode()
    assert "vacancies.csv: " in html and "upload.csv" not in html
    assert not rhi.values.exists()
