"""A report as a tagged PDF, printed by WeasyPrint from the same HTML as the page.

Why from the HTML: one layout to keep faithful to the seeds; the page, the PDF and the print of
the page cannot drift apart, and the charts stay vector SVG.

* A4 landscape where the seed is landscape, portrait otherwise: the ``@page`` rules live in
  ``reports/static/reports/print.css`` (which browsers use to print the page too); a portrait
  report gets one more rule here in case its HTML does not mark itself portrait.
* Tagged PDF/UA-1 (structure tags, the document title shown in the title bar, the language), as
  the public-sector accessibility regulations expect of a downloadable document.
* Nothing is fetched from the network: the only files a report may load are the project's own
  static files (CSS, fonts, images), resolved through Django's static-file finders, and
  ``data:`` URLs.

The renderer only prints :mod:`oversight.reports.data` (through the HTML renderer): no query,
no number computed.

Speed (a board pack lays out five of these; issue 8 wants the pack under 3 s): everything that does
not depend on the report is parsed once per process in :func:`prepare` — the font configuration,
``reports.css``, ``print.css``, the page orientation and a trimmed copy of WeasyPrint's own
user-agent stylesheet. The report's HTML is printed without its ``<style>`` (the same
``reports.css`` is passed pre-parsed, still ahead of ``print.css``), and the trimmed user-agent
sheet scopes its universal ``::marker`` / ``::footnote-*`` / ``::note-*`` rules to the elements
that can have them: WeasyPrint otherwise computes six pseudo-element styles for every table
cell, which was half of its style time. The PDF is byte-for-byte the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from oversight.reports.data import Report

BASE_URL = "https://oversight.invalid/"
PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "reports" / "print.css"
LANGUAGE = "en-GB"
PORTRAIT_CSS = "@page { size: A4 portrait; margin: 18mm 16mm 18mm 16mm; }"
LANDSCAPE_CSS = "@page { size: A4 landscape; }"


def render(report: Report) -> bytes:
    """The report as PDF bytes (tagged, A4, title and language set)."""
    from oversight.reports.render import html

    page = html.render(report, inline_css=False)  # reports.css comes pre-parsed from prepare()
    text = page.decode("utf-8") if isinstance(page, bytes) else str(page)
    title = report.title + (f": {report.subtitle}" if report.subtitle else "")
    return html_to_pdf(text, title=title, landscape=report.landscape, author=report.programme,
                       subject=report.subtitle, keywords=[report.name, report.period_label],
                       created=report.as_at, report_css=True)


def html_to_pdf(html: str, *, title: str, landscape: bool = True, author: str = "", subject: str = "",
                keywords: list[str] | None = None, created: dt.date | None = None,
                report_css: bool = False) -> bytes:
    """Any Oversight page's HTML as a tagged A4 PDF (the report renderer and page prints share it).

    ``report_css``: also apply ``reports.css`` (for a report document printed without its own
    ``<style>``), as a stylesheet parsed once per process.
    """
    shared = prepare()
    # WeasyPrint takes passed sheets as the user's, after one another: print.css, then reports.css
    # (which wins where both set a property, as it did when it was the document's own <style>).
    stylesheets = [shared.print_css, *([shared.report_css] if report_css else []),
                   shared.landscape_css if landscape else shared.portrait_css]
    document = shared.html_class(string=html, base_url=BASE_URL, url_fetcher=shared.fetcher,
                                 media_type="print").render(
        stylesheets=stylesheets, font_config=shared.font_config, pdf_variant="pdf/ua-1", pdf_tags=True)
    meta = document.metadata
    meta.title = title
    meta.lang = LANGUAGE
    meta.authors = [author] if author else (meta.authors or [])
    meta.description = subject or meta.description
    meta.keywords = [k for k in (keywords or []) if k] or meta.keywords
    meta.generator = "Oversight"
    if created is not None:  # the as-at date, not the clock: the same report gives the same metadata
        stamp = f"{created:%Y-%m-%d}T00:00:00Z"
        meta.created = stamp
        meta.modified = stamp
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert isinstance(pdf, bytes)
    return pdf


@dataclass(frozen=True)
class Shared:
    """What every PDF of a process shares, parsed once (see :func:`prepare`)."""

    font_config: Any
    report_css: Any
    print_css: Any
    landscape_css: Any
    portrait_css: Any
    html_class: Any
    fetcher: Any


#: WeasyPrint's user-agent rules that match every element for a pseudo-element our documents never
#: have, and the selector each is narrowed to (``::marker`` still applies to list items).
_UA_SCOPES = {
    "::marker {": "li::marker, summary::marker {",
    **{f"::{p} {{": f".footnote::{p}, .note::{p} {{"
       for p in ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")},
}


def _lean_html_class(font_config: Any) -> Any:
    """``weasyprint.HTML`` with the trimmed user-agent stylesheet, or plain ``HTML`` if it cannot be made.

    The trimmed sheet is WeasyPrint's own text with the universal pseudo-element rules scoped
    (:data:`_UA_SCOPES`); if a WeasyPrint version no longer has that text or that hook, the
    stock stylesheet is used (slower, same PDF).
    """
    from weasyprint import CSS, HTML

    try:
        from weasyprint.css.counters import CounterStyle
        from weasyprint.html import UA
    except ImportError:  # pragma: no cover - a WeasyPrint without these names
        return HTML
    ua = UA
    for old, new in _UA_SCOPES.items():
        if ua.count(old) != 1 or not callable(getattr(HTML, "_ua_stylesheets", None)):
            return HTML
        ua = ua.replace(old, new)
    # Its @counter-style rules are already registered by WeasyPrint; parse them into a throwaway registry.
    lean = CSS(string=ua, counter_style=CounterStyle(), font_config=font_config)

    class ReportHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [lean, *super()._ua_stylesheets(forms)[1:]]

    return ReportHTML


@lru_cache(maxsize=1)
def prepare() -> Shared:
    """Parse the stylesheets and set up fonts once per process (a pack renders five PDFs; the
    pack's worker processes are forked after this, so they inherit it)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from oversight.reports.render.html import CSS as REPORT_CSS

    font_config = FontConfiguration()
    fetcher = _static_fetcher()
    return Shared(
        font_config=font_config,
        report_css=CSS(filename=str(REPORT_CSS), url_fetcher=fetcher, font_config=font_config),
        print_css=CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=font_config),
        landscape_css=CSS(string=LANDSCAPE_CSS, font_config=font_config),
        portrait_css=CSS(string=PORTRAIT_CSS, font_config=font_config),
        html_class=_lean_html_class(font_config),
        fetcher=fetcher,
    )


def _static_path(url: str) -> Path | None:
    """The file behind one of our ``/static/…`` URLs, found as ``runserver`` would find it."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    parts = urlsplit(url)
    if parts.scheme == "file":
        local = Path(unquote(parts.path)).resolve()
        return local if local in (PRINT_CSS, _report_css_path()) else None
    if parts.scheme in ("http", "https") and parts.netloc not in ("", urlsplit(BASE_URL).netloc):
        return None
    prefix = "/" + str(settings.STATIC_URL or "static/").lstrip("/")
    if not prefix.endswith("/"):
        prefix += "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    found = finders.find(path[len(prefix):])
    if isinstance(found, (list, tuple)):
        found = found[0] if found else None
    return Path(found) if found else None


def _report_css_path() -> Path:
    from oversight.reports.render.html import CSS as REPORT_CSS

    return REPORT_CSS.resolve()


def _static_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
        """Serves our static files and ``data:`` URLs; refuses everything else (no network)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None or not path.is_file():
                raise ValueError(f"not fetched for a report: {url}")
            return super().fetch(path.as_uri(), headers)

    return StaticFilesOnly()
