"""The PDF renderer's shortcuts for speed change nothing a reader sees.

``render/pdf.py`` passes ``reports.css`` pre-parsed instead of embedding it, and gives WeasyPrint a
user-agent stylesheet whose universal ``::marker`` / ``::footnote-*`` rules are narrowed to the
elements that can have them; the board pack shares its files out between processes.
"""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
import pytest
from weasyprint import HTML

from oversight.reports import packs
from oversight.reports.render import html as html_renderer
from oversight.reports.render import pdf as pdf_renderer

from .test_formats_documents import hand_made


def _stock_pdf(report) -> bytes:
    """The way the renderer used to print: the report's own <style>, WeasyPrint's own user-agent sheet."""
    shared = pdf_renderer.prepare()
    page = html_renderer.render(report).decode("utf-8")
    document = HTML(string=page, base_url=pdf_renderer.BASE_URL, url_fetcher=shared.fetcher).render(
        stylesheets=[shared.print_css, shared.landscape_css], font_config=shared.font_config,
        pdf_variant="pdf/ua-1", pdf_tags=True)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def _page_text(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_the_faster_pdf_has_the_same_pages_and_words_as_the_stock_rendering():
    report = hand_made()
    fast = pdf_renderer.render(report)
    assert pdf_renderer.prepare().html_class is not HTML  # the trimmed user-agent sheet is in use
    assert _page_text(fast) == _page_text(_stock_pdf(report))


def test_a_list_item_keeps_its_marker_under_the_trimmed_user_agent_stylesheet():
    page = '<html lang="en-GB"><body><ol><li>First step</li><li>Second step</li></ol></body></html>'
    shared = pdf_renderer.prepare()
    stock = HTML(string=page, base_url=pdf_renderer.BASE_URL).render(
        stylesheets=[shared.print_css, shared.landscape_css], font_config=shared.font_config,
        pdf_variant="pdf/ua-1", pdf_tags=True).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    text = _page_text(pdf_renderer.html_to_pdf(page, title="Steps"))
    assert "1." in text[0] and "2." in text[0] and "Second step" in text[0]
    assert text == _page_text(stock)


@pytest.mark.django_db
def test_files_shared_out_between_processes_are_the_ones_rendered_in_turn(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    report = hand_made()
    reports = {"highlight": report, "again": report}
    together = packs.render_files(reports, ["html", "xlsx", "pdf"])
    assert together["highlight", "html"] == packs.render(report, "html")
    assert together["highlight", "pdf"] == together["again", "pdf"] == pdf_renderer.render(report)
    xlsx = zipfile.ZipFile(io.BytesIO(together["again", "xlsx"]))
    assert "xl/workbook.xml" in xlsx.namelist()
