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
"""

from __future__ import annotations

import datetime as dt
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

    page = html.render(report)
    text = page.decode("utf-8") if isinstance(page, bytes) else str(page)
    title = report.title + (f": {report.subtitle}" if report.subtitle else "")
    return html_to_pdf(text, title=title, landscape=report.landscape, author=report.programme,
                       subject=report.subtitle, keywords=[report.name, report.period_label],
                       created=report.as_at)


def html_to_pdf(html: str, *, title: str, landscape: bool = True, author: str = "", subject: str = "",
                keywords: list[str] | None = None, created: dt.date | None = None) -> bytes:
    """Any Oversight page's HTML as a tagged A4 PDF (the report renderer and page prints share it)."""
    from weasyprint import HTML

    font_config, print_css, landscape_css, portrait_css = _shared()
    stylesheets = [print_css, landscape_css if landscape else portrait_css]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_static_fetcher(), media_type="print").render(
        stylesheets=stylesheets, font_config=font_config, pdf_variant="pdf/ua-1", pdf_tags=True)
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


@lru_cache(maxsize=1)
def _shared() -> tuple[Any, Any, Any, Any]:
    """Parsed once per process: the font configuration and the print stylesheets (a pack renders five PDFs)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    return (font_config,
            CSS(filename=str(PRINT_CSS), url_fetcher=_static_fetcher(), font_config=font_config),
            CSS(string=LANDSCAPE_CSS, font_config=font_config),
            CSS(string=PORTRAIT_CSS, font_config=font_config))


def _static_path(url: str) -> Path | None:
    """The file behind one of our ``/static/…`` URLs, found as ``runserver`` would find it."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    parts = urlsplit(url)
    if parts.scheme == "file":
        local = Path(unquote(parts.path)).resolve()
        return local if local == PRINT_CSS else None
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
