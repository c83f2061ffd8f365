"""Word, Excel and PDF files of every report, opened back and read as a person or a program would.

The demo programme (seed 001's plan, status, risks and measures, as at 31 January 2020) is built
in the test database and each report is built by its builder, then rendered; a hand-made report
covers what the demo may not have (a chart, a suppressed figure, text that looks like a formula).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import docx
import openpyxl
import pypdf
import pytest
from docx.oxml.ns import qn

from oversight.reports.data import (
    Cell,
    Chart,
    Column,
    HighlightReport,
    MetaItem,
    Paragraph,
    Report,
    Section,
    Table,
    iter_tables,
)
from oversight.reports.render import docx as docx_renderer
from oversight.reports.render import pdf as pdf_renderer
from oversight.reports.render import xlsx as xlsx_renderer

# pytest-django creates the test database only when a collected test asks for it.
pytestmark = pytest.mark.django_db

LANDSCAPE = {"highlight": True, "report-card": True, "tracker": True, "committee": False}
ATTACK = "=cmd|' /C calc'!A0"
HEATMAP_SVG = (
    '<svg viewBox="0 0 200 120" role="img" aria-labelledby="h-t h-d"><title id="h-t">Risk heat map</title>'
    '<desc id="h-d">3 risks</desc><rect x="10" y="10" width="100" height="100" fill="#d4351c"/>'
    '<text x="60" y="65" text-anchor="middle" font-size="20" fill="#ffffff">3</text></svg>')


# --------------------------------------------------------------------------- reports to render
NAMES = ("highlight", "report-card", "tracker", "committee", "risks")


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker) -> dict[str, Report]:
    """Every report of the demo programme, built once for the module (the data is rolled back after).

    Reports are frozen data: once built they need no database, so the renderers' tests share them.
    """
    from django.db import transaction

    from oversight.plans.demo import build_demo_programme
    from oversight.plans.periods import current_period
    from oversight.reports.builders import build as build_report

    with django_db_blocker.unblock(), transaction.atomic():
        programme = build_demo_programme()
        for module, fn in (("oversight.risks.demo", "load_demo_risks"),
                           ("oversight.performance.demo", "load_demo_measures")):
            try:
                loader = getattr(__import__(module, fromlist=[fn]), fn)
            except (ImportError, AttributeError):
                continue
            loader(programme)
        period = current_period(programme)
        reports = {name: build_report(name, programme, period) for name in NAMES}
        reports["published"] = build_report("highlight", programme, period, for_publication=True)
        transaction.set_rollback(True)
    return reports


def hand_made() -> HighlightReport:
    """A small report with every kind of block, a chart, a suppressed figure and a hostile string."""
    cols = (Column("ref", "Ref", width=0.5), Column("name", "Performance measure", width=3),
            *[Column(f"m{i}", m, group="Six month trend", numeric=True, width=0.7)
              for i, m in enumerate(["Nov 19", "Dec 19", "Jan 20"])],
            Column("min", "Min", group="Target", numeric=True, width=0.6),
            Column("upper", "Upper", group="Target", numeric=True, width=0.6), Column("rag", "RAG", width=0.6))
    rows = (
        (Cell("1"), Cell("% with 3 or more placements"), Cell("17.5%", value=0.175, number_format="0.0%"),
         Cell("[c]", suppressed=True, kind="rate"), Cell("19.9%", value=0.199, number_format="0.0%"),
         Cell("10.0%", value=0.1, number_format="0.0%"), Cell("12.4%", value=0.124, number_format="0.0%"),
         Cell("Red", rag="red")),
        (Cell("2"), Cell(ATTACK), Cell("28", value=28, number_format="#,##0", kind="count"),
         Cell("17", value=17, number_format="#,##0", kind="count"), Cell("–"), Cell(""), Cell(""),
         Cell("Green", rag="green")),
    )
    risk_cols = (Column("ref", "Ref"), Column("description", "Description", width=4),
                 Column("score", "Risk score", numeric=True))
    risks = ((Cell("1"), Cell("If the service response is inadequate, then children may come to significant harm."),
              Cell("20", rag="red", value=20, kind="score")),)
    heat = Table("heat-figures", "Risks by probability and impact", (Column("impact", "Impact"),
                 Column("p5", "Probability 5", numeric=True)), ((Cell("5"), Cell("3", value=3)),))
    status = Table("status", "Programme status", (Column("label", ""), Column("value", "")),
                   ((Cell("Senior Responsible Officer"), Cell("Nancy Meehan")),
                    (Cell("Overall Status"), Cell("Red", rag="red"))), key_value=True)
    return HighlightReport(
        name="highlight", title="Highlight report", subtitle="Test programme — January 2020",
        programme="Test programme", programme_slug="test", as_at=dt.date(2020, 1, 31), period_label="January 2020",
        meta=(MetaItem("Senior Responsible Officer", "Nancy Meehan"), MetaItem("Overall Status", "Red", "red")),
        sections=(
            Section("status", "Programme status", (status,), rag="red"),
            Section("narrative", "Overall progress narrative", (
                Paragraph("The improvement programme aims to bring our children's services to a 'good' standard.\n\n"
                          "These workstreams will focus on:\n• Early Help\n• Permanence"),)),
            Section("risks", "Issues / risks", (Table("risks", "Issues / risks", risk_cols, risks),
                                                 Chart("heatmap", "Risk heat map", HEATMAP_SVG,
                                                       "3 open risks, all red: probability 5, impact 5.", heat))),
            Section("theme-1", "Theme one: Leadership, Management and Governance",
                    (Paragraph("No overview recorded for this period.", "empty"),), (
                        Section("kpi-1", "Placement Stability", (Table("kpi-1", "Placement Stability", cols, rows),)),
                        Section("kpi-2", "Public Law Outline", (Table("kpi-2", "Public Law Outline", cols, ()),)),
                    ), rag="amber"),
        ),
        landscape=True, for_publication=True, notice="[c] Suppressed to protect confidentiality.")


# --------------------------------------------------------------------------- Word
def _docx(report: Report) -> docx.document.Document:
    data = docx_renderer.render(report)
    assert zipfile.is_zipfile(io.BytesIO(data))
    return docx.Document(io.BytesIO(data))


def _headings(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def _repeats(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def _fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


@pytest.mark.parametrize("name", NAMES)
def test_every_report_opens_in_word_with_heading_styles_marked_header_rows_and_its_title(demo_reports, name):
    report = demo_reports[name]
    doc = _docx(report)
    heads = _headings(doc)
    assert heads[0] == ("Title", report.title)
    assert [t for s, t in heads if s == "Heading 1"] == [s.title for s in report.sections]
    header_tables = [t for t in iter_tables(report) if t.rows and not t.key_value]
    with_header = [t for t in doc.tables if _repeats(t)]
    assert len(with_header) == len(header_tables)
    props = doc.core_properties
    assert props.title.startswith(report.title) and props.language == "en-GB"
    section = doc.sections[0]
    assert (section.page_width > section.page_height) == report.landscape
    if name in LANDSCAPE:
        assert report.landscape == LANDSCAPE[name]


def test_the_highlight_report_in_word_says_the_overall_status_in_words_on_its_colour(demo_reports):
    report = demo_reports["highlight"]
    doc = _docx(report)
    status = report.header.overall_status_label
    cells = [c for t in doc.tables for row in t.rows for c in row.cells if c.text == status]
    assert cells, f"no cell says {status!r}"
    if report.header.overall_status == "red":
        assert any(_fill(c) == "F6D7D2" for c in cells)
    # seed 001's sections, in order, as Word headings
    h1 = [t for s, t in _headings(doc) if s == "Heading 1"]
    assert h1[:2] == ["Programme status", "Overall progress narrative"]
    assert "Issues / risks" in h1 and "Guidance for RAG status" in h1
    assert any(t.startswith("Theme one") for t in h1)


def test_a_word_table_with_a_spanning_header_repeats_both_header_rows_and_shades_rag_cells():
    doc = _docx(hand_made())
    kpi = next(t for t in doc.tables if any(c.text == "Six month trend" for c in t.rows[0].cells))
    assert _repeats(kpi) and kpi.rows[1]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in kpi.rows[1].cells][2:5] == ["Nov 19", "Dec 19", "Jan 20"]
    body = [[c.text for c in r.cells] for r in kpi.rows[2:]]
    assert body[0][3] == "[c]" and body[0][-1] == "Red"
    assert body[1][1] == ATTACK  # Word has no formulas: the text is shown as typed
    red = kpi.rows[2].cells[-1]
    assert _fill(red) == "F6D7D2"
    risk = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Risk score")
    assert risk.rows[1].cells[-1].text == "20 (Red)"  # a score's band in words, not only in colour
    assert kpi._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Placement Stability"


def test_a_chart_goes_into_word_as_a_png_with_its_alternative_text_and_its_figures_beside_it():
    report = hand_made()
    doc = _docx(report)
    shapes = doc.inline_shapes
    assert len(shapes) == 1
    doc_pr = shapes[0]._inline.docPr
    assert doc_pr.get("descr") == "3 open risks, all red: probability 5, impact 5."
    assert doc_pr.get("title") == "Risk heat map"
    blip = shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    part = doc.part.related_parts[blip.embed]
    assert part.content_type == "image/png" and part.blob[:4] == b"\x89PNG"
    assert any(t.rows[0].cells[0].text == "Impact" for t in doc.tables)
    texts = [p.text for p in doc.paragraphs]
    assert "No overview recorded for this period." in texts
    assert "Early Help" in texts and "Public Law Outline" in texts  # bullets and an empty table's section


# --------------------------------------------------------------------------- Excel
def _xlsx(report: Report) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_renderer.render(report)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula"
    return wb


@pytest.mark.parametrize("name", NAMES)
def test_every_report_opens_in_excel_with_a_sheet_per_table_frozen_headers_and_no_formulas(demo_reports, name):
    report = demo_reports[name]
    wb = _xlsx(report)
    assert wb.sheetnames[0] == "Contents"
    assert wb["Contents"]["A1"].value == report.title
    tables = [t for t in iter_tables(report) if t.rows and not t.key_value]
    assert len(wb.sheetnames) == 1 + len(tables)
    for ws, table in zip(wb.worksheets[1:], tables, strict=True):
        header_row = 3 if table.has_groups else 2
        assert ws.freeze_panes == f"A{header_row + 1}"
        labels = [c.value for c in ws[header_row]]
        assert labels[0] == (table.columns[0].label or None)
        assert ws.max_row == header_row + len(table.rows)
        positions, j = [], 0  # a number carrying a RAG has a words column after it ("Risk score RAG")
        for col in table.columns:
            positions.append(j)
            j += 2 if j + 1 < len(labels) and labels[j + 1] == f"{col.label} RAG" else 1
        for cells, row in zip(table.rows, ws.iter_rows(min_row=header_row + 1), strict=True):
            for cell, at in zip(cells, positions, strict=False):
                if cell.value is not None and not cell.suppressed:
                    assert row[at].value == pytest.approx(cell.value)
                elif cell.text:
                    assert str(row[at].value).lstrip("'").startswith(cell.text)
    assert wb.properties.title.startswith(report.title) and wb.properties.language == "en-GB"


def test_an_excel_report_keeps_numbers_as_numbers_suppressed_figures_as_c_and_text_as_text():
    wb = _xlsx(hand_made())
    ws = wb["Placement Stability"]
    assert ws.freeze_panes == "A4"  # title, group row, label row
    assert [c.value for c in ws[2]][2] == "Six month trend"
    assert "C2:E2" in {str(r) for r in ws.merged_cells.ranges}
    row = [c for c in ws[4]]
    assert row[2].value == pytest.approx(0.175) and row[2].number_format == "0.0%"
    assert row[3].value == "[c]" and row[3].data_type == "s"
    assert row[7].value == "Red" and row[7].fill.fgColor.rgb.endswith("F6D7D2")
    assert ws["B5"].value == "'" + ATTACK
    risks = wb["Issues - risks"]  # "/" may not be in a sheet name
    header = [c.value for c in risks[2]]
    assert header == ["Ref", "Description", "Risk score", "Risk score RAG"]
    assert [c.value for c in risks[3]][2:] == [20, "Red"]
    contents = [c.value for c in wb["Contents"]["B"] if c.value]
    assert "[c] Suppressed to protect confidentiality." in contents
    assert any("Public Law Outline: " in v for v in contents)  # an empty table says so on the contents


def test_a_highlight_report_marked_for_publication_carries_its_notice_and_no_suppressed_number(demo_reports):
    report = demo_reports["published"]
    assert report.for_publication and report.notice.startswith("[c]")
    suppressed = [c for t in iter_tables(report) for r in t.rows for c in r if c.suppressed]
    wb = _xlsx(report)
    assert report.notice in [c.value for c in wb["Contents"]["B"]]
    texts = [c.value for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row if c.value == "[c]"]
    assert len(texts) == len(suppressed)
    doc = _docx(report)
    assert report.notice in [p.text for p in doc.paragraphs]
    assert report.notice in [p.text for p in doc.sections[0].footer.paragraphs]


# --------------------------------------------------------------------------- PDF
def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
        return out.stdout.decode("utf-8")
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_highlight_report_pdf_is_tagged_a4_landscape_with_title_language_sections_and_figures(demo_reports):
    report = demo_reports["highlight"]
    data = pdf_renderer.render(report)
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged
    assert reader.metadata.title.startswith(report.title)
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape in points
    text = " ".join(_pdf_text(data).split())
    for section in report.sections:
        assert " ".join(section.title.split()) in text
    assert report.header.sro in text
    for risk in report.risks[:3]:
        assert risk.description.split(",")[0][:40] in text
    assert report.header.overall_status_label in text


def test_the_committee_report_pdf_is_a4_portrait(demo_reports):
    data = pdf_renderer.render(demo_reports["committee"])
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


def test_a_pdf_page_renders_to_a_png_a_person_can_look_at(tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    report = hand_made()
    pdf = tmp_path / "highlight.pdf"
    pdf.write_bytes(pdf_renderer.render(report))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert pngs and pngs[0].read_bytes()[:4] == b"\x89PNG"
    width = int.from_bytes(pngs[0].read_bytes()[16:20], "big")
    height = int.from_bytes(pngs[0].read_bytes()[20:24], "big")
    assert width > height  # landscape
    text = " ".join(_pdf_text(pdf.read_bytes()).split())
    assert "Placement Stability" in text and "[c]" in text and "19.9%" in text
